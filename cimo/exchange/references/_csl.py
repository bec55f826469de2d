"""CSL-JSON references in (each item's line found by a linear scan) and out."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cimo._json import parse_json
from cimo._util import slug
from cimo.errors import FileFormatError
from cimo.exchange.references._fields import Record, doi_in, pages_in, url_in, year_in
from cimo.model import Source


def read_csl(text: str, file: str | None) -> list[Record]:
    data = parse_json(text, file=file, what="CSL-JSON")
    items = (
        data if isinstance(data, list) else data.get("items") if isinstance(data, dict) else None
    )
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise FileFormatError(
            "CSL-JSON is a list of items (objects with 'id', 'type', 'title', ...); export "
            "the references as CSL JSON",
            file=file,
        )
    lines = _item_lines(text, len(items))
    out: list[Record] = []
    for i, item in enumerate(items):
        line = lines[i] if i < len(lines) else None
        if not isinstance(item.get("type", ""), str) or not item.get("id"):
            raise FileFormatError(
                f"CSL-JSON item {i + 1} has no 'id' (every item needs one)", file=file, line=line
            )
        try:
            fields = _csl_fields(item)
        except (TypeError, AttributeError, IndexError, KeyError) as err:
            raise FileFormatError(
                f"CSL-JSON item {i + 1} ({item['id']!r}): a field has an unexpected shape "
                f"({err}); names are lists of objects, 'issued' is {{\"date-parts\": [[year]]}}",
                file=file,
                line=line,
            ) from None
        out.append((line, str(item["id"]), fields))
    return out


def _item_lines(text: str, count: int) -> list[int]:
    """The line on which each top-level item of a CSL-JSON list starts (a linear scan)."""
    lines, depth, in_string, escaped, line = [], 0, False, False, 1
    for char in text:
        if char == "\n":
            line += 1
        elif in_string:
            escaped, in_string = (False, in_string) if escaped else (char == "\\", char != '"')
        elif char == '"':
            in_string = True
        elif char in "[{":
            if depth == 1 and char == "{":
                lines.append(line)
            depth += 1
        elif char in "]}":
            depth -= 1
    return lines[:count]


def _csl_fields(item: Mapping[str, Any]) -> dict[str, Any]:
    def text(key: str) -> str | None:
        value = item.get(key)
        return " ".join(str(value).split()) if value not in (None, "") else None

    issued = item.get("issued") or {}
    if not isinstance(issued, dict):  # a year or date written directly: read the year in it
        issued = {"raw": issued}
    parts = issued.get("date-parts")
    year = parts[0][0] if parts and parts[0] else (issued.get("raw") or issued.get("literal"))
    return {
        "type": slug(str(item.get("type") or "document")) or "document",
        "authors": tuple(name for a in _names(item) if (name := _csl_name(a)).strip()),
        "title": text("title"),
        "container": text("container-title"),
        "year": year_in(str(year) if year is not None else None),
        "volume": text("volume"),
        "issue": text("issue"),
        "pages": pages_in(text("page")),
        "publisher": text("publisher"),
        "doi": doi_in(text("DOI")),
        "url": url_in(text("URL")),
    }


def _names(item: Mapping[str, Any]) -> list[Any]:
    names = item.get("author") or item.get("editor") or []
    if not isinstance(names, list):
        raise TypeError("'author' is not a list")
    return names


def _csl_name(name: Any) -> str:
    if not isinstance(name, dict):
        return " ".join(str(name).split())
    if name.get("literal"):
        return str(name["literal"])
    family = " ".join(str(name[k]) for k in ("non-dropping-particle", "family") if name.get(k))
    given = " ".join(str(name[k]) for k in ("given", "dropping-particle") if name.get(k))
    return f"{family}, {given}" if given and family else family or given


def csl_item(source: Source) -> dict[str, Any]:
    item: dict[str, Any] = {"id": source.id, "type": source.type or "document"}
    if source.authors:
        item["author"] = [_csl_author(a) for a in source.authors]
    item["title"] = source.title or source.citation
    plain = {
        "container-title": source.container, "volume": source.volume, "issue": source.issue,
        "page": source.pages, "publisher": source.publisher, "DOI": source.doi, "URL": source.url,
    }  # fmt: skip
    item.update({k: v for k, v in plain.items() if v})
    if source.year is not None:
        item["issued"] = {"date-parts": [[source.year]]}
    return item


def _csl_author(name: str) -> dict[str, str]:
    family, _, given = name.partition(", ")
    return {"family": family, "given": given} if given else {"literal": name}
