"""Helpers shared by the check families: short id lists and the "lacking" pattern."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from cimo.core.vocabulary import SlotKeyword
from cimo.model import Intervention, Mechanism, Rule
from cimo.validate._index import Index
from cimo.validate._registry import Raw

__all__ = ["lacking", "names"]


def names(ids: Iterable[str], limit: int = 5) -> str:
    """The first ``limit`` ids, comma-separated, then how many more.

    >>> names(["a", "b", "c"], limit=2)
    'a, b and 1 more'
    """
    items = list(ids)
    shown = ", ".join(items[:limit])
    return shown + (f" and {len(items) - limit} more" if len(items) > limit else "")


def lacking(
    ix: Index,
    nodes: Iterable[Intervention | Mechanism],
    slot: SlotKeyword,
    has: Callable[[Rule, str], bool],
    says: str,
    what: str,
) -> Iterator[Raw]:
    """Nodes named in ``slot`` only by rules lacking what ``has(rule, node_id)`` asks for.

    ``has`` is true when the rule has the part, or when the source itself leaves
    the part out (declared ``missing``): R003 reports those as missing in the
    source, and the node is not blamed for them.
    """
    for node in nodes:
        rules = ix.rules_using(node.id, slot)
        if rules and not any(has(ix.rule(i), node.id) for i in rules):
            yield Raw(
                f"{node.kind} {node.id!r} {says} ({names(ix.rule(i).id for i in rules)}) "
                f"names {what}",
                node.id,
                ("nodes", ix.node_pos[node.id]),
            )
