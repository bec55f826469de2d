"""The ``cimo check`` command: run the quality checks of :mod:`cimo.validate` on theory files."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cimo.cli._common import (
    EXIT_FINDINGS,
    EXIT_INPUT,
    EXIT_OK,
    emit,
    handle_errors,
    read_theory,
    to_json,
)
from cimo.core.formats import ReportFormat
from cimo.core.vocabulary import Severity
from cimo.errors import CimoError

__all__ = ["register"]


def _codes(value: str | None) -> list[str] | None:
    if value is None:
        return None
    return [part.strip() for part in value.split(",") if part.strip()]


def register(app: typer.Typer) -> None:
    """Add the ``check`` command to ``app``."""

    @app.command()
    @handle_errors
    def check(
        files: Annotated[
            list[str],
            typer.Argument(metavar="FILE...", help="Theory files, or names of bundled examples."),
        ],
        select: Annotated[
            str | None,
            typer.Option(
                "--select", help="Comma-separated codes, code prefixes or names of checks to run."
            ),
        ] = None,
        ignore: Annotated[
            str | None,
            typer.Option("--ignore", help="Comma-separated codes, prefixes or names to skip."),
        ] = None,
        fail_on: Annotated[
            Severity | None,
            typer.Option("--fail-on", help="Exit with 1 when a finding is this severe or more."),
        ] = None,
        format: Annotated[
            ReportFormat, typer.Option("--format", "-f", help="Output format.")
        ] = "text",
        output: Annotated[
            Path | None, typer.Option("--output", "-o", help="Write the output to this file.")
        ] = None,
    ) -> None:
        """Check theories: gaps, duplicates, contradictions, orphans, loops.

        Settings come from the options, then each theory file's `check:` block,
        then `[tool.cimo]` in the nearest pyproject.toml. Exit 0 when no finding
        reaches the failing severity (default: error), 1 when one does, 2 for
        bad input.
        """
        from cimo.validate import Report, find_project_settings, format_text, sarif, validate

        found = find_project_settings()
        project = found[0] if found is not None else None
        reports: list[Report] = []
        bad_input = False
        for arg in files:
            try:
                theory = read_theory(arg)
            except CimoError as err:
                typer.echo(f"error: {err}", err=True)
                bad_input = True
                continue
            reports.append(
                validate(
                    theory,
                    select=_codes(select),
                    ignore=_codes(ignore),
                    fail_on=fail_on,
                    project=project,
                )
            )
        if format == "sarif":
            emit(to_json(sarif(reports)), output)
        elif format == "json":
            emit(to_json([f.model_dump(mode="json") for r in reports for f in r.findings]), output)
        elif reports:
            emit(format_text(reports), output)
        if bad_input:
            raise typer.Exit(EXIT_INPUT)
        raise typer.Exit(EXIT_FINDINGS if any(r.failed for r in reports) else EXIT_OK)
