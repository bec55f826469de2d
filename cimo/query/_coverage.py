"""What the interventions reach, and what the evidence says (incl. demi-regularities)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from cimo.model import CimoModel, Intensity, Theory
from cimo.query._base import Result, rule_index, walk
from cimo.taxonomy import lineage, resolve_taxonomy

__all__ = [
    "ComponentReach",
    "Coverage",
    "DemiRegularity",
    "EvidenceSummary",
    "InterventionReach",
    "MechanismEvidence",
    "RuleEvidence",
    "coverage",
    "evidence",
]


class InterventionReach(CimoModel):
    """The mechanisms an intervention activates (through the rules that name it in WITH)."""

    intervention: str
    rules: tuple[str, ...]
    mechanisms: tuple[str, ...]


class ComponentReach(CimoModel):
    """The mechanisms activated by the interventions that have one component aspect."""

    category: str
    aspect: str
    interventions: tuple[str, ...]
    mechanisms: tuple[str, ...]


class Coverage(Result):
    """Which mechanisms each intervention activates, and what nothing reaches."""

    interventions: tuple[InterventionReach, ...]
    components: tuple[ComponentReach, ...]
    """By component ``category/aspect`` (seed 000, Supplementary S3)."""
    taxonomy: str | None
    unused_taxa: tuple[str, ...]
    """Top-rank taxa of the taxonomy that no rule's mechanism rolls up to."""
    unreached_outcomes: tuple[str, ...]
    """Outcomes no chain of rules from any intervention can reach."""

    def _lines(self) -> tuple[str, list[str]]:
        lines = [
            f"{r.intervention} activates {', '.join(r.mechanisms) or 'no mechanism'}"
            for r in self.interventions
        ]
        lines += [
            f"component {c.category}/{c.aspect} activates {', '.join(c.mechanisms) or 'nothing'}"
            for c in self.components
        ]
        if self.taxonomy:
            unused = ", ".join(self.unused_taxa) or "none"
            lines.append(f"taxonomy {self.taxonomy}: mechanisms no rule uses: {unused}")
        lines.append(
            "outcomes no intervention reaches: " + (", ".join(self.unreached_outcomes) or "none")
        )
        return "Coverage", lines


def coverage(theory: Theory) -> Coverage:
    """Which mechanisms each intervention (and component) activates, and the gaps.

    An intervention activates the mechanisms of the rules naming it in WITH.
    An outcome is reached when some chain of rules starting at a rule with an
    intervention produces or reduces it (each rule's other IF items aside).
    Unused taxa are the top-rank entries of the theory's taxonomy that no
    mechanism used in a rule belongs to.

    >>> import cimo
    >>> from cimo.query import coverage
    >>> c = coverage(cimo.load_example("pwp-resilience"))
    >>> len(c.unreached_outcomes)  # no interventions in this grounded theory
    8
    """
    idx = rule_index(theory, include_refuted=True)  # as the rules are written, status aside
    rules = theory.rules
    reach = []
    for node in theory.interventions:
        used = idx.using.get(node.id, [])
        mechanisms = dict.fromkeys(m for p in used for m in rules[p].mechanisms)
        reach.append(
            InterventionReach(
                intervention=node.id,
                rules=tuple(rules[p].id for p in used),
                mechanisms=tuple(mechanisms),
            )
        )
    by_aspect: defaultdict[tuple[str, str], dict[str, None]] = defaultdict(dict)
    for node in theory.interventions:
        for comp in node.components:
            by_aspect[comp.category, comp.aspect][node.id] = None
    mech_of = {r.intervention: r.mechanisms for r in reach}
    components = tuple(
        ComponentReach(
            category=cat,
            aspect=aspect,
            interventions=tuple(ivs),
            mechanisms=tuple(dict.fromkeys(m for i in ivs for m in mech_of[i])),
        )
        for (cat, aspect), ivs in sorted(by_aspect.items())
    )
    taxonomy = resolve_taxonomy(theory)
    unused: tuple[str, ...] = ()
    if taxonomy is not None:
        used_mechs = {m for r in rules for m in r.mechanisms}
        top = taxonomy.ranks[0]
        hit: set[str] = set()
        for mech in theory.mechanisms:
            if mech.id in used_mechs and mech.taxon is not None and mech.taxon in taxonomy.by_id:
                hit.update(t.id for t in lineage(taxonomy, mech.taxon))
        unused = tuple(t.id for t in taxonomy.taxa if t.rank == top and t.id not in hit)
    _, reached = walk(
        [p for r in reach for p in idx.using.get(r.intervention, [])],
        lambda pos: rules[pos].outcomes + rules[pos].reduces,
        lambda o: (q for item in idx.feeds(o) for q in idx.waiting.get(item, ())),
    )
    return Coverage(
        interventions=tuple(reach),
        components=components,
        taxonomy=taxonomy.id if taxonomy else None,
        unused_taxa=unused,
        unreached_outcomes=tuple(o.id for o in theory.outcomes if o.id not in reached),
    )


_LEVELS: tuple[Intensity, ...] = ("low", "moderate", "high")


def _highest(values: Iterable[Intensity | None]) -> Intensity | None:
    """The highest intensity among ``values`` (None when none is given)."""
    given = [_LEVELS.index(v) for v in values if v is not None]
    return _LEVELS[max(given)] if given else None


class RuleEvidence(CimoModel):
    """The evidence of one rule, counted by stance."""

    rule: str
    supports: int
    refutes: int
    refines: int
    sources: tuple[str, ...]
    """The sources cited, in order of first citation."""
    supported_by: tuple[str, ...] = ()
    """The witnesses (``source`` or ``source/participant``) that support the rule."""
    refuted_by: tuple[str, ...] = ()
    """The witnesses that refute it."""
    refined_by: tuple[str, ...] = ()
    """The witnesses that refine it."""
    incidence: int | None
    """The sum of the incidences given (None when none is given)."""
    intensity: Intensity | None
    """The highest intensity given."""


class MechanismEvidence(CimoModel):
    """The evidence of every rule that works by one mechanism."""

    mechanism: str
    rules: tuple[str, ...]
    supports: int
    refutes: int
    refines: int
    sources: tuple[str, ...]
    incidence: int | None
    intensity: Intensity | None = None
    """The highest intensity given for any of its rules."""


class DemiRegularity(CimoModel):
    """A context-mechanism pair that recurs across witnesses (sources, or participants)."""

    context: str
    mechanism: str
    rules: tuple[str, ...]
    witnesses: tuple[str, ...]
    """Distinct witnesses: ``source`` or ``source/participant``."""

    def __str__(self) -> str:
        return (
            f"{self.context} + {self.mechanism}: {len(self.witnesses)} witnesses "
            f"({', '.join(self.witnesses)}) in {', '.join(self.rules)}"
        )


class EvidenceSummary(Result):
    """Evidence per rule and per mechanism, and the demi-regularities."""

    rules: tuple[RuleEvidence, ...]
    mechanisms: tuple[MechanismEvidence, ...]
    demi_regularities: tuple[DemiRegularity, ...]
    min_witnesses: int

    def _lines(self) -> tuple[str, list[str]]:
        lines = [
            f"{r.rule}: {r.supports} supporting, {r.refutes} refuting, {r.refines} refining"
            + (f"; sources {', '.join(r.sources)}" if r.sources else "")
            for r in self.rules
        ]
        lines += [f"demi-regularity {d}" for d in self.demi_regularities]
        return "Evidence", lines


def _witness(source: str | None, participant: str | None) -> str | None:
    if source is None:
        return participant
    return f"{source}/{participant}" if participant else source


def evidence(theory: Theory, *, min_witnesses: int = 2) -> EvidenceSummary:
    """Who supports, refutes or refines each rule and mechanism; recurring C-M pairs.

    A **demi-regularity** is a context-mechanism pair (an IF item and a BECAUSE
    mechanism of one rule) that at least ``min_witnesses`` distinct witnesses
    back, across all rules with that pair. A witness is a source, or a named
    participant within a source (``vivolo/Participant 2``); evidence that
    refutes a rule does not count.

    >>> import cimo
    >>> from cimo.query import evidence
    >>> e = evidence(cimo.load_example("pwp-resilience"), min_witnesses=5)
    >>> for d in e.demi_regularities:
    ...     print(d.context, d.mechanism, len(d.witnesses))
    work-related-adversity appraising-adversity 5
    """
    per_rule = []
    witnesses: defaultdict[tuple[str, str], dict[str, None]] = defaultdict(dict)
    pair_rules: defaultdict[tuple[str, str], dict[str, None]] = defaultdict(dict)
    by_mech: defaultdict[str, list[RuleEvidence]] = defaultdict(list)
    for rule in theory.rules:
        stances = [e.stance for e in rule.evidence]
        incidences = [e.incidence for e in rule.evidence if e.incidence is not None]
        by_stance: dict[str, dict[str, None]] = {"supports": {}, "refutes": {}, "refines": {}}
        for e in rule.evidence:
            if e.stance in by_stance and (w := _witness(e.source, e.participant)):
                by_stance[e.stance][w] = None
        row = RuleEvidence(
            rule=rule.id,
            supports=stances.count("supports"),
            refutes=stances.count("refutes"),
            refines=stances.count("refines"),
            sources=tuple(dict.fromkeys(e.source for e in rule.evidence if e.source)),
            supported_by=tuple(by_stance["supports"]),
            refuted_by=tuple(by_stance["refutes"]),
            refined_by=tuple(by_stance["refines"]),
            incidence=sum(incidences) if incidences else None,
            intensity=_highest(e.intensity for e in rule.evidence),
        )
        per_rule.append(row)
        for m in rule.mechanisms:
            by_mech[m].append(row)
        who = [
            w
            for e in rule.evidence
            if e.stance != "refutes" and (w := _witness(e.source, e.participant))
        ]
        for c in rule.contexts:
            for m in rule.mechanisms:
                witnesses[c, m].update(dict.fromkeys(who))
                pair_rules[c, m][rule.id] = None
    mechs = []
    for node in theory.mechanisms:
        rows = by_mech.get(node.id, [])
        incidences = [r.incidence for r in rows if r.incidence is not None]
        mechs.append(
            MechanismEvidence(
                mechanism=node.id,
                rules=tuple(r.rule for r in rows),
                supports=sum(r.supports for r in rows),
                refutes=sum(r.refutes for r in rows),
                refines=sum(r.refines for r in rows),
                sources=tuple(dict.fromkeys(s for r in rows for s in r.sources)),
                incidence=sum(incidences) if incidences else None,
                intensity=_highest(r.intensity for r in rows),
            )
        )
    demi = tuple(
        DemiRegularity(context=c, mechanism=m, rules=tuple(pair_rules[c, m]), witnesses=tuple(w))
        for (c, m), w in witnesses.items()
        if len(w) >= min_witnesses
    )
    return EvidenceSummary(
        rules=tuple(per_rule),
        mechanisms=tuple(mechs),
        demi_regularities=demi,
        min_witnesses=min_witnesses,
    )
