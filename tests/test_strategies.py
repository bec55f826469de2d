"""Meta-tests: the public strategies themselves."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Literal, TypeVar, get_args, get_origin

import pytest
from hypothesis import Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

import cimo
from cimo.core.vocabulary import KINDS
from cimo.model import CimoModel
from cimo.strategies import ids, labels, nodes, rules, scenarios, theories

T = TypeVar("T")
NODE_CLASSES: dict[str, type[CimoModel]] = {
    "context": cimo.Context,
    "intervention": cimo.Intervention,
    "mechanism": cimo.Mechanism,
    "outcome": cimo.Outcome,
}


@given(ids())
def test_ids_are_valid_slugs(ident: str) -> None:
    assert cimo.Context(id=ident, label="x").id == ident


@given(labels())
def test_labels_are_never_blank(label: str) -> None:
    assert label.strip()


def _collect(strategy: st.SearchStrategy[T], n: int) -> list[T]:
    """``n`` examples of a strategy (derandomized, so a test on them is not flaky)."""
    drawn: list[T] = []

    @settings(max_examples=n, derandomize=True, database=None, phases=[Phase.generate])
    @given(strategy)
    def collect(example: T) -> None:
        drawn.append(example)

    collect()
    return drawn


def test_nodes_of_every_kind() -> None:
    drawn = _collect(nodes(), 100)
    assert {node.kind for node in drawn} == set(KINDS)
    assert all(isinstance(node, NODE_CLASSES[node.kind]) for node in drawn)


def _records(annotation: object) -> Iterator[type[CimoModel]]:
    """The record classes an annotation can hold (through unions, tuples and Annotated)."""
    if isinstance(annotation, type) and issubclass(annotation, CimoModel):
        yield annotation
    for arg in get_args(annotation):
        yield from _records(arg)


def _optional_fields(root: type[CimoModel]) -> set[tuple[str, str]]:
    """Every (record, field) reachable from ``root`` with a default another value can replace."""
    found: set[tuple[str, str]] = set()
    todo, seen = [root], set()
    while todo:
        cls = todo.pop()
        if cls in seen:
            continue
        seen.add(cls)
        for name, field in cls.model_fields.items():
            todo.extend(_records(field.annotation))
            default = field.get_default(call_default_factory=True)
            fixed = get_origin(field.annotation) is Literal and get_args(field.annotation) == (
                default,
            )
            if not field.is_required() and not fixed:
                found.add((cls.__name__, name))
    return found


def _drawn_fields(record: object, into: set[tuple[str, str]]) -> None:
    """Record every (record, field) of ``record`` and its parts that is not at its default."""
    if isinstance(record, tuple):
        for item in record:
            _drawn_fields(item, into)
    if not isinstance(record, CimoModel):
        return
    for name, field in type(record).model_fields.items():
        value = getattr(record, name)
        if not field.is_required() and value != field.get_default(call_default_factory=True):
            into.add((type(record).__name__, name))
        _drawn_fields(value, into)


def test_every_optional_field_of_every_record_is_drawn() -> None:
    # Computed from the model, so a new field fails here until theories() draws it.
    drawn: set[tuple[str, str]] = set()
    for theory in _collect(theories(), 300):
        _drawn_fields(theory, drawn)
    assert sorted(_optional_fields(cimo.Theory) - drawn) == []


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
    from hypothesis import find

    smallest = find(theories(), lambda t: True)
    assert (smallest.nodes, smallest.rules, smallest.links) == ((), (), ())


def test_minimal_theory_with_a_chain_is_two_rules() -> None:
    from hypothesis import find

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
