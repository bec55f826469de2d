"""Rebuild the gallery: every view of every bundled example, and figures fitted to a page.

Run from the repository root (needs Graphviz's ``dot``; ``make gallery`` runs it)::

    .venv/bin/python docs/gallery/build.py

Writes ``docs/gallery/<example>-<view>.svg`` and ``docs/gallery/index.md``
(each picture linked to its full-size SVG), and, for every bundled example
and every theory of ``tests/data/published/``, the figure ``cimo render
--page column`` and ``--page a4`` write (``docs/gallery/pages/*.svg``, at
their printed size), listed in ``docs/gallery/print.md`` with the layout
chosen and the printed size of the smallest text.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import cimo
from cimo.examples import default_part, default_view
from cimo.io import atomic_write
from cimo.render import GREYSCALE_STYLE, Diagram, rule_cards, taxonomy_tree, theory_map
from cimo.render.page import PAGES, Fitted, fit_page
from cimo.render.style import Style

HERE = Path(__file__).resolve().parent
PUBLISHED = HERE.parents[1] / "tests" / "data" / "published"

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
#: The pages every theory is fitted to, in ``print.md``.
PRINT_PAGES = ("column", "a4")


def build(out: Path = HERE) -> list[Path]:
    """Render every view of every bundled example into ``out``; return the files written."""
    written: list[Path] = []
    lines = [
        "# Gallery",
        "",
        "Every view of every bundled example theory, rendered by `docs/gallery/build.py`",
        "(rebuild with `make gallery`). Click a picture to open it at full size;",
        "[Fitted to a page](print.md) shows the figures `cimo render --page` makes for a paper.",
        "",
    ]
    for example in cimo.list_examples():
        theory = cimo.load_example(example.name)
        lines += [f"## {theory.title}", "", f"`{example.name}`: {example.citation}", ""]
        for view, (caption, make) in VIEWS.items():
            path = make(theory).save(out / f"{example.name}-{view}.svg")
            written.append(path)
            lines += [f"### {caption}", "", f"[![{caption}]({path.name})]({path.name})", ""]
    atomic_write(out / "index.md", "\n".join(lines))
    return written


def _fitted(name: str, page: str) -> tuple[str, Fitted]:
    """A bundled example (drawn its own way) or a published theory, fitted to ``page``."""
    if (PUBLISHED / f"{name}.yaml").exists():
        theory = cimo.load(PUBLISHED / f"{name}.yaml")
        return theory.title, fit_page(theory, page=page)

    def draw(style: Style) -> Diagram:
        return default_view(name, style=style)

    title = cimo.load_example(name).title
    return title, fit_page(default_part(name), draw, page=page)


def build_print(out: Path = HERE) -> list[Path]:
    """Fit every example and published theory to each of :data:`PRINT_PAGES`; write print.md."""
    folder = out / "pages"
    folder.mkdir(exist_ok=True)
    for old in folder.glob("*.svg"):  # a figure now on fewer pages leaves none behind
        old.unlink()
    names = [e.name for e in cimo.list_examples()] + sorted(
        p.stem for p in PUBLISHED.glob("*.yaml")
    )
    lines = [
        "# Figures fitted to a page",
        "",
        "What `cimo render THEORY -o figure.svg --page column` and `--page a4` write for",
        "each bundled example (drawn its own way) and each published theory of",
        "`tests/data/published/` (drawn as a map): the layout chosen so that no text is",
        "printed smaller than 7 pt, and the printed size of the smallest text, measured",
        "from the SVG Graphviz wrote. Each picture is shown at the size it is printed",
        f"({PAGES['column']} or {PAGES['a4']}); a figure split over pages shows every",
        "page. Rebuilt by `docs/gallery/build.py` (`make gallery`).",
        "",
        "| theory | page | layout chosen | pages | smallest text |",
        "|---|---|---|---:|---:|",
    ]
    sections: list[str] = []
    written: list[Path] = []
    for name in names:
        for page in PRINT_PAGES:
            title, fitted = _fitted(name, page)
            paths = fitted.save(folder / f"{name}-{page}.svg")
            written += paths
            anchor = f"{name}-{page}".lower()  # the heading's slug
            lines.append(
                f"| [{name}](#{anchor}) | {page} | {fitted.how} | {len(paths)} "
                f"| {fitted.min_font_pt:.1f} pt |"
            )
            sections += [f"## {name}, {page}", "", f"{title}: {fitted}.", ""]
            sections += [f"![{title}, page {i}](pages/{p.name})" for i, p in enumerate(paths, 1)]
            sections.append("")
    atomic_write(out / "print.md", "\n".join([*lines, "", *sections]))
    return written


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE
    for path in [*build(target), *build_print(target)]:
        print(f"wrote {path}")
