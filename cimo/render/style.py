"""How diagrams look: a frozen :class:`Style` passed in to every view.

Two styles are built in: :data:`DEFAULT_STYLE`, coloured for screens and
print, and :data:`GREYSCALE_STYLE` for journals that print in black and
white. Mechanisms are coloured by category as in seed 000's Table 3 key:
work-focused red, psychological green, relationship-focused blue. Every view
gives a theory's other categories palette colours of their own, in the order
of their names (:meth:`Style.for_theory`), so two categories share a colour
only when the palette runs out; a category met without its theory gets a
stable colour from the palette (the same on every run and machine).

>>> from cimo.render.style import DEFAULT_STYLE, GREYSCALE_STYLE
>>> DEFAULT_STYLE.category_colour("work-focused")
'#f4c7c3'
>>> DEFAULT_STYLE.category_colour("trust") == DEFAULT_STYLE.category_colour("trust")
True
>>> GREYSCALE_STYLE.kind_fill["outcome"]
'#e0e0e0'
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Annotated, Literal, TypeAlias

from pydantic import AfterValidator, Field, PlainSerializer

from cimo.model import CimoModel

if TYPE_CHECKING:
    from cimo.model import Theory

__all__ = ["DEFAULT_STYLE", "GREYSCALE_STYLE", "STYLES", "Style", "StyleName"]

StyleName: TypeAlias = Literal["default", "greyscale"]


def _read_only(mapping: Mapping[str, str]) -> Mapping[str, str]:
    return MappingProxyType(dict(mapping))


#: A read-only mapping (a dict inside a frozen model would still be mutable).
ReadOnlyMap: TypeAlias = Annotated[
    Mapping[str, str], AfterValidator(_read_only), PlainSerializer(dict)
]


class Style(CimoModel):
    """Colours, shapes, fonts and wrapping of diagrams (frozen; make a new one to change it).

    >>> import cimo
    >>> from cimo.render.style import DEFAULT_STYLE
    >>> big = cimo.evolve(DEFAULT_STYLE, font_size="16")  # a checked copy with changes
    >>> big.font_size
    '16'
    """

    name: str = "default"
    font: str = "Helvetica"
    font_size: str = "11"
    small_font_size: str = "10"
    """Edge labels, "or" junctions, actors and the line under a rule card's name."""
    wrap: int = 28
    """Labels are wrapped at this many characters."""
    background: str = "white"
    text: str = "#222222"
    line: str = "#444444"
    kind_shape: ReadOnlyMap = Field(
        default={
            "context": "box",
            "intervention": "box",
            "mechanism": "ellipse",
            "outcome": "box",
            "rule": "box",
        },
        validate_default=True,
    )
    kind_style: ReadOnlyMap = Field(
        default={
            "context": "filled",
            "intervention": "filled,rounded",
            "mechanism": "filled",
            "outcome": "filled,bold",
            "rule": "filled,rounded,dashed",
        },
        validate_default=True,
    )
    kind_fill: ReadOnlyMap = Field(
        default={
            "context": "#fff2cc",
            "intervention": "#ffe0b2",
            "mechanism": "#eeeeee",
            "outcome": "#d9d2e9",
            "rule": "#ffffff",
        },
        validate_default=True,
    )
    kind_border: ReadOnlyMap = Field(
        default={
            "context": "#b8860b",
            "intervention": "#e65100",
            "mechanism": "#555555",
            "outcome": "#5e35b1",
            "rule": "#777777",
        },
        validate_default=True,
    )
    category_fill: ReadOnlyMap = Field(
        default={
            "work-focused": "#f4c7c3",
            "psychological": "#c8e6c9",
            "relationship-focused": "#c5dcf5",
        },
        validate_default=True,
    )
    """Seed 000's Table 3 key: work-focused red, psychological green, relationship-focused blue."""
    palette: tuple[str, ...] = (
        "#fde0b6",
        "#d7ccc8",
        "#b2dfdb",
        "#f8bbd0",
        "#dcedc8",
        "#e1bee7",
        "#ffecb3",
        "#cfd8dc",
    )
    """Colours for other mechanism categories (and themes), picked by a stable hash."""
    disabling: str = "#c62828"
    """Colour of UNLESS (disabling) edges, which are also dashed with a bar head."""
    chain: str = "#1565c0"
    """Colour of chain edges (an outcome feeding a later rule), which are also bold."""
    reduces: str = "#6d4c41"
    greyed: str = "#d0d0d0"
    """Colour of what a highlight leaves out."""
    fired: str = "#2e7d32"
    """Border of what a highlight picks out."""
    blocked: str = "#c62828"
    """Border of blocked rules in a highlight."""
    refuted: str = "#9e9e9e"
    """Colour of refuted rules (also struck through) and of edges only refuted rules draw."""
    inferred: str = "#9e9e9e"
    """Colour of what the encoder inferred (also dashed): elements, relations."""

    def for_theory(self, theory: Theory) -> Style:
        """This style with a fill of its own for each mechanism category of ``theory``.

        Categories without a fill in :attr:`category_fill` take the palette's
        colours in the order of their names, skipping colours the fixed
        categories use; only a theory with more categories than the palette
        has colours repeats one. Every view calls this first.

        >>> import cimo
        >>> from cimo.render.style import GREYSCALE_STYLE
        >>> theory = cimo.load_example("pwp-resilience")
        >>> cats = sorted({m.category for m in theory.mechanisms if m.category})
        >>> style = GREYSCALE_STYLE.for_theory(theory)
        >>> len({style.category_colour(c) for c in cats}) == len(cats)
        True
        """
        cats = sorted(
            {m.category for m in theory.mechanisms if m.category} - set(self.category_fill)
        )
        if not cats:
            return self
        taken = set(self.category_fill.values())
        free = [c for c in self.palette if c not in taken] or list(self.palette)
        fills = dict(self.category_fill)
        fills.update((cat, free[k % len(free)]) for k, cat in enumerate(cats))
        return self.model_copy(update={"category_fill": _read_only(fills)})

    def category_colour(self, category: str | None) -> str:
        """The fill of a mechanism of this category (the plain mechanism fill when None)."""
        if category is None:
            return self.kind_fill["mechanism"]
        if category in self.category_fill:
            return self.category_fill[category]
        return self.palette[zlib.crc32(category.encode("utf-8")) % len(self.palette)]


#: Colour for screens and print.
DEFAULT_STYLE = Style()

#: Black, white and greys only: categories told apart by shade.
GREYSCALE_STYLE = Style(
    name="greyscale",
    text="#000000",
    line="#000000",
    kind_fill={
        "context": "#ffffff",
        "intervention": "#f2f2f2",
        "mechanism": "#d9d9d9",
        "outcome": "#e0e0e0",
        "rule": "#ffffff",
    },
    kind_border=dict.fromkeys(
        ("context", "intervention", "mechanism", "outcome", "rule"), "#000000"
    ),
    category_fill={
        "work-focused": "#bdbdbd",
        "psychological": "#e6e6e6",
        "relationship-focused": "#9e9e9e",
    },
    palette=("#f5f5f5", "#cccccc", "#a8a8a8", "#dddddd"),
    disabling="#000000",
    chain="#000000",
    reduces="#000000",
    greyed="#cfcfcf",
    fired="#000000",
    blocked="#000000",
    refuted="#9e9e9e",
    inferred="#9e9e9e",
)

#: The built-in styles by name (``cimo render --style``).
STYLES: dict[str, Style] = {"default": DEFAULT_STYLE, "greyscale": GREYSCALE_STYLE}
