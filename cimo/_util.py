"""Small shared helpers (private)."""

from __future__ import annotations

import difflib
import re
import weakref
from collections.abc import Collection, Iterable, Mapping
from typing import Any, Generic, TypeVar

from cimo.errors import UnknownIdError

__all__ = ["SideTable", "did_you_mean", "lookup", "normalise_label", "suggest"]

V = TypeVar("V")

_SUGGEST_LIMIT = 20_000


def suggest(bad: str, candidates: Collection[str], *, n: int = 1) -> tuple[str, ...]:
    """Return up to ``n`` close matches for ``bad`` among ``candidates``.

    Case-insensitive; for very large candidate sets only a prefix-filtered
    subset is compared, so one lookup stays cheap.

    >>> suggest("regulte", ["realise", "regulate", "relate"])
    ('regulate',)
    >>> suggest("xyz", ["realise"])
    ()
    >>> suggest("pwp", ["pwp-resilience", "doctors"])
    ('pwp-resilience',)
    """
    pool: Iterable[str] = candidates
    if len(candidates) > _SUGGEST_LIMIT:
        head = bad[:2].lower()
        pool = [c for c in candidates if c[:2].lower() == head][:_SUGGEST_LIMIT]
    lowered = {c.lower(): c for c in pool}
    key = bad.lower()
    hits = difflib.get_close_matches(key, list(lowered), n=n, cutoff=0.6)
    if len(hits) < n and len(key) >= 3:
        hits += [c for c in lowered if c.startswith(key) and c not in hits][: n - len(hits)]
    return tuple(lowered[h] for h in hits)


def did_you_mean(bad: str, candidates: Collection[str]) -> str:
    """Return ``" (did you mean 'x'?)"`` or ``""``.

    >>> did_you_mean("relat", ["relate", "resolve"])
    " (did you mean 'relate'?)"
    """
    hits = suggest(bad, candidates)
    return f" (did you mean {hits[0]!r}?)" if hits else ""


_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)


def normalise_label(label: str) -> str:
    """Fold case, spacing and punctuation, for spotting probable duplicate labels.

    >>> normalise_label("  Work-status ") == normalise_label("work status")
    True
    """
    return _NON_WORD.sub(" ", label.casefold()).strip()


def lookup(mapping: Mapping[str, V], key: str, *, kind: str, where: str | None = "cimo") -> V:
    """``mapping[key]``, or an :class:`~cimo.errors.UnknownIdError` with a "did you mean".

    >>> lookup({"relate": 5}, "relate", kind="mechanism")
    5
    >>> lookup({"relate": 5}, "relat", kind="mechanism", where="this theory")
    Traceback (most recent call last):
    ...
    cimo.errors.UnknownIdError: 'relat' is not a mechanism of this theory (did you mean 'relate'?)

    Raises:
        UnknownIdError: if ``key`` is not in ``mapping``.
    """
    try:
        return mapping[key]
    except KeyError:
        raise UnknownIdError(
            key, kind=kind, suggestions=suggest(key, mapping), where=where
        ) from None


class SideTable(Generic[V]):
    """Values attached to objects by identity, dropped when the object is collected.

    Lets derived data (where a theory was loaded from, the query index) live
    beside a frozen theory without being stored in it or affecting equality.

    >>> class Thing:
    ...     pass
    >>> table: SideTable[str] = SideTable()
    >>> a, b = Thing(), Thing()
    >>> table.set(a, "a's")
    >>> table.get(a), table.get(b)
    ("a's", None)
    >>> del a
    >>> len(table)
    0
    """

    def __init__(self) -> None:
        self._entries: dict[int, tuple[weakref.ref[Any], V]] = {}

    def get(self, obj: object) -> V | None:
        """The value attached to ``obj``, or None."""
        entry = self._entries.get(id(obj))
        if entry is None or entry[0]() is not obj:
            return None
        return entry[1]

    def set(self, obj: object, value: V) -> None:
        """Attach ``value`` to ``obj`` for as long as ``obj`` lives."""
        key = id(obj)
        self._entries[key] = (weakref.ref(obj), value)
        weakref.finalize(obj, self._entries.pop, key, None)

    def clear(self) -> None:
        """Forget every value (finalizers that fire later find nothing to drop)."""
        self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)
