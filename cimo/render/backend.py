"""The one place that runs Graphviz: lazily imports the ``graphviz`` package and runs ``dot``.

Everything else in :mod:`cimo.render` builds text; this module turns DOT text
into SVG, PNG or PDF. A missing ``graphviz`` package raises
:class:`~cimo.errors.MissingDependencyError`; a missing ``dot`` program, a
layout that Graphviz rejects, or one that runs longer than ``timeout``
seconds raises :class:`RenderError`, saying what to do.

>>> from cimo.render.backend import engine_for
>>> engine_for(120), engine_for(5_000)
('dot', 'sfdp')
"""

from __future__ import annotations

import subprocess
from typing import Literal, TypeAlias

from cimo.errors import CimoError, MissingDependencyError

__all__ = [
    "DEFAULT_TIMEOUT",
    "DOT_LIMIT",
    "Engine",
    "ImageFormat",
    "RenderError",
    "engine_for",
    "run_graphviz",
]

#: Output formats Graphviz makes for cimo.
ImageFormat: TypeAlias = Literal["svg", "png", "pdf"]
#: Layout engines cimo uses: ``dot`` (layered, lanes kept) and ``sfdp`` (force-directed, linear).
Engine: TypeAlias = Literal["dot", "sfdp"]

#: Up to this many nodes the layered ``dot`` engine is used (with tuned limits above 300).
DOT_LIMIT = 1500
#: Seconds a render may take before it is stopped.
DEFAULT_TIMEOUT = 60.0

_INSTALL = (
    "install Graphviz: 'sudo apt-get install graphviz' (Debian/Ubuntu), "
    "'brew install graphviz' (macOS), 'conda install graphviz', "
    "or see https://graphviz.org/download/; DOT output works without it"
)


class RenderError(CimoError, RuntimeError):
    """Graphviz could not make the picture: ``dot`` missing, DOT rejected, or too slow."""

    code = "render"


def engine_for(n_nodes: int) -> Engine:
    """The layout engine for a diagram of ``n_nodes`` nodes.

    ``dot`` keeps the four lanes but grows about as n^2.6 with default
    settings; with the tuned limits cimo sets it stays under a few seconds up
    to :data:`DOT_LIMIT` nodes. Larger diagrams use ``sfdp``, which is about
    linear but does not keep lanes.
    """
    return "dot" if n_nodes <= DOT_LIMIT else "sfdp"


def run_graphviz(
    source: str, *, format: ImageFormat, engine: str = "dot", timeout: float = DEFAULT_TIMEOUT
) -> bytes:
    """Lay out and draw DOT text with Graphviz.

    Args:
        source: The DOT text.
        format: ``svg``, ``png`` or ``pdf``.
        engine: The Graphviz layout program (``dot``, ``sfdp``, ``neato``, ...).
        timeout: Seconds after which the render is stopped.

    Returns:
        The picture, as bytes.

    Raises:
        MissingDependencyError: The ``graphviz`` Python package is not installed.
        RenderError: ``dot`` is missing, rejects the DOT text, or takes too long.
    """
    try:
        from graphviz.backend import dot_command, execute
    except ImportError as err:
        raise MissingDependencyError(
            "rendering diagrams needs the graphviz package: pip install 'cimo[render]' "
            f"(and the Graphviz programs: {_INSTALL})"
        ) from err
    cmd = dot_command.command(engine, format)
    try:
        proc = execute.run_check(
            cmd, input=source.encode("utf-8"), capture_output=True, quiet=True, timeout=timeout
        )
    except execute.ExecutableNotFound:
        raise RenderError(f"Graphviz's {engine!r} program was not found: {_INSTALL}") from None
    except subprocess.TimeoutExpired:
        raise RenderError(
            f"Graphviz's {engine!r} took longer than {timeout:g} s and was stopped; "
            "render a part of the theory (--focus ID --depth N), hide rule nodes, "
            "or allow more time (timeout=...)"
        ) from None
    except execute.CalledProcessError as err:
        detail = (err.stderr or b"").decode("utf-8", "replace").strip()
        raise RenderError(
            f"Graphviz's {engine!r} rejected the diagram (exit code {err.returncode}): {detail}"
        ) from None
    out: bytes = proc.stdout
    return out
