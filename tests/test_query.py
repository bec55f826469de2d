"""cimo.query on the bundled theories: answers worked out by hand from the YAML files."""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Callable

import pytest

import cimo
from cimo import edit
from cimo import query as q
from cimo.model import Context, Intervention, Link, Mechanism, Outcome, Rule, Theory

WFG_CONTEXTS = ["recurrent-depression", "in-work", "group-psychotherapy"]
WFG_INTERVENTIONS = ["peer-facilitation", "psychoeducation"]
PWP_GIVEN = ["high-clinical-volume", "no-time-to-reflect"]


# --------------------------------------------------------------------------- scenario


def test_wfg_scenario_in_work_group_with_peer_facilitation(wfg: Theory) -> None:
    # By hand: figure-4 (IF rd, gp WITH pf, pe) and retain (IF rd, iw, gp WITH pf) fire;
    # three-levels and lexis-2011 lack their interventions, Table 2's examples their
    # printed contexts (what the therapists do), resume lacks off-sick;
    # work-supports-recovery fires on work-status.
    s = q.scenario(wfg, contexts=WFG_CONTEXTS, interventions=WFG_INTERVENTIONS)
    assert s.contexts == ("group-psychotherapy", "in-work", "recurrent-depression")
    assert s.fired_rules == ("figure-4", "retain", "work-supports-recovery")
    assert s.blocked_rules == () and s.blockers == ()
    assert s.mechanisms == (
        "realise",
        "reflect",
        "regulate",
        "relate",
        "resolve",
        "retain-resume",
    )
    assert s.outcomes == ("clinical-status", "interpersonal-functioning", "work-status")
    assert s.reduced == ()
    assert set(s.holding) == set(WFG_CONTEXTS) | set(s.outcomes)
    clinical = s.derivation_of("clinical-status")
    assert [(d.rule, d.from_) for d in clinical] == [
        (
            "figure-4",
            ("recurrent-depression", "group-psychotherapy", "peer-facilitation", "psychoeducation"),
        ),
        ("work-supports-recovery", ("work-status",)),
    ]
    table_2 = q.scenario(wfg, contexts=["therapists-facilitate-peer-interaction"])
    assert table_2.fired_rules == ("table-2-example-1",)
    assert table_2.derivation_of("interpersonal-problems")[0].effect == "reduces"


def test_scenario_json_has_the_contract_keys(wfg: Theory) -> None:
    data = json.loads(
        q.scenario(wfg, contexts=WFG_CONTEXTS, interventions=WFG_INTERVENTIONS).model_dump_json()
    )
    for key in ("fired_rules", "blocked_rules", "mechanisms", "outcomes", "holding"):
        assert isinstance(data[key], list)
    assert data["derivations"][0]["from"]
    assert q.Scenario.model_validate_json(json.dumps(data)).fired_rules[0] == "figure-4"


def test_pwp_loop_terminates_with_everything_it_derives(pwp: Theory) -> None:
    # By hand: no-reflection -> work-related-adversity -> core-individual -> the three
    # coping outcomes -> self-care, boundaries, peer-support -> resilience ->
    # purpose-reaffirmed-by-resilience and resilience-facilitates-coping -> purpose-reaffirmed
    # -> reaffirmed-purpose-guides-appraisal (its outcomes already hold: the loop ends).
    s = q.scenario(pwp, contexts=PWP_GIVEN)
    assert set(s.fired_rules) == {
        "no-reflection",
        "core-individual",
        "self-care",
        "boundaries",
        "peer-support-and-supervision",
        "purpose-reaffirmed-by-resilience",
        "resilience-facilitates-coping",
        "reaffirmed-purpose-guides-appraisal",
    }
    assert s.fired_rules[:2] == ("no-reflection", "core-individual")
    assert s.outcomes == (
        "individual-coping",
        "purpose-reaffirmed",
        "relational-coping",
        "resilience",
        "staying-in-role",
        "wellbeing-and-coping",
        "work-boundaries",
        "work-related-adversity",
    )
    assert s.reduced == ("stress-and-burnout",)


def test_pwp_boundaries_block_burnout(pwp: Theory) -> None:
    # By hand: with limited supervision too, burnout's IF holds, but the adversity of
    # no-reflection leads through core-individual to work-related boundaries and
    # resilience, burnout's UNLESS items, which other rules derive: it is blocked.
    s = q.scenario(pwp, contexts=[*PWP_GIVEN, "limited-supervision"])
    assert s.blockers == (q.Blocked(rule="burnout", by=("work-boundaries", "resilience")),)
    assert "stress-and-burnout" not in s.outcomes
    # The Discussion's hedge on national targets is a rule of its own, not a blocker.
    s = q.scenario(pwp, contexts=["national-targets-focus"])
    assert s.fired_rules == ("national-targets",) and s.outcomes == ("less-able-to-adapt",)


def _tiny(*rules: Rule, links: tuple[Link, ...] = ()) -> Theory:
    return Theory(
        id="tiny",
        title="Tiny",
        nodes=(
            Context(id="a", label="A"),
            Context(id="b", label="B"),
            Intervention(id="i", label="I"),
            Mechanism(id="m1", label="M1"),
            Mechanism(id="m2", label="M2"),
            Outcome(id="o1", label="O1"),
            Outcome(id="o2", label="O2"),
        ),
        rules=rules,
        links=links,
    )


def test_a_derived_blocker_is_waited_for_whatever_the_file_order() -> None:
    blocked = Rule(id="R2", contexts=("a",), unless=("o1",), outcomes=("o2",))
    producer = Rule(id="R1", contexts=("a",), outcomes=("o1",))
    for rules in ((blocked, producer), (producer, blocked)):
        s = q.scenario(_tiny(*rules), contexts=["a"])
        assert s.fired_rules == ("R1",)
        assert s.blockers == (q.Blocked(rule="R2", by=("o1",)),)


def test_a_blocker_reached_through_a_link_blocks() -> None:
    theory = _tiny(
        Rule(id="R1", contexts=("a",), outcomes=("o1",)),
        Rule(id="R2", contexts=("a",), unless=("b",), outcomes=("o2",)),
        links=(Link(outcome="o1", context="b"),),
    )
    s = q.scenario(theory, contexts=["a"])
    assert s.blocked_rules == ("R2",)
    assert s.holding == ("a", "b", "o1")


def test_rules_that_block_each_other_fire_first_found() -> None:
    theory = _tiny(
        Rule(id="R1", contexts=("a",), unless=("o2",), outcomes=("o1",)),
        Rule(id="R2", contexts=("a",), unless=("o1",), outcomes=("o2",)),
    )
    s = q.scenario(theory, contexts=["a"])
    assert (s.fired_rules, s.blocked_rules) == (("R1",), ("R2",))


def test_any_circumstances_rules_and_mechanism_modes() -> None:
    theory = _tiny(
        Rule(
            id="R1",
            any_context=True,
            interventions=("i",),
            mechanisms=("m1", "m2"),
            outcomes=("o1",),
        ),
        Rule(
            id="R2",
            any_context=True,
            interventions=("i",),
            mechanisms=("m1", "m2"),
            mechanism_mode="alternatives",
            outcomes=("o2",),
        ),
    )
    assert q.scenario(theory).fired_rules == ()
    assert q.scenario(theory, interventions=["i"]).fired_rules == ("R1", "R2")
    s = q.scenario(theory, interventions=["i"], without=["m1"])
    assert (s.fired_rules, s.withheld_rules, s.mechanisms) == (("R2",), ("R1",), ("m2",))
    s = q.scenario(theory, interventions=["i"], without=["m1", "m2"])
    assert s.fired_rules == () and s.withheld_rules == ("R1", "R2")


def test_a_rule_with_no_context_never_fires() -> None:
    # Only its interventions: the source does not say in what circumstances it holds.
    unstated = Rule(id="R1", interventions=("i",), mechanisms=("m1",), outcomes=("o1",))
    declared = Rule(
        id="R2",
        interventions=("i",),
        mechanisms=("m1",),
        outcomes=("o2",),
        missing_parts=("context",),
    )
    theory = _tiny(unstated, declared)
    s = q.scenario(theory, contexts=["a", "b"], interventions=["i"])
    assert s.fired_rules == () and s.outcomes == ()
    for outcome in ("o1", "o2"):
        e = q.explain(theory, outcome)
        assert e.unknown == (e.ways[0].rule,)
        assert "IF (context unknown)" in str(e) and "always" not in str(e)
        f = q.for_whom(theory, outcome)
        assert f.sets == () and f.unknown == (e.ways[0].rule,)
        assert "context unknown" in str(f) and "any circumstances" not in str(f)


def test_without_the_mechanism_of_one_route(wfg: Theory) -> None:
    # figure-4 has alternative mechanisms, retain needs retain-resume.
    s = q.scenario(
        wfg, contexts=WFG_CONTEXTS, interventions=WFG_INTERVENTIONS, without=["retain-resume"]
    )
    assert s.withheld_rules == ("retain",)
    assert "retain-resume" not in s.mechanisms and "work-status" in s.outcomes


def test_counterfactual_without_peer_facilitation(wfg: Theory) -> None:
    base = q.scenario(wfg, contexts=WFG_CONTEXTS, interventions=WFG_INTERVENTIONS)
    cf = q.counterfactual(wfg, base, without=["peer-facilitation"])
    assert cf.lost_rules == base.fired_rules
    assert cf.lost_outcomes == base.outcomes
    assert cf.lost_reduced == ()
    assert cf.gained_rules == cf.gained_outcomes == ()
    assert str(cf).startswith("Without peer-facilitation\n  lost rules: figure-4, retain")


def test_scenario_unknown_ids_suggest(wfg: Theory) -> None:
    with pytest.raises(cimo.UnknownIdError, match="did you mean 'in-work'"):
        q.scenario(wfg, contexts=["in-wrk"])
    with pytest.raises(cimo.UnknownIdError, match="not an intervention"):
        q.scenario(wfg, interventions=["in-work"])


# --------------------------------------------------------------------------- explain & co


def test_explain_clinical_status_follows_work_status_upstream(wfg: Theory) -> None:
    e = q.explain(wfg, "clinical-status")
    assert e.direct == ("three-levels", "lexis-2011", "figure-4", "work-supports-recovery")
    assert [w.rule for w in e.ways if w.depth == 1] == ["table-2-example-2", "retain", "resume"]
    recovery = e.ways[3]
    assert recovery.chained == ("work-status",) and recovery.mechanisms == ()
    assert e.reduced_by == ()


def test_explain_names_reducers_and_blockers(pwp: Theory) -> None:
    e = q.explain(pwp, "stress-and-burnout")
    assert e.direct == ("burnout",)
    assert [w.rule for w in e.reduced_by] == ["boundaries"]
    assert e.ways[0].unless == ("work-boundaries", "resilience")
    e = q.explain(pwp, "staying-in-role")
    assert "**How staying-in-role comes about**" in e._repr_markdown_()


def test_for_whom_work_status(wfg: Theory) -> None:
    f = q.for_whom(wfg, "work-status")
    assert [(s.contexts, s.interventions) for s in f.sets] == [
        (("recurrent-depression",), ("work-focused-cbt-design-1",)),
        (("at-risk-employees",), ("lexis-intervention",)),
        (("group-psychotherapy", "recurrent-depression"), ("peer-facilitation", "psychoeducation")),
        (("therapists-encourage-participation",), ()),  # Table 2 prints it as a context
        (("group-psychotherapy", "in-work", "recurrent-depression"), ("peer-facilitation",)),
        (("group-psychotherapy", "off-sick", "recurrent-depression"), ("peer-facilitation",)),
    ]
    assert f.blockers == () and not f.truncated


def test_for_whom_resilience_keeps_minimal_sets(pwp: Theory) -> None:
    f = q.for_whom(pwp, "resilience")
    # core-systemic-vulnerability's route needs sharing-vulnerability on top: not minimal,
    # and nothing can block the core routes, so it is not listed.
    assert [s.contexts for s in f.sets] == [
        ("lack-of-experience",),
        ("admin-clinical-balance", "high-clinical-volume"),
        ("high-clinical-volume", "no-time-to-reflect"),
    ]
    assert [s.unless for s in f.sets] == [()] * 3
    assert f.sets[0].rules == ("individual-challenges", "core-individual", "self-care")
    assert f.blockers == ()  # the national-targets hedge is a rule of its own, not a blocker
    for route in f.sets:  # each answer is what scenario says, with the hedge's context holding
        s = q.scenario(pwp, contexts=[*route.contexts, "national-targets-focus"])
        assert ("resilience" in s.outcomes) == (not route.unless)
    assert q.for_whom(pwp, "resilience", limit=1).truncated


def test_circumstances_describe_the_contexts(pwp: Theory) -> None:
    c = q.circumstances(pwp, "stress-and-burnout")
    assert [(x.context, x.role, x.level) for x in c.contexts] == [
        ("high-clinical-volume", "enables", "meso"),
        ("limited-supervision", "enables", "meso"),
    ]


def test_pathways_peer_facilitation_to_clinical_status(wfg: Theory) -> None:
    p = q.pathways(wfg, "peer-facilitation", "clinical-status")
    assert [(x.rules, x.via) for x in p.paths] == [
        (("figure-4",), ()),
        (("retain", "work-supports-recovery"), ("work-status",)),
        (("resume", "work-supports-recovery"), ("work-status",)),
    ]
    assert not p.truncated
    short = q.pathways(wfg, "peer-facilitation", "clinical-status", max_length=1)
    assert [x.rules for x in short.paths] == [("figure-4",)]
    assert short.truncated and "max_length" in (short.note or "")
    assert q.pathways(wfg, "ot-liaison", "clinical-status").paths == ()  # a design suggestion
    one = q.pathways(wfg, "peer-facilitation", "clinical-status", limit=1)
    assert len(one.paths) == 1 and one.truncated and "limit" in (one.note or "")


def test_pathways_to_a_reduced_outcome(pwp: Theory) -> None:
    p = q.pathways(pwp, "lack-of-experience", "stress-and-burnout")
    assert p.paths[0].rules == ("individual-challenges", "core-individual", "boundaries")
    assert {x.effect for x in p.paths} == {"reduces"}
    with pytest.raises(cimo.UsageError):
        q.pathways(pwp, "lack-of-experience", "resilience", max_length=0)


def test_chains_and_the_pwp_loop(wfg: Theory, pwp: Theory) -> None:
    c = q.chains(wfg)
    assert len(c.chains) == 6 and c.loops == ()
    assert {x.links[0].downstream for x in c.chains} == {"work-supports-recovery"}
    c = q.chains(pwp)
    assert c.loops == (
        (
            "self-care",
            "boundaries",
            "peer-support-and-supervision",
            "purpose-reaffirmed-by-resilience",
            "reaffirmed-purpose-guides-appraisal",
        ),
    )
    assert str(c.chains[0]) == (
        "individual-challenges -> work-related-adversity -> core-individual -> "
        "individual-coping -> self-care (enters a loop)"
    )
    assert not c.truncated


# --------------------------------------------------------------------------- coverage, evidence


def test_coverage(wfg: Theory, pwp: Theory) -> None:
    c = q.coverage(wfg)
    reach = {r.intervention: r.mechanisms for r in c.interventions}
    assert reach["ot-liaison"] == reach["group-format"] == ()  # design ingredients, in no rule
    assert reach["peer-facilitation"][-1] == "retain-resume"
    # Table 2 prints no intervention: its outcomes are reached by none
    assert c.unused_taxa == ()
    assert c.unreached_outcomes == ("self-efficacy", "interpersonal-problems", "emotional-distress")
    liaison = [x for x in c.components if x.aspect == "liaison-with-other-stakeholders"]
    assert liaison[0].interventions == ("ot-liaison",)
    # Iteration 1 predates the six mechanisms: no rule uses any of them.
    first = q.coverage(edit.focus(wfg, iteration=1))
    assert first.unused_taxa == (
        "realise",
        "reflect",
        "regulate",
        "resolve",
        "relate",
        "retain-resume",
    )
    assert len(q.coverage(pwp).unreached_outcomes) == 11  # no interventions at all


def test_evidence_and_demi_regularities(pwp: Theory) -> None:
    e = q.evidence(pwp)
    boundaries = next(r for r in e.rules if r.rule == "boundaries")
    assert (boundaries.supports, boundaries.incidence, boundaries.sources) == (4, 11, ("vivolo",))
    peer = next(r for r in e.rules if r.rule == "peer-support-and-supervision")
    assert peer.intensity == "high"
    core = next(r for r in e.rules if r.rule == "core-individual")
    assert core.supported_by == ("vivolo/p2", "vivolo/p3", "vivolo/p7", "vivolo/p8")
    assert core.refuted_by == core.refined_by == ()
    normalising = next(m for m in e.mechanisms if m.mechanism == "normalising-through-support")
    assert (normalising.supports, normalising.intensity) == (3, "high")
    appraising = next(m for m in e.mechanisms if m.mechanism == "appraising-adversity")
    assert appraising.rules == ("core-individual", "reaffirmed-purpose-guides-appraisal")
    # Participants 2, 3, 7 and 8 in core-individual, and vivolo itself in the loop rule.
    pair = next(
        d
        for d in e.demi_regularities
        if (d.context, d.mechanism) == ("work-related-adversity", "appraising-adversity")
    )
    assert len(pair.witnesses) == 5
    assert [
        (d.context, d.mechanism) for d in q.evidence(pwp, min_witnesses=5).demi_regularities
    ] == [("work-related-adversity", "appraising-adversity")]


# --------------------------------------------------------------------------- views


def test_focus_on_iteration_one_holds_exactly_its_elements(wfg: Theory) -> None:
    first = edit.focus(wfg, iteration=1)
    assert first.iteration == 1
    assert [r.id for r in first.rules] == ["three-levels", "lexis-2011"]
    assert {n.id for n in first.nodes} == {
        "recurrent-depression",
        "at-risk-employees",
        "work-focused-cbt-design-1",
        "lexis-intervention",
        "work-focused-change",
        "psychological-change",
        "relationship-focused-change",
        "adaptive-patterns",
        "clinical-status",
        "work-status",
    }
    second = edit.focus(wfg, iteration=2)
    assert len(second.rules) == 6 and second.iteration == 2
    assert cimo.loads(cimo.dumps(first)) == first
    with pytest.raises(cimo.UnknownIdError):
        edit.focus(wfg, iteration=3)


def test_focus_refuses_an_iteration_that_does_not_hold_together(wfg: Theory) -> None:
    broken = cimo.update(
        wfg,
        rules=(wfg.rules[0].model_copy(update={"iterations": (2,)}), *wfg.rules[1:]),
    )
    with pytest.raises(cimo.UsageError, match="three-levels belongs to iteration 2"):
        edit.focus(broken, iteration=2)


def test_focus_on_a_theme_and_near_a_node(wfg: Theory, pwp: Theory) -> None:
    t = edit.focus(wfg, theme="retain-resume")
    assert [r.id for r in t.rules] == ["retain", "resume"]
    with pytest.raises(cimo.UnknownIdError, match="did you mean 'retain-resume'"):
        edit.focus(wfg, theme="retain-resum")
    near = edit.focus(pwp, node="resource-demand-imbalance", steps=1)
    assert [r.id for r in near.rules] == ["burnout"]
    assert edit.focus(pwp, node="self-care", steps=0).rules == (pwp.rule_index["self-care"],)
    with pytest.raises(cimo.UsageError):
        edit.focus(pwp)


def test_roll_up_through_the_six(wfg: Theory, pwp: Theory) -> None:
    # the first encoding's placement of own-therapist (Table 3 does not place it)
    wfg = cimo.replace(wfg, cimo.evolve(wfg.index["own-therapist"], taxon="helping-each-other"))
    six = edit.roll_up(wfg)
    assert six.rule_index["table-2-example-1"].mechanisms == ("relate",)
    assert "own-therapist" not in six.index
    themes = edit.roll_up(wfg, rank="theme")
    assert themes.rule_index["table-2-example-1"].mechanisms == ("helping-each-other",)
    assert themes.index["helping-each-other"].kind == "mechanism"
    assert themes.rule_index["figure-4"].mechanisms == wfg.rule_index["figure-4"].mechanisms
    with pytest.raises(cimo.UnknownIdError, match="did you mean 'theme'"):
        edit.roll_up(wfg, rank="themes")
    with pytest.raises(cimo.UsageError, match="no taxonomy"):
        edit.roll_up(pwp)


# --------------------------------------------------------------------------- look-ups


def test_lookups_and_filters(wfg: Theory) -> None:
    assert q.get_node(wfg, "relate", kind="mechanism").label == "Relate"
    assert q.get_node(wfg, "relate", kind="outcome", strict=False) is None
    with pytest.raises(cimo.UnknownIdError, match="not a rule"):
        q.get_rule(wfg, "retian")
    assert q.get_rule(wfg, "retian", strict=False) is None
    ids = [r.id for r in q.select_rules(wfg, mechanism="retain-resume")]
    assert ids == ["figure-4", "retain", "resume"]
    assert [r.id for r in q.select_rules(wfg, status="supported")] == ["lexis-2011"]
    assert [r.id for r in q.select_rules(wfg, source="walker-2021")] == ["figure-4"]
    assert [r.id for r in q.select_rules(wfg, context="work-status")] == ["work-supports-recovery"]
    assert [r.id for r in q.select_rules(wfg, intervention="ot-liaison")] == []
    assert [
        r.id for r in q.select_rules(wfg, intervention="peer-facilitation", outcome="work-status")
    ]
    with pytest.raises(cimo.UnknownIdError):
        q.select_rules(wfg, source="walker-2020")
    assert [n.id for n in q.select_nodes(wfg, kind="mechanism", category="work-focused")] == [
        "work-focused-change",
        "retain-resume",
    ]
    assert [n.id for n in q.select_nodes(wfg, tag="nothing")] == []


def test_every_result_prints_and_dumps(example: Theory) -> None:
    outcome = example.outcomes[0].id
    results: list[q.Result] = [
        q.scenario(example, contexts=[c.id for c in example.contexts]),
        q.explain(example, outcome),
        q.for_whom(example, outcome),
        q.circumstances(example, outcome),
        q.pathways(example, example.contexts[0].id, outcome),
        q.chains(example),
        q.coverage(example),
        q.evidence(example),
    ]
    for result in results:
        assert str(result).strip()
        assert result._repr_markdown_().startswith("**")
        assert type(result).model_validate_json(result.model_dump_json()) == result


def _layers(width: int, depth: int) -> Theory:
    """o0 -> o1 -> ... -> o{depth}, each step by ``width`` rules: width**depth chains."""
    return Theory(
        id="layers",
        title="Layers",
        nodes=(
            Context(id="c", label="C"),
            *(Outcome(id=f"o{k}", label=f"O{k}") for k in range(depth + 1)),
        ),
        rules=(
            Rule(id="start", contexts=("c",), outcomes=("o0",)),
            *(
                Rule(id=f"r{k}-{j}", contexts=(f"o{k}",), outcomes=(f"o{k + 1}",))
                for k in range(depth)
                for j in range(width)
            ),
        ),
    )


def test_enumerations_stop_at_their_step_budget_and_say_so() -> None:
    theory = _layers(10, 6)
    # 10**5 partial chains of 6 rules, none reaching o6: the budget (1000 x limit) ends it.
    p = q.pathways(theory, "c", "o6", max_length=6, limit=10)
    assert p.truncated and "the search took 10000 steps" in (p.note or "")
    assert q.pathways(theory, "c", "o1").paths[0].rules == ("start", "r0-0")
    wide = Theory(
        id="wide",
        title="Wide",
        nodes=(Outcome(id="o", label="O"), Outcome(id="x", label="X")),
        rules=tuple(Rule(id=f"r{j}", contexts=("x",), outcomes=("o",)) for j in range(1500)),
    )
    assert q.for_whom(wide, "o", limit=1).truncated  # 1501 steps > 1000
    assert not q.for_whom(wide, "o", limit=2).truncated
    assert q.for_whom(wide, "o", limit=2).sets == ()


# --------------------------------------------------------------------------- labels (issue 16)

_ASKED: dict[str, Callable[[Theory], q.Result]] = {
    "explain": lambda t: q.explain(t, "purpose-reaffirmed", labels=True),
    "for_whom": lambda t: q.for_whom(t, "purpose-reaffirmed", labels=True),
    "circumstances": lambda t: q.circumstances(t, "purpose-reaffirmed", labels=True),
    "pathways": lambda t: q.pathways(t, "lack-of-experience", "resilience", labels=True),
    "chains": lambda t: q.chains(t, labels=True),
    "coverage": lambda t: q.coverage(t, labels=True),
    "evidence": lambda t: q.evidence(t, min_witnesses=1, labels=True),
    "scenario": lambda t: q.scenario(t, contexts=PWP_GIVEN, labels=True),
    "counterfactual": lambda t: q.counterfactual(
        t, q.scenario(t, contexts=PWP_GIVEN), without=["high-clinical-volume"], labels=True
    ),
}


@pytest.mark.parametrize("asked", sorted(_ASKED))
def test_every_result_can_name_elements_by_label(pwp: Theory, asked: str) -> None:
    # S14: labels=True prints each node's label where the plain result prints its id;
    # the JSON form keeps the ids.
    result = _ASKED[asked](pwp)
    plain = result.model_copy()
    plain._labels = {}
    by_id, by_label = str(plain), str(result)
    assert result.model_dump() == plain.model_dump()
    shown = [n for n in pwp.nodes if re.search(rf"(?<![\w-]){re.escape(n.id)}(?![\w-])", by_id)]
    assert shown, f"{asked}: the plain result names no node"
    for node in shown:
        assert node.label in by_label, (asked, node.id)
        if "-" in node.id:  # a slug never read as prose
            assert not re.search(rf"(?<![\w-]){re.escape(node.id)}(?![\w-])", by_label)
    assert result._repr_markdown_().count(shown[0].label) >= 1


def test_explain_keeps_its_nesting_in_markdown(pwp: Theory) -> None:
    # S13: each upstream rule is a bullet nested under the rule it feeds.
    from markdown_it import MarkdownIt

    e = q.explain(pwp, "purpose-reaffirmed")
    tokens = MarkdownIt().parse(e._repr_markdown_())
    level = 0
    depth_of: dict[str, int] = {}
    for token in tokens:
        if token.type == "bullet_list_open":
            level += 1
        elif token.type == "bullet_list_close":
            level -= 1
        elif token.type == "inline" and level:
            depth_of[token.content.split(":")[0]] = level - 1
    assert depth_of == {w.rule: w.depth for w in e.ways}
    # and each nested rule produces what its parent waits on
    text = str(e).splitlines()[1:]
    for above, line in itertools.pairwise(text):
        indent = len(line) - len(line.lstrip())
        if indent > len(above) - len(above.lstrip()):
            child = pwp.rule_index[line.split(":")[0].strip()]
            parent = pwp.rule_index[above.split(":")[0].strip()]
            assert set(child.outcomes) & set(parent.contexts)
