"""Records from drawn values: the plain half of :mod:`cimo.strategies` (no Hypothesis here).

The strategies draw a record's fields with its references as indices; these
functions resolve the indices against what was drawn before (the theory's
nodes, sources, iterations, taxonomy and vocabulary) and build the records.
An index is taken modulo the length of its pool, so any index is valid and a
smaller one shrinks towards the first item.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from cimo.core.vocabulary import SLOT, SLOTS
from cimo.model import (
    Component,
    ComponentVocabulary,
    Context,
    Evidence,
    Intervention,
    Mechanism,
    Outcome,
    Rule,
    Taxon,
    Taxonomy,
    TaxonomyCategory,
)
from cimo.taxonomy import WORK_FOCUSED_GROUP_CBT
from cimo.vocabulary import S3_CHECKLIST

__all__ = [
    "EXCLUDES",
    "MECHANISM_CATEGORIES",
    "S3_PAIRS",
    "SIX_TAXA",
    "AnyNode",
    "TaxonDraft",
    "World",
    "fresh",
    "merge",
    "node",
    "pick",
    "picks",
    "rule",
    "taxonomy",
    "world",
]

_T = TypeVar("_T")
AnyNode = Context | Intervention | Mechanism | Outcome

SIX_TAXA = tuple(t.id for t in WORK_FOCUSED_GROUP_CBT.taxa)
MECHANISM_CATEGORIES = tuple(c.id for c in WORK_FOCUSED_GROUP_CBT.categories)
S3_PAIRS = tuple((c.id, a.id) for c in S3_CHECKLIST.categories for a in c.aspects)
#: The slot whose ids a slot may not repeat (the structural checks forbid an id in both).
EXCLUDES = {"unless": "if", "reduces": "then"}


def merge(always: dict[str, Any], extra: dict[str, Any] | None) -> dict[str, Any]:
    return {**always, **extra} if extra else always


def pick(pool: Sequence[_T], index: int | None) -> _T | None:
    return pool[index % len(pool)] if pool and index is not None else None


def picks(
    pool: Sequence[_T], indices: Sequence[int], *, exclude: Sequence[_T] = ()
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


def node(ident: str, kind: str, drawn: dict[str, Any], world: World) -> AnyNode:
    fields = {**drawn, "id": ident}
    fields["iterations"] = tuple(sorted(picks(world.iterations, drawn.get("iterations", ()))))
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
    return Outcome(**fields)


def rule(
    ident: str,
    drawn: dict[str, Any],
    pools: Mapping[str, Sequence[str]],
    sources: Sequence[str],
    iterations: Sequence[int],
) -> Rule:
    """The rule whose slots pick from ``pools`` (by slot keyword) and evidence from ``sources``."""
    fields = {k: v for k, v in drawn.items() if k not in SLOT}
    picked: dict[str, tuple[str, ...]] = {}
    for slot in SLOTS:
        pool = pools[slot.keyword]
        other = EXCLUDES.get(slot.keyword)
        exclude = picked[other] if other else ()
        picked[slot.keyword] = picks(pool, drawn[slot.keyword], exclude=exclude)
        fields[slot.attr] = picked[slot.keyword]
    fields["evidence"] = tuple(
        Evidence(**{**e, "source": pick(sources, e["source"])}) for e in drawn["evidence"]
    )
    fields["iterations"] = tuple(sorted(picks(iterations, drawn.get("iterations", ()))))
    return Rule(id=ident, **fields)


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
