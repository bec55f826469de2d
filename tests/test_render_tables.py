"""Issue 16: CMO tables for papers: Word (.docx) read back by python-docx and opened in
LibreOffice, LaTeX compiled by pdflatex with no overfull box, the format from the suffix."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from docx.enum.section import WD_ORIENT
from hypothesis import given, settings
from typer.testing import CliRunner

import cimo
from cimo.cli import app
from cimo.render.text import cmo_rows, cmo_table, is_wide
from cimo.render.word import add_cmo_table, cmo_table_docx
from cimo.strategies import theories

Program = Callable[[str, str], str]
PUBLISHED = Path(__file__).parent / "data" / "published"
# every bundled example and two published tables (the widest, and one with printed numbers)
THEORIES = [
    *(e.name for e in cimo.list_examples()),
    "published:08-hagiwara-2013",
    "published:09-fothergill-2025",
    "portrait",  # five columns: a portrait page
]
runner = CliRunner()


def _theory(name: str) -> cimo.Theory:
    if name == "portrait":
        words = "Interprofessional collaboration/communication in understaffed wards"
        return cimo.Theory(
            id="small",
            title="A small theory: " + words,
            nodes=(
                cimo.Context(id="c", label=words),
                cimo.Mechanism(id="m", label="Psychoeducation & self-management <50%>"),
                cimo.Outcome(id="o", label="Fewer readmissions | shorter stays"),
            ),
            rules=(
                cimo.Rule(
                    id="a-rather_long.rule-identifier",
                    contexts=("c",),
                    mechanisms=("m",),
                    outcomes=("o",),
                    status="supported",
                ),
            ),
        )
    if name.startswith("published:"):
        return cimo.load(PUBLISHED / f"{name.split(':')[1]}.yaml")
    return cimo.load_example(name)


@pytest.fixture(params=THEORIES)
def theory(request: pytest.FixtureRequest) -> cimo.Theory:
    return _theory(request.param)


def test_docx_reads_back_every_cell(theory: cimo.Theory) -> None:
    rows = cmo_rows(theory)
    document = docx.Document(io.BytesIO(cmo_table_docx(theory)))
    (table,) = document.tables
    cells = [[c.text for c in row.cells] for row in table.rows]
    assert cells[0] == list(rows.columns)
    # the header row repeats on every page and never splits
    header = table.rows[0]._tr.trPr
    assert header is not None and header.find(docx.oxml.ns.qn("w:tblHeader")) is not None
    expected: list[list[str]] = []
    for theme, notes, group in rows.groups:
        heading = "\n".join((theme, *notes))
        expected.append([heading] * len(rows.columns))  # one merged cell across the row
        expected += [["\n".join(cell) for cell in row] for row in group]
    assert cells[1:] == expected
    # rule ids, status and evidence attribution are all there
    text = "\n".join(c for row in cells for c in row)
    for rule in theory.rules:
        assert rule.id in text and rule.status in text
        for e in rule.evidence:
            assert all(p is None or p in text for p in (e.participant, e.source, e.locator))
    section = document.sections[-1]
    wide = section.orientation == WD_ORIENT.LANDSCAPE
    assert wide == ((section.page_width or 0) > (section.page_height or 0))
    assert wide == is_wide(rows, line=(21.0 - 4.0) / 2.54 * 72 / 4.2)  # A4/Letter less 2 cm
    assert document.paragraphs[0].text == theory.title  # the caption


def test_add_cmo_table_goes_on_in_a_landscape_section_after_text() -> None:
    document = docx.Document()
    document.add_paragraph("Results")
    wfg = cimo.load_example("work-focused-group-cbt")
    table = add_cmo_table(document, wfg)
    first, second = document.sections
    assert first.orientation == WD_ORIENT.PORTRAIT and second.orientation == WD_ORIENT.LANDSCAPE
    assert (second.page_width or 0) > (second.page_height or 0)
    assert [c.text for c in table.rows[0].cells] == list(cmo_rows(wfg).columns)
    portrait = docx.Document()
    add_cmo_table(portrait, wfg, landscape=False)
    assert [s.orientation for s in portrait.sections] == [WD_ORIENT.PORTRAIT]


@pytest.mark.office
@pytest.mark.parametrize("name", ["work-focused-group-cbt", "pwp-resilience"])  # many pages
def test_docx_opens_in_libreoffice(name: str, tmp_path: Path, program: Program) -> None:
    soffice = program("soffice", "libreoffice-writer-nogui")
    pdftotext = program("pdftotext", "poppler-utils")
    theory = _theory(name)
    (tmp_path / "table.docx").write_bytes(cmo_table_docx(theory))
    done = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",  # own profile
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(tmp_path / "table.docx"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0 and (tmp_path / "table.pdf").exists(), done.stderr
    text = _pdf_text(pdftotext, tmp_path / "table.pdf")
    assert _words(theory.title) in _words(text)
    for rule in theory.rules:
        assert rule.status in text
    # each page after the first starts with the repeated header row
    pages = text.split("\f")[:-1]
    assert len(pages) > 1
    assert all("Status" in page and "Evidence" in page for page in pages)


@pytest.mark.office
@pytest.mark.parametrize("name", THEORIES)
def test_latex_table_compiles_with_no_overfull_box(
    name: str, tmp_path: Path, program: Program
) -> None:
    pdflatex = program("pdflatex", "texlive-latex-recommended")
    pdftotext = program("pdftotext", "poppler-utils")
    theory = _theory(name)
    latex = cmo_table(theory, format="latex")
    assert (r"\begin{landscape}" in latex) == is_wide(cmo_rows(theory), line=72)
    assert r"\begin{longtable}" in latex and r"\toprule" in latex and r"\caption{" in latex
    (tmp_path / "table.tex").write_text(latex, encoding="utf-8")
    (tmp_path / "paper.tex").write_text(
        "\\documentclass{article}\n"
        "\\usepackage{booktabs,longtable,array,ragged2e,pdflscape}\n"
        "\\begin{document}\n\\input{table}\n\\end{document}\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        [pdflatex, "-interaction=nonstopmode", "-halt-on-error", "paper.tex"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    log = (tmp_path / "paper.log").read_text(encoding="utf-8", errors="replace")
    assert done.returncode == 0, log[-3000:]
    overfull = [line for line in log.splitlines() if line.startswith("Overfull")]
    assert overfull == []
    text = _words(_pdf_text(pdftotext, tmp_path / "paper.pdf"))
    assert _words(theory.title) in text
    for rule in theory.rules:
        assert rule.status in text


def _pdf_text(pdftotext: str, pdf: Path) -> str:
    return subprocess.run(
        [pdftotext, "-layout", str(pdf), "-"],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout


def _words(text: str) -> str:
    """Words as read back from a PDF (TeX sets ' as ’)."""
    return " ".join(text.replace("-\n", "").replace("’", "'").split())


# --------------------------------------------------------------------------- command line


def test_table_takes_its_format_from_the_suffix(tmp_path: Path) -> None:
    for suffix, check in (
        (".md", lambda b: b.startswith(b"### ")),
        (".html", lambda b: b'<table class="cimo-cmo-table">' in b),
        (".tex", lambda b: b"\\begin{longtable}" in b),
        (".csv", lambda b: b.startswith(b"Theme,Rule,")),
        (".docx", lambda b: zipfile.is_zipfile(io.BytesIO(b))),
    ):
        out = tmp_path / f"t{suffix}"
        result = runner.invoke(app, ["table", "pwp-resilience", "-o", str(out)])
        assert result.exit_code == 0, result.output
        assert check(out.read_bytes()), suffix
    (table,) = docx.Document(str(tmp_path / "t.docx")).tables
    assert table.rows[0].cells[0].text == "Rule"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["table", "pwp-resilience", "-o", "t.xlsx"], "cannot tell the format of"),
        (["table", "pwp-resilience", "-f", "md", "-o", "t.docx"], "named as a docx file"),
        (["table", "pwp-resilience", "-f", "docx"], "-o OUT.docx"),
        (["statements", "pwp-resilience", "-o", "s.docx"], "end the name in .txt, .json, .md"),
    ],
)
def test_unknown_or_contradicting_suffixes_are_refused(
    args: list[str], message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert message in " ".join(result.output.split())
    assert list(tmp_path.iterdir()) == []  # nothing written


def test_statements_take_their_format_from_the_suffix(tmp_path: Path) -> None:
    for name in ("s.txt", "s.json", "s.md"):
        result = runner.invoke(app, ["statements", "pwp-resilience", "-o", str(tmp_path / name)])
        assert result.exit_code == 0, result.output
    pwp = cimo.load_example("pwp-resilience")
    data = json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))
    assert [i["rule"] for i in data["items"]] == [r.id for r in pwp.rules]
    assert (tmp_path / "s.md").read_text(encoding="utf-8").startswith(f"**{pwp.title}**")
    assert (tmp_path / "s.txt").read_text(encoding="utf-8").startswith("1. ")


def test_without_python_docx_the_error_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setitem(sys.modules, "docx", None)  # as if not installed
    with pytest.raises(cimo.MissingDependencyError, match=r"pip install 'cimo\[docx\]'"):
        cmo_table_docx(cimo.load_example("pwp-resilience"))
    result = runner.invoke(app, ["table", "pwp-resilience", "-o", "never-written.docx"])
    assert result.exit_code == 2 and "cimo[docx]" in result.output
    assert not Path("never-written.docx").exists()


@settings(max_examples=30)
@given(theories(max_nodes=8, max_rules=5))
def test_every_theory_reads_back_from_docx(theory: cimo.Theory) -> None:
    rows = cmo_rows(theory)
    (table,) = docx.Document(io.BytesIO(cmo_table_docx(theory))).tables
    body = [[c.text for c in row.cells] for row in table.rows[1:]]
    cells = [row for row in body if len(set(row)) > 1 or len(rows.columns) == 1]
    # control characters XML cannot hold become spaces; a CR reads back as a line break
    wanted = [
        [re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f]", " ", "\n".join(c)).replace("\r", "\n") for c in row]
        for _, _, group in rows.groups
        for row in group
    ]
    assert len(body) == len(rows.groups) + len(theory.rules)
    assert [r for r in wanted if len(set(r)) > 1] == cells
