"""Exports and imports, each opened by its real consumer: networkx, pgmpy, lxml + the REFI XSD."""

from __future__ import annotations

import doctest
import io
import json
import re
import warnings
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from pgmpy.base import DAG  # type: ignore[import-untyped]

import cimo
from cimo.errors import FileFormatError, UsageError
from cimo.exchange import export_text, import_text, read, write
from cimo.exchange.dagitty import causal_diagram, feedback_edges, to_dagitty
from cimo.exchange.kumu import CONNECTION_TYPES, ELEMENT_TYPES, from_kumu, to_kumu
from cimo.exchange.networks import (
    from_graphml,
    from_node_link,
    to_gexf,
    to_graphml,
    to_network,
    to_node_link,
)
from cimo.exchange.qdc import from_qdc, to_qdc
from cimo.model import CimoModel, NodeKind
from cimo.strategies import theories

DATA = Path(__file__).parent / "data"
CODEBOOK_XSD = etree.XMLSchema(etree.parse(str(DATA / "refi-qda-codebook-1.0.xsd")))
GRAPHML_XSD = etree.XMLSchema(etree.parse(str(DATA / "graphml-1.0" / "graphml.xsd")))
GEXF_XSD = etree.XMLSchema(etree.parse(str(DATA / "gexf-1.3" / "gexf.xsd")))

#: Text XML 1.0 carries exactly: no control characters but tab and newline (a carriage
#: return in element text is read back as a newline, see docs/interop.md).
# (Built with st.text directly: cimo.strategies.labels(alphabet=...) tests a strategy for truth.)
xml_labels = st.text(
    st.characters(blacklist_categories=("Cc", "Cs"), blacklist_characters="\ufffe\uffff")
    | st.sampled_from("\t\n:\"'{}<>&"),
    min_size=1,
    max_size=30,
).filter(lambda s: s.strip() != "")


# --------------------------------------------------------------------------- networks


def _vertices(g: nx.Graph[str]) -> dict[str, dict[str, Any]]:
    return {v: dict(d) for v, d in g.nodes(data=True)}


def test_network_shape_on_a_worked_example(pwp: cimo.Theory) -> None:
    g = to_network(pwp)
    rule = pwp.rule_index["burnout"]
    # burnout: IF high-clinical-volume, limited-supervision UNLESS work-boundaries, resilience
    # BECAUSE resource-demand-imbalance THEN stress-and-burnout (hand-checked in the example file).
    assert g.nodes["burnout"]["kind"] == "rule"
    assert {u for u, _ in g.in_edges("burnout")} == {
        "high-clinical-volume",
        "limited-supervision",
        "work-boundaries",
        "resilience",
        "resource-demand-imbalance",
    }
    assert [v for _, v in g.out_edges("burnout")] == ["stress-and-burnout"]
    assert g.edges["limited-supervision", "burnout"] == {"slot": "if", "position": 1}
    assert g.nodes["burnout"]["tags"] == '["phase-1", "systemic"]'
    assert json.loads(g.nodes["burnout"]["evidence"])[0]["source"] == rule.evidence[0].source
    assert len(g) == len(pwp.nodes) + len(pwp.rules)


def test_every_attribute_is_a_scalar(example: cimo.Theory) -> None:
    g = to_network(example)
    values = [*g.graph.values()]
    values += [v for _, d in g.nodes(data=True) for v in d.values()]
    values += [v for *_, d in g.edges(data=True) for v in d.values()]
    assert values and all(isinstance(v, str | int | float | bool) for v in values)


def test_graphml_opens_in_networkx_with_types_as_attributes(
    tmp_path: Path, example: cimo.Theory
) -> None:
    path = write(example, tmp_path / "t.graphml", format="graphml")
    g = nx.read_graphml(path)
    assert isinstance(g, nx.DiGraph)
    assert _vertices(g) == _vertices(to_network(example))
    assert {n.id: n.kind for n in example.nodes} == {
        v: d["kind"] for v, d in g.nodes(data=True) if d["kind"] != "rule"
    }
    assert read(path, format="graphml") == example


def test_gexf_opens_in_networkx(tmp_path: Path, example: cimo.Theory) -> None:
    path = write(example, tmp_path / "t.gexf", format="gexf")
    g = nx.read_gexf(path, version="1.3")
    ours = to_network(example)
    assert _vertices(g) == _vertices(ours)
    assert {(u, v, d["slot"], d["position"]) for u, v, d in g.edges(data=True)} == {
        (u, v, d["slot"], d["position"]) for u, v, d in ours.edges(data=True)
    }
    # GEXF has no graph attributes: the title is the file's <meta><description>.
    meta = etree.parse(str(path)).getroot().find("{http://gexf.net/1.3}meta")
    assert meta is not None
    assert meta.findtext("{http://gexf.net/1.3}description") == example.title
    assert "name" not in g.graph


@settings(max_examples=40)
@given(theories(labels=xml_labels))
def test_graphml_and_node_link_round_trip(theory: cimo.Theory) -> None:
    assert from_node_link(to_node_link(theory)) == theory
    assert from_graphml(to_graphml(theory)) == theory
    assert import_text(export_text(theory, format="graphology"), format="graphology") == theory
    assert import_text(export_text(theory, format="cytoscape"), format="cytoscape") == theory


@settings(max_examples=40)
@given(theories(labels=xml_labels))
def test_graphml_and_gexf_of_any_theory_are_valid_against_their_schemas(
    theory: cimo.Theory,
) -> None:
    GRAPHML_XSD.assertValid(etree.fromstring(to_graphml(theory).encode()))
    GEXF_XSD.assertValid(etree.fromstring(export_text(theory, format="gexf").encode()))


@given(theories())
def test_node_link_round_trips_any_text(theory: cimo.Theory) -> None:
    assert import_text(export_text(theory, format="nodelink"), format="nodelink") == theory


def test_xml_formats_refuse_control_characters() -> None:
    theory = cimo.Theory(id="t", title="T", nodes=(cimo.Context(id="c", label="bell\x07"),))
    for fmt in ("graphml", "gexf", "qdc"):
        with pytest.raises(UsageError, match=r"/nodes/0/label holds the control character U\+0007"):
            export_text(theory, format=fmt)


def test_xml_check_finds_control_characters_in_any_field_and_only_those() -> None:
    # The check scans the theory's JSON first (escapes such as \b, \f, \u0007): a control
    # character deep in a record is still found and located, a backslash the user typed
    # before b, f or u is not one, and a lone surrogate (no JSON for it) is walked as before.
    rule = {"id": "r", "then": ["o"], "evidence": [{"note": "x\x0cy"}]}
    data = {"id": "t", "title": "T", "nodes": [{"id": "o", "kind": "outcome", "label": "O"}]}
    deep = cimo.Theory.model_validate({**data, "rules": [rule]})
    with pytest.raises(UsageError, match=r"/rules/0/evidence/0/note holds .* U\+000C"):
        export_text(deep, format="qdc")
    for label in ("C:\\bin\\files \\u2028", "a\ud800b"):
        theory = cimo.Theory(id="t", title="T", nodes=(cimo.Context(id="c", label=label),))
        assert f'name="{label}"' in to_qdc(theory)


def test_bad_network_files_get_clear_messages() -> None:
    with pytest.raises(FileFormatError, match="'kind' is 'person'"):
        from_node_link(json.dumps({"directed": True, "nodes": [{"id": "a", "kind": "person"}]}))
    with pytest.raises(FileFormatError, match="not valid JSON"):
        from_node_link("{")
    with pytest.raises(FileFormatError, match="GraphML: not well-formed XML"):
        from_graphml("<graphml")


def test_the_network_reads_json_text_exactly_where_the_field_policies_say(
    pwp: cimo.Theory,
) -> None:
    from cimo.core.vocabulary import field_policy
    from cimo.exchange.networks import from_network

    vertex = {"context": pwp.contexts[0].id, "rule": pwp.rules[0].id}
    carried: dict[str, type[CimoModel]] = {
        "theory": cimo.Theory,
        "rule": cimo.Rule,
        "context": cimo.Context,
    }
    checked = 0
    for where, model in carried.items():
        for name, info in model.model_fields.items():
            policy = field_policy(model, name).network
            if policy not in ("json", "value"):
                continue
            g = nx.DiGraph(to_network(pwp))
            attrs = g.graph if where == "theory" else g.nodes[vertex[where]]
            key = info.alias or name
            attrs[key] = "[not json"
            if policy == "json":
                checked += 1
                with pytest.raises(FileFormatError, match=f"attribute '{key}' should hold JSON"):
                    from_network(g)
            elif key not in ("id", "kind", "format_version"):
                try:
                    from_network(g)
                except FileFormatError as err:  # a plain value is never parsed as JSON
                    raise AssertionError(f"{where}.{key}: {err}") from None
                except cimo.InvalidTheoryError:
                    pass  # "[not json" is no valid value for that field
    assert checked >= 8


# --------------------------------------------------------------------------- Kumu


def _without_theory_fields(theory: cimo.Theory) -> cimo.Theory:
    """What a Kumu blueprint keeps: nodes, rules, links; bare cited sources, used iterations,
    and bare themes and programme theories the rules name (format 2.0)."""
    cited = dict.fromkeys(
        source
        for r in theory.rules
        for source in (*(e.source for e in r.evidence), *(a.source for a in r.annotations))
        if source is not None
    )
    numbers = sorted({n for x in (*theory.nodes, *theory.rules) for n in x.iterations})
    themes = dict.fromkeys(r.theme for r in theory.rules if r.theme)
    programmes = dict.fromkeys(r.programme_theory for r in theory.rules if r.programme_theory)
    return cimo.Theory(
        id=theory.id,
        title=theory.title,
        nodes=theory.nodes,
        rules=theory.rules,
        links=theory.links,
        sources=tuple(cimo.Source(id=s, citation=s) for s in cited),
        iterations=tuple(cimo.Iteration(number=n, label=f"Iteration {n}") for n in numbers),
        themes=tuple(cimo.Theme(id=t, label=t) for t in themes),
        programme_theories=tuple(cimo.ProgrammeTheory(id=p, label=p) for p in programmes),
    )


@given(theories())
def test_kumu_loses_exactly_the_theory_fields(theory: cimo.Theory) -> None:
    back = from_kumu(to_kumu(theory), id=theory.id, title=theory.title)
    assert back == _without_theory_fields(theory)


def test_kumu_blueprint_shape(wfg: cimo.Theory) -> None:
    blueprint = json.loads(to_kumu(wfg))
    elements, connections = blueprint["elements"], blueprint["connections"]
    assert {e["type"] for e in elements} == set(ELEMENT_TYPES.values())
    ids = [e["id"] for e in elements]
    assert len(ids) == len(set(ids)) == len(wfg.nodes) + len(wfg.rules)
    assert all(c["direction"] == "directed" for c in connections)
    assert {c["type"] for c in connections} <= set(CONNECTION_TYPES)
    relate = next(e for e in elements if e["id"] == "relate")
    assert (relate["label"], relate["type"], relate["taxon"]) == ("Relate", "Mechanism", "relate")
    # retain: WITH peer-facilitation BECAUSE retain-resume (seed 000, Retain/Resume).
    assert {"from": "peer-facilitation", "to": "retain", "type": "with"}.items() <= next(
        c for c in connections if c["from"] == "peer-facilitation" and c["to"] == "retain"
    ).items()


def test_kumu_import_of_a_hand_made_map_by_labels() -> None:
    blueprint = {
        "elements": [
            {"label": "In work", "type": "context"},
            {"label": "Peer support", "type": "Intervention"},
            {"label": "Relate", "type": "Mechanism", "description": "Learning to trust"},
            {"label": "Job retention", "type": "Outcome", "tags": ["work"]},
            {"label": "R1", "type": "Rule", "status": "supported"},
        ],
        "connections": [
            {"from": "In work", "to": "R1", "type": "if"},
            {"from": "Peer support", "to": "R1", "type": "with"},
            {"from": "Relate", "to": "R1", "type": "because"},
            {"from": "R1", "to": "Job retention", "type": "then"},
        ],
    }
    theory = from_kumu(json.dumps(blueprint), id="map", title="Map")
    assert [n.id for n in theory.nodes] == ["In-work", "Peer-support", "Relate", "Job-retention"]
    rule = theory.rules[0]
    assert (rule.id, rule.contexts, rule.interventions, rule.mechanisms, rule.outcomes) == (
        "R1",
        ("In-work",),
        ("Peer-support",),
        ("Relate",),
        ("Job-retention",),
    )
    assert rule.status == "supported"
    assert theory.index["Job-retention"].tags == ("work",)


@pytest.mark.parametrize(
    ("blueprint", "message"),
    [
        ({"nodes": []}, 'expected an object with an "elements" list'),
        ({"elements": [{"label": "A", "type": "Person"}]}, "type 'Person' is not one of"),
        (
            {
                "elements": [{"label": "A", "type": "Outcome"}, {"label": "B", "type": "Context"}],
                "connections": [{"from": "A", "to": "B", "type": "link", "direction": "mutual"}],
            },
            "is 'mutual'; cimo needs directed connections",
        ),
        (
            {
                "elements": [{"label": "A", "type": "Outcome"}],
                "connections": [{"from": "A", "to": "Z", "type": "link"}],
            },
            "to 'Z' is not an element",
        ),
    ],
)
def test_kumu_import_errors(blueprint: dict[str, Any], message: str) -> None:
    with pytest.raises(FileFormatError, match=re.escape(message)):
        from_kumu(json.dumps(blueprint))


# --------------------------------------------------------------------------- DAGitty

_DAGITTY_VARIABLE = re.compile(
    r'^"[^"@]+(?:@[^"@]+)?" '
    r'\[(?:(?:exposure|outcome|latent),)?label="[^"\n]*"(?:,pos="[-0-9.]+,[-0-9.]+")?\]$'
)
_DAGITTY_EDGE = re.compile(r'^"[^"]+" -> "[^"]+"$')


def _read_dagitty(text: str) -> DAG:
    # pgmpy's DAGitty parser still calls pyparsing's deprecated camelCase names.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return DAG.from_dagitty(text)


def _check_with_pgmpy(theory: cimo.Theory, text: str, *, dropped: bool = False) -> DAG:
    lines = text.splitlines()
    assert lines[0] == "dag {" and lines[-1] == "}"
    for line in lines[1:-1]:
        assert _DAGITTY_VARIABLE.match(line) or _DAGITTY_EDGE.match(line), line
    expected = causal_diagram(theory)
    if dropped:
        expected.remove_edges_from(feedback_edges(expected))
    dag = _read_dagitty(text)  # roles and all, as written
    assert set(dag.nodes()) == set(expected.nodes())
    assert set(dag.edges()) == set(expected.edges())
    connected = {v for v in expected if expected.degree(v)}
    assert set(dag.get_role("exposures")) == {n.id for n in theory.interventions} & connected
    assert set(dag.get_role("outcomes")) == {n.id for n in theory.outcomes} & connected
    mediators = {v for v, d in expected.nodes(data=True) if d["kind"] == "mechanism"}
    assert set(dag.latents) == mediators & connected
    return dag


def test_dagitty_worked_example_opens_in_pgmpy(wfg: cimo.Theory) -> None:
    dag = _check_with_pgmpy(wfg, to_dagitty(wfg, layout=False))
    # retain: IF recurrent-depression, in-work, group-psychotherapy WITH peer-facilitation
    # BECAUSE retain-resume THEN work-status (seed 000): the mechanism is a mediator of that
    # rule, and the contexts are where the intervention is offered.
    mediator = "retain-resume@retain"
    assert {("peer-facilitation", mediator), (mediator, "work-status")} <= set(dag.edges())
    assert ("group-psychotherapy", "peer-facilitation") in dag.edges()
    assert ("peer-facilitation", "work-status") not in dag.edges()
    # table-2-example-1 prints what the therapists do as its CONTEXT and names no
    # intervention: the context feeds the mediator directly.
    table_2 = "own-therapist@table-2-example-1"
    context = "therapists-facilitate-peer-interaction"
    assert {(context, table_2), (table_2, "self-efficacy")} <= set(dag.edges())
    assert (table_2, "interpersonal-problems") in dag.edges()
    # The interventions no rule names have no edges, so no role (pgmpy would refuse it).
    lonely = [n.id for n in wfg.interventions if not causal_diagram(wfg).degree(n.id)]
    assert lonely and all(f'"{v}" [label=' in to_dagitty(wfg, layout=False) for v in lonely)


def test_dagitty_mechanisms_are_mediators_per_rule(wfg: cimo.Theory) -> None:
    g = causal_diagram(wfg)
    shared = [m.id for m in wfg.mechanisms if sum(m.id in r.mechanisms for r in wfg.rules) > 1]
    assert shared
    for m in shared:
        mediators = [v for v, d in g.nodes(data=True) if d.get("mechanism") == m]
        assert sorted(mediators) == sorted(f"{m}@{r.id}" for r in wfg.rules if m in r.mechanisms)
    assert nx.is_directed_acyclic_graph(g)
    assert not nx.is_directed_acyclic_graph(causal_diagram(cimo.load_example("pwp-resilience")))


def test_dagitty_refuses_feedback_unless_asked_to_drop_it(pwp: cimo.Theory) -> None:
    with pytest.raises(UsageError, match=r"has a cycle \(.* -> .*\), so it is not a DAG"):
        to_dagitty(pwp)
    text = to_dagitty(pwp, drop_feedback=True, layout=False)
    assert nx.is_directed_acyclic_graph(_check_with_pgmpy(pwp, text, dropped=True))


def test_dagitty_exposure_and_outcome_are_checked(wfg: cimo.Theory) -> None:
    with pytest.raises(
        UsageError, match=r"exposure 'peer-facilitaton' is no variable.*did you mean"
    ):
        to_dagitty(wfg, exposure="peer-facilitaton", layout=False)
    with pytest.raises(
        UsageError, match=r"'relate' is a mechanism.*mediator per rule; name one of"
    ):
        to_dagitty(wfg, exposure="relate", layout=False)
    lonely = next(n.id for n in wfg.interventions if not causal_diagram(wfg).degree(n.id))
    with pytest.raises(UsageError, match="has no causal edges"):
        to_dagitty(wfg, exposure=lonely, layout=False)
    with pytest.raises(UsageError, match="both the exposure and the outcome"):
        to_dagitty(wfg, exposure="self-efficacy", outcome="self-efficacy", layout=False)
    with pytest.raises(UsageError, match="options of the dagitty export, not graphml"):
        export_text(wfg, format="graphml", exposure="peer-facilitation")


@settings(max_examples=10)
@given(theories(max_nodes=8, max_rules=4))
def test_dagitty_projection_opens_in_pgmpy(theory: cimo.Theory) -> None:
    _check_with_pgmpy(theory, to_dagitty(theory, drop_feedback=True, layout=False), dropped=True)


@given(theories())
def test_feedback_edges_leave_a_dag(theory: cimo.Theory) -> None:
    g = causal_diagram(theory)
    back = feedback_edges(g)
    g.remove_edges_from(back)
    assert nx.is_directed_acyclic_graph(g)
    assert bool(back) == (not nx.is_directed_acyclic_graph(causal_diagram(theory)))


# --------------------------------------------------------------------------- REFI-QDA


def _codes(text: str) -> etree._Element:
    doc = etree.fromstring(text.encode())
    CODEBOOK_XSD.assertValid(doc)
    return doc


def test_codebook_is_valid_and_holds_the_four_kinds(example: cimo.Theory) -> None:
    doc = _codes(to_qdc(example))
    ns = {"q": "urn:QDA-XML:codebook:1.0"}
    groups = doc.findall("q:Codes/q:Code", ns)
    assert [g.get("name") for g in groups] == [
        "Contexts",
        "Interventions",
        "Mechanisms",
        "Outcomes",
        "Rules",
        "Evidence stance",
    ]
    assert all(g.get("isCodable") == "false" for g in groups)
    kinds: tuple[NodeKind, ...] = ("context", "intervention", "mechanism", "outcome")
    for group, kind in zip(groups[:4], kinds, strict=True):
        assert [c.get("name") for c in group.findall("q:Code", ns)] == [
            n.label for n in example.of_kind(kind)
        ]
    # A codable code per rule, described by its statement; the three stances.
    rules = groups[4].findall("q:Code", ns)
    assert [
        c.findtext("q:Description", namespaces=ns).rsplit("cimo id: ", 1)[1] for c in rules
    ] == [r.id for r in example.rules]
    assert all(c.findtext("q:Description", namespaces=ns).startswith("[") for c in rules)
    assert [c.get("name") for c in groups[5].findall("q:Code", ns)] == [
        "supports",
        "refutes",
        "refines",
    ]
    sets = doc.findall("q:Sets/q:Set", ns)
    assert [s.get("name") for s in sets] == [f"Rule {r.id}" for r in example.rules]


def test_codebook_is_stable(wfg: cimo.Theory) -> None:
    assert to_qdc(wfg) == to_qdc(cimo.load_example("work-focused-group-cbt"))


@settings(max_examples=40)
@given(theories(labels=xml_labels))
def test_codebook_valid_and_keeps_exactly_the_nodes_words(theory: cimo.Theory) -> None:
    text = to_qdc(theory)
    _codes(text)
    back = from_qdc(text, id=theory.id, title=theory.title)
    kinds = {"context": cimo.Context, "intervention": cimo.Intervention}
    kinds |= {"mechanism": cimo.Mechanism, "outcome": cimo.Outcome}
    by_kind = sorted(theory.nodes, key=lambda n: list(kinds).index(n.kind))
    assert back == cimo.Theory(
        id=theory.id,
        title=theory.title,
        nodes=tuple(
            kinds[n.kind](id=n.id, label=n.label, description=n.description, **_defining(n))
            for n in by_kind
        ),
    )


@settings(max_examples=40)
@given(theories(labels=xml_labels))
def test_codebook_text_is_what_elementtree_writes(theory: cimo.Theory) -> None:
    # cimo writes the codebook as text directly (fast); it must be byte for byte what
    # ElementTree writes for the same tree: escaping, attribute order, indentation, empty tags.
    import xml.etree.ElementTree as ET

    from cimo.exchange.qdc import NAMESPACE

    text = to_qdc(theory)
    ET.register_namespace("", NAMESPACE)
    root = ET.fromstring(text.encode())
    ET.indent(root)
    assert text == '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, "unicode") + "\n"


def _defining(node: cimo.model.Node) -> dict[str, Any]:
    """The fields a code's description carries besides the description (on one line each)."""

    def line(value: str | None) -> str | None:
        return " ".join(value.split()) or None if value else None

    if isinstance(node, cimo.Mechanism):
        return {"resource": line(node.resource), "reasoning": line(node.reasoning)}
    if isinstance(node, cimo.Context) and node.facets is not None:
        kept = {k: line(v) for k, v in node.facets.model_dump().items() if line(v)}
        return {"facets": cimo.model.Facets(**kept)} if kept else {}
    return {}


def test_codebook_gives_coders_the_definitions(wfg: cimo.Theory) -> None:
    doc = _codes(to_qdc(wfg))
    ns = {"q": "urn:QDA-XML:codebook:1.0"}
    reflect = next(
        c for c in doc.iter("{urn:QDA-XML:codebook:1.0}Code") if c.get("name") == "Reflect"
    )
    text = reflect.findtext("q:Description", namespaces=ns)
    mechanism = next(n for n in wfg.nodes if n.id == "reflect")
    assert isinstance(mechanism, cimo.Mechanism) and mechanism.resource and mechanism.reasoning
    assert f"Resource: {' '.join(mechanism.resource.split())}" in text
    assert f"Reasoning: {' '.join(mechanism.reasoning.split())}" in text
    assert text.endswith("cimo id: reflect")
    back = next(n for n in from_qdc(to_qdc(wfg)).nodes if n.id == "reflect")
    assert isinstance(back, cimo.Mechanism)
    assert (back.resource, back.reasoning, back.description) == (
        mechanism.resource,
        mechanism.reasoning,
        mechanism.description,
    )


def test_codebook_import_from_another_tool() -> None:
    text = """<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="QualCoder">
  <Codes>
    <Code guid="11111111-1111-1111-1111-111111111111" name="Context" isCodable="true">
      <Code guid="22222222-2222-2222-2222-222222222222" name="Off sick" isCodable="true">
        <Description> Employees off sick </Description>
      </Code>
    </Code>
    <Code guid="33333333-3333-3333-3333-333333333333" name="OUTCOMES" isCodable="false">
      <Code guid="44444444-4444-4444-4444-444444444444" name="Off sick" isCodable="true"/>
    </Code>
  </Codes>
</CodeBook>"""
    _codes(text)
    theory = from_qdc(text)
    assert [(n.id, n.kind, n.label, n.description) for n in theory.nodes] == [
        ("Off-sick", "context", "Off sick", "Employees off sick"),
        ("Off-sick-2", "outcome", "Off sick", None),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("<CodeBook", "not well-formed XML"),
        ("<Project xmlns='urn:QDA-XML:project:1.0'/>", "the root element is"),
        (
            '<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>'
            '<Code guid="11111111-1111-1111-1111-111111111111" name="Themes" isCodable="true"/>'
            "</Codes></CodeBook>",
            "top-level code 'Themes' is not one of",
        ),
        (
            '<!DOCTYPE x [<!ENTITY a "aaaa">]><CodeBook xmlns="urn:QDA-XML:codebook:1.0"/>',
            "refused unsafe XML",
        ),
    ],
)
def test_codebook_import_errors(text: str, message: str) -> None:
    with pytest.raises(FileFormatError, match=re.escape(message)):
        from_qdc(text)


# --------------------------------------------------------------------------- entry points


def test_unknown_formats_suggest_the_closest() -> None:
    theory = cimo.Theory(id="t", title="T")
    with pytest.raises(UsageError, match="did you mean 'graphml'"):
        export_text(theory, format="graphm")
    with pytest.raises(UsageError, match="cannot import from 'dagitty'"):
        import_text("", format="dagitty")


def test_import_names_the_file_in_errors(tmp_path: Path) -> None:
    path = tmp_path / "broken map.json"
    path.write_text('{"elements": [{"label": "A"}]}')
    with pytest.raises(FileFormatError, match=r"broken map\.json: Kumu blueprint: element 'A'"):
        read(path, format="kumu")
    good = tmp_path / "my map.json"
    good.write_text(to_kumu(cimo.Theory(id="x", title="X")))
    theory = read(good, format="kumu")
    assert (theory.id, theory.title) == ("my-map", "my map")
    gexf = io.BytesIO(to_gexf(cimo.Theory(id="x", title="X")).encode())
    assert "name" not in nx.read_gexf(gexf, version="1.3").graph


def test_the_interop_page_examples_run() -> None:
    failures, tried = doctest.testfile(
        str(Path(__file__).parent.parent / "docs" / "interop.md"),
        module_relative=False,
        optionflags=doctest.ELLIPSIS,
    )
    assert tried > 0 and failures == 0


# --------------------------------------------------------------------------- the format table


def test_read_and_write_take_the_format_from_the_suffix(tmp_path: Path, pwp: cimo.Theory) -> None:
    path = write(pwp, tmp_path / "t.GraphML")
    assert nx.read_graphml(path).nodes["burnout"]["kind"] == "rule"
    assert read(path) == pwp
    with pytest.raises(UsageError, match=r"'\.json' may mean nodelink or .* kumu; name the format"):
        write(pwp, tmp_path / "t.json")
    with pytest.raises(UsageError, match=r"t\.gexf: cannot tell the exchange format.*graphml, "):
        read(write(pwp, tmp_path / "t.gexf"))  # GEXF is written, not read
    with pytest.raises(
        UsageError, match=r"cannot tell the exchange format from the suffix '\.docx'"
    ):
        write(pwp, tmp_path / "t.docx")
    assert read(write(pwp, tmp_path / "t.cyjs")) == pwp


def test_the_exchange_entry_points_serve_every_exchange_format() -> None:
    from cimo.core.formats import names, select
    from cimo.exchange.formats import _WRITERS

    assert tuple(cimo.exchange.EXPORT_FORMATS) == names(select(kind="exchange", writable=True))
    assert tuple(cimo.exchange.IMPORT_FORMATS) == names(select(kind="exchange", readable=True))
    assert set(_WRITERS) | {"dagitty"} == set(cimo.exchange.EXPORT_FORMATS)
    assert dict(cimo.exchange.EXPORT_FORMATS) == {
        "graphml": ".graphml",
        "gexf": ".gexf",
        "nodelink": ".json",
        "graphology": ".json",
        "cytoscape": ".cyjs",
        "kumu": ".json",
        "kumu-view": ".txt",
        "dagitty": ".dagitty",
        "qdc": ".qdc",
        "causalmap": ".csv",
        "drawio": ".drawio",
    }
    # The old names in cimo.io are the new ones, with a warning.
    with pytest.warns(DeprecationWarning, match=r"cimo\.exchange\.EXPORT_FORMATS"):
        assert cimo.io.EXPORT_FORMATS is cimo.exchange.EXPORT_FORMATS
    with pytest.warns(DeprecationWarning, match=r"cimo\.exchange\.write"):
        assert cimo.io.export_theory is cimo.exchange.write
    with pytest.warns(DeprecationWarning, match=r"cimo\.exchange\.read"):
        assert cimo.io.import_theory is cimo.exchange.read


def test_the_old_positional_format_warns_and_still_works(pwp: cimo.Theory) -> None:
    with pytest.warns(DeprecationWarning, match=r"cimo\.exchange\.export_text"):
        export_text = cimo.io.export_text
    with pytest.warns(DeprecationWarning, match=r"cimo\.exchange\.import_text"):
        import_text = cimo.io.import_text
    with pytest.warns(DeprecationWarning, match=r"pass the format by keyword, format='nodelink'"):
        text = export_text(pwp, "nodelink")
    with pytest.warns(DeprecationWarning, match="import_text"):
        assert import_text(text, "nodelink") == pwp
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert import_text(export_text(pwp, format="kumu"), format="kumu").rules
    with pytest.raises(TypeError, match="format"):
        export_text(pwp)
    with pytest.raises(TypeError, match="multiple values"):
        export_text(pwp, "kumu", format="kumu")
    with pytest.raises(TypeError):
        cimo.exchange.export_text(pwp, "kumu")  # type: ignore[call-arg]


@pytest.mark.parametrize(
    ("old", "name", "new"),
    [
        ("networks", "to_network", "cimo.exchange.networks.to_network"),
        ("networks", "fresh_id", "internal to cimo.exchange"),
        ("networks", "SLOTS", "cimo.core.vocabulary.SLOTS"),
        ("kumu", "to_kumu", "cimo.exchange.kumu.to_kumu"),
        ("qdc", "NAMESPACE", "cimo.exchange.qdc.NAMESPACE"),
        ("dagitty", "to_dagitty", "cimo.exchange.dagitty.to_dagitty"),
        ("interop", "export_theory", "cimo.exchange.write"),
        ("interop", "IMPORT_FORMATS", "cimo.exchange.IMPORT_FORMATS"),
        ("interop", "export_text", "cimo.exchange.export_text"),
    ],
)
def test_the_old_module_paths_warn_and_still_work(old: str, name: str, new: str) -> None:
    import importlib

    module = importlib.import_module(f"cimo.io.{old}")
    with pytest.warns(DeprecationWarning, match=re.escape(new)):
        value = getattr(module, name)
    assert value is not None
    assert not hasattr(module, "no_such_name")


def test_the_old_slot_table_is_the_vocabulary() -> None:
    from cimo.core.vocabulary import SLOTS

    with pytest.warns(DeprecationWarning, match="cimo.io.networks.SLOTS moved"):
        from cimo.io.networks import SLOTS as OLD
    assert OLD == (
        ("if", True),
        ("unless", True),
        ("with", True),
        ("because", True),
        ("then", False),
        ("reduces", False),
    )
    assert [s.keyword for s in SLOTS if s.since == "1.0"] == [k for k, _ in OLD]
