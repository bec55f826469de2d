"""What the reference readers share: a record's shape, the optional imports, field values."""

from __future__ import annotations

import re
from typing import Any, TypeAlias

from cimo._lazy import optional

#: A reference as read: its line, its citation key (or None) and its source fields.
Record: TypeAlias = tuple[int | None, str | None, dict[str, Any]]

DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)
_YEAR = re.compile(r"\b(1[5-9]\d\d|2\d\d\d)\b")


def need(module: str) -> Any:
    return optional(module, needed_for="reading references", extra="references")


def year_in(value: str | None) -> int | None:
    found = _YEAR.search(value) if value else None
    return int(found.group()) if found else None


def pages_in(value: str | None) -> str | None:
    return re.sub(r"\s*[-\u2010-\u2015]+\s*", "-", value) if value else None


def doi_in(value: str | None) -> str | None:
    return DOI_PREFIX.sub("", value.strip()) if value and value.strip() else None


def url_in(value: str | None) -> str | None:
    return value.strip() if value and value.strip() else None
