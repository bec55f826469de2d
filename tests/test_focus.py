"""``focus`` keeps every node its rules name, so a part of a 2.0 theory is a theory."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cimo import load, loads
from cimo.core.index import nested_ids
from cimo.edit import focus
from cimo.model import Theory
from cimo.render import rule_cards, theory_map
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


_LEAK = """\
format_version: "2.0"
id: leak
title: Leak
nodes:
  - {id: c1, kind: context, label: Ward}
  - {id: m1, kind: mechanism, label: Belonging}
  - {id: m2, kind: mechanism, label: Confidence}
  - {id: o1, kind: outcome, label: Intention to stay}
  - {id: o2, kind: outcome, label: Retention}
  - {id: o3, kind: outcome, label: Burnout}
rules:
  - {id: A, if: [c1], because: [m1], then: [o1]}
  - {id: B, if: [o1], because: [m2], then: [o2]}
  - {id: D, if: [c1], because: [m2], then: [o3], status: refuted}
"""


def _edges(source: str) -> set[tuple[str, str]]:
    return set(re.findall(r'^\s*"([^"]+)" -> "([^"]+)"', source, flags=re.M))


def test_depth_one_draws_the_rules_producing_or_using_the_node_and_nothing_else() -> None:
    # S17: --focus o1 --depth 1 is A (produces o1) and B (uses o1) with their parts.
    # D joins c1 to m2, both drawn, but D is outside the focus: no c1 -> m2 edge,
    # and D is refuted, so the legend must not list refuted rules either.
    theory = loads(_LEAK)
    d = theory_map(theory, focus="o1", depth=1)
    drawn = {e for e in _edges(d.source) if not any(p.startswith("cimo:") for p in e)}
    assert drawn == {("c1", "m1"), ("m1", "o1"), ("o1", "m2"), ("m2", "o2")}
    assert '"o3"' not in d.source and "refuted" not in d.source.lower()
    with_rules = theory_map(theory, focus="o1", depth=1, rules=True)
    assert '"D"' not in with_rules.source and "refuted" not in with_rules.source.lower()
    cards = rule_cards(theory, focus="o1", depth=1)
    assert {"A", "B"} <= {n for e in _edges(cards.source) for n in e}
    assert '"D"' not in cards.source and "refuted" not in cards.source.lower()
    whole = theory_map(theory)
    assert ("c1", "m2") in _edges(whole.source) and "refuted" in whole.source.lower()
