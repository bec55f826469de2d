"""Small helpers shared by the rendering modules."""

from __future__ import annotations

from typing import Literal, TypeAlias

__all__ = ["State"]

#: How a highlight shows an element or rule: as usual, picked out, greyed, or blocked.
State: TypeAlias = Literal["plain", "on", "off", "blocked"]
