"""Plain-data YAML: libyaml's C parser where present, no tags, no aliases (private).

A valid theory file is built straight from libyaml's event stream: plain
dicts, lists and scalars, with no node tree in between (a composed tree
holds several objects per value, with two positions each, and takes about
four times the memory of the data it describes). Nothing is located on that
path: anything it does not simply accept (a tag, an anchor or alias, a merge
key, a key given twice, an over-long number, a second document, a syntax
error) makes it stop, and the text is read again by the composing loader,
which judges it exactly as before and says where the problem is. Valid files
therefore need no positions, and invalid ones pay for a second parse only.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from cimo._files import MAX_NUMBER_CHARS
from cimo.errors import FileFormatError

__all__ = ["parse_yaml", "to_yaml"]

try:  # libyaml's C parser is about 7 times faster than the pure-Python one
    from yaml import CSafeDumper as _BaseDumper
    from yaml import CSafeLoader as _BaseLoader
    from yaml._yaml import CParser

    HAVE_LIBYAML = True
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import SafeDumper as _BaseDumper  # type: ignore[assignment]
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

    HAVE_LIBYAML = False


class _PlainLoader(_BaseLoader):
    """Safe loader for plain data.

    * only the standard scalar, sequence and mapping tags (no ``!!python/...``);
    * no aliases: ``*anchor`` is refused, which also rules out alias bombs;
    * YAML 1.2-style scalars: ``yes``/``no``/``on``/``off`` stay strings and
      dates stay strings, so labels such as ``No`` or ``2021-05`` survive.
    """

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        if node in self.constructed_objects:
            raise _refuse(
                node,
                "YAML aliases (*name) are not allowed in theory files: the value anchored here is "
                "reused elsewhere; write it out in full at each place",
            )
        if node.tag not in _PLAIN_TAGS and node.tag.startswith(_STANDARD):
            raise _refuse(
                node,
                f"the YAML tag !!{node.tag.removeprefix(_STANDARD)} is not allowed: theory files "
                "hold plain data only (text, numbers, true/false, null, lists and mappings)",
            )
        return super().construct_object(node, deep=deep)

    def flatten_mapping(self, node: yaml.MappingNode) -> None:
        """Refuse merge keys (``<<``) and keys given twice, naming both places."""
        _check_keys(node)
        super().flatten_mapping(node)

    def construct_yaml_int(self, node: yaml.ScalarNode) -> int:
        _check_number(node)
        return super().construct_yaml_int(node)

    def construct_yaml_float(self, node: yaml.ScalarNode) -> float:
        _check_number(node)
        return super().construct_yaml_float(node)


_STANDARD = "tag:yaml.org,2002:"
_PLAIN_TAGS = frozenset(
    _STANDARD + t for t in ("str", "int", "float", "bool", "null", "seq", "map")
)


def _refuse(node: yaml.Node, message: str) -> FileFormatError:
    mark = node.start_mark
    return FileFormatError(message, line=mark.line + 1, column=mark.column + 1)


def _check_keys(node: yaml.MappingNode) -> None:
    seen: dict[tuple[str, str], yaml.Node] = {}
    for key, _ in node.value:
        if key.tag == _STANDARD + "merge":
            raise _refuse(
                key,
                "YAML merge keys (<<) are not allowed in theory files: write each key out in "
                "full (theory files hold plain data only)",
            )
        if not isinstance(key, yaml.ScalarNode):
            continue
        first = seen.setdefault((key.tag, key.value), key)
        if first is not key:
            line = first.start_mark.line + 1
            raise _refuse(
                key,
                f"duplicate key {key.value!r}: it is also given on line {line}, column "
                f"{first.start_mark.column + 1}; keep one (YAML keeps only the last, dropping "
                "the other silently)",
            )


def _check_number(node: yaml.ScalarNode) -> None:
    if len(node.value) > MAX_NUMBER_CHARS:
        raise _refuse(
            node,
            f"a number of {len(node.value):,} characters; cimo reads numbers of at most "
            f"{MAX_NUMBER_CHARS} characters (if it is text, put it in quotes)",
        )


_PlainLoader.add_constructor(_STANDARD + "int", _PlainLoader.construct_yaml_int)
_PlainLoader.add_constructor(_STANDARD + "float", _PlainLoader.construct_yaml_float)


# YAML 1.2 core schema booleans only (true/false), and no timestamps.
_PlainLoader.yaml_implicit_resolvers = {
    first: [
        (tag, regexp)
        for tag, regexp in resolvers
        if tag not in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp")
    ]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_PlainLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)


class _PlainDumper(_BaseDumper):
    """Dumper that never writes anchors and keeps long strings readable."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _str_representer(dumper: _PlainDumper, data: str) -> yaml.Node:
    style = "|" if "\n" in data and not data.endswith((" ", "\t")) and "\r" not in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_PlainDumper.add_representer(str, _str_representer)


def parse_yaml(text: str, *, file: str | None = None) -> Any:
    """Parse YAML text into plain Python data (dicts, lists, str, int, float, bool, None).

    Raises:
        FileFormatError: on a syntax error, an alias, or a non-standard tag, with line and column.
    """
    if HAVE_LIBYAML:
        try:
            return _from_events(text)
        except (_Unusual, yaml.YAMLError):
            pass  # the composing loader below judges it, and locates the problem
    try:
        return yaml.load(text, Loader=_PlainLoader)  # noqa: S506 - _PlainLoader is a SafeLoader
    except FileFormatError as err:
        raise FileFormatError(err.message, file=file, line=err.line, column=err.column) from None
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        problem = err.problem or "could not parse"
        problem = _hint(problem)
        raise FileFormatError(
            f"not valid YAML: {problem}",
            file=file,
            line=mark.line + 1 if mark else None,
            column=mark.column + 1 if mark else None,
        ) from None
    except yaml.YAMLError as err:
        raise FileFormatError(f"not valid YAML: {_hint(str(err))}", file=file) from None


class _Unusual(Exception):  # noqa: N818 - a signal, not an error anyone sees
    """The event path met something only the composing loader judges."""


_STR = _STANDARD + "str"
_NULL = _STANDARD + "null"
_BOOL = _STANDARD + "bool"
_INT = _STANDARD + "int"
_FLOAT = _STANDARD + "float"
_NUMBER = {
    _INT: yaml.constructor.SafeConstructor().construct_yaml_int,
    _FLOAT: yaml.constructor.SafeConstructor().construct_yaml_float,
}
_BOOLS = yaml.constructor.SafeConstructor.bool_values
_WILDCARD: list[tuple[str, re.Pattern[str]]] = _PlainLoader.yaml_implicit_resolvers.get(None, [])
#: The implicit resolvers tried for a plain scalar, by its first character (as PyYAML's
#: Resolver.resolve tries them: those of the first character, then the wildcard ones).
_IMPLICIT = {
    first: resolvers + _WILDCARD
    for first, resolvers in _PlainLoader.yaml_implicit_resolvers.items()
    if first is not None
}


def _plain(raw: str) -> tuple[str, Any]:
    """The resolved tag and the value of a plain (unquoted, untagged) scalar.

    The same resolvers and constructors as :class:`_PlainLoader`, so the value is the
    one the composing loader would build.
    """
    for tag, regexp in _IMPLICIT.get(raw[:1], _WILDCARD):  # noqa: B007 - used after the loop
        if regexp.match(raw):
            break
    else:
        return _STR, raw
    if tag == _NULL:
        return tag, None
    if tag == _BOOL:
        return tag, _BOOLS[raw.lower()]
    if tag in _NUMBER and len(raw) <= MAX_NUMBER_CHARS:
        return tag, _NUMBER[tag](yaml.ScalarNode(tag, raw))
    raise _Unusual  # a merge key (<<), the value key (=), or an over-long number


_KEY = object()  # a mapping's frame waits for a key
_ITEM = object()  # a sequence's frame


def _from_events(text: str) -> Any:
    """Plain data built from libyaml's events; :class:`_Unusual` for anything not plain."""
    parser = CParser(text)
    try:
        get: Any = parser.get_event
        get()  # the stream starts
        event = get()
        if type(event) is yaml.StreamEndEvent:
            return None  # no document: yaml.load gives None too
        if event.version is not None or event.tags is not None:
            raise _Unusual  # a %YAML or %TAG directive
        root = _document(get)
        get()  # the document ends
        if type(get()) is not yaml.StreamEndEvent:
            raise _Unusual  # a second document
        return root
    finally:
        parser.dispose()


def _document(get: Any) -> Any:
    """The value of one document, from the events after its start (iteratively: no depth limit).

    Each open collection has a frame ``[container, key, keys seen]``; a sequence's frame
    holds ``_ITEM``, a mapping's ``_KEY`` while it waits for a key, else the key (None
    too) whose value comes next.
    """
    frames: list[list[Any]] = []
    while True:
        event = get()
        kind = type(event)
        if kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
            done = frames.pop()[0]
            if not frames:
                return done
            continue
        tag, raw, value, frame = _value(event, kind)
        if frames:
            top = frames[-1]
            if top[1] is _ITEM:
                top[0].append(value)
            elif top[1] is not _KEY:
                top[0][top[1]] = value
                top[1] = _KEY
            elif frame is not None or (tag, raw) in top[2]:
                raise _Unusual  # a collection as a key, or a key given twice
            else:
                top[2].add((tag, raw))
                top[1] = value
        elif frame is None:
            return value  # the document is one scalar
        if frame is not None:
            frames.append(frame)


def _value(event: Any, kind: type) -> tuple[str, str, Any, list[Any] | None]:
    """``(tag, text, value, frame)`` of a scalar or of a collection that starts (its frame)."""
    if event.anchor is not None or kind is yaml.AliasEvent or event.tag is not None:
        raise _Unusual  # an anchor, an alias or a tag
    if kind is yaml.ScalarEvent:
        raw = event.value
        tag, value = _plain(raw) if event.implicit[0] else (_STR, raw)
        return tag, raw, value, None
    if kind is yaml.MappingStartEvent:
        mapping: dict[Any, Any] = {}
        return _STR, "", mapping, [mapping, _KEY, set()]
    if kind is yaml.SequenceStartEvent:
        sequence: list[Any] = []
        return _STR, "", sequence, [sequence, _ITEM, None]
    raise _Unusual  # pragma: no cover - only values come between a document's start and end


def _hint(problem: str) -> str:
    """Say how to fix the YAML problems people meet."""
    if "could not determine a constructor" in problem:
        return f"{problem}; theory files hold plain data only (no YAML tags such as !!python)"
    if "another document" in problem:
        return (
            f"{problem}; a theory file holds one YAML document: remove the '---' line and "
            "what follows, or split the file in two"
        )
    if "#x0000" in problem:
        return f"{problem} (a NUL character: is the file UTF-16? save it as UTF-8)"
    if "maximum nesting depth" in problem:
        return f"{problem} (values nest more than 1,000 levels deep)"
    return problem


def to_yaml(data: Any) -> str:
    """Dump plain data as block-style YAML, keys in the order given, Unicode kept."""
    return yaml.dump(
        data,
        Dumper=_PlainDumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=100,
    )
