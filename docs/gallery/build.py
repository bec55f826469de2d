"""Rebuild the gallery: every view of every bundled example theory, as SVG.

Run from the repository root (needs Graphviz's ``dot``)::

    .venv/bin/python docs/gallery/build.py

Writes ``docs/gallery/<example>-<view>.svg`` and ``docs/gallery/index.md``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import cimo
from cimo.io import atomic_write
from cimo.render import GREYSCALE_STYLE, Diagram, rule_cards, taxonomy_tree, theory_map

HERE = Path(__file__).resolve().parent

VIEWS: dict[str, tuple[str, Callable[[cimo.Theory], Diagram]]] = {
    "map": ("Theory map: four lanes, contexts to outcomes", theory_map),
    "map-rules": (
        "Theory map with rule nodes, boxed by theme",
        lambda t: theory_map(t, rules=True),
    ),
    "map-greyscale": (
        "Theory map in greyscale, for print",
        lambda t: theory_map(t, style=GREYSCALE_STYLE),
    ),
    "rules": ("Rule cards (IF / THEN / BECAUSE), joined by chains", rule_cards),
    "taxonomy": ("Mechanism taxonomy tree", taxonomy_tree),
}


def build(out: Path = HERE) -> list[Path]:
    """Render every view of every bundled example into ``out``; return the files written."""
    written: list[Path] = []
    lines = [
        "# Gallery",
        "",
        "Every view of every bundled example theory, rendered by `docs/gallery/build.py`",
        "(rebuild with `.venv/bin/python docs/gallery/build.py`).",
        "",
    ]
    for example in cimo.list_examples():
        theory = cimo.load_example(example.name)
        lines += [f"## {theory.title}", "", f"`{example.name}`: {example.citation}", ""]
        for view, (caption, make) in VIEWS.items():
            path = make(theory).save(out / f"{example.name}-{view}.svg")
            written.append(path)
            lines += [f"### {caption}", "", f"![{caption}]({path.name})", ""]
    atomic_write(out / "index.md", "\n".join(lines))
    return written


if __name__ == "__main__":
    for path in build(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE):
        print(f"wrote {path}")
