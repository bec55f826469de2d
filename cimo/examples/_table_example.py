"""Seed 002 (the Care Under Pressure CMO tables) as a theory, built from its CSV transcription.

The spreadsheet importer reads the contexts, mechanisms, outcomes, printed
numbers and links (:func:`cimo.exchange.table.table_to_theory`); this module
adds what only this table needs, so that the encoding reads like the paper:

* its four printed headings become theme records, in the table's order, and
  each row points to its heading;
* a row printed without a number keeps no number (its ``source_label`` stays
  empty) and gets an id made from its heading and a letter
  (``groups-unnumbered-a``, ``implementation-unnumbered``), never a number
  that another row prints;
* each row's cells, as printed, are its ``segments``: the context, the
  mechanism sentence with the bold words marked ``**...**`` (one segment per
  bold span, so each names its mechanism), and the outcome.

>>> from cimo.examples import load_example
>>> t = load_example("doctors-mental-health")
>>> [r.id for r in t.rules if not r.source_label][:2], t.rules[13].id
(['groups-unnumbered-a', 'groups-unnumbered-b'], 'implementation-unnumbered')
>>> [s.text for s in t.rule_index["row-1"].segments][1]
'Doctors feel they must **make up** for the deficiencies for patients and colleagues'
"""

from __future__ import annotations

import re
import string
from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from cimo.core.data import from_data, to_data
from cimo.core.source import TableSource, register_table, table_source
from cimo.exchange.table import read_cells, table_to_theory
from cimo.model import Source, Theory

__all__ = ["THEMES", "read_doctors_table"]

#: The table's printed headings, in its order, with the short theme ids the rules name.
THEMES: Mapping[str, str] = {
    "Reducing mental ill-health: Groups, belonging and relationality": "groups",
    "Processes leading to mental ill-health in doctors": "processes",
    "Implementation methods: General principles to guide change": "implementation",
    "Reducing mental ill-health: Prevention and timeliness": "prevention",
}
_BOLD = re.compile(r"<b>(.*?)</b>", re.IGNORECASE | re.DOTALL)


def _marked(cell: str) -> str:
    """A cell with its ``<b>`` markup as ``**`` marks."""
    return re.sub(r"\s+", " ", _BOLD.sub(lambda m: f"**{m.group(1)}**", cell)).strip()


def _mechanism_segments(cell: str, mechanisms: tuple[str, ...]) -> list[dict[str, str]]:
    """The printed mechanism sentence as segments: one per bold span (each naming its mechanism).

    The sentence is cut just before each bold span after the first, so the
    segments joined with a space give the sentence back.
    """
    if not mechanisms:
        return []
    spans = list(_BOLD.finditer(cell))
    if len(spans) != len(mechanisms):  # no bold: the whole cell is the mechanism
        return [{"ref": mechanisms[0], "text": _marked(cell)}]
    cuts = [0, *(m.start() for m in spans[1:]), len(cell)]
    return [
        {"ref": ref, "text": _marked(cell[a:b])}
        for ref, a, b in zip(mechanisms, cuts, cuts[1:], strict=False)
    ]


def _segments(rule: Mapping[str, Any], row: Mapping[str, str]) -> list[dict[str, str]]:
    contexts, outcomes = rule.get("if", []), rule.get("then", [])
    out = [{"ref": c, "text": row["Context"]} for c in contexts[:1]]
    out += _mechanism_segments(row["Mechanism"], tuple(rule.get("because", [])))
    out += [{"ref": o, "text": row["Outcome"]} for o in outcomes[:1]]
    return out


def read_doctors_table(
    path: Path, *, id: str, title: str, description: str, source: Source
) -> Theory:
    """The theory of seed 002's table (see the module docs)."""
    cells = read_cells(path)
    rows = [dict(zip(cells.headers, r, strict=True)) for r in cells.rows]
    plain = table_to_theory(
        cells,
        columns={"Group": "ignore"},
        id=id,
        title=title,
        description=description,
        source=source,
    )
    data = to_data(plain)
    unnumbered = Counter(THEMES[r["Group"]] for r in rows if not r["No."])
    letters: Counter[str] = Counter()
    for rule, row in zip(data["rules"], rows, strict=True):
        theme = THEMES[row["Group"]]
        rule["theme"] = theme
        if not row["No."]:
            letters[theme] += 1
            suffix = (
                f"-{string.ascii_lowercase[letters[theme] - 1]}" if unnumbered[theme] > 1 else ""
            )
            rule["id"] = f"{theme}-unnumbered{suffix}"
        rule["segments"] = _segments(rule, row)
    data["themes"] = [{"id": ident, "label": label} for label, ident in THEMES.items()]
    theory = from_data(data)
    read = table_source(plain)
    if read is not None:  # the spreadsheet rows, under the rules' new ids
        before = to_data(plain)["rules"]
        renamed = {old["id"]: new.id for old, new in zip(before, theory.rules, strict=True)}
        where = {renamed.get(k, k): row for k, row in read.rows.items()}
        register_table(theory, TableSource(read.file, read.sheet, where))
    return theory
