"""Figures that fit a printed page, with no text smaller than 7 pt.

A journal prints a figure at the width of a column or of the text block; a
picture drawn for the screen and shrunk to that width has 2–5 pt text.
:func:`fit_page` draws the figure, lays it out with Graphviz, measures the
printed size of its smallest text, and, while that is under
:data:`MIN_FONT_PT`, tries the next layout, in this order:

1. the figure as asked;
2. the same figure with labels wrapped narrower (20, then 14 characters);
   given ``parts`` (rule cards of some rules), those split by theme onto
   pages, when that needs no more pages than there are themes;
3. the configuration-rows layout (:func:`cimo.render.rows.configuration_rows`),
   its cells wrapped at 34, 24 or 18 characters; then stacked (each
   configuration a block of Context / Intervention / Mechanism / Outcome
   rows, two columns wide) at 44, 34 or 26; then cells of 14: the first
   that fits the page's width;
4. those rows split by theme onto several pages (whole themes share a page
   while they fit; a theme too long for one page is halved until each part fits).

The result (:class:`Fitted`) holds the pages and says which layout was
chosen (``fitted.how``) and the printed size of its smallest text. Each page
carries its printed size (Graphviz's ``size``), so an SVG or PDF comes out
at the width it is printed at, and a PNG at 300 dpi.

>>> PAGES["column"].width_cm, PAGES["a4"].width_cm
(8.5, 16.0)
>>> page_named("letter", width_cm=12).width_cm
12.0
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Literal, TypeAlias, get_args

import defusedxml.ElementTree as SafeET
from pydantic import Field

from cimo.core.formats import GraphvizFormat
from cimo.errors import RenderError, UsageError
from cimo.model import CimoModel, Theory
from cimo.render._figure import Diagram
from cimo.render.backend import DEFAULT_TIMEOUT
from cimo.render.rows import configuration_rows, theme_groups
from cimo.render.style import DEFAULT_STYLE, Style

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element  # a type only: parsed by defusedxml

__all__ = [
    "MIN_FONT_PT",
    "PAGES",
    "Fitted",
    "Page",
    "PageName",
    "Part",
    "Printed",
    "fit_page",
    "page_named",
    "printed_size",
]

#: No text of a fitted figure is printed smaller than this (points).
MIN_FONT_PT = 7.0
_PT_PER_CM = 72 / 2.54
_SVG = "{http://www.w3.org/2000/svg}"

PageName: TypeAlias = Literal["a4", "letter", "column", "double-column", "slide"]


class Page(CimoModel):
    """The area a figure is printed in: a width and, optionally, a height (centimetres)."""

    name: str
    width_cm: float = Field(gt=0, le=500)
    height_cm: float | None = Field(default=None, gt=0, le=500)
    """None: as tall as the figure needs."""

    @property
    def width_pt(self) -> float:
        """The width in points (1/72 inch)."""
        return self.width_cm * _PT_PER_CM

    @property
    def height_pt(self) -> float | None:
        """The height in points, if the page has one."""
        return None if self.height_cm is None else self.height_cm * _PT_PER_CM

    def __str__(self) -> str:
        tall = f" × {self.height_cm:g}" if self.height_cm is not None else ""
        return f"{self.name} ({self.width_cm:g}{tall} cm)"


#: The presets of ``cimo render --page``: the text area a figure may fill.
PAGES: dict[str, Page] = {
    # A4 (21 × 29.7 cm) less 2.5 cm margins.
    "a4": Page(name="a4", width_cm=16.0, height_cm=24.7),
    # US letter (8.5 × 11 in) less 1 in margins.
    "letter": Page(name="letter", width_cm=16.5, height_cm=22.9),
    # One column of a two-column journal page, and both columns.
    "column": Page(name="column", width_cm=8.5, height_cm=23.0),
    "double-column": Page(name="double-column", width_cm=17.5, height_cm=23.0),
    # A 16:9 slide (PowerPoint's 13.33 × 7.5 in).
    "slide": Page(name="slide", width_cm=33.87, height_cm=19.05),
}
assert set(PAGES) == set(get_args(PageName))


def page_named(name: str | None = None, *, width_cm: float | None = None) -> Page:
    """A preset page, a page of this width, or a preset narrowed or widened to ``width_cm``.

    Raises:
        UsageError: An unknown page name, or neither a name nor a width.
    """
    if name is None:
        if width_cm is None:
            raise UsageError("give a page (--page a4|letter|column|double-column|slide) or a width")
        return Page(name=f"{width_cm:g} cm wide", width_cm=width_cm)
    if name not in PAGES:
        raise UsageError(f"unknown page {name!r}: use one of {', '.join(PAGES)}")
    preset = PAGES[name]
    if width_cm is None:
        return preset
    return Page(name=f"{name}, {width_cm:g} cm wide", width_cm=width_cm, height_cm=preset.height_cm)


class Printed(CimoModel):
    """A picture as printed on a page: its size and the size of its smallest text."""

    width_pt: float
    height_pt: float
    scale: float
    """Printed size / drawn size (never above 1: a figure is not enlarged)."""
    min_font_pt: float
    """The smallest text, as printed (points)."""


_NUMBER = re.compile(r"[-+]?\d*\.?\d+")


def _length_pt(value: str | None) -> float:
    """An SVG length in points ("241pt", "3.35in", "120px", "120")."""
    if not value:
        raise RenderError("the SVG has no width or height")
    number = float(_NUMBER.findall(value)[0])
    unit = value.strip()[-2:]
    return number * {"in": 72.0, "px": 0.75, "cm": _PT_PER_CM, "mm": _PT_PER_CM / 10}.get(unit, 1)


def printed_size(svg: bytes | str, page: Page) -> Printed:
    """How big a Graphviz SVG prints on ``page``: shrunk to fit it (never enlarged).

    The font sizes are read from the SVG's ``<text>`` elements, through the
    transforms Graphviz puts above them (its ``size`` scaling).

    >>> svg = ('<svg xmlns="http://www.w3.org/2000/svg" width="400pt" height="100pt" '
    ...        'viewBox="0 0 400 100"><g transform="scale(1 1)">'
    ...        '<text font-size="11.00">x</text><text font-size="9.00">y</text></g></svg>')
    >>> printed_size(svg, PAGES["column"]).min_font_pt  # 9 pt × 241/400
    5.42
    """
    data = svg.encode("utf-8") if isinstance(svg, str) else svg
    root = SafeET.fromstring(data)
    width, height = _length_pt(root.get("width")), _length_pt(root.get("height"))
    box = [float(v) for v in (root.get("viewBox") or f"0 0 {width} {height}").split()]
    unit = width / box[2]  # points per SVG unit
    scale = min(1.0, page.width_pt / width)
    if page.height_pt is not None:
        scale = min(scale, page.height_pt / height)
    smallest = min((s for s in _font_sizes(root, 1.0)), default=None)
    if smallest is None:
        return Printed(width_pt=width * scale, height_pt=height * scale, scale=scale, min_font_pt=0)
    return Printed(
        width_pt=round(width * scale, 2),
        height_pt=round(height * scale, 2),
        scale=round(scale, 4),
        min_font_pt=round(smallest * unit * scale, 2),
    )


_SCALE = re.compile(r"scale\(\s*([-+\d.eE]+)(?:[ ,]+([-+\d.eE]+))?\s*\)")


def _font_sizes(element: Element, factor: float) -> Iterable[float]:
    """Every non-empty text's font size, times the scale of the transforms above it."""
    found = _SCALE.search(element.get("transform") or "")
    if found:
        factor *= min(float(found.group(1)), float(found.group(2) or found.group(1)))
    if element.tag == f"{_SVG}text" and (element.text or "").strip():
        yield float(element.get("font-size") or 14) * factor
    for child in element:
        yield from _font_sizes(child, factor)


class Fitted(CimoModel):
    """A figure fitted to a page: one or more pages, and which layout was chosen."""

    page: Page
    how: str
    """The layout chosen, in words ("configuration rows, split by theme onto 3 pages")."""
    pages: tuple[Diagram, ...]
    """The pages, each at its printed size."""
    min_font_pt: float
    """The smallest text of any page, as printed."""

    def __str__(self) -> str:
        n = len(self.pages)
        return (
            f"fitted to {self.page}: {self.how}; {n} page{'s' if n != 1 else ''}, "
            f"smallest text {self.min_font_pt:.1f} pt"
        )

    def paths(self, path: str | Path) -> list[Path]:
        """Where :meth:`save` writes: ``path``, or ``stem-1.svg``, ``stem-2.svg``... for pages."""
        path = Path(path)
        if len(self.pages) == 1:
            return [path]
        return [
            path.with_name(f"{path.stem}-{i}{path.suffix}") for i in range(1, len(self.pages) + 1)
        ]

    def save(
        self,
        path: str | Path,
        *,
        format: GraphvizFormat | None = None,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> list[Path]:
        """Write every page (atomically, each after Graphviz succeeded); PNG at 300 dpi."""
        written = []
        for diagram, target in zip(self.pages, self.paths(path), strict=True):
            fmt = format or (target.suffix.lstrip(".").lower() or "svg")
            if fmt == "png":
                diagram = _with_graph_attrs(diagram, dpi="300")
            written.append(diagram.save(target, format=fmt, timeout=timeout))  # type: ignore[arg-type]
        return written

    def source(self) -> str:
        """The DOT text of every page, one graph after another (``dot`` draws each)."""
        return "".join(d.source for d in self.pages)


def _with_graph_attrs(diagram: Diagram, **attrs: str) -> Diagram:
    """The diagram with these graph attributes added at the end of its DOT text."""
    source = diagram.source.rstrip()
    assert source.endswith("}")
    extra = "".join(f'  {k}="{v}"\n' for k, v in attrs.items())
    return Diagram.model_validate({**diagram.model_dump(), "source": source[:-1] + extra + "}\n"})


_WRAPS = (20, 14)
#: The rows' cell widths tried, in order: (characters, stacked?). Stacked blocks read
#: better on a narrow page than cells of a dozen characters, which come last.
_ROW_LADDER = (
    (34, False),
    (24, False),
    (18, False),
    (44, True),
    (34, True),
    (26, True),
    (14, False),
)

#: A drawing of the theory in a given style.
Draw: TypeAlias = Callable[[Style], Diagram]
#: A drawing of some of its rules (all when None) under a title (the theory's when None).
Part: TypeAlias = Callable[[Style, "set[str] | None", "str | None"], Diagram]


class _Fitter:
    def __init__(self, page: Page, minimum: float, timeout: float) -> None:
        self.page, self.minimum, self.timeout = page, minimum, timeout
        self.best: tuple[float, str] = (0.0, "")
        self.measured: dict[str, Printed] = {}

    def measure(self, diagram: Diagram) -> Printed:
        """Lay the diagram out with Graphviz and measure it on the page (once per DOT text)."""
        if diagram.source not in self.measured:
            svg = diagram.svg(timeout=self.timeout)
            self.measured[diagram.source] = printed_size(svg, self.page)
        return self.measured[diagram.source]

    def fits(self, diagrams: Sequence[Diagram], how: str) -> Fitted | None:
        printed = [self.measure(d) for d in diagrams]
        smallest = min(p.min_font_pt for p in printed)
        if smallest > self.best[0]:
            self.best = (smallest, how)
        if smallest < self.minimum:
            return None
        pages = tuple(self.sized(d, p) for d, p in zip(diagrams, printed, strict=True))
        return Fitted(page=self.page, how=how, pages=pages, min_font_pt=smallest)

    def sized(self, diagram: Diagram, printed: Printed) -> Diagram:
        """The diagram drawn at its printed size (Graphviz shrinks it to ``size``)."""
        width, height = printed.width_pt / 72, printed.height_pt / 72
        # margin 0: Graphviz puts a 0.5 in margin around a PDF page otherwise
        return _with_graph_attrs(diagram, size=f"{width:.3f},{height:.3f}", margin="0")


def fit_page(
    theory: Theory,
    draw: Draw | Sequence[Draw] | None = None,
    *,
    page: Page | str = "a4",
    style: Style = DEFAULT_STYLE,
    min_font_pt: float = MIN_FONT_PT,
    parts: Sequence[tuple[str, Part]] = (),
    rows: bool = True,
    timeout: float = DEFAULT_TIMEOUT,
) -> Fitted:
    """Draw ``theory`` to fit ``page`` with no text under ``min_font_pt`` (see the module docs).

    Args:
        theory: The theory.
        draw: How to draw it, given a style (default: the theory map); several
            drawings are tried in order, each with narrower labels too.
        page: A :class:`Page` or the name of a preset (:data:`PAGES`).
        style: Colours and fonts (its ``wrap`` is narrowed when labels must wrap).
        min_font_pt: The smallest text allowed, printed (points).
        parts: Drawings of some of the rules (by id, under a title), each with
            its name, split by theme onto pages before the rows are tried (the
            one with the fewest pages, if no more than one a theme).
        rows: Fall back to the configuration rows (and pages split by theme).
        timeout: Seconds each Graphviz run may take.

    Returns:
        The pages, and which layout was chosen.

    Raises:
        RenderError: No layout fits (the message gives the best one found);
            Graphviz is missing or fails.

    >>> import cimo
    >>> fitted = fit_page(cimo.load_example("doctors-mental-health"), page="column")
    >>> fitted.min_font_pt >= 7, fitted.how.startswith("configuration rows")
    (True, True)
    """
    from cimo.edit import evolve
    from cimo.render.diagram import theory_map

    chosen = page_named(page) if isinstance(page, str) else page
    fitter = _Fitter(chosen, min_font_pt, timeout)
    if draw is None:
        draws: Sequence[Draw] = (lambda s: theory_map(theory, style=s),)
    else:
        draws = (draw,) if callable(draw) else draw
    for i, make in enumerate(draws):
        extra = f" (drawing {i + 1} of {len(draws)})" if len(draws) > 1 else ""
        found = fitter.fits([make(style)], f"as drawn{extra}")
        for wrap in (w for w in _WRAPS if w < style.wrap):
            if found is None:
                narrow = evolve(style, wrap=wrap)
                found = fitter.fits([make(narrow)], f"labels wrapped at {wrap} characters{extra}")
        if found is not None:
            return found
    split: list[Fitted] = []
    for name, part in parts:

        def some(ids: set[str] | None, title: str | None, part: Part = part) -> Diagram:
            return part(style, ids, title)

        split += [f for f in [_split_pages(theory, some, fitter, name)] if f is not None]
    # The fewest pages, if no more than one a theme (else the rows are more compact).
    fewest = min(split, key=lambda f: len(f.pages), default=None)
    if fewest is not None and len(fewest.pages) <= max(1, len(theme_groups(theory))):
        return fewest
    found = _fit_rows(theory, style, fitter) if rows else None
    if found is not None:
        return found
    best, how = fitter.best
    raise RenderError(
        f"the figure does not fit {chosen} with text of at least {min_font_pt:g} pt: "
        f"the best layout ({how}) prints its smallest text at {best:.1f} pt; "
        "use a wider page (--page a4, --page double-column, --width-cm), "
        "or draw a part (--focus ID, --theme)"
    )


def _fit_rows(theory: Theory, style: Style, fitter: _Fitter) -> Fitted | None:
    """The configuration rows: the widest cells that fit the width, then split by theme."""
    if not theory.rules:
        return None
    for cells, stacked in _ROW_LADDER:

        def rows(
            only: set[str] | None = None,
            title: str | None = None,
            cells: int = cells,
            stacked: bool = stacked,
        ) -> Diagram:
            return configuration_rows(
                theory, style=style, width=cells, stacked=stacked, rules=only, title=title
            )

        how = f"configuration rows{', stacked' if stacked else ''}, wrapped at {cells} characters"
        diagram = rows()
        found = fitter.fits([diagram], how)
        if found is not None:
            return found
        # Too tall but not too wide: the rows can be split over pages.
        if _font_at_width(fitter.measure(diagram), fitter.page) >= fitter.minimum:
            break
    else:
        return None
    return _split_pages(theory, rows, fitter, how)


def _split_pages(
    theory: Theory,
    part: Callable[[set[str] | None, str | None], Diagram],
    fitter: _Fitter,
    how: str,
) -> Fitted | None:
    """Pages of ``part`` (some rules under a title), split by theme: each must fit."""
    parts: list[list[str]] = []  # whole themes share a page while they fit
    for _, members in theme_groups(theory):
        for chunk in _split([r.id for r in members], part, fitter):
            if parts and _fit_one(part(set(parts[-1] + chunk), None), fitter):
                parts[-1] += chunk
            else:
                parts.append(chunk)
    if sum(len(p) for p in parts) != len(theory.rules):
        return None
    n = len(parts)
    pages = [
        part(set(ids), f"{theory.title} ({i}\u00a0of\u00a0{n})") for i, ids in enumerate(parts, 1)
    ]
    return fitter.fits(pages, f"{how}, split by theme onto {n} page{'s' if n != 1 else ''}")


def _font_at_width(printed: Printed, page: Page) -> float:
    """The smallest text if the picture were shrunk to the page's width only (not its height)."""
    natural = printed.min_font_pt / printed.scale
    return natural * min(1.0, page.width_pt / (printed.width_pt / printed.scale))


def _fit_one(diagram: Diagram, fitter: _Fitter) -> bool:
    return fitter.measure(diagram).min_font_pt >= fitter.minimum


def _split(
    ids: list[str], rows: Callable[[set[str] | None, str | None], Diagram], fitter: _Fitter
) -> list[list[str]]:
    """These rules as pages that each fit (halved while too tall); one rule is one page."""
    if len(ids) == 1 or _fit_one(rows(set(ids), None), fitter):
        return [ids]
    half = len(ids) // 2
    return _split(ids[:half], rows, fitter) + _split(ids[half:], rows, fitter)
