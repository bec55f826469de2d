"""The ``cimo`` command: a thin shell over the public API.

Exit codes: 0 ok, 1 findings, 2 bad input or usage. Every error a user can
cause is a message on stderr, never a traceback.

The Typer application, :data:`app`, is built on first use, so
``cimo --version`` answers without importing Typer or the library, and a
command builds only its own module's commands (:func:`cimo.cli._app.app_for`).
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cimo.cli._app import app

__all__ = ["app", "main"]


def __getattr__(name: str) -> Any:
    """Build the Typer application on first use (PEP 562)."""
    if name == "app":
        from cimo.cli._app import app

        return app
    raise AttributeError(f"module 'cimo.cli' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


def main() -> None:
    """Run the ``cimo`` command."""
    if sys.argv[1:] == ["--version"]:
        from cimo._version import __version__

        sys.stdout.write(f"cimo {__version__}\n")
        return
    from cimo.cli._app import app_for

    app_for(sys.argv[1:])()
