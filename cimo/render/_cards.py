"""Rule cards: each configuration as a panel of IF / UNLESS / WITH / THEN / BECAUSE rows.

A card shows the rule's status (a hypothesised rule's card is dashed, a
refuted rule's card grey with its name struck through), its actor, its theme
by label and its evidence count; every slot of the rule has a row (WITHIN, IF,
ONE OF, UNLESS, WITH, MODERATED BY, DESPITE, THEN, REDUCES, BECAUSE,
OTHERWISE), each element with the label the source printed in bold.
Alternative mechanisms are joined by "or" rows; a slot the encoder inferred is
marked "(inferred)". Each annotation of the rule gets a row of its own under
the slots, named by its kind (TENSION, COUNTER-STRATEGY against the rules it
works against, RECOMMENDATION, ...), with its source and locator.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Collection, Iterable

from cimo.core.index import nested_ids
from cimo.core.vocabulary import ANNOTATION_WORDS, KINDS
from cimo.graph import chain_links
from cimo.model import Mechanism, MechanismLink, Rule, Theory
from cimo.query import get_rule
from cimo.render._common import State
from cimo.render._figure import Diagram, make_diagram, new_graph
from cimo.render._focus import focused, rule_label, theme_names
from cimo.render._look import (
    LEGEND,
    categories,
    edge_attrs,
    label_html,
    legend_table,
    node_words,
    states,
)
from cimo.render._words import annotation_parts, printed_label
from cimo.render.dot import Html, html_lines, html_text
from cimo.render.highlight import Highlight
from cimo.render.style import DEFAULT_STYLE, Style

__all__ = ["rule_card", "rule_cards"]

# The legend entry of a card's status.
_STATUS_KEY = {
    "supported": "supported",
    "refined": "supported",
    "hypothesised": "hypothesised",
    "refuted": "refuted-rule",
}


class _Card:
    """The HTML-like label of one rule's card."""

    def __init__(self, theory: Theory, rule: Rule, style: Style, state: State) -> None:
        self.theory = theory
        self.rule = rule
        self.style = style
        self.width = style.wrap + 12
        # A card that is not reached, or a refuted rule, is drawn in grey throughout.
        self.dim = state == "off" or rule.status == "refuted"
        self.ink = style.greyed if state == "off" else style.refuted if self.dim else style.text
        self.state = state

    def cell(self, text: str, fill: str, *, printed: str | None = None) -> str:
        fill = self.style.background if self.dim else fill
        body = label_html(text, self.width, printed=printed, align="LEFT")
        return (
            f'<TR><TD ALIGN="LEFT" BALIGN="LEFT" BGCOLOR="{fill}">'
            f'<FONT COLOR="{self.ink}">{body}</FONT></TD></TR>'
        )

    def note(self, text: str) -> str:
        return (
            f'<TR><TD ALIGN="LEFT"><FONT COLOR="{self.ink}"><I>{html_text(text)}</I>'
            "</FONT></TD></TR>"
        )

    def items(self, ids: Iterable[str], links: dict[str, MechanismLink] | None = None) -> str:
        out = []
        alternatives = self.rule.mechanism_mode == "alternatives" and links is not None
        for i, ident in enumerate(ids):
            if i and alternatives:
                out.append(self.note("or"))
            node = self.theory.index.get(ident)
            if node is None:
                out.append(self.cell(ident, self.style.background))
                continue
            fill = (
                self.style.category_colour(node.category)
                if isinstance(node, Mechanism)
                else self.style.kind_fill[node.kind]
            )
            text = node_words(node)
            link = (links or {}).get(ident)
            if link is not None and link.requires:
                text += " (if " + ", ".join(self._plain(r) for r in link.requires) + ")"
            if link is not None and link.then:
                text += " → " + ", ".join(self._plain(o) for o in link.then)
            out.append(self.cell(text, fill, printed=printed_label(node)))
        return "".join(out)

    def _plain(self, ident: str) -> str:
        node = self.theory.index.get(ident)
        if node is None:
            return ident
        return node.source_label or node.label

    def row(self, word: str, body: str, key: str = "", colour: str | None = None) -> str:
        if not body:
            return ""
        guess = "<BR/><I>(inferred)</I>" if key and key in self.rule.inferred else ""
        colour = self.ink if self.dim else colour or self.style.text
        inner = f'<TABLE BORDER="0" CELLSPACING="1" CELLPADDING="3">{body}</TABLE>'
        return (
            f'<TR><TD ALIGN="RIGHT" VALIGN="TOP"><FONT COLOR="{colour}"><B>{word}</B>{guess}'
            f"</FONT></TD><TD>{inner}</TD></TR>"
        )

    def head(self) -> str:
        r, style = self.rule, self.style
        n_ev = len(r.evidence)
        theme = theme_names(self.theory).get(r.theme, r.theme) if r.theme else None
        sub = html_text(
            f"{r.status} · {n_ev} piece{'s' if n_ev != 1 else ''} of evidence"
            + (f" · for {r.actor}" if r.actor else "")
            + (f" · {theme}" if theme else "")
            + (" · BLOCKED" if self.state == "blocked" else "")
        )
        title = f"<B>{html_lines(rule_label(r), self.width + 10, align='LEFT')}</B>"
        if r.status == "refuted":
            title = f"<S>{title}</S>"
        colour = style.blocked if self.state == "blocked" else self.ink
        return (
            f'<TR><TD COLSPAN="2" ALIGN="LEFT" BALIGN="LEFT" BGCOLOR="{style.kind_fill["rule"]}">'
            f'<FONT COLOR="{colour}">{title}</FONT><BR ALIGN="LEFT"/>'
            f'<FONT POINT-SIZE="{style.small_font_size}" COLOR="{self.ink}">{sub}</FONT>'
            '<BR ALIGN="LEFT"/></TD></TR>'
        )

    def conditions(self) -> list[str]:
        r, style = self.rule, self.style
        if r.any_context:
            condition = self.note("in any circumstances")
        elif r.contexts:
            condition = self.items(r.contexts)
        elif not (r.context_groups or r.modifiers):
            gap = "missing in the source" if "context" in r.missing_parts else "not stated"
            condition = self.note(f"(context {gap})")
        else:
            condition = ""
        groups = [self.row("ONE OF", self._either(g), "if_any") for g in r.context_groups]
        return [
            self.row("WITHIN", self.items(r.modifiers), "within"),
            self.row("IF", condition, "if"),
            *groups,
            self.row("UNLESS", self.items(r.unless), "unless", style.disabling),
            self.row("WITH", self.items(r.interventions), "with"),
            self.row("MODERATED BY", self.items(r.moderators), "moderated_by"),
            self.row("DESPITE", self.items(r.despite), "despite"),
        ]

    def _either(self, group: tuple[str, ...]) -> str:
        parts = [self.items((ident,)) for ident in group]
        return self.note("or").join(parts)

    def results(self) -> list[str]:
        r, style = self.rule, self.style
        mode = {"alternatives": " (any of)", "unstated": " (combination unstated)"}.get(
            r.mechanism_mode, ""
        )
        mode = mode if len(r.mechanisms) > 1 else ""
        links = {link.mechanism: link for link in r.mechanism_links}
        steps = [
            self.note(f"{self._plain(s.from_)} leading to {self._plain(s.to)}")
            for s in r.outcome_steps
        ]
        return [
            self.row("THEN", self.items(r.outcomes) + "".join(steps), "then"),
            self.row("REDUCES", self.items(r.reduces), "reduces", style.reduces),
            self.row("BECAUSE" + mode, self.items(r.mechanisms, links), "because"),
            self.row("OTHERWISE", self.items(r.otherwise), "otherwise"),
        ]

    def annotations(self) -> list[str]:
        """One row per annotation: its kind, then the rules it counters and its text.

        The text is cut as long labels are (the tables and statements print it
        whole); its source and locator follow on a small line of their own.
        """
        out = []
        for note in self.rule.annotations:
            head, text, where = annotation_parts(self.theory, note)
            kind = ANNOTATION_WORDS[note.kind]
            against = head[len(kind) :].strip()
            body = label_html(f"{against}: {text}" if against else text, self.width, align="LEFT")
            if where:
                small = html_lines(where, self.width + 10, align="LEFT")
                body += (
                    f'<BR ALIGN="LEFT"/><FONT POINT-SIZE="{self.style.small_font_size}">'
                    f"{small}</FONT>"
                )
            cell = (
                '<TR><TD ALIGN="LEFT" BALIGN="LEFT">'
                f'<FONT COLOR="{self.ink}">{body}</FONT></TD></TR>'
            )
            out.append(self.row(kind.upper(), cell))
        return out

    def html(self) -> Html:
        r, style = self.rule, self.style
        rows = [self.head(), *self.conditions(), *self.results(), *self.annotations()]
        declared = set(r.missing_parts)
        gaps = [
            p for p in r.missing if p not in declared and not (p == "context" and r.any_context)
        ]
        if gaps:
            rows.append(self.note(f"incomplete: no {', '.join(gaps)}"))
        if declared:
            rows.append(self.note("missing in the source: " + ", ".join(sorted(declared))))
        border = {"on": style.fired, "blocked": style.blocked, "off": style.greyed}.get(
            self.state, style.refuted if r.status == "refuted" else style.kind_border["rule"]
        )
        dashed = self.state == "blocked" or (r.status == "hypothesised" and self.state != "on")
        look = ' STYLE="dashed"' if dashed else ""
        return Html(
            f'<TABLE{look} BORDER="1" COLOR="{border}" BGCOLOR="{style.background}" '
            'CELLBORDER="0" CELLSPACING="2" CELLPADDING="4">' + "".join(rows) + "</TABLE>"
        )


def _card(theory: Theory, rule: Rule, style: Style, state: State = "plain") -> Html:
    return _Card(theory, rule, style, state).html()


def rule_card(theory: Theory, rule: str, *, style: Style = DEFAULT_STYLE) -> Diagram:
    """One configuration as an IF / UNLESS / WITH / THEN / BECAUSE panel with status and evidence.

    >>> import cimo
    >>> theory = cimo.load_example("work-focused-group-cbt")
    >>> card = rule_card(theory, "figure-4")
    >>> "BECAUSE (any of)" in card.source and "3 pieces of evidence" in card.source
    True

    Raises:
        UnknownIdError: ``rule`` is not a rule of the theory.
    """
    style = style.for_theory(theory)
    r = get_rule(theory, rule)
    g = new_graph(r.id, style, "TB")
    g.node(r.id, label=_card(theory, r, style), shape="plaintext", margin="0")
    return make_diagram("rule", rule_label(r), g)


def rule_cards(
    theory: Theory,
    *,
    style: Style = DEFAULT_STYLE,
    columns: int = 3,
    highlight: Highlight | None = None,
    focus: str | None = None,
    depth: int = 1,
    rules: Collection[str] | None = None,
    title: str | None = None,
) -> Diagram:
    """Every rule as a card, boxed by theme, joined by chain edges (``cimo render --view rules``).

    ``rules`` keeps only those rules (by id), under ``title`` (default: the
    theory's), as when the cards are split over pages.

    >>> import cimo
    >>> d = rule_cards(cimo.load_example("pwp-resilience"))
    >>> d.nodes == len(cimo.load_example("pwp-resilience").rules)
    True
    """
    style = style.for_theory(theory)
    # Draw the focused part itself: no edge or legend entry of a rule outside it.
    theory = focused(theory, focus, depth=depth) if focus is not None else theory
    wanted = None if rules is None else set(rules)
    shown = [r for r in theory.rules if wanted is None or r.id in wanted]
    g = new_graph(theory.id, style, "TB")
    heading = html_lines(title or theory.title, style.wrap * 3)
    g.attrs(label=Html(f"<B>{heading}</B>"), labelloc="t")
    names = theme_names(theory)
    themes: dict[str | None, list[Rule]] = defaultdict(list)
    for r in shown:
        themes[r.theme].append(r)
    card_state = states(highlight)

    previous_row: str | None = None
    for i, (theme, members) in enumerate(themes.items()):
        # Stack the theme boxes: the last row of one theme above the first card of the next.
        if previous_row is not None:
            g.order(previous_row, members[0].id)
        previous_row = members[(len(members) - 1) // columns * columns].id
        with g.subgraph(
            f"cluster_theme_{i}",
            label=Html(f"<B>{html_text(names.get(theme, theme))}</B>") if theme else None,
            style="rounded,dashed" if theme else "invis",
            color=style.kind_border["rule"],
            labeljust="l",
        ):
            for j, r in enumerate(members):
                g.node(
                    r.id,
                    label=_card(theory, r, style, card_state(r.id)),
                    shape="plaintext",
                    group="first" if j % columns == 0 else None,
                )
            # A grid in file order: rows of `columns` cards, left to right, top to bottom.
            for start in range(0, len(members), columns):
                row = members[start : start + columns]
                with g.subgraph(f"row_{i}_{start}", rank="same"):
                    for left, right in itertools.pairwise(row):
                        g.order(left.id, right.id)
            for a, b in zip(members, members[columns:], strict=False):
                g.order(a.id, b.id)
    keys = {_STATUS_KEY[r.status] for r in shown}
    if highlight is not None:
        keys |= {"picked", "greyed", "blocked-card"}
    kept = {r.id for r in shown}
    seen: set[tuple[str, str]] = set()
    for link in chain_links(theory):
        pair = (link.upstream, link.downstream)
        if link.upstream in kept and link.downstream in kept and pair not in seen:
            seen.add(pair)
            look = "unless" if link.blocking else "if"
            keys.add("card-unless" if link.blocking else "card-chain")
            attrs = edge_attrs(look, style, chain=not link.blocking)
            attrs["tooltip"] = str(link)
            g.edge(link.upstream, link.downstream, **attrs)
    used = {ident for r in shown for _, _, ident in r.references()}
    used |= {ident for r in shown for ident in nested_ids(r)}  # any-of groups, requires, ...
    g.aside(
        LEGEND,
        label=legend_table(
            style,
            kinds=[k for k in KINDS if any(n.kind == k for n in theory.nodes if n.id in used)],
            categories=categories(m for m in theory.mechanisms if m.id in used),
            keys=keys,
            cell=True,
        ),
        shape="plaintext",
    )
    if previous_row is not None:  # under the last row of cards: it costs height, not width
        g.order(previous_row, LEGEND)
    return make_diagram("rules", theory.title, g)
