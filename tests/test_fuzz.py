"""Fuzzing every reader: whatever the input, only a CimoError escapes.

Each reader gets random bytes, mutations of a valid document (bytes changed,
cut, repeated) and, for the structured formats, random data in the places a
document has. ``make test`` runs a few dozen examples of each; ``make fuzz``
sets ``CIMO_FUZZ_EXAMPLES`` to run thousands.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cimo
from cimo.core.data import from_data
from cimo.errors import CimoError
from cimo.exchange import export_text, import_text
from cimo.exchange.table import read_table

FUZZ = settings(
    max_examples=int(os.environ.get("CIMO_FUZZ_EXAMPLES", "40")),
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize="CIMO_FUZZ_EXAMPLES" not in os.environ,
)

EXAMPLE = cimo.load_example("pwp-resilience")
IMPORTS = ("graphml", "nodelink", "graphology", "cytoscape", "kumu", "qdc", "causalmap")
SEEDS: dict[str, bytes] = {
    "yaml": cimo.dumps(EXAMPLE).encode(),
    "json": cimo.dumps(EXAMPLE, format="json").encode(),
    **{f: export_text(EXAMPLE, format=f).encode() for f in IMPORTS},
    "csv": b"ID,Context,Mechanism,Outcome,Links\n1,c;d,m,o,\n2,q,m2,p,1\n",
}


def only_cimo_errors(read: Callable[[], object]) -> None:
    """Run ``read``; anything but success or a CimoError fails the test."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a reader may warn (openpyxl does); it must not crash
        with contextlib.suppress(CimoError):
            read()


@st.composite
def mutations(draw: st.DrawFn, seed: bytes) -> bytes:
    """``seed`` with a few bytes changed, a slice cut out or repeated, or cut short."""
    data = bytearray(seed)
    for _ in range(draw(st.integers(1, 4))):
        how = draw(st.sampled_from(["set", "cut", "repeat", "truncate", "insert"]))
        i = draw(st.integers(0, max(len(data) - 1, 0)))
        j = draw(st.integers(i, min(len(data), i + 64)))
        if how == "set" and data:
            data[i] = draw(st.integers(0, 255))
        elif how == "cut":
            del data[i:j]
        elif how == "repeat":
            data[i:i] = data[i:j] * draw(st.integers(1, 50))
        elif how == "truncate":
            del data[i:]
        else:
            data[i:i] = draw(st.sampled_from(_TOKENS))
    return bytes(data)


_TOKENS = [
    b"[",
    b"]",
    b"{",
    b"}",
    b'"',
    b"'",
    b",",
    b":",
    b"\x00",
    b"\r\n",
    b"\t",
    b"&",
    b"<",
    b">",
    b"!!binary ",
    b"<<: ",
    b"*a",
    b"&a ",
    b"---\n",
    b"9" * 5000,
    b"1e999",
    b"NaN",
    b"\\ud800",
    b"<!DOCTYPE x [<!ENTITY e 'x'>]>",
    b"\xff\xfe",
    b"\xef\xbb\xbf",
    b"=1+1",
    b"kind",
    b"id",
    b"position",
    b"-1",
    b"[" * 3000,
    b"true",
    b"null",
    "é".encode(),
    "\u2028".encode(),
]


def json_values() -> st.SearchStrategy[Any]:
    scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20)
    return st.recursive(
        scalars,
        lambda inner: (
            st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
        ),
        max_leaves=12,
    )


# --------------------------------------------------------------------------- theory files


@pytest.mark.parametrize("fmt", ["yaml", "json"])
@FUZZ
@given(data=st.data())
def test_theory_text_never_crashes(fmt: str, data: st.DataObject) -> None:
    text = data.draw(st.binary(max_size=300) | mutations(SEEDS[fmt]))
    only_cimo_errors(lambda: cimo.loads(text, format=fmt, file=f"t.{fmt}"))  # type: ignore[arg-type]


_NODE_FIELDS = ["id", "kind", "label", "description", "tags", "level", "facets"]
_RULE_FIELDS = ["id", "if", "unless", "with", "because", "then", "reduces", "status", "evidence"]


@st.composite
def theory_data(draw: st.DrawFn) -> Any:
    """A theory-shaped document with random values where fields go."""
    base = json.loads(SEEDS["json"])
    node = draw(st.dictionaries(st.sampled_from(_NODE_FIELDS), json_values(), max_size=4))
    rule = draw(st.dictionaries(st.sampled_from(_RULE_FIELDS), json_values(), max_size=4))
    base["nodes"][0].update(node)
    base["rules"][0].update(rule)
    key = draw(
        st.sampled_from(["title", "id", "nodes", "rules", "links", "sources", "format_version"])
    )
    if draw(st.booleans()):
        base[key] = draw(json_values())
    return base


@FUZZ
@given(document=theory_data())
def test_theory_data_never_crashes(document: Any) -> None:
    only_cimo_errors(lambda: from_data(document))
    text = json.dumps(document)
    only_cimo_errors(lambda: cimo.loads(text, format="json"))
    from cimo.io._yaml import to_yaml

    only_cimo_errors(lambda: cimo.loads(to_yaml(document)))


# --------------------------------------------------------------------------- exchange formats


@pytest.mark.parametrize("fmt", IMPORTS)
@FUZZ
@given(data=st.data())
def test_imports_never_crash(fmt: str, data: st.DataObject) -> None:
    text = data.draw(st.binary(max_size=300) | mutations(SEEDS[fmt]))
    only_cimo_errors(lambda: import_text(text, format=fmt))


_KEYS = ["id", "kind", "label", "position", "slot", "type", "source", "target", "data", "graph"]


@pytest.mark.parametrize("fmt", ["nodelink", "graphology", "cytoscape", "kumu"])
@FUZZ
@given(data=st.data())
def test_json_imports_never_crash_on_odd_values(fmt: str, data: st.DataObject) -> None:
    """A value anywhere in a valid document (up to three levels down) replaced by another."""
    doc = json.loads(SEEDS[fmt])
    node = doc
    for _ in range(data.draw(st.integers(0, 3))):
        keys = list(node) if isinstance(node, dict) else list(range(min(len(node), 3)))
        if not keys:
            break
        key = data.draw(st.sampled_from(keys))
        if not isinstance(node[key], dict | list) or not node[key]:
            break
        node = node[key]
    value = data.draw(json_values())
    if isinstance(node, dict):
        node[data.draw(st.sampled_from([*node, *_KEYS]))] = value
    elif node:
        node[data.draw(st.integers(0, len(node) - 1))] = value
    only_cimo_errors(lambda: import_text(json.dumps(doc), format=fmt))


# --------------------------------------------------------------------------- tables


@FUZZ
@given(data=st.data())
def test_csv_tables_never_crash(
    tmp_path_factory: pytest.TempPathFactory, data: st.DataObject
) -> None:
    path = tmp_path_factory.mktemp("csv") / "t.csv"
    path.write_bytes(data.draw(st.binary(max_size=200) | mutations(SEEDS["csv"])))
    only_cimo_errors(lambda: read_table(path))


def _workbook() -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    ws = book.active
    for row in SEEDS["csv"].decode().splitlines():
        ws.append(row.split(","))
    ws["B4"] = "=A1"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


XLSX = _workbook()


@FUZZ
@given(data=st.data())
def test_xlsx_tables_never_crash(
    tmp_path_factory: pytest.TempPathFactory, data: st.DataObject
) -> None:
    path = tmp_path_factory.mktemp("xlsx") / "t.xlsx"
    path.write_bytes(data.draw(mutations(XLSX) | _xlsx_part_mutations()))
    only_cimo_errors(lambda: read_table(path))


@st.composite
def _xlsx_part_mutations(draw: st.DrawFn) -> bytes:
    """A workbook whose XML parts (not the zip around them) are mutated."""
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(XLSX)) as src, zipfile.ZipFile(out, "w") as dst:
        names = src.namelist()
        victim = draw(st.sampled_from(names))
        for name in names:
            part = src.read(name)
            if name == victim:
                part = draw(mutations(part))
            dst.writestr(name, part)
    return out.getvalue()


def test_the_seeds_are_valid(tmp_path: Path) -> None:
    """The fuzzers start from documents every reader accepts."""
    assert cimo.loads(SEEDS["yaml"]) == EXAMPLE
    for fmt in IMPORTS:
        import_text(SEEDS[fmt], format=fmt)
    (tmp_path / "t.csv").write_bytes(SEEDS["csv"])
    read_table(tmp_path / "t.csv")
