"""Cold start: `import cimo` and `cimo --version` import nothing heavy (behaviour, not time)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = ("networkx", "yaml", "openpyxl", "graphviz", "hypothesis", "docx")


def _modules_after(code: str) -> set[str]:
    script = f"import sys, json\n{code}\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", script], check=True, capture_output=True, text=True
    ).stdout
    return set(json.loads(out.splitlines()[-1]))


def test_import_cimo_imports_no_heavy_dependency() -> None:
    loaded = _modules_after("import cimo")
    assert not loaded & set(HEAVY)
    assert "pydantic" not in loaded


def test_version_answers_without_typer_or_the_library() -> None:
    loaded = _modules_after(
        "import io, contextlib\nsys.argv = ['cimo', '--version']\n"
        "from cimo.cli import main\nwith contextlib.redirect_stdout(io.StringIO()):\n    main()"
    )
    assert not loaded & {"typer", "click", "pydantic", *HEAVY}


def test_version_output() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "cimo", "--version"], check=True, capture_output=True, text=True
    )
    import cimo

    assert out.stdout == f"cimo {cimo.__version__}\n"


def test_show_does_not_import_networkx() -> None:
    loaded = _modules_after(
        "import io, contextlib\nsys.argv = ['cimo', 'show', 'pwp-resilience']\n"
        "from cimo.cli import main\nwith contextlib.redirect_stdout(io.StringIO()):\n"
        "    try:\n        main()\n    except SystemExit as exit:\n        assert exit.code == 0"
    )
    assert "cimo.summary" in loaded
    assert not loaded & {"networkx", "cimo.validate", "cimo.query", "cimo.render.diagram"}


@pytest.mark.parametrize(
    "name", ["Theory", "loads", "diff", "merge", "summary", "graph", "MergeResult", "validate"]
)
def test_lazy_names_are_the_real_objects(name: str) -> None:
    import cimo

    assert name in dir(cimo)
    assert name in cimo.__all__
    assert getattr(cimo, name) is not None
    namespace: dict[str, object] = {}
    exec(f"from cimo import {name}", namespace)
    assert namespace[name] is getattr(cimo, name)


def test_every_public_name_resolves() -> None:
    import cimo
    import cimo.exchange
    import cimo.render

    for module in (cimo, cimo.render, cimo.exchange):
        for name in module.__all__:
            assert getattr(module, name) is not None, name
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        _ = cimo.nope  # type: ignore[attr-defined]
    assert callable(cimo.merge)
