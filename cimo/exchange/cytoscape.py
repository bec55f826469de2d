"""Cytoscape.js JSON: the theory's network as ``cy.json()`` writes it, and back.

``{"data": {...}, "elements": {"nodes": [{"data": {...}, "classes": ...}],
"edges": [{"data": {...}}]}, "style": [...]}``: the network of
:mod:`cimo.exchange.networks` (one vertex per node and per rule, one edge per
slot entry and link), each vertex's and edge's attributes in its ``data``
(with ``id``, ``source`` and ``target``), the kind as the node's class and a
style that colours the kinds. ``cytoscape({elements, style})`` or
``cy.json(data)`` opens it; :func:`from_cytoscape` reads it back whole (and
also reads ``elements`` written as one list of ``{"group", "data"}`` items).

>>> import cimo
>>> theory = cimo.load_example("pwp-resilience")
>>> from_cytoscape(to_cytoscape(theory)) == theory
True
"""

from __future__ import annotations

import json
from typing import Any

import networkx as nx

from cimo.errors import FileFormatError
from cimo.exchange._common import parse_json
from cimo.exchange.networks import from_network, to_network
from cimo.model import Theory
from cimo.render.style import DEFAULT_STYLE, Style

__all__ = ["cytoscape_style", "from_cytoscape", "to_cytoscape"]


def cytoscape_style(style: Style = DEFAULT_STYLE) -> list[dict[str, Any]]:
    """A Cytoscape.js stylesheet: labels, one colour per kind, dashed UNLESS edges.

    >>> cytoscape_style()[1]["selector"]
    'node.context'
    """
    sheet: list[dict[str, Any]] = [
        {
            "selector": "node",
            "style": {"label": "data(label)", "text-wrap": "wrap", "text-max-width": "160px"},
        }
    ]
    for kind in ("context", "intervention", "mechanism", "outcome", "rule"):
        look: dict[str, Any] = {
            "background-color": style.kind_fill[kind],
            "border-color": style.kind_border[kind],
        }
        look |= {
            "border-width": 1,
            "shape": "ellipse" if kind == "mechanism" else "round-rectangle",
        }
        sheet.append({"selector": f"node.{kind}", "style": look})
    sheet += [
        {"selector": "edge", "style": {"curve-style": "bezier", "target-arrow-shape": "triangle"}},
        {"selector": 'edge[slot = "unless"]', "style": {"line-style": "dashed"}},
        {"selector": 'edge[slot = "reduces"]', "style": {"target-arrow-shape": "tee"}},
        {"selector": 'edge[slot = "link"]', "style": {"width": 3, "line-color": style.chain}},
    ]
    return sheet


def to_cytoscape(theory: Theory, *, style: Style = DEFAULT_STYLE) -> str:
    """The theory as Cytoscape.js JSON text (elements, data and a style)."""
    g = to_network(theory)
    data = {
        "data": dict(g.graph),
        "elements": {
            "nodes": [
                {"data": {"id": v, **attrs}, "classes": attrs["kind"]}
                for v, attrs in g.nodes(data=True)
            ],
            "edges": [
                {"data": {"id": f"e{i}", "source": u, "target": v, **attrs}}
                for i, (u, v, attrs) in enumerate(g.edges(data=True))
            ],
        },
        "style": cytoscape_style(style),
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _items(elements: Any) -> tuple[list[Any], list[Any]]:
    if isinstance(elements, dict):
        nodes, edges = elements.get("nodes") or [], elements.get("edges") or []
        if not isinstance(nodes, list) or not isinstance(edges, list):
            raise FileFormatError(
                'Cytoscape.js JSON: "elements" holds "nodes" and "edges", each a list'
            )
        return list(nodes), list(edges)
    if isinstance(elements, list):
        groups: dict[str, list[Any]] = {"nodes": [], "edges": []}
        for i, item in enumerate(elements, start=1):
            group = item.get("group") if isinstance(item, dict) else None
            data = item.get("data", {}) if isinstance(item, dict) else {}
            if group is None:
                group = "edges" if isinstance(data, dict) and "source" in data else "nodes"
            if not isinstance(group, str) or group not in groups:
                raise FileFormatError(
                    f'Cytoscape.js JSON: element {i} has the group {group!r}; use "nodes" or '
                    '"edges"'
                )
            groups[group].append(item)
        return groups["nodes"], groups["edges"]
    raise FileFormatError('Cytoscape.js JSON must have "elements" (an object or a list)')


def from_cytoscape(text: str | bytes) -> Theory:
    """Read a theory from Cytoscape.js JSON written by :func:`to_cytoscape` (or ``cy.json()``).

    Raises:
        FileFormatError: if the text is not Cytoscape.js JSON of a cimo network.
        InvalidTheoryError: if the theory does not hold together.
    """
    doc = parse_json(text, what="Cytoscape.js JSON")
    if not isinstance(doc, dict) or "elements" not in doc:
        raise FileFormatError('Cytoscape.js JSON must be an object with "elements"')
    nodes, edges = _items(doc["elements"])
    g: nx.DiGraph[str] = nx.DiGraph()
    graph_data = doc.get("data", {})
    if not isinstance(graph_data, dict):
        raise FileFormatError(
            f'Cytoscape.js JSON: "data" must be an object holding the theory\'s fields, '
            f"not {type(graph_data).__name__}"
        )
    g.graph.update(graph_data)
    for i, item in enumerate(nodes):
        data = item.get("data") if isinstance(item, dict) else None
        if not isinstance(data, dict) or not isinstance(data.get("id"), str):
            raise FileFormatError(f"node {i + 1} has no data.id")
        g.add_node(data["id"], **{k: v for k, v in data.items() if k != "id"})
    for i, item in enumerate(edges):
        data = item.get("data") if isinstance(item, dict) else None
        ends = (data.get("source"), data.get("target")) if isinstance(data, dict) else ()
        if not isinstance(data, dict) or not all(isinstance(e, str) and e in g for e in ends):
            raise FileFormatError(f"edge {i + 1}: data.source and data.target must name nodes")
        kept = {k: v for k, v in data.items() if k not in ("id", "source", "target")}
        g.add_edge(data["source"], data["target"], **kept)
    return from_network(g)
