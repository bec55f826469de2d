"""The .docx writer of a :class:`Report` (python-docx, the ``cimo[docx]`` extra).

Headings, paragraphs, gaps (italic, marked), numbered tables and figures as
PNG drawn by Graphviz at the text width. Tables with seven or more columns go
on landscape pages. Tables are written by cimo's one python-docx table
writer, :func:`cimo.render.word.add_rows_table` (the ``cimo table`` command's
too), with a header row repeated on every page and shaded theme rows.
"""

from __future__ import annotations

import io
import struct
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from cimo._lazy import optional
from cimo.render.report._document import Block, Figure, Gap, Paragraph, Report, Table
from cimo.render.report._writers import GAP_LABEL, _numbered

if TYPE_CHECKING:
    from docx.document import Document

__all__ = ["add_table", "report_docx"]

#: A section holding a table with at least this many columns is set on landscape pages.
LANDSCAPE_COLUMNS = 7


def _docx() -> Any:
    return optional("docx", needed_for="writing a .docx report", extra="docx")


def report_docx(report: Report, *, png: Callable[[Figure], bytes]) -> bytes:
    """The report as a .docx file's bytes; ``png`` draws each figure as PNG.

    Raises:
        cimo.MissingDependencyError: python-docx is not installed (``cimo[docx]``).
    """
    docx = _docx()
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm, Pt

    doc = docx.Document()
    page = doc.sections[0]
    page.page_width, page.page_height = Cm(21.0), Cm(29.7)  # A4
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(page, side, Cm(2.0))
    normal = doc.styles["Normal"]
    normal.font.name = "DejaVu Sans"
    normal.font.size = Pt(10)
    doc.core_properties.title = report.title
    doc.add_heading(report.title, level=0)
    pictures = [png(f) for f in report.figures]  # all drawn before the page is laid out
    figures = tables = 0
    for depth, section, heading in _numbered(report):
        ahead = iter(pictures[figures:])
        wants = [
            _orientation(b, next(ahead) if isinstance(b, Figure) else None) for b in section.blocks
        ]
        first = next((w for w in wants if w is not None), "portrait")
        _orient(doc, WD_ORIENT.LANDSCAPE if first == "landscape" else WD_ORIENT.PORTRAIT)
        doc.add_heading(heading, level=min(depth, 9))
        for block, want in zip(section.blocks, wants, strict=True):
            if want is not None:
                _orient(doc, WD_ORIENT.LANDSCAPE if want == "landscape" else WD_ORIENT.PORTRAIT)
            if isinstance(block, Figure):
                figures += 1
                _add_figure(doc, block, figures, pictures[figures - 1])
            elif isinstance(block, Table):
                tables += 1
                add_table(doc, block, number=tables)
            else:
                _add_text(doc, block)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _orientation(block: Block, picture: bytes | None) -> str | None:
    """The page a block needs, or None when any page will do.

    Landscape for a wide table or a wide figure, portrait for a tall figure
    (``picture`` is the figure's PNG).
    """
    if isinstance(block, Table):
        return "landscape" if len(block.columns) >= LANDSCAPE_COLUMNS else None
    if isinstance(block, Figure) and picture is not None:
        width, height = _png_size(picture)
        return "portrait" if height > 0.75 * width else "landscape"
    return None


def _add_text(doc: Document, block: Block) -> None:
    if isinstance(block, Paragraph):
        doc.add_paragraph(block.text)
    elif isinstance(block, Gap):
        p = doc.add_paragraph()
        p.add_run(GAP_LABEL + " ").bold = True
        p.add_run(block.text).italic = True


def _orient(doc: Document, orientation: Any) -> None:
    """Start a new section (on a new page) in this orientation, unless already in it."""
    from docx.enum.section import WD_ORIENT, WD_SECTION
    from docx.shared import Emu

    last = doc.sections[-1]
    if last.orientation == orientation:
        return
    width, height = int(last.page_width or 0), int(last.page_height or 0)
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = orientation
    if (width > height) != (orientation == WD_ORIENT.LANDSCAPE):
        section.page_width, section.page_height = Emu(height), Emu(width)


def _text_width(doc: Document) -> int:
    s = doc.sections[-1]
    return int(s.page_width or 0) - int(s.left_margin or 0) - int(s.right_margin or 0)


def _text_height(doc: Document) -> int:
    s = doc.sections[-1]
    return int(s.page_height or 0) - int(s.top_margin or 0) - int(s.bottom_margin or 0)


def _png_size(data: bytes) -> tuple[int, int]:
    """Width and height of a PNG, from its IHDR chunk."""
    width, height = struct.unpack(">II", data[16:24])
    return int(width), int(height)


def _add_figure(doc: Document, figure: Figure, number: int, data: bytes) -> None:
    from docx.shared import Emu

    w, h = _png_size(data)
    width = _text_width(doc)
    most = int(_text_height(doc) * 0.85)  # leave room for the caption
    if width * h / w > most:
        width = int(most * w / h)
    doc.add_picture(io.BytesIO(data), width=Emu(width))
    doc.paragraphs[-1].paragraph_format.keep_with_next = True  # the picture with its caption
    caption = doc.add_paragraph()
    caption.add_run(f"Figure {number}. ").bold = True
    caption.add_run(figure.caption)


def add_table(doc: Document, table: Table, *, number: int) -> None:
    """Write one table with cimo's one python-docx table writer.

    That is :func:`cimo.render.word.add_rows_table`: a bold caption, a header
    row repeated on every page, shaded theme rows and column widths that
    follow the text. The page's orientation is already set by the report.
    """
    from cimo.render._table_writers import CmoRows, Groups
    from cimo.render.word import add_rows_table

    groups: Groups = [
        (g.heading or "", (), [tuple(list(c) for c in row) for row in g.rows]) for g in table.groups
    ]
    rows = CmoRows(table.caption, table.columns, groups)
    add_rows_table(doc, rows, caption=f"Table {number}. {table.caption}", landscape=False)
    doc.add_paragraph()
