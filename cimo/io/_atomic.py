"""Old home of :func:`~cimo._util.atomic_write` (private; kept for imports)."""

from __future__ import annotations

from cimo._util import atomic_write

__all__ = ["atomic_write"]
