"""The rule checks (R): duplicates, contradictions, gaps, evidence, refuted links in a chain."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from operator import attrgetter
from typing import Any

from cimo.core.vocabulary import SLOTS, SlotKeyword
from cimo.model import Outcome, Rule
from cimo.validate._checks._shared import names
from cimo.validate._index import Index, can_fire, certain_outcomes, required
from cimo.validate._registry import Raw, check

__all__: list[str] = []

# the flat slot tuples of a rule at once, in the order of SLOTS
_SLOT_VALUES = attrgetter(*(s.attr for s in SLOTS))


def _canon(ids: tuple[str, ...]) -> tuple[str, ...]:
    return ids if len(ids) < 2 else tuple(sorted(ids))


def _configuration(r: Rule) -> tuple[Any, ...]:
    """Everything that says what a rule claims, each list in a canonical order.

    Every flat slot, ``if: any``, the ``if_any`` groups, the mechanism links
    (their ``requires`` and ``then``), how several mechanisms combine, the
    outcome steps, the parts declared missing, the actor and the programme
    theory: two rules are the same configuration only when all of these are.
    """
    key: tuple[Any, ...] = (
        *(_canon(ids) for ids in _SLOT_VALUES(r)),
        r.mechanism_mode if len(r.mechanisms) > 1 else "together",
        r.any_context,
        r.actor,
        r.programme_theory,
    )
    if r.context_groups or r.mechanism_links or r.outcome_steps or r.missing_parts:
        key += (
            frozenset(frozenset(g) for g in r.context_groups),
            frozenset(
                (m.mechanism, frozenset(m.requires), frozenset(m.then)) for m in r.mechanism_links
            ),
            frozenset((s.from_, s.to) for s in r.outcome_steps),
            frozenset(r.missing_parts),
        )
    return key


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
        seen = first.setdefault(_configuration(r), r.id)
        if seen != r.id:
            yield Raw(
                f"rule {r.id} repeats rule {seen}: the same configuration twice",
                r.id,
                ("rules", i),
                (r.id, seen),
            )


def _blocks(a: Rule, b: Rule, ix: Index) -> bool:
    """Whether rule ``a`` firing rules out rule ``b`` firing in the same scenario.

    It does when an UNLESS item of ``a`` is something ``b`` needs (an IF or
    WITHIN item, or every member of one of its ``if_any`` groups), or when
    ``b`` produces (directly, or through a link or a ``feeds`` relation) an
    UNLESS item of ``a``: once ``b`` has fired, ``a`` is blocked.
    """
    if not a.unless:
        return False
    unless = set(a.unless)
    if not unless.isdisjoint(required(b)):
        return True
    if any(unless.issuperset(group) for group in b.context_groups):
        return True
    feeds = ix.feeds
    return any(o in unless or not unless.isdisjoint(feeds.get(o, ())) for o in certain_outcomes(b))


def _co_fire(a: Rule, b: Rule, ix: Index) -> bool:
    """Whether two rules can fire in one scenario.

    They cannot when either never fires (no context), when one blocks the
    other (:func:`_blocks`), or when they need an outcome and its declared
    opposite.
    """
    if not (can_fire(a) and can_fire(b)) or _blocks(a, b, ix) or _blocks(b, a, ix):
        return False
    opposites = ix.opposites
    if opposites:
        need = required(b)
        for c in required(a):
            if not opposites.get(c, set()).isdisjoint(need):
                return False
    return True


def _first_clash(ix: Index, ups: Sequence[int], downs: Sequence[int]) -> tuple[int, int] | None:
    """The first pair (one from each group) that can fire together.

    The scan stops at the first compatible pair, so it costs one comparison per
    outcome unless rules of the two groups block each other; only then does it
    go further, and never beyond the two groups of one outcome.
    """
    for a in ups:
        for b in downs:
            if a != b and _co_fire(ix.rule(a), ix.rule(b), ix):
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
    # refuted rules are no longer claimed, and a rule with no context never fires:
    # both are left out of the groups before any pair is compared
    dead = {i for i, r in enumerate(ix.theory.rules) if r.status == "refuted" or not can_fire(r)}

    def live(slot: SlotKeyword) -> Mapping[str, Sequence[int]]:
        rules = ix.slot(slot)
        if not dead:
            return rules
        return {o: kept for o, ids in rules.items() if (kept := [i for i in ids if i not in dead])}

    then = live("then")
    yield from _predicted_and_reduced(ix, then, live("reduces"))
    yield from _predicted_with_opposite(ix, then)


def _predicted_and_reduced(
    ix: Index, then: Mapping[str, Sequence[int]], reduces: Mapping[str, Sequence[int]]
) -> Iterator[Raw]:
    """Clashes between a rule predicting an outcome and one reducing it."""
    for outcome, downs in reduces.items():
        ups = then.get(outcome)
        if not ups:
            continue
        pair = _first_clash(ix, ups, downs)
        if pair is not None:
            a, b = ix.rule(pair[0]), ix.rule(pair[1])
            yield Raw(
                f"rules {a.id} and {b.id} can fire together, but {a.id} predicts "
                f"{outcome!r} and {b.id} reduces it",
                b.id,
                ("rules", pair[1], "reduces", b.reduces.index(outcome)),
                (a.id, b.id, outcome),
            )


def _predicted_with_opposite(ix: Index, then: Mapping[str, Sequence[int]]) -> Iterator[Raw]:
    """Clashes between rules predicting an outcome and its declared opposite."""
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
        pair = _first_clash(ix, pros, cons)
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
    "A rule has no context, no mechanism or no outcome (info when the source itself leaves "
    "the part out: 'missing: [...]').",
    "add the missing part if the source states it; if the source leaves it out, declare it "
    "('missing: [context]')",
)
def _incomplete(ix: Index) -> Iterator[Raw]:
    for i, r in enumerate(ix.theory.rules):
        absent = r.missing
        declared = r.missing_parts
        unsaid = [p for p in absent if p not in declared]
        if unsaid:
            yield Raw(
                f"rule {r.id} has no {' and no '.join(unsaid)}",
                r.id,
                ("rules", i),
                hint=_undeclared_hint(unsaid),
            )
        if declared:
            said = [p for p in declared if p in absent or not _stated(r, p)]
            if said:
                yield Raw(
                    f"rule {r.id}: its {' and '.join(said)} "
                    f"{'is' if len(said) == 1 else 'are'} missing in the source",
                    r.id,
                    ("rules", i, "missing", declared.index(said[0])),
                    severity="info",
                    hint=_declared_hint(said),
                )


def _undeclared_hint(parts: Sequence[str]) -> str:
    """Add the parts, or declare the very parts the source leaves out.

    >>> print(_undeclared_hint(["mechanism", "outcome"]))  # doctest: +NORMALIZE_WHITESPACE
    add the mechanism and outcome if the source states them; if the source leaves them out,
    declare it ('missing: [mechanism, outcome]')
    """
    what = " and ".join(parts)
    them = "it" if len(parts) == 1 else "them"
    return (
        f"add the {what} if the source states {them}; if the source leaves {them} out, "
        f"declare it ('missing: [{', '.join(parts)}]')"
    )


def _declared_hint(parts: Sequence[str]) -> str:
    """Nothing to fix; what queries make of a missing context only when the context is missing.

    >>> _declared_hint(["mechanism"])
    'nothing to fix: the source leaves it out; add the part if another source states it'
    """
    why = (
        " (queries report the rule as 'context unknown' and never fire it without a context)"
        if "context" in parts
        else ""
    )
    return (
        f"nothing to fix: the source leaves it out{why}; add the part if another source states it"
    )


def _stated(r: Rule, part: str) -> bool:
    """Whether the rule names the part (an intervention is not one of :attr:`Rule.missing`)."""
    return part != "intervention" or bool(r.interventions)


#: The stances of a witness; ``source`` (and no stance) only say where a rule comes from.
_WITNESS = frozenset({"supports", "refutes", "refines"})


@check(
    "R004",
    "rule-without-evidence",
    "warning",
    "A rule cites no evidence, or none that is a witness (stance supports, refutes or refines): "
    "info for a hypothesised rule whose entries only say where it comes from.",
    "add an 'evidence' entry saying where the rule comes from (source, locator, quote)",
)
def _no_evidence(ix: Index) -> Iterator[Raw]:
    for i, r in enumerate(ix.theory.rules):
        if not r.evidence:
            yield Raw(f"rule {r.id} cites no evidence", r.id, ("rules", i))
            continue
        if any(e.stance in _WITNESS for e in r.evidence):
            continue
        sourced = sum(e.stance == "source" for e in r.evidence)
        what = []
        if sourced:
            what.append(
                _entries(sourced, "only says", "only say") + " where it comes from (stance: source)"
            )
        if len(r.evidence) > sourced:
            what.append(_entries(len(r.evidence) - sourced, "gives", "give") + " no stance")
        if r.status == "hypothesised":
            yield Raw(
                f"rule {r.id} is sourced but has no witness evidence: {' and '.join(what)}",
                r.id,
                ("rules", i, "evidence"),
                severity="info",
                hint=_SOURCED_HINT,
            )
        else:
            yield Raw(
                f"rule {r.id} is marked {r.status} but has no witness evidence: "
                + " and ".join(what),
                r.id,
                ("rules", i, "status"),
                hint=_CLAIMED_HINT,
            )


_SOURCED_HINT = (
    "nothing to fix for a hypothesis drawn from a source; when data speak to the rule, add them "
    "as evidence with stance supports, refutes or refines (with the quote)"
)
_CLAIMED_HINT = (
    "add the evidence the status rests on (stance supports, refutes or refines, with the "
    "quote), or set the status back to hypothesised"
)


def _entries(n: int, one: str, many: str) -> str:
    """``1 entry says`` / ``2 entries say``.

    >>> _entries(2, "gives", "give")
    '2 entries give'
    """
    return f"1 entry {one}" if n == 1 else f"{n} entries {many}"


@check(
    "R005",
    "refuted-rule-in-chain",
    "warning",
    "A refuted rule's outcome, which no other rule still produces, feeds a rule that is not "
    "refuted.",
    "let the later rule start from a context that still holds, or mark it refuted too",
)
def _refuted_in_chain(ix: Index) -> Iterator[Raw]:
    live = [r for r in ix.theory.rules if r.status != "refuted"]
    produced = {o for r in live for o in (*r.outcomes, *r.otherwise)}
    for i, r in enumerate(ix.theory.rules):
        if r.status != "refuted":
            continue
        for o in dict.fromkeys((*r.outcomes, *r.otherwise, *r.reduces)):
            if o in produced:
                continue  # another rule still produces it
            fed = list(
                dict.fromkeys(
                    ix.rule(j).id
                    for c in (o, *ix.feeds.get(o, ()))
                    for j in ix.consumers.get(c, ())
                    if ix.rule(j).status != "refuted"
                )
            )
            if fed:
                yield Raw(
                    f"rule {r.id} is refuted, but its outcome {o!r} still feeds rule {names(fed)}",
                    r.id,
                    ("rules", i, "status"),
                    (r.id, o, *fed),
                )
