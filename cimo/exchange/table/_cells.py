"""The cells of a spreadsheet table: :class:`Table`, and CSV/XLSX files read and written as text.

Nothing here knows about theories: a :class:`Table` is a header row and data
rows of text, with the spreadsheet's row numbers for messages. The problems
found in a table are collected and raised together by :func:`raise_problems`.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any, cast

from cimo._files import MAX_CELL_CHARS, read_file_bytes
from cimo._util import atomic_write, csv_protect, csv_unprotect, markdown_text
from cimo.core.formats import SpreadsheetFormat, format_for_suffix
from cimo.errors import (
    FileFormatError,
    TableError,
    TableProblemsError,
    UsageError,
)
from cimo.exchange.table._xlsx import read_xlsx, xlsx_bytes
from cimo.model import CimoModel

__all__ = [
    "Table",
    "raise_problems",
    "read_cells",
    "write_cells",
]

_Records = list[tuple[int, list[str]]]


class Table(CimoModel):
    """The cells of a spreadsheet table, as text: one header row, then data rows.

    ``row_numbers`` are the rows as a spreadsheet program numbers them, for
    error messages; ``header_row`` is the row of the headers (1 unless title
    rows stand above them), ``title`` the text of a title row above the
    headers, and ``merged_rows`` the rows whose cells are merged across (a
    theme heading in a workbook).

    >>> t = Table(headers=("C", "Mechanism"), rows=(("a", "m"),))
    >>> t.row_number(0), t.column_name(1)
    (2, "'Mechanism' (B)")
    """

    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...] = ()
    row_numbers: tuple[int, ...] = ()
    file: str | None = None
    sheet: str | None = None
    header_row: int = 1
    title: str | None = None
    merged_rows: tuple[int, ...] = ()

    def row_number(self, index: int) -> int:
        """The spreadsheet row number of data row ``index`` (0-based)."""
        if index < len(self.row_numbers):
            return self.row_numbers[index]
        return index + self.header_row + 1

    def column_name(self, index: int) -> str:
        """A column as messages name it: its header and letter, e.g. ``'Mechanism' (C)``."""
        header = self.headers[index] if index < len(self.headers) else ""
        return f"{header!r} ({_letter(index)})" if header else _letter(index)

    def error(
        self,
        message: str,
        *,
        row: int | None = None,
        column: int | None = None,
        header: bool = False,
    ) -> TableError:
        """A :class:`~cimo.errors.TableError` located in this table.

        ``row`` is a 0-based data row; ``header=True`` points at the header row
        (no row for a table whose headers are not a row, such as a DataFrame's).
        """
        return TableError(
            message,
            file=self.file,
            sheet=self.sheet,
            row=(self.header_row or None)
            if header
            else None
            if row is None
            else self.row_number(row),
            column=None if column is None else self.column_name(column),
        )

    def __str__(self) -> str:
        lines = [" | ".join(self.headers)]
        lines += [" | ".join(row).rstrip() for row in self.rows]
        return "\n".join(lines)

    def _repr_markdown_(self) -> str:
        def cell(text: str) -> str:
            return markdown_text(text).replace("|", "\\|").replace("\n", "<br>")

        lines = ["| " + " | ".join(cell(h) for h in self.headers) + " |"]
        lines.append("|" + "---|" * len(self.headers))
        lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in self.rows]
        return "\n".join(lines)


def raise_problems(problems: Sequence[TableError], *, footer: str | None = None) -> None:
    """Raise the problems found, if any: one as itself, several as a :class:`TableProblemsError`.

    The problems are reported in table order (the header row, then each data
    row); those without a row (the whole table) come first. A ``footer`` (how
    to fix them all) ends the message.

    >>> raise_problems([])
    >>> raise_problems([TableError("the file is empty", file="t.csv")])
    Traceback (most recent call last):
    ...
    cimo.errors.TableError: t.csv: the file is empty
    """
    if len(problems) == 1:
        if not footer:
            raise problems[0]
        p = problems[0]
        raise TableError(
            f"{p.message}\n{footer}", file=p.file, sheet=p.sheet, row=p.row, column=p.column
        )
    if problems:
        raise TableProblemsError(sorted(problems, key=lambda p: p.row or 0), footer=footer)


def _letter(index: int) -> str:
    """Spreadsheet column letters: 0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


# --------------------------------------------------------------------------- reading cells


def read_cells(
    path: str | os.PathLike[str], *, sheet: str | None = None, header_row: int | None = None
) -> Table:
    """Read the cells of a CSV (or TSV) or XLSX file as text.

    The headers are in row ``header_row``; by default, in the first row with
    two values or more (rows above it with one value are titles, and the
    first is kept as the table's ``title``). CSV files are read as UTF-8 (a
    byte order mark is fine); the delimiter (``,``, ``;`` or tab) is the one
    the first row uses most. XLSX files need ``openpyxl`` (``pip install
    'cimo[xlsx]'``); ``sheet`` picks a sheet by name (default: the first).
    Bold runs of Excel rich text are read as ``<b>...</b>``.

    Raises:
        TableError: if the file is missing, unreadable, not UTF-8, or the sheet
            does not exist; the header row holds one value (a title?) or none;
            or values stand in columns without a header (all of them are listed).
        MissingDependencyError: for an XLSX file when openpyxl is not installed.
        UsageError: for an unknown file type, or a ``sheet`` given for a CSV file.
    """
    file = Path(path)
    kind = _kind_of(file)
    merged: frozenset[int] = frozenset()
    if kind == "xlsx":
        records, sheet_name, merged = read_xlsx(file, sheet)
    else:
        if sheet is not None:
            raise UsageError(f"{file}: only .xlsx files have sheets; leave out --sheet for CSV")
        records = _read_csv(file)
        sheet_name = None
    where: dict[str, Any] = {"file": str(file), "sheet": sheet_name}
    records = [(n, cells) for n, cells in records if _values(cells)]
    if not records:
        raise TableError("the table is empty; it needs a row of headers", **where)
    at = _header_at(records, header_row, where)
    title = next((c for c in records[at - 1][1] if c.strip()), None) if at else None
    table = _tidy(records[at][1], records[at + 1 :], **where)
    return table.model_copy(
        update={
            "header_row": records[at][0],
            "title": title.strip() if title else None,
            "merged_rows": tuple(sorted(merged)),
        }
    )


_HEADER_SEARCH = 20  # rows searched for the header row


def _values(cells: list[str]) -> int:
    return sum(1 for c in cells if c.strip())


def _header_at(records: _Records, header_row: int | None, where: dict[str, Any]) -> int:
    """The index in ``records`` of the header row: given, or the first with two values."""
    if header_row is not None:
        at = next((k for k, (n, _) in enumerate(records) if n == header_row), None)
        if at is None:
            raise TableError(
                f"--header-row {header_row}: row {header_row} is empty or past the end "
                f"of the table (it has {records[-1][0]} rows)",
                **where,
            )
        if _values(records[at][1]) == 1 and any(_values(c) > 1 for _, c in records[at + 1 :]):
            later = next(n for n, c in records[at + 1 :] if _values(c) > 1)
            raise TableError(
                f"row {header_row} has one value; is it a title? The headers seem to be in "
                f"row {later}: give --header-row {later}",
                row=header_row,
                **where,
            )
        return at
    for at, (_, cells) in enumerate(records[:_HEADER_SEARCH]):
        if _values(cells) > 1:
            return at
    return 0


def _kind_of(file: Path) -> SpreadsheetFormat:
    found = format_for_suffix(file, kind="table")
    if found is not None:
        return cast("SpreadsheetFormat", found.name)
    suffix = file.suffix.lower()
    if suffix == ".xls":
        raise UsageError(f"{file}: old .xls workbooks are not read; save it as .xlsx or .csv")
    raise UsageError(f"{file}: a table must be a .csv, .tsv or .xlsx file (got {suffix or 'none'})")


def _read_bytes(file: Path) -> bytes:
    try:
        return read_file_bytes(file, what="table")
    except FileFormatError as err:
        raise TableError(err.message, file=str(file)) from None


def _read_text(file: Path) -> str:
    data = _read_bytes(file)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise TableError(
            f"the file is not UTF-8 text (byte {err.start}); save it as 'CSV UTF-8'",
            file=str(file),
        ) from None
    nul = text.find("\0")
    if nul >= 0:
        raise TableError(
            f"the file holds a NUL character (in row {text.count(chr(10), 0, nul) + 1}), so it "
            "is not a text table; save it as 'CSV UTF-8'",
            file=str(file),
        )
    return text


def _read_csv(file: Path) -> _Records:
    text = _read_text(file)
    first = text.split("\n", 1)[0]
    delimiter = "\t" if file.suffix.lower() == ".tsv" else max(",;\t", key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    records: _Records = []
    try:
        for number, record in enumerate(reader, start=1):
            records.append((number, [csv_unprotect(cell) for cell in record]))
    except csv.Error as err:
        why = (
            f"a cell holds more than {MAX_CELL_CHARS:,} characters"
            if "field larger" in str(err)
            else f"not a valid CSV record ({err}); check the quotes from this row on"
        )
        raise TableError(
            why,
            file=str(file),
            row=len(records) + 1,
        ) from None
    if not records:
        raise TableError("the file is empty; the first row must hold the headers", file=str(file))
    return records


def _stray_value(cells: list[str], headers: list[str]) -> TableError | None:
    """The problem of a value outside the headers (past the last, or under a blank one)."""
    width = len(headers)
    extra = next((j for j in range(width, len(cells)) if cells[j]), None)
    if extra is not None:
        return TableError(
            f"a value stands in column {_letter(extra)}, which has no header; "
            "give the column a header (or delete the value)",
            column=_letter(extra),
        )
    blank = next((j for j, cell in enumerate(cells[:width]) if cell and not headers[j]), None)
    if blank is not None:
        return TableError(
            "a value stands in a column without a header; give the column a header",
            column=_letter(blank),
        )
    return None


def _tidy(headers: list[str], records: _Records, *, file: str | None, sheet: str | None) -> Table:
    """Strip headers, drop empty rows, and check no value stands outside the headers."""
    headers = [h.strip() for h in headers]
    while headers and not headers[-1]:
        headers.pop()
    width = len(headers)
    rows: list[tuple[str, ...]] = []
    numbers: list[int] = []
    problems: list[TableError] = []
    for number, record in records:
        cells = [c.strip() for c in record]
        if not any(cells):
            continue
        big = next((j for j, c in enumerate(cells) if len(c) > MAX_CELL_CHARS), None)
        if big is not None:
            raise TableError(
                f"the cell holds {len(cells[big]):,} characters, more than {MAX_CELL_CHARS:,} "
                "(the most a spreadsheet cell holds); shorten it",
                file=file,
                sheet=sheet,
                row=number,
                column=_letter(big),
            )
        stray = _stray_value(cells, headers)
        if stray is not None:
            problems.append(
                TableError(stray.message, file=file, sheet=sheet, row=number, column=stray.column)
            )
        rows.append(tuple((cells + [""] * width)[:width]))
        numbers.append(number)
    raise_problems(problems)
    return Table(
        headers=tuple(headers),
        rows=tuple(rows),
        row_numbers=tuple(numbers),
        file=file,
        sheet=sheet,
    )


# --------------------------------------------------------------------------- writing cells


def write_cells(
    table: Table,
    path: str | os.PathLike[str],
    *,
    sheet: str = "CMO",
    csv_protection: bool = True,
) -> Path:
    """Write the cells of a table to a CSV (or TSV) or XLSX file, atomically.

    In CSV, cells a spreadsheet would run as a formula (starting with ``=``,
    ``+``, ``-``, ``@``, tab or carriage return) get a leading apostrophe
    (:func:`~cimo._util.csv_protect`; reading the table back removes it),
    unless ``csv_protection=False``. XLSX cells are always stored as text.

    Raises:
        OutputError: if the file cannot be written.
        MissingDependencyError: for an XLSX file when openpyxl is not installed.
        UsageError: for an unknown file type.
    """
    file = Path(path)
    if _kind_of(file) == "csv":
        buffer = io.StringIO()
        delimiter = "\t" if file.suffix.lower() == ".tsv" else ","
        writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
        protect = csv_protect if csv_protection else str
        writer.writerow(table.headers)
        writer.writerows([protect(cell) for cell in row] for row in table.rows)
        return atomic_write(file, buffer.getvalue())
    return atomic_write(file, xlsx_bytes(table.headers, table.rows, file, sheet))


def frame_table(frame: Any) -> Table:
    """The cells of a pandas DataFrame (duck-typed: pandas is not imported here)."""
    rows = tuple(
        tuple(_frame_text(value) for value in row)
        for row in frame.itertuples(index=False, name=None)
    )
    return Table(
        headers=tuple(str(c).strip() for c in frame.columns),
        rows=rows,
        header_row=0,
        file="DataFrame",
    )


def _frame_text(value: Any) -> str:
    if value is None or (isinstance(value, float) and value != value):  # None, NaN
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value)
    return "" if text in ("nan", "NaT", "<NA>") else text.strip()
