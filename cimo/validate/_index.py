"""The lookups the checks share, built once per :func:`~cimo.validate.validate` call.

Kept apart from the checks so that it can give way to the shared theory
index of :mod:`cimo.core` without touching them: the checks only use the
members below, and the two rule helpers :func:`can_fire` and :func:`required`,
which say what the reasoning of :mod:`cimo.query` says about a rule's
conditions (a rule with no context fires nowhere; ``if: any`` fires anywhere).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from functools import cached_property
from operator import attrgetter

from cimo.core.vocabulary import SLOTS, SlotKeyword
from cimo.model import Outcome, Rule, Theory

__all__ = ["Index", "can_fire", "certain_outcomes", "nested_ids", "required"]

# the flat slot tuples of a rule at once, in the order of SLOTS
_SLOT_VALUES = attrgetter(*(s.attr for s in SLOTS))


def can_fire(rule: Rule) -> bool:
    """Whether the rule can fire in some scenario: it has a context condition or ``if: any``.

    A rule with no context (left out, or declared ``missing: [context]``) never
    fires: it is "context unknown", not "in any circumstances".
    """
    if "context" in rule.missing_parts:
        return False
    return bool(rule.contexts or rule.modifiers or rule.context_groups or rule.any_context)


def required(rule: Rule) -> frozenset[str]:
    """The ids that must all hold for the rule to fire: its ``if`` and ``within`` items."""
    if not rule.modifiers:
        return frozenset(rule.contexts)
    return frozenset((*rule.contexts, *rule.modifiers))


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


def nested_ids(rule: Rule) -> Iterator[str]:
    """The ids a rule names outside its flat slots: ``if_any`` groups, mechanism links, steps."""
    for group in rule.context_groups:
        yield from group
    for link in rule.mechanism_links:
        yield from link.requires
        yield from link.then
    for step in rule.outcome_steps:
        yield step.from_
        yield step.to


class Index:
    """Lookups shared by the checks, each built once, in one pass, when first needed."""

    def __init__(self, theory: Theory) -> None:
        self.theory = theory

    @cached_property
    def rule_pos(self) -> dict[str, int]:
        return {r.id: i for i, r in enumerate(self.theory.rules)}

    @cached_property
    def node_pos(self) -> dict[str, int]:
        return {n.id: i for i, n in enumerate(self.theory.nodes)}

    def slot(self, slot: SlotKeyword) -> dict[str, list[int]]:
        """Id -> positions of the rules naming it in ``slot`` (the file keyword: ``if``, ...)."""
        return self._slot_index[slot]

    @cached_property
    def _slot_index(self) -> dict[str, dict[str, list[int]]]:
        # one pass over the rules for all the flat slots: the rules are read once
        found: dict[str, dict[str, list[int]]] = {s.keyword: {} for s in SLOTS}
        indexes = tuple(found.values())
        for i, rule in enumerate(self.theory.rules):
            for index, ids in zip(indexes, _SLOT_VALUES(rule), strict=True):
                for ref in ids:
                    index.setdefault(ref, []).append(i)
        return found

    @cached_property
    def nested(self) -> dict[str, list[int]]:
        """Id -> positions of the rules naming it in a nested part of a rule.

        The nested parts: an ``if_any`` group, a mechanism link (``requires``,
        ``then``) or an outcome step (``leads_to``).
        """
        out: dict[str, list[int]] = {}
        for i, rule in enumerate(self.theory.rules):
            for ref in dict.fromkeys(nested_ids(rule)):
                out.setdefault(ref, []).append(i)
        return out

    @cached_property
    def used(self) -> set[str]:
        """Every id named by some rule (in any slot or nested part) or by a relation."""
        out: set[str] = set()
        for ids in self._slot_index.values():
            out.update(ids)
        out.update(self.nested)
        for relation in self.theory.relations:
            out.add(relation.from_)
            if not relation.external:
                out.add(relation.to)
        return out

    @cached_property
    def linked(self) -> dict[str, list[str]]:
        """Outcome -> the contexts it is linked to."""
        out: defaultdict[str, list[str]] = defaultdict(list)
        for link in self.theory.links:
            out[link.outcome].append(link.context)
        return out

    @cached_property
    def feeds(self) -> dict[str, list[str]]:
        """Id -> what it makes hold: its linked contexts and the ``to`` of its ``feeds``."""
        out: defaultdict[str, list[str]] = defaultdict(list)
        for link in self.theory.links:
            out[link.outcome].append(link.context)
        for relation in self.theory.relations:
            if relation.type == "feeds" and not relation.external:
                out[relation.from_].append(relation.to)
        return out

    @cached_property
    def in_links(self) -> set[str]:
        return {i for link in self.theory.links for i in (link.outcome, link.context)}

    @cached_property
    def opposites(self) -> dict[str, set[str]]:
        """Outcome -> its declared opposites (both directions)."""
        out: defaultdict[str, set[str]] = defaultdict(set)
        for node in self.theory.nodes:
            if isinstance(node, Outcome) and node.opposite is not None:
                out[node.id].add(node.opposite)
                out[node.opposite].add(node.id)
        return out

    @cached_property
    def variants(self) -> set[str]:
        """The outcomes in a ``variant_of`` pair (either end)."""
        return {
            x
            for node in self.theory.outcomes
            if node.variant_of is not None
            for x in (node.id, node.variant_of)
        }

    def rule(self, i: int) -> Rule:
        return self.theory.rules[i]

    def rules_using(self, ident: str, *slots: SlotKeyword) -> list[int]:
        """Positions of the rules naming ``ident`` in any of ``slots``."""
        if len(slots) == 1:
            return self.slot(slots[0]).get(ident, [])
        return sorted({i for slot in slots for i in self.slot(slot).get(ident, ())})

    @cached_property
    def consumers(self) -> dict[str, list[int]]:
        """Id -> positions of the rules whose firing depends on it.

        Through ``if``, ``unless``, ``within``, an ``if_any`` group or a
        mechanism's ``requires``; not the qualifiers ``moderated_by`` and
        ``despite``, which never change whether a rule fires.
        """
        out: dict[str, list[int]] = {}
        for i, rule in enumerate(self.theory.rules):
            refs = [*rule.contexts, *rule.unless, *rule.modifiers]
            refs += [c for group in rule.context_groups for c in group]
            refs += [c for link in rule.mechanism_links for c in link.requires]
            for ref in dict.fromkeys(refs):
                out.setdefault(ref, []).append(i)
        return out
