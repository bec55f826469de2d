"""Shared plumbing of the command line: reading theories, writing output, errors."""

from __future__ import annotations

import functools
import json
import os
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Annotated, Any, ParamSpec, TypeVar

import typer
from typer.core import TyperGroup

from cimo._util import slug, suggest
from cimo.core.formats import ResultFormat as TextOrJson
from cimo.core.formats import format_for_suffix
from cimo.errors import CimoError, FileFormatError, UnknownIdError, UsageError
from cimo.examples import get_example, list_examples, load_example
from cimo.io import atomic_write, load
from cimo.model import Theory

__all__ = [
    "EXIT_FINDINGS",
    "EXIT_INPUT",
    "EXIT_OK",
    "CimoGroup",
    "TextOrJson",
    "TheoryOutput",
    "check_id",
    "check_output",
    "emit",
    "handle_errors",
    "note_input",
    "read_theory",
]

#: ``-o/--output`` of the commands that write a theory (YAML on stdout by default).
TheoryOutput = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        help="The theory file to write (.yaml or .json); default: YAML on stdout.",
    ),
]

#: Exit codes shared by every command.
EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_INPUT = 2

#: Click's exceptions as Typer ships them (Typer 0.29 vendors its own Click).
_clicks = sys.modules[typer.BadParameter.__module__]
_UsageError: type[Exception] = _clicks.UsageError
_ClickException: type[Exception] = _clicks.ClickException
_NoArgsIsHelpError: type[Exception] = _clicks.NoArgsIsHelpError

P = ParamSpec("P")
R = TypeVar("R")


class CimoGroup(TyperGroup):
    """A command group whose usage errors read like every other error of ``cimo``.

    Click and Typer print usage errors (a typo'd command, a missing option) in
    a framed box of their own; here they are one ``error: ...`` line on stderr,
    with a did-you-mean and the list of commands, and exit code 2 like any other
    bad input.
    """

    def resolve_command(self, ctx: Any, args: list[str]) -> tuple[str | None, Any, list[str]]:
        """The command named by ``args[0]``, or a usage error with a did-you-mean."""
        name = str(args[0])
        if self.get_command(ctx, name) is None and not name.startswith("-"):
            commands = self.list_commands(ctx)
            hits = suggest(name, commands, n=2)
            hint = f" (did you mean {' or '.join(repr(h) for h in hits)}?)" if hits else ""
            raise _UsageError(
                f"{ctx.command_path} has no command {name!r}{hint}; "
                f"its commands are: {', '.join(commands)}",
                ctx,
            )
        return super().resolve_command(ctx, args)

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        """Run the group; a usage error becomes ``error: ...`` and exit code 2."""
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode, **extra)
        try:
            code = super().main(args, prog_name, complete_var, False, **extra)
        except _NoArgsIsHelpError:  # Typer has printed the help already
            sys.exit(EXIT_INPUT)
        except _UsageError as err:
            ctx = getattr(err, "ctx", None)
            where = f"; see '{ctx.command_path} --help'" if ctx is not None else ""
            typer.echo(f"error: {_message(err)}{where}", err=True)
            sys.exit(EXIT_INPUT)
        except _ClickException as err:
            typer.echo(f"error: {_message(err)}", err=True)
            sys.exit(getattr(err, "exit_code", EXIT_INPUT))
        except typer.Abort:  # pragma: no cover - interactive only
            typer.echo("aborted", err=True)
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else EXIT_OK)


def _message(err: Exception) -> str:
    """Click's message, starting lower-case like every other ``cimo`` error."""
    text = str(err.format_message()) if hasattr(err, "format_message") else str(err)
    return (text[:1].lower() + text[1:]).rstrip(".")


def handle_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Turn every error a user can cause into a message on stderr and exit code 2."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        _INPUTS.clear()
        try:
            return func(*args, **kwargs)
        except CimoError as err:
            typer.echo(f"error: {err}", err=True)
            raise typer.Exit(EXIT_INPUT) from None
        except KeyboardInterrupt:  # pragma: no cover - interactive only
            typer.echo("interrupted", err=True)
            raise typer.Exit(130) from None

    return wrapper


def read_theory(arg: str) -> Theory:
    """Load a theory from a file, or a bundled example by name.

    A path that exists is read as a file; otherwise, if ``arg`` names a bundled
    example, that example is loaded.
    """
    path = Path(arg)
    if os.path.lexists(path) or format_for_suffix(path, kind="theory") is not None:
        note_input(path)
        return load(path)
    try:
        get_example(arg)
    except UnknownIdError as err:
        names = ", ".join(e.name for e in list_examples())
        hint = f" (did you mean the example {err.suggestions[0]!r}?)" if err.suggestions else ""
        raise FileFormatError(
            f"no such file, and no bundled example of that name{hint}; bundled examples: {names}",
            file=arg,
        ) from None
    return load_example(arg)


#: The files the running command has read (reset by :func:`handle_errors`).
_INPUTS: list[Path] = []


def note_input(path: str | os.PathLike[str]) -> None:
    """Remember that the running command reads ``path``, so no output replaces it."""
    _INPUTS.append(Path(path))


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.realpath(a) == os.path.realpath(b)


def check_output(output: Path) -> Path:
    """``output``, unless it is one of the files the command reads (also through a link).

    Raises:
        UsageError: if writing ``output`` would replace an input.
    """
    for source in _INPUTS:
        if _same_file(source, output):
            raise UsageError(
                f"the output {output} is also an input of this command; write to another "
                "file (nothing was written)"
            )
    return output


def check_id(value: str | None) -> str | None:
    """A Typer callback for ``--id``: an id a theory may have, or a message naming the rule."""
    if value is not None and not _ID.fullmatch(value):
        example = slug(value, max_length=128)
        raise typer.BadParameter(
            f"{value!r} is not a valid id: use letters, digits, '-', '_' and '.', starting "
            "and ending with a letter or digit (at most 128 characters)"
            + (f", e.g. {example!r}" if example else "")
        )
    return value


_ID = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9_.\-]{0,126}[A-Za-z0-9])?")


def emit(text: str, output: Path | None) -> None:
    """Print ``text``, or write it atomically to ``output`` (never over an input)."""
    if output is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
    else:
        atomic_write(check_output(output), text)
        typer.echo(f"wrote {output}", err=True)


def to_json(data: Any) -> str:
    """Pretty JSON with a final newline."""
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
