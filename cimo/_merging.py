"""How a merge folds records, and the choices that finish it.

Private to :mod:`cimo.merge`: the field policies and how two inputs' records
combine (:func:`combine`), which input wins and which ids are kept apart
(``prefer``, ``take``, ``rename`` and ``names``), with the renaming of ids
through one input's data (``renamed``: aliases and ``rename``).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Literal, TypeAlias

from pydantic import BaseModel

from cimo._util import normalise_label, suggest
from cimo.core.vocabulary import SLOTS, field_policy
from cimo.errors import UnknownIdError, UsageError
from cimo.model import Theory

__all__ = [
    "Chooser",
    "Policies",
    "Prefer",
    "check_equivalences",
    "check_take",
    "chooser",
    "combine",
    "empty",
    "inferred_marks",
    "policies",
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


@dataclass(frozen=True)
class Policies:
    """What :func:`combine` does with each key of one kind of record (from the field policies)."""

    union: frozenset[str]
    """List fields whose values from several inputs are combined (union, in input order)."""
    wording: frozenset[str]
    """Wording, not meaning: kept from the canonical record when ids were unified."""
    defaults: Mapping[str, Any]
    """Defaults that are values, not gaps: a rule left ``hypothesised`` has a status."""


def policies(*models: type[BaseModel]) -> Policies:
    """The merge policies of the fields of ``models``, by file key (alias)."""
    union: set[str] = set()
    wording: set[str] = set()
    defaults: dict[str, Any] = {}
    for model in models:
        for name, info in model.model_fields.items():
            key = info.alias or name
            policy = field_policy(model, name).merge
            if policy == "union":
                union.add(key)
            elif policy == "wording":
                wording.add(key)
            elif policy == "valued-default":
                defaults[key] = info.default
    return Policies(frozenset(union), frozenset(wording), MappingProxyType(defaults))


#: A rule's slots: one input stating an UNLESS (say) that another leaves out is a
#: different claim, not a gap to fill.
_SLOT_KEYS = frozenset(s.keyword for s in SLOTS)


def combine(
    base: dict[str, Any], other: dict[str, Any], policies: Policies, *, wording_free: bool
) -> tuple[dict[str, Any], list[str]]:
    """Fold ``other`` into ``base``: fill gaps, unite lists, name the fields that clash."""
    if base == other:  # the same record in two inputs (common): nothing to fill or clash
        if not base.get("inferred"):
            return base, []
        return {**base, "inferred": list(dict.fromkeys(base["inferred"]))}, []
    out = dict(base)
    clashes: list[str] = []
    defaults = policies.defaults
    marks, contested = inferred_marks(base, other)
    if marks:
        out["inferred"] = marks
    if contested:
        clashes.append("inferred")  # one input states what another marks as a guess
    for key, value in other.items():
        if key == "inferred":
            continue
        mine = out.get(key, defaults.get(key))
        if mine == value or empty(value):
            continue
        if key not in out and key in defaults:
            clashes.append(key)  # e.g. hypothesised (the default) against supported
            continue
        if empty(mine) and key in _SLOT_KEYS:
            clashes.append(key)  # a rule slot left out says "none", not "unknown"
        elif empty(mine):
            out[key] = value
        elif key in policies.union and isinstance(mine, list) and isinstance(value, list):
            out[key] = union(mine, value)
        elif not (
            (wording_free and key in policies.wording)
            or (key == "label" and normalise_label(str(mine)) == normalise_label(str(value)))
        ):
            clashes.append(key)
    clashes.extend(
        key
        for key, default in defaults.items()
        if key in base and key not in other and base[key] != default
    )
    clashes.extend(k for k in _SLOT_KEYS if not empty(base.get(k)) and empty(other.get(k)))
    return out, clashes
