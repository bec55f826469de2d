"""One reasoning semantics: the explorer page's engine answers as cimo.query does.

The page reasons in the browser (``cimo/render/_explorer/web/engine.js``). This
property test opens a real explorer page in headless Chromium once and, for
each generated theory and scenario (the 2.0-enriched theories of
``test_query_properties``), runs the page's engine on the theory's reasoning
data (``page.evaluate``) and compares every answer with
:func:`cimo.query.scenario` and :func:`cimo.query.for_whom`: fired, blocked
(and by what), withheld, mechanisms, outcomes, reduced, holding, derivations,
qualified, set aside; for whom's routes, blockers, variants, unknown rules,
set-aside rules and truncation. At least 200 examples in every profile.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from _browser import browser_context
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_query_properties import enriched

import cimo
from cimo import query as q
from cimo.model import Theory
from cimo.render import explorer
from cimo.render._explorer import reasoning_data

pytestmark = [pytest.mark.browser, pytest.mark.exe]

SCENARIO_KEYS = (
    "contexts",
    "interventions",
    "without",
    "fired_rules",
    "blocked_rules",
    "blockers",
    "withheld_rules",
    "mechanisms",
    "outcomes",
    "reduced",
    "holding",
    "derivations",
    "qualified",
    "set_aside",
)
FOR_WHOM_KEYS = ("outcome", "sets", "blockers", "variants", "unknown", "set_aside", "truncated")
EXAMPLES = 200


@pytest.fixture(scope="module")
def engine_page(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """One browser, one explorer page: its engine answers every example."""
    path = Path(tmp_path_factory.mktemp("explorer")) / "page.html"
    explorer(cimo.load_example("pwp-resilience")).save(path)
    with browser_context() as context:
        page = context.new_page()
        page.goto(path.as_uri())
        page.wait_for_function("window.cimoEngine !== undefined")
        yield page


Case = tuple[Theory, dict[str, Any], str | None, int]


@st.composite
def cases(draw: st.DrawFn) -> Case:
    theory = draw(enriched())
    contexts = [n.id for n in theory.contexts]
    outcomes = [n.id for n in theory.outcomes]
    removable = [n.id for n in theory.mechanisms] + [n.id for n in theory.interventions]

    def some(pool: list[str]) -> list[str]:
        if pool and draw(st.integers(0, 3)) == 0:  # everything: most rules' conditions hold
            return pool
        return draw(st.lists(st.sampled_from(pool), unique=True)) if pool else []

    options = {
        "contexts": some(contexts) + draw(st.lists(st.sampled_from(outcomes), max_size=1))
        if outcomes
        else some(contexts),
        "interventions": some([n.id for n in theory.interventions]),
        "without": draw(st.lists(st.sampled_from(removable), max_size=1)) if removable else [],
        "includeRefuted": draw(st.booleans()),
        "statedOnly": draw(st.booleans()),
    }
    outcome = draw(st.sampled_from(outcomes)) if outcomes else None
    return theory, options, outcome, draw(st.sampled_from((100, 3)))


def _python(theory: Theory, options: dict[str, Any], outcome: str | None, limit: int) -> Any:
    flags = {"include_refuted": options["includeRefuted"], "stated_only": options["statedOnly"]}
    s = q.scenario(
        theory,
        contexts=options["contexts"],
        interventions=options["interventions"],
        without=options["without"],
        **flags,
    ).model_dump(mode="json", by_alias=True)
    fw = None
    if outcome is not None:
        fw = q.for_whom(theory, outcome, limit=limit, **flags).model_dump(mode="json")
        # the page has no by= option: a route's accounts of kinds of people are always empty
        for route in fw["sets"]:
            assert route.pop("accounts") == []
    return s, fw


_RUN = """([data, options, outcome, limit]) => [
  cimoEngine.scenario(data, options),
  outcome === null ? null : cimoEngine.forWhom(data, outcome, {...options, limit}),
]"""


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(case=cases())
def test_the_page_reasons_as_cimo_query(engine_page: Any, case: Case) -> None:
    theory, options, outcome, limit = case
    js_s, js_fw = engine_page.evaluate(_RUN, [reasoning_data(theory), options, outcome, limit])
    py_s, py_fw = _python(theory, options, outcome, limit)
    for key in SCENARIO_KEYS:
        assert js_s[key] == py_s[key], key
    if outcome is not None:
        for key in FOR_WHOM_KEYS:
            assert js_fw[key] == py_fw[key], key


def test_the_page_fires_sequential_mechanisms_as_cimo_query(engine_page: Any) -> None:
    # Flynn et al. (2021): a mechanism needs the outcome the rule's first three give
    theory = cimo.load(Path(__file__).parent / "data" / "published" / "06-flynn-2021.yaml")
    options = {
        "contexts": ["provincial-collaborative", "continual-monitoring"],
        "interventions": [],
        "without": [],
        "includeRefuted": False,
        "statedOnly": False,
    }
    for outcome in ("sustainability-1", "sustainability-2"):
        js_s, js_fw = engine_page.evaluate(_RUN, [reasoning_data(theory), options, outcome, 100])
        py_s, py_fw = _python(theory, options, outcome, 100)
        assert py_s["fired_rules"] == ["cmoc-2", "cmoc-1"] and py_fw["sets"]
        for key in SCENARIO_KEYS:
            assert js_s[key] == py_s[key], key
        for key in FOR_WHOM_KEYS:
            assert js_fw[key] == py_fw[key], key
