"""The `cimo` command: exit codes 0/1/2, messages not tracebacks, atomic output."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import cimo
from cimo.cli import app

runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_version() -> None:
    code, out, _ = run("--version")
    assert (code, out.strip()) == (0, f"cimo {cimo.__version__}")


def test_schema_prints_the_json_schema(tmp_path: Path) -> None:
    code, out, _ = run("schema")
    assert code == 0
    assert json.loads(out) == cimo.json_schema()
    code, _, err = run("schema", "-o", str(tmp_path / "s.json"))
    assert code == 0 and "wrote" in err
    assert json.loads((tmp_path / "s.json").read_text()) == cimo.json_schema()


def test_show_text_and_json(example: cimo.Theory) -> None:
    code, out, _ = run("show", example.id)
    assert code == 0
    assert out.startswith(example.title)
    code, out, _ = run("show", example.id, "--format", "json")
    data = json.loads(out)
    assert code == 0
    for kind in ("contexts", "interventions", "mechanisms", "outcomes"):
        assert data[kind] == len(example.of_kind(kind[:-1]))  # type: ignore[arg-type]
    assert data["rules"] == len(example.rules)


def test_show_reads_files(tmp_path: Path, wfg: cimo.Theory) -> None:
    path = cimo.dump(wfg, tmp_path / "t.yaml")
    code, out, _ = run("show", str(path))
    assert code == 0 and "8 rules" in out


def test_convert_yaml_json_yaml(tmp_path: Path, pwp: cimo.Theory) -> None:
    src = cimo.dump(pwp, tmp_path / "a.yaml")
    assert run("convert", str(src), str(tmp_path / "b.json"))[0] == 0
    assert run("convert", str(tmp_path / "b.json"), str(tmp_path / "c.yml"))[0] == 0
    assert cimo.load(tmp_path / "b.json") == pwp
    assert (tmp_path / "c.yml").read_text() == src.read_text()


def test_examples_list_and_print(tmp_path: Path) -> None:
    code, out, _ = run("examples")
    assert code == 0 and "work-focused-group-cbt" in out and "pwp-resilience" in out
    code, out, _ = run("examples", "pwp-resilience")
    assert code == 0 and cimo.loads(out) == cimo.load_example("pwp-resilience")
    code, _, err = run("examples", "pwp")
    assert code == 2 and "did you mean 'pwp-resilience'" in err


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (("show", "missing.yaml"), "missing.yaml: no such file"),
        (("show", "work-focused-group-cbd"), "did you mean the example 'work-focused-group-cbt'"),
        (("convert", "missing.yaml", "out.json"), "no such file"),
        (("convert", "{src}", "out.txt"), "name the file .yaml, .yml or .json"),
        (
            ("show", "{bad}"),
            "rule R1: 'relat' is not a mechanism of this theory (did you mean 'relate'?)",
        ),
    ],
)
def test_bad_input_is_a_message_and_exit_2(
    tmp_path: Path, args: tuple[str, ...], fragment: str
) -> None:
    src = cimo.dump(cimo.Theory(id="t", title="T"), tmp_path / "t.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "format_version: '1.0'\nid: b\ntitle: B\n"
        "nodes:\n  - {id: relate, kind: mechanism, label: Relate}\n"
        "rules:\n  - {id: R1, because: [relat]}\n"
    )
    args = tuple(a.format(src=src, bad=bad) for a in args)
    code, out, err = run(*args)
    assert code == 2
    assert fragment in err
    assert "Traceback" not in err + out
    if args[0] == "show" and "bad" in args[1]:
        assert f"{bad}:7:24:" in err


def test_usage_errors_exit_2() -> None:
    code, _, err = run("show", "work-focused-group-cbt", "--format", "xml")
    assert code == 2
    assert "xml" in err


def test_convert_never_leaves_a_half_written_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("format_version: '1.0'\nid: [\n")
    target = tmp_path / "out.json"
    code, _, _ = run("convert", str(bad), str(target))
    assert code == 2
    assert not target.exists()


def test_installed_entry_point_and_module_run() -> None:
    for cmd in (
        [sys.executable, "-m", "cimo", "--version"],
        [str(Path(sys.executable).parent / "cimo"), "--version"],
    ):
        done = subprocess.run(cmd, capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stderr
        assert done.stdout.strip() == f"cimo {cimo.__version__}"
    done = subprocess.run(
        [sys.executable, "-m", "cimo", "show", "nope.yaml"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr.startswith("error: nope.yaml: no such file")
    assert "Traceback" not in done.stderr
