"""The shape of the package: small modules, and layers that import downwards only."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import cimo

PACKAGE = Path(cimo.__file__).parent
ROOT = PACKAGE.parent
LIMIT = 600


def test_no_module_is_over_600_lines() -> None:
    sizes = {
        str(p.relative_to(ROOT)): len(p.read_text(encoding="utf-8").splitlines())
        for p in PACKAGE.rglob("*.py")
    }
    assert sizes, "no modules found"
    assert {name: n for name, n in sizes.items() if n > LIMIT} == {}


def test_the_layer_contracts_hold() -> None:
    exe = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    if exe is None:
        pytest.fail("import-linter is not installed: pip install -e '.[dev]'")
    done = subprocess.run(
        [exe, "--config", str(ROOT / "pyproject.toml")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:]
    assert "0 broken" in done.stdout


def test_the_architecture_page_lists_the_contract_layers() -> None:
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contract = config["tool"]["importlinter"]["contracts"][0]
    page = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    marker = "<!-- layers: kept equal to [tool.importlinter] in pyproject.toml"
    block = page.split(marker, 1)[1].split("```\n", 1)[1].split("```", 1)[0]
    assert block.splitlines() == contract["layers"]


def test_every_module_is_on_the_architecture_page() -> None:
    page = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    top = sorted(
        {
            p.stem if p.is_file() else p.name
            for p in PACKAGE.iterdir()
            if (p.suffix == ".py" and p.stem not in {"__init__", "__main__"})
            or (p.is_dir() and (p / "__init__.py").exists())
        }
    )
    assert top, "no modules found"
    missing = [name for name in top if f"`cimo.{name}" not in page]
    assert missing == []
