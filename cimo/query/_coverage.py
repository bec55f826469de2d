"""What the interventions reach, and what the evidence says (incl. demi-regularities)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable

from cimo._util import plural, suggest
from cimo.core.index import index_of
from cimo.errors import UnknownIdError
from cimo.model import CimoModel, Evidence, Intensity, Rule, Theory
from cimo.query._base import Result, labelled, name, names, rule_index, walk
from cimo.taxonomy import lineage, resolve_taxonomy

__all__ = [
    "ComponentReach",
    "Coverage",
    "DemiRegularity",
    "EvidenceSummary",
    "GroupEvidence",
    "InterventionReach",
    "MechanismEvidence",
    "RuleEvidence",
    "coverage",
    "evidence",
    "group_by",
    "group_order",
    "groups_of",
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
            f"{name(r.intervention)} activates {names(r.mechanisms) or 'no mechanism'}"
            for r in self.interventions
        ]
        lines += [
            f"component {c.category}/{c.aspect} activates {names(c.mechanisms) or 'nothing'}"
            for c in self.components
        ]
        if self.taxonomy and self.unused_taxa:
            unused = names(self.unused_taxa)
            lines.append(f"taxonomy {self.taxonomy}: mechanisms no rule uses: {unused}")
        elif self.taxonomy:
            lines.append(f"taxonomy {self.taxonomy}: every mechanism is used by some rule")
        if self.unreached_outcomes:
            lines.append("outcomes no intervention reaches: " + names(self.unreached_outcomes))
        else:
            lines.append("every outcome is reached from some intervention")
        return "Coverage", lines


def coverage(theory: Theory, *, labels: bool = False) -> Coverage:
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
    11
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
    result = Coverage(
        interventions=tuple(reach),
        components=components,
        taxonomy=taxonomy.id if taxonomy else None,
        unused_taxa=unused,
        unreached_outcomes=tuple(o.id for o in theory.outcomes if o.id not in reached),
    )
    return labelled(result, theory, labels)


_LEVELS: tuple[Intensity, ...] = ("low", "moderate", "high")


def _highest(values: Iterable[Intensity | None]) -> Intensity | None:
    """The highest intensity among ``values`` (None when none is given)."""
    given = [_LEVELS.index(v) for v in values if v is not None]
    return _LEVELS[max(given)] if given else None


#: The stances of a witness (``source`` and no stance are not witnesses).
_STANCES = ("supports", "refutes", "refines")


class GroupEvidence(CimoModel):
    """The witnesses of one kind of person: one value of a participant attribute."""

    group: str | None
    """The attribute's value (``GP``); None: witnesses not declared as participants
    with that attribute (a whole source, or a participant named in free text)."""
    supports: int
    refutes: int
    refines: int
    supported_by: tuple[str, ...] = ()
    refuted_by: tuple[str, ...] = ()
    refined_by: tuple[str, ...] = ()

    def __str__(self) -> str:
        counts = [
            f"{n} {word}"
            for n, word in (
                (self.supports, "supporting"),
                (self.refutes, "refuting"),
                (self.refines, "refining"),
            )
            if n
        ]
        return f"{self.group or 'not recorded'} {', '.join(counts)}"


def group_by(theory: Theory, by: str) -> Callable[[Evidence], str | None]:
    """The kind of person behind a piece of evidence: its participant's ``by`` attribute.

    Raises:
        UnknownIdError: if no declared participant has the attribute ``by``.
    """
    people = index_of(theory).participants
    names = {name for p in people.values() for name, _ in p.attributes}
    if by not in names:
        raise UnknownIdError(by, kind="participant attribute", suggestions=suggest(by, names))

    def group(entry: Evidence) -> str | None:
        person = people.get(entry.participant) if entry.participant else None
        value = person.attribute(by) if person is not None else None
        return None if value is None else str(value)

    return group


def groups_of(
    rules: Iterable[Rule], group: Callable[[Evidence], str | None], order: Iterable[str]
) -> tuple[GroupEvidence, ...]:
    """The witnesses of ``rules`` by kind of person, in ``order`` (unrecorded last).

    Entries with no stance, or ``stance: source``, are not witnesses and are left out.
    """
    counts: dict[str | None, dict[str, int]] = {}
    who: dict[str | None, dict[str, dict[str, None]]] = {}
    for rule in rules:
        for entry in rule.evidence:
            if entry.stance not in _STANCES:
                continue
            key = group(entry)
            tally = counts.setdefault(key, dict.fromkeys(_STANCES, 0))
            tally[entry.stance] += 1
            if w := _witness(entry.source, entry.participant):
                who.setdefault(key, {}).setdefault(entry.stance, {})[w] = None
    ranked = {g: i for i, g in enumerate(order)}
    out = []
    for key in sorted(counts, key=lambda k: ranked.get(k, len(ranked)) if k else len(ranked)):
        named = who.get(key, {})
        out.append(
            GroupEvidence(
                group=key,
                supports=counts[key]["supports"],
                refutes=counts[key]["refutes"],
                refines=counts[key]["refines"],
                supported_by=tuple(named.get("supports", ())),
                refuted_by=tuple(named.get("refutes", ())),
                refined_by=tuple(named.get("refines", ())),
            )
        )
    return tuple(out)


def group_order(theory: Theory, by: str) -> tuple[str, ...]:
    """The values of a participant attribute, in the order the participants are declared."""
    values = (p.attribute(by) for p in theory.participants)
    return tuple(dict.fromkeys(str(v) for v in values if v is not None))


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
    groups: tuple[GroupEvidence, ...] = ()
    """With ``evidence(by=...)``: the witnesses by kind of person."""


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
    groups: tuple[GroupEvidence, ...] = ()
    """With ``evidence(by=...)``: the witnesses of its rules by kind of person."""


class DemiRegularity(CimoModel):
    """A context-mechanism pair that recurs across witnesses (sources, or participants)."""

    context: str
    mechanism: str
    rules: tuple[str, ...]
    witnesses: tuple[str, ...]
    """Distinct witnesses: ``source`` or ``source/participant``."""

    def __str__(self) -> str:
        return (
            f"{name(self.context)} + {name(self.mechanism)}: "
            f"{plural(len(self.witnesses), 'witness')} "
            f"({', '.join(self.witnesses)}) in {', '.join(self.rules)}"
        )


class EvidenceSummary(Result):
    """Evidence per rule and per mechanism, and the demi-regularities."""

    rules: tuple[RuleEvidence, ...]
    mechanisms: tuple[MechanismEvidence, ...]
    demi_regularities: tuple[DemiRegularity, ...]
    min_witnesses: int
    by: str | None = None
    """The participant attribute the witnesses are grouped by (``evidence(by=...)``)."""

    def _lines(self) -> tuple[str, list[str]]:
        def groups(rows: tuple[GroupEvidence, ...]) -> str:
            if self.by is None:
                return ""
            return f"; by {self.by}: " + ("; ".join(map(str, rows)) or "no witnesses")

        lines = [
            f"{r.rule}: {r.supports} supporting, {r.refutes} refuting, {r.refines} refining"
            + (f"; sources {', '.join(r.sources)}" if r.sources else "")
            + groups(r.groups)
            for r in self.rules
        ]
        lines += [
            f"mechanism {name(m.mechanism)}: {m.supports} supporting, {m.refutes} refuting, "
            f"{m.refines} refining in {plural(len(m.rules), 'rule')}; "
            f"{plural(len(m.sources), 'source')}" + groups(m.groups)
            for m in sorted(self.mechanisms, key=lambda m: (-m.supports, m.refutes, m.mechanism))
            if m.rules
        ]
        lines += [f"demi-regularity {d}" for d in self.demi_regularities]
        return "Evidence" + (f" by {self.by}" if self.by else ""), lines


def _witness(source: str | None, participant: str | None) -> str | None:
    if source is None:
        return participant
    return f"{source}/{participant}" if participant else source


def evidence(
    theory: Theory, *, min_witnesses: int = 2, by: str | None = None, labels: bool = False
) -> EvidenceSummary:
    """Who supports, refutes or refines each rule and mechanism; recurring C-M pairs.

    A **demi-regularity** is a context-mechanism pair (an IF item and a BECAUSE
    mechanism of one rule) that at least ``min_witnesses`` distinct witnesses
    back, across all rules with that pair. A witness is a source, or a named
    participant within a source (``vivolo/Participant 2``); evidence that
    refutes a rule does not count.

    With ``by`` (a participant attribute, such as ``role``), each rule's and
    mechanism's witnesses are also counted by kind of person (``groups``): the
    value of that attribute for the declared participant behind each piece of
    evidence, in the order the participants are declared; evidence from a
    whole source or a participant named in free text is "not recorded".

    Raises:
        UnknownIdError: if ``by`` is not an attribute of any declared participant.

    >>> import cimo
    >>> from cimo.query import evidence
    >>> e = evidence(cimo.load_example("pwp-resilience"), min_witnesses=5)
    >>> for d in e.demi_regularities:
    ...     print(d.context, d.mechanism, len(d.witnesses))
    work-related-adversity appraising-adversity 5
    """
    group = group_by(theory, by) if by is not None else None
    order = group_order(theory, by) if by is not None else ()
    per_rule = []
    mech_rules: defaultdict[str, list[Rule]] = defaultdict(list)
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
            groups=groups_of([rule], group, order) if group else (),
        )
        per_rule.append(row)
        for m in rule.mechanisms:
            by_mech[m].append(row)
            mech_rules[m].append(rule)
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
                groups=groups_of(mech_rules.get(node.id, ()), group, order) if group else (),
            )
        )
    demi = tuple(
        DemiRegularity(context=c, mechanism=m, rules=tuple(pair_rules[c, m]), witnesses=tuple(w))
        for (c, m), w in witnesses.items()
        if len(w) >= min_witnesses
    )
    result = EvidenceSummary(
        rules=tuple(per_rule),
        mechanisms=tuple(mechs),
        demi_regularities=demi,
        min_witnesses=min_witnesses,
        by=by,
    )
    return labelled(result, theory, labels)
