"""Diagrams of a theory: the theory map, rule cards and the taxonomy tree.

Each view returns a :class:`Diagram`: the DOT text plus the layout engine
picked for its size. A diagram shows itself inline in Jupyter (as SVG), and
:meth:`Diagram.render` / :meth:`Diagram.save` run Graphviz through
:mod:`cimo.render.backend`. Writing DOT needs no Graphviz at all.

>>> import cimo
>>> from cimo.render import theory_map
>>> theory = cimo.load_example("work-focused-group-cbt")
>>> d = theory_map(theory)
>>> d.engine, d.source.startswith('digraph "work-focused-group-cbt"')
('dot', True)
>>> '"recurrent-depression"' in d.source
True
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping
from pathlib import Path
from typing import Literal, TypeAlias

import networkx as nx

from cimo._util import suggest
from cimo.errors import RenderError, UnknownIdError, UsageError
from cimo.graph import chain_links, element_graph, rule_graph
from cimo.io import atomic_write
from cimo.model import CimoModel, Mechanism, Rule, Taxonomy, Theory
from cimo.render._common import State, get_rule
from cimo.render.backend import (
    DEFAULT_TIMEOUT,
    Engine,
    ImageFormat,
    dot_settings,
    engine_for,
    run_graphviz,
)
from cimo.render.dot import DotGraph, Html, html_lines, html_text
from cimo.render.dot import tooltip as tooltip_text
from cimo.render.highlight import Highlight
from cimo.render.style import DEFAULT_STYLE, Style
from cimo.taxonomy import resolve_taxonomy

__all__ = [
    "Diagram",
    "OutputFormat",
    "focus_ids",
    "rule_card",
    "rule_cards",
    "taxonomy_tree",
    "theory_map",
]

#: Every format a diagram can be saved in.
OutputFormat: TypeAlias = Literal["svg", "png", "pdf", "dot"]
_SUFFIXES: dict[str, OutputFormat] = {
    ".svg": "svg",
    ".png": "png",
    ".pdf": "pdf",
    ".dot": "dot",
    ".gv": "dot",
}
_KINDS = ("context", "intervention", "mechanism", "outcome")
# Ids of the parts of a picture that are not the theory's: a colon cannot occur in a cimo id.
_LEGEND = "cimo:legend"
_LANE_TITLES = {
    "context": "CONTEXTS",
    "intervention": "INTERVENTIONS",
    "rule": "RULES",
    "mechanism": "MECHANISMS",
    "outcome": "OUTCOMES",
}
# Above this many nodes, dot's crossing minimisation and network simplex are capped.
_TUNE_ABOVE = 300


class Diagram(CimoModel):
    """A diagram as DOT text, with the engine chosen for its size.

    It shows inline in Jupyter (``_repr_svg_``; needs Graphviz), and
    ``str(diagram)`` describes it in words.
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
            f"{self.name} of {self.title}: {self.nodes} nodes, {self.edges} edges ({self.engine})"
        )

    def render(self, format: ImageFormat = "svg", *, timeout: float = DEFAULT_TIMEOUT) -> bytes:
        """Lay out and draw the diagram with Graphviz.

        Raises:
            cimo.render.RenderError: Graphviz is missing, rejects the DOT, or takes too long.
        """
        return run_graphviz(self.source, format=format, engine=self.engine, timeout=timeout)

    def svg(self, *, timeout: float = DEFAULT_TIMEOUT) -> str:
        """The diagram as SVG text."""
        return self.render("svg", timeout=timeout).decode("utf-8")

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
        fmt = format or _SUFFIXES.get(path.suffix.lower())
        if fmt is None:
            raise UsageError(
                f"cannot tell the format of {str(path)!r} from its suffix; "
                "use .svg, .png, .pdf or .dot, or pass format="
            )
        data = self.source.encode("utf-8") if fmt == "dot" else self.render(fmt, timeout=timeout)
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
        """SVG and a plain-text description; without Graphviz, the description says why."""
        try:
            bundle = {"image/svg+xml": self.svg(), "text/plain": str(self)}
        except RenderError as err:
            bundle = {"text/plain": f"{self}\n{err}"}
        if include:
            bundle = {k: v for k, v in bundle.items() if k in include}
        if exclude:
            bundle = {k: v for k, v in bundle.items() if k not in exclude}
        return bundle


# --------------------------------------------------------------------------- helpers


def _new_graph(name: str, style: Style, rankdir: str) -> DotGraph:
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
        edge={"color": style.line, "arrowsize": "0.7", "fontname": style.font, "fontsize": "9"},
    )


def _diagram(name: str, title: str, g: DotGraph, engine: Engine | None = None) -> Diagram:
    """Pick the engine by size (unless given), add its settings, and wrap up the DOT text."""
    engine = engine or engine_for(g.nodes, g.edges)
    g.attrs(**dot_settings(g.nodes, g.edges, engine))
    return Diagram(
        name=name, title=title, source=g.source(), engine=engine, nodes=g.nodes, edges=g.edges
    )


def focus_ids(theory: Theory, focus: str, *, depth: int = 1) -> frozenset[str]:
    """The node and rule ids within ``depth`` steps of ``focus`` in the rule graph.

    Steps follow edges either way (:func:`cimo.graph.rule_graph`, undirected),
    so depth 1 around a mechanism keeps the rules it belongs to.

    >>> import cimo
    >>> theory = cimo.load_example("work-focused-group-cbt")
    >>> sorted(focus_ids(theory, "relate", depth=1))
    ['figure-4', 'relate']

    Raises:
        UnknownIdError: ``focus`` names no node or rule.
        UsageError: ``depth`` is negative.
    """
    if depth < 0:
        raise UsageError(f"depth must be 0 or more, got {depth}")
    g = rule_graph(theory)
    if focus not in g:
        raise UnknownIdError(focus, kind="node or rule", suggestions=suggest(focus, list(g)))
    reach = nx.single_source_shortest_path_length(g.to_undirected(as_view=True), focus, depth)
    return frozenset(reach)


def _node_attrs(
    kind: str,
    label: str,
    style: Style,
    *,
    fill: str | None = None,
    tooltip: str | None = None,
    state: State = "plain",
) -> dict[str, str | Html | None]:
    attrs: dict[str, str | Html | None] = {
        "label": Html(html_lines(label, style.wrap)),
        "shape": style.kind_shape[kind],
        "style": style.kind_style[kind],
        "fillcolor": fill or style.kind_fill[kind],
        "color": style.kind_border[kind],
        "tooltip": tooltip_text(tooltip) if tooltip is not None else None,
    }
    if kind == "outcome":
        attrs["peripheries"] = "2"
    if state == "off":
        attrs |= {"fillcolor": "#ffffff", "color": style.greyed, "fontcolor": style.greyed}
    elif state == "on":
        attrs |= {"color": style.fired, "penwidth": "2.5"}
    elif state == "blocked":
        attrs |= {"color": style.blocked, "penwidth": "2.5", "style": "filled,dashed"}
    return attrs


_EDGE_LOOK: dict[str, dict[str, str]] = {
    "enables": {},
    "triggers": {},
    "produces": {},
    "if": {},
    "with": {},
    "because": {},
    "then": {},
    "unless": {"style": "dashed", "arrowhead": "tee", "penwidth": "1.4"},
    "disables": {"style": "dashed", "arrowhead": "tee", "penwidth": "1.4"},
    "reduces": {"arrowhead": "tee", "style": "dotted", "penwidth": "1.4"},
    "link": {"style": "dotted", "arrowhead": "odot", "constraint": "false", "penwidth": "1.6"},
}


def _edge_attrs(relation: str, style: Style, *, chain: bool) -> dict[str, str | Html | None]:
    attrs: dict[str, str | Html | None] = dict(_EDGE_LOOK[relation])
    if relation in ("unless", "disables"):
        attrs["color"] = style.disabling
    elif relation == "reduces":
        attrs["color"] = style.reduces
    if chain or relation == "link":
        attrs |= {"color": style.chain, "penwidth": "2", "constraint": "false"}
    return attrs


def _legend(
    style: Style,
    *,
    kinds: Iterable[str],
    categories: Iterable[str | None],
    rules: bool,
    highlight: bool,
    edges: bool = True,
    chain: bool = True,
    notes: Iterable[tuple[str, str]] = (),
) -> Html:
    def swatch(kind: str, text: str, fill: str) -> str:
        return (
            f'<TR><TD BGCOLOR="{fill}" BORDER="1" COLOR="{style.kind_border[kind]}" '
            f'WIDTH="28"> </TD><TD ALIGN="LEFT">{html_text(text)}</TD></TR>'
        )

    def line(colour: str, glyph: str, text: str) -> str:
        return (
            f'<TR><TD><FONT COLOR="{colour}"><B>{html_text(glyph)}</B></FONT></TD>'
            f'<TD ALIGN="LEFT">{html_text(text)}</TD></TR>'
        )

    rows = ['<TR><TD COLSPAN="2"><B>Legend</B></TD></TR>']
    names = {"context": "Context", "intervention": "Intervention", "outcome": "Outcome (double)"}
    for kind in kinds:
        if kind == "mechanism":
            for category in categories:
                text = f"Mechanism: {category}" if category else "Mechanism"
                rows.append(swatch("mechanism", text, style.category_colour(category)))
        else:
            rows.append(swatch(kind, names.get(kind, kind.capitalize()), style.kind_fill[kind]))
    if edges:
        rows.append(line(style.line, "──▶", "enables / triggers / produces"))
        rows.append(line(style.disabling, "- - ┤", "UNLESS: disables"))
        rows.append(line(style.reduces, "··· ┤", "reduces"))
    if chain:
        rows.append(line(style.chain, "━━▶", "chain: an outcome feeds a later rule"))
    if edges and chain:
        rows.append(line(style.chain, "···○", "link: an outcome is this context"))
    rows.extend(line(style.text, glyph, text) for glyph, text in notes)
    if highlight:
        rows.append(line(style.fired, "▢", "picked out (fired, active, expected)"))
        rows.append(
            line(style.blocked, "▢", "blocked rule (dashed)" if rules else "a blocked rule's edges")
        )
        rows.append(line(style.greyed, "▢", "not reached"))
    body = "".join(rows)
    return Html(
        f'<TABLE BORDER="1" BGCOLOR="{style.background}" CELLBORDER="0" CELLSPACING="2" '
        f'CELLPADDING="3">{body}</TABLE>'
    )


def _states(highlight: Highlight | None) -> Callable[[str], State]:
    """How each id is shown under a highlight (sets built once: linear in the theory)."""
    if highlight is None:
        return lambda ident: "plain"
    picked = set(highlight.nodes) | set(highlight.rules)
    blocked = set(highlight.blocked)

    def state(ident: str) -> State:
        if ident in blocked:
            return "blocked"
        return "on" if ident in picked else "off"

    return state


def _node_tooltip(node_id: str, description: str | None) -> str:
    return f"{node_id}: {description}" if description else node_id


# --------------------------------------------------------------------------- theory map


def theory_map(
    theory: Theory,
    *,
    style: Style = DEFAULT_STYLE,
    rules: bool = False,
    clusters: bool = True,
    legend: bool = True,
    highlight: Highlight | None = None,
    focus: str | None = None,
    depth: int = 1,
    engine: Engine | None = None,
) -> Diagram:
    """The whole theory in four lanes, left to right: contexts, interventions, mechanisms, outcomes.

    Shapes and colours follow the kind; mechanisms are coloured by category.
    UNLESS edges are dashed with a bar head, REDUCES edges dotted with a bar
    head, chains bold (an outcome feeding a later rule, or an explicit link
    from an outcome to the context it is). With ``rules=True`` each rule is a
    node of its own in a fifth lane, boxed by theme (``clusters``); without,
    edges join the elements directly (:func:`cimo.graph.element_graph`) and
    each edge's tooltip lists its rules.

    Args:
        theory: The theory.
        style: Colours, shapes, fonts (:data:`~cimo.render.style.DEFAULT_STYLE`).
        rules: Show each rule as a node.
        clusters: Box rule nodes by theme.
        legend: Add a legend.
        highlight: Pick these ids out and grey the rest (:meth:`Highlight.of` a result).
        focus: Keep only what lies within ``depth`` steps of this id (:func:`focus_ids`).
        depth: Steps around ``focus``.
        engine: Force a layout engine (default: chosen by size,
            :func:`~cimo.render.backend.engine_for`).

    Returns:
        The diagram.

    >>> import cimo
    >>> theory = cimo.load_example("pwp-resilience")
    >>> d = theory_map(theory, rules=True)
    >>> 'arrowhead="tee"' in d.source and 'subgraph "cluster_theme_0"' in d.source
    True
    """
    keep = focus_ids(theory, focus, depth=depth) if focus is not None else None
    nodes = [n for n in theory.nodes if keep is None or n.id in keep]
    kept_rules = [r for r in theory.rules if keep is None or r.id in keep] if rules else []
    g = _new_graph(theory.id, style, "LR")
    g.attrs(label=Html(f"<B>{html_text(theory.title)}</B>"), labelloc="t")
    state = _states(highlight)

    by_kind: dict[str, list[str]] = defaultdict(list)
    for node in nodes:
        by_kind[node.kind].append(node.id)
        fill = style.category_colour(node.category) if isinstance(node, Mechanism) else None
        g.node(
            node.id,
            **_node_attrs(
                node.kind,
                node.label,
                style,
                fill=fill,
                tooltip=_node_tooltip(node.id, node.description),
                state=state(node.id),
            ),
        )
    lanes = [k for k in ("context", "intervention") if by_kind[k]]
    if kept_rules:
        lanes.append("rule")
        _add_rule_nodes(g, kept_rules, style, clusters=clusters, state=state)
        by_kind["rule"] = [r.id for r in kept_rules]
    lanes += [k for k in ("mechanism", "outcome") if by_kind[k]]
    _add_lanes(g, lanes, by_kind, style)

    kept_ids = {n.id for n in nodes} | {r.id for r in kept_rules}
    if rules:
        _add_rule_edges(g, theory, kept_ids, style, state)
    else:
        _add_element_edges(g, theory, kept_ids, style, state)

    if legend and lanes:
        categories = sorted(
            {n.category for n in nodes if isinstance(n, Mechanism)}, key=lambda c: c or ""
        )
        g.aside(
            _LEGEND,
            label=_legend(
                style,
                kinds=[k for k in ("context", "intervention", "mechanism", "outcome") if by_kind[k]]
                + (["rule"] if kept_rules else []),
                categories=categories,
                rules=bool(kept_rules),
                highlight=highlight is not None,
            ),
            shape="plaintext",
            margin="0",
        )
        g.order(f"cimo:lane:{lanes[-1]}", _LEGEND)
    return _diagram("map", theory.title, g, engine)


def _add_lanes(
    g: DotGraph, lanes: list[str], by_kind: Mapping[str, list[str]], style: Style
) -> None:
    """One column per kind, headed by its name, kept in order by invisible edges."""
    for kind in lanes:
        with g.subgraph(f"lane_{kind}", rank="same"):
            g.aside(
                f"cimo:lane:{kind}",
                label=Html(f"<B>{_LANE_TITLES[kind]}</B>"),
                shape="plaintext",
                fontcolor=style.kind_border[kind],
            )
            for ident in by_kind[kind]:
                g.place(ident)
    for left, right in itertools.pairwise(lanes):
        g.order(f"cimo:lane:{left}", f"cimo:lane:{right}")


def _rule_label(rule: Rule) -> str:
    name = rule.source_label or rule.id
    return name if name == rule.id else f"{rule.id}: {name}"


def _add_rule_nodes(
    g: DotGraph,
    rules: list[Rule],
    style: Style,
    *,
    clusters: bool,
    state: Callable[[str], State],
) -> None:
    themes: dict[str | None, list[Rule]] = defaultdict(list)
    for rule in rules:
        themes[rule.theme if clusters else None].append(rule)
    for i, (theme, members) in enumerate(themes.items()):

        def add(members: list[Rule] = members) -> None:
            for rule in members:
                g.node(
                    rule.id,
                    **_node_attrs(
                        "rule",
                        _rule_label(rule),
                        style,
                        tooltip=rule.statement or rule.id,
                        state=state(rule.id),
                    ),
                )

        if theme is None:
            add()
            continue
        with g.subgraph(
            f"cluster_theme_{i}",
            label=Html(html_lines(theme, 40)),
            style="rounded,dashed",
            color=style.kind_border["rule"],
            fontcolor=style.text,
            fontsize=style.font_size,
        ):
            add()


def _edge_state(
    rules: Iterable[str], style: Style, state: Callable[[str], State]
) -> dict[str, str | Html | None]:
    """How an edge looks under a highlight, from the states of the rules behind it."""
    states = {state(r) for r in rules}
    if not states or "plain" in states:  # an explicit link has no rules behind it
        return {}
    if "blocked" in states:
        return {"color": style.blocked, "penwidth": "2"}
    if "on" in states:
        return {"color": style.fired, "penwidth": "2"}
    return {"color": style.greyed}


def _add_rule_edges(
    g: DotGraph, theory: Theory, kept: set[str], style: Style, state: Callable[[str], State]
) -> None:
    rg = rule_graph(theory)
    for u, v, data in rg.edges(data=True):
        if u not in kept or v not in kept:
            continue
        rule = v if data["role"] in ("if", "unless", "with") else u
        attrs = _edge_attrs(data["role"], style, chain=data["chain"])
        attrs |= _edge_state((rule,), style, state)
        g.edge(u, v, **attrs)


def _add_element_edges(
    g: DotGraph, theory: Theory, kept: set[str], style: Style, state: Callable[[str], State]
) -> None:
    kinds = {n.id: n.kind for n in theory.nodes}
    eg = element_graph(theory)
    for u, v, relation, data in eg.edges(keys=True, data=True):
        if u not in kept or v not in kept:
            continue
        chain = kinds.get(u) == "outcome" and relation in ("enables", "disables")
        attrs = _edge_attrs(relation, style, chain=chain or relation == "link")
        if relation == "link":
            attrs["tooltip"] = f"{u} is {v}"
        else:
            attrs["tooltip"] = f"{relation} ({', '.join(data['rules'])})"
        attrs |= _edge_state(data["rules"], style, state)
        g.edge(u, v, **attrs)


# --------------------------------------------------------------------------- rule cards


def _card(theory: Theory, rule: Rule, style: Style, state: State = "plain") -> Html:
    width = style.wrap + 12

    def items(ids: Iterable[str]) -> str:
        out = []
        for ident in ids:
            node = theory.index[ident]
            fill = (
                style.category_colour(node.category)
                if isinstance(node, Mechanism)
                else style.kind_fill[node.kind]
            )
            out.append(
                f'<TR><TD ALIGN="LEFT" BALIGN="LEFT" BGCOLOR="{fill}">'
                f"{html_lines(node.label, width, align='LEFT')}</TD></TR>"
            )
        return "".join(out)

    def row(word: str, ids: tuple[str, ...], colour: str = style.text) -> str:
        if not ids:
            return ""
        inner = f'<TABLE BORDER="0" CELLSPACING="1" CELLPADDING="3">{items(ids)}</TABLE>'
        return (
            f'<TR><TD ALIGN="RIGHT" VALIGN="TOP"><FONT COLOR="{colour}"><B>{word}</B></FONT></TD>'
            f"<TD>{inner}</TD></TR>"
        )

    n_ev = len(rule.evidence)
    head_colour = style.blocked if state == "blocked" else style.text
    mode = " (any of)" if rule.mechanism_mode == "alternatives" and len(rule.mechanisms) > 1 else ""
    title = html_lines(_rule_label(rule), width + 10, align="LEFT")
    sub = html_text(
        f"{rule.status} · {n_ev} piece{'s' if n_ev != 1 else ''} of evidence"
        + (f" · {rule.theme}" if rule.theme else "")
        + (" · BLOCKED" if state == "blocked" else "")
    )
    rows = [
        f'<TR><TD COLSPAN="2" ALIGN="LEFT" BALIGN="LEFT" BGCOLOR="{style.kind_fill["rule"]}">'
        f'<FONT COLOR="{head_colour}"><B>{title}</B></FONT><BR ALIGN="LEFT"/>'
        f'<FONT POINT-SIZE="9">{sub}</FONT><BR ALIGN="LEFT"/></TD></TR>',
        row("IF", rule.contexts),
        row("UNLESS", rule.unless, style.disabling),
        row("WITH", rule.interventions),
        row("THEN", rule.outcomes),
        row("REDUCES", rule.reduces, style.reduces),
        row("BECAUSE" + mode, rule.mechanisms),
    ]
    if rule.missing:
        rows.append(
            f'<TR><TD COLSPAN="2" ALIGN="LEFT"><I>incomplete: no '
            f"{html_text(', '.join(rule.missing))}</I></TD></TR>"
        )
    border = {"on": style.fired, "blocked": style.blocked, "off": style.greyed}.get(
        state, style.kind_border["rule"]
    )
    return Html(
        f'<TABLE BORDER="1" COLOR="{border}" BGCOLOR="{style.background}" '
        'CELLBORDER="0" CELLSPACING="2" CELLPADDING="4">' + "".join(rows) + "</TABLE>"
    )


def rule_card(theory: Theory, rule: str, *, style: Style = DEFAULT_STYLE) -> Diagram:
    """One configuration as an IF / UNLESS / WITH / THEN / BECAUSE panel with status and evidence.

    >>> import cimo
    >>> theory = cimo.load_example("work-focused-group-cbt")
    >>> card = rule_card(theory, "figure-4")
    >>> "BECAUSE (any of)" in card.source and "2 pieces of evidence" in card.source
    True

    Raises:
        UnknownIdError: ``rule`` is not a rule of the theory.
    """
    r = get_rule(theory, rule)
    g = _new_graph(r.id, style, "TB")
    g.node(r.id, label=_card(theory, r, style), shape="plaintext", margin="0")
    return _diagram("rule", _rule_label(r), g)


def rule_cards(
    theory: Theory,
    *,
    style: Style = DEFAULT_STYLE,
    columns: int = 3,
    highlight: Highlight | None = None,
    focus: str | None = None,
    depth: int = 1,
) -> Diagram:
    """Every rule as a card, boxed by theme, joined by chain edges (``cimo render --view rules``).

    >>> import cimo
    >>> d = rule_cards(cimo.load_example("pwp-resilience"))
    >>> d.nodes == len(cimo.load_example("pwp-resilience").rules)
    True
    """
    keep = focus_ids(theory, focus, depth=depth) if focus is not None else None
    rules = [r for r in theory.rules if keep is None or r.id in keep]
    g = _new_graph(theory.id, style, "TB")
    g.attrs(label=Html(f"<B>{html_text(theory.title)}</B>"), labelloc="t")
    themes: dict[str | None, list[Rule]] = defaultdict(list)
    for r in rules:
        themes[r.theme].append(r)
    card_state = _states(highlight)

    previous_row: str | None = None
    for i, (theme, members) in enumerate(themes.items()):
        # Stack the theme boxes: the last row of one theme above the first card of the next.
        if previous_row is not None:
            g.order(previous_row, members[0].id)
        previous_row = members[(len(members) - 1) // columns * columns].id
        with g.subgraph(
            f"cluster_theme_{i}",
            label=Html(f"<B>{html_text(theme)}</B>") if theme else None,
            style="rounded,dashed" if theme else "invis",
            color=style.kind_border["rule"],
        ):
            for j, r in enumerate(members):
                g.node(
                    r.id,
                    label=_card(theory, r, style, card_state(r.id)),
                    shape="plaintext",
                    group="first" if j % columns == 0 else None,
                )
            # A grid in file order: rows of `columns` cards, left to right, top to bottom.
            for start in range(0, len(members), columns):
                row = members[start : start + columns]
                with g.subgraph(f"row_{i}_{start}", rank="same"):
                    for left, right in itertools.pairwise(row):
                        g.order(left.id, right.id)
            for a, b in zip(members, members[columns:], strict=False):
                g.order(a.id, b.id)
    g.aside(
        _LEGEND,
        label=_legend(
            style,
            kinds=_KINDS,
            categories=sorted({m.category for m in theory.mechanisms}, key=lambda c: c or ""),
            rules=True,
            highlight=highlight is not None,
            edges=False,
            notes=[("- - ┤", "UNLESS: an outcome blocks a rule")],
        ),
        shape="plaintext",
    )
    kept = {r.id for r in rules}
    seen: set[tuple[str, str]] = set()
    for link in chain_links(theory):
        pair = (link.upstream, link.downstream)
        if link.upstream in kept and link.downstream in kept and pair not in seen:
            seen.add(pair)
            look = "unless" if link.blocking else "if"
            attrs = _edge_attrs(look, style, chain=not link.blocking)
            attrs["tooltip"] = str(link)
            g.edge(link.upstream, link.downstream, **attrs)
    return _diagram("rules", theory.title, g)


# --------------------------------------------------------------------------- taxonomy tree


def taxonomy_tree(theory: Theory, *, style: Style = DEFAULT_STYLE) -> Diagram:
    """The theory's mechanism taxonomy as a tree: mechanisms -> themes -> subthemes.

    Entries are coloured by category; entries a mechanism of the theory sits
    at are drawn bold and marked ``●``. A theory without a taxonomy gets the
    tree its mechanisms' categories make (category -> mechanism).

    >>> import cimo
    >>> d = taxonomy_tree(cimo.load_example("work-focused-group-cbt"))
    >>> d.nodes
    43
    """
    taxonomy = resolve_taxonomy(theory)
    entries = _taxonomy_entries(taxonomy) if taxonomy else _category_entries(theory)
    used = {m.taxon for m in theory.mechanisms if m.taxon}
    g = _new_graph(f"{theory.id}-taxonomy", style, "LR")
    title = taxonomy.label if taxonomy else "Mechanisms by category"
    g.attrs(label=Html(f"<B>{html_text(title)}</B>"), labelloc="t")
    root = "cimo:root"
    g.node(root, label=Html(html_lines(theory.title, style.wrap)), shape="box", style="rounded")
    for ident, label, parent, category, top in entries:
        attrs = _node_attrs(
            "mechanism",
            label if ident not in used else f"{label} ●",
            style,
            fill=style.category_colour(category),
            tooltip=ident,
        )
        attrs["shape"] = "ellipse" if top else "box"
        if ident in used:
            attrs["penwidth"] = "2.5"
        g.node(ident, **attrs)
        g.edge(parent or root, ident)
    g.aside(
        _LEGEND,
        label=_legend(
            style,
            kinds=("mechanism",),
            categories=sorted({e[3] for e in entries}, key=lambda c: c or ""),
            rules=False,
            highlight=False,
            edges=False,
            chain=False,
            notes=[("●", "a mechanism of the theory sits here")] if taxonomy else [],
        ),
        shape="plaintext",
    )
    return _diagram("taxonomy", title, g)


# (id, label, parent, category, top rank?)
_Entry: TypeAlias = tuple[str, str, str | None, str | None, bool]


def _taxonomy_entries(taxonomy: Taxonomy) -> list[_Entry]:
    category_of: dict[str, str | None] = {}
    entries: list[_Entry] = []
    for taxon in taxonomy.taxa:
        category = taxon.category or (category_of.get(taxon.parent) if taxon.parent else None)
        category_of[taxon.id] = category
        entries.append(
            (taxon.id, taxon.label, taxon.parent, category, taxon.rank == taxonomy.ranks[0])
        )
    return entries


def _category_entries(theory: Theory) -> list[_Entry]:
    entries: list[_Entry] = []
    seen: set[str] = set()
    for m in theory.mechanisms:
        cat = m.category or "uncategorised"
        key = f"cimo:category:{cat}"
        if key not in seen:
            seen.add(key)
            entries.append((key, cat, None, m.category, True))
        entries.append((m.id, m.label, key, m.category, False))
    return entries
