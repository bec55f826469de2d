"""`cimo query` and `cimo scenario`: text and JSON, did-you-mean and exit code 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import cimo
from cimo.cli import app

runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_scenario_text_and_json() -> None:
    args = [
        "scenario",
        "work-focused-group-cbt",
        *("--context", "recurrent-depression", "-c", "in-work", "-c", "group-psychotherapy"),
        *("--intervention", "peer-facilitation", "-i", "psychoeducation", "-i", "ot-liaison"),
    ]
    code, out, _ = run(*args)
    assert code == 0
    assert "fired: table-2-example-1, figure-4, retain, work-supports-recovery" in out
    code, out, _ = run(*args, "--format", "json")
    data = json.loads(out)
    assert code == 0
    assert data["fired_rules"] == [
        "table-2-example-1",
        "figure-4",
        "retain",
        "work-supports-recovery",
    ]
    assert data["blocked_rules"] == []
    assert "retain-resume" in data["mechanisms"]
    assert "work-status" in data["outcomes"]


def test_scenario_without_and_blocked(tmp_path: Path) -> None:
    path = cimo.dump(cimo.load_example("pwp-resilience"), tmp_path / "pwp.yaml")
    code, out, _ = run(
        "scenario",
        str(path),
        *("-c", "high-clinical-volume", "-c", "no-time-to-reflect"),
        *("-c", "national-targets-focus", "-f", "json"),
    )
    data = json.loads(out)
    assert code == 0 and data["blocked_rules"] == ["core-individual"]
    assert data["blockers"] == [{"rule": "core-individual", "by": ["national-targets-focus"]}]
    code, out, _ = run(
        "scenario", str(path), "-c", "lack-of-experience", "-w", "difficulty-managing-workload"
    )
    assert code == 0 and "mechanisms did not fire: individual-challenges" in out


def test_query_explain_for_whom_pathways() -> None:
    code, out, _ = run("query", "pwp-resilience", "explain", "stress-and-burnout")
    assert code == 0 and out.startswith("How stress-and-burnout comes about\n  burnout: IF")
    code, out, _ = run("query", "pwp-resilience", "explain", "stress-and-burnout", "-f", "json")
    data = json.loads(out)
    assert [w["rule"] for w in data["ways"]] == ["burnout"]
    assert [w["rule"] for w in data["reduced_by"]] == ["boundaries", "resilience-buffers-burnout"]
    code, out, _ = run("query", "pwp-resilience", "for-whom", "stress-and-burnout", "-f", "json")
    assert json.loads(out)["sets"][0]["contexts"] == ["high-clinical-volume", "limited-supervision"]
    code, out, _ = run(
        "query",
        "work-focused-group-cbt",
        "pathways",
        "--from",
        "ot-liaison",
        "--to",
        "clinical-status",
        "--format",
        "json",
    )
    data = json.loads(out)
    assert code == 0 and [p["rules"] for p in data["paths"]] == [
        ["retain", "work-supports-recovery"],
        ["resume", "work-supports-recovery"],
    ]
    code, out, _ = run(
        "query", "work-focused-group-cbt", "pathways", "--from", "ot-liaison", "--to",
        "clinical-status", "--max-length", "1",
    )  # fmt: skip
    assert code == 0 and "cut short: longer pathways than 1 rules exist" in out


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (("scenario", "pwp-resilience", "-c", "high-clinical-volum"), "'high-clinical-volume'"),
        (("scenario", "pwp-resilience", "-i", "x"), "is not an intervention"),
        (("scenario", "work-focused-group-cbt", "-w", "relat"), "did you mean 'relate'"),
        (("query", "pwp-resilience", "explain", "resilence"), "did you mean 'resilience'"),
        (("query", "pwp-resilience", "for-whom", "lack-of-experience"), "is not an outcome"),
        (
            ("query", "work-focused-group-cbt", "pathways", "--from", "ot-liason", "--to", "x"),
            "did you mean 'ot-liaison'",
        ),
        (("query", "missing.yaml", "explain", "x"), "missing.yaml: no such file"),
    ],
)
def test_bad_ids_exit_2_with_did_you_mean(args: tuple[str, ...], fragment: str) -> None:
    code, out, err = run(*args)
    assert code == 2
    assert fragment in err and "Traceback" not in err + out


_CIRCLES = """\
format_version: "2.0"
id: circles
title: Peer circles
nodes:
  - {kind: context, id: nqn, label: Newly qualified nurses}
  - {kind: context, id: champion, label: A ward champion}
  - {kind: intervention, id: circles, label: Peer circles}
  - {kind: mechanism, id: normalising, label: Normalising}
  - {kind: outcome, id: stay, label: Intention to stay}
  - {kind: outcome, id: absence, label: Sickness absence}
rules:
  - {id: C1, if: [champion], with: [circles], because: [normalising], then: [stay]}
  - {id: C6, if: [nqn], with: [circles], because: [normalising], reduces: [absence],
     status: refuted}
relations:
  - {type: feeds, from: nqn, to: champion, stated: false}
"""


def test_refuted_rules_and_inferred_relations_from_the_command_line(tmp_path: Path) -> None:
    path = tmp_path / "circles.yaml"
    path.write_text(_CIRCLES)
    base = ["scenario", str(path), "-c", "nqn", "-i", "circles", "-f", "json"]
    code, out, _ = run(*base)
    data = json.loads(out)
    assert code == 0 and data["fired_rules"] == ["C1"] and data["set_aside"] == ["C6"]
    data = json.loads(run(*base, "--include-refuted")[1])
    assert data["fired_rules"] == ["C6", "C1"] and data["set_aside"] == []
    data = json.loads(run(*base, "--stated-only")[1])
    assert data["fired_rules"] == [] and data["set_aside"] == ["C6"]
    code, out, _ = run("query", str(path), "explain", "absence")
    assert code == 0 and "set aside (refuted" in out and "C6" in out
    code, out, _ = run("query", str(path), "explain", "absence", "--include-refuted")
    assert "reduced by C6: IF nqn WITH circles REDUCES absence" in out and "[refuted]" in out
    code, out, _ = run("query", str(path), "for-whom", "stay", "--stated-only")
    assert "champion, with circles [C1]" in out and "nqn" not in out
    code, out, _ = run("query", str(path), "for-whom", "stay")
    assert "nqn, with circles [C1]" in out
    code, out, _ = run("query", str(path), "pathways", "--from", "nqn", "--to", "stay")
    assert "nqn -> [C1] -> stay" in out
    code, out, _ = run(
        "query", str(path), "pathways", "--from", "nqn", "--to", "stay", "--stated-only"
    )
    assert "no pathway" in out
