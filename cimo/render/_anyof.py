"""The map's edges for what a rule names outside its flat slots.

An ``if_any`` group's members meet at an "or" junction (drawn like the one
where alternative mechanisms meet) that leads into the rule, or, without rule
nodes, into the rule's mechanisms (its outcomes when it names none). A
context a single mechanism ``requires`` is joined to that mechanism.
"""

from __future__ import annotations

from collections.abc import Callable

from cimo.model import Rule, Theory
from cimo.render._common import State
from cimo.render._look import edge_attrs, edge_key, state_attrs, status_edge
from cimo.render.dot import DotGraph, Html
from cimo.render.style import Style

__all__ = ["add_nested_edges"]

_Attrs = dict[str, str | Html | None]


def _targets(rule: Rule, kept: set[str], *, rules: bool) -> list[str]:
    """Where a rule's conditions lead: the rule node, else its mechanisms or outcomes."""
    if rules:
        return [rule.id] if rule.id in kept else []
    heads = rule.mechanisms or (*rule.outcomes, *rule.reduces)
    return [h for h in heads if h in kept]


def _any_junction(
    g: DotGraph, rule: Rule, number: int, style: Style, state: Callable[[str], State]
) -> str:
    """Add the "or" node where the members of one ``if_any`` group meet."""
    ident = f"cimo:any:{rule.id}:{number}"
    attrs: _Attrs = {
        "label": "or",
        "shape": "circle",
        "fixedsize": "true",
        "width": "0.34",
        "fontsize": style.small_font_size,
        "style": "filled",
        "fillcolor": style.background,
        "color": style.line,
        "tooltip": f"{rule.id}: any one of these conditions",
    }
    g.aside(ident, **(attrs | state_attrs(state(rule.id), style, "filled")))
    return ident


def add_nested_edges(
    g: DotGraph,
    theory: Theory,
    kept: set[str],
    style: Style,
    state: Callable[[str], State],
    *,
    rules: bool,
) -> set[str]:
    """Draw every kept rule's ``if_any`` groups and mechanisms' ``requires``; the legend keys."""
    kinds = {n.id: n.kind for n in theory.nodes}
    shown: set[str] = set()
    for rule in theory.rules:
        targets = _targets(rule, kept, rules=rules)
        if not targets:
            continue
        look, status_key = status_edge({rule.status}, style)
        tip: _Attrs = {"tooltip": f"if any ({rule.id})"}
        relation = "if" if rules else "enables"
        for number, group in enumerate(rule.context_groups):
            members = [m for m in group if m in kept]
            if not members:
                continue
            shown.add(status_key)
            head = members[0]
            if len(members) > 1:
                head = _any_junction(g, rule, number, style, state)
                shown.add("if-any")
                for m in members:
                    chain = kinds.get(m) == "outcome"
                    shown.add(edge_key(relation, chain=chain))
                    attrs = edge_attrs(relation, style, chain=chain) | look | tip
                    g.edge(m, head, **attrs, arrowhead="none")
            chain = kinds.get(head) == "outcome"
            shown.add(edge_key(relation, chain=chain))
            for t in targets:
                g.edge(head, t, **(edge_attrs(relation, style, chain=chain) | look | tip))
        for link in rule.mechanism_links:
            if link.mechanism not in kept:
                continue
            for need in link.requires:
                if need not in kept:
                    continue
                chain = kinds.get(need) == "outcome"
                shown |= {status_key, edge_key("enables", chain=chain)}
                attrs = edge_attrs("enables", style, chain=chain) | look
                g.edge(
                    need, link.mechanism, **attrs, tooltip=f"{link.mechanism} requires ({rule.id})"
                )
    shown.discard("")
    return shown
