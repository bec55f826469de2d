"""Deprecated: moved to :mod:`cimo.exchange.kumu`; this path goes in the next release."""

from __future__ import annotations

import importlib
import warnings
from typing import Any

__all__ = ["CONNECTION_TYPES", "ELEMENT_TYPES", "from_kumu", "to_kumu"]  # noqa: F822 (served by __getattr__)
_NAMES = frozenset(__all__)


def __getattr__(name: str) -> Any:
    if name in _NAMES:
        warnings.warn(
            f"cimo.io.kumu.{name} moved to cimo.exchange.kumu.{name}; import it from there",
            DeprecationWarning,
            stacklevel=2,
        )
        return getattr(importlib.import_module("cimo.exchange.kumu"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
