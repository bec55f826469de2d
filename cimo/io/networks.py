"""Deprecated: moved to :mod:`cimo.exchange.networks`; this path goes in the next release.

The helpers this module shared with the other exchange formats (``scalar``,
``validated``, ``add_stubs``, ``check_xml_text``, ``parse_json``,
``fresh_id``) are internal now, and ``SLOTS`` is
:data:`cimo.core.vocabulary.SLOTS` (``Slot.keyword``, ``Slot.into_rule``).
"""

from __future__ import annotations

import importlib
import warnings
from typing import Any

from cimo.core import vocabulary

__all__ = [  # noqa: F822 (served by __getattr__)
    "SLOTS",
    "add_stubs",
    "check_xml_text",
    "fresh_id",
    "from_graphml",
    "from_network",
    "from_node_link",
    "network_data",
    "parse_json",
    "scalar",
    "to_gexf",
    "to_graphml",
    "to_network",
    "to_node_link",
    "validated",
]
_PUBLIC = frozenset(
    {
        "from_graphml",
        "from_network",
        "from_node_link",
        "network_data",
        "to_gexf",
        "to_graphml",
        "to_network",
        "to_node_link",
    }
)
_INTERNAL = frozenset(
    {"add_stubs", "check_xml_text", "fresh_id", "parse_json", "scalar", "validated"}
)


def __getattr__(name: str) -> Any:
    if name in _PUBLIC:
        new = f"cimo.exchange.networks.{name}"
        value = getattr(importlib.import_module("cimo.exchange.networks"), name)
    elif name in _INTERNAL:
        new = f"nothing public ({name} is internal to cimo.exchange now)"
        value = getattr(importlib.import_module("cimo.exchange._common"), name)
    elif name == "SLOTS":
        new = "cimo.core.vocabulary.SLOTS (Slot.keyword, Slot.into_rule)"
        value = tuple((s.keyword, s.into_rule) for s in vocabulary.SLOTS if s.since == "1.0")
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    warnings.warn(
        f"cimo.io.networks.{name} moved to {new}; this path goes in the next release",
        DeprecationWarning,
        stacklevel=2,
    )
    return value
