r"""Annotation cells: one line per annotation, ``Counter-strategy against R3 (SOURCE): text``.

A line of an annotations column ("Annotations", "Tensions", "Recommendations",
...) is read as

* ``KIND against RULE, RULE (SOURCE, LOCATOR): TEXT``: the kind as printed
  (``Tension``, ``Facilitator``, ``Counter-strategy``, ``Recommendation``,
  ``Formal theory``, ``Note``), the rules it works against, and the source and
  locator in brackets, each but the kind optional;
* or, when it does not start so, as the text of an annotation of the column's
  kind (a "Tensions" column holds tensions; "Annotations" notes).

:func:`annotation_line` writes the same shape back, so every part survives the
trip.

>>> a = parse_annotation("Counter-strategy against R3, R5 (walker-2022, p. 4): Peer mentors")
>>> a.kind, a.counters, a.source, a.locator, a.text
('counter-strategy', ('R3', 'R5'), 'walker-2022', 'p. 4', 'Peer mentors')
>>> parse_annotation("Time: a scarce resource", kind="tension").text
'Time: a scarce resource'
>>> annotation_line(parse_annotation("Formal theory (, Table 2): Psychological safety"))
'Formal theory (, Table 2): Psychological safety'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Protocol

from cimo._util import normalise_label
from cimo.core.vocabulary import ANNOTATION_WORDS
from cimo.exchange.table._cells import Table
from cimo.exchange.table._evidence import head_parts, outside_brackets
from cimo.exchange.table._roles import Role
from cimo.model import Annotation

__all__ = [
    "AnnotationText",
    "Reader",
    "annotation_line",
    "header_kind",
    "parse_annotation",
    "row_annotations",
]

#: Each kind by its printed name and its file name, folded ("formal theory").
_KINDS: dict[str, str] = {
    normalise_label(name): kind for kind, word in ANNOTATION_WORDS.items() for name in (kind, word)
}
_HEAD = re.compile(r"(?P<kind>.+?)(?:\s+against\s+(?P<counters>\S.*))?")
#: Header words and the kind an annotations column gives its plain lines.
_HEADER_KINDS: dict[str, str] = {
    **{k: k for k in ("tension", "facilitator", "recommendation", "note")},
    **{f"{k}s": k for k in ("tension", "facilitator", "recommendation", "note")},
    "counter strategy": "counter-strategy",
    "counter strategies": "counter-strategy",
    "formal theory": "formal-theory",
    "formal theories": "formal-theory",
}


@dataclass(frozen=True, slots=True)
class AnnotationText:
    """The parts of one annotation line, as written (the source as text, not yet an id)."""

    kind: str
    text: str
    counters: tuple[str, ...] = ()
    source: str | None = None
    locator: str | None = None


def header_kind(header: str) -> str:
    """The kind an annotations column gives the lines that name none ("Tensions": tension).

    >>> header_kind("Tensions"), header_kind("Counter-strategies"), header_kind("Annotations")
    ('tension', 'counter-strategy', 'note')
    """
    return _HEADER_KINDS.get(normalise_label(header), "note")


def parse_annotation(line: str, *, kind: str = "note") -> AnnotationText:
    """The parts of one annotation line; ``kind`` is the column's, for lines that name none."""
    line = line.strip()
    k = outside_brackets(line, lambda text, k: text[k] == ":")  # the first colon ends the head
    if k is not None and line[k + 1 :].strip():
        name, source, locator = head_parts(line[:k])
        found = _HEAD.fullmatch(name or "")
        known = _KINDS.get(normalise_label(found["kind"])) if found else None
        if found is not None and known is not None:
            counters = tuple(c.strip() for c in (found["counters"] or "").split(",") if c.strip())
            return AnnotationText(known, line[k + 1 :].strip(), counters, source, locator)
    return AnnotationText(kind, line)


def annotation_line(note: Annotation | AnnotationText, *, source: str | None = None) -> str:
    """One annotation as a line; ``source`` is the text written for its source (default: its id).

    >>> annotation_line(Annotation(kind="tension", text="Time vs trust", source="s1"))
    'Tension (s1): Time vs trust'
    """
    head = ANNOTATION_WORDS[note.kind]
    if note.counters:
        head += " against " + ", ".join(note.counters)
    if note.source or note.locator:
        inside = ", ".join(x for x in (source or note.source or "", note.locator) if x is not None)
        head += f" ({inside})"
    return f"{head}: {note.text}"


class Reader(Protocol):
    """What :func:`row_annotations` needs of the table reader."""

    table: Table
    roles: tuple[Role, ...]
    row_rule: dict[str, str]
    """The rule id of each row ID."""

    def split(self, cell: str, i: int, j: int, role: Role) -> list[str]: ...

    def source(self, text: str) -> str: ...


def row_annotations(reader: Reader, i: int) -> list[dict[str, Any]]:
    """The annotations of data row ``i``, as file data: one per line of each annotations column.

    A countered rule named by a row's printed ID becomes that row's rule id; a
    source named by its text is declared by the reader.
    """
    known = set(reader.row_rule.values())
    found: list[dict[str, Any]] = []
    for j, role in enumerate(reader.roles):
        if role != "annotations":
            continue
        kind = header_kind(reader.table.headers[j])
        for line in reader.split(reader.table.rows[i][j], i, j, role):
            note = parse_annotation(line, kind=kind)
            found.append(
                {
                    "kind": note.kind,
                    "text": note.text,
                    "counters": [
                        c if c in known else reader.row_rule.get(c, c) for c in note.counters
                    ],
                    "source": None if note.source is None else reader.source(note.source),
                    "locator": note.locator,
                }
            )
    return found
