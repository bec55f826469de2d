"""The ``cimo explore`` command: the theory as one interactive HTML page."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cimo.cli._common import check_output, handle_errors, read_theory
from cimo.render.backend import DEFAULT_TIMEOUT
from cimo.render.style import StyleName

__all__ = ["register"]


def register(app: typer.Typer) -> None:
    """Add ``cimo explore`` to ``app``."""

    @app.command()
    @handle_errors
    def explore(
        file: Annotated[
            str,
            typer.Argument(metavar="FILE", help="A theory file, or the name of a bundled example."),
        ],
        output: Annotated[
            Path | None,
            typer.Option(
                "--output",
                "-o",
                help="Write the page here (atomically; default: THEORY-ID.html in this folder).",
            ),
        ] = None,
        style: Annotated[
            StyleName, typer.Option("--style", help="Colours or greyscale for the map.")
        ] = "default",
        timeout: Annotated[
            float, typer.Option("--timeout", min=1, help="Stop Graphviz after this many seconds.")
        ] = DEFAULT_TIMEOUT,
    ) -> None:
        """Write an interactive explorer: one self-contained HTML file for workshops.

        Open it in any browser, offline, from a USB stick or an e-mail: pan and zoom
        the map, search, click any box for its wording, evidence and status, tick
        contexts and interventions to see which rules fire, which are blocked and
        which outcomes follow, ask "for whom" of an outcome, filter, present, print.
        Needs Graphviz's dot program to lay out the map.
        """
        from cimo.render._explorer import explorer
        from cimo.render.style import STYLES

        theory = read_theory(file)
        page = explorer(theory, style=STYLES[style], timeout=timeout)
        path = page.save(check_output(output if output is not None else Path(f"{theory.id}.html")))
        typer.echo(f"wrote the explorer to {path} ({page.size / 1024:.0f} KB)", err=True)
