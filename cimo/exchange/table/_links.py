"""Links between a table's rows: Links cells and Relations cells (``TYPE RULE``).

A Links cell names the rows whose outcome is this row's context; each problem
is noted at its row and column.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, get_args

from cimo._util import did_you_mean
from cimo.core.vocabulary import RelationType
from cimo.exchange.table._roles import Role
from cimo.model import Link

#: A row's values by role; the data row and column something came from.
Cells = dict[Role, list[str]]
Where = tuple[int | None, int | None]
#: Notes a problem at a data row and column.
Problem = Callable[[str, int | None, int | None], None]

_RELATION_TYPES: tuple[str, ...] = get_args(RelationType)


def rule_relations(
    rows: Sequence[int],
    values: Mapping[int, Cells],
    rule_ids: Mapping[int, str],
    by_label: Mapping[str, int],
    j: int,
    problem: Problem,
) -> tuple[list[dict[str, Any]], list[Where]]:
    """``TYPE TARGET`` lines of the relations column ``j``: from each row's rule to TARGET."""
    relations: list[dict[str, Any]] = []
    origins: list[Where] = []
    known = set(rule_ids.values())
    for i in rows:
        for line in values[i].get("relations", ()):
            kind, _, target = line.partition(" ")
            target = target.strip()
            if target in by_label and target not in known:
                target = rule_ids[by_label[target]]
            if kind not in _RELATION_TYPES or not target:
                problem(
                    f"the relation {line!r} is not 'TYPE RULE'; TYPE is one of "
                    f"{', '.join(_RELATION_TYPES)}"
                    + (did_you_mean(kind, _RELATION_TYPES) if kind else ""),
                    i,
                    j,
                )
                continue
            relations.append({"type": kind, "from": rule_ids[i], "to": target})
            origins.append((i, j))
    return relations, origins


def row_links(
    rows: Sequence[int],
    values: Mapping[int, Cells],
    slots: Mapping[int, Cells],
    by_label: Mapping[str, int],
    j: int | None,
    problem: Problem,
) -> tuple[list[Link], list[Where]]:
    """The links of the links column ``j``: this row's context is row N's outcome."""
    links: dict[tuple[str, str], Link] = {}
    origins: list[Where] = []
    for i in rows:
        for ref in values[i].get("links", ()):
            pair = _link(i, j, ref, slots, by_label, problem)
            if pair is not None and pair not in links:
                links[pair] = Link(outcome=pair[0], context=pair[1])
                origins.append((i, j))
    return list(links.values()), origins


def _link(
    i: int,
    j: int | None,
    ref: str,
    slots: Mapping[int, Cells],
    by_label: Mapping[str, int],
    problem: Problem,
) -> tuple[str, str] | None:
    target = by_label.get(ref)
    if target is None:
        problem(
            f"the link names row ID {ref!r}, which no row has"
            + did_you_mean(ref, by_label)
            + "; a Links cell holds the IDs of the rows whose outcome is this "
            "row's context",
            i,
            j,
        )
        return None
    produced, contexts = slots[target].get("outcome", []), slots[i].get("context", [])
    if len(produced) != 1 or len(contexts) != 1:
        problem(
            f"the link to row {ref!r} needs one outcome there and one context here "
            f"(found {len(produced)} and {len(contexts)}); split the rows, or join "
            "the nodes by hand with cimo.Link",
            i,
            j,
        )
        return None
    if produced[0] == contexts[0]:
        problem(
            f"this row's context is worded exactly like row {ref!r}'s outcome, so the "
            "two are already one node (a chain); leave the Links cell empty",
            i,
            j,
        )
        return None
    return produced[0], contexts[0]
