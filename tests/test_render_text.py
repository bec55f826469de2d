"""Text outputs: statements, CMO tables in four formats, Mermaid, the notebook summary."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

import cimo
from cimo._util import csv_unprotect
from cimo.core.vocabulary import ANNOTATION_WORDS
from cimo.errors import UnknownIdError, UsageError
from cimo.render import cmo_table, mermaid, mermaid_rules, statement, statements
from cimo.render.notebook import theory_markdown
from cimo.render.text import latex_escape
from cimo.strategies import theories


def test_statement_words_in_interventions_and_unless(pwp: cimo.Theory, wfg: cimo.Theory) -> None:
    # hand-written from rule burnout of pwp-resilience.yaml. Issue 11: the status tag
    # leads, labels keep their case, each after the heading the source printed it under
    # (its source_label), a list whose labels hold "and" or a comma is quoted item by
    # item, and the UNLESS the encoder inferred says so.
    assert statement(pwp, "burnout") == (
        "[hypothesised] IF “High volume of clinical work and "
        "related time constraints” and “Poor or limited access to clinical "
        "support and supervision”, UNLESS (inferred) "
        "Developing work-related boundaries or Resilience in the PWP role, "
        "THEN Low job satisfaction, stress and burnout, "
        "BECAUSE Imbalance between available resources and demands."
    )
    # retain of the work-focused group CBT theory (seed 000, Retain/Resume): the contexts,
    # the intervention and the outcome are the encoder's reading of the section
    assert statement(wfg, "retain").startswith(
        "[hypothesised] IF (inferred) Employees with moderate-severe recurrent depression, "
        "Employees with depression who are in work and Group psychotherapy, "
        "WITH (inferred) Skilful facilitation of peer interaction, THEN (inferred)"
    )
    # table-2-example-1 (seed 000, Table 2): its printed CONTEXT, no intervention
    assert statement(wfg, "table-2-example-1") == (
        "[hypothesised] IF Group therapists facilitate peer interaction using a "
        "structured-directive leadership style to set up opportunities for peer learning, "
        "peer feedback and peer support, WITH (intervention missing in the source), "
        "THEN Increase in self-reported self-efficacy, "
        "AND LESS Self-reported interpersonal problems, "
        "BECAUSE Becoming their own therapist."
    )


def test_statement_says_what_the_source_left_unstated(wfg: cimo.Theory) -> None:
    # issue 11 words a gap "(mechanism not stated)", or, when the file declares it
    # (missing: [mechanism]), "(mechanism missing in the source)"
    assert statement(wfg, "work-supports-recovery").endswith(
        "BECAUSE (mechanism missing in the source)."
    )
    undeclared = cimo.replace(
        wfg, cimo.evolve(wfg.rule_index["work-supports-recovery"], missing_parts=())
    )
    assert statement(undeclared, "work-supports-recovery").endswith(
        "BECAUSE (mechanism not stated)."
    )
    with pytest.raises(UnknownIdError, match="did you mean 'figure-4'"):
        statement(wfg, "figure4")


def test_statements_cover_every_rule_in_order(example: cimo.Theory) -> None:
    s = statements(example)
    assert [i.rule for i in s.items] == [r.id for r in example.rules]
    text = str(s)
    assert text.splitlines()[0].startswith(f"1. {example.rules[0].id}")
    assert s.model_validate_json(s.model_dump_json()) == s
    assert s._repr_markdown_().startswith(f"**{example.title}**")


def test_csv_table_keeps_each_rule_its_printed_number_status_and_evidence(
    example: cimo.Theory,
) -> None:
    # Issue 16 (S26): no renumbering; "No." is what the source printed, "Rule" the id,
    # and the evidence is its quotes with who said them and where, not a count.
    rows = list(csv.DictReader(io.StringIO(cmo_table(example, format="csv"))))
    assert len(rows) == len(example.rules)
    by_id = {r["Rule"]: r for r in rows}
    assert set(by_id) == {r.id for r in example.rules}
    labels = _headings(example)
    for rule in example.rules:
        row = by_id[rule.id]
        assert row["Theme"] == (labels[rule.theme] if rule.theme else "Other configurations")
        assert row.get("No.", "") == (rule.source_label or "")
        assert row["Status"] == rule.status
        text = row.get("Evidence", "")  # no column when no rule has evidence
        items = text.split("; ") if rule.evidence else []
        for e in rule.evidence:
            for part in (e.participant, e.source, e.locator):
                assert part is None or part in text
            if e.quote:
                assert f"“{e.quote.strip()}”" in text
        assert len(items) >= len(rule.evidence)


def _headings(theory: cimo.Theory) -> dict[str, str]:
    """2.0: themes are records, headed by their printed label and label ("Phase 1: ...")."""
    return {
        t.id: f"{t.source_label}: {t.label}" if t.source_label else t.label for t in theory.themes
    }


def test_csv_groups_rules_by_theme(pwp: cimo.Theory) -> None:
    rows = list(csv.DictReader(io.StringIO(cmo_table(pwp, format="csv"))))
    themes = [r["Theme"] for r in rows]
    # each theme's rows are together, in order of first appearance
    assert themes == sorted(themes, key=list(dict.fromkeys(themes)).index)
    burnout = next(r for r in rows if r["Rule"].startswith("burnout"))
    assert burnout["Context"] == (
        "High volume of clinical work and related time "
        "constraints; Poor or limited access to clinical support and supervision; "
        "unless: Developing work-related boundaries "
        "(inferred); unless: Resilience in the PWP role (inferred)"
    )


def test_markdown_table_heads_each_theme(pwp: cimo.Theory) -> None:
    md = cmo_table(pwp, format="md")
    headings = [line[4:] for line in md.splitlines() if line.startswith("### ")]
    labels = _headings(pwp)
    assert headings == list(dict.fromkeys(labels[r.theme] for r in pwp.rules if r.theme))
    assert md.count("| Rule | Context |") == 4  # pwp prints no numbers: no "No." column


def test_html_table_parses_and_escapes() -> None:
    theory = cimo.Theory(
        id="t",
        title="A <b>bold</b> & odd theory",
        nodes=(
            cimo.Context(id="c", label='Pipe | "quote" <tag> & 50%_{x}'),
            cimo.Outcome(id="o", label="Out\\come #1 ~ ^"),
        ),
        themes=(cimo.model.Theme(id="t-u", label="T & U"),),  # 2.0: a theme is a record
        rules=(cimo.Rule(id="R1", contexts=("c",), outcomes=("o",), theme="t-u"),),
    )
    root = etree.fromstring(cmo_table(theory, format="html"))
    # issue 16: a wrapper holding the default styles (scoped to the class) and the table
    assert root.get("class") == "cimo-cmo" and ".cimo-cmo-table" in root.find("style").text
    table = root.find("table")
    assert table.get("class") == "cimo-cmo-table"
    assert table.find("caption").text == "A <b>bold</b> & odd theory"
    cells = [td.text for td in root.iter("td")]
    assert cells[1] == 'Pipe | "quote" <tag> & 50%_{x}'
    md = cmo_table(theory, format="md")
    assert 'Pipe \\| "quote" &lt;tag&gt; &amp; 50%_{x}' in md  # HTML shows, never runs
    latex = cmo_table(theory, format="latex")
    # the default (OT1) font would set < as ¡ and | as a dash: they are escaped too
    assert r'Pipe \textbar{} "quote" \textless{}tag\textgreater{} \& 50\%\_\{x\}' in latex
    assert r"Out\textbackslash{}come \#1 \textasciitilde{} \textasciicircum{}" in latex
    assert r"\textbf{T \& U}" in latex
    with pytest.raises(UsageError, match="md, html, csv or latex"):
        cmo_table(theory, format="xlsx")  # type: ignore[arg-type]


def test_latex_escape_covers_every_special_character() -> None:
    assert latex_escape("\\&%$#_{}~^<>|→") == (
        r"\textbackslash{}\&\%\$\#\_\{\}\textasciitilde{}\textasciicircum{}"
        r"\textless{}\textgreater{}\textbar{}$\rightarrow$"
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
    # Issue 11: the alternatives of rule figure-4 meet at an "or" junction (and the
    # mechanisms of three-levels, whose combination the source leaves unstated, at a "?"
    # one): their mechanism -> outcome edges become mechanism --- or --> outcome.
    junctions = [
        r
        for r in wfg.rules
        if r.mechanism_mode in ("alternatives", "unstated") and len(r.mechanisms) > 1
    ]
    assert [r.id for r in junctions] == ["three-levels", "figure-4"]
    short = {n.id: f"n{i}" for i, n in enumerate(wfg.nodes)}
    routed = 0
    for j, rule in enumerate(junctions):
        mark = "or" if rule.mechanism_mode == "alternatives" else "?"
        assert f'  j{j}(("{mark}"))' in lines
        assert {f"  {short[m]} --- j{j}" for m in rule.mechanisms} <= set(lines)
        assert {f"  j{j} --> {short[o]}" for o in rule.outcomes} <= set(lines)
        only_this = [
            (u, v)
            for u, v, rel, data in cimo.graph.element_graph(wfg).edges(keys=True, data=True)
            if rel == "produces" and data["rules"] == (rule.id,)
        ]
        routed += len(only_this) - len(rule.outcomes) - len(rule.reduces)
    relations = [line for line in edges if "-->|" in line]  # drawn labelled by type
    assert len(relations) == len(wfg.relations)
    assert len(edges) == element_graph_edges(wfg) - routed + len(relations)
    # The legend shows one sample of each arrow drawn (and of each edge look used).
    drawn = {line.split()[1].split("|")[0] for line in lines if re.match(r"  [nj]\d+ ", line)}
    legend = lines[lines.index('  subgraph legend["Legend"]') :]
    samples = [m[1] for line in legend if (m := re.search(r'legend_a\d+\[" "\] (\S+?)\|', line))]
    looks = sum(line.startswith("  linkStyle") for line in lines)
    assert set(samples) == drawn and len(samples) == len(drawn) + looks
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
    # 2.0: themes are records, boxed under their labels
    labels = {t.id: t.label for t in pwp.themes}
    themes = [labels[t] for t in dict.fromkeys(r.theme for r in pwp.rules if r.theme)]
    assert [line.split('"')[1] for line in text.splitlines() if "subgraph theme_" in line] == themes


def test_mermaid_marks_unless_and_chains(pwp: cimo.Theory) -> None:
    text = mermaid(pwp)
    short = {n.id: f"n{i}" for i, n in enumerate(pwp.nodes)}
    assert f"{short['work-boundaries']} -.-x " in text
    assert f"{short['work-related-adversity']} ==> " in text


def test_a_theory_shows_a_summary_in_notebooks(wfg: cimo.Theory) -> None:
    md = wfg._repr_markdown_()
    assert md == theory_markdown(wfg)
    assert md.startswith(f"### {wfg.title}")
    assert f"| rules | {len(wfg.rules)} |" in md
    assert f"| contexts | {len(wfg.contexts)} |" in md
    # issue 11: the status tag leads and the label keeps its case
    first = wfg.rules[0]  # three-levels: the first iteration, WITH its design
    assert f"1. \\[hypothesised\\] {statement(wfg, first.id)[len('[hypothesised] ') :]}" in md
    assert f"... and {len(wfg.rules) - 5} more" in md


# --------------------------------------------------------------------------- properties


@given(theories(max_nodes=10, max_rules=6))
def test_every_statement_names_its_parts(theory: cimo.Theory) -> None:
    for rule in theory.rules:
        text = statement(theory, rule.id)
        labels = " ".join([*(n.label for n in theory.nodes), rule.actor or ""])
        # issue 11: the status tag leads, then whose configuration it is ("FOR GPs, ") and
        # what qualifies it ("WITHIN rural practices: "), then IF; a WITHIN alone is the
        # whole condition, so the next clause follows the colon
        lead = "FOR " if rule.actor else "WITHIN " if rule.modifiers else "IF "
        assert text.startswith(f"[{rule.status}] {lead}") and text.endswith((".", "…"))
        stated = rule.contexts or rule.context_groups or rule.any_context
        if stated or not rule.modifiers or "context" in rule.missing_parts:
            assert "IF " in text
        declared = "intervention" in rule.missing_parts  # "WITH (... missing in the source)"
        for word, ids in (("UNLESS ", rule.unless), ("WITH ", rule.interventions or declared)):
            if ids:
                assert f", {word}" in text or f": {word}" in text
            elif word.strip() not in labels:
                assert f", {word}" not in text and f": {word}" not in text
        assert ", BECAUSE " in text
        if not rule.mechanisms:  # not stated, or missing in the source; OTHERWISE may follow
            assert "BECAUSE (mechanism not stated)" in text or (
                "BECAUSE (mechanism missing in the source)" in text
            )


@given(theories(max_nodes=10, max_rules=6))
def test_csv_and_markdown_tables_keep_every_rule_whatever_the_labels(theory: cimo.Theory) -> None:
    raw = csv.DictReader(io.StringIO(cmo_table(theory, format="csv")))
    rows = [{k: csv_unprotect(v) for k, v in row.items()} for row in raw]  # formula guard off
    assert len(rows) == len(theory.rules)
    for row, rule in zip(rows, sorted(theory.rules, key=_theme_order(theory)), strict=True):
        assert row["Rule"] == rule.id and row["Status"] == rule.status
        # 2.0: an element's cell item is its wording, after the label the source printed
        # ("(C1) ") and before its marks ("(inferred)", "…")
        cells = row["Context"].split("; ")[: len(rule.contexts)]
        named = [theory.index[c].label for c in rule.contexts]
        assert all(label in cell for cell, label in zip(cells, named, strict=True)) or any(
            "; " in label for label in named
        )
        # issue 11: every annotation of the rule is in its Notes cell, named by its kind
        for note in rule.annotations:
            assert f"{ANNOTATION_WORDS[note.kind]}" in row["Notes"]
            assert note.text.strip() in row["Notes"]
    md = cmo_table(theory, format="md")
    # 2.0: an Actor column when a rule names an actor, a Programme theory column when
    # rules name one of several programme theories; issue 16: No. when a rule has a
    # printed label, Intervention and Evidence when one has some, and the mechanism's
    # resource and response apart when one of its mechanisms states a resource
    rules = theory.rules
    used = {m for r in rules for m in r.mechanisms}
    columns = 5 + any(r.actor for r in rules) + any(r.evidence for r in rules)
    columns += len(theory.programme_theories) > 1 and any(r.programme_theory for r in rules)
    columns += any(r.source_label and r.source_label != r.id for r in rules)
    columns += any(r.interventions or "intervention" in r.missing_parts for r in rules)
    columns += any(m.resource for m in theory.mechanisms if m.id in used)
    columns += any(r.annotations for r in rules)
    for line in md.split("\n"):
        assert "\r" not in line
        if line.startswith("| "):
            unescaped = len(line.replace("\\\\", "").replace("\\|", "").split("|")) - 2
            assert unescaped == columns


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
    for token in (
        r"\textbackslash{}",
        r"\textasciitilde{}",
        r"\textasciicircum{}",
        r"\textless{}",
        r"\textgreater{}",
        r"\textbar{}",
        r"$\rightarrow$",
        r"$\leftarrow$",
        r"$\leftrightarrow$",
        r"$\leq$",
        r"$\geq$",
        r"$\neq$",
        r"$\approx$",
    ):
        bare = bare.replace(token, "")
    for c in "&%$#_{}":
        bare = bare.replace("\\" + c, "")
    assert not any(c in bare for c in "\\&%$#_{}~^<>|")


def test_html_and_markdown_tables_display_as_such_in_a_notebook() -> None:
    # Issue 19 (S12): the HTML came back as a plain str, shown escaped with \n.
    wfg = cimo.load_example("work-focused-group-cbt")
    html = cimo.render.cmo_table(wfg, format="html")
    assert isinstance(html, str) and html._repr_html_() == html  # type: ignore[attr-defined]
    assert html.lstrip().startswith("<")
    md = cimo.render.cmo_table(wfg, format="md")
    assert md._repr_markdown_() == md  # type: ignore[attr-defined]
    assert not hasattr(cimo.render.cmo_table(wfg, format="csv"), "_repr_html_")
