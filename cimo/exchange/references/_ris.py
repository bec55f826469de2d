"""RIS references in: each record's line found first (located syntax errors), then read by rispy."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from cimo.errors import FileFormatError
from cimo.exchange.references._fields import Record, doi_in, need, pages_in, url_in, year_in

_CSL_OF_RIS = {
    "JOUR": "article-journal", "JFULL": "article-journal", "EJOUR": "article-journal",
    "MGZN": "article-magazine", "NEWS": "article-newspaper", "BOOK": "book", "EBOOK": "book",
    "CHAP": "chapter", "ECHAP": "chapter", "CONF": "paper-conference",
    "CPAPER": "paper-conference", "RPRT": "report", "GOVDOC": "report", "THES": "thesis",
    "ELEC": "webpage", "WEB": "webpage", "DATA": "dataset", "COMP": "software",
    "UNPB": "manuscript",
}  # fmt: skip
_RIS_LINE = re.compile(r"^([A-Z][A-Z0-9])  - ?(.*)$")
_RIS_LIKE = re.compile(r"^[A-Z][A-Z0-9] *-")


def read_ris(text: str, file: str | None) -> list[Record]:
    rispy = need("rispy")
    starts = _check_ris(text, file)
    try:
        records = rispy.loads(text)
    except Exception as err:  # rispy raises plain exceptions for what it cannot read
        raise FileFormatError(f"not a readable RIS file ({err})", file=file) from None
    return [(line, None, _ris_fields(r)) for line, r in zip(starts, records, strict=False)]


def _check_ris(text: str, file: str | None) -> list[int]:
    """The line of each record's ``TY``; a located error for a line that breaks RIS."""
    starts: list[int] = []
    open_at: int | None = None

    def error(line: int, what: str) -> FileFormatError:
        return FileFormatError(f"RIS syntax error: {what}", file=file, line=line)

    for n, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip()
        tag = _RIS_LINE.match(line)
        if tag is None:
            if _RIS_LIKE.match(line):
                raise error(
                    n, f"{line[:40]!r} is not a tag line; write the two-character tag, two "
                    "spaces, a hyphen and a space ('TI  - Title')"
                )  # fmt: skip
            if line and open_at is None:
                raise error(n, f"{line[:40]!r} is outside a record; records start with 'TY  - '")
            continue
        if tag.group(1) == "TY":
            if open_at is not None:
                raise error(n, f"a new record starts before the record of line {open_at} ends "
                               "with 'ER  - '")  # fmt: skip
            open_at = n
            starts.append(n)
        elif open_at is None:
            raise error(n, f"tag {tag.group(1)} is outside a record; records start with 'TY  - '")
        elif tag.group(1) == "ER":
            open_at = None
    if open_at is not None:
        raise error(open_at, "the record starting here never ends; end it with 'ER  - '")
    return starts


def _ris_fields(record: Mapping[str, Any]) -> dict[str, Any]:
    def first(*keys: str) -> str | None:
        for key in keys:
            value = record.get(key)
            value = value[0] if isinstance(value, list) and value else value
            if isinstance(value, str) and value.strip():
                return " ".join(value.split())
        return None

    start, end = first("start_page"), first("end_page")
    authors = record.get("authors") or record.get("first_authors") or ()
    return {
        "type": _CSL_OF_RIS.get(str(record.get("type_of_reference", "")).upper(), "document"),
        "authors": tuple(" ".join(a.split()) for a in authors if a.strip()),
        "title": first("title", "primary_title"),
        "container": first(
            "journal_name", "secondary_title", "alternate_title3", "alternate_title1"
        ),
        "year": year_in(first("year", "publication_year", "date")),
        "volume": first("volume"),
        "issue": first("number"),
        "pages": pages_in(f"{start}-{end}" if start and end else start),
        "publisher": first("publisher"),
        "doi": doi_in(first("doi")),
        "url": url_in(first("urls")),
    }
