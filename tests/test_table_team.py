"""Team spreadsheets as researchers lay them out (issue 13; new-user report S2-S7, S10, S23).

``tests/data/team-table/`` holds the workbook of the new-user report (written
by ``make_team_table.py`` there) and its CSV twin: a merged title row, merged
theme headings, resource and response columns, prose with semicolons, Excel
bold runs, a status column and a "Supporting evidence" column.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_published import table_row
from typer.testing import CliRunner

import cimo
from cimo.cli import app
from cimo.errors import TableError, TableProblemsError
from cimo.examples import list_examples
from cimo.exchange.table import (
    Table,
    TableWarning,
    read_cells,
    read_table,
    table_to_theory,
    write_table,
)
from cimo.strategies import table_theories

runner = CliRunner()
DATA = Path(__file__).resolve().parent / "data" / "team-table"
TEAM = [DATA / "team-cmo-table.xlsx", DATA / "team-cmo-table.csv"]


def _labels(theory: cimo.Theory, ids: tuple[str, ...]) -> list[str]:
    return [theory.index[i].label for i in ids]


@pytest.mark.parametrize("path", TEAM, ids=lambda p: p.suffix)
def test_team_table_imports_in_one_call(path: Path) -> None:
    theory = read_table(path)
    assert theory.title.startswith("Table 2. Refined programme theory")
    # The merged theme rows are themes, never rules.
    assert [(t.source_label, t.label) for t in theory.themes] == [
        ("Theme 1", "Making space to talk"),
        ("Theme 2", "Learning from each other"),
    ]
    assert [r.source_label for r in theory.rules] == ["C1", "C2", "C3", "C4", "C5", "C6"]
    themes = {t.id: t.label for t in theory.themes}
    assert [themes[r.theme] for r in theory.rules if r.theme] == ["Making space to talk"] * 3 + [
        "Learning from each other"
    ] * 3
    assert not any(r.incomplete for r in theory.rules)
    assert [r.status for r in theory.rules] == [
        "supported",
        "supported",
        "hypothesised",
        "supported",
        "supported",
        "refuted",
    ]
    c1, c2 = theory.rules[0], theory.rules[1]
    # Lines split values; semicolons in prose do not.
    assert _labels(theory, c1.contexts) == [
        "Newly qualified nurse on an acute ward",
        "Protected time for the circle",
    ]
    assert _labels(theory, c2.outcomes) == [
        "No change in distress; cynicism about wellbeing offers"
    ]
    # The bold words name the mechanism; the two columns are its resource and response.
    (m,) = (theory.index[i] for i in c1.mechanisms)
    assert isinstance(m, cimo.Mechanism)
    assert m.label == "normalised"
    assert m.resource == "Peers share their own first-year struggles"
    assert m.reasoning == "Nurses feel normalised; their distress is common"
    (m2,) = (theory.index[i] for i in c2.mechanisms)
    assert m2.label == "organisation does not care"
    # The evidence lines name the participant, the interview (a source) and the quote.
    assert [
        (e.participant, e.source, e.locator, (e.quote or "")[:18], e.stance) for e in c1.evidence
    ] == [
        ("N03", "int-1", None, "Hearing that the o", "supports"),
        ("N07", "int-2", "14:05", "You realise it is ", "supports"),
    ]
    assert {s.id: s.citation for s in theory.sources}["int-4"] == "Int 4"
    # A chain: C5's context is C1's outcome.
    assert set(theory.rules[4].contexts) >= set(c1.outcomes)
    findings = cimo.validate.validate(theory).findings
    assert not [f for f in findings if f.severity == "error"]


def test_xlsx_and_its_csv_twin_are_the_same_theory() -> None:
    xlsx, csv = (read_table(p, id="team") for p in TEAM)
    assert xlsx.model_copy(update={"title": ""}) == csv.model_copy(update={"title": ""})


def test_team_table_in_one_command(tmp_path: Path) -> None:
    out = tmp_path / "team.yaml"
    result = runner.invoke(app, ["import-table", str(TEAM[0]), "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    theory = cimo.load(out)
    assert len(theory.rules) == 6 and len(theory.themes) == 2
    q_evidence = [e.participant for r in theory.rules for e in r.evidence]
    assert q_evidence.count("N03") == 2


def test_header_row_can_be_given_and_a_title_is_named(tmp_path: Path) -> None:
    theory = read_table(TEAM[1], header_row=2)
    assert len(theory.rules) == 6
    with pytest.raises(TableError, match=r"row 1 has one value; is it a title\?.*--header-row 2"):
        read_table(TEAM[1], header_row=1)
    result = runner.invoke(app, ["import-table", str(TEAM[1]), "--header-row", "1"])
    assert result.exit_code == 2
    assert "is it a title?" in result.stderr and "Traceback" not in result.stderr


def test_every_header_problem_in_one_message_with_the_map_line(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text(
        "My study\nNo.,Setting,Context,Why it works,Outcome,Comments\n1,a,b,c,d,e\n",
        encoding="utf-8",
    )
    with pytest.raises(TableProblemsError) as caught:
        read_table(path)
    text = str(caught.value)
    assert "the table has 3 problems" in text
    assert all(f"row 2, column '{h}'" in text for h in ("Setting", "Why it works", "Comments"))
    last = text.splitlines()[-1].strip()
    assert last == "--map 'Setting=ignore' --map 'Why it works=ignore' --map 'Comments=ignore'"
    fixed = last.replace("Setting=ignore", "Setting=ignore").replace(
        "Why it works=ignore", "Why it works=mechanism"
    )
    args = re.findall(r"--map '([^']*)'", fixed)
    result = runner.invoke(
        app, ["import-table", str(path), *[x for a in args for x in ("--map", a)]]
    )
    assert result.exit_code == 0, result.stderr


def test_theme_rows_in_a_csv_without_merges() -> None:
    table = Table(
        headers=("No.", "Context", "Mechanism", "Outcome"),
        rows=(
            ("Theme A: Access", "", "", ""),
            ("1", "c", "m", "o"),
            ("Theme B: Trust", "", "", ""),
            ("2", "c2", "m", "o2"),
        ),
    )
    theory = table_to_theory(table, id="t")
    assert [r.source_label for r in theory.rules] == ["1", "2"]
    assert [r.theme for r in theory.rules] == ["Access", "Trust"]


def test_separator_splits_and_warns_on_lower_case_fragments() -> None:
    table = Table(
        headers=("Context", "Mechanism", "Outcome"),
        rows=(("A; B", "Frustration; feeling ignored", "o\\; p"),),
    )
    assert len(table_to_theory(table, id="t").rules[0].contexts) == 1
    with pytest.warns(TableWarning, match=r"row 2, column 'Mechanism' \(B\).*'feeling ignored'"):
        theory = table_to_theory(table, id="t", separator=";")
    rule = theory.rules[0]
    assert _labels(theory, rule.contexts) == ["A", "B"]
    assert _labels(theory, rule.outcomes) == ["o; p"]


def test_or_lines_make_alternatives_and_parallel_resource_lines() -> None:
    table = Table(
        headers=("Context", "Resource", "Response", "Outcome"),
        rows=(("c", "Stories\n-", "<b>Normalising</b>\nOR\n<b>Vicarious learning</b>", "o"),),
    )
    theory = table_to_theory(table, id="t")
    rule = theory.rules[0]
    assert rule.mechanism_mode == "alternatives"
    a, b = (theory.index[i] for i in rule.mechanisms)
    assert isinstance(a, cimo.Mechanism) and isinstance(b, cimo.Mechanism)
    assert (a.label, a.resource, b.label, b.resource) == (
        "Normalising",
        "Stories",
        "Vicarious learning",
        None,
    )


def test_evidence_pattern_option_and_stance_columns() -> None:
    table = Table(
        headers=("Context", "Mechanism", "Outcome", "Refuting evidence"),
        rows=(("c", "m", "o", "P7 said: it was useless"),),
    )
    theory = table_to_theory(
        table, id="t", evidence_pattern=r"(?P<participant>\w+) said: (?P<quote>.*)"
    )
    (e,) = theory.rules[0].evidence
    assert (e.participant, e.quote, e.stance) == ("P7", "it was useless", "refutes")


def test_bad_status_and_rule_id_are_located() -> None:
    table = Table(
        headers=("Rule", "Context", "Mechanism", "Outcome", "Status"),
        rows=(("C 1", "c", "m", "o", "supportd"), ("c2", "c", "m", "o", "")),
        file="t.csv",
    )
    with pytest.raises(TableProblemsError) as caught:
        table_to_theory(table)
    text = str(caught.value)
    assert "row 2, column 'Rule' (A): 'C 1' is not a rule id" in text
    assert "row 2, column 'Status' (E): the status 'supportd'" in text
    assert "did you mean 'supported'" in text


def test_cells_merged_down_rows_are_still_refused(tmp_path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["Context", "Mechanism", "Outcome"])
    ws.append(["a", "m", "o"])
    ws.append(["", "m2", "o2"])
    ws.merge_cells("A2:A3")
    book.save(tmp_path / "m.xlsx")
    with pytest.raises(TableError, match=r"cells A2:A3 are merged down several rows"):
        read_cells(tmp_path / "m.xlsx")


# --------------------------------------------------------------------------- annotations


def test_tensions_and_recommendations_columns_are_annotations(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text(
        "No.,Context,Mechanism,Outcome,Tensions,Recommendations\n"
        "CMO 1,Blame culture,Defensive practice,Secondary trauma,"
        "Collective vs individual accountability,\n"
        'CMO 2,Peer support,Feeling heard,Retention,"Counter-strategy against CMO 1 '
        '(Taylor 2024, Table 1): Schwartz rounds\nNote: asked twice",Fund the rounds\n',
        encoding="utf-8",
    )
    theory = read_table(path)
    first, second = (r.annotations for r in theory.rules)
    assert [(a.kind, a.text) for a in first] == [
        ("tension", "Collective vs individual accountability")
    ]
    counter, note, advice = second
    assert (counter.kind, counter.counters, counter.text) == (
        "counter-strategy",
        (theory.rules[0].id,),  # named by the row's printed ID
        "Schwartz rounds",
    )
    assert (counter.source, counter.locator) == ("taylor-2024", "Table 1")
    assert {s.id: s.citation for s in theory.sources} == {"taylor-2024": "Taylor 2024"}
    assert (note.kind, note.text) == ("note", "asked twice")
    assert (advice.kind, advice.text) == ("recommendation", "Fund the rounds")
    # written back as one Annotations column, one kind-prefixed line each, and read again
    out = write_table(theory, tmp_path / "back.csv")
    assert read_table(out).rules[1].annotations == second


def test_an_annotation_against_an_unknown_row_is_located(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text(
        "No.,C,M,O,Annotations\n1,a,m,o,Facilitator against 7: mentors\n", encoding="utf-8"
    )
    with pytest.raises(TableError, match=r"t\.csv, row 2, column 'Annotations' \(E\): .*'7'"):
        read_table(path)


# --------------------------------------------------------------------------- round trips


@settings(max_examples=60, deadline=None)
@given(table_theories(), st.sampled_from(["csv", "xlsx"]), st.sampled_from([None, ";", "|"]))
def test_theory_to_table_to_theory_is_the_identity(
    theory: cimo.Theory, suffix: str, separator: str | None
) -> None:
    import tempfile
    import warnings

    with tempfile.TemporaryDirectory() as folder:
        out = write_table(theory, Path(folder) / f"t.{suffix}", separator=separator)
        with warnings.catch_warnings():  # labels in lower case are not prose cut in two
            warnings.simplefilter("ignore", TableWarning)
            back = read_table(out, id=theory.id, title=theory.title, separator=separator)
    assert back == theory


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
@pytest.mark.parametrize("name", [e.name for e in list_examples()])
def test_every_shipped_example_reads_back(name: str, suffix: str, tmp_path: Path) -> None:
    theory = cimo.load_example(name)
    back = read_table(write_table(theory, tmp_path / f"t.{suffix}"))
    assert [table_row(back, r) for r in back.rules] == [table_row(theory, r) for r in theory.rules]


def test_cli_separator_warns_and_bad_pattern_is_a_message(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("Context,Mechanism,Outcome\nA; B,Frustration; feeling ignored,O\n")
    result = runner.invoke(app, ["import-table", str(path), "--separator", ";"])
    assert result.exit_code == 0, result.stderr
    assert "warning: " in result.stderr and "'feeling ignored'" in result.stderr
    assert len(cimo.loads(result.stdout).rules[0].contexts) == 2
    result = runner.invoke(app, ["import-table", str(path), "--evidence-pattern", "(?P<x"])
    assert result.exit_code == 2 and "--evidence-pattern" in result.stderr
    assert "Traceback" not in result.stderr


def test_cli_export_round_trips_the_team_table(tmp_path: Path) -> None:
    theory = read_table(TEAM[0])
    (tmp_path / "team.yaml").write_text(cimo.dumps(theory), encoding="utf-8")
    out = tmp_path / "team.xlsx"
    result = runner.invoke(app, ["export-table", str(tmp_path / "team.yaml"), "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    assert read_table(out, id=theory.id, title=theory.title) == theory
    import openpyxl

    ws = openpyxl.load_workbook(out).active
    assert ws["E2"].alignment.wrap_text and ws.freeze_panes == "A2"
    assert 8 <= ws.column_dimensions["E"].width <= 60
