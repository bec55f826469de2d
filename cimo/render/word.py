"""The CMO table as a Word document (.docx), with python-docx.

The table realist papers print: the number the source printed and the rule
id, context, intervention, the mechanism's resource and response, outcome,
status and the evidence (quotes with who said them and where), one section
heading row per theme, the header row repeated on every page, and a
landscape page when the table is wide. :func:`add_cmo_table` adds it to a
python-docx ``Document`` (a report builds its own document around it);
:func:`cmo_table_docx` makes a document holding only the table.

Needs python-docx (``pip install 'cimo[docx]'``).

>>> import io, cimo, docx
>>> data = cmo_table_docx(cimo.load_example("pwp-resilience"))
>>> table = docx.Document(io.BytesIO(data)).tables[0]
>>> [c.text for c in table.rows[0].cells][:3]
['Rule', 'Context', 'Mechanism resource']
"""

from __future__ import annotations

import io
import re
from typing import TYPE_CHECKING, Any

from cimo._lazy import optional
from cimo.model import Theory
from cimo.render.text import CmoRows, cmo_rows, column_shares, is_wide

if TYPE_CHECKING:
    from docx.document import Document
    from docx.table import Table, _Cell, _Row

__all__ = ["add_cmo_table", "add_rows_table", "cmo_table_docx"]

# Points per character of 8 pt text (Calibri, the default template's font, with room to spare).
_CHAR = 4.2
# The left and right margins of a cell of the "Table Grid" style (0.19 cm each), in EMU.
_PADDING = 2 * 68580
# Word does not hyphenate: a column keeps room for words this long.
_LONG_WORD = 14
_THEME_SHADE = "E8E8E8"
_HEAD_SHADE = "D9D9D9"


def _docx() -> Any:
    return optional(
        "docx",
        needed_for="writing .docx tables",
        extra="docx",
        instead="or write .md, .html, .csv or .tex",
    )


def cmo_table_docx(theory: Theory) -> bytes:
    """A Word document (.docx) holding the CMO table of ``theory``, as bytes.

    Landscape when the table has more than six columns. See
    :func:`add_cmo_table`.

    Raises:
        cimo.MissingDependencyError: python-docx is not installed.
    """
    docx = _docx()
    document = docx.Document()
    section = document.sections[0]
    margin = docx.shared.Cm(2)
    section.left_margin = section.right_margin = margin
    section.top_margin = section.bottom_margin = margin
    add_cmo_table(document, theory)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def add_cmo_table(document: Document, theory: Theory, *, landscape: bool | None = None) -> Table:
    """Add the CMO table of ``theory`` to ``document``: a caption, then the table.

    One row per rule, in file order within its theme; each theme opens with a
    heading row across the table (with its recommendation and annotations). Cells hold the
    items :func:`cimo.render.cmo_table` shows, one paragraph each. The header
    row repeats on every page. With ``landscape`` (the default when the table
    has more than six columns, or its longest words do not fit a portrait
    line) a portrait document gets a new landscape section first, which goes
    on after the table (``document.add_section()`` and set it back for more
    portrait pages). Column widths follow the text each column holds.
    Control characters, which XML cannot hold, become spaces.

    >>> import cimo, docx
    >>> doc = docx.Document()
    >>> table = add_cmo_table(doc, cimo.load_example("work-focused-group-cbt"))
    >>> doc.sections[-1].orientation.name, len(table.columns)
    ('LANDSCAPE', 10)

    Raises:
        cimo.MissingDependencyError: python-docx is not installed.
    """
    return add_rows_table(document, cmo_rows(theory), landscape=landscape)


def add_rows_table(
    document: Document,
    rows: CmoRows,
    *,
    caption: str | None = None,
    landscape: bool | None = None,
) -> Table:
    """Add any table shaped like :func:`cimo.render.text.cmo_rows` to ``document``.

    The one python-docx table writer: :func:`add_cmo_table` and the RAMESES
    report's tables (:mod:`cimo.render.report`) both use it. ``caption``
    replaces the table's title as the bold caption; a group whose heading is
    empty gets no heading row. Everything else is as :func:`add_cmo_table`.

    >>> import docx
    >>> from cimo.render.text import CmoRows
    >>> doc = docx.Document()
    >>> rows = CmoRows("Sources", ("Id", "Citation"), [("", (), [(["s1"], ["Pawson 2006"])])])
    >>> [c.text for c in add_rows_table(doc, rows, caption="Table 1. Sources").rows[1].cells]
    ['s1', 'Pawson 2006']

    Raises:
        cimo.MissingDependencyError: python-docx is not installed.
    """
    _docx()
    from docx.shared import Emu, Pt

    columns = rows.columns
    text_width = _page(document, rows, landscape)
    title = document.add_paragraph(style=_style(document, "Caption"))
    title.paragraph_format.keep_with_next = True
    title.add_run(_NOT_XML.sub(" ", rows.title if caption is None else caption)).bold = True

    table: Table = document.add_table(rows=1, cols=len(columns))
    table.style = _style(document, "Table Grid")
    table.autofit = False
    text = text_width - len(columns) * _PADDING  # less the cells' left and right margins
    shares = column_shares(rows, line=text / Pt(_CHAR), long_word=_LONG_WORD)
    widths = [Emu(int(_PADDING + text * share)) for share in shares]
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width

    header = table.rows[0]
    _row_flags(header, "w:tblHeader", "w:cantSplit")  # repeated on each page, never split
    for cell, name, width in zip(header.cells, columns, widths, strict=True):
        cell.width = width
        _fill(cell, [name], bold=True)
        _shade(cell, _HEAD_SHADE)
    for theme, notes, group in rows.groups:
        if theme or notes:
            _heading_row(table, theme, notes)
        for cells in group:
            row = table.add_row()  # type: ignore[no-untyped-call]
            for cell, items, width in zip(row.cells, cells, widths, strict=True):
                cell.width = width
                _fill(cell, items)
    return table


def _heading_row(table: Table, theme: str, notes: tuple[str, ...]) -> None:
    """A theme's heading row: one shaded cell across the table, kept with the next row.

    The theme's notes (its recommendation, its annotations) follow in small italics.
    """
    from docx.shared import Pt

    row = table.add_row()  # type: ignore[no-untyped-call]
    _row_flags(row, "w:cantSplit")
    merged = row.cells[0].merge(row.cells[-1])
    _fill(merged, [theme], bold=True)
    for line in notes:
        run = merged.add_paragraph().add_run(_NOT_XML.sub(" ", line))
        run.italic, run.font.size = True, Pt(8)
    _shade(merged, _THEME_SHADE)
    for paragraph in merged.paragraphs:  # keep the heading with its first row
        paragraph.paragraph_format.keep_with_next = True


def _page(document: Document, rows: CmoRows, landscape: bool | None) -> int:
    """Turn to a landscape section when asked (or when the table is wide); the text width."""
    from docx.enum.section import WD_ORIENT, WD_SECTION
    from docx.shared import Emu, Pt

    section = document.sections[-1]
    width, height = section.page_width or 0, section.page_height or 0
    margins = (section.left_margin or 0) + (section.right_margin or 0)
    if landscape is None:
        landscape = is_wide(rows, line=(min(width, height) - margins) / Pt(_CHAR))
    if landscape and section.orientation != WD_ORIENT.LANDSCAPE:
        if document.paragraphs or document.tables:
            section = document.add_section(WD_SECTION.NEW_PAGE)
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Emu(max(width, height)), Emu(min(width, height))
    return int((section.page_width or 0) - margins)


# Characters XML 1.0 cannot hold: Word documents get a space instead.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _fill(cell: _Cell, items: list[str], *, bold: bool = False) -> None:
    """Write the items of a cell, one paragraph each, in 8 pt."""
    from docx.shared import Pt

    for k, item in enumerate(items or [""]):
        paragraph = cell.paragraphs[0] if k == 0 else cell.add_paragraph()
        paragraph.paragraph_format.space_after = Pt(2)
        run = paragraph.add_run(_NOT_XML.sub(" ", item))
        run.font.size = Pt(8)
        run.bold = bold or None


def _shade(cell: _Cell, colour: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    shading = OxmlElement("w:shd", {qn("w:val"): "clear", qn("w:fill"): colour})
    cell._tc.get_or_add_tcPr().append(shading)


def _row_flags(row: _Row, *tags: str) -> None:
    """Set on/off properties of a table row (w:tblHeader, w:cantSplit)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = row._tr.get_or_add_trPr()
    for tag in tags:
        properties.append(OxmlElement(tag, {qn("w:val"): "true"}))


def _style(document: Document, name: str) -> Any:
    """The document's style of that name, or None (the default) if its template lacks it."""
    try:
        return document.styles[name]
    except KeyError:
        return None
