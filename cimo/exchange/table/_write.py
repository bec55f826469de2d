"""Theory -> table: one row per rule, one column per role, one value per line."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from cimo._util import paused_gc
from cimo._util import readable_slug as _slug
from cimo.core.index import index_of
from cimo.errors import UsageError
from cimo.exchange.table._annotations import annotation_line
from cimo.exchange.table._cells import Table, write_cells
from cimo.exchange.table._evidence import evidence_line
from cimo.exchange.table._layout import BOLD, plain, theme_text
from cimo.exchange.table._roles import HEADERS, ROLES, SLOT_OF_ROLE, Role
from cimo.model import Mechanism, Node, Rule, Theory

__all__ = ["theory_to_table", "write_table"]

#: The columns written even when no rule fills them.
_REQUIRED: frozenset[Role] = frozenset({"rule", "status", "context", "mechanism", "outcome"})


@paused_gc()  # many small objects, no cycles
def theory_to_table(
    theory: Theory,
    *,
    roles: Sequence[Role] | None = None,
    headers: Sequence[str] | None = None,
    separator: str | None = None,
) -> Table:
    r"""Write a theory as a CMO table: one row per rule, one value per line.

    Args:
        theory: The theory.
        roles: The columns, in order (default: Rule, No., Theme, Status,
            Actor, Context, Unless, Intervention, Mechanism, Resource,
            Response, Outcome, Reduces, Annotations, Evidence, Links and Relations, leaving
            out those no rule uses; Rule, Status, Context, Mechanism and
            Outcome always).
        headers: The header of each column (default: the role's name,
            ``Context``, ``Mechanism``, ...).
        separator: Joins several values in one cell, followed by a space
            (default: a new line); a separator inside a value is escaped
            with a backslash (``\;``), as :func:`table_to_theory` reads it.

    Returns:
        The table. Cells hold node labels; a mechanism whose ``description``
        marks words in bold (as :func:`table_to_theory` makes them) is
        written as that sentence, and alternative mechanisms are separated
        by a line ``OR``. The Resource and Response columns hold one line
        per mechanism (``-`` for none); the Evidence column one line per
        entry, ``PARTICIPANT (SOURCE, LOCATOR): "QUOTE" [STANCE] — NOTE``; the
        Annotations column one line per annotation of the rule, ``KIND against
        RULE, RULE (SOURCE, LOCATOR): TEXT``.
        A link is written in the row of its context as the ID (source
        label, else rule id) of the first rule with its outcome; a relation
        from a rule as ``TYPE TARGET`` in its row.

    Raises:
        UsageError: if ``headers`` and ``roles`` differ in length, or a role is unknown.

    >>> import cimo
    >>> table = theory_to_table(cimo.load_example("pwp-resilience"), roles=("theme", "outcome"))
    >>> table.headers, table.rows[0]
    (('Theme', 'Outcome'), ('Work-related challenges', 'Experiencing work-related adversity'))
    """
    roles = _default_roles(theory) if roles is None else tuple(roles)
    bad = [r for r in roles if r not in ROLES]
    if bad:
        raise UsageError(f"{bad[0]!r} is not a column role; roles: {', '.join(ROLES)}")
    headers = [HEADERS.get(r, r) for r in roles] if headers is None else headers
    if len(headers) != len(roles):
        raise UsageError(f"{len(headers)} headers for {len(roles)} columns; give one per column")
    cells = _Cells.of(theory, separator)
    rows = tuple(tuple(cells.cell(rule, role) for role in roles) for rule in theory.rules)
    return Table(headers=tuple(headers), rows=rows, row_numbers=tuple(range(2, len(rows) + 2)))


def write_table(
    theory: Theory,
    path: str | os.PathLike[str],
    *,
    roles: Sequence[Role] | None = None,
    headers: Sequence[str] | None = None,
    separator: str | None = None,
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
    'Rule,Theme,Status,Context,Unless,Mechanism,Resource,Response,Outcome,Reduces,Evidence'
    """
    table = theory_to_table(theory, roles=roles, headers=headers, separator=separator)
    return write_cells(table, path, sheet=sheet, csv_protection=csv_protection)


# --------------------------------------------------------------------------- columns


def _default_roles(theory: Theory) -> tuple[Role, ...]:
    used = _used_roles(theory)
    return tuple(r for r in ROLES if r != "ignore" and (r in used or r in _REQUIRED))


def _used_roles(theory: Theory) -> set[Role]:
    used: set[Role] = {"links"} if theory.links else set()
    rule_ids = {r.id for r in theory.rules}
    if any(r.from_ in rule_ids for r in theory.relations):
        used.add("relations")
    mechanisms: set[str] = set()
    for rule in theory.rules:
        used.update(role for role, fill in _FILLED.items() if fill(rule))
        used.update(role for role, slot in SLOT_OF_ROLE.items() if getattr(rule, slot.attr))
        mechanisms.update(rule.mechanisms)
    index = theory.index
    for ident in mechanisms:
        m = index[ident]
        if isinstance(m, Mechanism):
            if m.resource is not None:
                used.add("resource")
            if _reasoning(m) is not None:
                used.add("reasoning")
    return used


def _marked(m: Mechanism) -> bool:
    """Whether a mechanism was read from a sentence with bold words (its description)."""
    return bool(m.description and BOLD.search(m.description))


def _reasoning(m: Mechanism) -> str | None:
    """The reasoning a Response column must carry (not the one its bold sentence gives)."""
    if _marked(m) and m.reasoning == plain(m.description or ""):
        return None
    return m.reasoning


#: The rule-level columns (not node columns) and whether a rule fills them.
_FILLED: Mapping[Role, Callable[[Rule], object]] = MappingProxyType(
    {
        "id": lambda rule: rule.source_label,
        "theme": lambda rule: rule.theme,
        "actor": lambda rule: rule.actor,
        "evidence": lambda rule: rule.evidence,
        "annotations": lambda rule: rule.annotations,
    }
)


# --------------------------------------------------------------------------- cells


@dataclass(frozen=True, slots=True)
class _Cells:
    """Writes the cells of a theory's rules: what is looked up once for every row."""

    theory: Theory
    separator: str | None
    producer: Mapping[str, Rule]
    linked: Mapping[str, list[str]]
    relations: Mapping[str, list[str]]
    source_text: Mapping[str, str]
    index: Mapping[str, Node] = field(default_factory=dict)
    """The theory's nodes by id (looked up once, not per cell)."""
    mechanism_cells: dict[str, dict[str, Mechanism]] = field(default_factory=dict)
    """Each rule's :meth:`mechanism_values`, made once for its three cells."""

    @classmethod
    def of(cls, theory: Theory, separator: str | None) -> _Cells:
        producer: dict[str, Rule] = {}
        for rule in theory.rules:
            for o in rule.outcomes:
                producer.setdefault(o, rule)
        linked: dict[str, list[str]] = {}
        for link in theory.links:
            linked.setdefault(link.context, []).append(link.outcome)
        relations: dict[str, list[str]] = {}
        for relation in theory.relations:
            relations.setdefault(relation.from_, []).append(f"{relation.type} {relation.to}")
        # A source is written as its citation when the reader makes the same id from it.
        source_text = {
            s.id: s.citation
            for s in theory.sources
            if _slug(s.citation, "source") == s.id and not set(",()\n").intersection(s.citation)
        }
        return cls(theory, separator, producer, linked, relations, source_text, theory.index)

    def join(self, values: Iterable[str]) -> str:
        """Values in one cell: one per line, or joined by the separator (escaped inside)."""
        sep = self.separator
        if not sep:
            return "\n".join(values)
        return f"{sep} ".join(v.replace(sep, "\\" + sep) for v in values)

    def theme(self, rule: Rule) -> str:
        """The label of the rule's theme, after its printed label when it has one."""
        if rule.theme is None:
            return ""
        theme = index_of(self.theory).themes.get(rule.theme)
        if theme is None:
            return rule.theme
        if theme.source_label:
            text = f"{theme.source_label}: {theme.label}"
            if theme_text(text) == (theme.label, theme.source_label):
                return text
        return theme.label

    def cell(self, rule: Rule, role: Role) -> str:
        """The text of one cell: a rule-level column, else the labels of the role's slot."""
        write = _WRITERS.get(role)
        if write is not None:
            return write(self, rule)
        return self.labels(getattr(rule, SLOT_OF_ROLE[role].attr))

    def labels(self, ids: Iterable[str]) -> str:
        index = self.index
        return self.join(index[i].label for i in ids)

    def mechanism_values(self, rule: Rule) -> dict[str, Mechanism]:
        """Each value of the mechanism cell (a label, or a bold sentence) and its mechanism."""
        made = self.mechanism_cells.get(rule.id)
        if made is not None:
            return made
        values: dict[str, Mechanism] = self.mechanism_cells.setdefault(rule.id, {})
        for ident in rule.mechanisms:
            m = self.index[ident]
            assert isinstance(m, Mechanism)
            values.setdefault(m.description if _marked(m) and m.description else m.label, m)
        return values

    def mechanisms(self, rule: Rule) -> str:
        """Mechanism labels or marked-up sentences; a line ``OR`` between alternatives."""
        values = list(self.mechanism_values(rule))
        if rule.mechanism_mode == "alternatives" and len(values) > 1:
            values = [x for v in values for x in ("OR", v)][1:]
        return self.join(values)

    def parts(self, rule: Rule, field: str) -> str:
        """One line per mechanism value: its resource or reasoning, ``-`` for none."""
        found = [
            _reasoning(m) if field == "reasoning" else m.resource
            for m in self.mechanism_values(rule).values()
        ]
        if not any(found):
            return ""
        if len(found) == 1:
            return found[0] or ""
        return self.join(x or "-" for x in found)

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
        return self.join(refs)

    def annotations(self, rule: Rule) -> str:
        return self.join(
            annotation_line(a, source=self.source_text.get(a.source or ""))
            for a in rule.annotations
        )

    def evidence(self, rule: Rule) -> str:
        return self.join(
            evidence_line(e, source=self.source_text.get(e.source or "")) for e in rule.evidence
        )


#: How each column that is not the plain labels of a slot is written.
_WRITERS: Mapping[Role, Callable[[_Cells, Rule], str]] = MappingProxyType(
    {
        "rule": lambda _, rule: rule.id,
        "id": lambda _, rule: rule.source_label or "",
        "theme": lambda cells, rule: cells.theme(rule),
        "status": lambda _, rule: rule.status,
        "actor": lambda _, rule: rule.actor or "",
        "mechanism": _Cells.mechanisms,
        "resource": lambda cells, rule: cells.parts(rule, "resource"),
        "reasoning": lambda cells, rule: cells.parts(rule, "reasoning"),
        "links": _Cells.links,
        "evidence": _Cells.evidence,
        "annotations": _Cells.annotations,
        "relations": lambda cells, rule: cells.join(cells.relations.get(rule.id, ())),
        "ignore": lambda _, rule: "",
    }
)
