"""Migration of theory data from format 1.0 to 2.0: a pure function on plain data.

Format 2.0 changed two things a 1.0 file wrote differently:

* a rule's ``theme`` was free text; it is now the id of a declared theme
  record (``themes:``). Each distinct text becomes a theme whose id is made
  from the text (unique) and whose label is the text.
* evidence had ``stance: supports`` by default; 2.0 has no default. An entry
  that only says where a rule comes from (just ``source``, ``locator`` and
  ``kind``) becomes ``stance: source``; any other entry without a stance is
  ``stance: supports`` (the 1.0 default, made explicit).

Nothing else changes: in particular a 1.0 rule with no ``if`` is not given
``if: any`` (1.0 reasoned with such a rule "in any circumstances", the
conclusion format 2.0 corrects; a rule with no context is now "context
unknown"). The loaders, :func:`cimo.core.data.from_data` and
``Theory.model_validate`` migrate 1.0 data in memory; ``cimo migrate``
rewrites a file.

>>> old = {"format_version": "1.0", "id": "t", "title": "T", "rules": [
...     {"id": "R1", "theme": "Building trust", "evidence": [{"source": "s1"}]}]}
>>> new = migrate(old)
>>> new["format_version"], new["themes"]
('2.0', [{'id': 'Building-trust', 'label': 'Building trust'}])
>>> new["rules"][0]["theme"], new["rules"][0]["evidence"]
('Building-trust', [{'source': 's1', 'stance': 'source'}])
>>> migrate(new) == new
True
"""

from __future__ import annotations

from collections.abc import Mapping
from operator import is_not
from typing import Any

from cimo._util import slug

__all__ = ["SOURCE_ONLY_KEYS", "migrate", "theme_id", "theme_records"]

#: The evidence keys of an entry that only says where a rule comes from.
SOURCE_ONLY_KEYS = frozenset({"source", "locator", "kind"})


def migrate(data: Any) -> Any:
    """Theory data of any version this cimo reads, as format 2.0 data (a new mapping).

    Pure and idempotent: ``data`` is not changed, 2.0 data is returned as it is,
    and anything that is not a 1.0 mapping (not a mapping, another version) is
    returned unchanged so that the loader reports what is wrong with it.

    Args:
        data: Plain theory data, as parsed from a YAML or JSON file.

    Returns:
        The data in format 2.0.
    """
    if not isinstance(data, Mapping) or data.get("format_version") != "1.0":
        return data
    out = dict(data)
    out["format_version"] = "2.0"
    rules = data.get("rules")
    if isinstance(rules, list):
        themes: dict[str, str] = {}
        out["rules"] = [_rule(r, themes) for r in rules]
        if themes:
            out["themes"] = [*_list(data.get("themes")), *theme_records(themes)]
    return out


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _rule(rule: Any, themes: dict[str, str]) -> Any:
    """One 1.0 rule as 2.0 data: its theme text becomes a theme id, its evidence gets a stance.

    A rule with nothing to change is returned as it is (not copied).
    """
    if not isinstance(rule, dict | Mapping):  # (dict first: the ABC's check is slow)
        return rule
    out: dict[str, Any] | None = None
    theme = rule.get("theme")
    if isinstance(theme, str):
        out = dict(rule)
        out["theme"] = theme_id(theme, themes)
    evidence = rule.get("evidence")
    if isinstance(evidence, list):
        entries = [_evidence(e) for e in evidence]
        if any(map(is_not, entries, evidence)):
            out = dict(rule) if out is None else out
            out["evidence"] = entries
    return rule if out is None else out


def theme_id(text: str, themes: dict[str, str]) -> str:
    """The id of the theme worded ``text``: made from the text, unique among ``themes``.

    ``themes`` maps each text seen so far to its id; a new text is added to it.
    Used by the migration and by readers of formats that hold themes as text.

    >>> seen = {}
    >>> theme_id("Trust", seen), theme_id("Trust!", seen), theme_id("Trust", seen)
    ('Trust', 'Trust-2', 'Trust')
    """
    ident = themes.get(text)
    if ident is None:
        taken = set(themes.values())
        base = slug(text, max_length=100, fallback="theme")
        ident, n = base, 1
        while ident in taken:
            n += 1
            ident = f"{base}-{n}"
        themes[text] = ident
    return ident


def theme_records(themes: Mapping[str, str]) -> list[dict[str, str]]:
    """The theme records (plain data) of the texts ``themes`` maps to ids, in that order."""
    return [{"id": ident, "label": text} for text, ident in themes.items()]


def _evidence(entry: Any) -> Any:
    if not isinstance(entry, dict | Mapping) or "stance" in entry:
        return entry
    stance = "source" if set(entry) <= SOURCE_ONLY_KEYS else "supports"
    return {**entry, "stance": stance}
