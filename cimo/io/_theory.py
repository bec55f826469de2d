"""Load and dump theory files (YAML and JSON), with errors that point into the file.

The plain-data codec (:func:`~cimo.core.data.to_data`,
:func:`~cimo.core.data.from_data`) and the table of where each theory was
loaded from (:mod:`cimo.core.source`) live in :mod:`cimo.core`; this module
only reads and writes the text.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TypeAlias, cast

from cimo._files import read_file_bytes
from cimo._json import parse_json
from cimo._util import atomic_write, paused_gc
from cimo.core.data import from_data, invalid_theory_error, to_data
from cimo.core.formats import TheoryFormat, format_for_suffix, select, spell_suffixes
from cimo.core.source import SourceText, locate, source_of
from cimo.errors import FileFormatError
from cimo.io._yaml import parse_yaml, to_yaml
from cimo.model import Theory

# Old homes, kept as plain re-exports (no warning) while the rest of the package
# moves to the new ones: from_data, invalid_theory_error, locate, paused_gc,
# source_of and to_data (cimo.core.data, cimo.core.source, cimo._util).
__all__ = [
    "Format",
    "dump",
    "dumps",
    "file_version",
    "format_of",
    "from_data",
    "invalid_theory_error",
    "load",
    "loads",
    "locate",
    "paused_gc",
    "source_of",
    "to_data",
]

#: Theory file formats (the rows of kind ``theory`` in :mod:`cimo.core.formats`).
Format: TypeAlias = TheoryFormat

#: ".yaml, .yml or .json", as the messages spell the theory file suffixes.
_SUFFIXES = spell_suffixes(select(kind="theory"))


# --------------------------------------------------------------------------- public API


def format_of(path: str | os.PathLike[str]) -> Format:
    """The theory format a file name implies (``.yaml``/``.yml`` or ``.json``).

    Raises:
        FileFormatError: for any other extension.

    >>> format_of("theory.yml")
    'yaml'
    """
    found = format_for_suffix(path, kind="theory")
    if found is None:
        suffix = Path(path).suffix.lower()
        raise FileFormatError(
            f"cannot tell the format from the extension {suffix or '(none)'!r}; "
            f"name the file {_SUFFIXES}",
            file=str(path),
        )
    return cast("TheoryFormat", found.name)


def load(path: str | os.PathLike[str]) -> Theory:
    r"""Load a theory from a ``.yaml``/``.yml`` or ``.json`` file.

    Args:
        path: The file.

    Returns:
        The theory, checked for structural problems.

    Raises:
        FileFormatError: if the file is missing, unreadable, or not valid YAML/JSON.
        InvalidTheoryError: listing every structural problem with ``file:line:column``.

    >>> import cimo, tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "t.yaml"
    >>> _ = path.write_text('format_version: "1.0"\nid: t\ntitle: T\n')
    >>> cimo.load(path).title
    'T'
    """
    name = str(path)
    if Path(path).is_dir():
        raise FileFormatError(f"is a folder, not a theory file; name a {_SUFFIXES} file", file=name)
    fmt = format_of(path)
    raw = read_file_bytes(path, what="theory file")
    return loads(raw, format=fmt, file=name)


def file_version(path: str | os.PathLike[str]) -> str | None:
    r"""The ``format_version`` a theory file states (None when it states none).

    Reads the file as it is, without migrating it (:func:`load` migrates 1.0
    files in memory; ``cimo migrate`` rewrites them).

    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "t.yaml"
    >>> _ = path.write_text('format_version: "1.0"\nid: t\ntitle: T\n')
    >>> file_version(path)
    '1.0'

    Raises:
        FileFormatError: if the file is missing, unreadable, or not valid YAML/JSON.
    """
    name = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise FileFormatError("no such file (check the path)", file=name) from None
    except (OSError, UnicodeDecodeError) as err:
        raise FileFormatError(f"cannot read the file: {err}", file=name) from None
    if format_of(path) == "json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as err:
            raise FileFormatError(err.msg, file=name, line=err.lineno, column=err.colno) from None
    else:
        data = parse_yaml(text, file=name)
    version = data.get("format_version") if isinstance(data, dict) else None
    return None if version is None else str(version)


def loads(text: str | bytes, *, format: Format = "yaml", file: str | None = None) -> Theory:
    """Load a theory from YAML or JSON text.

    Args:
        text: The document.
        format: ``"yaml"`` (default) or ``"json"``.
        file: A file name to use in error messages.

    Returns:
        The theory.

    Raises:
        FileFormatError: if the text is not valid YAML/JSON, or not a theory document.
        InvalidTheoryError: listing every structural problem.

    >>> import cimo
    >>> t = cimo.loads('''
    ... format_version: "1.0"
    ... id: demo
    ... title: Demo
    ... nodes:
    ...   - {id: group, kind: context, label: Group psychotherapy}
    ...   - {id: relate, kind: mechanism, label: Relate}
    ...   - {id: retention, kind: outcome, label: Job retention}
    ... rules:
    ...   - {id: R1, if: [group], because: [relate], then: [retention]}
    ... ''')
    >>> t.rules[0].mechanisms
    ('relate',)
    """
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as err:
            raise FileFormatError(
                f"not UTF-8 text (byte {err.start}); save the file as UTF-8", file=file
            ) from None
    if format not in ("json", "yaml"):
        raise FileFormatError(f"unknown format {format!r}; use 'yaml' or 'json'", file=file)
    source = SourceText(text, format, file=file)
    # One pause of the collector for the parse and the validation, frozen when the theory
    # is made: a pause ending between them would start a collection over the parsed data.
    with paused_gc(freeze=True):
        # JSON: one strict parse (duplicate keys, long numbers), then validation: about as
        # fast as pydantic's own JSON parsing, which would keep the last of two equal keys.
        data = parse_json(text, file=file) if format == "json" else parse_yaml(text, file=file)
        return from_data(data, source=source)


def dumps(theory: Theory, *, format: Format = "yaml") -> str:
    """The theory as YAML or JSON text; ``loads(dumps(t), format=f) == t`` for every theory.

    >>> import cimo
    >>> t = cimo.Theory(id="t", title="T")
    >>> print(cimo.dumps(t), end="")
    format_version: '2.0'
    id: t
    title: T
    """
    if format == "json":
        return _json_text(theory)
    if format == "yaml":
        return to_yaml(to_data(theory))
    raise FileFormatError(f"unknown format {format!r}; use 'yaml' or 'json'")


_NODE_START = '\n    {\n      "id": '


def _json_text(theory: Theory) -> str:
    """``json.dumps(to_data(theory), ensure_ascii=False, indent=2)``, written by pydantic-core.

    pydantic's own serializer writes the same text (the model holds no floats,
    whose spelling could differ) except for what :func:`to_data` adds: the
    ``format_version`` first and each node's ``kind`` after its ``id``, both
    defaults. They are put in here; at two spaces a level, a node starts
    exactly where ``_NODE_START`` is found in the top-level ``nodes`` array.
    """
    text = theory.model_dump_json(by_alias=True, exclude_defaults=True, indent=2)
    version = json.dumps(theory.format_version)
    head = f'{{\n  "format_version": {version}' + ("," if len(text) > 2 else "")
    text = head + text[1:]
    start = text.find('\n  "nodes": [')
    if start < 0:
        return text + "\n"
    end = text.index("\n  ]", start)
    parts = text[start:end].split(_NODE_START)
    if len(parts) != len(theory.nodes) + 1:  # pragma: no cover - a change in pydantic's layout
        return json.dumps(to_data(theory), ensure_ascii=False, indent=2) + "\n"
    out = [parts[0]]
    for node, part in zip(theory.nodes, parts[1:], strict=True):
        eol = part.index("\n")
        comma = "," if part[eol - 1] == "," else ""
        out.append(f'{part[: eol - len(comma)]},\n      "kind": "{node.kind}"{comma}{part[eol:]}')
    return text[:start] + _NODE_START.join(out) + text[end:] + "\n"


def dump(theory: Theory, path: str | os.PathLike[str], *, format: Format | None = None) -> Path:
    """Write a theory to a file atomically (never half-written).

    Args:
        theory: The theory.
        path: Where to write; the format follows the extension unless ``format`` is given.
        format: ``"yaml"`` or ``"json"``.

    Returns:
        The path written.

    Raises:
        FileFormatError: if the format cannot be told from the extension.
        OutputError: if the file cannot be written.
    """
    fmt = format or format_of(path)
    return atomic_write(path, dumps(theory, format=fmt))
