"""What a highlight picks out of a theory map: a query or scenario result, as ids.

:class:`Highlight` is built from any result object with ``fired_rules``,
``blocked_rules``, ``mechanisms`` and ``outcomes`` (and, when present,
``contexts``, ``interventions`` and ``holding``), such as the scenario
result of :func:`cimo.query.scenario`. Rendering never runs a scenario
itself; it only draws what a result says.

>>> from types import SimpleNamespace
>>> result = SimpleNamespace(fired_rules=("R1",), blocked_rules=("R2",),
...                          mechanisms=("relate",), outcomes=("work-status",),
...                          contexts=("in-work",))
>>> h = Highlight.of(result)
>>> h.nodes, h.rules, h.blocked
(('in-work', 'relate', 'work-status'), ('R1',), ('R2',))
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from cimo.model import CimoModel

__all__ = ["Highlight", "HighlightSource"]


class HighlightSource(Protocol):
    """What :meth:`Highlight.of` reads from a result (a scenario result has all of it)."""

    @property
    def fired_rules(self) -> Iterable[str]:
        """Rules that fired."""

    @property
    def blocked_rules(self) -> Iterable[str]:
        """Rules that an UNLESS context blocked."""

    @property
    def mechanisms(self) -> Iterable[str]:
        """Active mechanisms."""

    @property
    def outcomes(self) -> Iterable[str]:
        """Expected outcomes."""


class Highlight(CimoModel):
    """Ids to pick out on a map; everything else is greyed.

    Attributes:
        nodes: Contexts, interventions, mechanisms and outcomes to pick out.
        rules: Rules to pick out (fired).
        blocked: Rules to mark as blocked.
    """

    nodes: tuple[str, ...] = ()
    rules: tuple[str, ...] = ()
    blocked: tuple[str, ...] = ()

    @classmethod
    def of(cls, result: HighlightSource) -> Highlight:
        """The highlight of a query or scenario result (ids sorted, duplicates dropped)."""
        nodes: set[str] = set(result.mechanisms) | set(result.outcomes)
        for optional in ("contexts", "interventions", "holding"):
            nodes.update(getattr(result, optional, ()) or ())
        return cls(
            nodes=tuple(sorted(nodes)),
            rules=tuple(sorted(set(result.fired_rules))),
            blocked=tuple(sorted(set(result.blocked_rules))),
        )

    def __str__(self) -> str:
        def count(n: int, noun: str) -> str:
            return f"{n} {noun}{'s' if n != 1 else ''}"

        return (
            f"highlight: {count(len(self.nodes), 'element')}, "
            f"{count(len(self.rules), 'fired rule')}, {count(len(self.blocked), 'blocked rule')}"
        )
