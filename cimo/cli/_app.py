"""The Typer application of the ``cimo`` command (private: use :mod:`cimo.cli`)."""

from __future__ import annotations

from typing import Annotated

import typer

from cimo._version import __version__
from cimo.cli import (
    _check,
    _core,
    _explore,
    _interop,
    _qdpx,
    _query,
    _render,
    _report,
    _sources,
    _table_io,
)
from cimo.cli._common import CimoGroup

__all__ = ["app"]

app = typer.Typer(
    name="cimo",
    cls=CimoGroup,
    help="Realist programme theories: check, query and render if-then-because rules.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"cimo {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """Realist programme theories: check, query and render if-then-because rules."""


_core.register(app)
_table_io.register(app)
_query.register(app)
_interop.register(app)
_sources.register(app)
_qdpx.register(app)
_render.register(app)
_explore.register(app)
_report.register(app)
_check.register(app)
