"""`cimo check`: text like ruff, JSON findings, SARIF valid against the published schema, exit
codes, settings from the command line, the theory file and pyproject.toml."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
import typer
from typer.testing import CliRunner

import cimo
from cimo.cli import app
from cimo.examples import example_path
from cimo.validate import SEVERITIES

runner = CliRunner()
SARIF_SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text())

CLEAN = """\
format_version: "1.0"
id: demo
title: Peer support at work
nodes:
  - {id: in-work, kind: context, label: Employees with depression who are in work}
  - {id: relate, kind: mechanism, label: Relate, resource: peer support, reasoning: trust}
  - {id: work-status, kind: outcome, label: Job retention}
rules:
  - id: R1
    if: [in-work]
    because: [relate]
    then: [work-status]
    evidence: [{locator: Table 2, quote: "The others understood"}]
"""
# R2 repeats R1 (R001, an error); R3 has no outcome (R003, a warning). Each entry of evidence
# has a quote, so it is a witness (an entry with a locator only would be 'stance: source',
# and R004 would say so as an info)
FLAWED = (
    CLEAN
    + """\
  - {id: R2, because: [relate], if: [in-work], then: [work-status], evidence: [{quote: Peers}]}
  - {id: R3, if: [in-work], because: [relate], evidence: [{quote: Trust}]}
"""
)


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder with a clean and a flawed theory, as the current directory (no pyproject)."""
    (tmp_path / "clean.yaml").write_text(CLEAN)
    (tmp_path / "flawed.yaml").write_text(FLAWED)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_a_clean_theory_exits_0(files: Path) -> None:
    code, out, _ = run("check", "clean.yaml")
    assert code == 0
    assert out == "clean.yaml: 0 errors, 0 warnings, 0 infos (passes at --fail-on error)\n"


def test_text_output_reads_like_ruff_and_exits_1(files: Path) -> None:
    code, out, _ = run("check", "flawed.yaml")
    assert code == 1
    lines = out.splitlines()
    # R2 starts on line 14, R3 on line 15 (hand-counted in FLAWED), both at column 5
    assert (
        lines[0] == "flawed.yaml:14:5: R001 rule R2 repeats rule R1: the same configuration twice"
    )
    assert lines[1] == "flawed.yaml:15:5: R003 rule R3 has no outcome"
    assert lines[2] == "flawed.yaml: 1 error, 1 warning, 0 infos (fails at --fail-on error)"
    assert lines[3].startswith("help: R001 merge the two rules")
    assert FLAWED.splitlines()[13].startswith("  - {id: R2")


def test_fail_on_decides_the_exit_code(files: Path) -> None:
    assert run("check", "flawed.yaml", "--ignore", "R001")[0] == 0
    assert run("check", "flawed.yaml", "--ignore", "R001", "--fail-on", "warning")[0] == 1
    assert run("check", "flawed.yaml", "--select", "R003", "--fail-on", "error")[0] == 0


def test_json_is_a_list_of_located_findings(files: Path) -> None:
    code, out, _ = run("check", "clean.yaml", "flawed.yaml", "--format", "json")
    assert code == 1
    findings = json.loads(out)
    assert [(f["code"], f["severity"], f["location"]["id"]) for f in findings] == [
        ("R001", "error", "R2"),
        ("R003", "warning", "R3"),
    ]
    assert findings[1]["location"] == {
        "id": "R3",
        "path": ["rules", 2],
        "file": "flawed.yaml",
        "line": 15,
        "column": 5,
    }
    assert all(f["message"] and f["hint"] for f in findings)


def test_sarif_is_valid_against_the_published_schema(files: Path) -> None:
    code, out, _ = run(
        "check", "flawed.yaml", "pwp-resilience", "work-focused-group-cbt", "--format", "sarif"
    )
    assert code == 1
    log = json.loads(out)
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(log)
    run_ = log["runs"][0]
    rules = run_["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == [c.code for c in cimo.validate.checks()]
    first = run_["results"][0]
    assert first["ruleId"] == "R001" and first["level"] == "error"
    assert rules[first["ruleIndex"]]["id"] == "R001"
    region = first["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"]) == (14, 5)
    levels = {r["level"] for r in run_["results"]}
    assert levels == {"error", "warning", "note"}


def test_sarif_of_a_clean_theory_is_valid_too(files: Path) -> None:
    code, out, _ = run("check", "clean.yaml", "--format", "sarif")
    assert code == 0
    log = json.loads(out)
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(log)
    assert log["runs"][0]["results"] == []


def test_output_file_is_written(files: Path) -> None:
    code, _, err = run("check", "flawed.yaml", "-f", "sarif", "-o", "cimo.sarif")
    assert code == 1 and "wrote cimo.sarif" in err
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(json.loads(Path("cimo.sarif").read_text()))


def test_bad_input_exits_2_and_still_checks_the_other_files(files: Path) -> None:
    code, out, err = run("check", "missing.yaml", "clean.yaml")
    assert code == 2
    assert err.startswith("error: missing.yaml")
    assert "clean.yaml: 0 errors" in out
    assert "Traceback" not in out + err


def test_an_unknown_code_exits_2_with_a_suggestion(files: Path) -> None:
    code, _, err = run("check", "clean.yaml", "--select", "R01")
    assert code == 2
    assert err.startswith("error: select: 'R01' is not a check code")
    code, _, err = run("check", "clean.yaml", "--fail-on", "fatal")
    assert code == 2 and "fatal" in err


def test_a_broken_theory_file_exits_2_with_its_location(files: Path) -> None:
    Path("broken.yaml").write_text(CLEAN.replace("because: [relate]", "because: [relat]"))
    code, _, err = run("check", "broken.yaml")
    assert code == 2
    assert "broken.yaml:11:15: rule R1: 'relat' is not a mechanism" in err


def test_pyproject_settings_apply_below_the_file_and_the_command_line(files: Path) -> None:
    Path("pyproject.toml").write_text('[tool.cimo]\nignore = ["R001"]\nfail-on = "warning"\n')
    code, out, _ = run("check", "flawed.yaml")
    assert code == 1 and "R001" not in out and "R003" in out
    assert run("check", "flawed.yaml", "--fail-on", "error")[0] == 0
    # the theory file's own block wins over the project
    Path("own.yaml").write_text(FLAWED + "check:\n  ignore: [R001, R003]\n")
    assert run("check", "own.yaml")[0] == 0


def test_bundled_examples_by_name(files: Path) -> None:
    code, out, _ = run("check", "work-focused-group-cbt")
    assert code == 0
    assert re.search(r"work-focused-group-cbt\.yaml:\d+:\d+: R003 ", out)
    code, out, _ = run("check", "pwp-resilience")
    assert code == 0
    assert f"{example_path('pwp-resilience')}:" in out


def test_fail_on_offers_every_severity_most_severe_first() -> None:
    check = typer.main.get_command(app).commands["check"]  # type: ignore[attr-defined]
    (fail_on,) = (p for p in check.params if p.name == "fail_on")
    assert list(fail_on.type_descriptor.choices) == list(reversed(SEVERITIES))
