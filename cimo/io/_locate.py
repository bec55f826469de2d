"""Old home of :class:`~cimo.core.source.SourceText` (private; kept for imports)."""

from __future__ import annotations

from cimo.core.source import SourceText

__all__ = ["SourceText"]
