"""The chains of rules from an intervention or context to an outcome."""

from __future__ import annotations

from typing import Literal

from cimo.errors import UsageError
from cimo.model import CimoModel, Theory
from cimo.query._base import STEPS_PER_RESULT, Result, RuleIndex, check_ids, rule_index, walk

__all__ = ["Pathway", "Pathways", "pathways"]


class Pathway(CimoModel):
    """One chain of rules from a source to a target."""

    rules: tuple[str, ...]
    """The rules in order."""
    via: tuple[str, ...]
    """The items joining consecutive rules (one fewer than the rules)."""
    effect: Literal["then", "reduces"]
    """Whether the last rule produces (``then``) or reduces the target."""

    def __str__(self) -> str:
        parts = [f"[{self.rules[0]}]"]
        for item, rule in zip(self.via, self.rules[1:], strict=True):
            parts += [item, f"[{rule}]"]
        return " -> ".join(parts)


class Pathways(Result):
    """The rule chains from a source to a target, shortest first."""

    source: str
    target: str
    max_length: int
    paths: tuple[Pathway, ...]
    truncated: bool
    """True when the search was cut short by ``max_length`` or ``limit``."""
    note: str | None = None
    """Why the result was cut short."""

    def _lines(self) -> tuple[str, list[str]]:
        lines = [
            f"{self.source} -> {p} -> {self.target}"
            + (" (reduces)" if p.effect == "reduces" else "")
            for p in self.paths
        ] or ["no pathway"]
        if self.note:
            lines.append(f"(cut short: {self.note})")
        return f"Pathways from {self.source} to {self.target}", lines


def _upstream(idx: RuleIndex, target: str) -> set[int]:
    """Rules from which some chain reaches ``target`` (one backward pass)."""
    rules = idx.rules
    found, _ = walk(
        [*idx.producers.get(target, ()), *idx.reducers.get(target, ())],
        lambda pos: rules[pos].contexts,
        lambda c: (p for s in (c, *idx.linked_from.get(c, ())) for p in idx.producers.get(s, ())),
    )
    return found


def pathways(
    theory: Theory, source: str, target: str, *, max_length: int = 6, limit: int = 100
) -> Pathways:
    """The chains of rules from an intervention or context to an outcome.

    A pathway starts with a rule that has ``source`` in its WITH or IF (or, for
    an outcome, in its IF), goes on through rules whose IF an earlier outcome
    (or a context it is linked to) fills, and ends with a rule whose THEN or
    REDUCES names ``target``. Rules appear at most once in a pathway. Only
    rules that can reach the target are explored (found in one backward pass).

    Args:
        theory: The theory.
        source: An intervention, context or outcome id.
        target: An outcome id.
        max_length: The most rules in one pathway.
        limit: The most pathways returned.

    Returns:
        The pathways, shortest first; ``truncated`` (with a ``note``) when
        longer pathways or more pathways than ``limit`` exist, or when the
        search took more than ``1000 * limit`` steps.

    Raises:
        UnknownIdError: if an id is not in the theory or is of the wrong kind.
        UsageError: if ``max_length`` or ``limit`` is below 1.

    >>> import cimo
    >>> from cimo.query import pathways
    >>> print(pathways(cimo.load_example("work-focused-group-cbt"), "peer-facilitation",
    ...                "clinical-status"))
    Pathways from peer-facilitation to clinical-status
      peer-facilitation -> [figure-4] -> clinical-status
      peer-facilitation -> [retain] -> work-status -> [work-supports-recovery] -> clinical-status
      peer-facilitation -> [resume] -> work-status -> [work-supports-recovery] -> clinical-status
    """
    if max_length < 1 or limit < 1:
        raise UsageError(f"max_length and limit must be at least 1 (got {max_length}, {limit})")
    (source,) = check_ids(theory, [source], ("context", "outcome", "intervention"))
    (target,) = check_ids(theory, [target], ("outcome",))
    idx = rule_index(theory)
    rules = idx.rules
    useful = _upstream(idx, target)
    starts = [
        p
        for p in sorted(
            {
                *idx.using.get(source, ()),
                *(p for s in idx.feeds(source) for p in idx.waiting.get(s, ())),
            }
        )
        if p in useful
    ]
    found: list[Pathway] = []
    notes: list[str] = []
    budget = limit * STEPS_PER_RESULT

    def note(reason: str) -> None:
        if reason not in notes:
            notes.append(reason)

    def successors(path: tuple[int, ...]) -> list[tuple[str, int]]:
        out = []
        for o in rules[path[-1]].outcomes:
            for item in idx.feeds(o):
                out += [(o, q) for q in idx.waiting.get(item, ()) if q in useful and q not in path]
        return out

    # Depth first, in the order a recursive walk would take: each step pops one
    # partial pathway and pushes its extensions, the first one on top.
    stack: list[tuple[tuple[int, ...], tuple[str, ...]]] = [((p,), ()) for p in reversed(starts)]
    while stack:
        path, via = stack.pop()
        budget -= 1
        if len(found) >= limit or budget < 0:
            note("limit" if len(found) >= limit else "budget")
            continue
        rule = rules[path[-1]]
        effect: Literal["then", "reduces"] | None = (
            "then" if target in rule.outcomes else "reduces" if target in rule.reduces else None
        )
        if effect is not None:
            found.append(Pathway(rules=tuple(rules[p].id for p in path), via=via, effect=effect))
            continue
        nexts = successors(path)
        if nexts and len(path) >= max_length:
            note("max_length")
            continue
        stack.extend(((*path, q), (*via, item)) for item, q in reversed(nexts))
    words = {
        "limit": f"more than {limit} pathways (raise limit)",
        "max_length": f"longer pathways than {max_length} rules exist (raise max_length)",
        "budget": f"the search took {limit * STEPS_PER_RESULT} steps (raise limit)",
    }
    return Pathways(
        source=source,
        target=target,
        max_length=max_length,
        paths=tuple(sorted(found, key=lambda p: len(p.rules))),
        truncated=bool(notes),
        note="; ".join(words[n] for n in notes) or None,
    )
