"""The "configuration rows" layout: one configuration per row, C | (I) | M | O, as papers print.

Realist papers print their programme theory as a table: one row per CMO
configuration, the printed number first, grouped under headings. This view
draws any theory that way (``cimo render --layout rows``,
``theory_map(theory, layout="rows")``):

* rows in file order, grouped under the theory's theme records in their
  order (rules without a theme come last, under no heading);
* the first column is the printed number (``source_label``); a theory that
  prints none shows the rule ids instead;
* a cell holds the rule's printed wording when its ``segments`` give one
  (``**bold**`` words drawn bold), else the labels of its elements; UNLESS
  contexts and REDUCES outcomes are written as such; a part the encoder
  inferred says "(inferred)" and a part the source leaves out says
  "(missing in the source)";
* the Intervention column appears only when some rule has an intervention,
  a Notes column (each annotation of the rule, named by its kind: "Tension:
  ...", as published tables print a Tensions column) only when some rule has
  an annotation;
  a refuted rule is struck through and marked "[refuted]"; when the rules'
  statuses differ, every number says its rule's ("[hypothesised]").

>>> import cimo
>>> d = configuration_rows(cimo.load_example("doctors-mental-health"))
>>> d.name, "<B>make up</B>" in d.source, d.source.count("<TR>") > 19
('rows', True, True)
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence

from cimo.model import Rule, Segment, Theory
from cimo.render._figure import Diagram, make_diagram, new_graph
from cimo.render._words import annotation_line
from cimo.render.dot import Html, html_lines, html_text, wrap
from cimo.render.style import DEFAULT_STYLE, Style

__all__ = ["configuration_rows", "theme_groups"]

#: (heading, the rule slots a column shows: attribute, file key, prefix, kind)
_COLUMNS: tuple[tuple[str, tuple[tuple[str, str, str], ...], str], ...] = (
    ("Context", (("contexts", "if", ""), ("unless", "unless", "UNLESS ")), "context"),
    ("Intervention", (("interventions", "with", ""),), "intervention"),
    ("Mechanism", (("mechanisms", "because", ""),), "mechanism"),
    ("Outcome", (("outcomes", "then", ""), ("reduces", "reduces", "REDUCES ")), "outcome"),
)
#: The column of a rule's annotations (the "kind" names no slot; its cells are not slots).
_NOTES: tuple[str, tuple[tuple[str, str, str], ...], str] = ("Notes", (), "notes")
_BOLD = re.compile(r"\*\*(.+?)\*\*", re.DOTALL)


def _marked(text: str, width: int) -> str:
    """Wrapped, escaped HTML with ``**bold**`` spans drawn bold (also across line breaks).

    >>> _marked("they **make up** for it", 7)
    'they<BR ALIGN="LEFT"/><B>make</B><BR ALIGN="LEFT"/><B>up</B> for<BR ALIGN="LEFT"/>it'
    """
    on, off = "\ue000", "\ue001"  # private-use marks: html_text leaves them alone
    plain = _BOLD.sub(lambda m: on + m.group(1) + off, text)
    lines, bold = [], False
    for line in wrap(plain, width):
        html = ("<B>" if bold else "") + html_text(line)
        for ch in line:
            bold = True if ch == on else False if ch == off else bold
        html = html.replace(on, "<B>").replace(off, "</B>")
        lines.append(html + ("</B>" if bold else ""))
    return '<BR ALIGN="LEFT"/>'.join(lines)


def _printed_cells(theory: Theory, rule: Rule) -> dict[str, list[str]]:
    """The rule's segments by column (a text-only segment joins the previous element's column)."""
    cells: dict[str, list[str]] = defaultdict(list)
    column: str | None = None
    pending: list[str] = []
    for seg in rule.segments:
        if seg.ref is not None and seg.ref in theory.index:
            column = theory.index[seg.ref].kind
            cells[column] += pending
            pending = []
        text = _segment_text(theory, seg)
        if column is None:
            pending.append(text)
        else:
            cells[column].append(text)
    if pending and column is not None:
        cells[column] += pending
    return cells


def _segment_text(theory: Theory, seg: Segment) -> str:
    if seg.text is not None:
        return seg.text
    ref = seg.ref or ""
    return theory.index[ref].label if ref in theory.index else ref


def _cell(
    theory: Theory,
    rule: Rule,
    slots: Sequence[tuple[str, str, str]],
    kind: str,
    printed: dict[str, list[str]],
    width: int,
) -> str:
    parts: list[str] = []
    if kind == "notes":
        lines = [annotation_line(theory, note) for note in rule.annotations]
        parts += [html_lines(line, width, align="LEFT") for line in lines]
    elif printed.get(kind):
        parts.append(_marked(" ".join(printed[kind]), width))
    else:
        for attr, key, prefix in slots:
            ids: Iterable[str] = getattr(rule, attr)
            labels = [theory.index[i].label for i in ids if i in theory.index]
            if not labels:
                continue
            joiner = (
                " or " if attr == "mechanisms" and rule.mechanism_mode == "alternatives" else "; "
            )
            guess = " \ue002" if key in rule.inferred else ""  # wrapped with the words
            text = _marked(prefix + joiner.join(labels) + guess, width)
            parts.append(text.replace("\ue002", "<I>(inferred)</I>"))
    if kind in rule.missing_parts:
        parts.append(f"<I>{html_lines('(missing in the source)', width, align='LEFT')}</I>")
    return '<BR ALIGN="LEFT"/>'.join(parts) or " "


def _fill(style: Style, kind: str) -> str:
    """The heading fill of a column: its kind's, the background for the notes."""
    return style.background if kind == "notes" else style.kind_fill[kind]


def theme_groups(
    theory: Theory, only: Collection[str] | None = None
) -> list[tuple[str | None, list[Rule]]]:
    """The rules (``only`` these, when given) under their themes, in the themes' order."""
    by_theme: dict[str | None, list[Rule]] = defaultdict(list)
    for rule in theory.rules:
        if only is None or rule.id in only:
            by_theme[rule.theme].append(rule)
    order = [t.id for t in theory.themes if t.id in by_theme]
    order += [t for t in by_theme if t is not None and t not in order]
    groups: list[tuple[str | None, list[Rule]]] = [(t, by_theme[t]) for t in order]
    if None in by_theme:
        groups.append((None, by_theme[None]))
    return groups


def configuration_rows(
    theory: Theory,
    *,
    style: Style = DEFAULT_STYLE,
    width: int = 34,
    rules: Collection[str] | None = None,
    title: str | None = None,
    stacked: bool = False,
) -> Diagram:
    """The theory as a table of configurations, one per row (see the module docs).

    Args:
        theory: The theory.
        style: Colours and fonts; the columns take the kinds' fill colours.
        width: Characters per line in a cell.
        rules: Only these rules (by id), as when a table is split over pages.
        title: The heading above the table (default: the theory's title).
        stacked: Each configuration as a block of rows (Context, Intervention,
            Mechanism, Outcome, one under the other) under its number: a
            table two columns wide, for a narrow page.

    Returns:
        The diagram (one table; ``dot`` lays it out).
    """
    columns = [c for c in _COLUMNS if c[2] != "intervention" or theory.interventions]
    if any(r.annotations for _, group in theme_groups(theory, rules) for r in group):
        columns.append(_NOTES)
    numbered = any(r.source_label for r in theory.rules)
    mixed = len({r.status for r in theory.rules}) > 1  # then every row says its status
    n_cols = 2 if stacked else len(columns) + 1
    across = width * (1 if stacked else len(columns))
    head = "".join(
        f'<TD BGCOLOR="{_fill(style, kind)}"><B>{name}</B></TD>' for name, _, kind in columns
    )
    rows = [
        f'<TR><TD COLSPAN="{n_cols}" BORDER="0">'
        f"<B>{html_lines(title or theory.title, max(40, across))}</B></TD></TR>",
    ]
    if not stacked:
        rows.append(f"<TR><TD><B>{'No.' if numbered else 'Rule'}</B></TD>{head}</TR>")
    labels = {t.id: (t.source_label, t.label) for t in theory.themes}
    for theme, members in theme_groups(theory, rules):
        if theme is not None:
            printed, label = labels.get(theme, (None, theme))
            heading = f"{printed}: {label}" if printed else label
            rows.append(
                f'<TR><TD COLSPAN="{n_cols}" ALIGN="LEFT" BALIGN="LEFT" '
                f'BGCOLOR="{style.kind_fill["rule"]}">'
                f"<B>{html_lines(heading, across, align='LEFT')}</B></TD></TR>"
            )
        for rule in members:
            mark = f" [{rule.status}]" if mixed or rule.status == "refuted" else ""
            if stacked:
                rows += _stacked(theory, rule, columns, width, style, mark)
            else:
                rows.append(_row(theory, rule, columns, numbered, width, mark))
    table = (
        '<TABLE BORDER="0" CELLBORDER="1" CELLSPACING="0" CELLPADDING="5" '
        f'COLOR="{style.line}">' + "".join(rows) + "</TABLE>"
    )
    g = new_graph(f"{theory.id}-rows", style, "TB")
    g.node("cimo:rows", label=Html(table), shape="plaintext", margin="0")
    return make_diagram("rows", theory.title, g, "dot")


def _row(
    theory: Theory,
    rule: Rule,
    columns: Sequence[tuple[str, tuple[tuple[str, str, str], ...], str]],
    numbered: bool,
    width: int,
    mark: str,
) -> str:
    number = (rule.source_label or "") if numbered else rule.id
    printed = _printed_cells(theory, rule) if rule.segments else {}
    left = '<TD ALIGN="LEFT" BALIGN="LEFT" VALIGN="TOP">'
    cells = [
        f"{left}{_cell(theory, rule, slots, kind, printed, width)}</TD>"
        for _, slots, kind in columns
    ]
    no = (_marked(number, 16) or " ") + (f"<BR/><I>{mark.strip()}</I>" if mark else "")
    if rule.status == "refuted":
        cells = [
            c.replace('VALIGN="TOP">', 'VALIGN="TOP"><S>', 1).replace("</TD>", "</S></TD>")
            for c in cells
        ]
    return f'<TR><TD ALIGN="LEFT" BALIGN="LEFT" VALIGN="TOP">{no}</TD>{"".join(cells)}</TR>'


def _stacked(
    theory: Theory,
    rule: Rule,
    columns: Sequence[tuple[str, tuple[tuple[str, str, str], ...], str]],
    width: int,
    style: Style,
    mark: str,
) -> list[str]:
    """One configuration as a block: its number, then a row per column that has something."""
    number = rule.source_label or rule.id
    refuted = rule.status == "refuted"
    head = (_marked(number, width) or " ") + mark
    rows = [
        f'<TR><TD COLSPAN="2" ALIGN="LEFT" BALIGN="LEFT" BGCOLOR="{style.kind_fill["rule"]}">'
        f"<B>{head}</B></TD></TR>"
    ]
    printed = _printed_cells(theory, rule) if rule.segments else {}
    for name, slots, kind in columns:
        cell = _cell(theory, rule, slots, kind, printed, width)
        if not cell.strip():
            continue
        cell = f"<S>{cell}</S>" if refuted else cell
        rows.append(
            f'<TR><TD ALIGN="LEFT" VALIGN="TOP" BGCOLOR="{_fill(style, kind)}">'
            f'<B>{name}</B></TD><TD ALIGN="LEFT" BALIGN="LEFT" VALIGN="TOP">{cell}</TD></TR>'
        )
    return rows
