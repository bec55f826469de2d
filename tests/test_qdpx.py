"""REFI-QDA projects: coded transcripts in as evidence, evidence quotes out as coded passages.

Checked against the REFI-QDA Project schema (``tests/data/refi-qda-project-mrt2019.xsd``)
and against a real, independent implementation of the standard: ``pyrefiqda`` (PyPI),
whose reader and writer are bindings generated from that schema. QualCoder's own
import code is not installable from a package registry, so it is not used here.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from typer.testing import CliRunner

import cimo
from cimo.cli import app
from cimo.errors import FileFormatError, UsageError
from cimo.exchange.qdpx import NAMESPACE, import_qdpx, source_texts, to_qdpx
from cimo.strategies import theories

DATA = Path(__file__).parent / "data"
FIXTURE = DATA / "qdpx" / "group-cbt-interviews.qdpx"
TRANSCRIPTS = DATA / "qdpx" / "transcripts"
PROJECT_XSD = etree.XMLSchema(etree.parse(str(DATA / "refi-qda-project-mrt2019.xsd")))
MAPPING = {"Peer support": "relate"}
Q = {"q": NAMESPACE}
runner = CliRunner()


def _qde(data: bytes) -> etree._Element:
    """The project XML of a .qdpx, asserted valid against the Project schema."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        doc = etree.fromstring(archive.read("project.qde"))
    PROJECT_XSD.assertValid(doc)
    return doc


def _evidence(theory: cimo.Theory) -> set[tuple[str, str | None, str | None, str | None]]:
    """(rule, locator, participant, stance) of every evidence entry located in characters."""
    return {
        (r.id, e.locator, e.participant, e.stance)
        for r in theory.rules
        for e in r.evidence
        if e.locator and e.locator.startswith("characters")
    }


@pytest.fixture
def imported(wfg: cimo.Theory) -> cimo.Theory:
    return import_qdpx(wfg, FIXTURE, mapping=MAPPING, kind="interview").theory


# --------------------------------------------------------------------------- the fixture


def test_fixture_is_a_valid_project_of_three_transcripts_four_cases_twenty_passages() -> None:
    doc = _qde(FIXTURE.read_bytes())
    assert len(doc.findall("q:Sources/q:TextSource", Q)) == 3
    assert [c.get("name") for c in doc.findall("q:Cases/q:Case", Q)] == ["P01", "P02", "T01", "T02"]
    spans = {
        (s.getparent().get("guid"), s.get("startPosition"), s.get("endPosition"))
        for s in doc.iterfind(".//q:PlainTextSelection", Q)
    }
    assert len(spans) == 20


# --------------------------------------------------------------------------- import


def test_coded_passages_become_evidence_with_quote_source_locator_and_participant(
    wfg: cimo.Theory,
) -> None:
    result = import_qdpx(wfg, FIXTURE, mapping=MAPPING, kind="interview")
    theory = result.theory
    texts = {p.stem: p.read_text(encoding="utf-8") for p in TRANSCRIPTS.glob("*.txt")}
    located = [(r, e) for r in theory.rules for e in r.evidence if e.kind == "interview"]
    # Every quote is exactly the transcript's text between the locator's positions.
    for _, e in located:
        assert e.source in texts and e.locator and e.quote
        start, end = map(int, e.locator.removeprefix("characters ").split("-"))
        assert texts[e.source][start:end] == e.quote
    by_quote = {(e.quote or "")[:30]: (r.id, e.participant, e.stance) for r, e in located}
    # A rule code, a stance code, and the case that owns the interview:
    assert by_quote["the sessions about relationshi"] == ("figure-4", "P02", "refutes")
    assert by_quote["I kept my job. I don't think I"] == ("retain", "P01", "supports")
    # Node codes only: the one rule that names both (resolve, work-status); in the focus
    # group the speaker comes from the case's SelectionRef, not the shared source.
    assert by_quote["Every session has a work threa"] == ("figure-4", "T02", None)
    # The team's own code, mapped to a mechanism.
    assert by_quote["because it came from them and "] == ("figure-4", "P01", None)
    # 20 passages: one unplaced (no rule names group-format), one with an unmatched code only.
    assert result.passages == 20
    assert len({(e.source, e.locator) for _, e in located}) == 18
    assert [u.codes for u in result.unplaced] == [
        (
            "Closed fixed-term group of 12 full-day sessions, at most eight clients and two "
            "co-facilitators",
            "Interesting quotes",
        )
    ]
    assert "group-format" in result.unplaced[0].reason
    assert [c.code for c in result.unmatched] == ["Team codes/Interesting quotes"]
    # Participants and their attributes, typed as the project's variables say.
    people = {p.id: dict(p.attributes) for p in theory.participants}
    assert people["P02"] == {
        "role": "client",
        "work status at start": "off sick",
        "sessions attended": 9,
    }
    assert people["T01"] == {"role": "group therapist"}
    assert {s.id: s.citation for s in theory.sources}["interview-02"] == "Interview 2 (P02)"


def test_a_code_that_matches_nothing_is_reported_and_makes_no_evidence(wfg: cimo.Theory) -> None:
    result = import_qdpx(wfg, FIXTURE)
    assert [c.code for c in result.unmatched] == [
        "Team codes/Peer support",
        "Team codes/Interesting quotes",
    ]
    quotes = [e.quote for r in result.theory.rules for e in r.evidence]
    assert not any(q and q.startswith("because it came from them") for q in quotes)
    assert "'Team codes/Peer support' matches no node, rule or stance" in str(result)


def test_importing_the_same_project_again_changes_nothing(imported: cimo.Theory) -> None:
    again = import_qdpx(imported, FIXTURE, mapping=MAPPING, kind="interview")
    assert again.added == 0
    assert again.theory == imported
    # ... also after the theory went through its file.
    reloaded = cimo.loads(cimo.dumps(imported, format="yaml"), format="yaml")
    assert import_qdpx(reloaded, FIXTURE, mapping=MAPPING, kind="interview").theory == reloaded


def test_a_passage_in_a_shared_source_without_a_speaker_has_no_participant(
    wfg: cimo.Theory,
) -> None:
    # Without the focus group's SelectionRefs, two cases share its source: nobody is guessed.
    with zipfile.ZipFile(FIXTURE) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    files["project.qde"] = re.sub(rb"<SelectionRef [^>]*/>", b"", files["project.qde"])
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    theory = import_qdpx(wfg, out.getvalue(), mapping=MAPPING).theory
    speakers = {
        e.participant
        for r in theory.rules
        for e in r.evidence
        if e.source == "focus-group-therapists"
    }
    assert speakers == {None}


def test_what_cimo_does_not_read_is_reported_not_dropped(wfg: cimo.Theory) -> None:
    doc = _qde(FIXTURE.read_bytes())
    code = next(c for c in doc.iter(f"{{{NAMESPACE}}}Code") if c.get("name") == "Rule retain")
    project = _rezip(
        replace=(
            "</TextSource>",
            f'<Coding guid="00000000-0000-4000-8000-000000000001">'
            f'<CodeRef targetGUID="{code.get("guid")}"/></Coding></TextSource>',
        )
    )
    with zipfile.ZipFile(io.BytesIO(project)) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    files["project.qde"] = files["project.qde"].replace(
        b"<Sources>",
        b'<Sources><PDFSource guid="00000000-0000-4000-8000-000000000002" name="scan.pdf"/>',
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    _qde(out.getvalue())
    result = import_qdpx(wfg, out.getvalue(), mapping=MAPPING)
    whole = [(u.source, u.codes, u.reason) for u in result.unplaced if u.locator == "whole source"]
    assert whole == [
        (
            "interview-01",
            ("Rule retain",),
            "coded as a whole source; cimo reads coded passages only",
        ),
        ("scan.pdf", (), "a PDFSource: cimo reads plain-text sources only"),
    ]
    assert "scan.pdf whole source: a PDFSource" in str(result)


def test_a_mapping_to_an_unknown_id_is_refused_with_a_suggestion(wfg: cimo.Theory) -> None:
    with pytest.raises(UsageError, match=r"'relat' is no node, rule or stance.*'relate'"):
        import_qdpx(wfg, FIXTURE, mapping={"Peer support": "relat"})


# --------------------------------------------------------------------------- export


def test_export_is_valid_and_codes_every_quote_whose_source_text_is_known(
    imported: cimo.Theory,
) -> None:
    made = to_qdpx(imported, texts=source_texts(FIXTURE))
    doc = _qde(made.data)
    located = [e for r in imported.rules for e in r.evidence if e.kind == "interview"]
    assert made.placed == len(located)
    # The other quotes (from the published papers, whose text cimo does not hold) are listed.
    others = [e for r in imported.rules for e in r.evidence if e.quote and e.kind != "interview"]
    assert len(made.not_placed) == len(others)
    assert all("no text given for source" in n.reason for n in made.not_placed)
    codes = [c.get("name") for c in doc.findall("q:CodeBook/q:Codes/q:Code", Q)]
    assert codes[-2:] == ["Rules", "Evidence stance"]
    assert to_qdpx(imported, texts=source_texts(FIXTURE)).data == made.data  # stable


def test_export_then_import_gives_the_same_evidence(
    wfg: cimo.Theory, imported: cimo.Theory
) -> None:
    made = to_qdpx(imported, texts=source_texts(FIXTURE))
    back = import_qdpx(wfg, made.data, kind="interview")
    assert back.unmatched == () and back.unplaced == ()
    assert _evidence(back.theory) == _evidence(imported)
    assert back.theory.participants == imported.participants


def test_codes_a_tool_gave_new_guids_still_match_by_their_description(
    wfg: cimo.Theory, imported: cimo.Theory
) -> None:
    # QualCoder (run headless on cimo's export) re-creates every code's GUID on import
    # and writes its own on export; the "cimo id:" line of each description survives.
    made = to_qdpx(imported, texts=source_texts(FIXTURE)).data
    with zipfile.ZipFile(io.BytesIO(made)) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    qde = files["project.qde"].decode()
    for n, old in enumerate(re.findall(r'<Code guid="([^"]+)"', qde)):
        qde = qde.replace(old, f"00000000-0000-4000-8000-{n:012d}")
    files["project.qde"] = qde.encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    _qde(out.getvalue())
    back = import_qdpx(wfg, out.getvalue(), kind="interview")
    assert back.unmatched == ()
    assert _evidence(back.theory) == _evidence(imported)


def test_source_texts_from_a_folder(tmp_path: Path) -> None:
    (tmp_path / "interview-01.txt").write_text("Hello", encoding="utf-8")
    (tmp_path / "notes.md").write_text("ignored", encoding="utf-8")
    assert source_texts(tmp_path) == {"interview-01": "Hello"}


# A quote is any text XML carries; the hypothesis run shows what the model allows.
_xml_text = st.text(
    st.characters(blacklist_categories=("Cc", "Cs"), blacklist_characters="\ufffe\uffff")
    | st.sampled_from("\t\n\r:\"'<>&"),
    min_size=1,
    max_size=40,
)


@st.composite
def _quoted(draw: st.DrawFn) -> tuple[cimo.Theory, cimo.Theory, dict[str, str]]:
    """A generated theory without evidence, the same with drawn quotes, the sources' texts."""
    theory = draw(
        theories(max_nodes=6, min_rules=1, max_rules=4, labels=_xml_text.filter(str.strip))
    )
    data = cimo.core.data.to_data(theory)
    for rule in data["rules"]:
        rule.pop("evidence", None)
    bare = cimo.Theory.model_validate(data)
    sources = draw(
        st.lists(
            st.sampled_from(["qdpx-int-1", "qdpx.int.2", "qdpx_notes.txt"]), min_size=1, unique=True
        )
    )
    texts = {s: draw(_xml_text) for s in sources}
    for rule in data["rules"]:
        for _ in range(draw(st.integers(0, 3))):
            source = draw(st.sampled_from(sources))
            quote = draw(_xml_text)
            texts[source] += quote + draw(_xml_text)
            stance = draw(st.sampled_from([None, "supports", "refutes", "refines"]))
            rule.setdefault("evidence", []).append(
                {"source": source, "quote": quote} | ({"stance": stance} if stance else {})
            )
    data["sources"] = [*data.get("sources", ()), *({"id": s, "citation": s} for s in sources)]
    return bare, cimo.Theory.model_validate(data), texts


@settings(max_examples=30, deadline=None)
@given(_quoted())
def test_generated_theories_take_their_quotes_there_and_back(
    case: tuple[cimo.Theory, cimo.Theory, dict[str, str]],
) -> None:
    bare, theory, texts = case
    try:
        made = to_qdpx(theory, texts=texts)
    except UsageError:
        return  # a text field XML cannot carry (control characters): refused, as documented
    _qde(made.data)
    quotes = [(r.id, e) for r in theory.rules for e in r.evidence]
    assert made.placed == len(quotes) and made.not_placed == ()
    back = import_qdpx(bare, made.data)
    assert back.unmatched == () and back.unplaced == ()
    # Every quote comes back on its rule and source; a stance too, unless one passage holds
    # quotes with different stances (written without a stance code, as documented).
    got = {(r.id, e.source, e.quote) for r in back.theory.rules for e in r.evidence}
    assert got == {(rule, e.source, e.quote) for rule, e in quotes}
    stances = {(r.id, e.quote, e.stance) for r in back.theory.rules for e in r.evidence}
    for rule, e in quotes:
        same_text = {x.stance for _, x in quotes if (x.source, x.quote) == (e.source, e.quote)}
        if len(same_text) == 1:
            assert (rule, e.quote, e.stance) in stances
    assert import_qdpx(back.theory, made.data).theory == back.theory


# --------------------------------------------------------------------------- a real consumer


def test_pyrefiqda_reads_what_cimo_writes(imported: cimo.Theory, tmp_path: Path) -> None:
    pyrefiqda = pytest.importorskip("pyrefiqda", reason="pip install pyrefiqda (in cimo[dev])")
    qdpx = tmp_path / "study.qdpx"
    qdpx.write_bytes(to_qdpx(imported, texts=source_texts(FIXTURE)).data)
    project = pyrefiqda.RefiProject.load(qdpx, extract_dir=str(tmp_path / "x"))
    codes = {}
    stack = list(project.code_book.codes.code)
    while stack:
        code = stack.pop()
        codes[code.guid] = code
        stack.extend(code.code)
    variables = {v.guid: v.name for v in project.variables.variable}
    p02 = next(c for c in project.cases.case if c.name == "P02")
    assert {
        variables[v.variable_ref.target_guid]: v.integer_value or v.text_value
        for v in p02.variable_value
    } == {
        "role": "client",
        "work status at start": "off sick",
        "sessions attended": 9,
    }
    read = set()
    for source in project.sources.text_source:
        path = pyrefiqda.RefiProject.resolve_source_path(source.plain_text_path, tmp_path / "x")
        text = path.read_text(encoding="utf-8")
        for sel in source.plain_text_selection:
            for coding in sel.coding:
                code = codes[coding.code_ref.target_guid]
                if code.name.startswith("Rule "):
                    rule = (code.description or "").rsplit("cimo id: ", 1)[1]
                    read.add((rule, text[sel.start_position : sel.end_position]))
    expected = {
        (r.id, e.quote) for r in imported.rules for e in r.evidence if e.kind == "interview"
    }
    assert read == expected


def test_a_project_written_by_pyrefiqda_imports_the_same(wfg: cimo.Theory, tmp_path: Path) -> None:
    pyrefiqda = pytest.importorskip("pyrefiqda", reason="pip install pyrefiqda (in cimo[dev])")
    extracted = tmp_path / "x"
    project = pyrefiqda.RefiProject.load(FIXTURE, extract_dir=str(extracted))
    resaved = tmp_path / "resaved.qdpx"
    pyrefiqda.RefiProject.save(project, resaved, source_media_dir=extracted / "sources")
    assert zipfile.ZipFile(resaved).read("project.qde") != zipfile.ZipFile(FIXTURE).read(
        "project.qde"
    )
    mine = import_qdpx(wfg, FIXTURE, mapping=MAPPING, kind="interview").theory
    theirs = import_qdpx(wfg, resaved, mapping=MAPPING, kind="interview").theory
    assert theirs == mine


# --------------------------------------------------------------------------- bad input


def _rezip(
    replace: tuple[str, str] | None = None,
    drop: str | None = None,
    extra: dict[str, str] | None = None,
) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(FIXTURE) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == drop:
                continue
            if info.filename == "project.qde" and replace:
                text = data.decode()
                assert replace[0] in text
                data = text.replace(replace[0], replace[1], 1).encode()
            dst.writestr(info.filename, data)
        for name, text in (extra or {}).items():
            dst.writestr(name, text)
    return out.getvalue()


def _first_source_file() -> str:
    doc = _qde(FIXTURE.read_bytes())
    path = str(doc.find("q:Sources/q:TextSource", Q).get("plainTextPath"))
    return "sources/" + path.removeprefix("internal://")


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: b"name,quote\nP01,hello\n", "not a zip archive"),
        (lambda: b"<?xml version='1.0'?><CodeBook/>", "cimo import --from qdc"),
        (lambda: _rezip(drop="project.qde"), "exactly one project file (*.qde)"),
        (lambda: _rezip(drop=_first_source_file()), "but the project has no file 'sources/"),
        (
            lambda: _rezip(replace=('endPosition="', 'endPosition="9')),
            "beyond the end of its source",
        ),
        (
            lambda: _rezip(
                replace=('plainTextPath="internal://', 'plainTextPath="internal://../../')
            ),
            "escapes the sources/ folder",
        ),
        (
            lambda: _rezip(replace=('plainTextPath="internal://', 'plainTextPath="relative://')),
            "outside the project",
        ),
        (lambda: _rezip(replace=("<Sources>", "<Sources><Bad")), "not well-formed XML"),
        (lambda: _rezip(replace=("<Project ", "<Projekt ")), "not well-formed XML"),
    ],
)
def test_bad_projects_get_located_errors(
    wfg: cimo.Theory, tmp_path: Path, make: Callable[[], bytes], message: str
) -> None:
    bad = tmp_path / "bad.qdpx"
    bad.write_bytes(make())
    with pytest.raises(FileFormatError, match=re.escape(message)) as err:
        import_qdpx(wfg, bad)
    assert str(bad) in str(err.value)
    result = runner.invoke(app, ["import-qdpx", "work-focused-group-cbt", str(bad)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output and str(bad) in result.stderr


def test_a_project_larger_than_the_limit_is_refused(
    wfg: cimo.Theory, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = "x" * 5000
    big = _rezip(extra={_first_source_file() + ".big": text})
    monkeypatch.setenv("CIMO_MAX_FILE_BYTES", str(len(big) + 10))
    import_qdpx(wfg, big)  # the unread member does not count
    monkeypatch.setenv("CIMO_MAX_FILE_BYTES", "3000")
    with pytest.raises(FileFormatError, match="limit"):
        import_qdpx(wfg, FIXTURE.read_bytes())


# --------------------------------------------------------------------------- CLI


def test_cli_import_then_export(tmp_path: Path) -> None:
    mapping = tmp_path / "codes.yaml"
    mapping.write_text("codes:\n  Team codes/Peer support: relate\n", encoding="utf-8")
    out = tmp_path / "tested.yaml"
    result = runner.invoke(
        app,
        [
            "import-qdpx",
            "work-focused-group-cbt",
            str(FIXTURE),
            "--map",
            str(mapping),
            "--kind",
            "interview",
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "20 coded passages read; 18 evidence entries added" in result.stderr
    assert "'Team codes/Interesting quotes' matches no node" in result.stderr
    theory = cimo.load(out)
    assert len(theory.participants) == 4
    qdpx = tmp_path / "study.qdpx"
    result = runner.invoke(
        app, ["export-qdpx", str(out), "-o", str(qdpx), "--sources", str(TRANSCRIPTS)]
    )
    assert result.exit_code == 0, result.output
    assert "18 evidence quotes coded in their sources" in result.stderr
    _qde(qdpx.read_bytes())
    result = runner.invoke(
        app, ["import-qdpx", "work-focused-group-cbt", str(FIXTURE), "--format", "json"]
    )
    assert result.exit_code == 0
    report = json.loads(result.stderr)
    assert report["passages"] == 20 and "theory" not in report
    assert [c["code"] for c in report["codes"] if c["target"] is None and c["passages"]] == [
        "Team codes/Peer support",
        "Team codes/Interesting quotes",
    ]
    bad_map = tmp_path / "bad.yaml"
    bad_map.write_text("Peer support: relate\n", encoding="utf-8")
    result = runner.invoke(
        app, ["import-qdpx", "work-focused-group-cbt", str(FIXTURE), "--map", str(bad_map)]
    )
    assert (
        result.exit_code == 2
        and "a code mapping is a YAML mapping with one key, codes" in result.stderr
    )
