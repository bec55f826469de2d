"""The core layer: the slot table agrees with the model, every field has a policy, one index."""

from __future__ import annotations

import inspect
from collections.abc import Sequence
from types import MappingProxyType
from typing import Annotated

import pytest
from pydantic import BaseModel, Field
from pydantic_core import PydanticCustomError

import cimo
import cimo.core.model as core_model
from cimo.core.index import TheoryIndex, index_of
from cimo.core.structure import STRUCTURAL_CODES, structural_errors
from cimo.core.vocabulary import SLOTS, Policy, Slot, field_policy
from cimo.model import Context, Link, Mechanism, Outcome, Rule, Theory

# --------------------------------------------------------------------------- slots


def slot_mismatches(rule: type[BaseModel], slots: Sequence[Slot]) -> list[str]:
    """How a rule class and a slot table disagree (empty when they agree).

    A slot field of the rule is a field whose policy carries it as edges.
    """
    fields = {
        name: info.alias or name
        for name, info in rule.model_fields.items()
        if field_policy(rule, name).network == "edges"
    }
    table = {s.attr: s.keyword for s in slots}
    problems = [f"field {a!r} has no slot" for a in fields if a not in table]
    problems += [f"slot {k!r} has no field {a!r}" for a, k in table.items() if a not in fields]
    problems += [
        f"field {a!r} is written {fields[a]!r}, slot says {k!r}"
        for a, k in table.items()
        if a in fields and fields[a] != k
    ]
    if [s.attr for s in slots if s.attr in fields] != [a for a in fields if a in table]:
        problems.append("the slot table and the rule list the slots in different orders")
    return problems


def test_the_slot_table_and_the_rule_agree() -> None:
    assert slot_mismatches(Rule, SLOTS) == []


def test_a_seventh_slot_in_the_model_alone_is_caught() -> None:
    class OneMoreSlot(Rule):
        meanwhile: Annotated[tuple[str, ...], Policy(network="edges")] = Field(
            default=(), alias="meanwhile"
        )

    assert slot_mismatches(OneMoreSlot, SLOTS) == ["field 'meanwhile' has no slot"]


def test_a_seventh_slot_in_the_table_alone_is_caught() -> None:
    extra = Slot("meanwhile", "meanwhile", ("context",), "condition", "contexts")  # type: ignore[arg-type]
    assert slot_mismatches(Rule, (*SLOTS, extra)) == ["slot 'meanwhile' has no field 'meanwhile'"]


def test_a_slot_written_differently_is_caught() -> None:
    renamed = tuple(
        Slot("when", s.attr, s.kinds, s.side, s.words)  # type: ignore[arg-type]
        if s.keyword == "if"
        else s
        for s in SLOTS
    )
    assert slot_mismatches(Rule, renamed) == ["field 'contexts' is written 'if', slot says 'when'"]


def test_rule_references_walk_every_slot_in_table_order() -> None:
    rule = Rule.model_validate({s.keyword: [f"x-{s.keyword}"] for s in SLOTS} | {"id": "r"})
    assert [slot for slot, _, _ in rule.references()] == [s.keyword for s in SLOTS]


# --------------------------------------------------------------------------- field policies


def record_classes() -> list[type[BaseModel]]:
    return [
        obj
        for _, obj in inspect.getmembers(core_model, inspect.isclass)
        if issubclass(obj, core_model.CimoModel) and obj is not core_model.CimoModel
    ]


def test_the_record_classes_are_all_found() -> None:
    names = {c.__name__ for c in record_classes()}
    assert {"Theory", "Rule", "Context", "Taxonomy", "ComponentVocabulary", "Evidence"} <= names


@pytest.mark.parametrize("model", record_classes(), ids=lambda c: c.__name__)
def test_every_field_of_every_record_has_a_policy(model: type[BaseModel]) -> None:
    for name in model.model_fields:
        assert isinstance(field_policy(model, name), Policy), f"{model.__name__}.{name}"


def test_a_field_without_a_policy_is_reported() -> None:
    class Bare(core_model.CimoModel):
        x: int = 0

    with pytest.raises(LookupError, match=r"Bare\.x has no field policy"):
        field_policy(Bare, "x")
    with pytest.raises(LookupError, match="no field 'y'"):
        field_policy(Bare, "y")


def test_the_policies_express_the_network_lists() -> None:
    # io/networks keeps JSON text for these fields, and an id-or-JSON for two more.
    carried: list[type[BaseModel]] = [Theory, Rule, Context, Outcome, Mechanism, cimo.Intervention]
    by_network: dict[str, set[str]] = {}
    for model in carried:
        for name in model.model_fields:
            by_network.setdefault(field_policy(model, name).network, set()).add(name)
    assert by_network["json"] == {
        "tags", "iterations", "measures", "facets", "components", "evidence",
        "authors", "based_on", "sources", "check",
        # format 2.0
        "indicators", "inferred", "context_groups", "mechanism_links", "outcome_steps",
        "missing_parts", "segments", "annotations", "themes", "programme_theories",
        "relations", "participants",
    }  # fmt: skip
    assert by_network["json-or-id"] == {"taxonomy", "vocabulary"}
    assert by_network["graph"] == {"nodes", "rules", "links"}


# --------------------------------------------------------------------------- structure


def test_structural_codes_come_from_the_literal() -> None:
    assert STRUCTURAL_CODES[0] == "cimo.duplicate_id"
    assert len(set(STRUCTURAL_CODES)) == len(STRUCTURAL_CODES) == 9


def _code(error_type: str | PydanticCustomError) -> str:
    return error_type if isinstance(error_type, str) else error_type.type


def test_structural_errors_are_plain_data_in_document_order() -> None:
    partial = Theory.model_construct(
        id="t",
        title="T",
        nodes=(Context(id="c", label="C"), Context(id="c", label="again")),
        rules=(Rule(id="r", contexts=("c", "x"), mechanisms=("c",)),),
        links=(Link(outcome="c", context="c"),),
    )
    found = [(_code(e["type"]), e["loc"]) for e in structural_errors(partial)]
    assert found == [
        ("cimo.duplicate_id", ("nodes", 1, "id")),
        ("cimo.unknown_id", ("rules", 0, "if", 1)),
        ("cimo.wrong_kind", ("rules", 0, "because", 0)),
        ("cimo.wrong_kind", ("links", 0, "outcome")),
    ]


# --------------------------------------------------------------------------- index


def small() -> Theory:
    return Theory(
        id="t",
        title="T",
        nodes=(
            Context(id="c", label="C"),
            Mechanism(id="m", label="M"),
            Outcome(id="o", label="O", opposite="p"),
            Outcome(id="p", label="P"),
            Context(id="c2", label="C2"),
        ),
        rules=(
            Rule(id="r1", contexts=("c",), mechanisms=("m",), outcomes=("o",)),
            Rule(id="r2", contexts=("o",), unless=("c2",), mechanisms=("m",), reduces=("p",)),
            Rule(id="r3", mechanisms=("m",), outcomes=("o", "p")),
        ),
        links=(Link(outcome="o", context="c2"),),
    )


def test_a_copy_never_sees_the_index_of_the_original() -> None:
    t = small()
    assert "c" in t.index
    copy = t.model_copy(update={"nodes": ()})
    assert len(copy.index) == 0
    assert dict(t.model_copy(update={"rules": ()}).rule_index) == {}


def test_a_copy_of_a_catalogue_never_sees_the_lookups_of_the_original() -> None:
    from cimo.core.catalogues import builtin_taxonomy, builtin_vocabulary

    six = builtin_taxonomy("work-focused-group-cbt")
    assert "relate" in six.by_id and six.by_id is six.by_id
    assert isinstance(six.by_id, MappingProxyType)
    assert dict(six.model_copy(update={"taxa": ()}).by_id) == {}
    coarse = six.model_copy(update={"taxa": tuple(t for t in six.taxa if t.rank == "mechanism")})
    assert sorted(coarse.by_id) == sorted(t.id for t in six.taxa if t.rank == "mechanism")
    s3 = builtin_vocabulary("s3-checklist")
    assert s3.allows("operational", "format")
    assert isinstance(s3.aspects, MappingProxyType)
    bare = s3.model_copy(update={"categories": ()})
    assert dict(bare.aspects) == {} and not bare.allows("operational", "format")
    assert s3.allows("operational", "format")


def test_the_index_is_shared_and_read_only() -> None:
    t = small()
    ix = index_of(t)
    assert ix is index_of(t)
    assert isinstance(ix, TheoryIndex)
    assert t.index is ix.nodes and t.rule_index is ix.rules and t.source_index is ix.sources
    assert isinstance(ix.slots, MappingProxyType)
    with pytest.raises(AttributeError):
        ix.rule_records = ()
    with pytest.raises(TypeError):
        ix.producers["o"] = (0,)  # type: ignore[index]


def test_the_index_groups_rules_by_slot_links_and_opposites() -> None:
    ix = index_of(small())
    assert ix.producers == {"o": (0, 2), "p": (2,)}
    assert ix.reducers == {"p": (1,)}
    assert ix.waiting == {"c": (0,), "o": (1,)}
    assert ix.unless == {"c2": (1,)}
    assert ix.slot("because") == {"m": (0, 1, 2)}
    assert ix.rules_using("o", "if", "then") == (0, 1, 2)
    assert ix.rules_using("c2") == (1,)
    assert ix.vacuous == (2,)
    assert ix.used == {"c", "m", "o", "p", "c2"}
    assert ix.linked == {"o": ("c2",)} and ix.linked_from == {"c2": ("o",)}
    assert ix.in_links == {"o", "c2"}
    assert ix.opposites == {"o": {"p"}, "p": {"o"}}
    assert ix.derivable("c2") and ix.derivable("o") and not ix.derivable("c")
    assert ix.feeds("o") == ("o", "c2")
    assert ix.rule_pos["r2"] == 1 and ix.node_pos["p"] == 3 and ix.rule(1).id == "r2"


def test_the_index_does_not_keep_its_theory_alive() -> None:
    import gc
    import weakref

    t = small()
    index_of(t)
    ref = weakref.ref(t)
    del t
    gc.collect()
    assert ref() is None


# --------------------------------------------------------------------------- summary


def test_summary_counts_every_status_and_cannot_be_changed() -> None:
    s = cimo.summary(small())
    assert list(s.rules_by_status) == list(cimo.core.vocabulary.values(cimo.core.vocabulary.Status))
    with pytest.raises(TypeError):
        s.rules_by_status["refuted"] = 3  # type: ignore[index]
    assert s.model_dump(mode="json")["rules_by_status"]["hypothesised"] == 3
