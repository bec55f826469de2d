"""The .docx writer of a :class:`Report` (python-docx, the ``cimo[docx]`` extra).

Headings, paragraphs, gaps (italic, marked), numbered tables with a repeated
header row and theme rows, and figures as PNG drawn by Graphviz at the text
width. Tables with six or more columns go on landscape pages. Every table is
written by :func:`add_table`, the one function to swap for another table
builder.
"""

from __future__ import annotations

import io
import struct
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from cimo.errors import MissingDependencyError
from cimo.render.report._document import Block, Figure, Gap, Paragraph, Report, Table
from cimo.render.report._writers import GAP_LABEL, _numbered

if TYPE_CHECKING:
    from docx.document import Document

__all__ = ["add_table", "report_docx"]

#: A section holding a table with at least this many columns is set on landscape pages.
LANDSCAPE_COLUMNS = 7


def _docx() -> Any:
    try:
        import docx
    except ImportError:
        raise MissingDependencyError(
            "writing a .docx report needs python-docx: pip install 'cimo[docx]'"
        ) from None
    return docx


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
    """Write one table: caption, a header row repeated on every page, theme rows, cells.

    The one place tables are built: a different builder (for the CMOC table,
    ``table.name == "cmoc"``) can be dispatched from here.
    """
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    caption = doc.add_paragraph()
    caption.paragraph_format.keep_with_next = True
    caption.add_run(f"Table {number}. {table.caption}").bold = True
    grid = doc.add_table(rows=1, cols=len(table.columns))
    grid.style = "Table Grid"
    header = grid.rows[0]
    mark = OxmlElement("w:tblHeader")
    mark.set(qn("w:val"), "true")
    header._tr.get_or_add_trPr().append(mark)
    for cell, name in zip(header.cells, table.columns, strict=True):
        cell.text = ""
        run = cell.paragraphs[0].add_run(name)
        run.bold = True
        run.font.size = Pt(8.5)
        _shade(cell, "E8E8E8")
    for group in table.groups:
        if group.heading:
            row = grid.add_row()
            merged = row.cells[0].merge(row.cells[-1])
            run = merged.paragraphs[0].add_run(group.heading)
            run.bold = run.italic = True
            run.font.size = Pt(8.5)
            _shade(merged, "F4F4F4")
        for values in group.rows:
            cells = grid.add_row().cells
            for cell, lines in zip(cells, values, strict=True):
                _fill(cell, lines)
    _widths(grid, table, _text_width(doc))
    doc.add_paragraph()


def _widths(grid: Any, table: Table, total: int) -> None:
    """Share the text width among the columns.

    Each column gets room for its longest word (up to 16 characters of 8.5 pt
    text), and the rest of the width by how much text its cells typically hold.
    """
    from docx.shared import Emu

    char, pad = 62_000, 170_000  # EMU: an average 8.5 pt character; the cell margins
    least, more = [], []
    for j, name in enumerate(table.columns):
        sizes = sorted(sum(len(x) for x in row[j]) for row in table.rows) or [0]
        typical = sizes[len(sizes) * 3 // 4]  # the upper quartile, so one long cell does not rule
        words = [w for row in table.rows for x in row[j] for w in x.split()] + name.split()
        longest = min(max((len(w) for w in words), default=1), 16)
        least.append(longest * char + pad)
        more.append(max(min(typical, 60) - longest, 0))
    spare = total - sum(least)
    if spare < 0:
        share = [int(w * total / sum(least)) for w in least]
    else:
        share = [w + int(spare * m / (sum(more) or 1)) for w, m in zip(least, more, strict=True)]
    grid.autofit = False
    for column, width in zip(grid.columns, share, strict=True):
        column.width = Emu(width)
    for row in grid.rows:
        cells = row.cells
        if len({id(c._tc) for c in cells}) < len(cells):
            continue  # a theme row: one cell merged across the table
        for cell, width in zip(cells, share, strict=True):
            cell.width = Emu(width)


def _fill(cell: Any, lines: tuple[str, ...]) -> None:
    from docx.shared import Pt

    first = cell.paragraphs[0]
    for i, line in enumerate(lines):
        p = first if i == 0 else cell.add_paragraph()
        run = p.add_run(" ".join(line.split()))
        run.font.size = Pt(8.5)


def _shade(cell: Any, colour: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), colour)
    cell._tc.get_or_add_tcPr().append(shading)
