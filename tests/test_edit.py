"""Pure edits: new theories, re-checked; the old one unchanged."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import cimo
from cimo.errors import InvalidTheoryError, UnknownIdError


def test_add_returns_a_new_checked_theory(wfg: cimo.Theory) -> None:
    rule = cimo.Rule(
        id="new", contexts=("in-work",), mechanisms=("relate",), outcomes=("work-status",)
    )
    bigger = cimo.add(wfg, rule)
    assert bigger.rule_index["new"] == rule
    assert "new" not in wfg.rule_index
    with pytest.raises(InvalidTheoryError, match="rule bad: 'relat' is not a mechanism"):
        cimo.add(wfg, cimo.Rule(id="bad", mechanisms=("relat",)))


def test_replace_keeps_order_and_checks(wfg: cimo.Theory) -> None:
    new = cimo.Mechanism(id="relate", label="Relate (renamed)")
    t = cimo.replace(wfg, new)
    assert [n.id for n in t.nodes] == [n.id for n in wfg.nodes]
    assert t.index["relate"].label == "Relate (renamed)"
    with pytest.raises(UnknownIdError, match="did you mean 'relate'"):
        cimo.replace(wfg, cimo.Mechanism(id="relat", label="x"))


def test_remove_refuses_referenced_nodes_unless_cascading(wfg: cimo.Theory) -> None:
    with pytest.raises(InvalidTheoryError) as info:
        cimo.remove(wfg, "relate")
    assert all("'relate' is not a mechanism" in p.message for p in info.value.problems)
    t = cimo.remove(wfg, "relate", cascade=True)
    assert "relate" not in t.index
    assert "relate" not in t.rule_index["figure-4"].mechanisms


def test_remove_rule_and_unknown_id(wfg: cimo.Theory) -> None:
    t = cimo.remove(wfg, "figure-4")
    assert len(t.rules) == len(wfg.rules) - 1
    with pytest.raises(UnknownIdError):
        cimo.remove(wfg, "figure-5")


def test_cascade_can_leave_rules_incomplete_but_never_invalid(wfg: cimo.Theory) -> None:
    t = cimo.remove(wfg, "own-therapist", "cbt-skills", cascade=True)
    assert t.rule_index["table-2-example-1"].missing == ("mechanism",)


def test_update_top_level_fields(wfg: cimo.Theory) -> None:
    assert cimo.update(wfg, title="New title").title == "New title"
    with pytest.raises(UnknownIdError, match="theory field"):
        cimo.update(wfg, titel="x")
    with pytest.raises(InvalidTheoryError):
        cimo.update(wfg, taxonomy="no-such-taxonomy")


VARIANTS = """
format_version: "2.0"
id: v
title: Variants
nodes:
  - {kind: context, id: c1, label: C1}
  - {kind: context, id: c2, label: C2}
  - {kind: context, id: c3, label: C3}
  - {kind: mechanism, id: m1, label: M1, taxon: t1}
  - {kind: mechanism, id: m2, label: M2}
  - {kind: outcome, id: o1, label: Staying in work}
  - {kind: outcome, id: o1-gp, label: Staying in work (GP row), variant_of: o1}
  - {kind: outcome, id: o1-gp2, label: Still at work (second GP row), variant_of: o1-gp}
  - {kind: outcome, id: o2, label: Wellbeing}
taxonomy:
  id: tx
  label: Tx
  ranks: [mechanism, subtheme]
  taxa:
    - {id: top, label: Top, rank: mechanism}
    - {id: t1, label: T1, rank: subtheme, parent: top}
links:
  - {outcome: o1-gp, context: c3}
  - {outcome: o1, context: c3}
relations:
  - {type: refines, from: o1-gp, to: o1}
rules:
  - {id: r1, if: [c1], because: [m1], then: [o1-gp, o1]}
  - id: r2
    if: [c2]
    because: [m2]
    then: [o1-gp2, o2]
    leads_to: [{from: o1-gp2, to: o2}]
    segments: [{ref: c2}, {ref: o1-gp2}]
  - {id: r3, if: [o1-gp], because: [m2], then: [o2]}
"""


def test_roll_up_variants_to_the_shared_outcome() -> None:
    t = cimo.loads(VARIANTS)
    rolled = cimo.edit.roll_up(t, variants=True)
    assert [n.id for n in rolled.outcomes] == ["o1", "o2"]
    rules = rolled.rule_index
    assert rules["r1"].outcomes == ("o1",)  # two wordings of one outcome become one
    assert rules["r2"].outcomes == ("o1", "o2")  # a variant of a variant: to the top
    assert [(s.from_, s.to) for s in rules["r2"].outcome_steps] == [("o1", "o2")]
    assert [s.ref for s in rules["r2"].segments] == ["c2", "o1"]
    assert rules["r3"].contexts == ("o1",)
    assert [(k.outcome, k.context) for k in rolled.links] == [("o1", "c3")]
    assert rolled.relations == ()  # o1 refines o1 says nothing
    assert rules["r1"].mechanisms == ("m1",)  # no rank: the mechanisms stay
    # what explain and for_whom count as o1 is what the rolled-up theory says is o1
    sets = [(s.contexts, s.rules) for s in cimo.query.for_whom(t, "o1").sets]
    assert [(s.contexts, s.rules) for s in cimo.query.for_whom(rolled, "o1").sets] == sets
    both = cimo.edit.roll_up(t, rank="mechanism", variants=True)
    assert both.rule_index["r1"].mechanisms == ("top",)
    assert both.rule_index["r1"].outcomes == ("o1",)
    assert cimo.edit.roll_up(t).rule_index["r1"].outcomes == ("o1-gp", "o1")


def test_roll_up_variants_leaves_a_theory_without_variants_alone(wfg: cimo.Theory) -> None:
    assert cimo.edit.roll_up(wfg, variants=True) is wfg


def test_roll_up_variants_refuses_a_contradiction() -> None:
    text = VARIANTS.replace("then: [o1-gp, o1]}", "then: [o1-gp], reduces: [o1]}")
    with pytest.raises(InvalidTheoryError, match="r1"):
        cimo.edit.roll_up(cimo.loads(text), variants=True)


def test_cli_roll_up_variants(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from cimo.cli import app

    path = tmp_path / "v.yaml"
    path.write_text(VARIANTS, encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(app, ["query", str(path), "roll-up", "--variants", "-f", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [n["id"] for n in data["nodes"] if n["kind"] == "outcome"] == ["o1", "o2"]
    assert [r["because"] for r in data["rules"]] == [["m1"], ["m2"], ["m2"]]  # no --rank
    result = runner.invoke(
        app, ["query", str(path), "roll-up", "--variants", "--rank", "mechanism"]
    )
    assert result.exit_code == 0, result.output
    assert "- top" in result.stdout
