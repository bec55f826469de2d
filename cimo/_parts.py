"""The parts of a theory as theories of their own: :func:`focus`, and :func:`rebuild`.

Private; the public names are :func:`cimo.edit.focus` and :func:`cimo.edit.rebuild`.
Kept apart from :mod:`cimo.edit` (which re-exports both) so that each module
stays small; it reads the records and the shared index and never changes a theory.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from typing import Any, TypeVar

from pydantic import ValidationError

from cimo._util import suggest
from cimo.core.data import invalid_theory_error
from cimo.core.index import nested_ids
from cimo.errors import UnknownIdError, UsageError
from cimo.model import Rule, Theme, Theory

__all__ = ["focus", "rebuild"]


def rebuild(theory: Theory, **changes: Any) -> Theory:
    """A new theory with some top-level fields changed, fully re-checked.

    Raises:
        InvalidTheoryError: listing every structural problem of the result.
    """
    fields: dict[str, Any] = {name: getattr(theory, name) for name in Theory.model_fields}
    unknown = set(changes) - set(fields)
    if unknown:
        bad = sorted(unknown)[0]
        raise UnknownIdError(bad, kind="theory field", suggestions=suggest(bad, fields), where=None)
    fields.update(changes)
    try:
        return Theory.model_validate(fields)
    except ValidationError as err:
        raise invalid_theory_error(err, fields) from None


def focus(
    theory: Theory,
    *,
    node: str | None = None,
    steps: int = 1,
    theme: str | None = None,
    actor: str | None = None,
    iteration: int | None = None,
) -> Theory:
    """A part of the theory, as a valid theory of its own.

    Give one or more of:

    * ``node`` (with ``steps``): the rules within ``steps`` steps of a node or
      rule, and every node those rules name. The rules naming a node are one
      step from it (a rule given as ``node`` is zero steps from itself); a rule
      sharing an id with a rule ``n`` steps away is ``n + 1`` steps away;
    * ``theme``: the rules of one theme and the nodes they name;
    * ``actor``: the configurations of one actor (``actor: GPs``) and the nodes
      they name;
    * ``iteration``: exactly the elements of that iteration (elements whose
      ``iterations`` is empty belong to every iteration), with ``iteration`` set.

    A rule names the nodes of its slots, of its ``if_any`` groups, of its
    mechanisms' ``requires`` and ``then``, of its ``leads_to`` steps and of its
    segments; an outcome kept brings the outcome it is a ``variant_of`` or
    ``opposite`` of. Several filters keep what all of them keep. Links and
    relations are kept when both ends are; an annotation's ``counters`` keep
    the kept rules; sources and the taxonomy are kept as they are. ``cimo render --focus
    ID --depth N`` draws exactly ``focus(theory, node=ID, steps=N)``.

    Raises:
        UsageError: if no filter is given, ``steps`` is negative, or an
            iteration's rule names a node of another iteration.
        UnknownIdError: if ``node``, ``theme``, ``actor`` or ``iteration`` is not in
            the theory.

    >>> import cimo
    >>> from cimo.edit import focus
    >>> wfg = cimo.load_example("work-focused-group-cbt")
    >>> first = focus(wfg, iteration=1)
    >>> [r.id for r in first.rules]
    ['three-levels', 'lexis-2011']
    >>> [r.id for r in focus(wfg, node="work-supports-recovery", steps=1).rules]
    ['three-levels', 'lexis-2011', 'figure-4', 'table-2-example-2', 'retain', 'resume',
     'work-supports-recovery']
    """
    if node is None and theme is None and actor is None and iteration is None:
        raise UsageError("focus needs node=, theme=, actor= or iteration=")
    if steps < 0:
        raise UsageError(f"steps must not be negative (got {steps})")
    keep = list(theory.rules)
    if node is not None:
        near = _near(theory, node, steps)
        keep = [r for r in keep if r.id in near]
    if theme is not None:
        keep = _of_theme(theory, keep, theme)
    if actor is not None:
        actors = {r.actor for r in theory.rules if r.actor}
        if actor not in actors:
            raise UnknownIdError(actor, kind="actor", suggestions=suggest(actor, actors))
        keep = [r for r in keep if r.actor == actor]
    node_ids: set[str] | None = None
    if iteration is not None:
        keep, node_ids = _of_iteration(theory, keep, iteration)
    if node_ids is None:
        node_ids = {ref for r in keep for ref in _named(r)}
        if node is not None and node in theory.index:
            node_ids.add(node)
    node_ids = _with_targets(theory, node_ids)
    nodes = tuple(n for n in theory.nodes if n.id in node_ids)
    links = tuple(k for k in theory.links if k.outcome in node_ids and k.context in node_ids)
    rule_ids = {r.id for r in keep}
    kept = node_ids | rule_ids
    relations = tuple(  # kept when both ends are (a ``file#id`` end is outside any part)
        r for r in theory.relations if r.from_ in kept and (r.external or r.to in kept)
    )
    changes: dict[str, Any] = {
        "nodes": nodes,
        "rules": tuple(_counters_within(r, rule_ids) for r in keep),
        "themes": tuple(_counters_within(t, rule_ids) for t in theory.themes),
        "links": links,
        "relations": relations,
    }
    if iteration is not None:
        changes["iteration"] = iteration
    return rebuild(theory, **changes)


def _named(rule: Rule) -> Iterator[str]:
    """Every node id a rule names: its slots, its nested parts and its segments."""
    for _, _, ref in rule.references():
        yield ref
    yield from nested_ids(rule)
    for seg in rule.segments:
        if seg.ref is not None:
            yield seg.ref


def _with_targets(theory: Theory, node_ids: set[str]) -> set[str]:
    """The node ids plus the outcomes kept outcomes are variants or opposites of."""
    found = set(node_ids)
    todo = list(found)
    while todo:
        record = theory.index.get(todo.pop())
        for target in (getattr(record, "variant_of", None), getattr(record, "opposite", None)):
            if target is not None and target not in found:
                found.add(target)
                todo.append(target)
    return found


_Noted = TypeVar("_Noted", Rule, Theme)


def _counters_within(record: _Noted, rule_ids: set[str]) -> _Noted:
    """The record with its annotations countering only the kept rules."""
    if all(set(a.counters) <= rule_ids for a in record.annotations):
        return record
    notes = tuple(
        a.model_copy(update={"counters": tuple(c for c in a.counters if c in rule_ids)})
        for a in record.annotations
    )
    return record.model_copy(update={"annotations": notes})


def _of_theme(theory: Theory, rules: list[Rule], theme: str) -> list[Rule]:
    """The rules of a theme, named by its id or its label."""
    themes = {r.theme for r in theory.rules if r.theme}
    by_label = {t.label: t.id for t in theory.themes}
    theme = theme if theme in themes else by_label.get(theme, theme)
    if theme not in themes:
        named = {label for label, ident in by_label.items() if ident in themes}
        raise UnknownIdError(theme, kind="theme", suggestions=suggest(theme, named | themes))
    return [r for r in rules if r.theme == theme]


def _in(iterations: tuple[int, ...], number: int) -> bool:
    return not iterations or number in iterations


def _of_iteration(theory: Theory, rules: list[Rule], iteration: int) -> tuple[list[Rule], set[str]]:
    """The rules and node ids of one iteration, refusing a rule that names another's node."""
    declared = {it.number for it in theory.iterations}
    if declared and iteration not in declared:
        raise UnknownIdError(
            str(iteration), kind="iteration", suggestions=[str(n) for n in sorted(declared)]
        )
    keep = [r for r in rules if _in(r.iterations, iteration)]
    node_ids = {n.id for n in theory.nodes if _in(n.iterations, iteration)}
    for rule in keep:
        for ref in _named(rule):
            if ref not in node_ids:
                raise UsageError(
                    f"rule {rule.id} belongs to iteration {iteration} but names "
                    f"{ref!r}, which does not; add {iteration} to its iterations"
                )
    return keep, node_ids


def _near(theory: Theory, start: str, steps: int) -> set[str]:
    """Rule ids within ``steps`` rule-steps of ``start`` (a node or rule id)."""
    if start not in theory.rule_index and start not in theory.index:
        raise UnknownIdError(
            start, kind="node", suggestions=suggest(start, [n.id for n in theory.nodes])
        )
    naming: dict[str, list[Rule]] = {}
    for rule in theory.rules:
        for ref in dict.fromkeys(_named(rule)):
            naming.setdefault(ref, []).append(rule)
    found: set[str] = set()
    frontier: deque[tuple[str, int]] = deque()
    if start in theory.rule_index:
        found.add(start)
        frontier.append((start, 0))
    else:
        if steps == 0:
            return set()
        frontier.extend((r.id, 1) for r in naming.get(start, ()))
        found.update(r.id for r in naming.get(start, ()))
    while frontier:
        rid, depth = frontier.popleft()
        if depth >= steps:
            continue
        for ref in dict.fromkeys(_named(theory.rule_index[rid])):
            for other in naming.get(ref, ()):
                if other.id not in found:
                    found.add(other.id)
                    frontier.append((other.id, depth + 1))
    return found
