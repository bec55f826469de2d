"""Records from drawn values: the plain half of :mod:`cimo.strategies` (no Hypothesis here).

The strategies draw a record's fields with its references as indices; these
functions resolve the indices against what was drawn before (the theory's
nodes, sources, iterations, taxonomy and vocabulary) and build the records.
An index is taken modulo the length of its pool, so any index is valid and a
smaller one shrinks towards the first item.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from cimo.core.vocabulary import SLOT, SLOTS
from cimo.model import (
    Annotation,
    Component,
    ComponentVocabulary,
    Context,
    Evidence,
    Intervention,
    Mechanism,
    MechanismLink,
    Outcome,
    OutcomeStep,
    Relation,
    Rule,
    Segment,
    Taxon,
    Taxonomy,
    TaxonomyCategory,
    Theme,
)
from cimo.taxonomy import WORK_FOCUSED_GROUP_CBT
from cimo.vocabulary import S3_CHECKLIST

__all__ = [
    "EXCLUDES",
    "INFERABLE",
    "MECHANISM_CATEGORIES",
    "S3_PAIRS",
    "SIX_TAXA",
    "SMALL",
    "AnyNode",
    "Pools",
    "TaxonDraft",
    "World",
    "annotation",
    "fresh",
    "merge",
    "node",
    "pick",
    "picks",
    "relations",
    "rule",
    "taxonomy",
    "theme",
    "world",
]

_T = TypeVar("_T")
AnyNode = Context | Intervention | Mechanism | Outcome

SIX_TAXA = tuple(t.id for t in WORK_FOCUSED_GROUP_CBT.taxa)
MECHANISM_CATEGORIES = tuple(c.id for c in WORK_FOCUSED_GROUP_CBT.categories)
S3_PAIRS = tuple((c.id, a.id) for c in S3_CHECKLIST.categories for a in c.aspects)
#: The slots drawn with at most one id (unless, the 2.0 qualifiers and results).
EXCLUDES = {"unless": "if", "reduces": "then"}
SMALL = frozenset({"unless", "reduces", "within", "moderated_by", "despite", "otherwise"})
#: The slot groups an id may stand in once (the structural checks forbid an id in two
#: condition or qualifier slots, or in two result slots, of one rule).
_GROUP = {s.keyword: "in" if s.side in ("condition", "qualifier") else s.side for s in SLOTS}
#: File keys a record may mark as inferred (drawn by index).
INFERABLE = {
    "rule": ("if", "theme", "status", "because"),
    "node": ("label", "description", "source_label"),
    "theme": ("label", "recommendation"),
}


def merge(always: dict[str, Any], extra: dict[str, Any] | None) -> dict[str, Any]:
    return {**always, **extra} if extra else always


def pick(pool: Sequence[_T], index: int | None) -> _T | None:
    return pool[index % len(pool)] if pool and index is not None else None


def picks(
    pool: Sequence[_T], indices: Sequence[int], *, exclude: Collection[_T] = ()
) -> tuple[_T, ...]:
    """The items of ``pool`` the indices point at, each once, in order, none of ``exclude``."""
    left = [p for p in pool if p not in exclude] if exclude else list(pool)
    return tuple(dict.fromkeys(left[i % len(left)] for i in indices)) if left else ()


@dataclass(frozen=True)
class World:
    """What the indices of a node are resolved against."""

    outcomes: Sequence[str] = ()
    taxa: Sequence[str] = SIX_TAXA
    pairs: Sequence[tuple[str, str]] = S3_PAIRS
    iterations: Sequence[int] = (1, 2, 3)


@dataclass(frozen=True)
class Pools:
    """What a rule's other indices point at (besides its slots' pools): format 2.0 records."""

    sources: Sequence[str] = ()
    iterations: Sequence[int] = (1, 2, 3)
    themes: Sequence[str] = ()
    programme_theories: Sequence[str] = ()
    participants: Sequence[str] = ()
    rules: Sequence[str] = ()


def node(ident: str, kind: str, drawn: dict[str, Any], world: World) -> AnyNode:
    fields = {**drawn, "id": ident}
    fields["iterations"] = tuple(sorted(picks(world.iterations, drawn.get("iterations", ()))))
    fields["inferred"] = picks(INFERABLE["node"], drawn.get("inferred", ()))
    if kind == "context":
        return Context(**fields)
    if kind == "intervention":
        pairs = world.pairs
        fields["components"] = tuple(
            Component(category=c, aspect=a, value=value, note=note)
            for (c, a), value, note in (
                (pairs[i % len(pairs)], v, n) for i, v, n in drawn["components"]
            )
        )
        return Intervention(**fields)
    if kind == "mechanism":
        fields["taxon"] = pick(world.taxa, drawn["taxon"])
        return Mechanism(**fields)
    others = [o for o in world.outcomes if o != ident]
    fields["opposite"] = pick(others, drawn["opposite"])
    fields["variant_of"] = pick(others, drawn.get("variant_of"))
    return Outcome(**fields)


def rule(
    ident: str,
    drawn: dict[str, Any],
    pools: Mapping[str, Sequence[str]],
    sources: Sequence[str] | Pools,
    iterations: Sequence[int] = (1, 2, 3),
) -> Rule:
    """The rule whose slots pick from ``pools`` (by slot keyword), the rest from ``Pools``.

    An id picked for one condition or qualifier slot is not picked for another,
    nor one result slot's id for another (the structural checks forbid both).
    """
    more = sources if isinstance(sources, Pools) else Pools(sources, iterations)
    fields = {k: v for k, v in drawn.items() if k not in SLOT and k not in _NESTED}
    picked: dict[str, tuple[str, ...]] = {}
    taken: dict[str, set[str]] = {}
    for slot in SLOTS:
        group = taken.setdefault(_GROUP[slot.keyword], set())
        picked[slot.keyword] = picks(pools[slot.keyword], drawn[slot.keyword], exclude=group)
        group.update(picked[slot.keyword])
        fields[slot.attr] = picked[slot.keyword]
    fields["any_context"] = bool(drawn.get("any_context")) and not picked["if"]
    fields["evidence"] = tuple(
        Evidence(
            **{
                **e,
                "source": pick(more.sources, e["source"]),
                "participant": pick(more.participants, e["participant"])
                if isinstance(e.get("participant"), int)
                else e.get("participant"),
            }
        )
        for e in drawn["evidence"]
    )
    fields["iterations"] = tuple(sorted(picks(more.iterations, drawn.get("iterations", ()))))
    fields.update(_nested(drawn, pools, picked, more))
    return Rule(id=ident, **fields)


#: The drawn keys that are indices into the rule's own picks or the theory's records.
_NESTED = frozenset(
    {"if_any", "links", "steps", "segments", "annotations", "inferred", "theme",
     "programme_theory", "any_context"}
)  # fmt: skip


def _nested(
    drawn: dict[str, Any],
    pools: Mapping[str, Sequence[str]],
    picked: Mapping[str, tuple[str, ...]],
    more: Pools,
) -> dict[str, Any]:
    """The format 2.0 parts of a rule, resolved against its own picks and ``more``."""
    conditions = pools["if"]
    results = (*picked["then"], *picked["reduces"])
    outcomes = (*results, *picked["otherwise"])
    links: list[MechanismLink] = []
    for m, requires, then, after in drawn.get("links", ()):
        mechanism = pick(picked["because"], m)
        if mechanism is not None and all(k.mechanism != mechanism for k in links):
            # ``after``: the mechanism fires after an earlier one of the rule, needing
            # an outcome it gives (sequential mechanisms within one rule)
            given = [o for k in links for o in k.then if o in picked["then"]]
            earlier = pick(given, after)
            needed = (*picks(conditions, requires), *([earlier] if earlier else []))
            links.append(
                MechanismLink(
                    mechanism=mechanism,
                    requires=tuple(dict.fromkeys(needed)),
                    then=picks(results, then),
                )
            )
    position = {m: i for i, m in enumerate(picked["because"])}
    steps = []
    for a, b in drawn.get("steps", ()):
        ends = [pick(outcomes, a), pick(outcomes, b)]
        if ends[0] is not None and ends[1] is not None and ends[0] != ends[1]:
            steps.append(OutcomeStep(from_=ends[0], to=ends[1]))
    refs = [i for s in SLOTS for i in picked[s.keyword]]
    return {
        "context_groups": tuple(
            g for g in (picks(conditions, group) for group in drawn.get("if_any", ())) if g
        ),
        "mechanism_links": tuple(sorted(links, key=lambda k: position[k.mechanism])),
        "outcome_steps": tuple(dict.fromkeys(steps)),
        "segments": tuple(
            Segment(ref=pick(refs, r), text=text)
            for r, text in drawn.get("segments", ())
            if pick(refs, r) is not None or text is not None
        ),
        "annotations": tuple(annotation(a, more) for a in drawn.get("annotations", ())),
        "inferred": picks(INFERABLE["rule"], drawn.get("inferred", ())),
        "theme": pick(more.themes, drawn.get("theme")),
        "programme_theory": pick(more.programme_theories, drawn.get("programme_theory")),
    }


def annotation(drawn: dict[str, Any], more: Pools) -> Annotation:
    """An annotation whose counters and source are indices into ``more``."""
    return Annotation(
        **{
            **drawn,
            "counters": picks(more.rules, drawn["counters"]),
            "source": pick(more.sources, drawn["source"]),
        }
    )


def theme(drawn: dict[str, Any], more: Pools) -> Theme:
    """A theme with its annotations and inferred fields resolved."""
    return Theme(
        **{
            **drawn,
            "annotations": tuple(annotation(a, more) for a in drawn["annotations"]),
            "inferred": picks(INFERABLE["theme"], drawn["inferred"]),
        }
    )


def relations(drawn: Sequence[tuple[str, int, int, bool, bool, str | None, str | None]],
              ends: Sequence[str]) -> tuple[Relation, ...]:  # fmt: skip
    """Relations between the theory's nodes and rules (``corresponds-to`` maybe to another file)."""
    out: dict[tuple[str, str, str], Relation] = {}
    if len(ends) < 2:
        return ()
    for kind, a, b, stated, external, note, label in drawn:
        start = ends[a % len(ends)]
        others = [e for e in ends if e != start]
        end = others[b % len(others)]
        rel = Relation(
            type=kind,  # type: ignore[arg-type]
            from_=start,
            to=f"other.yaml#{end}" if kind == "corresponds-to" and external else end,
            stated=stated,
            note=note,
            source_label=label,
        )
        out.setdefault(rel.key, rel)
    return tuple(out.values())


TaxonDraft = tuple[str, str, int, int, int | None, str | None, str | None, str | None]


def taxonomy(
    fields: dict[str, Any],
    ranks: list[str],
    categories: list[TaxonomyCategory],
    drafts: list[TaxonDraft],
) -> Taxonomy:
    """A taxonomy declared in the theory: each taxon's parent is one rank up, drawn before it."""
    taxa: list[Taxon] = []
    for ident, label, level, parent, category, definition, source_label, note in drafts:
        level %= len(ranks)
        above = [t.id for t in taxa if t.rank == ranks[level - 1]] if level else []
        if not above:
            level = 0
        taxa.append(
            Taxon(
                id=ident,
                label=label,
                rank=ranks[level],
                parent=pick(above, parent),
                category=pick([c.id for c in categories], category),
                definition=definition,
                source_label=source_label,
                note=note,
            )
        )
    return Taxonomy(**fields, ranks=tuple(ranks), categories=tuple(categories), taxa=tuple(taxa))


def world(
    taxonomy: str | Taxonomy | None,
    vocabulary: str | ComponentVocabulary | None,
    outcomes: Sequence[str],
    iterations: Sequence[int],
) -> World:
    """What the nodes' indices point at: the taxa and components in force, the outcomes."""
    taxa = SIX_TAXA
    if isinstance(taxonomy, Taxonomy) and taxonomy.taxa:
        taxa = tuple(t.id for t in taxonomy.taxa)
    pairs = S3_PAIRS
    if isinstance(vocabulary, ComponentVocabulary):
        pairs = tuple((c.id, a.id) for c in vocabulary.categories for a in c.aspects) or S3_PAIRS
    return World(outcomes=outcomes, taxa=taxa, pairs=pairs, iterations=iterations)


def fresh(ident: str, taken: set[str]) -> str:
    """``ident``, or ``ident-2``, ``ident-3``, ... when a node already has it."""
    fresh, n = ident, 1
    while fresh in taken:
        n += 1
        fresh = f"{ident}-{n}"
    taken.add(fresh)
    return fresh
