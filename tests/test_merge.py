"""cimo.merge: provenance, equivalences, conflicts; merge with itself; merging only adds."""

from __future__ import annotations

import pytest
from hypothesis import given

import cimo
from cimo.core.data import to_data
from cimo.errors import UnknownIdError, UsageError
from cimo.strategies import theories


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
    assert "1 conflict, nothing merged" in text and "Fix: rename" in text


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
