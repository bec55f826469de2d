"""REFI-QDA project commands: import-qdpx, export-qdpx."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cimo.cli._common import (
    TextOrJson,
    TheoryOutput,
    check_output,
    emit,
    handle_errors,
    note_input,
    read_theory,
    to_json,
)
from cimo.io import atomic_write, dumps, format_of

__all__ = ["register"]

_THEORY_HELP = "A theory file, or the name of a bundled example."


def register(app: typer.Typer) -> None:
    """Add the REFI-QDA project commands to ``app``."""

    @app.command("import-qdpx")
    @handle_errors
    def import_qdpx(
        theory: Annotated[str, typer.Argument(metavar="THEORY", help=_THEORY_HELP)],
        project: Annotated[
            Path, typer.Argument(metavar="PROJECT", help="A REFI-QDA project (.qdpx).")
        ],
        output: TheoryOutput = None,
        map_: Annotated[
            Path | None,
            typer.Option(
                "--map",
                "-m",
                metavar="MAPPING.yaml",
                help="What the project's own codes stand for: 'codes: {CODE: ID}', CODE a "
                "code name, Parent/Child path or GUID, ID a node or rule id or a stance.",
            ),
        ] = None,
        kind: Annotated[
            str | None,
            typer.Option(
                "--kind", help="The evidence kind to record (interview, focus-group, ...)."
            ),
        ] = None,
        format: Annotated[
            TextOrJson, typer.Option("--format", "-f", help="Format of the report (on stderr).")
        ] = "text",
    ) -> None:
        """Read the coded passages of a REFI-QDA project into THEORY as evidence.

        Codes match the theory's nodes and rules by the GUIDs of cimo's own
        codebook (export-qdpx, or export --to qdc), by the 'cimo id:' line of
        their description, or by --map. A passage becomes evidence on the rules
        it is coded with; with only node codes, on every rule that names all of
        them. The report lists codes that match nothing and passages no rule
        joins. Importing the same project again changes nothing.
        """
        from cimo._files import read_file_bytes
        from cimo.exchange.qdpx import import_qdpx as run
        from cimo.exchange.qdpx import read_mapping
        from cimo.io._yaml import parse_yaml

        mapping = None
        if map_ is not None:
            note_input(map_)
            text = read_file_bytes(map_, what="code mapping").decode("utf-8", "replace")
            mapping = read_mapping(parse_yaml(text, file=str(map_)) or {})
        base = read_theory(theory)
        note_input(project)
        result = run(base, project, mapping=mapping, kind=kind)
        emit(dumps(result.theory, format=format_of(output) if output else "yaml"), output)
        if format == "json":
            typer.echo(to_json(result.model_dump(mode="json", exclude={"theory"})), err=True)
        else:
            typer.echo(str(result), err=True)

    @app.command("export-qdpx")
    @handle_errors
    def export_qdpx(
        theory: Annotated[str, typer.Argument(metavar="THEORY", help=_THEORY_HELP)],
        output: Annotated[
            Path, typer.Option("--output", "-o", help="The project to write (.qdpx).")
        ],
        sources: Annotated[
            Path | None,
            typer.Option(
                "--sources",
                "-s",
                metavar="FOLDER|PROJECT",
                help="The full texts of the theory's sources: a folder of <source-id>.txt "
                "files, or the .qdpx project the evidence came from. Without it the project "
                "holds the codebook and cases only.",
            ),
        ] = None,
    ) -> None:
        """Write THEORY as a REFI-QDA project for NVivo, ATLAS.ti, MAXQDA or QualCoder.

        The codebook (nodes with their definitions, rules, evidence stances),
        participants as cases with their attributes as variables, and every
        evidence quote found in the text of its source as a coded passage. A
        theory holds quotes, not transcripts: give the texts with --sources;
        quotes that cannot be placed are listed.
        """
        from cimo.exchange.qdpx import source_texts, to_qdpx

        base = read_theory(theory)
        if sources is not None:
            note_input(sources)
        texts = source_texts(sources) if sources is not None else {}
        result = to_qdpx(base, texts=texts)
        atomic_write(check_output(output), result.data)
        typer.echo(f"wrote {output}: {result}", err=True)
