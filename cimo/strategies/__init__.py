"""Hypothesis strategies for cimo: ids, labels, nodes, rules, whole theories and scenarios.

Public API, in Hypothesis house style: plural names, keyword-only options,
strategies as arguments, and structures built to shrink well. Every optional
field of every record is drawn, each so that it shrinks to its default
(``none() | ...`` for the fields that may be None, lists that shrink to empty
for the tuple fields). References are drawn as indices into what was drawn
before them (nodes first, then rules that pick them), so a failing theory
shrinks towards fewer, simpler nodes and rules. The strategies are built once
per set of arguments, not in every draw. Requires ``pip install cimo[testing]``.

>>> from hypothesis import given, settings
>>> from cimo.strategies import theories
>>> @settings(max_examples=5)
... @given(theories(max_rules=3))
... def test_rules_name_known_ids(theory):
...     known = {n.id for n in theory.nodes}
...     assert all(ref in known for r in theory.rules for _, _, ref in r.references())
>>> test_rules_name_known_ids()
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import cache, lru_cache
from typing import Any

from cimo.errors import MissingDependencyError

try:
    from hypothesis import strategies as st
    from hypothesis.errors import InvalidArgument
except ImportError as _err:  # pragma: no cover - exercised only without hypothesis
    raise MissingDependencyError(
        "cimo.strategies needs Hypothesis: pip install 'cimo[testing]'"
    ) from _err

from cimo import _drawn as make
from cimo.core.vocabulary import (
    KINDS,
    SLOTS,
    ContextLevel,
    Dimension,
    EvidenceStance,
    Intensity,
    MechanismMode,
    MechanismPolarity,
    MissingPart,
    Polarity,
    Status,
)
from cimo.model import (
    Context,
    Facets,
    Intervention,
    Link,
    Mechanism,
    Outcome,
    Rule,
    Source,
    Theory,
)

__all__ = [
    "contexts",
    "ids",
    "interventions",
    "labels",
    "mechanisms",
    "nodes",
    "outcomes",
    "rules",
    "scenarios",
    "table_theories",
    "theories",
]

from cimo.strategies._parts import (
    _ACTORS,
    _ANNOTATIONS,
    _CONTRIBUTORS,
    _DOMAINS,
    _EVIDENCE_KINDS,
    _IDS,
    _INDEX,
    _INDICATORS,
    _INDICES,
    _TAGS,
    AnyNode,
    _choices,
    _gated,
    _labels,
    _optional,
    _parts,
    _tuples,
    ids,
    labels,
)

# --------------------------------------------------------------------------- nodes


@cache
def _node_fields(text: st.SearchStrategy[str]) -> Mapping[str, st.SearchStrategy[dict[str, Any]]]:
    """The fields of each node kind but its id; references are indices (see ``make.node``)."""
    note = _optional(text)
    extra: dict[str, st.SearchStrategy[Any]] = {
        "source_label": note,
        "description": note,
        "tags": _TAGS,
        "iterations": _INDICES,
        "contributed_by": _CONTRIBUTORS,
        "truncated": st.booleans(),
        "inferred": _INDICES,
    }
    indicators = _tuples(st.sampled_from(_INDICATORS))
    facets = st.builds(Facets, who=note, whom=note, where=note, when=note, circumstances=note)
    component = st.tuples(_INDEX, text, note)
    return {
        "context": _gated(
            {
                "label": text,
                "level": _optional(_choices(ContextLevel)),
                "dimension": _optional(_choices(Dimension)),
            },
            {**extra, "facets": _optional(facets), "indicators": indicators},
        ),
        "intervention": _gated(
            {"label": text, "components": st.lists(component, max_size=2)}, extra
        ),
        "mechanism": _gated(
            {
                "label": text,
                "resource": note,
                "reasoning": note,
                "category": _optional(st.sampled_from(make.MECHANISM_CATEGORIES)),
                "taxon": _optional(_INDEX),
            },
            {
                **extra,
                "behaviour": note,
                "polarity": _optional(_choices(MechanismPolarity)),
                "absent": st.booleans(),
                "indicators": indicators,
            },
        ),
        "outcome": _gated(
            {
                "label": text,
                "polarity": _optional(_choices(Polarity)),
                "domain": _optional(st.sampled_from(_DOMAINS)),
                "opposite": _optional(_INDEX),
            },
            {**extra, "measures": _tuples(text), "variant_of": _optional(_INDEX)},
        ),
    }


@cache
def _drafts(text: st.SearchStrategy[str]) -> st.SearchStrategy[tuple[str, str, dict[str, Any]]]:
    """``(id, kind, fields)`` of a node of any kind (one ``one_of``, shrinks towards contexts)."""
    fields = _node_fields(text)
    return st.one_of(*(st.tuples(_IDS, st.just(kind), fields[kind]) for kind in KINDS))


def _standalone(kind: str) -> Callable[..., st.SearchStrategy[Any]]:
    @cache
    def build(
        idents: st.SearchStrategy[str], text: st.SearchStrategy[str]
    ) -> st.SearchStrategy[Any]:
        return st.builds(
            make.node, idents, st.just(kind), _node_fields(text)[kind], st.just(make.World())
        )

    return build


def _ids_and_text(
    ids: st.SearchStrategy[str] | None, labels: st.SearchStrategy[str] | None
) -> tuple[st.SearchStrategy[str], st.SearchStrategy[str]]:
    return (ids if ids is not None else _IDS), (labels if labels is not None else _labels(None, 40))


_STANDALONE = {kind: _standalone(kind) for kind in KINDS}


def contexts(
    *, ids: st.SearchStrategy[str] | None = None, labels: st.SearchStrategy[str] | None = None
) -> st.SearchStrategy[Context]:
    """Contexts with any level, dimension, facets, tags and description."""
    return _STANDALONE["context"](*_ids_and_text(ids, labels))


def interventions(
    *, ids: st.SearchStrategy[str] | None = None, labels: st.SearchStrategy[str] | None = None
) -> st.SearchStrategy[Intervention]:
    """Interventions with a few components from the S3 vocabulary."""
    return _STANDALONE["intervention"](*_ids_and_text(ids, labels))


def mechanisms(
    *, ids: st.SearchStrategy[str] | None = None, labels: st.SearchStrategy[str] | None = None
) -> st.SearchStrategy[Mechanism]:
    """Mechanisms with or without a resource and a reasoning part, some placed in the six."""
    return _STANDALONE["mechanism"](*_ids_and_text(ids, labels))


def outcomes(
    *, ids: st.SearchStrategy[str] | None = None, labels: st.SearchStrategy[str] | None = None
) -> st.SearchStrategy[Outcome]:
    """Outcomes with any polarity, domain and measures (no ``opposite``: that needs a theory)."""
    return _STANDALONE["outcome"](*_ids_and_text(ids, labels))


def nodes(
    *, ids: st.SearchStrategy[str] | None = None, labels: st.SearchStrategy[str] | None = None
) -> st.SearchStrategy[AnyNode]:
    """Nodes of any kind."""
    pair = _ids_and_text(ids, labels)
    return st.one_of(*(_STANDALONE[kind](*pair) for kind in KINDS))


# --------------------------------------------------------------------------- rules


@cache
def _rule_fields(
    text: st.SearchStrategy[str], max_slot_size: int
) -> st.SearchStrategy[dict[str, Any]]:
    """A rule's fields but its id; slots and evidence sources are indices (see ``make.rule``)."""
    note = _optional(text)
    slots: dict[str, st.SearchStrategy[list[int]]] = {
        s.keyword: st.lists(
            _INDEX, max_size=min(1, max_slot_size) if s.keyword in make.SMALL else max_slot_size
        )
        for s in SLOTS
    }
    annotation = _ANNOTATIONS(text)
    evidence = _gated(
        {
            "source": _optional(_INDEX),
            "stance": _optional(_choices(EvidenceStance)),
            "incidence": _optional(st.integers(0, 30)),
        },
        {
            "locator": note,
            "quote": note,
            "kind": _optional(st.sampled_from(_EVIDENCE_KINDS)),
            "participant": note | _INDEX,
            "intensity": _optional(_choices(Intensity)),
            "note": note,
        },
    )
    return _gated(
        {
            **slots,
            "mechanism_mode": _choices(MechanismMode),
            "status": _choices(Status),
            "theme": _optional(_INDEX),
            "evidence": st.lists(evidence, max_size=2),
        },
        {
            "source_label": note,
            "statement": note,
            "description": note,
            "tags": _TAGS,
            "iterations": _INDICES,
            "contributed_by": _CONTRIBUTORS,
            # format 2.0 (indices: see make.rule)
            "any_context": st.booleans(),
            "if_any": st.lists(st.lists(_INDEX, min_size=2, max_size=2), max_size=1),
            "links": st.lists(st.tuples(_INDEX, _INDICES, _INDICES, _optional(_INDEX)), max_size=2),
            "steps": st.lists(st.tuples(_INDEX, _INDEX), max_size=1),
            "missing_parts": st.lists(_choices(MissingPart), unique=True, max_size=1).map(tuple),
            "actor": _optional(st.sampled_from(_ACTORS)),
            "programme_theory": _optional(_INDEX),
            "segments": st.lists(st.tuples(_optional(_INDEX), note), max_size=3),
            "annotations": st.lists(annotation, max_size=1),
            "inferred": _INDICES,
        },
    )


@st.composite
def rules(
    draw: st.DrawFn,
    *,
    contexts: Sequence[str],
    interventions: Sequence[str] = (),
    mechanisms: Sequence[str] = (),
    outcomes: Sequence[str] = (),
    sources: Sequence[str] = (),
    modifiers: Sequence[str] = (),
    ids: st.SearchStrategy[str] | None = None,
    max_slot_size: int = 3,
) -> Rule:
    """Rules over given node ids: any mix of slots and format 2.0 parts, incomplete ones included.

    Args:
        contexts: Ids that may stand in ``if``/``unless``/``despite``/``if_any`` and a
            mechanism's ``requires`` (contexts and outcomes); a mechanism may also
            require an outcome an earlier mechanism of the rule gives, so that the
            rule's mechanisms fire in sequence.
        interventions: Ids for ``with``.
        mechanisms: Ids for ``because``.
        outcomes: Ids for ``then``/``reduces``/``otherwise``.
        sources: Source ids evidence may cite.
        modifiers: Ids for ``within``/``moderated_by`` (contexts only).
        ids: Strategy for the rule id.
        max_slot_size: The most ids drawn for one slot.
    """
    if max_slot_size < 0:
        raise InvalidArgument(f"max_slot_size={max_slot_size} must not be negative")
    ident = draw(ids if ids is not None else _IDS)
    pools = {
        "if": contexts,
        "unless": contexts,
        "within": modifiers,
        "moderated_by": modifiers,
        "despite": contexts,
        "with": interventions,
        "because": mechanisms,
        "then": outcomes,
        "reduces": outcomes,
        "otherwise": outcomes,
    }
    drawn = draw(_rule_fields(_labels(None, 40), max_slot_size))
    return make.rule(ident, drawn, pools, make.Pools(sources=sources))


@cache
def _rule_drafts(
    text: st.SearchStrategy[str], min_rules: int, max_rules: int
) -> st.SearchStrategy[list[tuple[str, dict[str, Any]]]]:
    return st.lists(
        st.tuples(_IDS, _rule_fields(text, 3)),
        min_size=min_rules,
        max_size=max_rules,
        unique_by=lambda r: r[0],
    )


@cache
def _node_drafts(
    text: st.SearchStrategy[str], min_nodes: int, max_nodes: int
) -> st.SearchStrategy[list[tuple[str, str, dict[str, Any]]]]:
    return st.lists(_drafts(text), min_size=min_nodes, max_size=max_nodes, unique_by=lambda d: d[0])


@st.composite
def theories(
    draw: st.DrawFn,
    *,
    min_nodes: int = 0,
    max_nodes: int = 12,
    min_rules: int = 0,
    max_rules: int = 8,
    labels: st.SearchStrategy[str] | None = None,
    links: bool = True,
) -> Theory:
    """Whole theories that pass every structural check, with every optional field drawn.

    Nodes are drawn first (with unique ids), then rules whose slots are indices
    into the nodes drawn, then explicit links from outcomes to contexts. Sources,
    iterations, a taxonomy (built-in or declared), a component vocabulary and
    check settings are drawn too, and everything that names them (evidence,
    ``based_on``, ``iterations``, ``taxon``, components, ``opposite``) points
    at what was drawn. Shrinks towards the empty theory.

    Args:
        min_nodes: The fewest nodes (spread over the four kinds).
        max_nodes: The most nodes.
        min_rules: The fewest rules (forces at least one node when positive).
        max_rules: The most rules.
        labels: Strategy for node labels and the title (default :func:`labels`).
        links: Whether to draw explicit outcome -> context links.
    """
    if min_nodes < 0 or max_nodes < min_nodes:
        raise InvalidArgument(f"need 0 <= min_nodes <= max_nodes, got {min_nodes} and {max_nodes}")
    if min_rules < 0 or max_rules < min_rules:
        raise InvalidArgument(f"need 0 <= min_rules <= max_rules, got {min_rules} and {max_rules}")
    text = labels if labels is not None else _labels(None, 40)
    parts = _parts(text)
    drafts = draw(_node_drafts(text, min_nodes, max_nodes))
    rule_drafts = draw(_rule_drafts(text, min_rules, max_rules))
    drawn_sources = draw(parts.sources)
    iterations = draw(parts.iterations)
    taxonomy = draw(parts.taxonomy)
    vocabulary = draw(parts.vocabulary)
    numbers = [it.number for it in iterations]
    by_kind: dict[str, list[str]] = {k: [] for k in KINDS}
    for ident, kind, _ in drafts:
        by_kind[kind].append(ident)
    world = make.world(taxonomy, vocabulary, by_kind["outcome"], numbers)
    the_nodes = tuple(make.node(i, kind, fields, world) for i, kind, fields in drafts)
    pools: dict[str, list[str]] = {
        s.keyword: [i for k in s.kinds for i in by_kind[k]] for s in SLOTS
    }
    taken = {i for i, _, _ in drafts}
    rule_ids = [make.fresh(i, taken) for i, _ in rule_drafts]
    # Sources get ids no node or rule has, so ``remove(theory, rule_id)`` removes one thing.
    sources = [Source(**{**s, "id": make.fresh(s["id"], taken)}) for s in drawn_sources]
    source_ids = [s.id for s in sources]
    theme_drafts = draw(parts.themes)
    programmes = draw(parts.programme_theories)
    people = draw(parts.participants)
    more = make.Pools(
        sources=source_ids,
        iterations=numbers,
        themes=[t["id"] for t in theme_drafts],
        programme_theories=[p.id for p in programmes],
        participants=[p.id for p in people],
        rules=rule_ids,
    )
    the_rules = tuple(
        make.rule(i, fields, pools, more)
        for i, (_, fields) in zip(rule_ids, rule_drafts, strict=True)
    )
    the_links: dict[tuple[str, str], str | None] = {}
    if links and by_kind["outcome"] and by_kind["context"]:
        for io, ic, note in draw(parts.links):
            key = (
                by_kind["outcome"][io % len(by_kind["outcome"])],
                by_kind["context"][ic % len(by_kind["context"])],
            )
            the_links.setdefault(key, note)
    iteration = draw(_optional(st.integers(1, 9)))
    return Theory(
        id="generated",
        **draw(parts.fields),
        based_on=make.picks(source_ids, draw(_INDICES)),
        iteration=make.pick(numbers, iteration) if numbers else iteration,
        iterations=tuple(iterations),
        taxonomy=taxonomy,
        vocabulary=vocabulary,
        nodes=the_nodes,
        rules=the_rules,
        links=tuple(Link(outcome=o, context=c, note=n) for (o, c), n in the_links.items()),
        sources=tuple(sources),
        themes=tuple(make.theme(t, more) for t in theme_drafts),
        programme_theories=tuple(programmes),
        participants=tuple(people),
        relations=make.relations(draw(parts.relations), [*(i for i, _, _ in drafts), *rule_ids]),
    )


@st.composite
def scenarios(
    draw: st.DrawFn,
    theory: Theory,
    *,
    max_contexts: int | None = None,
    max_interventions: int | None = None,
) -> tuple[frozenset[str], frozenset[str]]:
    """Circumstances to try a theory in: a set of its contexts and a set of its interventions.

    Draws from the theory's own ids, so a failing scenario shrinks towards
    fewer contexts and interventions.

    Args:
        theory: The theory whose contexts and interventions to draw.
        max_contexts: The most contexts in one scenario (default: all).
        max_interventions: The most interventions in one scenario (default: all).

    Returns:
        ``(contexts, interventions)`` as frozensets of ids.
    """
    context_ids = sorted(n.id for n in theory.contexts)
    intervention_ids = sorted(n.id for n in theory.interventions)
    chosen_c = draw(_subsets(tuple(context_ids), max_contexts))
    chosen_i = draw(_subsets(tuple(intervention_ids), max_interventions))
    return frozenset(chosen_c), frozenset(chosen_i)


@lru_cache(maxsize=256)
def _subsets(pool: tuple[str, ...], max_size: int | None) -> st.SearchStrategy[list[str]]:
    if not pool:
        return st.just([])
    size = len(pool) if max_size is None else max_size
    return st.lists(st.sampled_from(pool), unique=True, max_size=size)


from cimo.strategies._tables import table_theories  # noqa: E402  (uses the helpers above)
