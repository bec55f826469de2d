"""The choices that finish a merge: which input wins, and which ids are kept apart.

Private to :mod:`cimo.merge` (``prefer``, ``take``, ``rename`` and ``names``), with
the renaming of ids through one input's data (``renamed``: aliases and ``rename``).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Literal, TypeAlias

from cimo._util import suggest
from cimo.core.vocabulary import SLOTS
from cimo.errors import UnknownIdError, UsageError
from cimo.model import Theory

__all__ = [
    "Chooser",
    "Prefer",
    "check_take",
    "chooser",
    "empty",
    "renamed",
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


def _renamed_slot(items: list[Any], ren: Callable[[str], str]) -> list[Any]:
    """A slot's items renamed, repeats dropped; a ``because`` object keeps its shape."""
    out: dict[str, Any] = {}
    for item in items:
        if isinstance(item, dict):  # {mechanism, requires, then}
            link = {k: ren(v) if k == "mechanism" else v for k, v in item.items()}
            for part in ("requires", "then"):
                if part in link:
                    link[part] = list(dict.fromkeys(ren(x) for x in link[part]))
            out.setdefault(link["mechanism"], link)
        else:
            out.setdefault(ren(item), ren(item))
    return list(out.values())


def _renamed_nested(rule: dict[str, Any], ren: Callable[[str], str]) -> dict[str, Any]:
    """A rule's ``if_any`` groups and ``leads_to`` steps with ids renamed."""
    if "if_any" in rule:
        rule["if_any"] = [list(dict.fromkeys(ren(x) for x in g)) for g in rule["if_any"]]
    if "leads_to" in rule:
        rule["leads_to"] = [
            {**st, "from": ren(st["from"]), "to": ren(st["to"])} for st in rule["leads_to"]
        ]
    return rule


def renamed(data: dict[str, Any], names: Mapping[str, str]) -> dict[str, Any]:
    """The theory data with ids renamed; a slot naming two ids that became one keeps one."""

    def ren(x: Any) -> Any:
        return names.get(x, x) if isinstance(x, str) else x

    out = dict(data)
    nodes = []
    for node in data.get("nodes", ()):
        node = {**node, "id": ren(node["id"])}
        for key in ("opposite", "variant_of"):
            if key in node:
                node[key] = ren(node[key])
        nodes.append(node)
    rules = []
    for rule in data.get("rules", ()):
        rule = {**rule, "id": ren(rule["id"])}
        for slot in (s.keyword for s in SLOTS):
            if isinstance(rule.get(slot), list):  # not 'if: any'
                rule[slot] = _renamed_slot(rule[slot], ren)
        rules.append(_renamed_nested(rule, ren))
    out["nodes"] = nodes
    out["rules"] = rules
    out["links"] = [
        {**lk, "outcome": ren(lk["outcome"]), "context": ren(lk["context"])}
        for lk in data.get("links", ())
    ]
    if "relations" in data:
        out["relations"] = [
            {**rel, "from": ren(rel["from"]), "to": ren(rel["to"])} for rel in data["relations"]
        ]
    return out
