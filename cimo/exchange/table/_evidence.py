r"""Evidence cells: one line per entry, ``N03 (Int 1, 14:05): "quote" [refutes]``.

A line of an evidence column is read as

* ``PARTICIPANT (SOURCE, LOCATOR): "QUOTE" [STANCE] — NOTE``, every part
  optional: the participant (who said it), the source (an interview or a
  document; it becomes a :class:`~cimo.Source` of the theory) and the locator
  (a page, a time) in brackets, the quote in double quotes, the stance in
  square brackets (``supports``, ``refutes``, ``refines`` or ``source``) and a
  note after a dash;
* or, when it has neither a quote nor a stance, as a note (``Smith 2019``).

A line without a stance takes the stance of its column ("Supporting
evidence" supports the rule). :func:`evidence_line` writes the same shape
back, so every part survives the trip.

>>> e = parse_evidence('N03 (Int 1): "It helped to hear the others."', stance="supports")
>>> e.participant, e.source, e.locator, e.quote, e.stance
('N03', 'Int 1', None, 'It helped to hear the others.', 'supports')
>>> parse_evidence("(kirsh-2017, Table 2, row 3 (cut off)) [source]").locator
'Table 2, row 3 (cut off)'
>>> parse_evidence("Smith 2019").note
'Smith 2019'
>>> evidence_line(parse_evidence('P5 (int-2, p. 4): "no" [refutes] — asked twice'))
'P5 (int-2, p. 4): "no" [refutes] — asked twice'
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import get_args

from cimo.core.vocabulary import EvidenceStance
from cimo.model import Evidence

__all__ = ["EvidenceText", "evidence_line", "head_parts", "outside_brackets", "parse_evidence"]

_STANCES: tuple[str, ...] = get_args(EvidenceStance)
_REST = re.compile(
    r"""^:?\s*(?:["“](?P<quote>.*?)["”])?\s*
        (?:\[(?P<stance>[a-z]+)\])?\s*
        (?:—\s*(?P<note>.*))?$""",
    re.VERBOSE | re.DOTALL,
)


def outside_brackets(line: str, stop: Callable[[str, int], bool]) -> int | None:
    """The first position outside round brackets where ``stop(line, k)`` holds, or None."""
    depth = 0
    for k, ch in enumerate(line):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(depth - 1, 0)
        elif depth == 0 and stop(line, k):
            return k
    return None


def _split_head(line: str) -> tuple[str, str]:
    """The line cut where the head ends: at a quote, ``[`` or a dash outside brackets."""
    k = outside_brackets(line, lambda text, k: text[k] in '"“[' or text.startswith(" — ", k))
    return (line, "") if k is None else (line[:k], line[k:].strip())


@dataclass(frozen=True, slots=True)
class EvidenceText:
    """The parts of one evidence line, as written (the source as text, not yet an id)."""

    participant: str | None = None
    source: str | None = None
    locator: str | None = None
    quote: str | None = None
    stance: str | None = None
    note: str | None = None


def head_parts(head: str) -> tuple[str | None, str | None, str | None]:
    """The participant, source and locator of ``PARTICIPANT (SOURCE, LOCATOR)``."""
    head = head.strip().rstrip(":").strip()
    if not head.endswith(")"):
        return head or None, None, None
    depth = 0
    for k in range(len(head) - 1, -1, -1):
        depth += {")": 1, "(": -1}.get(head[k], 0)
        if depth == 0:
            inside = head[k + 1 : -1]
            source, _, locator = inside.partition(",")
            return (
                head[:k].strip() or None,
                source.strip() or None,
                locator.strip() or None,
            )
    return head, None, None  # unbalanced brackets: the whole head names the participant


def parse_evidence(
    line: str, *, stance: str | None = None, pattern: re.Pattern[str] | None = None
) -> EvidenceText:
    """The parts of one evidence line; ``stance`` is the column's, for lines that give none.

    ``pattern`` replaces the default reading: a regular expression with named
    groups among ``participant``, ``source``, ``locator``, ``quote``,
    ``stance`` and ``note``; a line it does not match is a note.
    """
    if pattern is not None:
        found = pattern.fullmatch(line.strip())
        if found is None:
            return EvidenceText(note=line.strip(), stance=stance)
        parts = {k: (v.strip() or None) if v else None for k, v in found.groupdict().items()}
        return EvidenceText(
            participant=parts.get("participant"),
            source=parts.get("source"),
            locator=parts.get("locator"),
            quote=parts.get("quote"),
            stance=parts.get("stance") or stance,
            note=parts.get("note"),
        )
    line = line.strip()
    if line.startswith("— "):  # a note that reads like a quote
        return EvidenceText(note=line[2:].strip(), stance=stance)
    head, rest = _split_head(line)
    found = _REST.match(rest)
    if found is None or (found["quote"] is None and found["stance"] not in _STANCES):
        return EvidenceText(note=line, stance=stance)
    participant, source, locator = head_parts(head)
    return EvidenceText(
        participant=participant,
        source=source,
        locator=locator,
        quote=found["quote"],
        stance=found["stance"] or stance,
        note=(found["note"] or "").strip() or None,
    )


def evidence_line(
    e: Evidence | EvidenceText, *, stance: str | None = None, source: str | None = None
) -> str:
    """One evidence entry as a line; its stance left out when it is the column's ``stance``.

    ``source`` is the text written for the entry's source (default: its id).

    >>> evidence_line(Evidence(note="Smith 2019"))
    'Smith 2019'
    >>> evidence_line(Evidence(participant="N03", source="int-1", quote="yes", stance="supports"))
    'N03 (int-1): "yes" [supports]'
    """
    head = e.participant or ""
    if e.source or e.locator:
        inside = ", ".join(x for x in (source or e.source or "", e.locator) if x is not None)
        head = f"{head} ({inside})".strip()
    parts = [head + (":" if head and e.quote is not None else "")]
    if e.quote is not None:
        parts.append(f'"{e.quote}"')
    if e.stance is not None and (e.stance != stance or e.quote is None):
        parts.append(f"[{e.stance}]")
    structured = " ".join(p for p in parts if p)
    if not structured:
        note = e.note or ""
        return note if parse_evidence(note).note == note else f"— {note}"
    return f"{structured} — {e.note}" if e.note else structured
