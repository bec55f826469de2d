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

from cimo.core.vocabulary import KINDS, SLOT, SLOTS
from cimo.model import (
    Annotation,
    CimoModel,
    Component,
    ComponentVocabulary,
    Context,
    Evidence,
    Intervention,
    Link,
    Mechanism,
    MechanismLink,
    Outcome,
    OutcomeStep,
    Participant,
    ProgrammeTheory,
    Relation,
    Rule,
    Segment,
    Source,
    Taxon,
    Taxonomy,
    TaxonomyCategory,
    Theme,
    Theory,
)
from cimo.taxonomy import WORK_FOCUSED_GROUP_CBT
from cimo.vocabulary import S3_CHECKLIST

__all__ = [
    "MECHANISM_CATEGORIES",
    "S3_PAIRS",
    "SIX_TAXA",
    "WIDE",
    "AnnotationDraft",
    "AnyNode",
    "Refs",
    "TaxonDraft",
    "World",
    "annotation",
    "fresh",
    "keys",
    "merge",
    "node",
    "pick",
    "picks",
    "relations",
    "rule",
    "taxonomy",
    "theme",
    "theory",
    "world",
]

_T = TypeVar("_T")
AnyNode = Context | Intervention | Mechanism | Outcome

SIX_TAXA = tuple(t.id for t in WORK_FOCUSED_GROUP_CBT.taxa)
MECHANISM_CATEGORIES = tuple(c.id for c in WORK_FOCUSED_GROUP_CBT.categories)
S3_PAIRS = tuple((c.id, a.id) for c in S3_CHECKLIST.categories for a in c.aspects)
#: The slots drawn with several ids; the others take one at most (they qualify the rule).
WIDE = ("if", "with", "because", "then")
#: The group of each slot: an id stands in one slot of its group at most (structural rule).
_GROUP = {
    s.keyword: {"condition": "in", "qualifier": "in", "result": "out"}.get(s.side, s.keyword)
    for s in SLOTS
}
_CLASSES: dict[str, type[AnyNode]] = {
    "context": Context,
    "intervention": Intervention,
    "mechanism": Mechanism,
    "outcome": Outcome,
}


def keys(record: type[CimoModel]) -> tuple[str, ...]:
    """The file keys ``inferred`` may name on a record (its fields but id, kind, inferred)."""
    every = (info.alias or name for name, info in record.model_fields.items())
    return tuple(k for k in every if k not in ("id", "kind", "inferred"))


_KEYS = {**{kind: keys(cls) for kind, cls in _CLASSES.items()}, "rule": keys(Rule)}


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


def node(ident: str, kind: str, drawn: dict[str, Any], world: World) -> AnyNode:
    fields = {**drawn, "id": ident}
    fields["iterations"] = tuple(sorted(picks(world.iterations, drawn.get("iterations", ()))))
    fields["inferred"] = picks(_KEYS[kind], drawn.get("inferred", ()))
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
    # A variant of an outcome drawn before it: variants never form a cycle.
    earlier = world.outcomes[: world.outcomes.index(ident)] if ident in world.outcomes else ()
    fields["variant_of"] = pick(earlier, drawn["variant_of"])
    return Outcome(**fields)


@dataclass(frozen=True)
class Refs:
    """What the indices of a rule are resolved against."""

    pools: Mapping[str, Sequence[str]]
    """The ids each slot may name, by slot keyword."""
    sources: Sequence[str] = ()
    iterations: Sequence[int] = (1, 2, 3)
    themes: Sequence[str] = ()
    programmes: Sequence[str] = ()
    rules: Sequence[str] = ()


#: A drawn annotation: kind, text, indices of rules it counters, source index, locator.
AnnotationDraft = tuple[str, str, list[int], int | None, str | None]


def annotation(drawn: AnnotationDraft, rules: Sequence[str], sources: Sequence[str]) -> Annotation:
    kind, text, counters, source, locator = drawn
    return Annotation(
        kind=kind,  # type: ignore[arg-type]
        text=text,
        counters=picks(rules, counters),
        source=pick(sources, source),
        locator=locator,
    )


def _slots(drawn: Mapping[str, Any], pools: Mapping[str, Sequence[str]]) -> dict[str, Any]:
    """The flat slots by attribute: no id twice in one group of slots (in, out)."""
    used: dict[str, set[str]] = {}
    fields: dict[str, Any] = {}
    for slot in SLOTS:
        taken = used.setdefault(_GROUP[slot.keyword], set())
        fields[slot.attr] = picks(pools[slot.keyword], drawn[slot.keyword], exclude=taken)
        taken.update(fields[slot.attr])
    return fields


def _nested(
    drawn: Mapping[str, Any], f: dict[str, Any], pools: Mapping[str, Sequence[str]]
) -> None:
    """``if_any`` groups, ``because`` objects and ``leads_to`` steps over the rule's own ids."""
    f["any_context"] = drawn["any_context"] and not f["contexts"]
    groups = (picks(pools["if"], g) for g in drawn["context_groups"])
    f["context_groups"] = tuple(dict.fromkeys(g for g in groups if len(g) > 1))
    results = (*f["outcomes"], *f["reduces"])
    links: dict[str, MechanismLink] = {}
    for m, requires, then in drawn["mechanism_links"]:
        mechanism = pick(f["mechanisms"], m)
        if mechanism is not None and mechanism not in links:
            links[mechanism] = MechanismLink(
                mechanism=mechanism,
                requires=picks(pools["if"], requires),
                then=picks(results, then),
            )
    f["mechanism_links"] = tuple(links[m] for m in f["mechanisms"] if m in links)
    own = (*results, *f["otherwise"])
    steps: dict[tuple[str, str], OutcomeStep] = {}
    for a, b in drawn["outcome_steps"] if len(own) > 1 else ():
        start = own[a % len(own)]
        end = picks(own, (b,), exclude=(start,))[0]
        steps.setdefault((start, end), OutcomeStep.model_validate({"from": start, "to": end}))
    f["outcome_steps"] = tuple(steps.values())


def rule(ident: str, drawn: dict[str, Any], refs: Refs) -> Rule:
    """The rule whose slots pick from ``refs.pools`` and whose other references from ``refs``."""
    fields = {k: v for k, v in drawn.items() if k not in SLOT}
    fields.update(_slots(drawn, refs.pools))
    _nested(drawn, fields, refs.pools)
    fields["evidence"] = tuple(
        Evidence(**{**e, "source": pick(refs.sources, e["source"])}) for e in drawn["evidence"]
    )
    fields["iterations"] = tuple(sorted(picks(refs.iterations, drawn.get("iterations", ()))))
    fields["theme"] = pick(refs.themes, drawn["theme"])
    fields["programme_theory"] = pick(refs.programmes, drawn["programme_theory"])
    fields["inferred"] = picks(_KEYS["rule"], drawn.get("inferred", ()))
    named = [ref for slot in SLOTS for ref in fields[slot.attr]]
    fields["segments"] = tuple(
        Segment(ref=ref, text=text if text is not None or ref is not None else "and")
        for ref, text in ((pick(named, r), t) for r, t in drawn.get("segments", ()))
    )
    fields["annotations"] = tuple(
        annotation(a, refs.rules, refs.sources) for a in drawn.get("annotations", ())
    )
    return Rule(id=ident, **fields)


def theme(drawn: dict[str, Any], rules: Sequence[str], sources: Sequence[str]) -> Theme:
    """A declared theme whose annotations counter ``rules`` and cite ``sources``."""
    return Theme(
        **{
            **drawn,
            "annotations": tuple(annotation(a, rules, sources) for a in drawn["annotations"]),
            "inferred": picks(keys(Theme), drawn["inferred"]),
        }
    )


#: A drawn relation: type, indices of its ends, whether ``to`` is in another file, the rest.
RelationDraft = tuple[str, int, int, bool, bool, str | None, str | None]


def relations(drafts: Sequence[RelationDraft], pool: Sequence[str]) -> tuple[Relation, ...]:
    """Relations between two different nodes or rules of ``pool``, each once."""
    out: dict[tuple[str, str, str], Relation] = {}
    for kind, a, b, external, stated, note, source_label in drafts if len(pool) > 1 else ():
        start = pool[a % len(pool)]
        end = picks(pool, (b,), exclude=(start,))[0]
        rel = Relation.model_validate(
            {
                "type": kind,
                "from": start,
                "to": f"other.yaml#{end}" if external and kind == "corresponds-to" else end,
                "stated": stated,
                "note": note,
                "source_label": source_label,
            }
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


def theory(drawn: dict[str, Any]) -> Theory:
    """The theory from its drawn parts: the nodes, then the records that name them.

    Sources, themes, programme theories and participants get ids no node or
    rule has, so ``remove(theory, ident)`` removes one thing.
    """
    numbers = [it.number for it in drawn["iterations"]]
    by_kind: dict[str, list[str]] = {k: [] for k in KINDS}
    for ident, kind, _ in drawn["nodes"]:
        by_kind[kind].append(ident)
    w = world(drawn["taxonomy"], drawn["vocabulary"], by_kind["outcome"], numbers)
    nodes = tuple(node(ident, kind, fields, w) for ident, kind, fields in drawn["nodes"])
    taken = {n.id for n in nodes}
    rule_ids = [fresh(ident, taken) for ident, _ in drawn["rules"]]
    sources = tuple(Source(**{**s, "id": fresh(s["id"], taken)}) for s in drawn["sources"])
    source_ids = [s.id for s in sources]
    themes = tuple(
        theme({**t, "id": fresh(t["id"], taken)}, rule_ids, source_ids) for t in drawn["themes"]
    )
    programmes = tuple(
        ProgrammeTheory(**{**p, "id": fresh(p["id"], taken)}) for p in drawn["programmes"]
    )
    participants = tuple(
        Participant(**{**p, "id": fresh(p["id"], taken)}) for p in drawn["participants"]
    )
    pools: dict[str, Sequence[str]] = {
        s.keyword: [i for k in s.kinds for i in by_kind[k]] for s in SLOTS
    }
    refs = Refs(
        pools, source_ids, numbers, [t.id for t in themes], [p.id for p in programmes], rule_ids
    )
    rules = tuple(rule(i, f, refs) for i, (_, f) in zip(rule_ids, drawn["rules"], strict=True))
    links: dict[tuple[str, str], str | None] = {}
    outcomes, contexts = by_kind["outcome"], by_kind["context"]
    for o, c, note in drawn["links"] if outcomes and contexts else ():
        links.setdefault((outcomes[o % len(outcomes)], contexts[c % len(contexts)]), note)
    iteration = drawn["iteration"]
    return Theory(
        id="generated",
        **drawn["fields"],
        based_on=picks(source_ids, drawn["based_on"]),
        iteration=pick(numbers, iteration) if numbers else iteration,
        iterations=tuple(drawn["iterations"]),
        taxonomy=drawn["taxonomy"],
        vocabulary=drawn["vocabulary"],
        nodes=nodes,
        rules=rules,
        links=tuple(Link(outcome=o, context=c, note=n) for (o, c), n in links.items()),
        sources=sources,
        themes=themes,
        programme_theories=programmes,
        participants=participants,
        relations=relations(drawn["relations"], [*(n.id for n in nodes), *rule_ids]),
    )
