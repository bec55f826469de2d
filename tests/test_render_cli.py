"""The render, table and statements commands."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from _svg import dot_nodes, svg_groups
from typer.testing import CliRunner

import cimo
from cimo.cli import app
from cimo.render import (
    cmo_table,
    mermaid,
    mermaid_rules,
    rule_cards,
    statements,
    taxonomy_tree,
    theory_map,
)

runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_render_dot_to_stdout_and_file(wfg: cimo.Theory, tmp_path: Path) -> None:
    code, out, _ = run("render", "work-focused-group-cbt", "--view", "map")
    assert code == 0 and out == theory_map(wfg).source
    code, _, err = run(
        "render", "work-focused-group-cbt", "--view", "map", "-o", str(tmp_path / "m.dot")
    )
    assert code == 0 and "wrote" in err
    assert (tmp_path / "m.dot").read_text(encoding="utf-8") == theory_map(wfg).source


def test_render_views_styles_and_focus(pwp: cimo.Theory) -> None:
    _, out, _ = run("render", "pwp-resilience", "--view", "rules")
    assert out == rule_cards(pwp).source
    _, out, _ = run("render", "pwp-resilience", "--view", "taxonomy", "--style", "greyscale")
    assert out == taxonomy_tree(pwp, style=cimo.render.GREYSCALE_STYLE).source
    _, out, _ = run(
        "render", "pwp-resilience", "--focus", "purpose-reaffirmed", "--depth", "2", "--rule-nodes"
    )
    assert out == theory_map(pwp, focus="purpose-reaffirmed", depth=2, rules=True).source


def test_render_mermaid(pwp: cimo.Theory, tmp_path: Path) -> None:
    code, _, _ = run("render", "pwp-resilience", "-o", str(tmp_path / "m.mmd"))
    assert code == 0
    assert (tmp_path / "m.mmd").read_text(encoding="utf-8") == mermaid(pwp)
    code, out, _ = run("render", "pwp-resilience", "-f", "mermaid", "--view", "rules")
    assert code == 0 and out == mermaid_rules(pwp)
    code, _, err = run("render", "pwp-resilience", "-f", "mermaid", "--view", "taxonomy")
    assert code == 2 and "mermaid" in err
    # --focus draws the part cimo.edit.focus keeps, and nothing else (issue 16)
    args = ("-f", "mermaid", "--focus", "resilience", "--depth", "1")
    code, out, _ = run("render", "pwp-resilience", *args)
    part = cimo.edit.focus(pwp, node="resilience", steps=1)
    assert code == 0 and out == mermaid(part) and len(part.nodes) < len(pwp.nodes)
    code, _, err = run("render", "pwp-resilience", *args[:3], "resilence")
    assert code == 2 and "did you mean 'resilience'" in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--focus", "purpose-reafirmed"), "did you mean 'purpose-reaffirmed'"),
        (("-o", "x.jpeg"), "cannot tell the format"),
        (("-f", "png"), "-o OUT"),
        (("--view", "taxonomy", "--focus", "burnout"), "--view map or --view rules"),
    ],
)
def test_render_bad_input_is_a_message_and_exit_2(args: tuple[str, ...], message: str) -> None:
    code, _, err = run("render", "pwp-resilience", *args)
    assert code == 2 and message in err and "Traceback" not in err


def test_render_without_dot_leaves_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    code, _, err = run("render", "pwp-resilience", "-o", str(tmp_path / "x.svg"))
    assert code == 2 and "apt-get install graphviz" in err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.exe
def test_render_svg_png_pdf(example: cimo.Theory, tmp_path: Path) -> None:
    for suffix, head in ((".svg", b"<?xml"), (".png", b"\x89PNG"), (".pdf", b"%PDF")):
        out = tmp_path / f"{example.id}{suffix}"
        code, _, err = run("render", example.id, "--view", "map", "-o", str(out))
        assert code == 0, err
        assert out.read_bytes().startswith(head)
    nodes = svg_groups((tmp_path / f"{example.id}.svg").read_bytes(), "node")
    assert {n.id for n in example.nodes} <= set(nodes)


def test_render_draws_each_example_as_its_paper_does(wfg: cimo.Theory) -> None:
    from cimo.examples import default_view

    for name in ("work-focused-group-cbt", "pwp-resilience", "doctors-mental-health"):
        code, out, _ = run("render", name)
        assert code == 0 and out == default_view(name).source
    code, out, _ = run("render", "work-focused-group-cbt", "--iteration", "1")
    assert code == 0 and out == default_view("work-focused-group-cbt", iteration=1).source
    assert '"lexis-2011"' not in out and '"lexis-intervention"' in out and '"realise"' not in out
    code, out, _ = run("render", "work-focused-group-cbt", "--layout", "rows")
    assert code == 0 and out == theory_map(wfg, layout="rows").source
    code, _, err = run("render", "pwp-resilience", "--iteration", "1")
    assert code == 2 and "drop --iteration" in err


def test_table_formats(pwp: cimo.Theory, tmp_path: Path) -> None:
    for fmt in ("md", "html", "csv", "latex"):
        code, out, _ = run("table", "pwp-resilience", "--format", fmt)
        # the test runner reads stdout as text, so CSV's \r\n arrives as \n
        assert code == 0 and out == cmo_table(pwp, format=fmt).replace("\r\n", "\n")
    code, _, _ = run("table", "pwp-resilience", "-f", "csv", "-o", str(tmp_path / "t.csv"))
    rows = list(csv.DictReader(io.StringIO((tmp_path / "t.csv").read_text(encoding="utf-8"))))
    assert code == 0 and len(rows) == len(pwp.rules)
    code, _, err = run("table", "pwp-resilience", "--format", "xlsx")
    assert code == 2 and "xlsx" in err


def test_statements_text_and_json(wfg: cimo.Theory) -> None:
    code, out, _ = run("statements", "work-focused-group-cbt")
    assert code == 0 and out == str(statements(wfg)) + "\n"
    code, out, _ = run("statements", "work-focused-group-cbt", "--format", "json")
    assert code == 0
    assert cimo.render.text.Statements.model_validate_json(out) == statements(wfg)


def test_render_highlights_a_scenario(pwp: cimo.Theory) -> None:
    from cimo.query import scenario
    from cimo.render import Highlight

    code, out, _ = run(
        "render",
        "pwp-resilience",
        "--scenario-context",
        "lack-of-experience",
        "--scenario-context",
        "high-clinical-volume",
        "--scenario-context",
        "limited-supervision",
        "--rule-nodes",
    )
    result = scenario(
        pwp, contexts=("lack-of-experience", "high-clinical-volume", "limited-supervision")
    )
    assert code == 0
    assert out == theory_map(pwp, rules=True, highlight=Highlight.of(result)).source
    # hand-checked in pwp-resilience.yaml: lack of experience fires individual-challenges,
    # whose outcome (work-related adversity) fires core-individual, which gives work-related
    # boundaries; high volume and limited supervision would fire burnout, but the
    # boundaries block it (UNLESS)
    nodes = dot_nodes(out)
    assert nodes["individual-challenges"]["color"] == cimo.render.DEFAULT_STYLE.fired
    assert nodes["burnout"]["color"] == cimo.render.DEFAULT_STYLE.blocked
    assert nodes["work-related-adversity"]["penwidth"] == "2.5"
    assert nodes["moving-away-from-values"]["fontcolor"] == cimo.render.DEFAULT_STYLE.greyed
    code, out, _ = run(
        "render", "pwp-resilience", "--view", "rules", "--scenario-intervention", "x"
    )
    assert code == 2


@pytest.mark.parametrize(
    "args",
    [
        ("--scenario-context", "lack-of-experienc"),
        ("--view", "taxonomy", "--scenario-context", "lack-of-experience"),
        ("-f", "mermaid", "--scenario-context", "lack-of-experience"),
    ],
)
def test_render_scenario_bad_input(args: tuple[str, ...]) -> None:
    code, _, err = run("render", "pwp-resilience", *args)
    assert code == 2 and err.startswith("error: ")


def test_a_picture_name_without_a_suffix_is_refused_but_text_gets_its_default(
    tmp_path: Path,
) -> None:
    picture = runner.invoke(app, ["render", "pwp-resilience", "-o", str(tmp_path / "figure")])
    assert picture.exit_code == 2 and "cannot tell the format" in picture.output
    assert not (tmp_path / "figure").exists()
    text = runner.invoke(app, ["statements", "pwp-resilience", "-o", str(tmp_path / "notes")])
    assert text.exit_code == 0, text.output
    assert (tmp_path / "notes").read_text(encoding="utf-8").startswith("1. ")
