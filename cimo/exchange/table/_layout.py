"""The layout of a CMO table's cells: theme-heading rows, bold mechanism names, plain text.

>>> table = Table(headers=("ID", "Context", "Outcome"),
...               rows=(("Theme 1: Work", "", ""), ("1", "c", "o")))
>>> heading_rows(table, ("id", "context", "outcome"))
{0: 'Theme 1: Work'}
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import cache
from typing import get_args

from cimo.core._base import ID_PATTERN
from cimo.core.vocabulary import Status
from cimo.exchange.table._cells import Table
from cimo.exchange.table._roles import SLOT_OF_ROLE, Role

BOLD = re.compile(r"<b>(.*?)</b>", re.IGNORECASE | re.DOTALL)
TAG = re.compile(r"</?b>", re.IGNORECASE)
_TRAILING = re.compile(r"(?:[\s,;:.]|\b(?:and|or)\b)+$", re.IGNORECASE)
_LEADING = re.compile(r"^[\s,;:.]+")
#: What a cell holds to say "nothing here"; "or" between alternative mechanisms.
NONE = frozenset({"-", "–", "—", "n/a", "na", "none"})
OR = frozenset({"or", "OR", "Or"})
HEADING = re.compile(
    r"^(?P<label>(?:theme|group|section|part|domain|category|cluster)\s+[\w.]{1,6})"
    r"\s*[:.–—-]\s+(?P<text>\S.*)$",
    re.IGNORECASE | re.DOTALL,
)

#: The words of a status cell, as statuses.
STATUS_WORDS: Mapping[str, Status] = {
    **{s: s for s in get_args(Status)},
    "hypothesized": "hypothesised",
    "hypothesis": "hypothesised",
    "tentative": "hypothesised",
    "confirmed": "supported",
    "support": "supported",
    "refine": "refined",
    "refuted": "refuted",
    "rejected": "refuted",
    "disconfirmed": "refuted",
}


def split_cell(cell: str, separator: str | None, role: Role) -> tuple[list[str], list[str]]:
    r"""The values of a cell, one per line or per separator (``\\`` escapes it).

    Also the first piece of each line split that starts in lower case (prose
    split by mistake), except in the evidence, annotations, relations and links columns.

    >>> split_cell("Work; Stress\\; worry\nAnd so; on", ";", "context")
    (['Work', 'Stress; worry', 'And so', 'on'], ['on'])
    """
    lines = cell.replace("\r\n", "\n").split("\n")
    if not separator:
        return [p.strip() for p in lines if p.strip()], []
    parts: list[str] = []
    fragments: list[str] = []
    for line in lines:
        if separator not in line:
            if piece := line.strip():
                parts.append(piece)
            continue
        pieces = _separator(separator).split(line)
        pieces = [p.replace("\\" + separator, separator).strip() for p in pieces]
        if len(pieces) > 1 and role not in ("evidence", "annotations", "relations", "links"):
            fragments.extend(next(([p] for p in pieces[1:] if p[:1].islower()), []))
        parts.extend(p for p in pieces if p)
    return parts, fragments


@cache
def _separator(separator: str) -> re.Pattern[str]:
    """A separator not escaped by a backslash."""
    return re.compile(rf"(?<!\\){re.escape(separator)}")


def bold_names(cell: str) -> list[str] | None:
    """The bold words of a mechanism cell, or ``None`` when the markup is broken."""
    names = []
    for span in BOLD.findall(cell):
        name = _LEADING.sub("", _TRAILING.sub("", span.strip()))
        names.append(re.sub(r"\s+", " ", name))
    if not names or not all(names) or len(TAG.findall(cell)) != 2 * len(names):
        return None
    return names


def plain(cell: str) -> str:
    return re.sub(r"[ \t]+", " ", TAG.sub("", cell)).strip()


def first_of(values: Sequence[str] | None) -> str | None:
    return values[0] if values else None


def theme_text(text: str) -> tuple[str, str | None]:
    """The label of a theme heading and the label printed before it.

    >>> theme_text("Theme 1: Making space to talk")
    ('Making space to talk', 'Theme 1')
    >>> theme_text("Reducing mental ill-health: Prevention")
    ('Reducing mental ill-health: Prevention', None)
    """
    found = HEADING.match(text.strip())
    if found is None:
        return text.strip(), None
    return found["text"].strip(), found["label"]


def is_id(text: str) -> bool:
    return re.fullmatch(ID_PATTERN, text) is not None


def heading_rows(table: Table, roles: Sequence[Role]) -> dict[int, str]:
    """The theme-heading rows: one value, merged across the row or in the first column.

    A lone value in a first column of node values is a rule with one part;
    in a first column of row IDs, a heading only when it reads like one
    ("Theme 2: ...", or three words or more).
    """
    first = roles[0] if roles else "ignore"
    merged = set(table.merged_rows)
    found: dict[int, str] = {}
    for i, row in enumerate(table.rows):
        filled = [j for j, cell in enumerate(row) if cell]
        if len(filled) != 1 or len(row) < 2:
            continue
        text = plain(row[filled[0]])
        reads_as_heading = (
            first not in ("id", "rule") or HEADING.match(text) or len(text.split()) > 2
        )
        if table.row_number(i) in merged or (
            filled[0] == 0 and first not in SLOT_OF_ROLE and reads_as_heading
        ):
            found[i] = text
    return found
