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
from typing import Any

__all__ = ["ANY", "rule_from_file", "rule_to_file"]

#: The scalar written in ``if`` for "in any circumstances".
ANY = "any"


def rule_from_file(data: Any) -> Any:
    """Rule data as written in a file, turned into the rule's fields (a new mapping if changed)."""
    if not isinstance(data, Mapping):
        return data
    out: dict[str, Any] | None = None
    for key in ("if", "contexts"):
        if data.get(key) == ANY:
            out = dict(data)
            out[key] = []
            out.setdefault("any_context", True)
    for key in ("because", "mechanisms"):
        items = data.get(key)
        if isinstance(items, list | tuple) and any(isinstance(x, Mapping) for x in items):
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
    return data if out is None else out


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
