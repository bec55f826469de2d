"""Locating values in the text a theory was read from: one pass, the same places as before.

:class:`~cimo.core.source.SourceText` finds a YAML value from one pass over
libyaml's events, kept as packed positions; these tests hold it to the
start of the node PyYAML's composer builds, for every path of every YAML
file in the repository and of stitched texts. For JSON it keeps the members
of each object it enters; every path of a theory's JSON must lead to the
text of the value there.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
import yaml
from _corpus import YAML_FILES, YAML_PIECES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cimo
from cimo.core.data import to_data
from cimo.core.source import SourceText

FILES = YAML_FILES
fragments = st.sampled_from(["a", "~", "1", "'q'", "<<", *YAML_PIECES])


def paths(
    node: yaml.Node, path: tuple[str | int, ...] = ()
) -> list[tuple[tuple[Any, ...], yaml.Node]]:
    """Every path into a composed document, with the node it reaches (first of equal keys)."""
    out = [(path, node)]
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.value not in seen:
                seen.add(key.value)
                out.extend(paths(value, (*path, key.value)))
    elif isinstance(node, yaml.SequenceNode):
        for i, value in enumerate(node.value):
            out.extend(paths(value, (*path, i)))
    return out


def same_positions(text: str) -> int:
    """SourceText finds each value where the composed node starts; how many it checked."""
    try:
        root = yaml.compose(text, Loader=yaml.CSafeLoader)
    except yaml.YAMLError:
        return 0
    if root is None:
        return 0
    source = SourceText(text, "yaml")
    found = paths(root)
    for loc, node in found:
        assert source.position(loc) == (node.start_mark.line + 1, node.start_mark.column + 1)
    return len(found)


def test_yaml_positions_are_where_the_composed_nodes_start() -> None:
    checked = sum(
        same_positions(path.read_text(encoding="utf-8", errors="replace")) for path in FILES
    )
    assert checked > 4_000


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(parts=st.lists(fragments, max_size=30))
def test_yaml_positions_of_stitched_texts(parts: list[str]) -> None:
    same_positions("".join(parts))


def json_paths(value: Any, path: tuple[str | int, ...] = ()) -> list[tuple[tuple[Any, ...], Any]]:
    out = [(path, value)]
    if isinstance(value, dict):
        for key, child in value.items():
            out.extend(json_paths(child, (*path, key)))
    elif isinstance(value, list):
        for i, child in enumerate(value):
            out.extend(json_paths(child, (*path, i)))
    return out


@pytest.mark.parametrize("indent", [None, 2])
def test_json_positions_are_where_each_value_starts(indent: int | None) -> None:
    data = to_data(cimo.load_example("pwp-resilience"))
    text = json.dumps(data, indent=indent, ensure_ascii=False)
    source = SourceText(text, "json")
    lines = text.split("\n")
    for loc, value in json_paths(data):
        line, column = source.position(loc) or (0, 0)
        offset = sum(len(lines[i]) + 1 for i in range(line - 1)) + column - 1
        assert json.JSONDecoder().raw_decode(text, offset)[0] == value
    assert source.position(("rules", 10**6, "id")) == source.position(("rules",))
    assert SourceText("[1, 2]", "json").position(()) is None
