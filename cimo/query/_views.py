"""Views of a theory that are theories again: rolled up through the taxonomy, or in focus."""

from __future__ import annotations

from collections import deque
from typing import Any

from cimo._util import suggest
from cimo.edit import rebuild
from cimo.errors import UnknownIdError, UsageError
from cimo.model import Mechanism, Rule, Theory
from cimo.query._lookup import get_node
from cimo.taxonomy import check_rank, resolve_taxonomy
from cimo.taxonomy import roll_up as _taxon_roll_up

__all__ = ["focus", "roll_up"]


def roll_up(theory: Theory, *, rank: str = "mechanism") -> Theory:
    """The theory seen at a coarser rank of its taxonomy (subthemes -> themes -> mechanisms).

    Every mechanism whose ``taxon`` lies below ``rank`` is replaced, in every
    rule, by a mechanism for its ancestor at ``rank`` (the theory's own node of
    that id if it has one, else a new node made from the taxon). Mechanisms
    without a taxon, or already at or above ``rank``, stay. This is how seed
    000 collapsed 24 subthemes into 12 themes and those into six mechanisms.

    Args:
        theory: The theory (with a taxonomy).
        rank: One of the taxonomy's ranks.

    Returns:
        A new, valid theory.

    Raises:
        UsageError: if the theory has no taxonomy, or a rolled-up id is taken by
            something that is not a mechanism.
        UnknownIdError: if ``rank`` is not a rank of the taxonomy.

    >>> import cimo
    >>> from cimo.query import roll_up
    >>> wfg = cimo.load_example("work-focused-group-cbt")
    >>> rolled = roll_up(wfg, rank="mechanism")
    >>> rolled.rule_index["table-2-example-1"].mechanisms  # own-therapist is under Relate
    ('relate',)
    """
    taxonomy = resolve_taxonomy(theory)
    if taxonomy is None:
        raise UsageError(f"theory {theory.id!r} has no taxonomy to roll up through")
    check_rank(taxonomy, rank)
    mapping: dict[str, str] = {}
    added: dict[str, Mechanism] = {}
    for node in theory.mechanisms:
        if node.taxon is None or node.taxon not in taxonomy.by_id:
            continue
        target = _taxon_roll_up(taxonomy, node.taxon, rank)
        if target is None or target.id == node.id:
            continue
        existing = theory.index.get(target.id)
        if existing is not None and not isinstance(existing, Mechanism):
            raise UsageError(
                f"cannot roll {node.id!r} up to {target.id!r}: that id is {existing.kind} "
                "of the theory; rename it"
            )
        if target.id in theory.rule_index:
            raise UsageError(f"cannot roll {node.id!r} up to {target.id!r}: a rule has that id")
        mapping[node.id] = target.id
        if existing is None and target.id not in added:
            added[target.id] = Mechanism(
                id=target.id,
                label=target.label,
                source_label=target.source_label,
                description=target.definition,
                category=target.category,
                taxon=target.id,
            )
    if not mapping:
        return theory
    nodes = [n for n in theory.nodes if n.id not in mapping] + list(added.values())
    rules = [
        Rule.model_validate(
            {
                **r.model_dump(by_alias=False, exclude={"mechanisms"}),
                "mechanisms": tuple(dict.fromkeys(mapping.get(m, m) for m in r.mechanisms)),
            }
        )
        for r in theory.rules
    ]
    return rebuild(theory, nodes=tuple(nodes), rules=tuple(rules))


def _in(iterations: tuple[int, ...], number: int) -> bool:
    return not iterations or number in iterations


def focus(
    theory: Theory,
    *,
    node: str | None = None,
    steps: int = 1,
    theme: str | None = None,
    iteration: int | None = None,
) -> Theory:
    """A part of the theory, as a valid theory of its own.

    Give one or more of:

    * ``node`` (with ``steps``): the rules within ``steps`` steps of a node or
      rule, and every node those rules name. The rules naming a node are one
      step from it (a rule given as ``node`` is zero steps from itself); a rule
      sharing an id with a rule ``n`` steps away is ``n + 1`` steps away;
    * ``theme``: the rules of one theme and the nodes they name;
    * ``iteration``: exactly the elements of that iteration (elements whose
      ``iterations`` is empty belong to every iteration), with ``iteration`` set.

    Several filters keep what all of them keep. Links are kept when both ends
    are; sources and the taxonomy are kept as they are.

    Raises:
        UsageError: if no filter is given, ``steps`` is negative, or an
            iteration's rule names a node of another iteration.
        UnknownIdError: if ``node``, ``theme`` or ``iteration`` is not in the theory.

    >>> import cimo
    >>> from cimo.query import focus
    >>> wfg = cimo.load_example("work-focused-group-cbt")
    >>> first = focus(wfg, iteration=1)
    >>> [r.id for r in first.rules]
    ['three-levels', 'lexis-2011']
    >>> [r.id for r in focus(wfg, node="work-supports-recovery", steps=1).rules]
    ['three-levels', 'lexis-2011', 'figure-4', 'table-2-example-2', 'retain', 'resume',
     'work-supports-recovery']
    """
    if node is None and theme is None and iteration is None:
        raise UsageError("focus needs node=, theme= or iteration=")
    if steps < 0:
        raise UsageError(f"steps must not be negative (got {steps})")
    keep = list(theory.rules)
    node_ids: set[str] | None = None
    if node is not None:
        keep = [r for r in keep if r.id in _near(theory, node, steps)]
    if theme is not None:
        themes = {r.theme for r in theory.rules if r.theme}
        if theme not in themes:
            raise UnknownIdError(theme, kind="theme", suggestions=suggest(theme, themes))
        keep = [r for r in keep if r.theme == theme]
    if iteration is not None:
        declared = {it.number for it in theory.iterations}
        if declared and iteration not in declared:
            raise UnknownIdError(
                str(iteration), kind="iteration", suggestions=[str(n) for n in sorted(declared)]
            )
        keep = [r for r in keep if _in(r.iterations, iteration)]
        node_ids = {n.id for n in theory.nodes if _in(n.iterations, iteration)}
        for rule in keep:
            for slot, _, ref in rule.references():
                if ref not in node_ids:
                    raise UsageError(
                        f"rule {rule.id} belongs to iteration {iteration} but its {slot!r} "
                        f"names {ref!r}, which does not; add {iteration} to its iterations"
                    )
    named = {ref for r in keep for _, _, ref in r.references()}
    if node_ids is None:
        node_ids = named
        if node is not None and node in theory.index:
            node_ids = named | {node}
    nodes = tuple(n for n in theory.nodes if n.id in node_ids)
    links = tuple(k for k in theory.links if k.outcome in node_ids and k.context in node_ids)
    changes: dict[str, Any] = {"nodes": nodes, "rules": tuple(keep), "links": links}
    if iteration is not None:
        changes["iteration"] = iteration
    return rebuild(theory, **changes)


def _near(theory: Theory, start: str, steps: int) -> set[str]:
    """Rule ids within ``steps`` rule-steps of ``start`` (a node or rule id)."""
    if start not in theory.rule_index:
        get_node(theory, start)
    naming: dict[str, list[Rule]] = {}
    for rule in theory.rules:
        for _, _, ref in rule.references():
            naming.setdefault(ref, []).append(rule)
    found: set[str] = set()
    frontier: deque[tuple[str, int]] = deque()
    if start in theory.rule_index:
        found.add(start)
        frontier.append((start, 0))
    else:
        frontier.extend((r.id, 1) for r in naming.get(start, ()))
        found.update(r.id for r in naming.get(start, ()))
        if steps == 0:
            return set()
    while frontier:
        rid, depth = frontier.popleft()
        if depth >= steps:
            continue
        for _, _, ref in theory.rule_index[rid].references():
            for other in naming.get(ref, ()):
                if other.id not in found:
                    found.add(other.id)
                    frontier.append((other.id, depth + 1))
    return found
