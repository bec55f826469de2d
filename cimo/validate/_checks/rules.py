"""The rule checks (R): duplicates, contradictions, gaps, evidence, refuted links in a chain."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from operator import attrgetter
from typing import Any

from cimo.core.vocabulary import SLOTS, SlotKeyword
from cimo.model import Outcome, Rule
from cimo.validate._checks._shared import names
from cimo.validate._index import Index
from cimo.validate._registry import Raw, check

__all__: list[str] = []

# the six slot tuples of a rule at once, in the order of SLOTS
_SLOT_VALUES = attrgetter(*(s.attr for s in SLOTS))


def _canon(ids: tuple[str, ...]) -> tuple[str, ...]:
    return ids if len(ids) < 2 else tuple(sorted(ids))


@check(
    "R001",
    "duplicate-rule",
    "error",
    "Two rules state the same configuration (the same ids in every slot, in any order).",
    "merge the two rules (keep one id and combine their evidence), or make them differ",
)
def _duplicate_rules(ix: Index) -> Iterator[Raw]:
    first: dict[tuple[Any, ...], str] = {}
    for i, r in enumerate(ix.theory.rules):
        key = (
            *(_canon(ids) for ids in _SLOT_VALUES(r)),
            r.mechanism_mode if len(r.mechanisms) > 1 else "together",
        )
        seen = first.setdefault(key, r.id)
        if seen != r.id:
            yield Raw(
                f"rule {r.id} repeats rule {seen}: the same configuration twice",
                r.id,
                ("rules", i),
                (r.id, seen),
            )


def _co_fire(a: Rule, b: Rule, opposites: Mapping[str, set[str]]) -> bool:
    """Whether two rules can fire in one scenario.

    They cannot when an IF item of one is an UNLESS item of the other, or when
    they need an outcome and its declared opposite.
    """
    if a.unless and not set(a.unless).isdisjoint(b.contexts):
        return False
    if b.unless and not set(b.unless).isdisjoint(a.contexts):
        return False
    if opposites:
        need = set(b.contexts)
        for c in a.contexts:
            if not opposites.get(c, set()).isdisjoint(need):
                return False
    return True


def _first_clash(
    ix: Index, ups: list[int], downs: list[int], opposites: Mapping[str, set[str]]
) -> tuple[int, int] | None:
    """The first pair (one from each group) that can fire together.

    The scan stops at the first compatible pair, so it costs one comparison per
    outcome unless rules of the two groups block each other; only then does it
    go further, and never beyond the two groups of one outcome.
    """
    for a in ups:
        for b in downs:
            if a != b and _co_fire(ix.rule(a), ix.rule(b), opposites):
                return a, b
    return None


@check(
    "R002",
    "contradictory-rules",
    "error",
    "Two rules can fire together yet predict opposite things: one's THEN is the other's "
    "REDUCES, or they predict an outcome and its declared opposite.",
    "say what tells the two apart: add a context to one rule's 'if' and to the other's "
    "'unless', or mark one of them refuted",
)
def _contradictions(ix: Index) -> Iterator[Raw]:
    refuted = {i for i, r in enumerate(ix.theory.rules) if r.status == "refuted"}

    def live(slot: SlotKeyword) -> Mapping[str, list[int]]:
        rules = ix.slot(slot)
        if not refuted:
            return rules
        return {
            o: kept for o, ids in rules.items() if (kept := [i for i in ids if i not in refuted])
        }

    then = live("then")
    yield from _predicted_and_reduced(ix, then, live("reduces"))
    yield from _predicted_with_opposite(ix, then)


def _predicted_and_reduced(
    ix: Index, then: Mapping[str, list[int]], reduces: Mapping[str, list[int]]
) -> Iterator[Raw]:
    """Clashes between a rule predicting an outcome and one reducing it."""
    opposites = ix.opposites
    for outcome, downs in reduces.items():
        ups = then.get(outcome)
        if not ups:
            continue
        pair = _first_clash(ix, ups, downs, opposites)
        if pair is not None:
            a, b = ix.rule(pair[0]), ix.rule(pair[1])
            yield Raw(
                f"rules {a.id} and {b.id} can fire together, but {a.id} predicts "
                f"{outcome!r} and {b.id} reduces it",
                b.id,
                ("rules", pair[1], "reduces", b.reduces.index(outcome)),
                (a.id, b.id, outcome),
            )


def _predicted_with_opposite(ix: Index, then: Mapping[str, list[int]]) -> Iterator[Raw]:
    """Clashes between rules predicting an outcome and its declared opposite."""
    opposites = ix.opposites
    done: set[frozenset[str]] = set()
    for node in ix.theory.nodes:
        if not isinstance(node, Outcome) or node.opposite is None:
            continue
        key = frozenset((node.id, node.opposite))
        if key in done:
            continue
        done.add(key)
        pros, cons = then.get(node.id), then.get(node.opposite)
        if not pros or not cons:
            continue
        pair = _first_clash(ix, pros, cons, opposites)
        if pair is not None:
            a, b = ix.rule(pair[0]), ix.rule(pair[1])
            yield Raw(
                f"rules {a.id} and {b.id} can fire together, but {a.id} predicts "
                f"{node.id!r} and {b.id} predicts its opposite {node.opposite!r}",
                b.id,
                ("rules", pair[1], "then", b.outcomes.index(node.opposite)),
                (a.id, b.id, node.id, node.opposite),
            )


@check(
    "R003",
    "incomplete-rule",
    "warning",
    "A rule has no context, no mechanism or no outcome.",
    "add the missing part if the source states it; realist configurations need all three",
)
def _incomplete(ix: Index) -> Iterator[Raw]:
    for i, r in enumerate(ix.theory.rules):
        if r.missing:
            yield Raw(f"rule {r.id} has no {' and no '.join(r.missing)}", r.id, ("rules", i))


@check(
    "R004",
    "rule-without-evidence",
    "warning",
    "A rule cites no evidence.",
    "add an 'evidence' entry saying where the rule comes from (source, locator, quote)",
)
def _no_evidence(ix: Index) -> Iterator[Raw]:
    for i, r in enumerate(ix.theory.rules):
        if not r.evidence:
            yield Raw(f"rule {r.id} cites no evidence", r.id, ("rules", i))


@check(
    "R005",
    "refuted-rule-in-chain",
    "warning",
    "A refuted rule's outcome still feeds another rule that is not refuted.",
    "let the later rule start from a context that still holds, or mark it refuted too",
)
def _refuted_in_chain(ix: Index) -> Iterator[Raw]:
    for i, r in enumerate(ix.theory.rules):
        if r.status != "refuted":
            continue
        for o in (*r.outcomes, *r.reduces):
            fed = [
                ix.rule(j).id
                for c in (o, *ix.linked.get(o, ()))
                for j in ix.rules_using(c, "if", "unless")
                if ix.rule(j).status != "refuted"
            ]
            if fed:
                yield Raw(
                    f"rule {r.id} is refuted, but its outcome {o!r} still feeds rule {names(fed)}",
                    r.id,
                    ("rules", i, "status"),
                    (r.id, o, *fed),
                )
