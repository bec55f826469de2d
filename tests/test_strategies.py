"""Meta-tests: the public strategies themselves."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from hypothesis import Phase, find, given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from pydantic import BaseModel

import cimo
from cimo.strategies import ids, labels, nodes, rules, scenarios, theories


@given(ids())
def test_ids_are_valid_slugs(ident: str) -> None:
    assert cimo.Context(id=ident, label="x").id == ident


@given(labels())
def test_labels_are_never_blank(label: str) -> None:
    assert label.strip()


@given(nodes())
def test_nodes_of_every_kind(
    node: cimo.Context | cimo.Intervention | cimo.Mechanism | cimo.Outcome,
) -> None:
    assert node.kind in ("context", "intervention", "mechanism", "outcome")


@given(theories(min_nodes=2, max_nodes=6, min_rules=1, max_rules=4))
def test_theories_respect_size_bounds_and_are_valid(theory: cimo.Theory) -> None:
    assert 2 <= len(theory.nodes) <= 6
    assert 1 <= len(theory.rules) <= 4
    assert cimo.Theory.model_validate(theory.model_dump(by_alias=True)) == theory


@given(st.data())
def test_rules_only_name_the_ids_given(data: st.DataObject) -> None:
    rule = data.draw(rules(contexts=["c"], mechanisms=["m"], outcomes=["o", "p"]))
    named = {ref for _, _, ref in rule.references()}
    assert named <= {"c", "m", "o", "p"}
    assert not set(rule.contexts) & set(rule.unless)
    assert not set(rule.outcomes) & set(rule.reduces)


def test_minimal_theory_is_empty() -> None:

    smallest = find(theories(), lambda t: True)
    assert (smallest.nodes, smallest.rules, smallest.links) == ((), (), ())


def test_minimal_theory_with_a_chain_is_two_rules() -> None:

    def has_chain(t: cimo.Theory) -> bool:
        return bool(cimo.graph.chain_links(t))

    smallest = find(
        theories(max_nodes=6, max_rules=4), has_chain, settings=settings(max_examples=2000)
    )
    assert len(smallest.rules) <= 2


@given(st.data())
def test_scenarios_draw_from_the_theory(data: st.DataObject) -> None:
    theory = cimo.load_example("work-focused-group-cbt")
    contexts, interventions = data.draw(scenarios(theory, max_contexts=2))
    assert contexts <= {c.id for c in theory.contexts}
    assert interventions <= {i.id for i in theory.interventions}
    assert len(contexts) <= 2


@pytest.mark.parametrize(
    "make",
    [
        lambda: theories(min_nodes=3, max_nodes=1),
        lambda: theories(min_rules=-1),
        lambda: labels(max_size=0),
        lambda: rules(contexts=["c"], max_slot_size=-1),
    ],
)
def test_impossible_arguments_are_refused(make: Callable[[], st.SearchStrategy[object]]) -> None:
    @given(st.data())
    def draw_once(data: st.DataObject) -> None:
        data.draw(make())

    with pytest.raises(InvalidArgument):
        draw_once()


# --------------------------------------------------------------------------- format 2.0 fields


def _records(theory: cimo.Theory) -> Iterator[BaseModel]:
    """Every record of a theory, nested ones included."""
    yield theory
    for group in (theory.nodes, theory.themes, theory.programme_theories):
        yield from group
    yield from theory.relations
    yield from theory.participants
    for theme in theory.themes:
        yield from theme.annotations
    for rule in theory.rules:
        yield rule
        for part in (rule.mechanism_links, rule.outcome_steps, rule.segments, rule.annotations):
            yield from part
        yield from rule.evidence


#: The fields format 2.0 added, by record: each must be drawn with a value other than its default.
NEW_FIELDS: list[tuple[type[BaseModel], str]] = [
    (cimo.Rule, name)
    for name in (
        "any_context", "context_groups", "modifiers", "moderators", "despite", "mechanism_links",
        "otherwise", "outcome_steps", "missing_parts", "actor", "programme_theory", "segments",
        "annotations", "inferred",
    )
] + [
    (cimo.Context, "indicators"), (cimo.Context, "truncated"), (cimo.Context, "inferred"),
    (cimo.Mechanism, "behaviour"), (cimo.Mechanism, "polarity"), (cimo.Mechanism, "absent"),
    (cimo.Mechanism, "indicators"), (cimo.Outcome, "variant_of"), (cimo.Intervention, "inferred"),
    (cimo.Theory, "themes"), (cimo.Theory, "programme_theories"), (cimo.Theory, "relations"),
    (cimo.Theory, "participants"), (cimo.Evidence, "participant"),
    (cimo.Theme, "recommendation"), (cimo.Theme, "annotations"), (cimo.Theme, "inferred"),
    (cimo.Relation, "note"), (cimo.Relation, "source_label"), (cimo.Participant, "attributes"),
    (cimo.Annotation, "counters"), (cimo.Annotation, "source"), (cimo.MechanismLink, "requires"),
    (cimo.MechanismLink, "then"), (cimo.Segment, "text"),
]  # fmt: skip


def test_every_new_field_is_drawn() -> None:
    defaults = {
        (model, name): model.model_fields[name].get_default(call_default_factory=True)
        for model, name in NEW_FIELDS
    }
    seen: set[tuple[type[BaseModel], str]] = set()
    stances: set[str | None] = set()

    @settings(phases=[Phase.generate], derandomize=True, max_examples=100, deadline=None)
    @given(theories())
    def collect(theory: cimo.Theory) -> None:
        for record in _records(theory):
            seen.update(
                (model, name)
                for model, name in NEW_FIELDS
                if isinstance(record, model) and getattr(record, name) != defaults[model, name]
            )
            if isinstance(record, cimo.Evidence):
                stances.add(record.stance)

    collect()
    assert [f"{m.__name__}.{n}" for m, n in NEW_FIELDS if (m, n) not in seen] == []
    assert {"source", None} <= stances
