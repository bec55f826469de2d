"""The diff, merge, export and import commands: exit codes, messages, atomic output."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
from typer.testing import CliRunner

import cimo
from cimo.cli import app

runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_diff_exit_codes_and_formats(tmp_path: Path, pwp: cimo.Theory) -> None:
    code, out, _ = run("diff", "pwp-resilience", "pwp-resilience")
    assert (code, out) == (0, "pwp-resilience -> pwp-resilience: no differences\n")
    smaller = cimo.dump(cimo.remove(pwp, "burnout"), tmp_path / "smaller.yaml")
    code, out, _ = run("diff", "pwp-resilience", str(smaller))
    assert code == 1
    assert out.splitlines()[1:] == [
        "Rules removed (1):",
        "  - rule burnout: " + out.split("  - rule burnout: ")[1].splitlines()[0],
    ]
    code, out, _ = run("diff", "pwp-resilience", str(smaller), "--format", "json")
    assert code == 1 and [r["id"] for r in json.loads(out)["rules_removed"]] == ["burnout"]


def test_diff_bad_input_is_exit_2(tmp_path: Path) -> None:
    code, _, err = run("diff", "pwp-resilience", str(tmp_path / "missing.yaml"))
    assert code == 2 and err.startswith("error: ")


def _study(tmp_path: Path, name: str, label: str) -> Path:
    theory = cimo.Theory(id=name, title=name, nodes=(cimo.Context(id="in-work", label=label),))
    return cimo.dump(theory, tmp_path / f"{name}.yaml")


def test_merge_writes_the_theory_or_reports_conflicts(tmp_path: Path) -> None:
    a = _study(tmp_path, "a", "In work")
    b = _study(tmp_path, "b", "In work")
    out = tmp_path / "out.yaml"
    code, _, err = run("merge", str(a), str(b), "-o", str(out))
    assert code == 0 and "merge of a, b: 1 nodes and 0 rules" in err
    assert cimo.load(out) == cimo.load(a)

    c = _study(tmp_path, "c", "Off sick")
    out2 = tmp_path / "out2.yaml"
    code, _, err = run("merge", str(a), str(c), "-o", str(out2))
    assert code == 1 and "disagree on 'label'" in err
    assert not out2.exists()  # nothing written, not even half

    code, _, err = run("merge", str(a), str(c), "-o", str(out2), "--format", "json")
    assert code == 1 and json.loads(err)["conflicts"][0]["field"] == "label"


def test_merge_with_declared_equivalence(tmp_path: Path) -> None:
    a = _study(tmp_path, "a", "In work")
    other = cimo.Theory(id="b", title="b", nodes=(cimo.Context(id="employed", label="Employed"),))
    b = cimo.dump(other, tmp_path / "b.json")
    out = tmp_path / "m.json"
    code, _, err = run("merge", str(a), str(b), "-o", str(out), "--same", "employed=in-work")
    assert code == 0 and "unified employed with in-work" in err
    assert [n.id for n in cimo.load(out).nodes] == ["in-work"]
    code, _, err = run("merge", str(a), str(b), "-o", str(out), "--same", "employed")
    assert code == 2 and "ALIAS=CANONICAL" in err


def test_export_every_format(tmp_path: Path, wfg: cimo.Theory) -> None:
    for fmt in cimo.exchange.EXPORT_FORMATS:
        target = tmp_path / f"t.{fmt}"
        code, _, err = run("export", "work-focused-group-cbt", "--to", fmt, "-o", str(target))
        assert code == 0 and "wrote" in err, err
        assert target.read_text()
    assert nx.read_graphml(tmp_path / "t.graphml").nodes["relate"]["kind"] == "mechanism"


def test_export_dagitty_cycle_is_exit_2_without_output(tmp_path: Path) -> None:
    target = tmp_path / "p.dagitty"
    code, _, err = run("export", "pwp-resilience", "--to", "dagitty", "-o", str(target))
    assert code == 2 and "--drop-feedback" in err and not target.exists()
    code, out, _ = run("export", "pwp-resilience", "--to", "dagitty", "--drop-feedback")
    assert code == 0 and out.startswith("dag {")


def test_import_round_trips_through_the_commands(tmp_path: Path, pwp: cimo.Theory) -> None:
    for fmt in cimo.exchange.IMPORT_FORMATS:
        ext = "xml" if fmt == "graphml" else cimo.exchange.IMPORT_FORMATS[fmt].lstrip(".")
        exported = tmp_path / f"{fmt}.{ext}"
        assert run("export", "pwp-resilience", "--to", fmt, "-o", str(exported))[0] == 0
        out = tmp_path / f"{fmt}.yaml"
        code, _, err = run("import", str(exported), "--from", fmt, "-o", str(out))
        assert code == 0, err
        back = cimo.load(out)
        if fmt in ("qdc", "causalmap"):  # by kind; in the order the links name them
            assert {n.id for n in back.nodes} == {n.id for n in pwp.nodes}
        else:
            assert [n.id for n in back.nodes] == [n.id for n in pwp.nodes]
        if fmt in ("nodelink", "graphml", "graphology", "cytoscape"):
            assert back == pwp


def test_import_errors_name_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "map.json"
    bad.write_text('{"elements": [{"label": "A", "type": "Person"}]}')
    code, _, err = run("import", str(bad), "--from", "kumu")
    assert code == 2 and f"error: {bad}: Kumu blueprint: element 'A'" in err


def test_export_dagitty_with_a_chosen_exposure_and_outcome() -> None:
    code, out, _ = run(
        "export", "work-focused-group-cbt", "--to", "dagitty", "--no-layout",
        "--exposure", "peer-facilitation", "--outcome", "self-efficacy",
    )  # fmt: skip
    assert code == 0
    roles = [line.split(" [")[0] for line in out.splitlines() if "[exposure" in line]
    assert roles == ['"peer-facilitation"']
    assert sum("[outcome" in line for line in out.splitlines()) == 1
    code, _, err = run("export", "work-focused-group-cbt", "--to", "dagitty", "--exposure", "nope")
    assert code == 2 and "exposure 'nope' is no variable" in err
    code, _, err = run("export", "pwp-resilience", "--to", "gexf", "--exposure", "resilience")
    assert code == 2 and "options of the dagitty export" in err


def test_convert_takes_an_example_name(tmp_path: Path, pwp: cimo.Theory) -> None:
    out = tmp_path / "pwp.json"
    code, _, err = run("convert", "pwp-resilience", str(out))
    assert code == 0, err
    assert cimo.load(out) == pwp
