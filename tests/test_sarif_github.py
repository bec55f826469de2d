"""`cimo check --format sarif` is ready for GitHub code scanning.

Two checks: GitHub's documented ingestion requirements, written out here
(docs.github.com, "SARIF support for code scanning"), and Microsoft's SARIF
Multitool (from npm, installed by `make consumers`) with its SARIF and
GitHub (`Gh`) rule sets, the validator GitHub points to.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import jsonschema
import pytest
from typer.testing import CliRunner

import cimo
from cimo.cli import app

ROOT = Path(cimo.__file__).parent.parent
SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text())
MULTITOOL = (
    Path(__file__).parent / "js/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool"
)
FLAWED = """\
format_version: "1.0"
id: flawed
title: A flawed theory
nodes:
  - {id: c, kind: context, label: In work}
  - {id: m, kind: mechanism, label: Relate}
  - {id: o, kind: outcome, label: Retention}
  - {id: lonely, kind: context, label: Alone}
rules:
  - {id: R1, if: [c], because: [m], then: [o]}
  - {id: R2, if: [c], because: [m]}
"""


def github_problems(log: dict[str, Any], root: Path) -> list[str]:
    """What GitHub's documented ingestion rules find wrong with a SARIF log (empty: none).

    From "SARIF support for code scanning": version 2.1.0 with a ``$schema``;
    a tool driver with a name; each rule with an ``id``, a short and a full
    description and help; each result with a ``ruleId`` of a declared rule, a
    ``message.text`` and at least one location with a physical location whose
    ``artifactLocation.uri`` is relative to the repository (through a
    ``uriBaseId`` that ``originalUriBaseIds`` defines as an absolute file URI
    ending in ``/``) and names a file that exists, and a ``region.startLine`` of
    at least 1 where a region is given; ``partialFingerprints`` to track alerts;
    at most 25,000 results per run and 20 runs per file.
    """
    out: list[str] = []
    if log.get("version") != "2.1.0" or "$schema" not in log:
        out.append("version 2.1.0 and $schema are required")
    runs = log.get("runs", [])
    if not 1 <= len(runs) <= 20:
        out.append("a file has 1 to 20 runs")
    for run in runs:
        out += _run_problems(run, root)
    return out


def _run_problems(run: dict[str, Any], root: Path) -> list[str]:
    out: list[str] = []
    driver = run["tool"]["driver"]
    if not driver.get("name"):
        out.append("tool.driver.name is required")
    rules = {r["id"]: r for r in driver.get("rules", [])}
    for rid, rule in rules.items():
        out += [
            f"rule {rid}: {key}.text is required"
            for key in ("shortDescription", "fullDescription", "help")
            if not rule.get(key, {}).get("text")
        ]
    bases = run.get("originalUriBaseIds", {})
    for name, base in bases.items():
        uri = base.get("uri", "")
        if not (uri.startswith("file:///") and uri.endswith("/")):
            out.append(f"originalUriBaseIds.{name}: an absolute file URI ending in /")
    if len(run.get("results", [])) > 25_000:
        out.append("at most 25,000 results per run")
    for i, result in enumerate(run.get("results", [])):
        where = f"result {i} ({result.get('ruleId')})"
        if result.get("ruleId") not in rules:
            out.append(f"{where}: ruleId must name a rule of the driver")
        if not result.get("message", {}).get("text"):
            out.append(f"{where}: message.text is required")
        if not result.get("partialFingerprints"):
            out.append(f"{where}: partialFingerprints are missing")
        physical = [
            loc["physicalLocation"]
            for loc in result.get("locations", [])
            if "physicalLocation" in loc
        ]
        if not physical:
            out.append(f"{where}: at least one physical location is required")
        out += [f"{where}: {p}" for loc in physical for p in _location_problems(loc, bases, root)]
    return out


def _location_problems(loc: dict[str, Any], bases: dict[str, Any], root: Path) -> list[str]:
    art = loc["artifactLocation"]
    uri = art.get("uri", "")
    if uri.startswith("/") or "://" in uri or "uriBaseId" not in art:
        return [f"{uri!r} is not relative to the repository"]
    if art["uriBaseId"] not in bases:
        return [f"uriBaseId {art['uriBaseId']} is not defined"]
    out = []
    base = Path(unquote(urlparse(bases[art["uriBaseId"]]["uri"]).path))
    if base != root or not (base / unquote(uri)).is_file():
        out.append(f"{uri!r} names no file of the repository")
    if "region" in loc and loc["region"].get("startLine", 0) < 1:
        out.append("region.startLine must be at least 1")
    return out


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The cimo checkout as the current directory, with a flawed theory in a sub-folder."""
    monkeypatch.chdir(ROOT)
    folder = tmp_path / "theories"
    folder.mkdir()
    (folder / "flawed.yaml").write_text(FLAWED)
    return folder / "flawed.yaml"


def _check_log(*files: str, root: Path = ROOT) -> dict[str, Any]:
    result = CliRunner().invoke(app, ["check", *files, "--format", "sarif"])
    assert result.exit_code in (0, 1), result.stderr
    log: dict[str, Any] = json.loads(result.stdout)
    jsonschema.Draft4Validator(SCHEMA).validate(log)
    return log


def test_sarif_meets_githubs_ingestion_rules(repo: Path) -> None:
    names = [e.name for e in cimo.list_examples()]
    log = _check_log(*names)
    assert log["runs"][0]["results"], "the examples have findings to show"
    assert github_problems(log, ROOT) == []
    # The table-built example points at its CSV file and the row (= line) of each finding.
    located = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in log["runs"][0]["results"]
    }
    assert "cimo/examples/doctors-mental-health.csv" in located
    dmh = cimo.load_example("doctors-mental-health")
    row_1 = next(
        r
        for r in log["runs"][0]["results"]
        if r["locations"][0].get("logicalLocations", [{}])[0].get("name") == "row-1"
    )
    line = row_1["locations"][0]["physicalLocation"]["region"]["startLine"]
    csv_line = (ROOT / "cimo/examples/doctors-mental-health.csv").read_text().splitlines()[line - 1]
    assert csv_line.startswith("1,") and dmh.rule_index["row-1"].source_label == "1"


def test_the_github_rules_catch_what_cimo_once_wrote(repo: Path) -> None:
    # A file outside the repository gets an absolute file:// URI, which GitHub cannot place.
    outside = _check_log(str(repo))
    uri = outside["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert uri == {"uri": repo.resolve().as_uri()}
    assert any("not relative to the repository" in p for p in github_problems(outside, ROOT))
    old = _check_log("pwp-resilience")
    rule = old["runs"][0]["tool"]["driver"]["rules"][0]
    del rule["fullDescription"]
    result = old["runs"][0]["results"][0]
    result["locations"] = [{"logicalLocations": result["locations"][0]["logicalLocations"]}]
    del result["partialFingerprints"]
    problems = github_problems(old, ROOT)
    assert any("fullDescription.text is required" in p for p in problems)
    assert any("at least one physical location" in p for p in problems)
    assert any("partialFingerprints are missing" in p for p in problems)


def test_fingerprints_survive_moved_lines(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("t.yaml").write_text(FLAWED)
    before = _check_log("t.yaml", root=tmp_path)["runs"][0]["results"]
    Path("t.yaml").write_text(FLAWED.replace("title:", "# a comment\ntitle:"))
    after = _check_log("t.yaml", root=tmp_path)["runs"][0]["results"]
    assert [r["partialFingerprints"] for r in before] == [r["partialFingerprints"] for r in after]
    lines = [r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in before]
    assert [r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in after] == [
        n + 1 for n in lines
    ]
    assert len({json.dumps(r["partialFingerprints"]) for r in before}) == len(before)


def test_microsofts_sarif_multitool_finds_no_sarif_or_github_error(
    repo: Path, tmp_path: Path
) -> None:
    if not os.access(MULTITOOL, os.X_OK):
        pytest.fail(f"the SARIF Multitool is not installed ({MULTITOOL}): run `make consumers`")
    names = [e.name for e in cimo.list_examples()]
    log_file = tmp_path / "cimo.sarif"
    log_file.write_text(json.dumps(_check_log(*names), indent=2))
    found: dict[str, list[str]] = {}
    for kind in ("Sarif", "Gh"):
        out = tmp_path / f"{kind}.sarif"
        proc = subprocess.run(
            [str(MULTITOOL), "validate", "--rule-kind", kind, "--output", str(out), str(log_file)],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
            env={**os.environ, "DOTNET_SYSTEM_GLOBALIZATION_INVARIANT": "1"},
        )
        assert proc.returncode == 0, proc.stdout + proc.stderr
        results = json.loads(out.read_text(encoding="utf-8-sig"))["runs"][0]["results"]
        found[kind] = [
            f"{r['ruleId']}: {r['message'].get('text') or r['message'].get('arguments')}"
            for r in results
            if r.get("level", "warning") == "error"
        ]
    assert found == {"Sarif": [], "Gh": []}


def test_the_multitool_does_catch_a_missing_full_description(tmp_path: Path) -> None:
    if not os.access(MULTITOOL, os.X_OK):
        pytest.fail(f"the SARIF Multitool is not installed ({MULTITOOL}): run `make consumers`")
    log = _check_log("pwp-resilience")
    for rule in log["runs"][0]["tool"]["driver"]["rules"]:
        del rule["fullDescription"]
    bad = tmp_path / "bad.sarif"
    bad.write_text(json.dumps(log, indent=2))
    out = tmp_path / "out.sarif"
    subprocess.run(
        [str(MULTITOOL), "validate", "--rule-kind", "Gh", "--output", str(out), str(bad)],
        capture_output=True,
        timeout=120,
        check=True,
        env={**os.environ, "DOTNET_SYSTEM_GLOBALIZATION_INVARIANT": "1"},
    )
    results = json.loads(out.read_text(encoding="utf-8-sig"))["runs"][0]["results"]
    assert {r["ruleId"] for r in results if r.get("level", "warning") == "error"} == {"GH2012"}
