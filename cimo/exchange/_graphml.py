"""GraphML text written in one pass, for :func:`cimo.exchange.networks.to_graphml`.

Private to :mod:`cimo.exchange.networks`, which makes the network's parts.
"""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape, quoteattr

__all__ = ["graphml_text"]

_GRAPHML_HEAD = (
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
    'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">'
)
#: GraphML's attr.type of each Python type, as networkx's writer (and reader) names them.
_GRAPHML_TYPES = {str: "string", int: "long", float: "double", bool: "boolean"}
_TEXT = {"\r": "&#13;"}
_ATTR = {'"': "&quot;", "\n": "&#10;", "\r": "&#13;", "\t": "&#9;"}


def graphml_text(
    graph: dict[str, Any],
    vertices: dict[str, dict[str, Any]],
    edges: dict[tuple[str, str], dict[str, Any]],
) -> str:
    """GraphML text of a network's parts, written in one pass.

    The document networkx's own writer makes of the same network (a key per
    attribute name, type and domain; the same attr.type names), written
    straight to text: networkx builds an ElementTree first, four fifths of the
    cost of an export.
    """
    keys: dict[tuple[str, str, str], str] = {}
    declared: list[str] = []

    def data(domain: str, attrs: dict[str, Any], indent: str) -> list[str]:
        out = []
        for name, value in attrs.items():
            if value is None:
                continue
            kind = _GRAPHML_TYPES.get(type(value), "string")
            key = keys.get((name, kind, domain))
            if key is None:
                key = keys[name, kind, domain] = f"d{len(keys)}"
                declared.append(
                    f'  <key id="{key}" for="{domain}" attr.name={quoteattr(name, _ATTR)} '
                    f'attr.type="{kind}" />'
                )
            text = str(value).lower() if kind == "boolean" else str(value)
            out.append(f'{indent}<data key="{key}">{escape(text, _TEXT)}</data>')
        return out

    body = data("graph", graph, "    ")
    for v, attrs in vertices.items():
        body.append(f"    <node id={quoteattr(v, _ATTR)}>")
        body += data("node", attrs, "      ")
        body.append("    </node>")
    for (u, v), attrs in edges.items():
        body.append(f"    <edge source={quoteattr(u, _ATTR)} target={quoteattr(v, _ATTR)}>")
        body += data("edge", attrs, "      ")
        body.append("    </edge>")
    head = [_GRAPHML_HEAD, *declared, '  <graph edgedefault="directed">']
    return "\n".join([*head, *body, "  </graph>", "</graphml>", ""])
