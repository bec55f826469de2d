"""Core commands: schema, convert, migrate, show, examples."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cimo.cli._common import TextOrJson, emit, handle_errors, read_theory, to_json
from cimo.core.formats import select, spell_suffixes
from cimo.examples import get_example, list_examples, load_example
from cimo.io import dumps, file_version, format_of, json_schema, load
from cimo.model import FORMAT_VERSION
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
    def migrate(
        file: Annotated[
            Path, typer.Argument(metavar="FILE", help=f"A {_THEORY_SUFFIXES} theory file.")
        ],
        output: Annotated[
            Path | None,
            typer.Option("--output", "-o", help="Write the 2.0 file here (default: FILE itself)."),
        ] = None,
        check: Annotated[
            bool,
            typer.Option(
                "--check", help=f"Change nothing; exit 1 unless FILE is {FORMAT_VERSION}."
            ),
        ] = False,
    ) -> None:
        """Rewrite a theory file in the current format (2.0), atomically.

        A 1.0 file's theme texts become theme records and its evidence gets an
        explicit stance; YAML comments are not kept. With --check, report the
        file's version and exit 1 when it is not the current one.
        """
        version = file_version(file)
        theory = load(file)  # also checks that the file holds a theory
        if check:
            if version != FORMAT_VERSION:
                typer.echo(
                    f"{file}: format {version}, not {FORMAT_VERSION}; run: cimo migrate {file}"
                )
                raise typer.Exit(1)
            typer.echo(f"{file}: format {FORMAT_VERSION}")
            return
        target = output if output is not None else file
        emit(dumps(theory, format=format_of(target)), target)

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
