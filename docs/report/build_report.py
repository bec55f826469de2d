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
from cimo.render.report import rameses_report, write_report

DOCS = Path(__file__).resolve().parent.parent


def build(out: Path = DOCS) -> list[Path]:
    """Write the example report into ``out``; return the files written."""
    report = rameses_report(cimo.load_example("work-focused-group-cbt"))
    return write_report(report, out / "report-example.md")


if __name__ == "__main__":
    for path in build(Path(sys.argv[1]) if len(sys.argv) > 1 else DOCS):
        print(f"wrote {path}")
