"""The networkx view of a theory: built fresh from the records, handed out frozen.

The records in :class:`cimo.Theory` are the truth; a graph is a projection of
them, built when asked for and never stored in the model. Two projections:

* :func:`rule_graph` keeps every rule as a node of its own (``kind="rule"``),
  because a rule joins several nodes at once: edges run from its IF, UNLESS
  and WITH nodes into the rule, and from the rule to its BECAUSE mechanisms
  and THEN/REDUCES outcomes. An outcome used in a later rule's IF is a chain.
* :func:`element_graph` joins the elements directly: context/intervention ->
  mechanism -> outcome, each edge labelled with the rules that support it.
  Disabling (UNLESS) edges have relation ``"disables"``.

Both add explicit chain links (``theory.links``) as outcome -> context edges.

>>> import cimo
>>> theory = cimo.load_example("work-focused-group-cbt")
>>> g = cimo.graph.rule_graph(theory)
>>> g.nodes["relate"]["kind"]
'mechanism'
>>> import networkx as nx
>>> nx.is_frozen(g)
True
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal, TypeAlias

from cimo._util import paused_gc
from cimo.core.index import index_of
from cimo.core.vocabulary import SLOTS, SlotKeyword
from cimo.model import CimoModel, Theory

if TYPE_CHECKING:  # imported on use: networkx is slow to import
    import networkx as nx

__all__ = [
    "ChainLink",
    "Relation",
    "Role",
    "chain_links",
    "element_graph",
    "from_successors",
    "rule_graph",
]

#: The role an edge plays in the rule graph: a rule slot, or an explicit chain ``link``.
Role: TypeAlias = SlotKeyword | Literal["link"]
#: The relation an edge stands for in the element graph.
Relation: TypeAlias = Literal["enables", "disables", "triggers", "produces", "reduces", "link"]


# Edge data of the rule graph: one shared, read-only mapping per kind of edge.
# The graph is handed out frozen, so sharing them is safe, and it spares one
# dict per edge (millions, for large theories).
_EDGE_DATA: dict[tuple[str, bool], Mapping[str, Any]] = {
    (role, chain): MappingProxyType({"role": role, "disabling": disabling, "chain": chain})
    for role, disabling in [(s.keyword, s.disabling) for s in SLOTS] + [("link", False)]
    for chain in (False, True)
}


#: The flat slots as the rule graph draws them: (attribute, its edge data for an id that
#: is not an outcome, for one that is). Conditions and qualifiers point into the rule;
#: an outcome in a condition is a chain (one a qualifier names is not: it is never needed).
_INTO = [
    (s.attr, _EDGE_DATA[s.keyword, False], _EDGE_DATA[s.keyword, s.side == "condition"])
    for s in SLOTS
    if s.side in ("condition", "qualifier")
]
#: The other slots (BECAUSE, THEN, REDUCES, OTHERWISE) point out of the rule.
_OUT = [
    (s.attr, _EDGE_DATA[s.keyword, False])
    for s in SLOTS
    if s.side not in ("condition", "qualifier")
]


def _rule_adjacency(
    theory: Theory,
) -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, Any]], dict[str, dict[str, Any]]]:
    """The rule graph's vertex data, successors and predecessors, filled in one pass.

    Every edge end is a node of the theory (the structural checks saw to it).
    Each rule's fields are read from its ``__dict__``: far faster than one
    attribute lookup per slot on a pydantic record.
    """
    node: dict[str, dict[str, Any]] = {
        n.id: {"kind": n.kind, "label": n.label} for n in theory.nodes
    }
    succ: dict[str, dict[str, Any]] = {v: {} for v in node}
    pred: dict[str, dict[str, Any]] = {v: {} for v in node}
    outcomes = {ident for ident, data in node.items() if data["kind"] == "outcome"}
    for rule in theory.rules:
        fields = vars(rule)
        rid = fields["id"]
        node[rid] = {
            "kind": "rule",
            "label": fields["source_label"] or rid,
            "status": fields["status"],
            "theme": fields["theme"],
            "incomplete": rule.incomplete,
        }
        ins = pred[rid] = {}
        outs = succ[rid] = {}
        for attr, plain, chain in _INTO:
            for x in fields[attr]:
                succ[x][rid] = ins[x] = chain if x in outcomes else plain
        for attr, data in _OUT:
            for x in fields[attr]:
                pred[x][rid] = outs[x] = data
    link_data = _EDGE_DATA["link", True]
    for link in theory.links:
        succ[link.outcome][link.context] = pred[link.context][link.outcome] = link_data
    return node, succ, pred


def rule_graph(theory: Theory) -> nx.DiGraph[str]:
    """A directed graph with the theory's nodes **and rules** as vertices.

    Vertex attributes: ``kind`` (``context``, ``intervention``, ``mechanism``,
    ``outcome`` or ``rule``) and ``label``; rules also carry ``status``,
    ``theme`` and ``incomplete``. Edge attributes (read-only): ``role`` (the
    rule slot, or ``link`` for an explicit chain), ``disabling`` (True for
    UNLESS) and ``chain`` (True where an outcome feeds a later rule).

    The graph has one vertex per node and per rule, and one edge per id named
    in a rule slot plus one per explicit link.

    Args:
        theory: The theory.

    Returns:
        A new, frozen ``networkx.DiGraph``.
    """
    import networkx as nx

    with paused_gc(freeze=True):
        g = _digraph(*_rule_adjacency(theory))
    g.graph["name"] = theory.id
    frozen: nx.DiGraph[str] = nx.freeze(g)
    return frozen


def from_successors(
    vertices: Iterable[tuple[str, dict[str, Any]]],
    edges: Iterable[tuple[str, str, Mapping[str, Any]]],
) -> nx.DiGraph[str]:
    """Build a DiGraph from vertices (with their data) and edges, in one pass.

    Every edge end must be among the vertices. The edge data mappings are
    kept as given (not copied), so pass read-only mappings if the graph will
    be shared. This is what ``add_nodes_from``/``add_edges_from`` do, without their
    per-edge dict copies; ``tests/test_graph.py`` checks that both ways give
    equal graphs, so a change in networkx's internals cannot go unnoticed.
    """
    node: dict[str, Any] = dict(vertices)
    succ: dict[str, dict[str, Any]] = {v: {} for v in node}
    pred: dict[str, dict[str, Any]] = {v: {} for v in node}
    for u, v, data in edges:
        succ[u][v] = data
        pred[v][u] = data
    return _digraph(node, succ, pred)


def _digraph(
    node: dict[str, Any], succ: dict[str, dict[str, Any]], pred: dict[str, dict[str, Any]]
) -> nx.DiGraph[str]:
    """A DiGraph holding these vertex data and adjacency dicts (not copied)."""
    import networkx as nx

    g: nx.DiGraph[str] = nx.DiGraph()
    if not (
        hasattr(g, "_node") and hasattr(g, "_succ") and hasattr(g, "_pred")
    ):  # pragma: no cover
        g.add_nodes_from(node.items())
        g.add_edges_from((u, v, dict(d)) for u, nbrs in succ.items() for v, d in nbrs.items())
        return g
    g._node = node
    g._succ = succ
    g._adj = succ  # type: ignore[attr-defined]  # DiGraph keeps _adj as an alias of _succ
    g._pred = pred
    return g


#: The old private name of :func:`from_successors` (kept for the modules that import it).
_fill_digraph = from_successors


def element_graph(theory: Theory) -> nx.MultiDiGraph[str]:
    """A multigraph joining the elements directly, edges labelled with their rules.

    For every rule: each IF context (or chained outcome) ``enables`` each of
    its mechanisms, each UNLESS context ``disables`` them, each intervention
    ``triggers`` them, and each mechanism ``produces`` (or ``reduces``) each
    outcome. A rule with no mechanism joins its inputs to its outcomes
    directly. Parallel edges are keyed by relation, so a context can both
    enable and disable one mechanism (through different rules); the
    ``rules`` attribute lists, sorted, the rules behind each edge.

    Args:
        theory: The theory.

    Returns:
        A new, frozen ``networkx.MultiDiGraph`` with edge keys equal to the relation.
    """
    import networkx as nx

    acc: defaultdict[tuple[str, str, str], list[str]] = defaultdict(list)
    # only the slots with an element-graph relation draw edges (not qualifiers, not OTHERWISE)
    inputs = [(s.attr, s.relation) for s in SLOTS if s.side == "condition" and s.relation]
    results = [(s.attr, s.relation) for s in SLOTS if s.side == "result" and s.relation]
    for rule in theory.rules:
        rid = rule.id
        targets = rule.mechanisms or rule.outcomes + rule.reduces
        for t in targets:
            for attr, relation in inputs:
                for x in getattr(rule, attr):
                    acc[x, t, relation].append(rid)
        for m in rule.mechanisms:
            for attr, relation in results:
                for o in getattr(rule, attr):
                    acc[m, o, relation].append(rid)
    g: nx.MultiDiGraph[str] = nx.MultiDiGraph(name=theory.id)
    with paused_gc():
        g.add_nodes_from((n.id, {"kind": n.kind, "label": n.label}) for n in theory.nodes)
        for (u, v, rel), rules in acc.items():
            g.add_edge(u, v, key=rel, relation=rel, rules=tuple(sorted(set(rules))))
        for link in theory.links:
            g.add_edge(link.outcome, link.context, key="link", relation="link", rules=())
    frozen: nx.MultiDiGraph[str] = nx.freeze(g)
    return frozen


class ChainLink(CimoModel):
    """One link of a chain: an outcome of ``upstream`` that is a context of ``downstream``."""

    upstream: str
    """The rule that produces the outcome."""
    outcome: str
    """The outcome it produces."""
    downstream: str
    """The rule whose IF (or UNLESS) the outcome feeds."""
    via: str | None = None
    """The context the outcome is linked to, for an explicit link; None when direct."""
    blocking: bool = False
    """True when the outcome feeds the downstream rule's UNLESS (it disables it)."""

    def __str__(self) -> str:
        via = f" (as {self.via})" if self.via else ""
        verb = "blocks" if self.blocking else "feeds"
        return f"{self.upstream} -> {self.outcome}{via} {verb} {self.downstream}"


def chain_links(theory: Theory) -> tuple[ChainLink, ...]:
    """Every place where one rule's outcome is another rule's context.

    Direct chains use the same id (an outcome in a later rule's ``if`` or
    ``unless``); explicit chains go through ``theory.links``. Work is linear
    in the theory plus the number of links returned.

    >>> import cimo
    >>> theory = cimo.load_example("pwp-resilience")
    >>> any(link.blocking is False for link in chain_links(theory))
    True
    """
    ix = index_of(theory)
    rules = theory.rules

    def users(context: str) -> list[tuple[str, bool]]:
        blocking = ix.unless.get(context, ())
        return [(rules[p].id, p in blocking) for p in ix.rules_using(context, "if", "unless")]

    producers = {o: [rules[p].id for p in ps] for o, ps in ix.producers.items()}
    linked = ix.linked
    out: list[ChainLink] = []
    for outcome, ups in producers.items():
        targets = [(c, None) for c in [outcome]] + [(c, c) for c in linked.get(outcome, ())]
        for context, via in targets:
            for down, blocking in users(context):
                out.extend(
                    ChainLink(
                        upstream=up, outcome=outcome, downstream=down, via=via, blocking=blocking
                    )
                    for up in ups
                )
    return tuple(out)
