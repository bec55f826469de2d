"""Shared plumbing of the command line: reading theories, writing output, errors."""

from __future__ import annotations

import functools
import json
import os
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import typer

from cimo._util import slug
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
    "TextOrJson",
    "check_id",
    "check_output",
    "emit",
    "handle_errors",
    "note_input",
    "read_theory",
]

#: Exit codes shared by every command.
EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_INPUT = 2

P = ParamSpec("P")
R = TypeVar("R")


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
