"""Theories as plain data, and pydantic's errors as readable, located problems.

:func:`to_data` gives a theory as the plain, canonical data a theory file
holds (defaults left out, keys in a fixed order); :func:`from_data` builds a
theory back from such data. When the data does not make a theory,
:func:`invalid_theory_error` turns pydantic's ``ValidationError`` into an
:class:`~cimo.errors.InvalidTheoryError` that lists every problem in the
words of the file (``rule R1: because: ...``), each with its path and, when
the data was read from a file, its line and column.

>>> import cimo
>>> theory = cimo.Theory(id="t", title="T")
>>> to_data(theory)
{'format_version': '1.0', 'id': 't', 'title': 'T'}
>>> from_data(to_data(theory)) == theory
True
>>> from_data({"format_version": "1.0", "id": "t", "title": "T", "nodez": []})
Traceback (most recent call last):
...
cimo.errors.InvalidTheoryError: the theory has 1 problem:
  /nodez: unknown key 'nodez' (did you mean 'nodes'?)
"""

from __future__ import annotations

import re
import types
import typing
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError
from pydantic_core import ErrorDetails, InitErrorDetails

from cimo._util import did_you_mean, paused_gc, slug
from cimo.core.model import FORMAT_VERSION, Link, Node, Rule, Source, Theory
from cimo.core.source import SourceText, register
from cimo.core.structure import structural_errors as _structural_errors
from cimo.core.vocabulary import KINDS
from cimo.errors import FileFormatError, InvalidTheoryError, Problem

__all__ = [
    "check_document",
    "from_data",
    "invalid_theory_error",
    "paused_gc",
    "to_data",
]


def to_data(theory: Theory) -> dict[str, Any]:
    """The theory as plain, canonical data: defaults left out, keys in a fixed order.

    ``format_version`` comes first, and every node starts with ``id`` and ``kind``.

    >>> import cimo
    >>> t = cimo.Theory(id="t", title="T", nodes=[cimo.Outcome(id="o", label="O")])
    >>> to_data(t)["nodes"]
    [{'id': 'o', 'kind': 'outcome', 'label': 'O'}]
    """
    data = theory.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    out: dict[str, Any] = {"format_version": theory.format_version}
    out.update((k, v) for k, v in data.items() if k != "format_version")
    if "nodes" in out:
        out["nodes"] = [
            {
                "id": d["id"],
                "kind": node.kind,
                **{k: v for k, v in d.items() if k not in ("id", "kind")},
            }
            for node, d in zip(theory.nodes, out["nodes"], strict=True)
        ]
    return out


def from_data(data: Any, *, source: SourceText | None = None) -> Theory:
    """Build a theory from plain data (as parsed from YAML or JSON).

    Args:
        data: The document: a mapping with ``format_version``, ``id``, ``title``, ...
        source: The text ``data`` was parsed from, if any: problems then carry
            file, line and column, and :func:`cimo.core.source.source_of` finds it.

    Returns:
        The theory.

    Raises:
        FileFormatError: if ``data`` is not a mapping, or lacks ``format_version``.
        InvalidTheoryError: listing every structural problem.

    >>> from_data({"format_version": "1.0", "id": "t", "title": "T"}).id
    't'
    """
    check_document(data, source.file if source else None)
    try:
        with paused_gc(freeze=True):
            theory = Theory.model_validate(data)
    except ValidationError as err:
        raise invalid_theory_error(err, data, source) from None
    if source is not None:
        register(theory, source)
    return theory


def check_document(data: Any, file: str | None) -> None:
    """Raise a :class:`~cimo.errors.FileFormatError` unless ``data`` looks like a theory document.

    A document is a mapping that states its ``format_version``.

    >>> check_document([], "t.yaml")
    Traceback (most recent call last):
    ...
    cimo.errors.FileFormatError: t.yaml:1:1: a theory file is a mapping of keys ..., not a list
    """
    if data is None:
        raise FileFormatError(
            f"the file is empty; a theory file starts with 'format_version: \"{FORMAT_VERSION}\"'",
            file=file,
        )
    if not isinstance(data, Mapping):
        raise FileFormatError(
            f"a theory file is a mapping of keys (format_version, id, title, nodes, rules, ...), "
            f"not a {type(data).__name__}",
            file=file,
            line=1,
            column=1,
        )
    if "format_version" not in data:
        raise FileFormatError(
            f"missing 'format_version'; add 'format_version: \"{FORMAT_VERSION}\"' at the top "
            "(every theory file states the version of the format it is written in)",
            file=file,
            line=1,
            column=1,
        )


def invalid_theory_error(
    err: ValidationError, data: Any, source: SourceText | None = None
) -> InvalidTheoryError:
    """Turn a pydantic ValidationError into an InvalidTheoryError with readable, located problems.

    When some items fail their own checks, pydantic never reaches the checks
    that span the document; those are run here on the items that did pass,
    so one load reports every problem.

    Args:
        err: What pydantic raised when validating ``data``.
        data: The plain data that was validated.
        source: The text ``data`` was parsed from, for file, line and column.

    Returns:
        The error to raise.

    >>> import cimo
    >>> data = {"format_version": "1.0", "id": "t", "title": "T",
    ...         "rules": [{"id": "R1", "because": ["relat"]}]}
    >>> try:
    ...     cimo.Theory.model_validate(data)
    ... except ValidationError as err:
    ...     print(invalid_theory_error(err, data).problems[0])
    /rules/0/because/0: rule R1: 'relat' is not a mechanism of this theory
    """
    errors = list(err.errors())
    if isinstance(data, Mapping) and not any(e["type"].startswith("cimo.") for e in errors):
        errors.extend(_partial_structural_errors(data))
    file = source.file if source else None
    problems = []
    for e in errors:
        message, hint, clean_loc = _describe(e, data)
        pos = source.position(clean_loc) if source is not None else None
        line, column = pos if pos else (None, None)
        code = e["type"] if e["type"].startswith("cimo.") else f"pydantic.{e['type']}"
        problems.append(
            Problem(
                message, loc=clean_loc, code=code, hint=hint, file=file, line=line, column=column
            )
        )
    return InvalidTheoryError(problems, source=file)


# --------------------------------------------------------------------------- the partial pass

_PARTS: dict[str, TypeAdapter[Any]] = {}
#: The structural codes that span the document, which pydantic skips when an item fails.
_SPANNING = ("cimo.unknown_id", "cimo.wrong_kind", "cimo.self_", "cimo.repeated")


def _partial_structural_errors(data: Mapping[str, Any]) -> list[ErrorDetails]:
    """Structural errors among the items that are valid on their own (error path only)."""
    parts, broken = _valid_parts(data)
    rules = [r for r in parts["rules"] if r is not None]
    links = [k for k in parts["links"] if k is not None]
    partial = Theory.model_construct(
        id="partial",
        title="partial",
        nodes=tuple(n for n in parts["nodes"] if n is not None),
        rules=tuple(rules),
        links=tuple(links),
        sources=tuple(s for s in parts["sources"] if s is not None),
    )
    remap = {
        key: [i for i, item in enumerate(parts[key]) if item is not None]
        for key in ("rules", "links")
    }
    out: list[ErrorDetails] = []
    for detail in _structural_errors(partial):
        error = _spanning_error(detail, remap, broken)
        if error is not None:
            out.append(error)
    return out


def _valid_parts(data: Mapping[str, Any]) -> tuple[dict[str, list[Any]], set[str]]:
    """Each list of items in ``data`` validated on its own (None for a failing item).

    Returns the lists, and the ids of nodes that are present but fail their
    own checks and cannot be stood in for.
    """
    if not _PARTS:
        _PARTS.update(
            nodes=TypeAdapter(Node),
            rules=TypeAdapter(Rule),
            links=TypeAdapter(Link),
            sources=TypeAdapter(Source),
        )
    stand_in = {_tag(model): model for model in _unwrap(Node)}
    parts: dict[str, list[Any]] = {}
    broken: set[str] = set()
    for key, adapter in _PARTS.items():
        items = data.get(key)
        kept: list[Any] = []
        for item in items if isinstance(items, list) else ():
            try:
                kept.append(adapter.validate_python(item))
            except ValidationError:
                # keep the item's id known, so references to it are not reported twice
                ident = item.get("id") if isinstance(item, Mapping) else None
                if key == "nodes" and isinstance(ident, str):
                    kind = item.get("kind")
                    model = stand_in.get(kind) if isinstance(kind, str) else None
                    if model is not None:
                        kept.append(model.model_construct(id=ident, label=ident))
                        continue
                    broken.add(ident)
                kept.append(None)
        parts[key] = kept
    return parts, broken


def _spanning_error(
    detail: InitErrorDetails, remap: Mapping[str, list[int]], broken: set[str]
) -> ErrorDetails | None:
    """One structural error of the partial theory, located in the full document, or None."""
    error_type = detail["type"]
    code = error_type if isinstance(error_type, str) else error_type.type
    if not code.startswith(_SPANNING) or detail["input"] in broken:
        return None
    loc = tuple(detail["loc"])
    if loc and loc[0] in remap and len(loc) > 1 and isinstance(loc[1], int):
        loc = (loc[0], remap[str(loc[0])][loc[1]], *loc[2:])
    elif loc and loc[0] == "nodes":
        return None  # node positions shift when invalid nodes are dropped
    return ErrorDetails(
        type=code,
        loc=loc,
        msg=error_type if isinstance(error_type, str) else error_type.message(),
        input=detail["input"],
    )


# --------------------------------------------------------------------------- messages

_ID_RULES = "use letters, digits, '-', '_' and '.', starting and ending with a letter or digit"


def _describe(e: ErrorDetails, data: Any) -> tuple[str, str | None, tuple[str | int, ...]]:
    """A user-facing message, hint and clean location for one pydantic error."""
    loc = tuple(e["loc"])
    kind = e["type"]
    if kind.startswith("cimo."):
        return e["msg"], None, loc
    subject, model, clean = _walk(loc, data)
    field = ".".join(str(p) for p in clean[len(_subject_loc(clean)) :]) or None
    value = e.get("input")
    hint: str | None = None
    if kind == "missing":
        message = f"missing required key {str(loc[-1])!r}"
    elif kind == "extra_forbidden":
        allowed = _keys(model) if model else []
        message = f"unknown key {str(loc[-1])!r}{did_you_mean(str(loc[-1]), allowed)}"
        if allowed and not did_you_mean(str(loc[-1]), allowed):
            hint = "allowed keys: " + ", ".join(allowed)
    elif kind == "union_tag_invalid":
        tags = list(KINDS)
        tag = str(e.get("ctx", {}).get("tag", value))
        message = f"unknown kind {tag!r}{did_you_mean(tag, tags)}"
        hint = "kind is one of " + ", ".join(tags)
        field = "kind"
        clean = (*clean, "kind")
    elif kind == "union_tag_not_found":
        message = (
            "missing 'kind': say whether the node is a context, intervention, mechanism or outcome"
        )
    elif kind == "string_pattern_mismatch":
        message = f"{value!r} is not a valid id"
        example = slug(value, max_length=128) if isinstance(value, str) else ""
        hint = _ID_RULES + (f", e.g. {example!r}" if example else "")
    elif kind == "literal_error":
        expected = str(e.get("ctx", {}).get("expected", ""))
        choices = re.findall(r"'([^']*)'", expected)
        if clean == ("format_version",):
            message, hint = _version_problem(value)
        else:
            message = f"{value!r} is not allowed{did_you_mean(str(value), choices)}"
            hint = f"expected {expected}"
    else:
        message = _plain_message(e)
    if field and kind not in ("missing", "extra_forbidden"):
        message = f"{field}: {message}"
    if subject:
        message = f"{subject}: {message}"
    return message, hint, clean


def _plain_message(e: ErrorDetails) -> str:
    """Pydantic's message, lower-cased; a mapping expected says what it got instead."""
    if e["type"] in ("model_attributes_type", "model_type", "dict_type"):
        got = type(e.get("input")).__name__
        got = {"list": "a list", "str": "text", "int": "a number", "float": "a number"}.get(
            got, got
        )
        return f"expected a mapping of keys (such as id, kind and label), not {got}"
    return e["msg"][0].lower() + e["msg"][1:] if e["msg"] else e["type"]


def _version_problem(value: Any) -> tuple[str, str]:
    """Message and hint for a ``format_version`` cimo does not read (a number: quote it)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return (
            f"the version is the number {value!r}, but it must be the text {FORMAT_VERSION!r}",
            f'quote it: format_version: "{FORMAT_VERSION}" (unquoted, 1.0 is read as a number)',
        )
    return (
        f"this file is format {value!r}, but this version of cimo reads format {FORMAT_VERSION!r}",
        "upgrade cimo, or rewrite the file in the current format",
    )


def _subject_loc(loc: tuple[str | int, ...]) -> tuple[str | int, ...]:
    if (
        len(loc) >= 2
        and loc[0] in ("nodes", "rules", "sources", "links")
        and isinstance(loc[1], int)
    ):
        return loc[:2]
    return ()


def _walk(
    loc: tuple[str | int, ...], data: Any
) -> tuple[str | None, type[BaseModel] | None, tuple[str | int, ...]]:
    """Follow ``loc`` through the model types: the subject, the innermost model, the clean loc."""
    subject = None
    if len(loc) >= 2 and isinstance(loc[1], int) and isinstance(data, Mapping):
        items = data.get(loc[0])
        if (
            isinstance(items, list)
            and 0 <= loc[1] < len(items)
            and isinstance(items[loc[1]], Mapping)
        ):
            item = items[loc[1]]
            if loc[0] == "rules":
                subject = f"rule {item.get('id', '#' + str(loc[1] + 1))}"
            elif loc[0] == "nodes":
                subject = f"node {item.get('id', '#' + str(loc[1] + 1))}"
            elif loc[0] == "sources":
                subject = f"source {item.get('id', '#' + str(loc[1] + 1))}"
    model: type[BaseModel] | None = Theory
    clean: list[str | int] = []
    annotation: Any = Theory
    for part in loc:
        target = _unwrap(annotation)
        if isinstance(part, int):
            clean.append(part)
            annotation = _item_type(annotation)
            continue
        if isinstance(target, list):  # a union: the part names the branch (a pydantic tag)
            branch = next((m for m in target if _tag(m) == part), None)
            if branch is not None:
                annotation = branch
                model = branch
                continue
            target = next((m for m in target if part in _fields(m)), None)
        clean.append(part)
        if isinstance(target, type) and issubclass(target, BaseModel):
            model = target
            field = _fields(target).get(part)
            annotation = field.annotation if field is not None else None
        else:
            annotation = None
    return subject, model if isinstance(model, type) else None, tuple(clean)


def _fields(model: type[BaseModel]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        out[info.alias or name] = info
        out[name] = info
    return out


def _keys(model: type[BaseModel]) -> list[str]:
    return [info.alias or name for name, info in model.model_fields.items()]


def _tag(model: Any) -> str | None:
    if isinstance(model, type) and issubclass(model, BaseModel) and "kind" in model.model_fields:
        default = model.model_fields["kind"].default
        return default if isinstance(default, str) else None
    return None


def _unwrap(annotation: Any) -> Any:
    """A model class, a list of model classes (a union), or None."""
    if annotation is None:
        return None
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        models = [
            a
            for a in typing.get_args(annotation)
            if isinstance(a, type) and issubclass(a, BaseModel)
        ]
        if len(models) == 1:
            return models[0]
        return models or None
    return annotation


def _item_type(annotation: Any) -> Any:
    annotation = (
        _unwrap(annotation) if typing.get_origin(annotation) is typing.Annotated else annotation
    )
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            if typing.get_origin(arg) in (tuple, list):
                return typing.get_args(arg)[0]
    if origin in (tuple, list):
        return typing.get_args(annotation)[0]
    return None
