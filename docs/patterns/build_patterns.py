"""Rebuild the pictures of the realist patterns page (``docs/realist-patterns.md``).

Run from the repository root (needs Graphviz's ``dot``)::

    .venv/bin/python docs/patterns/build_patterns.py

Each pattern is one configuration of a published source encoded under
``tests/data/published/``; its picture is that rule's card
(:func:`cimo.render.rule_card`), written as ``docs/patterns/<pattern>.svg``.
``tests/test_published.py`` checks that the committed pictures are current.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import NamedTuple

import cimo
from cimo.render import Diagram, rule_card

HERE = Path(__file__).resolve().parent
DATA = HERE.parent.parent / "tests" / "data" / "published"


class Pattern(NamedTuple):
    """A pattern of the gallery: its picture's name, the source file and the rule shown."""

    name: str
    file: str
    rule: str


PATTERNS: tuple[Pattern, ...] = (
    Pattern("resource-response", "01-kirsh-2017.yaml", "R1"),
    Pattern("any-of-context", "01-kirsh-2017.yaml", "R3"),
    Pattern("otherwise", "02-luetsch-2021.yaml", "row-2"),
    Pattern("tagged-sentence", "03-radcliffe-2023.yaml", "cmoc-2"),
    Pattern("icamo-two-sites", "04-mukumbang-2018.yaml", "Z4"),
    Pattern("if-then-because-chain", "05-mukumbang-2019.yaml", "IPT1"),
    Pattern("outcome-mechanism-outcome", "06-flynn-2021.yaml", "cmoc-1"),
    Pattern("programme-theory-mixed", "07-bryne-2022.yaml", "cmoc-2"),
    Pattern("fan-out", "08-hagiwara-2013.yaml", "table-5"),
    Pattern("mechanism-condition", "09-fothergill-2025.yaml", "CMO2"),
    Pattern("if-then-missing", "10-ofosu-2023.yaml", "theory-3"),
    Pattern("context-or-tension", "11-taylor-2024.yaml", "cmo-6"),
)


def picture(pattern: Pattern) -> Diagram:
    """The card of the pattern's rule."""
    return rule_card(cimo.load(DATA / pattern.file), pattern.rule)


def build(out: Path = HERE) -> list[Path]:
    """Render every pattern's picture into ``out``; return the files written."""
    return [picture(p).save(out / f"{p.name}.svg") for p in PATTERNS]


if __name__ == "__main__":
    for path in build(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE):
        print(f"wrote {path}")
