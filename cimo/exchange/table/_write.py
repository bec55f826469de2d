"""Theory -> table: one row per rule, one column per role, values joined by ``"; "``."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from cimo.errors import UsageError
from cimo.exchange.table._cells import Table, write_cells
from cimo.exchange.table._read import BOLD
from cimo.exchange.table._roles import HEADERS, ROLES, SLOT_OF_ROLE, Role
from cimo.model import Rule, Theory

__all__ = ["theory_to_table", "write_table"]

#: The columns written even when no rule fills them.
_REQUIRED: frozenset[Role] = frozenset({"context", "mechanism", "outcome"})


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

    >>> import cimo
    >>> table = theory_to_table(cimo.load_example("pwp-resilience"), roles=("id", "outcome"))
    >>> table.headers, table.rows[0]
    (('ID', 'Outcome'), ('Table 1: individual challenges', 'Experiencing work-related adversity'))
    """
    roles = _default_roles(theory) if roles is None else tuple(roles)
    bad = [r for r in roles if r not in ROLES]
    if bad:
        raise UsageError(f"{bad[0]!r} is not a column role; roles: {', '.join(ROLES)}")
    headers = [HEADERS.get(r, r) for r in roles] if headers is None else headers
    if len(headers) != len(roles):
        raise UsageError(f"{len(headers)} headers for {len(roles)} columns; give one per column")
    cells = _Cells.of(theory, f"{separator} ")
    rows = tuple(tuple(cells.cell(rule, role) for role in roles) for rule in theory.rules)
    return Table(headers=tuple(headers), rows=rows, row_numbers=tuple(range(2, len(rows) + 2)))


def write_table(
    theory: Theory,
    path: str | os.PathLike[str],
    *,
    roles: Sequence[Role] | None = None,
    headers: Sequence[str] | None = None,
    separator: str = ";",
    sheet: str = "CMO",
    csv_protection: bool = True,
) -> Path:
    """Write a theory as a CMO table to a CSV or XLSX file (atomically).

    See :func:`theory_to_table` for the options. In CSV, a cell a spreadsheet
    would run as a formula (``=``, ``+``, ``-``, ``@``, tab or carriage return
    first) gets a leading apostrophe unless ``csv_protection=False``; reading
    the table back removes it. ``sheet`` must be a name Excel accepts.

    >>> import cimo, pathlib, tempfile
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "pwp.csv"
    >>> _ = write_table(cimo.load_example("pwp-resilience"), out)
    >>> out.read_text().splitlines()[0]
    'ID,Theme,Context,Unless,Mechanism,Outcome,Reduces,Evidence'
    """
    table = theory_to_table(theory, roles=roles, headers=headers, separator=separator)
    return write_cells(table, path, sheet=sheet, csv_protection=csv_protection)


# --------------------------------------------------------------------------- columns


def _default_roles(theory: Theory) -> tuple[Role, ...]:
    used = _used_roles(theory)
    return tuple(r for r in ROLES if r != "ignore" and (r in used or r in _REQUIRED))


def _used_roles(theory: Theory) -> set[Role]:
    used: set[Role] = {"links"} if theory.links else set()
    for rule in theory.rules:
        used.update(role for role, fill in _FILLED.items() if fill(rule))
        used.update(role for role, slot in SLOT_OF_ROLE.items() if getattr(rule, slot.attr))
    return used


#: The rule-level columns (not node columns) and whether a rule fills them.
_FILLED: Mapping[Role, Callable[[Rule], object]] = MappingProxyType(
    {
        "id": lambda rule: rule.source_label,
        "theme": lambda rule: rule.theme,
        "evidence": lambda rule: rule.evidence,
    }
)


# --------------------------------------------------------------------------- cells


@dataclass(frozen=True, slots=True)
class _Cells:
    """Writes the cells of a theory's rules: what is looked up once for every row."""

    theory: Theory
    joiner: str
    producer: Mapping[str, Rule]
    linked: Mapping[str, list[str]]
    themes: Mapping[str, str]

    @classmethod
    def of(cls, theory: Theory, joiner: str) -> _Cells:
        producer: dict[str, Rule] = {}
        for rule in theory.rules:
            for o in rule.outcomes:
                producer.setdefault(o, rule)
        linked: dict[str, list[str]] = {}
        for link in theory.links:
            linked.setdefault(link.context, []).append(link.outcome)
        themes = {t.id: t.label for t in theory.themes}
        return cls(theory, joiner, producer, linked, themes)

    def theme(self, rule: Rule) -> str:
        """The label of the rule's theme (empty when it has none)."""
        if rule.theme is None:
            return ""
        return self.themes.get(rule.theme, rule.theme)

    def cell(self, rule: Rule, role: Role) -> str:
        """The text of one cell: a rule-level column, else the labels of the role's slot."""
        write = _WRITERS.get(role)
        if write is not None:
            return write(self, rule)
        return self.labels(getattr(rule, SLOT_OF_ROLE[role].attr))

    def labels(self, ids: Iterable[str]) -> str:
        index = self.theory.index
        return self.joiner.join(index[i].label for i in ids)

    def mechanisms(self, rule: Rule) -> str:
        """Mechanism labels, or the marked-up sentence a mechanism was read from."""
        parts: list[str] = []
        for ident in rule.mechanisms:
            m = self.theory.index[ident]
            text = m.description if m.description and BOLD.search(m.description) else m.label
            if text not in parts:
                parts.append(text)
        return self.joiner.join(parts)

    def links(self, rule: Rule) -> str:
        """The IDs of the rows whose outcome is linked to one of this rule's contexts."""
        refs: list[str] = []
        for c in rule.contexts:
            for o in self.linked.get(c, ()):
                source = self.producer.get(o)
                if source is not None and source is not rule:
                    ref = source.source_label or source.id
                    if ref not in refs:
                        refs.append(ref)
        return self.joiner.join(refs)

    def evidence(self, rule: Rule) -> str:
        return self.joiner.join(
            e.note or e.quote or e.locator or e.source or "" for e in rule.evidence
        )


#: How each column that is not the plain labels of a slot is written.
_WRITERS: Mapping[Role, Callable[[_Cells, Rule], str]] = MappingProxyType(
    {
        "id": lambda _, rule: rule.source_label or "",
        "theme": lambda cells, rule: cells.theme(rule),
        "mechanism": _Cells.mechanisms,
        "links": _Cells.links,
        "evidence": _Cells.evidence,
        "ignore": lambda _, rule: "",
    }
)
