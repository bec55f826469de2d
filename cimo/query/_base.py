"""Shared plumbing of the query functions: result base class, id checks, the rule index."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from cimo._util import SideTable, suggest
from cimo.core.vocabulary import SLOTS
from cimo.errors import UnknownIdError
from cimo.model import CimoModel, Rule, Theory

# ``clear_cache`` is left out on purpose: it is there for the benchmarks, not for users.
__all__ = ["STEPS_PER_RESULT", "Result", "RuleIndex", "check_ids", "rule_index", "walk"]

#: How many search steps an enumeration (``for_whom``, ``pathways``) may take per
#: result it may return (``limit``); past that it stops and says it was cut short.
STEPS_PER_RESULT = 1000

_KIND_NAMES = {
    ("context", "outcome"): "context or outcome",
    ("intervention",): "intervention",
    ("outcome",): "outcome",
    ("mechanism",): "mechanism",
}


class Result(CimoModel):
    """Base of every query result: plain words for ``print``, Markdown for notebooks.

    Subclasses give :meth:`_lines`, a heading and the lines under it; ``str``
    indents the lines under the heading and ``_repr_markdown_`` makes them a
    bulleted list under a bold heading. ``model_dump(mode="json")`` gives the
    JSON form.
    """

    def _lines(self) -> tuple[str, list[str]]:  # pragma: no cover - every subclass overrides
        return type(self).__name__, []

    def __str__(self) -> str:
        head, lines = self._lines()
        return "\n".join([head, *(f"  {line}" for line in lines)])

    def _repr_markdown_(self) -> str:
        head, lines = self._lines()
        body = "\n".join(f"- {line.strip()}" for line in lines)
        return f"**{head}**\n\n{body}\n" if body else f"**{head}**\n"


def check_ids(
    theory: Theory, ids: Iterable[str], kinds: Sequence[str], *, what: str | None = None
) -> tuple[str, ...]:
    """The ids, sorted and without repeats, after checking each names a node of ``kinds``.

    Raises:
        UnknownIdError: naming the first id that is not a node of one of ``kinds``,
            with the closest ids of those kinds as suggestions.
    """
    wanted = set(kinds)
    index = theory.index
    out = sorted(set(ids))
    for ident in out:
        node = index.get(ident)
        if node is None or node.kind not in wanted:
            pool = [n.id for n in theory.nodes if n.kind in wanted]
            raise UnknownIdError(
                ident,
                kind=what or _KIND_NAMES.get(tuple(kinds), " or ".join(kinds)),
                suggestions=suggest(ident, pool),
            )
    return tuple(out)


@dataclass
class RuleIndex:
    """Rules (by position) grouped by every id they name; built once per theory in one pass."""

    rules: tuple[Rule, ...]
    waiting: dict[str, list[int]] = field(default_factory=dict)
    """Rules whose IF names the item (the rules waiting on it)."""
    unless: dict[str, list[int]] = field(default_factory=dict)
    """Rules whose UNLESS names the item."""
    producers: dict[str, list[int]] = field(default_factory=dict)
    """Rules whose THEN names the outcome."""
    reducers: dict[str, list[int]] = field(default_factory=dict)
    """Rules whose REDUCES names the outcome."""
    using: dict[str, list[int]] = field(default_factory=dict)
    """Rules whose WITH names the intervention."""
    linked: dict[str, list[str]] = field(default_factory=dict)
    """Contexts each outcome is linked to (``theory.links``)."""
    linked_from: dict[str, list[str]] = field(default_factory=dict)
    """Outcomes linked to each context."""
    vacuous: list[int] = field(default_factory=list)
    """Rules with no IF items (enabled whatever holds)."""

    def derivable(self, item: str) -> bool:
        """Whether a rule can make ``item`` hold: a THEN outcome, or a context linked to one."""
        return item in self.producers or item in self.linked_from

    def feeds(self, outcome: str) -> list[str]:
        """The items that hold when ``outcome`` holds: itself and its linked contexts."""
        return [outcome, *self.linked.get(outcome, ())]


_INDEXES: SideTable[RuleIndex] = SideTable()


def _build(theory: Theory) -> RuleIndex:
    idx = RuleIndex(theory.rules)
    tables = {
        "if": idx.waiting,
        "unless": idx.unless,
        "with": idx.using,
        "then": idx.producers,
        "reduces": idx.reducers,
    }  # BECAUSE is not indexed: no query starts from a mechanism's rules
    slots = [(tables[s.keyword], s.attr) for s in SLOTS if s.keyword in tables]
    for pos, rule in enumerate(theory.rules):
        if not rule.contexts:
            idx.vacuous.append(pos)
        for table, attr in slots:
            for ident in getattr(rule, attr):
                bucket = table.get(ident)
                if bucket is None:
                    table[ident] = [pos]
                else:
                    bucket.append(pos)
    for link in theory.links:
        idx.linked.setdefault(link.outcome, []).append(link.context)
        idx.linked_from.setdefault(link.context, []).append(link.outcome)
    return idx


def rule_index(theory: Theory) -> RuleIndex:
    """The rule index of a theory, built on first use and kept while the theory lives.

    The theory itself is never changed: the index lives in a side table keyed
    by the theory's identity and is dropped when the theory is collected.
    """
    idx = _INDEXES.get(theory)
    if idx is None:
        idx = _build(theory)
        _INDEXES.set(theory, idx)
    return idx


def walk(
    starts: Iterable[int],
    items_of: Callable[[int], Iterable[str]],
    rules_of: Callable[[str], Iterable[int]],
) -> tuple[set[int], set[str]]:
    """Every rule and item reached from ``starts``, each rule and item taken once.

    The one worklist walk of the queries: a rule yields items (``items_of``),
    an item yields further rules (``rules_of``). Forward (outcomes to the rules
    they feed) or backward (IF items to the rules producing them) depending on
    the two functions.

    Returns:
        The positions of the rules reached and the items reached.

    >>> walk([0], lambda pos: ["x"] if pos == 0 else [], lambda item: [1])
    ({0, 1}, {'x'})
    """
    rules: set[int] = set()
    items: set[str] = set()
    stack = list(starts)
    while stack:
        pos = stack.pop()
        if pos in rules:
            continue
        rules.add(pos)
        for item in items_of(pos):
            if item not in items:
                items.add(item)
                stack.extend(rules_of(item))
    return rules, items


def clear_cache() -> None:
    """Forget every cached rule index (benchmarks use it to time cold queries)."""
    _INDEXES.clear()
