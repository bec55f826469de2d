"""Core commands: schema, convert, show, examples."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cimo.cli._common import TextOrJson, emit, handle_errors, read_theory, to_json
from cimo.core.formats import select, spell_suffixes
from cimo.examples import get_example, list_examples, load_example
from cimo.io import dumps, format_of, json_schema
from cimo.summary import summary

__all__ = ["register"]

_THEORY_SUFFIXES = spell_suffixes(select(kind="theory"))


def register(app: typer.Typer) -> None:
    """Add the core commands to ``app``."""

    @app.command()
    @handle_errors
    def schema(
        output: Annotated[
            Path | None, typer.Option("--output", "-o", help="Write the schema to this file.")
        ] = None,
    ) -> None:
        """Print the JSON Schema of the theory file format."""
        emit(to_json(json_schema()), output)

    @app.command()
    @handle_errors
    def convert(
        source: Annotated[
            str,
            typer.Argument(
                metavar="SOURCE",
                help=f"A {_THEORY_SUFFIXES} theory file, or the name of a bundled example.",
            ),
        ],
        target: Annotated[
            Path,
            typer.Argument(
                metavar="TARGET", help="The file to write; its extension picks the format."
            ),
        ],
    ) -> None:
        """Convert a theory between YAML and JSON (by file extension)."""
        fmt = format_of(target)
        theory = read_theory(source)
        emit(dumps(theory, format=fmt), target)

    @app.command()
    @handle_errors
    def show(
        file: Annotated[
            str,
            typer.Argument(metavar="FILE", help="A theory file, or the name of a bundled example."),
        ],
        format: Annotated[
            TextOrJson, typer.Option("--format", "-f", help="Output format.")
        ] = "text",
    ) -> None:
        """Summarise a theory: counts by kind, rules by status, chains."""
        result = summary(read_theory(file))
        if format == "json":
            emit(to_json(result.model_dump(mode="json")), None)
        else:
            emit(str(result), None)

    @app.command()
    @handle_errors
    def examples(
        name: Annotated[
            str | None, typer.Argument(metavar="NAME", help="Print this example as YAML.")
        ] = None,
        output: Annotated[
            Path | None, typer.Option("--output", "-o", help="Write the example to this file.")
        ] = None,
    ) -> None:
        """List the bundled example theories, or print one as YAML."""
        if name is None:
            lines = [f"{e.name}\n    {e.title}\n    {e.citation}" for e in list_examples()]
            emit("\n".join(lines), None)
            return
        get_example(name)
        theory = load_example(name)
        fmt = format_of(output) if output else "yaml"
        emit(dumps(theory, format=fmt), output)
