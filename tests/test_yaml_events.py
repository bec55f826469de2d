"""The YAML event path builds exactly what the composing loader builds, or hands over.

``parse_yaml`` builds a valid file straight from libyaml's events and lets the
composing loader (``_PlainLoader``) judge anything else. These tests hold the
event path to that: on every theory file in the repository, the bad-input
corpus, and generated documents, it either stops (and the composing loader
decides) or returns the very value the composing loader returns, types and
key order included.
"""

from __future__ import annotations

import contextlib

import pytest
import yaml
from _corpus import YAML_FILES, YAML_PIECES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cimo.errors import FileFormatError
from cimo.io import _yaml
from cimo.io._yaml import _from_events, _PlainLoader, _Unusual, parse_yaml

pytestmark = pytest.mark.skipif(not _yaml.HAVE_LIBYAML, reason="the event path needs libyaml")

FILES = YAML_FILES

#: Scalars whose type YAML 1.1 and 1.2, and PyYAML's resolvers, disagree about.
TRICKY = [
    "yes",
    "No",
    "on",
    "OFF",
    "true",
    "False",
    "TRUE",
    "null",
    "Null",
    "~",
    "",
    "0",
    "-0",
    "007",
    "0o17",
    "0x1F",
    "0b101",
    "1_000",
    "+12",
    "1:20",
    "190:20:30",
    "1.5",
    "1e3",
    "1.0e+3",
    ".inf",
    "-.Inf",
    ".NaN",
    "1_0.5",
    "2021-05",
    "2021-05-04",
    "2001-12-14t21:59:43.10-05:00",
    "<<",
    "=",
    "x" * 120,
    "9" * 101,
    "1" * 100,
    "a: b",
    "- x",
    "#c",
    "'q'",
    '"d"',
    "é ü",
    "\t",
    "line\nbreak",
    " lead",
    "trail ",
    "@at",
    "`tick",
    "%pct",
    "!bang",
    "&amp",
    "*star",
    "|",
    ">",
]


def composed(text: str) -> object:
    return yaml.load(text, Loader=_PlainLoader)


def same(text: str) -> None:
    """The event path returns what the composing loader returns, or stops."""
    try:
        fast = _from_events(text)
    except (_Unusual, yaml.YAMLError):
        return
    expected = composed(text)
    assert repr(fast) == repr(expected)  # repr: types, key order, and nan too
    assert parse_yaml(text) == expected or repr(parse_yaml(text)) == repr(expected)


def test_the_corpus_files_are_read_as_the_composing_loader_reads_them() -> None:
    assert len(FILES) > 50
    stopped = 0
    for path in FILES:
        text = path.read_text(encoding="utf-8", errors="replace")
        same(text)
        with contextlib.suppress(_Unusual, yaml.YAMLError):
            _from_events(text)
            continue
        stopped += 1
    assert 0 < stopped < len(FILES)  # the corpus has both kinds


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: 1\nb: [x, 'y', 0x1f, 1_000]\n", {"a": 1, "b": ["x", "y", 31, 1000]}),
        (
            "a: yes\nb: 2021-05-04\nc: True\nd: ~\ne:\n",
            {"a": "yes", "b": "2021-05-04", "c": True, "d": None, "e": None},
        ),
        ("", None),
        ("---\n", None),
        ("- - - deep\n", [[["deep"]]]),
        ("\ufeffa: 1\n", {"a": 1}),
        ("1: a\n0x1: b\n", {1: "b"}),  # equal numbers written differently: the last wins
    ],
)
def test_plain_documents_are_built_from_events(text: str, expected: object) -> None:
    assert _from_events(text) == expected
    assert composed(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "a: &x 1\nb: *x\n",  # alias
        "a: &x 1\n",  # anchor alone: the composing loader accepts it
        "a: !!str 1\n",  # tag
        "<<: {a: 1}\n",  # merge key
        "a: =\n",  # the value tag
        "=: a\n",  # the value key, which the composing loader turns into text
        "a: 1\na: 2\n",  # duplicate key
        "? [a]\n: b\n",  # a collection as a key
        "a: " + "9" * 101 + "\n",  # over-long number
        "a: 1\n---\nb: 2\n",  # second document
        "%YAML 1.1\n---\na: 1\n",  # directive
        "a: [1\n",  # syntax error
    ],
)
def test_anything_unusual_goes_to_the_composing_loader(text: str) -> None:
    with pytest.raises((_Unusual, yaml.YAMLError)):
        _from_events(text)
    try:
        expected = composed(text)
    except (FileFormatError, yaml.YAMLError):
        with pytest.raises(FileFormatError):
            parse_yaml(text)
    else:
        assert repr(parse_yaml(text)) == repr(expected)


scalars = st.one_of(
    st.sampled_from(TRICKY),
    st.text(max_size=8),
    st.integers(),
    st.floats(),
    st.booleans(),
    st.none(),
)
plain = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.one_of(st.sampled_from(TRICKY), st.text(max_size=4)), inner, max_size=4
        )
    ),
    max_leaves=20,
)


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=plain, flow=st.sampled_from([None, True, False]), canonical=st.booleans())
def test_generated_documents_agree(data: object, flow: bool | None, canonical: bool) -> None:
    same(yaml.safe_dump(data, default_flow_style=flow, canonical=canonical, allow_unicode=True))


fragments = st.sampled_from([*TRICKY, *YAML_PIECES, "'", '"', ">-\n  ", "...\n", "\t", "\\"])


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(parts=st.lists(fragments, max_size=30))
def test_stitched_texts_agree(parts: list[str]) -> None:
    same("".join(parts))
