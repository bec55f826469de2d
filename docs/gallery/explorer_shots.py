"""Screenshots of the explorer for the docs: each bundled example at 1366x768.

Run from the repository root (needs Graphviz's ``dot``, Playwright and Debian's
``chromium``; ``make gallery`` runs it)::

    .venv/bin/python docs/gallery/explorer_shots.py

Writes ``docs/img/explorer-<example>.png`` (a scenario ticked, an outcome's
panel open with its derivation and for whom) and
``docs/img/explorer-presentation.png``.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import cimo
from cimo import query as q
from cimo.errors import CimoError
from cimo.render import explorer

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))
from _browser import browser_context  # noqa: E402

OUT = ROOT / "docs" / "img"


def shoot(out: Path = OUT) -> list[Path]:
    """Take the screenshots; return the files written."""
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp, browser_context() as context:
        for entry in cimo.list_examples():
            try:
                theory = cimo.load_example(entry.name)
            except CimoError as err:  # pragma: no cover - an example that does not load
                print(f"skipped {entry.name}: {err}", file=sys.stderr)
                continue
            except ValueError as err:  # pragma: no cover
                print(f"skipped {entry.name}: {err}", file=sys.stderr)
                continue
            path = Path(tmp) / f"{entry.name}.html"
            page_file = explorer(theory)
            page_file.save(path)
            print(f"{entry.name}: {page_file.size / 1024:.0f} KB", file=sys.stderr)
            page = context.new_page()
            page.goto(path.as_uri())
            page.wait_for_function("window.cimoExplorer !== undefined")
            route = next(
                s for o in theory.outcomes for s in q.for_whom(theory, o.id).sets if s.contexts
            )
            for ident in (*route.contexts, *route.interventions):
                page.check(f'.ticks input[value="{ident}"]')
            found = q.scenario(theory, contexts=route.contexts, interventions=route.interventions)
            page.evaluate(f"cimoExplorer.select({found.outcomes[-1]!r}, false)")
            target = out / f"explorer-{entry.name}.png"
            page.screenshot(path=str(target))
            written.append(target)
            if entry.name == "work-focused-group-cbt":
                page.keyboard.press("Escape")
                page.focus("#map")
                page.keyboard.press("p")
                target = out / "explorer-presentation.png"
                page.screenshot(path=str(target))
                written.append(target)
            page.close()
    return written


if __name__ == "__main__":
    for path in shoot():
        print(path.relative_to(ROOT))
