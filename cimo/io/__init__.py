"""Reading and writing theories: YAML and JSON files, CMO tables (CSV, XLSX), JSON Schema.

>>> import cimo
>>> theory = cimo.Theory(id="t", title="T")
>>> cimo.io.loads(cimo.io.dumps(theory, format="json"), format="json") == theory
True

The plain-data codec and the table of where theories were loaded from are
not about files, and live in :mod:`cimo.core.data` and :mod:`cimo.core.source`.
"""

from __future__ import annotations

import importlib
import warnings
from typing import Any

from cimo._util import atomic_write
from cimo.core.data import paused_gc as paused_gc  # deprecated; see _PENDING below
from cimo.core.data import to_data as to_data  # deprecated; see _PENDING below
from cimo.core.source import locate, source_of
from cimo.exchange import EXPORT_FORMATS, IMPORT_FORMATS
from cimo.exchange import read as import_theory
from cimo.exchange import write as export_theory
from cimo.exchange.table import (
    Table,
    read_cells,
    read_table,
    table_to_theory,
    theory_to_table,
    write_cells,
    write_table,
)
from cimo.io import table as table  # the deprecated alias module, still an attribute
from cimo.io._theory import Format, dump, dumps, format_of, load, loads
from cimo.io.interop import _export_text as export_text
from cimo.io.interop import _import_text as import_text
from cimo.io.schema import SCHEMA_ID, json_schema

__all__ = [
    "EXPORT_FORMATS",
    "IMPORT_FORMATS",
    "SCHEMA_ID",
    "Format",
    "Table",
    "atomic_write",
    "dump",
    "dumps",
    "export_text",
    "export_theory",
    "format_of",
    "import_text",
    "import_theory",
    "json_schema",
    "load",
    "loads",
    "locate",
    "read_cells",
    "read_table",
    "source_of",
    "table_to_theory",
    "theory_to_table",
    "write_cells",
    "write_table",
]

#: Names that moved out of ``cimo.io``: old name -> (new module, name there).
_MOVED: dict[str, tuple[str, str]] = {
    "SourceText": ("cimo.core.source", "SourceText"),
    "from_data": ("cimo.core.data", "from_data"),
}
#: Moved too, but still plain attributes (imported above, no warning) while
#: ``cimo.validate`` and ``cimo.merge`` import them from here: once they import
#: from the new homes, delete the two imports above and merge this into _MOVED.
_PENDING: dict[str, tuple[str, str]] = {
    "paused_gc": ("cimo.core.data", "paused_gc"),
    "to_data": ("cimo.core.data", "to_data"),
}


def __getattr__(name: str) -> Any:
    """The moved names, with a DeprecationWarning that names their new home (PEP 562)."""
    try:
        module, attr = _MOVED[name]
    except KeyError:
        raise AttributeError(f"module 'cimo.io' has no attribute {name!r}") from None
    warnings.warn(
        f"cimo.io.{name} moved to {module}.{attr}; the old name will be removed "
        "in the next release",
        DeprecationWarning,
        stacklevel=2,
    )
    return getattr(importlib.import_module(module), attr)
