"""XLSX workbooks, read defensively and written so Excel opens them (private).

A workbook is a zip of XML parts. Before openpyxl parses anything, the
workbook is checked: a readable zip whose parts unpack to no more than the
file-size limit (a 7 KB "zip bomb" can unpack to gigabytes). Only the cells
present are read, never the range the sheet declares (a declared dimension
of ``A1:XFD1048576`` costs nothing), and a sheet whose cells spread over more
than :data:`MAX_SHEET_CELLS` is refused with the far cell named. Cells that
would be read as silently empty are refused with their address: cells merged
down several rows, and formulas with no saved value. Cells merged across one
row (a title, a theme heading) are fine: their value is in the first cell.
Bold runs of Excel rich text are read as ``<b>...</b>``.

Control characters, which XML 1.0 cannot hold, are written with Excel's own
escape ``_xHHHH_`` and read back (so are literal ``_xHHHH_`` texts, escaped as
``_x005F_xHHHH_``), as Excel does.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import warnings
import zipfile
from pathlib import Path
from typing import Any

from cimo._files import max_file_bytes, read_file_bytes
from cimo._lazy import optional
from cimo.errors import FileFormatError, TableError, UsageError

__all__ = ["MAX_SHEET_CELLS", "check_sheet_name", "read_xlsx", "xlsx_bytes"]

#: Most cells (rows times columns of the used range) read from one sheet.
MAX_SHEET_CELLS = 2_000_000
#: The narrowest and widest columns written, in characters.
MIN_WIDTH, MAX_WIDTH = 8, 60

Records = list[tuple[int, list[str]]]

_FORBIDDEN_IN_SHEET_NAMES = set("[]:*?/\\")


def check_sheet_name(name: str) -> str:
    r"""``name`` if Excel accepts it as a sheet name.

    Raises:
        UsageError: naming the rule broken: empty, over 31 characters, one of
            ``[ ] : * ? / \``, starting or ending with ``'``, or ``History``.

    >>> check_sheet_name("CMO")
    'CMO'
    >>> try:
    ...     check_sheet_name("a/b")
    ... except UsageError as err:
    ...     print(err)
    --sheet 'a/b': Excel forbids '/' in sheet names (and [ ] : * ? \); pick another name
    """
    why = None
    if not name.strip():
        why = "a sheet name cannot be empty"
    elif len(name) > 31:
        why = f"Excel allows at most 31 characters in a sheet name (this one has {len(name)})"
    elif bad := sorted(_FORBIDDEN_IN_SHEET_NAMES.intersection(name)):
        why = f"Excel forbids {bad[0]!r} in sheet names (and [ ] : * ? \\)"
    elif name.startswith("'") or name.endswith("'"):
        why = "Excel forbids a sheet name that starts or ends with an apostrophe"
    elif name.casefold() == "history":
        why = "Excel reserves the sheet name 'History'"
    elif any(ord(ch) < 32 for ch in name):
        why = "a sheet name cannot hold control characters"
    if why:
        raise UsageError(f"--sheet {name!r}: {why}; pick another name")
    return name


# --------------------------------------------------------------------------- escapes

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|_(?=x[0-9A-Fa-f]{4}_)")
_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")


def escape_cell(text: str) -> str:
    r"""Write control characters as Excel does (``_x0007_``), keeping ``_xHHHH_`` texts apart.

    >>> escape_cell("bell\a"), escape_cell("_x0041_")
    ('bell_x0007_', '_x005F_x0041_')
    """
    return _CONTROL.sub(lambda m: f"_x{ord(m.group()):04X}_", text)


def unescape_cell(text: str) -> str:
    r"""Read Excel's ``_xHHHH_`` escapes back.

    >>> unescape_cell("bell_x0007_") == "bell\a", unescape_cell("_x005F_x0041_")
    (True, '_x0041_')
    """
    return _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), text) if "_x" in text else text


# --------------------------------------------------------------------------- reading


def _openpyxl(file: Path, action: str = "reading") -> Any:
    return optional(
        "openpyxl", needed_for=f"{file}: {action} .xlsx tables", extra="xlsx", instead="or use CSV"
    )


def _unreadable(file: Path, why: object) -> TableError:
    return TableError(
        f"not a readable .xlsx workbook ({why}); open and save it again in a spreadsheet "
        "program, or save it as CSV",
        file=str(file),
    )


def _check_zip(data: bytes, file: Path) -> None:
    """A zip whose parts unpack to no more than the file-size limit."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            size = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as err:
        raise _unreadable(file, err) from None
    limit = max_file_bytes()
    if size > limit:
        raise TableError(
            f"the workbook's parts unpack to {size:,} bytes uncompressed, more than cimo's "
            f"limit of {limit:,}; set CIMO_MAX_FILE_BYTES to read larger workbooks",
            file=str(file),
        )


def _load(openpyxl: Any, data: bytes, file: Path, *, values: bool, rich: bool = False) -> Any:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about extensions it skips
            return openpyxl.load_workbook(io.BytesIO(data), data_only=values, rich_text=rich)
    except Exception as err:
        why = f"{type(err).__name__}: {err}" if str(err) else type(err).__name__
        raise _unreadable(file, why) from None


def read_xlsx(file: Path, sheet: str | None) -> tuple[Records, str, frozenset[int]]:
    """The numbered rows of one sheet, as text; the sheet; the rows merged across.

    Raises:
        TableError: if the workbook is unreadable, too large, has no such sheet
            (or none), or a cell would be read as silently empty.
        MissingDependencyError: if openpyxl is not installed.
    """
    openpyxl = _openpyxl(file)
    try:
        data = read_file_bytes(file, what="workbook")
    except FileFormatError as err:
        raise TableError(err.message, file=str(file)) from None
    _check_zip(data, file)
    book = _load(openpyxl, data, file, values=False, rich=True)
    names = list(book.sheetnames)
    if not names:
        raise TableError("the workbook has no sheets; add one holding the table", file=str(file))
    if sheet is None:
        sheet = names[0]
    elif sheet not in names:
        from cimo._util import did_you_mean

        raise TableError(
            f"no sheet {sheet!r}" + did_you_mean(sheet, names) + f"; the sheets are {names}",
            file=str(file),
        )
    ws = book[sheet]
    where = {"file": str(file), "sheet": sheet}
    _check_extent(ws, where)
    across = _check_merged(ws, where)
    cells = dict(_present_cells(ws))
    formulas = [k for k, v in cells.items() if isinstance(v, str) and v.startswith("=")]
    formulas = [k for k in formulas if ws.cell(*k).data_type == "f"]
    if formulas:
        saved = _load(openpyxl, data, file, values=True)[sheet]
        _check_formulas(ws, saved, formulas, where)
        for key in formulas:
            cells[key] = saved.cell(*key).value
    records, name = _records(cells, where)
    return records, name, across


def _check_extent(ws: Any, where: dict[str, Any]) -> None:
    rows, columns = ws.max_row, ws.max_column
    if rows * columns > MAX_SHEET_CELLS:
        far = ws.calculate_dimension()
        raise TableError(
            f"the sheet's cells spread over {far} ({rows * columns:,} cells), more than cimo "
            f"reads ({MAX_SHEET_CELLS:,}); delete the values far from the table, such as the "
            f"one at {far.split(':')[-1]}",
            **where,
        )


def _check_merged(ws: Any, where: dict[str, Any]) -> frozenset[int]:
    """The rows with cells merged across; an error for cells merged down several rows."""
    ranges = sorted(ws.merged_cells.ranges, key=lambda r: (r.min_row, r.min_col))
    down = [r for r in ranges if r.max_row > r.min_row]
    if down:
        first = down[0]
        more = f" (and {len(down) - 1} more such ranges)" if len(down) > 1 else ""
        raise TableError(
            f"cells {first.coord} are merged down several rows{more}; a merged cell is read "
            "as empty below its first row: unmerge them and fill each cell",
            row=first.min_row,
            column=first.coord.split(":")[0],
            **where,
        )
    return frozenset(r.min_row for r in ranges)


def _check_formulas(
    ws: Any, saved: Any, keys: list[tuple[int, int]], where: dict[str, Any]
) -> None:
    missing = [k for k in keys if saved.cell(*k).value is None]
    if missing:
        row, col = missing[0]
        cell = ws.cell(row, col)
        more = f" (and {len(missing) - 1} more such cells)" if len(missing) > 1 else ""
        raise TableError(
            f"cell {cell.coordinate} holds the formula {str(cell.value)[:60]} with no saved "
            f"value{more}; open and save the workbook in a spreadsheet program so the values "
            "are stored, or paste the cells as values",
            row=row,
            column=cell.coordinate,
            **where,
        )


def _present_cells(ws: Any) -> Any:
    """``((row, column), value)`` of the cells the sheet holds, in no particular order."""
    for row in ws.iter_rows():
        for cell in row:
            if cell.value is not None:
                yield (cell.row, cell.column), cell.value


def cell_text(value: Any) -> str:
    """The text of a cell value; the bold runs of rich text marked ``<b>...</b>``."""
    if value is None:
        return ""
    if isinstance(value, list):  # openpyxl's CellRichText: text and TextBlock runs
        return "".join(_run_text(run) for run in value)
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    return str(value)


def _run_text(run: Any) -> str:
    if isinstance(run, str):
        return run
    text = str(run.text)
    font = getattr(run, "font", None)
    if font is not None and font.b and text.strip():
        lead, core, tail = _edges(text)
        return f"{lead}<b>{core}</b>{tail}"
    return text


def _edges(text: str) -> tuple[str, str, str]:
    """The spaces before a text, the text, and the spaces after it."""
    core = text.strip()
    start = text.index(core)
    return text[:start], core, text[start + len(core) :]


def _records(cells: dict[tuple[int, int], Any], where: dict[str, Any]) -> tuple[Records, str]:
    rows: dict[int, dict[int, str]] = {}
    for (r, c), value in cells.items():
        rows.setdefault(r, {})[c] = unescape_cell(cell_text(value))
    sheet = where["sheet"]
    if not rows:
        raise TableError("the sheet is empty; the first row must hold the headers", **where)
    width = max(max(cols) for cols in rows.values())
    records = [
        (r, [cols.get(c, "") for c in range(1, width + 1)]) for r, cols in sorted(rows.items())
    ]
    return records, sheet


# --------------------------------------------------------------------------- writing


def xlsx_bytes(
    headers: tuple[str, ...], rows: tuple[tuple[str, ...], ...], file: Path, sheet: str
) -> bytes:
    """A workbook of one sheet: the headers in bold, then the rows; text cells stay text.

    Every cell wraps its text and is aligned to the top; each column is as
    wide as its longest line, between :data:`MIN_WIDTH` and :data:`MAX_WIDTH`
    characters; the header row stays in view when scrolling.
    """
    openpyxl = _openpyxl(file, "writing")
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    check_sheet_name(sheet)
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = sheet
    ws.append([escape_cell(h) for h in headers])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append([escape_cell(c) if c else None for c in row])
    wrap = Alignment(wrap_text=True, vertical="top")
    widths = [MIN_WIDTH] * len(headers)
    for line in ws.iter_rows():
        for j, c in enumerate(line):
            c.alignment = wrap
            if isinstance(c.value, str):
                if c.value.startswith("="):
                    c.data_type = "s"  # text, not a formula
                longest = max(len(part) for part in c.value.split("\n"))
                if j < len(widths) and longest > widths[j]:
                    widths[j] = min(longest + 2, MAX_WIDTH)
    for j, width in enumerate(widths):
        ws.column_dimensions[get_column_letter(j + 1)].width = width
    ws.freeze_panes = "A2"
    data = io.BytesIO()
    book.save(data)
    return data.getvalue()
