"""How a bundled example is drawn by default: plain settings, no renderer imported."""

from __future__ import annotations

from typing import Literal

from cimo.model import CimoModel

__all__ = ["ViewSettings"]


class ViewSettings(CimoModel):
    """How an example is drawn by default (``cimo render EXAMPLE``)."""

    layout: Literal["map", "process", "rows"] = "map"
    """``map`` (lanes), ``process`` (phases and bands) or ``rows`` (the table)."""
    iteration: int | None = None
    """Map: draw this theory iteration only (``--iteration`` picks another)."""
    phases: tuple[str, ...] = ()
    """Process: the phase tags, in order."""
    bands: tuple[str, ...] = ()
    """Process: the dimensions, top to bottom."""
    core: str | None = None
    """Process: the phase holding the core category."""
    end_label: str = "Over time"
    """Process: the heading of the last column."""
