"""``focus`` keeps every node its rules name, so a part of a 2.0 theory is a theory."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cimo import load
from cimo.core.index import nested_ids
from cimo.edit import focus
from cimo.model import Theory
from cimo.render import theory_map
from cimo.strategies import theories

PUBLISHED = Path(__file__).parent / "data" / "published"


def _named(theory: Theory) -> set[str]:
    """Every node id the theory's rules name, in slots, nested parts and segments."""
    named: set[str] = set()
    for rule in theory.rules:
        named.update(ref for _, _, ref in rule.references())
        named.update(nested_ids(rule))
        named.update(s.ref for s in rule.segments if s.ref is not None)
    return named


def test_focus_keeps_the_contexts_of_an_any_of_group() -> None:
    kirsh = load(PUBLISHED / "01-kirsh-2017.yaml")
    r3 = kirsh.rule_index["R3"]
    assert r3.context_groups, "R3 names its contexts in if_any"
    part = focus(kirsh, node="R3", steps=0)
    assert [r.id for r in part.rules] == ["R3"]
    assert {m for group in r3.context_groups for m in group} <= {n.id for n in part.nodes}
    assert _named(part) <= {n.id for n in part.nodes}
    assert "digraph" in theory_map(kirsh, focus="R3", depth=0).source


def test_focus_keeps_the_outcome_a_variant_is_of() -> None:
    kirsh = load(PUBLISHED / "01-kirsh-2017.yaml")
    part = focus(kirsh, node="R1", steps=0)
    ids = {n.id for n in part.nodes}
    targets = [of for n in part.nodes if (of := getattr(n, "variant_of", None)) is not None]
    assert targets, "R1 names an outcome declared a variant of another"
    assert set(targets) <= ids


def test_focus_keeps_what_a_mechanism_requires_and_what_segments_print() -> None:
    fothergill = load(PUBLISHED / "09-fothergill-2025.yaml")
    rule = fothergill.rule_index["CMO2"]
    part = focus(fothergill, node="CMO2", steps=0)
    assert [r.id for r in part.rules] == ["CMO2"]
    ids = {n.id for n in part.nodes}
    assert set(nested_ids(rule)) | {s.ref for s in rule.segments if s.ref} <= ids


def test_a_node_named_only_in_if_any_is_one_step_from_its_rule() -> None:
    kirsh = load(PUBLISHED / "01-kirsh-2017.yaml")
    member = kirsh.rule_index["R3"].context_groups[0][0]
    assert "R3" in {r.id for r in focus(kirsh, node=member, steps=1).rules}


@settings(max_examples=60, deadline=None)
@given(theory=theories(min_rules=1), data=st.data())
def test_focus_on_any_rule_gives_a_valid_theory(theory: Theory, data: st.DataObject) -> None:
    rule = data.draw(st.sampled_from(theory.rules))
    steps = data.draw(st.integers(0, 2))
    part = focus(theory, node=rule.id, steps=steps)  # re-checked: raises if invalid
    assert rule in part.rules or rule.id in part.rule_index
    assert _named(part) <= {n.id for n in part.nodes}


@pytest.mark.parametrize("path", sorted(PUBLISHED.glob("*.yaml")), ids=lambda p: p.stem)
def test_focus_on_every_published_rule(path: Path) -> None:
    theory = load(path)
    for rule in theory.rules:
        part = focus(theory, node=rule.id, steps=0)
        assert [r.id for r in part.rules] == [rule.id]
