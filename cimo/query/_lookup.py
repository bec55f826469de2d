"""Look-ups and filters: one node or rule by id, rules and nodes by what they hold."""

from __future__ import annotations

from typing import Literal, overload

from cimo._util import suggest
from cimo.core.index import index_of
from cimo.errors import UnknownIdError
from cimo.model import Context, Intervention, Mechanism, NodeKind, Outcome, Rule, Status, Theory
from cimo.query._base import check_ids

__all__ = ["get_node", "get_rule", "select_nodes", "select_rules"]

_AnyNode = Context | Intervention | Mechanism | Outcome


@overload
def get_node(
    theory: Theory, id: str, *, kind: NodeKind | None = None, strict: Literal[True] = True
) -> _AnyNode: ...
@overload
def get_node(
    theory: Theory, id: str, *, kind: NodeKind | None = None, strict: Literal[False]
) -> _AnyNode | None: ...
def get_node(
    theory: Theory, id: str, *, kind: NodeKind | None = None, strict: bool = True
) -> _AnyNode | None:
    """The node with an id (of a given kind, if ``kind`` is given).

    Args:
        theory: The theory.
        id: The node id.
        kind: Only accept a node of this kind.
        strict: Raise when there is no such node (default); with ``False``, return None.

    Raises:
        UnknownIdError: with ``strict=True``, if there is no such node (with did-you-mean).

    >>> import cimo
    >>> from cimo.query import get_node
    >>> wfg = cimo.load_example("work-focused-group-cbt")
    >>> get_node(wfg, "relate").label
    'Relate'
    >>> get_node(wfg, "relat", strict=False) is None
    True
    >>> get_node(wfg, "relat")
    Traceback (most recent call last):
    ...
    cimo.errors.UnknownIdError: 'relat' is not a node of this theory (did you mean 'relate'?)
    """
    node = theory.index.get(id)
    if node is not None and (kind is None or node.kind == kind):
        return node
    if not strict:
        return None
    pool = [n.id for n in theory.nodes if kind is None or n.kind == kind]
    raise UnknownIdError(id, kind=kind or "node", suggestions=suggest(id, pool))


@overload
def get_rule(theory: Theory, id: str, *, strict: Literal[True] = True) -> Rule: ...
@overload
def get_rule(theory: Theory, id: str, *, strict: Literal[False]) -> Rule | None: ...
def get_rule(theory: Theory, id: str, *, strict: bool = True) -> Rule | None:
    """The rule with an id.

    Raises:
        UnknownIdError: with ``strict=True``, if there is no such rule (with did-you-mean).

    >>> import cimo
    >>> from cimo.query import get_rule
    >>> get_rule(cimo.load_example("work-focused-group-cbt"), "retain").mechanisms
    ('retain-resume',)
    """
    rule = theory.rule_index.get(id)
    if rule is not None or not strict:
        return rule
    raise UnknownIdError(id, kind="rule", suggestions=suggest(id, theory.rule_index))


def _check_choice(value: str, choices: set[str], what: str) -> None:
    if value not in choices:
        raise UnknownIdError(value, kind=what, suggestions=suggest(value, choices))


def select_rules(
    theory: Theory,
    *,
    context: str | None = None,
    intervention: str | None = None,
    mechanism: str | None = None,
    outcome: str | None = None,
    theme: str | None = None,
    actor: str | None = None,
    status: Status | None = None,
    source: str | None = None,
) -> tuple[Rule, ...]:
    """The rules that match every filter given, in file order.

    Args:
        theory: The theory.
        context: Has this id in IF or UNLESS (a context, or an outcome used as one).
        intervention: Has this intervention in WITH.
        mechanism: Has this mechanism in BECAUSE.
        outcome: Has this outcome in THEN or REDUCES.
        theme: Has this theme (its id or its label).
        actor: Is the configuration of this actor (``actor: GPs``), as written.
        status: Has this status.
        source: Cites this source in its evidence.

    Raises:
        UnknownIdError: if an id, theme, actor or source is not in the theory (a filter
            that can match nothing is a typo; the message suggests the fix).

    >>> import cimo
    >>> from cimo.query import select_rules
    >>> pwp = cimo.load_example("pwp-resilience")
    >>> [r.id for r in select_rules(pwp, context="high-clinical-volume")]
    ['systemic-pressures', 'no-reflection', 'burnout']
    """
    if context is not None:
        check_ids(theory, [context], ("context", "outcome"))
    if intervention is not None:
        check_ids(theory, [intervention], ("intervention",))
    if mechanism is not None:
        check_ids(theory, [mechanism], ("mechanism",))
    if outcome is not None:
        check_ids(theory, [outcome], ("outcome",))
    if theme is not None:  # a theme id, or its label
        theme = {t.label: t.id for t in theory.themes}.get(theme, theme)
        _check_choice(theme, {r.theme for r in theory.rules if r.theme}, "theme")
    if actor is not None:
        _check_choice(actor, set(index_of(theory).by_actor), "actor")
    if source is not None:
        _check_choice(source, set(theory.source_index), "source")

    def keep(rule: Rule) -> bool:
        return (
            (context is None or context in rule.contexts or context in rule.unless)
            and (intervention is None or intervention in rule.interventions)
            and (mechanism is None or mechanism in rule.mechanisms)
            and (outcome is None or outcome in rule.outcomes or outcome in rule.reduces)
            and (theme is None or rule.theme == theme)
            and (actor is None or rule.actor == actor)
            and (status is None or rule.status == status)
            and (source is None or any(e.source == source for e in rule.evidence))
        )

    return tuple(r for r in theory.rules if keep(r))


def select_nodes(
    theory: Theory,
    *,
    kind: NodeKind | None = None,
    tag: str | None = None,
    level: str | None = None,
    category: str | None = None,
) -> tuple[_AnyNode, ...]:
    """The nodes that match every filter given, in file order.

    Args:
        theory: The theory.
        kind: ``context``, ``intervention``, ``mechanism`` or ``outcome``.
        tag: Carries this tag.
        level: A context at this level (micro, meso, macro, interface).
        category: A mechanism of this category.

    >>> import cimo
    >>> from cimo.query import select_nodes
    >>> pwp = cimo.load_example("pwp-resilience")
    >>> [n.id for n in select_nodes(pwp, level="macro")]
    ['national-targets-focus']
    """

    def keep(node: _AnyNode) -> bool:
        return (
            (kind is None or node.kind == kind)
            and (tag is None or tag in node.tags)
            and (level is None or (isinstance(node, Context) and node.level == level))
            and (category is None or (isinstance(node, Mechanism) and node.category == category))
        )

    return tuple(n for n in theory.nodes if keep(n))
