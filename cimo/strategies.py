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

from collections.abc import Mapping, Sequence
from functools import cache, lru_cache
from typing import Any, TypeVar

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
    AnnotationKind,
    ContextLevel,
    Dimension,
    EvidenceStance,
    Intensity,
    MechanismMode,
    MechanismPolarity,
    MissingPart,
    Polarity,
    RelationType,
    Severity,
    Status,
    values,
)
from cimo.model import (
    CheckSettings,
    ComponentAspect,
    ComponentCategory,
    ComponentVocabulary,
    Context,
    Facets,
    Intervention,
    Iteration,
    Mechanism,
    Outcome,
    Rule,
    TaxonomyCategory,
    Theory,
)
from cimo.taxonomy import BUILTIN_TAXONOMIES
from cimo.vocabulary import BUILTIN_VOCABULARIES

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
    "theories",
]

_T = TypeVar("_T")
AnyNode = Context | Intervention | Mechanism | Outcome

_ALNUM = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
#: Ids of 1 to 16 characters: an alphanumeric head, then any id characters, the
#: trailing ``-_.`` stripped. (``st.from_regex`` draws the same set at five times the cost.)
_IDS: st.SearchStrategy[str] = st.builds(
    lambda head, rest: (head + rest).rstrip("-_."),
    st.sampled_from(_ALNUM),
    st.text(alphabet=_ALNUM + "-_.", max_size=15),
)
#: Indices into what was drawn before: taken modulo the length of the pool.
_INDEX = st.integers(0, 255)
_DOMAINS = ("clinical", "work", "interpersonal")
_DOIS = ("10.1000/xyz", "10.1186/s12913-021-06006-1")
_EVIDENCE_KINDS = ("realist-evaluation", "realist-synthesis", "interview")
#: Checks a generated theory's own ``check:`` block may ignore: style checks that no
#: property of the suite counts on (ignoring any check is legal, but a theory that
#: ignores the check a test selects would test nothing).
_IGNORABLE = ("M003", "M005", "R004", "N004")
_SELECTABLE = ("R", "N", "M", "G", "R002", "N001")


def ids() -> st.SearchStrategy[str]:
    """Valid ids: letters, digits, ``-``, ``_`` and ``.``, starting and ending alphanumeric."""
    return _IDS


def _not_blank(text: str) -> str:
    return text if text.strip() else f"x{text}"


@cache
def _labels(alphabet: st.SearchStrategy[str] | None, max_size: int) -> st.SearchStrategy[str]:
    text = (
        st.text(alphabet=alphabet, min_size=1, max_size=max_size)
        if alphabet
        else st.text(min_size=1, max_size=max_size)
    )
    return text.map(_not_blank)


def labels(
    *, alphabet: st.SearchStrategy[str] | None = None, max_size: int = 40
) -> st.SearchStrategy[str]:
    """Labels: any non-blank text, quotes, colons, braces, newlines and all scripts included."""
    if max_size < 1:
        raise InvalidArgument(f"max_size={max_size} must be at least 1")
    return _labels(alphabet, max_size)


def _optional(strategy: st.SearchStrategy[_T]) -> st.SearchStrategy[_T | None]:
    return st.none() | strategy


def _tuples(
    strategy: st.SearchStrategy[_T], max_size: int = 2
) -> st.SearchStrategy[tuple[_T, ...]]:
    return st.lists(strategy, max_size=max_size).map(tuple)


def _choices(literal: object) -> st.SearchStrategy[str]:
    return st.sampled_from(values(literal))


#: Free tags are ids; a few words stand for them (ids themselves are drawn for every record).
_TAGS = st.lists(
    st.sampled_from(("core", "draft", "phase-1", "s3.format")), unique=True, max_size=2
)
_INDICES = st.lists(_INDEX, max_size=2)
#: Annotations: kind, text, rules countered, source and locator (see ``make.annotation``).
_ANNOTATIONS = st.lists(
    st.tuples(
        _choices(AnnotationKind),
        st.sampled_from(("Time pressure", "Peer mentors")),
        _INDICES,
        _optional(_INDEX),
        _optional(st.just("p. 4")),
    ),
    max_size=1,
)
_WORDS = st.lists(st.sampled_from(("survey", "records", "interviews")), unique=True, max_size=2)


def _gated(
    always: Mapping[str, st.SearchStrategy[Any]], extra: Mapping[str, st.SearchStrategy[Any]]
) -> st.SearchStrategy[dict[str, Any]]:
    """The ``always`` fields, and either none of the ``extra`` ones or each drawn.

    One choice leaves every descriptive field of a record at its default, so
    plain records are cheap to draw and a failing example sheds them at once.
    """
    return st.builds(
        make.merge, st.fixed_dictionaries(always), st.none() | st.fixed_dictionaries(extra)
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
        "truncated": st.booleans(),
        "inferred": _INDICES,
    }
    facets = st.builds(Facets, who=note, whom=note, where=note, when=note, circumstances=note)
    component = st.tuples(_INDEX, text, note)
    return {
        "context": _gated(
            {
                "label": text,
                "level": _optional(_choices(ContextLevel)),
                "dimension": _optional(_choices(Dimension)),
            },
            {**extra, "facets": _optional(facets), "indicators": _WORDS},
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
                "indicators": _WORDS,
            },
        ),
        "outcome": _gated(
            {
                "label": text,
                "polarity": _optional(_choices(Polarity)),
                "domain": _optional(st.sampled_from(_DOMAINS)),
                "opposite": _optional(_INDEX),
                "variant_of": _optional(_INDEX),
            },
            {**extra, "measures": _tuples(text)},
        ),
    }


@cache
def _drafts(text: st.SearchStrategy[str]) -> st.SearchStrategy[tuple[str, str, dict[str, Any]]]:
    """``(id, kind, fields)`` of a node of any kind (one ``one_of``, shrinks towards contexts)."""
    fields = _node_fields(text)
    return st.one_of(*(st.tuples(_IDS, st.just(kind), fields[kind]) for kind in KINDS))


@cache
def _standalone(
    kind: str, idents: st.SearchStrategy[str], text: st.SearchStrategy[str]
) -> st.SearchStrategy[Any]:
    fields = _node_fields(text)[kind]
    return st.builds(make.node, idents, st.just(kind), fields, st.just(make.World()))


def _ids_and_text(
    ids: st.SearchStrategy[str] | None, labels: st.SearchStrategy[str] | None
) -> tuple[st.SearchStrategy[str], st.SearchStrategy[str]]:
    return (ids if ids is not None else _IDS), (labels if labels is not None else _labels(None, 40))


def contexts(
    *, ids: st.SearchStrategy[str] | None = None, labels: st.SearchStrategy[str] | None = None
) -> st.SearchStrategy[Context]:
    """Contexts with any level, dimension, facets, tags and description."""
    return _standalone("context", *_ids_and_text(ids, labels))


def interventions(
    *, ids: st.SearchStrategy[str] | None = None, labels: st.SearchStrategy[str] | None = None
) -> st.SearchStrategy[Intervention]:
    """Interventions with a few components from the S3 vocabulary."""
    return _standalone("intervention", *_ids_and_text(ids, labels))


def mechanisms(
    *, ids: st.SearchStrategy[str] | None = None, labels: st.SearchStrategy[str] | None = None
) -> st.SearchStrategy[Mechanism]:
    """Mechanisms with or without a resource and a reasoning part, some placed in the six."""
    return _standalone("mechanism", *_ids_and_text(ids, labels))


def outcomes(
    *, ids: st.SearchStrategy[str] | None = None, labels: st.SearchStrategy[str] | None = None
) -> st.SearchStrategy[Outcome]:
    """Outcomes with any polarity, domain and measures.

    No ``opposite`` or ``variant_of``: those need a theory (:func:`theories` draws them).
    """
    return _standalone("outcome", *_ids_and_text(ids, labels))


def nodes(
    *, ids: st.SearchStrategy[str] | None = None, labels: st.SearchStrategy[str] | None = None
) -> st.SearchStrategy[AnyNode]:
    """Nodes of any kind."""
    pair = _ids_and_text(ids, labels)
    return st.one_of(*(_standalone(kind, *pair) for kind in KINDS))


# --------------------------------------------------------------------------- rules


@cache
def _rule_fields(
    text: st.SearchStrategy[str], max_slot_size: int
) -> st.SearchStrategy[dict[str, Any]]:
    """A rule's fields but its id; slots and evidence sources are indices (see ``make.rule``)."""
    note = _optional(text)
    slots: dict[str, st.SearchStrategy[Any]] = {
        s.keyword: st.lists(
            _INDEX, max_size=max_slot_size if s.keyword in make.WIDE else min(1, max_slot_size)
        )
        for s in SLOTS
    }
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
            "participant": note,
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
            "programme_theory": _optional(_INDEX),
            "evidence": st.lists(evidence, max_size=2),
            "any_context": st.booleans(),
            "context_groups": st.lists(st.lists(_INDEX, min_size=2, max_size=2), max_size=1),
            "mechanism_links": st.lists(st.tuples(_INDEX, _INDICES, _INDICES), max_size=2),
            "outcome_steps": st.lists(st.tuples(_INDEX, _INDEX), max_size=2),
        },
        {
            "source_label": note,
            "statement": note,
            "description": note,
            "tags": _TAGS,
            "iterations": _INDICES,
            "missing_parts": st.lists(_choices(MissingPart), unique=True, max_size=1),
            "actor": _optional(st.sampled_from(("GP", "service user"))),
            "segments": st.lists(st.tuples(_optional(_INDEX), note), max_size=3),
            "annotations": _ANNOTATIONS,
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
    themes: Sequence[str] = (),
    programme_theories: Sequence[str] = (),
    rule_ids: Sequence[str] = (),
    ids: st.SearchStrategy[str] | None = None,
    max_slot_size: int = 3,
) -> Rule:
    """Rules over given ids: any mix of slots and format 2.0 parts, incomplete ones included.

    Args:
        contexts: Ids that may stand in ``if``/``unless``/``if_any``/``despite`` and
            in a mechanism's ``requires`` (contexts and outcomes).
        interventions: Ids for ``with``.
        mechanisms: Ids for ``because``.
        outcomes: Ids for ``then``/``reduces``/``otherwise``.
        sources: Source ids evidence and annotations may cite.
        modifiers: Ids for ``within``/``moderated_by`` (contexts only).
        themes: Declared theme ids for ``theme``.
        programme_theories: Declared programme theory ids for ``programme_theory``.
        rule_ids: Rule ids annotations may counter.
        ids: Strategy for the rule id.
        max_slot_size: The most ids drawn for one slot.
    """
    if max_slot_size < 0:
        raise InvalidArgument(f"max_slot_size={max_slot_size} must not be negative")
    ident = draw(ids if ids is not None else _IDS)
    pools = {
        **dict.fromkeys(("if", "unless", "despite"), contexts),
        **dict.fromkeys(("within", "moderated_by"), modifiers),
        "with": interventions,
        "because": mechanisms,
        **dict.fromkeys(("then", "reduces", "otherwise"), outcomes),
    }
    drawn = draw(_rule_fields(_labels(None, 40), max_slot_size))
    refs = make.Refs(pools, sources, (1, 2, 3), themes, programme_theories, rule_ids)
    return make.rule(ident, drawn, refs)


# --------------------------------------------------------------------------- theories


_CHECK = st.builds(
    CheckSettings,
    select=_tuples(st.sampled_from(_SELECTABLE), max_size=1),
    ignore=st.lists(st.sampled_from(_IGNORABLE), max_size=2, unique=True).map(tuple),
    fail_on=_optional(_choices(Severity)),
)
_ATTRIBUTES = st.dictionaries(
    st.sampled_from(("role", "site", "age")),
    st.sampled_from(("nurse", "GP", "A")) | st.integers(18, 70),
    max_size=2,
).map(lambda d: tuple(d.items()))


def _declared(fields: Mapping[str, st.SearchStrategy[Any]]) -> st.SearchStrategy[list[Any]]:
    """A few records with distinct ids (sources, themes, programme theories, participants)."""
    return st.lists(
        st.fixed_dictionaries({"id": _IDS, **fields}), max_size=2, unique_by=lambda d: d["id"]
    )


@cache
def _parts(text: st.SearchStrategy[str]) -> dict[str, st.SearchStrategy[Any]]:
    """The strategies of the theory-level parts (see ``make.theory``), for one strategy of text."""
    note = _optional(text)
    category = st.builds(TaxonomyCategory, id=_IDS, label=text, description=note)
    taxon = st.tuples(_IDS, text, _INDEX, _INDEX, _optional(_INDEX), note, note, note)
    aspect = st.builds(ComponentAspect, id=_IDS, label=text, items=_tuples(text), note=note)
    vocabulary = st.builds(
        ComponentVocabulary,
        id=_IDS,
        label=text,
        description=note,
        citation=note,
        categories=_tuples(
            st.builds(
                ComponentCategory,
                id=_IDS,
                label=text,
                aspects=st.lists(aspect, max_size=2, unique_by=lambda a: a.id).map(tuple),
            )
        ),
    )
    taxonomy = st.builds(
        make.taxonomy,
        st.fixed_dictionaries({"id": _IDS, "label": text, "description": note, "citation": note}),
        st.lists(_IDS, min_size=1, max_size=3, unique=True),
        st.lists(category, max_size=2, unique_by=lambda c: c.id),
        st.lists(taxon, max_size=4, unique_by=lambda t: t[0]),
    )
    return {
        "fields": st.fixed_dictionaries(
            {
                "title": text,
                "description": note,
                "authors": _tuples(text),
                "check": _optional(_CHECK),
            }
        ),
        "sources": _declared(
            {
                "citation": text,
                "year": _optional(st.integers(1900, 2100)),
                "doi": _optional(st.sampled_from(_DOIS)),
                "url": _optional(st.just("https://example.org/study")),
            }
        ),
        "iterations": st.lists(
            st.builds(Iteration, number=st.integers(1, 9), label=text, description=note),
            max_size=2,
            unique_by=lambda it: it.number,
        ),
        "taxonomy": st.none() | st.sampled_from(sorted(BUILTIN_TAXONOMIES)) | taxonomy,
        "vocabulary": st.none() | st.sampled_from(sorted(BUILTIN_VOCABULARIES)) | vocabulary,
        "themes": _declared(
            {
                "label": text,
                "source_label": note,
                "description": note,
                "recommendation": note,
                "annotations": _ANNOTATIONS,
                "inferred": _INDICES,
            }
        ),
        "programmes": _declared({"label": text, "source_label": note, "description": note}),
        "participants": _declared({"label": note, "attributes": _ATTRIBUTES}),
        "relations": st.lists(
            st.tuples(
                _choices(RelationType), _INDEX, _INDEX, st.booleans(), st.booleans(), note, note
            ),
            max_size=2,
        ),
        "links": st.lists(st.tuples(_INDEX, _INDEX, note), max_size=2),
        "based_on": _INDICES,
        "iteration": _optional(st.integers(1, 9)),
    }


@cache
def _theories(
    text: st.SearchStrategy[str], nodes: tuple[int, int], rules: tuple[int, int], links: bool
) -> st.SearchStrategy[Theory]:
    drafts = {
        "nodes": st.lists(
            _drafts(text), min_size=nodes[0], max_size=nodes[1], unique_by=lambda d: d[0]
        ),
        "rules": st.lists(
            st.tuples(_IDS, _rule_fields(text, 3)),
            min_size=rules[0],
            max_size=rules[1],
            unique_by=lambda r: r[0],
        ),
    }
    parts = {**_parts(text), **({} if links else {"links": st.just([])})}
    return st.builds(make.theory, st.fixed_dictionaries({**drafts, **parts}))


def theories(
    *,
    min_nodes: int = 0,
    max_nodes: int = 12,
    min_rules: int = 0,
    max_rules: int = 8,
    labels: st.SearchStrategy[str] | None = None,
    links: bool = True,
) -> st.SearchStrategy[Theory]:
    """Whole theories that pass every structural check, with every optional field drawn.

    Nodes are drawn first (with unique ids), then rules whose slots and nested
    parts are indices into the nodes drawn, then explicit links from outcomes
    to contexts. Sources, iterations, a taxonomy (built-in or declared), a
    component vocabulary, check settings, themes, programme theories,
    participants and relations are drawn too, and everything that names them
    (evidence, annotations, ``based_on``, ``iterations``, ``taxon``,
    components, ``opposite``, ``variant_of``, ``theme``, ``programme_theory``)
    points at what was drawn. Shrinks towards the empty theory.

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
    return _theories(text, (min_nodes, max_nodes), (min_rules, max_rules), links)


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
