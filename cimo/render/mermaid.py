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
from cimo.model import Mechanism, Theory
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


def mermaid(theory: Theory, *, style: Style = DEFAULT_STYLE) -> str:
    """The theory map as Mermaid ``flowchart`` text.

    Args:
        theory: The theory.
        style: Colours for the kinds and mechanism categories.

    Returns:
        Mermaid text; put it in a fenced block tagged ``mermaid``.
    """
    short = {n.id: f"n{i}" for i, n in enumerate(theory.nodes)}
    lines = ["flowchart LR"]
    for kind, title in _LANES:
        members = [n for n in theory.nodes if n.kind == kind]
        if not members:
            continue
        lines.append(f'  subgraph lane_{kind}["{title}"]')
        lines.append("    direction TB")
        for n in members:
            open_, close = ("([", "])") if kind == "mechanism" else ("[", "]")
            lines.append(f'    {short[n.id]}{open_}"{mermaid_text(n.label)}"{close}')
        lines.append("  end")
    for u, v, relation in element_graph(theory).edges(keys=True):
        arrow = "==>" if theory.index[u].kind == "outcome" else _ARROWS[relation]
        if relation == "disables":
            arrow = "-.-x"
        lines.append(f"  {short[u]} {arrow} {short[v]}")
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
    return "\n".join(lines) + "\n"
