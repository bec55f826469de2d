"""Small shared helpers (private)."""

from __future__ import annotations

import contextlib
import difflib
import gc
import re
import unicodedata
import weakref
from collections.abc import Collection, Iterable, Iterator, Mapping
from typing import Any, Generic, TypeVar

from cimo._files import atomic_write
from cimo.errors import UnknownIdError

__all__ = [
    "ReadableIds",
    "SideTable",
    "atomic_write",
    "csv_protect",
    "csv_unprotect",
    "did_you_mean",
    "lookup",
    "markdown_text",
    "normalise_label",
    "paused_gc",
    "plural",
    "readable_slug",
    "slug",
    "suggest",
]

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


_IRREGULAR = {"analysis": "analyses", "child": "children", "person": "people"}


def plural(n: int, word: str, many: str | None = None) -> str:
    """``n`` and ``word``, in the plural unless ``n`` is one: the count every message prints.

    Args:
        n: How many.
        word: The singular ("witness", "rule").
        many: The plural, when the English rules below do not make it.

    >>> plural(1, "witness"), plural(2, "witness"), plural(0, "rule")
    ('1 witness', '2 witnesses', '0 rules')
    >>> plural(3, "difference"), plural(2, "entry"), plural(1, "entry")
    ('3 differences', '2 entries', '1 entry')
    """
    if n == 1:
        return f"1 {word}"
    if many is None:
        if word in _IRREGULAR:
            many = _IRREGULAR[word]
        elif word.endswith(("s", "x", "z", "ch", "sh")):
            many = word + "es"
        elif word.endswith("y") and word[-2:-1] not in ("a", "e", "i", "o", "u"):
            many = word[:-1] + "ies"
        else:
            many = word + "s"
    return f"{n} {many}"


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
        """Attach ``value`` to ``obj`` for as long as ``obj`` lives.

        Setting again replaces the value and keeps the one weak reference:

        >>> class Thing:
        ...     pass
        >>> import weakref
        >>> table: SideTable[int] = SideTable()
        >>> thing = Thing()
        >>> for n in range(3):
        ...     table.set(thing, n)
        >>> table.get(thing), weakref.getweakrefcount(thing)
        (2, 1)
        """
        key = id(obj)
        entry = self._entries.get(key)
        if entry is not None and entry[0]() is obj:
            self._entries[key] = (entry[0], value)
            return
        entries = self._entries

        def drop(ref: weakref.ref[Any]) -> None:  # obj is gone: forget its value
            if entries.get(key, (None,))[0] is ref:
                del entries[key]

        self._entries[key] = (weakref.ref(obj, drop), value)

    def clear(self) -> None:
        """Forget every value."""
        self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)


@contextlib.contextmanager
def paused_gc(*, freeze: bool = False) -> Iterator[None]:
    """Pause the cyclic garbage collector while building many small objects.

    Bulk loads create millions of objects and no reference cycles; without
    the pause the collector rescans them again and again. The collector is
    switched back on afterwards only if it was on before.

    With ``freeze=True`` (for what lives on: a loaded theory, a graph), a
    block that succeeds ends with :func:`gc.freeze`, which moves what it made
    out of the collector's generations: otherwise the first allocation after
    the pause would start a collection over every object just made. Frozen
    objects are still freed as soon as nothing refers to them.

    >>> import gc
    >>> with paused_gc():
    ...     gc.isenabled()
    False
    >>> gc.isenabled()
    True
    >>> before = gc.get_freeze_count()
    >>> with paused_gc(freeze=True):
    ...     made = [{"id": i} for i in range(100)]
    >>> gc.get_freeze_count() >= before + 100
    True
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
        if freeze and was_enabled:
            gc.freeze()
    finally:
        if was_enabled:
            gc.enable()


_NOT_ID = re.compile(r"[^A-Za-z0-9_.\-]+")
_ID_EDGES = "-_."


def slug(text: str, *, max_length: int = 120, fallback: str = "") -> str:
    """A valid cimo id made from ``text``, keeping its case, or ``fallback`` if none is left.

    Every run of characters other than ASCII letters, digits, ``_``, ``.`` and
    ``-`` becomes one ``-``; then ``-``, ``_`` and ``.`` are stripped from both
    ends, the result is cut to ``max_length`` characters and stripped again,
    so it starts and ends with a letter or digit.

    >>> slug("In work!")
    'In-work'
    >>> slug("  Café / bar  ")
    'Caf-bar'
    >>> slug("a" * 5 + "-b", max_length=6)
    'aaaaa'
    >>> slug("!!!", fallback="item")
    'item'
    """
    cut = _NOT_ID.sub("-", text).strip(_ID_EDGES)[:max_length].strip(_ID_EDGES)
    return cut or fallback


_FORMULA_START = re.compile(r"'*[=+\-@\t\r]")


def csv_protect(text: str) -> str:
    r"""Neutralise a CSV cell a spreadsheet would run as a formula (OWASP's CSV-injection rule).

    A cell starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return
    gets a leading apostrophe, so spreadsheet programs show it as text. Cells
    that already start with apostrophes before such a character get one more,
    so :func:`csv_unprotect` gives back exactly the text written.

    >>> csv_protect('=HYPERLINK("http://x")'), csv_protect("-2"), csv_protect("plain")
    ('\'=HYPERLINK("http://x")', "'-2", 'plain')
    >>> all(csv_unprotect(csv_protect(t)) == t for t in ["=1", "'=1", "''@", "a", "'a", ""])
    True
    """
    return "'" + text if _FORMULA_START.match(text) else text


def csv_unprotect(text: str) -> str:
    """Undo :func:`csv_protect`: drop the apostrophe added before a formula-like start.

    >>> csv_unprotect("'=SUM(A1)"), csv_unprotect("'quoted")
    ('=SUM(A1)', "'quoted")
    """
    return text[1:] if text.startswith("'") and _FORMULA_START.match(text, 1) else text


_MARKDOWN_HTML = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})


def markdown_text(text: str) -> str:
    """Text for Markdown output with HTML switched off: ``&``, ``<`` and ``>`` as entities.

    Markdown passes raw HTML through, so a label such as ``<script>`` or
    ``<img onerror=...>`` would run in a browser or notebook; escaped, it shows
    as written.

    >>> markdown_text('<img src=x onerror="alert(1)"> & <!-- hidden')
    '&lt;img src=x onerror="alert(1)"&gt; &amp; &lt;!-- hidden'
    """
    return text.translate(_MARKDOWN_HTML)


# --------------------------------------------------------------------------- readable ids

_SLUG_LENGTH = 40
_STOP_WORDS = frozenset(
    "a an and as at by for from in into its of on or than that the their to with".split()  # noqa: SIM905
)


def readable_slug(text: str, fallback: str) -> str:
    """A readable id from text: ASCII words joined by ``-``, at most about 40 characters.

    Made by the table reader for each node; a cut slug ends on a word that
    carries meaning.

    >>> readable_slug("Doctors work in functional groups", "x")
    'doctors-work-in-functional-groups'
    >>> readable_slug("!!", "context")
    'context'
    """
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", plain.lower())
    kept: list[str] = []
    for word in words:
        if kept and len("-".join([*kept, word])) > _SLUG_LENGTH:
            while len(kept) > 1 and kept[-1] in _STOP_WORDS:
                kept.pop()  # a cut slug ends on a word that carries meaning
            break
        kept.append(word[:_SLUG_LENGTH])
    return "-".join(kept) or fallback


class ReadableIds:
    """Hands out unique ids: the slug, or the slug with ``-2``, ``-3``, ... in call order.

    >>> ids = ReadableIds()
    >>> ids.take("a"), ids.take("a"), ids.take("a")
    ('a', 'a-2', 'a-3')
    """

    def __init__(self) -> None:
        self.used: set[str] = set()
        self.next: dict[str, int] = {}

    def take(self, base: str) -> str:
        if base not in self.used:
            self.used.add(base)
            return base
        n = self.next.get(base, 2)
        while f"{base}-{n}" in self.used:
            n += 1
        self.next[base] = n + 1
        ident = f"{base}-{n}"
        self.used.add(ident)
        return ident
