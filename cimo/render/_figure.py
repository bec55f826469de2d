"""The :class:`Diagram` record every view returns, and the DOT graph all views start from.

A diagram is DOT text plus the layout engine picked for its size; it runs
Graphviz (through :mod:`cimo.render.backend`) only when asked for a picture.
"""

from __future__ import annotations

import html
import warnings
from collections.abc import Collection
from pathlib import Path
from typing import TypeAlias, cast

from cimo._util import atomic_write, plural
from cimo.core.formats import GraphvizFormat, ImageFormat, format_for_suffix, select
from cimo.errors import RenderError, UsageError
from cimo.model import CimoModel
from cimo.render.backend import (
    DEFAULT_TIMEOUT,
    Engine,
    dot_settings,
    engine_for,
    run_graphviz,
)
from cimo.render.dot import DotGraph
from cimo.render.style import Style

__all__ = ["Diagram", "OutputFormat", "make_diagram", "new_graph"]

#: Every format a diagram can be saved in (the diagram formats but Mermaid, which
#: :func:`cimo.render.mermaid.mermaid` writes from the theory).
OutputFormat: TypeAlias = GraphvizFormat
_SAVEABLE = tuple(f for f in select(content="diagram") if f.name != "mermaid")


class Diagram(CimoModel):
    """A diagram as DOT text, with the engine chosen for its size.

    It shows inline in Jupyter (needs Graphviz), scaled down to the width of
    the output cell (never up), with the elements' tooltips; ``str(diagram)``
    describes it in words.
    """

    name: str
    """What the diagram shows (``map``, ``rules``, ``rule``, ``taxonomy``)."""
    title: str
    source: str
    """The DOT text."""
    engine: Engine
    """The Graphviz layout engine to use."""
    nodes: int
    edges: int

    def __str__(self) -> str:
        return (
            f"{self.name} of {self.title}: {plural(self.nodes, 'node')}, "
            f"{plural(self.edges, 'edge')} ({self.engine})"
        )

    def render(
        self,
        *args: ImageFormat,
        format: ImageFormat = "svg",
        timeout: float = DEFAULT_TIMEOUT,
    ) -> bytes:
        """Lay out and draw the diagram with Graphviz (``diagram.render(format="png")``).

        ``format`` is keyword-only, as everywhere in cimo; passing it by
        position still works for one release and warns.

        Raises:
            cimo.render.RenderError: Graphviz is missing, rejects the DOT, or takes too long.
        """
        if args:
            warnings.warn(
                "pass the format by keyword: diagram.render(format=...); "
                "passing it by position goes in the next release",
                DeprecationWarning,
                stacklevel=2,
            )
            (format,) = args
        return run_graphviz(self.source, format=format, engine=self.engine, timeout=timeout)

    def svg(self, *, timeout: float = DEFAULT_TIMEOUT) -> str:
        """The diagram as SVG text."""
        return self.render(format="svg", timeout=timeout).decode("utf-8")

    def save(
        self,
        path: str | Path,
        *,
        format: OutputFormat | None = None,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> Path:
        """Write the diagram to ``path`` atomically (format from the suffix unless given).

        Raises:
            UsageError: The format cannot be told from the suffix.
            cimo.render.RenderError: Graphviz failed; nothing is written.
        """
        path = Path(path)
        fmt = format
        if fmt is None:
            found = format_for_suffix(path, content="diagram", among=_SAVEABLE)
            if found is None:
                raise UsageError(
                    f"cannot tell the format of {str(path)!r} from its suffix; "
                    "use .svg, .png, .pdf or .dot, or pass format="
                )
            fmt = cast("OutputFormat", found.name)
        data = (
            self.source.encode("utf-8")
            if fmt == "dot"
            else self.render(format=fmt, timeout=timeout)
        )
        atomic_write(path, data)
        return path

    def _repr_svg_(self) -> str | None:
        try:
            return self.svg()
        except RenderError:
            return None

    def _repr_mimebundle_(
        self, include: Collection[str] | None = None, exclude: Collection[str] | None = None
    ) -> dict[str, str]:
        """The SVG that fits its cell (HTML), the SVG file, and a plain-text description.

        Without Graphviz, the description says why.
        """
        try:
            svg = self.svg()
            bundle = {
                "text/html": fit_to_width(svg, description=str(self)),
                "image/svg+xml": svg,
                "text/plain": str(self),
            }
        except RenderError as err:
            bundle = {"text/plain": f"{self}\n{err}"}
        if include:
            bundle = {k: v for k, v in bundle.items() if k in include}
        if exclude:
            bundle = {k: v for k, v in bundle.items() if k not in exclude}
        return bundle


def fit_to_width(svg: str, *, description: str) -> str:
    """Graphviz's SVG as inline HTML that shrinks to its container's width (never grows).

    Jupyter shows an ``image/svg+xml`` output at its drawn size, so a wide map
    runs out of the output cell; as HTML, with ``max-width: 100%`` and
    ``height: auto``, it keeps its proportions and stays whole.

    >>> out = fit_to_width('<svg width="600pt" viewBox="0 0 600 80"></svg>', description="map")
    >>> out.startswith('<div class="cimo-diagram"><svg role="img" aria-label="map"')
    True
    >>> 'style="max-width:100%;height:auto" width="600pt"' in out
    True
    """
    root = svg[svg.index("<svg") + len("<svg") :].rstrip()
    label = html.escape(description, quote=True)
    return (
        f'<div class="cimo-diagram"><svg role="img" aria-label="{label}" '
        f'style="max-width:100%;height:auto"{root}</div>'
    )


def new_graph(name: str, style: Style, rankdir: str) -> DotGraph:
    return DotGraph(
        name,
        graph={
            "rankdir": rankdir,
            "bgcolor": style.background,
            "fontname": style.font,
            "fontsize": style.font_size,
            "nodesep": "0.25",
            "ranksep": "0.6",
            "newrank": "true",
            "outputorder": "edgesfirst",
        },
        node={
            "fontname": style.font,
            "fontsize": style.font_size,
            "fontcolor": style.text,
            "margin": "0.12,0.06",
        },
        edge={
            "color": style.line,
            "arrowsize": "0.7",
            "fontname": style.font,
            "fontsize": style.small_font_size,
        },
    )


def make_diagram(name: str, title: str, g: DotGraph, engine: Engine | None = None) -> Diagram:
    """Pick the engine by size (unless given), add its settings, and wrap up the DOT text."""
    engine = engine or engine_for(g.nodes, g.edges)
    g.attrs(**dot_settings(g.nodes, g.edges, engine))
    return Diagram(
        name=name, title=title, source=g.source(), engine=engine, nodes=g.nodes, edges=g.edges
    )
