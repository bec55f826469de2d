"""Kinds of people: rules filtered by actor, evidence split by participant attribute."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

import cimo
from cimo import edit
from cimo import query as q
from cimo.cli import app
from cimo.errors import UnknownIdError

ACCESS = """
format_version: "2.0"
id: access
title: Access to primary care mental health support
participants:
  - {id: gp1, attributes: {role: GP, site: A}}
  - {id: gp2, attributes: {role: GP, site: B}}
  - {id: su1, attributes: {role: service user, site: A}}
  - {id: su2, attributes: {role: service user, site: B}}
sources:
  - {id: interviews, citation: "Interviews, 2024"}
nodes:
  - {kind: context, id: continuity, label: Continuity of care with one GP}
  - {kind: context, id: short-slots, label: Ten-minute appointments}
  - {kind: context, id: named-worker, label: A named mental health worker}
  - {kind: mechanism, id: trust, label: Trust that the GP will listen}
  - {kind: mechanism, id: legitimacy, label: Feeling the problem is legitimate}
  - {kind: outcome, id: disclosure, label: Disclosing low mood}
rules:
  - id: R1
    actor: service users
    if: [continuity]
    because: [trust]
    then: [disclosure]
    evidence:
      - {source: interviews, participant: su1, stance: supports}
      - {source: interviews, participant: su2, stance: supports}
      - {source: interviews, participant: gp1, stance: refutes}
  - id: R2
    actor: GPs
    if: [short-slots]
    because: [legitimacy]
    reduces: [disclosure]
    evidence:
      - {source: interviews, participant: gp1, stance: supports}
      - {source: interviews, participant: gp2, stance: supports}
      - {source: interviews, participant: a locum, stance: supports}
      - {source: interviews, stance: source}
  - id: R3
    actor: GPs
    if: [named-worker]
    because: [trust]
    then: [disclosure]
    evidence:
      - {source: interviews, participant: gp2, stance: supports}
"""

runner = CliRunner()


@pytest.fixture
def access() -> cimo.Theory:
    return cimo.loads(ACCESS)


@pytest.fixture
def access_file(tmp_path: object, access: cimo.Theory) -> str:
    from pathlib import Path

    path = Path(str(tmp_path)) / "access.yaml"
    path.write_text(ACCESS, encoding="utf-8")
    return str(path)


def test_select_rules_and_focus_by_actor(access: cimo.Theory) -> None:
    assert [r.id for r in q.select_rules(access, actor="GPs")] == ["R2", "R3"]
    assert [r.id for r in q.select_rules(access, actor="GPs", mechanism="trust")] == ["R3"]
    part = edit.focus(access, actor="service users")
    assert [r.id for r in part.rules] == ["R1"]
    assert {n.id for n in part.nodes} == {"continuity", "trust", "disclosure"}
    assert [r.id for r in edit.focus(access, actor="GPs", node="short-slots").rules] == ["R2"]


@pytest.mark.parametrize("call", [q.select_rules, edit.focus])
def test_unknown_actor_suggests(access: cimo.Theory, call: object) -> None:
    with pytest.raises(UnknownIdError, match=r"'GP' is not an actor .*did you mean 'GPs'"):
        call(access, actor="GP")  # type: ignore[operator]


def test_evidence_by_role(access: cimo.Theory) -> None:
    e = q.evidence(access, by="role")
    r1, r2, _ = e.rules
    assert [(g.group, g.supports, g.refutes) for g in r1.groups] == [
        ("GP", 0, 1),
        ("service user", 2, 0),
    ]
    assert r1.groups[1].supported_by == ("interviews/su1", "interviews/su2")
    # a free-text participant is not a declared person: its role is not recorded;
    # ``stance: source`` is no witness at all
    assert [(g.group, g.supports) for g in r2.groups] == [("GP", 2), (None, 1)]
    trust = next(m for m in e.mechanisms if m.mechanism == "trust")
    assert [(g.group, g.supports, g.refutes) for g in trust.groups] == [
        ("GP", 1, 1),
        ("service user", 2, 0),
    ]
    text = str(e)
    assert text.startswith("Evidence by role")
    assert "R2: 3 supporting, 0 refuting, 0 refining; sources interviews; by role: GP 2 " in text
    assert "not recorded 1 supporting" in text
    assert all(r.groups == () for r in q.evidence(access).rules)
    by_site = q.evidence(access, by="site").rules[0].groups
    assert [(g.group, g.supports, g.refutes) for g in by_site] == [("A", 1, 1), ("B", 1, 0)]


def test_for_whom_by_role(access: cimo.Theory) -> None:
    found = q.for_whom(access, "disclosure", by="role")
    accounts = {s.rules: [(a.group, a.supports, a.refutes) for a in s.accounts] for s in found.sets}
    assert accounts == {
        ("R1",): [("GP", (), ("R1",)), ("service user", ("R1",), ())],
        ("R3",): [("GP", ("R3",), ())],
    }
    text = str(found)
    assert "(accounts by role)" in text
    assert "continuity [R1]; accounts: GP refutes R1; service user supports R1" in text
    assert all(s.accounts == () for s in q.for_whom(access, "disclosure").sets)


@pytest.mark.parametrize("call", [q.evidence, q.for_whom])
def test_unknown_attribute_suggests(access: cimo.Theory, call: object) -> None:
    args = (access,) if call is q.evidence else (access, "disclosure")
    with pytest.raises(UnknownIdError, match=r"'rol' is not a participant attribute.*'role'"):
        call(*args, by="rol")  # type: ignore[operator]


def test_cli_actor_filters_statements_and_table(access_file: str) -> None:
    result = runner.invoke(app, ["statements", access_file, "--actor", "GPs"])
    assert result.exit_code == 0, result.output
    assert "R2" in result.stdout and "R3" in result.stdout and "R1" not in result.stdout
    assert "FOR GPs" in result.stdout
    result = runner.invoke(app, ["table", access_file, "--actor", "service users"])
    assert result.exit_code == 0
    assert "R1" in result.stdout and "R2" not in result.stdout
    result = runner.invoke(app, ["statements", access_file, "--actor", "GP"])
    assert result.exit_code == 2
    assert "did you mean 'GPs'" in result.stderr


def test_cli_evidence_and_for_whom_by(access_file: str) -> None:
    result = runner.invoke(app, ["query", access_file, "evidence", "--by", "role"])
    assert result.exit_code == 0, result.output
    assert "R1: 2 supporting, 1 refuting, 0 refining" in result.stdout
    assert "by role: GP 1 refuting; service user 2 supporting" in result.stdout
    args = ["query", access_file, "for-whom", "disclosure", "--by", "role", "-f", "json"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["by"] == "role"
    assert data["sets"][0]["accounts"][1] == {
        "group": "service user",
        "supports": ["R1"],
        "refutes": [],
        "refines": [],
    }
    result = runner.invoke(app, ["query", access_file, "evidence", "--by", "rol"])
    assert result.exit_code == 2
    assert "did you mean 'role'" in result.stderr


def test_cli_focus_by_actor(access_file: str) -> None:
    result = runner.invoke(
        app, ["query", access_file, "focus", "--actor", "GPs", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    assert [r["id"] for r in json.loads(result.stdout)["rules"]] == ["R2", "R3"]
    result = runner.invoke(app, ["query", access_file, "focus", "--actor", "GP"])
    assert result.exit_code == 2
    assert "did you mean 'GPs'" in result.stderr
