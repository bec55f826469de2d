r"""Text outputs: if-then-because statements and CMO tables (Markdown, HTML, CSV, LaTeX).

Realist papers print each configuration as a sentence ("IF ..., THEN ...,
BECAUSE ...", seed 000 Table 2) and as a row of a numbered CMO table
grouped by theme (seed 002). Both are built from the rules, in file order,
with the source's own labels kept.

>>> import cimo
>>> theory = cimo.load_example("pwp-resilience")
>>> print(statement(theory, theory.rules[0].id))  # doctest: +ELLIPSIS
IF ...THEN ...BECAUSE ...
>>> print(cmo_table(theory, format="md").splitlines()[0])
### Work-related challenges
"""

from __future__ import annotations

import csv
import html
import io
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import TypeAlias

from cimo._util import csv_protect, markdown_text
from cimo.core.formats import CmoTableFormat as TableFormat
from cimo.errors import UsageError
from cimo.model import CimoModel, Rule, Theory
from cimo.query import get_rule

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
# Themes in order, each with its rows; a row is its cells, a cell its items.
_Groups: TypeAlias = list[tuple[str, list[tuple[list[str], ...]]]]


def _lower_first(label: str) -> str:
    """Lower-case the first letter of a label used mid-sentence, unless it starts an acronym.

    >>> _lower_first("Employees off sick"), _lower_first("CBT use"), _lower_first("Retain/Resume")
    ('employees off sick', 'CBT use', 'Retain/Resume')
    """
    first_word = label.split(" ", 1)[0]
    if first_word == "A" or (len(label) > 1 and label[0].isupper() and first_word[1:].islower()):
        return label[0].lower() + label[1:]
    return label


def _join(words: list[str], last: str) -> str:
    """``a, b and c`` (or ``or``)."""
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + f" {last} " + words[-1]


def _labels(theory: Theory, ids: Iterable[str]) -> list[str]:
    return [_lower_first(theory.index[i].label) for i in ids]


def statement(theory: Theory, rule: str | Rule) -> str:
    """One rule as an if-then-because sentence, interventions and UNLESS contexts worded in.

    Parts the source left unstated are said so ("(no context stated)").

    >>> import cimo
    >>> theory = cimo.load_example("work-focused-group-cbt")
    >>> print(statement(theory, "figure-4"))  # doctest: +NORMALIZE_WHITESPACE
    IF employees with moderate-severe recurrent depression and group psychotherapy,
    WITH skilful facilitation of peer interaction with a structured-directive
    leadership style and psychoeducation in basic CBT concepts and skills,
    THEN improved clinical status, improved work status (continued employment)
    and improved interpersonal functioning,
    BECAUSE realise, reflect, regulate, resolve, relate or Retain/Resume.

    Raises:
        cimo.UnknownIdError: ``rule`` is not a rule of the theory.
    """
    r = rule if isinstance(rule, Rule) else get_rule(theory, rule)
    parts = ["IF " + (_join(_labels(theory, r.contexts), "and") or "(no context stated)")]
    if r.unless:
        parts.append("UNLESS " + _join(_labels(theory, r.unless), "or"))
    if r.interventions:
        parts.append("WITH " + _join(_labels(theory, r.interventions), "and"))
    then = _join(_labels(theory, r.outcomes), "and")
    reduces = _join(_labels(theory, r.reduces), "and")
    if then:
        parts.append("THEN " + then)
    if reduces:
        parts.append(("THEN LESS " if not then else "AND LESS ") + reduces)
    if not (then or reduces):
        parts.append("THEN (no outcome stated)")
    mode = "or" if r.mechanism_mode == "alternatives" else "and"
    parts.append(
        "BECAUSE " + (_join(_labels(theory, r.mechanisms), mode) or "(no mechanism stated)")
    )
    return ", ".join(parts) + "."


class Statement(CimoModel):
    """A rule as a sentence, with its id and the source's label."""

    rule: str
    source_label: str | None
    text: str

    def __str__(self) -> str:
        label = f" ({self.source_label})" if self.source_label else ""
        return f"{self.rule}{label}: {self.text}"


class Statements(CimoModel):
    """Every rule of a theory as an if-then-because sentence (``cimo statements``)."""

    title: str
    items: tuple[Statement, ...]

    def __str__(self) -> str:
        return "\n".join(f"{i}. {s}" for i, s in enumerate(self.items, 1))

    def _repr_markdown_(self) -> str:
        md = markdown_text
        lines = [f"**{md(self.title)}**", ""]
        lines += [
            f"{i}. **{s.rule}**{f' ({md(s.source_label)})' if s.source_label else ''}: {md(s.text)}"
            for i, s in enumerate(self.items, 1)
        ]
        return "\n".join(lines) + "\n"


def statements(theory: Theory) -> Statements:
    """Every rule of the theory as a sentence, in file order.

    >>> import cimo
    >>> s = statements(cimo.load_example("work-focused-group-cbt"))
    >>> print(s.items[0])
    three-levels (Figure 3): IF employees with moderate-severe recurrent depression, WITH ...
    """
    return Statements(
        title=theory.title,
        items=tuple(
            Statement(rule=r.id, source_label=r.source_label, text=statement(theory, r))
            for r in theory.rules
        ),
    )


# --------------------------------------------------------------------------- tables


def _row(theory: Theory, number: int, r: Rule) -> tuple[list[str], ...]:
    """The cells of one rule, each a list of items (joined per format)."""

    def labels(ids: Iterable[str]) -> list[str]:
        return [theory.index[i].label for i in ids]

    context = labels(r.contexts) + [f"unless: {x}" for x in labels(r.unless)]
    outcome = labels(r.outcomes) + [f"reduces: {x}" for x in labels(r.reduces)]
    mechanism = labels(r.mechanisms)
    if r.mechanism_mode == "alternatives" and len(mechanism) > 1:
        mechanism = [f"any of: {m}" for m in mechanism]
    name = [r.source_label] if r.source_label and r.source_label != r.id else []
    return (
        [str(number)],
        [r.id, *name],
        context,
        labels(r.interventions),
        mechanism,
        outcome,
        [r.status],
        [str(len(r.evidence))],
    )


def _groups(theory: Theory) -> _Groups:
    """Rules grouped by theme (in order of first appearance), numbered 1..n across groups."""
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
            rows.append(_row(theory, n, r))
        out.append((theme or _NO_THEME, rows))
    return out


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

    Columns: number, rule (id and the source's label), context (UNLESS
    contexts marked ``unless:``), intervention, mechanism, outcome (REDUCES
    marked ``reduces:``), status and the number of pieces of evidence. CSV is
    flat, with a ``Theme`` column; the other formats head each group with
    its theme. Text is escaped for each format: HTML in Markdown and HTML
    shows as written, never runs; in CSV a cell a spreadsheet would run as a
    formula (``=``, ``+``, ``-``, ``@``, tab or carriage return first) gets a
    leading apostrophe, unless ``csv_protection=False``.

    >>> import cimo
    >>> theory = cimo.load_example("work-focused-group-cbt")
    >>> print(cmo_table(theory, format="csv").splitlines()[0])
    Theme,No.,Rule,Context,Intervention,Mechanism,Outcome,Status,Evidence

    Raises:
        cimo.UsageError: an unknown format.
    """
    if format == "html":  # the one format with a caption
        return _html(theory.title, _groups(theory))
    if format == "csv":
        return _csv(_groups(theory), protect=csv_protection)
    writer = _WRITERS.get(format)
    if writer is None:
        raise UsageError(f"unknown table format {format!r}; use md, html, csv or latex")
    return writer(_groups(theory))


def _markdown(groups: _Groups) -> str:
    lines: list[str] = []
    for theme, rows in groups:
        lines += [f"### {_md_cell([theme])}", ""]
        lines.append("| " + " | ".join(_COLUMNS) + " |")
        lines.append("|" + "|".join("---:" if c == "No." else "---" for c in _COLUMNS) + "|")
        lines += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in rows]
        lines.append("")
    return "\n".join(lines)


def _csv(groups: _Groups, *, protect: bool = True) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")  # RFC 4180; quotes fields holding \r or \n
    safe = csv_protect if protect else str
    writer.writerow(("Theme", *_COLUMNS))
    for theme, rows in groups:
        writer.writerows([safe(theme), *(safe("; ".join(c)) for c in row)] for row in rows)
    return buf.getvalue()


def _html(title: str, groups: _Groups) -> str:
    head = "".join(f"<th>{html.escape(c)}</th>" for c in _COLUMNS)
    body: list[str] = []
    for theme, rows in groups:
        body.append(
            f'<tr class="theme"><th colspan="{len(_COLUMNS)}">{html.escape(theme)}</th></tr>'
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
        f'<table class="cimo-cmo-table">\n<caption>{html.escape(title)}</caption>\n'
        f"<thead><tr>{head}</tr></thead>\n<tbody>\n" + "\n".join(body) + "\n</tbody>\n</table>\n"
    )


def _latex(groups: _Groups) -> str:
    spec = "r" + "p{2.2cm}" + "p{3cm}" * 4 + "l" + "r"
    out = [
        r"\begin{tabular}{" + spec + "}",
        r"\hline",
        " & ".join(latex_escape(c) for c in _COLUMNS) + r" \\",
        r"\hline",
    ]
    for theme, rows in groups:
        out.append(rf"\multicolumn{{{len(_COLUMNS)}}}{{l}}{{\textbf{{{latex_escape(theme)}}}}} \\")
        out += [" & ".join(latex_escape("; ".join(c)) for c in row) + r" \\" for row in rows]
        out.append(r"\hline")
    out.append(r"\end{tabular}")
    return "\n".join(out) + "\n"


_WRITERS: dict[str, Callable[[_Groups], str]] = {"md": _markdown, "csv": _csv, "latex": _latex}
