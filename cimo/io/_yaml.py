"""Plain-data YAML: libyaml's C parser where present, no tags, no aliases (private)."""

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
