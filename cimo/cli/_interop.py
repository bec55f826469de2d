"""Iterations and interoperability: diff, merge, export, import."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cimo.cli._common import (
    EXIT_FINDINGS,
    EXIT_OK,
    TextOrJson,
    check_id,
    emit,
    handle_errors,
    note_input,
    read_theory,
    to_json,
)
from cimo.core.formats import ExportFormat, ImportFormat, select, spell_suffixes
from cimo.errors import UsageError
from cimo.io import dumps, format_of

__all__ = ["register"]


# The choices of --to and --from are the exchange formats of the format table
# (cimo.core.formats): the Literal types there are checked against its rows.
_THEORY_SUFFIXES = spell_suffixes(select(kind="theory"))

_FILE_HELP = "A theory file, or the name of a bundled example."


def _equivalences(pairs: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for pair in pairs:
        alias, sep, canonical = pair.partition("=")
        if not sep or not alias.strip() or not canonical.strip():
            raise UsageError(f"--same {pair!r}: write it as ALIAS=CANONICAL, e.g. employed=in-work")
        out[alias.strip()] = canonical.strip()
    return out


def register(app: typer.Typer) -> None:
    """Add the diff, merge, export and import commands to ``app``."""

    @app.command()
    @handle_errors
    def diff(
        old: Annotated[str, typer.Argument(metavar="OLD", help=_FILE_HELP)],
        new: Annotated[str, typer.Argument(metavar="NEW", help=_FILE_HELP)],
        format: Annotated[
            TextOrJson, typer.Option("--format", "-f", help="Output format.")
        ] = "text",
    ) -> None:
        """Compare two theories (or iterations): exit 0 when equal, 1 when they differ."""
        from cimo.diff import diff as diff_theories

        result = diff_theories(read_theory(old), read_theory(new))
        if format == "json":
            emit(to_json(result.model_dump(mode="json")), None)
        else:
            emit(str(result), None)
        raise typer.Exit(EXIT_OK if result.equal else EXIT_FINDINGS)

    @app.command()
    @handle_errors
    def merge(
        files: Annotated[
            list[str], typer.Argument(metavar="FILE...", help="Theory files or example names.")
        ],
        output: Annotated[
            Path,
            typer.Option(
                "--output", "-o", help=f"Write the merged theory here ({_THEORY_SUFFIXES})."
            ),
        ],
        same: Annotated[
            list[str] | None,
            typer.Option(
                "--same",
                metavar="ALIAS=CANONICAL",
                help="Declare two ids equivalent (repeatable).",
            ),
        ] = None,
        id: Annotated[
            str | None, typer.Option("--id", callback=check_id, help="Id of the merged theory.")
        ] = None,
        title: Annotated[
            str | None, typer.Option("--title", help="Title of the merged theory.")
        ] = None,
        format: Annotated[
            TextOrJson, typer.Option("--format", "-f", help="Format of the report.")
        ] = "text",
    ) -> None:
        """Merge theories; on conflicts, report them, write nothing and exit 1."""
        from cimo.merge import merge as merge_theories

        fmt = format_of(output)
        result = merge_theories(
            [read_theory(f) for f in files],
            equivalences=_equivalences(same or []),
            id=id,
            title=title,
        )
        report = (
            to_json(result.model_dump(mode="json", exclude={"theory"}))
            if format == "json"
            else str(result) + "\n"
        )
        if result.theory is None:
            typer.echo(report, err=True, nl=False)
            raise typer.Exit(EXIT_FINDINGS)
        emit(dumps(result.theory, format=fmt), output)
        typer.echo(report, err=True, nl=False)

    @app.command(name="export")
    @handle_errors
    def export_(
        file: Annotated[str, typer.Argument(metavar="FILE", help=_FILE_HELP)],
        to: Annotated[ExportFormat, typer.Option("--to", "-t", help="The format to write.")],
        output: Annotated[
            Path | None,
            typer.Option("--output", "-o", help="Write to this file (default: print)."),
        ] = None,
        drop_feedback: Annotated[
            bool,
            typer.Option(
                "--drop-feedback",
                help="dagitty: drop the edges that close cycles instead of refusing.",
            ),
        ] = False,
        exposure: Annotated[
            list[str] | None,
            typer.Option(
                "--exposure",
                metavar="ID",
                help="dagitty: the exposure (repeatable; default: every intervention with edges).",
            ),
        ] = None,
        outcome: Annotated[
            list[str] | None,
            typer.Option(
                "--outcome",
                metavar="ID",
                help="dagitty: the outcome (repeatable; default: every outcome with edges).",
            ),
        ] = None,
        layout: Annotated[
            bool,
            typer.Option(
                "--layout/--no-layout",
                help="dagitty: place the variables as Graphviz lays them out (needs Graphviz).",
            ),
        ] = True,
    ) -> None:
        """Export a theory to a network, mapping, causal, coding or diagram tool's format."""
        from cimo.exchange import export_text

        text = export_text(
            read_theory(file),
            format=to,
            drop_feedback=drop_feedback,
            exposure=exposure or None,
            outcome=outcome or None,
            layout=layout,
        )
        emit(text, output)

    @app.command(name="import")
    @handle_errors
    def import_(
        file: Annotated[Path, typer.Argument(metavar="FILE", help="The file to read.")],
        from_: Annotated[ImportFormat, typer.Option("--from", "-F", help="The format of FILE.")],
        output: Annotated[
            Path | None,
            typer.Option(
                "--output", "-o", help="Write the theory here (.yaml/.json; default: print YAML)."
            ),
        ] = None,
        id: Annotated[
            str | None,
            typer.Option(
                "--id",
                callback=check_id,
                help="kumu/qdc/causalmap: the theory's id (default: from FILE).",
            ),
        ] = None,
        title: Annotated[
            str | None, typer.Option("--title", help="kumu/qdc/causalmap: the theory's title.")
        ] = None,
    ) -> None:
        """Import a theory from a network, Kumu, REFI-QDA codebook or Causal Map file."""
        from cimo.exchange import read

        fmt = format_of(output) if output else "yaml"
        note_input(file)
        theory = read(file, format=from_, id=id, title=title)
        emit(dumps(theory, format=fmt), output)
