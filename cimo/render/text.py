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

from collections import defaultdict

from cimo.core.formats import CmoTextFormat as TableFormat
from cimo.errors import UsageError
from cimo.model import Evidence, Mechanism, Outcome, Rule, Theme, Theory
from cimo.render._common import Html, Markdown
from cimo.render._sentence import Statement, Statements, statement, statements
from cimo.render._table_writers import (
    TABLE_CSS,
    WRITERS,
    CmoRows,
    Groups,
    column_shares,
    is_wide,
    latex_escape,
    write_csv,
)
from cimo.render._words import Item, Words, annotation_line, join

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
    "Notes",
    "Status",
    "Evidence",
)


def cmo_rows(theory: Theory) -> CmoRows:
    """The cells of the CMO table of ``theory``, grouped by theme (for other writers).

    Every format of :func:`cmo_table` and :func:`cimo.render.word.add_cmo_table`
    is written from these rows.

    >>> import cimo
    >>> rows = cmo_rows(cimo.load_example("pwp-resilience"))
    >>> rows.columns
    ('Rule', 'Context', 'Mechanism resource', 'Mechanism response', 'Outcome', 'Status', 'Evidence')
    >>> heading, notes, first = rows.groups[0]
    >>> heading, notes, first[0][0]
    ('Phase 1: Work-related challenges', (), ['individual-challenges'])
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
        "Notes": [annotation_line(w.theory, a) for a in r.annotations],
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
    one); Actor, Intervention, Notes (annotations) and Evidence appear when a
    rule has one; a programme theory column when a rule names one and the
    theory declares more than one
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
        "Notes": any(r.annotations for r in rules),
        "Evidence": any(r.evidence for r in rules),
    }
    split = _split_mechanisms(theory)
    used["Mechanism"] = not split
    used["Mechanism resource"] = used["Mechanism response"] = split
    return tuple(c for c in _ALL_COLUMNS if used.get(c, True))


def _groups(theory: Theory) -> tuple[tuple[str, ...], Groups]:
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
    out: Groups = []
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
        out.append((heading, _theme_notes(theory, record), rows))
    return columns, out


def _theme_notes(theory: Theory, theme: Theme | None) -> tuple[str, ...]:
    """The lines under a theme's heading: its recommendation, then its annotations."""
    if theme is None:
        return ()
    advice = (f"Recommendation: {theme.recommendation}",) if theme.recommendation else ()
    return advice + tuple(annotation_line(theory, a) for a in theme.annotations)


def cmo_table(theory: Theory, *, format: TableFormat = "md", csv_protection: bool = True) -> str:
    """The CMO table: one row per configuration, grouped by theme, in file order.

    Columns (those no rule fills are left out): "No." (the number or label the
    source printed), rule id, programme theory (when the theory has several),
    actor, context (UNLESS, WITHIN, MODERATED BY and DESPITE contexts marked
    so, any-of groups as "(A or B)"), intervention, mechanism (with its
    response and behaviour; alternatives marked ``OR``; when a mechanism
    states its resource, resource and response get a column each), outcome
    (REDUCES and OTHERWISE marked, with polarity, measures and "leading to"
    steps), notes (the rule's annotations, one line each, named by kind:
    "Tension: ...", "Counter-strategy against R3: ..."), status and evidence
    (each quote with who said it and where: participant; source, locator; a
    stance other than "supports" in brackets).
    Elements show the label the source printed before their wording ("(C1)
    Lean"). CSV is flat, with a ``Theme`` column; the other formats head each
    group with its theme (and under it the theme's recommendation and
    annotations). HTML carries its default
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
    writer = WRITERS.get(format)
    if writer is None:
        hint = "; for .docx use cimo.render.word.cmo_table_docx" if str(format) == "docx" else ""
        raise UsageError(f"unknown table format {format!r}; use md, html, csv or latex{hint}")
    table = cmo_rows(theory)
    if format == "csv":
        return write_csv(table, protect=csv_protection)
    text = writer(table)
    if format == "html":  # a notebook shows it as HTML
        return Html(text)
    return Markdown(text) if format == "md" else text
