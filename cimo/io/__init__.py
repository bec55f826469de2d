"""Theory files: YAML and JSON, read and written, and their JSON Schema.

>>> import cimo
>>> theory = cimo.Theory(id="t", title="T")
>>> cimo.io.loads(cimo.io.dumps(theory, format="json"), format="json") == theory
True

The plain-data codec and the table of where theories were loaded from are
not about files, and live in :mod:`cimo.core.data` and :mod:`cimo.core.source`;
CMO tables and the other tools' formats are in :mod:`cimo.exchange`.
"""

from __future__ import annotations

import importlib
import warnings
from typing import Any

from cimo._util import atomic_write
from cimo.io._theory import Format, dump, dumps, file_version, format_of, load, loads
from cimo.io.schema import SCHEMA_ID, json_schema

__all__ = [
    "SCHEMA_ID",
    "Format",
    "atomic_write",
    "dump",
    "dumps",
    "file_version",
    "format_of",
    "json_schema",
    "load",
    "loads",
]

#: Names that moved out of ``cimo.io`` (it holds theory files only now):
#: old name -> (module to take it from, name there, its new public name).
_MOVED: dict[str, tuple[str, str, str]] = {
    "SourceText": ("cimo.core.source", "SourceText", "cimo.core.source.SourceText"),
    "source_of": ("cimo.core.source", "source_of", "cimo.core.source.source_of"),
    "locate": ("cimo.core.source", "locate", "cimo.core.source.locate"),
    "from_data": ("cimo.core.data", "from_data", "cimo.core.data.from_data"),
    "to_data": ("cimo.core.data", "to_data", "cimo.core.data.to_data"),
    "paused_gc": ("cimo.core.data", "paused_gc", "cimo.core.data.paused_gc"),
    "EXPORT_FORMATS": ("cimo.exchange", "EXPORT_FORMATS", "cimo.exchange.EXPORT_FORMATS"),
    "IMPORT_FORMATS": ("cimo.exchange", "IMPORT_FORMATS", "cimo.exchange.IMPORT_FORMATS"),
    "export_theory": ("cimo.exchange", "write", "cimo.exchange.write"),
    "import_theory": ("cimo.exchange", "read", "cimo.exchange.read"),
    # these two still take the format as the second positional argument
    "export_text": ("cimo.io.interop", "_export_text", "cimo.exchange.export_text"),
    "import_text": ("cimo.io.interop", "_import_text", "cimo.exchange.import_text"),
    **{
        name: ("cimo.exchange.table", name, f"cimo.exchange.table.{name}")
        for name in (
            "Table",
            "read_cells",
            "read_table",
            "table_to_theory",
            "theory_to_table",
            "write_cells",
            "write_table",
        )
    },
}
#: The deprecated alias modules (each warns when one of its names is used).
_MODULES = frozenset({"table", "networks", "kumu", "qdc", "dagitty", "interop"})


def __getattr__(name: str) -> Any:
    """The moved names, with a DeprecationWarning that names their new home (PEP 562)."""
    if name in _MODULES:
        return importlib.import_module(f"cimo.io.{name}")
    try:
        module, attr, new = _MOVED[name]
    except KeyError:
        raise AttributeError(f"module 'cimo.io' has no attribute {name!r}") from None
    warnings.warn(
        f"cimo.io.{name} moved to {new}; the old name will be removed in the next release",
        DeprecationWarning,
        stacklevel=2,
    )
    return getattr(importlib.import_module(module), attr)
