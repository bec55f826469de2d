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
from typing import Literal, TypeAlias

from cimo.core.vocabulary import KINDS
from cimo.graph import element_graph, rule_graph
from cimo.model import Mechanism, Rule, Taxonomy, Theory
from cimo.render._anyof import add_nested_edges
from cimo.render._cards import rule_card, rule_cards
from cimo.render._common import State
from cimo.render._figure import Diagram, OutputFormat, make_diagram, new_graph
from cimo.render._focus import focus_ids, focused, rule_label, theme_names
from cimo.render._look import (
    LEGEND,
    add_legend,
    categories,
    edge_attrs,
    edge_key,
    legend_table,
    node_attrs,
    node_tooltip,
    node_words,
    rule_attrs,
    state_attrs,
    states,
    status_edge,
)
from cimo.render._words import printed_label
from cimo.render.backend import Engine
from cimo.render.dot import DotGraph, Html, html_lines, html_text, tooltip
from cimo.render.highlight import Highlight
from cimo.render.rows import configuration_rows
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

# The legend entry of a rule node's status.
_STATUS_KEY = {
    "supported": "supported",
    "refined": "supported",
    "hypothesised": "hypothesised",
    "refuted": "refuted-rule",
}
_LANE_TITLES = {
    "context": "CONTEXTS",
    "intervention": "INTERVENTIONS",
    "rule": "RULES",
    "mechanism": "MECHANISMS",
    "outcome": "OUTCOMES",
}


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
    layout: Literal["lanes", "rows"] = "lanes",
) -> Diagram:
    """The whole theory in four lanes, left to right: contexts, interventions, mechanisms, outcomes.

    With ``layout="rows"`` the theory is drawn as a table instead, one
    configuration per row, C | (I) | M | O, under its themes
    (:func:`cimo.render.rows.configuration_rows`; the other options do not apply).

    Shapes and colours follow the kind; mechanisms are coloured by category.
    Each element shows the label the source printed ("C1") in bold before its
    wording. UNLESS edges are dashed with a bar head, REDUCES edges dotted
    with a bar head, chains bold (an outcome feeding a later rule, or an
    explicit link from an outcome to the context it is). A rule's status
    shows: what only hypothesised rules draw is dashed, what only refuted
    rules draw is grey (a refuted rule node is also struck through). The
    mechanisms of a rule whose mechanisms are alternatives meet at an "or"
    junction ("?" when the source does not say how they combine); so do the
    members of an ``if_any`` group, on their way into the rule (into its
    mechanisms without rule nodes), and a context one mechanism ``requires``
    points at that mechanism. What the
    encoder inferred is dashed grey. The theory's relations are drawn by type.
    With ``rules=True`` each rule is a node of its own in a fifth lane (with
    its actor), boxed by theme (``clusters``); without, edges join the
    elements directly (:func:`cimo.graph.element_graph`) and each edge's
    tooltip lists its rules. The legend lists only what the picture shows.

    Args:
        theory: The theory.
        style: Colours, shapes, fonts (:data:`~cimo.render.style.DEFAULT_STYLE`).
        rules: Show each rule as a node.
        clusters: Box rule nodes by theme.
        legend: Add a legend.
        highlight: Pick these ids out and grey the rest (:meth:`Highlight.of` a result).
        focus: Keep only what lies within ``depth`` steps of this id (:func:`focused`).
        depth: Steps around ``focus``.
        engine: Force a layout engine (default: chosen by size,
            :func:`~cimo.render.backend.engine_for`).
        layout: ``lanes`` (the map) or ``rows`` (one configuration per row).

    Returns:
        The diagram.

    >>> import cimo
    >>> theory = cimo.load_example("pwp-resilience")
    >>> d = theory_map(theory, rules=True)
    >>> 'arrowhead="tee"' in d.source and 'subgraph "cluster_theme_0"' in d.source
    True
    """
    style = style.for_theory(theory)
    if layout == "rows":
        return configuration_rows(theory, style=style)
    # Draw the focused part itself: no edge or legend entry of a rule outside it.
    theory = focused(theory, focus, depth=depth) if focus is not None else theory
    nodes = list(theory.nodes)
    kept_rules = list(theory.rules) if rules else []
    g = new_graph(theory.id, style, "LR")
    g.attrs(label=Html(f"<B>{html_lines(theory.title, style.wrap * 3)}</B>"), labelloc="t")
    state = states(highlight)
    shown: set[str] = set()

    by_kind: dict[str, list[str]] = defaultdict(list)
    # Without rule nodes, a mechanism names the actors of its rules (whose reasoning it is).
    actors: dict[str, dict[str, None]] = defaultdict(dict)
    for rule in theory.rules:
        if rule.actor and not rules:
            for m in rule.mechanisms:
                actors[m][rule.actor] = None
    for node in nodes:
        by_kind[node.kind].append(node.id)
        fill = style.category_colour(node.category) if isinstance(node, Mechanism) else None
        guessed = "label" in node.inferred or (
            isinstance(node, Mechanism) and "category" in node.inferred
        )
        shown |= {"inferred"} if guessed else set()
        g.node(
            node.id,
            **node_attrs(
                node.kind,
                node_words(node),
                style,
                fill=fill,
                tooltip=node_tooltip(node),
                state=state(node.id),
                printed=printed_label(node),
                inferred=guessed,
                actors=actors.get(node.id, ()),
            ),
        )
    shown |= {"actor"} if actors else set()
    lanes = [k for k in ("context", "intervention") if by_kind[k]]
    if kept_rules:
        lanes.append("rule")
        _add_rule_nodes(g, theory, kept_rules, style, clusters=clusters, state=state)
        by_kind["rule"] = [r.id for r in kept_rules]
        shown |= {_STATUS_KEY[r.status] for r in kept_rules}
    lanes += [k for k in ("mechanism", "outcome") if by_kind[k]]
    _add_lanes(g, lanes, by_kind, style)

    kept_ids = {n.id for n in nodes} | {r.id for r in kept_rules}
    if rules:
        shown |= _add_rule_edges(g, theory, kept_ids, style, state)
    else:
        shown |= _add_element_edges(g, theory, kept_ids, style, state)
    shown |= add_nested_edges(g, theory, kept_ids, style, state, rules=rules)
    shown |= draw_relations(g, theory, kept_ids, style)

    if legend and lanes:
        if highlight is not None:
            shown |= {"picked", "greyed", "blocked-card" if kept_rules else "blocked-edge"}
        last = by_kind[lanes[-1]]
        add_legend(
            g,
            style,
            kinds=[k for k in KINDS if by_kind[k]] + (["rule"] if kept_rules else []),
            categories=categories(n for n in nodes if isinstance(n, Mechanism)),
            keys=shown,
            after=last[len(last) // 2],  # beside the middle of the last lane
        )
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
        for ident in by_kind[kind]:  # the heading first in its column, and close to it
            g.order(f"cimo:lane:{kind}", ident)
    for left, right in itertools.pairwise(lanes):
        g.order(f"cimo:lane:{left}", f"cimo:lane:{right}")


def _add_rule_nodes(
    g: DotGraph,
    theory: Theory,
    rules: list[Rule],
    style: Style,
    *,
    clusters: bool,
    state: Callable[[str], State],
) -> None:
    names = theme_names(theory)
    themes: dict[str | None, list[Rule]] = defaultdict(list)
    for rule in rules:
        themes[rule.theme if clusters else None].append(rule)
    for i, (theme, members) in enumerate(themes.items()):

        def add(members: list[Rule] = members) -> None:
            for rule in members:
                g.node(rule.id, **rule_attrs(rule, rule_label(rule), style, state(rule.id)))

        if theme is None:
            add()
            continue
        with g.subgraph(
            f"cluster_theme_{i}",
            label=Html(html_lines(names.get(theme, theme), 40)),
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


def _is_junction(rule: Rule) -> bool:
    return rule.mechanism_mode in ("alternatives", "unstated") and len(rule.mechanisms) > 1


def _junction(
    g: DotGraph, rule: Rule, style: Style, state: Callable[[str], State]
) -> tuple[str, str]:
    """Add the "or" (or "?") node where a rule's mechanisms meet; its id and legend key."""
    ident = f"cimo:or:{rule.id}"
    alternatives = rule.mechanism_mode == "alternatives"
    tip = "any one of the mechanisms" if alternatives else "combination of mechanisms unstated"
    attrs: dict[str, str | Html | None] = {
        "label": "or" if alternatives else "?",
        "shape": "circle",
        "fixedsize": "true",
        "width": "0.34",
        "fontsize": style.small_font_size,
        "style": "filled" if alternatives else "filled,dashed",
        "fillcolor": style.background,
        "color": style.line,
        "tooltip": f"{rule.id}: {tip}",
    }
    g.aside(ident, **(attrs | state_attrs(state(rule.id), style, str(attrs["style"]))))
    return ident, "or" if alternatives else "unstated"


def _rule_edge(
    rule: Rule, relation: str, style: Style, state: Callable[[str], State], *, chain: bool
) -> tuple[dict[str, str | Html | None], set[str]]:
    attrs = edge_attrs(relation, style, chain=chain)
    look, key = status_edge({rule.status}, style)
    if relation in ("unless", "disables", "reduces", "link"):
        look.pop("style", None)
    keys = {edge_key(relation, chain=chain), key}
    return attrs | look | _edge_state((rule.id,), style, state), keys


def _add_rule_edges(
    g: DotGraph, theory: Theory, kept: set[str], style: Style, state: Callable[[str], State]
) -> set[str]:
    shown: set[str] = set()
    rg = rule_graph(theory)
    junctions: dict[str, str] = {}
    for u, v, data in rg.edges(data=True):
        if u not in kept or v not in kept:
            continue
        rule = theory.rule_index.get(v) or theory.rule_index.get(u)
        if rule is None:  # an explicit link: outcome -> context
            attrs = edge_attrs(data["role"], style, chain=data["chain"])
            shown.add(edge_key(data["role"], chain=data["chain"]))
            g.edge(u, v, **attrs)
            continue
        attrs, keys = _rule_edge(rule, data["role"], style, state, chain=data["chain"])
        shown |= keys
        if data["role"] == "because" and _is_junction(rule):
            if rule.id not in junctions:
                junctions[rule.id], key = _junction(g, rule, style, state)
                shown.add(key)
                g.edge(u, junctions[rule.id], **attrs, arrowhead="none")
            g.edge(junctions[rule.id], v, **attrs)
            continue
        g.edge(u, v, **attrs)
    return shown


def _add_element_edges(
    g: DotGraph, theory: Theory, kept: set[str], style: Style, state: Callable[[str], State]
) -> set[str]:
    """The element graph's edges; a rule's alternative mechanisms meet at a junction."""
    shown: set[str] = set()
    kinds = {n.id: n.kind for n in theory.nodes}
    status = {r.id: r.status for r in theory.rules}
    junctions = {r.id: r for r in theory.rules if _is_junction(r)}
    routed: dict[str, tuple[set[str], dict[str, str]]] = {}
    eg = element_graph(theory)
    for u, v, relation, data in eg.edges(keys=True, data=True):
        if u not in kept or v not in kept or not relation:  # "": a slot with no element edge
            continue
        rules = tuple(data["rules"])
        if relation in ("produces", "reduces"):
            via = [r for r in rules if r in junctions]
            for r in via:
                ins, outs = routed.setdefault(r, (set(), {}))
                ins.add(u)
                outs[v] = relation
            rules = tuple(r for r in rules if r not in via)
            if not rules:
                continue
        chain = kinds.get(u) == "outcome" and relation in ("enables", "disables")
        attrs = edge_attrs(relation, style, chain=chain or relation == "link")
        shown.add(edge_key(relation, chain=chain))
        if relation == "link":
            attrs["tooltip"] = f"{u} is {v}"
        else:
            attrs["tooltip"] = f"{relation} ({', '.join(rules)})"
            look, key = status_edge({status[r] for r in rules}, style)
            if relation in ("disables", "reduces"):
                look.pop("style", None)
            attrs |= look
            shown.add(key)
        attrs |= _edge_state(rules, style, state)
        g.edge(u, v, **attrs)
    for rule_id, (ins, outs) in routed.items():
        shown |= _draw_junction(g, junctions[rule_id], ins, outs, style, state)
    return shown


def _draw_junction(
    g: DotGraph,
    rule: Rule,
    mechanisms: set[str],
    outcomes: dict[str, str],
    style: Style,
    state: Callable[[str], State],
) -> set[str]:
    """Mechanisms -> "or" -> outcomes, for one rule (direct edges when one mechanism is kept)."""
    look, key = status_edge({rule.status}, style)
    extra = look | _edge_state((rule.id,), style, state)
    tip: dict[str, str | Html | None] = {"tooltip": f"{rule.mechanism_mode} ({rule.id})"}
    ordered = [m for m in rule.mechanisms if m in mechanisms]
    if len(ordered) < 2:
        for m in ordered:
            for o, relation in outcomes.items():
                attrs = edge_attrs(relation, style, chain=False) | tip
                g.edge(m, o, **(attrs | ({} if relation == "reduces" else look)))
        return {key, *(edge_key(r, chain=False) for r in outcomes.values())}
    node, junction_key = _junction(g, rule, style, state)
    for m in ordered:
        g.edge(
            m, node, **(edge_attrs("produces", style, chain=False) | extra | tip), arrowhead="none"
        )
    for o, relation in outcomes.items():
        attrs = edge_attrs(relation, style, chain=False) | tip
        g.edge(node, o, **(attrs | ({} if relation == "reduces" else extra)))
    return {key, junction_key, *(edge_key(r, chain=False) for r in outcomes.values())}


_RELATION_LOOK: dict[str, dict[str, str]] = {
    "feeds": {"penwidth": "1.6"},
    "counterpart-of": {"dir": "both", "arrowhead": "normal", "arrowtail": "normal"},
    "refines": {"arrowhead": "empty"},
    "supersedes": {"arrowhead": "empty", "style": "bold"},
    "rival-of": {"dir": "both", "style": "dotted"},
    "corresponds-to": {"arrowhead": "none", "style": "dotted"},
}


def draw_relations(g: DotGraph, theory: Theory, kept: set[str], style: Style) -> set[str]:
    """The theory's relations between drawn things, labelled by type; inferred ones dashed grey.

    A relation to another file (``other.yaml#R3``) ends at a note naming it.
    """
    shown: set[str] = set()
    notes: set[str] = set()
    for rel in theory.relations:
        if rel.from_ not in kept or (rel.to not in kept and not rel.external):
            continue
        to = rel.to
        if rel.external:
            to = f"cimo:file:{rel.to}"
            if to not in notes:
                notes.add(to)
                g.aside(
                    to, label=Html(html_text(rel.to)), shape="note", fontsize=style.small_font_size
                )
        attrs: dict[str, str | Html | None] = dict(_RELATION_LOOK[rel.type])
        colour = style.chain if rel.type == "feeds" else style.line
        attrs |= {
            "color": colour,
            "fontcolor": colour,
            "label": Html(html_text(rel.type.replace("-", " "))),
            "constraint": "false",
            "tooltip": tooltip(rel.note or f"{rel.from_} {rel.type} {rel.to}"),
        }
        if not rel.stated:
            attrs |= {"style": "dashed", "color": style.inferred, "fontcolor": style.inferred}
            shown.add("inferred")
        shown.add(f"rel:{rel.type}")
        g.edge(rel.from_, to, **attrs)
    return shown


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
    style = style.for_theory(theory)
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
