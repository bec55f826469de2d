"""Helpers for the rendering tests: read DOT statements and SVG output."""

from __future__ import annotations

import re

from lxml import etree

SVG = "{http://www.w3.org/2000/svg}"
_NODE = re.compile(r'^\s*"((?:[^"\\]|\\.)*)" \[(.*)\]$')
_EDGE = re.compile(r'^\s*"((?:[^"\\]|\\.)*)" -> "((?:[^"\\]|\\.)*)"(?: \[(.*)\])?$')
_ATTR = re.compile(r'(\w+)=(?:"((?:[^"\\]|\\.)*)"|<(.*?)>(?=, \w+=|$))')


def attrs(text: str) -> dict[str, str]:
    return {
        m.group(1): m.group(2) if m.group(2) is not None else m.group(3)
        for m in _ATTR.finditer(text)
    }


def dot_nodes(source: str) -> dict[str, dict[str, str]]:
    """Node statements with attributes (references without attributes are skipped)."""
    out = {}
    for line in source.splitlines():
        m = _NODE.match(line)
        if m and " -> " not in line:
            out[m.group(1)] = attrs(m.group(2))
    return out


def dot_edges(source: str) -> list[tuple[str, str, dict[str, str]]]:
    out = []
    for line in source.splitlines():
        m = _EDGE.match(line)
        if m:
            out.append((m.group(1), m.group(2), attrs(m.group(3) or "")))
    return out


def svg_groups(svg: bytes | str, cls: str) -> dict[str, list[str]]:
    """``<g class=cls>`` elements by their title, with the text lines they hold."""
    data = svg.encode() if isinstance(svg, str) else svg
    root = etree.fromstring(data, parser=etree.XMLParser(huge_tree=True))
    out: dict[str, list[str]] = {}
    for g in root.iter(f"{SVG}g"):
        if g.get("class") != cls:
            continue
        title = g.find(f"{SVG}title")
        assert title is not None
        out.setdefault(title.text or "", []).extend(t.text or "" for t in g.iter(f"{SVG}text"))
    return out


def graphviz_spaces(line: str) -> str:
    """How Graphviz writes a line in SVG: a space after a space becomes a no-break space."""
    return re.sub(r"(?<= ) ", "\xa0", line)


_SCALE = re.compile(r"scale\(\s*([-+\d.eE]+)(?:[ ,]+([-+\d.eE]+))?\s*\)")
_UNITS = {"pt": 1.0, "in": 72.0, "px": 0.75, "cm": 72 / 2.54, "mm": 72 / 25.4}


def _points(length: str) -> float:
    m = re.fullmatch(r"\s*([\d.]+)\s*([a-z]*)\s*", length)
    assert m, f"not an SVG length: {length!r}"
    return float(m.group(1)) * _UNITS.get(m.group(2), 1.0)


def printed_fonts(svg: bytes | str) -> tuple[float, float, list[float]]:
    """An SVG as it prints at the size it declares: width, height (pt) and each text's size (pt).

    A text's printed size is its ``font-size``, times every ``scale()`` above it,
    times the points per SVG unit (the declared width over the viewBox width).
    """
    data = svg.encode() if isinstance(svg, str) else svg
    root = etree.fromstring(data, parser=etree.XMLParser(huge_tree=True))
    width, height = _points(root.get("width")), _points(root.get("height"))
    box = [float(v) for v in root.get("viewBox").split()]
    unit = width / box[2]
    sizes: list[float] = []

    def walk(element: etree._Element, factor: float) -> None:
        found = _SCALE.search(element.get("transform") or "")
        if found:
            factor *= float(found.group(1))
        if element.tag == f"{SVG}text" and (element.text or "").strip():
            sizes.append(float(element.get("font-size")) * factor * unit)
        for child in element:
            walk(child, factor)

    walk(root, 1.0)
    return width, height, sizes


def legend(source: str) -> dict[str, dict[str, str]]:
    """The nodes of a map's legend (its samples of each kind and its table of lines), by id."""
    return {k: v for k, v in dot_nodes(source).items() if k.split(":")[:2] == ["cimo", "legend"]}


def legend_words(source: str) -> str:
    """Everything the legend says, its samples' names and its lines, as one text."""
    text = " ".join(node.get("label", "") for node in legend(source).values())
    return re.sub(r'<BR ALIGN="\w+"/>', " ", text)
