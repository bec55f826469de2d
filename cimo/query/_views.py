"""Deprecated home of :func:`cimo.edit.focus` and :func:`cimo.edit.roll_up`.

They return theories, so they are edits now; the old names here still work
for one release and warn.
"""

from __future__ import annotations

import warnings
from typing import Any

__all__: list[str] = []

_MOVED = {"focus": "cimo.edit.focus", "roll_up": "cimo.edit.roll_up"}


def __getattr__(name: str) -> Any:
    if name in _MOVED:
        warnings.warn(
            f"cimo.query._views.{name} moved to {_MOVED[name]}; "
            "the old name goes in the next release",
            DeprecationWarning,
            stacklevel=2,
        )
        from cimo import edit

        return getattr(edit, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
