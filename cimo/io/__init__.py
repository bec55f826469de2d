"""Reading and writing theories: YAML and JSON files, CMO tables (CSV, XLSX), JSON Schema.

>>> import cimo
>>> theory = cimo.Theory(id="t", title="T")
>>> cimo.io.loads(cimo.io.dumps(theory, format="json"), format="json") == theory
True
"""

from cimo.exchange import EXPORT_FORMATS, IMPORT_FORMATS
from cimo.exchange import read as import_theory
from cimo.exchange import write as export_theory
from cimo.io._atomic import atomic_write
from cimo.io._locate import SourceText
from cimo.io._theory import (
    Format,
    dump,
    dumps,
    format_of,
    from_data,
    load,
    loads,
    locate,
    paused_gc,
    source_of,
    to_data,
)
from cimo.io.interop import _export_text as export_text
from cimo.io.interop import _import_text as import_text
from cimo.io.schema import SCHEMA_ID, json_schema
from cimo.io.table import (
    Table,
    read_cells,
    read_table,
    table_to_theory,
    theory_to_table,
    write_cells,
    write_table,
)

__all__ = [
    "EXPORT_FORMATS",
    "IMPORT_FORMATS",
    "SCHEMA_ID",
    "Format",
    "SourceText",
    "Table",
    "atomic_write",
    "dump",
    "dumps",
    "export_text",
    "export_theory",
    "format_of",
    "from_data",
    "import_text",
    "import_theory",
    "json_schema",
    "load",
    "loads",
    "locate",
    "paused_gc",
    "read_cells",
    "read_table",
    "source_of",
    "table_to_theory",
    "theory_to_table",
    "to_data",
    "write_cells",
    "write_table",
]
