"""The choices that finish a merge: which input wins, and which ids are kept apart.

Private to :mod:`cimo.merge` (``prefer``, ``take``, ``rename`` and ``names``), with
the renaming of ids through one input's data (``renamed``: aliases and ``rename``).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Literal, TypeAlias

from cimo._util import suggest
from cimo.errors import UnknownIdError, UsageError
from cimo.model import Theory

__all__ = [
    "Chooser",
    "Prefer",
    "check_equivalences",
    "check_take",
    "chooser",
    "empty",
    "inferred_marks",
    "renames_per_input",
    "shown_value",
    "union",
    "unique",
]

#: Which input wins a disagreement: the first (``ours``) or the last (``theirs``).
Prefer: TypeAlias = Literal["ours", "theirs"]

#: Picks the input whose value wins for one id, among the inputs that disagree.
Chooser: TypeAlias = Callable[[str, tuple[str, ...]], str | None]


def chooser(prefer: Prefer | None, take: Mapping[str, str]) -> Chooser:
    """Who wins: the input ``take`` names for that id, else the first or last as preferred."""

    def choose(key: str, inputs: tuple[str, ...]) -> str | None:
        if key in take:
            return take[key] if take[key] in inputs else None
        if prefer == "ours":
            return inputs[0]
        if prefer == "theirs":
            return inputs[-1]
        return None

    return choose


def renames_per_input(
    names: Sequence[str], theories: Sequence[Theory], rename: Mapping[str, str]
) -> dict[str, dict[str, str]]:
    """Per input, the ids to rename: ``INPUT:ID`` there, a bare ``ID`` in all but the first."""
    out: dict[str, dict[str, str]] = {name: {} for name in names}
    held = {name: {*t.index, *t.rule_index} for name, t in zip(names, theories, strict=True)}
    for old, new in rename.items():
        where, sep, ident = old.rpartition(":")
        if sep and where not in out:
            raise UnknownIdError(
                where, kind="input", suggestions=suggest(where, names), where="this merge"
            )
        targets = [where] if sep else [n for n in names[1:] if ident in held[n]]
        if not any(ident in held[n] for n in targets):
            raise UnknownIdError(
                ident,
                kind="node or rule",
                suggestions=suggest(ident, set().union(*held.values())),
                where=f"{where}" if sep else "the inputs after the first",
            )
        for name in targets:
            out[name][ident] = new
    return out


def check_take(
    names: Sequence[str], theories: Sequence[Theory], take: Mapping[str, str]
) -> dict[str, str]:
    """``take`` after checking that each input is one of the merge and holds its id."""
    for ident, name in take.items():
        if name not in names:
            raise UnknownIdError(
                name, kind="input", suggestions=suggest(name, names), where="this merge"
            )
        theory = theories[names.index(name)]
        if ident not in theory.index and ident not in theory.rule_index:
            raise UnknownIdError(
                ident,
                kind="node or rule",
                suggestions=suggest(ident, {*theory.index, *theory.rule_index}),
                where=name,
            )
    return dict(take)


def unique(names: Sequence[str], count: int) -> tuple[str, ...]:
    """The names of ``count`` inputs, with ``#2``, ``#3``, ... added to repeats."""
    if len(names) != count:
        raise UsageError(f"{len(names)} names for {count} inputs; give one each")
    out: list[str] = []
    seen: dict[str, int] = {}
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name}#{seen[name]}")
    return tuple(out)


def shown_value(value: Any) -> str:
    return "not given" if value is None else json.dumps(value, ensure_ascii=False)


def empty(value: Any) -> bool:
    return value is None or value == [] or value == {} or value == ""


def union(a: list[Any], b: list[Any]) -> list[Any]:
    seen = {json.dumps(x, sort_keys=True) for x in a}
    out = list(a)
    for x in b:
        key = json.dumps(x, sort_keys=True)
        if key not in seen:
            seen.add(key)
            out.append(x)
    return out


def inferred_marks(base: Mapping[str, Any], other: Mapping[str, Any]) -> tuple[list[str], bool]:
    """The ``inferred`` marks of two records folded together, and whether they contest a field.

    A mark from either record is kept (a value one input infers stays a guess);
    a field is contested when one record marks it inferred and the other gives
    it unmarked (as stated).

    >>> inferred_marks({"theme": "t", "inferred": ["theme"]}, {})
    (['theme'], False)
    >>> inferred_marks({"theme": "t", "inferred": ["theme"]}, {"theme": "t"})
    (['theme'], True)
    """
    mine, theirs = list(base.get("inferred", ())), list(other.get("inferred", ()))
    contested = any(f not in theirs and not empty(other.get(f)) for f in mine) or any(
        f not in mine and not empty(base.get(f)) for f in theirs
    )
    return list(dict.fromkeys(mine + theirs)), contested


def check_equivalences(theories: Sequence[Theory], equivalences: Mapping[str, str]) -> None:
    """Check that each alias is a node, rule or source of an input, and each pair is sound."""
    items: set[str] = set()
    sources: set[str] = set()
    for t in theories:
        items.update(t.index)
        items.update(t.rule_index)
        sources.update(t.source_index)
    for alias, canonical in equivalences.items():
        if alias not in items and alias not in sources:
            raise UnknownIdError(
                alias,
                kind="node, rule or source of any input",
                suggestions=suggest(alias, items | sources),
                where="the equivalences",
            )
        if canonical in equivalences:
            raise UsageError(
                f"equivalence {alias!r} -> {canonical!r}: {canonical!r} is itself declared "
                f"equivalent to {equivalences[canonical]!r}; name the final id directly"
            )
        if alias == canonical:
            raise UsageError(f"equivalence {alias!r} -> {alias!r} names the same id twice")
        if (alias in sources) != (canonical in sources) and canonical in sources | items:
            raise UsageError(
                f"equivalence {alias!r} -> {canonical!r}: one is a source and the other "
                "is not; a source can only be the same as another source"
            )
