"""The explorer page without a browser: the command, the file, the data it carries."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

import cimo
from cimo.cli import app
from cimo.render import explorer
from cimo.render._explorer import explorer_data, reasoning_data

runner = CliRunner()


def _data(page_html: str) -> dict[str, object]:
    found = re.search(
        r'<script type="application/json" id="cimo-data">(.*?)</script>', page_html, re.S
    )
    assert found is not None
    loaded: dict[str, object] = json.loads(found.group(1))
    return loaded


@pytest.mark.exe
def test_cimo_explore_writes_one_page(tmp_path: Path) -> None:
    out = tmp_path / "map.html"
    result = runner.invoke(app, ["explore", "pwp-resilience", "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    assert f"wrote the explorer to {out}" in result.stderr and "KB)" in result.stderr
    text = out.read_text(encoding="utf-8")
    assert text == explorer(cimo.load_example("pwp-resilience")).html


def test_cimo_explore_bad_input_is_a_message_and_no_file(tmp_path: Path) -> None:
    out = tmp_path / "map.html"
    result = runner.invoke(app, ["explore", str(tmp_path / "missing.yaml"), "-o", str(out)])
    assert result.exit_code == 2
    assert "error:" in result.stderr and "Traceback" not in result.stderr
    assert not out.exists()


def test_cimo_explore_never_writes_over_its_input(tmp_path: Path) -> None:
    theory = tmp_path / "theory.yaml"
    theory.write_text(cimo.dumps(cimo.load_example("pwp-resilience")), encoding="utf-8")
    before = theory.read_bytes()
    link = tmp_path / "link.html"
    link.symlink_to(theory)
    for out in (theory, link):
        result = runner.invoke(app, ["explore", str(theory), "-o", str(out)])
        assert result.exit_code == 2, result.output
        assert "is also an input" in result.stderr and "Traceback" not in result.stderr
    assert theory.read_bytes() == before


@pytest.mark.exe
def test_labels_cannot_break_out_of_the_page(tmp_path: Path) -> None:
    nasty = 'Staff say </script><script>alert("x")</script> & __DATA__ <!--'
    theory = cimo.Theory.model_validate(
        {
            "id": "nasty",
            "title": "A </title> title & more",
            "nodes": [
                {"id": "c1", "kind": "context", "label": nasty},
                {"id": "o1", "kind": "outcome", "label": "Outcome"},
            ],
            "rules": [{"id": "r1", "if": ["c1"], "then": ["o1"], "statement": nasty}],
        }
    )
    page = explorer(theory).html
    assert page.count("<script") == 3  # the data, the engine, the page's script
    assert "<title>A &lt;/title&gt; title &amp; more — cimo explorer</title>" in page
    data = _data(page)
    assert data["display"][0]["label"] == nasty  # type: ignore[index]
    assert data["rules"][0]["statement"] == nasty  # type: ignore[index]
    block = page.split('id="cimo-data">')[1].split("</script>")[0]
    assert "<" not in block  # written as \u003c: no tag can start inside the data


def test_the_data_is_the_model() -> None:
    theory = cimo.load_example("work-focused-group-cbt")
    data = explorer_data(theory)
    assert data["nodes"] == [n.id for n in theory.nodes]
    assert [r["id"] for r in data["rules"]] == [r.id for r in theory.rules]
    evidence = [e for r in data["rules"] for e in r["evidence"]]
    assert len(evidence) == sum(len(r.evidence) for r in theory.rules)
    reasoning = reasoning_data(theory)
    assert [r["then"] for r in reasoning["rules"]] == [list(r.outcomes) for r in theory.rules]
    assert json.loads(json.dumps(data)) == data  # plain JSON


def test_jupyter_shows_the_page_in_a_sandboxed_frame() -> None:
    page = cimo.render.Explorer(theory="t", title='A "title"', html="<p>x & y</p>")
    shown = page._repr_html_()
    assert shown.startswith("<iframe") and 'sandbox="allow-scripts allow-modals"' in shown
    assert 'srcdoc="&lt;p&gt;x &amp; y&lt;/p&gt;"' in shown
    assert str(page) == 'explorer of A "title": 0 KB'
