r"""CMO tables in spreadsheets: read a CSV or XLSX table into a theory, write one back.

Most realist teams keep their theory as a table: one row per configuration,
with columns for the context, the mechanism and the outcome, often a number
and a theme. :func:`read_table` turns such a table into a :class:`~cimo.Theory`
and :func:`write_table` writes a theory back in the same shape.

* **Columns** are found from their headers (case-insensitive, with common
  synonyms: ``C``/``Context``, ``I``/``Intervention``, ``M``/``Mechanism``,
  ``O``/``Outcome``, ``No.``/``ID``/``CMOc``, ``Theme``/``Group``,
  ``Evidence``, ``Links``/``Chain``, ``Unless``, ``Reduces``), or given with
  ``columns={"Header": "role"}``. A header that is neither is an error, so no
  column is dropped silently: map it to ``"ignore"`` to skip it.
* **Several values in one cell** are separated by ``;`` (the ``separator``)
  or by new lines.
* **The same text in several rows is one node**, with a readable id made
  from the text (``"Doctors work in functional groups"`` becomes
  ``doctors-work-in-functional-groups``; a second, different text with the
  same slug gets ``-2``, in table order). A context worded exactly like an
  outcome of the table *is* that outcome: a chain.
* **Row numbers** in the ID column are kept as each rule's ``source_label``;
  a row without one stays unnumbered (its rule id is ``unnumbered-<row>``).
* **Links** between rows: a ``Links`` cell naming row ``N`` says "this row's
  context is row N's outcome, worded differently" and becomes a
  :class:`~cimo.Link`.
* **Bold mechanism words**: when a mechanism cell marks words in bold
  (``<b>...</b>``), the bold words are the mechanisms; the whole sentence
  is kept as each mechanism's ``description`` (with the markup) and
  ``reasoning`` (without it).

Every cell survives the trip table -> theory -> table, up to spacing around
values and the separator (values are written back joined by ``"; "``).

>>> import cimo, pathlib, tempfile
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "cmo.csv").write_text(
...     "No.,C,M,O,Links\n"
...     "1,Lack of support,Doctors <b>make up</b> for it,Overwork normalised,\n"
...     "2,Overwork seen as normal,Doctors feel they are <b>letting down</b> others,"
...     "Presentism,1\n")
>>> theory = cimo.io.read_table(folder / "cmo.csv")
>>> [(r.id, r.source_label, r.mechanisms) for r in theory.rules]
[('row-1', '1', ('make-up',)), ('row-2', '2', ('letting-down',))]
>>> theory.links[0].outcome, theory.links[0].context
('overwork-normalised', 'overwork-seen-as-normal')
>>> print(cimo.io.theory_to_table(theory, headers=("No.", "C", "M", "O", "Links")))
No. | C | M | O | Links
1 | Lack of support | Doctors <b>make up</b> for it | Overwork normalised |
2 | Overwork seen as normal | Doctors feel they are <b>letting down</b> others | Presentism | 1
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal, TypeAlias, get_args

from pydantic import ValidationError

from cimo._util import did_you_mean, normalise_label
from cimo.errors import MissingDependencyError, TableError, UsageError
from cimo.io._atomic import atomic_write
from cimo.io._theory import paused_gc
from cimo.model import (
    CimoModel,
    Context,
    Evidence,
    Intervention,
    Link,
    Mechanism,
    Outcome,
    Rule,
    Source,
    Theory,
)

__all__ = [
    "ROLES",
    "Role",
    "Table",
    "column_roles",
    "guess_role",
    "parse_column_map",
    "read_cells",
    "read_table",
    "table_to_theory",
    "theory_to_table",
    "write_cells",
    "write_table",
]

#: What a column of a CMO table holds.
Role: TypeAlias = Literal[
    "id",
    "theme",
    "context",
    "unless",
    "intervention",
    "mechanism",
    "outcome",
    "reduces",
    "evidence",
    "links",
    "ignore",
]
#: Every column role, in the order :func:`theory_to_table` writes them.
ROLES: tuple[Role, ...] = get_args(Role)
_ROLE_BY_NAME: dict[str, Role] = {r: r for r in ROLES}

_NODE_ROLES: frozenset[str] = frozenset(
    {"context", "unless", "intervention", "mechanism", "outcome", "reduces"}
)
_CORE_ROLES: tuple[Role, ...] = ("context", "intervention", "mechanism", "outcome")

#: Header words (normalised: case, spacing and punctuation folded) and the role they name.
_SYNONYMS: dict[str, Role] = {
    **dict.fromkeys(
        ("id", "no", "nr", "num", "number", "n", "ref", "cmoc", "cmo", "cmoc no", "row"), "id"
    ),
    **dict.fromkeys(
        ("theme", "themes", "group", "grouping", "section", "category", "cluster"), "theme"
    ),
    **dict.fromkeys(("c", "context", "contexts", "if", "context c"), "context"),
    **dict.fromkeys(("unless", "disabling context", "disabling contexts"), "unless"),
    **dict.fromkeys(
        ("i", "intervention", "interventions", "with", "intervention i"), "intervention"
    ),
    **dict.fromkeys(("m", "mechanism", "mechanisms", "because", "mechanism m"), "mechanism"),
    **dict.fromkeys(("o", "outcome", "outcomes", "then", "outcome o"), "outcome"),
    **dict.fromkeys(("reduces", "reduced outcome", "reduced outcomes"), "reduces"),
    **dict.fromkeys(("evidence", "source", "sources", "references", "refs"), "evidence"),
    **dict.fromkeys(("links", "link", "chain", "chains", "linked to", "follows"), "links"),
    "ignore": "ignore",
}

#: The header :func:`theory_to_table` writes for each role.
_HEADERS: dict[str, str] = {
    "id": "ID",
    "theme": "Theme",
    "context": "Context",
    "unless": "Unless",
    "intervention": "Intervention",
    "mechanism": "Mechanism",
    "outcome": "Outcome",
    "reduces": "Reduces",
    "evidence": "Evidence",
    "links": "Links",
}

_BOLD = re.compile(r"<b>(.*?)</b>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"</?b>", re.IGNORECASE)
_TRAILING = re.compile(r"(?:[\s,;:.]|\b(?:and|or)\b)+$", re.IGNORECASE)
_LEADING = re.compile(r"^[\s,;:.]+")
_SLUG_LENGTH = 40
_STOP_WORDS = frozenset(
    "a an and as at by for from in into its of on or than that the their to with".split()  # noqa: SIM905
)


# --------------------------------------------------------------------------- the table


class Table(CimoModel):
    """The cells of a spreadsheet table, as text: one header row, then data rows.

    ``row_numbers`` are the rows as a spreadsheet program numbers them (the
    header is row 1), for error messages.
    """

    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...] = ()
    row_numbers: tuple[int, ...] = ()
    file: str | None = None
    sheet: str | None = None

    def row_number(self, index: int) -> int:
        """The spreadsheet row number of data row ``index`` (0-based)."""
        return self.row_numbers[index] if index < len(self.row_numbers) else index + 2

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

        ``row`` is a 0-based data row; ``header=True`` points at the header row.
        """
        return TableError(
            message,
            file=self.file,
            sheet=self.sheet,
            row=1 if header else None if row is None else self.row_number(row),
            column=None if column is None else self.column_name(column),
        )

    def __str__(self) -> str:
        lines = [" | ".join(self.headers)]
        lines += [" | ".join(row).rstrip() for row in self.rows]
        return "\n".join(lines)

    def _repr_markdown_(self) -> str:
        def cell(text: str) -> str:
            return text.replace("|", "\\|").replace("\n", "<br>")

        lines = ["| " + " | ".join(cell(h) for h in self.headers) + " |"]
        lines.append("|" + "---|" * len(self.headers))
        lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in self.rows]
        return "\n".join(lines)


def _letter(index: int) -> str:
    """Spreadsheet column letters: 0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


# --------------------------------------------------------------------------- columns


def guess_role(header: str) -> Role | None:
    """The role a header names, or ``None`` when it is not one cimo knows.

    >>> guess_role("Context (C)"), guess_role(" M "), guess_role("No."), guess_role("Group")
    ('context', 'mechanism', 'id', 'theme')
    >>> guess_role("Notes") is None
    True
    """
    if header.strip() == "#":
        return "id"
    return _SYNONYMS.get(normalise_label(header))


def column_roles(table: Table, columns: Mapping[str, Role | str] | None = None) -> tuple[Role, ...]:
    """The role of every column: from ``columns`` (by header, case-insensitive), else guessed.

    Raises:
        TableError: if a header is neither mapped nor recognised, a mapped
            header is not in the table, a role is not known, two columns have
            the same role, or there is no context, mechanism or outcome column.
    """
    given: dict[str, tuple[str, Role]] = {}
    for header, name in (columns or {}).items():
        known_role = _ROLE_BY_NAME.get(name)
        if known_role is None:
            raise UsageError(
                f"{name!r} (for column {header!r}) is not a column role"
                + (did_you_mean(name, ROLES) or f"; roles: {', '.join(ROLES)}")
            )
        given[normalise_label(header)] = (header, known_role)
    known = {normalise_label(h) for h in table.headers}
    for key, (header, _) in given.items():
        if key not in known:
            raise table.error(
                f"--map names the column {header!r}, which is not in the table"
                + (did_you_mean(header, [h for h in table.headers if h]) or "")
                + f"; the headers are {', '.join(repr(h) for h in table.headers)}"
            )
    roles: list[Role] = []
    seen: dict[str, int] = {}
    for j, header in enumerate(table.headers):
        key = normalise_label(header)
        role: Role | None
        if key in given:
            role = given[key][1]
        elif not header.strip():
            role = "ignore"
        else:
            role = guess_role(header)
        if role is None:
            raise table.error(
                f"the header {header!r} is not a column cimo knows; say what it holds with "
                f"--map '{header}=ROLE' (or columns={{{header!r}: ROLE}}), where ROLE is one of "
                f"{', '.join(ROLES)} ('ignore' skips the column)",
                header=True,
                column=j,
            )
        if role != "ignore":
            if role in seen:
                raise table.error(
                    f"columns {table.column_name(seen[role])} and {table.column_name(j)} "
                    f"both hold {role!r}; keep one in the table, or map the other to 'ignore'",
                    header=True,
                    column=j,
                )
            seen[role] = j
        roles.append(role)
    if not any(r in seen for r in _CORE_ROLES):
        raise table.error(
            "no context, intervention, mechanism or outcome column: the headers are "
            f"{', '.join(repr(h) for h in table.headers)}; name them (Context, Mechanism, "
            "Outcome, ...) or map them with --map 'HEADER=context'"
        )
    return tuple(roles)


def parse_column_map(items: Iterable[str]) -> dict[str, Role]:
    """Parse ``COLUMN=ROLE`` strings (the ``--map`` option) into a column mapping.

    >>> parse_column_map(["Group=theme", "CMO no.=id"])
    {'Group': 'theme', 'CMO no.': 'id'}

    Raises:
        UsageError: if an item has no ``=`` or names an unknown role.
    """
    mapping: dict[str, Role] = {}
    for item in items:
        header, sep, name = item.rpartition("=")
        if not sep or not header.strip():
            raise UsageError(f"--map {item!r}: write COLUMN=ROLE, e.g. --map 'Group=theme'")
        role = _ROLE_BY_NAME.get(name.strip().lower())
        if role is None:
            raise UsageError(
                f"--map {item!r}: {name.strip()!r} is not a column role"
                + (did_you_mean(name.strip().lower(), ROLES) or "")
                + f"; roles: {', '.join(ROLES)}"
            )
        mapping[header.strip()] = role
    return mapping


# --------------------------------------------------------------------------- reading cells


def read_cells(path: str | os.PathLike[str], *, sheet: str | None = None) -> Table:
    """Read the cells of a CSV (or TSV) or XLSX file as text.

    The first row holds the headers. CSV files are read as UTF-8 (a byte
    order mark is fine); the delimiter (``,``, ``;`` or tab) is the one the
    header row uses most. XLSX files need ``openpyxl`` (``pip install
    'cimo[xlsx]'``); ``sheet`` picks a sheet by name (default: the first).

    Raises:
        TableError: if the file is missing, unreadable, not UTF-8, or the sheet does not exist.
        MissingDependencyError: for an XLSX file when openpyxl is not installed.
        UsageError: for an unknown file type, or a ``sheet`` given for a CSV file.
    """
    file = Path(path)
    kind = _kind_of(file)
    if kind == "xlsx":
        headers, rows, sheet_name = _read_xlsx(file, sheet)
    else:
        if sheet is not None:
            raise UsageError(f"{file}: only .xlsx files have sheets; leave out --sheet for CSV")
        headers, rows = _read_csv(file)
        sheet_name = None
    return _tidy(headers, rows, file=str(file), sheet=sheet_name)


def _kind_of(file: Path) -> Literal["csv", "xlsx"]:
    suffix = file.suffix.lower()
    if suffix in (".csv", ".tsv", ".txt"):
        return "csv"
    if suffix in (".xlsx", ".xlsm"):
        return "xlsx"
    if suffix == ".xls":
        raise UsageError(f"{file}: old .xls workbooks are not read; save it as .xlsx or .csv")
    raise UsageError(f"{file}: a table must be a .csv, .tsv or .xlsx file (got {suffix or 'none'})")


def _read_csv(file: Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    try:
        text = file.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise TableError("no such file", file=str(file)) from None
    except UnicodeDecodeError as err:
        raise TableError(
            f"the file is not UTF-8 text (byte {err.start}); save it as 'CSV UTF-8'",
            file=str(file),
        ) from None
    except OSError as err:
        raise TableError(f"cannot read the file: {err.strerror or err}", file=str(file)) from None
    first = text.split("\n", 1)[0]
    delimiter = "\t" if file.suffix.lower() == ".tsv" else max(",;\t", key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    records: list[tuple[int, list[str]]] = []
    try:
        for number, record in enumerate(reader, start=1):
            records.append((number, record))
    except csv.Error as err:
        raise TableError(
            f"not a valid CSV record ({err}); check the quotes from this row on",
            file=str(file),
            row=len(records) + 1,
        ) from None
    if not records:
        raise TableError("the file is empty; the first row must hold the headers", file=str(file))
    return records[0][1], records[1:]


def _read_xlsx(file: Path, sheet: str | None) -> tuple[list[str], list[tuple[int, list[str]]], str]:
    try:
        import openpyxl
    except ImportError:
        raise MissingDependencyError(
            f"{file}: reading .xlsx tables needs openpyxl: pip install 'cimo[xlsx]' "
            "(or save the table as CSV)"
        ) from None
    if not file.is_file():
        raise TableError("no such file", file=str(file))
    try:
        book = openpyxl.load_workbook(file, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as err:
        raise TableError(
            f"not a readable .xlsx workbook ({err}); open and save it again in a spreadsheet "
            "program, or save it as CSV",
            file=str(file),
        ) from None
    try:
        names = list(book.sheetnames)
        if sheet is None:
            sheet = names[0]
        elif sheet not in names:
            raise TableError(
                f"no sheet {sheet!r}" + did_you_mean(sheet, names) + f"; the sheets are {names}",
                file=str(file),
            )
        records = [
            (number, [_cell_text(v) for v in values])
            for number, values in enumerate(book[sheet].iter_rows(values_only=True), start=1)
        ]
    finally:
        book.close()
    if not records:
        raise TableError(
            "the sheet is empty; the first row must hold the headers", file=str(file), sheet=sheet
        )
    return records[0][1], records[1:], sheet


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    return str(value)


def _tidy(
    headers: list[str],
    records: list[tuple[int, list[str]]],
    *,
    file: str | None,
    sheet: str | None,
) -> Table:
    """Strip headers, drop empty rows, and check no value stands outside the headers."""
    headers = [h.strip() for h in headers]
    while headers and not headers[-1]:
        headers.pop()
    width = len(headers)
    rows: list[tuple[str, ...]] = []
    numbers: list[int] = []
    for number, record in records:
        cells = [c.strip() for c in record]
        if not any(cells):
            continue
        extra = next((j for j in range(width, len(cells)) if cells[j]), None)
        if extra is not None:
            raise TableError(
                f"a value stands in column {_letter(extra)}, which has no header; "
                "give the column a header (or delete the value)",
                file=file,
                sheet=sheet,
                row=number,
                column=_letter(extra),
            )
        cells = (cells + [""] * width)[:width]
        blank = next((j for j, cell in enumerate(cells) if cell and not headers[j]), None)
        if blank is not None:
            raise TableError(
                "a value stands in a column without a header; give the column a header",
                file=file,
                sheet=sheet,
                row=number,
                column=_letter(blank),
            )
        rows.append(tuple(cells))
        numbers.append(number)
    return Table(
        headers=tuple(headers),
        rows=tuple(rows),
        row_numbers=tuple(numbers),
        file=file,
        sheet=sheet,
    )


# --------------------------------------------------------------------------- table -> theory


def _slug(text: str, fallback: str) -> str:
    """A readable id from text: ASCII words joined by ``-``, at most about 40 characters."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", plain.lower())
    kept: list[str] = []
    for word in words:
        if kept and len("-".join([*kept, word])) > _SLUG_LENGTH:
            while len(kept) > 1 and kept[-1] in _STOP_WORDS:
                kept.pop()  # a cut slug ends on a word that carries meaning
            break
        kept.append(word[:_SLUG_LENGTH])
    return "-".join(kept) or fallback


class _Ids:
    """Hands out unique ids: the slug, or the slug with ``-2``, ``-3``, ... in call order."""

    def __init__(self) -> None:
        self.used: set[str] = set()
        self.next: dict[str, int] = {}

    def take(self, base: str) -> str:
        if base not in self.used:
            self.used.add(base)
            return base
        n = self.next.get(base, 2)
        while f"{base}-{n}" in self.used:
            n += 1
        self.next[base] = n + 1
        ident = f"{base}-{n}"
        self.used.add(ident)
        return ident


def _split(cell: str, separator: str) -> list[str]:
    parts = cell.replace("\r\n", "\n").split("\n")
    if separator:
        parts = [p for part in parts for p in part.split(separator)]
    return [p.strip() for p in parts if p.strip()]


def _bold_names(cell: str) -> list[str]:
    names = []
    for span in _BOLD.findall(cell):
        name = _LEADING.sub("", _TRAILING.sub("", span.strip()))
        names.append(re.sub(r"\s+", " ", name))
    return names


def _plain(cell: str) -> str:
    return re.sub(r"[ \t]+", " ", _TAG.sub("", cell)).strip()


def table_to_theory(
    table: Table,
    *,
    columns: Mapping[str, Role | str] | None = None,
    separator: str = ";",
    id: str | None = None,
    title: str | None = None,
    description: str | None = None,
    source: Source | None = None,
) -> Theory:
    """Turn the cells of a CMO table into a theory (one rule per row).

    Args:
        table: The cells, from :func:`read_cells` or built by hand.
        columns: Roles of columns by header (case-insensitive); the others are guessed.
        separator: What separates several values in one cell (new lines always do).
        id: The theory id (default: from the file name).
        title: The theory title (default: the file name).
        description: The theory description.
        source: Where the table comes from; it becomes the theory's ``based_on``.

    Returns:
        The theory. Nodes are in order of first appearance; rules in row order.

    Raises:
        TableError: naming the file, sheet, row and column of what is wrong.
        UsageError: for an unknown role in ``columns``.

    >>> t = Table(headers=("CMOc", "Context", "Mechanism", "Outcome"),
    ...           rows=(("CMOc 1", "A; B", "m", "X"), ("", "X", "m", "Y")))
    >>> theory = table_to_theory(t, id="demo")
    >>> [(r.id, r.contexts, r.outcomes) for r in theory.rules]
    [('cmoc-1', ('a', 'b'), ('x',)), ('unnumbered-3', ('x',), ('y',))]
    """
    with paused_gc():
        return _build(table, columns, separator, id, title, description, source)


def _build(
    table: Table,
    columns: Mapping[str, Role | str] | None,
    separator: str,
    id: str | None,
    title: str | None,
    description: str | None,
    source: Source | None,
) -> Theory:
    roles = column_roles(table, columns)
    where = {role: j for j, role in enumerate(roles) if role != "ignore"}
    order = [(j, role) for j, role in enumerate(roles) if role in _NODE_ROLES]

    # Pass 1: values of every cell, the row IDs, and every outcome text (contexts worded
    # like an outcome are that outcome: a chain).
    values: list[dict[str, list[str]]] = []
    by_label: dict[str, int] = {}
    outcome_texts: set[str] = set()
    for i, row in enumerate(table.rows):
        cells: dict[str, list[str]] = {}
        for j, role in enumerate(roles):
            if role == "ignore":
                continue
            cell = row[j]
            if role in ("id", "theme"):
                cells[role] = [cell] if cell else []
                continue
            if role == "mechanism" and _TAG.search(cell):
                found = _bold_names(cell)
                if (
                    not found
                    or any(not n for n in found)
                    or len(_TAG.findall(cell)) != 2 * len(found)
                ):
                    raise table.error(
                        "the bold markup is broken: every <b> needs a </b> around some words",
                        row=i,
                        column=j,
                    )
                parts = found
            else:
                parts = _split(cell, separator)
            repeated = next((p for n, p in enumerate(parts) if p in parts[:n]), None)
            if repeated is not None:
                raise table.error(
                    f"{repeated!r} appears twice in this cell; name it once", row=i, column=j
                )
            cells[role] = parts
        label = cells.get("id", [""])[0] if cells.get("id") else ""
        if label:
            if label in by_label:
                raise table.error(
                    f"the ID {label!r} is already used in row {table.row_number(by_label[label])}; "
                    "give each row its own ID, or leave it empty",
                    row=i,
                    column=where["id"],
                )
            by_label[label] = i
        outcome_texts.update(cells.get("outcome", ()))
        outcome_texts.update(cells.get("reduces", ()))
        values.append(cells)

    # Pass 2: ids (rules first, then nodes in order of first appearance) and the rules.
    ids = _Ids()
    rule_ids: list[str] = []
    for i, cells in enumerate(values):
        label = cells["id"][0] if cells.get("id") else ""
        if label:
            base = _slug(label, "row")
            base = base if base[0].isalpha() else f"row-{base}"
        elif "id" in where:
            base = f"unnumbered-{table.row_number(i)}"
        else:
            base = f"row-{table.row_number(i)}"
        rule_ids.append(ids.take(base))

    node_ids: dict[tuple[str, ...], str] = {}
    nodes: list[Context | Intervention | Mechanism | Outcome] = []

    def node(key: tuple[str, ...], make: type[Any], label: str, **extra: Any) -> str:
        ident = node_ids.get(key)
        if ident is None:
            ident = ids.take(_slug(label, key[0]))
            node_ids[key] = ident
            nodes.append(make(id=ident, label=label, **extra))
        return ident

    slots: list[dict[str, list[str]]] = []
    for i, cells in enumerate(values):
        slot: dict[str, list[str]] = {}
        for j, role in order:
            parts = cells.get(role, [])
            refs: list[str] = []
            for text in parts:
                if role in ("context", "unless"):
                    if text in outcome_texts:
                        refs.append(node(("outcome", text), Outcome, text))
                    else:
                        refs.append(node(("context", text), Context, text))
                elif role in ("outcome", "reduces"):
                    refs.append(node(("outcome", text), Outcome, text))
                elif role == "intervention":
                    refs.append(node(("intervention", text), Intervention, text))
                elif _TAG.search(table.rows[i][j]):
                    cell = table.rows[i][j]
                    refs.append(
                        node(
                            ("marked", cell, text),
                            Mechanism,
                            text,
                            description=cell,
                            reasoning=_plain(cell),
                        )
                    )
                else:
                    refs.append(node(("mechanism", text), Mechanism, text))
            if len(set(refs)) != len(refs):
                raise table.error(
                    "two values of this cell are the same node (a context worded like an "
                    "outcome of the table is that outcome); name it once",
                    row=i,
                    column=j,
                )
            slot[role] = refs
        slots.append(slot)

    # Pass 3: links between rows ("this row's context is row N's outcome").
    links: list[Link] = []
    seen_links: set[tuple[str, str]] = set()
    for i, cells in enumerate(values):
        if not cells.get("links"):
            continue
        j = where["links"]
        for ref in cells["links"]:
            target = by_label.get(ref)
            if target is None:
                raise table.error(
                    f"the link names row ID {ref!r}, which no row has"
                    + did_you_mean(ref, by_label)
                    + "; a Links cell holds the IDs of the rows whose outcome is this "
                    "row's context",
                    row=i,
                    column=j,
                )
            produced = slots[target].get("outcome", [])
            contexts = slots[i].get("context", [])
            if len(produced) != 1 or len(contexts) != 1:
                raise table.error(
                    f"the link to row {ref!r} needs one outcome there and one context here "
                    f"(found {len(produced)} and {len(contexts)}); split the rows, or join "
                    "the nodes by hand with cimo.Link",
                    row=i,
                    column=j,
                )
            if produced[0] == contexts[0]:
                raise table.error(
                    f"this row's context is worded exactly like row {ref!r}'s outcome, so the "
                    "two are already one node (a chain); leave the Links cell empty",
                    row=i,
                    column=j,
                )
            key = (produced[0], contexts[0])
            if key not in seen_links:
                seen_links.add(key)
                links.append(Link(outcome=produced[0], context=contexts[0]))

    rules = [
        Rule(
            id=rule_ids[i],
            source_label=cells["id"][0] if cells.get("id") else None,
            theme=cells["theme"][0] if cells.get("theme") else None,
            contexts=tuple(slots[i].get("context", ())),
            unless=tuple(slots[i].get("unless", ())),
            interventions=tuple(slots[i].get("intervention", ())),
            mechanisms=tuple(slots[i].get("mechanism", ())),
            outcomes=tuple(slots[i].get("outcome", ())),
            reduces=tuple(slots[i].get("reduces", ())),
            evidence=tuple(Evidence(note=text) for text in cells.get("evidence", ())),
        )
        for i, cells in enumerate(values)
    ]
    stem = Path(table.file).stem if table.file else "table"
    try:
        return Theory(
            id=id or _slug(stem, "table"),
            title=title or stem,
            description=description,
            based_on=(source.id,) if source else (),
            sources=(source,) if source else (),
            nodes=tuple(nodes),
            rules=tuple(rules),
            links=tuple(links),
        )
    except ValidationError as err:
        first = err.errors()[0]
        raise TableError(
            f"the table does not make a valid theory: {first['msg']} (at {first['loc']})",
            file=table.file,
            sheet=table.sheet,
        ) from None


def read_table(
    path: str | os.PathLike[str],
    *,
    columns: Mapping[str, Role | str] | None = None,
    sheet: str | None = None,
    separator: str = ";",
    id: str | None = None,
    title: str | None = None,
    description: str | None = None,
    source: Source | None = None,
) -> Theory:
    """Read a CMO table from a CSV or XLSX file into a theory.

    Shorthand for ``table_to_theory(read_cells(path, sheet=sheet), ...)``;
    see :func:`table_to_theory` for the options and the module docs for the
    rules.

    Raises:
        TableError: naming the file, sheet, row and column of what is wrong.
        MissingDependencyError: for an XLSX file when openpyxl is not installed.
        UsageError: for an unknown file type or column role.
    """
    with paused_gc():
        cells = read_cells(path, sheet=sheet)
    return table_to_theory(
        cells,
        columns=columns,
        separator=separator,
        id=id,
        title=title,
        description=description,
        source=source,
    )


# --------------------------------------------------------------------------- theory -> table


def theory_to_table(
    theory: Theory,
    *,
    roles: Sequence[Role] | None = None,
    headers: Sequence[str] | None = None,
    separator: str = ";",
) -> Table:
    """Write a theory as a CMO table: one row per rule, values joined by ``"; "``.

    Args:
        theory: The theory.
        roles: The columns, in order (default: ID, Theme, Context, Unless,
            Intervention, Mechanism, Outcome, Reduces, Evidence and Links,
            leaving out those no rule uses; Context, Mechanism and Outcome
            always).
        headers: The header of each column (default: the role's name,
            ``Context``, ``Mechanism``, ...).
        separator: Joins several values in one cell.

    Returns:
        The table. Cells hold node labels; a mechanism whose ``description``
        marks words in bold (as :func:`table_to_theory` makes them) is
        written as that sentence. A link is written in the row of its
        context as the ID (source label, else rule id) of the first rule
        with its outcome.

    Raises:
        UsageError: if ``headers`` and ``roles`` differ in length, or a role is unknown.
    """
    if roles is None:
        used = _used_roles(theory)
        roles = [r for r in ROLES if r != "ignore" and (r in used or r in _REQUIRED)]
    bad = [r for r in roles if r not in ROLES]
    if bad:
        raise UsageError(f"{bad[0]!r} is not a column role; roles: {', '.join(ROLES)}")
    if headers is None:
        headers = [_HEADERS.get(r, r) for r in roles]
    if len(headers) != len(roles):
        raise UsageError(f"{len(headers)} headers for {len(roles)} columns; give one per column")
    index = theory.index
    producer: dict[str, Rule] = {}
    for rule in theory.rules:
        for o in rule.outcomes:
            producer.setdefault(o, rule)
    linked: dict[str, list[str]] = {}
    for link in theory.links:
        linked.setdefault(link.context, []).append(link.outcome)
    joiner = f"{separator} "

    def mechanisms(rule: Rule) -> str:
        parts: list[str] = []
        for ident in rule.mechanisms:
            m = index[ident]
            text = m.description if m.description and _BOLD.search(m.description) else m.label
            if text not in parts:
                parts.append(text)
        return joiner.join(parts)

    def links(rule: Rule) -> str:
        refs: list[str] = []
        for c in rule.contexts:
            for o in linked.get(c, ()):
                source = producer.get(o)
                if source is not None and source is not rule:
                    ref = source.source_label or source.id
                    if ref not in refs:
                        refs.append(ref)
        return joiner.join(refs)

    def labels(ids: Iterable[str]) -> str:
        return joiner.join(index[i].label for i in ids)

    def cell(rule: Rule, role: Role) -> str:
        if role == "id":
            return rule.source_label or ""
        if role == "theme":
            return rule.theme or ""
        if role == "mechanism":
            return mechanisms(rule)
        if role == "links":
            return links(rule)
        if role == "evidence":
            return joiner.join(
                e.note or e.quote or e.locator or e.source or "" for e in rule.evidence
            )
        if role == "ignore":
            return ""
        return labels(getattr(rule, _ATTRS[role]))

    rows = tuple(tuple(cell(rule, role) for role in roles) for rule in theory.rules)
    return Table(headers=tuple(headers), rows=rows, row_numbers=tuple(range(2, len(rows) + 2)))


_REQUIRED: frozenset[str] = frozenset({"context", "mechanism", "outcome"})
_ATTRS: dict[str, str] = {
    "context": "contexts",
    "unless": "unless",
    "intervention": "interventions",
    "outcome": "outcomes",
    "reduces": "reduces",
}


def _used_roles(theory: Theory) -> set[str]:
    used: set[str] = set()
    for rule in theory.rules:
        if rule.source_label:
            used.add("id")
        if rule.theme:
            used.add("theme")
        if rule.evidence:
            used.add("evidence")
        for role, attr in _ATTRS.items():
            if getattr(rule, attr):
                used.add(role)
        if rule.mechanisms:
            used.add("mechanism")
    if theory.links:
        used.add("links")
    return used


def write_cells(table: Table, path: str | os.PathLike[str], *, sheet: str = "CMO") -> Path:
    """Write the cells of a table to a CSV (or TSV) or XLSX file, atomically.

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
        writer.writerow(table.headers)
        writer.writerows(table.rows)
        return atomic_write(file, buffer.getvalue())
    try:
        import openpyxl
        from openpyxl.styles import Font
    except ImportError:
        raise MissingDependencyError(
            f"{file}: writing .xlsx tables needs openpyxl: pip install 'cimo[xlsx]' (or write CSV)"
        ) from None
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = sheet
    ws.append(list(table.headers))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in table.rows:
        ws.append([_xlsx_value(c) for c in row])
    for row in ws.iter_rows():
        for c in row:
            if isinstance(c.value, str) and c.value.startswith("="):
                c.data_type = "s"  # text, not a formula
    data = io.BytesIO()
    book.save(data)
    return atomic_write(file, data.getvalue())


def _xlsx_value(text: str) -> str | None:
    return text or None


def write_table(
    theory: Theory,
    path: str | os.PathLike[str],
    *,
    roles: Sequence[Role] | None = None,
    headers: Sequence[str] | None = None,
    separator: str = ";",
    sheet: str = "CMO",
) -> Path:
    """Write a theory as a CMO table to a CSV or XLSX file (atomically).

    See :func:`theory_to_table` for the options.

    >>> import cimo, pathlib, tempfile
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "pwp.csv"
    >>> _ = write_table(cimo.load_example("pwp-resilience"), out)
    >>> out.read_text().splitlines()[0]
    'ID,Theme,Context,Unless,Mechanism,Outcome,Reduces,Evidence'
    """
    table = theory_to_table(theory, roles=roles, headers=headers, separator=separator)
    return write_cells(table, path, sheet=sheet)
