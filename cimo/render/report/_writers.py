"""The Markdown and HTML writers of a :class:`Report` (the .docx writer is :mod:`._docx`).

Both number figures and tables in order. Markdown links each figure to an SVG
file the caller writes (:func:`cimo.render.report.write_report` puts them in a
folder beside the page); HTML is one self-contained page with each figure
inline as SVG. All text is escaped: nothing in a theory runs as HTML.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

from cimo._util import markdown_text
from cimo.render.report._document import Block, Figure, Gap, Paragraph, Report, Section, Table

__all__ = ["GAP_LABEL", "figure_name", "report_html", "report_markdown"]

#: The words that open every gap, in every format.
GAP_LABEL = "Not in the theory:"


def figure_name(number: int) -> str:
    """The file name of figure ``number`` beside a Markdown report."""
    return f"figure-{number}.svg"


class _Counter:
    def __init__(self) -> None:
        self.figures = 0
        self.tables = 0


def _numbered(report: Report) -> list[tuple[int, Section, str]]:
    """Every section with its depth (1 for the top level) and heading, in order.

    A subsection serving the same items as its parent is headed by its title alone.
    """
    out: list[tuple[int, Section, str]] = []

    def visit(section: Section, depth: int, parent: Section | None) -> None:
        same = parent is not None and parent.items == section.items
        out.append((depth, section, section.title if same else section.heading))
        for sub in section.subsections:
            visit(sub, depth + 1, section)

    for top in report.sections:
        visit(top, 1, None)
    return out


# --------------------------------------------------------------------------- Markdown


def _md(text: str) -> str:
    out = markdown_text(" ".join(text.split()))
    return out.replace("\\", "\\\\").replace("|", "\\|").replace("*", "\\*").replace("_", "\\_")


def report_markdown(report: Report, *, figures: str = "figures") -> str:
    """The report as Markdown; figure ``n`` is linked as ``{figures}/figure-n.svg``.

    >>> import cimo
    >>> from cimo.render.report import rameses_report, report_markdown
    >>> text = report_markdown(rameses_report(cimo.Theory(id="t", title="T")))
    >>> print(text.splitlines()[0])
    # T: material for a RAMESES II report
    >>> "> **Not in the theory:** The theory lists no sources" in text
    True
    """
    count = _Counter()
    lines = [f"# {_md(report.title)}", ""]
    for depth, section, heading in _numbered(report):
        lines += [f"{'#' * (depth + 1)} {_md(heading)}", ""]
        for block in section.blocks:
            lines += _md_block(block, count, figures)
    return "\n".join(lines).rstrip("\n") + "\n"


def _md_block(block: Block, count: _Counter, figures: str) -> list[str]:
    if isinstance(block, Paragraph):
        return [_md(block.text), ""]
    if isinstance(block, Gap):
        return [f"> **{GAP_LABEL}** {_md(block.text)}", ""]
    if isinstance(block, Figure):
        count.figures += 1
        n = count.figures
        caption = f"Figure {n}. {_md(block.caption)}"
        return [f"![{caption}]({figures}/{figure_name(n)})", "", f"*{caption}*", ""]
    count.tables += 1
    lines = [f"**Table {count.tables}. {_md(block.caption)}**", ""]
    for group in block.groups:
        if group.heading:
            lines += [f"*{_md(group.heading)}*", ""]
        lines.append("| " + " | ".join(_md(c) for c in block.columns) + " |")
        lines.append("|" + "|".join("---" for _ in block.columns) + "|")
        lines += [
            "| " + " | ".join("<br>".join(_md(x) for x in cell) for cell in row) + " |"
            for row in group.rows
        ]
        lines.append("")
    return lines


# --------------------------------------------------------------------------- HTML

_STYLE = """
body { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 10.5pt; line-height: 1.45;
       max-width: 72em; margin: 2em auto; padding: 0 1em; color: #1a1a1a; }
h1 { font-size: 1.6em; } h2 { font-size: 1.3em; margin-top: 2em; border-bottom: 1px solid #bbb; }
h3 { font-size: 1.1em; } h4 { font-size: 1em; }
table { border-collapse: collapse; width: 100%; margin: 0.5em 0 1.5em; font-size: 0.85em; }
caption { text-align: left; font-weight: bold; padding: 0.3em 0; }
th, td { border: 1px solid #999; padding: 0.3em 0.45em; vertical-align: top; text-align: left; }
thead th { background: #e8e8e8; }
tr.group th { background: #f4f4f4; font-style: italic; }
td p { margin: 0 0 0.25em; }
figure { margin: 1em 0 1.5em; }
figure svg { max-width: 100%; height: auto; }
figcaption { font-weight: bold; font-size: 0.9em; }
p.gap { border-left: 4px solid #c77700; background: #fff6e5; padding: 0.4em 0.7em; }
@media print { h2 { page-break-after: avoid; } tr { page-break-inside: avoid; } }
"""


def report_html(report: Report, *, svg: Callable[[Figure], str]) -> str:
    """The report as one self-contained HTML page; ``svg`` draws each figure as SVG text."""
    count = _Counter()
    body: list[str] = [f"<h1>{html.escape(report.title)}</h1>"]
    for depth, section, heading in _numbered(report):
        level = min(depth + 1, 6)
        body.append(f"<h{level}>{html.escape(heading)}</h{level}>")
        body += [_html_block(b, count, svg) for b in section.blocks]
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(report.title)}</title>\n<style>{_STYLE}</style>\n</head>\n"
        "<body>\n" + "\n".join(body) + "\n</body>\n</html>\n"
    )


def _inline_svg(text: str) -> str:
    """SVG text for inlining: from ``<svg`` on (no XML prolog, no DOCTYPE, no comments)."""
    start = text.find("<svg")
    return re.sub(r"<!--.*?-->", "", text[start:], flags=re.DOTALL) if start >= 0 else ""


def _html_block(block: Block, count: _Counter, svg: Callable[[Figure], str]) -> str:
    if isinstance(block, Paragraph):
        return f"<p>{html.escape(block.text)}</p>"
    if isinstance(block, Gap):
        return f'<p class="gap"><strong>{GAP_LABEL}</strong> {html.escape(block.text)}</p>'
    if isinstance(block, Figure):
        count.figures += 1
        return (
            f'<figure id="figure-{count.figures}">{_inline_svg(svg(block))}<figcaption>'
            f"Figure {count.figures}. {html.escape(block.caption)}</figcaption></figure>"
        )
    return _html_table(block, count)


def _html_table(table: Table, count: _Counter) -> str:
    count.tables += 1
    head = "".join(f"<th>{html.escape(c)}</th>" for c in table.columns)
    rows: list[str] = []
    for group in table.groups:
        if group.heading:
            rows.append(
                f'<tr class="group"><th colspan="{len(table.columns)}">'
                f"{html.escape(group.heading)}</th></tr>"
            )
        rows += [
            "<tr>"
            + "".join(
                "<td>" + "".join(f"<p>{html.escape(x)}</p>" for x in cell) + "</td>" for cell in row
            )
            + "</tr>"
            for row in group.rows
        ]
    return (
        f'<table class="{html.escape(table.name)}">'
        f"<caption>Table {count.tables}. {html.escape(table.caption)}</caption>"
        f"<thead><tr>{head}</tr></thead><tbody>" + "".join(rows) + "</tbody></table>"
    )
