"""The theory explorer: one self-contained HTML page to explore a theory with others.

:func:`explorer` draws the theory map with cimo's own DOT builder and
Graphviz's ``dot`` (the same picture as ``cimo render --rule-nodes``: lanes,
shapes, colours, status), then wraps that SVG in one HTML file together with
the theory's data (:mod:`cimo.render._explorer._data`) and the page's
scripts and styles (``web/``). The file needs no server, no network and no
account: every script and style is inline, the fonts are the system's, and a
Content-Security-Policy forbids the page any request.

The page's scenarios run in the browser (``web/engine.js``), a port of
:func:`cimo.query.scenario` and :func:`cimo.query.for_whom` that a property
test checks against them in a real browser.
"""

from __future__ import annotations

import html
import json
import re
from importlib import resources
from pathlib import Path
from typing import Any

from cimo._util import atomic_write
from cimo._version import __version__
from cimo.model import CimoModel, Theory
from cimo.render._explorer._data import explorer_data, reasoning_data
from cimo.render.backend import DEFAULT_TIMEOUT
from cimo.render.diagram import theory_map
from cimo.render.style import DEFAULT_STYLE, Style

__all__ = ["Explorer", "explorer", "explorer_data", "reasoning_data", "web_asset"]


_PLACEHOLDER = re.compile(r"__(?:STYLE|DATA|ENGINE|EXPLORER|VERSION|TITLE)__")


def web_asset(name: str) -> str:
    """The text of one of the page's files (``engine.js``, ``explorer.js``, ...).

    >>> "cimoEngine" in web_asset("engine.js")
    True
    """
    return resources.files(__package__).joinpath("web", name).read_text(encoding="utf-8")


def _script_json(data: Any) -> str:
    """JSON safe inside a ``<script>`` element (no ``</script>`` or ``<!--`` can appear)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _svg_text(svg: str) -> str:
    """The ``<svg>`` element of Graphviz's output, without the XML prolog and doctype."""
    start = svg.find("<svg")
    return svg[start:] if start >= 0 else svg


class Explorer(CimoModel):
    """An explorer page: ``.html`` is the whole file; ``save`` writes it; Jupyter shows it inline.

    >>> import cimo
    >>> from cimo.render import explorer
    >>> page = explorer(cimo.load_example("pwp-resilience"))
    >>> page.html.startswith("<!doctype html>"), "<script src" in page.html
    (True, False)
    >>> print(page)  # doctest: +ELLIPSIS
    explorer of Building resilience in the Psychological Wellbeing Practitioner role: ... KB
    """

    theory: str
    """The id of the theory."""
    title: str
    html: str
    """The whole page: one self-contained HTML file."""

    @property
    def size(self) -> int:
        """The size of the page in bytes (UTF-8)."""
        return len(self.html.encode("utf-8"))

    def __str__(self) -> str:
        return f"explorer of {self.title}: {self.size / 1024:.0f} KB"

    def save(self, path: str | Path) -> Path:
        """Write the page to ``path`` atomically (an existing file is replaced only when done)."""
        return atomic_write(Path(path), self.html)

    def _repr_html_(self) -> str:
        """The page inline in Jupyter, in a sandboxed frame of its own."""
        return (
            f'<iframe title="{html.escape(self.title)}" srcdoc="{html.escape(self.html)}" '
            'style="width:100%;height:680px;border:1px solid #ccc" '
            'sandbox="allow-scripts allow-modals"></iframe>'
        )


def explorer(
    theory: Theory, *, style: Style = DEFAULT_STYLE, timeout: float = DEFAULT_TIMEOUT
) -> Explorer:
    """The theory as one interactive HTML page for team meetings and stakeholder workshops.

    The map is the theory map with rule nodes (:func:`cimo.render.theory_map`
    with ``rules=True``), laid out by Graphviz. On the page: pan and zoom,
    search by label or id, a side panel for any node or rule (its wording as
    printed, description, resource and reasoning, status, theme, every piece
    of evidence), live scenarios (tick contexts and interventions: what fires,
    what is blocked and by what, which outcomes follow and how), "for whom"
    on any outcome, filters (theme, status, iteration, programme theory,
    stated only), focus on a neighbourhood, a presentation mode and a print
    stylesheet. See ``docs/howto-workshop.md``.

    Args:
        theory: The theory.
        style: Colours and fonts of the map (:data:`~cimo.render.style.DEFAULT_STYLE`).
        timeout: Stop Graphviz after this many seconds.

    Returns:
        The page; ``save(path)`` writes it, ``.html`` is its text.

    Raises:
        cimo.render.RenderError: Graphviz's ``dot`` is missing, fails or takes too long.

    >>> import cimo
    >>> page = explorer(cimo.load_example("work-focused-group-cbt"))
    >>> page.size < 500_000
    True
    """
    style = style.for_theory(theory)
    diagram = theory_map(theory, style=style, rules=True)
    data = explorer_data(theory)
    data["svg"] = _svg_text(diagram.svg(timeout=timeout))
    page = web_asset("page.html")
    parts = {
        "__STYLE__": web_asset("explorer.css"),
        "__DATA__": _script_json(data),
        "__ENGINE__": web_asset("engine.js"),
        "__EXPLORER__": web_asset("explorer.js"),
        "__VERSION__": __version__,
        "__TITLE__": html.escape(theory.title),
    }
    # One pass over the template: text put in is never searched for another placeholder.
    page = _PLACEHOLDER.sub(lambda m: parts[m.group(0)], page)
    return Explorer(theory=theory.id, title=theory.title, html=page)
