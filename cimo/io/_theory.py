"""Load and dump theory files (YAML and JSON), with errors that point into the file."""

from __future__ import annotations

import gc
import json
import os
import re
import types
import typing
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal, TypeAlias

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from cimo._util import SideTable, did_you_mean
from cimo.errors import FileFormatError, InvalidTheoryError, Problem
from cimo.io._atomic import atomic_write
from cimo.io._locate import SourceText
from cimo.io._yaml import parse_yaml, to_yaml
from cimo.model import FORMAT_VERSION, Theory

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

Format: TypeAlias = Literal["yaml", "json"]

_EXTENSIONS: dict[str, Format] = {".yaml": "yaml", ".yml": "yaml", ".json": "json"}

# --------------------------------------------------------------------------- provenance side table
# A theory never stores where it came from (the model stays pure); the loaders
# remember it here, keyed by object identity, for as long as the theory lives.
_SOURCES: SideTable[SourceText] = SideTable()


def source_of(theory: Theory) -> SourceText | None:
    """The text a theory was loaded from (file name, format, text), if it was loaded.

    Theories built in Python, or returned by an edit, have none.
    """
    return _SOURCES.get(theory)


def locate(theory: Theory, loc: Sequence[str | int]) -> tuple[str | None, int | None, int | None]:
    """``(file, line, column)`` of a location inside the file a theory was loaded from.

    ``loc`` is a path such as ``("rules", 3, "because", 0)``. Any part that is
    not known is None.
    """
    source = source_of(theory)
    if source is None:
        return None, None, None
    pos = source.position(loc)
    return (source.file, *pos) if pos else (source.file, None, None)


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many small objects.

    Bulk loads create millions of objects and no reference cycles; without
    the pause the collector rescans them again and again.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


# --------------------------------------------------------------------------- public API


def format_of(path: str | os.PathLike[str]) -> Format:
    """The theory format a file name implies (``.yaml``/``.yml`` or ``.json``).

    Raises:
        FileFormatError: for any other extension.

    >>> format_of("theory.yml")
    'yaml'
    """
    suffix = Path(path).suffix.lower()
    try:
        return _EXTENSIONS[suffix]
    except KeyError:
        raise FileFormatError(
            f"cannot tell the format from the extension {suffix or '(none)'!r}; "
            "name the file .yaml, .yml or .json",
            file=str(path),
        ) from None


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
        raise FileFormatError(
            "is a folder, not a theory file; name a .yaml, .yml or .json file", file=name
        )
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


def from_data(data: Any, *, source: SourceText | None = None) -> Theory:
    """Build a theory from plain data (as parsed from YAML or JSON).

    Raises:
        FileFormatError: if ``data`` is not a mapping.
        InvalidTheoryError: listing every structural problem.
    """
    file = source.file if source else None
    _check_document(data, file)
    try:
        with paused_gc():
            theory = Theory.model_validate(data)
    except ValidationError as err:
        raise invalid_theory_error(err, data, source) from None
    if source is not None:
        _SOURCES.set(theory, source)
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
        _check_document(data, source.file)
        raise invalid_theory_error(err, data, source) from None
    if "format_version" not in theory.model_fields_set:
        _check_document(json.loads(text), source.file)
    _SOURCES.set(theory, source)
    return theory


def to_data(theory: Theory) -> dict[str, Any]:
    """The theory as plain, canonical data: defaults left out, keys in a fixed order.

    ``format_version`` comes first, and every node starts with ``id`` and ``kind``.
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


def _check_document(data: Any, file: str | None) -> None:
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


_JSON_POS = re.compile(r"line (\d+) column (\d+)")


def _json_syntax_error(error: ErrorDetails, file: str | None) -> FileFormatError:
    detail = str(error.get("ctx", {}).get("error", error["msg"]))
    m = _JSON_POS.search(detail)
    line, column = (int(m.group(1)), int(m.group(2))) if m else (None, None)
    detail = _JSON_POS.sub("", detail).strip().rstrip(" at").strip()
    return FileFormatError(f"not valid JSON: {detail}", file=file, line=line, column=column)


def invalid_theory_error(
    err: ValidationError, data: Any, source: SourceText | None = None
) -> InvalidTheoryError:
    """Turn a pydantic ValidationError into an InvalidTheoryError with readable, located problems.

    When some items fail their own checks, pydantic never reaches the checks
    that span the document; those are run here on the items that did pass,
    so one load reports every problem.
    """
    problems = []
    errors = list(err.errors())
    if isinstance(data, Mapping) and not any(e["type"].startswith("cimo.") for e in errors):
        errors.extend(_partial_structural_errors(data))
    for e in errors:
        message, hint, clean_loc = _describe(e, data)
        line = column = None
        if source is not None:
            pos = source.position(clean_loc)
            if pos:
                line, column = pos
        problems.append(
            Problem(
                message,
                loc=clean_loc,
                code=e["type"] if e["type"].startswith("cimo.") else f"pydantic.{e['type']}",
                hint=hint,
                file=source.file if source else None,
                line=line,
                column=column,
            )
        )
    return InvalidTheoryError(problems, source=source.file if source else None)


_PARTS: dict[str, Any] = {}


def _partial_structural_errors(data: Mapping[str, Any]) -> list[ErrorDetails]:
    """Structural errors among the items that are valid on their own (error path only)."""
    from pydantic import TypeAdapter

    from cimo.model import (
        Context,
        Intervention,
        Link,
        Mechanism,
        Node,
        Outcome,
        Rule,
        Source,
        _structural_errors,
    )

    if not _PARTS:
        _PARTS.update(
            nodes=TypeAdapter(Node),
            rules=TypeAdapter(Rule),
            links=TypeAdapter(Link),
            sources=TypeAdapter(Source),
        )
    stand_in: dict[str, type[Context | Intervention | Mechanism | Outcome]] = {
        "context": Context,
        "intervention": Intervention,
        "mechanism": Mechanism,
        "outcome": Outcome,
    }
    parts: dict[str, list[Any]] = {}
    broken: set[str] = set()  # ids of nodes that are present but fail their own checks
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
                    if item.get("kind") in stand_in:
                        kept.append(stand_in[item["kind"]].model_construct(id=ident, label=ident))
                        continue
                    broken.add(ident)
                kept.append(None)
        parts[key] = kept
    rules = [r for r in parts["rules"] if r is not None]
    positions = [i for i, r in enumerate(parts["rules"]) if r is not None]
    links = [k for k in parts["links"] if k is not None]
    link_positions = [i for i, k in enumerate(parts["links"]) if k is not None]
    partial = Theory.model_construct(
        id="partial",
        title="partial",
        nodes=tuple(n for n in parts["nodes"] if n is not None),
        rules=tuple(rules),
        links=tuple(links),
        sources=tuple(s for s in parts["sources"] if s is not None),
    )
    remap = {"rules": positions, "links": link_positions}
    out: list[ErrorDetails] = []
    for detail in _structural_errors(partial):
        error_type = detail["type"]
        code = error_type if isinstance(error_type, str) else error_type.type
        if not code.startswith(
            ("cimo.unknown_id", "cimo.wrong_kind", "cimo.self_", "cimo.repeated")
        ):
            continue
        if detail["input"] in broken:
            continue
        loc = tuple(detail["loc"])
        if loc and loc[0] in remap and len(loc) > 1 and isinstance(loc[1], int):
            loc = (loc[0], remap[str(loc[0])][loc[1]], *loc[2:])
        elif loc and loc[0] == "nodes":
            continue  # node positions shift when invalid nodes are dropped
        out.append(
            ErrorDetails(
                type=code,
                loc=loc,
                msg=error_type if isinstance(error_type, str) else error_type.message(),
                input=detail["input"],
            )
        )
    return out


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
        tags = ["context", "intervention", "mechanism", "outcome"]
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
        hint = _ID_RULES + (
            f", e.g. {_slug(value)!r}" if isinstance(value, str) and _slug(value) else ""
        )
    elif kind == "literal_error":
        expected = str(e.get("ctx", {}).get("expected", ""))
        choices = re.findall(r"'([^']*)'", expected)
        if clean == ("format_version",):
            message = (
                f"this file is format {value!r}, but this version of cimo reads "
                f"format {FORMAT_VERSION!r}"
            )
            hint = "upgrade cimo, or rewrite the file in the current format"
        else:
            message = f"{value!r} is not allowed{did_you_mean(str(value), choices)}"
            hint = f"expected {expected}"
    else:
        message = e["msg"][0].lower() + e["msg"][1:] if e["msg"] else kind
    if field and kind not in ("missing", "extra_forbidden"):
        message = f"{field}: {message}"
    if subject:
        message = f"{subject}: {message}"
    return message, hint, clean


def _slug(value: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.\-]+", "-", value).strip("-_.")[:128]


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
