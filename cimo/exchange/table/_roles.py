"""What the columns of a CMO table hold: the roles, the header words that name them.

The six node columns are the six rule slots of :mod:`cimo.core.vocabulary`
(:data:`SLOT_OF_ROLE`), so a column's header may be the slot's keyword
(``if``, ``because``, ...) or its attribute (``contexts``, ``mechanisms``, ...).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from types import MappingProxyType
from typing import Literal, TypeAlias, get_args

from cimo._util import did_you_mean, normalise_label
from cimo.core.vocabulary import SLOT, Slot
from cimo.errors import TableError, UsageError
from cimo.exchange.table._cells import Table, raise_problems

__all__ = [
    "HEADERS",
    "ROLES",
    "ROLE_OF_KEYWORD",
    "SLOT_OF_ROLE",
    "Role",
    "column_roles",
    "find_roles",
    "guess_role",
    "header_stance",
    "map_line",
    "parse_column_map",
]

#: What a column of a CMO table holds.
Role: TypeAlias = Literal[
    "rule",
    "id",
    "theme",
    "status",
    "actor",
    "context",
    "unless",
    "intervention",
    "mechanism",
    "resource",
    "reasoning",
    "outcome",
    "reduces",
    "annotations",
    "evidence",
    "links",
    "relations",
    "ignore",
]
#: Every column role, in the order :func:`~cimo.exchange.table.theory_to_table` writes them.
ROLES: tuple[Role, ...] = get_args(Role)
_ROLE_BY_NAME: dict[str, Role] = {r: r for r in ROLES}

#: The rule slot behind each node column.
SLOT_OF_ROLE: MappingProxyType[Role, Slot] = MappingProxyType(
    {
        "context": SLOT["if"],
        "unless": SLOT["unless"],
        "intervention": SLOT["with"],
        "mechanism": SLOT["because"],
        "outcome": SLOT["then"],
        "reduces": SLOT["reduces"],
    }
)
#: The node column of each slot keyword.
ROLE_OF_KEYWORD: MappingProxyType[str, Role] = MappingProxyType(
    {slot.keyword: role for role, slot in SLOT_OF_ROLE.items()}
)
_CORE_ROLES: tuple[Role, ...] = (
    "context",
    "intervention",
    "mechanism",
    "resource",
    "reasoning",
    "outcome",
)
#: Roles that several columns may hold (each evidence column has its own stance).
REPEATABLE: frozenset[Role] = frozenset({"evidence", "annotations", "ignore"})

#: Header words (normalised: case, spacing and punctuation folded) and the role they name.
_SYNONYMS: dict[str, Role] = {
    **{word: role for role, s in SLOT_OF_ROLE.items() for word in (role, s.keyword, s.attr)},
    **dict.fromkeys(
        ("id", "no", "nr", "num", "number", "n", "ref", "cmoc", "cmo", "cmoc no", "row"), "id"
    ),
    **dict.fromkeys(
        ("theme", "themes", "group", "grouping", "section", "category", "cluster"), "theme"
    ),
    **dict.fromkeys(("c", "context c"), "context"),
    **dict.fromkeys(("disabling context", "disabling contexts"), "unless"),
    **dict.fromkeys(("i", "intervention i"), "intervention"),
    **dict.fromkeys(("m", "mechanism m"), "mechanism"),
    **dict.fromkeys(("o", "outcome o"), "outcome"),
    **dict.fromkeys(("reduced outcome", "reduced outcomes"), "reduces"),
    **dict.fromkeys(("evidence", "source", "sources", "references", "refs"), "evidence"),
    **dict.fromkeys(("links", "link", "chain", "chains", "linked to", "follows"), "links"),
    **dict.fromkeys(("rule", "rule id", "cmoc id", "key"), "rule"),
    **dict.fromkeys(("status", "verdict", "finding", "tested"), "status"),
    **dict.fromkeys(("actor", "actors", "who", "for whom", "whose"), "actor"),
    **dict.fromkeys(("relations", "relation", "related", "related to"), "relations"),
    **dict.fromkeys(
        (
            *("annotations", "annotation", "tensions", "tension", "facilitators", "facilitator"),
            *("counter strategies", "counter strategy", "recommendations", "recommendation"),
            *("formal theory", "formal theories"),
        ),
        "annotations",
    ),
    "ignore": "ignore",
}
#: Words that name a role wherever they stand in a header ("Mechanism – resource").
_WORDS: tuple[tuple[frozenset[str], Role], ...] = (
    (frozenset({"resource", "resources"}), "resource"),
    (frozenset({"response", "responses", "reasoning", "reaction", "reactions"}), "reasoning"),
    (frozenset({"evidence", "quote", "quotes", "excerpt", "excerpts", "data"}), "evidence"),
    (frozenset({"context", "contexts"}), "context"),
    (frozenset({"intervention", "interventions"}), "intervention"),
    (frozenset({"mechanism", "mechanisms"}), "mechanism"),
    (frozenset({"outcome", "outcomes"}), "outcome"),
    (frozenset({"theme", "themes"}), "theme"),
    (frozenset({"status"}), "status"),
)

_HEADERS: dict[Role, str] = {"id": "No.", "reasoning": "Response"}
_HEADERS.update((r, r.capitalize()) for r in ROLES if r not in _HEADERS and r != "ignore")
#: The header :func:`~cimo.exchange.table.theory_to_table` writes for each role.
HEADERS: MappingProxyType[Role, str] = MappingProxyType(_HEADERS)


def guess_role(header: str) -> Role | None:
    """The role a header names, or ``None`` when it is not one cimo knows.

    >>> guess_role("Context (C)"), guess_role(" M "), guess_role("No."), guess_role("Group")
    ('context', 'mechanism', 'id', 'theme')
    >>> guess_role("because"), guess_role("Interventions")
    ('mechanism', 'intervention')
    >>> guess_role("Mechanism – resource"), guess_role("Mechanism (response)")
    ('resource', 'reasoning')
    >>> guess_role("Supporting evidence"), guess_role("Status"), guess_role("Rule")
    ('evidence', 'status', 'rule')
    >>> guess_role("Tensions"), guess_role("Annotations"), guess_role("Notes") is None
    ('annotations', 'annotations', True)
    """
    if header.strip() == "#":
        return "id"
    key = normalise_label(header)
    found = _SYNONYMS.get(key)
    if found is not None:
        return found
    words = set(key.split())
    return next((role for names, role in _WORDS if names & words), None)


#: The stance of the lines of an evidence column, from a word of its header.
_STANCE_WORDS: Mapping[str, str] = MappingProxyType(
    {
        "supporting": "supports",
        "confirming": "supports",
        "refuting": "refutes",
        "disconfirming": "refutes",
        "contradicting": "refutes",
        "refining": "refines",
    }
)


def header_stance(header: str) -> str | None:
    """The stance an evidence column's header gives its lines ("Supporting evidence": supports).

    >>> header_stance("Supporting evidence"), header_stance("Evidence")
    ('supports', None)
    """
    words = normalise_label(header).split()
    return next((_STANCE_WORDS[w] for w in words if w in _STANCE_WORDS), None)


def column_roles(
    table: Table, *, columns: Mapping[str, Role | str] | None = None
) -> tuple[Role, ...]:
    """The role of every column: from ``columns`` (by header, case-insensitive), else guessed.

    >>> column_roles(Table(headers=("No.", "Setting", "M", "O")), columns={"setting": "context"})
    ('id', 'context', 'mechanism', 'outcome')

    Raises:
        TableError: if a header is neither mapped nor recognised, a mapped
            header is not in the table, two columns have the same role, or
            there is no context, intervention, mechanism or outcome column
            (all of them at once, ending with the ``--map`` options to paste).
        UsageError: if a role in ``columns`` is not known.
    """
    roles, problems = find_roles(table, columns)
    raise_problems(problems, footer=map_line(table, problems))
    return roles


def map_line(table: Table, problems: Sequence[TableError]) -> str | None:
    """The ``--map`` options that fix the header problems, to paste (None if there are none).

    Each unknown or repeated header is mapped to ``ignore``: replace it with
    the role the column holds.
    """
    bad = [
        j
        for j, header in enumerate(table.headers)
        if header.strip()
        and any(
            p.row == (table.header_row or None) and p.column == table.column_name(j)
            for p in problems
        )
    ]
    if not bad:
        return None
    fixes = [f"--map {_quoted(f'{table.headers[j]}=ignore')}" for j in bad]
    return (
        "to read it, paste these options and change 'ignore' to the role of each column "
        f"that holds one ({', '.join(ROLES)}):\n  " + " ".join(fixes)
    )


def _quoted(text: str) -> str:
    return "'" + text.replace("'", "'\\''") + "'"


def find_roles(
    table: Table, columns: Mapping[str, Role | str] | None
) -> tuple[tuple[Role, ...], list[TableError]]:
    """The role of every column, and the problems of the header row.

    A column with a problem is given the role ``ignore``, so the rows can
    still be read and their problems reported with the header's.

    Raises:
        UsageError: if a role in ``columns`` is not known.
    """
    given = _given_roles(columns)
    problems = _unknown_mapped(table, given)
    roles: list[Role] = []
    seen: dict[Role, int] = {}
    for j in range(len(table.headers)):
        role, problem = _column_role(table, j, given, seen)
        if problem is not None:
            problems.append(problem)
        elif role not in REPEATABLE:
            seen[role] = j
        roles.append(role if problem is None else "ignore")
    if not any(r in seen for r in _CORE_ROLES) and not problems:
        problems.append(
            table.error(
                f"no context, intervention, mechanism or outcome column in row "
                f"{table.header_row}: the headers are "
                f"{', '.join(repr(h) for h in table.headers)}; name them (Context, Mechanism, "
                "Outcome, ...), map them with --map 'HEADER=context', or give the row of "
                "the headers with --header-row N"
            )
        )
    return tuple(roles), problems


def _given_roles(columns: Mapping[str, Role | str] | None) -> dict[str, tuple[str, Role]]:
    """The roles given by header, keyed by the normalised header."""
    given: dict[str, tuple[str, Role]] = {}
    for header, name in (columns or {}).items():
        known_role = _ROLE_BY_NAME.get(name)
        if known_role is None:
            raise UsageError(
                f"{name!r} (for column {header!r}) is not a column role"
                + (did_you_mean(name, ROLES) or f"; roles: {', '.join(ROLES)}")
            )
        given[normalise_label(header)] = (header, known_role)
    return given


def _unknown_mapped(table: Table, given: Mapping[str, tuple[str, Role]]) -> list[TableError]:
    """A problem for each mapped header that is not in the table."""
    known = {normalise_label(h) for h in table.headers}
    return [
        table.error(
            f"--map names the column {header!r}, which is not in the table"
            + (did_you_mean(header, [h for h in table.headers if h]) or "")
            + f"; the headers are {', '.join(repr(h) for h in table.headers)}"
        )
        for key, (header, _) in given.items()
        if key not in known
    ]


def _column_role(
    table: Table, j: int, given: Mapping[str, tuple[str, Role]], seen: Mapping[Role, int]
) -> tuple[Role, TableError | None]:
    """The role of column ``j``, or the problem with its header."""
    header = table.headers[j]
    key = normalise_label(header)
    role: Role | None
    if key in given:
        role = given[key][1]
    elif not header.strip():
        role = "ignore"
    else:
        role = guess_role(header)
    if role is None:
        return "ignore", table.error(
            f"the header {header!r} is not a column cimo knows; say what it holds with "
            f"--map '{header}=ROLE' (or columns={{{header!r}: ROLE}}), where ROLE is one of "
            f"{', '.join(ROLES)} ('ignore' skips the column)",
            header=True,
            column=j,
        )
    if role not in REPEATABLE and role in seen:
        return role, table.error(
            f"columns {table.column_name(seen[role])} and {table.column_name(j)} "
            f"both hold {role!r}; keep one in the table, or map the other to 'ignore'",
            header=True,
            column=j,
        )
    return role, None


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
