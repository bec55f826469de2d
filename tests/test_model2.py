"""Format 2.0: the new records in files, migration from 1.0, the schema, the structural checks."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

import cimo
from cimo.cli import app
from cimo.core.data import from_data, migrate, to_data
from cimo.core.index import index_of
from cimo.errors import InvalidTheoryError
from cimo.io import file_version, json_schema
from cimo.model import MechanismLink, OutcomeStep, Participant, Relation, Rule, Theory

runner = CliRunner()
EXAMPLES = Path(cimo.__file__).parent / "examples"

FULL = """
format_version: "2.0"
id: full
title: Every 2.0 part
programme_theories:
  - {id: uk, label: UK case, source_label: PT1}
themes:
  - id: trust
    label: Building trust
    recommendation: Invest in continuity
    annotations: [{kind: tension, text: Time against trust}]
    inferred: [recommendation]
nodes:
  - {id: c1, kind: context, label: GPs in small practices, source_label: C1,
     indicators: [list size], inferred: [level], level: meso}
  - {id: c2, kind: context, label: Rural area}
  - {id: c5, kind: context, label: A champion, truncated: true}
  - {id: c6, kind: context, label: Staff turnover}
  - {id: i1, kind: intervention, label: Training}
  - {id: m1, kind: mechanism, label: Confidence, behaviour: asks for help,
     polarity: positive, indicators: [self-report]}
  - {id: m2, kind: mechanism, label: Lack of trust, absent: true, polarity: negative}
  - {id: o1, kind: outcome, label: Earlier referral, polarity: mixed}
  - {id: o2, kind: outcome, label: Fewer crises}
  - {id: o3, kind: outcome, label: Referral (GP wording), variant_of: o1}
  - {id: o4, kind: outcome, label: Disengagement}
rules:
  - id: R1
    source_label: CMOc5
    if: [c1]
    if_any: [[c5, o3]]
    within: [c2]
    moderated_by: [c6]
    despite: [o4]
    with: [i1]
    because: [m1, {mechanism: m2, requires: [c5], then: [o2]}]
    mechanism_mode: unstated
    then: [o1, o2]
    otherwise: [o4]
    leads_to: [{from: o1, to: o2}]
    missing: [intervention]
    actor: GP
    programme_theory: uk
    theme: trust
    segments: [{ref: c1}, {text: "and so"}, {ref: m1, text: "confidence"}]
    annotations: [{kind: counter-strategy, text: Peer mentors, counters: [R2], source: s1,
                   locator: p. 4}]
    inferred: [theme]
    evidence:
      - {source: s1, stance: source}
      - {source: s1, participant: p1, stance: supports, quote: "We asked sooner."}
  - id: R2
    if: any
    because: [m2]
    then: [o4]
relations:
  - {type: feeds, from: o2, to: c6, stated: false, note: drawn from the figure}
  - {type: counterpart-of, from: R1, to: R2}
  - {type: corresponds-to, from: R1, to: "other.yaml#R3"}
participants:
  - {id: p1, label: Participant 1, attributes: {role: nurse, site: A, age: 41}}
sources:
  - {id: s1, citation: Smith (2020)}
"""


@pytest.fixture(scope="module")
def full() -> Theory:
    return cimo.loads(FULL)


def test_the_2_0_file_is_read_into_the_records(full: Theory) -> None:
    r1, r2 = full.rules
    assert r1.context_groups == (("c5", "o3"),)
    assert (r1.modifiers, r1.moderators, r1.despite, r1.otherwise) == (
        ("c2",),
        ("c6",),
        ("o4",),
        ("o4",),
    )
    assert r1.mechanisms == ("m1", "m2")
    assert r1.mechanism_links == (MechanismLink(mechanism="m2", requires=("c5",), then=("o2",)),)
    assert r1.mechanism_link("m2") is r1.mechanism_links[0] and r1.mechanism_link("m1") is None
    assert r1.outcome_steps == (OutcomeStep(from_="o1", to="o2"),)
    assert r1.declared_missing == ("intervention",) and r1.missing == ()
    assert (r2.any_context, r2.contexts, r2.missing, r2.has_context) == (True, (), (), True)
    assert full.participants[0] == Participant(
        id="p1", label="Participant 1", attributes=(("role", "nurse"), ("site", "A"), ("age", 41))
    )
    assert full.relations[0] == Relation(
        type="feeds", from_="o2", to="c6", stated=False, note="drawn from the figure"
    )
    assert full.relations[2].external and not full.relations[1].external


def test_the_2_0_file_round_trips_through_every_path(full: Theory) -> None:
    assert cimo.loads(cimo.dumps(full)) == full
    assert cimo.loads(cimo.dumps(full, format="json"), format="json") == full
    assert Theory.model_validate_json(full.model_dump_json()) == full
    assert Theory.model_validate(full.model_dump()) == full
    assert Theory.model_validate(full.model_dump(by_alias=False)) == full
    data = to_data(full)
    assert data["format_version"] == "2.0"
    r1, r2 = data["rules"]
    assert r2["if"] == "any" and "any_context" not in r2 and "mechanism_links" not in r1
    assert r1["because"] == ["m1", {"mechanism": "m2", "requires": ["c5"], "then": ["o2"]}]
    assert data["participants"][0]["attributes"] == {"role": "nurse", "site": "A", "age": 41}
    assert data["relations"][0]["from"] == "o2"
    assert json.loads(full.model_dump_json(exclude_defaults=True))["rules"][1]["if"] == "any"


def test_a_list_naming_any_is_a_node_id_not_any_circumstances() -> None:
    t = cimo.loads(
        'format_version: "2.0"\nid: t\ntitle: T\n'
        "nodes: [{id: any, kind: context, label: Any}]\nrules: [{id: R, if: [any]}]\n"
    )
    assert t.rules[0].contexts == ("any",) and not t.rules[0].any_context
    assert to_data(t)["rules"][0]["if"] == ["any"]


def test_the_schema_takes_if_any_and_because_objects(full: Theory) -> None:
    validator = jsonschema.Draft202012Validator(json_schema())
    validator.validate(to_data(full))
    bad = to_data(full)
    bad["rules"][0]["because"] = [{"mechanism": "m2", "requires": "c5"}]
    assert list(validator.iter_errors(bad))
    bad["rules"][0]["because"] = ["m1"]
    bad["rules"][1]["if"] = "always"
    assert list(validator.iter_errors(bad))


def test_the_index_answers_the_2_0_lookups(full: Theory) -> None:
    ix = index_of(full)
    assert ix.variants["o1"] == ("o3",) and ix.with_variants("o1") == ("o1", "o3")
    assert ix.theme_label("trust") == "Building trust" and ix.themes["trust"].recommendation
    assert ix.programme_theories["uk"].label == "UK case"
    assert ix.participants["p1"].attribute("site") == "A"
    assert [r.to for r in ix.relations("feeds")] == ["c6"]
    assert ix.relations("feeds", stated_only=True) == ()
    assert [r.type for r in ix.relations_from["R1"]] == ["counterpart-of", "corresponds-to"]
    assert [r.from_ for r in ix.relations_to["other.yaml#R3"]] == ["R1"]
    assert ix.by_theme["trust"] == (0,) and ix.by_actor["GP"] == (0,)
    assert ix.by_programme_theory["uk"] == (0,)
    assert sorted(ix.slot("otherwise")) == ["o4"] and ix.slot("within")["c2"] == (0,)


# --------------------------------------------------------------------------- migration


def _one_point_oh_files() -> list[Path]:
    # the bundled examples as they were in format 1.0, before the seed audit (issue 12)
    files = sorted((Path(__file__).parent / "data" / "examples-1.0").glob("*.yaml"))
    assert files and all(file_version(p) == "1.0" for p in files)
    return files


@pytest.mark.parametrize("path", _one_point_oh_files(), ids=lambda p: p.name)
def test_every_1_0_example_loads_migrates_and_keeps_its_meaning(path: Path) -> None:
    from cimo.io._yaml import parse_yaml

    data = parse_yaml(path.read_text())
    new = migrate(data)
    assert new is not data and data["format_version"] == "1.0"  # pure: the input is unchanged
    assert migrate(new) == new  # idempotent
    theory = cimo.load(path)
    assert theory == from_data(new) == Theory.model_validate(data)
    labels = {t.id: t.label for t in theory.themes}
    for old, rule in zip(data.get("rules", []), theory.rules, strict=True):
        assert labels.get(rule.theme or "") == old.get("theme")
        assert rule.contexts == tuple(old.get("if", ()))  # no 'if: any' invented
        assert not rule.any_context
        for before, after in zip(old.get("evidence", []), rule.evidence, strict=True):
            witness = set(before) - {"source", "locator", "kind"}
            assert after.stance == before.get("stance", "supports" if witness else "source")


def test_theme_ids_made_from_texts_are_unique() -> None:
    data = {
        "format_version": "1.0",
        "id": "t",
        "title": "T",
        "rules": [{"id": "a", "theme": "Trust!"}, {"id": "b", "theme": "Trust?"}],
    }
    theory = Theory.model_validate(data)
    assert [r.theme for r in theory.rules] == ["Trust", "Trust-2"]
    assert [t.label for t in theory.themes] == ["Trust!", "Trust?"]


def test_an_unknown_version_is_explained() -> None:
    with pytest.raises(InvalidTheoryError, match=r"reads '1\.0' and '2\.0'"):
        cimo.loads('format_version: "0.9"\nid: t\ntitle: T\n')


def test_cimo_migrate_rewrites_checks_and_never_half_writes(tmp_path: Path) -> None:
    src = tmp_path / "pwp.yaml"
    # a 1.0 file (the bundled examples are 2.0 since the seed audit): a theme text and an
    # evidence entry of each kind the migration changes
    src.write_text(
        'format_version: "1.0"\nid: pwp\ntitle: PWP\n'
        "nodes:\n  - {id: c, kind: context, label: C}\n"
        "  - {id: m, kind: mechanism, label: M}\n  - {id: o, kind: outcome, label: O}\n"
        "rules:\n  - id: R1\n    if: [c]\n    because: [m]\n    then: [o]\n"
        "    theme: Work-related challenges\n"
        "    evidence: [{source: s, locator: p. 3}, {source: s, quote: words}]\n"
        "sources: [{id: s, citation: S}]\n"
    )
    result = runner.invoke(app, ["migrate", str(src), "--check"])
    assert result.exit_code == 1 and "format 1.0, not 2.0" in result.output
    out = tmp_path / "out.json"
    assert runner.invoke(app, ["migrate", str(src), "-o", str(out)]).exit_code == 0
    assert file_version(src) == "1.0" and file_version(out) == "2.0"
    assert cimo.load(out) == cimo.load(src)
    assert runner.invoke(app, ["migrate", str(src)]).exit_code == 0  # in place
    assert file_version(src) == "2.0"
    assert runner.invoke(app, ["migrate", str(src), "--check"]).exit_code == 0
    broken = tmp_path / "broken.yaml"
    text = 'format_version: "1.0"\nid: t\ntitle: T\nrules: [{id: R, if: [nope]}]\n'
    broken.write_text(text)
    result = runner.invoke(app, ["migrate", str(broken)])
    assert result.exit_code == 2 and "'nope' is not a context" in result.output
    assert broken.read_text() == text


# --------------------------------------------------------------------------- structure


def _problems(text: str) -> list[str]:
    with pytest.raises(InvalidTheoryError) as info:
        cimo.loads(text, file="t.yaml")
    return [str(p) for p in info.value.problems]


BROKEN = """format_version: "2.0"
id: t
title: T
themes: [{id: trust, label: Trust}]
nodes:
  - {id: c1, kind: context, label: C1, inferred: [colour]}
  - {id: c5, kind: context, label: C5}
  - {id: m1, kind: mechanism, label: M1}
  - {id: m2, kind: mechanism, label: M2}
  - {id: o1, kind: outcome, label: O1}
  - {id: o2, kind: outcome, label: O2, variant_of: o2}
rules:
  - id: R1
    if: [c1]
    if_any: [[c5, c7]]
    within: [o1, c1]
    because: [m1, {mechanism: m2, requires: [m1], then: [o2]}]
    then: [o1]
    leads_to: [{from: o1, to: o3}]
    theme: trusst
    programme_theory: uk
    segments: [{ref: r1}]
    annotations: [{kind: facilitator, text: x, counters: [R9], source: s9}]
    inferred: [colour]
relations:
  - {type: feeds, from: o1, to: c9}
  - {type: rival-of, from: m1, to: m1}
"""


def test_every_new_reference_is_checked_and_located() -> None:
    problems = _problems(BROKEN)
    expected = [
        "t.yaml:16:14: rule R1: 'o1' is an outcome, but 'within' takes contexts",
        "t.yaml:15:19: rule R1: 'c7' is not a context or outcome of this theory",
        "t.yaml:17:46: rule R1: 'm1' is a mechanism, but 'because: requires' takes contexts "
        "or outcomes",
        "t.yaml:17:58: rule R1: mechanism 'm2' leads to 'o2', which is not in the rule's "
        "'then' or 'reduces'; add it there too",
        "t.yaml:19:31: rule R1: 'leads_to' names 'o3', which is not an outcome of this rule",
        "t.yaml:16:18: rule R1: 'c1' is both in 'if' and 'within'; keep it in one of them",
        "t.yaml:20:12: rule R1: theme 'trusst' is not declared (did you mean 'trust'?)",
        "t.yaml:21:23: rule R1: programme_theory 'uk' is not declared",
        "t.yaml:22:22: rule R1: 'r1' is not a node of this theory",
        "t.yaml:24:16: rule R1: 'inferred' names 'colour', which is not a field of this record",
        "t.yaml:23:59: rule R1: 'R9' is not a rule of this theory",
        "t.yaml:23:72: rule R1: an annotation cites 's9', which is not a source of this theory",
        "t.yaml:6:51: node 'c1': 'inferred' names 'colour'",
        "t.yaml:11:52: outcome 'o2' cannot be a variant of itself",
        "t.yaml:26:33: relation feeds o1 -> c9: 'c9' is not a node or rule of this theory",
        "t.yaml:27:36: relation rival-of m1 -> m1: a relation joins two different things",
    ]
    assert len(problems) == len(expected), "\n".join(problems)
    for want in expected:
        assert any(p.startswith(want) for p in problems), (want, problems)


def test_if_any_cannot_stand_beside_a_list_of_contexts() -> None:
    with pytest.raises(ValueError, match=r"'if: any' \(in any circumstances\) cannot also"):
        Theory(
            id="t",
            title="T",
            nodes=(cimo.Context(id="c", label="C"),),
            rules=(Rule(id="R", contexts=("c",), any_context=True),),
        )


def test_a_link_must_name_a_mechanism_of_its_rule() -> None:
    with pytest.raises(ValueError, match="a mechanism link names 'm', which is not in 'because'"):
        Theory(
            id="t",
            title="T",
            rules=(Rule(id="R", mechanism_links=(MechanismLink(mechanism="m"),)),),
        )


def test_ids_are_declared_once_per_record_kind() -> None:
    problems = _problems(
        'format_version: "2.0"\nid: t\ntitle: T\n'
        "themes: [{id: a, label: A}, {id: a, label: B}]\n"
        "participants: [{id: p, attributes: {role: x}}, {id: p}]\n"
    )
    assert problems == [
        "t.yaml:4:34: theme 'a' is declared twice",
        "t.yaml:5:53: participant 'p' is declared twice",
    ]


def test_participant_attributes_are_named_once() -> None:
    with pytest.raises(ValueError, match="attribute 'role' is given twice"):
        Participant(id="p", attributes=(("role", "a"), ("role", "b")))
