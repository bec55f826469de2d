"""Issue 11: every part of a 2.0 theory is printed (statements, tables) and drawn (map, Mermaid).

The expectations are written by hand from ``tests/data/printing-2.0.yaml``.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import lxml.html
import pytest
from _svg import SVG, dot_edges, dot_nodes, legend_words, svg_groups
from _svg import legend as legend_nodes
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree
from typer.testing import CliRunner

import cimo
from cimo.cli import app
from cimo.render import (
    DEFAULT_STYLE,
    cmo_table,
    mermaid,
    rule_card,
    rule_cards,
    statement,
    statements,
    theory_map,
)
from cimo.render._words import Item, join

DATA = Path(__file__).parent / "data" / "printing-2.0.yaml"


@pytest.fixture(scope="module")
def theory() -> cimo.Theory:
    return cimo.load(DATA)


# --------------------------------------------------------------------------- statements


def test_a_statement_prints_every_part_of_a_configuration(theory: cimo.Theory) -> None:
    assert statement(theory, "R1") == (
        "[refuted] FOR GPs, WITHIN (C0) Rural practices: "
        "IF (inferred) (C1) “Lean training, Toyota style”, "
        "(C2) “A local champion; named by the board” and "
        "((C3) Protected time or Chronic understaffing), "
        "UNLESS Stigma about asking for help, WITH (I1) Daily huddles, "
        "MODERATED BY Practice size, DESPITE Chronic understaffing, "
        "THEN (O1) Safer care, leading to (O2) Staff retention, "
        "BECAUSE (M1) Ownership or (M2) Vicarious learning (if (C5) Trust in managers) "
        "→ (O2) Staff retention, "
        "OTHERWISE (O4) Workarounds…"
    )


def test_context_is_any_circumstances_only_when_stated(theory: cimo.Theory) -> None:
    assert statement(theory, "R2") == (
        "[hypothesised] IF in any circumstances, WITH (I1) Daily huddles, "
        "THEN Burnout (inferred), "
        "BECAUSE (M1) Ownership and (M2) Vicarious learning (combination unstated)."
    )
    assert statement(theory, "R3") == (
        "[supported] IF (context missing in the source), THEN LESS Burnout (inferred), "
        "BECAUSE (M3) trusted relationships (absent)."
    )
    assert statement(theory, "R4").startswith("[hypothesised] IF (context not stated), WITH ")


def test_as_printed_uses_segments_then_statement_then_structure(theory: cimo.Theory) -> None:
    s = statements(theory, as_printed=True)
    assert [i.form for i in s.items] == ["segments", "statement", "structured", "structured"]
    assert s.items[0].text == (
        "[refuted] Where GPs had Lean training, Toyota style, huddles led to safer care."
    )
    assert s.items[1].text == "[hypothesised] Huddles help, whatever the setting."
    assert s.items[2].text == statement(theory, "R3")
    lines = str(s).splitlines()
    assert lines[0].startswith("1. R1 (CMOc5), as printed: [refuted] Where GPs")
    assert lines[1].startswith("2. R2, its statement text: ")
    assert lines[2].startswith("3. R3, structured: no printed form recorded: [supported] IF")
    assert statement(theory, "R2", as_printed=True) == s.items[1].text
    assert [i.status for i in s.items] == [r.status for r in theory.rules]


def test_statements_command_prints_as_printed(theory: cimo.Theory) -> None:
    result = CliRunner().invoke(app, ["statements", str(DATA), "--as-printed"])
    assert result.exit_code == 0, result.output
    assert "1. R1 (CMOc5), as printed: [refuted] Where GPs had Lean training" in result.output
    plain = CliRunner().invoke(app, ["statements", str(DATA)])
    assert "1. R1 (CMOc5): [refuted] FOR GPs, WITHIN (C0) Rural practices: IF" in plain.output


def test_labels_keep_their_case_and_punctuation_never_doubles() -> None:
    theory = cimo.Theory(
        id="t",
        title="t",
        nodes=(
            cimo.Context(id="lean", label="Lean, as taught by Toyota."),
            cimo.Context(id="nhs", label="NHS England; the Trust"),
            cimo.Intervention(id="six", label="Six Sigma training..."),
            cimo.Mechanism(id="m", label="Trust in McKinsey and Deming."),
            cimo.Outcome(id="o", label="iPhone use."),
        ),
        rules=(cimo.Rule(id="R", contexts=("lean", "nhs"), interventions=("six",),
                         mechanisms=("m",), outcomes=("o",)),),
    )  # fmt: skip
    text = statement(theory, "R")
    assert text == (
        "[hypothesised] IF “Lean, as taught by Toyota” and “NHS England; the Trust”, "
        "WITH Six Sigma training…, THEN iPhone use, BECAUSE Trust in McKinsey and Deming."
    )
    assert ".," not in text and ".." not in text and ";," not in text


# The list rule: with two or more items, if any wording holds a comma, a semicolon or the
# joining word, every item is quoted, so splitting at the quotes gives the labels back.
_WORDING = st.lists(
    st.sampled_from([*"abc ,;", " and ", " or ", "Lean", "Toyota"]), min_size=1, max_size=6
).map("".join)


@given(st.lists(_WORDING, min_size=2, max_size=5), st.sampled_from(["and", "or"]))
def test_a_list_of_labels_reads_back_unambiguously(labels: list[str], word: str) -> None:
    text = join([Item(x) for x in labels], word)
    risky = any("," in x or ";" in x or re.search(rf"(?<!\w){word}(?!\w)", x) for x in labels)
    if risky:
        assert re.findall(r"“(.*?)”", text) == labels
        assert text.endswith("”") and text.startswith("“")
    else:
        assert text == ", ".join(labels[:-1]) + f" {word} " + labels[-1]
        assert len(re.split(rf", | {word} ", text)) == len(labels)


# --------------------------------------------------------------------------- tables


def _rows(theory: cimo.Theory) -> dict[str, dict[str, str]]:
    rows = csv.DictReader(io.StringIO(cmo_table(theory, format="csv")))
    return {r["Rule"]: r for r in rows}


def test_table_cells_show_every_part(theory: cimo.Theory) -> None:
    rows = _rows(theory)
    r1 = rows["R1"]
    assert r1["Theme"] == "Theme 2: Lean in primary care (inferred)"
    assert (r1["No."], r1["Rule"]) == ("CMOc5", "R1")  # issue 16: as printed, and the id
    assert (r1["Programme theory"], r1["Actor"], r1["Status"]) == ("UK case", "GPs", "refuted")
    assert "; ((C3) Protected time or Chronic understaffing); " in r1["Context"]
    assert "(C1) Lean training, Toyota style (inferred)" in r1["Context"]
    for words in (
        "within: (C0) Rural practices",
        "moderated by: Practice size",
        "despite: Chronic understaffing",
        "unless: Stigma about asking for help",
    ):
        assert words in r1["Context"]  # fmt: skip
    # issue 16: a mechanism stating its resource gives resource and response a column each
    assert r1["Mechanism resource"] == "(M1) Ownership: Time to meet"
    assert r1["Mechanism response"] == (
        "(M1) Ownership; Staff feel heard; behaviour: Staff raise problems; "
        "OR (M2) Vicarious learning (if (C5) Trust in managers) → (O2) Staff retention"
    )
    assert r1["Outcome"] == (
        "(O1) Safer care (desired), leading to (O2) Staff retention; "
        "measured by: incident reports and audit scores; otherwise: (O4) Workarounds..."
    )
    r2, r3 = rows["R2"], rows["R3"]
    assert r2["Context"] == "in any circumstances"
    assert r2["Mechanism response"].endswith("(M2) Vicarious learning; (combination unstated)")
    assert r2["Outcome"] == "Burnout (inferred) (mixed, inferred)"
    assert r3["Context"] == "(context missing in the source)"
    assert r3["Mechanism resource"] == ""
    assert r3["Mechanism response"] == "(M3) trusted relationships (absent); polarity: negative"
    assert r3["Outcome"] == "reduces: Burnout (inferred) (mixed, inferred)"


def test_markdown_and_html_tables_head_themes_with_their_recommendation(
    theory: cimo.Theory,
) -> None:
    md = cmo_table(theory, format="md")
    assert "### Theme 2: Lean in primary care (inferred)" in md
    assert "Recommendation: Train managers in Lean, Six Sigma; then audit." in md
    header = next(line for line in md.splitlines() if line.startswith("| No."))
    assert header == (
        "| No. | Rule | Programme theory | Actor | Context | Intervention "
        "| Mechanism resource | Mechanism response | Outcome | Notes | Status |"  # no evidence
    )
    root = lxml.html.fromstring(cmo_table(theory, format="html"))
    theme = root.find(".//tr[@class='theme']/th")
    assert theme is not None and theme.text == "Theme 2: Lean in primary care (inferred)"
    advice = theme.find("span[@class='recommendation']")
    assert advice is not None and "Six Sigma" in (advice.text or "")
    latex = cmo_table(theory, format="latex")
    assert r"Recommendation: Train managers in Lean, Six Sigma; then audit." in latex
    assert latex.count(" & ") >= 9


def test_optional_columns_appear_only_when_used(pwp: cimo.Theory) -> None:
    header = cmo_table(pwp, format="csv").splitlines()[0]
    assert "Actor" not in header and "Programme theory" not in header
    assert "Notes" not in header  # no rule of pwp has an annotation


# --------------------------------------------------------------------------- annotations

_TENSION = "Tension: Speaking up vs keeping one's post (walker-2022, Table 2, row 3)"
_COUNTER = "Counter-strategy against R1 (CMOc5): Peer mentors outside the practice"
_FORMAL = "Formal theory: Psychological safety (Edmondson 1999)"
_THEME = (
    "Recommendation: Train managers in Lean, Six Sigma; then audit.",
    "Facilitator: A practice manager who guards the huddle time",
)


def test_statements_print_each_annotation_under_its_rule(theory: cimo.Theory) -> None:
    for as_printed in (False, True):
        s = statements(theory, as_printed=as_printed)
        assert [i.notes for i in s.items] == [(), (), (_TENSION,), (_COUNTER, _FORMAL)]
        lines = str(s).splitlines()
        r3 = next(k for k, line in enumerate(lines) if line.startswith("3. R3"))
        assert lines[r3 + 1] == f"   {_TENSION}"
        assert lines[-2:] == [f"   {_COUNTER}", f"   {_FORMAL}"]
        md = s._repr_markdown_().splitlines()
        assert md[-2:] == [f"   - {_COUNTER}", f"   - {_FORMAL}"]
    cli = CliRunner().invoke(app, ["statements", str(DATA)])
    assert cli.exit_code == 0 and f"\n   {_TENSION}\n4. R4" in cli.output
    as_json = CliRunner().invoke(app, ["statements", str(DATA), "--format", "json"])
    assert json.loads(as_json.output)["items"][3]["notes"] == [_COUNTER, _FORMAL]


def test_a_theory_in_a_notebook_shows_annotations_under_statements(
    theory: cimo.Theory,
) -> None:
    from cimo.render.notebook import theory_markdown

    lines = theory_markdown(theory).splitlines()
    r3 = next(k for k, line in enumerate(lines) if line.startswith("3. \\[supported\\]"))
    assert lines[r3 + 1].startswith("   - Tension: Speaking up vs keeping one")


def test_tables_print_annotations_in_a_notes_column(theory: cimo.Theory) -> None:
    rows = _rows(theory)
    assert [rows[r]["Notes"] for r in ("R1", "R2", "R3", "R4")] == [
        "",
        "",
        _TENSION,
        f"{_COUNTER}; {_FORMAL}",
    ]
    md = cmo_table(theory, format="md")
    assert f"\n\n{_THEME[0]}\n\n{_THEME[1]}\n\n| No." in md  # under the theme's heading
    r4 = next(line for line in md.splitlines() if line.startswith("|  | R4 |"))
    assert f"| {_COUNTER}<br>{_FORMAL} |" in r4
    root = lxml.html.fromstring(cmo_table(theory, format="html"))
    notes = [td.text_content() for td in root.iterfind(".//td[@class='notes']")]
    assert notes == ["", "", _TENSION, _COUNTER + _FORMAL]
    spans = root.findall(".//tr[@class='theme']/th/span[@class='recommendation']")
    assert [x.text for x in spans] == list(_THEME)
    latex = cmo_table(theory, format="latex")
    assert r"\newline Facilitator: A practice manager who guards the huddle time}" in latex
    assert (
        r"Counter-strategy against R1 (CMOc5): Peer mentors outside the practice\newline" in latex
    )


def test_word_table_prints_annotations(theory: cimo.Theory) -> None:
    import docx

    from cimo.render.word import cmo_table_docx

    (table,) = docx.Document(io.BytesIO(cmo_table_docx(theory))).tables
    cells = [[c.text for c in row.cells] for row in table.rows]
    column, rule = cells[0].index("Notes"), cells[0].index("Rule")
    assert cells[1][0] == "\n".join(("Theme 2: Lean in primary care (inferred)", *_THEME))
    notes = {row[rule]: row[column] for row in cells[1:] if row[rule] != row[column]}
    assert notes == {"R1": "", "R2": "", "R3": _TENSION, "R4": f"{_COUNTER}\n{_FORMAL}"}


def test_configuration_rows_have_a_notes_column_when_a_rule_has_annotations(
    theory: cimo.Theory, pwp: cimo.Theory
) -> None:
    from cimo.render.rows import configuration_rows

    source = configuration_rows(theory).source
    words = " ".join(re.sub(r"<[^>]+>", " ", source).split())
    assert "<B>Notes</B>" in source and _TENSION in words and f"{_COUNTER} {_FORMAL}" in words
    stacked = configuration_rows(theory, stacked=True, rules={"R3"}).source
    assert "<B>Notes</B>" in stacked
    assert "<B>Notes</B>" not in configuration_rows(theory, rules={"R1", "R2"}).source
    assert "<B>Notes</B>" not in configuration_rows(pwp).source


def test_rule_cards_print_one_row_per_annotation(theory: cimo.Theory) -> None:
    r4 = dot_nodes(rule_card(theory, "R4").source)["R4"]["label"]
    counter, formal = r4.index("<B>COUNTER-STRATEGY</B>"), r4.index("<B>FORMAL THEORY</B>")
    assert r4.index("<B>BECAUSE</B>") < counter < r4.index("against R1 (CMOc5): Peer") < formal
    assert "Psychological safety (Edmondson" in r4[formal:]
    r3 = dot_nodes(rule_card(theory, "R3").source)["R3"]["label"]
    assert "<B>TENSION</B>" in r3 and "walker-2022, Table 2, row 3" in r3
    r1 = dot_nodes(rule_card(theory, "R1").source)["R1"]["label"]
    assert "TENSION" not in r1 and "COUNTER" not in r1


# --------------------------------------------------------------------------- pictures


def test_map_draws_status_junctions_labels_and_relations(theory: cimo.Theory) -> None:
    d = theory_map(theory, rules=True)
    nodes = dot_nodes(d.source)
    assert nodes["R1"]["label"].startswith("<S>") and nodes["R1"]["color"] == "#9e9e9e"
    assert "for GPs" in nodes["R1"]["label"]
    assert "dashed" in nodes["R2"]["style"] and "dashed" not in nodes["R3"]["style"]
    assert nodes["cimo:or:R1"]["label"] == "or" and nodes["cimo:or:R2"]["label"] == "?"
    assert nodes["lean-trained"]["label"].startswith("<B>C1</B> Lean training")
    assert nodes["workarounds"]["label"].endswith("Workarounds...")
    # inferred wording and guessed category: dashed grey borders
    assert "dashed" in nodes["burnout"]["style"] and nodes["burnout"]["color"] == "#9e9e9e"
    assert "dashed" in nodes["ownership"]["style"]
    edges = {(u, v): a for u, v, a in dot_edges(d.source)}
    feeds = edges[("retention", "trust-c")]
    assert feeds["style"] == "dashed" and feeds["color"] == DEFAULT_STYLE.inferred
    assert ("R1", "cimo:file:other.yaml#R3") in edges
    assert edges[("ownership", "learning")]["label"] == "rival of"
    assert ("R1", "cimo:or:R1") in edges and ("cimo:or:R1", "ownership") in edges
    assert ("R1", "ownership") not in edges
    legend = legend_words(d.source)
    for words in (
        "OR: any one",
        "does not say how",
        "hypothesised rule: dashed",
        "refuted rule: grey",
        "inferred by the encoder",
        "rival of",
        "corresponds to",
        "MODERATED BY / DESPITE",
        "OTHERWISE",
        "Mechanism: work-focused (inferred)",
    ):
        assert words in legend, words  # fmt: skip
    for absent in ("chain:", "link:", "counterpart", "supersedes", "picked out", "(double)"):
        assert absent not in legend, absent
    shapes = sorted(
        (a["shape"], a["style"]) for a in legend_nodes(d.source).values() if "style" in a
    )
    # context, intervention, two mechanisms (work-focused, uncategorised), outcome, rule
    assert shapes == sorted(
        [
            ("box", "filled"),
            ("box", "filled,rounded"),
            ("ellipse", "filled"),
            ("ellipse", "filled"),
            ("box", "filled,bold"),
            ("box", "filled,rounded"),
        ]
    )


def test_map_without_rule_nodes_joins_alternatives_at_a_junction(theory: cimo.Theory) -> None:
    edges = {(u, v): a for u, v, a in dot_edges(theory_map(theory).source)}
    assert {("ownership", "cimo:or:R1"), ("learning", "cimo:or:R1")} <= set(edges)
    assert {("cimo:or:R1", "safety"), ("cimo:or:R1", "retention")} <= set(edges)
    assert ("learning", "safety") not in edges  # only R1 draws it: through the junction
    # an edge only the refuted R1 draws is grey; one only hypothesised rules draw is dashed
    assert edges[("lean-trained", "ownership")]["color"] == DEFAULT_STYLE.refuted
    assert edges[("huddles", "ownership")]["style"] == "dashed"
    assert edges[("trust", "burnout")].get("color") == DEFAULT_STYLE.reduces  # R3 supported


@pytest.mark.exe
def test_svg_shows_printed_labels_and_status_strokes(theory: cimo.Theory) -> None:
    svg = theory_map(theory, rules=True).svg()
    nodes = svg_groups(svg, "node")
    assert nodes["lean-trained"][:2] == ["C1", " Lean training, Toyota"]
    assert nodes["cimo:or:R1"] == ["or"]
    root = etree.fromstring(svg.encode())

    def stroke(title: str) -> tuple[str | None, str | None]:
        for g in root.iter(f"{SVG}g"):
            t = g.find(f"{SVG}title")
            if g.get("class") == "node" and t is not None and t.text == title:
                shape = next(e for e in g.iter() if e.tag in (f"{SVG}path", f"{SVG}polygon"))
                return shape.get("stroke"), shape.get("stroke-dasharray")
        raise AssertionError(title)

    assert stroke("R2")[1] is not None  # hypothesised: dashed
    assert stroke("R3")[1] is None  # supported: solid
    assert stroke("R1")[0] == DEFAULT_STYLE.refuted
    texts = [t.text or "" for t in root.iter(f"{SVG}text")]
    assert "rival of" in texts and "other.yaml#R3" in texts


def test_rule_cards_print_every_slot_and_status(theory: cimo.Theory) -> None:
    label = dot_nodes(rule_card(theory, "R1").source)["R1"]["label"]
    for words in (
        "WITHIN",
        "ONE OF",
        "MODERATED BY",
        "DESPITE",
        "OTHERWISE",
        "BECAUSE (any of)",
        "<B>C1</B>",
        "for GPs",
        "Lean in primary care",
        "(if C5) → O2",
        "O1 leading to O2",
        "(inferred)",
        "<S>",
    ):
        assert words in label, words  # fmt: skip
    assert not label.startswith('<TABLE STYLE="dashed"')  # refuted: grey, not dashed
    r2 = dot_nodes(rule_card(theory, "R2").source)["R2"]["label"]
    assert r2.startswith('<TABLE STYLE="dashed"') and "BECAUSE (combination unstated)" in r2
    assert "in any circumstances" in r2
    r3 = dot_nodes(rule_card(theory, "R3").source)["R3"]["label"]
    assert "(context missing in the source)" in r3 and "missing in the source: context" in r3
    legend = dot_nodes(rule_cards(theory).source)["cimo:legend"]["label"]
    assert "refuted rule" in legend and "UNLESS" not in legend and "chain" not in legend


def test_blocked_cards_are_dashed_and_unreached_cards_grey(pwp: cimo.Theory) -> None:
    h = cimo.render.Highlight(rules=("individual-challenges",), blocked=("burnout",))
    nodes = dot_nodes(rule_cards(pwp, highlight=h).source)
    assert nodes["burnout"]["label"].startswith('<TABLE STYLE="dashed"')
    assert DEFAULT_STYLE.blocked in nodes["burnout"]["label"]
    assert f'<FONT COLOR="{DEFAULT_STYLE.greyed}">' in nodes["self-care"]["label"]
    assert "blocked rule: dashed red border" in nodes["cimo:legend"]["label"]


def test_mermaid_shows_labels_junctions_status_and_relations(theory: cimo.Theory) -> None:
    text = mermaid(theory)
    lines = text.splitlines()
    short = {n.id: f"n{i}" for i, n in enumerate(theory.nodes)}
    assert f'    {short["lean-trained"]}["(C1) Lean training, Toyota style"]' in lines
    assert '  j0(("or"))' in lines and '  j1(("?"))' in lines
    assert f"  {short['retention']} -->|feeds| {short['trust-c']}" in lines
    edges = [line for line in lines if re.match(r"  (n\d+|j\d+|a\w+) (-|=|\.)", line)]
    styles = {m.group(2): m.group(1) for m in re.finditer(r"linkStyle ([\d,]+) (.*)", text)}
    grey = {int(i) for i in styles[f"stroke:{DEFAULT_STYLE.refuted}"].split(",")}
    dashed = {int(i) for i in styles["stroke-dasharray:5 4"].split(",")}
    assert edges.index(f"  {short['lean-trained']} --> {short['ownership']}") in grey
    assert edges.index(f"  {short['huddles']} --> {short['ownership']}") in dashed
    # the inferred relation, and the legend's sample of that look
    inferred = styles[f"stroke:{DEFAULT_STYLE.inferred},stroke-dasharray:5 4"].split(",")
    assert edges.index(f"  {short['retention']} -->|feeds| {short['trust-c']}") == int(inferred[0])
    assert len(inferred) == 2 and int(inferred[1]) >= len(edges)


def test_mermaid_draws_any_of_groups_requires_and_inferred_elements(theory: cimo.Theory) -> None:
    # Issue 16: R1's if_any [time, staffing] meets at an "or" junction that leads into
    # both its mechanisms; learning requires trust-c; ownership's category and
    # burnout's wording are inferred (dashed grey border, and a legend entry).
    lines = mermaid(theory).splitlines()
    short = {n.id: f"n{i}" for i, n in enumerate(theory.nodes)}
    junction = next(m.group(1) for x in lines if (m := re.fullmatch(r'  (a\w+)\(\("or"\)\)', x)))
    assert {f"  {short['time']} --- {junction}", f"  {short['staffing']} --- {junction}"} <= {
        *lines
    }
    assert {f"  {junction} --> {short['ownership']}", f"  {junction} --> {short['learning']}"} <= {
        *lines
    }
    assert f"  {short['trust-c']} -.->|requires| {short['learning']}" in lines
    inferred = next(x for x in lines if x.startswith("  class ") and x.endswith(" inferred"))
    assert set(inferred.split()[1].split(",")) == {
        short["ownership"],
        short["burnout"],
        "legend_inferred",
    }
    assert any("requires: a condition of one mechanism" in x for x in lines)
    plain = cimo.loads(
        'format_version: "2.0"\nid: t\ntitle: T\nnodes:\n'
        "  - {id: c, kind: context, label: C}\n  - {id: m, kind: mechanism, label: M}\n"
        "  - {id: o, kind: outcome, label: O}\n"
        "rules:\n  - {id: R1, if: [c], because: [m], then: [o]}\n"
    )
    text = mermaid(plain)  # the legend lists only what is drawn
    assert "inferred" not in text and "requires" not in text and '(("or"))' not in text


def test_a_printed_label_that_repeats_the_label_is_not_printed_again() -> None:
    t = cimo.loads(
        'format_version: "2.0"\nid: t\ntitle: T\nnodes:\n'
        "  - {id: c, kind: context, label: Night shifts, source_label: C1}\n"
        "  - {id: m, kind: mechanism, label: Setting limits, source_label: M1}\n"
        "  - {id: o, kind: outcome, label: Developing  boundaries,"
        " source_label: developing boundaries}\n"
        "rules:\n  - {id: R1, if: [c], because: [m], then: [o]}\n"
    )
    text = statement(t, "R1")
    assert "(C1) Night shifts" in text and "(M1) Setting limits" in text
    assert "(developing boundaries)" not in text and "Developing  boundaries" in text
    assert "developing boundaries" not in theory_map(t).source
    assert "developing boundaries" not in mermaid(t)
