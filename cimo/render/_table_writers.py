r"""The CMO table's writers: Markdown, HTML, CSV and LaTeX, from :class:`CmoRows`.

Private to :mod:`cimo.render.text`, which builds the rows from a theory
(:func:`cimo.render.text.cmo_rows`) and re-exports the public names
(:class:`CmoRows`, :data:`TABLE_CSS`, :func:`latex_escape`,
:func:`column_shares`, :func:`is_wide`). The column shares are also read by
:mod:`cimo.render.word`.

>>> rows = CmoRows("Demo", ("Rule", "Status"), [("Theme", (), [(["R1"], ["supported"])])])
>>> print(WRITERS["md"](rows))
### Theme
<BLANKLINE>
| Rule | Status |
|---|---|
| R1 | supported |
<BLANKLINE>
"""

from __future__ import annotations

import csv
import html
import io
import math
import re
from collections.abc import Callable
from typing import NamedTuple, TypeAlias

from cimo._util import csv_protect, markdown_text

__all__ = [
    "TABLE_CSS",
    "WRITERS",
    "CmoRows",
    "Groups",
    "column_shares",
    "is_wide",
    "latex_escape",
    "write_csv",
]

# Themes in order, each with the lines under its heading (its recommendation, its annotations)
# and its rows; a row is its cells, a cell its items.
Groups: TypeAlias = list[tuple[str, tuple[str, ...], list[tuple[list[str], ...]]]]


class CmoRows(NamedTuple):
    """The CMO table before it is written in a format (:func:`cimo.render.text.cmo_rows`).

    Attributes:
        title: The theory's title (the caption).
        columns: The column headings.
        groups: One ``(theme heading, notes, rows)`` per theme, in order: the
            notes are the lines printed under the heading ("Recommendation: ...",
            "Tension: ..."); a row holds one cell per column, a cell its items (lines).
    """

    title: str
    columns: tuple[str, ...]
    groups: Groups


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


def _markdown(table: CmoRows) -> str:
    cols = table.columns
    lines: list[str] = []
    for theme, notes, rows in table.groups:
        lines += [f"### {_md_cell([theme])}", ""]
        lines += [x for note in notes for x in (_md_cell([note]), "")]
        lines.append("| " + " | ".join(cols) + " |")
        lines.append("|" + "|".join("---:" if c == "No." else "---" for c in cols) + "|")
        lines += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in rows]
        lines.append("")
    return "\n".join(lines)


def write_csv(table: CmoRows, *, protect: bool = True) -> str:
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
    for theme, notes, rows in table.groups:
        note = "".join(
            f'<br><span class="recommendation">{html.escape(line)}</span>' for line in notes
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
    lines). When the longest words do not fit side by side, the ids and
    status words keep their room and the other columns share what is left.

    >>> rows = CmoRows("t", ("Rule", "Evidence"), [("T", (), [(["R1"], ["x " * 60])])])
    >>> [round(x, 2) for x in column_shares(rows, line=80)]
    [0.1, 0.9]
    """
    need, amount = _room(table, long_word)
    rest = line - sum(need)
    if rest < 0:  # too many columns: ids and status words keep their room, prose hyphenates
        kept = [c in _UNBROKEN for c in table.columns]
        fixed = sum(n for n, k in zip(need, kept, strict=True) if k)
        scale = max(0.0, line - fixed) / max(1.0, sum(need) - fixed)
        need = [n if k else n * scale for n, k in zip(need, kept, strict=True)]
        rest = 0.0
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
    for g, (theme, notes, rows) in enumerate(table.groups):
        heading = rf"\textbf{{{latex_escape(theme)}}}"
        heading += "".join(rf"\newline {latex_escape(line)}" for line in notes)
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


WRITERS: dict[str, Callable[[CmoRows], str]] = {
    "md": _markdown,
    "html": _html,
    "csv": write_csv,
    "latex": _latex,
}
