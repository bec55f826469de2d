"""A theory as a plain network, for network tools: GraphML, GEXF and networkx node-link JSON.

The network has one vertex per node (``kind`` context, intervention,
mechanism or outcome) and one per rule (``kind`` rule), so nothing about a
configuration is lost: an edge joins each element to the rule that names it,
with the rule's slot as the edge's ``slot`` (``if``, ``unless``, ``with`` and
``because`` point into the rule; ``then`` and ``reduces`` point out of it)
and its place in the slot as ``position``. Explicit links are edges from an
outcome to a context with ``slot`` ``link``. Every field of a node or rule is
a vertex attribute; the theory's own fields are graph attributes (its id as ``theory_id``).

Attribute values are scalars only (strings, integers, booleans), as GraphML,
GEXF, Gephi and yEd need: a list or record field (tags, iterations, measures,
facets, components, evidence, sources, ...) is stored as its JSON text.

>>> import cimo
>>> from cimo.exchange.networks import from_node_link, to_network, to_node_link
>>> theory = cimo.load_example("pwp-resilience")
>>> g = to_network(theory)
>>> g.nodes["burnout"]["kind"], g.edges["burnout", "stress-and-burnout"]["slot"]
('rule', 'then')
>>> from_node_link(to_node_link(theory)) == theory
True
"""

from __future__ import annotations

import json
import math
import xml.etree.ElementTree as ET
from typing import Any, get_args

import networkx as nx
import pydantic_core
from networkx.readwrite.gexf import GEXFWriter

from cimo._util import paused_gc
from cimo._version import __version__
from cimo.core.data import to_data
from cimo.core.vocabulary import KINDS, SLOT, SLOTS, NetworkPolicy, field_policy
from cimo.errors import FileFormatError
from cimo.exchange._common import (
    check_xml_text,
    encode_json,
    parse_json,
    safe_xml,
    scalar,
    validated,
)
from cimo.exchange._graphml import graphml_text
from cimo.model import CimoModel, Node, Rule, Theory

__all__ = [
    "from_graphml",
    "from_network",
    "from_node_link",
    "network_data",
    "node_link_data",
    "resaved",
    "to_gexf",
    "to_graphml",
    "to_graphology",
    "to_network",
    "to_node_link",
]

#: The records a network carries, each as vertices (nodes, rules) or graph attributes (theory).
_CARRIED: tuple[type[CimoModel], ...] = (Theory, Rule, *get_args(get_args(Node)[0]))


def _carried_as(policy: NetworkPolicy, *models: type[CimoModel]) -> frozenset[str]:
    """The keys of the fields of ``models`` whose network policy is ``policy``.

    >>> sorted(_carried_as("graph", Theory))
    ['links', 'nodes', 'rules']
    """
    return frozenset(
        info.alias or name
        for model in models
        for name, info in model.model_fields.items()
        if field_policy(model, name).network == policy
    )


#: Fields stored as JSON text (lists and records).
_JSON_FIELDS = _carried_as("json", *_CARRIED) | {"link"}  # "link": a because object on an edge
#: Fields that are JSON text when they hold a record, and an id otherwise.
_MAYBE_JSON = _carried_as("json-or-id", *_CARRIED)
#: Theory fields that are the network itself, not graph attributes.
_GRAPH_FIELDS = _carried_as("graph", Theory)
_KINDS = frozenset({*KINDS, "rule"})


def _unscalar(key: str, value: Any, where: str) -> Any:
    if isinstance(value, str) and (
        key in _JSON_FIELDS or (key in _MAYBE_JSON and value.startswith("{"))
    ):
        try:
            return parse_json(value)
        except FileFormatError as err:
            raise FileFormatError(
                f"{where}: attribute {key!r} should hold JSON text ({err.message}); export it "
                "again with cimo, or fix the value"
            ) from None
    return value


def _position(attrs: dict[str, Any], where: str) -> int:
    """The ``position`` of an edge: a whole number (0 when absent)."""
    value = attrs.get("position", 0)
    if isinstance(value, bool) or not isinstance(value, int | str):
        value = repr(value)
    try:
        return int(value)
    except ValueError:
        raise FileFormatError(
            f"{where}: 'position' is {value!r}; it must be a whole number (the place in the slot)"
        ) from None


#: Each slot's keyword, and whether its items point into the rule (inputs) or out (results).
_SLOT_SIDES = [(slot.keyword, slot.into_rule) for slot in SLOTS]
_Edges = dict[tuple[str, str], dict[str, Any]]
_Parts = tuple[dict[str, Any], dict[str, dict[str, Any]], _Edges]


@paused_gc()  # many small dicts, no cycles
def _network_parts(theory: Theory) -> _Parts:
    """The network's graph attributes, vertices and edges, as plain dicts in file order.

    The one definition of the network (see the module docs): :func:`to_network`
    builds a networkx graph from it and :func:`node_link_data` writes it out
    directly. An edge named twice keeps one entry, its attributes updated, as
    networkx's ``add_edge`` does.
    """
    data = to_data(theory)
    # GraphML keeps a graph's "id" as the id of its <graph> element, not as data.
    graph = {
        ("theory_id" if k == "id" else k): scalar(v)
        for k, v in data.items()
        if k not in _GRAPH_FIELDS
    }
    plain = (list, dict)  # scalar(), inlined: this runs for every field of every record
    vertices: dict[str, dict[str, Any]] = {
        node["id"]: {
            k: encode_json(v) if isinstance(v, plain) else v for k, v in node.items() if k != "id"
        }
        for node in data.get("nodes", ())
    }
    edges: _Edges = {}
    for rule in data.get("rules", ()):
        rid = rule["id"]
        attrs = {
            k: encode_json(v) if isinstance(v, plain) else v
            for k, v in rule.items()
            if k != "id" and k not in SLOT
        }
        if rule.get("if") == "any":
            attrs["if"] = "any"
        vertices[rid] = {"kind": "rule", "label": rule.get("source_label") or rid, **attrs}
        for keyword, into_rule in _SLOT_SIDES:
            items = rule.get(keyword)
            if not items:
                continue
            for pos, ref in enumerate(items if isinstance(items, list) else ()):
                edge: dict[str, Any] = {"slot": keyword, "position": pos}
                if isinstance(ref, dict):  # a because object: the edge carries it
                    ref, edge["link"] = ref["mechanism"], scalar(ref)
                key = (ref, rid) if into_rule else (rid, ref)
                if key in edges:
                    edges[key].update(edge)
                else:
                    edges[key] = edge
    for pos, link in enumerate(data.get("links", ())):
        edge = {"slot": "link", "position": pos}
        if "note" in link:
            edge["note"] = link["note"]
        edges.setdefault((link["outcome"], link["context"]), {}).update(edge)
    return graph, vertices, edges


def to_network(theory: Theory) -> nx.DiGraph[str]:
    """The theory as a directed network of its nodes and rules (see the module docs).

    Vertices come in file order (nodes, then rules); the result is a fresh,
    unfrozen graph you may change without touching the theory.
    """
    graph, vertices, edges = _network_parts(theory)
    g: nx.DiGraph[str] = nx.DiGraph()
    g.graph.update(graph)
    g.add_nodes_from(vertices.items())
    g.add_edges_from((u, v, attrs) for (u, v), attrs in edges.items())
    return g


def from_network(graph: nx.DiGraph[str]) -> Theory:
    """Rebuild a theory from a network made by :func:`to_network` (or read back from a file).

    Raises:
        FileFormatError: if a vertex has no known ``kind`` or an edge no known ``slot``.
        InvalidTheoryError: if the theory rebuilt does not hold together.
    """
    return validated(network_data(graph))


def network_data(graph: nx.DiGraph[str]) -> dict[str, Any]:
    """The plain theory data a network made by :func:`to_network` stands for (not validated).

    Raises:
        FileFormatError: if a vertex has no known ``kind`` or an edge no known ``slot``.
    """
    data: dict[str, Any] = {}
    data.update(
        ("id" if k == "theory_id" else k, _unscalar(k, v, "the graph"))
        for k, v in graph.graph.items()
        if k not in ("node_default", "edge_default", "mode", "name")
    )
    nodes: list[dict[str, Any]] = []
    rules: dict[str, dict[str, Any]] = {}
    for vid, attrs in graph.nodes(data=True):
        kind = attrs.get("kind")
        if not isinstance(kind, str) or kind not in _KINDS:
            raise FileFormatError(
                f"vertex {vid!r}: 'kind' is {kind!r}; it must be one of {sorted(_KINDS)}"
            )
        where = f"vertex {vid!r}"
        fields = {k: _unscalar(k, v, where) for k, v in attrs.items() if k not in ("id",)}
        if kind == "rule":
            fields.pop("kind")
            fields.pop("label", None)
            rules[str(vid)] = {"id": str(vid), **fields}
        else:
            nodes.append({"id": str(vid), **fields})
    slots: dict[tuple[str, str], list[tuple[int, Any]]] = {}
    links: list[tuple[int, dict[str, Any]]] = []
    for u, v, attrs in graph.edges(data=True):
        slot = attrs.get("slot")
        pos = _position(attrs, f"edge {u!r} -> {v!r}")
        if slot == "link":
            link = {"outcome": str(u), "context": str(v)}
            if attrs.get("note") is not None:
                link["note"] = attrs["note"]
            links.append((pos, link))
            continue
        spec = SLOT.get(slot) if isinstance(slot, str) else None
        if spec is None:
            raise FileFormatError(
                f"edge {u!r} -> {v!r}: 'slot' is {slot!r}; it must be one of "
                f"{[s.keyword for s in SLOTS] + ['link']}"
            )
        into = spec.into_rule
        rule, ref = (str(v), str(u)) if into else (str(u), str(v))
        if rule not in rules:
            raise FileFormatError(
                f"edge {u!r} -> {v!r} ({slot}): {rule!r} should be a rule vertex "
                f"('{slot}' edges point {'into' if into else 'out of'} a rule)"
            )
        carried = attrs.get("link")
        item: Any = _unscalar("link", carried, f"edge {u!r} -> {v!r}") if carried else ref
        slots.setdefault((rule, spec.keyword), []).append((pos, item))
    for (rule, slot), refs in slots.items():
        rules[rule][slot] = [ref for _, ref in sorted(refs, key=lambda p: p[0])]
    data["nodes"] = nodes
    data["rules"] = list(rules.values())
    data["links"] = [lk for _, lk in sorted(links, key=lambda p: p[0])]
    return data


def _is_unset(value: Any) -> bool:
    """An empty value as tools that write every attribute on every element leave it."""
    return value == "" or (isinstance(value, float) and math.isnan(value))


def resaved(graph: nx.DiGraph[str]) -> nx.DiGraph[str]:
    """A network re-saved by another tool, brought back to the shape :func:`to_network` makes.

    Tools that renumber vertices (igraph writes ``n0``, ``n1``, ... and keeps
    the old id in an ``id`` attribute; Gephi and Cytoscape do the like) also
    write every attribute on every element, empty when unset. When the
    vertices carry an ``id`` attribute, they are renamed back to it, and empty
    values (``""``, NaN) are read as unset. A network whose vertices carry no
    ``id`` attribute is returned unchanged (cimo's own files, networkx's re-saves).

    >>> g = nx.DiGraph()
    >>> g.add_node("n0", id="in-work", kind="context", label="In work", description="")
    >>> dict(resaved(g).nodes["in-work"])
    {'kind': 'context', 'label': 'In work'}
    """
    ids = {v: attrs["id"] for v, attrs in graph.nodes(data=True) if attrs.get("id") is not None}
    if not ids:
        return graph
    if len(ids) != len(graph) or len(set(ids.values())) != len(ids):
        raise FileFormatError(
            "some vertices carry an 'id' attribute and some do not, or two carry the same "
            "one; re-save the file with every vertex's original id in its 'id' attribute"
        )
    out: nx.DiGraph[str] = nx.DiGraph()
    out.graph.update((k, v) for k, v in graph.graph.items() if not _is_unset(v))
    for v, attrs in graph.nodes(data=True):
        out.add_node(
            str(ids[v]), **{k: x for k, x in attrs.items() if k != "id" and not _is_unset(x)}
        )
    for u, v, attrs in graph.edges(data=True):
        kept = {k: x for k, x in attrs.items() if k != "id" and not _is_unset(x)}
        if isinstance(kept.get("position"), float) and kept["position"].is_integer():
            kept["position"] = int(kept["position"])  # igraph keeps every number as a double
        out.add_edge(str(ids[u]), str(ids[v]), **kept)
    return out


def to_graphml(theory: Theory) -> str:
    """The theory as GraphML text (opens in Gephi, yEd, Cytoscape; reads back with networkx).

    >>> import cimo, networkx as nx
    >>> g = nx.parse_graphml(to_graphml(cimo.load_example("pwp-resilience")))
    >>> g.nodes["burnout"]["kind"]
    'rule'
    """
    check_xml_text(theory)
    return graphml_text(*_network_parts(theory))


def from_graphml(text: str | bytes) -> Theory:
    """Read a theory back from GraphML written by :func:`to_graphml`, or re-saved by a tool.

    A file re-saved by igraph (or another tool that renumbers vertices and
    writes every attribute everywhere) is read through :func:`resaved`;
    networkx's re-saves need nothing.

    Bytes are decoded as the XML declaration says (UTF-8, UTF-16, Latin-1,
    ...). A DTD or entity declaration is refused, and a value that does not
    fit its key's ``attr.type`` is named with its node or edge and key.

    Raises:
        FileFormatError: if the text is not GraphML of a cimo network.
        InvalidTheoryError: if the theory does not hold together.
    """
    check_typed_values(safe_xml(text, what="GraphML"))
    try:
        graph = nx.parse_graphml(text)  # type: ignore[arg-type]  # bytes work too
    except Exception as err:
        raise FileFormatError(f"not readable as GraphML: {err}") from None
    if not isinstance(graph, nx.DiGraph) or graph.is_multigraph():
        raise FileFormatError("the GraphML graph must be directed and simple (not a multigraph)")
    return from_network(resaved(graph))


_GEXF_NS = "http://gexf.net/1.3"


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


_CONVERTERS: dict[str, Any] = {
    "int": int,
    "long": int,
    "float": float,
    "double": float,
    "boolean": lambda v: {"true": True, "false": False, "1": True, "0": False}[v.lower()],
}


def check_typed_values(root: Any) -> None:
    """Check every GraphML ``<data>`` value fits its key's ``attr.type``.

    Raises:
        FileFormatError: naming the node (or edge) and the key of the first value that does not.
    """
    keys = {
        key.get("id"): (key.get("attr.name") or key.get("id"), key.get("attr.type", "string"))
        for key in root.iter()
        if _local(key.tag) == "key"
    }
    for element in root.iter():
        kind = _local(element.tag)
        if kind not in ("node", "edge", "graph"):
            continue
        for data in element:
            if _local(data.tag) != "data":
                continue
            name, typ = keys.get(data.get("key"), (data.get("key"), "string"))
            convert = _CONVERTERS.get(typ)
            value = (data.text or "").strip()
            try:
                if convert is not None:
                    convert(value)
            except (ValueError, KeyError):
                owner = element.get("id") or (
                    f"{element.get('source')} -> {element.get('target')}" if kind == "edge" else ""
                )
                raise FileFormatError(
                    f"GraphML {kind} {owner!r}: the value {value[:40]!r} of key {name!r} "
                    f"({data.get('key')}) is not a {typ}; fix the value, or the key's attr.type"
                ) from None


def check_node_link(data: dict[str, Any], key: str) -> None:
    """Check the shape of node-link data before networkx reads it.

    Raises:
        FileFormatError: saying which part (``graph``, a node, an edge) has the wrong type.
    """
    if not isinstance(data.get("graph", {}), dict):
        raise _nl('"graph" must be an object holding the theory\'s fields')
    for part in ("nodes", key):
        if not isinstance(data[part], list):
            raise _nl(f'"{part}" must be a list of objects')
    for i, node in enumerate(data["nodes"], start=1):
        if not isinstance(node, dict):
            raise _nl(f"node {i} is not an object (it is {json.dumps(node)[:40]})")
        if not isinstance(node.get("id"), str | int) or isinstance(node.get("id"), bool):
            raise _nl(f'node {i} has no "id" (text)')
    for i, edge in enumerate(data[key], start=1):
        if not isinstance(edge, dict):
            raise _nl(f"edge {i} is not an object (it is {json.dumps(edge)[:40]})")
        for end in ("source", "target"):
            if not isinstance(edge.get(end), str | int) or isinstance(edge.get(end), bool):
                raise _nl(f'edge {i} has no "{end}" (a node id)')


def _nl(message: str) -> FileFormatError:
    return FileFormatError(f"node-link JSON: {message}")


def to_gexf(theory: Theory) -> str:
    """The theory's nodes, rules and links as GEXF 1.3 text (Gephi's own format).

    GEXF has no graph attributes: the theory's title is the file's
    ``<meta><description>`` (the only place GEXF gives it), its other
    top-level fields (sources, iterations, taxonomy, ...) are left out.

    >>> import cimo
    >>> text = to_gexf(cimo.load_example("pwp-resilience"))
    >>> '<gexf xmlns="http://gexf.net/1.3"' in text, "<description>Building resilience" in text
    (True, True)
    """
    check_xml_text(theory)
    g = to_network(theory)
    g.graph = {}
    writer = GEXFWriter(g, version="1.3")
    graph_element = writer.xml.find("graph")
    meta = writer.xml.find("meta")
    if graph_element is None or meta is None:  # pragma: no cover - networkx always writes both
        raise RuntimeError("networkx wrote GEXF without <meta> or <graph>")
    # networkx 3.x spells the XSI namespace without "www." for GEXF 1.3: put it right.
    writer.xml.set("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance")
    graph_element.attrib.pop("name", None)  # GEXF 1.3 allows no name on <graph>
    meta.attrib.pop("lastmodifieddate", None)  # the same theory gives the same file
    creator = meta.find("creator")
    if creator is not None:
        creator.text = f"cimo {__version__}"
    ET.SubElement(meta, "description").text = theory.title
    return str(writer) + "\n"


def node_link_data(theory: Theory) -> dict[str, Any]:
    """The theory as node-link data, its edges under both ``links`` and ``edges``.

    Every networkx version reads it with its default call
    (``nx.node_link_graph(data)``: ``links`` before 3.6, ``edges`` since), and
    D3's force layouts take ``data.links`` as they are. The two lists are equal.

    >>> import cimo
    >>> data = node_link_data(cimo.load_example("pwp-resilience"))
    >>> sorted(data)
    ['directed', 'edges', 'graph', 'links', 'multigraph', 'nodes']
    >>> data["links"][0]
    {'source': 'lack-of-experience', 'target': 'individual-challenges', 'slot': 'if', 'position': 0}
    """
    graph, vertices, edges = _network_parts(theory)
    links = [{"source": u, "target": v, **attrs} for (u, v), attrs in edges.items()]
    return {
        "directed": True,
        "multigraph": False,
        "graph": graph,
        "nodes": [{"id": v, **attrs} for v, attrs in vertices.items()],
        "links": links,
        "edges": links,
    }


@paused_gc()  # many small dicts, no cycles
def to_node_link(theory: Theory) -> str:
    """The theory as node-link JSON text; :func:`from_node_link` reads it back whole.

    Written by pydantic-core's JSON encoder (indented, UTF-8 kept as it is).
    """
    data = node_link_data(theory)
    # "edges" repeats "links" (the same list): written once, its text used twice. Both are
    # top-level keys, so they are indented alike; "links" is the last key written, and no
    # line inside a value starts with two spaces and a quote (the values are indented deeper).
    del data["edges"]
    text = pydantic_core.to_json(data, indent=2).decode()
    key = '\n  "links": '
    links = text[text.rindex(key) + len(key) : -2]
    return f'{text[:-2]},\n  "edges": {links}\n}}\n'


def to_graphology(theory: Theory) -> str:
    """The theory in graphology's own serialisation (``Graph.from(data)`` / ``graph.import``).

    ``{"attributes", "options", "nodes": [{"key", "attributes"}], "edges":
    [{"key", "source", "target", "attributes"}]}``, as graphology (and Sigma.js,
    Gephi Lite) export and import it.

    >>> import cimo
    >>> data = json.loads(to_graphology(cimo.load_example("pwp-resilience")))
    >>> data["options"], data["nodes"][0]["key"]
    ({'type': 'directed', 'multi': False, 'allowSelfLoops': True}, 'lack-of-experience')
    """
    g = to_network(theory)
    data = {
        "attributes": dict(g.graph),
        "options": {"type": "directed", "multi": False, "allowSelfLoops": True},
        "nodes": [{"key": v, "attributes": dict(attrs)} for v, attrs in g.nodes(data=True)],
        "edges": [
            {"key": f"e{i}", "source": u, "target": v, "attributes": dict(attrs)}
            for i, (u, v, attrs) in enumerate(g.edges(data=True))
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _graph_from_node_link(data: Any) -> nx.DiGraph[str]:
    """The network in node-link data (``links`` or ``edges``) or graphology's serialisation."""
    if not isinstance(data, dict) or not isinstance(data.get("nodes"), list):
        raise FileFormatError(
            "node-link JSON must be an object with a 'nodes' list and a 'links' (or 'edges') "
            "list, as written by networkx.node_link_data, graphology's export or "
            "'cimo export --to nodelink'"
        )
    if data.get("directed") is False or data.get("multigraph") is True:
        raise FileFormatError(
            'node-link JSON of a theory is directed and not a multigraph: set "directed": true'
        )
    options = data.get("options")
    graphology = isinstance(options, dict) or any(
        isinstance(n, dict) and "key" in n and "id" not in n for n in data["nodes"]
    )
    if not graphology:
        key = "links" if "links" in data else "edges"
        check_node_link({**data, key: data.get(key, [])}, key)
    if isinstance(options, dict) and (
        options.get("type") == "undirected" or options.get("multi") is True
    ):
        raise FileFormatError('graphology JSON of a theory is directed: set "type": "directed"')
    g: nx.DiGraph[str] = nx.DiGraph()
    graph_attrs = data.get("graph", data.get("attributes")) or {}
    if not isinstance(graph_attrs, dict):
        raise FileFormatError(
            "the graph's attributes ('graph' or 'attributes') must be an object holding the "
            f"theory's fields, not {type(graph_attrs).__name__}"
        )
    g.graph.update(graph_attrs)
    for i, node in enumerate(data["nodes"]):
        if not isinstance(node, dict) or not _is_id(node.get("id", node.get("key"))):
            raise FileFormatError(f"node {i + 1} has no 'id' (or graphology 'key')")
        vid, attrs = _item(node, "id", "key")
        g.add_node(str(vid), **attrs)
    if "links" in data and "edges" in data and data["links"] != data["edges"]:
        raise FileFormatError(
            "node-link JSON has both 'links' and 'edges' and they differ; keep one of them"
        )
    edges = data.get("links", data.get("edges")) or []
    for i, edge in enumerate(edges if isinstance(edges, list) else ()):
        ends = (edge.get("source"), edge.get("target")) if isinstance(edge, dict) else ()
        if len(ends) != 2 or not all(_is_id(e) and str(e) in g for e in ends):
            raise FileFormatError(
                f"link {i + 1}: 'source' and 'target' must name nodes (got {ends or edge!r})"
            )
        _, attrs = _item(edge, "source", "target", "key")
        g.add_edge(str(ends[0]), str(ends[1]), **attrs)
    return g


def _is_id(value: Any) -> bool:
    return isinstance(value, str | int) and not isinstance(value, bool)


def _item(item: dict[str, Any], *keys: str) -> tuple[str, dict[str, Any]]:
    """The id of a node-link item and its attributes (flat, or graphology's ``attributes``)."""
    ident = next((item[k] for k in keys if k in item), "")
    nested = item.get("attributes")
    attrs = dict(nested) if isinstance(nested, dict) and "key" in item else dict(item)
    return ident, {k: v for k, v in attrs.items() if k not in keys}


def from_node_link(text: str | bytes) -> Theory:
    """Read a theory from node-link JSON (``links`` or ``edges``) or graphology's serialisation.

    Reads what :func:`to_node_link` and :func:`to_graphology` write, and what
    networkx (any version), graphology and D3 tools write back.

    Raises:
        FileFormatError: if the text is not node-link JSON of a cimo network.
        InvalidTheoryError: if the theory does not hold together.
    """
    return from_network(_graph_from_node_link(parse_json(text)))
