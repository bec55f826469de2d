r"""Where a theory was loaded from: the source text, and positions inside it.

A theory never stores where it came from (the records stay pure). The
loaders register the text they read with :func:`register`, keyed by object
identity, for as long as the theory lives; :func:`source_of` and
:func:`locate` read it back, for messages that point into the file.

Positions are found only when something is wrong, so a load is not slowed
down by position bookkeeping: :class:`SourceText` re-reads the text on the
first lookup and keeps what it builds, so locating many findings costs one
pass over the text plus a short walk each. For YAML that pass goes over
libyaml's events and keeps one packed line and column per value, in dicts
and lists shaped like the document (no node tree). For JSON it keeps, for
each object or array a lookup has entered, where each of its members starts
(each found by the C decoder skipping the values between), and where each
line starts.

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
        self._objects: dict[int, dict[str, int]] = {}
        self._arrays: dict[int, list[int]] = {}
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
                self._root = _yaml_positions(self.text)
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
        packed = node if isinstance(node, int) else node[0]
        return (packed >> _SHIFT) + 1, (packed & _COLUMN) + 1

    # ------------------------------------------------------------------ JSON

    def _json_offset(self, loc: Loc) -> int:
        """Offset of the deepest part of ``loc`` found in the JSON text."""
        i = _skip_ws(self.text, 0)
        if self.text[i] != "{":
            raise ValueError("the document is not an object")
        for part in loc:
            i = self._child(i, part)
        return i

    def _child(self, i: int, part: str | int) -> int:
        """Offset of ``part`` inside the value at ``i``, or ``i`` when there is no such part.

        The members of each object and array entered are found once and kept, so all
        the lookups of a run share them.
        """
        text = self.text
        if text[i] == "{":
            members = self._objects.get(i)
            if members is None:
                members = self._objects[i] = _members(text, i)
            return members.get(str(part), i)
        if text[i] == "[" and isinstance(part, int):
            items = self._arrays.get(i)
            if items is None:
                items = self._arrays[i] = _items(text, i)
            if 0 <= part < len(items):
                return items[part]
        return i

    def _line_column(self, offset: int) -> tuple[int, int]:
        if self._lines is None:
            self._lines = [m.start() for m in re.finditer("\n", self.text)]
        line = bisect.bisect_left(self._lines, offset)
        start = self._lines[line - 1] + 1 if line else 0
        return line + 1, offset - start + 1


#: A YAML value's position packed in one int: its line above _SHIFT, its column below.
_SHIFT = 32
_COLUMN = (1 << _SHIFT) - 1

#: What :func:`_yaml_positions` keeps of a value: the packed position of a scalar, or
#: ``(packed position, children)`` of a collection, its children a dict by
#: key text (the first of a key given twice; keys that are collections are left out)
#: or a list by index.
_Positions = Any


def _yaml_child(node: _Positions, part: str | int) -> _Positions | None:
    if isinstance(node, int):
        return None
    children = node[1]
    if isinstance(children, dict):
        return children.get(str(part))
    if isinstance(part, int) and 0 <= part < len(children):
        return children[part]
    return None


def _yaml_positions(text: str) -> _Positions | None:
    """Where each value of the first YAML document of ``text`` starts, in one pass over events.

    Raises:
        yaml.YAMLError: if the text is not valid YAML up to the end of that document.
    """
    loader = _Loader(text)
    try:
        return _position_tree(loader.get_event)
    finally:
        loader.dispose()


def _position_tree(get: Any) -> _Positions | None:
    # Each open collection has a frame [children, key, its entry]: key is _ITEM in a
    # sequence; in a mapping _KEY while a key is awaited, else the key text whose value
    # comes next (None for a key that is not a scalar: its value is not kept).
    frames: list[list[Any]] = []
    anchors: dict[str, Any] = {}  # an alias is where its anchored value is, as when composed
    while True:
        event = get()
        kind = type(event)
        if kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
            done = frames.pop()
            if not frames:
                return done[2]
            continue
        if kind is yaml.StreamEndEvent:
            return None
        if kind is yaml.StreamStartEvent or kind is yaml.DocumentStartEvent:
            continue
        entry, frame = _entry(event, kind, anchors)
        if frames:
            top = frames[-1]
            if top[1] is _ITEM:
                top[0].append(entry)
            elif top[1] is _KEY:
                top[1] = event.value if kind is yaml.ScalarEvent else None
            else:
                if top[1] is not None:
                    top[0].setdefault(top[1], entry)
                top[1] = _KEY
        elif frame is None:
            return entry  # the document is one scalar
        if frame is not None:
            frames.append(frame)


def _entry(event: Any, kind: type, anchors: dict[str, Any]) -> tuple[Any, list[Any] | None]:
    """What is kept of a value, and the frame of a collection that starts."""
    if kind is yaml.AliasEvent and event.anchor in anchors:
        return anchors[event.anchor], None
    mark = event.start_mark
    packed = mark.line << _SHIFT | mark.column
    frame: list[Any] | None = None
    if kind is yaml.MappingStartEvent:
        frame = [{}, _KEY, None]
    elif kind is yaml.SequenceStartEvent:
        frame = [[], _ITEM, None]
    entry = packed if frame is None else (packed, frame[0])
    if frame is not None:
        frame[2] = entry
    if event.anchor is not None:
        anchors[event.anchor] = entry
    return entry, frame


_KEY = object()
_ITEM = object()


def _skip_ws(text: str, i: int) -> int:
    m = _WS.match(text, i)
    return m.end() if m else i


def _skip_value(text: str, i: int) -> int:
    """Index just past the JSON value starting at ``i`` (skipped by the C decoder)."""
    return int(_DECODER.raw_decode(text, i)[1])


def _members(text: str, i: int) -> dict[str, int]:
    """The offset of each member's value in the object starting at ``i``, by key.

    The first of a key given twice is kept.
    """
    if text[i] != "{":
        raise ValueError(f"not an object at {i}")
    out: dict[str, int] = {}
    j = _skip_ws(text, i + 1)
    while text[j] != "}":
        key, j = json.decoder.scanstring(text, j + 1)  # type: ignore[attr-defined]
        value = _skip_ws(text, _skip_ws(text, j) + 1)  # past the colon
        out.setdefault(str(key), value)
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
