"""The lookups the checks share: a view of the theory's one shared index.

The checks use only the members of :class:`Index`, each read from
:class:`cimo.core.index.TheoryIndex` (built once per theory and shared with
the queries, the graph, the summary and the tables), and the rule helpers
:func:`can_fire` and :func:`required`, which say what the reasoning of
:mod:`cimo.query` says about a rule's conditions (a rule with no context fires
nowhere; ``if: any`` fires anywhere).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cached_property

from cimo.core.index import Positions, index_of, nested_ids
from cimo.core.vocabulary import SlotKeyword
from cimo.model import Rule, Theory
from cimo.query._index import has_context_condition, required_items

__all__ = ["Index", "can_fire", "certain_outcomes", "nested_ids", "required"]


def can_fire(rule: Rule) -> bool:
    """Whether the rule can fire in some scenario: it has a context condition or ``if: any``.

    A rule with no context (left out, or declared ``missing: [context]``) never
    fires: it is "context unknown", not "in any circumstances". The queries'
    own test (:func:`cimo.query._index.has_context_condition`), so that a check
    and a scenario never disagree on it.
    """
    return has_context_condition(rule)


def required(rule: Rule) -> frozenset[str]:
    """The ids that must all hold for the rule to fire: its ``if`` and ``within`` items."""
    return frozenset(required_items(rule))


def certain_outcomes(rule: Rule) -> tuple[str, ...]:
    """The ``then`` outcomes the rule produces whenever it fires.

    With ``mechanism_mode: alternatives``, an outcome that follows through one
    mechanism only (a mechanism link's ``then``) is produced only when that
    mechanism fires, so it is not certain.
    """
    if rule.mechanism_mode != "alternatives" or not rule.mechanism_links:
        return rule.outcomes
    linked = {o for link in rule.mechanism_links for o in link.then}
    return tuple(o for o in rule.outcomes if o not in linked)


class Index:
    """The checks' view of the theory's shared index (:func:`cimo.core.index.index_of`).

    Every lookup is the shared :class:`~cimo.core.index.TheoryIndex`'s, built
    once per theory and shared with the queries, the graph, the summary and
    the tables; only the set of outcomes in a ``variant_of`` pair is the
    checks' own.
    """

    def __init__(self, theory: Theory) -> None:
        self.theory = theory
        self.shared = index_of(theory)

    @property
    def rule_pos(self) -> Mapping[str, int]:
        return self.shared.rule_pos

    @property
    def node_pos(self) -> Mapping[str, int]:
        return self.shared.node_pos

    def slot(self, slot: SlotKeyword) -> Positions:
        """Id -> positions of the rules naming it in ``slot`` (the file keyword: ``if``, ...)."""
        return self.shared.slot(slot)

    @property
    def nested(self) -> Positions:
        """Id -> positions of the rules naming it in a nested part of a rule."""
        return self.shared.nested

    @property
    def used(self) -> frozenset[str]:
        """Every id named by some rule (in any slot or nested part) or by a relation."""
        return self.shared.mentioned

    @property
    def linked(self) -> Mapping[str, tuple[str, ...]]:
        """Outcome -> the contexts it is linked to."""
        return self.shared.linked

    @property
    def feeds(self) -> Mapping[str, tuple[str, ...]]:
        """Id -> what it makes hold: its linked contexts and the ``to`` of its ``feeds``."""
        return self.shared.makes_hold

    @property
    def in_links(self) -> frozenset[str]:
        return self.shared.in_links

    @property
    def opposites(self) -> Mapping[str, frozenset[str]]:
        """Outcome -> its declared opposites (both directions)."""
        return self.shared.opposites

    @cached_property
    def variants(self) -> frozenset[str]:
        """The outcomes in a ``variant_of`` pair (either end)."""
        return frozenset(x for of, ids in self.shared.variants.items() for x in (of, *ids))

    def rule(self, i: int) -> Rule:
        return self.shared.rule(i)

    def rules_using(self, ident: str, *slots: SlotKeyword) -> tuple[int, ...]:
        """Positions of the rules naming ``ident`` in any of ``slots``."""
        return self.shared.rules_using(ident, *slots) if slots else ()

    @property
    def consumers(self) -> Positions:
        """Id -> positions of the rules whose firing depends on it (see the shared index)."""
        return self.shared.consumers
