"""References: BibTeX, RIS and CSL-JSON in; BibTeX and CSL-JSON out; source appraisal."""

from __future__ import annotations

import contextlib
import json
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import cimo
from cimo.cli import app
from cimo.exchange.references import (
    dumps_references,
    loads_references,
    normalise_doi,
    read_references,
    update_sources,
    write_references,
)
from cimo.query import evidence

REFS = Path(__file__).parent / "data" / "refs"
BIB, RIS, CSL = REFS / "zotero.bib", REFS / "endnote.ris", REFS / "zotero-csl.json"
runner = CliRunner()

#: The bibliographic fields (what a reference file carries).
BIBLIOGRAPHIC = (
    "type", "authors", "title", "container", "year", "volume", "issue", "pages", "publisher",
    "doi", "url",
)  # fmt: skip


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def bibliographic(source: cimo.Source) -> dict[str, object]:
    return {k: getattr(source, k) for k in BIBLIOGRAPHIC}


# --------------------------------------------------------------------------- reading


def test_a_zotero_bibtex_export_is_read_with_latex_decoded() -> None:
    by_id = {s.id: s for s in read_references(BIB)}
    assert len(by_id) == 6
    pawson = by_id["pawsonRealistReviewNew2005"]
    assert pawson.container == "Journal of Health Services Research & Policy"  # \&
    assert pawson.issue == "1_suppl"  # \_
    assert pawson.pages == "21-34"  # 21--34
    assert pawson.authors[0] == "Pawson, Ray"
    assert pawson.type == "article-journal"
    wong = by_id["wongRAMESESPublicationStandards2013"]
    assert wong.title == "RAMESES Publication Standards: Realist Syntheses"  # {RAMESES}
    assert wong.doi == "10.1186/1741-7015-11-21"
    nice = by_id["niceDevelopingNICEGuidelines2014"]
    assert nice.authors == ("National Institute for Health and Care Excellence",)  # {...}
    assert (nice.type, nice.publisher) == (
        "report",
        "National Institute for Health and Care Excellence",
    )
    book = by_id["pawsonEvidencebasedPolicyRealist2006"]
    assert (book.type, book.publisher, book.year) == ("book", "SAGE", 2006)
    assert book.citation == "Pawson, R. (2006). Evidence-Based Policy: A Realist Perspective. SAGE."


def test_an_endnote_ris_export_is_read_with_family_year_ids() -> None:
    sources = read_references(RIS)
    assert [s.id for s in sources] == ["walker-2021", "lexis-2011", "westhorp-2018"]
    lexis = sources[1]
    assert lexis.authors[3] == "van Amelsvoort, L. G. P. M."
    assert (lexis.volume, lexis.issue, lexis.pages) == ("68", "6", "400-407")
    assert lexis.doi == "10.1136/oem.2010.057877"
    chapter = sources[2]
    assert (chapter.type, chapter.container) == ("chapter", "Doing Realist Research")


def test_a_csl_json_export_is_read_and_uri_ids_become_family_year() -> None:
    sources = read_references(CSL)
    assert [s.id for s in sources] == ["dalkin-2015", "vivolo", "the-rameses-projects-2014"]
    dalkin, vivolo, page = sources
    assert dalkin.authors[0] == "Dalkin, Sonia M."
    assert (dalkin.year, dalkin.pages) == (2015, "49")
    assert vivolo.year is None and vivolo.doi == "10.1017/s1352465823000334"
    assert (page.type, page.authors) == ("webpage", ("The RAMESES Projects",))


def test_two_references_of_one_author_and_year_get_distinct_ids() -> None:
    ris = "".join(
        f"TY  - JOUR\nAU  - Smith, A.\nPY  - 2020\nTI  - {t}\nER  - \n" for t in ("One", "Two")
    )
    assert [s.id for s in loads_references(ris, format="ris")] == ["smith-2020", "smith-2020b"]


# --------------------------------------------------------------------------- located errors


@pytest.mark.parametrize(
    ("name", "line", "words"),
    [
        ("zotero-broken.bib", 16, "BibTeX error in the entry starting '@article{wongRAMESES"),
        ("endnote-broken.ris", 26, "'TI - Prevention"),
        ("zotero-csl-broken.json", 10, "not valid JSON"),
    ],
)
def test_a_syntax_error_is_located_in_python_and_on_the_command_line(
    name: str, line: int, words: str, tmp_path: Path
) -> None:
    with pytest.raises(cimo.FileFormatError) as err:
        read_references(REFS / name)
    assert (err.value.file, err.value.line) == (str(REFS / name), line)
    assert words in str(err.value)
    out = tmp_path / "out.yaml"
    code, stdout, stderr = run(
        "sources", "import", "pwp-resilience", str(REFS / name), "-o", str(out)
    )
    assert code == 2
    assert stderr.startswith(f"error: {REFS / name}:{line}")
    assert "Traceback" not in stderr + stdout
    assert not out.exists()  # nothing written


@pytest.mark.parametrize(
    ("text", "fmt", "message"),
    [
        ("@article{x,\n title = {a},\n title = {b}}\n", "bibtex", "x:1: .*keep one of the two"),
        ("@article{x, title={a}}\n@article{x, title={b}}\n", "bibtex", "x:2: .*own citation key"),
        ("TY  - JOUR\nTI  - a\n", "ris", "x:1: .*never ends"),
        ("AU  - Smith, A.\nER  - \n", "ris", "x:1: .*outside a record"),
        ("TY  - JOUR\nTY  - BOOK\nER  - \n", "ris", "x:2: .*before the record of line 1 ends"),
        ('{"title": "x"}', "csl-json", "x: CSL-JSON is a list of items"),
        ('[\n  {"id": "a"},\n  {"title": "x"}\n]', "csl-json", "x:3: CSL-JSON item 2 has no 'id'"),
        ('[{"id": "a", "author": {"family": "A"}}]', "csl-json", "x:1: .*names are lists"),
    ],
)
def test_bad_reference_files_get_located_errors(text: str, fmt: str, message: str) -> None:
    with pytest.raises(cimo.FileFormatError, match=message):
        loads_references(text, format=fmt, file="x")  # type: ignore[arg-type]


def test_a_missing_parser_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "bibtexparser", None)
    with pytest.raises(cimo.MissingDependencyError, match=r"pip install 'cimo\[references\]'"):
        read_references(BIB)


def test_an_unknown_suffix_is_a_usage_error(tmp_path: Path) -> None:
    code, _, stderr = run("sources", "export", "pwp-resilience", "-o", str(tmp_path / "r.txt"))
    assert code == 2 and ".bib (BibTeX)" in stderr


# --------------------------------------------------------------------------- matching


def test_import_matches_by_doi_then_id_keeps_appraisal_and_is_idempotent() -> None:
    wfg = cimo.load_example("work-focused-group-cbt")
    appraised = cimo.evolve(
        wfg,
        sources=tuple(
            cimo.evolve(s, rigour="high", rigour_note="RCT") if s.id == "lexis-2011" else s
            for s in wfg.sources
        ),
    )
    done = update_sources(appraised, [*read_references(BIB), *read_references(RIS)])
    assert done.matched_by_doi == ("walker-mhrj",)  # the .bib key differs; the DOI matches
    assert set(done.updated) == {"walker-mhrj", "walker-2021", "lexis-2011"}
    assert len(done.added) == 6 and "westhorp-2018" in done.added
    lexis = done.theory.source_index["lexis-2011"]
    assert lexis.doi == "10.1136/oem.2010.057877"  # taken from EndNote
    assert (lexis.rigour, lexis.rigour_note) == ("high", "RCT")  # kept
    assert lexis.citation == wfg.source_index["lexis-2011"].citation  # the theory's wording
    again = update_sources(done.theory, [*read_references(BIB), *read_references(RIS)])
    assert again.theory == done.theory
    assert (again.added, again.updated) == ((), ())


def test_a_doi_is_matched_whatever_its_prefix_and_case() -> None:
    pwp = cimo.load_example("pwp-resilience")
    done = update_sources(pwp, read_references(CSL))
    assert done.matched_by_doi == ("vivolo",)
    assert done.theory.source_index["vivolo"].pages == "135-148"
    assert normalise_doi("doi:10.1017/S1352465823000334") == "10.1017/s1352465823000334"


def test_an_id_match_is_refused_when_the_dois_differ() -> None:
    theory = cimo.Theory(
        id="t", title="T", sources=(cimo.Source(id="smith-2020", citation="S", doi="10.1/a"),)
    )
    other = cimo.Source(id="smith-2020", citation="Other", doi="10.1/b")
    done = update_sources(theory, [other])
    assert done.added == ("smith-2020b",) and done.not_in_file == ("smith-2020",)


def test_cli_import_reports_and_writes_atomically(tmp_path: Path) -> None:
    out = tmp_path / "wfg.yaml"
    code, _, stderr = run(
        "sources", "import", "work-focused-group-cbt", str(BIB), str(RIS), "-o", str(out)
    )
    assert code == 0
    assert "6 sources added" in stderr and "3 sources updated" in stderr
    assert "matched by DOI: walker-mhrj" in stderr
    assert len(cimo.load(out).sources) == 9
    code, _, stderr = run("sources", "import", str(out), str(BIB), "-o", str(out))
    assert code == 2 and "also an input" in stderr


# --------------------------------------------------------------------------- writing


NASTY = cimo.Source(
    id="nasty",
    citation="x",
    type="chapter",
    authors=("Müller, Jörg", "O'Brien, Seán", "{Org} & Co", "Zhang, 伟"),
    title="Braces {and} 100% $cost$ #1 under_score ~ caret^ back\\slash: “quotes” — dash",
    container="Edited Book",
    year=1999,
    volume="2",
    issue="3",
    pages="5-9",
    publisher="Press & Sons",
    doi="10.1000/a_b{c}",
    url="https://example.org/a%20b?x=1&y=2",
)


@pytest.mark.parametrize("fmt", ["bibtex", "csl-json"])
def test_sources_round_trip_through_bibtex_and_csl_json(fmt: str) -> None:
    sources = (*read_references(BIB), *read_references(RIS), *read_references(CSL), NASTY)
    back = loads_references(dumps_references(sources, format=fmt), format=fmt)  # type: ignore[arg-type]
    assert [s.id for s in back] == [s.id for s in sources]
    for before, after in zip(sources, back, strict=True):
        expected = bibliographic(before)
        if fmt == "bibtex" and before.type not in ("article-journal", "book", "chapter", "report"):
            expected["type"] = after.type  # BibTeX has fewer types (checked below)
        if before is NASTY and fmt == "bibtex":
            expected["doi"] = "10.1000/a_b%7Bc%7D"  # braces cannot stand in a BibTeX value
        assert bibliographic(after) == expected, before.id


_TEXT = (
    st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp", "Zs")) | st.just(" "))
    .map(lambda t: " ".join(t.split()))
    .filter(bool)
)


@settings(max_examples=150, deadline=None)
@given(title=_TEXT, family=_TEXT.filter(lambda t: "," not in t), given_=_TEXT, container=_TEXT)
def test_any_text_survives_bibtex_and_csl_json(
    title: str, family: str, given_: str, container: str
) -> None:
    # Words are kept with single spaces (the readers fold white space, as BibTeX does).
    source = cimo.Source(
        id="x",
        citation="x",
        type="chapter",
        title=title,
        authors=(f"{family}, {given_}",),
        container=container,
        publisher=title,
    )
    for fmt in ("bibtex", "csl-json"):
        text = dumps_references([source], format=fmt)
        back = loads_references(text, format=fmt)[0]
        assert bibliographic(back) == bibliographic(source), text


def test_every_example_source_survives_an_export(tmp_path: Path) -> None:
    for name in ("work-focused-group-cbt", "pwp-resilience"):
        theory = cimo.load_example(name)
        for suffix in (".bib", ".json"):
            path = write_references(theory, tmp_path / f"{name}{suffix}")
            back = read_references(path)
            assert [s.id for s in back] == [s.id for s in theory.sources]
            assert [s.doi for s in back] == [s.doi for s in theory.sources]
            assert [s.year for s in back] == [s.year for s in theory.sources]


def test_pybtex_reads_the_bibtex_export() -> None:
    from pybtex.database import parse_string

    sources = (*read_references(BIB), *read_references(RIS), NASTY)
    db = parse_string(dumps_references(sources, format="bibtex"), "bibtex")
    assert list(db.entries) == [s.id for s in sources]
    dada = db.entries["dadaApplyingReportingRelevance2023"]
    assert [str(p) for p in dada.persons["author"]][-1] == "Mukumbang, Ferdinand C."
    assert dada.type == "article" and dada.fields["pages"] == "504--514"
    nice = db.entries["niceDevelopingNICEGuidelines2014"]
    assert len(nice.persons["author"]) == 1  # the organisation stays one name
    assert db.entries["westhorp-2018"].type == "incollection"
    assert len(db.entries["nasty"].persons["author"]) == 4


def test_citeproc_renders_the_csl_json_export(tmp_path: Path) -> None:
    from citeproc import (
        Citation,
        CitationItem,
        CitationStylesBibliography,
        CitationStylesStyle,
        formatter,
    )
    from citeproc.source.json import CiteProcJSON

    path = write_references(cimo.load_example("work-focused-group-cbt"), tmp_path / "r.json")
    items = json.loads(path.read_text())
    items += json.loads(dumps_references(read_references(BIB), format="csl-json"))
    style = CitationStylesStyle("harvard-cite-them-right", validate=False)
    bibliography = CitationStylesBibliography(style, CiteProcJSON(items), formatter.plain)
    for item in items:
        bibliography.register(Citation([CitationItem(item["id"])]))
    rendered = [str(entry) for entry in bibliography.bibliography()]
    assert len(rendered) == len(items)
    text = "\n".join(rendered)
    assert "Dada, S." in text and "Research Synthesis Methods" in text
    assert "Walker, N. and Hall, S. (2022)" in text
    assert "Lexis, M. A. S." in text  # a citation-only source renders its citation


# --------------------------------------------------------------------------- appraisal


def appraised_theory() -> cimo.Theory:
    return cimo.Theory.model_validate(
        {
            "id": "t",
            "title": "T",
            "participants": [{"id": "p1", "attributes": {"role": "GP"}}],
            "nodes": [
                {"kind": "context", "id": "c", "label": "C"},
                {"kind": "mechanism", "id": "m", "label": "M"},
                {"kind": "outcome", "id": "o", "label": "O"},
            ],
            "rules": [
                {
                    "id": "R1",
                    "if": ["c"],
                    "because": ["m"],
                    "then": ["o"],
                    "evidence": [
                        {"source": "trial", "stance": "supports", "participant": "p1"},
                        {"source": "survey", "stance": "supports"},
                        {"source": "blog", "stance": "refutes"},
                        {"source": "unrated", "stance": "supports"},
                        {"stance": "supports", "participant": "someone"},
                    ],
                }
            ],
            "sources": [
                {"id": "trial", "citation": "Trial", "relevance": "high", "rigour": "high",
                 "rigour_note": "randomised, low attrition"},
                {"id": "survey", "citation": "Survey", "relevance": "moderate",
                 "rigour": "moderate"},
                {"id": "blog", "citation": "Blog", "relevance": "high", "rigour": "low"},
                {"id": "unrated", "citation": "Unrated"},
            ],
        }
    )  # fmt: skip


def test_evidence_lists_the_appraisal_of_the_sources_cited() -> None:
    e = evidence(appraised_theory())
    assert [str(s) for s in e.sources] == [
        "trial: relevance high, rigour high",
        "survey: relevance moderate, rigour moderate",
        "blog: relevance high, rigour low",
        "unrated: not appraised",
    ]
    assert "source trial: relevance high, rigour high" in str(e)
    assert e.set_aside == 0 and e.rules[0].supports == 4


@pytest.mark.parametrize(
    ("minimum", "supports", "refutes", "sources", "set_aside"),
    [
        ({"min_rigour": "low"}, 2, 1, ("trial", "survey", "blog"), 2),
        ({"min_rigour": "moderate"}, 2, 0, ("trial", "survey"), 3),
        ({"min_rigour": "high"}, 1, 0, ("trial",), 4),
        ({"min_relevance": "high"}, 1, 1, ("trial", "blog"), 3),
        ({"min_relevance": "high", "min_rigour": "moderate"}, 1, 0, ("trial",), 4),
        ({"min_richness": "low"}, 0, 0, (), 5),  # nobody rated richness
    ],
)
def test_evidence_counts_only_sources_rated_at_least_the_level_asked(
    minimum: dict[str, str], supports: int, refutes: int, sources: tuple[str, ...], set_aside: int
) -> None:
    e = evidence(appraised_theory(), by="role", **minimum)  # type: ignore[arg-type]
    row = e.rules[0]
    assert (row.supports, row.refutes, row.sources, e.set_aside) == (
        supports, refutes, sources, set_aside,
    )  # fmt: skip
    assert e.mechanisms[0].supports == supports
    assert sum(g.supports for g in row.groups) == supports  # --by counts the same evidence
    assert tuple(s.source for s in e.sources) == sources
    assert f"{set_aside} piece" in str(e)


def test_a_demi_regularity_needs_witnesses_from_well_rated_sources() -> None:
    assert len(evidence(appraised_theory(), min_witnesses=3).demi_regularities) == 1
    assert (
        evidence(appraised_theory(), min_witnesses=3, min_rigour="moderate").demi_regularities == ()
    )


def test_cli_evidence_filters_and_shows_the_appraisal(tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    cimo.dump(appraised_theory(), path)
    code, out, _ = run("query", str(path), "evidence", "--min-rigour", "moderate")
    assert code == 0
    assert out.splitlines()[0] == "Evidence from sources rated rigour at least moderate"
    assert "R1: 2 supporting, 0 refuting" in out
    assert "3 pieces of evidence set aside" in out
    code, out, _ = run("query", str(path), "evidence", "--format", "json")
    assert json.loads(out)["sources"][0] == {
        "source": "trial", "relevance": "high", "richness": None, "rigour": "high",
    }  # fmt: skip
    code, _, stderr = run("query", str(path), "evidence", "--min-rigour", "great")
    assert code == 2 and "'great' is not one of" in stderr


def test_sources_list_shows_levels_and_notes(tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    cimo.dump(appraised_theory(), path)
    code, out, _ = run("sources", "list", str(path))
    assert code == 0
    assert out.splitlines()[:3] == [
        "trial: relevance high, rigour high",
        "    Trial",
        "    rigour: randomised, low attrition",
    ]
    assert "unrated: not appraised" in out


def test_an_appraisal_outside_the_scale_is_refused_with_its_place() -> None:
    with pytest.raises(cimo.InvalidTheoryError, match=r"sources\[0\]\.rigour|/sources/0/rigour"):
        cimo.loads(
            "format_version: '2.0'\nid: t\ntitle: T\n"
            "sources:\n  - {id: s, citation: S, rigour: strong}\n"
        )


def test_diff_and_merge_see_a_changed_appraisal() -> None:
    old = appraised_theory()
    new = cimo.evolve(
        old,
        sources=tuple(cimo.evolve(s, rigour="low") if s.id == "trial" else s for s in old.sources),
    )
    change = cimo.diff(old, new).sources_changed
    assert [(c.id, [f.field for f in c.changes]) for c in change] == [("trial", ["rigour"])]
    merged = cimo.merge([old, new])
    assert [(c.kind, c.id, c.field) for c in merged.conflicts] == [("source", "trial", "rigour")]


_PIECES = st.sampled_from(
    [
        "@article{", "@string{", "@comment{", "}", "{", ",", " = ", '"', "#", "\n", "\\", "%",
        "author", "title", " and ", "TY  - ", "ER  - ", "AU  - ", "PY  - ", "TI - ", "[", "]",
        '{"id": ', '"issued": ', '"author": ', "null", "5", '"x"', "2020", "--", "é",
    ]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(pieces=st.lists(_PIECES | st.text(max_size=5), max_size=30))
def test_any_text_is_read_or_refused_with_a_cimo_error(pieces: list[str]) -> None:
    text = "".join(pieces)
    for fmt in ("bibtex", "ris", "csl-json"):
        with contextlib.suppress(cimo.CimoError):
            loads_references(text, format=fmt, file="f")


def test_a_syntax_error_is_said_once(capfd: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(cimo.FileFormatError):
        read_references(REFS / "zotero-broken.bib")
    assert capfd.readouterr().err == ""  # bibtexparser's own warning is not printed too
