"""How a rule is written in a file, where that differs from its Python fields.

Private to :mod:`cimo.core.model`. Two rule fields have no file key of
their own:

* ``any_context`` is written ``if: any`` (and ``contexts`` is then empty);
* ``mechanism_links`` are the object items of ``because``
  (``because: [m1, {mechanism: m2, requires: [c5]}]``).

:func:`rule_from_file` (a before-validator) reads that shape, and
:func:`rule_to_file` (inside a wrap serializer) writes it, so every path
(``model_validate``, ``model_validate_json``, ``model_dump``,
``model_dump_json``) agrees. Dumps by Python field name
(``by_alias=False``) keep the Python shape.

>>> data = rule_from_file({"id": "R1", "if": "any", "because": ["m1", {"mechanism": "m2"}]})
>>> data["if"], data["any_context"], data["because"], data["mechanism_links"]
([], True, ['m1', 'm2'], [{'mechanism': 'm2'}])
>>> rule_to_file({"id": "R1", "any_context": True, "because": ["m1", "m2"],
...               "mechanism_links": [{"mechanism": "m2"}]}, ("id", "if", "because"))
{'id': 'R1', 'if': 'any', 'because': ['m1', {'mechanism': 'm2'}]}
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import repeat
from typing import Any

__all__ = [
    "ANY",
    "IGNORE_SCHEMA",
    "check_from_file",
    "check_to_file",
    "rule_from_file",
    "rule_to_file",
]

#: The scalar written in ``if`` for "in any circumstances".
ANY = "any"


def rule_from_file(data: Any) -> Any:
    """Rule data as written in a file, turned into the rule's fields (a new mapping if changed)."""
    if not isinstance(data, dict | Mapping):  # (dict first: the ABC's check is slow)
        return data
    out: dict[str, Any] | None = None
    for key in ("if", "contexts"):
        if data.get(key) == ANY:
            out = dict(data)
            out[key] = []
            out.setdefault("any_context", True)
    for key in ("because", "mechanisms"):
        items = data.get(key)
        if (
            isinstance(items, list | tuple)
            and not all(map(isinstance, items, repeat(str)))  # (ids only: the common case)
            and any(isinstance(x, Mapping) for x in items)
        ):
            out = dict(out if out is not None else data)
            ids: list[Any] = []
            links = list(out.get("mechanism_links", ()))
            for item in items:
                if isinstance(item, Mapping) and "mechanism" in item:
                    ids.append(item["mechanism"])
                    links.append(item)
                else:
                    ids.append(item)  # a bad item: the validator says what is wrong with it
            out[key] = ids
            out["mechanism_links"] = links
    given = (out if out is not None else data).get("mechanism_links")
    if given:  # kept in the order of their mechanisms in 'because' (as a file writes them)
        out = dict(out if out is not None else data)
        out["mechanism_links"] = _in_order(given, out.get("because", out.get("mechanisms")))
    return data if out is None else out


def _in_order(links: Any, mechanisms: Any) -> Any:
    if not isinstance(links, list | tuple) or not isinstance(mechanisms, list | tuple):
        return links
    position = {m: i for i, m in enumerate(mechanisms) if isinstance(m, str)}

    def key(link: Any) -> int:
        m = link.get("mechanism") if isinstance(link, Mapping) else getattr(link, "mechanism", None)
        return position.get(m, len(position)) if isinstance(m, str) else len(position)

    return sorted(links, key=key)


def rule_to_file(data: dict[str, Any], order: Sequence[str]) -> dict[str, Any]:
    """A rule dumped by file key, in the file's shape (``if: any``, ``because`` objects).

    Args:
        data: The rule as dumped by its fields (file keys), changed in place.
        order: Every file key of a rule, in field order (to place ``if``).
    """
    any_context = data.pop("any_context", False)
    links = data.pop("mechanism_links", None)
    if not any_context and not links:
        return data
    if links:
        by_mechanism = {link["mechanism"]: link for link in links}
        data["because"] = [by_mechanism.get(m, m) for m in data.get("because", ())]
    if any_context:
        data["if"] = ANY
        return {key: data[key] for key in order if key in data}
    return data


#: The JSON Schema of ``check.ignore``: codes, or a mapping from code to ids.
IGNORE_SCHEMA: dict[str, Any] = {
    "anyOf": [
        {"type": "array", "items": {"type": "string"}},
        {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
    ],
    "description": "Codes (or prefixes) to skip, or {code: [rule or node ids]} to skip a check "
    "for some rules or nodes only (a code with no ids: everywhere).",
}


def check_from_file(data: Any) -> Any:
    """A ``check:`` block as read: ``ignore: {R004: [C1]}`` becomes ``ignore_ids``.

    >>> check_from_file({"ignore": {"R004": ["C1"], "M003": []}})
    {'ignore': ('M003',), 'ignore_ids': (('R004', ('C1',)),)}
    """
    if not isinstance(data, Mapping) or not isinstance(data.get("ignore"), Mapping):
        return data
    everywhere, some = [], []
    for code, ids in data["ignore"].items():
        if ids in (None, [], (), "all"):
            everywhere.append(code)
        else:
            some.append((code, (ids,) if isinstance(ids, str) else tuple(ids)))
    return {**data, "ignore": tuple(everywhere), "ignore_ids": tuple(some)}


def check_to_file(data: Any) -> Any:
    """A ``check:`` block as written: ``ignore_ids`` folded back into an ``ignore`` mapping.

    >>> check_to_file({"ignore": ["M003"], "ignore_ids": [["R004", ["C1"]]]})
    {'ignore': {'M003': [], 'R004': ['C1']}}
    """
    if not isinstance(data, dict) or not data.get("ignore_ids"):
        return data
    ignore: dict[str, object] = {code: [] for code in data.get("ignore", ())}
    ignore.update({code: list(ids) for code, ids in data.pop("ignore_ids")})
    return {**data, "ignore": ignore}
