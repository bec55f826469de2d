"""The RAMESES II reporting helper: the document built from a theory, and its three writers.

The .docx is opened by python-docx and converted to PDF by LibreOffice
(``soffice --headless``); the HTML page is opened in headless Chromium
(tests/_browser.py). Both need Debian programs; without them the tests fail
saying what to install.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from _browser import browser_context
from _svg import svg_groups
from typer.testing import CliRunner

import cimo
from cimo.cli import app
from cimo.errors import UsageError
from cimo.model import Source, Theory
from cimo.render.report import (
    APPRAISAL_FIELDS,
    RAMESES_II,
    Figure,
    Gap,
    Paragraph,
    Report,
    Section,
    Table,
    rameses_report,
    report_html,
    report_markdown,
    write_report,
)

ROOT = Path(__file__).resolve().parent.parent
runner = CliRunner()


@pytest.fixture(scope="module")
def wfg_report() -> Report:
    return rameses_report(cimo.load_example("work-focused-group-cbt"))


def _tables(section: Section, name: str) -> list[Table]:
    return [b for s in section.walk() for b in s.blocks if isinstance(b, Table) and b.name == name]


def _text(cell: tuple[str, ...]) -> str:
    return " ".join(cell)


# --------------------------------------------------------------------------- the document


def test_the_items_are_rameses_ii_numbered_and_named() -> None:
    assert [i.number for i in RAMESES_II] == list(range(1, 21))
    names = {i.number: i.name for i in RAMESES_II}
    assert names[4] == "Programme theory"
    assert names[11] == "Data collection methods"
    assert names[13] == "Data analysis"
    assert names[14] == "Details of participants"
    assert names[15] == "Main findings"
    parts = [i.part for i in RAMESES_II]
    assert parts.index("Methods") == 6 and parts.index("Results") == 13


def test_the_work_focused_report_serves_its_items_in_order(wfg_report: Report) -> None:
    tops = [(s.title, s.items) for s in wfg_report.sections]
    assert tops == [
        ("About this document", ()),
        ("RAMESES II checklist", ()),
        ("Initial programme theory", (4,)),
        ("Data sources", (11,)),
        ("Analysis trail", (13,)),
        ("Participants", (14,)),
        ("Main findings", (15,)),
        ("References", ()),
    ]
    (checklist,) = _tables(wfg_report.sections[1], "checklist")
    rows = {int(r[0][0]): (r[2][0], r[3][0]) for r in checklist.rows}
    assert sorted(rows) == list(range(1, 21))
    assert rows[13] == ("Data analysis", "Section “Analysis trail”")
    assert rows[5][1].startswith("Not filled from the theory")
    refs = wfg_report.sections[-1].blocks
    assert isinstance(refs[0], Paragraph) and "RAMESES II reporting standards" in refs[0].text
    assert "BMC Medicine, 14, 96" in refs[0].text


def test_initial_and_refined_programme_theory_are_the_two_iterations(wfg_report: Report) -> None:
    initial = wfg_report.section(4)
    refined = next(s for s in wfg_report.walk() if s.title == "Refined programme theory")
    for section, rules in (
        (initial, ["three-levels", "lexis-2011"]),
        (refined, ["figure-4", "table-2-example-1", "table-2-example-2", "retain", "resume",
                   "work-supports-recovery"]),
    ):  # fmt: skip
        (figure,) = [b for b in section.blocks if isinstance(b, Figure)]
        assert figure.diagram.name == "map"
        (table,) = _tables(section, "cmoc")
        at = table.columns.index("Rule")
        assert [r[at][0] for r in table.rows] == rules
        assert table.columns[-1] == "Illustrative quotes"
    # issue 11: the rules' annotations in a column of their own, when a rule has one
    (table,) = _tables(initial, "cmoc")
    at = table.columns.index("Rule")
    notes = {r[at][0]: r[table.columns.index("Notes")] for r in table.rows}
    assert notes == {"three-levels": (), "lexis-2011": notes["lexis-2011"]}
    assert notes["lexis-2011"][0].startswith("Note: These mechanisms may be crucial")
    (table,) = _tables(refined, "cmoc")
    assert "Notes" not in table.columns  # no rule of the refined theory has an annotation
    at = table.columns.index("Rule")
    quotes = {r[at][0]: _text(r[-1]) for r in table.rows}
    assert quotes["work-supports-recovery"].startswith("“The main goal should be to help")
    assert "walker-mhrj" in quotes["work-supports-recovery"]
    assert quotes["retain"] == ""


def test_the_cmoc_table_prints_rule_and_theme_annotations() -> None:
    from cimo.render.report._build import cmoc_table

    theory = cimo.load(ROOT / "tests" / "data" / "printing-2.0.yaml")
    table = cmoc_table(theory, caption="CMOCs")
    notes, at = table.columns.index("Notes"), table.columns.index("Rule")
    cells = {r[at][0]: r[notes] for r in table.rows}
    assert cells["R1"] == () and cells["R3"][0].startswith("Tension: Speaking up vs keeping")
    assert cells["R4"][0].startswith("Counter-strategy against R1 (CMOc5): Peer mentors")
    heading = table.groups[0].heading or ""
    assert heading.startswith("Theme 2: Lean in primary care")
    assert heading.endswith("(Facilitator: A practice manager who guards the huddle time)")
    assert "(Recommendation: Train managers in Lean" in heading


def test_the_trail_is_read_from_the_diff(wfg_report: Report) -> None:
    trail = wfg_report.section(13)
    (step,) = trail.subsections
    assert step.title.startswith("From iteration 1: First iteration")
    (rules,) = _tables(step, "trail-rules")
    change = {r[0][0].split(":")[0]: r[1] for r in rules.rows}
    assert change["figure-4"] == ("added",)
    assert change["three-levels"] == ("removed",)
    assert change["lexis-2011"] == ("removed",)
    added = next(r for r in rules.rows if r[0][0].startswith("work-supports-recovery"))
    assert "supports (walker-mhrj" in _text(added[3])
    removed = next(r for r in rules.rows if r[0][0] == "three-levels")
    assert removed[3] == ("the theory records no evidence, note or relation for this change",)
    (regroups,) = _tables(step, "trail-mechanisms")
    split = next(r for r in regroups.rows if r[0] == ("split",))
    assert split[1:3] == (("relationship-focused-change",), ("reflect, relate, own-therapist",))
    assert "is inferred" in _text(split[3])
    (elements,) = _tables(step, "trail-elements")
    assert (("context",), ("at-risk-employees: Employees at risk of future sickness absence "
            "due to depression",), ("removed",)) in elements.rows  # fmt: skip


def test_sources_and_evidence_of_the_example(wfg_report: Report) -> None:
    (sources,) = _tables(wfg_report.section(11), "sources")
    by_id = {r[0][0]: r for r in sources.rows}
    assert by_id["walker-mhrj"][4] == ("5 as where a rule comes from, 2 supports",)
    assert by_id["lexis-2011"][4] == ("not cited by any configuration",)
    (per_rule,) = _tables(wfg_report.section(15), "evidence-rules")
    rows = {r[0][0]: r for r in per_rule.rows}
    assert rows["figure-4"][2] == ("supports: walker-mhrj",)
    assert rows["table-2-example-1 (Example 1)"][3] == ("1 citation of where it comes from",)
    (per_mechanism,) = _tables(wfg_report.section(15), "evidence-mechanisms")
    retain = next(r for r in per_mechanism.rows if "Retain/Resume" in r[0][0])
    assert retain[1] == ("figure-4", "retain", "resume")
    participants = wfg_report.section(14)
    assert [type(b) for b in participants.blocks] == [Gap]


def test_a_bare_theory_says_what_each_part_lacks() -> None:
    report = rameses_report(Theory(id="bare", title="Bare"))
    for item in (4, 11, 13, 14, 15):
        section = report.section(item)
        gaps = [b for s in section.walk() for b in s.blocks if isinstance(b, Gap)]
        assert gaps, item
        assert not [b for s in section.walk() for b in s.blocks if isinstance(b, Table)], item
    assert "no configurations" in report.section(4).blocks[-1].text  # type: ignore[union-attr]
    assert "One version only" in report.section(13).blocks[0].text  # type: ignore[union-attr]
    assert "no sources" in report.section(11).blocks[0].text  # type: ignore[union-attr]
    assert not report.figures


_V1: dict[str, Any] = {
    "id": "ward",
    "title": "Ward safety huddles",
    "participants": [
        {"id": "p1", "label": "Nurse A", "attributes": {"role": "nurse"}},
        {"id": "p2", "label": "Manager B", "attributes": {"role": "manager"}},
    ],
    "sources": [{"id": "fg1", "citation": "Focus group 1, ward 3 (2024)"}],
    "nodes": [
        {"id": "busy", "kind": "context", "label": "Busy ward"},
        {"id": "huddle", "kind": "intervention", "label": "Daily huddle"},
        {"id": "voice", "kind": "mechanism", "label": "Feeling safe to speak up"},
        {"id": "fewer-errors", "kind": "outcome", "label": "Fewer errors"},
    ],
    "rules": [
        {"id": "R1", "if": ["busy"], "with": ["huddle"], "because": ["voice"],
         "then": ["fewer-errors"]},
    ],
}  # fmt: skip


def _v2() -> dict[str, Any]:
    rule: dict[str, Any] = dict(_V1["rules"][0])
    rule["status"] = "refuted"
    rule["evidence"] = [
        {"source": "fg1", "participant": "p1", "stance": "refutes", "quote": "Nobody speaks up "
         "when the consultant is there."},
        {"source": "fg1", "participant": "p2", "stance": "supports", "locator": "line 40"},
    ]  # fmt: skip
    return {**_V1, "rules": [rule]}


def test_a_refuted_rule_shows_why_and_who(tmp_path: Path) -> None:
    old, new = Theory.model_validate(_V1), Theory.model_validate(_v2())
    report = rameses_report(new, previous=[old])
    assert report.versions == ("version 1: ward", "version 2: ward")
    (rules,) = _tables(report.section(13), "trail-rules")
    (row,) = rules.rows
    assert row[1] == ("refuted (was hypothesised)", "evidence added")
    assert "refutes (p1, fg1): “Nobody speaks up when the consultant is there.”" in row[3]
    (people,) = _tables(report.section(14), "participants")
    assert people.rows[0] == (("p1",), ("Nurse A",), ("role: nurse",), ("1",), ("R1",))
    (per_rule,) = _tables(report.section(15), "evidence-rules")
    assert per_rule.columns[-1] == "Participant groups"
    assert per_rule.rows[0][-1] == ("role: nurse (1 refutes)", "role: manager (1 supports)")
    assert per_rule.rows[0][2] == ("supports: fg1/p2", "refutes: fg1/p1")


def test_appraisal_columns_appear_when_sources_have_the_fields() -> None:
    from pydantic import create_model

    appraised = create_model(
        "AppraisedSource",
        __base__=Source,
        relevance=(str | None, None),
        rigour=(str | None, None),
        rigour_note=(str | None, None),
    )
    theory = Theory.model_validate(_v2())
    rated = appraised.model_validate(
        {
            "id": "fg1",
            "citation": "Focus group 1",
            "relevance": "high",
            "rigour": "moderate",
            "rigour_note": "one facilitator, no second coder",
        }
    )
    with_appraisal = Theory.model_construct(**{**dict(theory), "sources": (rated,)})
    (table,) = _tables(rameses_report(with_appraisal).section(11), "sources")
    cells = dict(zip(table.columns, table.rows[0], strict=True))
    assert cells["Relevance"] == ("high",)
    assert cells["Rigour"] == ("moderate", "one facilitator, no second coder")
    blank = appraised(id="fg1", citation="Focus group 1")
    unrated = Theory.model_construct(**{**dict(theory), "sources": (blank,)})
    section = rameses_report(unrated).section(11)
    assert any(isinstance(b, Gap) and "No source is appraised" in b.text for b in section.blocks)
    (plain,) = _tables(rameses_report(theory).section(11), "sources")
    has = [f for f in APPRAISAL_FIELDS if f in Source.model_fields]
    assert plain.columns[6:] == tuple(f.capitalize() for f in has)


# --------------------------------------------------------------------------- writers


def test_markdown_links_its_figures_and_escapes_text(tmp_path: Path) -> None:
    theory = Theory.model_validate({**_V1, "title": "Ward <b>safety</b> | huddles"})
    text = report_markdown(rameses_report(theory), figures="x")
    assert "# Ward &lt;b&gt;safety&lt;/b&gt; \\| huddles" in text
    assert "![Figure 1. The theory: ward](x/figure-1.svg)" in text


@pytest.mark.exe
def test_markdown_report_writes_its_figures_beside_it(tmp_path: Path, wfg_report: Report) -> None:
    written = write_report(wfg_report, tmp_path / "appendix.md")
    assert [p.name for p in written] == ["figure-1.svg", "figure-2.svg", "appendix.md"]
    assert written[0].parent == tmp_path / "appendix-figures"
    assert "(appendix-figures/figure-2.svg)" in written[-1].read_text(encoding="utf-8")
    assert svg_groups(written[1].read_text(encoding="utf-8"), "node")


def test_unknown_suffix_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    report = rameses_report(Theory(id="bare", title="Bare"))
    with pytest.raises(UsageError, match=r"use \.md, \.html, \.htm or \.docx"):
        write_report(report, tmp_path / "report.pdf")
    assert list(tmp_path.iterdir()) == []


def _soffice() -> str:
    """LibreOffice's soffice, or a failure that says how to install it."""
    found = shutil.which("soffice")
    if found is None:
        pytest.fail(
            "LibreOffice is missing: the .docx report is converted to PDF by `soffice "
            "--headless`; install Debian's libreoffice-writer-nogui "
            "(apt-get install libreoffice-writer-nogui)",
            pytrace=False,
        )
    return found


@pytest.mark.exe
@pytest.mark.slow
def test_docx_reads_back_and_converts_to_pdf(tmp_path: Path, wfg_report: Report) -> None:
    import docx

    path = write_report(wfg_report, tmp_path / "report.docx")[0]
    doc = docx.Document(str(path))
    headings = [
        p.text for p in doc.paragraphs if p.style and str(p.style.name).startswith("Heading")
    ]
    assert "Initial programme theory (RAMESES II item 4)" in headings
    assert "Analysis trail (RAMESES II item 13)" in headings
    assert len(doc.inline_shapes) == len(wfg_report.figures) == 2
    tables = [b for s in wfg_report.walk() for b in s.blocks if isinstance(b, Table)]
    assert len(doc.tables) == len(tables)
    for model, grid in zip(tables, doc.tables, strict=True):
        assert tuple(c.text for c in grid.rows[0].cells) == model.columns
        cells = [
            tuple(c.text for c in row.cells) for row in grid.rows[1:] if len(set(row.cells)) > 1
        ]
        expected = [tuple("\n".join(" ".join(x.split()) for x in c) for c in r) for r in model.rows]
        assert cells == expected, model.caption
    landscape = [s for s in doc.sections if s.page_width > s.page_height]  # type: ignore[operator]
    assert landscape, "the CMOC tables are set on landscape pages"
    done = subprocess.run(
        [
            _soffice(),
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",  # its own profile
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(path),
        ],
        capture_output=True,
        timeout=240,
        check=False,
    )
    pdf = tmp_path / "report.pdf"
    assert done.returncode == 0 and pdf.exists(), done.stderr
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-r", "40", "-png", str(pdf), str(tmp_path / "page")],
                       check=True, timeout=120)  # fmt: skip
        assert len(list(tmp_path.glob("page-*.png"))) >= 8
    assert pdf.read_bytes().startswith(b"%PDF")


@pytest.mark.exe
@pytest.mark.browser
def test_html_report_shows_in_chromium(tmp_path: Path, wfg_report: Report) -> None:
    path = write_report(wfg_report, tmp_path / "report.html")[0]
    page_text = path.read_text(encoding="utf-8")
    assert "<script" not in page_text and "http://" not in page_text.split("<svg", 1)[0]
    with browser_context() as context:
        requests: list[str] = []
        page = context.new_page()
        page.on("request", lambda r: requests.append(r.url))
        page.goto(path.as_uri())
        sizes = page.eval_on_selector_all(
            "figure svg", "els => els.map(e => [e.getBoundingClientRect().width, "
            "e.getBoundingClientRect().height])"
        )  # fmt: skip
        assert len(sizes) == 2 and all(w > 300 and h > 100 for w, h in sizes)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 1366, "nothing wider than the window"
        assert page.locator("table.cmoc").count() == 2
        assert page.locator("h2", has_text="Analysis trail (RAMESES II item 13)").count() == 1
        page.screenshot(path=str(tmp_path / "report.png"), full_page=True)
        assert requests == [path.as_uri()]
    assert (tmp_path / "report.png").stat().st_size > 10_000


def test_html_escapes_the_theory() -> None:
    theory = Theory.model_validate({**_V1, "title": "<script>alert(1)</script>"})
    page = report_html(rameses_report(theory), svg=lambda f: "<svg></svg>")
    assert "<script>" not in page and "&lt;script&gt;" in page


# --------------------------------------------------------------------------- command line


@pytest.mark.exe
def test_cli_report_with_previous_files(tmp_path: Path) -> None:
    old, new = tmp_path / "v1.yaml", tmp_path / "v2.yaml"
    cimo.dump(Theory.model_validate(_V1), old)
    cimo.dump(Theory.model_validate(_v2()), new)
    out = tmp_path / "report.html"
    result = runner.invoke(app, ["report", str(new), "--previous", str(old), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "refuted (was hypothesised)" in out.read_text(encoding="utf-8")


def test_cli_report_refuses_bad_output_without_traceback(tmp_path: Path) -> None:
    result = runner.invoke(app, ["report", "pwp-resilience", "-o", str(tmp_path / "r.pdf")])
    assert result.exit_code == 2
    assert "cannot tell the report format of" in result.output
    assert "Traceback" not in result.output
    theory = tmp_path / "t.yaml"
    cimo.dump(Theory.model_validate(_V1), theory)
    link = tmp_path / "out.html"
    link.symlink_to(theory)
    result = runner.invoke(app, ["report", str(theory), "-p", str(theory), "-o", str(link)])
    assert result.exit_code == 2 and "also an input" in result.output
    assert cimo.load(theory) == Theory.model_validate(_V1)
    result = runner.invoke(app, ["report", "pwp-resilience", "-p", "nope", "-o", "x.md"])
    assert result.exit_code == 2 and "no such file" in result.output


# --------------------------------------------------------------------------- the docs page


def _build_docs() -> ModuleType:
    script = ROOT / "docs" / "report" / "build_report.py"
    spec = importlib.util.spec_from_file_location("report_build", script)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.exe
def test_the_docs_example_report_is_current(tmp_path: Path) -> None:
    build = _build_docs()
    written = build.build(tmp_path)
    for path in written:
        committed = ROOT / "docs" / path.relative_to(tmp_path)
        assert committed.exists(), f"{committed} is missing: run docs/report/build_report.py"
        if path.suffix == ".svg":
            assert svg_groups(committed.read_text(encoding="utf-8"), "node") == svg_groups(
                path.read_text(encoding="utf-8"), "node"
            ), f"{committed} is stale: run docs/report/build_report.py"
        else:
            assert committed.read_text(encoding="utf-8") == path.read_text(encoding="utf-8"), (
                f"{committed} is stale: run docs/report/build_report.py"
            )
