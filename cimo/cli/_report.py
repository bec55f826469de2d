"""The ``cimo report`` command: the parts of a realist report a theory can fill (RAMESES II)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cimo.cli._common import check_output, handle_errors, read_theory
from cimo.core.formats import select, spell_suffixes

__all__ = ["register"]

_SUFFIXES = spell_suffixes(select(content="realist-report"))


def register(app: typer.Typer) -> None:
    """Add ``cimo report`` to ``app``."""

    @app.command()
    @handle_errors
    def report(
        file: Annotated[
            str,
            typer.Argument(
                metavar="THEORY",
                help="The theory (its latest version): a file, or a bundled example's name.",
            ),
        ],
        output: Annotated[
            Path,
            typer.Option(
                "--output",
                "-o",
                help=f"The report to write ({_SUFFIXES}; the format from the suffix). "
                "Markdown's figures go in a folder beside it (report-figures/).",
            ),
        ],
        previous: Annotated[
            list[str] | None,
            typer.Option(
                "--previous",
                "-p",
                metavar="OLD",
                help="An older version of the theory (a file or an example name); repeat, "
                "oldest first. Without it, a theory declaring iterations is reported "
                "iteration by iteration.",
            ),
        ] = None,
    ) -> None:
        """Write the parts of a realist report the theory can fill, by RAMESES II item.

        The initial and refined programme theory (figure and CMOC table with
        illustrative quotes), the analysis trail from each version to the next
        (from cimo diff: what was added, refined, refuted, and the evidence for
        it), the sources, the participants and the evidence per configuration
        and mechanism, each under the RAMESES II item it serves (Wong et al.
        2016, BMC Medicine 14:96). Nothing is invented: a part the theory cannot
        fill says what is missing. Needs Graphviz's dot for the figures and,
        for .docx, the python-docx package (cimo's docx extra).
        """
        from cimo.render.report import figures_folder, rameses_report, report_format, write_report

        fmt = report_format(output)
        theory = read_theory(file)
        older = [read_theory(p) for p in previous or ()]
        check_output(output)
        if fmt == "md":
            check_output(figures_folder(output))
        written = write_report(rameses_report(theory, previous=older), output, format=fmt)
        figures = len(written) - 1
        more = (
            f" and {figures} figure{'s' * (figures != 1)} in {written[0].parent}" if figures else ""
        )
        typer.echo(f"wrote the report to {output}{more}", err=True)
