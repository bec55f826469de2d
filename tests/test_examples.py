"""The bundled examples: loadable by name, cited, faithful to their seeds."""

from __future__ import annotations

import pytest

import cimo
from cimo.errors import UnknownIdError
from cimo.examples import example_path, get_example


def test_every_example_loads_and_is_cited(example: cimo.Theory) -> None:
    entry = get_example(example.id)
    assert entry.citation
    assert example.based_on, "the theory names the source it encodes"
    assert all(example.source_index[s].doi for s in example.based_on)
    assert example_path(example.id).is_file()


def test_unknown_example_suggests_a_name() -> None:
    with pytest.raises(UnknownIdError, match="did you mean 'pwp-resilience'"):
        cimo.load_example("pwp-resilence")


def test_work_focused_group_cbt_encodes_table_2_and_figure_4(wfg: cimo.Theory) -> None:
    ex1 = wfg.rule_index["table-2-example-1"]
    assert ex1.contexts == ("therapists-facilitate-peer-interaction",)
    assert ex1.interventions == () and ex1.missing_parts == ("intervention",)
    assert ex1.outcomes == ("self-efficacy",) and ex1.reduces == ("interpersonal-problems",)
    fig4 = wfg.rule_index["figure-4"]
    assert fig4.mechanisms == (
        "realise",
        "reflect",
        "regulate",
        "resolve",
        "relate",
        "retain-resume",
    )
    assert fig4.mechanism_mode == "alternatives"
    assert set(fig4.outcomes) == {"clinical-status", "work-status", "interpersonal-functioning"}


def test_work_focused_group_cbt_has_both_theory_iterations(wfg: cimo.Theory) -> None:
    assert [it.number for it in wfg.iterations] == [1, 2]
    first = {m.id for m in wfg.mechanisms if 1 in m.iterations}
    assert first == {
        "work-focused-change",
        "psychological-change",
        "relationship-focused-change",
        "adaptive-patterns",
    }
    second = {m.taxon for m in wfg.mechanisms if 2 in m.iterations and m.taxon}
    assert {"realise", "reflect", "regulate", "resolve", "relate", "retain-resume"} <= second


def test_lexis_worked_example_is_a_rule_with_its_evidence(wfg: cimo.Theory) -> None:
    rule = wfg.rule_index["lexis-2011"]
    assert rule.status == "supported"
    assert {e.source for e in rule.evidence} == {"walker-mhrj", "lexis-2011"}
    assert [e.stance for e in rule.evidence] == ["supports", "supports", "source"]
    context = wfg.index["at-risk-employees"]
    assert context.facets is not None and context.facets.where == "At the worksite."  # type: ignore[union-attr]


def test_components_come_from_the_s3_vocabulary(wfg: cimo.Theory) -> None:
    vocabulary = wfg.component_vocabulary
    for intervention in wfg.interventions:
        for component in intervention.components:
            assert vocabulary.allows(component.category, component.aspect), (
                intervention.id,
                component,
            )


def test_pwp_resilience_phases_and_dimensions(pwp: cimo.Theory) -> None:
    assert {c.dimension for c in pwp.contexts} == {"individual", "systemic"}
    assert [t.id for t in pwp.themes][:3] == ["phase-1", "phase-2", "phase-3"]
    assert {r.theme for r in pwp.rules} == {t.id for t in pwp.themes}
    assert {m.category for m in pwp.mechanisms} == {"individual", "work-related", "systemic"}


def test_docs_list_what_each_example_states_and_infers() -> None:
    """docs/examples.md's generated blocks match the examples' inferred and missing marks."""
    from pathlib import Path

    from cimo.examples._docs import sync_docs

    docs = Path(__file__).parents[1] / "docs" / "examples.md"
    assert docs.read_text(encoding="utf-8").count("<!-- stated-inferred:") == 3
    assert sync_docs(docs, check=True), (
        "docs/examples.md is out of date: run python -m cimo.examples._docs docs/examples.md"
    )
