"""Kumu JSON blueprints: a theory as a systems map, and back.

A blueprint is ``{"elements": [...], "connections": [...]}`` (Kumu's JSON
import format). Every node and every rule is an element whose ``type`` is
its kind (``Context``, ``Intervention``, ``Mechanism``, ``Outcome``,
``Rule``); each connection is ``directed`` and its ``type`` is the rule slot
it stands for (``if``, ``unless``, ``with``, ``because``, ``then``,
``reduces``), or ``link`` for an explicit outcome-to-context link. All other
fields of a node or rule are element fields; ``tags`` is Kumu's own tag list,
and record fields (facets, components, evidence) are JSON text.

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

import json
from typing import Any

import networkx as nx

from cimo.core.vocabulary import SLOTS
from cimo.errors import FileFormatError
from cimo.exchange._common import add_stubs, fresh_id, parse_json, scalar, validated
from cimo.exchange.networks import network_data, to_network
from cimo.model import Theory

__all__ = ["CONNECTION_TYPES", "ELEMENT_TYPES", "from_kumu", "to_kumu"]

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
_KIND_OF_TYPE = {v.casefold(): k for k, v in ELEMENT_TYPES.items()}


def to_kumu(theory: Theory) -> str:
    """The theory as a Kumu JSON blueprint (text), ready to import into a Kumu map."""
    g = to_network(theory)
    elements = []
    for vid, attrs in g.nodes(data=True):
        element: dict[str, Any] = {
            "id": vid,
            "label": attrs["label"],
            "type": ELEMENT_TYPES[attrs["kind"]],
        }
        for key, value in attrs.items():
            if key not in ("kind", "label"):
                element[key] = json.loads(value) if key == "tags" else value
        elements.append(element)
    connections = [
        {"from": u, "to": v, "type": attrs["slot"], "direction": "directed"}
        | {k: val for k, val in attrs.items() if k != "slot"}
        for u, v, attrs in g.edges(data=True)
    ]
    blueprint = {"elements": elements, "connections": connections}
    return json.dumps(blueprint, ensure_ascii=False, indent=2) + "\n"


def _fail(message: str) -> FileFormatError:
    return FileFormatError(f"Kumu blueprint: {message}")


def from_kumu(
    text: str | bytes, *, id: str = "kumu-map", title: str = "Imported from Kumu"
) -> Theory:
    """Read a theory from a Kumu JSON blueprint.

    Elements need a ``label`` and a ``type`` naming a cimo kind (any case);
    an element without an ``id`` gets one made from its label, and
    connections may name elements by id or by label. Connections must be
    ``directed`` and typed with a rule slot (``if`` ... ``reduces``) or ``link``.

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
    by_label: dict[str, str] = {}
    for i, element in enumerate(data["elements"]):
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
        by_label.setdefault(label, ident)
        if "kind" in element:
            raise _fail(
                f'element {label!r} has a "kind" field; its "type" gives its kind: remove "kind"'
            )
        attrs = {k: scalar(v) for k, v in element.items() if k not in ("id", "type", "_id")}
        g.add_node(ident, kind=kind, **attrs)
    for i, conn in enumerate(data.get("connections") or ()):
        if not isinstance(conn, dict):
            raise _fail(f"connection {i + 1} is not an object")
        ends = []
        for end in ("from", "to"):
            ref = conn.get(end)
            ref = ref if ref in g else by_label.get(str(ref))
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
        extra = {k: v for k, v in conn.items() if k in ("position", "note", "link")}
        g.add_edge(ends[0], ends[1], slot=slot, **extra)
    g.graph.update(theory_id=id, title=title)
    return validated(add_stubs(network_data(g)))
