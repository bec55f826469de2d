"""Small shared helpers (private)."""

from __future__ import annotations

import contextlib
import difflib
import gc
import os
import re
import tempfile
import weakref
from collections.abc import Collection, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, Generic, TypeVar

from cimo.errors import OutputError, UnknownIdError

__all__ = [
    "SideTable",
    "atomic_write",
    "did_you_mean",
    "lookup",
    "normalise_label",
    "paused_gc",
    "plural",
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
        """Attach ``value`` to ``obj`` for as long as ``obj`` lives."""
        key = id(obj)
        self._entries[key] = (weakref.ref(obj), value)
        weakref.finalize(obj, self._entries.pop, key, None)

    def clear(self) -> None:
        """Forget every value (finalizers that fire later find nothing to drop)."""
        self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many small objects.

    Bulk loads create millions of objects and no reference cycles; without
    the pause the collector rescans them again and again. The collector is
    switched back on afterwards only if it was on before.

    >>> import gc
    >>> with paused_gc():
    ...     gc.isenabled()
    False
    >>> gc.isenabled()
    True
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
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


def atomic_write(path: str | os.PathLike[str], data: str | bytes) -> Path:
    r"""Write ``data`` to ``path`` through a temporary file in the same folder.

    The temporary file is flushed to disk and renamed over ``path`` in one
    step; on any failure it is removed and ``path`` is left as it was. A new
    file gets the permissions the umask allows; a replaced file keeps its own.

    Args:
        path: Where to write.
        data: Text (written as UTF-8) or bytes.

    Returns:
        The path written.

    Raises:
        OutputError: if the folder does not exist or cannot be written to.

    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "theory.yaml"
    >>> atomic_write(out, "format_version: '1.0'\n").read_text()
    "format_version: '1.0'\n"
    """
    target = Path(path)
    folder = target.parent if str(target.parent) else Path()
    if not folder.is_dir():
        raise OutputError(
            f"cannot write {target}: the folder {folder} does not exist (create it first)"
        )
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as err:
        raise OutputError(f"cannot write {target}: {err.strerror or err}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        _set_mode(tmp, target)
        os.replace(tmp, target)
    except OSError as err:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise OutputError(f"cannot write {target}: {err.strerror or err}") from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return target


def _set_mode(tmp: str, target: Path) -> None:
    """Give the temporary file the mode ``target`` has, or the umask's default for a new file."""
    if target.exists():
        with contextlib.suppress(OSError):
            os.chmod(tmp, target.stat().st_mode & 0o777)
    else:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
