"""Mermaid flowchart text, for documentation sites that render it (GitHub, MkDocs, GitLab).

Two views, as ``cimo render`` draws them with Graphviz:

* the **map** (:func:`mermaid`): the four lanes, contexts, interventions,
  mechanisms and outcomes, each a subgraph, kept in that order left to
  right by invisible links between the lanes; UNLESS edges dotted with a
  cross head, REDUCES edges with a cross head, chains thick; printed labels
  ("(C1)") before the wording; a rule's alternative mechanisms meet at an
  "or" junction ("?" when the source leaves the combination unstated), and
  so do the members of an any-of group (``if_any``) on their way into the
  rule's mechanisms; a context one mechanism ``requires`` points at that
  mechanism (dotted, labelled "requires"); edges drawn only by refuted
  rules grey, only by hypothesised rules dashed; elements whose wording or
  category the encoder inferred have a dashed grey border; the theory's
  relations labelled by type (inferred ones dashed grey);
* the **rule cards** (:func:`mermaid_rules`): each rule a card with its
  if-then-because statement (status tag first), boxed by theme label, chain
  edges between them; refuted cards grey, hypothesised cards dashed.

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
from cimo.model import Mechanism, Node, Theory
from cimo.render._focus import rule_label, theme_names
from cimo.render._look import node_words
from cimo.render._words import bracketed, printed_label
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
    "requires": "-.->",
}
_ARROW_WORDS = {
    "-->": "enables, triggers, produces",
    "-.-x": "UNLESS: disables",
    "--x": "reduces",
    "==>": "chain: an outcome feeds a later rule",
    "---": "into a junction: or = any one of them, ? = combination unstated",
    "-.->": "requires: a condition of one mechanism",
}
#: Legend words for the edge looks (``linkStyle``) a diagram uses.
_LOOK_WORDS = {
    "refuted": "drawn by refuted rules only: grey",
    "hypothesised": "drawn by hypothesised rules only: dashed",
    "inferred": "relation inferred by the encoder: dashed grey",
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


class _Edges:
    """Counts the links in the order Mermaid numbers them, for ``linkStyle`` and the legend."""

    def __init__(self) -> None:
        self.count = 0
        self.looks: dict[str, list[int]] = {"refuted": [], "hypothesised": [], "inferred": []}
        self.arrows: dict[str, None] = {}

    def link(self, line: str, look: str = "", arrow: str | None = None) -> str:
        if look:
            self.looks[look].append(self.count)
        if arrow is not None:
            self.arrows[arrow] = None
        self.count += 1
        return line

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


def _class_lines(members: dict[str, list[str]], fills: dict[str, str], style: Style) -> list[str]:
    lines = []
    for key, ids in members.items():
        border = style.kind_border.get(key, style.kind_border["mechanism"])
        lines.append(f"  classDef {key} fill:{fills[key]},stroke:{border},color:{style.text}")
        lines.append(f"  class {','.join(ids)} {key}")
    return lines


def _legend(kinds: list[str], edges: _Edges, style: Style) -> list[str]:
    """A legend subgraph: a box per kind shown, a labelled sample per edge type and look used."""
    lines = ['  subgraph legend["Legend"]', "    direction TB"]
    for kind in kinds:
        open_, close = ("([", "])") if kind == "mechanism" else ("[", "]")
        words = "inferred by the encoder" if kind == "inferred" else kind.capitalize()
        lines.append(f'    legend_{kind}{open_}"{words}"{close}')
    samples = [(arrow, _ARROW_WORDS[arrow], "") for arrow in edges.arrows]
    samples += [("-->", _LOOK_WORDS[look], look) for look, ids in edges.looks.items() if ids]
    for i, (arrow, words, look) in enumerate(samples):
        sample = f'    legend_a{i}[" "] {arrow}|"{mermaid_text(words)}"| legend_b{i}[" "]'
        lines.append(edges.link(sample, look))
    lines.append("  end")
    lines.append(f"  style legend fill:{style.background},stroke:{style.line}")
    return lines


def _label(node: Node) -> str:
    """A node's label with the label the source printed before it ("(C1) Lean")."""
    words = node_words(node)
    printed = printed_label(node)
    return f"{bracketed(printed)} {words}" if printed else words


def _inferred(node: Node) -> bool:
    """Whether the encoder inferred the node's wording (or a mechanism's category)."""
    return "label" in node.inferred or (isinstance(node, Mechanism) and "category" in node.inferred)


def _nodes(theory: Theory, short: dict[str, str]) -> tuple[list[str], list[str]]:
    """The lanes' subgraphs, and the kinds that have a lane."""
    lines = []
    lanes = []
    for kind, title in _LANES:
        members = [n for n in theory.nodes if n.kind == kind]
        if not members:
            continue
        lanes.append(kind)
        lines.append(f'  subgraph lane_{kind}["{title}"]')
        lines.append("    direction TB")
        for n in members:
            open_, close = ("([", "])") if kind == "mechanism" else ("[", "]")
            lines.append(f'    {short[n.id]}{open_}"{mermaid_text(_label(n))}"{close}')
        lines.append("  end")
    return lines, lanes


def _element_edges(theory: Theory, short: dict[str, str], edges: _Edges) -> list[str]:
    """The element graph's edges; a rule's alternative mechanisms meet at a junction node."""
    status = {r.id: r.status for r in theory.rules}
    junctions = {
        r.id: r
        for r in theory.rules
        if r.mechanism_mode in ("alternatives", "unstated") and len(r.mechanisms) > 1
    }
    routed: dict[str, tuple[dict[str, None], dict[str, str]]] = {}
    lines = []
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
        lines.append(edges.link(f"  {short[u]} {arrow} {short[v]}", look, arrow))
    for i, (rule_id, (ins, outs)) in enumerate(routed.items()):
        rule = junctions[rule_id]
        j = f"j{i}"
        word = "or" if rule.mechanism_mode == "alternatives" else "?"
        lines.append(f'  {j}(("{word}"))')
        look = _look({rule.status})
        lines += [edges.link(f"  {short[m]} --- {j}", look, "---") for m in ins]
        for o, relation in outs.items():
            arrow = _ARROWS[relation]
            lines.append(edges.link(f"  {j} {arrow} {short[o]}", look, arrow))
    return lines


def _nested_edges(theory: Theory, short: dict[str, str], edges: _Edges) -> list[str]:
    """Each rule's any-of groups (an "or" junction into its mechanisms) and ``requires``."""
    lines = []
    for rule in theory.rules:
        look = _look({rule.status})
        targets = rule.mechanisms or (*rule.outcomes, *rule.reduces)
        for g, group in enumerate(rule.context_groups):
            head, arrow = short[group[0]], "-->"
            if len(group) > 1:
                head = f"a{short[rule.id]}_{g}"
                lines.append(f'  {head}(("or"))')
                lines += [edges.link(f"  {short[m]} --- {head}", look, "---") for m in group]
            elif theory.index[group[0]].kind == "outcome":
                arrow = "==>"  # a chain, as in the element edges
            lines += [edges.link(f"  {head} {arrow} {short[t]}", look, arrow) for t in targets]
        for link in rule.mechanism_links:
            for need in link.requires:
                line = f"  {short[need]} -.->|requires| {short[link.mechanism]}"
                lines.append(edges.link(line, look, "-.->"))
    return lines


def _look(statuses: set[str]) -> str:
    if statuses == {"refuted"}:
        return "refuted"
    if statuses and statuses <= {"hypothesised", "refuted"}:
        return "hypothesised"
    return ""


def _relations(theory: Theory, short: dict[str, str], edges: _Edges) -> list[str]:
    """Relations between elements, labelled by type; inferred ones dashed grey."""
    lines = []
    for rel in theory.relations:
        if rel.from_ in short and rel.to in short:
            word = mermaid_text(rel.type.replace("-", " "))
            line = f"  {short[rel.from_]} -->|{word}| {short[rel.to]}"
            lines.append(edges.link(line, "" if rel.stated else "inferred"))
    return lines


def mermaid(theory: Theory, *, style: Style = DEFAULT_STYLE, legend: bool = True) -> str:
    """The theory map as Mermaid ``flowchart`` text, lanes in order, with a legend.

    Args:
        theory: The theory.
        style: Colours for the kinds and mechanism categories.
        legend: Add a legend of the kinds, edge types and edge looks shown.

    Returns:
        Mermaid text; put it in a fenced block tagged ``mermaid``.
    """
    style = style.for_theory(theory)
    short = {n.id: f"n{i}" for i, n in enumerate(theory.nodes)}
    short |= {r.id: f"r{i}" for i, r in enumerate(theory.rules)}  # names any-of junctions
    lanes_lines, lanes = _nodes(theory, short)
    lines = ["flowchart LR", *lanes_lines]
    edges = _Edges()
    lines += _element_edges(theory, short, edges)
    lines += _nested_edges(theory, short, edges)
    lines += _relations(theory, short, edges)
    # Invisible links keep the lanes left to right (and the legend after them).
    order = [f"lane_{k}" for k in lanes] + (["legend"] if legend and lanes else [])
    lines += [edges.link(f"  {a} ~~~ {b}") for a, b in itertools.pairwise(order)]
    members: dict[str, list[str]] = {}
    fills = dict(style.kind_fill)
    for n in theory.nodes:
        key: str = n.kind
        if isinstance(n, Mechanism) and n.category:
            key = "cat_" + "".join(c if c.isalnum() else "_" for c in n.category)
            fills[key] = style.category_colour(n.category)
        members.setdefault(key, []).append(short[n.id])
    inferred = [short[n.id] for n in theory.nodes if _inferred(n)]
    if legend and lanes:
        lines += _legend(lanes + (["inferred"] if inferred else []), edges, style)
        for kind in lanes:
            members.setdefault(kind, []).append(f"legend_{kind}")
    classes = _class_lines(members, fills, style)
    if inferred:  # a second class on those nodes: the border only
        classes.append(f"  classDef inferred stroke:{style.inferred},stroke-dasharray:5 4")
        shown = inferred + (["legend_inferred"] if legend and lanes else [])
        classes.append(f"  class {','.join(shown)} inferred")
    return "\n".join(lines + classes + edges.styles(style)) + "\n"


def mermaid_rules(theory: Theory, *, style: Style = DEFAULT_STYLE, legend: bool = True) -> str:
    """Every rule as a Mermaid card with its if-then-because statement, boxed by theme.

    Chain edges join a rule to the later rules its outcomes feed (thick) or
    block (dotted, cross head), as in ``cimo render --view rules``. A refuted
    rule's card is grey, a hypothesised rule's card dashed.

    >>> import cimo
    >>> text = mermaid_rules(cimo.load_example("pwp-resilience"))
    >>> text.splitlines()[0], "==>" in text
    ('flowchart TB', True)
    """
    style = style.for_theory(theory)
    short = {r.id: f"r{i}" for i, r in enumerate(theory.rules)}
    names = theme_names(theory)
    themes: dict[str | None, list[str]] = defaultdict(list)
    for r in theory.rules:
        themes[r.theme].append(r.id)
    lines = ["flowchart TB"]
    for i, (theme, ids) in enumerate(themes.items()):
        if theme is not None:
            lines.append(f'  subgraph theme_{i}["{mermaid_text(names.get(theme, theme))}"]')
        for rid in ids:
            rule = theory.rule_index[rid]
            text = (
                f"<b>{mermaid_text(rule_label(rule))}</b><br/>"
                f"{mermaid_text(statement(theory, rule))}"
            )
            lines.append(f'    {short[rid]}["{text}"]')
        if theme is not None:
            lines.append("  end")
    edges = _Edges()
    seen: set[tuple[str, str]] = set()
    for link in chain_links(theory):
        pair = (link.upstream, link.downstream)
        if pair in seen:
            continue
        seen.add(pair)
        arrow = "-.-x" if link.blocking else "==>"
        lines.append(
            edges.link(f"  {short[link.upstream]} {arrow} {short[link.downstream]}", arrow=arrow)
        )
    cards: dict[str, list[str]] = {}
    for r in theory.rules:
        key = f"rule_{r.status}" if r.status in ("refuted", "hypothesised") else "rule"
        cards.setdefault(key, []).append(short[r.id])
    if legend and theory.rules:
        lines += _legend(["rule"], edges, style)
        cards.setdefault("rule", []).append("legend_rule")
    looks = {
        "rule": f"stroke:{style.kind_border['rule']},color:{style.text}",
        "rule_refuted": f"stroke:{style.refuted},color:{style.refuted}",
        "rule_hypothesised": (
            f"stroke:{style.kind_border['rule']},stroke-dasharray:5 4,color:{style.text}"
        ),
    }
    for key, ids in cards.items():
        lines.append(f"  classDef {key} fill:{style.kind_fill['rule']},{looks[key]}")
        lines.append(f"  class {','.join(ids)} {key}")
    return "\n".join(lines) + "\n"
