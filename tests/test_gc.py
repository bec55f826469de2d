"""The loaders pause the collector and freeze what they made (behaviour, not timing)."""

from __future__ import annotations

import gc
import json

import pytest

import cimo
from cimo._util import paused_gc
from cimo.graph import rule_graph

THEORY = {
    "format_version": "1.0",
    "id": "t",
    "title": "T",
    "nodes": [
        {"id": "c", "kind": "context", "label": "C"},
        {"id": "m", "kind": "mechanism", "label": "M"},
        {"id": "o", "kind": "outcome", "label": "O"},
    ],
    "rules": [{"id": f"R{i}", "if": ["c"], "because": ["m"], "then": ["o"]} for i in range(50)],
}


@pytest.fixture(autouse=True)
def _unfrozen() -> object:
    gc.unfreeze()
    yield
    gc.unfreeze()


@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_load_freezes_the_theory_it_made(fmt: str) -> None:
    text = json.dumps(THEORY)  # JSON is YAML too
    before = gc.get_freeze_count()
    theory = cimo.loads(text, format=fmt)  # type: ignore[arg-type]
    assert gc.isenabled()
    assert gc.get_freeze_count() > before + len(theory.rules)
    # the theory is frozen: not in any generation the collector scans
    rule = theory.rules[0]
    assert gc.is_tracked(rule)
    assert not any(obj is rule for obj in gc.get_objects())


def test_graph_build_freezes_the_graph() -> None:
    theory = cimo.loads(json.dumps(THEORY), format="json")
    gc.unfreeze()
    before = gc.get_freeze_count()
    g = rule_graph(theory)
    assert gc.get_freeze_count() > before + g.number_of_nodes()


def test_a_failed_load_freezes_nothing_and_restores_the_collector() -> None:
    bad = {**THEORY, "rules": [{"id": "R1", "because": ["nope"]}]}
    before = gc.get_freeze_count()
    with pytest.raises(cimo.InvalidTheoryError):
        cimo.loads(json.dumps(bad), format="json")
    assert gc.isenabled()
    assert gc.get_freeze_count() == before


def test_paused_gc_leaves_a_disabled_collector_alone() -> None:
    gc.disable()
    try:
        with paused_gc(freeze=True):
            made = [[i] for i in range(10)]
        assert not gc.isenabled()
        assert gc.get_freeze_count() == 0
        assert made
    finally:
        gc.enable()


def test_frozen_objects_are_still_freed() -> None:
    import weakref

    theory = cimo.loads(json.dumps(THEORY), format="json")
    ref = weakref.ref(theory)
    del theory
    assert ref() is None
