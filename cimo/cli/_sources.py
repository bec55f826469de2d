"""Sources commands: ``cimo sources import|export|list`` (reference managers, appraisal)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cimo.cli._common import (
    CimoGroup,
    TextOrJson,
    TheoryOutput,
    check_output,
    emit,
    handle_errors,
    note_input,
    read_theory,
    to_json,
)
from cimo.core.formats import ReferenceExportFormat
from cimo.core.vocabulary import APPRAISAL_CRITERIA
from cimo.errors import UsageError
from cimo.io import dumps, format_of
from cimo.model import Source

__all__ = ["register"]

_FILE = Annotated[
    str, typer.Argument(metavar="FILE", help="A theory file, or the name of a bundled example.")
]
_FORMAT = Annotated[
    TextOrJson, typer.Option("--format", "-f", help="Output format: plain words or JSON.")
]


def register(app: typer.Typer) -> None:
    """Add ``sources`` (import, export, list) to ``app``."""
    sources = typer.Typer(
        name="sources",
        cls=CimoGroup,
        help="A theory's sources: import from and export to reference managers; appraisal.",
        no_args_is_help=True,
    )
    app.add_typer(sources)

    @sources.command("import")
    @handle_errors
    def import_cmd(
        file: _FILE,
        references: Annotated[
            list[Path],
            typer.Argument(
                metavar="REFS...",
                help="Reference files: .bib (BibTeX), .ris (RIS) or .json (CSL-JSON), as "
                "Zotero, EndNote or Mendeley export them.",
            ),
        ],
        output: TheoryOutput = None,
    ) -> None:
        """Add the references of REFS to the theory's sources, or update the ones they match.

        A reference matches a source with the same DOI, else one with the same id
        (its citation key). A matched source keeps its id, citation and appraisal
        and takes the reference's bibliographic fields; the others are added.
        What was added, updated and left alone is reported on stderr.
        """
        from cimo.exchange.references import read_references, update_sources

        theory = read_theory(file)
        found: list[Source] = []
        for path in references:
            note_input(path)
            found.extend(read_references(path))
        done = update_sources(theory, found)
        typer.echo(str(done), err=True)
        emit(dumps(done.theory, format=format_of(output) if output else "yaml"), output)

    @sources.command("export")
    @handle_errors
    def export_cmd(
        file: _FILE,
        output: Annotated[
            Path | None,
            typer.Option(
                "--output",
                "-o",
                help="The file to write: .bib (BibTeX) or .json (CSL-JSON), by extension.",
            ),
        ] = None,
        format: Annotated[
            ReferenceExportFormat | None,
            typer.Option("--format", "-f", help="The format on stdout (default: bibtex)."),
        ] = None,
    ) -> None:
        """Write the theory's sources as BibTeX or CSL-JSON, for a reference manager."""
        from cimo.exchange.references import (
            dumps_references,
            reference_format,
            write_references,
        )

        theory = read_theory(file)
        if output is None:
            emit(dumps_references(theory.sources, format=format or "bibtex"), None)
            return
        if format is not None and format != reference_format(output):
            raise UsageError(
                f"--format {format} does not match the output {output}; the extension picks "
                "the format (.bib: bibtex, .json: csl-json)"
            )
        write_references(theory, check_output(output))
        typer.echo(f"wrote {output}", err=True)

    @sources.command("list")
    @handle_errors
    def list_cmd(file: _FILE, format: _FORMAT = "text") -> None:
        """The theory's sources with their appraisal (relevance, richness, rigour) and notes."""
        theory = read_theory(file)
        if format == "json":
            rows = [s.model_dump(mode="json", exclude_defaults=True) for s in theory.sources]
            emit(to_json(rows), None)
            return
        emit("\n".join(_describe(s) for s in theory.sources) or "no sources", None)


def _describe(source: Source) -> str:
    """A source, its appraisal and the notes behind it, as lines of text."""
    rated = [f"{c} {v}" for c in APPRAISAL_CRITERIA if (v := source.appraisal(c))]
    lines = [f"{source.id}: {', '.join(rated) or 'not appraised'}", f"    {source.citation}"]
    lines += [
        f"    {c}: {note}" for c in APPRAISAL_CRITERIA if (note := getattr(source, f"{c}_note"))
    ]
    return "\n".join(lines)
