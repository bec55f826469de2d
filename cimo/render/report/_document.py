"""The document a realist report is built as, and the RAMESES II items it maps to.

A :class:`Report` is plain data: sections, each naming the RAMESES II items it
serves, holding paragraphs, gaps (what the theory lacks), tables and figures
(as DOT text). The writers (Markdown, HTML, .docx) only lay it out.

>>> [(i.number, i.name) for i in RAMESES_II if i.number in (4, 13)]
[(4, 'Programme theory'), (13, 'Data analysis')]
"""

from __future__ import annotations

from typing import Annotated, Literal, TypeAlias

from pydantic import Field

from cimo.model import CimoModel
from cimo.render._figure import Diagram

__all__ = [
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
]

#: The standard, as the report cites it.
RAMESES_II_CITATION = (
    "Wong, G., Westhorp, G., Manzano, A., Greenhalgh, J., Jagosh, J. and Greenhalgh, T. "
    "(2016). RAMESES II reporting standards for realist evaluations. BMC Medicine, 14, 96. "
    "doi:10.1186/s12916-016-0643-1"
)


class RamesesItem(CimoModel):
    """One item of the RAMESES II reporting standards for realist evaluations (Table 1)."""

    number: int
    part: str
    """The part of the report it belongs to (Title, Introduction, Methods, ...)."""
    name: str


def _items(*rows: tuple[int, str, str]) -> tuple[RamesesItem, ...]:
    return tuple(RamesesItem(number=n, part=p, name=name) for n, p, name in rows)


#: The 20 items of RAMESES II (Wong et al. 2016, Table 1), in order. Items 1 and 2
#: have no name of their own in the table; they carry their part's heading.
RAMESES_II: tuple[RamesesItem, ...] = _items(
    (1, "Title", "Title"),
    (2, "Summary or abstract", "Summary or abstract"),
    (3, "Introduction", "Rationale for evaluation"),
    (4, "Introduction", "Programme theory"),
    (5, "Introduction", "Evaluation questions, objectives and focus"),
    (6, "Introduction", "Ethical approval"),
    (7, "Methods", "Rationale for using realist evaluation"),
    (8, "Methods", "Environment surrounding the evaluation"),
    (9, "Methods", "Describe the programme policy, initiative or product evaluated"),
    (10, "Methods", "Describe and justify the evaluation design"),
    (11, "Methods", "Data collection methods"),
    (12, "Methods", "Recruitment process and sampling strategy"),
    (13, "Methods", "Data analysis"),
    (14, "Results", "Details of participants"),
    (15, "Results", "Main findings"),
    (16, "Discussion", "Summary of findings"),
    (17, "Discussion", "Strengths, limitations and future research directions"),
    (18, "Discussion", "Comparison with existing literature"),
    (19, "Discussion", "Conclusion and recommendations"),
    (20, "Discussion", "Funding and conflict of interest"),
)

#: A table cell: its lines.
Cell: TypeAlias = tuple[str, ...]


class Paragraph(CimoModel):
    """Text taken from the theory (or fixed wording about the report itself)."""

    kind: Literal["paragraph"] = "paragraph"
    text: str


class Gap(CimoModel):
    """What the theory lacks for this part, and how to add it: never filled in by guessing."""

    kind: Literal["gap"] = "gap"
    text: str


class RowGroup(CimoModel):
    """Rows under one heading (a theme), or under none."""

    heading: str | None = None
    rows: tuple[tuple[Cell, ...], ...] = ()


class Table(CimoModel):
    """A table: a caption, column names and groups of rows."""

    kind: Literal["table"] = "table"
    name: str
    """What the table is (``cmoc``, ``sources``, ...): the HTML class, and how the
    .docx writer picks its builder."""
    caption: str
    columns: tuple[str, ...]
    groups: tuple[RowGroup, ...]

    @property
    def rows(self) -> tuple[tuple[Cell, ...], ...]:
        """Every row, across the groups."""
        return tuple(row for g in self.groups for row in g.rows)


class Figure(CimoModel):
    """A diagram (DOT text) with its caption; the writers render it with Graphviz."""

    kind: Literal["figure"] = "figure"
    caption: str
    diagram: Diagram


#: Anything a section holds.
Block: TypeAlias = Annotated[Paragraph | Gap | Table | Figure, Field(discriminator="kind")]


class Section(CimoModel):
    """A part of the report, headed by the RAMESES II items it serves."""

    title: str
    items: tuple[int, ...] = ()
    """The RAMESES II item numbers it serves (empty for the report's own parts)."""
    blocks: tuple[Block, ...] = ()
    subsections: tuple[Section, ...] = ()

    @property
    def heading(self) -> str:
        """The title, with the items it serves: ``Programme theory (RAMESES II item 4)``."""
        if not self.items:
            return self.title
        word = "item" if len(self.items) == 1 else "items"
        return f"{self.title} (RAMESES II {word} {', '.join(map(str, self.items))})"

    def walk(self) -> tuple[Section, ...]:
        """This section and its subsections, depth first."""
        return (self, *(s for sub in self.subsections for s in sub.walk()))


class Report(CimoModel):
    """The parts of a realist report a theory can fill, by RAMESES II item.

    Built by :func:`cimo.render.report.rameses_report`; written by
    :func:`cimo.render.report.write_report`.
    """

    title: str
    theory: str
    """The id of the theory reported."""
    versions: tuple[str, ...]
    """The versions compared, oldest first (one when there is no earlier version)."""
    sections: tuple[Section, ...]

    def walk(self) -> tuple[Section, ...]:
        """Every section and subsection, in order."""
        return tuple(s for top in self.sections for s in top.walk())

    def section(self, item: int) -> Section:
        """The first section that serves a RAMESES II item.

        Raises:
            KeyError: no section serves it.
        """
        for s in self.walk():
            if item in s.items:
                return s
        raise KeyError(f"no section of the report serves RAMESES II item {item}")

    @property
    def figures(self) -> tuple[Figure, ...]:
        """Every figure, in order (the writers number them 1, 2, ...)."""
        return tuple(b for s in self.walk() for b in s.blocks if isinstance(b, Figure))
