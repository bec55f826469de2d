"""The chains of rules from an intervention or context to an outcome."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from cimo.errors import UsageError
from cimo.model import CimoModel, Rule, Theory
from cimo.query._base import (
    STEPS_PER_RESULT,
    Result,
    check_ids,
    labelled,
    name,
    set_aside_lines,
    walk,
)
from cimo.query._index import RuleIndex, needs, rule_index

__all__ = ["Pathway", "Pathways", "pathways"]


class Pathway(CimoModel):
    """One chain of rules from a source to a target."""

    rules: tuple[str, ...]
    """The rules in order."""
    via: tuple[str, ...]
    """The items joining consecutive rules (one fewer than the rules)."""
    effect: Literal["then", "reduces", "otherwise"]
    """Whether the last rule produces (``then``), reduces the target, or produces it
    when its mechanisms do not fire (``otherwise``)."""
    outcome: str | None = None
    """The variant of the target the last rule bears on, when it is not the target itself."""

    def __str__(self) -> str:
        parts = [f"[{self.rules[0]}]"]
        for item, rule in zip(self.via, self.rules[1:], strict=True):
            parts += [name(item), f"[{rule}]"]
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
    set_aside: tuple[str, ...] = ()
    """Refuted rules on the way (naming the source, an item on a pathway, or the
    target) that were left out."""

    def _lines(self) -> tuple[str, list[str]]:
        lines = [
            f"{name(self.source)} -> {p} -> {name(p.outcome or self.target)}"
            + (f" (as a variant of {name(self.target)})" if p.outcome else "")
            + (f" ({p.effect})" if p.effect != "then" else "")
            for p in self.paths
        ] or ["no pathway"]
        if self.note:
            lines.append(f"(cut short: {self.note})")
        lines += set_aside_lines(self.set_aside)
        return f"Pathways from {name(self.source)} to {name(self.target)}", lines


def _upstream(idx: RuleIndex, targets: tuple[str, ...], within: set[int]) -> set[int]:
    """Rules among ``within`` from which some chain reaches one of ``targets`` (a backward pass).

    ``within`` holds every rule such a chain from a rule of ``within`` goes
    through (see :func:`_onward`), so only its rules are looked at.
    """
    rules = idx.rules

    def makers(item: str) -> list[int]:
        out: list[int] = []
        stack, seen = [item], {item}
        while stack:  # through the contexts and outcomes that feed the item
            found, feeders = idx.makers(stack.pop())
            out += [p for p, _ in found if p in within]
            stack += [f for f in feeders if f not in seen]
            seen.update(feeders)
        return out

    starts = [
        p
        for t in targets
        for table in (idx.producers, idx.reducers, idx.fallbacks)
        for p in table.get(t, ())
        if p in within
    ]
    found, _ = walk(starts, lambda pos: needs(rules[pos]), makers)
    return {p for p in found if idx.fires[p]}


def _onward(idx: RuleIndex, starts: Iterable[int]) -> set[int]:
    """Every rule a chain from ``starts`` may go on to (one forward pass, generous).

    A rule goes on to the rules waiting on (IF, WITHIN, any-of, ``requires``)
    what it or its mechanisms make hold or feed, through whatever those feed
    in turn; rules whose context is unknown count too. This takes in every
    step :func:`_upstream` takes backwards, and every step of a pathway, so
    the rules a pathway from ``starts`` can reach the target through are
    found without walking the whole theory upstream of the target.
    """
    rules, feeds_to, needing = idx.rules, idx.feeds_to, idx.needing
    late: dict[str, list[int]] = {}  # rules that never fire, by what they wait on
    for p in idx.unknown:
        for item in needs(rules[p]):
            late.setdefault(item, []).append(p)
    # Not :func:`walk`: an item leads on to the items it feeds as well as to
    # rules, and this loop (the whole cost of a pathway search from a source
    # that reaches little) costs a third less without the calls per step.
    reached: set[int] = set()
    items: set[str] = set()
    stack = list(starts)
    while stack:
        pos = stack.pop()
        if pos in reached:
            continue
        reached.add(pos)
        rule = rules[pos]
        made = [*rule.outcomes, *rule.otherwise, *feeds_to.get(rule.id, ())]
        for m in rule.mechanisms:
            made += feeds_to.get(m, ())
        while made:
            item = made.pop()
            if item not in items:
                items.add(item)
                made += feeds_to.get(item, ())
                stack += needing.get(item, ())
                stack += late.get(item, ())
    return reached


def _outputs(idx: RuleIndex, pos: int) -> list[str]:
    """What a rule can make hold: THEN and OTHERWISE, and what it or its mechanisms feed."""
    rule = idx.rules[pos]
    out = [*rule.outcomes, *rule.otherwise, *idx.feeds_to.get(rule.id, ())]
    out += [t for m in rule.mechanisms for t in idx.feeds_to.get(m, ())]
    return [o for o in dict.fromkeys(out) if idx.kinds.get(o) in ("context", "outcome")]


def _bears(rule: Rule, targets: tuple[str, ...]) -> tuple[str, str] | None:
    """How a rule bears on the first target it names: (effect, target), or None."""
    for t in targets:
        for effect, items in (
            ("then", rule.outcomes),
            ("reduces", rule.reduces),
            ("otherwise", rule.otherwise),
        ):
            if t in items:
                return effect, t
    return None


def pathways(
    theory: Theory,
    source: str,
    target: str,
    *,
    max_length: int = 6,
    limit: int = 100,
    include_refuted: bool = False,
    stated_only: bool = False,
    labels: bool = False,
) -> Pathways:
    """The chains of rules from an intervention or context to an outcome.

    A pathway starts with a rule that has ``source`` in its WITH or waits on
    it (IF, WITHIN, an any-of group, a mechanism's ``requires``; also through
    what ``source`` feeds), goes on through rules that wait on an earlier
    rule's outcome (or on what it feeds, through ``links`` and ``feeds``
    relations), and ends with a rule whose THEN, REDUCES or OTHERWISE names
    ``target`` or one of its variants. Rules appear at most once in a
    pathway; rules with no context never fire and are not on any pathway;
    refuted rules are set aside unless ``include_refuted``. Only rules that
    can reach the target are explored: one forward pass finds what the source
    reaches, one backward pass within it what reaches the target.

    Args:
        theory: The theory.
        source: An intervention, context or outcome id.
        target: An outcome id.
        max_length: The most rules in one pathway.
        limit: The most pathways returned.
        include_refuted: Reason with refuted rules too.
        stated_only: Leave out ``feeds`` relations the source does not state.
        labels: Print node labels instead of ids (:meth:`Result.with_labels`).

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
    idx = rule_index(theory, include_refuted=include_refuted, stated_only=stated_only)
    rules = idx.rules
    targets = idx.with_variants(target)
    first = {
        *idx.using.get(source, ()),
        *(p for s in idx.feeds(source) for p in idx.needing.get(s, ())),
    }
    useful = _upstream(idx, targets, _onward(idx, first))
    starts = [p for p in sorted(first) if p in useful]
    seen: dict[str, None] = {source: None}
    found: list[Pathway] = []
    notes: list[str] = []
    budget = limit * STEPS_PER_RESULT

    def note(reason: str) -> None:
        if reason not in notes:
            notes.append(reason)

    def successors(path: tuple[int, ...]) -> list[tuple[str, int]]:
        out = []
        for o in _outputs(idx, path[-1]):
            for item in idx.feeds(o):
                seen[item] = None
                out += [(o, q) for q in idx.needing.get(item, ()) if q in useful and q not in path]
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
        bearing = _bears(rules[path[-1]], targets)
        if bearing is not None:
            effect, reached = bearing
            found.append(
                Pathway(
                    rules=tuple(rules[p].id for p in path),
                    via=via,
                    effect=effect,  # type: ignore[arg-type]
                    outcome=None if reached == target else reached,
                )
            )
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
    result = Pathways(
        source=source,
        target=target,
        max_length=max_length,
        paths=tuple(sorted(found, key=lambda p: len(p.rules))),
        truncated=bool(notes),
        note="; ".join(words[n] for n in notes) or None,
        set_aside=idx.set_aside(
            [
                *(p for item in seen for p in idx.refuted_naming.get(item, ())),
                *(p for t in targets for p in idx.refuted_producers.get(t, ())),
            ]
        ),
    )
    return labelled(result, theory, labels)
