"""A process theory drawn as its authors draw one: phases left to right, dimensions as bands.

Grounded theories and other process models are read as a sequence of phases,
each with dimensions (individual, systemic, ...), a core category, and
feedback loops that carry the process on over time. :func:`process_map`
places each element in the cell of its phase (a column) and its dimension
(a band across all phases), marks the core phase, and draws the edges that
run back to an earlier phase as loops.

* An element's phase is the first of its tags that names a phase; an
  element in no phase goes to a last column (``end_label``).
* Its dimension is its ``dimension`` (contexts), its ``category``
  (mechanisms) or the first of its tags that names a band; an element of a
  phase in no band goes to a strip under the bands ("across dimensions"),
  and an element in neither sits in the last column, across the bands.
* Edges join the elements as :func:`cimo.graph.element_graph` does; an edge
  from a later column to an earlier one is a feedback loop (bold, curved,
  drawn green and bold, as the legend says).

Every node is placed by the view (``neato`` with pinned positions), so the
picture keeps the grid the paper has.

>>> import cimo
>>> theory = cimo.load_example("pwp-resilience")
>>> d = process_map(theory, phases=("phase-1", "phase-2", "phase-3"),
...                 bands=("individual", "work-related", "systemic"), core="phase-2")
>>> d.engine, "CORE CATEGORY" in d.source, "the process over time" in d.source
('neato', True, True)
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from cimo.errors import UsageError
from cimo.graph import element_graph
from cimo.model import Context, Mechanism, Node, Theory
from cimo.render._figure import Diagram, make_diagram, new_graph
from cimo.render._look import edge_attrs, label_html, node_attrs, node_tooltip, node_words
from cimo.render._words import printed_label
from cimo.render.dot import DotGraph, Html, html_lines, html_text
from cimo.render.style import DEFAULT_STYLE, Style

__all__ = ["process_map"]

_COL = 3.4  # inches between column centres
_ROW = 0.95  # inches between stacked elements
_BAND_FILLS = ("#f4f7fb", "#fbf7ef", "#f3f8f1", "#f7f3f9")


def _phase(node: Node, phases: Sequence[str]) -> int:
    return next((i for i, p in enumerate(phases) if p in node.tags), len(phases))


def _band(node: Node, bands: Sequence[str]) -> int | None:
    value = (
        node.dimension
        if isinstance(node, Context)
        else node.category
        if isinstance(node, Mechanism)
        else None
    )
    if value in bands:
        return bands.index(value)
    return next((i for i, b in enumerate(bands) if b in node.tags), None)


def process_map(
    theory: Theory,
    *,
    phases: Sequence[str],
    bands: Sequence[str] = (),
    core: str | None = None,
    end_label: str = "Over time",
    style: Style = DEFAULT_STYLE,
) -> Diagram:
    """The theory as a process: phase columns left to right, dimension bands, loops drawn as loops.

    Args:
        theory: The theory.
        phases: The phases in order: tags its elements carry (often also theme
            ids, whose labels head the columns).
        bands: The dimensions, top to bottom (values of ``dimension``,
            ``category`` or tags).
        core: The phase holding the core category (framed and marked).
        end_label: Heading of the last column (elements in no phase).
        style: Colours and fonts.

    Raises:
        UsageError: ``phases`` is empty, or ``core`` is not one of them.
    """
    style = style.for_theory(theory)
    if not phases:
        raise UsageError("process_map needs the phases (tags of the elements), in order")
    if core is not None and core not in phases:
        raise UsageError(f"core phase {core!r} is not one of the phases {list(phases)}")
    cells: dict[tuple[int, int | None], list[Node]] = defaultdict(list)
    across = len(bands)  # the strip under the bands: elements of a phase in no band
    for node in theory.nodes:
        c, b = _phase(node, phases), _band(node, bands)
        cells[(c, across if b is None and c < len(phases) else b)].append(node)
    n_cols = len(phases) + (1 if any(c == len(phases) for c, _ in cells) else 0)
    names = [*bands, "across dimensions"] if any(b == across for _, b in cells) else list(bands)
    # band heights: the most elements any phase has in the band
    heights = [
        max((len(cells[(c, b)]) for c in range(n_cols)), default=0) for b in range(len(names))
    ]
    heights = [max(h, 1) for h in heights] or [max(len(v) for v in cells.values())]
    tops, y = [], 0.0
    for h in heights:
        tops.append(y)
        y -= h * _ROW + 0.5
    bottom = y + 0.5
    g = new_graph(f"{theory.id}-process", style, "LR")
    g.attrs(
        label=Html(f"<B>{html_lines(theory.title, style.wrap * 3)}</B>"),
        labelloc="t",
        outputorder="nodesfirst",
        splines="true",
        overlap="true",
    )
    _frame(g, theory, phases, names, core, end_label, n_cols, heights, tops, bottom, style)
    column_of: dict[str, int] = {}
    for (c, b), members in cells.items():
        x = c * _COL
        if b is None:  # the last column, in no phase and no band: centred on the whole height
            span_top = tops[0] if tops else 0.0
            start = (span_top + bottom) / 2 + (len(members) - 1) * _ROW / 2
        else:
            start = tops[b] - 0.45
        for k, node in enumerate(members):
            column_of[node.id] = c
            guessed = "label" in node.inferred or (
                isinstance(node, Mechanism) and "category" in node.inferred
            )
            attrs = node_attrs(
                node.kind,
                node_words(node),
                style,
                fill=style.category_colour(node.category) if isinstance(node, Mechanism) else None,
                tooltip=node_tooltip(node),
                printed=printed_label(node),
                inferred=guessed,
            )
            attrs["label"] = Html(
                label_html(node_words(node), 24, printed=printed_label(node), max_lines=None)
            )
            if node.tags and "core-category" in node.tags:
                attrs["penwidth"] = "2.5"
            g.node(
                node.id,
                **attrs,
                pos=f"{x:.2f},{start - k * _ROW:.2f}!",
            )
    _edges(g, theory, column_of, style)
    return make_diagram("process", theory.title, g, "neato")


def _frame(
    g: DotGraph,
    theory: Theory,
    phases: Sequence[str],
    bands: Sequence[str],
    core: str | None,
    end_label: str,
    n_cols: int,
    heights: list[int],
    tops: list[float],
    bottom: float,
    style: Style,
) -> None:
    """Band backgrounds, band names, phase headings and the core-phase frame (placed nodes)."""
    width = n_cols * _COL
    centre_x = (n_cols - 1) * _COL / 2
    for b, name in enumerate(bands):
        h = heights[b] * _ROW + 0.3
        y = tops[b] - h / 2 + 0.15 - 0.3
        g.aside(
            f"cimo:band:{name}",
            label="",
            shape="box",
            style="filled",
            color=_BAND_FILLS[b % len(_BAND_FILLS)],
            fillcolor=_BAND_FILLS[b % len(_BAND_FILLS)],
            width=f"{width + 1.2:.2f}",
            height=f"{h:.2f}",
            fixedsize="true",
            pos=f"{centre_x - 0.4:.2f},{y:.2f}!",
        )
        g.aside(
            f"cimo:bandname:{name}",
            label=Html(f"<B>{html_text(name.upper())}</B>"),
            shape="plaintext",
            fontcolor=style.text,
            pos=f"{-_COL / 2 - 0.35:.2f},{tops[b] - 0.15:.2f}!",
        )
    themes = {t.id: t for t in theory.themes}
    top = (tops[0] if tops else 0.0) + 0.75
    for c in range(n_cols):
        if c < len(phases):
            theme = themes.get(phases[c])
            title = theme.label if theme else phases[c]
            printed = (theme.source_label if theme else None) or f"Phase {c + 1}"
        else:
            title, printed = end_label, ""
        head = f"<B>{html_text(printed.upper())}</B><BR/>" if printed else ""
        g.aside(
            f"cimo:phase:{c}",
            label=Html(head + html_lines(title, 32)),
            shape="plaintext",
            pos=f"{c * _COL:.2f},{top:.2f}!",
        )
    if core is not None:
        c = list(phases).index(core)
        h = (tops[0] if tops else 0.0) - bottom + 2.3
        g.aside(
            "cimo:core",
            label=Html('<FONT POINT-SIZE="10"><B>CORE CATEGORY</B></FONT>'),
            labelloc="t",
            shape="box",
            style="rounded,dashed",
            penwidth="2",
            color=style.kind_border["mechanism"],
            width=f"{_COL - 0.2:.2f}",
            height=f"{h:.2f}",
            fixedsize="true",
            pos=f"{c * _COL:.2f},{bottom + h / 2 - 0.55:.2f}!",
        )
    g.aside(
        "cimo:loops",
        label=Html(
            f'<FONT COLOR="{style.fired}"><B>━━▶</B></FONT> back to an earlier phase: '
            "the process over time"
        ),
        shape="plaintext",
        pos=f"{(n_cols - 1) * _COL:.2f},{bottom - 0.6:.2f}!",
    )


def _edges(g: DotGraph, theory: Theory, column_of: dict[str, int], style: Style) -> None:
    kinds = {n.id: n.kind for n in theory.nodes}
    for u, v, relation, data in element_graph(theory).edges(keys=True, data=True):
        if u not in column_of or v not in column_of:
            continue
        chain = kinds.get(u) == "outcome" and relation in ("enables", "disables")
        attrs = edge_attrs(relation, style, chain=chain)
        attrs["tooltip"] = f"{relation} ({', '.join(data.get('rules', ()))})"
        if column_of[u] > column_of[v]:  # back to an earlier phase: the process goes on
            attrs |= {"penwidth": "2.2", "color": style.fired}
        g.edge(u, v, **attrs)
