"""Cold start: `import cimo` and `cimo --version` import nothing heavy (behaviour, not time)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = (
    "networkx",
    "yaml",
    "openpyxl",
    "graphviz",
    "hypothesis",
    "docx",
    "bibtexparser",
    "rispy",
    "pandas",
)


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


def test_the_command_table_names_each_modules_commands() -> None:
    # `cimo show ...` builds only the module COMMANDS names for `show`: the table must agree
    # with what each module registers, or a command would run without its module.
    import typer

    from cimo.cli._app import COMMANDS, MODULES, build

    every = typer.main.get_group(build())
    assert set(every.commands) == set(COMMANDS)
    for module in MODULES:
        group = typer.main.get_group(build((module,)))
        assert set(group.commands) == {c for c, m in COMMANDS.items() if m == module}


def test_a_command_imports_only_its_own_module() -> None:
    loaded = _modules_after(
        "import io, contextlib\nsys.argv = ['cimo', 'show', 'pwp-resilience']\n"
        "from cimo.cli import main\nwith contextlib.redirect_stdout(io.StringIO()):\n"
        "    try:\n        main()\n    except SystemExit as exit:\n        assert exit.code == 0"
    )
    assert "cimo.cli._core" in loaded
    assert not loaded & {"cimo.cli._report", "cimo.cli._render", "cimo.cli._qdpx"}


def test_records_are_made_without_reading_their_source() -> None:
    # pydantic's use_attribute_docstrings read every record class's source on import;
    # the schema reads the docstrings itself, and gives the same descriptions.
    from cimo.io.schema import json_schema
    from cimo.model import Theory

    assert not Theory.model_config.get("use_attribute_docstrings")
    rule = json_schema()["$defs"]["Rule"]["properties"]
    assert rule["if"]["description"].startswith("IF: contexts")
