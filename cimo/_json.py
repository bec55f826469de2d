r"""Strict JSON: no duplicate keys, no NaN, bounded numbers and nesting (private).

JSON parsers keep the last of two equal keys in an object and drop the other
without a word; cimo refuses them, naming both places. Numbers longer than
:data:`~cimo._files.MAX_NUMBER_CHARS` characters, NaN and Infinity, lone
surrogates and values nested deeper than Python's parser goes (about 1,000
levels) are refused too, before any work is done with the data.

>>> parse_json('{"a": 1, "b": [true, null]}')
{'a': 1, 'b': [True, None]}
>>> try:
...     parse_json('{"id": "t",\n "id": "u"}', file="t.json")
... except FileFormatError as err:
...     print(err.line, err.column, err.message[:56])
2 2 duplicate key 'id': it is also given on line 1, column 2
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any, TypeVar

import pydantic_core

from cimo._files import MAX_NUMBER_CHARS
from cimo.errors import FileFormatError

__all__ = ["check_json", "json_syntax_error", "parse_json"]


class _DuplicateError(Exception):
    def __init__(self, key: str) -> None:
        self.key = key


def _unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _DuplicateError(key)
            seen.add(key)
    return result


class _LongNumberError(Exception):
    def __init__(self, text: str) -> None:
        self.text = text


_N = TypeVar("_N", int, float)


def _guarded(convert: Callable[[str], _N]) -> Callable[[str], _N]:
    """``convert``, refusing numbers longer than ``MAX_NUMBER_CHARS`` characters."""

    def parse(text: str) -> _N:
        if len(text) > MAX_NUMBER_CHARS:
            raise _LongNumberError(text)
        return convert(text)

    return parse


_int = _guarded(int)
_float = _guarded(float)


def _constant(name: str) -> Any:
    raise json.JSONDecodeError(f"{name} is not a JSON value (write a number or null)", name, 0)


def parse_json(text: str | bytes, *, file: str | None = None, what: str = "") -> Any:
    """Parse a JSON document strictly (see the module docs).

    Args:
        text: The document (bytes are read as UTF-8).
        file: A file name for messages.
        what: What the document should be, to start messages (``"Kumu blueprint"``).

    Raises:
        FileFormatError: if the text is not JSON, is empty, has duplicate keys,
            too long a number or too deep a nesting, with line and column.
    """
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as err:
            raise FileFormatError(
                f"{what + ': ' if what else ''}not UTF-8 text (byte {err.start}); save the file "
                "as UTF-8",
                file=file,
            ) from None
    if not text.strip():
        raise json_syntax_error("", text, file=file, what=what)
    data: Any = _FAILED
    try:
        data = check_json(text, file=file, what=what)
    except _NotJsonError:
        pass
    else:
        if _SURROGATE.search(text) is None:
            return data
    try:  # pydantic's parser says what is wrong more clearly (and where)
        pydantic_core.from_json(text, allow_inf_nan=False)
    except ValueError as err:
        raise json_syntax_error(str(err), text, file=file, what=what) from None
    if data is not _FAILED:  # only proper surrogate pairs
        return data
    raise FileFormatError(f"{what + ': ' if what else ''}not valid JSON", file=file)


_FAILED = object()
# A \uD800-\uDFFF escape: Python's parser lets a lone one through, pydantic's does not.
_SURROGATE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


class _NotJsonError(Exception):
    """The standard parser failed: the caller asks pydantic's for a clearer message."""


def check_json(text: str, *, file: str | None = None, what: str = "") -> Any:
    """The data of JSON text, unless it has duplicate keys or long numbers.

    Raises:
        FileFormatError: naming the duplicate key (both places) or the long number.
        _NotJsonError: if the text is not JSON (:func:`parse_json` then says why).
    """
    prefix = f"{what}: " if what else ""
    try:
        return json.loads(
            text,
            object_pairs_hook=_unique,
            parse_int=_int,
            parse_float=_float,
            parse_constant=_constant,
        )
    except _DuplicateError as dup:
        try:
            first, second = _duplicate_places(text, dup.key)
        except (ValueError, IndexError):  # the text breaks further on: report that first
            raise _NotJsonError from None
        line, column = _line_column(text, first)
        where: tuple[int | None, int | None] = (
            _line_column(text, second) if second >= 0 else (None, None)
        )
        raise FileFormatError(
            f"{prefix}duplicate key {dup.key!r}: it is also given on line {line}, column "
            f"{column}; keep one (JSON readers keep only the last, dropping the other silently)",
            file=file,
            line=where[0],
            column=where[1],
        ) from None
    except _LongNumberError as long:
        offset = text.find(long.text)
        at: tuple[int | None, int | None] = (
            _line_column(text, offset) if offset >= 0 else (None, None)
        )
        raise FileFormatError(
            f"{prefix}a number of {len(long.text):,} characters; cimo reads numbers of at most "
            f"{MAX_NUMBER_CHARS} characters (if it is text, put it in quotes)",
            file=file,
            line=at[0],
            column=at[1],
        ) from None
    except (json.JSONDecodeError, RecursionError):
        raise _NotJsonError from None


_POSITION = re.compile(r"\s*at line (\d+) column (\d+)\s*$")


def json_syntax_error(
    detail: str, text: str, *, file: str | None = None, what: str = ""
) -> FileFormatError:
    """A located message for a JSON syntax error reported by pydantic's parser.

    >>> str(json_syntax_error("trailing comma at line 1 column 9", '{"a": 1,}'))
    '1:9: not valid JSON: trailing comma'
    """
    prefix = f"{what}: " if what else ""
    m = _POSITION.search(detail)
    line, column = (int(m.group(1)), int(m.group(2))) if m else (None, None)
    detail = detail[: m.start()] if m else detail
    if not text.strip():
        return FileFormatError(f"{prefix}the file is empty; it must hold a JSON object", file=file)
    if "recursion limit exceeded" in detail:
        detail = "values nest too deeply (arrays or objects hundreds of levels inside each other)"
    elif "number out of range" in detail:
        detail = (
            f"a number too long to read; cimo reads numbers of at most {MAX_NUMBER_CHARS} "
            "characters (if it is text, put it in quotes)"
        )
    elif "lone leading surrogate" in detail or "surrogate" in detail.lower():
        detail = f"{detail} (a \\ud800-style escape with no partner: not valid Unicode)"
    return FileFormatError(f"{prefix}not valid JSON: {detail}", file=file, line=line, column=column)


def _line_column(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _duplicate_places(text: str, key: str) -> tuple[int, int]:
    """Offsets of the first and second ``key`` in the first object that repeats it.

    Walks the document without recursion (a slow pass, run only to locate the error).
    """
    stack = [_skip(text, 0)]
    while stack:
        i = stack.pop()
        if text[i] not in "{[":
            continue
        close = "}" if text[i] == "{" else "]"
        places, values = [], []
        j = _skip(text, i + 1)
        while text[j] != close:
            if close == "}":
                name, end = json.decoder.scanstring(text, j + 1)  # type: ignore[attr-defined]
                if name == key:
                    places.append(j)
                j = _skip(text, _skip(text, end) + 1)  # past the colon
            values.append(j)
            j = _skip(text, _DECODER.raw_decode(text, j)[1])
            if text[j] == ",":
                j = _skip(text, j + 1)
        if len(places) > 1:
            return places[0], places[1]
        stack.extend(reversed(values))
    return 0, -1


_DECODER = json.JSONDecoder()
_WS = re.compile(r"[ \t\n\r]*")


def _skip(text: str, i: int) -> int:
    return _WS.match(text, i).end()  # type: ignore[union-attr]
