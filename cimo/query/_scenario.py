"""Forward reasoning: which rules fire in given circumstances, and what is lost without a part."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from typing import Literal

from pydantic import Field

from cimo.model import CimoModel, Rule, Theory
from cimo.query._base import Result, RuleIndex, check_ids, rule_index

__all__ = ["Blocked", "Counterfactual", "Derivation", "Scenario", "counterfactual", "scenario"]

_GIVEN = ("context", "outcome")
_REMOVABLE = ("context", "outcome", "intervention", "mechanism")


class Blocked(CimoModel):
    """A rule that was ready to fire but was switched off by UNLESS items that hold."""

    rule: str
    by: tuple[str, ...]
    """The UNLESS items of the rule that hold."""


class Derivation(CimoModel):
    """How one fired rule bears on one outcome: it produces (``then``) or reduces it."""

    outcome: str
    rule: str
    effect: Literal["then", "reduces"]
    from_: tuple[str, ...] = Field(alias="from")
    """The IF items and WITH interventions the rule used."""


class Scenario(Result):
    """What a theory expects in given circumstances, reasoned forward to a fixed point.

    The JSON form (``model_dump(mode="json")``) has the keys ``fired_rules``,
    ``blocked_rules``, ``mechanisms`` and ``outcomes`` (lists of ids), among others.
    """

    theory: str
    """The id of the theory."""
    contexts: tuple[str, ...]
    """The contexts (or outcomes) given as holding, sorted."""
    interventions: tuple[str, ...]
    """The interventions given as delivered, sorted."""
    without: tuple[str, ...]
    """The ids taken away, sorted."""
    fired_rules: tuple[str, ...]
    """The rules that fired, in firing order."""
    blocked_rules: tuple[str, ...]
    """Rules whose IF items held and interventions were delivered, but an UNLESS item held."""
    blockers: tuple[Blocked, ...]
    """What blocked each blocked rule."""
    withheld_rules: tuple[str, ...] = ()
    """Rules that were ready to fire but lost their mechanisms to ``without``."""
    mechanisms: tuple[str, ...]
    """The mechanisms activated by the fired rules, sorted."""
    outcomes: tuple[str, ...]
    """The outcomes expected (THEN of the fired rules), sorted."""
    reduced: tuple[str, ...]
    """The outcomes made less likely (REDUCES of the fired rules), sorted."""
    holding: tuple[str, ...]
    """Every context and outcome that holds at the fixed point, given or derived, sorted."""
    derivations: tuple[Derivation, ...]
    """One entry per (outcome, fired rule), in firing order."""

    def _lines(self) -> tuple[str, list[str]]:
        given = ", ".join(self.contexts) or "nothing"
        doing = ", ".join(self.interventions) or "no intervention"
        head = f"Scenario of {self.theory}: given {given}; with {doing}"
        if self.without:
            head += f"; without {', '.join(self.without)}"
        lines = [f"fired: {', '.join(self.fired_rules) or 'none'}"]
        lines += [f"blocked: {b.rule} (by {', '.join(b.by)})" for b in self.blockers]
        if self.withheld_rules:
            lines.append(f"withheld (mechanisms removed): {', '.join(self.withheld_rules)}")
        lines.append(f"mechanisms: {', '.join(self.mechanisms) or 'none'}")
        lines.append(f"outcomes: {', '.join(self.outcomes) or 'none'}")
        if self.reduced:
            lines.append(f"reduced: {', '.join(self.reduced)}")
        return head, lines

    def derivation_of(self, outcome: str) -> tuple[Derivation, ...]:
        """The derivations of one outcome (empty if it is not expected or reduced)."""
        return tuple(d for d in self.derivations if d.outcome == outcome)


def _mechanisms_left(rule: Rule, removed: set[str]) -> tuple[str, ...] | None:
    """The mechanisms a rule activates, or None when ``without`` leaves it none to work by."""
    if not rule.mechanisms or not removed:
        return rule.mechanisms
    left = tuple(m for m in rule.mechanisms if m not in removed)
    if rule.mechanism_mode != "alternatives":  # together, or unstated (reasoned as together)
        return left if len(left) == len(rule.mechanisms) else None
    return left or None


class _Run:
    """One forward pass. Each rule is looked at when one of its IF items comes to hold."""

    def __init__(self, idx: RuleIndex, delivered: set[str], removed: set[str]) -> None:
        self.idx = idx
        self.rules = idx.rules
        self.delivered = delivered
        self.removed = removed
        self.held: dict[str, None] = {}
        self.items: deque[str] = deque()
        self.missing: dict[int, int] = {}
        self.fired: list[int] = []
        self.done: set[int] = set()
        self.blocked: list[tuple[int, tuple[str, ...]]] = []
        self.withheld: list[int] = []
        self.pending: list[int] = []
        self.mechanisms: dict[str, None] = {}

    def hold(self, item: str) -> None:
        if item in self.held or item in self.removed:
            return
        self.held[item] = None
        self.items.append(item)
        for context in self.idx.linked.get(item, ()):
            self.hold(context)

    def ready(self, pos: int) -> bool:
        """All IF items hold; are the WITH interventions delivered too?"""
        return all(i in self.delivered for i in self.rules[pos].interventions)

    def can_fire(self, pos: int) -> bool:
        """Delivered and left its mechanisms (UNLESS aside)."""
        return self.ready(pos) and _mechanisms_left(self.rules[pos], self.removed) is not None

    def consider(self, pos: int) -> None:
        if pos in self.done or not self.ready(pos):
            return
        rule = self.rules[pos]
        held = self.held
        by = tuple(u for u in rule.unless if u in held)
        if by:
            self.done.add(pos)
            self.blocked.append((pos, by))
        elif any(self.idx.derivable(u) and u not in self.removed for u in rule.unless):
            self.pending.append(pos)  # decided once its UNLESS items are settled
        else:
            self.fire(pos)

    def fire(self, pos: int) -> None:
        self.done.add(pos)
        rule = self.rules[pos]
        mechanisms = _mechanisms_left(rule, self.removed)
        if mechanisms is None:
            self.withheld.append(pos)
            return
        self.fired.append(pos)
        self.mechanisms.update(dict.fromkeys(mechanisms))
        for outcome in rule.outcomes:
            self.hold(outcome)

    def drain(self) -> None:
        waiting, rules, missing = self.idx.waiting, self.rules, self.missing
        while self.items:
            item = self.items.popleft()
            for pos in waiting.get(item, ()):
                left = missing.get(pos)
                if left is None:
                    left = len(rules[pos].contexts)
                left -= 1
                missing[pos] = left
                if left == 0:
                    self.consider(pos)

    def could_hold(self, seeds: list[int]) -> set[str]:
        """What could still come to hold if the ``seeds`` rules fired, UNLESS ignored.

        An upper bound of what lies ahead: the seeds' outcomes and everything
        the rules they enable could produce in turn.
        """
        idx, rules, held = self.idx, self.rules, self.held
        extra: dict[int, int] = {}
        out: set[str] = set()
        stack = [o for pos in seeds if self.can_fire(pos) for o in rules[pos].outcomes]
        while stack:
            item = stack.pop()
            if item in held or item in out or item in self.removed:
                continue
            out.add(item)
            stack.extend(idx.linked.get(item, ()))
            for pos in idx.waiting.get(item, ()):
                if pos in self.done:
                    continue
                left = extra.get(pos, self.missing.get(pos, len(rules[pos].contexts))) - 1
                extra[pos] = left
                if left == 0 and self.can_fire(pos):
                    stack.extend(rules[pos].outcomes)
        return out

    def settle(self) -> None:
        """Decide the waiting rules whose UNLESS items other rules could still derive.

        A rule is decided once nothing that could still happen can make its
        UNLESS items hold; when rules block each other in a loop, the first
        one found fires (deterministic: input order, then file order).
        """
        while True:
            self.drain()
            pending = [p for p in self.pending if p not in self.done]
            self.pending = []
            if not pending:
                return
            undecided = []
            for pos in pending:
                by = tuple(u for u in self.rules[pos].unless if u in self.held)
                if by:
                    self.done.add(pos)
                    self.blocked.append((pos, by))
                else:
                    undecided.append(pos)
            if not undecided:
                continue
            ahead = self.could_hold(undecided)
            safe = [p for p in undecided if not any(u in ahead for u in self.rules[p].unless)]
            for pos in safe or undecided[:1]:
                self.fire(pos)
            self.pending = [p for p in undecided if p not in self.done]


def _reason(
    theory: Theory,
    given: tuple[str, ...],
    interventions: tuple[str, ...],
    without: tuple[str, ...],
) -> Scenario:
    idx = rule_index(theory)
    removed = set(without)
    run = _Run(idx, set(interventions) - removed, removed)
    for item in given:
        run.hold(item)
    for pos in idx.vacuous:
        run.consider(pos)
    run.settle()
    rules = theory.rules
    derivations = []
    outcomes: set[str] = set()
    reduced: set[str] = set()
    for pos in run.fired:
        rule = rules[pos]
        used = rule.contexts + rule.interventions
        # Values come from a validated theory: construct without re-validating.
        derivations += [
            Derivation.model_construct(outcome=o, rule=rule.id, effect="then", from_=used)
            for o in rule.outcomes
        ]
        derivations += [
            Derivation.model_construct(outcome=o, rule=rule.id, effect="reduces", from_=used)
            for o in rule.reduces
        ]
        outcomes.update(rule.outcomes)
        reduced.update(rule.reduces)
    return Scenario(
        theory=theory.id,
        contexts=given,
        interventions=interventions,
        without=without,
        fired_rules=tuple(rules[p].id for p in run.fired),
        blocked_rules=tuple(rules[p].id for p, _ in run.blocked),
        blockers=tuple(Blocked.model_construct(rule=rules[p].id, by=by) for p, by in run.blocked),
        withheld_rules=tuple(rules[p].id for p in run.withheld),
        mechanisms=tuple(sorted(run.mechanisms)),
        outcomes=tuple(sorted(outcomes)),
        reduced=tuple(sorted(reduced)),
        holding=tuple(sorted(run.held)),
        derivations=tuple(derivations),
    )


def scenario(
    theory: Theory,
    *,
    contexts: Iterable[str] = (),
    interventions: Iterable[str] = (),
    without: Iterable[str] = (),
) -> Scenario:
    """Reason forward from given circumstances to everything the theory then expects.

    A rule **fires** when all its IF items hold, all its WITH interventions are
    delivered, none of its UNLESS items holds, and ``without`` leaves it its
    mechanisms (all of them for ``mechanism_mode="together"``, at least one for
    ``"alternatives"``). The outcomes of a fired rule then hold, and so do the
    contexts they are linked to, which may fire chained rules. A rule with no
    IF items is enabled whatever holds. Reasoning stops at a fixed point, so
    loops end; the result is the same for the same inputs.

    An UNLESS item that another rule could still derive is waited for: the
    rule is decided once nothing left to happen could make that item hold.
    When rules block one another in a loop, the first one found fires.

    Each rule is looked at when one of its IF items comes to hold (rules are
    indexed by the items they wait on), so the cost grows with the part of the
    theory the circumstances reach, never with steps times rules.

    Args:
        theory: The theory.
        contexts: The contexts that hold (outcomes known to hold may be given too).
        interventions: The interventions delivered.
        without: Ids taken away: interventions not delivered, contexts or
            outcomes that never hold, mechanisms that do not work.

    Returns:
        The fired and blocked rules, activated mechanisms, expected and reduced
        outcomes, everything that holds, and a derivation for each outcome.

    Raises:
        UnknownIdError: if an id is not in the theory or is of the wrong kind
            (with the closest ids of the right kind as suggestions).

    >>> import cimo
    >>> from cimo.query import scenario
    >>> pwp = cimo.load_example("pwp-resilience")
    >>> s = scenario(pwp, contexts=["high-clinical-volume", "no-time-to-reflect"])
    >>> s.fired_rules[:3]
    ('no-reflection', 'core-individual', 'self-care')
    >>> "resilience" in s.outcomes
    True
    >>> scenario(pwp, contexts=["high-clinical-volume", "no-time-to-reflect",
    ...                         "limited-supervision"]).blocked_rules
    ('burnout',)
    """
    return _reason(
        theory,
        check_ids(theory, contexts, _GIVEN),
        check_ids(theory, interventions, ("intervention",)),
        check_ids(theory, without, _REMOVABLE, what="context, outcome, intervention or mechanism"),
    )


class Counterfactual(Result):
    """What changes when parts are taken away from a scenario: what is lost and gained."""

    base: Scenario
    """The scenario as given."""
    alternative: Scenario
    """The same scenario with the extra ``without`` ids taken away."""
    removed: tuple[str, ...]
    """The ids taken away on top of the base scenario's ``without``."""
    lost_rules: tuple[str, ...]
    """Rules that fire in the base scenario but not without the removed ids."""
    gained_rules: tuple[str, ...]
    """Rules that fire only without the removed ids."""
    lost_mechanisms: tuple[str, ...]
    gained_mechanisms: tuple[str, ...]
    lost_outcomes: tuple[str, ...]
    """Expected outcomes that would not happen without the removed ids."""
    gained_outcomes: tuple[str, ...]
    lost_reduced: tuple[str, ...]
    gained_reduced: tuple[str, ...]

    def _lines(self) -> tuple[str, list[str]]:
        head = f"Without {', '.join(self.removed)}"
        lines = []
        for word, pairs in (
            ("rules", (self.lost_rules, self.gained_rules)),
            ("mechanisms", (self.lost_mechanisms, self.gained_mechanisms)),
            ("outcomes", (self.lost_outcomes, self.gained_outcomes)),
            ("reduced outcomes", (self.lost_reduced, self.gained_reduced)),
        ):
            lost, gained = pairs
            if lost:
                lines.append(f"lost {word}: {', '.join(lost)}")
            if gained:
                lines.append(f"gained {word}: {', '.join(gained)}")
        return head, lines or ["nothing changes"]


def _minus(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[str, ...]:
    gone = set(b)
    return tuple(x for x in a if x not in gone)


def counterfactual(theory: Theory, base: Scenario, *, without: Iterable[str]) -> Counterfactual:
    """What would be lost (and gained) if an intervention, context or mechanism were taken away.

    The retroductive question of realist evaluation: "what wouldn't happen if
    the intervention didn't work?". The answer is the difference between the
    ``base`` scenario and the same scenario with ``without`` taken away too.

    Args:
        theory: The theory the scenario was reasoned on.
        base: A scenario of that theory (from :func:`scenario`).
        without: The ids to take away (interventions, contexts, outcomes, mechanisms).

    Returns:
        The lost and gained rules, mechanisms and outcomes, with both scenarios.

    Raises:
        UnknownIdError: if an id is not in the theory or is of the wrong kind.

    >>> import cimo
    >>> from cimo.query import counterfactual, scenario
    >>> wfg = cimo.load_example("work-focused-group-cbt")
    >>> s = scenario(wfg, contexts=["therapists-encourage-participation"])
    >>> print(counterfactual(wfg, s, without=["cbt-skills"]))
    Without cbt-skills
      lost rules: table-2-example-2, work-supports-recovery
      lost mechanisms: cbt-skills
      lost outcomes: clinical-status, work-status
      lost reduced outcomes: emotional-distress
    """
    removed = check_ids(
        theory, without, _REMOVABLE, what="context, outcome, intervention or mechanism"
    )
    alternative = _reason(
        theory,
        base.contexts,
        base.interventions,
        tuple(sorted(set(base.without) | set(removed))),
    )
    return Counterfactual(
        base=base,
        alternative=alternative,
        removed=removed,
        lost_rules=_minus(base.fired_rules, alternative.fired_rules),
        gained_rules=_minus(alternative.fired_rules, base.fired_rules),
        lost_mechanisms=_minus(base.mechanisms, alternative.mechanisms),
        gained_mechanisms=_minus(alternative.mechanisms, base.mechanisms),
        lost_outcomes=_minus(base.outcomes, alternative.outcomes),
        gained_outcomes=_minus(alternative.outcomes, base.outcomes),
        lost_reduced=_minus(base.reduced, alternative.reduced),
        gained_reduced=_minus(alternative.reduced, base.reduced),
    )
