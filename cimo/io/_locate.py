"""Find the line and column of a value inside YAML or JSON text (private).

Used only when something is wrong, so it re-reads the text rather than slowing
every load down with position bookkeeping.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

import yaml

from cimo.io._yaml import compose

__all__ = ["SourceText"]

Loc = Sequence[str | int]


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

    def position(self, loc: Loc) -> tuple[int, int] | None:
        """1-based ``(line, column)`` of the deepest part of ``loc`` found, or None."""
        if self.format == "json":
            try:
                return _json_position(self.text, loc)
            except (ValueError, IndexError):
                return None
        if not self._parsed:
            self._parsed = True
            try:
                self._root = compose(self.text)
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


# --------------------------------------------------------------------------- JSON

_WS = re.compile(r"[ \t\n\r]*")
_SCALAR = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?|true|false|null")


def _skip_ws(text: str, i: int) -> int:
    m = _WS.match(text, i)
    return m.end() if m else i


def _skip_value(text: str, i: int) -> int:
    """Index just past the JSON value starting at ``i``."""
    i = _skip_ws(text, i)
    ch = text[i]
    if ch == '"':
        return _string_end(text, i)
    if ch in "[{":
        closer = "]" if ch == "[" else "}"
        i = _skip_ws(text, i + 1)
        if text[i] == closer:
            return i + 1
        while True:
            if ch == "{":
                i = _skip_ws(text, _string_end(text, _skip_ws(text, i)))
                i += 1  # the colon
            i = _skip_ws(text, _skip_value(text, i))
            if text[i] == closer:
                return i + 1
            i += 1  # the comma
    m = _SCALAR.match(text, i)
    if not m:
        raise ValueError(f"unexpected character at {i}")
    return m.end()


def _string_end(text: str, i: int) -> int:
    _, end = json.decoder.scanstring(text, i + 1)  # type: ignore[attr-defined]
    return int(end)


def _json_position(text: str, loc: Loc) -> tuple[int, int]:
    i = _skip_ws(text, 0)
    for part in loc:
        ch = text[i]
        found = None
        if ch == "{":
            j = _skip_ws(text, i + 1)
            while text[j] != "}":
                key, after = json.decoder.scanstring(text, j + 1)  # type: ignore[attr-defined]
                value_at = _skip_ws(text, _skip_ws(text, after) + 1)
                if key == str(part):
                    found = value_at
                    break
                j = _skip_ws(text, _skip_value(text, value_at))
                if text[j] == ",":
                    j = _skip_ws(text, j + 1)
        elif ch == "[" and isinstance(part, int):
            j = _skip_ws(text, i + 1)
            n = 0
            while text[j] != "]":
                if n == part:
                    found = j
                    break
                j = _skip_ws(text, _skip_value(text, j))
                if text[j] == ",":
                    j = _skip_ws(text, j + 1)
                n += 1
        if found is not None:
            i = found
    line = text.count("\n", 0, i) + 1
    column = i - (text.rfind("\n", 0, i) + 1) + 1
    return line, column
