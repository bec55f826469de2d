"""In the map every node a rule names is joined to something: ``if_any`` and ``requires`` too."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from _svg import legend_words
from hypothesis import given, settings

from cimo import load
from cimo.core.index import nested_ids
from cimo.model import Theory
from cimo.render import rule_cards, theory_map
from cimo.strategies import theories

PUBLISHED = Path(__file__).parent / "data" / "published"
_END = r'"((?:[^"\\]|\\.)*)"'
_EDGE = re.compile(rf"^\s*{_END} -> {_END}", re.MULTILINE)


def _edges(source: str) -> list[tuple[str, str]]:
    return [(a, b) for a, b in _EDGE.findall(source) if not a.startswith("cimo:lane:")]


def _touched(source: str) -> set[str]:
    return {end for edge in _edges(source) for end in edge if end != "cimo:legend"}


def _flat_and_nested(theory: Theory) -> set[str]:
    ids: set[str] = set()
    for rule in theory.rules:
        ids.update(ref for _, _, ref in rule.references())
        ids.update(nested_ids(rule))
    return ids


def test_kirsh_r3_any_of_contexts_meet_at_an_or_into_the_rule() -> None:
    kirsh = load(PUBLISHED / "01-kirsh-2017.yaml")
    group = kirsh.rule_index["R3"].context_groups[0]
    source = theory_map(kirsh, rules=True).source
    edges = _edges(source)
    junction = "cimo:any:R3:0"
    assert {(m, junction) for m in group} <= set(edges)
    assert (junction, "R3") in edges
    assert "IF ANY" in source  # the legend says what the "or" means


def test_without_rule_nodes_any_of_contexts_lead_to_the_mechanisms() -> None:
    kirsh = load(PUBLISHED / "01-kirsh-2017.yaml")
    r3 = kirsh.rule_index["R3"]
    edges = set(_edges(theory_map(kirsh).source))
    junction = "cimo:any:R3:0"
    assert {(m, junction) for m in r3.context_groups[0]} <= edges
    assert {(junction, m) for m in r3.mechanisms} <= edges


@pytest.mark.parametrize("path", sorted(PUBLISHED.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_node_a_published_rule_names_has_an_edge(path: Path) -> None:
    theory = load(path)
    assert _flat_and_nested(theory) <= _touched(theory_map(theory, rules=True).source)


@settings(max_examples=40, deadline=None)
@given(theory=theories(min_rules=1))
def test_every_node_a_rule_names_has_an_edge(theory: Theory) -> None:
    assert _flat_and_nested(theory) <= _touched(theory_map(theory, rules=True, legend=False).source)
    with_mechanisms = [r for r in theory.rules if r.mechanisms]
    required = {c for r in with_mechanisms for link in r.mechanism_links for c in link.requires}
    grouped = {m for r in with_mechanisms for group in r.context_groups for m in group}
    assert required | grouped <= _touched(theory_map(theory, legend=False).source)


def test_a_card_whose_contexts_are_an_any_of_group_names_context_in_its_legend() -> None:
    taylor = load(PUBLISHED / "11-taylor-2024.yaml")
    rule = taylor.rule_index["cmo-6"]
    assert not rule.contexts and rule.context_groups  # its only contexts are "C1 or C2"
    alone = taylor.model_copy(update={"rules": (rule,)})
    assert "Context" in legend_words(rule_cards(alone).source)
