"""How the parts of a diagram look: node and edge attributes, highlight states, the legend."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from cimo.render._common import State
from cimo.render.dot import Html, html_lines, html_text, is_elided
from cimo.render.dot import tooltip as tooltip_text
from cimo.render.highlight import Highlight
from cimo.render.style import Style

__all__ = [
    "LEGEND",
    "MAX_LABEL_LINES",
    "edge_attrs",
    "legend_table",
    "node_attrs",
    "node_tooltip",
    "states",
]

#: A node shows at most this many lines of its label (the tooltip has it all).
MAX_LABEL_LINES = 8

# Ids of the parts of a picture that are not the theory's: a colon cannot occur in a cimo id.
LEGEND = "cimo:legend"


def node_attrs(
    kind: str,
    label: str,
    style: Style,
    *,
    fill: str | None = None,
    tooltip: str | None = None,
    state: State = "plain",
) -> dict[str, str | Html | None]:
    if is_elided(label, style.wrap, MAX_LABEL_LINES):  # the whole label shows on hover
        tooltip = label if tooltip is None else f"{label}\n\n{tooltip}"
    attrs: dict[str, str | Html | None] = {
        "label": Html(html_lines(label, style.wrap, max_lines=MAX_LABEL_LINES)),
        "shape": style.kind_shape[kind],
        "style": style.kind_style[kind],
        "fillcolor": fill or style.kind_fill[kind],
        "color": style.kind_border[kind],
        "tooltip": tooltip_text(tooltip) if tooltip is not None else None,
    }
    if kind == "outcome":
        attrs["peripheries"] = "2"
    if state == "off":
        attrs |= {"fillcolor": "#ffffff", "color": style.greyed, "fontcolor": style.greyed}
    elif state == "on":
        attrs |= {"color": style.fired, "penwidth": "2.5"}
    elif state == "blocked":
        attrs |= {"color": style.blocked, "penwidth": "2.5", "style": "filled,dashed"}
    return attrs


_EDGE_LOOK: dict[str, dict[str, str]] = {
    "enables": {},
    "triggers": {},
    "produces": {},
    "if": {},
    "with": {},
    "because": {},
    "then": {},
    "unless": {"style": "dashed", "arrowhead": "tee", "penwidth": "1.4"},
    "disables": {"style": "dashed", "arrowhead": "tee", "penwidth": "1.4"},
    "reduces": {"arrowhead": "tee", "style": "dotted", "penwidth": "1.4"},
    "link": {"style": "dotted", "arrowhead": "odot", "constraint": "false", "penwidth": "1.6"},
}


def edge_attrs(relation: str, style: Style, *, chain: bool) -> dict[str, str | Html | None]:
    attrs: dict[str, str | Html | None] = dict(_EDGE_LOOK[relation])
    if relation in ("unless", "disables"):
        attrs["color"] = style.disabling
    elif relation == "reduces":
        attrs["color"] = style.reduces
    if chain or relation == "link":
        attrs |= {"color": style.chain, "penwidth": "2", "constraint": "false"}
    return attrs


def legend_table(
    style: Style,
    *,
    kinds: Iterable[str],
    categories: Iterable[str | None],
    rules: bool,
    highlight: bool,
    edges: bool = True,
    chain: bool = True,
    notes: Iterable[tuple[str, str]] = (),
) -> Html:
    def swatch(kind: str, text: str, fill: str) -> str:
        return (
            f'<TR><TD BGCOLOR="{fill}" BORDER="1" COLOR="{style.kind_border[kind]}" '
            f'WIDTH="28"> </TD><TD ALIGN="LEFT">{html_text(text)}</TD></TR>'
        )

    def line(colour: str, glyph: str, text: str) -> str:
        return (
            f'<TR><TD><FONT COLOR="{colour}"><B>{html_text(glyph)}</B></FONT></TD>'
            f'<TD ALIGN="LEFT">{html_text(text)}</TD></TR>'
        )

    rows = ['<TR><TD COLSPAN="2"><B>Legend</B></TD></TR>']
    names = {"context": "Context", "intervention": "Intervention", "outcome": "Outcome (double)"}
    for kind in kinds:
        if kind == "mechanism":
            for category in categories:
                text = f"Mechanism: {category}" if category else "Mechanism"
                rows.append(swatch("mechanism", text, style.category_colour(category)))
        else:
            rows.append(swatch(kind, names.get(kind, kind.capitalize()), style.kind_fill[kind]))
    if edges:
        rows.append(line(style.line, "──▶", "enables / triggers / produces"))
        rows.append(line(style.disabling, "- - ┤", "UNLESS: disables"))
        rows.append(line(style.reduces, "··· ┤", "reduces"))
    if chain:
        rows.append(line(style.chain, "━━▶", "chain: an outcome feeds a later rule"))
    if edges and chain:
        rows.append(line(style.chain, "···○", "link: an outcome is this context"))
    rows.extend(line(style.text, glyph, text) for glyph, text in notes)
    if highlight:
        rows.append(line(style.fired, "▢", "picked out (fired, active, expected)"))
        rows.append(
            line(style.blocked, "▢", "blocked rule (dashed)" if rules else "a blocked rule's edges")
        )
        rows.append(line(style.greyed, "▢", "not reached"))
    body = "".join(rows)
    return Html(
        f'<TABLE BORDER="1" BGCOLOR="{style.background}" CELLBORDER="0" CELLSPACING="2" '
        f'CELLPADDING="3">{body}</TABLE>'
    )


def states(highlight: Highlight | None) -> Callable[[str], State]:
    """How each id is shown under a highlight (sets built once: linear in the theory)."""
    if highlight is None:
        return lambda ident: "plain"
    picked = set(highlight.nodes) | set(highlight.rules)
    blocked = set(highlight.blocked)

    def state(ident: str) -> State:
        if ident in blocked:
            return "blocked"
        return "on" if ident in picked else "off"

    return state


def node_tooltip(node_id: str, description: str | None) -> str:
    return f"{node_id}: {description}" if description else node_id
