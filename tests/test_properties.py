"""Properties over generated theories: round trips, graph counts, a loader that never crashes."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any, Literal

import pytest
from hypothesis import given
from hypothesis import strategies as st

import cimo
from cimo.core.data import from_data, to_data
from cimo.core.source import SourceText
from cimo.core.vocabulary import SLOTS
from cimo.errors import CimoError
from cimo.graph import element_graph, rule_graph
from cimo.strategies import theories


@given(theories())
def test_yaml_round_trip_is_identity(theory: cimo.Theory) -> None:
    text = cimo.dumps(theory)
    assert cimo.loads(text) == theory
    assert cimo.dumps(cimo.loads(text)) == text


@given(theories())
def test_json_round_trip_is_identity(theory: cimo.Theory) -> None:
    text = cimo.dumps(theory, format="json")
    assert cimo.loads(text, format="json") == theory


@given(theories())
def test_json_dump_is_the_canonical_plain_data_dump(theory: cimo.Theory) -> None:
    # cimo.dumps writes JSON through pydantic-core: the text is that of the plain data
    expected = json.dumps(to_data(theory), ensure_ascii=False, indent=2) + "\n"
    assert cimo.dumps(theory, format="json") == expected


@given(theories())
def test_rule_graph_counts_follow_from_the_records(theory: cimo.Theory) -> None:
    g = rule_graph(theory)
    assert g.number_of_nodes() == len(theory.nodes) + len(theory.rules)
    slots = sum(len(getattr(r, s.attr)) for r in theory.rules for s in SLOTS)
    assert g.number_of_edges() == slots + len(theory.links)
    roles: Counter[str] = Counter(str(attrs["role"]) for _, _, attrs in g.edges(data=True))
    assert roles["unless"] == sum(len(r.unless) for r in theory.rules)
    assert roles["link"] == len(theory.links)


@given(theories())
def test_element_graph_edges_are_the_distinct_relations_of_the_rules(theory: cimo.Theory) -> None:
    expected: set[tuple[str, str, str]] = set()
    for r in theory.rules:
        targets = r.mechanisms or r.outcomes + r.reduces
        # WITHIN is required like IF, so it enables too
        expected |= {(c, t, "enables") for c in (*r.contexts, *r.modifiers) for t in targets}
        expected |= {(c, t, "disables") for c in r.unless for t in targets}
        expected |= {(i, t, "triggers") for i in r.interventions for t in targets}
        expected |= {(m, o, "produces") for m in r.mechanisms for o in r.outcomes}
        expected |= {(m, o, "reduces") for m in r.mechanisms for o in r.reduces}
    expected |= {(lk.outcome, lk.context, "link") for lk in theory.links}
    g = element_graph(theory)
    assert set(g.edges(keys=True)) == expected
    assert g.number_of_nodes() == len(theory.nodes)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)
keys = st.sampled_from(
    [
        "format_version",
        "id",
        "title",
        "nodes",
        "rules",
        "links",
        "sources",
        "kind",
        "label",
        "if",
        "then",
        "because",
        "taxonomy",
    ]
)
theoryish = st.recursive(
    st.none()
    | st.text(max_size=6)
    | st.sampled_from(["1.0", "context", "outcome", "c1", "R1"])
    | st.integers(-1, 3),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(keys, inner, max_size=5),
    max_leaves=25,
)


@given(st.one_of(json_values, theoryish))
def test_loader_never_crashes_on_any_data(data: Any) -> None:
    try:
        from_data(data)
    except CimoError as err:
        assert str(err)


@given(st.text(max_size=200))
def test_loader_never_crashes_on_any_text(text: str) -> None:
    formats: tuple[Literal["yaml", "json"], ...] = ("yaml", "json")
    for fmt in formats:
        try:
            cimo.loads(text, format=fmt)
        except CimoError as err:
            assert str(err)


@given(theories(min_rules=1), st.data(), st.sampled_from(["yaml", "json"]))
def test_corrupting_a_reference_gives_a_located_problem(
    theory: cimo.Theory, data: st.DataObject, fmt: Literal["yaml", "json"]
) -> None:
    i = data.draw(st.integers(0, len(theory.rules) - 1))
    broken = to_data(theory)
    broken["rules"][i]["because"] = ["no-such-mechanism"]
    text = json.dumps(broken, indent=1) if fmt == "json" else cimo.io._yaml.to_yaml(broken)
    with pytest.raises(cimo.InvalidTheoryError) as info:
        cimo.loads(text, format=fmt, file=f"t.{fmt}")
    problem = next(p for p in info.value.problems if "no-such-mechanism" in p.message)
    assert problem.loc == ("rules", i, "because", 0)
    assert problem.line is not None
    assert problem.column is not None
    at = text.splitlines()[problem.line - 1][problem.column - 1 :]
    assert at.lstrip('"').startswith("no-such-mechanism")


@given(theories())
def test_rule_graph_equals_a_build_through_the_public_networkx_api(theory: cimo.Theory) -> None:
    import networkx as nx

    # Built from the records with networkx's public API only (no cimo.graph helpers),
    # following rule_graph's documented attributes: condition and qualifier slots
    # point into the rule, the others out of it; an outcome in a condition slot (not
    # a qualifier: it is never needed) is a chain.
    slow: nx.DiGraph[str] = nx.DiGraph(name=theory.id)
    for node in theory.nodes:
        slow.add_node(node.id, kind=node.kind, label=node.label)
    outcomes = {o.id for o in theory.outcomes}
    for rule in theory.rules:
        slow.add_node(
            rule.id,
            kind="rule",
            label=rule.source_label or rule.id,
            status=rule.status,
            theme=rule.theme,
            incomplete=rule.incomplete,
        )
        for slot in SLOTS:
            for ref in getattr(rule, slot.attr):
                # conditions and qualifiers point into the rule; only a condition chains
                into = slot.side in ("condition", "qualifier")
                slow.add_edge(
                    *((ref, rule.id) if into else (rule.id, ref)),
                    role=slot.keyword,
                    disabling=slot.disabling,
                    chain=slot.side == "condition" and slot.keyword != "with" and ref in outcomes,
                )
    for link in theory.links:
        slow.add_edge(link.outcome, link.context, role="link", disabling=False, chain=True)
    fast = rule_graph(theory)
    assert nx.utils.graphs_equal(fast, slow)
    assert fast.pred == slow.pred


_EDITS = ("slot", "repeat", "evidence", "theme", "iterations", "if-any")


@st.composite
def _damaged(draw: st.DrawFn) -> cimo.Theory:
    """A generated theory with rules edited without checks: ids of any kind (or none) in any
    slot, repeats, undeclared sources, themes and iterations, ``if: any`` beside contexts."""
    theory = draw(theories(max_rules=6))
    names = [*(n.id for n in theory.nodes), *(r.id for r in theory.rules), "nowhere"]
    rules = list(theory.rules)
    for _ in range(draw(st.integers(0, 3)) if rules else 0):
        i = draw(st.integers(0, len(rules) - 1))
        fields = dict(vars(rules[i]))
        edit = draw(st.sampled_from(_EDITS))
        ident = draw(st.sampled_from(names))
        own = [x for s in SLOTS for x in fields[s.attr]]
        if edit == "repeat" and own:  # an id the rule names, named again (maybe in another slot)
            ident = draw(st.sampled_from(own))
        if edit in ("slot", "repeat"):
            attr = draw(st.sampled_from([s.attr for s in SLOTS]))
            fields[attr] = (*fields[attr], ident)
        elif edit == "evidence":
            fields["evidence"] = (*fields["evidence"], cimo.model.Evidence(source=ident))
        elif edit == "theme":
            fields["theme"] = ident
        elif edit == "iterations":
            fields["iterations"] = (*fields["iterations"], draw(st.integers(1, 4)))
        else:
            fields["any_context"] = True
        rules[i] = cimo.model.Rule.model_construct(**fields)
    return cimo.Theory.model_construct(**{**vars(theory), "rules": tuple(rules)})


def _problems(theory: cimo.Theory) -> list[tuple[Any, ...]]:
    from cimo.core.structure import structural_errors

    return [
        (e["type"].type, e["type"].message_template, e["loc"], e["input"])  # type: ignore[union-attr]
        for e in structural_errors(theory)
    ]


@given(_damaged())
def test_the_structural_screen_reports_what_the_checks_of_every_rule_report(
    theory: cimo.Theory,
) -> None:
    # The screen clears rules with set operations over all of them at once; the problems
    # found must be those (same messages, same order) of running every rule's own checks.
    from unittest import mock

    screened = _problems(theory)
    with mock.patch("cimo.core.structure._screen", return_value=None):
        assert screened == _problems(theory)


def _paths(value: Any, here: tuple[str | int, ...] = ()) -> list[tuple[tuple[str | int, ...], Any]]:
    """Every path into a JSON document, with the value found there."""
    found = [(here, value)]
    if isinstance(value, dict):
        for key, child in value.items():
            found += _paths(child, (*here, key))
    elif isinstance(value, list):
        for i, child in enumerate(value):
            found += _paths(child, (*here, i))
    return found


@given(theories(), st.sampled_from([None, 1]))
def test_json_positions_point_at_the_value_of_every_path(
    theory: cimo.Theory, indent: int | None
) -> None:
    data = to_data(theory)
    text = json.dumps(data, indent=indent, ensure_ascii=False)
    source = SourceText(text, "json")
    lines = text.split("\n")  # JSON line numbers count "\n" only (not NEL, U+2028, ...)
    decoder = json.JSONDecoder()
    for path, value in _paths(data):
        position = source.position(path)
        assert position is not None
        line, column = position
        offset = sum(len(x) + 1 for x in lines[: line - 1]) + column - 1
        assert decoder.raw_decode(text, offset)[0] == value, path
