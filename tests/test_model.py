"""The typed core: construction, structural checks, immutability."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from cimo import Context, Evidence, Intervention, Link, Mechanism, Outcome, Rule, Source, Theory
from cimo.model import Iteration, Taxon, Taxonomy

NODES = (
    Context(id="c1", label="Employees in work"),
    Context(id="c2", label="Group psychotherapy"),
    Intervention(id="i1", label="Peer facilitation"),
    Mechanism(id="regulate", label="Regulate"),
    Outcome(id="o1", label="Job retention", polarity="desired"),
    Outcome(id="o2", label="Sickness absence", polarity="undesired"),
)


def theory(**kw: Any) -> Theory:
    return Theory(id="t", title="T", nodes=kw.pop("nodes", NODES), **kw)


def errors_of(**kw: Any) -> list[dict[str, Any]]:
    with pytest.raises(ValidationError) as info:
        theory(**kw)
    return [dict(e) for e in info.value.errors()]


def test_rule_slots_accept_python_names_and_file_aliases() -> None:
    by_name = Rule(
        id="R1", contexts=("c1",), interventions=("i1",), mechanisms=("regulate",), outcomes=("o1",)
    )
    by_alias = Rule.model_validate(
        {"id": "R1", "if": ["c1"], "with": ["i1"], "because": ["regulate"], "then": ["o1"]}
    )
    assert by_name == by_alias
    assert by_name.model_dump(by_alias=True)["if"] == ("c1",)


def test_models_are_frozen_and_reject_unknown_keys() -> None:
    rule = Rule(id="R1")
    with pytest.raises(ValidationError, match="frozen"):
        rule.id = "R2"  # type: ignore[misc]
    with pytest.raises(ValidationError, match="Extra inputs"):
        Rule.model_validate({"id": "R1", "becuase": ["regulate"]})


def test_node_kind_is_a_tagged_union() -> None:
    t = Theory.model_validate(
        {
            "id": "t",
            "title": "T",
            "nodes": [{"id": "m", "kind": "mechanism", "label": "M", "resource": "peers"}],
        }
    )
    assert isinstance(t.nodes[0], Mechanism)
    assert t.nodes[0].resource == "peers"
    with pytest.raises(ValidationError) as info:
        Theory.model_validate(
            {"id": "t", "title": "T", "nodes": [{"id": "m", "kind": "mechanizm", "label": "M"}]}
        )
    assert info.value.errors()[0]["type"] == "union_tag_invalid"


@pytest.mark.parametrize(
    ("rule", "missing"),
    [
        (Rule(id="R", contexts=("c1",), mechanisms=("regulate",), outcomes=("o1",)), ()),
        (Rule(id="R", mechanisms=("regulate",), outcomes=("o1",)), ("context",)),
        (Rule(id="R", contexts=("c1",), outcomes=("o1",)), ("mechanism",)),
        (Rule(id="R", contexts=("c1",), mechanisms=("regulate",), reduces=("o2",)), ()),
        (Rule(id="R"), ("context", "mechanism", "outcome")),
    ],
)
def test_incomplete_rules_are_kept_and_flagged(rule: Rule, missing: tuple[str, ...]) -> None:
    t = theory(rules=(rule,))
    assert t.rules[0].missing == missing
    assert t.rules[0].incomplete is bool(missing)


def test_outcome_can_stand_as_a_context_of_a_later_rule() -> None:
    t = theory(
        rules=(
            Rule(id="R1", contexts=("c1",), mechanisms=("regulate",), outcomes=("o1",)),
            Rule(id="R2", contexts=("o1",), mechanisms=("regulate",), reduces=("o2",)),
        )
    )
    assert t.rules[1].contexts == ("o1",)


def test_every_structural_problem_is_reported_at_once_with_its_location() -> None:
    errs = errors_of(
        rules=(
            Rule(id="R1", contexts=("c1x",), mechanisms=("o1",), outcomes=("o1", "o1")),
            Rule(id="c1", unless=("c2",), contexts=("c2",)),
        ),
        links=(Link(outcome="c1", context="c2"),),
    )
    found = {(e["type"], e["loc"]) for e in errs}
    assert found == {
        ("cimo.unknown_id", ("rules", 0, "if", 0)),
        ("cimo.wrong_kind", ("rules", 0, "because", 0)),
        ("cimo.repeated_id", ("rules", 0, "then")),
        ("cimo.duplicate_id", ("rules", 1, "id")),
        ("cimo.self_blocking", ("rules", 1, "unless", 0)),
        ("cimo.wrong_kind", ("links", 0, "outcome")),
    }
    unknown = next(e for e in errs if e["type"] == "cimo.unknown_id")
    assert (
        unknown["msg"]
        == "rule R1: 'c1x' is not a context or outcome of this theory (did you mean 'c1'?)"
    )
    wrong = next(e for e in errs if e["loc"] == ("rules", 0, "because", 0))
    assert wrong["msg"] == "rule R1: 'o1' is an outcome, but 'because' takes mechanisms"


def test_suggestions_only_offer_ids_of_the_right_kind() -> None:
    errs = errors_of(rules=(Rule(id="R1", mechanisms=("regulte",)),))
    assert errs[0]["msg"].endswith("is not a mechanism of this theory (did you mean 'regulate'?)")
    errs = errors_of(rules=(Rule(id="R1", interventions=("o1x",)),))
    assert "did you mean" not in errs[0]["msg"]
    assert "is not an intervention" in errs[0]["msg"]


def test_duplicate_node_ids_are_rejected() -> None:
    errs = errors_of(nodes=(*NODES, Outcome(id="c1", label="again")))
    assert errs[0]["type"] == "cimo.duplicate_id"
    assert errs[0]["loc"] == ("nodes", 6, "id")
    assert "already used by a context" in errs[0]["msg"]


def test_then_and_reduces_cannot_share_an_outcome() -> None:
    errs = errors_of(rules=(Rule(id="R1", outcomes=("o1",), reduces=("o1",)),))
    assert [e["type"] for e in errs] == ["cimo.self_contradiction"]


def test_evidence_must_cite_a_declared_source() -> None:
    ok = theory(
        sources=(Source(id="s1", citation="A study"),),
        rules=(Rule(id="R1", evidence=(Evidence(source="s1"),)),),
    )
    assert ok.source_index["s1"].citation == "A study"
    errs = errors_of(rules=(Rule(id="R1", evidence=(Evidence(source="s2"),)),))
    assert errs[0]["loc"] == ("rules", 0, "evidence", 0, "source")
    assert "add it under 'sources'" in errs[0]["msg"]


def test_outcome_opposite_must_be_another_outcome() -> None:
    nodes = (
        *NODES[:4],
        Outcome(id="o1", label="Retention", opposite="o2"),
        Outcome(id="o2", label="Loss"),
    )
    assert theory(nodes=nodes).index["o1"].opposite == "o2"  # type: ignore[union-attr]
    errs = errors_of(nodes=(*NODES[:4], Outcome(id="o1", label="Retention", opposite="c1")))
    assert errs[0]["type"] == "cimo.wrong_kind"
    errs = errors_of(nodes=(*NODES[:4], Outcome(id="o1", label="Retention", opposite="o1")))
    assert errs[0]["type"] == "cimo.self_reference"


def test_iterations_must_be_declared_when_any_are() -> None:
    t = theory(
        iterations=(Iteration(number=1, label="first"),), rules=(Rule(id="R1", iterations=(1,)),)
    )
    assert t.rules[0].iterations == (1,)
    errs = errors_of(
        iterations=(Iteration(number=1, label="first"),), rules=(Rule(id="R1", iterations=(2,)),)
    )
    assert errs[0]["loc"] == ("rules", 0, "iterations", 0)


def test_unknown_builtin_taxonomy_and_vocabulary() -> None:
    errs = errors_of(taxonomy="work-focused-group-cbd")
    assert "did you mean 'work-focused-group-cbt'" in errs[0]["msg"]
    errs = errors_of(vocabulary="s4-checklist")
    assert errs[0]["loc"] == ("vocabulary",)


def test_user_taxonomies_are_checked_as_a_tree() -> None:
    good = Taxonomy(
        id="mine",
        label="Mine",
        ranks=("mechanism", "theme"),
        taxa=(
            Taxon(id="trust", label="Trust", rank="mechanism"),
            Taxon(id="safety", label="Safety", rank="theme", parent="trust"),
        ),
    )
    assert theory(taxonomy=good).taxonomy == good
    with pytest.raises(ValidationError) as info:
        Taxonomy(
            id="bad",
            label="Bad",
            ranks=("mechanism", "theme"),
            taxa=(
                Taxon(id="a", label="A", rank="theme"),
                Taxon(id="b", label="B", rank="mechanism", parent="a"),
                Taxon(id="c", label="C", rank="level"),
            ),
        )
    assert [e["type"] for e in info.value.errors()] == [
        "cimo.missing_parent",
        "cimo.wrong_kind",
        "cimo.unknown_rank",
    ]


@pytest.mark.parametrize("bad_id", ["", "-leading", "trailing-", "has space", "colon:id", "é"])
def test_ids_are_readable_slugs(bad_id: str) -> None:
    with pytest.raises(ValidationError):
        Context(id=bad_id, label="x")


def test_labels_must_not_be_blank() -> None:
    with pytest.raises(ValidationError, match="must not be empty"):
        Context(id="c", label="   ")


def test_views_by_kind_keep_file_order() -> None:
    t = theory()
    assert [c.id for c in t.contexts] == ["c1", "c2"]
    assert [o.id for o in t.outcomes] == ["o1", "o2"]
    assert t.index["regulate"].kind == "mechanism"
    assert t.outcomes[0].valence == 1 and t.outcomes[1].valence == -1


def test_equal_theories_are_equal_after_cached_views_are_used() -> None:
    a, b = theory(), theory()
    _ = a.index, a.rule_index
    assert a == b
    assert hash(a) == hash(b)
