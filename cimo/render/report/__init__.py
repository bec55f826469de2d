"""A RAMESES II reporting helper: the parts of a realist report a theory can fill.

:func:`rameses_report` builds a :class:`Report` (sections naming the RAMESES II
items they serve, with paragraphs, gaps, tables and figures) from a theory and
its earlier versions; :func:`write_report` writes it as Markdown (figures as
SVG files beside it), one self-contained HTML page (figures inline as SVG) or
a .docx (figures as PNG; needs ``cimo[docx]``). The standard: Wong, G. et al.
(2016), RAMESES II reporting standards for realist evaluations, BMC Medicine
14:96.

>>> import cimo
>>> from cimo.render.report import rameses_report
>>> report = rameses_report(cimo.load_example("work-focused-group-cbt"))
>>> [s.heading for s in report.sections][2:5]  # doctest: +NORMALIZE_WHITESPACE
['Initial programme theory (RAMESES II item 4)', 'Data sources (RAMESES II item 11)',
 'Analysis trail (RAMESES II item 13)']
"""

from __future__ import annotations

from pathlib import Path
from typing import cast

from cimo._util import atomic_write
from cimo.core.formats import RealistReportFormat, format_for_suffix, spell_suffixes
from cimo.core.formats import select as select_formats
from cimo.errors import UsageError
from cimo.render.report._build import APPRAISAL_FIELDS, cmoc_table, rameses_report
from cimo.render.report._document import (
    RAMESES_II,
    RAMESES_II_CITATION,
    Block,
    Cell,
    Figure,
    Gap,
    Paragraph,
    RamesesItem,
    Report,
    RowGroup,
    Section,
    Table,
)
from cimo.render.report._writers import figure_name, report_html, report_markdown

__all__ = [
    "APPRAISAL_FIELDS",
    "RAMESES_II",
    "RAMESES_II_CITATION",
    "Block",
    "Cell",
    "Figure",
    "Gap",
    "Paragraph",
    "RamesesItem",
    "Report",
    "RowGroup",
    "Section",
    "Table",
    "cmoc_table",
    "figures_folder",
    "rameses_report",
    "report_docx",
    "report_format",
    "report_html",
    "report_markdown",
    "write_report",
]

_FORMATS = select_formats(content="realist-report")


def report_docx(report: Report) -> bytes:
    """The report as .docx bytes, figures drawn as PNG by Graphviz (needs ``cimo[docx]``)."""
    from cimo.render.report._docx import report_docx as write

    return write(report, png=lambda f: f.diagram.render(format="png"))


def figures_folder(path: str | Path) -> Path:
    """The folder of a Markdown report's figures: ``report.md`` -> ``report-figures``."""
    path = Path(path)
    return path.with_name(f"{path.stem}-figures")


def report_format(path: str | Path) -> RealistReportFormat:
    """The report format a file name's suffix implies.

    >>> report_format("appendix.docx")
    'docx'

    Raises:
        UsageError: no report format has that suffix.
    """
    found = format_for_suffix(path, among=_FORMATS)
    if found is None:
        raise UsageError(
            f"cannot tell the report format of {str(path)!r} from its suffix; "
            f"use {spell_suffixes(_FORMATS)}"
        )
    return cast("RealistReportFormat", found.name)


def write_report(
    report: Report, path: str | Path, *, format: RealistReportFormat | None = None
) -> list[Path]:
    """Write the report to ``path`` (format from the suffix unless given); return the files.

    Markdown's figures are SVG files in :func:`figures_folder` (``report-figures/``
    beside ``report.md``), written before the page; HTML and .docx are one file.
    Every file is written atomically, after all the figures have been drawn, so
    a failure (Graphviz missing, python-docx missing) leaves nothing behind.

    Raises:
        UsageError: the format cannot be told from the suffix.
        cimo.render.RenderError: Graphviz is missing or fails.
        cimo.MissingDependencyError: python-docx is missing (.docx only).
    """
    path = Path(path)
    name = format or report_format(path)
    if name == "docx":
        atomic_write(path, report_docx(report))
        return [path]
    if name == "html":
        atomic_write(path, report_html(report, svg=lambda f: f.diagram.svg()))
        return [path]
    folder = figures_folder(path)
    pictures = [f.diagram.svg() for f in report.figures]
    written = []
    for n, svg in enumerate(pictures, 1):
        written.append(folder / figure_name(n))
        folder.mkdir(parents=True, exist_ok=True)
        atomic_write(written[-1], svg)
    atomic_write(path, report_markdown(report, figures=folder.name))
    return [*written, path]
