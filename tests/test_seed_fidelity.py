"""The bundled examples say what their seeds say: one test per correction of the seed audit.

Each test quotes the seed's own words (short, exact quotes of the seed texts
000 Walker & Hall 2022, 001 Vivolo, Owen & Fisher, 002 Carrieri et al. 2020)
and checks the encoding against them, so that a later edit cannot silently
undo a correction. ``test_every_quote_is_in_its_seed`` checks that every quote
below, and every statement and evidence quote of the two YAML examples, is in
its seed word for word, against the quoted passages of the seeds kept in
``tests/data/seed-passages``; when the seed texts themselves are at hand
(``CIMO_SEEDS``, default ``/work/shared/seeds``) the passages are checked against them.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

import cimo
from cimo.model import Theory
from cimo.taxonomy import resolve_taxonomy

# --------------------------------------------------------------------------- the seeds' words

#: Short exact quotes of the seeds, by seed; the tests below use them.
Q000 = {
    "context-1": "IF group therapists facilitate peer interaction using a structured-directive "
    "leadership style to set up opportunities for peer learning, peer feedback",
    "context-2": "IF group therapists encourage clients to participate fully in group therapy",
    "key": "KEY: RED = work-focused mechanisms GREEN = psychological mechanisms "
    "BLUE = relationship-focused mechanisms",
    "three-levels": "promote change at three levels",
    "lexis-how": "Relationship with therapist, teaching problem-solving skills, using CBT "
    "principles, agreeing between-session assignments.",
    "lexis-what": "Low volume/high intensity",
    "lexis-outcome": "Statistically significant shorter sickness absence duration compared to "
    "CAU over 12 month follow up.",
    "discussion": "Our feasibility study of the intervention showed that BDI-II depression "
    "scores significantly decreased after therapy",
    "ot": "one frontline practitioner suggested that an Occupational Therapist should be "
    "involved in co-facilitating",
    "retain": "Retain/Resume: Being able to stay-at-work whilst experiencing some symptoms of "
    "depression.",
    "design-1": "Literature review and component analysis – the first design iteration of "
    "the intervention",
    "design-2": "Focus group discussions and mind mapping - the second design iteration of "
    "the intervention",
    "four": "was based on four active ingredients",
    "s3": "Facilitation of more to more",
    "own-therapist": "BECAUSE clients learn how to become their own therapist",
    "s2-close": "These mechanisms may be crucial to job retention in employees with "
    "moderate-severe depression",
    "help-seeking": "help-seeking employed people",
    "table-3": "1. REALISE",
}
Q001 = {
    "phase-3": "This phase has three main dimensions: individual coping strategies, "
    "work-related boundaries, and systemic and relational strategies",
    "phase-2": "Connecting with values and appraising adversity in relation to values",
    "core": "The core category of this theoretical model was the participants' connection "
    "with their own values",
    "open": "which enabled them to be open about what they found meaningful in their work",
    "hedge-1": "One potential explanation may be that practitioners",
    "hedge-2": "It is possible that the focus on achieving national targets",
    "bounce": "resilience involves the experience of adversity; implies the ability to adapt "
    "or 'bounce back'; represents a dynamic and fluid process that occurs over time; and "
    "facilitates wellbeing and coping abilities",
    "p1": "practising the interventions they use in their clinical work, as Participant 1 stressed",
    "one": "One participant talked about the need to separate work and personal life",
    "p10": "Participant 10 spoke about establishing work-related boundaries as a skill",
    "p4": "Participant 4 emphasised the key role of peer support in promoting resilience",
    "explained": "as Participant 5 explained",
    "discussion-supervision": "particularly when combined with poor or limited access to "
    "clinical support and supervision",
    "dynamic": "dynamic resilience-building process",
}
Q002 = {
    "16": "commitment to act on outcome of these reviews shown (16)",
    "make-up": "Doctors feel they must **make up** for the deficiencies for patients and "
    "colleagues",
    "headings": "Implementation methods: General principles to guide change",
}


@pytest.fixture(scope="module")
def wfg() -> Theory:
    return cimo.load_example("work-focused-group-cbt")


@pytest.fixture(scope="module")
def pwp() -> Theory:
    return cimo.load_example("pwp-resilience")


@pytest.fixture(scope="module")
def doctors() -> Theory:
    return cimo.load_example("doctors-mental-health")


# --------------------------------------------------------------------------- seed 000


def test_000_table_2_if_clause_is_the_printed_context(wfg: Theory) -> None:
    """Correction 000-1: "CONTEXT IF group therapists facilitate ..." stays a CONTEXT."""
    for rule_id, quote in (("table-2-example-1", "context-1"), ("table-2-example-2", "context-2")):
        rule = wfg.rule_index[rule_id]
        (context,) = rule.contexts
        node = wfg.index[context]
        # printed under the column CONTEXT of Table 2: where it comes from is the
        # rule's locator; the table prints no label for the element itself
        assert node.kind == "context" and node.source_label is None
        assert [e.locator for e in rule.evidence] == ["Table 2"]
        assert rule.source_label == f"Example {rule_id[-1]}"
        printed = Q000[quote].removeprefix("IF group therapists ")
        assert node.label.lower().startswith(("group therapists " + printed[:40]).lower())
        assert rule.segments[0].ref == context
        assert rule.segments[0].text is not None
        assert rule.segments[0].text.startswith(Q000[quote][:60])
        # no intervention and no unprinted context: the table prints neither
        assert rule.interventions == () and rule.missing_parts == ("intervention",)
        assert "group-psychotherapy" not in rule.contexts
    assert "group therapy sessions" in wfg.index["therapists-encourage-participation"].label
    # the encoder's reading that the clause is Figure 4's intervention is a visible relation
    (rel,) = [r for r in wfg.relations if r.from_ == "therapists-facilitate-peer-interaction"]
    assert rel.to == "peer-facilitation" and rel.type == "corresponds-to" and not rel.stated


def test_000_table_2_printed_order_is_context_outcome_mechanism(wfg: Theory) -> None:
    """Table 2 prints CONTEXT, OUTCOME, MECHANISM; the segments keep that order."""
    rule = wfg.rule_index["table-2-example-1"]
    kinds = [wfg.index[s.ref].kind for s in rule.segments if s.ref]
    assert kinds == ["context", "outcome", "outcome", "mechanism"]
    assert rule.segments[-1].text is not None
    assert rule.segments[-1].text.startswith(Q000["own-therapist"])


def test_000_mechanism_categories_are_the_encoders(wfg: Theory) -> None:
    """Correction 000-2: the KEY prints three colours, not which row has which."""
    assert "RED" in Q000["key"]
    for m in wfg.mechanisms:
        stated = m.id in {
            "work-focused-change",
            "psychological-change",
            "relationship-focused-change",
        }
        # Figure 3's three levels are named by the source ("promote change at three levels")
        assert ("category" in m.inferred) is (not stated and m.category is not None), m.id
    taxonomy = resolve_taxonomy(wfg)
    assert taxonomy is not None
    assert len(taxonomy.taxa) == 42
    assert all(t.note and "inferred" in t.note for t in taxonomy.taxa if t.category)


def test_000_lexis_resource_stays_with_lexis(wfg: Theory) -> None:
    """Correction 000-3: S2's "How? ..." belongs to Lexis et al. 2011 only."""
    generic = wfg.index["psychological-change"]
    assert generic.resource is None and generic.reasoning is None  # type: ignore[union-attr]
    assert "psychological-change" not in wfg.rule_index["lexis-2011"].mechanisms
    assert Q000["lexis-how"] in " ".join(
        (wfg.index["lexis-intervention"].description or "").split()
    )
    values = {c.value for c in wfg.index["lexis-intervention"].components}  # type: ignore[union-attr]
    assert any(v.startswith("Low volume interventions") for v in values)
    assert any(v.startswith("High intensity interventions") for v in values)
    assert "Cognitive Behavioural Therapy (CBT)" in values
    notes = " ".join(c.note or "" for c in wfg.index["lexis-intervention"].components)  # type: ignore[union-attr]
    assert Q000["lexis-what"] in notes


def test_000_evidence_is_attributed_to_who_wrote_it(wfg: Theory) -> None:
    """Correction 000-4: S2's outcome sentences and the Discussion are Walker & Hall's words."""
    quoted = {e.quote.split()[0]: e for r in wfg.rules for e in r.evidence if e.quote}
    lexis = next(
        e
        for r in wfg.rules
        for e in r.evidence
        if e.quote and e.quote.startswith(Q000["lexis-outcome"][:40])
    )
    assert lexis.source == "walker-mhrj" and "Supplementary Table S2" in (lexis.locator or "")
    bdi = quoted["BDI-II"]
    assert bdi.source == "walker-mhrj" and bdi.locator == "Discussion"
    assert "BDI-II depression scores significantly decreased after therapy" in Q000["discussion"]
    # the Occupational Therapist suggestion is a design point, not evidence for Retain
    assert not any(
        "Occupational Therapist" in (e.quote or "") for r in wfg.rules for e in r.evidence
    )
    assert Q000["ot"] in " ".join((wfg.index["ot-liaison"].description or "").split())


def test_000_ot_liaison_is_not_in_retain_resume(wfg: Theory) -> None:
    """Correction 000-5: "Retain/Resume: Being able to stay-at-work ..." names no intervention."""
    for rule_id in ("retain", "resume"):
        rule = wfg.rule_index[rule_id]
        assert "ot-liaison" not in rule.interventions
        assert "with" in rule.inferred  # Figure 4's intervention, placed here by the encoder
    assert wfg.rule_index["retain"].statement == Q000["retain"]
    assert wfg.index["retain-resume"].resource is None  # type: ignore[union-attr]


def test_000_design_iterations_are_kept_apart_from_theory_iterations(wfg: Theory) -> None:
    """Correction 000-6: two DESIGN iterations (Figures 1-2) beside two THEORY iterations."""
    assert "design iteration" in Q000["design-1"] and "design iteration" in Q000["design-2"]
    design = {
        tag: {i.id for i in wfg.interventions if tag in i.tags}
        for tag in ("design-iteration-1", "design-iteration-2")
    }
    assert design["design-iteration-1"] == {"work-focused-cbt-design-1"}
    # "four active ingredients" (one, the three outcomes, is a rule, not an intervention)
    assert {"triple-foci", "group-format", "peer-facilitation"} <= design["design-iteration-2"]
    for ids in design.values():
        for ident in ids:
            assert "iterations" in wfg.index[ident].inferred, ident
    assert [it.number for it in wfg.iterations] == [1, 2]
    used = {i for r in wfg.rules for i in r.interventions}
    for orphan in ("triple-foci", "group-format", "ot-liaison"):
        assert orphan not in used
        assert "no configuration" in (wfg.index[orphan].description or "").lower()


def test_000_s3_keeps_its_printed_label(wfg: Theory) -> None:
    """Correction 000-7: S3 prints "Facilitation of more to more ... dialogue"."""
    vocabulary = wfg.component_vocabulary
    aspect = next(a for c in vocabulary.categories for a in c.aspects if a.id == "peer-dialogue")
    assert aspect.label == Q000["s3"] + " dialogue"
    assert aspect.note is not None and "peer-to-peer" in aspect.note


def test_000_own_therapist_is_not_placed_in_table_3(wfg: Theory) -> None:
    """Correction 000-8: Table 3 never places "clients learn how to become their own therapist"."""
    node = wfg.index["own-therapist"]
    assert node.taxon is None  # type: ignore[union-attr]
    assert "Table 3 does not place" in (node.description or "")


def test_000_smaller_fixes(wfg: Theory) -> None:
    """Correction 000-9: S2's closing paragraph, and no "referred to" in the facet."""
    (note,) = wfg.rule_index["lexis-2011"].annotations
    assert " ".join(note.text.split()).startswith(Q000["s2-close"])
    assert note.source == "walker-mhrj"
    facets = wfg.index["recurrent-depression"].facets  # type: ignore[union-attr]
    assert facets is not None and "referred" not in (facets.when or "")
    assert facets.when is not None and facets.when.lower() in Q000["help-seeking"]


def test_000_table_3_order_and_labels(wfg: Theory) -> None:
    """Table 3's printed labels, in its order ("1. REALISE" ... "6. RETAIN")."""
    six = [m for m in wfg.mechanisms if m.source_label and m.source_label[0].isdigit()]
    assert six[0].source_label == Q000["table-3"]
    assert [m.id for m in six] == [
        "realise",
        "reflect",
        "regulate",
        "resolve",
        "relate",
        "retain-resume",
    ]


# --------------------------------------------------------------------------- seed 001


def _dimension(theory: Theory, rule_id: str) -> str:
    tags = set(theory.rule_index[rule_id].tags) & {"individual", "work-related", "systemic"}
    (tag,) = tags
    return tag


def test_001_phase_3_has_three_dimensions(pwp: Theory) -> None:
    """Correction 001-1: "This phase has three main dimensions: ..."."""
    phase_3 = [r.id for r in pwp.rules if r.theme == "phase-3"]
    assert [_dimension(pwp, r) for r in phase_3] == ["individual", "work-related", "systemic"]
    assert pwp.index["protecting-boundaries"].category == "work-related"  # type: ignore[union-attr]
    theme = pwp.theme_index["phase-3"] if hasattr(pwp, "theme_index") else pwp.themes[2]
    assert Q001["phase-3"] in " ".join((theme.description or "").split())


def test_001_evidence_is_the_authors_words(pwp: Theory) -> None:
    """Correction 001-2: the seed prints no extract ("as Participant 5 explained" and no more)."""
    evidence = [e for r in pwp.rules for e in r.evidence]
    quoted = [e for e in evidence if e.quote]
    assert {e.kind for e in quoted} == {"author-report", "author-interpretation", "literature"}
    labels = {p.id: p.label or p.id for p in pwp.participants}
    for e in quoted:
        if e.participant is not None:  # the participant whose account the authors report
            assert e.kind == "author-report"
            assert labels[e.participant] in (e.quote or ""), e.quote
            assert e.note is not None and "authors' sentence" in e.note
    p5 = [e for e in quoted if e.quote and Q001["explained"] in e.quote]
    assert p5 and all(e.participant == "p5" for e in p5)
    docs = (Path(__file__).parents[1] / "docs" / "examples.md").read_text(encoding="utf-8")
    assert "Participants' quotes as evidence" not in docs


def test_001_vulnerability_rule_has_the_printed_outcome(pwp: Theory) -> None:
    """Correction 001-3: "... which enabled them to be open about what they found meaningful"."""
    rule = pwp.rule_index["core-systemic-vulnerability"]
    (outcome,) = rule.outcomes
    assert pwp.index[outcome].label.lower() in "being " + Q001["open"].split("to be ", 1)[1]
    assert "relational-coping" not in rule.outcomes


def test_001_hedges_stay_hypothesised(pwp: Theory) -> None:
    """Correction 001-4: "One potential explanation may be ..."; "It is possible that ..."."""
    for node, quote in (
        ("resource-demand-imbalance", "hedge-1"),
        ("national-targets-focus", "hedge-2"),
    ):
        assert Q001[quote] in " ".join((pwp.index[node].description or "").split())
        for rule in pwp.rules:
            named = {*rule.contexts, *rule.unless, *rule.mechanisms}
            if node in named:
                assert rule.status == "hypothesised", (node, rule.id)
    interpretive = [
        r for r in pwp.rules if any(e.kind == "author-interpretation" for e in r.evidence)
    ]
    assert interpretive and all(r.status == "hypothesised" for r in interpretive)


def test_001_loop_rules(pwp: Theory) -> None:
    """Correction 001-5: the encoder's loop is marked; the Discussion sentence is quoted whole."""
    loop = pwp.rule_index["reaffirmed-purpose-guides-appraisal"]
    assert set(loop.inferred) == {"if", "because", "then"} and loop.status == "hypothesised"
    assert loop.statement is None  # no stitched sentence
    assert Q001["dynamic"] in (loop.description or "")
    assert "resilience-buffers-burnout" not in pwp.rule_index
    stated = pwp.rule_index["resilience-facilitates-coping"]
    assert Q001["bounce"] in " ".join((stated.statement or "").split())
    assert "appraising-adversity" not in stated.mechanisms
    assert stated.missing_parts == ("mechanism",)


def test_001_missing_attributions_are_evidence(pwp: Theory) -> None:
    """Correction 001-6: the four attributions the first encoding left out."""
    quotes = [" ".join(e.quote.split()) for r in pwp.rules for e in r.evidence if e.quote]
    for key in ("p1", "one", "p10", "p4"):
        assert any(Q001[key] in q for q in quotes), key
    attributed = [
        (e.participant, " ".join(e.quote.split()))
        for r in pwp.rules
        for e in r.evidence
        if e.quote and e.participant
    ]
    assert len(attributed) == 14  # U1: the seed's 14 attributions, none invented
    assert sorted({p for p, _ in attributed}) == ["p1", "p10", "p2", "p3", "p4", "p5", "p7", "p8"]


def test_001_core_category_and_phases_are_records(pwp: Theory) -> None:
    """Correction 001-7: phases are theme records; the core category is named, not buried."""
    phases = [t for t in pwp.themes if t.id.startswith("phase-")]
    assert [t.label for t in phases] == [
        "Work-related challenges",
        Q001["phase-2"],
        "Implementing proactive coping",
    ]
    core = phases[1]
    assert core.source_label is not None and "core category" in core.source_label
    assert Q001["core"] in " ".join((core.description or "").split())
    assert {n.id for n in pwp.nodes if "core-category" in n.tags} == {
        "connecting-with-values",
        "appraising-adversity",
    }
    assert all(r.theme for r in pwp.rules)
    facets = pwp.index["lack-of-experience"].facets  # type: ignore[union-attr]
    assert facets is not None and "newly qualified" not in (facets.who or "")


def test_001_limited_supervision_is_from_the_discussion(pwp: Theory) -> None:
    """Correction 001-7 (docs): "... poor or limited access to clinical support and supervision"."""
    node = pwp.index["limited-supervision"]
    # the section is where it comes from (the locator of the rule naming it), not a printed label
    assert node.source_label is None
    (rule,) = [r for r in pwp.rules if node.id in r.contexts]
    assert "Discussion" in {e.locator for e in rule.evidence}
    assert node.label.lower() in Q001["discussion-supervision"].replace("access to", "access to")


# --------------------------------------------------------------------------- seed 002


def test_002_no_rule_id_looks_like_another_rows_number(doctors: Theory) -> None:
    """Correction 002-1: ids of unnumbered rows name their heading, never a number."""
    printed = {r.source_label for r in doctors.rules if r.source_label}
    for rule in doctors.rules:
        digits = re.findall(r"\d+", rule.id)
        assert digits == ([rule.source_label] if rule.source_label else []), rule.id
    assert len(printed) == 12
    assert doctors.rule_index["implementation-unnumbered"].theme == "implementation"


def test_002_cross_reference_16_is_kept_as_printed(doctors: Theory) -> None:
    """Correction 002-2: "(16)" is printed with no explanation."""
    (context,) = doctors.rule_index["row-19"].contexts
    assert doctors.index[context].label.endswith(Q002["16"])
    assert not any(link.context == context for link in doctors.links)
    docs = (Path(__file__).parents[1] / "docs" / "examples.md").read_text(encoding="utf-8")
    assert "remedy" not in docs and "meaning not stated" in docs


def test_002_full_mechanism_sentence_with_the_bold_marked(doctors: Theory) -> None:
    """Correction 002-3: the printed sentence, with the bold words, for every row."""
    texts = [s.text for s in doctors.rule_index["row-1"].segments]
    assert Q002["make-up"] in texts
    row_6 = doctors.rule_index["row-6"]
    sentence = " ".join(s.text or "" for s in row_6.segments if s.ref in row_6.mechanisms)
    assert (
        sentence
        == "Doctors **feel unsupported, and** **lack of trust** in environment and colleagues"
    )
    assert all(len(r.segments) >= 3 for r in doctors.rules)


def test_002_printed_numbers_and_headings_in_table_order(doctors: Theory) -> None:
    """Correction 002-4: "No." is the printed number; the headings are themes, in order."""
    assert [r.source_label or "" for r in doctors.rules] == [
        "", "", "", "", "", "1", "2", "3", "4", "5", "6",
        "16", "17", "", "19", "12", "", "14", "15",
    ]  # fmt: skip
    assert [t.id for t in doctors.themes] == ["groups", "processes", "implementation", "prevention"]
    assert doctors.themes[2].label == Q002["headings"]


# ------------------------------------------------------------------------ verbatim

#: The seed texts themselves, when at hand (they are not shipped with cimo).
_SEEDS = Path(os.environ.get("CIMO_SEEDS", "/work/shared/seeds"))
#: The passages of each seed that the tests and examples quote, as ``_normal`` text with
#: 60 characters of the seed either side, one per line (written by ``_write_passages``).
_PASSAGES = Path(__file__).parent / "data" / "seed-passages"
_CONTEXT = 60


def _normal(text: str) -> str:
    """Text compared loosely: no line-number gutters, markup, hyphens, case or spacing."""
    text = re.sub(r"\n-\s+(?:\d{3}\s)?", " ", text)
    # Table 2's row labels (some OCR-damaged) sit between the lines of its cells
    text = re.sub(r"\n(?:CONTEXT|OUTCOME|OUTOOME|011700145|MECHANISM)\t", " ", text)
    text = re.sub(r"\n\d{3}\s", " ", text)
    text = (
        re.sub(r"</?b>", "", text)
        .replace("*", "")
        .replace("-", "")
        .replace("’", "'")
        .replace("‘", "'")
        .replace("–", "")
    )
    return re.sub(r"\s+", "", text).lower()


def _seed(prefix: str) -> str:
    (path,) = _SEEDS.glob(f"{prefix}_*.txt")
    return _normal(path.read_text(encoding="utf-8"))


def _printed(theory: Theory) -> list[str]:
    """The statements and evidence quotes of a theory, cut at "..." (elisions)."""
    texts = [r.statement for r in theory.rules if r.statement]
    texts += [e.quote for r in theory.rules for e in r.evidence if e.quote]
    # a sentence the seed follows with a citation ("burnout (Iannello et al. ...).") ends
    # without its full stop there
    return [part.strip().rstrip(".") for t in texts for part in t.split("...") if part.strip()]


def _quotes(wfg: Theory, pwp: Theory) -> dict[str, list[str]]:
    return {
        "000": [*Q000.values(), *_printed(wfg)],
        "001": [*Q001.values(), *_printed(pwp)],
        "002": [q.replace("**", "") for q in Q002.values()],
    }


def _passages(prefix: str) -> list[str]:
    return (_PASSAGES / f"{prefix}.txt").read_text(encoding="utf-8").splitlines()


def test_every_quote_is_in_its_seed(wfg: Theory, pwp: Theory) -> None:
    """Every quote is in its seed word for word: in the seed passages kept in tests/data."""
    for prefix, quotes in _quotes(wfg, pwp).items():
        passages = _passages(prefix)
        missing = [q for q in quotes if not any(_normal(q) in p for p in passages)]
        assert not missing, (prefix, missing, "edit the quote, or the seed passages (see below)")


@pytest.mark.skipif(not _SEEDS.is_dir(), reason="the seed texts are not at hand (CIMO_SEEDS)")
def test_the_kept_passages_are_the_seeds_words() -> None:
    """Each kept passage is in its seed (the seeds themselves are not shipped)."""
    for prefix in ("000", "001", "002"):
        seed = _seed(prefix)
        assert all(p in seed for p in _passages(prefix)), prefix


def _write_passages(wfg: Theory, pwp: Theory) -> None:  # pragma: no cover - a maintainer's tool
    """Rewrite tests/data/seed-passages from the seeds (after adding a quote).

    ``python -c "import cimo, tests.test_seed_fidelity as t; t._write_passages(
    cimo.load_example('work-focused-group-cbt'), cimo.load_example('pwp-resilience'))"``
    """
    _PASSAGES.mkdir(exist_ok=True)
    for prefix, quotes in _quotes(wfg, pwp).items():
        seed = _seed(prefix)
        lines = []
        for q in quotes:
            at = seed.find(_normal(q))
            assert at >= 0, (prefix, q)
            lines.append(seed[max(0, at - _CONTEXT) : at + len(_normal(q)) + _CONTEXT])
        text = "\n".join(sorted(set(lines))) + "\n"
        (_PASSAGES / f"{prefix}.txt").write_text(text, encoding="utf-8")
