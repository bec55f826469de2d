"""Properties of cimo.query on generated theories, against naive reference code."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from cimo import query as q
from cimo.model import Rule, Theory
from cimo.strategies import scenarios, theories


def _derivable(theory: Theory) -> set[str]:
    return {o for r in theory.rules for o in r.outcomes} | {k.context for k in theory.links}


def monotone(theory: Theory) -> Theory:
    """The theory without UNLESS items a rule can derive: blocking is then fixed by the inputs."""
    derivable = _derivable(theory)
    rules = tuple(
        Rule.model_validate(
            {**r.model_dump(), "unless": tuple(u for u in r.unless if u not in derivable)}
        )
        for r in theory.rules
    )
    return Theory.model_validate({**theory.model_dump(), "rules": rules})


def works(rule: Rule, without: frozenset[str]) -> bool:
    """Whether a rule still has a way to work once ``without`` mechanisms are gone.

    ``together``: every mechanism must be there; ``alternatives``: any one will
    do. A rule that names no mechanism is not stopped by removing mechanisms.
    """
    if not rule.mechanisms:
        return True
    left = [m for m in rule.mechanisms if m not in without]
    if rule.mechanism_mode != "alternatives":  # together, or unstated (reasoned as together)
        return len(left) == len(rule.mechanisms)
    return bool(left)


def naive(
    theory: Theory, contexts: frozenset[str], interventions: frozenset[str], without: frozenset[str]
) -> tuple[set[str], set[str], set[str]]:
    """Rescan every rule until nothing changes: (fired, blocked, holding). Monotone only."""
    linked: dict[str, list[str]] = {}
    for link in theory.links:
        linked.setdefault(link.outcome, []).append(link.context)
    holding: set[str] = set()

    def hold(item: str) -> None:
        if item not in without:
            holding.add(item)
            holding.update(c for c in linked.get(item, ()) if c not in without)

    for c in contexts:
        hold(c)
    delivered = interventions - without
    fired: set[str] = set()
    blocked: set[str] = set()
    changed = True
    while changed:
        changed = False
        for rule in theory.rules:
            if rule.id in fired or rule.id in blocked:
                continue
            if not (set(rule.contexts) <= holding and set(rule.interventions) <= delivered):
                continue
            if any(u in holding for u in rule.unless):
                blocked.add(rule.id)
            elif works(rule, without):
                fired.add(rule.id)
                for o in rule.outcomes:
                    hold(o)
                changed = True
    return fired, blocked, holding


Case = tuple[Theory, frozenset[str], frozenset[str]]


@st.composite
def theory_and_scenario(draw: st.DrawFn, *, mono: bool = False) -> Case:
    theory = draw(theories(max_nodes=12, max_rules=10))
    if mono:
        theory = monotone(theory)
    contexts, interventions = draw(scenarios(theory))
    return theory, contexts, interventions


@given(theory_and_scenario(mono=True), st.data())
def test_scenario_derives_exactly_what_the_rules_derive(case: Case, data: st.DataObject) -> None:
    theory, contexts, interventions = case
    mechanisms = [m.id for m in theory.mechanisms]
    without = frozenset(
        data.draw(st.lists(st.sampled_from(mechanisms), max_size=2)) if mechanisms else ()
    )
    s = q.scenario(theory, contexts=contexts, interventions=interventions, without=without)
    fired, blocked, holding = naive(theory, contexts, interventions, without)
    assert set(s.fired_rules) == fired
    assert set(s.blocked_rules) == blocked
    assert set(s.holding) == holding
    by_id = theory.rule_index
    assert set(s.outcomes) == {o for r in fired for o in by_id[r].outcomes}
    assert set(s.reduced) == {o for r in fired for o in by_id[r].reduces}


@given(theory_and_scenario())
def test_scenario_is_a_consistent_fixed_point(case: Case) -> None:
    theory, contexts, interventions = case
    s = q.scenario(theory, contexts=contexts, interventions=interventions)
    holding = set(s.holding)
    fired = set(s.fired_rules)
    assert len(fired) == len(s.fired_rules)
    for rule in theory.rules:
        enabled = set(rule.contexts) <= holding and set(rule.interventions) <= interventions
        if rule.id in fired:
            assert enabled
            assert set(rule.outcomes) <= holding
        elif enabled:  # every enabled rule fired or was blocked
            assert rule.id in s.blocked_rules
    for b in s.blockers:
        assert b.by and set(b.by) <= holding
    assert holding == set(contexts) | set(s.outcomes) | {
        k.context for k in theory.links if k.outcome in holding
    }
    again = q.scenario(theory, contexts=sorted(contexts, reverse=True), interventions=interventions)
    assert again == s


@given(theory_and_scenario(mono=True), st.data())
def test_removing_an_unless_item_never_removes_an_outcome(case: Case, data: st.DataObject) -> None:
    theory, contexts, interventions = case
    with_unless = [i for i, r in enumerate(theory.rules) if r.unless]
    if not with_unless:
        return
    pos = data.draw(st.sampled_from(with_unless))
    rules = list(theory.rules)
    rules[pos] = Rule.model_validate({**rules[pos].model_dump(), "unless": ()})
    edited = Theory.model_validate({**theory.model_dump(), "rules": tuple(rules)})
    before = q.scenario(theory, contexts=contexts, interventions=interventions)
    after = q.scenario(edited, contexts=contexts, interventions=interventions)
    assert set(before.outcomes) <= set(after.outcomes)
    assert set(before.fired_rules) <= set(after.fired_rules)
    # Nor does no longer giving a context that only ever blocks.
    in_if = {c for r in theory.rules for c in r.contexts} | {k.context for k in theory.links}
    only_blocking = sorted({u for r in theory.rules for u in r.unless} & contexts - in_if)
    for c in only_blocking:
        fewer = q.scenario(theory, contexts=contexts - {c}, interventions=interventions)
        assert set(before.outcomes) <= set(fewer.outcomes)


@given(theory_and_scenario(), st.data())
def test_a_counterfactual_is_the_difference_of_two_scenarios(
    case: Case, data: st.DataObject
) -> None:
    theory, contexts, interventions = case
    pool = [n.id for n in theory.nodes]
    if not pool:
        return
    removed = data.draw(st.lists(st.sampled_from(pool), min_size=1, max_size=2, unique=True))
    base = q.scenario(theory, contexts=contexts, interventions=interventions)
    cf = q.counterfactual(theory, base, without=removed)
    other = q.scenario(theory, contexts=contexts, interventions=interventions, without=removed)
    assert cf.alternative == other
    assert set(cf.lost_outcomes) == set(base.outcomes) - set(other.outcomes)
    assert set(cf.gained_outcomes) == set(other.outcomes) - set(base.outcomes)
    assert set(cf.lost_rules) == set(base.fired_rules) - set(other.fired_rules)
    assert set(cf.gained_rules) == set(other.fired_rules) - set(base.fired_rules)
    assert set(cf.lost_mechanisms) == set(base.mechanisms) - set(other.mechanisms)


@given(theory_and_scenario())
def test_explain_and_scenario_agree(case: Case) -> None:
    theory, contexts, interventions = case
    s = q.scenario(theory, contexts=contexts, interventions=interventions)
    for outcome in s.outcomes:
        e = q.explain(theory, outcome)
        derived_by = {d.rule for d in s.derivation_of(outcome) if d.effect == "then"}
        assert derived_by == set(e.direct) & set(s.fired_rules)
        # every fired rule that feeds a rule behind the outcome is explained upstream too
        assert {w.rule for w in e.ways} >= derived_by
    for d in s.derivations:
        if d.effect == "reduces":
            assert d.rule in {w.rule for w in q.explain(theory, d.outcome).reduced_by}


@given(theories(max_nodes=12, max_rules=10), st.data())
def test_pathways_only_use_existing_rules_joined_by_their_outcomes(
    theory: Theory, data: st.DataObject
) -> None:
    sources = [n.id for n in theory.nodes if n.kind != "mechanism"]
    targets = [n.id for n in theory.outcomes]
    if not sources or not targets:
        return
    source = data.draw(st.sampled_from(sources))
    target = data.draw(st.sampled_from(targets))
    p = q.pathways(theory, source, target, max_length=4, limit=20)
    linked: dict[str, set[str]] = {}
    for link in theory.links:
        linked.setdefault(link.outcome, set()).add(link.context)
    for path in p.paths:
        rules = [theory.rule_index[r] for r in path.rules]
        assert len(set(path.rules)) == len(rules) <= 4
        first = rules[0]
        assert source in first.interventions or {source, *linked.get(source, ())} & set(
            first.contexts
        )
        for before, item, after in zip(rules, path.via, rules[1:], strict=False):
            assert item in before.outcomes
            assert {item, *linked.get(item, ())} & set(after.contexts)
        last = rules[-1]
        assert target in (last.outcomes if path.effect == "then" else last.reduces)
    assert len(p.paths) <= 20
