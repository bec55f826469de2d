"""Modules that can be called: ``cimo.diff(old, new)`` calls ``cimo.diff.diff`` (private).

``cimo.diff``, ``cimo.merge`` and ``cimo.summary`` are modules (so
``import cimo.merge as m; m.MergeResult`` works) that are also called as
their main function, as the first releases taught (``cimo.merge([a, b])``).
Each of those modules ends with ``callable_module(__name__)``, which swaps the
module's class for :class:`CallableModule`; a call is passed to the module's
function of the same name.

>>> import cimo
>>> import cimo.summary as s
>>> s.Summary is cimo.summary.Summary
True
>>> cimo.summary(cimo.Theory(id="t", title="T")).rules
0
"""

from __future__ import annotations

import sys
import types
from typing import Any

__all__ = ["CallableModule", "callable_module"]


class CallableModule(types.ModuleType):
    """A module whose call runs its function of the same name (``cimo.diff(...)``)."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        main = getattr(self, self.__name__.rpartition(".")[2])
        return main(*args, **kwargs)


def callable_module(name: str) -> None:
    """Make the (already imported) module ``name`` callable as its function of the same name."""
    sys.modules[name].__class__ = CallableModule
