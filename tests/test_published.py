"""The published realist configurations (tests/data/published/): load, check, render, round-trip.

Each file encodes one published review or evaluation in format 2.0. The
features each source shows are listed in ``notes/INDEX.md``; the tests find
them in the loaded theories (``FEATURES``), so a feature listed there and lost
from the files, a printed feature (S) that no file holds as stated, or a
feature no source prints that a file claims without marking it inferred,
fails here.
"""

from __future__ import annotations

import importlib.util
import re
import warnings
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml
from _svg import svg_groups

import cimo
from cimo.core.vocabulary import ANNOTATION_WORDS
from cimo.exchange.networks import from_node_link, to_node_link
from cimo.exchange.table import TableWarning, read_table, write_table
from cimo.io import file_version
from cimo.render import cmo_table, rule_card, statements, theory_map
from cimo.render.text import cmo_rows
from cimo.validate import validate

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "published"
FILES = sorted(DATA.glob("[0-9][0-9]-*.yaml"))
INDEX = DATA / "notes" / "INDEX.md"
PAGE = ROOT / "docs" / "realist-patterns.md"


def _load(path: Path) -> cimo.Theory:
    return cimo.load(path)


@pytest.fixture(scope="module")
def theories() -> dict[str, cimo.Theory]:
    return {p.name: _load(p) for p in FILES}


def _partial(rule: cimo.Rule) -> bool:
    return "partial" in rule.tags


def configurations(theory: cimo.Theory) -> int:
    """Printed configurations: one per complete rule, or one per mechanism of a fan-out.

    A fan-out rule (one context, several mechanisms each with its own outcomes,
    as in 08) prints a configuration per mechanism: its mechanism links split
    the rule's outcomes between them.
    """
    return sum(_fan_out(r) or 1 for r in theory.rules if not _partial(r))


def _fan_out(rule: cimo.Rule) -> int:
    thens = [link.then for link in rule.mechanism_links if link.then]
    split = {o for t in thens for o in t}
    disjoint = sum(len(t) for t in thens) == len(split)
    return len(thens) if len(thens) > 1 and disjoint and split == set(rule.outcomes) else 0


# --------------------------------------------------------------------------- every file


def test_there_are_eleven_sources_and_forty_or_more_configurations(
    theories: dict[str, cimo.Theory],
) -> None:
    assert len(FILES) == 11
    counts = {name: configurations(t) for name, t in theories.items()}
    assert all(n >= 1 for n in counts.values())
    assert sum(counts.values()) >= 40


def test_readme_counts_are_the_files(theories: dict[str, cimo.Theory]) -> None:
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    printed = dict(re.findall(r"^\| (\d\d-[a-z-]+-\d{4}) \| (\d+) \|", readme, flags=re.M))
    assert printed == {Path(n).stem: str(configurations(t)) for n, t in theories.items()}


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_file_is_format_2_and_cites_its_source(path: Path) -> None:
    assert file_version(path) == "2.0"
    theory = _load(path)
    (main,) = theory.based_on
    source = next(s for s in theory.sources if s.id == main)
    assert source.doi and source.year and source.citation
    for rule in theory.rules:
        assert any(e.source == main and e.locator for e in rule.evidence), rule.id
        # Entries without a witness's words only say where the rule comes from.
        for e in rule.evidence:
            if e.quote is None:
                assert e.stance == "source", (rule.id, e)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_checks_find_no_errors(path: Path) -> None:
    report = validate(_load(path))
    errors = [f for f in report.findings if f.severity == "error"]
    assert errors == []


@pytest.mark.exe
@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_renders_map_statements_and_table(path: Path) -> None:
    theory = _load(path)
    svg = theory_map(theory, rules=True).svg()
    drawn = set(svg_groups(svg, "node"))
    assert {n.id for n in theory.nodes} <= drawn
    assert {r.id for r in theory.rules} <= drawn
    lines = [str(s) for s in statements(theory).items]
    assert len(lines) == len(theory.rules)
    for rule, line in zip(theory.rules, lines, strict=True):
        assert line.startswith(rule.id)
        for o in rule.outcomes:
            assert _words(theory.index[o].label) in _words(line), (rule.id, o)
    table = cmo_table(theory)
    assert all(r.id in table for r in theory.rules)


def _words(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.casefold()))


ANNOTATED = [p for p in FILES if "annotations:" in p.read_text(encoding="utf-8")]


@pytest.mark.parametrize("path", ANNOTATED, ids=lambda p: p.stem)
def test_annotations_are_printed_in_statements_tables_and_cards(path: Path) -> None:
    """Issue 11: a tension or recommendation printed by the source is printed by cimo too."""
    theory = _load(path)
    items = {s.rule: s for s in statements(theory, as_printed=True).items}
    rows = cmo_rows(theory)
    notes, at = rows.columns.index("Notes"), rows.columns.index("Rule")
    cells = {row[at][0]: row[notes] for _, _, group in rows.groups for row in group}
    annotated = [r for r in theory.rules if r.annotations]
    assert annotated
    for rule in annotated:
        card = _words(re.sub(r"<[^>]+>", " ", rule_card(theory, rule.id).source))
        for k, note in enumerate(rule.annotations):
            kind, text = ANNOTATION_WORDS[note.kind], note.text.strip()
            assert items[rule.id].notes[k].startswith(f"{kind}: {text}"), rule.id
            assert cells[rule.id][k].startswith(f"{kind}: {text}"), rule.id
            where = ", ".join(x for x in (note.source, note.locator) if x)
            assert where in items[rule.id].notes[k] and where in cells[rule.id][k]
            # a card cuts a long text as it cuts long labels, and keeps where it is from
            start = " ".join(text.split()[:8])
            assert _words(f"{kind} {start}") in card and _words(where) in card, rule.id


def test_every_taylor_configuration_prints_its_tension() -> None:
    theory = _load(DATA / "11-taylor-2024.yaml")
    lines = str(statements(theory)).splitlines()
    starts = [k for k, line in enumerate(lines) if re.match(r"\d+\. cmo-", line)]
    assert len(starts) == len(theory.rules)
    assert all(lines[k + 1].startswith("   Tension: ") for k in starts)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_round_trips_yaml_json_and_node_link(path: Path) -> None:
    theory = _load(path)
    assert cimo.loads(cimo.dumps(theory)) == theory
    assert cimo.loads(cimo.dumps(theory, format="json"), format="json") == theory
    assert from_node_link(to_node_link(theory)) == theory


# What a CMO table row holds: the rule's id, printed label, theme, status and actor, the
# labels in each node column, each mechanism's resource and response, AND/OR, each
# evidence entry (participant, source, locator, quote, stance, note) and each annotation.
_COLUMNS = ("contexts", "unless", "interventions", "mechanisms", "outcomes", "reduces")


def table_row(theory: cimo.Theory, rule: cimo.Rule) -> tuple[Any, ...]:
    """What a CMO table carries of one rule (shared with tests/test_table_team.py)."""
    theme = next((t.label for t in theory.themes if t.id == rule.theme), None)
    slots = tuple(tuple(theory.index[i].label for i in getattr(rule, c)) for c in _COLUMNS)
    parts = tuple(
        (getattr(m, "resource", None), getattr(m, "reasoning", None))
        for m in (theory.index[i] for i in rule.mechanisms)
    )
    evidence = tuple(
        (e.participant, e.source, e.locator, e.quote, e.stance, e.note) for e in rule.evidence
    )
    notes = tuple((a.kind, a.text, a.counters, a.source, a.locator) for a in rule.annotations)
    alternatives = rule.mechanism_mode == "alternatives" and len(rule.mechanisms) > 1
    return (
        rule.id,
        rule.source_label,
        theme,
        rule.status,
        rule.actor,
        slots,
        parts,
        evidence,
        notes,
        alternatives,
    )


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_table_keeps_each_rules_columns_and_evidence(
    path: Path, suffix: str, tmp_path: Path
) -> None:
    theory = _load(path)
    out = write_table(theory, tmp_path / f"t.{suffix}")
    back = read_table(out)
    assert [table_row(back, r) for r in back.rules] == [table_row(theory, r) for r in theory.rules]
    assert {s.id for s in back.sources} <= {s.id for s in theory.sources}
    # The rest of the 2.0 rule is not in a CMO table (README.md lists it).
    assert all(
        not (r.otherwise or r.outcome_steps or r.mechanism_links or r.segments) for r in back.rules
    )
    # With another separator, a separator inside a label is escaped and read back.
    out = write_table(theory, tmp_path / f"s.{suffix}", separator="|")
    with warnings.catch_warnings():  # labels in lower case: not prose cut in two
        warnings.simplefilter("ignore", TableWarning)
        back = read_table(out, separator="|")
    assert [table_row(back, r) for r in back.rules] == [table_row(theory, r) for r in theory.rules]


# --------------------------------------------------------------------------- features


def _rules(ts: list[cimo.Theory]) -> Iterator[tuple[cimo.Theory, cimo.Rule]]:
    return ((t, r) for t in ts for r in t.rules)


def _nodes(ts: list[cimo.Theory], kind: type[Any]) -> Iterator[Any]:
    return (n for t in ts for n in t.nodes if isinstance(n, kind))


def _relations(ts: list[cimo.Theory], kind: str) -> list[cimo.Relation]:
    return [r for t in ts for r in t.relations if r.type == kind]


def _numbers(labels: list[str]) -> list[int]:
    return sorted(int(m.group()) for x in labels if (m := re.search(r"\d+", x)))


def _gapped(t: cimo.Theory, r: cimo.Rule) -> bool:
    found = _numbers([t.index[m].source_label or "" for m in r.mechanisms])
    return len(found) > 1 and found != list(range(found[0], found[0] + len(found)))


def _restarts(t: cimo.Theory) -> bool:
    printed = Counter(n.source_label for n in t.nodes if n.source_label)
    return any(k > 1 for k in printed.values())


def _reworded_taxa(t: cimo.Theory) -> bool:
    labels: dict[str, set[str]] = {}
    for n in _nodes([t], cimo.Mechanism):
        if n.taxon:
            labels.setdefault(n.taxon, set()).add(n.label)
    return isinstance(t.taxonomy, cimo.Taxonomy) and any(len(v) > 1 for v in labels.values())


def _unsplit_without_error(t: cimo.Theory) -> bool:
    unsplit = {n.id for n in _nodes([t], cimo.Mechanism) if not (n.resource or n.reasoning)}
    errors = [f for f in validate(t).findings if f.severity == "error"]
    return bool(unsplit) and not errors


# Each feature row of notes/INDEX.md: the occurrences of the feature, as (record, field key).
Finder = Callable[[list[cimo.Theory]], list[tuple[Any, str]]]
FEATURES: dict[str, Finder] = {
    "enabling context (`if`)": lambda ts: [(r, "if") for _, r in _rules(ts) if r.contexts],
    "disabling context / UNLESS, printed as such": lambda ts: [
        (r, "unless") for _, r in _rules(ts) if r.unless
    ],
    "any-of context groups": lambda ts: [(r, "if_any") for _, r in _rules(ts) if r.context_groups],
    "moderator context": lambda ts: [(r, "moderated_by") for _, r in _rules(ts) if r.moderators],
    '"despite" (concessive) context': lambda ts: [
        (r, "despite") for _, r in _rules(ts) if r.despite
    ],
    "modifier list qualifying a whole configuration": lambda ts: [
        (r, "within") for _, r in _rules(ts) if r.modifiers
    ],
    "condition on one mechanism only": lambda ts: [
        (r, "because") for _, r in _rules(ts) if any(k.requires for k in r.mechanism_links)
    ],
    "outcome when M absent (`otherwise`)": lambda ts: [
        (r, "otherwise") for _, r in _rules(ts) if r.otherwise
    ],
    "outcome → outcome inside one configuration": lambda ts: [
        (r, "leads_to") for _, r in _rules(ts) if r.outcome_steps
    ],
    "outcome-specific mechanisms / fan-out": lambda ts: [
        (r, "because") for _, r in _rules(ts) if _fan_out(r)
    ],
    "feeds (mechanism → mechanism, outcome → context)": lambda ts: [
        (x, "type") for x in _relations(ts, "feeds")
    ],
    'counterpart-of ("opposite CMOC")': lambda ts: [
        (x, "type") for x in _relations(ts, "counterpart-of")
    ],
    "refines / supersedes across iterations": lambda ts: [
        (x, "type") for x in _relations(ts, "refines") + _relations(ts, "supersedes")
    ],
    "rival-of (rival mechanism)": lambda ts: [(x, "type") for x in _relations(ts, "rival-of")],
    "corresponds-to across theories/files": lambda ts: [
        (x, "type") for x in _relations(ts, "corresponds-to")
    ],
    "several programme theories in one file": lambda ts: [
        (t, "programme_theories") for t in ts if len(t.programme_theories) > 1
    ],
    "outcome identity with row-specific wording (`variant_of`)": lambda ts: [
        (n, "variant_of") for n in _nodes(ts, cimo.Outcome) if n.variant_of
    ],
    "mechanism taxonomy with row-specific wording": lambda ts: [
        (t, "taxonomy") for t in ts if _reworded_taxa(t)
    ],
    "themes as records": lambda ts: [(t, "themes") for t in ts if t.themes],
    "annotations (recommendation, tension, counter-strategy)": lambda ts: [
        (r, "annotations") for _, r in _rules(ts) if r.annotations
    ],
    "indicators / measures": lambda ts: [
        (n, "measures") for n in _nodes(ts, cimo.Outcome) if n.measures
    ],
    "actor of a configuration": lambda ts: [(r, "actor") for _, r in _rules(ts) if r.actor],
    "mechanism split resource / response": lambda ts: [
        (n, "resource") for n in _nodes(ts, cimo.Mechanism) if n.resource and n.reasoning
    ],
    "mechanism not split (must not be an error)": lambda ts: [
        (t, "nodes") for t in ts if _unsplit_without_error(t)
    ],
    'mechanism "behaviour" part': lambda ts: [
        (n, "behaviour") for n in _nodes(ts, cimo.Mechanism) if n.behaviour
    ],
    "absent / lacking mechanism, negative mechanism": lambda ts: [
        (n, "absent") for n in _nodes(ts, cimo.Mechanism) if n.absent
    ],
    "negative resource": lambda ts: [
        (n, "polarity") for n in _nodes(ts, cimo.Mechanism) if n.polarity == "negative"
    ],
    "mixed-polarity outcome": lambda ts: [
        (n, "polarity") for n in _nodes(ts, cimo.Outcome) if n.polarity == "mixed"
    ],
    "labels as printed": lambda ts: [(r, "source_label") for _, r in _rules(ts) if r.source_label],
    "C1 / M2 / O1-style labels": lambda ts: [
        (n, "source_label")
        for t in ts
        for n in t.nodes
        if re.fullmatch(r"[CMO]\d+", n.source_label or "")
    ],
    "numbering with gaps": lambda ts: [(r, "because") for t, r in _rules(ts) if _gapped(t, r)],
    "numbering restarts / duplicates": lambda ts: [(t, "nodes") for t in ts if _restarts(t)],
    "segments in printed order": lambda ts: [(r, "segments") for _, r in _rules(ts) if r.segments],
    "if-then-because statements": lambda ts: [
        (r, "statement") for _, r in _rules(ts) if re.match(r"If\b", r.statement or "")
    ],
    "declared missing part (`missing:`)": lambda ts: [
        (r, "missing") for _, r in _rules(ts) if r.missing_parts
    ],
    "intervention element in the configuration": lambda ts: [
        (r, "with") for _, r in _rules(ts) if r.interventions
    ],
    "evidence per configuration / per outcome": lambda ts: [
        (t, "rules") for t in ts if all(r.evidence for r in t.rules)
    ],
    "participant-type split of evidence": lambda ts: [
        (e, "participant")
        for t in ts
        for _, r in _rules([t])
        for e in r.evidence
        if any(p.id == e.participant and p.attributes for p in t.participants)
    ],
    "illustrative quotes with participant ids": lambda ts: [
        (e, "quote") for _, r in _rules(ts) for e in r.evidence if e.quote and e.participant
    ],
    "rule status refuted": lambda ts: [
        (r, "status") for _, r in _rules(ts) if r.status == "refuted"
    ],
    'hedged outcomes ("likely")': lambda ts: [
        (n, "label") for n in _nodes(ts, cimo.Outcome) if "likely" in n.label.casefold()
    ],
}


def index_rows() -> list[tuple[str, str]]:
    """The feature rows of notes/INDEX.md: (feature, where the sources show it)."""
    text = INDEX.read_text(encoding="utf-8")
    section = text.split("## Feature coverage", 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 2 and cells[0] not in ("feature", "---"):
            rows.append((cells[0], cells[1]))
    return rows


def _shown(where: str) -> bool:
    """Whether a source shows the feature, printed (S) or by the encoder's reading (I)."""
    return not where.startswith("**none") or "I only" in where or "I:" in where


def _printed(where: str) -> bool:
    """Whether a source prints the feature (S), so a file must hold it as stated."""
    return where == "all" or where.startswith("S:") or "; S:" in where or " S: " in where


def _marked_inferred(record: Any, key: str) -> bool:
    if isinstance(record, cimo.Relation):
        return not record.stated
    return key in getattr(record, "inferred", ())


def test_every_index_feature_has_a_finder() -> None:
    rows = index_rows()
    assert len(rows) >= 40
    assert {f for f, _ in rows} == set(FEATURES)


@pytest.mark.parametrize(("feature", "where"), index_rows(), ids=[f for f, _ in index_rows()])
def test_index_feature_is_encoded_or_honestly_absent(
    feature: str, where: str, theories: dict[str, cimo.Theory]
) -> None:
    found = FEATURES[feature](list(theories.values()))
    if _printed(where):
        # A source prints it: some file holds it as stated, not as the encoder's reading.
        stated = [rec for rec, key in found if not _marked_inferred(rec, key)]
        assert stated, f"no file encodes {feature!r} as stated ({where})"
    elif _shown(where):
        assert found, f"no file encodes {feature!r} ({where})"
    else:
        # No source prints it: a file may only hold it as the encoder's inference.
        assert all(_marked_inferred(rec, key) for rec, key in found), feature


def test_inferred_readings_and_the_other_2_0_parts_occur(theories: dict[str, cimo.Theory]) -> None:
    ts = list(theories.values())
    nodes = [n for t in ts for n in t.nodes]
    assert any(n.truncated for n in nodes)
    assert any(n.inferred for n in nodes) and any(r.inferred for _, r in _rules(ts))
    assert any(not x.stated for t in ts for x in t.relations)
    assert any(x.stated for t in ts for x in t.relations)
    assert any(x.external for t in ts for x in t.relations)
    assert any(r.mechanism_mode == "unstated" for _, r in _rules(ts))
    assert any(r.programme_theory for _, r in _rules(ts))
    assert any(p.attributes for t in ts for p in t.participants)
    assert any(isinstance(n, cimo.Context) and n.source_label for n in nodes)


# --------------------------------------------------------------------------- the patterns page


def _excerpts() -> list[tuple[str, dict[str, Any]]]:
    page = PAGE.read_text(encoding="utf-8")
    out = []
    for block in re.findall(r"```yaml\n(.*?)```", page, flags=re.S):
        first = block.splitlines()[0]
        m = re.fullmatch(r"# (tests/data/published/\S+\.yaml)", first)
        assert m, f"each YAML excerpt names its file in its first line, not {first!r}"
        out.append((m.group(1), yaml.safe_load(block)))
    return out


def test_page_excerpts_are_the_files_words() -> None:
    excerpts = _excerpts()
    assert len(excerpts) >= 10
    for file, excerpt in excerpts:
        data = yaml.safe_load((ROOT / file).read_text(encoding="utf-8"))
        for key, items in excerpt.items():
            assert isinstance(items, list), (file, key)
            for item in items:
                assert item in data[key], (file, key, item)


def _build() -> ModuleType:
    script = ROOT / "docs" / "patterns" / "build_patterns.py"
    spec = importlib.util.spec_from_file_location("patterns_build", script)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.exe
def test_page_pictures_are_current(tmp_path: Path) -> None:
    build = _build()
    page = PAGE.read_text(encoding="utf-8")
    for path in build.build(tmp_path):
        committed = ROOT / "docs" / "patterns" / path.name
        assert f"(patterns/{path.name})" in page
        assert svg_groups(committed.read_text(encoding="utf-8"), "node") == svg_groups(
            path.read_text(encoding="utf-8"), "node"
        ), f"{committed} is stale: run docs/patterns/build_patterns.py"
