"""Sequential mechanisms within one rule (issue 11): a mechanism that requires an
outcome another mechanism of the same rule gives fires after it, within the rule.

Flynn et al. (2021) print "(C), this break down existing silos (M), ... facilitates
discussions ... (O) this drives people to make the intervention a priority (M), ...
(O)": the fourth mechanism needs the outcome the first three give. Before, the rule
never fired (its mechanisms waited on its own outcome), for_whom found no
circumstances, and G001 called the rule a feedback loop of its own.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import cimo
from cimo import query as q
from cimo.core.data import from_data
from cimo.validate import validate

FLYNN = Path(__file__).parent / "data" / "published" / "06-flynn-2021.yaml"


@pytest.fixture(scope="module")
def flynn() -> cimo.Theory:
    return cimo.load(FLYNN)


def test_the_published_configuration_fires_in_sequence(flynn: cimo.Theory) -> None:
    s = q.scenario(flynn, contexts=["provincial-collaborative"])
    assert s.fired_rules == ("cmoc-1",)
    assert s.outcomes == ("discussions-benefits", "sustainability-1")
    assert "priority" in s.mechanisms
    (last,) = s.derivation_of("sustainability-1")
    first = ("breaks-silos", "facilitates-sharing", "cyclical-reinforcement")
    assert last.because == (*first, "priority")


def test_all_mechanisms_are_still_needed_when_they_fire_together(flynn: cimo.Theory) -> None:
    # 'unstated' combines as 'together': without one of the first three, no sequence
    s = q.scenario(flynn, contexts=["provincial-collaborative"], without=["breaks-silos"])
    assert s.fired_rules == () and s.withheld_rules == ("cmoc-1",)
    base = q.scenario(flynn, contexts=["continual-monitoring"])
    c = q.counterfactual(flynn, base, without=["communication-channels"])
    assert set(c.lost_outcomes) == {"staff-see-performance", "sustainability-2"}


def test_for_whom_explain_and_checks_agree_with_scenario(flynn: cimo.Theory) -> None:
    for outcome, context, rule in (
        ("sustainability-1", "provincial-collaborative", "cmoc-1"),
        ("sustainability-2", "continual-monitoring", "cmoc-2"),
    ):
        (route,) = q.for_whom(flynn, outcome).sets
        assert route.contexts == (context,) and route.rules == (rule,)
        assert outcome in q.scenario(flynn, contexts=route.contexts).outcomes
        (way,) = q.explain(flynn, outcome).ways
        assert way.rule == rule and way.chained == ()  # waits on nothing another rule gives
    # the rule's own outcome feeding its next mechanism is no feedback loop
    assert validate(flynn, select=["G001"]).findings == ()


def _theory(rules: list[dict[str, Any]], mechanisms: int = 3) -> cimo.Theory:
    ids = {i for r in rules for i in (*r.get("if", ()), *r.get("then", ()))}
    ids |= {c for r in rules for k in r["because"] if isinstance(k, dict) for c in k["requires"]}
    nodes = [{"id": c, "kind": "context", "label": c} for c in sorted(ids) if c.startswith("c")]
    nodes += [{"id": o, "kind": "outcome", "label": o} for o in sorted(ids) if o.startswith("o")]
    nodes += [{"id": f"m{i}", "kind": "mechanism", "label": f"m{i}"} for i in range(mechanisms)]
    return from_data(
        {"format_version": "2.0", "id": "t", "title": "t", "nodes": nodes, "rules": rules}
    )


def test_an_alternative_after_its_giver_needs_the_givers_circumstances() -> None:
    # R: m0 gives o1 (needs c1); m1 needs o1 and c2, gives o2; either may fire
    theory = _theory(
        [
            {
                "id": "R",
                "if": ["c0"],
                "then": ["o1", "o2"],
                "mechanism_mode": "alternatives",
                "because": [
                    {"mechanism": "m0", "requires": ["c1"], "then": ["o1"]},
                    {"mechanism": "m1", "requires": ["o1", "c2"], "then": ["o2"]},
                ],
            }
        ],
        mechanisms=2,
    )
    (route,) = q.for_whom(theory, "o2").sets
    assert route.contexts == ("c0", "c1", "c2")
    assert q.scenario(theory, contexts=["c0", "c2"]).outcomes == ()
    assert q.scenario(theory, contexts=route.contexts).outcomes == ("o1", "o2")
    # given from outside, the inner outcome lets the second mechanism fire alone
    assert q.scenario(theory, contexts=["c0", "c2", "o1"]).outcomes == ("o2",)


def test_mechanisms_waiting_on_each_other_in_a_loop_need_help_from_outside() -> None:
    # m0 needs o2 (from m1), m1 needs o1 (from m0): neither starts unless o1 holds
    loop = [
        {"mechanism": "m0", "requires": ["o2"], "then": ["o1"]},
        {"mechanism": "m1", "requires": ["o1"], "then": ["o2"]},
    ]
    theory = _theory(
        [
            {"id": "R", "if": ["c0"], "then": ["o1", "o2"], "because": loop},
            {"id": "S", "if": ["c1"], "then": ["o1"], "because": ["m0"]},
        ],
        mechanisms=2,
    )
    assert q.scenario(theory, contexts=["c0"]).fired_rules == ()
    assert q.scenario(theory, contexts=["c0", "c1"]).fired_rules == ("S", "R")
    for route in q.for_whom(theory, "o2").sets:
        assert "o2" in q.scenario(theory, contexts=route.contexts).outcomes


STEPS = 20_000  # far beyond the recursion limit: every walk is iterative


@pytest.fixture
def default_recursion_limit() -> Iterator[None]:
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(1000)
    yield
    sys.setrecursionlimit(old)


@pytest.mark.usefixtures("default_recursion_limit")
def test_a_20000_mechanism_sequence_in_one_rule() -> None:
    # one rule: m0 gives o1, m1 needs o1 and gives o2, ..., each once, in both modes
    links = [{"mechanism": "m0", "requires": [], "then": ["o1"]}]
    links += [
        {"mechanism": f"m{i}", "requires": [f"o{i}"], "then": [f"o{i + 1}"]}
        for i in range(1, STEPS)
    ]
    last = f"o{STEPS}"
    outcomes = [f"o{i}" for i in range(1, STEPS + 1)]
    for mode in ("together", "alternatives"):
        rule = {"id": "R", "if": ["c0"], "then": outcomes, "because": links, "mechanism_mode": mode}
        theory = _theory([rule], mechanisms=STEPS)
        s = q.scenario(theory, contexts=["c0"])
        assert s.fired_rules == ("R",) and last in s.outcomes and len(s.mechanisms) == STEPS
        (route,) = q.for_whom(theory, last).sets
        assert route.contexts == ("c0",)
        assert q.explain(theory, last).ways[0].chained == ()
        assert validate(theory, select=["G001"]).findings == ()
