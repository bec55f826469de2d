"""cimo.diff: worked examples on the bundled theories and properties."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

import cimo
from cimo.diff import FieldChange, MechanismRegroup, StatusChange, TheoryDiff
from cimo.edit import rebuild
from cimo.strategies import theories


def at_iteration(theory: cimo.Theory, n: int) -> cimo.Theory:
    """The elements of one iteration (those without ``iterations`` belong to all)."""
    nodes = tuple(x for x in theory.nodes if not x.iterations or n in x.iterations)
    rules = tuple(r for r in theory.rules if not r.iterations or n in r.iterations)
    kept = {x.id for x in nodes} | {r.id for r in rules}
    return rebuild(
        theory,
        nodes=nodes,
        rules=rules,
        relations=tuple(x for x in theory.relations if x.from_ in kept and x.to in kept),
        iteration=n,
    )


def test_the_two_iterations_of_work_focused_group_cbt(wfg: cimo.Theory) -> None:
    d = cimo.diff(at_iteration(wfg, 1), at_iteration(wfg, 2))
    # Hand-checked against the example file: these carry `iterations: [1]`.
    assert {r.id for r in d.nodes_removed} == {
        "at-risk-employees",
        "work-focused-cbt-design-1",
        "lexis-intervention",
        "work-focused-change",
        "psychological-change",
        "relationship-focused-change",
        "adaptive-patterns",
    }
    assert [r.id for r in d.rules_removed] == ["three-levels", "lexis-2011"]
    assert [r.id for r in d.rules_added] == [
        "figure-4",
        "table-2-example-1",
        "table-2-example-2",
        "retain",
        "resume",
        "work-supports-recovery",
    ]
    assert FieldChange(field="iteration", old=1, new=2) in d.theory_changes
    # the encoder's relations of each iteration (Lexis et al.'s mechanism refines Figure 3's
    # psychological level; Table 2's printed context is Figure 4's intervention)
    assert {c.field for c in d.theory_changes} == {"iteration", "relations"}
    # Seed 000: the three levels of change of the synthesis became six mechanisms (Table 3),
    # read through the categories (the encoder's inference for the six: Table 3's colour key
    # did not survive in the text). Iteration 1 has two psychological mechanisms (Figure 3's
    # level and Lexis et al.'s), so no split is reported for that category.
    assert d.mechanisms_regrouped == (
        MechanismRegroup(
            change="replaced",
            old=("work-focused-change",),
            new=("retain-resume",),
            via="category:work-focused",
        ),
        MechanismRegroup(
            change="split",
            old=("relationship-focused-change",),
            new=("reflect", "relate", "own-therapist"),
            via="category:relationship-focused",
        ),
    )
    text = str(d)
    assert text.startswith(
        "work-focused-group-cbt (iteration 1) -> work-focused-group-cbt (iteration 2): "
    )
    assert "  ~ split: relationship-focused-change -> reflect, relate, own-therapist " in text
    assert "(via category relationship-focused)" in text
    assert "  - rule three-levels: The realist synthesis approach" in text
    assert "**Rules removed (2):**" in d._repr_markdown_()
    assert not d.equal and not d.only_adds


def test_status_and_evidence_have_their_own_sections(pwp: cimo.Theory) -> None:
    rule = pwp.rule_index["burnout"]
    new_evidence = cimo.Evidence(source="vivolo", locator="p. 3", stance="supports")
    tested = cimo.Rule.model_validate(
        {**dict(rule), "status": "supported", "evidence": (*rule.evidence, new_evidence)}
    )
    d = cimo.diff(pwp, cimo.replace(pwp, tested))
    assert d.status_changes == (StatusChange(rule="burnout", old="hypothesised", new="supported"),)
    assert [e.evidence for e in d.evidence_added] == [new_evidence]
    assert d.rules_changed == () and d.evidence_removed == ()
    assert d.count == 2
    assert str(d).splitlines()[1:] == [
        "Status changes (1):",
        "  ~ rule burnout: hypothesised -> supported",
        "Evidence added (1):",
        "  + rule burnout: supports (vivolo, p. 3)",
    ]


def test_field_by_field_changes(pwp: cimo.Theory) -> None:
    node = pwp.nodes[0]
    renamed = type(node).model_validate({**dict(node), "label": "New words", "tags": ("x",)})
    d = cimo.diff(pwp, cimo.replace(pwp, renamed))
    (change,) = d.nodes_changed
    assert (change.kind, change.id) == (node.kind, node.id)
    assert {c.field: (c.old, c.new) for c in change.changes} == {
        "label": (node.label, "New words"),
        "tags": (list(node.tags), ["x"]),
    }


def _mechanisms(*pairs: tuple[str, str | None]) -> cimo.Theory:
    return cimo.Theory(
        id="t",
        title="T",
        taxonomy="work-focused-group-cbt",
        nodes=tuple(cimo.Mechanism(id=i, label=i, taxon=t) for i, t in pairs),
    )


def test_mechanisms_merged_split_and_moved_through_the_taxonomy() -> None:
    # two-way-feedback and helping-each-other are the two themes of `relate` (Table 3).
    two = _mechanisms(("feedback", "two-way-feedback"), ("helping", "helping-each-other"))
    one = _mechanisms(("relate", "relate"))
    merged = cimo.diff(two, one).mechanisms_regrouped
    assert merged == (
        MechanismRegroup(
            change="merged", old=("feedback", "helping"), new=("relate",), via="relate"
        ),
    )
    split = cimo.diff(one, two).mechanisms_regrouped
    assert split == (
        MechanismRegroup(
            change="split", old=("relate",), new=("feedback", "helping"), via="relate"
        ),
    )
    moved = cimo.diff(_mechanisms(("m", "realise")), _mechanisms(("m", "reflect")))
    assert moved.mechanisms_regrouped == (
        MechanismRegroup(change="moved", old=("m",), new=("m",), via="reflect"),
    )
    # A new sibling next to a mechanism that stays put is an addition, not a split.
    grown = _mechanisms(("relate", "relate"), ("helping", "helping-each-other"))
    assert cimo.diff(one, grown).mechanisms_regrouped == ()
    assert cimo.diff(one, grown).only_adds


@given(theories())
def test_diff_with_itself_is_empty(theory: cimo.Theory) -> None:
    d = cimo.diff(theory, theory)
    assert d.equal and d.count == 0 and d.only_adds
    assert str(d).endswith(": no differences")


@given(theories())
def test_diff_from_nothing_only_adds(theory: cimo.Theory) -> None:
    d = cimo.diff(cimo.Theory(id=theory.id, title=theory.title), theory)
    assert [r.id for r in d.nodes_added] == [n.id for n in theory.nodes]
    assert [r.id for r in d.rules_added] == [r.id for r in theory.rules]
    assert d.only_adds
    # Equal exactly when the theory holds nothing but its id and title.
    assert d.equal == (theory == cimo.Theory(id=theory.id, title=theory.title))


@given(theories(min_rules=1), st.data())
def test_a_removed_rule_is_reported_as_removed(theory: cimo.Theory, data: st.DataObject) -> None:
    gone = data.draw(st.sampled_from([r.id for r in theory.rules]))
    d = cimo.diff(theory, cimo.remove(theory, gone))
    assert [r.id for r in d.rules_removed] == [gone]
    # format 2.0: rules whose annotations counter the removed rule lose that mention
    mentions = [
        r.id
        for r in theory.rules
        if r.id != gone and any(gone in a.counters for a in r.annotations)
    ]
    relations = [r for r in theory.relations if gone in (r.from_, r.to)]
    themes = [t for t in theory.themes if any(gone in a.counters for a in t.annotations)]
    assert [c.id for c in d.rules_changed] == mentions
    # the theory fields 'relations' and 'themes' change when they mention the rule
    assert d.count == 1 + len(mentions) + bool(relations) + bool(themes) and not d.only_adds


@given(theories(), theories())
def test_diff_json_round_trip(a: cimo.Theory, b: cimo.Theory) -> None:
    d = cimo.diff(a, b)
    assert TheoryDiff.model_validate_json(d.model_dump_json()) == d
    assert d.equal == (a == b or cimo.dumps(a) == cimo.dumps(b))


def test_naming_the_taxonomy_later_is_no_split() -> None:
    # Found by Hypothesis: the old theory names no taxonomy, the new one does and adds a
    # second mechanism at the same taxon; the first did not move, so nothing was split.
    old = cimo.Theory(
        id="t", title="T", nodes=(cimo.Mechanism(id="m", label="M", taxon="realise"),)
    )
    new = cimo.Theory(
        id="t",
        title="T",
        taxonomy="work-focused-group-cbt",
        nodes=(*old.nodes, cimo.Mechanism(id="n", label="N", taxon="realise")),
    )
    d = cimo.diff(old, new)
    assert d.mechanisms_regrouped == () and d.only_adds
