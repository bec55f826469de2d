"""The graph checks (G): feedback loops between rules, found as strongly connected components."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from types import MappingProxyType
from typing import Any

import networkx as nx

from cimo.core.vocabulary import SLOTS
from cimo.graph import from_successors
from cimo.model import Rule
from cimo.query._index import in_rule
from cimo.validate._checks._shared import names
from cimo.validate._index import Index
from cimo.validate._registry import Raw, check

__all__: list[str] = []

# The slots through which a rule produces what another consumes: 'then', 'reduces'
# and 'otherwise' (what a rule consumes is Index.consumers).
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
    """Successor lists of the rules and ids that can lie on a loop.

    A rule consumes what decides whether it fires (``if``, ``unless``,
    ``within``, ``if_any`` groups, mechanisms' ``requires``; see
    :attr:`Index.consumers`) and produces its ``then``, ``reduces`` and
    ``otherwise`` outcomes. Links and ``feeds`` relations lead from what
    holds, fires or is produced (an outcome, a mechanism, a rule) to what then
    holds.
    """
    theory = ix.theory
    feeds = ix.feeds
    consumed = set(ix.consumers)
    for source, targets in feeds.items():
        if not consumed.isdisjoint(targets):
            consumed.add(source)
    fires = set(ix.slot("because")) | set(ix.rule_pos)
    produced = {o for s in _PRODUCING for o in ix.slot(s.keyword)}
    produced |= {source for source in feeds if source in fires}
    for source, targets in feeds.items():
        if source in produced:
            produced.update(targets)
    # Only a rule that consumes something produced and produces something consumed
    # can lie on a loop; the others are left out of the graph.
    succ: dict[str, list[str]] = {}
    for r in theory.rules:
        outs = [o for s in _PRODUCING for o in getattr(r, s.attr) if o in consumed]
        outs += [m for m in r.mechanisms if m in feeds and m in consumed]
        if not outs and r.id not in consumed:
            continue
        ins = [c for c in _consumed_by(r) if c in produced]
        if ins:
            if outs:
                succ[r.id] = outs
            for c in ins:
                succ.setdefault(c, []).append(r.id)
    for source, targets in feeds.items():
        if source in produced:
            for to in targets:
                if to in consumed:
                    succ.setdefault(source, []).append(to)
    return succ


def _consumed_by(r: Rule) -> list[str]:
    """What decides whether the rule fires (as :attr:`Index.consumers` indexes it).

    Not an outcome one of its mechanisms gives another: they fire in sequence
    within the rule (:func:`cimo.query._index.in_rule`), which is no loop.
    """
    refs = [*r.contexts, *r.unless, *r.modifiers]
    refs += [c for group in r.context_groups for c in group]
    seq = in_rule(r)
    inside = seq.inside if seq is not None else frozenset()
    refs += [c for link in r.mechanism_links for c in link.requires if c not in inside]
    return list(dict.fromkeys(refs))


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
