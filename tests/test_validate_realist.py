"""cimo.validate on format 2.0: checks that realists would sign (issue 11).

A bypassed UNLESS (R006) confirmed by the reasoning (its pairwise oracle is in test_validate);
R002 never pairs rules that cannot fire together; R003 and R004 grade what the
source leaves out; the hints never advise against correct realist practice.
"""

from __future__ import annotations

import json

import pytest

import cimo
from cimo.model import Theory
from cimo.query import scenario
from cimo.validate import format_text, sarif, validate

HEAD = """\
format_version: "2.0"
id: demo
title: Peer support for newly qualified nurses
nodes:
  - {id: nqn, kind: context, label: Newly qualified nurses on acute wards}
  - {id: night, kind: context, label: Night shifts}
  - {id: understaffing, kind: context, label: Chronic understaffing}
  - {id: circles, kind: intervention, label: Peer support circles}
  - {id: normalise, kind: mechanism, label: Normalising the struggle}
  - {id: vicarious, kind: mechanism, label: Vicarious learning}
  - {id: distress, kind: outcome, label: Reduced distress}
  - {id: stay, kind: outcome, label: Intention to stay}
rules:
"""


def theory(rules: str) -> Theory:
    return cimo.loads(HEAD + rules, file="t.yaml")


def codes(t: Theory, *select: str) -> list[tuple[str, str | None]]:
    return [(f.code, f.location.id) for f in validate(t, select=list(select)).findings]


# --------------------------------------------------------------------------- R006

C1 = "  - {id: C1, if: [nqn], unless: [understaffing], with: [circles], because: [normalise], then: [distress]}\n"  # noqa: E501


def test_a_more_general_rule_without_the_unless_bypasses_it() -> None:
    t = theory(C1 + "  - {id: C4, if: [nqn], because: [vicarious], then: [distress]}\n")
    (f,) = validate(t, select=["R006"]).findings
    assert (f.code, f.name, f.severity) == ("R006", "bypassed-disabling-context", "warning")
    assert f.ids == ("C1", "C4", "understaffing", "distress")
    assert f.message == (
        "rule C4 gives 'distress' from a subset of rule C1's conditions without its UNLESS "
        "'understaffing', so C1's UNLESS 'understaffing' has no effect on it: given nqn, "
        "with circles and understaffing, rule C1 is blocked but C4 still gives 'distress'"
    )
    # located at C1's UNLESS item in the file
    assert f.location.path == ("rules", 0, "unless", 0)
    assert f.location.file == "t.yaml" and f.location.line == 14
    # the scenario named is one the reasoning agrees with
    sc = scenario(t, contexts=["nqn", "understaffing"], interventions=["circles"])
    assert "C1" in sc.blocked_rules and "C4" in sc.fired_rules and "distress" in sc.outcomes


@pytest.mark.parametrize(
    ("c4", "why"),
    [
        ("if: [nqn], unless: [understaffing]", "blocked by the same UNLESS"),
        ("if: [nqn, night]", "needs a condition C1 does not"),
        ("if: [nqn], despite: [understaffing]", "says it works although understaffing holds"),
        ("if: [nqn], moderated_by: [understaffing]", "names understaffing as a moderator"),
        ("if: [nqn], status: refuted", "refuted rules are set aside"),
        ("missing: [context]", "a rule with no context never fires"),
        ("if: [nqn], with: [circles], then: [stay], reduces: []", "another outcome"),
    ],
)
def test_what_is_not_a_bypass(c4: str, why: str) -> None:
    rule = "  - {id: C4, " + c4 + ", because: [vicarious]"
    rule += "}\n" if "then:" in c4 else ", then: [distress]}\n"
    assert codes(theory(C1 + rule), "R006") == [], why


def test_a_bypass_needs_the_mechanisms_own_condition_to_hold() -> None:
    gated = "  - {id: C4, if: [nqn], because: [{mechanism: vicarious, requires: [night]}], then: [distress]}\n"  # noqa: E501
    assert codes(theory(C1 + gated), "R006") == []
    met = gated.replace("requires: [night]", "requires: [nqn]")
    assert codes(theory(C1 + met), "R006") == [("R006", "C1")]


def test_if_any_is_a_bypass_in_any_circumstances() -> None:
    anywhere = "  - {id: C4, if: any, because: [vicarious], then: [distress]}\n"
    assert codes(theory(C1 + anywhere), "R006") == [("R006", "C1")]


def test_a_third_rule_that_blocks_the_bypass_in_that_scenario_is_taken_into_account() -> None:
    # C4 bypasses C1 statically, but in C1's scenario C5 fires and produces 'stay', which
    # blocks C4: the reasoning does not confirm the bypass, so it is not reported
    rules = (
        C1
        + "  - {id: C4, if: [nqn], unless: [stay], because: [vicarious], then: [distress]}\n"
        + "  - {id: C5, if: [understaffing], because: [normalise], then: [stay]}\n"
    )
    assert codes(theory(rules), "R006") == []


# --------------------------------------------------------------------------- R002


def test_a_rule_whose_unless_the_other_produces_is_no_contradiction() -> None:
    rules = (
        "  - {id: R1, if: [nqn], unless: [stay], because: [normalise], then: [distress]}\n"
        "  - {id: R2, if: [nqn], because: [vicarious], then: [stay], reduces: [distress]}\n"
    )
    assert codes(theory(rules), "R002") == []
    # without the UNLESS the two can fire together, and they clash
    assert codes(theory(rules.replace("unless: [stay], ", "")), "R002") == [("R002", "R2")]


def test_a_rule_with_no_context_contradicts_nothing() -> None:
    rules = (
        "  - {id: R1, if: [nqn], because: [normalise], then: [distress]}\n"
        "  - {id: R2, missing: [context], because: [vicarious], reduces: [distress]}\n"
    )
    assert codes(theory(rules), "R002") == []
    assert codes(theory(rules.replace("missing: [context]", "if: any")), "R002") == [("R002", "R2")]


def test_within_items_are_conditions_an_unless_can_exclude() -> None:
    rules = (
        "  - {id: R1, if: [nqn], unless: [night], because: [normalise], then: [distress]}\n"
        "  - {id: R2, if: [nqn], within: [night], because: [vicarious], reduces: [distress]}\n"
    )
    assert codes(theory(rules), "R002") == []


# --------------------------------------------------------------------------- R001


def test_incomplete_rules_differing_in_a_20_part_are_not_duplicates() -> None:
    base = "  - {id: R1, if: [nqn], because: [normalise], missing: [outcome]}\n"
    for other in (
        "if: [nqn], because: [normalise], missing: [outcome], actor: GP",
        "if: [nqn], within: [night], because: [normalise], missing: [outcome]",
        "if: [nqn], because: [{mechanism: normalise, requires: [night]}], missing: [outcome]",
        "if: [nqn], because: [normalise]",
        "if: [nqn], if_any: [[night, understaffing]], because: [normalise], missing: [outcome]",
    ):
        assert codes(theory(base + "  - {id: R2, " + other + "}\n"), "R001") == [], other
    same = "  - {id: R2, because: [normalise], missing: [outcome], if: [nqn]}\n"
    assert codes(theory(base + same), "R001") == [("R001", "R2")]


# --------------------------------------------------------------------------- R003, R004


def test_a_part_the_source_leaves_out_is_an_info_with_its_own_advice() -> None:
    t = theory("  - {id: R1, missing: [context], because: [normalise], then: [distress]}\n")
    (f,) = validate(t, select=["R003"]).findings
    assert (f.severity, f.message) == ("info", "rule R1: its context is missing in the source")
    assert f.hint is not None and f.hint.startswith("nothing to fix")
    assert f.location.path == ("rules", 0, "missing", 0)
    assert not validate(t, select=["R003"], fail_on="warning").failed
    # an undeclared gap beside it stays a warning
    both = theory("  - {id: R1, missing: [context], then: [distress]}\n")
    assert [(f.severity, f.message) for f in validate(both, select=["R003"]).findings] == [
        ("warning", "rule R1 has no mechanism"),
        ("info", "rule R1: its context is missing in the source"),
    ]
    # the text output gives each advice once
    helps = [x for x in format_text([validate(both, select=["R003"])]).splitlines() if "help" in x]
    assert len(helps) == 2 and all(h.startswith("help: R003 ") for h in helps)


@pytest.mark.parametrize(
    ("rule", "parts"),
    [
        ("if: [nqn], then: [distress]", "mechanism"),
        ("if: [nqn], because: [normalise]", "outcome"),
        ("because: [normalise], then: [distress]", "context"),
        ("if: [nqn]", "mechanism, outcome"),
    ],
)
def test_the_undeclared_gap_hint_names_the_part_that_is_missing(rule: str, parts: str) -> None:
    (f,) = validate(theory("  - {id: R1, " + rule + "}\n"), select=["R003"]).findings
    assert f.severity == "warning" and f.hint is not None
    assert f.hint.endswith(f"declare it ('missing: [{parts}]')")
    assert f"add the {parts.replace(', ', ' and ')} if" in f.hint


def test_if_any_is_not_a_missing_context() -> None:
    t = theory("  - {id: R1, if: any, because: [normalise], then: [distress]}\n")
    assert codes(t, "R003", "M002") == []


@pytest.mark.parametrize(
    ("evidence", "status", "expected"),
    [
        ("[]", "hypothesised", ("warning", "rule R1 cites no evidence")),
        (
            "[{source: s, locator: p. 3, stance: source}]",
            "hypothesised",
            (
                "info",
                "rule R1 is sourced but has no witness evidence: 1 entry only says where it "
                "comes from (stance: source)",
            ),
        ),
        (
            "[{source: s, stance: source}, {source: s, stance: source}, {quote: said}]",
            "supported",
            (
                "warning",
                "rule R1 is marked supported but has no witness evidence: 2 entries only say "
                "where it comes from (stance: source) and 1 entry gives no stance",
            ),
        ),
        ("[{source: s, stance: source}, {quote: q, stance: refutes}]", "refuted", None),
        ("[{quote: q, stance: refines}]", "hypothesised", None),
    ],
)
def test_evidence_counts_by_stance(
    evidence: str, status: str, expected: tuple[str, str] | None
) -> None:
    text = HEAD + (
        "  - {id: R1, if: [nqn], because: [normalise], then: [distress], "
        f"status: {status}, evidence: {evidence}}}\n"
        "sources:\n  - {id: s, citation: A realist review}\n"
    )
    found = [(f.severity, f.message) for f in validate(cimo.loads(text), select=["R004"]).findings]
    assert found == ([expected] if expected else [])


def test_a_10_entry_with_only_a_locator_is_a_source_not_a_witness() -> None:
    text = HEAD.replace('"2.0"', '"1.0"') + (
        "  - {id: R1, if: [nqn], because: [normalise], then: [distress], "
        "evidence: [{locator: Table 2}]}\n"
    )
    (f,) = validate(cimo.loads(text), select=["R004"]).findings
    assert f.severity == "info" and "stance: source" in f.message


# --------------------------------------------------------------------------- hints


def test_qualifying_contexts_are_not_orphans() -> None:
    t = theory(
        "  - {id: R1, if: [nqn], within: [night], moderated_by: [understaffing], "
        "with: [circles], because: [normalise], then: [distress], otherwise: [stay]}\n"
        "  - {id: R2, if: [nqn], despite: [understaffing], because: [vicarious], "
        "then: [distress]}\n"
    )
    assert codes(t, "N001", "N002") == []


def test_m003_is_an_info_that_says_when_it_applies() -> None:
    t = theory("  - {id: R1, if: [nqn], because: [normalise], then: [distress]}\n")
    found = validate(t, select=["M003"]).findings
    assert {f.severity for f in found} == {"info"}
    assert all(f.hint and f.hint.startswith("only if the source splits") for f in found)


@pytest.mark.parametrize(
    ("rule", "flagged"),
    [
        ("with: [circles], because: [normalise], then: [distress]", True),
        ("if: any, with: [circles], because: [normalise], then: [distress]", False),
        ("missing: [context], with: [circles], because: [normalise], then: [distress]", False),
        ("within: [night], because: [normalise], then: [distress]", False),
        ("if_any: [[night, nqn]], because: [normalise], then: [distress]", False),
    ],
)
def test_m002_counts_every_kind_of_context(rule: str, flagged: bool) -> None:
    t = theory("  - {id: R1, " + rule + "}\n")
    assert bool(validate(t, select=["M002"]).findings) == flagged


def test_a_refuted_outcome_another_rule_still_produces_breaks_no_chain() -> None:
    rules = (
        "  - {id: R1, if: [nqn], because: [normalise], then: [distress], status: refuted}\n"
        "  - {id: R2, if: [distress], because: [vicarious], then: [stay]}\n"
    )
    assert codes(theory(rules), "R005") == [("R005", "R1")]
    also = "  - {id: R3, if: [nqn, night], because: [vicarious], then: [distress]}\n"
    assert codes(theory(rules + also), "R005") == []
    # a rule needing it through a mechanism's own condition depends on it too
    gated = rules.replace(
        "if: [distress], because: [vicarious]",
        "if: [nqn], because: [{mechanism: vicarious, requires: [distress]}]",
    )
    assert codes(theory(gated), "R005") == [("R005", "R1")]


# --------------------------------------------------------------------------- outputs


def test_sarif_describes_r006_and_grades_each_finding() -> None:
    t = theory(
        C1
        + "  - {id: C4, if: [nqn], because: [vicarious], then: [distress]}\n"
        + "  - {id: C5, missing: [context], because: [normalise], then: [stay]}\n"
    )
    log = sarif([validate(t, select=["R006", "R003"])])
    rules = {r["id"]: r for r in log["runs"][0]["tool"]["driver"]["rules"]}
    assert rules["R006"]["name"] == "bypassed-disabling-context"
    assert rules["R006"]["defaultConfiguration"] == {"level": "warning"}
    assert "UNLESS" in rules["R006"]["shortDescription"]["text"]
    assert rules["R006"]["helpUri"].endswith("/checks/#r006")
    levels = {(r["ruleId"], r["level"]) for r in log["runs"][0]["results"]}
    assert levels == {("R006", "warning"), ("R003", "note")}
    json.dumps(log)


# --------------------------------------------------------------------------- nested parts count


@pytest.mark.parametrize(
    "conditions",
    ["if_any: [[night, nqn]]", "within: [night]", "if_any: [[night]], within: [nqn]"],
)
def test_m002_does_not_fire_when_the_only_context_is_any_of_or_within(conditions: str) -> None:
    t = theory("  - {id: R1, " + conditions + ", because: [normalise], then: [distress]}\n")
    assert codes(t, "M002") == []


@pytest.mark.parametrize(
    "rule",
    [
        "if_any: [[night, understaffing]], if: [nqn]",
        "if: [nqn], because: [{mechanism: normalise, requires: [night, understaffing]}]",
    ],
)
def test_n001_counts_contexts_used_in_if_any_or_requires(rule: str) -> None:
    body = rule if "because" in rule else rule + ", because: [normalise]"
    t = theory(
        "  - {id: R1, " + body + ", with: [circles], then: [distress, stay]}\n"
        "  - {id: R2, if: [nqn], with: [circles], because: [vicarious], then: [stay]}\n"
    )
    assert [c for c in codes(t, "N001") if c[1] in ("night", "understaffing")] == []
    unused = theory(
        "  - {id: R2, if: [nqn], with: [circles], because: [vicarious], then: [stay]}\n"
    )
    assert {"night", "understaffing"} <= {c[1] for c in codes(unused, "N001")}


@pytest.mark.parametrize(
    "rule",
    [
        "if: [nqn], because: [normalise], then: [distress], otherwise: [stay]",
        "if: [nqn], because: [{mechanism: normalise, then: [stay]}], then: [distress, stay]",
        "if: [nqn], because: [normalise], then: [distress], otherwise: [stay], "
        "leads_to: [{from: distress, to: stay}]",
    ],
)
def test_n002_counts_outcomes_under_otherwise_a_mechanism_or_a_step(rule: str) -> None:
    t = theory(  # R2 uses 'stay' as a condition: N002 asks which rule predicts it
        "  - {id: R1, with: [circles], " + rule + "}\n"
        "  - {id: R2, if: [stay], with: [circles], because: [vicarious], then: [distress]}\n"
    )
    assert codes(
        theory("  - {id: R2, if: [stay], because: [vicarious], then: [distress]}\n"), "N002"
    )
    assert [c for c in codes(t, "N002") if c[1] == "stay"] == []


def test_n003_spares_interventions_whose_rule_declares_its_mechanism_missing() -> None:
    t = theory(
        "  - {id: R1, if: [nqn], with: [circles], then: [distress], missing: [mechanism]}\n"
        "  - {id: R2, if: [night], because: [normalise, vicarious], then: [stay]}\n"
    )
    assert [c for c in codes(t, "N003") if c[1] == "circles"] == []
    undeclared = theory("  - {id: R1, if: [nqn], with: [circles], then: [distress]}\n")
    assert ("N003", "circles") in codes(undeclared, "N003")
