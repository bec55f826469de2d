"""The format table: the typed faces agree with its rows, names are unique, lookups work."""

from __future__ import annotations

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
        (fmts.ReportFormat, fmts.select(content="report")),
    ],
)
def test_each_literal_names_exactly_its_rows(
    literal: object, rows: tuple[fmts.FileFormat, ...]
) -> None:
    assert rows and set(get_args(literal)) == set(fmts.names(rows))


def test_names_are_unique_within_a_kind_and_suffixes_are_lower_case() -> None:
    keys = [(f.kind, f.name) for f in fmts.FORMATS]
    assert len(keys) == len(set(keys))
    for f in fmts.FORMATS:
        assert f.suffixes and all(s.startswith(".") and s == s.lower() for s in f.suffixes)
        assert f.readable or f.writable
        assert f.description and "\n" not in f.description


def test_the_choices_of_the_commands_come_from_the_table() -> None:
    # The order of the choices is the order `cimo export/import --help` has always shown.
    assert get_args(fmts.ExportFormat) == fmts.names(fmts.select(kind="exchange", writable=True))
    assert get_args(fmts.ImportFormat) == ("kumu", "nodelink", "qdc", "graphml")


def test_suffix_lookups() -> None:
    assert fmts.format_for_suffix("a/b.YML", kind="theory").name == "yaml"  # type: ignore[union-attr]
    assert fmts.format_for_suffix("t.csv", kind="table").name == "csv"  # type: ignore[union-attr]
    assert fmts.format_for_suffix("t.csv", content="cmo-table").kind == "text"  # type: ignore[union-attr]
    assert fmts.format_for_suffix("README", kind="theory") is None
    with pytest.raises(UsageError, match="may mean nodelink or kumu"):
        fmts.format_for_suffix("map.json", kind="exchange")
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
    assert fmts.spell_suffixes(fmts.select(kind="exchange", readable=False)) == ".gexf or .dagitty"
    assert fmts.spell_suffixes(()) == ""
