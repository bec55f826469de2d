"""The pure DOT builder: quoting, escaping, wrapping; and DOT that Graphviz always accepts."""

from __future__ import annotations

import pytest
from _svg import dot_nodes, graphviz_spaces, svg_groups
from hypothesis import given, settings
from hypothesis import strategies as st

import cimo
from cimo.render import mermaid, rule_cards, taxonomy_tree, theory_map
from cimo.render.backend import run_graphviz
from cimo.render.dot import DotGraph, Html, html_text, printable, quote, wrap
from cimo.render.style import DEFAULT_STYLE
from cimo.strategies import labels, theories

# Characters that break DOT writers, or that Graphviz reads specially.
_AWKWARD = '\\NGETHLlnr"<>&;#{}[]|: \n\t\r\x00\xa0日ب😀'
NASTY = 'He said "no": C:\\temp\\x {a|b} <b>&amp; & \\n \\" 日本語 مرحبا Ελληνικά 😀'


def test_quote_escapes_only_backslash_and_quote() -> None:
    assert quote('a"b') == '"a\\"b"'
    assert quote("a\\b") == '"a\\\\b"'
    assert quote("x:y {z} <w>") == '"x:y {z} <w>"'


def test_html_text_escapes_markup_and_keeps_everything_else() -> None:
    assert html_text('<B>"x" & y</B>') == "&lt;B&gt;&quot;x&quot; &amp; y&lt;/B&gt;"
    assert html_text("a\nb") == "a<BR/>b"
    assert html_text("C:\\temp {x} : ;") == "C:\\\\temp {x} : ;"


def test_printable_shows_what_xml_cannot_hold() -> None:
    assert printable("a\x00b\x1fc\tq\nz\ufffe") == "a\u2400b\u241fc q\nz\ufffd"


def test_wrap_breaks_at_spaces_within_the_width() -> None:
    assert wrap("Employees off sick with depression", 12) == (
        "Employees",
        "off sick",
        "with",
        "depression",
    )
    assert wrap("supercalifragilistic word", 5) == ("supercalifragilistic", "word")
    assert wrap("", 10) == ("",)


@given(st.text(alphabet=st.characters(blacklist_characters="\n\r")), st.integers(1, 40))
def test_wrap_loses_nothing(text: str, width: int) -> None:
    lines = wrap(text, width)
    assert " ".join(lines) == text
    # a line is only over the width when it holds a single word
    assert all(len(line) <= width or " " not in line.strip(" ") for line in lines)


def test_graph_builder_counts_nodes_and_edges() -> None:
    g = DotGraph("g", graph={"rankdir": "LR"})
    g.node("a", label=Html("x"))
    g.aside("legend", label="key")
    g.edge("a", "b", style="dashed")
    g.order("a", "legend")
    assert (g.nodes, g.edges) == (1, 1)
    src = g.source()
    assert src.startswith('digraph "g" {\n  graph [rankdir="LR"]\n')
    assert '"a" -> "legend" [style="invis"]' in src
    assert src.rstrip().endswith("}")


@pytest.mark.exe
def test_nasty_labels_survive_dot_exactly() -> None:
    g = DotGraph('odd "name": {x}')
    g.node('id "with": quotes', label=Html(html_text(NASTY)), tooltip=NASTY)
    g.node("plain", label=NASTY.replace("\\", "\\\\").replace('"', '\\"'))
    svg = run_graphviz(g.source(), format="svg")
    nodes = svg_groups(svg, "node")
    assert nodes['id "with": quotes'] == [graphviz_spaces(NASTY)]


def _expected_lines(label: str) -> list[str]:
    lines = wrap(printable(label), DEFAULT_STYLE.wrap)
    return [graphviz_spaces(line) for line in lines if line.strip(" ")]


@pytest.mark.exe
@settings(max_examples=40, deadline=None)
@given(theories(max_nodes=8, max_rules=5))
def test_no_generated_theory_breaks_dot_and_labels_round_trip(theory: cimo.Theory) -> None:
    diagram = theory_map(theory, rules=True)
    svg = diagram.render(format="svg")  # raises RenderError if dot rejects the DOT text
    nodes = svg_groups(svg, "node")
    for node in theory.nodes:
        assert node.id in nodes, node.id
        got = [t for t in nodes[node.id] if t.strip(" \xa0")]
        assert got == _expected_lines(node.label), (node.label, got)
    for rule in theory.rules:
        assert rule.id in nodes
    cards = svg_groups(rule_cards(theory).render(format="svg"), "node")
    assert {r.id for r in theory.rules} <= set(cards)
    tree = svg_groups(taxonomy_tree(theory).render(format="svg"), "node")
    assert {m.id for m in theory.mechanisms if theory.taxonomy is None} <= set(tree)
    assert mermaid(theory).startswith("flowchart LR\n")


@pytest.mark.exe
@settings(max_examples=25, deadline=None)
@given(labels(max_size=80) | st.text(_AWKWARD, min_size=1, max_size=60).map(lambda t: f"x{t}"))
def test_any_label_round_trips_through_svg(label: str) -> None:
    theory = cimo.Theory(
        id="t",
        title=label,
        nodes=(cimo.Context(id="c", label=label), cimo.Mechanism(id="m", label=label)),
    )
    svg = theory_map(theory).render(format="svg")
    nodes = svg_groups(svg, "node")
    for ident in ("c", "m"):
        assert [t for t in nodes[ident] if t.strip(" \xa0")] == _expected_lines(label)


def test_dot_text_of_a_map_names_every_node_once(example: cimo.Theory) -> None:
    nodes = dot_nodes(theory_map(example).source)
    assert {n.id for n in example.nodes} <= set(nodes)


@pytest.mark.exe
@pytest.mark.parametrize(
    "label",
    [
        " leading",
        "trailing ",
        "a  b   c",
        "tab\there",
        "a\n\nb",
        "x\r\ny",
        "\x00\x07",
        "&amp;",
        "\\N \\G",
    ],
)
def test_awkward_labels_round_trip_through_svg(label: str) -> None:
    test_any_label_round_trips_through_svg.hypothesis.inner_test(label)


@pytest.mark.exe
@settings(max_examples=25, deadline=None)
@given(st.text(_AWKWARD + "&amp;#9", max_size=40))
def test_descriptions_round_trip_through_svg_tooltips(description: str) -> None:
    from lxml import etree

    theory = cimo.Theory(
        id="t", title="t", nodes=(cimo.Context(id="c", label="c", description=description),)
    )
    svg = theory_map(theory, legend=False).render(format="svg")
    titles = [
        a.get("{http://www.w3.org/1999/xlink}title")
        for a in etree.fromstring(svg).iter("{http://www.w3.org/2000/svg}a")
    ]
    want = graphviz_spaces(printable(f"c: {description}" if description else "c"))
    assert titles == [want]


def test_explicit_links_keep_the_chain_colour_when_nothing_is_highlighted() -> None:
    import cimo
    from cimo.render import DEFAULT_STYLE, theory_map

    theory = cimo.load_example("doctors-mental-health")
    link = theory.links[0]
    source = theory_map(theory).source
    edge = next(
        line for line in source.splitlines() if f'"{link.outcome}" -> "{link.context}"' in line
    )
    assert f'color="{DEFAULT_STYLE.chain}"' in edge
    assert DEFAULT_STYLE.greyed not in edge
