"""The lookups the checks share, built once per :func:`~cimo.validate.validate` call.

Kept apart from the checks so that it can give way to the shared theory
index of :mod:`cimo.core` without touching them: the checks only use the
members below.
"""

from __future__ import annotations

from collections import defaultdict
from functools import cached_property
from operator import attrgetter

from cimo.core.vocabulary import SLOTS, SlotKeyword
from cimo.model import Outcome, Rule, Theory

__all__ = ["Index"]

# the six slot tuples of a rule at once, in the order of SLOTS
_SLOT_VALUES = attrgetter(*(s.attr for s in SLOTS))


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
        # one pass over the rules for all six slots: the rules are read once
        found: dict[str, dict[str, list[int]]] = {s.keyword: {} for s in SLOTS}
        indexes = tuple(found.values())
        for i, rule in enumerate(self.theory.rules):
            for index, ids in zip(indexes, _SLOT_VALUES(rule), strict=True):
                for ref in ids:
                    index.setdefault(ref, []).append(i)
        return found

    @cached_property
    def used(self) -> set[str]:
        """Every id named in some rule slot."""
        out: set[str] = set()
        for ids in self._slot_index.values():
            out.update(ids)
        return out

    @cached_property
    def linked(self) -> dict[str, list[str]]:
        """Outcome -> the contexts it is linked to."""
        out: defaultdict[str, list[str]] = defaultdict(list)
        for link in self.theory.links:
            out[link.outcome].append(link.context)
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

    def rule(self, i: int) -> Rule:
        return self.theory.rules[i]

    def rules_using(self, ident: str, *slots: SlotKeyword) -> list[int]:
        """Positions of the rules naming ``ident`` in any of ``slots``."""
        if len(slots) == 1:
            return self.slot(slots[0]).get(ident, [])
        return sorted({i for slot in slots for i in self.slot(slot).get(ident, ())})
