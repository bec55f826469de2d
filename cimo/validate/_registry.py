"""The check registry: each check registers itself with :func:`check`; :func:`checks` lists them.

A check is a function from the shared index of a theory
(:class:`cimo.validate._index.Index`) to raw findings (:class:`Raw`): a
message, the id the finding is about, its path in the document and the ids
involved. :func:`cimo.validate.validate` turns raw findings into located
:class:`~cimo.validate.Finding` records. The checks live in
``cimo.validate._checks``, one module for each family (R rules, M
mechanisms, N nodes, G graph); importing :mod:`cimo.validate` registers them all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, TypeAlias

from cimo._util import did_you_mean
from cimo.core.vocabulary import Severity
from cimo.errors import UsageError
from cimo.validate._report import Check

if TYPE_CHECKING:
    from cimo.validate._index import Index

__all__ = ["REGISTRY", "CheckFn", "Loc", "Raw", "check", "checks", "pick"]

#: A path inside the theory document, e.g. ``("rules", 3, "because", 0)``.
Loc: TypeAlias = tuple[str | int, ...]


class Raw:
    """A finding before settings and file positions are applied.

    ``severity`` and ``hint`` replace the check's own for this one finding, when
    one case of a check is worth less (R003 on a part the source itself leaves
    out is an info, not a warning) or needs other advice.
    """

    __slots__ = ("hint", "ids", "loc", "message", "severity", "subject")

    def __init__(
        self,
        message: str,
        subject: str,
        loc: Loc,
        ids: Sequence[str] = (),
        *,
        severity: Severity | None = None,
        hint: str | None = None,
    ) -> None:
        self.message = message
        self.subject = subject
        self.loc = loc
        self.ids = tuple(ids) or (subject,)
        self.severity = severity
        self.hint = hint


CheckFn: TypeAlias = Callable[["Index"], Iterable[Raw]]
#: Code -> the check record and its function, filled as the check modules are imported.
REGISTRY: dict[str, tuple[Check, CheckFn]] = {}


def check(
    code: str, name: str, severity: Severity, summary: str, hint: str
) -> Callable[[CheckFn], CheckFn]:
    """Register the decorated function as the check ``code``."""

    def register(fn: CheckFn) -> CheckFn:
        REGISTRY[code] = (
            Check(code=code, name=name, severity=severity, summary=summary, hint=hint),
            fn,
        )
        return fn

    return register


def checks() -> tuple[Check, ...]:
    """Every check of the registry, in code order.

    >>> [c.code for c in checks()][:3]
    ['G001', 'M001', 'M002']
    """
    return tuple(REGISTRY[code][0] for code in sorted(REGISTRY))


def _matches(selector: str, check: Check) -> bool:
    s = selector.strip()
    return s.lower() == check.name or check.code.startswith(s.upper())


def pick(selectors: Iterable[str], what: str) -> set[str]:
    """The codes of the checks named by ``selectors`` (codes, code prefixes or names).

    Raises:
        UsageError: if a selector names no check (``what`` says which option it came from).
    """
    registry = checks()
    picked: set[str] = set()
    for s in selectors:
        hits = {c.code for c in registry if _matches(s, c)}
        if not hits:
            names = [c.code for c in registry] + [c.name for c in registry]
            raise UsageError(
                f"{what}: {s!r} is not a check code, code prefix or check name"
                + (did_you_mean(s, names) or f" (codes: {', '.join(c.code for c in registry)})")
            )
        picked |= hits
    return picked
