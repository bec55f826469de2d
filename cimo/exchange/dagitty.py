"""A theory projected to a causal diagram: DAGitty model text, and pgmpy's ``DAG``.

For users who move on to quantitative evaluation with DAGitty, DoWhy or
pgmpy, and ask: what must I adjust for to estimate the effect of this
exposure on that outcome? The projection keeps the causal skeleton of
every rule:

* each context, intervention and outcome is one variable;
* a mechanism is a **mediator per rule**: a variable ``mechanism@rule``
  (labelled with the mechanism's label and the rule), so a mechanism that
  several rules name does not join their causes to each other's outcomes,
  which would make causal paths (and cycles) the theory does not have;
* the causes of a rule (its ``if`` and ``unless`` contexts and ``with``
  interventions) point to each of its mediators, and each mediator points
  to each outcome the rule produces or reduces (``then``, ``reduces``); a
  rule without a mechanism joins its causes to its outcomes directly;
* with ``targeting`` (the default), each context of a rule that names
  interventions also points to those interventions: the programme is
  offered in, or targeted at, those circumstances, so the contexts confound
  the interventions' effects (as they do in an observational study). With
  ``targeting=False`` interventions have no causes, as in a randomised trial;
* an explicit link points from the outcome to the context it is.

Mechanisms are **latent** by default (DAGitty's ``[latent]``, pgmpy's
``latents``): the resources and reasoning a realist mechanism names are
rarely measured, so an adjustment set is made of contexts, interventions
and outcomes (``latent_mechanisms=False`` makes them observed).

The **exposure** and **outcome** are yours to choose (``exposure=``,
``outcome=``: ids of contexts, interventions or outcomes, or of a mediator
``mechanism@rule``). Left out, every intervention with a causal edge is an
exposure and every outcome with one an outcome. A variable without edges
never gets a role (DAGitty and pgmpy have nothing to say about it).
Each variable carries its label and, with ``layout`` (the default), its
position in Graphviz's layout of the diagram, so DAGitty draws it as cimo does.

It loses what a DAG cannot say: rules as units (which contexts and
mechanisms belong together), whether a context enables (``if``) or disables
(``unless``), whether an outcome is produced or reduced, how several
mechanisms combine (``together``/``alternatives``), status and evidence. A
projection with a cycle (a chain that feeds back, as resilience does in
``pwp-resilience``) is not a DAG: it is refused, unless you ask to drop the
feedback edges (the edges that close a cycle in a depth-first walk in file
order), which loses them too.

>>> import cimo
>>> from cimo.exchange.dagitty import to_dagitty
>>> theory = cimo.load_example("work-focused-group-cbt")
>>> text = to_dagitty(theory, exposure="peer-facilitation", outcome="self-efficacy", layout=False)
>>> print(text.splitlines()[1])
"recurrent-depression" [label="Employees with moderate-severe recurrent depression"]
>>> [line.split(",")[0] for line in text.splitlines() if "[exposure" in line or "[outcome" in line]
['"peer-facilitation" [exposure', '"self-efficacy" [outcome']
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import networkx as nx

from cimo._util import did_you_mean
from cimo.errors import UsageError
from cimo.model import Theory
from cimo.render.backend import layout_boxes

if TYPE_CHECKING:
    from pgmpy.base import DAG  # type: ignore[import-untyped]

__all__ = ["causal_diagram", "feedback_edges", "mediator", "to_dagitty", "to_pgmpy"]


def mediator(mechanism: str, rule: str) -> str:
    """The variable that stands for ``mechanism`` in ``rule``: ``mechanism@rule``.

    ``@`` is in no cimo id, so no two mediators (and no mediator and node) share a name.

    >>> mediator("relate", "figure-4")
    'relate@figure-4'
    """
    return f"{mechanism}@{rule}"


def causal_diagram(theory: Theory, *, targeting: bool = True) -> nx.DiGraph[str]:
    """The theory projected to a causal diagram (see the module docs).

    Vertex attributes: ``kind`` (context, intervention, mechanism, outcome),
    ``label``, and for mediators ``mechanism`` and ``rule``. Every context,
    intervention and outcome is a vertex, with edges or without.

    >>> import cimo
    >>> g = causal_diagram(cimo.load_example("work-focused-group-cbt"))
    >>> g.has_edge("peer-facilitation", "own-therapist@table-2-example-1")
    True
    """
    g: nx.DiGraph[str] = nx.DiGraph()
    for node in theory.nodes:
        if node.kind != "mechanism":
            g.add_node(node.id, kind=node.kind, label=node.label)
    for rule in theory.rules:
        causes = (*rule.contexts, *rule.unless, *rule.interventions)
        effects = (*rule.outcomes, *rule.reduces)
        middle = []
        for m in rule.mechanisms:
            label = f"{theory.index[m].label} ({rule.source_label or rule.id})"
            g.add_node(
                mediator(m, rule.id), kind="mechanism", label=label, mechanism=m, rule=rule.id
            )
            middle.append(mediator(m, rule.id))
        if middle:
            g.add_edges_from((c, m) for c in causes for m in middle)
            g.add_edges_from((m, o) for m in middle for o in effects)
        else:
            g.add_edges_from((c, o) for c in causes for o in effects)
        if targeting:
            g.add_edges_from(
                (c, i) for c in (*rule.contexts, *rule.unless) for i in rule.interventions
            )
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


def _acyclic(theory: Theory, *, drop_feedback: bool, targeting: bool) -> nx.DiGraph[str]:
    g = causal_diagram(theory, targeting=targeting)
    if drop_feedback:
        g.remove_edges_from(feedback_edges(g))
    try:
        cycle = nx.find_cycle(g)
    except nx.NetworkXNoCycle:
        return g
    path = " -> ".join([*(u for u, _ in cycle), cycle[0][0]])
    raise UsageError(
        f"the theory's causal diagram has a cycle ({path}), so it is not a DAG; "
        "DAGitty needs an acyclic diagram: export a part of the theory without the "
        "feedback, or drop the edges that close cycles (drop_feedback=True, --drop-feedback)"
    )


def _chosen(
    g: nx.DiGraph[str], theory: Theory, given: str | Iterable[str] | None, role: str
) -> tuple[str, ...]:
    """The variables given for a role, checked; by default the connected ones of its kind."""
    kind = "intervention" if role == "exposure" else "outcome"
    if given is None:
        return tuple(v for v, d in g.nodes(data=True) if d["kind"] == kind and g.degree(v))
    ids = (given,) if isinstance(given, str) else tuple(given)
    for v in ids:
        if v not in g:
            if v in theory.index and theory.index[v].kind == "mechanism":
                named = sorted(m for m, d in g.nodes(data=True) if d.get("mechanism") == v)
                raise UsageError(
                    f"{role} {v!r} is a mechanism: in the causal diagram it is a mediator per "
                    f"rule; name one of {named or 'none (no rule names it)'}"
                )
            raise UsageError(f"{role} {v!r} is no variable of the theory{did_you_mean(v, g)}")
        if not g.degree(v):
            raise UsageError(
                f"{role} {v!r} has no causal edges (no rule names it), so there is no effect "
                "to estimate; choose a variable that a rule names"
            )
    return ids


def _text(value: str) -> str:
    """A label as DAGitty (and pgmpy's, DoWhy's readers) can hold it in double quotes."""
    return " ".join(value.replace('"', "'").replace("\\", "/").split())


def to_dagitty(
    theory: Theory,
    *,
    exposure: str | Iterable[str] | None = None,
    outcome: str | Iterable[str] | None = None,
    drop_feedback: bool = False,
    targeting: bool = True,
    latent_mechanisms: bool = True,
    layout: bool = True,
) -> str:
    """The theory as DAGitty model text (``dag { ... }``), every id in double quotes.

    Each variable is written with its role first (``exposure``, ``outcome`` or
    ``latent``, where pgmpy looks for it), its ``label`` and, with ``layout``, its
    ``pos`` from Graphviz's ``dot`` layout (left to right, in inches).

    Args:
        theory: The theory.
        exposure: The exposure (one id or several); default: every intervention with edges.
        outcome: The outcome (one id or several); default: every outcome with edges.
        drop_feedback: Drop the edges that close cycles (see :func:`feedback_edges`)
            instead of refusing a cyclic projection.
        targeting: Contexts of a rule point to its interventions (see the module docs).
        latent_mechanisms: Mark the mediators ``latent`` (unmeasured).
        layout: Give each variable its position in Graphviz's layout (needs Graphviz).

    Raises:
        UsageError: if the projection has a cycle and ``drop_feedback`` is False, or an
            exposure or outcome is unknown or has no edges.
        RenderError: if ``layout`` is True and Graphviz's ``dot`` is missing.
    """
    g = _acyclic(theory, drop_feedback=drop_feedback, targeting=targeting)
    roles = dict.fromkeys(_chosen(g, theory, exposure, "exposure"), "exposure")
    for v in _chosen(g, theory, outcome, "outcome"):
        if roles.get(v) == "exposure":
            raise UsageError(f"{v!r} is both the exposure and the outcome; choose two variables")
        roles[v] = "outcome"
    if latent_mechanisms:
        for v, d in g.nodes(data=True):
            if d["kind"] == "mechanism" and v not in roles and g.degree(v):
                roles[v] = "latent"
    pos = _positions(g) if layout and len(g) else {}
    lines = ["dag {"]
    for vid, data in g.nodes(data=True):
        attrs = [roles[vid]] if vid in roles else []
        attrs.append(f'label="{_text(data["label"])}"')
        if vid in pos:
            attrs.append(f'pos="{pos[vid][0]:.3f},{pos[vid][1]:.3f}"')
        lines.append(f'"{vid}" [{",".join(attrs)}]')
    lines.extend(f'"{u}" -> "{v}"' for u, v in g.edges())
    lines.append("}")
    return "\n".join(lines) + "\n"


def _positions(g: nx.DiGraph[str]) -> dict[str, tuple[float, float]]:
    """Each variable's place in ``dot``'s left-to-right layout, in inches, y downward."""
    names = {v: f"n{i}" for i, v in enumerate(g)}
    dot = ["digraph { rankdir=LR; node [shape=box, fixedsize=true, width=1.6, height=0.5];"]
    dot += [f"{names[v]};" for v in g]
    dot += [f"{names[u]} -> {names[v]};" for u, v in g.edges()]
    boxes = layout_boxes("\n".join([*dot, "}"]))
    return {v: (boxes[n].centre[0] / 72, boxes[n].centre[1] / 72) for v, n in names.items()}


def to_pgmpy(
    theory: Theory,
    *,
    exposure: str | Iterable[str] | None = None,
    outcome: str | Iterable[str] | None = None,
    drop_feedback: bool = False,
    targeting: bool = True,
    latent_mechanisms: bool = True,
) -> DAG:
    """The causal diagram as a pgmpy ``DAG``, with the exposures and outcomes as its roles.

    Needs pgmpy (``pip install pgmpy``). Ask it for adjustment sets with
    ``pgmpy.inference.CausalInference(dag)``. Variables without edges are left
    out (pgmpy cannot give them a role). The arguments are those of
    :func:`to_dagitty`.

    >>> import cimo
    >>> from pgmpy.inference import CausalInference
    >>> theory = cimo.load_example("work-focused-group-cbt")
    >>> dag = to_pgmpy(theory, exposure="peer-facilitation", outcome="self-efficacy")
    >>> dag.exposures, dag.outcomes
    ({'peer-facilitation'}, {'self-efficacy'})
    >>> inference = CausalInference(dag)
    >>> sorted(inference.get_minimal_adjustment_set("peer-facilitation", "self-efficacy"))
    ['group-psychotherapy']

    Raises:
        UsageError: as :func:`to_dagitty`, or if pgmpy is not installed.
    """
    try:
        from pgmpy.base import DAG
    except ImportError:
        raise UsageError("to_pgmpy needs pgmpy: pip install pgmpy") from None
    g = _acyclic(theory, drop_feedback=drop_feedback, targeting=targeting)
    exposures = _chosen(g, theory, exposure, "exposure")
    outcomes = _chosen(g, theory, outcome, "outcome")
    if set(exposures) & set(outcomes):
        raise UsageError("a variable is both the exposure and the outcome; choose two variables")
    chosen = {*exposures, *outcomes}
    latents = {
        v
        for v, d in g.nodes(data=True)
        if latent_mechanisms and d["kind"] == "mechanism" and v not in chosen and g.degree(v)
    }
    roles = {"exposures": list(exposures), "outcomes": list(outcomes), "latents": sorted(latents)}
    dag: Any = DAG(
        g.edges(),
        latents=latents,
        exposures=set(exposures),
        outcomes=set(outcomes),
        roles=roles,
    )
    for v, attrs in g.nodes(data=True):
        if v in dag:
            dag.nodes[v].update(attrs)
    return dag
