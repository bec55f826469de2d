"""Table -> theory: the cells of a CMO table become nodes, rules and links.

:func:`table_to_theory` reads a table in three linear passes: the values of
every cell and the row IDs; the ids of the rules and nodes; the links between
rows. Every problem of the table, and every structural problem of the theory
it makes, is collected on the way and reported at once, each with its row
and column.
"""

from __future__ import annotations

import os
import re
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TypedDict, Unpack, get_args

from pydantic import ValidationError

from cimo._util import ReadableIds as _Ids
from cimo._util import did_you_mean, paused_gc
from cimo._util import readable_slug as _slug
from cimo.core.data import invalid_theory_error
from cimo.core.migrate import theme_id, theme_records
from cimo.core.source import TableSource, register_table
from cimo.core.vocabulary import EvidenceStance, NodeKind, Status
from cimo.errors import UsageError
from cimo.exchange.table._annotations import row_annotations
from cimo.exchange.table._cells import Table, frame_table, raise_problems, read_cells
from cimo.exchange.table._evidence import parse_evidence
from cimo.exchange.table._layout import (
    NONE,
    OR,
    STATUS_WORDS,
    TAG,
    bold_names,
    first_of,
    heading_rows,
    is_id,
    plain,
    split_cell,
    theme_text,
)
from cimo.exchange.table._links import Cells, Where, row_links, rule_relations
from cimo.exchange.table._roles import (
    ROLE_OF_KEYWORD,
    SLOT_OF_ROLE,
    Role,
    find_roles,
    header_stance,
    map_line,
)
from cimo.model import Link, Source, Theory

__all__ = ["TableOptions", "TableWarning", "read_table", "table_to_theory"]


class TableWarning(UserWarning):
    """A table read as asked, but probably not as meant (a prose cell split in two)."""


class TableOptions(TypedDict, total=False):
    r"""The options of :func:`table_to_theory` and :func:`read_table` (all keyword-only).

    Attributes:
        columns: Roles of columns by header (case-insensitive); the others are guessed.
        separator: What separates several values in one cell besides a new
            line (default: nothing, as prose holds ``;`` and ``,``); a
            backslash before it keeps it in the value (``\;``).
        evidence_pattern: A regular expression that reads one evidence line,
            with named groups among ``participant``, ``source``, ``locator``,
            ``quote``, ``stance`` and ``note`` (default: lines such as
            ``N03 (Int 1): "quote"``).
        id: The theory id (default: from the file name).
        title: The theory title (default: the file name).
        description: The theory description.
        source: Where the table comes from; it becomes the theory's ``based_on``.
    """

    columns: Mapping[str, Role | str] | None
    separator: str | None
    evidence_pattern: str | re.Pattern[str] | None
    id: str | None
    title: str | None
    description: str | None
    source: Source | None


def table_to_theory(table: Table, **options: Unpack[TableOptions]) -> Theory:
    r"""Turn the cells of a CMO table into a theory (one rule per row).

    Args:
        table: The cells, from :func:`read_cells` or built by hand.
        **options: ``columns``, ``separator``, ``evidence_pattern``, ``id``,
            ``title``, ``description`` and ``source``; see :class:`TableOptions`.

    Returns:
        The theory. Nodes are in order of first appearance; rules in row order.

    Raises:
        TableError: naming the file, sheet, row and column of what is wrong;
            a table with several problems raises one
            :class:`~cimo.errors.TableProblemsError` that lists them all
            (header problems end with the ``--map`` options to paste).
        UsageError: for an unknown role in ``columns``.

    Warns:
        TableWarning: when splitting a cell on ``separator`` leaves a value
            that starts in lower case (a prose cell cut in two).

    >>> t = Table(headers=("CMOc", "Context", "Mechanism", "Outcome"),
    ...           rows=(("CMOc 1", "A\nB", "m", "X"), ("", "X", "m", "Y")))
    >>> theory = table_to_theory(t, id="demo")
    >>> [(r.id, r.contexts, r.outcomes) for r in theory.rules]
    [('cmoc-1', ('a', 'b'), ('x',)), ('unnumbered-3', ('x',), ('y',))]
    >>> bad = Table(headers=("ID", "C", "M", "O"),
    ...             rows=(("1", "a\na", "m", "o"), ("1", "b", "x <b>y", "o")))
    >>> table_to_theory(bad)
    Traceback (most recent call last):
    ...
    cimo.errors.TableProblemsError: the table has 3 problems:
      row 2, column 'C' (B): 'a' appears twice in this cell; name it once
      row 3, column 'ID' (A): the ID '1' is already used in row 2; ...
      row 3, column 'M' (C): the bold markup is broken: every <b> needs a </b> around some words
    """
    with paused_gc():
        return _Reader(table, options).theory(options)


def read_table(
    path: str | os.PathLike[str] | Any,
    *,
    sheet: str | None = None,
    header_row: int | None = None,
    **options: Unpack[TableOptions],
) -> Theory:
    """Read a CMO table from a CSV or XLSX file, or a pandas DataFrame, into a theory.

    Shorthand for ``table_to_theory(read_cells(path, sheet=sheet,
    header_row=header_row), **options)``;
    see :func:`table_to_theory` for the options and the module docs for the
    rules.

    Args:
        path: A ``.csv``, ``.tsv`` or ``.xlsx`` file, or a pandas DataFrame
            (its columns are the headers; a missing value is an empty cell;
            messages count its rows from 1).
        sheet: The sheet of an XLSX file (default: the first).
        header_row: The row of the headers (default: the first row with two
            values; title rows above it are skipped).
        **options: see :class:`TableOptions`.

    Raises:
        TableError: naming the file, sheet, row and column of what is wrong
            (every problem at once).
        MissingDependencyError: for an XLSX file when openpyxl is not installed.
        UsageError: for an unknown file type or column role.
    """
    if hasattr(path, "columns") and hasattr(path, "itertuples"):
        if sheet is not None or header_row is not None:
            raise UsageError("a DataFrame has no sheets and its columns are the headers")
        return table_to_theory(frame_table(path), **options)
    with paused_gc():
        cells = read_cells(path, sheet=sheet, header_row=header_row)
    return table_to_theory(cells, **options)


# --------------------------------------------------------------------------- text helpers

#: The column of each field of a rule, for locating the theory's structural problems.
_FIELD_ROLE: Mapping[str, Role] = {
    **ROLE_OF_KEYWORD,
    **{slot.attr: role for role, slot in SLOT_OF_ROLE.items()},
    "id": "id",
    "source_label": "id",
    "theme": "theme",
    "evidence": "evidence",
    "annotations": "annotations",
    "status": "status",
    "actor": "actor",
}


# --------------------------------------------------------------------------- the reader


class _Reader:
    """One reading of a table: the passes share the ids, the nodes and the problems."""

    def __init__(self, table: Table, options: TableOptions) -> None:
        self.table = table
        self.separator = options.get("separator")
        pattern = options.get("evidence_pattern")
        self.pattern = re.compile(pattern) if isinstance(pattern, str) else pattern
        roles, self.problems = find_roles(table, options.get("columns"))
        self.footer = map_line(table, self.problems)
        self.roles = roles
        self.where: dict[Role, int] = {role: j for j, role in enumerate(roles) if role != "ignore"}
        #: The column naming the mechanisms: Mechanism, else Response, else Resource.
        self.naming_role: Role | None = next(
            (r for r in ("mechanism", "reasoning", "resource") if r in self.where), None
        )
        self.mechanism_column = None if self.naming_role is None else self.where[self.naming_role]
        self.by_label: dict[str, int] = {}
        self.outcome_texts: set[str] = set()
        self.ids = _Ids()
        self.node_ids: dict[tuple[str | None, ...], str] = {}
        self.nodes: list[dict[str, Any]] = []
        self.node_origin: list[Where] = []
        self.link_origin: list[Where] = []
        self.sources: dict[str, Source] = {}
        source = options.get("source")
        if source is not None:
            self.sources[source.id] = source
        self.relations: list[dict[str, Any]] = []
        self.relation_origin: list[Where] = []
        self.rows: list[int] = []  # the table row of each rule
        self.fragments: list[str] = []

    def problem(self, message: str, row: int | None, column: int | None) -> None:
        self.problems.append(self.table.error(message, row=row, column=column))

    def theory(self, options: TableOptions) -> Theory:
        """Read the table; raise every problem found, or return the theory."""
        headings = heading_rows(self.table, self.roles)
        self.rows = [i for i in range(len(self.table.rows)) if i not in headings]
        values = {i: self.row_values(i) for i in self.rows}
        rule_ids = {i: self.rule_id(i, values[i]) for i in self.rows}
        self.row_rule = {label: rule_ids[i] for label, i in self.by_label.items()}  # by row ID
        slots = {i: self.row_refs(i, values[i]) for i in self.rows}
        links, self.link_origin = row_links(
            self.rows, values, slots, self.by_label, self.where.get("links"), self.problem
        )
        themes: dict[str, str] = {}
        theme_labels: dict[str, str | None] = {}
        rules = []
        heading: str | None = None
        for i in range(len(self.table.rows)):
            if i in headings:
                heading = headings[i]
                continue
            theme = first_of(values[i].get("theme")) or heading
            theme_ref = None
            if theme is not None:
                label, printed = theme_text(theme)
                theme_ref = theme_id(label, themes)
                theme_labels.setdefault(label, printed)
            rules.append(self.rule(i, rule_ids[i], values[i], slots[i], theme_ref))
        if "relations" in self.where:
            self.relations, self.relation_origin = rule_relations(
                self.rows, values, rule_ids, self.by_label, self.where["relations"], self.problem
            )
        records = [
            {
                **record,
                **(
                    {"source_label": theme_labels[record["label"]]}
                    if theme_labels.get(record["label"])
                    else {}
                ),
            }
            for record in theme_records(themes)
        ]
        theory = self.build(rules, links, options, records)
        raise_problems(self.problems, footer=self.footer)
        if theory is None:  # pragma: no cover - a theory that fails to build leaves problems
            raise self.table.error("the table does not make a valid theory")
        self.warn_fragments()
        rows: dict[str, int] = {}
        for i, rule in zip(self.rows, theory.rules, strict=True):
            row = self.table.row_number(i)
            rows[rule.id] = row
            for ref in (*rule.contexts, *rule.unless, *rule.interventions, *rule.mechanisms):
                rows.setdefault(ref, row)
            for ref in (*rule.outcomes, *rule.reduces):
                rows.setdefault(ref, row)
        register_table(theory, TableSource(self.table.file, self.table.sheet, rows))
        return theory

    # Pass 1: values of every cell, the row IDs, and every outcome text (contexts worded
    # like an outcome are that outcome: a chain).

    def row_values(self, i: int) -> Cells:
        cells: Cells = {}
        for j, role in enumerate(self.roles):
            if role != "ignore":
                cells.setdefault(role, []).extend(self.cell_values(i, j, role))
        self.outcome_texts.update(cells.get("outcome", ()), cells.get("reduces", ()))
        return cells

    def cell_values(self, i: int, j: int, role: Role) -> list[str]:
        cell = self.table.rows[i][j]
        if role == "id" and cell:
            self.row_label(i, j, cell)
        if role in ("id", "rule", "theme", "status", "actor"):
            return [plain(cell)] if cell else []
        if role not in ("mechanism", "reasoning", "resource"):
            cell = plain(cell) if "<" in cell and TAG.search(cell) and bold_names(cell) else cell
        parts = self.split(cell, i, j, role)
        if role in ("evidence", "annotations", "mechanism", "reasoning", "resource"):
            return parts  # entries may repeat; a mechanism repeated is checked as a node
        unique = list(dict.fromkeys(parts))
        if len(unique) != len(parts):
            repeated = next(p for n, p in enumerate(parts) if p in parts[:n])
            self.problem(f"{repeated!r} appears twice in this cell; name it once", i, j)
        return unique

    def split(self, cell: str, i: int, j: int, role: Role) -> list[str]:
        parts, fragments = split_cell(cell, self.separator, role)
        if fragments:
            where = f"{self.table.error('', row=i, column=j)}".rstrip(": ")
            self.fragments.extend(
                f"{where}: splitting on {self.separator!r} left {piece[:40]!r}, which starts "
                "in lower case; if the cell is prose, leave out the separator"
                for piece in fragments
            )
        return parts

    def warn_fragments(self) -> None:
        for message in self.fragments:
            warnings.warn(message, TableWarning, stacklevel=4)

    def row_label(self, i: int, j: int, label: str) -> None:
        """Note the row ID ``label`` of row ``i``; a problem if an earlier row has it."""
        if label in self.by_label:
            self.problem(
                f"the ID {label!r} is already used in row "
                f"{self.table.row_number(self.by_label[label])}; "
                "give each row its own ID, or leave it empty",
                i,
                j,
            )
        else:
            self.by_label[label] = i

    # Pass 2: ids (rules first, then nodes in order of first appearance).

    def rule_id(self, i: int, cells: Cells) -> str:
        given = first_of(cells.get("rule"))
        if given:
            if given in self.ids.used:
                self.problem(
                    f"the rule id {given!r} is already used by an earlier row; give each "
                    "rule its own id",
                    i,
                    self.where["rule"],
                )
            elif not is_id(given):
                self.problem(
                    f"{given!r} is not a rule id: use letters, digits, '-', '_' and '.' "
                    f"(e.g. {_slug(given, 'rule')!r})",
                    i,
                    self.where["rule"],
                )
            else:
                return self.ids.take(given)
        label = first_of(cells.get("id"))
        if label:
            base = _slug(label, "row")
            base = base if base[0].isalpha() else f"row-{base}"
        elif "id" in self.where:
            base = f"unnumbered-{self.table.row_number(i)}"
        else:
            base = f"row-{self.table.row_number(i)}"
        return self.ids.take(base)

    def row_refs(self, i: int, cells: Cells) -> Cells:
        refs: Cells = {"mechanism": []}
        for j, role in enumerate(self.roles):
            if j == self.mechanism_column:
                refs["mechanism"] = self.mechanisms(i, cells)
            elif role in SLOT_OF_ROLE and role != "mechanism":
                found = [self.node(i, j, role, text) for text in cells.get(role, ())]
                self.check_repeats(i, j, found)
                refs[role] = list(dict.fromkeys(found))
        return refs

    def check_repeats(self, i: int, j: int | None, found: list[str]) -> None:
        if len(set(found)) != len(found):
            self.problem(
                "two values of this cell are the same node (a context worded like an "
                "outcome of the table is that outcome); name it once",
                i,
                j,
            )

    def node(self, i: int, j: int, role: Role, text: str) -> str:
        """The id of the node ``text`` names in this column, made on first sight."""
        kinds = SLOT_OF_ROLE[role].kinds
        kind = "outcome" if "outcome" in kinds and text in self.outcome_texts else kinds[0]
        return self.make((kind, text), kind, text, {}, (i, j))

    def make(
        self,
        key: tuple[str | None, ...],
        kind: NodeKind,
        label: str,
        extra: dict[str, Any],
        where: Where,
    ) -> str:
        ident = self.node_ids.get(key)
        if ident is None:
            ident = self.node_ids[key] = self.ids.take(_slug(label, kind))
            # Plain data: the theory validates every node at once (see build).
            self.nodes.append({"id": ident, "kind": kind, "label": label, **extra})
            self.node_origin.append(where)
        return ident

    def mechanisms(self, i: int, cells: Cells) -> list[str]:
        """The mechanisms of a row: named in the mechanism column, else by the response."""
        named = self.naming_role
        if named is None:
            return []
        values = [v for v in cells.get(named, ()) if v not in OR]
        j = self.where[named]
        parallel: dict[str, list[str | None]] = {}
        roles: tuple[Role, ...] = ("resource", "reasoning")
        for role in roles:
            field = str(role)
            if role not in self.where:
                continue
            given = [v for v in cells.get(role, ()) if v not in OR]
            if role == named:
                parallel[field] = [plain(v) for v in given]
            elif len(values) <= 1:
                text = "\n".join(given).strip()
                parallel[field] = [None if text.casefold() in NONE or not text else text]
            elif len(given) != len(values) and given:
                self.problem(
                    f"this row names {len(values)} mechanisms in column "
                    f"{self.table.column_name(j)} but {len(given)} lines here; give one "
                    "line per mechanism ('-' for none)",
                    i,
                    self.where[role],
                )
            else:
                parallel[field] = [None if v.casefold() in NONE else v for v in given]
        found: list[str] = []
        for k, value in enumerate(values):
            extra = {f: v[k] for f, v in parallel.items() if k < len(v) and v[k] is not None}
            if TAG.search(value):
                names = bold_names(value)
                if names is None:
                    self.problem(
                        "the bold markup is broken: every <b> needs a </b> around some words",
                        i,
                        j,
                    )
                    continue
                extra = {"description": value, "reasoning": plain(value), **extra}
                for name in names:
                    key = ("marked", value, name, extra.get("resource"), extra["reasoning"])
                    found.append(self.make(key, "mechanism", name, dict(extra), (i, j)))
            else:
                key = ("mechanism", "", value, extra.get("resource"), extra.get("reasoning"))
                found.append(self.make(key, "mechanism", value, extra, (i, j)))
        self.check_repeats(i, j, found)
        return list(dict.fromkeys(found))

    def alternatives(self, cells: Cells) -> bool:
        return any(
            v in OR for r in ("mechanism", "reasoning", "resource") for v in cells.get(r, ())
        )

    # The rule of one row.

    def rule(
        self, i: int, ident: str, cells: Cells, refs: Cells, theme: str | None
    ) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": ident,
            "source_label": first_of(cells.get("id")),
            "theme": theme,
            "actor": first_of(cells.get("actor")),
            "evidence": self.evidence(i),
            "annotations": row_annotations(self, i),
            **{slot.attr: tuple(refs.get(role, ())) for role, slot in SLOT_OF_ROLE.items()},
        }
        if self.alternatives(cells):
            data["mechanism_mode"] = "alternatives"
        status = first_of(cells.get("status"))
        if status:
            known = STATUS_WORDS.get(status.strip().casefold())
            if known is None:
                self.problem(
                    f"the status {status!r} is not one cimo knows"
                    + did_you_mean(status.casefold(), STATUS_WORDS)
                    + f"; write one of {', '.join(get_args(Status))}",
                    i,
                    self.where["status"],
                )
            else:
                data["status"] = known
        return data

    def evidence(self, i: int) -> list[dict[str, str | None]]:
        """The evidence of row ``i``, as plain data (validated with the theory)."""
        found: list[dict[str, str | None]] = []
        for j, role in enumerate(self.roles):
            if role != "evidence":
                continue
            stance = header_stance(self.table.headers[j])
            for line in self.split(self.table.rows[i][j], i, j, role):
                text = parse_evidence(line, stance=stance, pattern=self.pattern)
                if text.stance is not None and text.stance not in get_args(EvidenceStance):
                    self.problem(
                        f"[{text.stance}] is not a stance; write [supports], [refutes], "
                        "[refines] or [source]",
                        i,
                        j,
                    )
                    continue
                found.append(
                    {
                        "participant": text.participant,
                        "source": None if text.source is None else self.source(text.source),
                        "locator": text.locator,
                        "quote": text.quote,
                        "stance": text.stance,
                        "note": text.note,
                    }
                )
        return found

    def source(self, text: str) -> str:
        """The id of the source an evidence line names, declared on first sight."""
        ident = text if is_id(text) else _slug(text, "source")
        known = self.sources.get(ident)
        if known is None:
            self.sources[ident] = Source(id=ident, citation=text)
        return ident

    # The theory, and its structural problems located in the table.

    def build(
        self,
        rules: list[dict[str, Any]],
        links: list[Link],
        options: TableOptions,
        themes: list[dict[str, str | None]],
    ) -> Theory | None:
        stem = Path(self.table.file).stem if self.table.file else "table"
        source = options.get("source")
        data: dict[str, Any] = {
            "id": options.get("id") or _slug(stem, "table"),
            "title": options.get("title") or self.table.title or stem,
            "description": options.get("description"),
            "based_on": [source.id] if source else [],
            "sources": list(self.sources.values()),
            "themes": themes,
            "nodes": self.nodes,  # lists, as in a theory file: the error wording expects them
            "rules": rules,
            "links": links,
            "relations": self.relations,
        }
        try:
            return Theory.model_validate(data)
        except ValidationError as err:
            for p in invalid_theory_error(err, data).problems:
                self.problem(p.message + (f" ({p.hint})" if p.hint else ""), *self.locate(p.loc))
            return None

    def locate(self, loc: tuple[str | int, ...]) -> Where:
        """The data row and column of a location in the theory document."""
        if len(loc) < 2 or not isinstance(loc[1], int):
            return None, None
        part, k = loc[0], loc[1]
        if part == "rules":
            field = str(loc[2]) if len(loc) > 2 else None
            role = _FIELD_ROLE.get(field) if field else None
            if field == "id" and "rule" in self.where:
                role = "rule"
            row = self.rows[k] if k < len(self.rows) else None
            return row, None if role is None else self.where.get(role)
        origins = {
            "nodes": self.node_origin,
            "links": self.link_origin,
            "relations": self.relation_origin,
        }.get(str(part), [])
        return origins[k] if k < len(origins) else (None, None)
