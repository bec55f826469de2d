"""Kumu: a theory as a systems map (JSON blueprint and a view), and back from Kumu's exports.

A blueprint is ``{"elements": [...], "connections": [...]}`` (Kumu's JSON
import format). Every node and every rule is an element whose ``type`` is
its kind (``Context``, ``Intervention``, ``Mechanism``, ``Outcome``,
``Rule``); each connection is ``directed`` and its ``type`` is the rule slot
it stands for (``if``, ``unless``, ``with``, ``because``, ``then``,
``reduces``), or ``link`` for an explicit outcome-to-context link. Plain
fields of a node or rule are element fields and ``tags`` is Kumu's own tag list.

Each element's ``description`` is its Kumu profile, in Markdown: the
description, and for a rule its if-then-because statement and its evidence
(stance, source, locator, who said it, the quote); for a node its facets,
components and measures. The same records ride along as JSON in one field,
``cimo data``, so that the map reads back whole; a description edited in
Kumu is read back as the new description.

:func:`from_kumu` reads blueprints and what Kumu's own "Export to JSON"
writes (elements with an ``_id`` and their fields under ``attributes``,
``"element type"``, connections with ``"connection type"``, ``from`` and
``to`` naming their ``_id``). :func:`kumu_view` writes a view for Kumu's
Advanced Editor that colours and shapes the elements by kind and the
connections by slot.

Blueprints carry no theory-level fields: title, sources, iterations,
taxonomy and the rest are left out, and an import declares a bare source
for each source the evidence cites and an iteration for each number used.

>>> import cimo
>>> from cimo.exchange.kumu import from_kumu, to_kumu
>>> theory = cimo.load_example("pwp-resilience")
>>> back = from_kumu(to_kumu(theory), id=theory.id, title=theory.title)
>>> back.rules == theory.rules, back.nodes == theory.nodes
(True, True)
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import networkx as nx

from cimo.core.vocabulary import SLOTS
from cimo.errors import FileFormatError
from cimo.exchange._common import add_stubs, fresh_id, parse_json, scalar, validated
from cimo.exchange.networks import network_data, to_network
from cimo.model import Theory
from cimo.render.style import DEFAULT_STYLE, Style
from cimo.render.text import statement

__all__ = ["CONNECTION_TYPES", "ELEMENT_TYPES", "from_kumu", "kumu_view", "to_kumu"]

#: Element types by cimo kind.
ELEMENT_TYPES: dict[str, str] = {
    "context": "Context",
    "intervention": "Intervention",
    "mechanism": "Mechanism",
    "outcome": "Outcome",
    "rule": "Rule",
}
#: The connection types cimo writes and reads.
CONNECTION_TYPES: tuple[str, ...] = (*(s.keyword for s in SLOTS), "link")
#: The field that carries a record's lists and records as JSON, for the way back.
DATA_FIELD = "cimo data"
_KIND_OF_TYPE = {v.casefold(): k for k, v in ELEMENT_TYPES.items()}
#: Fields shown in the Markdown profile, each with its heading.
_PROFILE_LISTS = {"facets": "Facets", "components": "Components", "measures": "Measures"}


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _quote_block(text: str) -> str:
    return "\n".join("> " + line for line in text.splitlines() or [""])


def _evidence_markdown(evidence: list[dict[str, Any]]) -> list[str]:
    lines = ["", "**Evidence**", ""]
    for ev in evidence:
        who = ", ".join(
            str(ev[k]) for k in ("source", "locator", "participant", "kind") if ev.get(k)
        )
        extra = [f"{k} {ev[k]}" for k in ("incidence", "intensity") if ev.get(k) is not None]
        head = f"- *{ev.get('stance', 'supports')}*" + (f": {who}" if who else "")
        lines.append(head + (f" ({', '.join(extra)})" if extra else ""))
        if ev.get("quote"):
            lines += ["", _quote_block(str(ev["quote"])), ""]
        if ev.get("note"):
            lines.append(f"  {ev['note']}")
    return lines


def _record_markdown(key: str, value: Any) -> list[str]:
    lines = ["", f"**{_PROFILE_LISTS[key]}**", ""]
    if isinstance(value, dict):
        lines += [f"- {k}: {v}" for k, v in value.items()]
    else:
        for item in value:
            if isinstance(item, dict):
                words = item.get("label") or item.get("name") or item.get("id") or ""
                rest = ", ".join(f"{k} {v}" for k, v in item.items() if v != words)
                lines.append(f"- {words}" + (f" ({rest})" if rest else ""))
            else:
                lines.append(f"- {item}")
    return lines


def _profile(theory: Theory, vid: str, record: dict[str, Any]) -> str:
    """The Markdown profile of one element: description, statement, evidence, records."""
    lines: list[str] = [record["description"]] if record.get("description") else []
    if vid in theory.rule_index:
        lines += ["", f"**{statement(theory, vid)}**"]
        if record.get("evidence"):
            lines += _evidence_markdown(record["evidence"])
    for key in _PROFILE_LISTS:
        if record.get(key):
            lines += _record_markdown(key, record[key])
    return "\n".join(lines).strip("\n")


def to_kumu(theory: Theory) -> str:
    """The theory as a Kumu JSON blueprint (text), ready to import into a Kumu map.

    >>> import cimo
    >>> blueprint = json.loads(to_kumu(cimo.load_example("pwp-resilience")))
    >>> burnout = next(e for e in blueprint["elements"] if e["id"] == "burnout")
    >>> print(burnout["description"].splitlines()[0][:60])
    **IF high volume of clinical work and related time constrain
    """
    g = to_network(theory)
    elements = []
    for vid, attrs in g.nodes(data=True):
        element: dict[str, Any] = {
            "id": vid,
            "label": attrs["label"],
            "type": ELEMENT_TYPES[attrs["kind"]],
        }
        record = {
            k: json.loads(v) if isinstance(v, str) and k in _JSON_KEYS else v
            for k, v in attrs.items()
        }
        data: dict[str, Any] = {}
        for key, value in record.items():
            if key in ("kind", "label", "description"):
                continue
            if key == "tags":
                element["tags"] = value
            elif isinstance(value, list | dict):
                data[key] = value
            else:
                element[key] = value
        profile = _profile(theory, vid, record)
        if profile:
            element["description"] = profile
        if profile != (record.get("description") or ""):
            data["description"] = record.get("description")
            data["profile"] = _digest(profile)
        if data:
            element[DATA_FIELD] = json.dumps(data, ensure_ascii=False)
        elements.append(element)
    connections = [
        {"from": u, "to": v, "type": attrs["slot"], "direction": "directed"}
        | {k: val for k, val in attrs.items() if k != "slot"}
        for u, v, attrs in g.edges(data=True)
    ]
    blueprint = {"elements": elements, "connections": connections}
    return json.dumps(blueprint, ensure_ascii=False, indent=2) + "\n"


def _network_json_keys() -> frozenset[str]:
    from cimo.exchange.networks import _JSON_FIELDS, _MAYBE_JSON

    return _JSON_FIELDS | _MAYBE_JSON


_JSON_KEYS = _network_json_keys()


def _fail(message: str) -> FileFormatError:
    return FileFormatError(f"Kumu blueprint: {message}")


def _flat(item: Any, type_key: str) -> Any:
    """A blueprint item as it is; an item of Kumu's own export flattened to blueprint shape.

    Kumu's "Export to JSON" writes ``{"_id": ..., "attributes": {"label": ...,
    "element type": ...}}``; field names with spaces are read with underscores
    (``source label`` is ``source_label``).
    """
    if not isinstance(item, dict) or not isinstance(item.get("attributes"), dict):
        return item
    flat = {k: v for k, v in item.items() if k != "attributes"}
    for key, value in item["attributes"].items():
        if key == type_key:
            flat["type"] = value
        elif key != DATA_FIELD:
            flat[key.replace(" ", "_")] = value
        else:
            flat[key] = value
    return flat


def _element_fields(element: dict[str, Any], label: str) -> dict[str, Any]:
    """The cimo fields of one element: its Kumu fields, with ``cimo data`` unpacked."""
    skip = ("id", "type", "_id", "label", DATA_FIELD)
    fields = {k: scalar(v) for k, v in element.items() if k not in skip}
    fields["label"] = label
    raw = element.get(DATA_FIELD)
    if raw is None:
        return fields
    try:
        data = parse_json(raw) if isinstance(raw, str) else raw
    except FileFormatError as err:
        raise _fail(f"element {label!r}: {DATA_FIELD!r} is not JSON ({err.message})") from None
    if not isinstance(data, dict):
        raise _fail(f"element {label!r}: {DATA_FIELD!r} should hold a JSON object")
    shown = element.get("description") or ""
    if not isinstance(shown, str):
        raise _fail(f"element {label!r}: the description is not text")
    if "profile" in data:
        if _digest(shown) == data.pop("profile"):
            original = data.pop("description", None)
            fields.pop("description", None)
            if original is not None:
                fields["description"] = original
        else:  # edited in Kumu: Kumu's text is the description now
            data.pop("description", None)
    fields.update((k, scalar(v)) for k, v in data.items())
    return fields


def from_kumu(
    text: str | bytes, *, id: str = "kumu-map", title: str = "Imported from Kumu"
) -> Theory:
    """Read a theory from a Kumu JSON blueprint, or from Kumu's own "Export to JSON".

    Elements need a ``label`` and a type naming a cimo kind (any case); an
    element without an ``id`` gets one made from its label, and connections
    may name elements by id, by label, or (in Kumu's exports) by ``_id``.
    Connections must be ``directed`` and typed with a rule slot (``if`` ...
    ``reduces``) or ``link``. Other parts of a Kumu export (maps, views,
    loops) are ignored.

    Args:
        text: The blueprint.
        id: The id of the theory made.
        title: Its title.

    Raises:
        FileFormatError: if the blueprint is not one cimo can read (the message says why).
        InvalidTheoryError: if the theory does not hold together.
    """
    data = parse_json(text, what="Kumu blueprint")
    if not isinstance(data, dict) or not isinstance(data.get("elements"), list):
        raise _fail('expected an object with an "elements" list (and a "connections" list)')
    g: nx.DiGraph[str] = nx.DiGraph()
    taken: set[str] = set()
    by_ref: dict[str, str] = {}
    for i, raw in enumerate(data["elements"]):
        element = _flat(raw, "element type")
        if not isinstance(element, dict) or not isinstance(element.get("label"), str):
            raise _fail(f'element {i + 1} has no "label"')
        label = element["label"]
        kind = _KIND_OF_TYPE.get(str(element.get("type", "")).casefold())
        if kind is None:
            raise _fail(
                f"element {label!r}: type {element.get('type')!r} is not one of "
                f"{list(ELEMENT_TYPES.values())}; set each element's type to its CIMO kind"
            )
        ident = element.get("id")
        if isinstance(ident, str) and ident not in taken:
            taken.add(ident)
        else:
            ident = fresh_id(label, taken)
        by_ref.setdefault(label, ident)
        if isinstance(element.get("_id"), str):
            by_ref[element["_id"]] = ident
        if "kind" in element:
            raise _fail(
                f'element {label!r} has a "kind" field; its "type" gives its kind: remove "kind"'
            )
        g.add_node(ident, kind=kind, **_element_fields(element, label))
    connections = data.get("connections") or []
    if not isinstance(connections, list):
        raise _fail(f'"connections" must be a list, not {type(connections).__name__}')
    for i, raw in enumerate(connections):
        _add_connection(g, _flat(raw, "connection type"), i, by_ref)
    g.graph.update(theory_id=id, title=title)
    return validated(add_stubs(network_data(g)))


def _add_connection(g: nx.DiGraph[str], conn: Any, i: int, by_ref: dict[str, str]) -> None:
    if not isinstance(conn, dict):
        raise _fail(f"connection {i + 1} is not an object")
    ends = []
    for end in ("from", "to"):
        ref = conn.get(end)
        ref = ref if ref in g else by_ref.get(str(ref))
        if ref is None:
            raise _fail(f"connection {i + 1}: {end} {conn.get(end)!r} is not an element")
        ends.append(ref)
    if conn.get("direction", "directed") != "directed":
        raise _fail(
            f"connection {i + 1} ({ends[0]} -> {ends[1]}) is {conn['direction']!r}; "
            "cimo needs directed connections"
        )
    slot = conn.get("type")
    if slot not in CONNECTION_TYPES:
        raise _fail(
            f"connection {i + 1} ({ends[0]} -> {ends[1]}): type {slot!r} is not one of "
            f"{list(CONNECTION_TYPES)}"
        )
    extra = {k: v for k, v in conn.items() if k in ("position", "note")}
    g.add_edge(ends[0], ends[1], slot=slot, **extra)


_SHAPES = {
    "context": "rectangle",
    "intervention": "rectangle",
    "mechanism": "circle",
    "outcome": "rectangle",
    "rule": "square",
}


def kumu_view(theory: Theory | None = None, *, style: Style = DEFAULT_STYLE) -> str:
    """A view for Kumu's Advanced Editor: elements coloured and shaped by kind, connections by slot.

    Paste it into the map's Advanced Editor (or save it as the map's default
    view). It uses only Kumu's documented selectors (``element["element
    type"="..."]``, ``connection["connection type"="..."]``) and properties
    (``color``, ``border-color``, ``shape``, ``scale``, ``style``, ``size``);
    mechanisms are circles, rules small squares, the other kinds rectangles;
    UNLESS and REDUCES connections are dashed, links thick. ``theory`` is
    accepted so that every export takes one; the view is the same for every theory.

    >>> print(kumu_view().splitlines()[0])
    @settings {
    """
    del theory
    lines = [
        "@settings {",
        f"  font-color: {style.text};",
        "  element-text-align: center;",
        "}",
        "",
        "/* cimo: one colour and shape per kind (contexts, interventions, mechanisms, outcomes) */",
    ]
    for kind, name in ELEMENT_TYPES.items():
        size = "  scale: 0.5;\n" if kind == "rule" else ""
        lines.append(
            f'element["element type"="{name}"] {{\n  color: {style.kind_fill[kind]};\n'
            f"  border-color: {style.kind_border[kind]};\n  shape: {_SHAPES[kind]};\n{size}}}"
        )
    lines += ["", "/* connections by the rule slot they stand for */"]
    looks = {
        "unless": f"color: {style.disabling};\n  style: dashed;",
        "reduces": f"color: {style.reduces};\n  style: dashed;",
        "link": f"color: {style.chain};\n  size: 4;",
    }
    for slot in CONNECTION_TYPES:
        look = looks.get(slot, f"color: {style.line};")
        lines.append(f'connection["connection type"="{slot}"] {{\n  {look}\n}}')
    return "\n".join(lines) + "\n"
