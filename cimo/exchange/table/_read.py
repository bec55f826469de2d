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
import unicodedata
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, TypedDict, Unpack

from pydantic import ValidationError

from cimo._util import did_you_mean, paused_gc
from cimo.core.data import invalid_theory_error
from cimo.core.migrate import theme_id, theme_records
from cimo.core.source import TableSource, register_table
from cimo.core.vocabulary import NodeKind
from cimo.exchange.table._cells import Table, raise_problems, read_cells
from cimo.exchange.table._roles import ROLE_OF_KEYWORD, SLOT_OF_ROLE, Role, find_roles
from cimo.model import (
    Context,
    Evidence,
    Intervention,
    Link,
    Mechanism,
    Node,
    Outcome,
    Rule,
    Source,
    Theory,
)

__all__ = ["TableOptions", "read_table", "table_to_theory"]


class TableOptions(TypedDict, total=False):
    """The options of :func:`table_to_theory` and :func:`read_table` (all keyword-only).

    Attributes:
        columns: Roles of columns by header (case-insensitive); the others are guessed.
        separator: What separates several values in one cell (default ``";"``;
            new lines always do).
        id: The theory id (default: from the file name).
        title: The theory title (default: the file name).
        description: The theory description.
        source: Where the table comes from; it becomes the theory's ``based_on``.
    """

    columns: Mapping[str, Role | str] | None
    separator: str
    id: str | None
    title: str | None
    description: str | None
    source: Source | None


def table_to_theory(table: Table, **options: Unpack[TableOptions]) -> Theory:
    """Turn the cells of a CMO table into a theory (one rule per row).

    Args:
        table: The cells, from :func:`read_cells` or built by hand.
        **options: ``columns``, ``separator``, ``id``, ``title``, ``description``
            and ``source``; see :class:`TableOptions`.

    Returns:
        The theory. Nodes are in order of first appearance; rules in row order.

    Raises:
        TableError: naming the file, sheet, row and column of what is wrong;
            a table with several problems raises one
            :class:`~cimo.errors.TableProblemsError` that lists them all.
        UsageError: for an unknown role in ``columns``.

    >>> t = Table(headers=("CMOc", "Context", "Mechanism", "Outcome"),
    ...           rows=(("CMOc 1", "A; B", "m", "X"), ("", "X", "m", "Y")))
    >>> theory = table_to_theory(t, id="demo")
    >>> [(r.id, r.contexts, r.outcomes) for r in theory.rules]
    [('cmoc-1', ('a', 'b'), ('x',)), ('unnumbered-3', ('x',), ('y',))]
    >>> bad = Table(headers=("ID", "C", "M", "O"),
    ...             rows=(("1", "a; a", "m", "o"), ("1", "b", "x <b>y", "o")))
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
    path: str | os.PathLike[str], *, sheet: str | None = None, **options: Unpack[TableOptions]
) -> Theory:
    """Read a CMO table from a CSV or XLSX file into a theory.

    Shorthand for ``table_to_theory(read_cells(path, sheet=sheet), **options)``;
    see :func:`table_to_theory` for the options and the module docs for the
    rules.

    Args:
        path: A ``.csv``, ``.tsv`` or ``.xlsx`` file.
        sheet: The sheet of an XLSX file (default: the first).
        **options: ``columns``, ``separator``, ``id``, ``title``, ``description``
            and ``source``; see :class:`TableOptions`.

    Raises:
        TableError: naming the file, sheet, row and column of what is wrong
            (every problem at once).
        MissingDependencyError: for an XLSX file when openpyxl is not installed.
        UsageError: for an unknown file type or column role.
    """
    with paused_gc():
        cells = read_cells(path, sheet=sheet)
    return table_to_theory(cells, **options)


# --------------------------------------------------------------------------- text helpers

BOLD = re.compile(r"<b>(.*?)</b>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"</?b>", re.IGNORECASE)
_TRAILING = re.compile(r"(?:[\s,;:.]|\b(?:and|or)\b)+$", re.IGNORECASE)
_LEADING = re.compile(r"^[\s,;:.]+")
_SLUG_LENGTH = 40
_STOP_WORDS = frozenset(
    "a an and as at by for from in into its of on or than that the their to with".split()  # noqa: SIM905
)
_NODE_CLASS: Mapping[NodeKind, type[Any]] = {
    "context": Context,
    "intervention": Intervention,
    "mechanism": Mechanism,
    "outcome": Outcome,
}
#: The column of each field of a rule, for locating the theory's structural problems.
_FIELD_ROLE: Mapping[str, Role] = {
    **ROLE_OF_KEYWORD,
    **{slot.attr: role for role, slot in SLOT_OF_ROLE.items()},
    "id": "id",
    "source_label": "id",
    "theme": "theme",
    "evidence": "evidence",
}


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


def _bold_names(cell: str) -> list[str] | None:
    """The bold words of a mechanism cell, or ``None`` when the markup is broken."""
    names = []
    for span in BOLD.findall(cell):
        name = _LEADING.sub("", _TRAILING.sub("", span.strip()))
        names.append(re.sub(r"\s+", " ", name))
    if not names or not all(names) or len(_TAG.findall(cell)) != 2 * len(names):
        return None
    return names


def _plain(cell: str) -> str:
    return re.sub(r"[ \t]+", " ", _TAG.sub("", cell)).strip()


def _first(values: Sequence[str] | None) -> str | None:
    return values[0] if values else None


# --------------------------------------------------------------------------- the reader

_Cells = dict[Role, list[str]]
_Where = tuple[int | None, int | None]


class _Reader:
    """One reading of a table: the passes share the ids, the nodes and the problems."""

    def __init__(self, table: Table, options: TableOptions) -> None:
        self.table = table
        self.separator = options.get("separator", ";")
        roles, self.problems = find_roles(table, options.get("columns"))
        self.roles = roles
        self.where: dict[Role, int] = {role: j for j, role in enumerate(roles) if role != "ignore"}
        self.node_columns = [(j, role) for j, role in enumerate(roles) if role in SLOT_OF_ROLE]
        self.by_label: dict[str, int] = {}
        self.outcome_texts: set[str] = set()
        self.ids = _Ids()
        self.node_ids: dict[tuple[str, ...], str] = {}
        self.nodes: list[Node] = []
        self.node_origin: list[_Where] = []
        self.link_origin: list[_Where] = []

    def problem(self, message: str, row: int | None, column: int | None) -> None:
        self.problems.append(self.table.error(message, row=row, column=column))

    def theory(self, options: TableOptions) -> Theory:
        """Read the table; raise every problem found, or return the theory."""
        values = [self.row_values(i) for i in range(len(self.table.rows))]
        rule_ids = [self.rule_id(i, cells) for i, cells in enumerate(values)]
        slots = [self.row_refs(i, cells) for i, cells in enumerate(values)]
        links = self.links(values, slots)
        themes: dict[str, str] = {}
        rules = [_rule(*row, themes) for row in zip(rule_ids, values, slots, strict=True)]
        theory = self.build(rules, links, options, theme_records(themes))
        raise_problems(self.problems)
        if theory is None:  # pragma: no cover - a theory that fails to build leaves problems
            raise self.table.error("the table does not make a valid theory")
        rows: dict[str, int] = {}
        for i, rule in enumerate(theory.rules):
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

    def row_values(self, i: int) -> _Cells:
        cells: _Cells = {
            role: self.cell_values(i, j, role)
            for j, role in enumerate(self.roles)
            if role != "ignore"
        }
        self.outcome_texts.update(cells.get("outcome", ()), cells.get("reduces", ()))
        return cells

    def cell_values(self, i: int, j: int, role: Role) -> list[str]:
        cell = self.table.rows[i][j]
        if role == "id" and cell:
            self.row_label(i, j, cell)
        if role in ("id", "theme"):
            return [cell] if cell else []
        if role == "mechanism" and _TAG.search(cell):
            parts = self.marked_names(i, j, cell)
        else:
            parts = _split(cell, self.separator)
        repeated = next((p for n, p in enumerate(parts) if p in parts[:n]), None)
        if repeated is not None:
            self.problem(f"{repeated!r} appears twice in this cell; name it once", i, j)
        return list(dict.fromkeys(parts))

    def marked_names(self, i: int, j: int, cell: str) -> list[str]:
        """The bold words of a mechanism cell (none, and a problem, if the markup is broken)."""
        names = _bold_names(cell)
        if names is None:
            self.problem(
                "the bold markup is broken: every <b> needs a </b> around some words", i, j
            )
        return names or []

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

    def rule_id(self, i: int, cells: _Cells) -> str:
        label = _first(cells.get("id"))
        if label:
            base = _slug(label, "row")
            base = base if base[0].isalpha() else f"row-{base}"
        elif "id" in self.where:
            base = f"unnumbered-{self.table.row_number(i)}"
        else:
            base = f"row-{self.table.row_number(i)}"
        return self.ids.take(base)

    def row_refs(self, i: int, cells: _Cells) -> _Cells:
        refs: _Cells = {}
        for j, role in self.node_columns:
            found = [self.node(i, j, role, text) for text in cells.get(role, ())]
            if len(set(found)) != len(found):
                self.problem(
                    "two values of this cell are the same node (a context worded like an "
                    "outcome of the table is that outcome); name it once",
                    i,
                    j,
                )
            refs[role] = list(dict.fromkeys(found))
        return refs

    def node(self, i: int, j: int, role: Role, text: str) -> str:
        """The id of the node ``text`` names in this column, made on first sight."""
        kinds = SLOT_OF_ROLE[role].kinds
        kind = "outcome" if "outcome" in kinds and text in self.outcome_texts else kinds[0]
        cell = self.table.rows[i][j]
        if kind == "mechanism" and _TAG.search(cell):
            key: tuple[str, ...] = ("marked", cell, text)
            extra = {"description": cell, "reasoning": _plain(cell)}
        else:
            key, extra = (kind, text), {}
        ident = self.node_ids.get(key)
        if ident is None:
            ident = self.node_ids[key] = self.ids.take(_slug(text, key[0]))
            self.nodes.append(_NODE_CLASS[kind](id=ident, label=text, **extra))
            self.node_origin.append((i, j))
        return ident

    # Pass 3: links between rows ("this row's context is row N's outcome").

    def links(self, values: list[_Cells], slots: list[_Cells]) -> list[Link]:
        links: dict[tuple[str, str], Link] = {}
        for i, cells in enumerate(values):
            for ref in cells.get("links", ()):
                pair = self.link(i, ref, slots)
                if pair is not None and pair not in links:
                    links[pair] = Link(outcome=pair[0], context=pair[1])
                    self.link_origin.append((i, self.where["links"]))
        return list(links.values())

    def link(self, i: int, ref: str, slots: list[_Cells]) -> tuple[str, str] | None:
        j = self.where["links"]
        target = self.by_label.get(ref)
        if target is None:
            self.problem(
                f"the link names row ID {ref!r}, which no row has"
                + did_you_mean(ref, self.by_label)
                + "; a Links cell holds the IDs of the rows whose outcome is this "
                "row's context",
                i,
                j,
            )
            return None
        produced, contexts = slots[target].get("outcome", []), slots[i].get("context", [])
        if len(produced) != 1 or len(contexts) != 1:
            self.problem(
                f"the link to row {ref!r} needs one outcome there and one context here "
                f"(found {len(produced)} and {len(contexts)}); split the rows, or join "
                "the nodes by hand with cimo.Link",
                i,
                j,
            )
            return None
        if produced[0] == contexts[0]:
            self.problem(
                f"this row's context is worded exactly like row {ref!r}'s outcome, so the "
                "two are already one node (a chain); leave the Links cell empty",
                i,
                j,
            )
            return None
        return produced[0], contexts[0]

    # The theory, and its structural problems located in the table.

    def build(
        self,
        rules: list[Rule],
        links: list[Link],
        options: TableOptions,
        themes: list[dict[str, str]],
    ) -> Theory | None:
        stem = Path(self.table.file).stem if self.table.file else "table"
        source = options.get("source")
        data: dict[str, Any] = {
            "id": options.get("id") or _slug(stem, "table"),
            "title": options.get("title") or stem,
            "description": options.get("description"),
            "based_on": [source.id] if source else [],
            "sources": [source] if source else [],
            "themes": themes,
            "nodes": self.nodes,  # lists, as in a theory file: the error wording expects them
            "rules": rules,
            "links": links,
        }
        try:
            return Theory.model_validate(data)
        except ValidationError as err:
            for p in invalid_theory_error(err, data).problems:
                self.problem(p.message + (f" ({p.hint})" if p.hint else ""), *self.locate(p.loc))
            return None

    def locate(self, loc: tuple[str | int, ...]) -> _Where:
        """The data row and column of a location in the theory document."""
        if len(loc) < 2 or not isinstance(loc[1], int):
            return None, None
        part, k = loc[0], loc[1]
        if part == "rules":
            role = _FIELD_ROLE.get(str(loc[2])) if len(loc) > 2 else None
            return k, None if role is None else self.where.get(role)
        origins = {"nodes": self.node_origin, "links": self.link_origin}.get(str(part), [])
        return origins[k] if k < len(origins) else (None, None)


def _rule(ident: str, cells: _Cells, refs: _Cells, themes: dict[str, str]) -> Rule:
    theme = _first(cells.get("theme"))
    return Rule.model_validate(
        {
            "id": ident,
            "source_label": _first(cells.get("id")),
            "theme": None if theme is None else theme_id(theme, themes),
            "evidence": tuple(Evidence(note=text) for text in cells.get("evidence", ())),
            **{slot.attr: tuple(refs.get(role, ())) for role, slot in SLOT_OF_ROLE.items()},
        }
    )
