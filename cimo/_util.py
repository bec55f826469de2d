"""Small shared helpers (private)."""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection, Iterable, Mapping
from typing import TypeVar

from cimo.errors import UnknownIdError

__all__ = ["did_you_mean", "lookup", "normalise_label", "suggest"]

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
