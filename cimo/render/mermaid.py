"""Mermaid flowchart text, for documentation sites that render it (GitHub, MkDocs, GitLab).

Two views, as ``cimo render`` draws them with Graphviz:

* the **map** (:func:`mermaid`): the four lanes, contexts, interventions,
  mechanisms and outcomes, each a subgraph, kept in that order left to
  right by invisible links between the lanes; UNLESS edges dotted with a
  cross head, REDUCES edges with a cross head, chains thick;
* the **rule cards** (:func:`mermaid_rules`): each rule a card with its
  if-then-because statement, boxed by theme, chain edges between them.

Each has a legend (a subgraph of its own: the kinds, and the edge types
the diagram uses). Node ids are numbered (``n0``, ``n1``, ...) so no id can
break Mermaid's syntax, and labels are escaped with Mermaid's entity codes.
Every output is parsed by mermaid's own parser in the tests.

>>> import cimo
>>> text = mermaid(cimo.load_example("pwp-resilience"))
>>> text.splitlines()[0]
'flowchart LR'
>>> "-.-x" in text and "==>" in text and "lane_context ~~~ lane_mechanism" in text
True
"""

from __future__ import annotations

import itertools
from collections import defaultdict

from cimo.graph import chain_links, element_graph
from cimo.model import Mechanism, Theory
from cimo.render.style import DEFAULT_STYLE, Style
from cimo.render.text import statement

__all__ = ["mermaid", "mermaid_rules", "mermaid_text"]

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
_ARROW_WORDS = {
    "-->": "enables, triggers, produces",
    "-.-x": "UNLESS: disables",
    "--x": "reduces",
    "==>": "chain: an outcome feeds a later rule",
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


def _class_lines(members: dict[str, list[str]], fills: dict[str, str], style: Style) -> list[str]:
    lines = []
    for key, ids in members.items():
        border = style.kind_border.get(key, style.kind_border["mechanism"])
        lines.append(f"  classDef {key} fill:{fills[key]},stroke:{border},color:{style.text}")
        lines.append(f"  class {','.join(ids)} {key}")
    return lines


def _legend(kinds: list[str], arrows: list[str], style: Style) -> list[str]:
    """A legend subgraph: one box per kind shown, one labelled sample per edge type used."""
    lines = ['  subgraph legend["Legend"]', "    direction TB"]
    for kind in kinds:
        open_, close = ("([", "])") if kind == "mechanism" else ("[", "]")
        lines.append(f'    legend_{kind}{open_}"{kind.capitalize()}"{close}')
    for i, arrow in enumerate(arrows):
        words = mermaid_text(_ARROW_WORDS[arrow])
        lines.append(f'    legend_a{i}[" "] {arrow}|"{words}"| legend_b{i}[" "]')
    lines.append("  end")
    lines.append(f"  style legend fill:{style.background},stroke:{style.line}")
    return lines


def mermaid(theory: Theory, *, style: Style = DEFAULT_STYLE, legend: bool = True) -> str:
    """The theory map as Mermaid ``flowchart`` text, lanes in order, with a legend.

    Args:
        theory: The theory.
        style: Colours for the kinds and mechanism categories.
        legend: Add a legend of the kinds and edge types shown.

    Returns:
        Mermaid text; put it in a fenced block tagged ``mermaid``.
    """
    short = {n.id: f"n{i}" for i, n in enumerate(theory.nodes)}
    lines = ["flowchart LR"]
    lanes = []
    for kind, title in _LANES:
        in_lane = [n for n in theory.nodes if n.kind == kind]
        if not in_lane:
            continue
        lanes.append(kind)
        lines.append(f'  subgraph lane_{kind}["{title}"]')
        lines.append("    direction TB")
        for n in in_lane:
            open_, close = ("([", "])") if kind == "mechanism" else ("[", "]")
            lines.append(f'    {short[n.id]}{open_}"{mermaid_text(n.label)}"{close}')
        lines.append("  end")
    used: dict[str, None] = {}
    for u, v, relation in element_graph(theory).edges(keys=True):
        arrow = "==>" if theory.index[u].kind == "outcome" else _ARROWS[relation]
        if relation == "disables":
            arrow = "-.-x"
        used[arrow] = None
        lines.append(f"  {short[u]} {arrow} {short[v]}")
    # Invisible links keep the lanes left to right (and the legend after them).
    order = [f"lane_{k}" for k in lanes] + (["legend"] if legend and lanes else [])
    lines += [f"  {a} ~~~ {b}" for a, b in itertools.pairwise(order)]
    members: dict[str, list[str]] = {}
    fills = dict(style.kind_fill)
    for n in theory.nodes:
        key: str = n.kind
        if isinstance(n, Mechanism) and n.category:
            key = "cat_" + "".join(c if c.isalnum() else "_" for c in n.category)
            fills[key] = style.category_colour(n.category)
        members.setdefault(key, []).append(short[n.id])
    if legend and lanes:
        lines += _legend(lanes, list(used), style)
        for kind in lanes:
            members.setdefault(kind, []).append(f"legend_{kind}")
    return "\n".join(lines + _class_lines(members, fills, style)) + "\n"


def mermaid_rules(theory: Theory, *, style: Style = DEFAULT_STYLE, legend: bool = True) -> str:
    """Every rule as a Mermaid card with its if-then-because statement, boxed by theme.

    Chain edges join a rule to the later rules its outcomes feed (thick) or
    block (dotted, cross head), as in ``cimo render --view rules``.

    >>> import cimo
    >>> text = mermaid_rules(cimo.load_example("pwp-resilience"))
    >>> text.splitlines()[0], "==>" in text
    ('flowchart TB', True)
    """
    short = {r.id: f"r{i}" for i, r in enumerate(theory.rules)}
    themes: dict[str | None, list[str]] = defaultdict(list)
    for r in theory.rules:
        themes[r.theme].append(r.id)
    lines = ["flowchart TB"]
    for i, (theme, ids) in enumerate(themes.items()):
        if theme is not None:
            lines.append(f'  subgraph theme_{i}["{mermaid_text(theme)}"]')
        for rid in ids:
            rule = theory.rule_index[rid]
            name = (
                rule.id
                if rule.source_label in (None, rule.id)
                else f"{rule.id}: {rule.source_label}"
            )
            text = f"<b>{mermaid_text(name)}</b><br/>{mermaid_text(statement(theory, rule))}"
            lines.append(f'    {short[rid]}["{text}"]')
        if theme is not None:
            lines.append("  end")
    cards = [short[r.id] for r in theory.rules]
    used: dict[str, None] = {}
    seen: set[tuple[str, str]] = set()
    for link in chain_links(theory):
        pair = (link.upstream, link.downstream)
        if pair in seen:
            continue
        seen.add(pair)
        arrow = "-.-x" if link.blocking else "==>"
        used[arrow] = None
        lines.append(f"  {short[link.upstream]} {arrow} {short[link.downstream]}")
    if legend and theory.rules:
        lines += _legend(["rule"], list(used), style)
        cards.append("legend_rule")
    if cards:
        lines += _class_lines({"rule": cards}, dict(style.kind_fill), style)
    return "\n".join(lines) + "\n"
