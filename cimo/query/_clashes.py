"""Contradictory predictions in one scenario: an outcome expected and also reduced, or opposed."""

from __future__ import annotations

from typing import Literal

from cimo.model import CimoModel, Outcome, Theory
from cimo.query._scenario import Scenario

__all__ = ["Clash", "clashes"]


class Clash(CimoModel):
    """Two fired rules of one scenario that predict opposite things."""

    outcome: str
    """The outcome ``rule`` expects."""
    rule: str
    """The rule that expects ``outcome``."""
    other: str
    """The rule that reduces ``outcome`` or expects its opposite."""
    effect: Literal["reduces", "opposite"]
    """``reduces``: ``other`` reduces ``outcome``; ``opposite``: it expects ``opposite``."""
    opposite: str | None = None
    """The declared opposite ``other`` expects (for ``effect="opposite"``)."""

    def __str__(self) -> str:
        if self.effect == "reduces":
            return f"rule {self.rule} expects {self.outcome!r} but rule {self.other} reduces it"
        return (
            f"rule {self.rule} expects {self.outcome!r} but rule {self.other} expects its "
            f"opposite {self.opposite!r}"
        )


def clashes(theory: Theory, result: Scenario) -> tuple[Clash, ...]:
    """The contradictory predictions of one scenario (no Hypothesis involved).

    Args:
        theory: The theory the scenario was reasoned on (for declared opposites).
        result: A scenario from :func:`cimo.query.scenario`.

    Returns:
        One :class:`Clash` per outcome that is both expected and reduced, and
        per pair of declared opposites that are both expected.

    >>> import cimo
    >>> from cimo.query import clashes, scenario
    >>> pwp = cimo.load_example("pwp-resilience")
    >>> given = ["high-clinical-volume", "limited-supervision", "lack-of-experience"]
    >>> clashes(pwp, scenario(pwp, contexts=given))
    ()

    A draft that does not yet say that firm boundaries prevent burnout clashes:

    >>> burnout = pwp.rule_index["burnout"]
    >>> draft = cimo.replace(pwp, cimo.Rule.model_validate({**dict(burnout), "unless": ()}))
    >>> [str(c) for c in clashes(draft, scenario(draft, contexts=given))]
    ["rule burnout expects 'stress-and-burnout' but rule boundaries reduces it"]
    """
    producers: dict[str, str] = {}
    reducers: dict[str, str] = {}
    for d in result.derivations:
        (producers if d.effect == "then" else reducers).setdefault(d.outcome, d.rule)
    found = [
        Clash(outcome=o, rule=producers[o], other=reducers[o], effect="reduces")
        for o in result.outcomes
        if o in reducers and o in producers
    ]
    for o in result.outcomes:
        node = theory.index.get(o)
        if isinstance(node, Outcome) and node.opposite in producers and o in producers:
            found.append(
                Clash(
                    outcome=o,
                    rule=producers[o],
                    other=producers[node.opposite],
                    effect="opposite",
                    opposite=node.opposite,
                )
            )
    return tuple(found)
