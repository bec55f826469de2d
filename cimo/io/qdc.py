"""Deprecated: moved to :mod:`cimo.exchange.qdc`; this path goes in the next release."""

from __future__ import annotations

import importlib
import warnings
from typing import Any

__all__ = ["NAMESPACE", "from_qdc", "to_qdc"]  # noqa: F822 (served by __getattr__)
_NAMES = frozenset(__all__)


def __getattr__(name: str) -> Any:
    if name in _NAMES:
        warnings.warn(
            f"cimo.io.qdc.{name} moved to cimo.exchange.qdc.{name}; import it from there",
            DeprecationWarning,
            stacklevel=2,
        )
        return getattr(importlib.import_module("cimo.exchange.qdc"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
