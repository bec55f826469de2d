"""Helpers shared by the exchange formats (private): scalars, validation, stubs, XML, JSON, ids."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping
from typing import Any

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException
from pydantic import ValidationError
from pydantic_core import PydanticSerializationError

from cimo._json import parse_json as strict_json
from cimo._util import slug
from cimo.core.data import invalid_theory_error, to_data
from cimo.errors import FileFormatError, UsageError
from cimo.model import Theory

__all__ = [
    "add_stubs",
    "check_xml_text",
    "fresh_id",
    "parse_json",
    "scalar",
    "validated",
]


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
#: What :data:`_NOT_XML` text looks like inside JSON (or a backslash the user wrote).
_MAYBE_NOT_XML = re.compile(r"\\[bfu]|[\ufffe\uffff]")


def fresh_id(text: str, taken: set[str]) -> str:
    """A valid id made from ``text`` (a label), not in ``taken``; added to ``taken``.

    >>> taken = {"in-work"}
    >>> fresh_id("In work!", taken), fresh_id("in work", taken)
    ('In-work', 'in-work-2')
    """
    base = slug(text, fallback="item")
    ident, n = base, 1
    while ident in taken:
        n += 1
        ident = f"{base}-{n}"
    taken.add(ident)
    return ident


def scalar(value: Any) -> Any:
    """A list or record as its JSON text; other values as they are.

    >>> scalar(["a", "b"]), scalar(3)
    ('["a", "b"]', 3)
    """
    if isinstance(value, list | dict):
        return encode_json(value)
    return value


#: JSON text of a list or record, UTF-8 kept (what :func:`scalar` makes of one).
encode_json = json.JSONEncoder(ensure_ascii=False).encode


def validated(data: dict[str, Any]) -> Theory:
    """Build a theory from plain data, turning validation errors into ``InvalidTheoryError``."""
    try:
        return Theory.model_validate(data)
    except ValidationError as err:
        raise invalid_theory_error(err, data) from None


def add_stubs(data: dict[str, Any]) -> dict[str, Any]:
    """Declare what records cite but a lossy format dropped.

    Sources (cited by evidence or annotations), iterations, themes and programme
    theories (a theme or programme theory gets its id as its label).
    """
    cited: dict[str, None] = {}
    numbers: dict[int, None] = {}
    for record in _records(data):
        for ev in (*record.get("evidence", ()), *record.get("annotations", ())):
            if ev.get("source"):
                cited[ev["source"]] = None
        for n in record.get("iterations", ()):
            numbers[n] = None
    out = dict(data)
    known = {s["id"] for s in out.get("sources", ())}
    out["sources"] = [
        *out.get("sources", ()),
        *({"id": s, "citation": s} for s in cited if s not in known),
    ]
    declared = {it["number"] for it in out.get("iterations", ())}
    out["iterations"] = [
        *out.get("iterations", ()),
        *({"number": n, "label": f"Iteration {n}"} for n in sorted(numbers) if n not in declared),
    ]
    for key, field in (("themes", "theme"), ("programme_theories", "programme_theory")):
        named = dict.fromkeys(r[field] for r in data.get("rules", ()) if r.get(field))
        have = {t["id"] for t in out.get(key, ())}
        missing = [{"id": t, "label": t} for t in named if t not in have]
        if missing:
            out[key] = [*out.get(key, ()), *missing]
    return out


def _records(data: Mapping[str, Any]) -> Iterable[Mapping[str, Any]]:
    yield from data.get("nodes", ())
    yield from data.get("rules", ())


def check_xml_text(theory: Theory) -> None:
    """Refuse a theory whose text holds characters that XML 1.0 cannot carry.

    Raises:
        UsageError: naming the first offending field and the character.

    >>> import cimo
    >>> try:
    ...     check_xml_text(cimo.Theory(id="t", title="bell" + chr(7)))
    ... except cimo.UsageError as err:
    ...     print(str(err).split(",")[0])
    /title holds the control character U+0007
    """
    # The theory's JSON (made in Rust) writes a control character as an escape (``\b``,
    # ``\f``, ``\u0007``): text with none of those escapes, nor U+FFFE or U+FFFF, is fine.
    # Anything else (a literal backslash before b, f or u too) gets the exact walk below.
    try:
        if not _MAYBE_NOT_XML.search(theory.model_dump_json(exclude_defaults=True)):
            return
    except PydanticSerializationError:  # text JSON cannot hold (a lone surrogate): walk it
        pass
    data = to_data(theory)
    if not _NOT_XML.search(" ".join(_strings(data))):
        return

    def walk(value: Any, path: str) -> None:
        if isinstance(value, str):
            bad = _NOT_XML.search(value)
            if bad:
                raise UsageError(
                    f"{path or '/'} holds the control character U+{ord(bad.group()):04X}, which "
                    "XML cannot carry; remove it to export to an XML format"
                )
        elif isinstance(value, dict):
            for k, v in value.items():
                walk(v, f"{path}/{k}")
        elif isinstance(value, list):
            for i, v in enumerate(value):
                walk(v, f"{path}/{i}")

    walk(data, "")


def _strings(data: Any) -> list[str]:
    """Every string value in plain data, in no particular order."""
    found: list[str] = []
    stack = [data]
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, dict):
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    return found


def parse_json(text: str | bytes, *, what: str = "") -> Any:
    """Parse a JSON document strictly; a problem becomes a located :class:`FileFormatError`.

    Duplicate keys, NaN, numbers over 100 characters and nesting over 200
    levels are refused (:mod:`cimo._json`).

    Args:
        text: The document.
        what: What the document should be, to start the message (e.g. ``"Kumu blueprint"``).

    Raises:
        FileFormatError: if the text is not valid JSON, with its line and column.
    """
    return strict_json(text, what=what)


def safe_xml(text: str | bytes, *, what: str) -> Any:
    """The root element of an XML document, parsed without DTDs or entities (defusedxml).

    Bytes are decoded as the document's XML declaration (or byte order mark) says.

    Raises:
        FileFormatError: for a DTD or entity declaration (refused: billion laughs,
            external entities), or XML that is not well-formed, with line and column.
    """
    try:
        return SafeET.fromstring(text)
    except DefusedXmlException as err:
        raise FileFormatError(
            f"{what}: refused unsafe XML ({type(err).__name__}: a DTD or entity declaration); "
            f"{what} files need neither"
        ) from None
    except ET.ParseError as err:
        line, column = err.position
        raise FileFormatError(
            f"{what}: not well-formed XML ({err})", line=line, column=column + 1
        ) from None
    except (LookupError, ValueError) as err:  # an encoding Python does not know, or cannot use
        raise FileFormatError(
            f"{what}: the XML declaration names an encoding that cannot be read ({err}); "
            "save the file as UTF-8"
        ) from None
