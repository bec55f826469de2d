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
### Phase 1: Work-related challenges
"""

from __future__ import annotations

import csv
import html
import io
import math
import re
from collections import defaultdict
from collections.abc import Callable
from typing import NamedTuple, TypeAlias

from cimo._util import csv_protect, markdown_text
from cimo.core.formats import CmoTextFormat as TableFormat
from cimo.errors import UsageError
from cimo.model import Evidence, Mechanism, Outcome, Rule, Theory
from cimo.render._common import Html, Markdown
from cimo.render._sentence import Statement, Statements, statement, statements
from cimo.render._words import Item, Words, join

__all__ = [
    "TABLE_CSS",
    "CmoRows",
    "Statement",
    "Statements",
    "TableFormat",
    "cmo_rows",
    "cmo_table",
    "column_shares",
    "is_wide",
    "latex_escape",
    "statement",
    "statements",
]

_NO_THEME = "Other configurations"
# Themes in order, each with its recommendation and rows; a row is its cells, a cell its items.
_Groups: TypeAlias = list[tuple[str, str | None, list[tuple[list[str], ...]]]]
#: The column headings, in order (those a theory does not use are left out).
_ALL_COLUMNS = (
    "No.",
    "Rule",
    "Programme theory",
    "Actor",
    "Context",
    "Intervention",
    "Mechanism",
    "Mechanism resource",
    "Mechanism response",
    "Outcome",
    "Status",
    "Evidence",
)


class CmoRows(NamedTuple):
    """The CMO table before it is written in a format (:func:`cmo_rows`).

    Attributes:
        title: The theory's title (the caption).
        columns: The column headings.
        groups: One ``(theme heading, recommendation or None, rows)`` per theme, in
            order; a row holds one cell per column, a cell its items (lines).
    """

    title: str
    columns: tuple[str, ...]
    groups: _Groups


def cmo_rows(theory: Theory) -> CmoRows:
    """The cells of the CMO table of ``theory``, grouped by theme (for other writers).

    Every format of :func:`cmo_table` and :func:`cimo.render.word.add_cmo_table`
    is written from these rows.

    >>> import cimo
    >>> rows = cmo_rows(cimo.load_example("pwp-resilience"))
    >>> rows.columns
    ('Rule', 'Context', 'Mechanism resource', 'Mechanism response', 'Outcome', 'Status', 'Evidence')
    >>> heading, advice, first = rows.groups[0]
    >>> heading, first[0][0]
    ('Phase 1: Work-related challenges', ['individual-challenges'])
    """
    columns, groups = _groups(theory)
    return CmoRows(theory.title, columns, groups)


def _cells(w: Words, r: Rule, *, split: bool) -> dict[str, list[str]]:
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
    cells: dict[str, list[str]] = {
        "No.": [r.source_label] if r.source_label else [],
        "Rule": [r.id],
        "Actor": [r.actor + (mark if "actor" in r.inferred else "")] if r.actor else [],
        "Context": context,
        "Intervention": intervention,
        "Outcome": _outcome_cell(w, r),
        "Status": [r.status],
        "Evidence": [_evidence_item(e) for e in r.evidence],
    }
    if split:
        cells["Mechanism resource"] = _resource_cell(w, r)
        cells["Mechanism response"] = _mechanism_cell(w, r, split=True)
    else:
        cells["Mechanism"] = _mechanism_cell(w, r, split=False)
    return cells


def _evidence_item(e: Evidence) -> str:
    """One piece of evidence: its quote, then who said it and where (participant; source, locator).

    A stance other than "supports" is said after it; evidence without a quote
    is its attribution alone.
    """
    where = ", ".join(x for x in (e.source, e.locator) if x)
    who = "; ".join(x for x in (e.participant, where) if x)
    stance = f" [{e.stance}]" if e.stance not in (None, "supports") else ""
    if e.quote:
        return f"“{e.quote.strip()}”" + (f" ({who})" if who else "") + stance
    return (who or "(unattributed)") + stance


def _resource_cell(w: Words, r: Rule) -> list[str]:
    """The resources the rule's mechanisms offer (after the mechanism's name when several)."""
    out: list[str] = []
    for ident in r.mechanisms:
        node = w.node(ident)
        if isinstance(node, Mechanism) and node.resource:
            out.append(
                f"{w.plain(ident)}: {node.resource}" if len(r.mechanisms) > 1 else node.resource
            )
    return out


def _mechanism_cell(w: Words, r: Rule, *, split: bool) -> list[str]:
    """Mechanisms with their resource, response and behaviour; OR between alternatives.

    With ``split`` the resources are left out (they have a column of their own) and
    the response follows its mechanism without a "response:" prefix.
    """
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
            parts = (
                (("", node.reasoning),)
                if split
                else (("resource: ", node.resource), ("response: ", node.reasoning))
            )
            for part, value in (*parts, ("behaviour: ", node.behaviour)):
                if value:
                    out.append(f"{part}{value}")
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


def _split_mechanisms(theory: Theory) -> bool:
    """True when a mechanism of a rule states its resource.

    Then resource and response get a column each, as realist papers print them.
    """
    used = {m for r in theory.rules for m in r.mechanisms}
    return any(m.resource for m in theory.mechanisms if m.id in used)


def _columns(theory: Theory) -> tuple[str, ...]:
    """The columns of this theory's table: those only some theories fill appear when used.

    "No." holds the number or label the source printed (when any rule has
    one); Actor, Intervention and Evidence appear when a rule has one; a programme
    theory column when a rule names one and the theory declares more than one
    (a single programme theory tells no rows apart); the mechanism's resource
    and response get a column each when a mechanism states its resource.
    """
    rules = theory.rules
    used = {
        "No.": any(r.source_label and r.source_label != r.id for r in rules),
        "Programme theory": len(theory.programme_theories) > 1
        and any(r.programme_theory for r in rules),
        "Actor": any(r.actor for r in rules),
        "Intervention": any(r.interventions or "intervention" in r.missing_parts for r in rules),
        "Evidence": any(r.evidence for r in rules),
    }
    split = _split_mechanisms(theory)
    used["Mechanism"] = not split
    used["Mechanism resource"] = used["Mechanism response"] = split
    return tuple(c for c in _ALL_COLUMNS if used.get(c, True))


def _groups(theory: Theory) -> tuple[tuple[str, ...], _Groups]:
    """Rules grouped by theme (in order of first appearance), in file order within each."""
    columns = _columns(theory)
    split = "Mechanism" not in columns
    w = Words(theory, sentence=False)
    themes = {t.id: t for t in theory.themes}
    programmes = {p.id: p.label for p in theory.programme_theories}
    grouped: dict[str | None, list[Rule]] = defaultdict(list)
    for r in theory.rules:
        grouped[r.theme].append(r)
    order = [t for t in grouped if t is not None] + ([None] if None in grouped else [])
    out: _Groups = []
    for theme in order:
        rows = []
        for r in grouped[theme]:
            cells = _cells(w, r, split=split)
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
# Characters the default (OT1) font sets as others (< as ¡, | as an em dash), and a few
# symbols pdflatex's UTF-8 input does not know.
_LATEX.update(
    {
        "<": r"\textless{}",
        ">": r"\textgreater{}",
        "|": r"\textbar{}",
        "→": r"$\rightarrow$",
        "←": r"$\leftarrow$",
        "↔": r"$\leftrightarrow$",
        "≤": r"$\leq$",
        "≥": r"$\geq$",
        "≠": r"$\neq$",
        "≈": r"$\approx$",
        "−": "-",
        "\u2009": " ",
        "\u202f": " ",
        "\u200b": "",
    }
)


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
    """The CMO table: one row per configuration, grouped by theme, in file order.

    Columns (those no rule fills are left out): "No." (the number or label the
    source printed), rule id, programme theory (when the theory has several),
    actor, context (UNLESS, WITHIN, MODERATED BY and DESPITE contexts marked
    so, any-of groups as "(A or B)"), intervention, mechanism (with its
    response and behaviour; alternatives marked ``OR``; when a mechanism
    states its resource, resource and response get a column each), outcome
    (REDUCES and OTHERWISE marked, with polarity, measures and "leading to"
    steps), status and evidence (each quote with who said it and where:
    participant; source, locator; a stance other than "supports" in brackets).
    Elements show the label the source printed before their wording ("(C1)
    Lean"). CSV is flat, with a ``Theme`` column; the other formats head each
    group with its theme (and its recommendation). HTML carries its default
    styles (:data:`TABLE_CSS`, scoped to the class ``cimo-cmo-table``). LaTeX
    is a ``longtable`` with booktabs rules and a caption, its columns shares
    of the line width (needs the booktabs, longtable, array and ragged2e
    packages; a wide table is set in a pdflscape ``landscape``). Word
    documents: :func:`cimo.render.word.cmo_table_docx`. Text is escaped for
    each format: HTML in Markdown and HTML shows as written, never runs; in
    CSV a cell a spreadsheet would run as a formula (``=``, ``+``, ``-``,
    ``@``, tab or carriage return first) gets a leading apostrophe, unless
    ``csv_protection=False``.

    >>> import cimo
    >>> theory = cimo.load_example("pwp-resilience")
    >>> print(cmo_table(theory, format="csv").splitlines()[0])
    Theme,Rule,Context,Mechanism resource,Mechanism response,Outcome,Status,Evidence

    The HTML and Markdown tables are ``str`` subclasses that a notebook
    displays as a table (``_repr_html_``, ``_repr_markdown_``), not as
    escaped source.

    Raises:
        cimo.UsageError: an unknown format.
    """
    writer = _WRITERS.get(format)
    if writer is None:
        hint = "; for .docx use cimo.render.word.cmo_table_docx" if str(format) == "docx" else ""
        raise UsageError(f"unknown table format {format!r}; use md, html, csv or latex{hint}")
    table = cmo_rows(theory)
    if format == "csv":
        return _csv(table, protect=csv_protection)
    text = writer(table)
    if format == "html":  # a notebook shows it as HTML
        return Html(text)
    return Markdown(text) if format == "md" else text


def _markdown(table: CmoRows) -> str:
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


def _csv(table: CmoRows, *, protect: bool = True) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")  # RFC 4180; quotes fields holding \r or \n
    safe = csv_protect if protect else str
    writer.writerow(("Theme", *table.columns))
    for theme, _, rows in table.groups:
        writer.writerows([safe(theme), *(safe("; ".join(c)) for c in row)] for row in rows)
    return buf.getvalue()


#: The default look of HTML tables, scoped to their class (a page's own CSS may override it).
TABLE_CSS = """\
.cimo-cmo-table { border-collapse: collapse; font: 0.9em/1.35 system-ui, sans-serif; }
.cimo-cmo-table caption { caption-side: top; text-align: left; font-weight: 600;
  padding: 0.3em 0; }
.cimo-cmo-table th, .cimo-cmo-table td { border: 1px solid #bdbdbd; padding: 0.3em 0.5em;
  text-align: left; vertical-align: top; }
.cimo-cmo-table thead th { background: #eeeeee; position: sticky; top: 0; }
.cimo-cmo-table tr.theme th { background: #f5f5f5; font-size: 1.05em; }
.cimo-cmo-table .recommendation { font-weight: normal; font-style: italic; }
.cimo-cmo-table td { min-width: 7em; }
.cimo-cmo-table td.no, .cimo-cmo-table td.rule { min-width: 0; }
.cimo-cmo-table td.status { min-width: 0; white-space: nowrap; }
.cimo-cmo-table td.evidence { min-width: 18em; }
"""


def _html(table: CmoRows) -> str:
    cols = table.columns
    head = "".join(f"<th>{html.escape(c)}</th>" for c in cols)
    classes = [html.escape(_slug(c)) for c in cols]
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
                f'<td class="{k}">'
                + "<br>".join(html.escape(x).replace("\n", "<br>") for x in c)
                + "</td>"
                for k, c in zip(classes, row, strict=True)
            )
            + "</tr>"
            for row in rows
        ]
    return (
        f'<div class="cimo-cmo">\n<style>\n{TABLE_CSS}</style>\n'
        f'<table class="cimo-cmo-table">\n<caption>{html.escape(table.title)}</caption>\n'
        f"<thead><tr>{head}</tr></thead>\n<tbody>\n"
        + "\n".join(body)
        + "\n</tbody>\n</table>\n</div>\n"
    )


def _slug(column: str) -> str:
    """A column heading as a class name ("Mechanism resource" -> "mechanism-resource")."""
    return column.lower().replace(".", "").replace(" ", "-")


#: A table with more columns than this is set on a landscape page (LaTeX, Word).
WIDE = 6
# Columns whose words may break only after - _ . / (ids and status words).
_UNBROKEN = frozenset({"No.", "Rule", "Status"})


def _width(word: str) -> float:
    """The width of a word in characters of average width (capitals count 1.6)."""
    return len(word) + 0.6 * sum(c.isupper() for c in word)


def _room(table: CmoRows, long_word: int = 12) -> tuple[list[float], list[float]]:
    """Per column: the characters its longest word needs, and its text per row."""
    cols = table.columns
    count = max(1, sum(len(rows) for _, _, rows in table.groups))
    need = [max(_width(w) * 1.2 for w in c.split()) + 1 for c in cols]  # bold headings
    amount = [0.0] * len(cols)
    for _, _, rows in table.groups:
        for row in rows:
            for i, cell in enumerate(row):
                whole = cols[i] in _UNBROKEN
                for item in cell:
                    amount[i] += len(item) + 1
                    words = re.split(r"(?<=[-_./])|\s+" if whole else r"(?<=[/–—])|\s+", item)
                    longest = max((_width(w) for w in words), default=0)
                    need[i] = max(need[i], (longest if whole else min(longest, long_word)) + 1)
    return need, [a / count for a in amount]


def column_shares(table: CmoRows, *, line: float, long_word: int = 12) -> tuple[float, ...]:
    """The share of the line each column gets, for a line ``line`` characters long.

    Each column first gets room for its longest word (ids break only after
    ``-``, ``_``, ``.`` and ``/``; in the other columns words longer than
    ``long_word`` characters are left to hyphenate), then the rest of the line in proportion to
    the text it holds per row (so that every column takes about as many
    lines).

    >>> rows = CmoRows("t", ("Rule", "Evidence"), [("T", None, [(["R1"], ["x " * 60])])])
    >>> [round(x, 2) for x in column_shares(rows, line=80)]
    [0.1, 0.9]
    """
    need, amount = _room(table, long_word)
    rest = max(0.0, line - sum(need))
    weight = amount
    total = sum(weight) or 1.0
    widths = [n + rest * w / total for n, w in zip(need, weight, strict=True)]
    return tuple(w / sum(widths) for w in widths)


def is_wide(table: CmoRows, *, line: float) -> bool:
    """True when the table wants a landscape page.

    That is: more than six columns, or longest words that do not fit side by
    side in a portrait line of ``line`` characters.

    >>> is_wide(CmoRows("t", ("Rule", "Status"), []), line=80)
    False
    """
    return len(table.columns) > WIDE or sum(_room(table)[0]) > line


# Characters of \footnotesize text in a line of the default article's text width and height
# (345 pt and 550 pt, less the column gaps).
_PORTRAIT, _LANDSCAPE = 72.0, 118.0
# The lines of a row that would not fit a page (landscape, less the caption and header).
_TALL = 26
# TeX cannot hyphenate every long word (Psychoeducation): keep room for words this long.
_TEX_WORD = 15
_LATEX_PREAMBLE = "booktabs, longtable, array, ragged2e"


def _latex_breakable(text: str) -> str:
    """Escaped text that may break after a hyphen, underscore, dot or slash (ids)."""
    out = latex_escape(text)
    for c in ("-", r"\_", ".", "/"):
        out = out.replace(c, c + r"\allowbreak{}")
    return out


def _latex_prose(text: str) -> str:
    """Escaped text that may also break after a slash or a dash (and hyphenate there)."""
    return re.sub("([/–—])", r"\1\\hspace{0pt}", latex_escape(text))


def _latex(table: CmoRows) -> str:
    cols = table.columns
    n = len(cols)
    wide = is_wide(table, line=_PORTRAIT)
    line = _LANDSCAPE if wide else _PORTRAIT
    size = r"\footnotesize"
    if sum(_room(table, _TEX_WORD)[0]) > line:  # 7 pt type fits 8/7 as many characters
        size, line = r"\scriptsize", line * 8 / 7
    shares = column_shares(table, line=line, long_word=_TEX_WORD)
    spec = "".join(
        rf">{{\RaggedRight\arraybackslash\hspace{{0pt}}}}"
        rf"p{{\dimexpr {math.floor(share * 1e4) / 1e4:.4f}\linewidth-2\tabcolsep\relax}}"
        for share in shares
    )
    head = " & ".join(rf"\textbf{{{latex_escape(c)}}}" for c in cols) + r" \\"
    caption = _latex_prose(table.title)
    out = [
        f"% CMO table written by cimo: needs \\usepackage{{{_LATEX_PREAMBLE}}}"
        + (", pdflscape (landscape)" if wide else ""),
        r"\begin{landscape}" if wide else "",
        r"\begingroup",
        size,
        r"\setlength{\tabcolsep}{3pt}",
        r"\setlength{\LTcapwidth}{\dimexpr\linewidth-4\tabcolsep\relax}",
        r"\setlength{\emergencystretch}{2em}",
        r"\begin{longtable}{" + spec + "}",
        rf"\caption{{{caption}}}\\",
        r"\toprule",
        head,
        r"\midrule",
        r"\endfirsthead",
        rf"\caption[]{{{caption} (continued)}}\\",
        r"\toprule",
        head,
        r"\midrule",
        r"\endhead",
        r"\midrule",
        rf"\multicolumn{{{n}}}{{r}}{{\emph{{continued on the next page}}}}\\",
        r"\endfoot",
        r"\bottomrule",
        r"\endlastfoot",
    ]
    plain = {i for i, c in enumerate(cols) if c in _UNBROKEN}
    evidence = cols.index("Evidence") if "Evidence" in cols else None
    for g, (theme, advice, rows) in enumerate(table.groups):
        heading = rf"\textbf{{{latex_escape(theme)}}}"
        if advice:
            heading += rf" --- Recommendation: {latex_escape(advice)}"
        if g:
            out.append(r"\midrule")
        out.append(
            rf"\multicolumn{{{n}}}{{>{{\RaggedRight\arraybackslash}}"
            rf"p{{\dimexpr\linewidth-2\tabcolsep\relax}}}}{{{heading}}} \\*"
        )
        for row in rows:
            cells = [
                [_latex_breakable(x) if i in plain else _latex_prose(x) for x in cell]
                for i, cell in enumerate(row)
            ]
            # A row never breaks across pages: each piece of evidence after the first
            # gets a row of its own (the other cells empty), so that a long list can; a
            # row taller than a page is set as one row per item of its cells.
            lines = max(
                sum(math.ceil(len(x) / max(1.0, share * line)) for x in cell)
                for share, cell in zip(shares, row, strict=True)
            )
            if lines > _TALL:
                depth = max(len(c) for c in cells)
                parts = [[c[k] if k < len(c) else "" for c in cells] for k in range(depth)]
            else:
                more = cells[evidence][1:] if evidence is not None else []
                if evidence is not None:
                    cells[evidence] = cells[evidence][:1]
                parts = [[r"\newline ".join(c) for c in cells]]
                parts += [[""] * (n - 1) + [item] for item in more]
            out += [" & ".join(p) + r" \\" for p in parts]
    out += [r"\end{longtable}", r"\endgroup", r"\end{landscape}" if wide else ""]
    return "\n".join(line for line in out if line) + "\n"


_WRITERS: dict[str, Callable[[CmoRows], str]] = {
    "md": _markdown,
    "html": _html,
    "csv": _csv,
    "latex": _latex,
}
