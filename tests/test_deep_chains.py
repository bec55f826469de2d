"""Every graph walk is iterative: a chain of 100,000 rules exhausts no stack.

Two theories, each one long chain under Python's default recursion limit:
in ``rules``, context ``c`` gives outcome ``o1``, ``o1`` (an IF item) gives
``o2``, ..., up to ``o100000``; in ``links``, the outcomes feed the next rule
through explicit links to contexts (``o1`` -> ``c1``, ...). Each query, check
and view walks the chain end to end and prints its result.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import cimo
from cimo.core.data import from_data
from cimo.summary import summary

STEPS = 100_000
LAST = f"o{STEPS}"


def _theory(*, links: bool) -> cimo.Theory:
    nodes: list[dict[str, Any]] = [
        {"id": "c0", "kind": "context", "label": "Start"},
        {"id": "m", "kind": "mechanism", "label": "Passes it on"},
    ]
    nodes += [{"id": f"o{i}", "kind": "outcome", "label": f"Step {i}"} for i in range(1, STEPS + 1)]
    if links:
        nodes += [{"id": f"c{i}", "kind": "context", "label": f"Ctx {i}"} for i in range(1, STEPS)]
    before = "c{}" if links else "o{}"
    rules = [
        {"id": f"R{i}", "if": [before.format(i - 1) if i > 1 else "c0"], "because": ["m"]}
        | {"then": [f"o{i}"]}
        for i in range(1, STEPS + 1)
    ]
    data = {
        "format_version": "1.0",
        "id": "chain",
        "title": "Chain",
        "nodes": nodes,
        "rules": rules,
    }
    if links:
        data["links"] = [{"outcome": f"o{i}", "context": f"c{i}"} for i in range(1, STEPS)]
    return from_data(data)


@pytest.fixture(scope="module", params=["rules", "links"])
def chain(request: pytest.FixtureRequest) -> cimo.Theory:
    return _theory(links=request.param == "links")


@pytest.fixture(autouse=True)
def default_recursion_limit() -> Iterator[None]:
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(1000)
    yield
    sys.setrecursionlimit(old)


QUERIES: dict[str, Callable[[cimo.Theory], object]] = {
    "for_whom": lambda t: cimo.query.for_whom(t, LAST, limit=10),
    "circumstances": lambda t: cimo.query.circumstances(t, LAST, limit=1),
    "pathways": lambda t: cimo.query.pathways(t, "c0", LAST, max_length=STEPS + 1, limit=1),
    "explain": lambda t: cimo.query.explain(t, LAST),
    "chains": lambda t: cimo.query.chains(t, max_length=STEPS + 1, limit=1),
    "scenario": lambda t: cimo.query.scenario(t, contexts=["c0"]),
    "coverage": lambda t: cimo.query.coverage(t),
    "validate": lambda t: cimo.validate.validate(t),
    "summary": lambda t: summary(t),
}


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_a_100000_step_chain(chain: cimo.Theory, name: str) -> None:
    result = QUERIES[name](chain)
    assert str(result)  # formatting walks the result too


def test_the_whole_chain_is_followed(chain: cimo.Theory) -> None:
    assert LAST in cimo.query.scenario(chain, contexts=["c0"]).outcomes
    if not chain.links:  # with links, every context on the way is a set of its own
        who = cimo.query.for_whom(chain, LAST, limit=STEPS // 500)
        assert who.sets[0].rules[0] == "R1" and who.sets[0].rules[-1] == f"R{STEPS}"
    assert len(cimo.query.explain(chain, LAST).ways) == STEPS
    found = cimo.query.chains(chain, max_length=STEPS + 1, limit=1)
    assert len(found.chains[0].links) == STEPS - 1


def test_limits_below_one_are_refused() -> None:
    theory = cimo.load_example("pwp-resilience")
    with pytest.raises(cimo.UsageError, match="limit"):
        cimo.query.for_whom(theory, "stress-and-burnout", limit=-1)
    with pytest.raises(cimo.UsageError, match="limit"):
        cimo.query.chains(theory, limit=0)
    with pytest.raises(cimo.UsageError, match="limit"):
        cimo.query.pathways(theory, "high-clinical-volume", "stress-and-burnout", limit=-1)


def test_for_whom_counts_every_combination_it_tries() -> None:
    # Found by the explorer's equivalence property: rules with several any-of
    # groups whose combinations mostly block themselves (UNLESS and OTHERWISE
    # among them). Each combination tried is a search step, so the search stops,
    # truncated, instead of trying a product that grows without bound.
    path = Path(__file__).parent / "data" / "for-whom-blocking-combinations.json"
    theory = cimo.Theory.model_validate_json(path.read_text(encoding="utf-8"))
    found = cimo.query.for_whom(theory, "IUjx", limit=100, include_refuted=True, stated_only=True)
    assert found.truncated
    assert all(route.rules for route in found.sets)
