"""Shared plumbing of the query functions: result base class, id checks, the rule index."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from cimo._util import suggest
from cimo.errors import UnknownIdError
from cimo.model import CimoModel, Theory
from cimo.query._index import RuleIndex, rule_index
from cimo.query._index import clear_cache as clear_cache  # for the benchmarks

# ``clear_cache`` is left out on purpose: it is there for the benchmarks, not for users.
__all__ = [
    "STEPS_PER_RESULT",
    "Result",
    "RuleIndex",
    "check_ids",
    "rule_index",
    "set_aside_lines",
    "walk",
]

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


def set_aside_lines(ids: Sequence[str]) -> list[str]:
    """The line every result prints about the refuted rules it left out (none: no line)."""
    if not ids:
        return []
    return [f"set aside (refuted; include_refuted=True to reason with them): {', '.join(ids)}"]


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
