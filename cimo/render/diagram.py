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
from collections.abc import Callable, Iterable, Mapping
from typing import TypeAlias

from cimo import edit
from cimo._util import suggest
from cimo.core.vocabulary import KINDS
from cimo.errors import UnknownIdError, UsageError
from cimo.graph import chain_links, element_graph, rule_graph
from cimo.model import Mechanism, Rule, Taxonomy, Theory
from cimo.query import get_rule
from cimo.render._common import State
from cimo.render._figure import Diagram, OutputFormat, make_diagram, new_graph
from cimo.render._look import (
    LEGEND,
    MAX_LABEL_LINES,
    edge_attrs,
    legend_table,
    node_attrs,
    node_tooltip,
    states,
)
from cimo.render.backend import Engine
from cimo.render.dot import DotGraph, Html, html_lines, html_text
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

_LANE_TITLES = {
    "context": "CONTEXTS",
    "intervention": "INTERVENTIONS",
    "rule": "RULES",
    "mechanism": "MECHANISMS",
    "outcome": "OUTCOMES",
}


def focus_ids(theory: Theory, focus: str, *, depth: int = 1) -> frozenset[str]:
    """The node and rule ids of :func:`cimo.edit.focus` ``(theory, node=focus, steps=depth)``.

    That is the rules within ``depth`` rule-steps of ``focus`` (the rules that
    produce or use a node are one step from it; a rule is zero steps from
    itself), and every node those rules name, with ``focus`` itself. So
    ``cimo render --focus ID --depth N`` draws the same part of the theory as
    ``cimo.edit.focus(theory, node=ID, steps=N)``.

    >>> import cimo
    >>> theory = cimo.load_example("work-focused-group-cbt")
    >>> near = focus_ids(theory, "relate", depth=1)
    >>> sorted(i for i in near if i in theory.rule_index), len(near)
    (['figure-4'], 14)
    >>> sorted(focus_ids(theory, "relate", depth=0))
    ['relate']

    Raises:
        UnknownIdError: ``focus`` names no node or rule.
        UsageError: ``depth`` is negative.
    """
    if depth < 0:
        raise UsageError(f"depth must be 0 or more, got {depth}")
    if focus not in theory.index and focus not in theory.rule_index:
        known = [*theory.index, *theory.rule_index]
        raise UnknownIdError(focus, kind="node or rule", suggestions=suggest(focus, known))
    part = edit.focus(theory, node=focus, steps=depth)
    return frozenset(n.id for n in part.nodes) | frozenset(r.id for r in part.rules)


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
    g = new_graph(theory.id, style, "LR")
    g.attrs(label=Html(f"<B>{html_text(theory.title)}</B>"), labelloc="t")
    state = states(highlight)

    by_kind: dict[str, list[str]] = defaultdict(list)
    for node in nodes:
        by_kind[node.kind].append(node.id)
        fill = style.category_colour(node.category) if isinstance(node, Mechanism) else None
        g.node(
            node.id,
            **node_attrs(
                node.kind,
                node.label,
                style,
                fill=fill,
                tooltip=node_tooltip(node.id, node.description),
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
            LEGEND,
            label=legend_table(
                style,
                kinds=[k for k in KINDS if by_kind[k]] + (["rule"] if kept_rules else []),
                categories=categories,
                rules=bool(kept_rules),
                highlight=highlight is not None,
            ),
            shape="plaintext",
            margin="0",
        )
        g.order(f"cimo:lane:{lanes[-1]}", LEGEND)
    return make_diagram("map", theory.title, g, engine)


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
                    **node_attrs(
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
        attrs = edge_attrs(data["role"], style, chain=data["chain"])
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
        attrs = edge_attrs(relation, style, chain=chain or relation == "link")
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
                f"{html_lines(node.label, width, align='LEFT', max_lines=MAX_LABEL_LINES)}"
                "</TD></TR>"
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
    g = new_graph(r.id, style, "TB")
    g.node(r.id, label=_card(theory, r, style), shape="plaintext", margin="0")
    return make_diagram("rule", _rule_label(r), g)


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
    g = new_graph(theory.id, style, "TB")
    g.attrs(label=Html(f"<B>{html_text(theory.title)}</B>"), labelloc="t")
    themes: dict[str | None, list[Rule]] = defaultdict(list)
    for r in rules:
        themes[r.theme].append(r)
    card_state = states(highlight)

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
        LEGEND,
        label=legend_table(
            style,
            kinds=KINDS,
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
            attrs = edge_attrs(look, style, chain=not link.blocking)
            attrs["tooltip"] = str(link)
            g.edge(link.upstream, link.downstream, **attrs)
    return make_diagram("rules", theory.title, g)


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
    g = new_graph(f"{theory.id}-taxonomy", style, "LR")
    title = taxonomy.label if taxonomy else "Mechanisms by category"
    g.attrs(label=Html(f"<B>{html_text(title)}</B>"), labelloc="t")
    root = "cimo:root"
    g.node(root, label=Html(html_lines(theory.title, style.wrap)), shape="box", style="rounded")
    for ident, label, parent, category, top in entries:
        attrs = node_attrs(
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
        LEGEND,
        label=legend_table(
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
    return make_diagram("taxonomy", title, g)


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
