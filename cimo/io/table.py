"""Deprecated: the spreadsheet tables moved to :mod:`cimo.exchange.table`.

Every name of this module still works for one release, with a
``DeprecationWarning`` that names the new path. ``cimo.io.read_table`` and
the other names that :mod:`cimo.io` itself exports keep working without one.

>>> import warnings
>>> import cimo.exchange.table
>>> import cimo.io.table
>>> with warnings.catch_warnings(record=True) as caught:
...     warnings.simplefilter("always")
...     cimo.io.table.read_table is cimo.exchange.table.read_table
True
>>> print(caught[0].message)
cimo.io.table.read_table is deprecated; use cimo.exchange.table.read_table
"""

from __future__ import annotations

import warnings
from typing import Any

import cimo.exchange.table as _new

__all__ = list(_new.__all__)  # every name is an alias of cimo.exchange.table's


def __getattr__(name: str) -> Any:
    if name in _new.__all__:
        warnings.warn(
            f"{__name__}.{name} is deprecated; use cimo.exchange.table.{name}",
            DeprecationWarning,
            stacklevel=2,
        )
        return getattr(_new, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
