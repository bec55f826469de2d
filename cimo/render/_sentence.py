"""If-then-because statements: every rule as one sentence, or in the source's own order.

A statement starts with the rule's status tag (``[refuted]``), then who it is
for and what qualifies it ("FOR GPs, WITHIN rural practices:"), then the
clauses IF, UNLESS, WITH, MODERATED BY, DESPITE, THEN (AND LESS), BECAUSE and
OTHERWISE. Labels are printed as written after the source's printed label
("(C1) Lean training"); lists follow the one rule of :mod:`cimo.render._words`.

>>> import cimo
>>> theory = cimo.load_example("pwp-resilience")
>>> print(statement(theory, theory.rules[0].id))  # doctest: +ELLIPSIS
[supported] IF ...THEN ...BECAUSE ...
"""

from __future__ import annotations

from collections import defaultdict
from typing import Literal, TypeAlias

from cimo._util import markdown_text
from cimo.model import CimoModel, Rule, Theory
from cimo.query import get_rule
from cimo.render._words import Item, Words, annotation_line, join

__all__ = [
    "Statement",
    "StatementForm",
    "Statements",
    "statement",
    "statements",
    "structured_statements",
]

#: Where a statement's text comes from: the rule's structure, its ``segments`` (the
#: source's printed order) or its ``statement`` text.
StatementForm: TypeAlias = Literal["structured", "segments", "statement"]

_FORM_NOTE = {
    "segments": "as printed",
    "statement": "its statement text",
    "structured": "structured: no printed form recorded",
}


def _mark(rule: Rule, word: str, key: str, *, present: bool = True) -> str:
    """A clause keyword, with "(inferred)" when the encoder inferred that slot's values.

    A slot with no values (``present=False``) has nothing inferred to mark.
    """
    return f"{word} (inferred)" if present and key in rule.inferred else word


def _unstated(rule: Rule, part: str) -> str:
    return (
        f"({part} missing in the source)" if part in rule.missing_parts else f"({part} not stated)"
    )


def _if_clause(w: Words, r: Rule) -> str | None:
    if r.any_context:
        return "in any circumstances"
    items = w.items(r.contexts) + [w.group(g) for g in r.context_groups]
    if items:
        return join(items, "and")
    if r.modifiers and "context" not in r.missing_parts:
        return None  # WITHIN is the whole context condition
    return _unstated(r, "context")


def _outcome_items(w: Words, ids: tuple[str, ...], r: Rule) -> list[Item]:
    """The outcomes of one list, each step inside the list printed "O1, leading to O2"."""
    if not r.outcome_steps:
        return [w.item(i) for i in dict.fromkeys(ids)]
    inside = set(ids)
    after: dict[str, list[str]] = defaultdict(list)
    following: dict[str, list[str]] = defaultdict(list)
    for step in r.outcome_steps:
        if step.to in inside and step.from_ in inside:
            after[step.from_].append(step.to)
        elif step.to in inside:
            following[step.to].append(step.from_)
    led_to = {t for targets in after.values() for t in targets}
    done: set[str] = set()

    def chain(ident: str) -> Item:
        done.add(ident)
        item = w.item(ident)
        if following[ident]:
            item = item.plus(f" (following {w.all(following[ident])})")
        nexts = [chain(t).show() for t in after[ident] if t not in done]
        return item.plus(", leading to " + " and to ".join(nexts)) if nexts else item

    items = [chain(i) for i in ids if i not in led_to and i not in done]
    items += [chain(i) for i in ids if i not in done]  # a cycle of steps: start anywhere
    return items


def _because(w: Words, r: Rule) -> str:
    links = {link.mechanism: link for link in r.mechanism_links}
    items = [] if links else w.items(r.mechanisms)
    for m in r.mechanisms if links else ():
        item = w.item(m)
        link = links.get(m)
        if link is not None and link.requires:
            item = item.plus(f" (if {w.all(link.requires)})")
        if link is not None and link.then:
            item = item.plus(f" → {w.all(link.then)}")
        items.append(item)
    if not items:
        return _unstated(r, "mechanism")
    text = join(items, "or" if r.mechanism_mode == "alternatives" else "and")
    if r.mechanism_mode == "unstated" and len(items) > 1:
        text += " (combination unstated)"
    return text


def _structured(theory: Theory, r: Rule, *, labels: bool = True, w: Words | None = None) -> str:
    w = w or Words(theory, labels=labels)
    lead = []
    if r.actor:
        lead.append(f"{_mark(r, 'FOR', 'actor')} {r.actor}")
    if r.modifiers:
        lead.append(f"{_mark(r, 'WITHIN', 'within')} {w.all(r.modifiers)}")
    parts = []
    condition = _if_clause(w, r)
    if condition is not None:
        stated = bool(r.any_context or r.contexts or r.context_groups)
        parts.append(f"{_mark(r, 'IF', 'if', present=stated)} {condition}")
    if r.unless:
        parts.append(f"{_mark(r, 'UNLESS', 'unless')} {w.any(r.unless)}")
    if r.interventions:
        parts.append(f"{_mark(r, 'WITH', 'with')} {w.all(r.interventions)}")
    elif "intervention" in r.missing_parts:
        parts.append("WITH (intervention missing in the source)")
    if r.moderators:
        parts.append(f"{_mark(r, 'MODERATED BY', 'moderated_by')} {w.all(r.moderators)}")
    if r.despite:
        parts.append(f"{_mark(r, 'DESPITE', 'despite')} {w.all(r.despite)}")
    then = join(_outcome_items(w, r.outcomes, r), "and")
    reduces = join(_outcome_items(w, r.reduces, r), "and") if r.reduces else ""
    if then:
        parts.append(f"{_mark(r, 'THEN', 'then')} {then}")
    if reduces:
        parts.append(f"{_mark(r, 'THEN LESS' if not then else 'AND LESS', 'reduces')} {reduces}")
    if not (then or reduces):
        parts.append(f"THEN {_unstated(r, 'outcome')}")
    because = _mark(r, "BECAUSE", "because", present=bool(r.mechanisms))
    parts.append(f"{because} {_because(w, r)}")
    if r.otherwise:
        otherwise = join(_outcome_items(w, r.otherwise, r), "and")
        parts.append(f"{_mark(r, 'OTHERWISE', 'otherwise')} {otherwise}")
    head = ", ".join(lead) + ": " if lead else ""
    text = f"[{r.status}] {head}" + ", ".join(parts)
    return text if text.endswith("…") else text + "."


def _tidy(pieces: list[str]) -> str:
    """Printed pieces joined by single spaces, with no space before punctuation."""
    out = ""
    for piece in (p.strip() for p in pieces):
        if not piece:
            continue
        out += (
            piece if not out or piece[0] in ",.;:)!?" or out.endswith(("(", "“")) else " " + piece
        )
    return out


def _printed(theory: Theory, r: Rule) -> tuple[StatementForm, str]:
    """The rule as the source prints it: its segments, else its statement text, else structured."""
    if r.segments:
        w = Words(theory, labels=False)
        pieces = [s.text if s.text is not None else w.plain(s.ref or "") for s in r.segments]
        return "segments", f"[{r.status}] {_tidy(pieces)}"
    if r.statement:
        return "statement", f"[{r.status}] {r.statement.strip()}"
    return "structured", _structured(theory, r)


def structured_statements(theory: Theory) -> list[str]:
    """Every rule's structured statement (:func:`statement`), in file order, worded once each.

    >>> import cimo
    >>> theory = cimo.load_example("pwp-resilience")
    >>> structured_statements(theory) == [statement(theory, r) for r in theory.rules]
    True
    """
    w = Words(theory)
    return [_structured(theory, r, w=w) for r in theory.rules]


def statement(theory: Theory, rule: str | Rule, *, as_printed: bool = False) -> str:
    """One rule as an if-then-because sentence, starting with its status tag.

    Every part a realist table prints is worded in: the actor ("FOR GPs"),
    modifiers ("WITHIN ..."), any-of groups ("(A or B)"), UNLESS, WITH,
    MODERATED BY, DESPITE, THEN with outcome steps ("O1, leading to O2"),
    AND LESS (reduces), BECAUSE joined as the rule's mechanism mode says ("A
    and B", "A or B", "A and B (combination unstated)"), with each
    mechanism's own conditions and outcomes ("M2 (if C5) → O1"), and
    OTHERWISE. A rule without a context says why: "IF (context not stated)",
    "IF (context missing in the source)"; only ``if: any`` prints "IF in any
    circumstances". Labels keep their case, after the label the source printed
    ("(C1) Lean"); a slot the encoder inferred is marked "(inferred)".

    Args:
        theory: The theory.
        rule: A rule or its id.
        as_printed: The rule in the source's order (its ``segments``); without
            segments, its ``statement`` text; without that, the structured sentence.

    >>> import cimo
    >>> theory = cimo.load_example("work-focused-group-cbt")
    >>> print(statement(theory, "figure-4"))  # doctest: +NORMALIZE_WHITESPACE
    [hypothesised] IF Employees with moderate-severe recurrent depression and
    Group psychotherapy, WITH “Skilful facilitation of peer interaction” and
    “Psychoeducation in basic CBT concepts and skills”, THEN Improved
    clinical status, Improved work status (continued employment) and Improved
    interpersonal functioning, BECAUSE (1. REALISE) Realise,
    (2. REFLECT) Reflect, (3. REGULATE) Regulate, (4. RESOLVE) Resolve, (5. RELATE)
    Relate or (6. RETAIN) Retain/Resume.

    Raises:
        cimo.UnknownIdError: ``rule`` is not a rule of the theory.
    """
    r = rule if isinstance(rule, Rule) else get_rule(theory, rule)
    return _printed(theory, r)[1] if as_printed else _structured(theory, r)


class Statement(CimoModel):
    """A rule as a sentence, with its id, the source's label, its status and where it came from."""

    rule: str
    source_label: str | None
    text: str
    status: str = "hypothesised"
    form: StatementForm = "structured"
    """``structured`` (built from the rule), ``segments`` (the source's order) or
    ``statement`` (the rule's own statement text)."""
    notes: tuple[str, ...] = ()
    """The rule's annotations, one line each, named by kind ("Tension: ...")."""

    def __str__(self) -> str:
        label = f" ({self.source_label})" if self.source_label else ""
        return f"{self.rule}{label}: {self.text}" + "".join(f"\n  {n}" for n in self.notes)


class Statements(CimoModel):
    """Every rule of a theory as a sentence (``cimo statements``)."""

    title: str
    items: tuple[Statement, ...]
    as_printed: bool = False
    """True when the items are the source's printed forms (each says which form it is)."""

    def _line(self, s: Statement) -> str:
        label = f" ({s.source_label})" if s.source_label else ""
        form = f", {_FORM_NOTE[s.form]}" if self.as_printed else ""
        return f"{s.rule}{label}{form}: {s.text}"

    def __str__(self) -> str:
        # each annotation on a line of its own, under its statement
        return "\n".join(
            f"{i}. {self._line(s)}" + "".join(f"\n   {n}" for n in s.notes)
            for i, s in enumerate(self.items, 1)
        )

    def _repr_markdown_(self) -> str:
        md = markdown_text
        lines = [f"**{md(self.title)}**", ""]
        for i, s in enumerate(self.items, 1):
            label = f" ({md(s.source_label)})" if s.source_label else ""
            note = f" _({_FORM_NOTE[s.form]})_" if self.as_printed else ""
            lines.append(f"{i}. **{s.rule}**{label}{note}: {md(s.text)}")
            lines += [f"   - {md(n)}" for n in s.notes]
        return "\n".join(lines) + "\n"


def statements(theory: Theory, *, as_printed: bool = False) -> Statements:
    """Every rule of the theory as a sentence, in file order (:func:`statement`).

    Each statement carries the rule's annotations (``notes``: "Tension: ...",
    "Counter-strategy against R3: ...", with source and locator), printed on
    lines of their own under it.

    >>> import cimo
    >>> s = statements(cimo.load_example("work-focused-group-cbt"))
    >>> print(s.items[0])  # doctest: +ELLIPSIS
    three-levels: [hypothesised] IF (inferred) Employees with ... WITH ...
    """
    items = []
    w = Words(theory)
    for r in theory.rules:
        form, text = (
            _printed(theory, r) if as_printed else ("structured", _structured(theory, r, w=w))
        )
        notes = tuple(annotation_line(theory, a) for a in r.annotations)
        items.append(
            Statement(
                rule=r.id,
                source_label=r.source_label,
                text=text,
                status=r.status,
                form=form,
                notes=notes,
            )
        )
    return Statements(title=theory.title, items=tuple(items), as_printed=as_printed)
