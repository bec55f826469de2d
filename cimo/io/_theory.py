"""Load and dump theory files (YAML and JSON), with errors that point into the file.

The plain-data codec (:func:`~cimo.core.data.to_data`,
:func:`~cimo.core.data.from_data`) and the table of where each theory was
loaded from (:mod:`cimo.core.source`) live in :mod:`cimo.core`; this module
only reads and writes the text.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import TypeAlias, cast

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from cimo._util import atomic_write, paused_gc
from cimo.core.data import check_document, from_data, invalid_theory_error, to_data
from cimo.core.formats import TheoryFormat, format_for_suffix, select, spell_suffixes
from cimo.core.source import SourceText, locate, register, source_of
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
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise FileFormatError("no such file (check the path)", file=name) from None
    except OSError as err:
        raise FileFormatError(f"cannot read the file: {err.strerror or err}", file=name) from None
    return loads(raw, format=fmt, file=name)


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
    source = SourceText(text, format, file=file)
    if format == "json":
        theory = _loads_json(text, source)
    elif format == "yaml":
        with paused_gc():
            data = parse_yaml(text, file=file)
        theory = from_data(data, source=source)
    else:
        raise FileFormatError(f"unknown format {format!r}; use 'yaml' or 'json'", file=file)
    return theory


def _loads_json(text: str, source: SourceText) -> Theory:
    try:
        with paused_gc():
            theory = Theory.model_validate_json(text)
    except ValidationError as err:
        first = err.errors()[0]
        if first["type"] == "json_invalid":
            raise _json_syntax_error(first, source.file) from None
        data = json.loads(text)
        check_document(data, source.file)
        raise invalid_theory_error(err, data, source) from None
    if "format_version" not in theory.model_fields_set:
        check_document(json.loads(text), source.file)
    register(theory, source)
    return theory


def dumps(theory: Theory, *, format: Format = "yaml") -> str:
    """The theory as YAML or JSON text; ``loads(dumps(t), format=f) == t`` for every theory.

    >>> import cimo
    >>> t = cimo.Theory(id="t", title="T")
    >>> print(cimo.dumps(t), end="")
    format_version: '1.0'
    id: t
    title: T
    """
    data = to_data(theory)
    if format == "json":
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    if format == "yaml":
        return to_yaml(data)
    raise FileFormatError(f"unknown format {format!r}; use 'yaml' or 'json'")


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


# --------------------------------------------------------------------------- errors


_JSON_POS = re.compile(r"line (\d+) column (\d+)")


def _json_syntax_error(error: ErrorDetails, file: str | None) -> FileFormatError:
    detail = str(error.get("ctx", {}).get("error", error["msg"]))
    m = _JSON_POS.search(detail)
    line, column = (int(m.group(1)), int(m.group(2))) if m else (None, None)
    detail = _JSON_POS.sub("", detail).strip().rstrip(" at").strip()
    return FileFormatError(f"not valid JSON: {detail}", file=file, line=line, column=column)
