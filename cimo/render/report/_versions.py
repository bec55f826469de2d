"""The versions of a programme theory a report compares, oldest first."""

from __future__ import annotations

from collections.abc import Sequence

from cimo.edit import focus
from cimo.model import Theory

__all__ = ["Version", "versions_of"]


class Version:
    """One version of the programme theory: a name for the reader, and the theory."""

    __slots__ = ("name", "theory")

    def __init__(self, name: str, theory: Theory) -> None:
        self.name = name
        self.theory = theory


def versions_of(theory: Theory, previous: Sequence[Theory] = ()) -> list[Version]:
    """The versions a report compares, oldest first.

    With ``previous`` (older versions, oldest first), those and then ``theory``,
    each whole. Without, and when ``theory`` declares two or more
    ``iterations``, each iteration cut out with :func:`cimo.edit.focus`.
    Otherwise ``theory`` alone.
    """
    if previous:
        every = [*previous, theory]
        return [Version(f"version {i}: {_label(t)}", t) for i, t in enumerate(every, 1)]
    if len(theory.iterations) >= 2:
        ordered = sorted(theory.iterations, key=lambda it: it.number)
        return [
            Version(f"iteration {it.number}: {it.label}", focus(theory, iteration=it.number))
            for it in ordered
        ]
    return [Version(_label(theory), theory)]


def _label(theory: Theory) -> str:
    return theory.id + (f" (iteration {theory.iteration})" if theory.iteration is not None else "")
