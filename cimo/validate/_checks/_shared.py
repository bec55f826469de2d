"""Helpers shared by the check families: short id lists and the "lacking" pattern."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from cimo.core.vocabulary import SLOT, SlotKeyword
from cimo.model import Intervention, Mechanism
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
    needed: SlotKeyword,
    says: str,
    what: str,
) -> Iterator[Raw]:
    """Nodes named in ``slot`` only by rules whose ``needed`` slot is empty."""
    attr = SLOT[needed].attr
    for node in nodes:
        rules = ix.rules_using(node.id, slot)
        if rules and not any(getattr(ix.rule(i), attr) for i in rules):
            yield Raw(
                f"{node.kind} {node.id!r} {says} ({names(ix.rule(i).id for i in rules)}) "
                f"names {what}",
                node.id,
                ("nodes", ix.node_pos[node.id]),
            )
