"""Docs that must stay true to the code."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cimo.errors import error_codes
from cimo.model import STRUCTURAL_CODES

DOCS = Path(__file__).parent.parent / "docs"


def headings(page: str) -> set[str]:
    return set(re.findall(r"^### `([^`]+)`", (DOCS / page).read_text(), flags=re.MULTILINE))


def test_errors_page_lists_exactly_the_error_codes() -> None:
    assert headings("errors.md") == set(error_codes()) | set(STRUCTURAL_CODES)


def _structural_types(data: dict[str, object]) -> set[str]:
    from pydantic import ValidationError

    import cimo

    with pytest.raises(ValidationError) as info:
        cimo.Theory.model_validate(data)
    return {str(e["type"]) for e in info.value.errors() if str(e["type"]).startswith("cimo.")}


def test_structural_codes_are_the_ones_the_model_raises() -> None:
    # One broken theory per family of problems; together they raise every code, and only those.
    nodes = [
        {"kind": "context", "id": "c", "label": "C"},
        {"kind": "outcome", "id": "o", "label": "O", "opposite": "o"},
        {"kind": "outcome", "id": "o", "label": "again"},
    ]
    rules = [
        {"id": "r", "if": ["c", "nope"], "unless": ["c"], "because": ["c"]},
        {"id": "s", "then": ["o", "o"], "reduces": ["o"]},
    ]
    taxonomy = {
        "id": "t",
        "label": "T",
        "taxa": [
            {"id": "a", "label": "A", "rank": "kingdom"},
            {"id": "b", "label": "B", "rank": "theme"},
        ],
    }
    raised = _structural_types({"id": "x", "title": "X", "nodes": nodes, "rules": rules})
    raised |= _structural_types({"id": "x", "title": "X", "taxonomy": taxonomy})
    assert raised == set(STRUCTURAL_CODES)


def test_readme_theory_file_loads_and_its_error_example_is_true() -> None:
    import cimo

    readme = (Path(__file__).parent.parent / "README.md").read_text()
    yaml_block = re.search(r"```yaml\n(.*?)```", readme, flags=re.S)
    text_block = re.search(r"```text\n(.*?)```", readme, flags=re.S)
    assert yaml_block and text_block
    theory = cimo.loads(yaml_block.group(1))
    assert theory.rules[0].mechanisms == ("relate",)
    broken = yaml_block.group(1).replace("because: [relate]", "because: [relat]")
    with pytest.raises(cimo.InvalidTheoryError) as info:
        cimo.loads(broken, file="theory.yaml")
    assert str(info.value.problems[0]) == text_block.group(1).strip()


def test_cli_reference_is_current(tmp_path: Path) -> None:
    import subprocess
    import sys

    out = tmp_path / "cli.md"
    typer = Path(sys.executable).parent / "typer"
    subprocess.run(
        [str(typer), "cimo.cli", "utils", "docs", "--name", "cimo", "--output", str(out)],
        check=True,
        capture_output=True,
    )
    assert (DOCS / "cli.md").read_text() == out.read_text(), "run: make cli-docs"


def test_import_cimo_loads_no_optional_dependency() -> None:
    import subprocess
    import sys

    code = (
        "import cimo, sys; "
        "print(*(m in sys.modules for m in ('graphviz', 'hypothesis', 'openpyxl')))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "False", "False"]
