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
        *("--intervention", "peer-facilitation", "-i", "psychoeducation"),
    ]
    code, out, _ = run(*args)
    assert code == 0
    assert "fired: figure-4, retain, work-supports-recovery" in out
    code, out, _ = run(*args, "--format", "json")
    data = json.loads(out)
    assert code == 0
    assert data["fired_rules"] == ["figure-4", "retain", "work-supports-recovery"]
    assert data["blocked_rules"] == []
    assert "retain-resume" in data["mechanisms"]
    assert "work-status" in data["outcomes"]


def test_scenario_without_and_blocked(tmp_path: Path) -> None:
    path = cimo.dump(cimo.load_example("pwp-resilience"), tmp_path / "pwp.yaml")
    code, out, _ = run(
        "scenario",
        str(path),
        *("-c", "high-clinical-volume", "-c", "no-time-to-reflect"),
        *("-c", "limited-supervision", "-f", "json"),
    )
    data = json.loads(out)
    assert code == 0 and data["blocked_rules"] == ["burnout"]
    assert data["blockers"] == [{"rule": "burnout", "by": ["work-boundaries", "resilience"]}]
    code, out, _ = run(
        "scenario", str(path), "-c", "lack-of-experience", "-w", "difficulty-managing-workload"
    )
    assert code == 0 and "withheld (mechanisms removed): individual-challenges" in out


def test_query_explain_for_whom_pathways() -> None:
    code, out, _ = run("query", "pwp-resilience", "explain", "stress-and-burnout")
    assert code == 0 and out.startswith("How stress-and-burnout comes about\n  burnout: IF")
    code, out, _ = run("query", "pwp-resilience", "explain", "stress-and-burnout", "-f", "json")
    data = json.loads(out)
    assert [w["rule"] for w in data["ways"]] == ["burnout"]
    assert [w["rule"] for w in data["reduced_by"]] == ["boundaries"]
    code, out, _ = run("query", "pwp-resilience", "for-whom", "stress-and-burnout", "-f", "json")
    assert json.loads(out)["sets"][0]["contexts"] == ["high-clinical-volume", "limited-supervision"]
    code, out, _ = run(
        "query",
        "work-focused-group-cbt",
        "pathways",
        "--from",
        "peer-facilitation",
        "--to",
        "clinical-status",
        "--format",
        "json",
    )
    data = json.loads(out)
    assert code == 0 and [p["rules"] for p in data["paths"]] == [
        ["figure-4"],
        ["retain", "work-supports-recovery"],
        ["resume", "work-supports-recovery"],
    ]
    code, out, _ = run(
        "query", "work-focused-group-cbt", "pathways", "--from", "peer-facilitation", "--to",
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
