"""The bypass check (R006): a rule that gives another rule's outcome without its UNLESS.

Rule A says "IF c, WITH i, THEN o, UNLESS u". When rule B gives the same
outcome from a subset of A's conditions and is not blocked by ``u``, then in
the scenario "c, i and u" A is blocked but B still gives ``o``: A's UNLESS has
no effect on the outcome (new-user report, stumble S9, found there only by a
property test).

Cost: the rules are grouped by outcome (``then`` and ``reduces`` apart) and
compared only within a group, through an inverted index of the group's
conditions (condition -> the rules of the group needing it): a rule B needs a
subset of A's conditions exactly when every condition of B is hit while A's
conditions are looked up. Each rule with an UNLESS costs the sum of the
posting lists of its conditions in that group, so the worst case is, for each
outcome, the rules with an UNLESS times the size of the group, never all pairs
of rules of the theory.

Each candidate is then confirmed by the reasoning itself: one
:func:`cimo.query.scenario` run for each UNLESS item that has a candidate,
given A's conditions and ``u``, must block A, fire B and give the outcome.
So the scenario the finding names is one the queries agree with (a third rule
firing there and blocking B is taken into account). Bypasses through chains
of other rules are not looked for; property tests find those
(:func:`cimo.testing.assert_whenever`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from cimo.model import Rule
from cimo.query import scenario
from cimo.query._index import in_order, in_rule, mechanisms_of
from cimo.validate._checks._shared import names
from cimo.validate._index import Index, can_fire, required
from cimo.validate._registry import Raw, check

__all__: list[str] = []


def _conditions(rule: Rule) -> frozenset[str]:
    """What must hold or be delivered: the ``if``, ``within`` and ``with`` items."""
    need = required(rule)
    return need | frozenset(rule.interventions) if rule.interventions else need


@check(
    "R006",
    "bypassed-disabling-context",
    "warning",
    "A rule gives another rule's outcome from a subset of its conditions without its UNLESS "
    "item, so that UNLESS has no effect on the outcome.",
    "if the UNLESS item should block every route to the outcome, add it to the other rule's "
    "'unless' too; if that route works although it holds, say so there ('despite' or "
    "'moderated_by')",
)
def _bypassed(ix: Index) -> Iterator[Raw]:
    rules = ix.theory.rules
    if not any(r.unless for r in rules):
        return
    conditions = [_conditions(r) for r in rules]
    live = [r.status != "refuted" and can_fire(r) for r in rules]
    candidates: dict[tuple[int, int], dict[int, list[tuple[str, str]]]] = {}
    for slot in ("then", "reduces"):
        for outcome, producers in ix.slot(slot).items():
            group = [i for i in producers if live[i]]
            if len(group) < 2 or not any(rules[a].unless for a in group):
                continue
            for a, k, b in _bypasses_in(rules, conditions, group, outcome, slot):
                candidates.setdefault((a, k), {}).setdefault(b, []).append((slot, outcome))
    for (a, k), by_rule in sorted(candidates.items()):
        yield from _confirmed(ix, a, k, by_rule)


def _confirmed(
    ix: Index, a: int, k: int, by_rule: dict[int, list[tuple[str, str]]]
) -> Iterator[Raw]:
    """The candidates the reasoning confirms.

    In the scenario "A's conditions and u", :func:`cimo.query.scenario` must
    block A, fire B and give the outcome (another rule firing there may block
    B, or A may not be blocked at all).
    """
    rule_a = ix.rule(a)
    u = rule_a.unless[k]
    given = [*rule_a.contexts, *rule_a.modifiers, *(g[0] for g in rule_a.context_groups), u]
    sc = scenario(ix.theory, contexts=dict.fromkeys(given), interventions=rule_a.interventions)
    if rule_a.id not in sc.blocked_rules:
        return
    fired = set(sc.fired_rules)
    got = {"then": set(sc.outcomes), "reduces": set(sc.reduced)}
    for b in sorted(by_rule):
        rule_b = ix.rule(b)
        if rule_b.id not in fired:
            continue
        for slot in ("then", "reduces"):
            outcomes = [o for s, o in by_rule[b] if s == slot and o in got[slot]]
            if outcomes:
                yield _finding(rule_a, a, k, rule_b, outcomes, slot, given, sc.interventions)


def _bypasses_in(
    rules: tuple[Rule, ...],
    conditions: list[frozenset[str]],
    group: list[int],
    outcome: str,
    slot: str,
) -> Iterator[tuple[int, int, int]]:
    """(A, position of u in A's UNLESS, B) for one outcome's group of rules.

    Every B that gives the outcome from A's conditions without being blocked
    by u, not only the first: the reasoning then confirms each (:func:`_confirmed`).
    """
    posting: dict[str, list[int]] = {}
    free: list[int] = []  # rules needing nothing of the flat conditions (if: any, if_any only)
    for b in group:
        if not conditions[b]:
            free.append(b)
        for c in conditions[b]:
            posting.setdefault(c, []).append(b)
    for a in group:
        rule_a = rules[a]
        if not rule_a.unless:
            continue
        held = conditions[a]
        hits: Counter[int] = Counter(b for c in held for b in posting.get(c, ()))
        subsets = sorted({b for b, n in hits.items() if n == len(conditions[b])} | set(free))
        for k, u in enumerate(rule_a.unless):
            if u in held:
                continue  # A can never fire: it needs u and is blocked by it
            for b in subsets:
                if b != a and _still_gives(rules[b], rule_a, held, u, outcome, slot):
                    yield a, k, b


def _still_gives(b: Rule, a: Rule, held: frozenset[str], u: str, outcome: str, slot: str) -> bool:
    """Whether ``b`` gives ``outcome`` in the scenario ``held`` plus ``u``.

    Its flat conditions are already known to lie in ``held``.
    """
    if u in b.unless or u in b.despite or u in b.moderators:
        return False  # blocked by u too, or says on purpose that it works although u holds
    if not held.isdisjoint(b.unless):
        return False
    a_groups = [frozenset(g) for g in a.context_groups]
    for group in b.context_groups:
        members = frozenset(group)
        if members.isdisjoint(held) and not any(g <= members for g in a_groups):
            return False
    mechs = mechanisms_of(b)
    seq = in_rule(b, mechs)
    inner = seq.inner if seq is not None else frozenset()
    fired = {mechs[k].id for k in in_order(mechs, inner, held.__contains__, lambda k: True)}
    if b.mechanisms:
        if b.mechanism_mode == "alternatives" and not fired:
            return False
        if b.mechanism_mode != "alternatives" and len(fired) < len(b.mechanisms):
            return False
    if slot == "then":
        through = [link.mechanism for link in b.mechanism_links if outcome in link.then]
        if through and not any(m in fired for m in through):
            return False
    return True


def _finding(
    rule_a: Rule,
    a: int,
    k: int,
    rule_b: Rule,
    outcomes: list[str],
    slot: str,
    given: list[str],
    interventions: tuple[str, ...],
) -> Raw:
    u = rule_a.unless[k]
    verb = "gives" if slot == "then" else "reduces"
    what = names(repr(o) for o in outcomes)
    circumstances = ", ".join(given[:-1]) or "any circumstances"
    if interventions:
        circumstances += ", with " + ", ".join(interventions)
    return Raw(
        f"rule {rule_b.id} {verb} {what} from a subset of rule {rule_a.id}'s conditions "
        f"without its UNLESS {u!r}, so {rule_a.id}'s UNLESS {u!r} has no effect on "
        f"{'it' if len(outcomes) == 1 else 'them'}: given {circumstances} and {u}, "
        f"rule {rule_a.id} is blocked but {rule_b.id} still {verb} {what}",
        rule_a.id,
        ("rules", a, "unless", k),
        (rule_a.id, rule_b.id, u, *outcomes),
    )
