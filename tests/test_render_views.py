"""Diagrams: the theory map, rule cards, taxonomy tree, highlight; DOT-level and real SVG."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from _svg import dot_edges, dot_nodes, graphviz_spaces, legend_words, svg_groups
from _svg import legend as legend_nodes

import cimo
from cimo.errors import UnknownIdError, UsageError
from cimo.graph import element_graph, rule_graph
from cimo.render import (
    DEFAULT_STYLE,
    GREYSCALE_STYLE,
    Highlight,
    RenderError,
    focus_ids,
    rule_card,
    rule_cards,
    taxonomy_tree,
    theory_map,
)
from cimo.render._look import node_words
from cimo.render.backend import engine_for, run_graphviz


def _lane(source: str, kind: str) -> list[str]:
    """The ids placed in one lane's ``rank=same`` subgraph."""
    block = source.split(f'subgraph "lane_{kind}" {{', 1)[1].split("}", 1)[0]
    lines = [line.strip() for line in block.splitlines()]
    return [line[1:-1] for line in lines if re.fullmatch(r'"[^"]*"', line)]


def test_map_puts_each_kind_in_its_lane_left_to_right(wfg: cimo.Theory) -> None:
    d = theory_map(wfg)
    for kind in ("context", "intervention", "mechanism", "outcome"):
        assert _lane(d.source, kind) == [n.id for n in wfg.of_kind(kind)]
    order = d.source.index('"cimo:lane:context" -> "cimo:lane:intervention"')
    assert order < d.source.index('"cimo:lane:intervention" -> "cimo:lane:mechanism"')
    assert '"cimo:lane:mechanism" -> "cimo:lane:outcome"' in d.source
    assert 'rankdir="LR"' in d.source


def test_map_shapes_and_colours_by_kind_and_category(wfg: cimo.Theory) -> None:
    nodes = dot_nodes(theory_map(wfg).source)
    assert nodes["recurrent-depression"]["shape"] == "box"
    assert nodes["recurrent-depression"]["fillcolor"] == DEFAULT_STYLE.kind_fill["context"]
    assert nodes["work-status"]["peripheries"] == "2"
    # seed 000, Table 3 key: work-focused red, psychological green, relationship-focused blue
    assert nodes["retain-resume"]["fillcolor"] == "#f4c7c3"
    assert nodes["regulate"]["fillcolor"] == "#c8e6c9"
    assert nodes["relate"]["fillcolor"] == "#c5dcf5"
    assert nodes["relate"]["shape"] == "ellipse"


@pytest.mark.parametrize("style", [DEFAULT_STYLE, GREYSCALE_STYLE], ids=lambda s: s.name)
def test_each_mechanism_category_of_a_theory_has_a_fill_of_its_own(
    pwp: cimo.Theory, style: cimo.render.Style
) -> None:
    # pwp-resilience's three categories: a hash into the palette gave two of them one fill
    categories = {m.id: m.category for m in pwp.mechanisms if m.category}
    assert len(set(categories.values())) == 3
    nodes = dot_nodes(theory_map(pwp, style=style).source)
    fills = {
        cat: {nodes[m]["fillcolor"] for m, c in categories.items() if c == cat}
        for cat in categories.values()
    }
    assert all(len(f) == 1 for f in fills.values()), fills
    assert len({f.pop() for f in fills.values()}) == 3, fills
    cards = rule_cards(pwp, style=style).source  # the cards colour mechanisms alike
    assert all(style.for_theory(pwp).category_colour(c) in cards for c in fills)


def test_map_edges_are_the_element_graph_with_unless_and_chains_distinct(
    pwp: cimo.Theory,
) -> None:
    edges = dot_edges(theory_map(pwp).source)
    drawn = {(u, v) for u, v, a in edges if a.get("style") != "invis"}
    assert drawn == {(u, v) for u, v, _ in element_graph(pwp).edges(keys=True)}
    # burnout holds UNLESS work-related boundaries (an outcome of other rules) hold
    unless = [a for u, v, a in edges if (u, v) == ("work-boundaries", "resource-demand-imbalance")]
    assert unless and all(a["style"] == "dashed" and a["arrowhead"] == "tee" for a in unless)
    # work-related-adversity is an outcome standing in later rules' IF: a chain
    chains = [a for u, v, a in edges if u == "work-related-adversity"]
    assert chains and all(a["color"] == DEFAULT_STYLE.chain for a in chains)
    assert all(a["constraint"] == "false" for a in chains)


def test_map_with_rule_nodes_boxes_them_by_theme(pwp: cimo.Theory) -> None:
    d = theory_map(pwp, rules=True)
    assert _lane(d.source, "rule") == [r.id for r in pwp.rules]
    themes = list(dict.fromkeys(r.theme for r in pwp.rules))
    assert d.source.count('subgraph "cluster_theme_') == len(themes) == 4
    edges = {(u, v) for u, v, a in dot_edges(d.source) if a.get("style") != "invis"}
    assert edges == set(rule_graph(pwp).edges())
    assert d.nodes == len(pwp.nodes) + len(pwp.rules)


def test_map_has_a_legend_naming_what_it_shows(wfg: cimo.Theory, pwp: cimo.Theory) -> None:
    source = theory_map(wfg).source
    legend = legend_words(source)
    for words in ("Context", "Intervention", "Mechanism: work-focused", "Outcome"):
        assert words in legend
    # Issue 11: the legend lists only what the picture shows (the work-focused group CBT
    # theory has no UNLESS; it was listed before), and names kinds without "(double)".
    assert "UNLESS" not in legend and "(double)" not in legend
    assert "UNLESS" in legend_words(theory_map(pwp).source)
    assert not legend_words(theory_map(wfg, legend=False).source)
    # Issue 16: each kind's sample is drawn as the map draws that kind (shape, style, fill,
    # double border), so a greyscale print still tells a context from an intervention.
    nodes = dot_nodes(source)
    samples = {a["tooltip"]: a for k, a in legend_nodes(source).items() if k != "cimo:legend"}
    for kind in ("context", "intervention", "mechanism", "outcome"):
        drawn = next(nodes[n.id] for n in wfg.nodes if n.kind == kind and n.id in nodes)
        sample = samples[next(t for t in samples if t.lower().startswith(kind))]
        for attr in ("shape", "style", "peripheries"):
            assert sample.get(attr) == drawn.get(attr), (kind, attr)
    assert samples["Context"]["style"] != samples["Intervention"]["style"]  # box vs rounded
    assert {a["shape"] for t, a in samples.items() if t.startswith("Mechanism")} == {"ellipse"}


def test_greyscale_style_uses_no_colour(wfg: cimo.Theory) -> None:
    source = theory_map(wfg, style=GREYSCALE_STYLE, rules=True).source

    for colour in re.findall(r"#([0-9a-fA-F]{6})", source):
        r, g, b = colour[0:2], colour[2:4], colour[4:6]
        assert r == g == b, colour


def test_style_is_frozen_and_other_categories_get_a_stable_colour() -> None:
    with pytest.raises(TypeError):
        DEFAULT_STYLE.kind_fill["context"] = "red"  # type: ignore[index]
    colour = DEFAULT_STYLE.category_colour("trust-and-ownership")
    assert colour in DEFAULT_STYLE.palette
    assert colour == DEFAULT_STYLE.model_validate(DEFAULT_STYLE.model_dump()).category_colour(
        "trust-and-ownership"
    )


def test_focus_keeps_what_lies_within_depth_steps(pwp: cimo.Theory) -> None:
    # purpose-reaffirmed is produced by one rule and used by another (hand-checked in the YAML);
    # depth 1 keeps those two rules and every part they name (cimo.edit.focus, steps=1)
    near = focus_ids(pwp, "purpose-reaffirmed", depth=1)
    rules = {"purpose-reaffirmed-by-resilience", "reaffirmed-purpose-guides-appraisal"}
    assert {i for i in near if i in pwp.rule_index} == rules
    named = {ref for r in rules for _, _, ref in pwp.rule_index[r].references()}
    assert "purpose-reaffirmed" in named
    assert near == rules | named
    assert focus_ids(pwp, "purpose-reaffirmed", depth=0) == {"purpose-reaffirmed"}
    for depth in (1, 2):
        part = cimo.edit.focus(pwp, node="purpose-reaffirmed", steps=depth)
        assert focus_ids(pwp, "purpose-reaffirmed", depth=depth) == {n.id for n in part.nodes} | {
            r.id for r in part.rules
        }
    d = theory_map(pwp, focus="purpose-reaffirmed", depth=2, rules=True)
    ids = set(dot_nodes(d.source)) - {"cimo:legend"}
    assert {i for i in ids if not i.startswith("cimo:")} == focus_ids(
        pwp, "purpose-reaffirmed", depth=2
    )
    with pytest.raises(UnknownIdError, match="did you mean 'purpose-reaffirmed'"):
        theory_map(pwp, focus="purpose-reafirmed")
    with pytest.raises(UsageError):
        focus_ids(pwp, "purpose-reaffirmed", depth=-1)


def test_highlight_picks_out_a_result_and_greys_the_rest(pwp: cimo.Theory) -> None:
    result = SimpleNamespace(
        fired_rules=("individual-challenges",),
        blocked_rules=("core-individual",),
        mechanisms=("difficulty-managing-workload",),
        outcomes=("work-related-adversity",),
        contexts=("lack-of-experience",),
    )
    h = Highlight.of(result)
    assert h.rules == ("individual-challenges",) and h.blocked == ("core-individual",)
    d = theory_map(pwp, highlight=h, rules=True)
    nodes = dot_nodes(d.source)
    assert nodes["difficulty-managing-workload"]["penwidth"] == "2.5"
    assert nodes["individual-challenges"]["color"] == DEFAULT_STYLE.fired
    assert nodes["core-individual"]["color"] == DEFAULT_STYLE.blocked
    assert nodes["connecting-with-values"]["fontcolor"] == DEFAULT_STYLE.greyed
    edges = dot_edges(d.source)
    drawn = [(v, a) for _, v, a in edges if a.get("style") != "invis"]
    assert {a["color"] for v, a in drawn if v == "core-individual"} == {DEFAULT_STYLE.blocked}
    assert "blocked rule" in legend_words(d.source)


def test_rule_card_shows_if_then_because_with_status_and_evidence(pwp: cimo.Theory) -> None:
    card = rule_card(pwp, "burnout")
    label = dot_nodes(card.source)["burnout"]["label"]
    for word in ("IF", "UNLESS", "THEN", "BECAUSE", "hypothesised", "piece"):
        assert word in label
    assert "Poor or limited access" in label
    n = len(pwp.rule_index["burnout"].evidence)
    assert f"{n} piece{'s' if n != 1 else ''} of evidence" in label
    with pytest.raises(UnknownIdError):
        rule_card(pwp, "core-individul")


def test_rule_cards_join_rules_by_their_chains(wfg: cimo.Theory) -> None:
    d = rule_cards(wfg)
    drawn = {(u, v) for u, v, a in dot_edges(d.source) if a.get("style") != "invis"}
    assert drawn == {(c.upstream, c.downstream) for c in cimo.graph.chain_links(wfg)}
    assert d.nodes == len(wfg.rules)


def test_taxonomy_tree_is_the_six_mechanisms_with_themes_and_subthemes(
    wfg: cimo.Theory, pwp: cimo.Theory
) -> None:
    d = taxonomy_tree(wfg)
    assert d.nodes == 1 + 6 + 12 + 24
    edges = {(u, v) for u, v, _ in dot_edges(d.source)}
    assert ("managing-my-mood", "co-regulating") in edges
    assert ("regulate", "managing-my-mood") in edges
    # pwp has no taxonomy: categories -> mechanisms
    d = taxonomy_tree(pwp)
    assert ("cimo:category:systemic", "resource-demand-imbalance") in {
        (u, v) for u, v, _ in dot_edges(d.source)
    }


def test_engine_is_chosen_by_size() -> None:
    assert engine_for(100, 500) == "dot"
    assert engine_for(1_000, 10_000) == "sfdp"
    assert engine_for(200, 20_000) == "sfdp"


def test_views_never_change_the_theory(example: cimo.Theory) -> None:
    before = cimo.dumps(example)
    theory_map(example, rules=True)
    rule_cards(example)
    taxonomy_tree(example)
    assert cimo.dumps(example) == before


def test_saving_needs_a_known_suffix(wfg: cimo.Theory, tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="suffix"):
        theory_map(wfg).save(tmp_path / "x.jpeg")
    out = theory_map(wfg).save(tmp_path / "x.dot")
    assert out.read_text(encoding="utf-8") == theory_map(wfg).source


@pytest.mark.exe
def test_rendering_needs_only_the_graphviz_programs(monkeypatch: pytest.MonkeyPatch) -> None:
    # The backend runs `dot` as a subprocess: the graphviz Python package is not used.
    monkeypatch.setitem(sys.modules, "graphviz", None)
    monkeypatch.setitem(sys.modules, "graphviz.backend", None)
    assert run_graphviz("digraph { a -> b }", format="svg").lstrip().startswith(b"<?xml")


def test_missing_dot_says_how_to_install_graphviz(
    wfg: cimo.Theory, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(RenderError, match="apt-get install graphviz"):
        theory_map(wfg).render(format="svg")
    assert not (tmp_path / "x.svg").exists()
    with pytest.raises(RenderError):
        theory_map(wfg).save(tmp_path / "x.svg")
    assert list(tmp_path.iterdir()) == []
    assert os.environ["PATH"] == str(tmp_path)
    # in a notebook, a diagram without Graphviz says why instead of failing
    d = theory_map(wfg)
    assert d._repr_svg_() is None
    bundle = d._repr_mimebundle_()
    assert set(bundle) == {"text/plain"} and "apt-get install graphviz" in bundle["text/plain"]


# --------------------------------------------------------------------------- with dot


@pytest.mark.exe
@pytest.mark.parametrize("rules", [False, True])
def test_svg_holds_every_node_and_edge_with_labels_intact(
    example: cimo.Theory, rules: bool
) -> None:

    d = theory_map(example, rules=rules)
    svg = d.render(format="svg")
    nodes = svg_groups(svg, "node")
    for node in example.nodes:
        assert nodes[node.id] == _label_runs(node_words(node), node.source_label)
    edges = set(svg_groups(svg, "edge"))
    source = rule_graph(example) if rules else element_graph(example)
    # Issue 11: a rule's alternative mechanisms meet at an "or" junction ("?" when the
    # source does not say how they combine), so its mechanism -> outcome (map) or
    # rule -> mechanism (rule nodes) edges go through it.
    junctions = [
        r
        for r in example.rules
        if r.mechanism_mode in ("alternatives", "unstated") and len(r.mechanisms) > 1
    ]
    routed = set()
    for r in junctions:
        if rules:
            routed |= {f"{r.id}->{m}" for m in r.mechanisms}
            assert f"{r.id}->cimo:or:{r.id}" in edges
        else:
            routed |= {f"{m}->{o}" for m in r.mechanisms for o in (*r.outcomes, *r.reduces)}
            assert {f"{m}->cimo:or:{r.id}" for m in r.mechanisms} <= edges
        assert {f"cimo:or:{r.id}->{m}" for m in r.mechanisms} <= edges or not rules
    others = {f"{u}->{v}" for u, v in source.edges()} - edges
    assert others <= routed


def _label_runs(label: str, printed: str | None) -> list[str]:
    """The SVG text runs of a node label: the printed label in bold, then the wrapped wording."""
    from cimo.render.dot import printable, wrap

    if not printed:
        return [graphviz_spaces(x) for x in wrap(printable(label), DEFAULT_STYLE.wrap)]
    lines = wrap(printable(printed.replace(" ", "\u00a0") + " " + label), DEFAULT_STYLE.wrap)
    first, _, rest = lines[0].partition(" ")
    runs = [first.replace("\u00a0", " ")] + ([graphviz_spaces(" " + rest)] if rest else [])
    return (
        [graphviz_spaces(r) for r in runs[:1]] + runs[1:] + [graphviz_spaces(x) for x in lines[1:]]
    )


@pytest.mark.exe
def test_every_view_renders_in_every_format(example: cimo.Theory, tmp_path: Path) -> None:
    magic = {"svg": b"<?xml", "png": b"\x89PNG", "pdf": b"%PDF"}
    views = [
        theory_map(example),
        theory_map(example, rules=True, style=GREYSCALE_STYLE),
        rule_cards(example),
        rule_card(example, example.rules[0].id),
        taxonomy_tree(example),
    ]
    for d in views:
        for fmt, head in magic.items():
            path = d.save(tmp_path / f"{d.name}.{fmt}")
            assert path.read_bytes().startswith(head)


@pytest.mark.exe
def test_rule_card_svg_reads_as_a_configuration(wfg: cimo.Theory) -> None:
    texts = svg_groups(rule_card(wfg, "figure-4").svg(), "node")["figure-4"]
    assert texts[0] == "figure-4"  # "Figure 4" is where the rule comes from (its locator)
    example = svg_groups(rule_card(wfg, "table-2-example-1").svg(), "node")["table-2-example-1"]
    assert example[0] == "table-2-example-1: Example 1"  # the label Table 2 prints
    # issue 11: the printed label "6. RETAIN" comes first, in bold (its own text run)
    assert "BECAUSE (any of)" in texts and " Retain/Resume" in texts
    assert texts[texts.index(" Retain/Resume") - 1] == "6. RETAIN"
    assert texts.count("or") == len(wfg.rule_index["figure-4"].mechanisms) - 1


@pytest.mark.exe
def test_a_render_that_runs_too_long_is_stopped() -> None:
    edges = " ".join(f"n{i} -> n{(i * 7919) % 3000};" for i in range(3000))
    with pytest.raises(RenderError, match=r"longer than 0\.01 s"):
        run_graphviz(f"digraph {{ {edges} }}", format="svg", timeout=0.01)


@pytest.mark.exe
def test_diagrams_show_inline_in_notebooks(wfg: cimo.Theory) -> None:
    d = taxonomy_tree(wfg)
    svg = d._repr_svg_()
    assert svg is not None and svg.lstrip().startswith("<?xml")
    bundle = d._repr_mimebundle_()
    assert set(bundle) == {"text/html", "image/svg+xml", "text/plain"}
    # the HTML is the same SVG, inline, shrinking to the output cell (issue 16)
    assert bundle["text/html"].startswith('<div class="cimo-diagram"><svg role="img"')
    assert 'style="max-width:100%;height:auto"' in bundle["text/html"]
    assert bundle["text/html"].count("<svg") == 1 and "<?xml" not in bundle["text/html"]
    assert (
        bundle["text/plain"]
        == str(d)
        == (
            "taxonomy of Mechanisms of change in Work-focused Relational Group CBT: "
            "43 nodes, 42 edges (dot)"
        )
    )
    assert set(d._repr_mimebundle_(include={"text/plain"})) == {"text/plain"}


@pytest.mark.exe
def test_gallery_script_renders_every_view_of_every_example(tmp_path: Path) -> None:
    import importlib.util

    script = Path(__file__).resolve().parent.parent / "docs" / "gallery" / "build.py"
    spec = importlib.util.spec_from_file_location("gallery_build", script)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    written = module.build(tmp_path)
    names = {p.name for p in written}
    assert names == {f"{e.name}-{view}.svg" for e in cimo.list_examples() for view in module.VIEWS}
    index = (tmp_path / "index.md").read_text(encoding="utf-8")
    assert all(f"]({name})" in index for name in names)
    for path in written:
        assert svg_groups(path.read_bytes(), "node")


def test_ids_of_legend_and_lanes_cannot_clash_with_the_theory() -> None:
    theory = cimo.Theory(
        id="t",
        title="t",
        nodes=(cimo.Context(id="legend", label="A context called legend"),),
    )
    d = theory_map(theory)
    nodes = dot_nodes(d.source)
    assert nodes["legend"]["label"] == "A context called legend"
    assert "Legend" in d.source and "Context" in legend_words(d.source)
