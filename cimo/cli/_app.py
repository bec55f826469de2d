"""The Typer application of the ``cimo`` command (private: use :mod:`cimo.cli`).

Each command lives in a module of :mod:`cimo.cli` that adds it with its
``register(app)``. :data:`COMMANDS` says which module adds which command, so
that ``cimo show ...`` imports and builds only the commands of ``_core``
(:func:`app_for`): importing every module and letting Typer read the options
of some 35 commands took longer than the command itself. ``cimo --help``, a
misspelt command and :data:`app` (for tests and ``typer cimo.cli utils
docs``) get every command.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from functools import cache
from typing import Annotated, Any

import typer

from cimo._version import __version__
from cimo.cli._common import CimoGroup

__all__ = ["COMMANDS", "MODULES", "app_for", "build"]  # and `app`, built on first use

#: The modules that add commands, in the order ``cimo --help`` lists them.
MODULES: tuple[str, ...] = (
    "_core",
    "_table_io",
    "_query",
    "_interop",
    "_sources",
    "_qdpx",
    "_render",
    "_explore",
    "_report",
    "_check",
)

#: The module that adds each top-level command (a test checks it against the modules).
COMMANDS: dict[str, str] = {
    **dict.fromkeys(("schema", "convert", "migrate", "show", "examples"), "_core"),
    **dict.fromkeys(("import-table", "export-table"), "_table_io"),
    **dict.fromkeys(("scenario", "query"), "_query"),
    **dict.fromkeys(("diff", "merge", "export", "import"), "_interop"),
    "sources": "_sources",
    **dict.fromkeys(("import-qdpx", "export-qdpx"), "_qdpx"),
    **dict.fromkeys(("render", "table", "statements"), "_render"),
    "explore": "_explore",
    "report": "_report",
    "check": "_check",
}


def _version(value: bool) -> None:
    if value:
        typer.echo(f"cimo {__version__}")
        raise typer.Exit(0)


def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """Realist programme theories: check, query and render if-then-because rules."""


def build(modules: Sequence[str] = MODULES) -> typer.Typer:
    """The ``cimo`` application with the commands of these modules of :mod:`cimo.cli`."""
    application = typer.Typer(
        name="cimo",
        cls=CimoGroup,
        help="Realist programme theories: check, query and render if-then-because rules.",
        no_args_is_help=True,
        pretty_exceptions_enable=False,
        add_completion=False,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    application.callback()(_root)
    for name in modules:
        importlib.import_module(f"cimo.cli.{name}").register(application)
    return application


@cache
def _full() -> typer.Typer:
    return build()


def app_for(args: Sequence[str]) -> typer.Typer:
    """The application to run these command-line arguments: one module's commands when it can.

    >>> len(app_for(["show", "pwp-resilience"]).registered_commands)  # the five of ``_core``
    5
    >>> len(app_for(["--help"]).registered_commands) > 5  # every module's
    True
    """
    first = next((i for i, a in enumerate(args) if not a.startswith("-")), None)
    if first is None or first > 0 or args[first] not in COMMANDS:
        return _full()  # help, the version, a misspelt command: everything
    return build((COMMANDS[args[first]],))


def __getattr__(name: str) -> Any:
    """:data:`app`, every command, is built on first use (PEP 562)."""
    if name == "app":
        return _full()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
