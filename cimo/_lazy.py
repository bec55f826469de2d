"""Lazy package attributes (PEP 562), so ``import cimo`` imports nothing heavy (private).

A package's ``__init__`` names its submodules and where each public name
lives; :func:`attach` returns the module ``__getattr__`` and ``__dir__`` that
import them on first use (the pattern of the scientific-Python
``lazy_loader``, without the dependency). Type checkers see the real imports,
which the package keeps under ``if TYPE_CHECKING:`` (and it assigns the two
functions only when not type checking, so a misspelt name is still an error).

>>> getattr_, dir_ = attach(
...     "json", submodules=("decoder",), names={"json.decoder": ("JSONDecoder",)}
... )
>>> getattr_("JSONDecoder").__name__
'JSONDecoder'
>>> "decoder" in dir_()
True

An optional dependency is imported where it is used, by :func:`optional`, which
says how to install it when it is missing.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Iterable, Mapping
from typing import Any

__all__ = ["attach", "optional"]


def optional(module: str, *, needed_for: str, extra: str, instead: str = "") -> Any:
    """Import an optional dependency, or say what needs it and how to install it.

    Args:
        module: The module to import (``"docx"``, ``"bibtexparser.model"``).
        needed_for: What needs it, as the start of the message ("writing .docx tables").
        extra: The cimo extra that installs it (``pip install 'cimo[EXTRA]'``).
        instead: What to do without it, added in brackets ("or use CSV").

    Raises:
        MissingDependencyError: if the module cannot be imported.

    >>> optional("json", needed_for="reading JSON", extra="json").__name__
    'json'
    >>> from cimo.errors import MissingDependencyError
    >>> try:
    ...     optional("no_such_module", needed_for="flying", extra="wings", instead="or walk")
    ... except MissingDependencyError as err:
    ...     print(err)
    flying needs no_such_module: pip install 'cimo[wings]' (or walk)
    """
    try:
        return importlib.import_module(module)
    except ImportError:
        from cimo.errors import MissingDependencyError  # (pydantic: not at ``import cimo``)

        distribution = {"docx": "python-docx"}.get(module.partition(".")[0], module)
        hint = f" ({instead})" if instead else ""
        raise MissingDependencyError(
            f"{needed_for} needs {distribution}: pip install 'cimo[{extra}]'{hint}"
        ) from None


def attach(
    package: str,
    *,
    submodules: Iterable[str] = (),
    names: Mapping[str, Iterable[str]] | None = None,
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """The ``__getattr__`` and ``__dir__`` of a package whose attributes are imported on use.

    Args:
        package: The package's ``__name__``.
        submodules: Submodules reachable as attributes (``cimo.graph``).
        names: For each module (full name), the names it gives the package.

    Returns:
        ``(__getattr__, __dir__)`` to assign in the package.
    """
    subs = frozenset(submodules)
    home = {name: module for module, given in (names or {}).items() for name in given}

    def getattr_(name: str) -> Any:
        if name in subs:
            value = importlib.import_module(f"{package}.{name}")
        elif name in home:
            value = getattr(importlib.import_module(home[name]), name)
        else:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        setattr(sys.modules[package], name, value)
        return value

    def dir_() -> list[str]:
        return sorted({*vars(sys.modules[package]), *subs, *home})

    return getattr_, dir_
