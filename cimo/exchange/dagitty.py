"""DAGitty model syntax: a theory projected to a causal diagram.

For users who move on to quantitative evaluation with DAGitty, DoWhy or
pgmpy. The projection keeps the causal skeleton of every rule:

* each context (``if`` and ``unless``) and intervention (``with``) of a rule
  points to each of its mechanisms, and each mechanism to each outcome the
  rule produces or reduces (``then``, ``reduces``); a rule without a
  mechanism joins its contexts and interventions to its outcomes directly;
* an explicit link points from the outcome to the context it is;
* interventions are marked ``[exposure]``, outcomes ``[outcome]``;
  mechanisms stand between them as mediators, contexts as their causes
  (modifiers); both are plain variables.

It loses what a DAG cannot say: labels and all other fields, rules as
units (which contexts and mechanisms belong together), whether a context
enables (``if``) or disables (``unless``), whether an outcome is produced or
reduced, how several mechanisms combine (``together``/``alternatives``),
status and evidence. A theory whose projection has a cycle (a chain that
feeds back, as resilience does in ``pwp-resilience``) is not a DAG: it is
refused, unless you ask to drop the feedback edges (the edges that close a
cycle in a depth-first walk in file order), which loses them too.

>>> import cimo
>>> from cimo.exchange.dagitty import to_dagitty
>>> print(to_dagitty(cimo.load_example("work-focused-group-cbt")).splitlines()[1])
"recurrent-depression"
>>> text = to_dagitty(cimo.load_example("pwp-resilience"), drop_feedback=True)
>>> text.startswith("dag {")
True
"""

from __future__ import annotations

import networkx as nx

from cimo.errors import UsageError
from cimo.model import Theory

__all__ = ["causal_diagram", "feedback_edges", "to_dagitty"]

_ROLES = {"intervention": "exposure", "outcome": "outcome"}


def causal_diagram(theory: Theory) -> nx.DiGraph[str]:
    """The theory projected to a causal diagram (see the module docs); vertex attr ``role``.

    >>> import cimo
    >>> g = causal_diagram(cimo.load_example("work-focused-group-cbt"))
    >>> g.nodes["peer-facilitation"]["role"], g.has_edge("peer-facilitation", "relate")
    ('exposure', True)
    """
    g: nx.DiGraph[str] = nx.DiGraph()
    for node in theory.nodes:
        role = _ROLES.get(node.kind)
        g.add_node(node.id, kind=node.kind, **({"role": role} if role else {}))
    for rule in theory.rules:
        causes = (*rule.contexts, *rule.unless, *rule.interventions)
        effects = (*rule.outcomes, *rule.reduces)
        if rule.mechanisms:
            g.add_edges_from((c, m) for c in causes for m in rule.mechanisms)
            g.add_edges_from((m, o) for m in rule.mechanisms for o in effects)
        else:
            g.add_edges_from((c, o) for c in causes for o in effects)
    g.add_edges_from((link.outcome, link.context) for link in theory.links)
    return g


def feedback_edges(graph: nx.DiGraph[str]) -> list[tuple[str, str]]:
    """The edges that close a cycle in a depth-first walk in vertex order (linear time).

    Removing them leaves a DAG.

    >>> feedback_edges(nx.DiGraph([("a", "b"), ("b", "c"), ("c", "a")]))
    [('c', 'a')]
    """
    state: dict[str, int] = {}
    back: list[tuple[str, str]] = []
    for root in graph:
        if root in state:
            continue
        state[root] = 1
        stack = [(root, iter(graph.successors(root)))]
        while stack:
            v, successors = stack[-1]
            for w in successors:
                seen = state.get(w)
                if seen is None:
                    state[w] = 1
                    stack.append((w, iter(graph.successors(w))))
                    break
                if seen == 1:
                    back.append((v, w))
            else:
                state[v] = 2
                stack.pop()
    return back


def to_dagitty(theory: Theory, *, drop_feedback: bool = False) -> str:
    """The theory as DAGitty model text (``dag { ... }``), every id in double quotes.

    Args:
        theory: The theory.
        drop_feedback: Drop the edges that close cycles (see :func:`feedback_edges`)
            instead of refusing a cyclic projection.

    Raises:
        UsageError: if the projection has a cycle and ``drop_feedback`` is False.
    """
    g = causal_diagram(theory)
    if drop_feedback:
        g.remove_edges_from(feedback_edges(g))
    try:
        cycle = nx.find_cycle(g)
    except nx.NetworkXNoCycle:
        cycle = []
    if cycle:
        path = " -> ".join([*(u for u, _ in cycle), cycle[0][0]])
        raise UsageError(
            f"the theory's causal diagram has a cycle ({path}), so it is not a DAG; "
            "DAGitty needs an acyclic diagram: export a part of the theory without the "
            "feedback, or drop the edges that close cycles (drop_feedback=True, --drop-feedback)"
        )
    lines = ["dag {"]
    for vid, attrs in g.nodes(data=True):
        role = attrs.get("role")
        lines.append(f'"{vid}"' + (f" [{role}]" if role else ""))
    lines.extend(f'"{u}" -> "{v}"' for u, v in g.edges())
    lines.append("}")
    return "\n".join(lines) + "\n"
