r"""How elements are worded in statements and tables: printed labels, marks, unambiguous lists.

Labels are printed exactly as written (never lower-cased: "Lean" stays
"Lean"), after the label the source printed (``source_label``, "(C1)"), and
followed by marks: "…" for a label the source cuts off, "(absent)" for an
absent mechanism, "(inferred)" for a wording the encoder chose. A trailing full
stop is dropped, so a label never puts ".," or ".." into a sentence.

**Lists** are joined as "A, B and C" (or "or"). When a list has two or more
items and any item's wording holds a comma, a semicolon or the joining word
itself ("and" in an and-list, "or" in an or-list), *every* item of that list
is put in curly quotes: “A, aged 18–65”, “B” and “C”. That is the one rule;
no other list form is used.

>>> join([Item("Lean"), Item("Six Sigma")], "and")
'Lean and Six Sigma'
>>> join([Item("GPs, nurses"), Item("Managers")], "and")
'“GPs, nurses” and “Managers”'
>>> phrase("Staff feel valued.")
'Staff feel valued'
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache

from cimo.core.vocabulary import ANNOTATION_WORDS
from cimo.model import Annotation, Mechanism, Node, Theory

__all__ = [
    "Item",
    "Words",
    "annotation_line",
    "annotation_parts",
    "bracketed",
    "join",
    "phrase",
    "printed_label",
]


def phrase(label: str) -> str:
    """A label as a phrase in a sentence: case kept, outer space and one final stop dropped.

    A final "..." (the source's own ellipsis) becomes "…", so no ".." can follow.

    >>> phrase("  Retain/Resume. "), phrase("Employees who..."), phrase("etc")
    ('Retain/Resume', 'Employees who…', 'etc')
    """
    text = label.strip()
    if text.endswith("..."):
        return text[:-3].rstrip() + "…"
    return text[:-1].rstrip() if text.endswith(".") else text


def bracketed(source_label: str) -> str:
    """A printed label as a prefix: "(C1)"; a label already in brackets is kept as is.

    >>> bracketed("C1"), bracketed("(c)"), bracketed("[M2]")
    ('(C1)', '(c)', '[M2]')
    """
    label = source_label.strip()
    if (label[:1], label[-1:]) in (("(", ")"), ("[", "]")):
        return label
    return f"({label})"


def printed_label(node: object) -> str | None:
    """The label a node's source printed, or None when it only repeats the node's label.

    Case and spacing aside: a heading printed as the element's own words says nothing more.

    >>> from cimo.model import Outcome
    >>> printed_label(Outcome(id="b", label="Set  limits", source_label="set limits"))
    >>> printed_label(Outcome(id="b", label="Boundaries", source_label="O1"))
    'O1'
    """
    printed: str | None = getattr(node, "source_label", None)
    if not printed or not printed.strip():
        return None
    label = str(getattr(node, "label", ""))
    if " ".join(printed.split()).casefold() == " ".join(label.split()).casefold():
        return None
    return printed


@cache
def _word(word: str) -> re.Pattern[str]:
    return re.compile(rf"(?i)(?<!\w){re.escape(word)}(?!\w)")


@dataclass(frozen=True)
class Item:
    """One item of a list: its wording (what quoting applies to), a prefix and a suffix."""

    text: str
    prefix: str = ""
    suffix: str = ""
    quotable: bool = True
    """False for composite items (an any-of group) that carry their own inner joins."""

    def risky(self, word: str) -> bool:
        """True when the wording could be misread inside a list joined by ``word``."""
        return self.quotable and (
            "," in self.text or ";" in self.text or bool(_word(word).search(self.text))
        )

    def show(self, quoted: bool = False) -> str:
        text = f"“{self.text}”" if quoted and self.quotable else self.text
        return f"{self.prefix}{text}{self.suffix}" if self.prefix or self.suffix else text

    def plus(self, suffix: str) -> Item:
        return replace(self, suffix=self.suffix + suffix)


def join(items: list[Item], word: str) -> str:
    """``A, B and C`` (``word`` is "and" or "or"); quoted when any wording could be misread.

    >>> join([Item("A; B"), Item("C"), Item("D")], "or")
    '“A; B”, “C” or “D”'
    >>> join([Item("Rock and roll")], "and")
    'Rock and roll'
    """
    if len(items) <= 1:
        return items[0].show() if items else ""
    quoted = any(i.risky(word) for i in items)
    shown = [i.show(quoted) for i in items]
    return ", ".join(shown[:-1]) + f" {word} " + shown[-1]


class Words:
    """Items for the elements of one theory (labels as printed, with their marks)."""

    def __init__(self, theory: Theory, *, labels: bool = True, sentence: bool = True) -> None:
        self.theory = theory
        self.labels = labels
        self.sentence = sentence
        """True in sentences (a final stop dropped); False in table cells (labels exact)."""
        self._items: dict[str, Item] = {}  # each element worded once (items are immutable)

    def node(self, ident: str) -> Node | None:
        return self.theory.index.get(ident)

    def item(self, ident: str) -> Item:
        """The item of one element (an unknown id is shown as the id)."""
        item = self._items.get(ident)
        if item is None:
            item = self._items[ident] = self._word(ident)
        return item

    def _word(self, ident: str) -> Item:
        node = self.node(ident)
        if node is None:
            return Item(ident)
        printed = printed_label(node)
        prefix = f"{bracketed(printed)} " if self.labels and printed else ""
        text = phrase(node.label) if self.sentence else node.label
        if node.truncated and not text.rstrip().endswith(("…", "...")):
            text += "…"
        suffix = ""
        if isinstance(node, Mechanism) and node.absent:
            suffix += " (absent)"
        if "label" in node.inferred:
            suffix += " (inferred)"
        return Item(text, prefix, suffix)

    def items(self, ids: tuple[str, ...] | list[str]) -> list[Item]:
        return [self.item(i) for i in ids]

    def all(self, ids: tuple[str, ...] | list[str]) -> str:
        """The elements joined with "and"."""
        return join(self.items(ids), "and")

    def any(self, ids: tuple[str, ...] | list[str]) -> str:
        """The elements joined with "or"."""
        return join(self.items(ids), "or")

    def group(self, ids: tuple[str, ...]) -> Item:
        """An any-of group as one item of a larger list: "(A or B)"."""
        return Item(f"({self.any(ids)})", quotable=False)

    def plain(self, ident: str) -> str:
        """One element's wording with its printed label and marks, never quoted."""
        return self.item(ident).show()


def annotation_line(theory: Theory, note: Annotation) -> str:
    """An annotation as one printed line: kind, the rules it works against, text, source.

    A countered rule is named by its id, then the label its source printed
    ("against cmo-5 (5)"), as statements name rules; the source and locator
    follow the text in brackets.

    >>> import cimo
    >>> from cimo.model import Annotation
    >>> theory = cimo.load_example("pwp-resilience")
    >>> rule = theory.rules[0].id
    >>> note = Annotation(kind="counter-strategy", text="Peer mentors", counters=(rule,))
    >>> annotation_line(theory, note)
    'Counter-strategy against individual-challenges: Peer mentors'
    >>> annotation_line(theory, Annotation(kind="tension", text="Time vs trust", locator="p. 4"))
    'Tension: Time vs trust (p. 4)'
    """
    head, text, where = annotation_parts(theory, note)
    return f"{head}: {text}" + (f" ({where})" if where else "")


def annotation_parts(theory: Theory, note: Annotation) -> tuple[str, str, str]:
    """An annotation's head (kind, the rules it works against), text, and source and locator.

    >>> import cimo
    >>> from cimo.model import Annotation
    >>> annotation_parts(cimo.load_example("pwp-resilience"), Annotation(kind="note", text="x"))
    ('Note', 'x', '')
    """
    head = ANNOTATION_WORDS[note.kind]
    if note.counters:
        rules = theory.rule_index
        names = []
        for ident in note.counters:
            rule = rules.get(ident)
            printed = rule.source_label if rule is not None else None
            names.append(f"{ident} ({printed})" if printed and printed != ident else ident)
        head += " against " + ", ".join(names)
    where = ", ".join(x for x in (note.source, note.locator) if x)
    return head, note.text.strip(), where
