"""Every export opened by the tool that receives it: the real consumers (issue 17).

Python consumers run in this process (networkx, igraph, pgmpy, DoWhy, lxml
with the official XSDs); networkx 3.2 runs in a subprocess from
``.venv-nx32``; the JavaScript ones (graphology, graphology-gexf, d3-force,
Cytoscape.js, mermaid, mxGraph) run under the machine's ``node`` from
``tests/js`` (``make consumers`` installs both). A missing consumer fails its
test with the command that installs it: nothing here is skipped.
"""

from __future__ import annotations

import json
import math
import re
import shutil
import subprocess
import sys
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import igraph  # type: ignore[import-untyped]
import networkx as nx
import pytest
from lxml import etree

import cimo
from cimo.exchange import export_text, import_text
from cimo.exchange.causalmap import from_causal_map, to_causal_map
from cimo.exchange.dagitty import causal_diagram, to_dagitty, to_pgmpy
from cimo.exchange.kumu import CONNECTION_TYPES, from_kumu, kumu_view, to_kumu
from cimo.exchange.networks import from_graphml, to_network
from cimo.render import mermaid, mermaid_rules

ROOT = Path(__file__).parent.parent
DATA = Path(__file__).parent / "data"
JS = Path(__file__).parent / "js"
PUBLISHED = Path(__file__).parent / "data" / "published"
NX32 = ROOT / ".venv-nx32"
EXAMPLES = [e.name for e in cimo.list_examples()]
GEXF_XSD = etree.XMLSchema(etree.parse(str(DATA / "gexf-1.3" / "gexf.xsd")))
GRAPHML_XSD = etree.XMLSchema(etree.parse(str(DATA / "graphml-1.0" / "graphml.xsd")))


@pytest.fixture(scope="module")
def theories() -> dict[str, cimo.Theory]:
    return {name: cimo.load_example(name) for name in EXAMPLES}


@pytest.fixture(scope="module")
def exported(
    tmp_path_factory: pytest.TempPathFactory, theories: dict[str, cimo.Theory]
) -> Callable[[str], list[Path]]:
    """Write every example in a format once; the paths, in example order."""
    folder = tmp_path_factory.mktemp("exports")
    done: dict[str, list[Path]] = {}

    def files(fmt: str) -> list[Path]:
        if fmt not in done:
            done[fmt] = []
            for name, theory in theories.items():
                path = folder / f"{name}.{fmt}"
                path.write_text(export_text(theory, format=fmt), encoding="utf-8")
                done[fmt].append(path)
        return done[fmt]

    return files


def node(kind: str, paths: list[Path]) -> list[dict[str, Any]]:
    """What a JavaScript consumer (tests/js/consume.mjs) made of each file."""
    if shutil.which("node") is None:
        pytest.fail(
            "Node.js is missing: install it (apt-get install nodejs npm), then make consumers"
        )
    if not (JS / "node_modules" / "graphology").is_dir():
        pytest.fail("the JavaScript consumers are not installed: run `make consumers`")
    proc = subprocess.run(
        ["node", str(JS / "consume.mjs"), kind, *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    results: list[dict[str, Any]] = json.loads(proc.stdout)
    for path, result in zip(paths, results, strict=True):
        assert "error" not in result, f"{path.name}: {result['error']}"
    return results


def kinds_of(theory: cimo.Theory) -> dict[str, str]:
    return {v: d["kind"] for v, d in to_network(theory).nodes(data=True)}


def slot_counts(theory: cimo.Theory) -> dict[str, int]:
    counts: dict[str, int] = {}
    for *_, data in to_network(theory).edges(data=True):
        counts[data["slot"]] = counts.get(data["slot"], 0) + 1
    return counts


# --------------------------------------------------------------------------- GEXF


@pytest.mark.parametrize("name", EXAMPLES)
def test_gexf_is_valid_against_the_official_gexf_1_3_schema(name: str) -> None:
    doc = etree.fromstring(export_text(cimo.load_example(name), format="gexf").encode())
    GEXF_XSD.assertValid(doc)


def test_gexf_invalid_files_are_caught_by_the_schema() -> None:
    text = export_text(cimo.load_example("pwp-resilience"), format="gexf")
    bad = etree.fromstring(text.replace('mode="static"', 'mode="static" name="x"').encode())
    assert not GEXF_XSD.validate(bad)  # the title as graph/@name, as cimo once wrote it


def test_graphology_gexf_reads_gexf_and_keeps_the_title(
    exported: Callable[[str], list[Path]], theories: dict[str, cimo.Theory]
) -> None:
    for theory, got in zip(theories.values(), node("gexf", exported("gexf")), strict=True):
        assert (got["order"], got["size"], got["type"]) == (
            len(theory.nodes) + len(theory.rules),
            to_network(theory).number_of_edges(),
            "directed",
        )
        assert got["attributes"]["description"] == theory.title
        assert got["kinds"] == kinds_of(theory)
        assert got["slots"] == slot_counts(theory)


# --------------------------------------------------------------------------- node-link


def test_node_link_is_read_by_networkx_with_its_default_call(
    exported: Callable[[str], list[Path]], theories: dict[str, cimo.Theory]
) -> None:
    for theory, path in zip(theories.values(), exported("nodelink"), strict=True):
        data = json.loads(path.read_text(encoding="utf-8"))
        g = nx.node_link_graph(data)  # networkx >= 3.6 reads "edges"
        assert nx.utils.graphs_equal(g, to_network(theory))
        assert nx.utils.graphs_equal(nx.node_link_graph(data, edges="links"), g)


def test_node_link_is_read_by_networkx_3_2(
    exported: Callable[[str], list[Path]], theories: dict[str, cimo.Theory]
) -> None:
    if not (NX32 / "networkx").is_dir():
        pytest.fail(f"networkx 3.2 is not installed in {NX32}: run `make consumers`")
    script = (
        "import json, sys\n"
        f"sys.path.insert(0, {str(NX32)!r})\n"
        "import networkx as nx\n"
        "out = [nx.__version__]\n"
        "for path in sys.argv[1:]:\n"
        "    g = nx.node_link_graph(json.load(open(path, encoding='utf-8')))\n"
        "    out.append([g.is_directed(), len(g), g.number_of_edges(),\n"
        "                {v: d['kind'] for v, d in g.nodes(data=True)}])\n"
        "print(json.dumps(out))\n"
    )
    paths = exported("nodelink")
    proc = subprocess.run(
        [sys.executable, "-I", "-c", script, *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    version, *graphs = json.loads(proc.stdout)
    assert version == "3.2.1"
    for theory, (directed, n, m, kinds) in zip(theories.values(), graphs, strict=True):
        g = to_network(theory)
        assert (directed, n, m, kinds) == (True, len(g), g.number_of_edges(), kinds_of(theory))


def test_node_link_links_are_resolved_by_d3_force(
    exported: Callable[[str], list[Path]], theories: dict[str, cimo.Theory]
) -> None:
    for theory, got in zip(theories.values(), node("d3", exported("nodelink")), strict=True):
        m = to_network(theory).number_of_edges()
        assert got == {"nodes": len(theory.nodes) + len(theory.rules), "links": m, "resolved": m,
                       "placed": True}  # fmt: skip


def test_graphology_reads_its_own_json_and_cimo_reads_it_back(
    exported: Callable[[str], list[Path]], theories: dict[str, cimo.Theory]
) -> None:
    paths = exported("graphology")
    for theory, got, path in zip(theories.values(), node("graphology", paths), paths, strict=True):
        assert (got["type"], got["kinds"], got["slots"]) == (
            "directed",
            kinds_of(theory),
            slot_counts(theory),
        )
        assert got["attributes"]["title"] == theory.title
        assert import_text(path.read_bytes(), format="graphology") == theory


# --------------------------------------------------------------------------- igraph


def test_igraph_reads_graphml_and_node_link(
    exported: Callable[[str], list[Path]], theories: dict[str, cimo.Theory]
) -> None:
    graphml, nodelink = exported("graphml"), exported("nodelink")
    for theory, gml, nl in zip(theories.values(), graphml, nodelink, strict=True):
        expected = to_network(theory)
        a = igraph.Graph.Read_GraphML(str(gml))
        data = json.loads(nl.read_text(encoding="utf-8"))
        b = igraph.Graph.DictList(
            data["nodes"], data["links"], directed=True, vertex_name_attr="id"
        )
        for g, name in ((a, "id"), (b, "id")):
            assert g.is_directed() and (g.vcount(), g.ecount()) == (
                len(expected),
                expected.number_of_edges(),
            )
            assert dict(zip(g.vs[name], g.vs["kind"], strict=True)) == kinds_of(theory)
            ends = {(g.vs[e.source][name], g.vs[e.target][name]) for e in g.es}
            assert ends == set(expected.edges())


# --------------------------------------------------------------------------- GraphML


@pytest.mark.parametrize("name", EXAMPLES)
def test_graphml_is_valid_against_the_graphml_1_0_schema(name: str) -> None:
    doc = etree.fromstring(export_text(cimo.load_example(name), format="graphml").encode())
    GRAPHML_XSD.assertValid(doc)


def test_graphml_invalid_files_are_caught_by_the_schema() -> None:
    text = export_text(cimo.load_example("pwp-resilience"), format="graphml")
    assert GRAPHML_XSD.validate(etree.fromstring(text.encode()))
    # A key with a type GraphML does not define, and an edge with no target.
    for bad in (
        text.replace('attr.type="string"', 'attr.type="text"', 1),
        re.sub(r'(<edge[^>]*?) target="[^"]*"', r"\1", text, count=1),
    ):
        assert bad != text
        assert not GRAPHML_XSD.validate(etree.fromstring(bad.encode()))


@pytest.mark.parametrize("name", EXAMPLES)
def test_graphml_resaved_by_igraph_imports_back(name: str, tmp_path: Path) -> None:
    theory = cimo.load_example(name)
    ours = tmp_path / "cimo.graphml"
    ours.write_text(export_text(theory, format="graphml"), encoding="utf-8")
    g = igraph.Graph.Read_GraphML(str(ours))
    resaved = tmp_path / "igraph.graphml"
    g.write_graphml(str(resaved))
    text = resaved.read_text(encoding="utf-8")
    # igraph's dialect: vertices renamed n0, n1, ..., the id kept as an attribute, and
    # every attribute written on every vertex (empty when unset).
    assert '<node id="n0">' in text and 'attr.name="id"' in text
    GRAPHML_XSD.assertValid(etree.fromstring(text.encode()))
    assert from_graphml(text) == theory


@pytest.mark.parametrize("name", EXAMPLES)
def test_graphml_resaved_by_networkx_imports_back(name: str, tmp_path: Path) -> None:
    theory = cimo.load_example(name)
    g = nx.parse_graphml(export_text(theory, format="graphml"))
    resaved = tmp_path / "nx.graphml"
    nx.write_graphml(g, resaved)
    GRAPHML_XSD.assertValid(etree.parse(str(resaved)))
    assert from_graphml(resaved.read_text(encoding="utf-8")) == theory


# --------------------------------------------------------------------------- Kumu


def _as_kumu_exports_it(blueprint: dict[str, Any]) -> dict[str, Any]:
    """A blueprint as Kumu's "Export to JSON" gives it back: ``_id``s, fields under attributes."""
    ids = {e["id"]: f"elem-{i:08d}" for i, e in enumerate(blueprint["elements"])}
    elements = [
        {
            "_id": ids[e["id"]],
            "attributes": {("element type" if k == "type" else k): v for k, v in e.items()},
        }
        for e in blueprint["elements"]
    ]
    connections = [
        {
            "_id": f"conn-{i:08d}",
            "direction": c["direction"],
            "delayed": False,
            "reversed": False,
            "attributes": {"connection type": c["type"], "position": c["position"]},
            "from": ids[c["from"]],
            "to": ids[c["to"]],
        }
        for i, c in enumerate(blueprint["connections"])
    ]
    return {"elements": elements, "connections": connections, "loops": [], "maps": []}


@pytest.mark.parametrize("name", EXAMPLES)
def test_kumu_reads_back_what_kumu_exports(name: str) -> None:
    theory = cimo.load_example(name)
    exported = _as_kumu_exports_it(json.loads(to_kumu(theory)))
    back = from_kumu(json.dumps(exported), id=theory.id, title=theory.title)
    assert (back.nodes, back.rules, back.links) == (theory.nodes, theory.rules, theory.links)


def test_kumu_reads_a_map_exported_from_kumu() -> None:
    theory = from_kumu((DATA / "kumu-export.json").read_bytes(), id="map", title="Map")
    assert [(n.id, n.kind) for n in theory.nodes] == [
        ("Employees-off-sick-with-depression", "context"),
        ("Work-focused-group-CBT", "intervention"),
        ("Relate", "mechanism"),
        ("Return-to-work", "outcome"),
    ]
    rule = theory.rules[0]
    assert (rule.id, rule.status, rule.source_label, rule.description) == (
        "R1",
        "supported",
        "CMOc 1",
        "Coded from the focus groups.",
    )
    assert (rule.contexts, rule.interventions, rule.mechanisms, rule.outcomes) == (
        ("Employees-off-sick-with-depression",),
        ("Work-focused-group-CBT",),
        ("Relate",),
        ("Return-to-work",),
    )
    assert theory.index["Return-to-work"].tags == ("work", "primary")


def test_kumu_profiles_are_markdown_and_edits_in_kumu_are_kept(pwp: cimo.Theory) -> None:
    blueprint = json.loads(to_kumu(pwp))
    rule = next(r for r in pwp.rules if r.evidence and any(e.quote for e in r.evidence))
    element = next(e for e in blueprint["elements"] if e["id"] == rule.id)
    profile = element["description"]
    assert "**Evidence**" in profile and "{" not in profile.split("**Evidence**")[1][:3]
    quote = next(e.quote for e in rule.evidence if e.quote)
    assert "> " + quote.splitlines()[0] in profile
    assert "evidence" not in element  # records ride in one field, for the way back
    assert json.loads(element["cimo data"])["evidence"][0]["source"] == rule.evidence[0].source
    element["description"] = "Rewritten in Kumu."
    back = from_kumu(json.dumps(blueprint), id=pwp.id, title=pwp.title)
    assert back.rule_index[rule.id].description == "Rewritten in Kumu."
    assert back.rule_index[rule.id].evidence == rule.evidence


def test_kumu_view_uses_only_documented_selectors_and_properties() -> None:
    # docs.kumu.io, Advanced Editor hub: property reference and selector reference.
    documented = {
        "color": None,
        "border-color": None,
        "shape": {"circle", "square", "rectangle"},
        "scale": None,
        "style": {"solid", "dashed"},
        "size": None,
        "font-color": None,
        "element-text-align": {"bottom", "center"},
    }
    text = kumu_view()
    blocks = [b for b in text.split("}") if "{" in b]
    assert len(blocks) == 1 + 5 + len(CONNECTION_TYPES)  # settings, kinds, connection types
    for block in blocks:
        selector, body = block.split("{")
        assert (
            selector.strip().splitlines()[-1].startswith(("@settings", "element[", "connection["))
        )
        for line in filter(None, (x.strip() for x in body.splitlines())):
            prop, value = (x.strip() for x in line.rstrip(";").split(":", 1))
            assert prop in documented, line
            allowed = documented[prop]
            assert allowed is None or value in allowed, line


# --------------------------------------------------------------------------- DAGitty

#: An exposure and an outcome per example, and whether its feedback must be dropped.
QUESTIONS = {
    "work-focused-group-cbt": ("peer-facilitation", "interpersonal-functioning", False),
    "pwp-resilience": ("resilience", "staying-in-role", True),
    "doctors-mental-health": (
        "normalisation-of-overwork",
        "presentism-mental-ill-health-workforce",
        False,
    ),
}


def _is_backdoor_set(g: nx.DiGraph[str], x: str, y: str, z: set[str]) -> bool:
    """Pearl's backdoor criterion, checked with networkx alone."""
    if z & (nx.descendants(g, x) | {x, y}):
        return False
    cut = nx.DiGraph(g)
    cut.remove_edges_from(list(g.out_edges(x)))
    return bool(nx.is_d_separator(cut, {x}, {y}, z))


def _minimal_backdoor_set(g: nx.DiGraph[str], x: str, y: str, *, latent: set[str]) -> set[str]:
    """A minimal observed set meeting the backdoor criterion, found by networkx."""
    cut = nx.DiGraph(g)
    cut.remove_edges_from(list(g.out_edges(x)))
    after: set[str] = nx.descendants(g, x)
    allowed = set(g) - latent - after - {x, y}
    found = nx.find_minimal_d_separator(cut, {x}, {y}, restricted=allowed)
    assert found is not None, f"no observed backdoor set from {x} to {y}"
    return set(found)


def test_every_example_answers_a_causal_question_in_pgmpy() -> None:
    from pgmpy.base import DAG  # type: ignore[import-untyped]
    from pgmpy.inference import CausalInference  # type: ignore[import-untyped]

    assert set(QUESTIONS) == set(EXAMPLES)
    sets = {}
    for name, (x, y, drop) in QUESTIONS.items():
        theory = cimo.load_example(name)
        text = to_dagitty(theory, exposure=x, outcome=y, drop_feedback=drop)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # pyparsing's old names
            dag = DAG.from_dagitty(text)
        assert (dag.get_role("exposures"), dag.get_role("outcomes")) == ([x], [y])
        g: nx.DiGraph[str] = nx.DiGraph(dag.edges())
        assert nx.has_path(g, x, y)
        # The adjustment set comes from networkx (Pearl's criterion on the full graph, latent
        # mechanisms included) and pgmpy must accept it. pgmpy's own minimal set is not asked
        # for: in pgmpy 1.1.2 it depends on the string hash seed and, for pwp-resilience, can
        # name a descendant of the exposure reached through latent mechanisms.
        z = _minimal_backdoor_set(g, x, y, latent=set(dag.latents))
        assert _is_backdoor_set(g, x, y, z)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FutureWarning)  # pgmpy moves these to identification
            inference = CausalInference(dag)
            assert inference.is_valid_backdoor_adjustment_set(x, y, z)
        assert nx.utils.graphs_equal(
            nx.DiGraph(to_pgmpy(theory, exposure=x, outcome=y, drop_feedback=drop).edges()), g
        )
        sets[name] = z
    # Where the intervention is offered and for whom (Figure 4's contexts) confound its effect.
    assert sets["work-focused-group-cbt"] == {"group-psychotherapy", "recurrent-depression"}
    # Peer support and systemic sense-making lead both to resilience and to staying in role.
    assert sets["pwp-resilience"]


@pytest.mark.slow  # DoWhy's import and its backdoor search take about 20 s
def test_every_example_answers_a_causal_question_in_dowhy() -> None:
    import numpy as np
    import pandas as pd  # type: ignore[import-untyped]

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # DoWhy's and its dependencies' own deprecations
        from dowhy import CausalModel  # type: ignore[import-untyped]

    for name, (x, y, drop) in QUESTIONS.items():
        theory = cimo.load_example(name)
        text = to_dagitty(theory, exposure=x, outcome=y, drop_feedback=drop)
        g = causal_diagram(theory)
        columns = sorted(v for v in g if g.degree(v))
        data = pd.DataFrame(np.zeros((4, len(columns))), columns=columns)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model = CausalModel(data=data, treatment=x, outcome=y, graph=text)
            estimand = model.identify_effect(proceed_when_unidentifiable=True)
        z = set(estimand.get_backdoor_variables())
        edges = to_pgmpy(theory, exposure=x, outcome=y, drop_feedback=drop).edges()
        dag: nx.DiGraph[str] = nx.DiGraph(edges)
        assert _is_backdoor_set(dag, x, y, z), (name, z)
        assert str(estimand.estimand_type).endswith("NONPARAMETRIC_ATE")


def test_dagitty_positions_follow_the_graphviz_layout(wfg: cimo.Theory) -> None:
    text = to_dagitty(wfg, exposure="peer-facilitation", outcome="self-efficacy")
    pos = {
        line.split('"')[1]: tuple(float(v) for v in line.split('pos="')[1].split('"')[0].split(","))
        for line in text.splitlines()
        if "pos=" in line
    }
    g = causal_diagram(wfg)
    assert set(pos) == set(g)
    # dot lays the diagram out left to right: every edge points rightwards.
    assert all(pos[u][0] < pos[v][0] for u, v in g.edges())
    assert all(math.isfinite(c) for p in pos.values() for c in p)


# --------------------------------------------------------------------------- Cytoscape.js


def test_cytoscape_js_reads_the_elements_and_the_style(
    exported: Callable[[str], list[Path]], theories: dict[str, cimo.Theory]
) -> None:
    paths = exported("cytoscape")
    for theory, got, path in zip(theories.values(), node("cytoscape", paths), paths, strict=True):
        g = to_network(theory)
        assert (got["nodes"], got["edges"], got["dangling"]) == (len(g), g.number_of_edges(), 0)
        assert got["kinds"] == kinds_of(theory)
        assert set(got["classes"]) == {d for _, d in g.nodes(data="kind")}
        assert got["title"] == theory.title
        assert import_text(path.read_bytes(), format="cytoscape") == theory


# --------------------------------------------------------------------------- draw.io


def test_drawio_model_loads_in_mxgraph_with_the_lanes_as_containers(
    exported: Callable[[str], list[Path]], theories: dict[str, cimo.Theory]
) -> None:
    lanes = {"context": "Contexts", "intervention": "Interventions"}
    lanes |= {"mechanism": "Mechanisms", "outcome": "Outcomes"}
    for theory, got in zip(theories.values(), node("drawio", exported("drawio")), strict=True):
        kinds = [k for k in lanes if theory.of_kind(k)]  # type: ignore[arg-type]
        assert got["lanes"] == [lanes[k] for k in kinds]
        assert {f"node:{n.id}": f"lane:{n.kind}" for n in theory.nodes} == {
            k: v for k, v in got["parent"].items() if k.startswith("node:")
        }
        edges = cimo.graph.element_graph(theory).number_of_edges()
        assert got["edges"] == got["joined"] == edges


# --------------------------------------------------------------------------- Mermaid


def test_mermaids_own_parser_accepts_every_mermaid_output(
    tmp_path: Path, theories: dict[str, cimo.Theory]
) -> None:
    tricky = cimo.Theory(
        id="t",
        title="T",
        nodes=(
            cimo.Context(id="c", label='say "hi" #1 <b> & `x`'),
            cimo.Mechanism(id="m", label="end (subgraph) [x] {y}", category="a-b.c"),
            cimo.Outcome(id="o", label="graph TD; --> x"),
        ),
        rules=(cimo.Rule(id="r", contexts=("c",), mechanisms=("m",), outcomes=("o",)),),
    )
    texts = []
    published = [cimo.load(p) for p in sorted(PUBLISHED.glob("*.yaml"))]
    assert len(published) >= 10
    for theory in (*theories.values(), *published, tricky, cimo.Theory(id="e", title="E")):
        texts += [mermaid(theory), mermaid(theory, legend=False), mermaid_rules(theory)]
    paths = []
    for i, text in enumerate(texts):
        paths.append(tmp_path / f"{i}.mmd")
        paths[-1].write_text(text, encoding="utf-8")
    assert {r["diagramType"] for r in node("mermaid", paths)} == {"flowchart-v2"}


def test_mermaids_parser_rejects_broken_text(tmp_path: Path) -> None:
    path = tmp_path / "bad.mmd"
    path.write_text('flowchart LR\n  n0["unclosed]\n', encoding="utf-8")
    proc = subprocess.run(
        ["node", str(JS / "consume.mjs"), "mermaid", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert "error" in json.loads(proc.stdout)[0]


# --------------------------------------------------------------------------- Causal Map


@pytest.mark.parametrize("name", EXAMPLES)
def test_causal_map_table_reads_back(name: str) -> None:
    import pandas as pd

    theory = cimo.load_example(name)
    text = to_causal_map(theory)
    table = pd.read_csv(__import__("io").StringIO(text), dtype=str, keep_default_na=False)
    assert list(table.columns[:4]) == ["cause", "effect", "source", "quote"]
    labels = {n.label for n in theory.nodes}
    assert set(table["cause"]) | set(table["effect"]) <= labels
    back = from_causal_map(text, id=theory.id, title=theory.title)
    kept = [r for r in theory.rules if (r.mechanisms or r.outcomes or r.reduces)]
    for rule in kept:
        got = back.rule_index[rule.id]
        slots = ("contexts", "unless", "interventions", "mechanisms", "outcomes", "reduces")
        assert all(getattr(got, s) == getattr(rule, s) for s in slots), rule.id
        pairs = list(
            dict.fromkeys((e.source, e.quote) for e in rule.evidence if e.source or e.quote)
        )
        assert [(e.source, e.quote) for e in got.evidence] == pairs
    assert back.links == tuple(cimo.Link(outcome=x.outcome, context=x.context, note=x.note)
                               for x in theory.links)  # fmt: skip


def test_causal_map_table_coded_in_causal_map_becomes_rules() -> None:
    text = (
        "from_label,to_label,source_id,quote\n"
        "Peer support,Feeling understood,Interview 3,they got it\n"
        "Feeling understood,Return to work,Interview 3,I went back\n"
        "Peer support,Feeling understood,Interview 5,\n"
    )
    theory = from_causal_map(text, id="cm", title="CM")
    assert [(n.id, n.kind) for n in theory.nodes] == [
        ("Peer-support", "context"),
        ("Feeling-understood", "outcome"),
        ("Return-to-work", "outcome"),
    ]
    first, second = theory.rules
    assert (first.contexts, first.outcomes) == (("Peer-support",), ("Feeling-understood",))
    assert [(e.source, e.quote) for e in first.evidence] == [
        ("Interview-3", "they got it"),
        ("Interview-5", None),
    ]
    assert (second.contexts, second.outcomes) == (("Feeling-understood",), ("Return-to-work",))
    assert {s.id for s in theory.sources} == {"Interview-3", "Interview-5"}
