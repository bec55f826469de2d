"""Properties of cimo.query on generated theories, against naive reference code.

The theories come from :func:`cimo.strategies.theories`, enriched here with the
format 2.0 reasoning fields (``if: any``, declared missing contexts, any-of
groups, WITHIN, MODERATED BY, DESPITE, per-mechanism ``requires``/``then``,
``mechanism_mode``, OTHERWISE, ``feeds`` relations stated or inferred,
``variant_of``). The reference code below states the firing rule of the spec
on its own, by rescanning every rule until nothing changes: it shares no code
with :mod:`cimo.query`.
"""

from __future__ import annotations

import itertools
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from cimo import query as q
from cimo.model import Rule, Theory
from cimo.strategies import scenarios, theories

# --------------------------------------------------------------------------- generated theories


def _some(draw: st.DrawFn, pool: list[str], most: int) -> tuple[str, ...]:
    if not pool or most == 0:
        return ()
    return tuple(draw(st.lists(st.sampled_from(pool), max_size=most, unique=True)))


def _enrich_rule(
    draw: st.DrawFn, rule: Rule, contexts: list[str], items: list[str]
) -> dict[str, Any]:
    data = rule.model_dump(by_alias=False)
    shape = draw(st.sampled_from(("as drawn", "as drawn", "as drawn", "any", "none", "missing")))
    if shape != "as drawn":
        data["contexts"] = ()
    if shape == "any":
        data["any_context"] = True
    if shape == "missing":
        data["missing_parts"] = ("context",)
    if shape in ("as drawn", "any"):
        data["context_groups"] = (
            tuple(
                draw(
                    st.lists(
                        st.lists(st.sampled_from(items), min_size=1, max_size=3, unique=True).map(
                            tuple
                        ),
                        max_size=2,
                    )
                )
            )
            if items
            else ()
        )
        taken = {*data["contexts"], *rule.unless}
        data["modifiers"] = _some(draw, [c for c in contexts if c not in taken], 1)
    # an id stands in one condition or qualifier slot at most (a structural rule)
    taken = {*data["contexts"], *rule.unless, *data["modifiers"]}
    data["moderators"] = _some(draw, [c for c in contexts if c not in taken], 1)
    taken |= set(data["moderators"])
    data["despite"] = _some(draw, [i for i in items if i not in taken], 1)
    results = [*rule.outcomes, *rule.reduces]
    links: list[dict[str, Any]] = []
    for m in rule.mechanisms:
        if draw(st.integers(0, 3)):
            # often after an earlier mechanism: it needs an outcome that one gives
            given = [o for k in links for o in k["then"] if o in rule.outcomes]
            chained: bool = bool(given) and draw(st.booleans())
            after = (draw(st.sampled_from(given)),) if chained else ()
            requires = (*_some(draw, items, 1 if after else 2), *after)
            then = _some(draw, results, 1)
            if not then and rule.outcomes and draw(st.booleans()):  # an outcome to go on from
                then = (draw(st.sampled_from(rule.outcomes)),)
            links.append({"mechanism": m, "requires": tuple(dict.fromkeys(requires)), "then": then})
    data["mechanism_links"] = tuple(links)
    data["mechanism_mode"] = draw(st.sampled_from(("together", "alternatives", "unstated")))
    outcomes = [o for o in items if o not in contexts and o not in results]
    data["otherwise"] = _some(draw, outcomes, 2)
    own = {*results, *data["otherwise"]}
    data["outcome_steps"] = tuple(s for s in rule.outcome_steps if s.from_ in own and s.to in own)
    return data


@st.composite
def enriched(draw: st.DrawFn, *, max_nodes: int = 12, max_rules: int = 10) -> Theory:
    """A generated theory with the 2.0 reasoning fields drawn over its own ids."""
    theory = draw(theories(max_nodes=max_nodes, max_rules=max_rules))
    contexts = [n.id for n in theory.contexts]
    outcomes = [n.id for n in theory.outcomes]
    items = contexts + outcomes
    rules = [_enrich_rule(draw, r, contexts, items) for r in theory.rules]
    nodes = [n.model_dump(by_alias=False) for n in theory.nodes]
    for i, node in enumerate(nodes):
        earlier = [n["id"] for n in nodes[:i] if n["kind"] == "outcome"]
        if node["kind"] == "outcome" and earlier and draw(st.integers(0, 3)) == 0:
            node["variant_of"] = draw(st.sampled_from(earlier))
    mechanisms = [n.id for n in theory.mechanisms]
    sources = items + mechanisms + [r.id for r in theory.rules]
    relations: dict[tuple[str, str], dict[str, Any]] = {}
    if sources and items:
        for _ in range(draw(st.integers(0, 3))):
            ends = (draw(st.sampled_from(sources)), draw(st.sampled_from(items + mechanisms)))
            if ends[0] != ends[1]:  # a relation joins two different things, once
                relations.setdefault(
                    ends,
                    {
                        "type": "feeds",
                        "from_": ends[0],
                        "to": ends[1],
                        "stated": draw(st.booleans()),
                    },
                )
    data = theory.model_dump(by_alias=False)
    data.update(nodes=nodes, rules=rules, relations=list(relations.values()))
    return Theory.model_validate(data)


# --------------------------------------------------------------------------- the reference


def _derivable(theory: Theory) -> set[str]:
    """Everything reasoning could make hold (produced, or the end of a link or relation)."""
    out = {o for r in theory.rules for o in (*r.outcomes, *r.otherwise)}
    out |= {k.context for k in theory.links} | {r.to for r in theory.relations}
    return out


def monotone(theory: Theory) -> Theory:
    """The theory without UNLESS or ``requires`` items reasoning can derive.

    Blocking and mechanism firing are then fixed by the inputs alone, so a
    plain rescan to a fixed point gives the one right answer.
    """
    derivable = _derivable(theory)
    rules = []
    for r in theory.rules:
        data = r.model_dump(by_alias=False)
        data["unless"] = tuple(u for u in r.unless if u not in derivable)
        data["mechanism_links"] = tuple(
            {
                **link.model_dump(by_alias=False),
                "requires": tuple(x for x in link.requires if x not in derivable),
            }
            for link in r.mechanism_links
        )
        rules.append(data)
    return Theory.model_validate({**theory.model_dump(by_alias=False), "rules": rules})


def says_when(rule: Rule) -> bool:
    """The spec: a rule fires only if it states a context condition (or ``if: any``)."""
    if "context" in rule.missing_parts:
        return False
    return bool(rule.contexts or rule.context_groups or rule.modifiers or rule.any_context)


def conditions_hold(rule: Rule, holding: set[str], delivered: set[str]) -> bool:
    return (
        says_when(rule)
        and set(rule.contexts) <= holding
        and set(rule.modifiers) <= holding
        and all(set(group) & holding for group in rule.context_groups)
        and set(rule.interventions) <= delivered
    )


class Naive:
    """Rescan every rule until nothing changes (monotone theories only)."""

    def __init__(
        self,
        theory: Theory,
        contexts: frozenset[str],
        interventions: frozenset[str],
        without: frozenset[str],
        *,
        include_refuted: bool = False,
        stated_only: bool = False,
    ) -> None:
        self.kinds = {n.id: n.kind for n in theory.nodes}
        self.without = without
        self.delivered = set(interventions) - without
        rules = [r for r in theory.rules if include_refuted or r.status != "refuted"]
        fed = [(k.outcome, k.context) for k in theory.links] + [
            (r.from_, r.to)
            for r in theory.relations
            if r.type == "feeds" and (r.stated or not stated_only)
        ]
        self.holding = {c for c in contexts if c not in without}
        self.mechanisms: set[str] = set()
        self.fired: dict[str, list[str]] = {}
        self.blocked: set[str] = set()
        self.fallen: set[str] = set()
        self.outcomes: set[str] = set()
        self.reduced: set[str] = set()
        changed = True
        while changed:
            changed = False
            for source, target in fed:
                if source in self.holding or source in self.mechanisms or source in self.fired:
                    changed |= self.make_hold(target)
            for rule in rules:
                done = self.fired.keys() | self.blocked | self.fallen
                if rule.id not in done and conditions_hold(rule, self.holding, self.delivered):
                    self.decide(rule)
                    changed = True
        self.set_aside = {
            r.id
            for r in theory.rules
            if r.status == "refuted"
            and not include_refuted
            and conditions_hold(r, self.holding, self.delivered)
        }

    def make_hold(self, item: str) -> bool:
        if item in self.without or item in self.holding or item in self.mechanisms:
            return False
        if self.kinds.get(item) == "mechanism":
            self.mechanisms.add(item)
        elif item in self.kinds:
            self.holding.add(item)
        return item in self.kinds

    def decide(self, rule: Rule) -> None:
        """A rule whose conditions hold: blocked, fired, or fallen through to OTHERWISE."""
        if set(rule.unless) & self.holding:
            self.blocked.add(rule.id)
            return
        requires = {k.mechanism: set(k.requires) for k in rule.mechanism_links}
        firing = [
            m
            for m in rule.mechanisms
            if m not in self.without and requires.get(m, set()) <= self.holding
        ]
        if rule.mechanism_mode == "alternatives":
            works = bool(firing) or not rule.mechanisms
        else:
            works = len(firing) == len(rule.mechanisms)
        if not works:
            self.fallen.add(rule.id)
            for o in rule.otherwise:
                self.outcomes.add(o)
                self.make_hold(o)
            return
        self.fired[rule.id] = firing
        self.mechanisms.update(firing)
        tied = {o for k in rule.mechanism_links for o in k.then}
        own = {o for k in rule.mechanism_links if k.mechanism in firing for o in k.then}
        for o in rule.outcomes:
            if o not in tied or o in own:
                self.outcomes.add(o)
                self.make_hold(o)
        self.reduced |= {o for o in rule.reduces if o not in tied or o in own}


Case = tuple[Theory, frozenset[str], frozenset[str]]


@st.composite
def theory_and_scenario(draw: st.DrawFn, *, mono: bool = False) -> Case:
    theory = draw(enriched())
    if mono:
        theory = monotone(theory)
    contexts, interventions = draw(scenarios(theory))
    return theory, contexts, interventions


def _variants(theory: Theory, outcome: str) -> set[str]:
    found = {outcome}
    while True:
        more = {n.id for n in theory.outcomes if n.variant_of in found} - found
        if not more:
            return found
        found |= more


# --------------------------------------------------------------------------- scenario


@given(theory_and_scenario(mono=True), st.data())
def test_scenario_derives_exactly_what_the_rules_derive(case: Case, data: st.DataObject) -> None:
    theory, contexts, interventions = case
    mechanisms = [m.id for m in theory.mechanisms]
    without = frozenset(
        data.draw(st.lists(st.sampled_from(mechanisms), max_size=2)) if mechanisms else ()
    )
    include_refuted = data.draw(st.booleans())
    stated_only = data.draw(st.booleans())
    s = q.scenario(
        theory,
        contexts=contexts,
        interventions=interventions,
        without=without,
        include_refuted=include_refuted,
        stated_only=stated_only,
    )
    ref = Naive(
        theory,
        contexts,
        interventions,
        without,
        include_refuted=include_refuted,
        stated_only=stated_only,
    )
    assert set(s.fired_rules) == set(ref.fired)
    assert set(s.blocked_rules) == ref.blocked
    assert set(s.withheld_rules) == ref.fallen
    assert set(s.holding) == ref.holding
    assert set(s.mechanisms) == ref.mechanisms
    assert set(s.outcomes) == ref.outcomes
    assert set(s.reduced) == ref.reduced
    assert set(s.set_aside) == ref.set_aside
    for d in s.derivations:
        if d.effect != "otherwise":
            assert set(d.because) == set(ref.fired[d.rule])


def mechanisms_fire(rule: Rule, holding: set[str]) -> bool:
    """Whether the rule's mechanisms fire given what holds (a plain rescan).

    A mechanism fires when what it requires holds, or is an outcome of the rule
    that a mechanism fired before it gives (the mechanisms fire in sequence).
    """
    links = {k.mechanism: k for k in rule.mechanism_links}
    given, fired = set(holding), set()
    changed = True
    while changed:
        changed = False
        for m in rule.mechanisms:
            link = links.get(m)
            if m not in fired and (link is None or set(link.requires) <= given):
                fired.add(m)
                changed = True
                given |= set(link.then if link else ()) & set(rule.outcomes)
    if rule.mechanism_mode == "alternatives":
        return bool(fired) or not rule.mechanisms
    return len(fired) == len(rule.mechanisms)


@given(theory_and_scenario())
def test_scenario_is_a_consistent_fixed_point(case: Case) -> None:
    theory, contexts, interventions = case
    s = q.scenario(theory, contexts=contexts, interventions=interventions)
    holding = set(s.holding)
    fired, blocked, withheld = set(s.fired_rules), set(s.blocked_rules), set(s.withheld_rules)
    assert len(fired) == len(s.fired_rules)
    for rule in theory.rules:
        enabled = conditions_hold(rule, holding, set(interventions))
        if rule.status == "refuted" or not says_when(rule):
            assert rule.id not in fired | blocked | withheld  # set aside / context unknown
        elif rule.id in fired:
            assert enabled
            tied = {o for k in rule.mechanism_links for o in k.then}
            assert {o for o in rule.outcomes if o not in tied} <= holding
        elif rule.id in withheld:
            assert enabled and set(rule.otherwise) <= holding
            assert not mechanisms_fire(rule, holding)
        elif enabled:  # every enabled rule fired, was blocked or withheld
            assert rule.id in blocked
    for b in s.blockers:
        assert b.by and set(b.by) <= holding
    for qualified in s.qualified:
        rule = theory.rule_index[qualified.rule]
        assert set(qualified.moderated_by) <= set(rule.moderators) & holding
        assert set(qualified.despite) <= set(rule.despite) & holding
    fed = {k.context for k in theory.links if k.outcome in holding}
    fed |= {
        r.to
        for r in theory.relations
        if r.from_ in holding | fired | set(s.mechanisms) and r.to in holding
    }
    assert holding == set(contexts) | set(s.outcomes) | fed
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
    rules[pos] = Rule.model_validate({**rules[pos].model_dump(by_alias=False), "unless": ()})
    edited = Theory.model_validate({**theory.model_dump(by_alias=False), "rules": tuple(rules)})
    before = q.scenario(theory, contexts=contexts, interventions=interventions)
    after = q.scenario(edited, contexts=contexts, interventions=interventions)
    assert set(before.fired_rules) <= set(after.fired_rules)
    assert set(before.outcomes) <= set(after.outcomes)
    # Nor does no longer giving a context that only ever blocks.
    in_use = {c for r in theory.rules for c in (*r.contexts, *r.modifiers)}
    in_use |= {c for r in theory.rules for g in r.context_groups for c in g}
    in_use |= {c for r in theory.rules for k in r.mechanism_links for c in k.requires}
    in_use |= {k.context for k in theory.links} | {r.from_ for r in theory.relations}
    in_use |= {r.to for r in theory.relations}
    only_blocking = sorted({u for r in theory.rules for u in r.unless} & contexts - in_use)
    for c in only_blocking:
        fewer = q.scenario(theory, contexts=contexts - {c}, interventions=interventions)
        assert set(before.fired_rules) <= set(fewer.fired_rules)
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
    otherwise = {d.outcome for d in other.derivations if d.effect == "otherwise"}
    assert set(cf.gained_otherwise) == set(cf.gained_outcomes) & otherwise


# --------------------------------------------------------------------------- backward questions


@given(theory_and_scenario())
def test_explain_and_scenario_agree(case: Case) -> None:
    theory, contexts, interventions = case
    s = q.scenario(theory, contexts=contexts, interventions=interventions)
    for outcome in s.outcomes:
        e = q.explain(theory, outcome)
        derived_by = {d.rule for d in s.derivation_of(outcome) if d.effect != "reduces"}
        assert derived_by <= set(e.direct)
        assert not set(e.unknown) & set(s.fired_rules)
    for d in s.derivations:
        if d.effect == "reduces":
            assert d.rule in {w.rule for w in q.explain(theory, d.outcome).reduced_by}


@given(enriched(max_nodes=10, max_rules=8), st.data())
def test_every_answer_of_for_whom_is_confirmed_by_scenario(
    theory: Theory, data: st.DataObject
) -> None:
    outcomes = [n.id for n in theory.outcomes]
    if not outcomes:
        return
    outcome = data.draw(st.sampled_from(outcomes))
    include_refuted = data.draw(st.booleans())
    answer = q.for_whom(theory, outcome, limit=20, include_refuted=include_refuted)
    wanted = _variants(theory, outcome)
    for route in answer.sets:
        s = q.scenario(
            theory,
            contexts=route.contexts,
            interventions=route.interventions,
            without=route.without,
            include_refuted=include_refuted,
        )
        # the outcome (or a variant) follows (a rule expects it, or what holds feeds it:
        # a 'feeds' relation from a rule that fires makes its end hold too), or one of
        # the route's blockers holds
        fed = any(r.type == "feeds" and r.from_ in route.rules for r in theory.relations)
        follows = wanted & set(s.outcomes) if route.rules and not fed else wanted & set(s.holding)
        assert follows or set(route.unless) & set(s.holding), str(route)
    for rule in answer.unknown:
        assert not says_when(theory.rule_index[rule])
    if not include_refuted:
        assert all(theory.rule_index[r].status == "refuted" for r in answer.set_aside)
        assert not {r for route in answer.sets for r in route.rules} & set(answer.set_aside)


@given(enriched(max_nodes=12, max_rules=10), st.data())
def test_pathways_only_use_rules_joined_by_what_they_make_hold(
    theory: Theory, data: st.DataObject
) -> None:
    sources = [n.id for n in theory.nodes if n.kind != "mechanism"]
    targets = [n.id for n in theory.outcomes]
    if not sources or not targets:
        return
    source = data.draw(st.sampled_from(sources))
    target = data.draw(st.sampled_from(targets))
    p = q.pathways(theory, source, target, max_length=4, limit=20)
    for path in p.paths:
        rules = [theory.rule_index[r] for r in path.rules]
        assert len(set(path.rules)) == len(rules) <= 4
        assert all(says_when(r) and r.status != "refuted" for r in rules)
        last = rules[-1]
        reached = path.outcome or target
        assert reached in _variants(theory, target)
        slot = {"then": last.outcomes, "reduces": last.reduces, "otherwise": last.otherwise}
        assert reached in slot[path.effect]
        for before, item in zip(rules, path.via, strict=False):
            assert item in (*before.outcomes, *before.otherwise) or any(
                r.from_ in (before.id, *before.mechanisms) and r.to == item
                for r in theory.relations
            )
    assert len(p.paths) <= 20


def _explained(theory: Theory, data: Any) -> q.Explanation | None:
    """explain of a drawn outcome (refuted rules included), or None with no outcome."""
    outcomes = [n.id for n in theory.nodes if n.kind == "outcome"]
    if not outcomes:
        return None
    return q.explain(theory, data.draw(st.sampled_from(outcomes)), include_refuted=True)


@given(theory=theories(min_rules=1), data=st.data())
def test_explain_nests_every_way_once_one_level_at_a_time(theory: Theory, data: Any) -> None:
    # The text and Markdown of explain (issue 16): every way printed once, and an
    # indented line always one level under the line above it at most.
    e = _explained(theory, data)
    if e is None:
        return
    lines = str(e).splitlines()[1 : 1 + len(e.ways)] if e.ways else []
    printed = [line.strip().split(":")[0] for line in lines]
    assert sorted(printed) == sorted(e.rules)
    levels = [(len(line) - len(line.lstrip())) // 2 - 1 for line in lines]
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels))
    assert all(lv == e.ways[e.rules.index(r)].depth for lv, r in zip(levels, printed, strict=True))


@given(theory=theories(min_rules=1), data=st.data())
def test_explain_ways_are_whole_valid_records(theory: Theory, data: Any) -> None:
    # explain builds its ways without validation (issue 18: most of its cost): each
    # must still be the record validation makes, with every field, in field order.
    e = _explained(theory, data)
    for way in () if e is None else (*e.ways, *e.reduced_by):
        assert list(vars(way)) == list(type(way).model_fields)
        assert way == type(way).model_validate(way.model_dump())
        for step in way.steps:
            assert list(vars(step)) == list(type(step).model_fields)
            assert step == type(step).model_validate(step.model_dump())
