"""cimo.merge: provenance, equivalences, conflicts; merge with itself; merging only adds."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import given
from typer.testing import CliRunner

import cimo
from cimo.cli import app
from cimo.core.data import to_data
from cimo.errors import UnknownIdError, UsageError
from cimo.merge import _Fold
from cimo.strategies import theories

runner = CliRunner()


def study(name: str, context: str, label: str, *, status: str = "supported") -> cimo.Theory:
    """A one-configuration theory, as a realist synthesis extracts from one study."""
    return cimo.Theory.model_validate(
        {
            "id": name,
            "title": f"Study {name}",
            "nodes": [
                {"id": context, "kind": "context", "label": label},
                {"id": "peer-support", "kind": "intervention", "label": "Peer support"},
                {"id": "relate", "kind": "mechanism", "label": "Relate"},
                {"id": "work-status", "kind": "outcome", "label": "Job retention"},
            ],
            "rules": [
                {
                    "id": f"{name}-r1",
                    "if": [context],
                    "with": ["peer-support"],
                    "because": ["relate"],
                    "then": ["work-status"],
                    "status": status,
                    "evidence": [{"source": name, "stance": "supports"}],
                }
            ],
            "sources": [{"id": name, "citation": f"Study {name} (2020)"}],
        }
    )


def test_two_studies_unified_by_id_and_by_equivalence() -> None:
    a = study("smith", "in-work", "Employees in work")
    b = study("jones", "employed", "Employed staff")
    result = cimo.merge([a, b], equivalences={"employed": "in-work"})
    assert result.ok and result.theory is not None
    merged = result.theory
    assert [n.id for n in merged.nodes] == ["in-work", "peer-support", "relate", "work-status"]
    assert merged.index["in-work"].label == "Employees in work"  # the canonical wording
    assert [r.id for r in merged.rules] == ["smith-r1", "jones-r1"]
    assert merged.rule_index["jones-r1"].contexts == ("in-work",)
    assert [s.id for s in merged.sources] == ["smith", "jones"]
    prov = {p.id: p.inputs for p in result.provenance}
    assert prov == {
        "in-work": ("smith", "jones"),
        "peer-support": ("smith", "jones"),
        "relate": ("smith", "jones"),
        "work-status": ("smith", "jones"),
        "smith-r1": ("smith",),
        "jones-r1": ("jones",),
    }
    assert result.unified == (("employed", "in-work"),)
    assert str(result).startswith("merge of smith, jones: 4 nodes and 2 rules, 4 of them")


def test_same_id_different_meaning_is_a_conflict_not_a_guess() -> None:
    a = study("smith", "in-work", "Employees in work")
    b = study("jones", "in-work", "Employees off sick")
    result = cimo.merge([a, b])
    assert result.theory is None and not result.ok
    (conflict,) = result.conflicts
    assert (conflict.kind, conflict.id, conflict.field) == ("node", "in-work", "label")
    assert conflict.values == ("Employees in work", "Employees off sick")
    assert conflict.inputs == ("smith", "jones")
    text = str(result)
    assert "1 conflict, nothing merged" in text and "--rename ID=NEW_ID" in text


def test_same_rule_from_two_sources_unites_evidence_and_conflicts_on_status() -> None:
    a = study("smith", "in-work", "In work")
    b = cimo.Theory.model_validate(
        {
            **to_data(a),
            "id": "smith-followup",
            "sources": [{"id": "later", "citation": "Later"}],
            "rules": [{**to_data(a)["rules"][0], "evidence": [{"source": "later"}]}],
        }
    )
    merged = cimo.merge([a, b]).theory
    assert merged is not None
    assert [e.source for e in merged.rules[0].evidence] == ["smith", "later"]
    refuted = study("smith", "in-work", "In work", status="refuted")
    (conflict,) = cimo.merge([a, refuted]).conflicts
    assert (conflict.kind, conflict.id, conflict.field) == ("rule", "smith-r1", "status")


def test_labels_differing_only_in_case_and_spacing_agree() -> None:
    a = study("smith", "in-work", "Employees in work")
    b = study("jones", "in-work", "employees  in-work")
    assert cimo.merge([a, b]).ok


def test_a_node_id_that_is_a_rule_id_elsewhere_is_a_conflict() -> None:
    a = study("smith", "in-work", "In work")
    b = study("in-work", "ctx", "Context")  # its rule is 'in-work-r1'; make a clash:
    b = cimo.Theory.model_validate(
        {
            **to_data(b),
            "rules": [{**to_data(b)["rules"][0], "id": "in-work"}],
        }
    )
    result = cimo.merge([a, b])
    assert any(c.kind == "structure" and c.id == "in-work" for c in result.conflicts)
    assert "'in-work' is a node in smith but a rule in in-work" in str(result)


def test_bad_equivalences() -> None:
    a = study("smith", "in-work", "In work")
    with pytest.raises(UnknownIdError, match="did you mean 'in-work'"):
        cimo.merge([a], equivalences={"in-wrk": "x"})
    with pytest.raises(UsageError, match="itself declared equivalent"):
        cimo.merge([a], equivalences={"in-work": "relate", "relate": "x"})
    with pytest.raises(UsageError, match="at least one theory"):
        cimo.merge([])


def test_merging_the_bundled_examples(wfg: cimo.Theory, pwp: cimo.Theory) -> None:
    result = cimo.merge([wfg, pwp], id="both", title="Both")
    assert result.ok and result.theory is not None
    assert len(result.theory.nodes) == len(wfg.nodes) + len(pwp.nodes)
    assert len(result.theory.rules) == len(wfg.rules) + len(pwp.rules)
    assert (result.theory.id, result.theory.title) == ("both", "Both")


@given(theories())
def test_merge_with_itself_is_itself(theory: cimo.Theory) -> None:
    result = cimo.merge([theory, theory])
    assert result.theory == theory
    assert result.inputs == (theory.id, f"{theory.id}#2")
    assert all(p.inputs == result.inputs for p in result.provenance)
    assert cimo.merge([theory]).theory == theory


@given(theories(), theories())
def test_merge_only_adds_or_reports_conflicts(a: cimo.Theory, b: cimo.Theory) -> None:
    result = cimo.merge([a, b])
    if result.theory is None:
        assert result.conflicts
        return
    assert cimo.diff(a, result.theory).only_adds
    assert {r.id for r in result.theory.rules} == {r.id for r in (*a.rules, *b.rules)}
    assert {n.id for n in result.theory.nodes} == {n.id for n in (*a.nodes, *b.nodes)}
    assert {p.id for p in result.provenance} == {r.id for r in result.theory.rules} | {
        n.id for n in result.theory.nodes
    }


@given(theories(), theories())
def test_reusing_the_inputs_records_changes_nothing(a: cimo.Theory, b: cimo.Theory) -> None:
    """A merge takes an input's validated node or rule as it is while the fold leaves it
    unchanged; validating every merged record again gives the same result."""
    fold_add = _Fold.add

    def add_without_model(self: Any, *args: Any, model: Any = None, **kwargs: Any) -> None:
        fold_add(self, *args, **kwargs)

    data = to_data(a)
    for node in data.get("nodes", []):
        node.setdefault("description", "filled in by the second input")
    richer = cimo.Theory.model_validate(data)  # the merge fills a's gaps from it
    for inputs in ([a], [a, b], [b, a, b], [a, richer]):
        fast = cimo.merge(inputs)
        with mock.patch.object(_Fold, "add", add_without_model):
            slow = cimo.merge(inputs)
        assert fast == slow
        if fast.theory is not None and slow.theory is not None:
            assert to_data(fast.theory) == to_data(slow.theory)
    alone = cimo.merge([a]).theory
    assert alone is not None
    assert all(x is y for x, y in zip(alone.rules, a.rules, strict=True))  # reused, not copied


@given(theories())
def test_merging_a_richer_copy_only_adds(a: cimo.Theory) -> None:
    data = to_data(a)
    for node in data.get("nodes", []):
        node.setdefault("description", "said by the second source")
    data["nodes"] = [
        *data.get("nodes", []),
        {"id": "extra-context-from-b", "kind": "context", "label": "Extra"},
    ]
    b = cimo.Theory.model_validate(data)
    result = cimo.merge([a, b])
    assert result.ok and result.theory == b
    d = cimo.diff(a, result.theory)
    assert d.only_adds
    assert [n.id for n in d.nodes_added] == ["extra-context-from-b"]
    assert {c.id for c in d.nodes_changed} == {n.id for n in a.nodes if n.description is None}


def test_the_default_status_is_a_status_not_a_gap() -> None:
    a = study("smith", "in-work", "In work", status="hypothesised")
    b = study("smith", "in-work", "In work", status="supported")
    for pair in ([a, b], [b, a]):
        (conflict,) = cimo.merge(pair).conflicts
        assert conflict.field == "status"
        assert set(conflict.values) == {"hypothesised", "supported"}


# Issue 19 (S19): merges a team can finish.
_NODES = """\
  - {kind: context, id: nqn, label: NQN}
  - {kind: context, id: understaffing, label: Understaffing}
  - {kind: context, id: champion, label: Champion}
  - {kind: intervention, id: circles, label: Peer circles}
  - {kind: mechanism, id: normalising, label: Normalising}
  - {kind: outcome, id: stay, label: Stay}
  - {kind: outcome, id: absence, label: Absence}
"""
_MINE = f"""\
format_version: "2.0"
id: mine
title: Mine
nodes:
{_NODES}rules:
  - {{id: C1, if: [nqn], with: [circles], because: [normalising], then: [stay]}}
  - {{id: C2, if: [nqn], unless: [understaffing], with: [circles], because: [normalising],
     then: [stay]}}
"""
_THEIRS = f"""\
format_version: "2.0"
id: theirs
title: Theirs
nodes:
{_NODES}rules:
  - {{id: C2, if: [champion], with: [circles], because: [normalising], then: [stay],
     status: supported}}
  - {{id: C7, if: [champion], with: [circles], because: [normalising], reduces: [absence]}}
"""


def _team(tmp_path: Path) -> tuple[Path, Path]:
    mine, theirs = tmp_path / "mine.yaml", tmp_path / "theirs.yaml"
    mine.write_text(_MINE)
    theirs.write_text(_THEIRS)
    return mine, theirs


def test_every_differing_field_of_a_rule_is_reported(tmp_path: Path) -> None:
    mine, theirs = _team(tmp_path)
    result = cimo.merge([cimo.load(mine), cimo.load(theirs)])
    assert {(c.id, c.field) for c in result.conflicts} == {
        ("C2", "if"),
        ("C2", "unless"),  # stated in one, left out in the other: a different claim
        ("C2", "status"),
    }
    assert "not given" in str(result)


def test_prefer_take_and_rename_finish_a_merge(tmp_path: Path) -> None:
    a, b = (cimo.load(p) for p in _team(tmp_path))
    theirs = cimo.merge([a, b], prefer="theirs").theory
    assert theirs is not None and theirs.rule_index["C2"] == b.rule_index["C2"]
    ours = cimo.merge([a, b], prefer="theirs", take={"C2": "mine"})
    assert ours.theory is not None and ours.theory.rule_index["C2"] == a.rule_index["C2"]
    assert {c.chosen for c in ours.resolved} == {"mine"}
    both = cimo.merge([a, b], rename={"C2": "C2b"})
    assert both.ok and both.theory is not None
    assert both.theory.rule_index["C2"] == a.rule_index["C2"]
    assert both.theory.rule_index["C2b"].contexts == ("champion",)
    assert both.renamed == (("theirs", "C2", "C2b"),)
    with pytest.raises(cimo.UnknownIdError, match="did you mean 'mine'"):
        cimo.merge([a, b], take={"C2": "mien"})
    with pytest.raises(cimo.UnknownIdError, match="'C9' is not a node or rule"):
        cimo.merge([a, b], rename={"C9": "C9b"})


def test_merge_command_writes_provenance_that_diff_and_show_keep(tmp_path: Path) -> None:
    mine, theirs = _team(tmp_path)
    out = tmp_path / "merged.yaml"
    result = runner.invoke(app, ["merge", str(mine), str(theirs), "-o", str(out)])
    assert result.exit_code == 1 and not out.exists()
    assert "--prefer ours|theirs" in result.stderr
    result = runner.invoke(
        app,
        [
            "merge",
            str(mine),
            str(theirs),
            "-o",
            str(out),
            "--rename",
            "C2=C2b",
            "--take",
            "C1=mine.yaml",
        ],
    )
    assert result.exit_code == 0, result.stderr
    assert "renamed C2 of theirs.yaml to C2b" in result.stderr
    merged = cimo.load(out)
    assert merged.rule_index["C7"].contributed_by == ("theirs.yaml",)
    assert merged.rule_index["C2"].contributed_by == ("mine.yaml",)
    assert merged.index["nqn"].contributed_by == ("mine.yaml", "theirs.yaml")
    assert "contributed_by" in out.read_text()
    shown = runner.invoke(app, ["show", str(out)]).stdout
    assert "theirs.yaml: rules C2b, C7; 7 nodes" in shown
    changed = {r.id for r in cimo.diff(cimo.load(mine), merged).rules_changed}
    assert "C1" in changed  # contributed_by is a field diff reports
    result = runner.invoke(
        app,
        ["merge", str(mine), str(theirs), "-o", str(out), "--prefer", "ours", "--no-provenance"],
    )
    assert result.exit_code == 0 and "contributed_by" not in out.read_text()
