"""draw.io / diagrams.net: the theory map as an editable diagram, the lanes as containers.

An ``.drawio`` file (``<mxfile>`` holding one uncompressed ``<mxGraphModel>``,
the mxGraph model draw.io opens): one swimlane container per kind
(Contexts, Interventions, Mechanisms, Outcomes, left to right), each node a
box inside its lane, placed where Graphviz's ``dot`` puts it in
:func:`cimo.render.theory_map` (so Graphviz is needed), and the edges of the
map between them (UNLESS dashed with a bar, REDUCES with a bar, chains
bold). Each cell's ``id`` is ``node:<id>``, ``lane:<kind>`` or ``edge:<n>``,
so the structure survives hand-finishing.

It keeps the map: nodes with their labels, kinds and mechanism colours, and
the edges between them with their relation. It loses the rules as units,
and every field but labels. It is export only.

>>> import cimo
>>> text = to_drawio(cimo.load_example("pwp-resilience"))
>>> '<mxCell id="lane:mechanism" value="Mechanisms"' in text
True
"""

from __future__ import annotations

import html
import xml.etree.ElementTree as ET
from collections import defaultdict

from cimo.core.vocabulary import KINDS
from cimo.exchange._common import check_xml_text
from cimo.graph import element_graph
from cimo.model import Mechanism, Theory
from cimo.render.backend import Box, layout_boxes
from cimo.render.diagram import theory_map
from cimo.render.style import DEFAULT_STYLE, Style

__all__ = ["to_drawio"]

_LANE_TITLES = {
    "context": "Contexts",
    "intervention": "Interventions",
    "mechanism": "Mechanisms",
    "outcome": "Outcomes",
}
_HEADER = 30.0
_PAD = 12.0


def _geometry(cell: ET.Element, box: Box) -> None:
    ET.SubElement(
        cell,
        "mxGeometry",
        x=f"{box.x:.1f}",
        y=f"{box.y:.1f}",
        width=f"{box.width:.1f}",
        height=f"{box.height:.1f}",
        attrib={"as": "geometry"},
    )


def _edge_style(relation: str, chain: bool, style: Style) -> str:
    look = "edgeStyle=orthogonalEdgeStyle;rounded=1;html=1;"
    if chain:
        return look + f"strokeWidth=3;strokeColor={style.chain};"
    if relation == "disables":
        return look + f"dashed=1;endArrow=baseDash;strokeColor={style.disabling};"
    if relation == "reduces":
        return look + f"endArrow=baseDash;strokeColor={style.reduces};"
    return look + f"strokeColor={style.line};"


def to_drawio(theory: Theory, *, style: Style = DEFAULT_STYLE) -> str:
    """The theory map as a draw.io (diagrams.net) file, the lanes as containers.

    Raises:
        UsageError: if the theory holds characters XML cannot carry.
        RenderError: if Graphviz's ``dot`` is missing (it places the boxes).
    """
    style = style.for_theory(theory)
    check_xml_text(theory)
    boxes = layout_boxes(theory_map(theory, style=style, legend=False).source)
    lanes: dict[str, list[str]] = defaultdict(list)
    for node in theory.nodes:
        lanes[node.kind].append(node.id)
    mxfile = ET.Element("mxfile", host="cimo")
    diagram = ET.SubElement(mxfile, "diagram", id=theory.id, name=theory.title[:100])
    model = ET.SubElement(diagram, "mxGraphModel", grid="1", page="0", arrows="1")
    root = ET.SubElement(model, "root")
    ET.SubElement(root, "mxCell", {"id": "0"})
    ET.SubElement(root, "mxCell", {"id": "1", "parent": "0"})
    for kind in (k for k in KINDS if lanes[k]):
        members = [boxes[i] for i in lanes[kind]]
        left = min(b.x for b in members) - _PAD
        top = min(b.y for b in members) - _PAD - _HEADER
        lane = Box(
            left,
            top,
            max(b.x + b.width for b in members) + _PAD - left,
            max(b.y + b.height for b in members) + _PAD - top,
        )
        lane_cell = ET.SubElement(
            root,
            "mxCell",
            {
                "id": f"lane:{kind}",
                "value": _LANE_TITLES[kind],
                "style": f"swimlane;startSize={_HEADER:.0f};fontStyle=1;"
                f"fillColor={style.kind_fill[kind]};strokeColor={style.kind_border[kind]};",
                "vertex": "1",
                "parent": "1",
            },
        )
        _geometry(lane_cell, lane)
        for ident in lanes[kind]:
            node = theory.index[ident]
            fill = (
                style.category_colour(node.category)
                if isinstance(node, Mechanism)
                else style.kind_fill[kind]
            )
            shape = "ellipse;" if kind == "mechanism" else "rounded=0;"
            cell = ET.SubElement(
                root,
                "mxCell",
                {
                    "id": f"node:{ident}",
                    "value": html.escape(node.label),
                    "style": f"{shape}whiteSpace=wrap;html=1;fillColor={fill};"
                    f"strokeColor={style.kind_border[kind]};",
                    "vertex": "1",
                    "parent": f"lane:{kind}",
                },
            )
            b = boxes[ident]
            _geometry(cell, Box(b.x - lane.x, b.y - lane.y, b.width, b.height))
    for n, (u, v, relation) in enumerate(element_graph(theory).edges(keys=True)):
        chain = theory.index[u].kind == "outcome"
        edge = ET.SubElement(
            root,
            "mxCell",
            {
                "id": f"edge:{n}",
                "style": _edge_style(relation, chain, style),
                "edge": "1",
                "parent": "1",
                "source": f"node:{u}",
                "target": f"node:{v}",
            },
        )
        ET.SubElement(edge, "mxGeometry", relative="1", attrib={"as": "geometry"})
    ET.indent(mxfile)
    return ET.tostring(mxfile, encoding="unicode") + "\n"
