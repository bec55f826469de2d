r"""Text outputs: if-then-because statements and CMO tables (Markdown, HTML, CSV, LaTeX).

Realist papers print each configuration as a sentence ("IF ..., THEN ...,
BECAUSE ...", seed 000 Table 2) and as a row of a numbered CMO table
grouped by theme (seed 002). Both are built from the rules, in file order,
with the source's own labels kept.

>>> import cimo
>>> theory = cimo.load_example("pwp-resilience")
>>> print(statement(theory, theory.rules[0].id))  # doctest: +ELLIPSIS
[supported] IF ...THEN ...BECAUSE ...
>>> print(cmo_table(theory, format="md").splitlines()[0])
### Work-related challenges
"""

from __future__ import annotations

import csv
import html
import io
from collections import defaultdict
from collections.abc import Callable
from typing import NamedTuple, TypeAlias

from cimo._util import csv_protect, markdown_text
from cimo.core.formats import CmoTableFormat as TableFormat
from cimo.errors import UsageError
from cimo.model import Mechanism, Outcome, Rule, Theory
from cimo.render._common import Html, Markdown
from cimo.render._sentence import Statement, Statements, statement, statements
from cimo.render._words import Item, Words, join

__all__ = [
    "Statement",
    "Statements",
    "TableFormat",
    "cmo_table",
    "latex_escape",
    "statement",
    "statements",
]

_COLUMNS = ("No.", "Rule", "Context", "Intervention", "Mechanism", "Outcome", "Status", "Evidence")
_NO_THEME = "Other configurations"
# Themes in order, each with its recommendation and rows; a row is its cells, a cell its items.
_Groups: TypeAlias = list[tuple[str, str | None, list[tuple[list[str], ...]]]]


class _Table(NamedTuple):
    title: str
    columns: tuple[str, ...]
    groups: _Groups


def _cells(w: Words, r: Rule) -> dict[str, list[str]]:
    """The cells of one rule by column, each a list of items (joined per format)."""
    mark = " (inferred)"

    def marked(key: str, ids: tuple[str, ...], word: str = "") -> list[str]:
        tail = mark if key in r.inferred else ""
        return [f"{word}{w.plain(i)}{tail}" for i in ids]

    context = ["in any circumstances"] if r.any_context else []
    context += marked("if", r.contexts)
    context += [f"({Words(w.theory).any(g)})" for g in r.context_groups]
    context += marked("within", r.modifiers, "within: ")
    context += marked("unless", r.unless, "unless: ")
    context += marked("moderated_by", r.moderators, "moderated by: ")
    context += marked("despite", r.despite, "despite: ")
    if "context" in r.missing_parts:
        context.append("(context missing in the source)")
    intervention = marked("with", r.interventions)
    if "intervention" in r.missing_parts:
        intervention.append("(intervention missing in the source)")
    outcome = _outcome_cell(w, r)
    name = [r.source_label] if r.source_label and r.source_label != r.id else []
    return {
        "No.": [],
        "Rule": [r.id, *name],
        "Actor": [r.actor + (mark if "actor" in r.inferred else "")] if r.actor else [],
        "Context": context,
        "Intervention": intervention,
        "Mechanism": _mechanism_cell(w, r),
        "Outcome": outcome,
        "Status": [r.status],
        "Evidence": [str(len(r.evidence))],
    }


def _mechanism_cell(w: Words, r: Rule) -> list[str]:
    """Mechanisms with their resource, response and behaviour; OR between alternatives."""
    links = {link.mechanism: link for link in r.mechanism_links}
    tail = " (inferred)" if "because" in r.inferred else ""
    out: list[str] = []
    for i, ident in enumerate(r.mechanisms):
        word = "OR " if i and r.mechanism_mode == "alternatives" else ""
        line = word + w.plain(ident) + tail
        link = links.get(ident)
        if link is not None and link.requires:
            line += f" (if {w.all(link.requires)})"
        if link is not None and link.then:
            line += f" → {w.all(link.then)}"
        out.append(line)
        node = w.node(ident)
        if isinstance(node, Mechanism):
            if node.polarity is not None:
                out.append(f"polarity: {node.polarity}")
            for part, value in (
                ("resource", node.resource),
                ("response", node.reasoning),
                ("behaviour", node.behaviour),
            ):
                if value:
                    out.append(f"{part}: {value}")
    if r.mechanism_mode == "unstated" and len(r.mechanisms) > 1:
        out.append("(combination unstated)")
    if "mechanism" in r.missing_parts:
        out.append("(mechanism missing in the source)")
    return out


def _outcome_cell(w: Words, r: Rule) -> list[str]:
    """Outcomes (steps "leading to"), REDUCES and OTHERWISE, each with polarity and measures."""
    to_of: dict[str, list[str]] = defaultdict(list)
    for step in r.outcome_steps:
        to_of[step.from_].append(step.to)
    out: list[str] = []
    for word, key, ids in (
        ("", "then", r.outcomes),
        ("reduces: ", "reduces", r.reduces),
        ("otherwise: ", "otherwise", r.otherwise),
    ):
        tail = " (inferred)" if key in r.inferred else ""
        # an outcome another one of this list leads to is shown after it, not again
        shown_after = {t for i in ids for t in to_of[i] if t in ids and t != i}
        for ident in ids:
            if ident in shown_after:
                continue
            line = word + w.plain(ident) + tail
            node = w.node(ident)
            if isinstance(node, Outcome) and node.polarity is not None:
                guess = ", inferred" if "polarity" in node.inferred else ""
                line += f" ({node.polarity}{guess})"
            if to_of[ident]:
                line += ", leading to " + w.all(to_of[ident])
            out.append(line)
            if isinstance(node, Outcome) and node.measures:
                out.append("measured by: " + join([Item(m) for m in node.measures], "and"))
    if "outcome" in r.missing_parts:
        out.append("(outcome missing in the source)")
    return out


def _columns(theory: Theory) -> tuple[str, ...]:
    """The columns of this theory's table: Actor and Programme theory only when used.

    A programme theory column is used when a rule names one and the theory
    declares more than one (a single programme theory tells no rows apart).
    """
    extra = {
        "Actor": any(r.actor for r in theory.rules),
        "Programme theory": len(theory.programme_theories) > 1
        and any(r.programme_theory for r in theory.rules),
    }
    cols = ["No.", "Rule", *(c for c in ("Programme theory", "Actor") if extra[c])]
    return (*cols, *_COLUMNS[2:])


def _groups(theory: Theory) -> tuple[tuple[str, ...], _Groups]:
    """Rules grouped by theme (in order of first appearance), numbered 1..n across groups."""
    columns = _columns(theory)
    w = Words(theory, sentence=False)
    themes = {t.id: t for t in theory.themes}
    programmes = {p.id: p.label for p in theory.programme_theories}
    grouped: dict[str | None, list[Rule]] = defaultdict(list)
    for r in theory.rules:
        grouped[r.theme].append(r)
    order = [t for t in grouped if t is not None] + ([None] if None in grouped else [])
    out: _Groups = []
    n = 0
    for theme in order:
        rows = []
        for r in grouped[theme]:
            n += 1
            cells = _cells(w, r)
            cells["No."] = [str(n)]
            pt = r.programme_theory
            cells["Programme theory"] = [programmes.get(pt, pt)] if pt else []
            rows.append(tuple(cells[c] for c in columns))
        record = themes.get(theme) if theme is not None else None
        heading = _NO_THEME if theme is None else record.label if record else theme
        if record is not None and record.source_label:
            heading = f"{record.source_label}: {heading}"
        if record is not None and "theme" in {k for r in grouped[theme] for k in r.inferred}:
            heading += " (inferred)"
        advice = record.recommendation if record is not None else None
        out.append((heading, advice, rows))
    return columns, out


def _md_cell(items: list[str]) -> str:
    text = "<br>".join(markdown_text(item) for item in items)
    text = text.replace("\\", "\\\\").replace("|", "\\|")
    # CommonMark ends a line at \n, \r or \r\n: each would break the table row
    return text.replace("\r\n", "<br>").replace("\r", "<br>").replace("\n", "<br>")


_LATEX = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    "\n": " ",
    "\r": " ",
    "\t": " ",
}
# Other control characters would end up raw in the .tex file (LaTeX cannot set them): spaces.
_LATEX.update({chr(c): " " for c in range(0x20) if chr(c) not in _LATEX})
_LATEX["\x7f"] = " "


def latex_escape(text: str) -> str:
    r"""Escape text for LaTeX.

    Control characters become spaces (LaTeX cannot typeset them).

    >>> print(latex_escape("50% of {x} & y_1"))
    50\% of \{x\} \& y\_1
    >>> latex_escape("bell\a")
    'bell '
    """
    return "".join(_LATEX.get(c, c) for c in text)


def cmo_table(theory: Theory, *, format: TableFormat = "md", csv_protection: bool = True) -> str:
    """The CMO table: one numbered row per configuration, grouped by theme.

    Columns: number, rule (id and the source's label), actor and programme
    theory (only when the theory uses them), context (UNLESS, WITHIN,
    MODERATED BY and DESPITE contexts marked so, any-of groups as "(A or
    B)"), intervention, mechanism (with its resource, response and behaviour;
    alternatives marked ``OR``), outcome (REDUCES and OTHERWISE marked, with
    polarity, measures and "leading to" steps), status and the number of
    pieces of evidence. Elements show the label the source printed before
    their wording ("(C1) Lean"). CSV is flat, with a ``Theme`` column; the
    other formats head each group with its theme (and its recommendation).
    Text is escaped for each format: HTML in Markdown and HTML shows as
    written, never runs; in CSV a cell a spreadsheet would run as a formula
    (``=``, ``+``, ``-``, ``@``, tab or carriage return first) gets a leading
    apostrophe, unless ``csv_protection=False``.

    >>> import cimo
    >>> theory = cimo.load_example("work-focused-group-cbt")
    >>> print(cmo_table(theory, format="csv").splitlines()[0])
    Theme,No.,Rule,Context,Intervention,Mechanism,Outcome,Status,Evidence

    The HTML and Markdown tables are ``str`` subclasses that a notebook
    displays as a table (``_repr_html_``, ``_repr_markdown_``), not as
    escaped source.

    Raises:
        cimo.UsageError: an unknown format.
    """
    writer = _WRITERS.get(format)
    if writer is None:
        raise UsageError(f"unknown table format {format!r}; use md, html, csv or latex")
    columns, groups = _groups(theory)
    table = _Table(theory.title, columns, groups)
    if format == "csv":
        return _csv(table, protect=csv_protection)
    text = writer(table)
    if format == "html":  # a notebook shows it as HTML
        return Html(text)
    return Markdown(text) if format == "md" else text


def _markdown(table: _Table) -> str:
    cols = table.columns
    lines: list[str] = []
    for theme, advice, rows in table.groups:
        lines += [f"### {_md_cell([theme])}", ""]
        if advice:
            lines += [f"Recommendation: {_md_cell([advice])}", ""]
        lines.append("| " + " | ".join(cols) + " |")
        lines.append("|" + "|".join("---:" if c == "No." else "---" for c in cols) + "|")
        lines += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in rows]
        lines.append("")
    return "\n".join(lines)


def _csv(table: _Table, *, protect: bool = True) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")  # RFC 4180; quotes fields holding \r or \n
    safe = csv_protect if protect else str
    writer.writerow(("Theme", *table.columns))
    for theme, _, rows in table.groups:
        writer.writerows([safe(theme), *(safe("; ".join(c)) for c in row)] for row in rows)
    return buf.getvalue()


def _html(table: _Table) -> str:
    cols = table.columns
    head = "".join(f"<th>{html.escape(c)}</th>" for c in cols)
    body: list[str] = []
    for theme, advice, rows in table.groups:
        note = (
            f'<br><span class="recommendation">Recommendation: {html.escape(advice)}</span>'
            if advice
            else ""
        )
        body.append(
            f'<tr class="theme"><th colspan="{len(cols)}">{html.escape(theme)}{note}</th></tr>'
        )
        body += [
            "<tr>"
            + "".join(
                "<td>" + "<br>".join(html.escape(x).replace("\n", "<br>") for x in c) + "</td>"
                for c in row
            )
            + "</tr>"
            for row in rows
        ]
    return (
        f'<table class="cimo-cmo-table">\n<caption>{html.escape(table.title)}</caption>\n'
        f"<thead><tr>{head}</tr></thead>\n<tbody>\n" + "\n".join(body) + "\n</tbody>\n</table>\n"
    )


def _latex(table: _Table) -> str:
    cols = table.columns
    extra = len(cols) - len(_COLUMNS)
    spec = "r" + "p{2.2cm}" * (1 + extra) + "p{3cm}" * 4 + "l" + "r"
    out = [
        r"\begin{tabular}{" + spec + "}",
        r"\hline",
        " & ".join(latex_escape(c) for c in cols) + r" \\",
        r"\hline",
    ]
    for theme, advice, rows in table.groups:
        head = rf"\textbf{{{latex_escape(theme)}}}"
        if advice:
            head += rf" --- Recommendation: {latex_escape(advice)}"
        out.append(rf"\multicolumn{{{len(cols)}}}{{l}}{{{head}}} \\")
        out += [" & ".join(latex_escape("; ".join(c)) for c in row) + r" \\" for row in rows]
        out.append(r"\hline")
    out.append(r"\end{tabular}")
    return "\n".join(out) + "\n"


_WRITERS: dict[str, Callable[[_Table], str]] = {
    "md": _markdown,
    "html": _html,
    "csv": _csv,
    "latex": _latex,
}
