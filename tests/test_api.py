"""The public API's shape: modules under their own names, moved names, evolve, py.typed."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from pydantic import ValidationError

import cimo
from cimo import edit
from cimo.errors import InvalidTheoryError, RenderError, UnknownIdError, UsageError
from cimo.render import DEFAULT_STYLE, theory_map

ROOT = Path(__file__).resolve().parents[1]


# --------------------------------------------------------------------------- modules


def test_diff_merge_summary_are_modules_under_their_own_names() -> None:
    import cimo.diff as d
    import cimo.merge as m
    import cimo.summary as s

    assert m.MergeResult is cimo.MergeResult
    assert d.TheoryDiff is cimo.TheoryDiff
    assert s.Summary is cimo.Summary
    for name in ("diff", "merge", "summary"):  # the package attributes are the modules
        assert getattr(cimo, name) is sys.modules[f"cimo.{name}"]
    assert (d.__name__, m.__name__, s.__name__) == ("cimo.diff", "cimo.merge", "cimo.summary")
    assert sys.modules["cimo.merge"] is m


def test_diff_merge_summary_are_still_called_as_functions(wfg: cimo.Theory) -> None:
    from cimo.diff import diff
    from cimo.merge import merge
    from cimo.summary import summary

    assert cimo.summary(wfg) == summary(wfg)
    assert cimo.diff(wfg, wfg) == diff(wfg, wfg)
    assert cimo.merge([wfg, wfg]) == merge([wfg, wfg])
    assert cimo.merge([wfg], id="x") == merge([wfg], id="x")


def test_edit_is_a_public_module_and_evolve_is_exported() -> None:
    assert cimo.edit is edit
    assert cimo.evolve is edit.evolve
    assert {"edit", "evolve"} <= set(cimo.__all__)


# --------------------------------------------------------------------------- moved names


@pytest.mark.parametrize("name", ["focus", "roll_up"])
def test_query_views_moved_to_edit_and_warn(name: str) -> None:
    with pytest.warns(DeprecationWarning, match=f"cimo.edit.{name}"):
        old = getattr(cimo.query, name)
    assert old is getattr(edit, name)
    from cimo.query import _views

    with pytest.warns(DeprecationWarning, match=f"cimo.edit.{name}"):
        older = getattr(_views, name)
    assert older is getattr(edit, name)
    assert name not in cimo.query.__all__
    with pytest.raises(AttributeError):
        cimo.query.no_such_name  # noqa: B018


def test_diagram_render_takes_format_by_keyword(
    wfg: cimo.Theory, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []

    def fake(source: str, *, format: str, engine: str, timeout: float) -> bytes:
        calls.append(format)
        return b"picture"

    monkeypatch.setattr("cimo.render._figure.run_graphviz", fake)
    d = theory_map(wfg)
    assert d.render(format="png") == b"picture"
    with pytest.warns(DeprecationWarning, match="by keyword"):
        assert d.render("pdf") == b"picture"
    assert calls == ["png", "pdf"]


# --------------------------------------------------------------------------- evolve, update


def test_evolve_is_a_validated_copy_with_changes(wfg: cimo.Theory) -> None:
    rule = wfg.rule_index["retain"]
    new = cimo.evolve(rule, status="refined")
    assert new.status == "refined" and rule.status != "refined"
    assert new == cimo.Rule.model_validate({**dict(rule), "status": "refined"})
    # a rule's file keywords are its aliases
    assert cimo.evolve(rule, **{"if": ("in-work",)}).contexts == ("in-work",)
    assert cimo.evolve(rule, contexts=("in-work",)) == cimo.evolve(rule, **{"if": ("in-work",)})
    with pytest.raises(ValidationError):
        cimo.evolve(rule, status="proven")
    with pytest.raises(UnknownIdError, match="did you mean 'status'"):
        cimo.evolve(rule, statu="refined")
    assert cimo.evolve(rule) == rule


def test_evolve_works_for_styles_nodes_and_theories(wfg: cimo.Theory) -> None:
    style = cimo.evolve(DEFAULT_STYLE, font="Times", wrap=20)
    assert (style.font, style.wrap) == ("Times", 20)
    assert style == DEFAULT_STYLE.model_validate(
        {**DEFAULT_STYLE.model_dump(), "font": "Times", "wrap": 20}
    )
    assert cimo.evolve(wfg.index["relate"], label="Relating").label == "Relating"
    assert cimo.evolve(wfg, title="New").title == "New"
    with pytest.raises(InvalidTheoryError):
        cimo.evolve(wfg, nodes=())


def test_update_changes_one_record_by_id(wfg: cimo.Theory) -> None:
    t = cimo.update(wfg, "retain", status="refined", **{"because": ("relate",)})
    assert t.rule_index["retain"].status == "refined"
    assert t.rule_index["retain"].mechanisms == ("relate",)
    assert [r.id for r in t.rules] == [r.id for r in wfg.rules]
    assert cimo.update(wfg, "relate", label="Relating").index["relate"].label == "Relating"
    source = wfg.sources[0]
    assert cimo.update(wfg, source.id, year=1999).source_index[source.id].year == 1999
    # the old form changes the theory's own fields
    assert cimo.update(wfg, title="T2").title == "T2"
    assert cimo.update(wfg, id="renamed").id == "renamed"
    with pytest.raises(UnknownIdError, match="did you mean 'retain'"):
        cimo.update(wfg, "retian", status="refined")
    with pytest.raises(UsageError, match="keeps the id"):
        cimo.update(wfg, "retain", id="kept")
    with pytest.raises(InvalidTheoryError, match="'relat' is not a mechanism"):
        cimo.update(wfg, "retain", mechanisms=("relat",))


# --------------------------------------------------------------------------- focus


def test_render_focus_is_edit_focus(pwp: cimo.Theory, wfg: cimo.Theory) -> None:
    from cimo.render import focus_ids

    for theory, ident in ((pwp, "purpose-reaffirmed"), (wfg, "relate"), (wfg, "figure-4")):
        for steps in (0, 1, 2):
            part = edit.focus(theory, node=ident, steps=steps)
            want = {n.id for n in part.nodes} | {r.id for r in part.rules}
            assert focus_ids(theory, ident, depth=steps) == want


# --------------------------------------------------------------------------- backend


@pytest.mark.exe
def test_dot_rejecting_the_diagram_says_so() -> None:
    from cimo.render.backend import run_graphviz

    with pytest.raises(RenderError, match=r"Graphviz's 'dot' rejected the diagram \(exit code"):
        run_graphviz("digraph { a -> }", format="svg")


def test_missing_dot_names_the_engine(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from cimo.render.backend import run_graphviz

    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(RenderError, match="Graphviz's 'sfdp' program was not found"):
        run_graphviz("digraph {}", format="svg", engine="sfdp")


# --------------------------------------------------------------------------- packaging


def test_the_package_is_marked_typed() -> None:
    assert (ROOT / "cimo" / "py.typed").is_file()


@pytest.mark.skipif(
    importlib.util.find_spec("hatchling") is None, reason="needs hatchling (the dev extra)"
)
def test_the_built_wheel_holds_py_typed(tmp_path: Path) -> None:
    # The PEP 517 hook of the build backend, run offline in the project folder.
    code = "import sys, hatchling.build as b; print(b.build_wheel(sys.argv[1]))"
    proc = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    wheel = tmp_path / proc.stdout.strip().splitlines()[-1]
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        (metadata,) = (n for n in names if n.endswith(".dist-info/METADATA"))
        lines = zf.read(metadata).decode("utf-8").splitlines()
    assert "cimo/py.typed" in names
    assert "cimo/__init__.py" in names
    # `pip install "cimo[render]"` still works, and pulls in nothing: rendering runs `dot`.
    assert "Provides-Extra: render" in lines
    assert not [r for r in lines if r.startswith("Requires-Dist: graphviz")]
