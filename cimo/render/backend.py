"""The one place that runs Graphviz: the ``dot`` (or ``sfdp``) program, as a subprocess.

Everything else in :mod:`cimo.render` builds text; this module turns DOT text
into SVG, PNG or PDF by running the Graphviz program with the DOT text on its
standard input (no Python package is needed, only the Graphviz programs). A
missing program, a layout that Graphviz rejects, or one that runs longer than
``timeout`` seconds raises :class:`RenderError`, saying what to do.

>>> from cimo.render.backend import engine_for
>>> engine_for(120), engine_for(5_000)
('dot', 'sfdp')
"""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from typing import Literal, TypeAlias

from cimo.core.formats import ImageFormat
from cimo.errors import RenderError

__all__ = [
    "DEFAULT_TIMEOUT",
    "DOT_EDGE_LIMIT",
    "DOT_LIMIT",
    "PRISM_LIMIT",
    "TUNE_LIMIT",
    "Box",
    "Engine",
    "ImageFormat",
    "RenderError",
    "dot_settings",
    "engine_for",
    "layout_boxes",
    "run_graphviz",
]

#: Layout engines cimo uses: ``dot`` (layered, lanes kept) and ``sfdp`` (force-directed, linear).
Engine: TypeAlias = Literal["dot", "sfdp"]

#: Up to this many nodes (and :data:`DOT_EDGE_LIMIT` edges) the layered ``dot`` engine is used.
DOT_LIMIT = 300
#: Up to this many edges ``dot`` is used; beyond, ``sfdp``.
DOT_EDGE_LIMIT = 2500
#: Above this many nodes (or ten times as many edges) ``dot`` runs with capped effort.
TUNE_LIMIT = 100
#: Up to this many nodes ``sfdp`` removes node overlaps (``overlap=prism``).
PRISM_LIMIT = 3000
#: Seconds a render may take before it is stopped.
DEFAULT_TIMEOUT = 60.0

_INSTALL = (
    "install Graphviz: 'sudo apt-get install graphviz' (Debian/Ubuntu), "
    "'brew install graphviz' (macOS), 'conda install graphviz', "
    "or see https://graphviz.org/download/; DOT output works without it"
)


def engine_for(n_nodes: int, n_edges: int = 0) -> Engine:
    """The layout engine for a diagram of ``n_nodes`` nodes and ``n_edges`` edges.

    ``dot`` keeps the four lanes, but its time grows about as n^2.6 (measured
    here: 0.1 s at 112 nodes, 0.7 s at 309, 33 s at 1,013). With the capped
    settings of :func:`dot_settings` it took 2.5 s at 300 nodes and 2,800
    edges (8.1 s with defaults; ``benchmarks/ops_render.py``), so it is used
    up to :data:`DOT_LIMIT` nodes and :data:`DOT_EDGE_LIMIT` edges. Larger
    diagrams use ``sfdp``, which is about linear (1.3 s at 1,000 nodes and
    10,000 edges, 11 s at 10,000 nodes) but does not keep lanes.
    """
    return "dot" if n_nodes <= DOT_LIMIT and n_edges <= DOT_EDGE_LIMIT else "sfdp"


def dot_settings(n_nodes: int, n_edges: int, engine: Engine) -> dict[str, str]:
    """Graph attributes that keep a layout of this size fast.

    Above :data:`TUNE_LIMIT` nodes ``dot`` gets capped crossing minimisation
    (``mclimit``, ``remincross``) and network simplex (``nslimit``,
    ``nslimit1``, ``searchsize``); ``sfdp`` gets overlap removal and straight
    edges.

    >>> dot_settings(50, 80, "dot")
    {}
    >>> dot_settings(250, 2000, "dot")["mclimit"]
    '0.05'
    """
    if engine == "sfdp":
        # Overlap removal (prism) triples the time at 10,000 nodes, where labels are
        # unreadable anyway: keep it for diagrams a person can still read.
        overlap = "prism" if n_nodes <= PRISM_LIMIT else "true"
        return {"overlap": overlap, "splines": "false"}
    if n_nodes > TUNE_LIMIT or n_edges > 10 * TUNE_LIMIT:
        return {
            "mclimit": "0.05",
            "remincross": "false",
            "nslimit": "1",
            "nslimit1": "1",
            "searchsize": "5",
        }
    return {}


def run_graphviz(
    source: str, *, format: ImageFormat, engine: str = "dot", timeout: float = DEFAULT_TIMEOUT
) -> bytes:
    """Lay out and draw DOT text with Graphviz (``dot -K<engine> -T<format>``, DOT on stdin).

    Args:
        source: The DOT text.
        format: ``svg``, ``png`` or ``pdf``.
        engine: The Graphviz layout program (``dot``, ``sfdp``, ``neato``, ...).
        timeout: Seconds after which the render is stopped.

    Returns:
        The picture, as bytes.

    Raises:
        RenderError: the Graphviz program is missing, rejects the DOT text, or takes too long.
    """
    return _graphviz(source, format, engine, timeout)


def _graphviz(source: str, format: str, engine: str, timeout: float) -> bytes:
    try:
        proc = subprocess.run(
            ["dot", f"-K{engine}", f"-T{format}"],  # noqa: S607 (dot is found on the PATH)
            input=source.encode("utf-8"),
            capture_output=True,
            timeout=timeout,
            check=False,
        )
    except FileNotFoundError:
        raise RenderError(f"Graphviz's {engine!r} program was not found: {_INSTALL}") from None
    except subprocess.TimeoutExpired:
        raise RenderError(
            f"Graphviz's {engine!r} took longer than {timeout:g} s and was stopped; "
            "render a part of the theory (--focus ID --depth N), hide rule nodes, "
            "or allow more time (timeout=...)"
        ) from None
    if proc.returncode != 0:
        detail = proc.stderr.decode("utf-8", "replace").strip()
        raise RenderError(
            f"Graphviz's {engine!r} rejected the diagram (exit code {proc.returncode}): {detail}"
        )
    out: bytes = proc.stdout
    return out


@dataclass(frozen=True, slots=True)
class Box:
    """Where Graphviz put a node: its top-left corner and size, in points, y growing downward."""

    x: float
    y: float
    width: float
    height: float

    @property
    def centre(self) -> tuple[float, float]:
        """The middle of the box."""
        return (self.x + self.width / 2, self.y + self.height / 2)


def layout_boxes(
    source: str, *, engine: str = "dot", timeout: float = DEFAULT_TIMEOUT
) -> dict[str, Box]:
    """The box of every node of DOT text in Graphviz's layout (``-Tjson0``), by node name.

    Coordinates are points (1/72 inch) from the top-left corner of the
    drawing, y growing downward, as drawing tools (draw.io, DAGitty) place things.

    Raises:
        RenderError: the Graphviz program is missing, rejects the DOT text, or takes too long.
    """
    data = json.loads(_graphviz(source, "json0", engine, timeout))
    top = float(data["bb"].split(",")[3])
    boxes: dict[str, Box] = {}
    for obj in data.get("objects", ()):
        if "pos" not in obj or "nodes" in obj:
            continue  # a subgraph, not a node
        x, y = (float(v) for v in obj["pos"].split(","))
        width, height = float(obj["width"]) * 72, float(obj["height"]) * 72
        boxes[obj["name"]] = Box(x - width / 2, top - y - height / 2, width, height)
    return boxes
