"""Spreadsheet CMO tables: reading, writing, round trips, located errors, the command line."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

import cimo
from cimo.cli import app
from cimo.errors import MissingDependencyError, TableError, UsageError
from cimo.examples import example_path
from cimo.exchange.table import (
    Table,
    TableProblemsError,
    column_roles,
    guess_role,
    parse_column_map,
    read_cells,
    read_table,
    table_to_theory,
    theory_to_table,
    write_cells,
    write_table,
)

runner = CliRunner()
DOCTORS_CSV = example_path("doctors-mental-health")


def write(tmp_path: Path, text: str, name: str = "cmo.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --------------------------------------------------------------------------- the doctors' table


@pytest.fixture
def doctors() -> cimo.Theory:
    return cimo.load_example("doctors-mental-health")


def test_doctors_theory_is_rebuilt_from_its_csv(doctors: cimo.Theory) -> None:
    from cimo.examples._table_example import read_doctors_table

    rebuilt = read_doctors_table(
        DOCTORS_CSV,
        id=doctors.id,
        title=doctors.title,
        description=doctors.description or "",
        source=doctors.sources[0],
    )
    assert rebuilt == doctors
    assert DOCTORS_CSV.suffix == ".csv" and DOCTORS_CSV.is_file()


def test_doctors_rows_per_group_and_printed_numbers(doctors: cimo.Theory) -> None:
    groups: dict[str, list[str | None]] = {}
    for rule in doctors.rules:  # themes are records in format 2.0: rules name their ids
        assert rule.theme is not None
        groups.setdefault(rule.theme, []).append(rule.source_label)
    # Counted by hand in seed 002.
    assert groups == {
        "groups": [None] * 5,
        "processes": ["1", "2", "3", "4", "5", "6"],
        "implementation": ["16", "17", None, "19"],
        "prevention": ["12", None, "14", "15"],
    }
    assert [t.label for t in doctors.themes] == [
        "Reducing mental ill-health: Groups, belonging and relationality",
        "Processes leading to mental ill-health in doctors",
        "Implementation methods: General principles to guide change",
        "Reducing mental ill-health: Prevention and timeliness",
    ]
    unnumbered = [r.id for r in doctors.rules if r.source_label is None]
    assert all("-unnumbered" in i for i in unnumbered) and len(unnumbered) == 7
    assert not any(r.incomplete for r in doctors.rules)


def test_doctors_chain_from_row_1_to_row_2(doctors: cimo.Theory) -> None:
    row1, row2 = doctors.rule_index["row-1"], doctors.rule_index["row-2"]
    (link,) = doctors.links
    assert (link.outcome,) == row1.outcomes and (link.context,) == row2.contexts
    assert doctors.index[link.outcome].label == (
        "Normalisation of overwork and its negative consequences"
    )
    assert doctors.index[link.context].label == "Overwork and its negative consequences normalised"
    chains = [(c.upstream, c.downstream, c.via) for c in cimo.graph.chain_links(doctors)]
    assert chains == [("row-1", "row-2", link.context)]


def test_doctors_bold_words_are_the_mechanisms(doctors: cimo.Theory) -> None:
    by_row = {
        r.source_label: [doctors.index[m].label for m in r.mechanisms]
        for r in doctors.rules
        if r.source_label
    }
    assert by_row["1"] == ["make up"]
    assert by_row["2"] == ["letting down"]
    assert by_row["4"] == ["shame/fear"]
    assert by_row["5"] == ["fear"]
    assert by_row["6"] == ["feel unsupported", "lack of trust"]
    assert by_row["3"] == ["Dissatisfaction"]  # no bold words: the text is the mechanism
    ownership = doctors.rule_index["implementation-unnumbered"]
    assert [doctors.index[m].label for m in ownership.mechanisms] == ["trust and ownership"]
    make_up = doctors.index["make-up"]
    assert isinstance(make_up, cimo.Mechanism)
    assert make_up.reasoning == (
        "Doctors feel they must make up for the deficiencies for patients and colleagues"
    )


def test_doctors_cross_reference_and_citation(doctors: cimo.Theory) -> None:
    row19 = doctors.rule_index["row-19"]
    assert doctors.index[row19.contexts[0]].label.endswith("reviews shown (16)")
    (source,) = doctors.sources
    assert doctors.based_on == (source.id,)
    assert source.doi == "10.1186/s12916-020-01532-x" and source.year == 2020


def test_doctors_table_round_trips_cell_for_cell(doctors: cimo.Theory) -> None:
    original = read_cells(DOCTORS_CSV)
    again = theory_to_table(doctors, roles=column_roles(original), headers=original.headers)
    assert again.headers == original.headers
    assert again.rows == original.rows


# --------------------------------------------------------------------------- behaviour


def test_headers_are_guessed_with_synonyms() -> None:
    assert [guess_role(h) for h in ("C", "Intervention", "m", "OUTCOMES", "CMOc", "No.")] == [
        "context",
        "intervention",
        "mechanism",
        "outcome",
        "id",
        "id",
    ]
    assert guess_role("Group") == guess_role("Theme") == "theme"
    assert guess_role("Links") == guess_role("chain") == "links"
    assert guess_role("Comments") is None


def test_same_text_is_one_node_and_slug_collisions_get_numbers() -> None:
    table = Table(
        headers=("Context", "Mechanism", "Outcome"),
        rows=(
            ("Work stress", "Support", "Better health"),
            ("Work-stress", "Support", "Better health"),
            ("Better health", "Support", "Job retention"),
        ),
    )
    theory = table_to_theory(table, id="t")
    assert [n.id for n in theory.nodes] == [
        "work-stress",
        "support",
        "better-health",
        "work-stress-2",
        "job-retention",
    ]
    # A context worded exactly like an outcome is that outcome: a direct chain.
    assert theory.rules[2].contexts == ("better-health",)
    assert [r.id for r in theory.rules] == ["row-2", "row-3", "row-4"]


def test_several_values_in_one_cell_and_new_lines(tmp_path: Path) -> None:
    path = write(tmp_path, 'ID,C,M,O\nR1,"A; B\nC",m,o\n')
    rule = read_table(path, separator=";").rules[0]
    assert rule.contexts == ("a", "b", "c") and rule.id == "r1" and rule.source_label == "R1"
    lines = read_table(path)  # by default only new lines separate values: prose keeps its ';'
    assert [lines.index[c].label for c in lines.rules[0].contexts] == ["A; B", "C"]


def test_semicolon_delimited_csv_and_byte_order_mark(tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    path.write_bytes("\ufeffContext;Mechanism;Outcome\nx, y;m;o\n".encode())
    theory = read_table(path)
    assert theory.rules[0].contexts == ("x-y",) and theory.index["x-y"].label == "x, y"
    assert theory.id == "excel" and theory.title == "excel"


def test_column_map_overrides_and_ignores(tmp_path: Path) -> None:
    path = write(tmp_path, "Row,Setting,Why,Result,Notes\n1,s,w,r,n\n")
    theory = read_table(
        path,
        columns=parse_column_map(
            ["Setting=context", "why=mechanism", "RESULT=outcome", "Notes=ignore"]
        ),
    )
    rule = theory.rules[0]
    assert (rule.source_label, rule.contexts, rule.mechanisms, rule.outcomes) == (
        "1",
        ("s",),
        ("w",),
        ("r",),
    )


def test_evidence_unless_reduces_and_intervention_columns(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "ID,Context,Unless,Intervention,Mechanism,Outcome,Reduces,Evidence\n"
        '1,c,u,i,m,o,r,"Smith 2019\nJones 2020"\n',
    )
    theory = read_table(path)
    rule = theory.rules[0]
    assert rule.unless == ("u",) and rule.interventions == ("i",) and rule.reduces == ("r",)
    assert [e.note for e in rule.evidence] == ["Smith 2019", "Jones 2020"]
    out = write_table(theory, tmp_path / "back.csv")
    assert out.read_text() == (
        "Rule,No.,Status,Context,Unless,Intervention,Mechanism,Outcome,Reduces,Evidence\n"
        'row-1,1,hypothesised,c,u,i,m,o,r,"Smith 2019\nJones 2020"\n'
    )
    assert read_table(out, id=theory.id, title=theory.title) == theory


def test_xlsx_round_trip_with_sheet(tmp_path: Path, doctors: cimo.Theory) -> None:
    original = read_cells(DOCTORS_CSV)
    out = write_cells(original, tmp_path / "doctors.xlsx", sheet="Table 1")
    assert read_cells(out, sheet="Table 1").rows == original.rows
    theory = read_table(out, id=doctors.id, title=doctors.title)
    # the example adds its theme ids, unnumbered-row ids and printed segments on top
    parts = [(r.source_label, r.contexts, r.mechanisms, r.outcomes) for r in theory.rules]
    assert parts == [(r.source_label, r.contexts, r.mechanisms, r.outcomes) for r in doctors.rules]
    assert theory.links == doctors.links
    with pytest.raises(TableError, match=r"no sheet 'Table1' \(did you mean 'Table 1'\?\)"):
        read_cells(out, sheet="Table1")


def test_xlsx_numbers_and_formula_like_text(tmp_path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["No.", "Context", "Mechanism", "Outcome"])
    ws.append([3, "=not a formula", "m", 2.5])
    ws["B2"].data_type = "s"  # text that starts with "=", not a formula
    book.save(tmp_path / "n.xlsx")
    table = read_cells(tmp_path / "n.xlsx")
    assert table.rows[0] == ("3", "=not a formula", "m", "2.5")
    written = write_cells(Table(headers=("C",), rows=(("=1+1",),)), tmp_path / "f.xlsx")
    assert read_cells(written).rows == (("=1+1",),)


def test_missing_openpyxl_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "openpyxl", None)
    (tmp_path / "t.xlsx").write_bytes(b"")
    with pytest.raises(MissingDependencyError, match=r"pip install 'cimo\[xlsx\]'"):
        read_cells(tmp_path / "t.xlsx")
    with pytest.raises(MissingDependencyError, match=r"pip install 'cimo\[xlsx\]'"):
        write_cells(Table(headers=("C",)), tmp_path / "out.xlsx")


# --------------------------------------------------------------------------- located errors


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("C,M,Notes\na,b,c\n", r"cmo\.csv, row 1, column 'Notes' \(C\): the header 'Notes' is not"),
        ("C,Context,M\na,b,c\n", r"row 1, column 'Context' \(B\): columns 'C' \(A\) and 'Context'"),
        ("ID,Theme\n1,t\n", r"no context, intervention, mechanism or outcome column"),
        ("ID,C,M,O\n1,a,b,c\n1,d,e,f\n", r"row 3, column 'ID' \(A\): the ID '1' is already used"),
        ('C,M,O\n"a\na",b,c\n', r"row 2, column 'C' \(A\): 'a' appears twice in this cell"),
        ("C,M,O\na,x <b>y,c\n", r"row 2, column 'M' \(B\): the bold markup is broken"),
        ("ID,C,M,O,Links\n1,a,b,c,\n2,d,e,f,3\n", r"row 3, column 'Links' \(E\).*'3', which no"),
        ('ID,C,M,O,Links\n1,a,b,"c\ne",\n2,d,e,f,1\n', r"row 3.*needs one outcome there"),
        ("ID,C,M,O,Links\n1,a,b,c,\n2,c,e,f,1\n", r"row 3.*already one node"),
        ("C,M,O\na,b,c,d\n", r"row 2, column D: a value stands in column D, which has no header"),
        ('C,M,O\na,b,"c\n', r"row 2: not a valid CSV record"),
        ("C,M,O\nx,y,z\nx,y,z,,\nu,x,x\n", None),
    ],
)
def test_errors_name_file_row_and_column(tmp_path: Path, text: str, message: str | None) -> None:
    path = write(tmp_path, text)
    if message is None:
        assert len(read_table(path).rules) == 3
        return
    with pytest.raises(TableError, match=message):
        read_table(path)


def test_file_errors(tmp_path: Path) -> None:
    with pytest.raises(TableError, match="no such file"):
        read_table(tmp_path / "missing.csv")
    (tmp_path / "latin.csv").write_bytes("Context,M,O\nCaf\xe9,m,o\n".encode("latin-1"))
    with pytest.raises(TableError, match=r"latin\.csv: the file is not UTF-8.*CSV UTF-8"):
        read_table(tmp_path / "latin.csv")
    with pytest.raises(UsageError, match=r"save it as \.xlsx"):
        read_table(tmp_path / "old.xls")
    with pytest.raises(UsageError, match=r"only \.xlsx files have sheets"):
        read_table(write(tmp_path, "C,M,O\n"), sheet="S")
    (tmp_path / "broken.xlsx").write_bytes(b"not a zip")
    with pytest.raises(TableError, match=r"not a readable \.xlsx workbook"):
        read_table(tmp_path / "broken.xlsx")
    with pytest.raises(UsageError, match=r"'contxt' is not a column role.*did you mean 'context'"):
        parse_column_map(["Setting=contxt"])
    with pytest.raises(TableError, match="--map names the column 'Settings'"):
        read_table(write(tmp_path, "Setting,M,O\na,b,c\n"), columns={"Settings": "context"})


def test_every_problem_of_a_table_is_reported_at_once(tmp_path: Path) -> None:
    path = write(tmp_path, 'ID,C,M,O\n1,"a\na",m,o\n1,b,m,o\n3,c,x <b>y,o\n')
    with pytest.raises(TableError) as caught:
        read_table(path)
    err = caught.value
    assert isinstance(err, TableProblemsError)
    assert [(p.row, p.column) for p in err.problems] == [
        (2, "'C' (B)"),
        (3, "'ID' (A)"),
        (4, "'M' (C)"),
    ]
    assert all(p.file == str(path) and p.sheet is None for p in err.problems)
    text = str(err)
    assert text.startswith(f"{path}: the table has 3 problems:\n")
    assert "row 2, column 'C' (B): 'a' appears twice in this cell" in text
    assert "row 3, column 'ID' (A): the ID '1' is already used in row 2" in text
    assert "row 4, column 'M' (C): the bold markup is broken" in text


def test_structural_problems_are_located_in_the_table() -> None:
    table = Table(
        headers=("ID", "Context", "Unless", "M", "Outcome", "Reduces"),
        rows=(
            ("1", "a", "b", "m", "o", ""),
            ("2", "c", "c", "m", "p", "p"),
            ("3", "d", "", "m", "q", ""),
        ),
        file="cmo.csv",
    )
    with pytest.raises(TableProblemsError) as caught:
        table_to_theory(table)
    assert [(p.row, p.column) for p in caught.value.problems] == [
        (3, "'Unless' (C)"),
        (3, "'Reduces' (F)"),
    ]
    text = str(caught.value)
    assert "row 3, column 'Unless' (C): rule row-2: 'c' is both in 'if' and 'unless'" in text
    assert "row 3, column 'Reduces' (F): rule row-2: 'p' is both in 'then' and 'reduces'" in text
    bad_id = Table(headers=("C", "Unless", "M", "O"), rows=(("x", "x", "m", "o"),))
    with pytest.raises(TableProblemsError) as caught:
        table_to_theory(bad_id, id="Not an id")
    assert [(p.row, p.column) for p in caught.value.problems] == [(None, None), (2, "'Unless' (B)")]
    assert caught.value.problems[0].message.startswith("id: 'Not an id' is not a valid id")


def test_every_header_problem_at_once() -> None:
    table = Table(headers=("C", "Context", "Notes", "M"), rows=(("a", "b", "", "m"),))
    with pytest.raises(TableProblemsError) as caught:
        column_roles(table, columns={"Setting": "context"})
    assert [p.message.split(";")[0] for p in caught.value.problems] == [
        "--map names the column 'Setting', which is not in the table",
        "columns 'C' (A) and 'Context' (B) both hold 'context'",
        "the header 'Notes' is not a column cimo knows",
    ]
    with pytest.raises(TableProblemsError, match="2 problems"):
        read_cells_of("C,M,O\na,b,c,d\n,,,\nx,y,z,,w\n")


def read_cells_of(text: str) -> Table:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        return read_cells(write(Path(folder), text))


def test_old_paths_warn_and_still_work() -> None:
    import cimo.exchange.table
    import cimo.io.table

    with pytest.warns(DeprecationWarning, match=r"use cimo\.exchange\.table\.read_table"):
        old = cimo.io.table.read_table
    with pytest.warns(DeprecationWarning, match=r"cimo\.exchange\.table\.read_table"):
        assert old is cimo.exchange.table.read_table is cimo.io.read_table
    with pytest.raises(AttributeError):
        _ = cimo.io.table.no_such_name
    with pytest.warns(DeprecationWarning, match=r"cimo\.exchange\.table\.Table"):
        assert cimo.io.Table is Table


# --------------------------------------------------------------------------- property: every cell


_HEADERS = {
    "id": ["ID", "No.", "CMOc", "#"],
    "theme": ["Theme", "Group"],
    "context": ["C", "Context", "Contexts"],
    "unless": ["Unless"],
    "intervention": ["I", "Intervention"],
    "mechanism": ["M", "Mechanism"],
    "outcome": ["O", "Outcome"],
    "reduces": ["Reduces"],
    "evidence": ["Evidence", "References"],
    "links": ["Links", "Chain"],
}
_OUTCOMES = ["Better health", "Job retention", 'He said "no"', "Café, au lait", "x y"]
_POOLS = {
    "context": ["Work stress", "Work-stress", "Row 1", "x-y", *_OUTCOMES[:2]],
    "unless": ["Unless A", "Unless B"],
    "intervention": ["Group CBT", "Peer support", "Work stress"],
    "outcome": _OUTCOMES,
    "reduces": ["Less stigma", "Fewer errors"],
    "evidence": ["Smith 2019", "Jones, 2020"],
    "theme": ["Prevention", "Groups, belonging"],
}
_MECHANISMS = [
    "Trust",
    "Feel supported",
    "They <b>trust</b> us",
    "We <b>fear</b> and <b>hope</b>",
    "A <b>make up</b>; B",
]


@st.composite
def cmo_tables(draw: st.DrawFn) -> Table:
    """Canonical CMO tables: values joined by '; ', IDs unique, links that can be told apart."""
    optional = draw(
        st.lists(
            st.sampled_from(["id", "theme", "unless", "intervention", "reduces", "evidence"]),
            unique=True,
        )
    )
    with_links = "id" in optional and draw(st.booleans())
    roles = draw(
        st.permutations(["context", "mechanism", "outcome", *optional, *(["links"] * with_links)])
    )
    headers = tuple(draw(st.sampled_from(_HEADERS[r])) for r in roles)
    n = draw(st.integers(1, 7))
    rows: list[dict[str, str]] = []
    for i in range(n):
        row: dict[str, str] = {}
        for role in roles:
            if role == "id":
                row[role] = draw(st.sampled_from(["", f"{i + 1}", f"CMOc {i + 1}"]))
            elif role == "theme":
                row[role] = draw(st.sampled_from(["", *_POOLS["theme"]]))
            elif role == "mechanism":
                if draw(st.booleans()):
                    row[role] = draw(st.sampled_from(_MECHANISMS[2:]))
                else:
                    row[role] = "\n".join(
                        draw(st.lists(st.sampled_from(_MECHANISMS[:2]), unique=True, max_size=2))
                    )
            elif role == "links":
                row[role] = ""
            else:
                values = draw(st.lists(st.sampled_from(_POOLS[role]), unique=True, max_size=3))
                row[role] = "\n".join(values)
        rows.append(row)
    if with_links:
        numbered = [i for i, r in enumerate(rows) if r["id"]]
        for i in range(n):
            targets = [t for t in numbered if t != i]
            if not targets or not draw(st.booleans()):
                continue
            chosen = draw(st.lists(st.sampled_from(targets), unique=True, min_size=1, max_size=2))
            rows[i]["context"] = f"Fresh context {i}"
            rows[i]["links"] = "\n".join(rows[t]["id"] for t in chosen)
            for t in chosen:
                rows[t]["outcome"] = f"Fresh outcome {t}"
    return Table(headers=headers, rows=tuple(tuple(r[role] for role in roles) for r in rows))


@given(cmo_tables())
def test_table_to_theory_to_table_keeps_every_cell(table: Table) -> None:
    theory = table_to_theory(table, id="generated")
    again = theory_to_table(theory, roles=column_roles(table), headers=table.headers)
    assert again.headers == table.headers
    assert again.rows == table.rows
    assert cimo.loads(cimo.dumps(theory)) == theory


@given(cmo_tables(), st.sampled_from(["csv", "tsv", "xlsx"]))
def test_cells_survive_the_file(table: Table, suffix: str) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = write_cells(table, Path(folder) / f"t.{suffix}")
        back = read_cells(path)
    assert back.headers == table.headers
    assert back.rows == tuple(r for r in table.rows if any(r))


# --------------------------------------------------------------------------- command line


def test_import_table_command(tmp_path: Path) -> None:
    path = write(tmp_path, "Row,Setting,M,O\n1,s,m,o\n")
    out = tmp_path / "theory.yaml"
    result = runner.invoke(
        app,
        ["import-table", str(path), "-o", str(out), "--map", "Setting=context", "--map", "Row=id"],
    )
    assert result.exit_code == 0, result.stderr
    theory = cimo.load(out)
    assert theory.rules[0].contexts == ("s",) and theory.rules[0].source_label == "1"
    result = runner.invoke(app, ["import-table", str(DOCTORS_CSV)])
    assert result.exit_code == 0 and cimo.loads(result.stdout).rules[0].id == "unnumbered-2"


def test_import_table_errors_are_messages(tmp_path: Path) -> None:
    path = write(tmp_path, "Row,Setting,M,O\n1,s,m,o\n")
    out = tmp_path / "theory.yaml"
    result = runner.invoke(app, ["import-table", str(path), "-o", str(out)])
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ") and "--map 'Setting=ROLE'" in result.stderr
    assert "Traceback" not in result.stderr and not out.exists()
    result = runner.invoke(app, ["import-table", str(path), "--map", "Setting"])
    assert result.exit_code == 2 and "write COLUMN=ROLE" in result.stderr


def test_export_table_command(tmp_path: Path, doctors: cimo.Theory) -> None:
    out = tmp_path / "d.xlsx"
    result = runner.invoke(app, ["export-table", "doctors-mental-health", "-o", str(out)])
    assert result.exit_code == 0 and "wrote" in result.stderr
    back = read_table(out, id=doctors.id, title=doctors.title, columns={"Theme": "ignore"})
    parts = [(r.source_label, r.contexts, r.mechanisms, r.outcomes) for r in back.rules]
    assert parts == [(r.source_label, r.contexts, r.mechanisms, r.outcomes) for r in doctors.rules]
    result = runner.invoke(
        app, ["export-table", "doctors-mental-health", "-o", str(tmp_path / "x.pdf")]
    )
    assert result.exit_code == 2 and "must be a .csv, .tsv or .xlsx" in result.stderr


def test_several_problems_are_one_located_error_with_its_own_code() -> None:
    from cimo.errors import Location, TableError, error_codes

    assert cimo.errors.TableProblemsError is TableProblemsError
    assert error_codes()["table-problems"] is TableProblemsError
    assert error_codes()["table"] is TableError
    with pytest.raises(TableProblemsError) as caught:
        read_cells_of("C,M,O\na,b,c,d\n,,,\nx,y,z,,w\n")
    err = caught.value
    assert err.code == "table-problems" and isinstance(err, TableError)
    assert type(err.location) is Location and err.location.file is not None
    assert all(type(p.location) is Location and p.location.row for p in err.problems)
