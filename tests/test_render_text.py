"""Text outputs: statements, CMO tables in four formats, Mermaid, the notebook summary."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

import cimo
from cimo._util import csv_unprotect
from cimo.errors import UnknownIdError, UsageError
from cimo.render import cmo_table, mermaid, mermaid_rules, statement, statements
from cimo.render.notebook import theory_markdown
from cimo.render.text import latex_escape
from cimo.strategies import theories


def test_statement_words_in_interventions_and_unless(pwp: cimo.Theory, wfg: cimo.Theory) -> None:
    # hand-written from rule core-individual of pwp-resilience.yaml
    assert statement(pwp, "core-individual") == (
        "IF experiencing work-related adversity, "
        "UNLESS a service focus on achieving national targets, "
        "THEN implementing individual coping strategies (self-care and wellbeing), "
        "developing work-related boundaries and using systemic and relational strategies "
        "(supervision and peer support), "
        "BECAUSE connecting with their own values and appraising adversity in relation to "
        "their values."
    )
    # table-2-example-1 of the work-focused group CBT theory (seed 000, Table 2)
    assert statement(wfg, "table-2-example-1") == (
        "IF group psychotherapy, "
        "WITH skilful facilitation of peer interaction with a structured-directive leadership "
        "style, THEN increase in self-reported self-efficacy, "
        "AND LESS self-reported interpersonal problems, "
        "BECAUSE becoming their own therapist."
    )


def test_statement_says_what_the_source_left_unstated(wfg: cimo.Theory) -> None:
    assert statement(wfg, "work-supports-recovery").endswith("BECAUSE (no mechanism stated).")
    with pytest.raises(UnknownIdError, match="did you mean 'figure-4'"):
        statement(wfg, "figure4")


def test_statements_cover_every_rule_in_order(example: cimo.Theory) -> None:
    s = statements(example)
    assert [i.rule for i in s.items] == [r.id for r in example.rules]
    text = str(s)
    assert text.splitlines()[0].startswith(f"1. {example.rules[0].id}")
    assert s.model_validate_json(s.model_dump_json()) == s
    assert s._repr_markdown_().startswith(f"**{example.title}**")


def test_csv_table_has_one_numbered_row_per_rule_with_theme(example: cimo.Theory) -> None:
    rows = list(csv.DictReader(io.StringIO(cmo_table(example, format="csv"))))
    assert [r["No."] for r in rows] == [str(i) for i in range(1, len(example.rules) + 1)]
    by_id = {r["Rule"].split("; ")[0]: r for r in rows}
    assert set(by_id) == {r.id for r in example.rules}
    for rule in example.rules:
        row = by_id[rule.id]
        assert row["Theme"] == (rule.theme or "Other configurations")
        assert row["Evidence"] == str(len(rule.evidence))
        if rule.source_label and rule.source_label != rule.id:
            assert row["Rule"] == f"{rule.id}; {rule.source_label}"


def test_csv_groups_rules_by_theme(pwp: cimo.Theory) -> None:
    rows = list(csv.DictReader(io.StringIO(cmo_table(pwp, format="csv"))))
    themes = [r["Theme"] for r in rows]
    # each theme's rows are together, in order of first appearance
    assert themes == sorted(themes, key=list(dict.fromkeys(themes)).index)
    core = next(r for r in rows if r["Rule"].startswith("core-individual"))
    assert core["Context"] == (
        "Experiencing work-related adversity; unless: A service focus on achieving national targets"
    )


def test_markdown_table_heads_each_theme(pwp: cimo.Theory) -> None:
    md = cmo_table(pwp, format="md")
    headings = [line[4:] for line in md.splitlines() if line.startswith("### ")]
    assert headings == list(dict.fromkeys(r.theme for r in pwp.rules))
    assert md.count("| No. | Rule |") == 4


def test_html_table_parses_and_escapes() -> None:
    theory = cimo.Theory(
        id="t",
        title="A <b>bold</b> & odd theory",
        nodes=(
            cimo.Context(id="c", label='Pipe | "quote" <tag> & 50%_{x}'),
            cimo.Outcome(id="o", label="Out\\come #1 ~ ^"),
        ),
        rules=(cimo.Rule(id="R1", contexts=("c",), outcomes=("o",), theme="T & U"),),
    )
    root = etree.fromstring(cmo_table(theory, format="html"))
    assert root.find("caption").text == "A <b>bold</b> & odd theory"
    cells = [td.text for td in root.iter("td")]
    assert cells[2] == 'Pipe | "quote" <tag> & 50%_{x}'
    md = cmo_table(theory, format="md")
    assert 'Pipe \\| "quote" &lt;tag&gt; &amp; 50%_{x}' in md  # HTML shows, never runs
    latex = cmo_table(theory, format="latex")
    assert r'Pipe | "quote" <tag> \& 50\%\_\{x\}' in latex
    assert r"Out\textbackslash{}come \#1 \textasciitilde{} \textasciicircum{}" in latex
    assert r"\textbf{T \& U}" in latex
    with pytest.raises(UsageError, match="md, html, csv or latex"):
        cmo_table(theory, format="xlsx")  # type: ignore[arg-type]


def test_latex_escape_covers_every_special_character() -> None:
    assert latex_escape("\\&%$#_{}~^") == (
        r"\textbackslash{}\&\%\$\#\_\{\}\textasciitilde{}\textasciicircum{}"
    )


def test_mermaid_has_four_lanes_and_escaped_labels(wfg: cimo.Theory) -> None:
    text = mermaid(wfg)
    lines = text.splitlines()
    assert lines[0] == "flowchart LR"
    assert [line.split("[")[0].strip() for line in lines if "subgraph" in line] == [
        "subgraph lane_context",
        "subgraph lane_intervention",
        "subgraph lane_mechanism",
        "subgraph lane_outcome",
        "subgraph legend",
    ]
    # The lanes are kept in order by invisible links, the legend after them.
    assert [line.strip() for line in lines if "~~~" in line] == [
        "lane_context ~~~ lane_intervention",
        "lane_intervention ~~~ lane_mechanism",
        "lane_mechanism ~~~ lane_outcome",
        "lane_outcome ~~~ legend",
    ]
    edges = [
        line
        for line in lines
        if ("-->" in line or "-x" in line or "==>" in line) and "legend_" not in line
    ]
    assert len(edges) == element_graph_edges(wfg)
    legend = lines[lines.index('  subgraph legend["Legend"]') :]
    assert sum("legend_a" in line for line in legend) == len({e.split()[1] for e in edges})
    theory = cimo.Theory(id="t", title="t", nodes=(cimo.Context(id="c", label='say "hi" #1 <b>'),))
    assert 'n0["say #quot;hi#quot; #35;1 #lt;b#gt;"]' in mermaid(theory)


def element_graph_edges(theory: cimo.Theory) -> int:
    return int(cimo.graph.element_graph(theory).number_of_edges())


def test_mermaid_rule_cards_state_each_rule_and_its_chains(pwp: cimo.Theory) -> None:
    text = mermaid_rules(pwp)
    short = {r.id: f"r{i}" for i, r in enumerate(pwp.rules)}
    for r in pwp.rules:
        assert statement(pwp, r).replace('"', "#quot;") in text
    links = {(x.upstream, x.downstream, x.blocking) for x in cimo.graph.chain_links(pwp)}
    assert links
    for up, down, blocking in links:
        assert f"{short[up]} {'-.-x' if blocking else '==>'} {short[down]}" in text
    themes = list(dict.fromkeys(r.theme for r in pwp.rules if r.theme))
    assert [line.split('"')[1] for line in text.splitlines() if "subgraph theme_" in line] == themes


def test_mermaid_marks_unless_and_chains(pwp: cimo.Theory) -> None:
    text = mermaid(pwp)
    short = {n.id: f"n{i}" for i, n in enumerate(pwp.nodes)}
    assert f"{short['national-targets-focus']} -.-x " in text
    assert f"{short['work-related-adversity']} ==> " in text


def test_a_theory_shows_a_summary_in_notebooks(wfg: cimo.Theory) -> None:
    md = wfg._repr_markdown_()
    assert md == theory_markdown(wfg)
    assert md.startswith(f"### {wfg.title}")
    assert f"| rules | {len(wfg.rules)} |" in md
    assert f"| contexts | {len(wfg.contexts)} |" in md
    assert "1. IF employees with moderate-severe recurrent depression" in md
    assert f"... and {len(wfg.rules) - 5} more" in md


# --------------------------------------------------------------------------- properties


@given(theories(max_nodes=10, max_rules=6))
def test_every_statement_names_its_parts(theory: cimo.Theory) -> None:
    for rule in theory.rules:
        text = statement(theory, rule.id)
        labels = " ".join(theory.index[ref].label for _, _, ref in rule.references())
        assert text.startswith("IF ") and text.endswith(".")
        for word, ids in ((", UNLESS ", rule.unless), (", WITH ", rule.interventions)):
            if ids:
                assert word in text
            elif word.strip(", ") not in labels:
                assert word not in text
        assert ", BECAUSE " in text
        if not rule.mechanisms:
            assert text.endswith("BECAUSE (no mechanism stated).")


@given(theories(max_nodes=10, max_rules=6))
def test_csv_and_markdown_tables_keep_every_rule_whatever_the_labels(theory: cimo.Theory) -> None:
    raw = csv.DictReader(io.StringIO(cmo_table(theory, format="csv")))
    rows = [{k: csv_unprotect(v) for k, v in row.items()} for row in raw]  # formula guard off
    assert len(rows) == len(theory.rules)
    for row, rule in zip(rows, sorted(theory.rules, key=_theme_order(theory)), strict=True):
        assert row["Rule"].split("; ")[0] == rule.id
        assert row["Context"].split("; ")[: len(rule.contexts)] == [
            theory.index[c].label for c in rule.contexts
        ] or any("; " in theory.index[c].label for c in rule.contexts)
    md = cmo_table(theory, format="md")
    for line in md.split("\n"):
        assert "\r" not in line
        if line.startswith("| ") and not line.startswith("| No."):
            unescaped = len(line.replace("\\\\", "").replace("\\|", "").split("|")) - 2
            assert unescaped == 8


def _theme_order(theory: cimo.Theory) -> Callable[[cimo.Rule], int]:
    """Rules sort by their theme's first appearance; rules without a theme come last."""
    themes: list[str | None] = list(
        dict.fromkeys(r.theme for r in theory.rules if r.theme is not None)
    )
    themes.append(None)
    return lambda r: themes.index(r.theme)


@given(st.text())
def test_latex_escape_leaves_no_special_character_bare(text: str) -> None:
    escaped = latex_escape(text)
    bare = escaped
    for token in (r"\textbackslash{}", r"\textasciitilde{}", r"\textasciicircum{}"):
        bare = bare.replace(token, "")
    for c in "&%$#_{}":
        bare = bare.replace("\\" + c, "")
    assert not any(c in bare for c in "\\&%$#_{}~^")
