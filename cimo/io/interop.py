"""Deprecated: moved to :mod:`cimo.exchange`; this path goes in the next release.

``export_theory`` is :func:`cimo.exchange.write` and ``import_theory``
:func:`cimo.exchange.read`. :func:`cimo.io.export_text` and
:func:`cimo.io.import_text` still take the format as their second positional
argument for one release, with a ``DeprecationWarning``: the new
:func:`cimo.exchange.export_text` and :func:`cimo.exchange.import_text` take
it by keyword only (``format=``).
"""

from __future__ import annotations

import importlib
import warnings
from typing import Any

from cimo import exchange
from cimo.model import Theory

__all__ = [  # noqa: F822 (served by __getattr__)
    "EXPORT_FORMATS",
    "IMPORT_FORMATS",
    "ExportFormat",
    "ImportFormat",
    "export_text",
    "export_theory",
    "import_text",
    "import_theory",
]
_MOVED = {
    "EXPORT_FORMATS": "EXPORT_FORMATS",
    "IMPORT_FORMATS": "IMPORT_FORMATS",
    "ExportFormat": "ExportFormat",
    "ImportFormat": "ImportFormat",
    "export_theory": "write",
    "import_theory": "read",
}


def _format(func: str, args: tuple[str, ...], format: str | None) -> str:
    """The format, given by keyword or (deprecated) as the second positional argument."""
    if len(args) > 1:
        raise TypeError(f"{func}() takes 2 positional arguments but {len(args) + 1} were given")
    if not args:
        if format is None:
            raise TypeError(f"{func}() missing 1 required argument: 'format'")
        return format
    if format is not None:
        raise TypeError(f"{func}() got multiple values for argument 'format'")
    warnings.warn(
        f"{func}(..., {args[0]!r}): pass the format by keyword, format={args[0]!r} "
        f"(cimo.exchange.{func} takes it keyword-only)",
        DeprecationWarning,
        stacklevel=3,
    )
    return args[0]


def _export_text(
    theory: Theory, *args: str, format: str | None = None, drop_feedback: bool = False
) -> str:
    """The theory in an exchange format, as text (see :func:`cimo.exchange.export_text`).

    Deprecated: passing ``format`` as the second positional argument.
    """
    fmt = _format("export_text", args, format)
    return exchange.export_text(theory, format=fmt, drop_feedback=drop_feedback)


def _import_text(
    text: str | bytes,
    *args: str,
    format: str | None = None,
    id: str | None = None,
    title: str | None = None,
) -> Theory:
    """Read a theory from text in an exchange format (see :func:`cimo.exchange.import_text`).

    Deprecated: passing ``format`` as the second positional argument.
    """
    fmt = _format("import_text", args, format)
    return exchange.import_text(text, format=fmt, id=id, title=title)


_export_text.__name__ = _export_text.__qualname__ = "export_text"
_import_text.__name__ = _import_text.__qualname__ = "import_text"


def __getattr__(name: str) -> Any:
    if name in ("export_text", "import_text"):
        value: Any = _export_text if name == "export_text" else _import_text
        new = f"cimo.exchange.{name} (format keyword-only)"
    elif name in _MOVED:
        value = getattr(importlib.import_module("cimo.exchange"), _MOVED[name])
        new = f"cimo.exchange.{_MOVED[name]}"
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    warnings.warn(
        f"cimo.io.interop.{name} moved to {new}; this path goes in the next release",
        DeprecationWarning,
        stacklevel=2,
    )
    return value
