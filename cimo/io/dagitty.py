"""Deprecated: moved to :mod:`cimo.exchange.dagitty`; this path goes in the next release."""

from __future__ import annotations

import importlib
import warnings
from typing import Any

__all__ = ["causal_diagram", "feedback_edges", "to_dagitty"]  # noqa: F822 (served by __getattr__)
_NAMES = frozenset(__all__)


def __getattr__(name: str) -> Any:
    if name in _NAMES:
        warnings.warn(
            f"cimo.io.dagitty.{name} moved to cimo.exchange.dagitty.{name}; import it from there",
            DeprecationWarning,
            stacklevel=2,
        )
        return getattr(importlib.import_module("cimo.exchange.dagitty"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
