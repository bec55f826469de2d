"""Pure edits: new theories, re-checked; the old one unchanged."""

from __future__ import annotations

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
