"""Mermaid flowchart text, for documentation sites that render it (GitHub, MkDocs, GitLab).

The same four lanes as the theory map (contexts, interventions, mechanisms,
outcomes, left to right), each a subgraph; UNLESS edges dotted with a cross
head, REDUCES edges with a cross head, chains thick. Node ids are numbered
(``n0``, ``n1``, ...) so no id can break Mermaid's syntax, and labels are
escaped with Mermaid's entity codes.

>>> import cimo
>>> text = mermaid(cimo.load_example("pwp-resilience"))
>>> text.splitlines()[0]
'flowchart LR'
>>> "-.-x" in text and "==>" in text
True
"""

from __future__ import annotations

from cimo.graph import element_graph
from cimo.model import Mechanism, Node, Theory
from cimo.render._look import node_words
from cimo.render._words import bracketed
from cimo.render.style import DEFAULT_STYLE, Style

__all__ = ["mermaid", "mermaid_text"]

_ENTITIES = {
    "#": "#35;",
    '"': "#quot;",
    "<": "#lt;",
    ">": "#gt;",
    "&": "#amp;",
    "\n": "<br/>",
    "`": "#96;",
    "\r": " ",
}
_ARROWS = {
    "enables": "-->",
    "triggers": "-->",
    "produces": "-->",
    "disables": "-.-x",
    "reduces": "--x",
    "link": "==>",
}
_LANES = (
    ("context", "Contexts"),
    ("intervention", "Interventions"),
    ("mechanism", "Mechanisms"),
    ("outcome", "Outcomes"),
)


def mermaid_text(text: str) -> str:
    """Escape text for a quoted Mermaid label.

    >>> mermaid_text('Say "no" & <go> #1')
    'Say #quot;no#quot; #amp; #lt;go#gt; #35;1'
    """
    return "".join(_ENTITIES.get(c, c) for c in text)


def _label(node: Node) -> str:
    """A node's label with the label the source printed before it ("(C1) Lean")."""
    words = node_words(node)
    return f"{bracketed(node.source_label)} {words}" if node.source_label else words


def _nodes(theory: Theory, short: dict[str, str]) -> list[str]:
    lines = []
    for kind, title in _LANES:
        members = [n for n in theory.nodes if n.kind == kind]
        if not members:
            continue
        lines.append(f'  subgraph lane_{kind}["{title}"]')
        lines.append("    direction TB")
        for n in members:
            open_, close = ("([", "])") if kind == "mechanism" else ("[", "]")
            lines.append(f'    {short[n.id]}{open_}"{mermaid_text(_label(n))}"{close}')
        lines.append("  end")
    return lines


class _Edges:
    """Edge lines, with the index of each edge that needs a ``linkStyle`` (grey or dashed)."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.looks: dict[str, list[int]] = {"refuted": [], "hypothesised": [], "inferred": []}

    def add(self, line: str, look: str = "") -> None:
        if look:
            self.looks[look].append(len(self.lines))
        self.lines.append(line)

    def styles(self, style: Style) -> list[str]:
        css = {
            "refuted": f"stroke:{style.refuted}",
            "hypothesised": "stroke-dasharray:5 4",
            "inferred": f"stroke:{style.inferred},stroke-dasharray:5 4",
        }
        return [
            f"  linkStyle {','.join(map(str, ids))} {css[look]}"
            for look, ids in self.looks.items()
            if ids
        ]


def _element_edges(theory: Theory, short: dict[str, str], edges: _Edges) -> list[str]:
    """The element graph's edges; a rule's alternative mechanisms meet at a junction node."""
    status = {r.id: r.status for r in theory.rules}
    junctions = {
        r.id: r
        for r in theory.rules
        if r.mechanism_mode in ("alternatives", "unstated") and len(r.mechanisms) > 1
    }
    routed: dict[str, tuple[dict[str, None], dict[str, str]]] = {}
    for u, v, relation, data in element_graph(theory).edges(keys=True, data=True):
        if not relation:  # a slot that draws no element edge (OTHERWISE)
            continue
        rules = tuple(data["rules"])
        if relation in ("produces", "reduces"):
            own = {r for r in rules if r in junctions}
            for r in own:
                ins, outs = routed.setdefault(r, ({}, {}))
                ins[u] = None
                outs[v] = relation
            rules = tuple(r for r in rules if r not in own)
            if not rules:
                continue
        arrow = "==>" if theory.index[u].kind == "outcome" else _ARROWS[relation]
        if relation == "disables":
            arrow = "-.-x"
        look = (
            _look({status[r] for r in rules})
            if relation in ("enables", "triggers", "produces")
            else ""
        )
        edges.add(f"  {short[u]} {arrow} {short[v]}", look)
    nodes = []
    for i, (rule_id, (ins, outs)) in enumerate(routed.items()):
        rule = junctions[rule_id]
        j = f"j{i}"
        word = "or" if rule.mechanism_mode == "alternatives" else "?"
        nodes.append(f'  {j}(("{word}"))')
        look = _look({rule.status})
        for m in ins:
            edges.add(f"  {short[m]} --- {j}", look)
        for o, relation in outs.items():
            edges.add(f"  {j} {_ARROWS[relation]} {short[o]}", look)
    return nodes


def _look(statuses: set[str]) -> str:
    if statuses == {"refuted"}:
        return "refuted"
    if statuses and statuses <= {"hypothesised", "refuted"}:
        return "hypothesised"
    return ""


def _relations(theory: Theory, short: dict[str, str], edges: _Edges) -> None:
    """Relations between elements, labelled by type; inferred ones dashed grey."""
    for rel in theory.relations:
        if rel.from_ in short and rel.to in short:
            word = mermaid_text(rel.type.replace("-", " "))
            edges.add(
                f"  {short[rel.from_]} -->|{word}| {short[rel.to]}",
                "" if rel.stated else "inferred",
            )


def mermaid(theory: Theory, *, style: Style = DEFAULT_STYLE) -> str:
    """The theory map as Mermaid ``flowchart`` text.

    Elements show the label the source printed ("(C1) Lean"). Edges that only
    hypothesised rules draw are dashed, those only refuted rules draw grey; a
    rule's alternative mechanisms meet at an "or" circle ("?" when the source
    does not say how they combine); relations are labelled by type, inferred
    ones dashed grey.

    Args:
        theory: The theory.
        style: Colours for the kinds and mechanism categories.

    Returns:
        Mermaid text; put it in a fenced block tagged ``mermaid``.
    """
    short = {n.id: f"n{i}" for i, n in enumerate(theory.nodes)}
    lines = ["flowchart LR", *_nodes(theory, short)]
    edges = _Edges()
    lines += _element_edges(theory, short, edges)
    _relations(theory, short, edges)
    lines += edges.lines
    classes: dict[str, list[str]] = {}
    fills = dict(style.kind_fill)
    for n in theory.nodes:
        key: str = n.kind
        if isinstance(n, Mechanism) and n.category:
            key = "cat_" + "".join(c if c.isalnum() else "_" for c in n.category)
            fills[key] = style.category_colour(n.category)
        classes.setdefault(key, []).append(short[n.id])
    for key, ids in classes.items():
        border = style.kind_border.get(key, style.kind_border["mechanism"])
        lines.append(f"  classDef {key} fill:{fills[key]},stroke:{border},color:{style.text}")
        lines.append(f"  class {','.join(ids)} {key}")
    lines += edges.styles(style)
    return "\n".join(lines) + "\n"
