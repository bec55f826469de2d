"""How a failed property test reads: the false sentence, the scenario, the rules and where.

Private to :mod:`cimo.testing` (and free of Hypothesis, so it is tested on its own).
"""

from __future__ import annotations

from collections.abc import Sequence

from cimo.core.source import locate
from cimo.model import Rule, Theory
from cimo.query import Scenario

__all__ = ["at", "failure", "fired", "producers", "sentence"]


def failure(
    theory: Theory, result: Scenario, sentence: str, involved: Sequence[str], hint: str = ""
) -> str:
    """The failure text: the false sentence, the scenario, the rules involved, a hint."""
    lines = [
        f'theory {theory.id!r}: "{sentence}" is false in this scenario:',
        f"  given: {', '.join(result.contexts) or 'no context'}",
        f"  with: {', '.join(result.interventions) or 'no intervention'}",
    ]
    lines.append("  rules involved:" if involved else "  rules involved: none")
    lines += [f"    {line}" for line in involved]
    if result.set_aside:
        lines.append(f"  set aside (refuted): {', '.join(result.set_aside)}")
    if hint:
        lines.append(f"  ({hint})")
    return "\n".join(lines)


def at(theory: Theory, rule: str) -> str:
    """``C4 (theory.yaml:18)``: a rule with where it is written, when the theory has a file."""
    pos = next((i for i, r in enumerate(theory.rules) if r.id == rule), None)
    if pos is None:
        return rule
    file, line, _ = locate(theory, ("rules", pos))
    return f"{rule} ({file}:{line})" if file and line else rule


def fired(theory: Theory, result: Scenario) -> list[str]:
    """Every rule that fired or was blocked, for failures that name no item."""
    lines = [f"{at(theory, r)} fired" for r in result.fired_rules]
    lines += [f"{at(theory, b.rule)} blocked by {', '.join(b.by)}" for b in result.blockers]
    return lines


def _why_not(theory: Theory, result: Scenario, rule: Rule) -> str:
    """Why a rule did not fire in a scenario: blocked, set aside, or what it needs."""
    blocked = {b.rule: b.by for b in result.blockers}
    if rule.id in blocked:
        return f"blocked by {', '.join(blocked[rule.id])}"
    if rule.id in result.set_aside:
        return "set aside (refuted)"
    if rule.id in result.withheld_rules:
        return "did not fire: its mechanisms did not"
    holding = set(result.holding)
    given = set(result.interventions)
    needs = [c for c in (*rule.contexts, *rule.modifiers) if c not in holding]
    needs += [i for i in rule.interventions if i not in given]
    return f"did not fire: needs {', '.join(needs)}" if needs else "did not fire"


def producers(theory: Theory, result: Scenario, item: str, *, present: bool) -> list[str]:
    """The rules that bear on a mechanism or outcome: how they made it, or why they did not."""
    fired = set(result.fired_rules)
    blocked = {b.rule for b in result.blockers}
    lines = []
    for rule in theory.rules:
        if item not in (*rule.mechanisms, *rule.outcomes, *rule.otherwise):
            continue
        if present and rule.id in fired:
            verb = "activates" if item in rule.mechanisms else "expects"
            lines.append(f"{at(theory, rule.id)} fired: it {verb} {item}")
        elif not present or rule.id in blocked:
            lines.append(f"{at(theory, rule.id)} {_why_not(theory, result, rule)}")
    return lines


def _and(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def sentence(
    contexts: Sequence[str],
    interventions: Sequence[str],
    unless: Sequence[str],
    claims: Sequence[str],
) -> str:
    """The invariant as the sentence a failure says is false.

    >>> sentence(["a"], ["i", "j"], ["u"], ["m is activated"])
    'whenever a holds and i and j are delivered (and u does not hold), m is activated'
    >>> sentence([], [], [], ["rule C1 never fires"])
    'in every scenario, rule C1 never fires'
    """
    parts = []
    if contexts:
        parts.append(f"{_and(contexts)} {'holds' if len(contexts) == 1 else 'hold'}")
    if interventions:
        parts.append(
            f"{_and(interventions)} {'is' if len(interventions) == 1 else 'are'} delivered"
        )
    cond = f"whenever {' and '.join(parts)}" if parts else "in every scenario"
    if unless:
        cond += f" (and {_and(unless)} {'does' if len(unless) == 1 else 'do'} not hold)"
    return f"{cond}, {_and(claims)}"
