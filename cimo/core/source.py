r"""Where a theory was loaded from: the source text, and positions inside it.

A theory never stores where it came from (the records stay pure). The
loaders register the text they read with :func:`register`, keyed by object
identity, for as long as the theory lives; :func:`source_of` and
:func:`locate` read it back, for messages that point into the file.

Positions are found only when something is wrong, so a load is not slowed
down by position bookkeeping: :class:`SourceText` re-reads the text on the
first lookup and keeps what it builds (the composed YAML document; for JSON,
where each top-level value and each element of a top-level array starts, and
where each line starts), so locating many findings costs one pass over the
text plus a short walk each.

>>> import cimo
>>> theory = cimo.loads('format_version: "1.0"\nid: t\ntitle: T\n', file="t.yaml")
>>> source_of(theory).file
't.yaml'
>>> locate(theory, ("title",))
('t.yaml', 3, 8)
>>> locate(cimo.Theory(id="t", title="T"), ("title",))
(None, None, None)
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import yaml

from cimo._util import SideTable

if TYPE_CHECKING:
    from cimo.core.model import Theory

try:  # libyaml's C parser is about 7 times faster than the pure-Python one
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

__all__ = [
    "SourceText",
    "TableSource",
    "locate",
    "register",
    "register_table",
    "source_of",
    "table_source",
]

Loc = Sequence[str | int]

_WS = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()


class SourceText:
    r"""The text a theory was read from, able to say where a value sits in it.

    >>> text = 'format_version: "1.0"\nrules:\n  - id: R1\n    because: [relat]\n'
    >>> src = SourceText(text, "yaml")
    >>> src.position(("rules", 0, "because", 0))
    (4, 15)
    >>> SourceText('{"rules": [{"id": "R1"}]}', "json").position(("rules", 0, "id"))
    (1, 19)
    """

    def __init__(self, text: str, fmt: str, *, file: str | None = None) -> None:
        self.text = text
        self.format = fmt
        self.file = file
        self._root: Any = None
        self._parsed = False
        self._top: dict[str, int] | None = None
        self._elements: dict[str, list[int]] = {}
        self._lines: list[int] | None = None

    def position(self, loc: Loc) -> tuple[int, int] | None:
        """1-based ``(line, column)`` of the deepest part of ``loc`` found, or None."""
        if self.format == "json":
            try:
                return self._line_column(self._json_offset(loc))
            except (ValueError, IndexError):
                return None
        if not self._parsed:
            self._parsed = True
            try:
                self._root = _compose(self.text)
            except yaml.YAMLError:
                self._root = None
        if self._root is None:
            return None
        node = self._root
        for part in loc:
            child = _yaml_child(node, part)
            if child is None:
                continue  # e.g. a union tag in a pydantic location: skip it
            node = child
        mark = node.start_mark
        return mark.line + 1, mark.column + 1

    # ------------------------------------------------------------------ JSON

    def _json_offset(self, loc: Loc) -> int:
        """Offset of the deepest part of ``loc`` found in the JSON text."""
        text = self.text
        if self._top is None:
            self._top = dict(_members(text, _skip_ws(text, 0)))
        if not loc or str(loc[0]) not in self._top:
            return _skip_ws(text, 0)
        key = str(loc[0])
        i = self._top[key]
        rest = loc[1:]
        if rest and isinstance(rest[0], int) and text[i] == "[":
            starts = self._elements.get(key)
            if starts is None:
                starts = self._elements[key] = _items(text, i)
            if 0 <= rest[0] < len(starts):
                i = starts[rest[0]]
                rest = rest[1:]
        for part in rest:
            i = _child(text, i, part)
        return i

    def _line_column(self, offset: int) -> tuple[int, int]:
        if self._lines is None:
            self._lines = [m.start() for m in re.finditer("\n", self.text)]
        line = bisect.bisect_left(self._lines, offset)
        start = self._lines[line - 1] + 1 if line else 0
        return line + 1, offset - start + 1


def _yaml_child(node: yaml.Node, part: str | int) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.value == str(part):
                found: yaml.Node = value
                return found
    elif (
        isinstance(node, yaml.SequenceNode)
        and isinstance(part, int)
        and 0 <= part < len(node.value)
    ):
        child: yaml.Node = node.value[part]
        return child
    return None


def _skip_ws(text: str, i: int) -> int:
    m = _WS.match(text, i)
    return m.end() if m else i


def _skip_value(text: str, i: int) -> int:
    """Index just past the JSON value starting at ``i`` (skipped by the C decoder)."""
    return int(_DECODER.raw_decode(text, i)[1])


def _members(text: str, i: int) -> list[tuple[str, int]]:
    """``(key, offset of its value)`` for each member of the object starting at ``i``."""
    if text[i] != "{":
        raise ValueError(f"not an object at {i}")
    out = []
    j = _skip_ws(text, i + 1)
    while text[j] != "}":
        key, j = json.decoder.scanstring(text, j + 1)  # type: ignore[attr-defined]
        value = _skip_ws(text, _skip_ws(text, j) + 1)  # past the colon
        out.append((str(key), value))
        j = _skip_ws(text, _skip_value(text, value))
        if text[j] == ",":
            j = _skip_ws(text, j + 1)
    return out


def _items(text: str, i: int) -> list[int]:
    """The offset of each element of the array starting at ``i``."""
    out = []
    j = _skip_ws(text, i + 1)
    while text[j] != "]":
        out.append(j)
        j = _skip_ws(text, _skip_value(text, j))
        if text[j] == ",":
            j = _skip_ws(text, j + 1)
    return out


def _child(text: str, i: int, part: str | int) -> int:
    """Offset of ``part`` inside the value at ``i``, or ``i`` when there is no such part."""
    if text[i] == "{":
        for key, value in _members(text, i):
            if key == str(part):
                return value
    elif text[i] == "[" and isinstance(part, int):
        items = _items(text, i)
        if 0 <= part < len(items):
            return items[part]
    return i


def _compose(text: str) -> yaml.Node | None:
    """The YAML node tree of ``text`` (positions included), for locating errors."""
    return yaml.compose(text, Loader=_Loader)


# --------------------------------------------------------------------------- the side table

_SOURCES: SideTable[SourceText] = SideTable()


def register(theory: Theory, source: SourceText) -> None:
    """Remember that ``theory`` was read from ``source`` (called by the loaders).

    The entry lives as long as the theory object; copies and edits have none.
    """
    _SOURCES.set(theory, source)


def source_of(theory: Theory) -> SourceText | None:
    """The text a theory was loaded from (file name, format, text), if it was loaded.

    Theories built in Python, or returned by an edit, have none.

    >>> import cimo
    >>> source_of(cimo.loads('{"format_version": "1.0", "id": "t", "title": "T"}',
    ...                      format="json")).format
    'json'
    """
    return _SOURCES.get(theory)


def locate(theory: Theory, loc: Sequence[str | int]) -> tuple[str | None, int | None, int | None]:
    r"""``(file, line, column)`` of a location inside the file a theory was loaded from.

    ``loc`` is a path such as ``("rules", 3, "because", 0)``. Any part that is
    not known is None.

    >>> import cimo
    >>> theory = cimo.loads('{"format_version": "1.0",\n "id": "t", "title": "T"}',
    ...                     format="json", file="t.json")
    >>> locate(theory, ("title",))
    ('t.json', 2, 22)
    """
    source = source_of(theory)
    if source is None:
        return None, None, None
    pos = source.position(loc)
    return (source.file, *pos) if pos else (source.file, None, None)


@dataclass(frozen=True, slots=True)
class TableSource:
    """Where a theory read from a spreadsheet came from: the file, the sheet, each row.

    ``rows`` gives the spreadsheet row (the header is row 1) of each rule, and
    of each node the row that first names it.
    """

    file: str | None
    sheet: str | None
    rows: Mapping[str, int]


_TABLES: SideTable[TableSource] = SideTable()


def register_table(theory: Theory, source: TableSource) -> None:
    """Remember the spreadsheet rows ``theory`` was read from (called by the table reader)."""
    _TABLES.set(theory, source)


def table_source(theory: Theory) -> TableSource | None:
    """The spreadsheet a theory was read from, with the row of each rule and node, if any.

    >>> import cimo
    >>> source = table_source(cimo.load_example("doctors-mental-health"))
    >>> source.file.endswith("doctors-mental-health.csv"), source.rows["row-1"]
    (True, 7)
    """
    return _TABLES.get(theory)
