"""Spreadsheet commands: import-table, export-table."""

from __future__ import annotations

import re
import warnings
from pathlib import Path
from typing import Annotated

import typer

from cimo.cli._common import (
    TheoryOutput,
    check_id,
    check_output,
    emit,
    handle_errors,
    note_input,
    read_theory,
)
from cimo.errors import UsageError
from cimo.exchange.table import ROLES, TableWarning, parse_column_map, read_table, write_table
from cimo.io import dumps, format_of

__all__ = ["register"]


def _pattern(text: str | None) -> re.Pattern[str] | None:
    if text is None:
        return None
    try:
        return re.compile(text)
    except re.error as err:
        raise UsageError(
            f"--evidence-pattern {text!r} is not a regular expression: {err}"
        ) from None


def register(app: typer.Typer) -> None:
    """Add the spreadsheet commands to ``app``."""

    @app.command("import-table")
    @handle_errors
    def import_table(
        table: Annotated[
            Path, typer.Argument(metavar="IN", help="A CMO table: a .csv, .tsv or .xlsx file.")
        ],
        output: TheoryOutput = None,
        map_: Annotated[
            list[str] | None,
            typer.Option(
                "--map",
                "-m",
                metavar="COLUMN=ROLE",
                help="What a column holds (repeatable). ROLE is one of: " + ", ".join(ROLES) + ".",
            ),
        ] = None,
        sheet: Annotated[
            str | None, typer.Option("--sheet", help="The sheet of an .xlsx file (default: first).")
        ] = None,
        header_row: Annotated[
            int | None,
            typer.Option(
                "--header-row",
                min=1,
                help="The row of the headers (default: the first row with two values; "
                "title rows above it are skipped).",
            ),
        ] = None,
        separator: Annotated[
            str | None,
            typer.Option(
                "--separator",
                help="Separates several values in one cell besides a new line (default: "
                "none, as prose holds ';'); a backslash before it keeps it in the value.",
            ),
        ] = None,
        evidence_pattern: Annotated[
            str | None,
            typer.Option(
                "--evidence-pattern",
                metavar="REGEX",
                help="Reads one evidence line: a regular expression with named groups among "
                "participant, source, locator, quote, stance, note (default: lines such as "
                'N03 (Int 1): "quote" [refutes]).',
            ),
        ] = None,
        theory_id: Annotated[
            str | None,
            typer.Option(
                "--id", callback=check_id, help="The theory id (default: from the file name)."
            ),
        ] = None,
        title: Annotated[
            str | None, typer.Option("--title", help="The theory title (default: the file name).")
        ] = None,
    ) -> None:
        """Read a CMO table (CSV or XLSX) into a theory file, one rule per row.

        Title rows above the headers are skipped and a row holding only a theme
        heading ("Theme 1: ...") gives the rows below it their theme.
        """
        note_input(table)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", TableWarning)
            theory = read_table(
                table,
                columns=parse_column_map(map_ or ()),
                sheet=sheet,
                header_row=header_row,
                separator=separator,
                evidence_pattern=_pattern(evidence_pattern),
                id=theory_id,
                title=title,
            )
        for warning in caught:
            typer.echo(f"warning: {warning.message}", err=True)
        emit(dumps(theory, format=format_of(output) if output else "yaml"), output)

    @app.command("export-table")
    @handle_errors
    def export_table(
        file: Annotated[
            str,
            typer.Argument(metavar="FILE", help="A theory file, or the name of a bundled example."),
        ],
        output: Annotated[
            Path,
            typer.Option(
                "--output", "-o", help="The table to write: .csv, .tsv or .xlsx (by extension)."
            ),
        ],
        sheet: Annotated[str, typer.Option("--sheet", help="The sheet name in .xlsx.")] = "CMO",
        csv_protection: Annotated[
            bool,
            typer.Option(
                "--csv-protection/--no-csv-protection",
                help="CSV: put an apostrophe before cells a spreadsheet would run as a formula "
                "(=, +, -, @, tab, CR first).",
            ),
        ] = True,
    ) -> None:
        """Write a theory as a CMO table (one row per rule) in CSV or XLSX."""
        theory = read_theory(file)
        write_table(theory, check_output(output), sheet=sheet, csv_protection=csv_protection)
        typer.echo(f"wrote {output}", err=True)
