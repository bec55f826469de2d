"""The format table: the typed faces agree with its rows, names are unique, lookups work."""

from __future__ import annotations

from pathlib import Path
from typing import get_args

import pytest

from cimo.core import formats as fmts
from cimo.errors import UsageError


@pytest.mark.parametrize(
    ("literal", "rows"),
    [
        (fmts.TheoryFormat, fmts.select(kind="theory")),
        (fmts.ExportFormat, fmts.select(kind="exchange", writable=True)),
        (fmts.ImportFormat, fmts.select(kind="exchange", readable=True)),
        (fmts.SpreadsheetFormat, fmts.select(kind="table")),
        (fmts.ImageFormat, fmts.select(kind="image")),
        (fmts.DiagramFormat, fmts.select(content="diagram")),
        (fmts.CmoTableFormat, fmts.select(content="cmo-table")),
        (fmts.CmoTextFormat, fmts.select(content="cmo-table", kind="text")),
        (fmts.ReportFormat, fmts.select(content="report")),
        (fmts.RealistReportFormat, fmts.select(content="realist-report")),
    ],
)
def test_each_literal_names_exactly_its_rows(
    literal: object, rows: tuple[fmts.FileFormat, ...]
) -> None:
    assert rows and set(get_args(literal)) == set(fmts.names(rows))


def test_names_are_unique_within_a_kind_and_suffixes_are_lower_case() -> None:
    # A name means one format among those of a kind that hold one content (a Word
    # document is a CMO table for `cimo table` and a realist report for `cimo report`).
    keys = [(f.kind, f.content, f.name) for f in fmts.FORMATS]
    assert len(keys) == len(set(keys))
    # the kinds looked up by name alone (verify_format) hold each name once
    for kind in ("theory", "exchange", "table", "image", "references"):
        named = [f.name for f in fmts.select(kind=kind)]
        assert len(named) == len(set(named)), kind
    for f in fmts.FORMATS:
        assert f.suffixes and all(s.startswith(".") and s == s.lower() for s in f.suffixes)
        assert f.readable or f.writable
        assert f.description and "\n" not in f.description


def test_the_choices_of_the_commands_come_from_the_table() -> None:
    # The order of the choices is the order `cimo export/import --help` has always shown.
    assert get_args(fmts.ExportFormat) == fmts.names(fmts.select(kind="exchange", writable=True))
    assert get_args(fmts.ImportFormat) == (
        "kumu",
        "nodelink",
        "graphology",
        "cytoscape",
        "qdc",
        "graphml",
        "causalmap",
    )


def test_suffix_lookups() -> None:
    assert fmts.format_for_suffix("a/b.YML", kind="theory").name == "yaml"  # type: ignore[union-attr]
    assert fmts.format_for_suffix("t.csv", kind="table").name == "csv"  # type: ignore[union-attr]
    assert fmts.format_for_suffix("t.csv", content="cmo-table").kind == "text"  # type: ignore[union-attr]
    assert fmts.format_for_suffix("README", kind="theory") is None
    with pytest.raises(UsageError, match="may mean nodelink or graphology or cytoscape or kumu"):
        fmts.format_for_suffix("map.json", kind="exchange")
    assert fmts.format_for_suffix("map.cyjs", kind="exchange").name == "cytoscape"  # type: ignore[union-attr]
    assert fmts.format_for_suffix("links.csv", kind="exchange").name == "causalmap"  # type: ignore[union-attr]
    with pytest.raises(UsageError, match="may mean"):
        fmts.format_for_suffix("x.csv")  # a spreadsheet or the CMO table as text


def test_verify_format_names_the_choices() -> None:
    assert fmts.verify_format("qdc", kind="exchange", readable=True).suffix == ".qdc"
    with pytest.raises(UsageError, match=r"cannot import from 'gexf'; formats: graphml, nodelink"):
        fmts.verify_format("gexf", kind="exchange", readable=True, action="import from")
    with pytest.raises(UsageError, match=r"cannot use 'jpeg'; formats: svg, png, pdf$"):
        fmts.verify_format("jpeg", kind="image")


def test_spell_suffixes() -> None:
    assert fmts.spell_suffixes(fmts.select(kind="table")) == ".csv, .tsv, .txt, .xlsx or .xlsm"
    assert (
        fmts.spell_suffixes(fmts.select(kind="exchange", readable=False))
        == ".gexf, .txt, .dagitty or .drawio"
    )
    assert fmts.spell_suffixes(()) == ""


# ------------------------------------------ one registry: nobody declares formats of their own

_RESULT_ROWS = tuple(f for f in fmts.select(content="report") if f.name != "sarif")
# The choices each format option of the command line offers, as rows of the table.
_COMMAND_FORMATS = {
    ("render", "format"): fmts.select(content="diagram"),
    ("table", "format"): fmts.select(content="cmo-table"),
    ("check", "format"): fmts.select(content="report"),
    ("export", "to"): fmts.select(kind="exchange", writable=True),
    ("import", "from_"): fmts.select(kind="exchange", readable=True),
    ("sources export", "format"): fmts.select(kind="references", writable=True),
}


def _format_options() -> list[tuple[str, str, tuple[str, ...]]]:
    """(command, option, choices) for every option of `cimo` that takes a format."""
    import typer

    from cimo.cli import app

    found = []
    stack = [("", typer.main.get_command(app))]
    while stack:
        prefix, command = stack.pop()
        for name, sub in getattr(command, "commands", {}).items():
            stack.append((f"{prefix}{name} ", sub))
        for param in command.params:
            if param.name in {"format", "to", "from_"}:
                desc = param.type_descriptor  # type: ignore[attr-defined]
                assert desc.is_choice, f"{prefix}--{param.name} takes free text"
                choices = tuple(str(getattr(c, "value", c)) for c in desc.choices)
                found.append((prefix.strip(), str(param.name), choices))
    return found


def test_every_format_option_of_the_command_line_offers_the_registry_names() -> None:
    options = _format_options()
    assert {(c, o) for c, o, _ in options} >= set(_COMMAND_FORMATS)
    assert len(options) > len(_COMMAND_FORMATS)  # and the text-or-JSON reporters
    answers = (*_RESULT_ROWS, *fmts.select(content="answer"))
    for command, option, choices in options:
        rows = _COMMAND_FORMATS.get((command, option), _RESULT_ROWS)
        if command.startswith("query ") or command in ("scenario", "statements"):
            rows = answers  # and Markdown, as a notebook shows the answer
        assert set(choices) == set(fmts.names(rows)), (command, option)


def test_reference_formats_are_the_rows_of_their_kind() -> None:
    assert get_args(fmts.ReferenceFormat) == fmts.names(fmts.select(kind="references"))
    assert get_args(fmts.ReferenceExportFormat) == fmts.names(
        fmts.select(kind="references", writable=True)
    )


def test_result_format_names_the_reports_but_sarif() -> None:
    assert get_args(fmts.ResultFormat) == fmts.names(_RESULT_ROWS)
    assert get_args(fmts.AnswerFormat) == fmts.names(
        (*_RESULT_ROWS, *fmts.select(content="answer"))
    )
    assert get_args(fmts.GraphvizFormat) == tuple(
        n for n in get_args(fmts.DiagramFormat) if n != "mermaid"
    )


def test_no_module_but_the_table_declares_a_format_type() -> None:
    """A Literal or an Enum of format names anywhere else is a second registry (issue 10)."""
    import ast

    import cimo

    every_name = {f.name for f in fmts.FORMATS}
    root = Path(cimo.__file__).parent
    own = root / "core" / "formats.py"
    offenders = []
    for path in sorted(root.rglob("*.py")):
        if path == own:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            words: list[object] = []
            if isinstance(node, ast.Subscript) and ast.unparse(node.value).endswith("Literal"):
                words = [c.value for c in ast.walk(node.slice) if isinstance(c, ast.Constant)]
            elif isinstance(node, ast.ClassDef) and any(
                ast.unparse(b).endswith("Enum") for b in node.bases
            ):
                words = [
                    s.value.value
                    for s in node.body
                    if isinstance(s, ast.Assign) and isinstance(s.value, ast.Constant)
                ]
            if len(words) > 1 and set(words) <= every_name:
                offenders.append(f"{path.relative_to(root)}:{getattr(node, 'lineno', 0)}")
    assert offenders == []
