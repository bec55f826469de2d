"""Shared plumbing of the command line: reading theories, writing output, errors."""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import typer

from cimo.core.formats import ResultFormat as TextOrJson
from cimo.core.formats import format_for_suffix
from cimo.errors import CimoError, FileFormatError, UnknownIdError
from cimo.examples import get_example, list_examples, load_example
from cimo.io import atomic_write, load
from cimo.model import Theory

__all__ = [
    "EXIT_FINDINGS",
    "EXIT_INPUT",
    "EXIT_OK",
    "TextOrJson",
    "emit",
    "handle_errors",
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
    if path.exists() or format_for_suffix(path, kind="theory") is not None:
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


def emit(text: str, output: Path | None) -> None:
    """Print ``text``, or write it atomically to ``output``."""
    if output is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
    else:
        atomic_write(output, text)
        typer.echo(f"wrote {output}", err=True)


def to_json(data: Any) -> str:
    """Pretty JSON with a final newline."""
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
