"""The graph checks (G): feedback loops between rules, found as strongly connected components."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from types import MappingProxyType
from typing import Any

import networkx as nx

from cimo.core.vocabulary import SLOTS
from cimo.graph import from_successors
from cimo.validate._checks._shared import names
from cimo.validate._index import Index
from cimo.validate._registry import Raw, check

__all__: list[str] = []

# The slots through which one rule feeds another: a rule's outcome ('then',
# 'reduces') is consumed where a condition slot takes outcomes ('if', 'unless').
_CONSUMING = tuple(s for s in SLOTS if s.side == "condition" and "outcome" in s.kinds)
_PRODUCING = tuple(s for s in SLOTS if s.side == "result")


def _shortest_cycle(g: nx.DiGraph[str], start: str, within: set[str]) -> list[str]:
    """The shortest cycle through ``start`` inside one strongly connected component (BFS)."""
    parent: dict[str, str] = {}
    frontier = [start]
    while frontier:
        nxt: list[str] = []
        for v in frontier:
            for w in g.successors(v):
                if w == start:
                    path = [v]
                    while path[-1] != start:
                        path.append(parent[path[-1]])
                    return [*reversed(path), start]
                if w in within and w not in parent:
                    parent[w] = v
                    nxt.append(w)
        frontier = nxt
    return [start]  # unreachable for a true component; kept total


@check(
    "G001",
    "feedback-cycle",
    "info",
    "Rules feed each other in a loop (an outcome leads, through other rules, back to itself).",
    "nothing to fix if the loop is real (process theories have them); otherwise break the chain",
)
def _cycles(ix: Index) -> Iterator[Raw]:
    g = _digraph(_successors(ix))
    pos = ix.rule_pos
    for component in nx.strongly_connected_components(g):
        if len(component) < 2:
            continue
        rules = sorted((v for v in component if v in pos), key=pos.__getitem__)
        cycle = _shortest_cycle(g, rules[0], component)
        also = (
            f" (part of a loop of {len(rules)} rules: {names(rules)})"
            if len(rules) > len(cycle) // 2
            else ""
        )
        yield Raw(
            "feedback loop: " + " -> ".join(cycle) + also,
            rules[0],
            ("rules", pos[rules[0]]),
            tuple(dict.fromkeys(cycle)),
        )


def _successors(ix: Index) -> dict[str, list[str]]:
    """Successor lists of the rules and ids that can lie on a loop."""
    theory = ix.theory
    consumed = {c for s in _CONSUMING for c in ix.slot(s.keyword)}
    produced = {o for s in _PRODUCING for o in ix.slot(s.keyword)}
    for link in theory.links:
        if link.context in consumed:
            consumed.add(link.outcome)
        if link.outcome in produced:
            produced.add(link.context)
    # Only a rule that consumes something produced and produces something consumed
    # can lie on a loop; the others are left out of the graph.
    succ: dict[str, list[str]] = {}
    for r in theory.rules:
        ins = [c for s in _CONSUMING for c in getattr(r, s.attr) if c in produced]
        outs = [o for s in _PRODUCING for o in getattr(r, s.attr) if o in consumed]
        if ins and outs:
            succ[r.id] = outs
            for c in ins:
                succ.setdefault(c, []).append(r.id)
    for link in theory.links:
        if link.outcome in produced and link.context in consumed:
            succ.setdefault(link.outcome, []).append(link.context)
    return succ


def _digraph(succ: Mapping[str, list[str]]) -> nx.DiGraph[str]:
    """A DiGraph from successor lists (through cimo.graph's one-pass builder)."""
    vertices = set(succ)
    for targets in succ.values():
        vertices.update(targets)
    return from_successors(
        ((v, {}) for v in vertices),
        ((u, v, _NO_DATA) for u, targets in succ.items() for v in targets),
    )


_NO_DATA: Mapping[str, Any] = MappingProxyType({})
