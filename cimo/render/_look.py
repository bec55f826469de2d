"""How the parts of a diagram look: node and edge attributes, highlight states, the legend."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable

from cimo.model import Context, Mechanism, Node, Outcome, Rule
from cimo.render._common import State
from cimo.render.dot import DotGraph, Html, elide, html_lines, html_text, is_elided, wrap
from cimo.render.dot import tooltip as tooltip_text
from cimo.render.highlight import Highlight
from cimo.render.style import Style

__all__ = [
    "LEGEND",
    "MAX_LABEL_LINES",
    "add_legend",
    "categories",
    "edge_attrs",
    "edge_key",
    "label_html",
    "legend_table",
    "node_attrs",
    "node_tooltip",
    "node_words",
    "rule_attrs",
    "state_attrs",
    "states",
    "status_edge",
    "swatch",
]

#: A node shows at most this many lines of its label (the tooltip has it all).
MAX_LABEL_LINES = 8
_WRAP = int(Style.model_fields["wrap"].default)  # the wrap MAX_LABEL_LINES is meant for

# Ids of the parts of a picture that are not the theory's: a colon cannot occur in a cimo id.
LEGEND = "cimo:legend"


def label_html(
    label: str,
    width: int,
    *,
    printed: str | None = None,
    align: str = "CENTER",
    max_lines: int | None = MAX_LABEL_LINES,
) -> str:
    """A wrapped label, with the label the source printed ("C1") in bold before it.

    At most ``max_lines`` lines are drawn (the cut marked with "…").

    >>> label_html("Peer support", 30, printed="C1")
    '<B>C1</B> Peer support'
    >>> label_html("Peer support groups", 8, printed="C1", max_lines=2)
    '<B>C1</B> Peer<BR ALIGN="CENTER"/>support…'
    """
    printed = " ".join(printed.split()) if printed else None  # one line, never empty
    if not printed:
        return html_lines(label, width, align=align, max_lines=max_lines)
    joined = printed.replace(" ", "\u00a0") + " " + label
    lines = wrap(joined, width)
    if max_lines is not None:
        lines = elide(lines, width, max_lines)
    first, _, rest = lines[0].partition(" ")
    head = f"<B>{html_text(first.replace(chr(0xA0), ' '))}</B>" + (
        " " + html_text(rest) if rest else ""
    )
    return f'<BR ALIGN="{align}"/>'.join([head, *(html_text(x) for x in lines[1:])])


def node_words(node: Node) -> str:
    """A node's label as drawn: "…" when the source cuts it off, marks for absent and negative."""
    cut = node.truncated and not node.label.rstrip().endswith(("…", "..."))
    text = node.label + ("…" if cut else "")
    if isinstance(node, Mechanism):
        text += " (absent)" if node.absent else ""
        text += " (−)" if node.polarity == "negative" else ""
    return text + (" (inferred)" if "label" in node.inferred else "")


def node_attrs(
    kind: str,
    label: str,
    style: Style,
    *,
    fill: str | None = None,
    tooltip: str | None = None,
    state: State = "plain",
    printed: str | None = None,
    inferred: bool = False,
    actors: Iterable[str] = (),
) -> dict[str, str | Html | None]:
    """A node of a map; ``actors`` (whose reasoning a mechanism is) written small under it."""
    # Narrower labels get more lines: a label keeps as many characters at any wrap.
    most = max(MAX_LABEL_LINES, -(-MAX_LABEL_LINES * _WRAP // style.wrap))
    if is_elided(label, style.wrap, most):  # the whole label shows on hover
        tooltip = label if tooltip is None else f"{label}\n\n{tooltip}"
    text = label_html(label, style.wrap, printed=printed, max_lines=most)
    whose = ", ".join(actors)
    if whose:
        words = html_lines("for " + whose, style.wrap)
        text += f'<BR/><FONT POINT-SIZE="{style.small_font_size}"><I>{words}</I></FONT>'
    attrs: dict[str, str | Html | None] = {
        "label": Html(text),
        "shape": style.kind_shape[kind],
        "style": style.kind_style[kind],
        "fillcolor": fill or style.kind_fill[kind],
        "color": style.kind_border[kind],
        "tooltip": tooltip_text(tooltip) if tooltip is not None else None,
    }
    if kind == "outcome":
        attrs["peripheries"] = "2"
    if inferred:
        attrs |= {"color": style.inferred, "style": f"{attrs['style']},dashed"}
    return attrs | state_attrs(state, style, str(attrs["style"]))


def state_attrs(state: State, style: Style, base: str) -> dict[str, str | Html | None]:
    """How a highlight changes a node: picked out, greyed, or blocked (dashed red)."""
    if state == "off":
        return {"fillcolor": "#ffffff", "color": style.greyed, "fontcolor": style.greyed}
    if state == "on":
        return {"color": style.fired, "penwidth": "2.5"}
    if state == "blocked":
        return {"color": style.blocked, "penwidth": "2.5", "style": f"{base},dashed"}
    return {}


def rule_attrs(rule: Rule, label: str, style: Style, state: State) -> dict[str, str | Html | None]:
    """A rule node: solid (supported, refined), dashed (hypothesised), grey and struck (refuted).

    Its actor is written under its name.
    """
    text = label_html(label, style.wrap)
    if rule.actor:
        small = style.small_font_size
        text += f'<BR/><FONT POINT-SIZE="{small}">' + html_text(f"for {rule.actor}") + "</FONT>"
    base = "filled,rounded" + (",dashed" if rule.status == "hypothesised" else "")
    attrs: dict[str, str | Html | None] = {
        "label": Html(text),
        "shape": style.kind_shape["rule"],
        "style": base,
        "fillcolor": style.kind_fill["rule"],
        "color": style.kind_border["rule"],
        "tooltip": tooltip_text(rule.statement or rule.id),
    }
    if rule.status == "refuted":
        attrs |= {"label": Html(f"<S>{text}</S>"), "color": style.refuted}
        attrs["fontcolor"] = style.refuted
    return attrs | state_attrs(state, style, base)


_EDGE_LOOK: dict[str, dict[str, str]] = {
    "enables": {},
    "triggers": {},
    "produces": {},
    "if": {},
    "with": {},
    "because": {},
    "then": {},
    "within": {},
    "unless": {"style": "dashed", "arrowhead": "tee", "penwidth": "1.4"},
    "disables": {"style": "dashed", "arrowhead": "tee", "penwidth": "1.4"},
    "reduces": {"arrowhead": "tee", "style": "dotted", "penwidth": "1.4"},
    "link": {"style": "dotted", "arrowhead": "odot", "constraint": "false", "penwidth": "1.6"},
    "moderated_by": {"style": "dotted", "arrowhead": "odiamond", "constraint": "false"},
    "despite": {"style": "dotted", "arrowhead": "odiamond", "constraint": "false"},
    "otherwise": {"style": "dotted", "arrowhead": "empty"},
}
#: Relations as legend keys: the plain causal ones are one entry.
_LEGEND_KEY = {
    "unless": "unless",
    "disables": "unless",
    "reduces": "reduces",
    "link": "link",
    "moderated_by": "qualifier",
    "despite": "qualifier",
    "otherwise": "otherwise",
}


def edge_attrs(relation: str, style: Style, *, chain: bool) -> dict[str, str | Html | None]:
    attrs: dict[str, str | Html | None] = dict(_EDGE_LOOK.get(relation, {}))
    if relation in ("unless", "disables"):
        attrs["color"] = style.disabling
    elif relation == "reduces":
        attrs["color"] = style.reduces
    if chain or relation == "link":
        attrs |= {"color": style.chain, "penwidth": "2", "constraint": "false"}
    return attrs


def edge_key(relation: str, *, chain: bool) -> str:
    """The legend entry an edge of this relation is listed under."""
    if relation == "link":
        return "link"
    key = _LEGEND_KEY.get(relation, "causal")
    return "chain" if chain and key == "causal" else key


def status_edge(statuses: set[str], style: Style) -> tuple[dict[str, str | Html | None], str]:
    """How the statuses of the rules behind an edge change it, and its legend key.

    Every rule refuted: grey. Otherwise, no rule supported or refined: dashed.
    """
    if not statuses:
        return {}, ""
    if statuses == {"refuted"}:
        return {"color": style.refuted, "fontcolor": style.refuted}, "refuted"
    if statuses <= {"hypothesised", "refuted"}:
        return {"style": "dashed"}, "hypothesised"
    return {}, "supported"


# Legend entries: key -> (colour attribute of the style, glyph, text), in legend order.
_LINES: dict[str, tuple[str, str, str]] = {
    "causal": ("line", "──▶", "IF / WITH → BECAUSE → THEN"),
    "unless": ("disabling", "- - ┤", "UNLESS: disables"),
    "reduces": ("reduces", "··· ┤", "REDUCES"),
    "chain": ("chain", "━━▶", "chain: an outcome feeds a later rule"),
    "link": ("chain", "···○", "link: an outcome is this context"),
    "card-chain": ("chain", "━━▶", "chain: this rule's outcome is the next rule's context"),
    "card-unless": ("disabling", "- - ┤", "UNLESS: this rule's outcome disables the next rule"),
    "qualifier": ("line", "··◇", "MODERATED BY / DESPITE: reported, never required"),
    "otherwise": ("line", "··▷", "OTHERWISE: expected when the mechanisms do not fire"),
    "or": ("line", "(or)", "OR: any one of the mechanisms suffices"),
    "unstated": ("line", "(?)", "the source does not say how the mechanisms combine"),
    "if-any": ("line", "(or)", "IF ANY: any one of the joined conditions suffices"),
    "supported": ("line", "──", "supported or refined rule: solid"),
    "hypothesised": ("line", "- -", "hypothesised rule: dashed"),
    "refuted": ("refuted", "──", "drawn by refuted rules only: grey"),
    "refuted-rule": ("refuted", "──", "refuted rule: grey, its name struck through"),
    "inferred": ("inferred", "- -", "inferred by the encoder, not printed by the source"),
    "actor": ("text", "for …", "whose reasoning: the actor of the configurations"),
    "rel:feeds": ("chain", "─▶", "feeds: makes the next one hold"),
    "rel:counterpart-of": ("line", "◀─▶", "counterpart of (the opposite configuration)"),
    "rel:refines": ("line", "─▷", "refines"),
    "rel:supersedes": ("line", "─▷", "supersedes (an earlier iteration)"),
    "rel:rival-of": ("line", "◀┄▶", "rival of"),
    "rel:corresponds-to": ("line", "┄┄", "corresponds to (a comparison, not a cause)"),
    "blocked-card": ("blocked", "▢", "blocked rule: dashed red border"),
    "blocked-edge": ("blocked", "──", "a blocked rule's edges"),
    "picked": ("fired", "▢", "picked out (fired, active, expected)"),
    "greyed": ("greyed", "▢", "not reached (greyed)"),
}
_KIND_NAMES = {
    "context": "Context",
    "intervention": "Intervention",
    "mechanism": "Mechanism",
    "outcome": "Outcome",
    "rule": "Rule",
}


def swatch(kind: str, fill: str, border: str, *, dashed: bool = False, cell: bool = False) -> str:
    """A small picture of a kind's shape: box, rounded box, double box (or, ``cell``, a cell)."""
    size = {"mechanism": (32, 20), "intervention": (30, 12)}.get(kind, (30, 14))
    inner = f'<TR><TD WIDTH="{size[0]}" HEIGHT="{size[1]}"> </TD></TR>'
    look = ' STYLE="rounded"' if kind in ("intervention", "mechanism", "rule") else ""
    if dashed:
        look = ' STYLE="dashed"'
    if cell:
        look, inner = "", '<TR><TD WIDTH="30" HEIGHT="14"> </TD></TR>'
    table = (
        f'<TABLE{look} BORDER="1" CELLBORDER="0" CELLPADDING="0" CELLSPACING="0" '
        f'BGCOLOR="{fill}" COLOR="{border}">{inner}</TABLE>'
    )
    if kind == "outcome" and not cell:
        table = (
            f'<TABLE BORDER="1" CELLBORDER="0" CELLPADDING="1" CELLSPACING="0" COLOR="{border}">'
            f"<TR><TD>{table}</TD></TR></TABLE>"
        )
    return table


def legend_table(
    style: Style,
    *,
    kinds: Iterable[str],
    categories: Iterable[tuple[str | None, bool]] | Iterable[str | None],
    keys: Iterable[str] = (),
    notes: Iterable[tuple[str, str]] = (),
    cell: bool = False,
) -> Html:
    """A legend of exactly what a picture shows, and nothing else.

    Its kinds (as swatches of their shapes, or with ``cell`` of the table cells
    rule cards draw them in), mechanism categories (marked "(inferred)" where
    the encoder guessed them) and the entries named by ``keys``.
    """
    rows = ['<TR><TD COLSPAN="2"><B>Legend</B></TD></TR>']
    cats = [c if isinstance(c, tuple) else (c, False) for c in categories]
    for kind in kinds:
        if kind != "mechanism":
            picture = swatch(kind, style.kind_fill[kind], style.kind_border[kind], cell=cell)
            rows.append(_row(picture, _KIND_NAMES.get(kind, kind.capitalize())))
            continue
        for category, guessed in cats or [(None, False)]:
            text = f"Mechanism: {category}" if category else "Mechanism"
            text += " (inferred)" if guessed else ""
            fill = style.category_colour(category)
            picture = swatch("mechanism", fill, style.kind_border["mechanism"], cell=cell)
            rows.append(_row(picture, text))
    return _table(style, rows + _line_rows(style, keys, notes))


def _row(picture: str, text: str, wrap: int | None = None) -> str:
    words = html_text(text) if wrap is None else html_lines(text, wrap, align="LEFT")
    return f'<TR><TD VALIGN="TOP">{picture}</TD><TD ALIGN="LEFT" BALIGN="LEFT">{words}</TD></TR>'


def _line_rows(
    style: Style,
    keys: Iterable[str],
    notes: Iterable[tuple[str, str]],
    *,
    wrap: int | None = None,
) -> list[str]:
    """A row for each legend entry named by ``keys`` (in legend order), then the notes."""

    def line(colour: str, glyph: str, text: str) -> str:
        return _row(f'<FONT COLOR="{colour}"><B>{html_text(glyph)}</B></FONT>', text, wrap)

    wanted = set(keys)
    rows = [
        line(str(getattr(style, attr)), glyph, text)
        for key, (attr, glyph, text) in _LINES.items()
        if key in wanted
    ]
    return rows + [line(style.text, glyph, text) for glyph, text in notes]


def _table(style: Style, rows: list[str], *, border: int = 1) -> Html:
    return Html(
        f'<TABLE BORDER="{border}" BGCOLOR="{style.background}" CELLBORDER="0" CELLSPACING="2" '
        f'CELLPADDING="3">{"".join(rows)}</TABLE>'
    )


def add_legend(
    g: DotGraph,
    style: Style,
    *,
    kinds: Iterable[str],
    categories: Iterable[tuple[str | None, bool]],
    keys: Iterable[str] = (),
    after: str | None = None,
) -> None:
    """A legend in one framed column: a sample of each kind drawn as the map draws it, then lines.

    Each sample is a node of the kind's own shape, fill and border (an oval
    mechanism, a double-bordered outcome), named inside, so a greyscale print
    still tells the kinds apart; the lines follow as :data:`LEGEND`, their
    words wrapped as the labels are. The column is placed one rank after
    ``after`` (the middle node of the last lane).
    """
    cats = list(categories)
    samples: list[tuple[str, str, str | None]] = []  # (kind, text, fill)
    for kind in kinds:
        if kind != "mechanism":
            samples.append((kind, _KIND_NAMES.get(kind, kind.capitalize()), None))
            continue
        for category, guessed in cats or [(None, False)]:
            text = f"Mechanism: {category}" if category else "Mechanism"
            samples.append((kind, text + (" (inferred)" if guessed else ""), category))
    ids: list[str] = []
    with (
        g.subgraph(
            "cluster_legend",
            label=Html("<B>Legend</B>"),
            style="rounded",
            color=style.line,
            fontcolor=style.text,
            fontsize=style.font_size,
        ),
        g.subgraph("legend_column", rank="same"),
    ):
        for i, (kind, text, category) in enumerate(samples):
            ident = f"{LEGEND}:{i}"
            fill = style.category_colour(category) if kind == "mechanism" else None
            attrs = node_attrs(kind, text, style, fill=fill, tooltip=text)
            if kind == "rule":
                attrs["style"] = "filled,rounded"
            g.aside(ident, **attrs)
            ids.append(ident)
        lines = _line_rows(style, keys, (), wrap=max(style.wrap, 20))
        if lines:
            g.aside(LEGEND, label=_table(style, lines, border=0), shape="plaintext", margin="0")
            ids.append(LEGEND)
    for a, b in itertools.pairwise(ids):  # top to bottom (a rank of a left-right map)
        g.order(b, a)
    if after is not None and ids:
        g.order(after, ids[len(ids) // 2])


def categories(mechanisms: Iterable[Mechanism]) -> list[tuple[str | None, bool]]:
    """The mechanisms' categories, each True where some mechanism's category is a guess."""
    guessed: dict[str | None, bool] = {}
    for m in mechanisms:
        guessed[m.category] = guessed.get(m.category, False) or "category" in m.inferred
    return sorted(guessed.items(), key=lambda c: c[0] or "")


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


def node_tooltip(node: Node) -> str:
    """The id and description, then the details a label has no room for (one per line)."""
    lines = [f"{node.id}: {node.description}" if node.description else node.id]
    details: list[tuple[str, object]] = []
    if isinstance(node, Mechanism):
        details += [
            ("resource", node.resource),
            ("response", node.reasoning),
            ("behaviour", node.behaviour),
            ("polarity", node.polarity),
            ("category", node.category),
        ]
    elif isinstance(node, Outcome):
        details += [("polarity", node.polarity), ("measured by", "; ".join(node.measures))]
    if isinstance(node, Mechanism | Context):
        details.append(("indicators", "; ".join(node.indicators)))
    for name, value in details:
        if value:
            guess = " (inferred)" if name in node.inferred else ""
            lines.append(f"{name}: {value}{guess}")
    if node.inferred:
        lines.append("inferred by the encoder: " + ", ".join(node.inferred))
    return "\n".join(lines)
