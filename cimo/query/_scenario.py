"""Forward reasoning: which rules fire in given circumstances, and what is lost without a part."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from pydantic import Field

from cimo._util import paused_gc
from cimo.model import CimoModel, Theory
from cimo.query._base import Result, check_ids, labelled, name, names, set_aside_lines
from cimo.query._engine import Run
from cimo.query._index import has_context_condition, rule_index

__all__ = [
    "Blocked",
    "Counterfactual",
    "Derivation",
    "Qualified",
    "Scenario",
    "counterfactual",
    "scenario",
]

_GIVEN = ("context", "outcome")
_REMOVABLE = ("context", "outcome", "intervention", "mechanism")


class Blocked(CimoModel):
    """A rule whose conditions held but that was switched off by UNLESS items that hold."""

    rule: str
    by: tuple[str, ...]
    """The UNLESS items of the rule that hold."""


class Qualified(CimoModel):
    """A fired rule's moderators and concessive contexts that held (they never change firing)."""

    rule: str
    moderated_by: tuple[str, ...] = ()
    """MODERATED BY items that hold: they change how strongly the mechanisms fire."""
    despite: tuple[str, ...] = ()
    """DESPITE items that hold: the outcome follows although they hold."""

    def __str__(self) -> str:
        parts = []
        if self.moderated_by:
            parts.append(f"moderated by {names(self.moderated_by)}")
        if self.despite:
            parts.append(f"despite {names(self.despite)}")
        return f"{self.rule} {'; '.join(parts)}"


class Derivation(CimoModel):
    """How one rule bears on one outcome: ``then``, ``reduces`` or ``otherwise``.

    ``otherwise``: the outcome follows because the rule's mechanisms did not fire.
    """

    outcome: str
    rule: str
    effect: Literal["then", "reduces", "otherwise"]
    from_: tuple[str, ...] = Field(alias="from")
    """The conditions the rule used: IF, WITHIN and any-of items that held, WITH
    interventions, and the ``requires`` of the mechanisms that fired."""
    because: tuple[str, ...] = ()
    """The mechanisms that fired (empty for ``otherwise``)."""


class Scenario(Result):
    """What a theory expects in given circumstances, reasoned forward to a fixed point.

    The JSON form (``model_dump(mode="json")``) has the keys ``fired_rules``,
    ``blocked_rules``, ``mechanisms``, ``outcomes`` and ``set_aside`` (lists of
    ids), among others.
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
    """Rules whose conditions held, but an UNLESS item held too."""
    blockers: tuple[Blocked, ...]
    """What blocked each blocked rule."""
    withheld_rules: tuple[str, ...] = ()
    """Rules whose conditions held but whose mechanisms did not fire (taken away by
    ``without``, or their ``requires`` did not hold): their OTHERWISE outcomes follow."""
    mechanisms: tuple[str, ...]
    """The mechanisms activated (by the fired rules, or through ``feeds``), sorted."""
    outcomes: tuple[str, ...]
    """The outcomes expected (THEN of the fired rules, OTHERWISE of the withheld), sorted."""
    reduced: tuple[str, ...]
    """The outcomes made less likely (REDUCES of the fired rules), sorted."""
    holding: tuple[str, ...]
    """Every context and outcome that holds at the fixed point, given or derived, sorted."""
    derivations: tuple[Derivation, ...]
    """One entry per (outcome, rule), in firing order."""
    qualified: tuple[Qualified, ...] = ()
    """Fired rules whose MODERATED BY or DESPITE items hold."""
    set_aside: tuple[str, ...] = ()
    """Refuted rules left out whose conditions held (``include_refuted=True`` reasons with them)."""
    include_refuted: bool = False
    stated_only: bool = False

    def _lines(self) -> tuple[str, list[str]]:
        given = names(self.contexts) or "nothing"
        doing = names(self.interventions) or "no intervention"
        head = f"Scenario of {self.theory}: given {given}; with {doing}"
        if self.without:
            head += f"; without {names(self.without)}"
        lines = [f"fired: {', '.join(self.fired_rules) or 'none'}"]
        lines += [f"blocked: {b.rule} (by {names(b.by)})" for b in self.blockers]
        if self.withheld_rules:
            lines.append(f"mechanisms did not fire: {', '.join(self.withheld_rules)}")
        lines += [str(q) for q in self.qualified]
        lines.append(f"mechanisms: {names(self.mechanisms) or 'none'}")
        lines.append(f"outcomes: {names(self.outcomes) or 'none'}")
        otherwise = [d for d in self.derivations if d.effect == "otherwise"]
        lines += [
            f"otherwise: {name(d.outcome)} ({d.rule}: mechanisms did not fire)" for d in otherwise
        ]
        if self.reduced:
            lines.append(f"reduced: {names(self.reduced)}")
        lines += set_aside_lines(self.set_aside)
        return head, lines

    def derivation_of(self, outcome: str) -> tuple[Derivation, ...]:
        """The derivations of one outcome (empty if it is not expected or reduced)."""
        return tuple(d for d in self.derivations if d.outcome == outcome)


def _derivations(run: Run, pos: int, effect: str) -> list[Derivation]:
    idx, rule = run.idx, run.rules[pos]
    held = run.held
    used = [*idx.required[pos]]
    for group in rule.context_groups:
        used += [c for c in group if c in held]
    used += rule.interventions
    if effect == "fallen":
        used_t = tuple(dict.fromkeys(used))
        # Values come from a validated theory: construct without re-validating.
        return [
            Derivation.model_construct(outcome=o, rule=rule.id, effect="otherwise", from_=used_t)
            for o in rule.otherwise
        ]
    mechs = [idx.mechs[pos][k] for k in sorted(run.fired_mechs.get(pos, ()))]
    used += [r for m in mechs for r in m.requires]
    because = tuple(m.id for m in mechs)
    used_t = tuple(dict.fromkeys(used))
    tied = {o for m in mechs for o in m.then}
    out = []
    slots: tuple[tuple[Literal["then", "reduces"], tuple[str, ...], tuple[str, ...]], ...] = (
        ("then", rule.outcomes, idx.free_then[pos]),
        ("reduces", rule.reduces, idx.free_reduces[pos]),
    )
    for effect_name, items, free in slots:
        out += [
            Derivation.model_construct(
                outcome=o, rule=rule.id, effect=effect_name, from_=used_t, because=because
            )
            for o in items
            if o in free or o in tied
        ]
    return out


def _set_aside(run: Run) -> tuple[str, ...]:
    """The refuted rules whose conditions hold at the fixed point (UNLESS and mechanisms aside)."""
    idx, held = run.idx, run.held
    out = []
    for pos in idx.refuted:
        rule = idx.rules[pos]
        if (
            has_context_condition(rule)
            and all(c in held for c in idx.required[pos])
            and all(any(c in held for c in g) for g in rule.context_groups)
            and all(i in run.delivered for i in rule.interventions)
        ):
            out.append(rule.id)
    return tuple(out)


def _reason(
    theory: Theory,
    given: tuple[str, ...],
    interventions: tuple[str, ...],
    without: tuple[str, ...],
    *,
    include_refuted: bool,
    stated_only: bool,
) -> Scenario:
    idx = rule_index(theory, include_refuted=include_refuted, stated_only=stated_only)
    removed = set(without)
    run = Run(idx, set(interventions) - removed, removed)
    with paused_gc():  # many small records, no cycles
        run.start(given)
        return _result(theory, run, given, interventions, without)


def _result(
    theory: Theory,
    run: Run,
    given: tuple[str, ...],
    interventions: tuple[str, ...],
    without: tuple[str, ...],
) -> Scenario:
    idx = run.idx
    rules = theory.rules
    derivations: list[Derivation] = []
    for pos, what in run.events:
        derivations += _derivations(run, pos, what)
    qualified = []
    for pos, what in run.events:
        rule = rules[pos]
        if what == "fired" and (rule.moderators or rule.despite):
            mod = tuple(c for c in rule.moderators if c in run.held)
            despite = tuple(c for c in rule.despite if c in run.held)
            if mod or despite:
                qualified.append(Qualified(rule=rule.id, moderated_by=mod, despite=despite))
    return Scenario(
        theory=theory.id,
        contexts=given,
        interventions=interventions,
        without=without,
        fired_rules=tuple(rules[p].id for p, what in run.events if what == "fired"),
        blocked_rules=tuple(rules[p].id for p, _ in run.blocked),
        blockers=tuple(Blocked.model_construct(rule=rules[p].id, by=by) for p, by in run.blocked),
        withheld_rules=tuple(rules[p].id for p, what in run.events if what == "fallen"),
        mechanisms=tuple(sorted(run.activated)),
        outcomes=tuple(sorted({d.outcome for d in derivations if d.effect != "reduces"})),
        reduced=tuple(sorted({d.outcome for d in derivations if d.effect == "reduces"})),
        holding=tuple(sorted(run.held)),
        derivations=tuple(derivations),
        qualified=tuple(qualified),
        set_aside=_set_aside(run),
        include_refuted=idx.include_refuted,
        stated_only=idx.stated_only,
    )


def scenario(
    theory: Theory,
    *,
    contexts: Iterable[str] = (),
    interventions: Iterable[str] = (),
    without: Iterable[str] = (),
    include_refuted: bool = False,
    stated_only: bool = False,
    labels: bool = False,
) -> Scenario:
    """Reason forward from given circumstances to everything the theory then expects.

    A rule's **conditions hold** when it states a context condition (``if``,
    ``if_any``, ``within``, or ``if: any``), every IF context and WITHIN
    modifier holds, each any-of group has a member that holds, and every WITH
    intervention is delivered. A rule with no context (left out, or declared
    ``missing: [context]``) never fires: its source does not say when it holds.
    If an UNLESS item holds the rule is **blocked**. Otherwise it **fires**
    when its mechanisms do (``together``/``unstated``: all of them;
    ``alternatives``: at least one), a mechanism firing unless taken away by
    ``without`` or while its own ``requires`` do not all hold. A fired rule's
    THEN outcomes hold (an outcome tied to one mechanism only when that
    mechanism fired), and so does whatever they feed (``links``, and
    ``feeds`` relations). When the conditions hold but the mechanisms never
    fire, the rule's OTHERWISE outcomes hold instead. MODERATED BY and DESPITE
    never change firing; the result reports which held (:attr:`Scenario.qualified`).

    Refuted rules are set aside (``include_refuted=True`` reasons with them);
    the result names those whose conditions held (:attr:`Scenario.set_aside`).

    An UNLESS item (or a mechanism's ``requires``) that reasoning could still
    make hold is waited for: the rule is decided once nothing left to happen
    could make it hold. When rules block one another in a loop, the first one
    found goes first. Reasoning stops at a fixed point, so loops end; the
    result is the same for the same inputs.

    Each rule is looked at when one of the items it waits on comes to hold
    (rules are indexed by the items they wait on), so the cost grows with the
    part of the theory the circumstances reach, never with steps times rules.

    Args:
        theory: The theory.
        contexts: The contexts that hold (outcomes known to hold may be given too).
        interventions: The interventions delivered.
        without: Ids taken away: interventions not delivered, contexts or
            outcomes that never hold, mechanisms that do not work.
        include_refuted: Reason with refuted rules too.
        stated_only: Leave out ``feeds`` relations the source does not state.
        labels: Print node labels instead of ids (:meth:`Result.with_labels`).

    Returns:
        The fired, blocked and withheld rules, activated mechanisms, expected
        and reduced outcomes, everything that holds, a derivation for each
        outcome, and the refuted rules set aside.

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
    result = _reason(
        theory,
        check_ids(theory, contexts, _GIVEN, redirect=True),
        check_ids(theory, interventions, ("intervention",), redirect=True),
        check_ids(theory, without, _REMOVABLE, what="context, outcome, intervention or mechanism"),
        include_refuted=include_refuted,
        stated_only=stated_only,
    )
    return labelled(result, theory, labels)


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
    gained_otherwise: tuple[str, ...] = ()
    """Gained outcomes that follow because mechanisms no longer fire (OTHERWISE)."""
    set_aside: tuple[str, ...] = ()
    """Refuted rules left out of either scenario whose conditions held."""

    def _lines(self) -> tuple[str, list[str]]:
        head = f"Without {names(self.removed)}"
        lines: list[str] = []
        for word, pairs in (
            ("rules", (self.lost_rules, self.gained_rules)),
            ("mechanisms", (self.lost_mechanisms, self.gained_mechanisms)),
            ("outcomes", (self.lost_outcomes, self.gained_outcomes)),
            ("reduced outcomes", (self.lost_reduced, self.gained_reduced)),
        ):
            lost, gained = pairs
            if lost:
                lines.append(f"lost {word}: {names(lost)}")
            if gained:
                lines.append(f"gained {word}: {names(gained)}")
        if self.gained_otherwise:
            lines.append(
                "of which otherwise (mechanisms no longer fire): " + names(self.gained_otherwise)
            )
        return head, (lines or ["nothing changes"]) + set_aside_lines(self.set_aside)


def _minus(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[str, ...]:
    gone = set(b)
    return tuple(x for x in a if x not in gone)


def counterfactual(
    theory: Theory, base: Scenario, *, without: Iterable[str], labels: bool = False
) -> Counterfactual:
    """What would be lost (and gained) if an intervention, context or mechanism were taken away.

    The retroductive question of realist evaluation: "what wouldn't happen if
    the intervention didn't work?". The answer is the difference between the
    ``base`` scenario and the same scenario with ``without`` taken away too
    (reasoned the same way: with or without refuted rules, all relations or the
    stated ones, as ``base`` was). Outcomes a rule expects when its mechanisms
    do not fire (its OTHERWISE) are gained when the mechanisms are taken away,
    and listed in :attr:`Counterfactual.gained_otherwise` too.

    Args:
        theory: The theory the scenario was reasoned on.
        base: A scenario of that theory (from :func:`scenario`).
        without: The ids to take away (interventions, contexts, outcomes, mechanisms).
        labels: Print node labels instead of ids (:meth:`Result.with_labels`).

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
        include_refuted=base.include_refuted,
        stated_only=base.stated_only,
    )
    gained_outcomes = _minus(alternative.outcomes, base.outcomes)
    otherwise = {d.outcome for d in alternative.derivations if d.effect == "otherwise"}
    result = Counterfactual(
        base=base,
        alternative=alternative,
        removed=removed,
        lost_rules=_minus(base.fired_rules, alternative.fired_rules),
        gained_rules=_minus(alternative.fired_rules, base.fired_rules),
        lost_mechanisms=_minus(base.mechanisms, alternative.mechanisms),
        gained_mechanisms=_minus(alternative.mechanisms, base.mechanisms),
        lost_outcomes=_minus(base.outcomes, alternative.outcomes),
        gained_outcomes=gained_outcomes,
        lost_reduced=_minus(base.reduced, alternative.reduced),
        gained_reduced=_minus(alternative.reduced, base.reduced),
        gained_otherwise=tuple(o for o in gained_outcomes if o in otherwise),
        set_aside=tuple(dict.fromkeys((*base.set_aside, *alternative.set_aside))),
    )
    return labelled(result, theory, labels)
