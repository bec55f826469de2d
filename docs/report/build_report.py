"""Rebuild the example report of the docs (``docs/report-example.md`` and its figures).

Run from the repository root (needs Graphviz's ``dot``)::

    .venv/bin/python docs/report/build_report.py

It is ``cimo report work-focused-group-cbt -o docs/report-example.md``: the
bundled work-focused example reported iteration by iteration (its two theory
iterations). ``tests/test_report.py`` checks that the committed page and
figures are current.
"""

from __future__ import annotations

import sys
from pathlib import Path

import cimo
from cimo.io import atomic_write
from cimo.render.report import rameses_report, write_report

DOCS = Path(__file__).resolve().parent.parent

NOTE = """!!! note "How this page was made"
    This page is the output of `cimo report work-focused-group-cbt -o report-example.md`:
    the bundled work-focused example, reported iteration by iteration (see
    [Write a RAMESES II report](howto-report.md)). Everything below comes from the
    theory file; where it holds nothing for a part, the part says so.
"""


def build(out: Path = DOCS) -> list[Path]:
    """Write the example report into ``out``, with a note on how it was made."""
    report = rameses_report(cimo.load_example("work-focused-group-cbt"))
    written = write_report(report, out / "report-example.md")
    page = written[-1]
    title, rest = page.read_text(encoding="utf-8").split("\n", 1)
    atomic_write(page, f"{title}\n\n{NOTE}{rest}")
    return written


if __name__ == "__main__":
    for path in build(Path(sys.argv[1]) if len(sys.argv) > 1 else DOCS):
        print(f"wrote {path}")
