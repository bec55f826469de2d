"""Hypothesis strategies for cimo: ids, labels, nodes, rules, whole theories and scenarios.

Public API, in Hypothesis house style: plural names, keyword-only options,
strategies as arguments, and structures built to shrink well (nodes are drawn
first, rules then pick them by index, so a failing theory shrinks towards
fewer, simpler rules). Requires ``pip install cimo[testing]``.

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

from collections.abc import Callable, Sequence
from typing import Any

from cimo.errors import MissingDependencyError

try:
    from hypothesis import strategies as st
    from hypothesis.errors import InvalidArgument
except ImportError as _err:  # pragma: no cover - exercised only without hypothesis
    raise MissingDependencyError(
        "cimo.strategies needs Hypothesis: pip install 'cimo[testing]'"
    ) from _err

from cimo.model import (
    Annotation,
    Component,
    Context,
    Evidence,
    Intervention,
    Link,
    Mechanism,
    MechanismLink,
    MissingPart,
    Outcome,
    OutcomeStep,
    Participant,
    ProgrammeTheory,
    Relation,
    RelationType,
    Rule,
    Segment,
    Source,
    Theme,
    Theory,
)
from cimo.taxonomy import WORK_FOCUSED_GROUP_CBT

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

_ID_REGEX = r"[A-Za-z0-9](?:[A-Za-z0-9_.\-]{0,14}[A-Za-z0-9])?"
_STATUSES = ("hypothesised", "supported", "refined", "refuted")
_POLARITIES = ("desired", "undesired", "positive", "negative", "neutral", "mixed")
_RELATION_TYPES: tuple[RelationType, ...] = (
    "feeds",
    "counterpart-of",
    "refines",
    "supersedes",
    "rival-of",
    "corresponds-to",
)
_ANNOTATION_KINDS = (
    "tension", "facilitator", "counter-strategy", "recommendation", "formal-theory", "note"
)  # fmt: skip
_MISSING: tuple[MissingPart, ...] = ("context", "intervention", "mechanism", "outcome")
_SIX_TAXA = tuple(t.id for t in WORK_FOCUSED_GROUP_CBT.taxa)


def ids() -> st.SearchStrategy[str]:
    """Valid ids: letters, digits, ``-``, ``_`` and ``.``, starting and ending alphanumeric."""
    return st.from_regex(_ID_REGEX, fullmatch=True)


def _not_blank(text: str) -> str:
    return text if text.strip() else f"x{text}"


def labels(
    *, alphabet: st.SearchStrategy[str] | None = None, max_size: int = 40
) -> st.SearchStrategy[str]:
    """Labels: any non-blank text, quotes, colons, braces, newlines and all scripts included."""
    if max_size < 1:
        raise InvalidArgument(f"max_size={max_size} must be at least 1")
    text = (
        st.text(alphabet=alphabet, min_size=1, max_size=max_size)
        if alphabet
        else st.text(min_size=1, max_size=max_size)
    )
    return text.map(_not_blank)


def _optional(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.none() | strategy


def _words() -> st.SearchStrategy[tuple[str, ...]]:
    """A few short texts (indicators, measures)."""
    words = st.lists(st.sampled_from(("survey", "records", "interviews")), unique=True, max_size=2)
    return words.map(tuple)


def _common(draw: st.DrawFn, fields: Sequence[str]) -> dict[str, Any]:
    """What every node may have: a truncated label, and fields marked as inferred."""
    return {
        "truncated": draw(st.booleans()),
        "inferred": tuple(draw(st.lists(st.sampled_from(fields), unique=True, max_size=2))),
    }


@st.composite
def contexts(
    draw: st.DrawFn,
    *,
    ids: st.SearchStrategy[str] | None = None,
    labels: st.SearchStrategy[str] | None = None,
) -> Context:
    """Contexts with any level, dimension and facets."""
    return Context(
        id=draw(ids if ids is not None else _module_ids()),
        label=draw(labels if labels is not None else _module_labels()),
        level=draw(_optional(st.sampled_from(("micro", "meso", "macro", "interface")))),
        dimension=draw(_optional(st.sampled_from(("individual", "systemic")))),
        indicators=draw(_words()),
        **_common(draw, ("label", "level", "dimension")),
    )


@st.composite
def interventions(
    draw: st.DrawFn,
    *,
    ids: st.SearchStrategy[str] | None = None,
    labels: st.SearchStrategy[str] | None = None,
) -> Intervention:
    """Interventions with a few components from the S3 vocabulary."""
    components = draw(
        st.lists(
            st.builds(
                Component,
                category=st.just("operational"),
                aspect=st.sampled_from(("format", "dose", "duration", "deliverer")),
                value=labels if labels is not None else _module_labels(),
            ),
            max_size=2,
        )
    )
    return Intervention(
        id=draw(ids if ids is not None else _module_ids()),
        label=draw(labels if labels is not None else _module_labels()),
        components=tuple(components),
        **_common(draw, ("label", "components")),
    )


@st.composite
def mechanisms(
    draw: st.DrawFn,
    *,
    ids: st.SearchStrategy[str] | None = None,
    labels: st.SearchStrategy[str] | None = None,
) -> Mechanism:
    """Mechanisms with or without a resource and a reasoning part, some placed in the six."""
    text = labels if labels is not None else _module_labels()
    return Mechanism(
        id=draw(ids if ids is not None else _module_ids()),
        label=draw(text),
        resource=draw(_optional(text)),
        reasoning=draw(_optional(text)),
        category=draw(
            _optional(st.sampled_from(("work-focused", "psychological", "relationship-focused")))
        ),
        taxon=draw(_optional(st.sampled_from(_SIX_TAXA))),
        behaviour=draw(_optional(text)),
        polarity=draw(_optional(st.sampled_from(("positive", "negative")))),
        absent=draw(st.booleans()),
        indicators=draw(_words()),
        **_common(draw, ("label", "category", "resource", "reasoning")),
    )


@st.composite
def outcomes(
    draw: st.DrawFn,
    *,
    ids: st.SearchStrategy[str] | None = None,
    labels: st.SearchStrategy[str] | None = None,
) -> Outcome:
    """Outcomes with any polarity, domain and measures.

    No ``opposite`` or ``variant_of``: those need the whole theory (:func:`theories`
    draws variants).
    """
    return Outcome(
        id=draw(ids if ids is not None else _module_ids()),
        label=draw(labels if labels is not None else _module_labels()),
        polarity=draw(_optional(st.sampled_from(_POLARITIES))),
        domain=draw(_optional(st.sampled_from(("clinical", "work", "interpersonal")))),
        measures=draw(_words()),
        **_common(draw, ("label", "polarity", "domain")),
    )


def nodes(
    *, ids: st.SearchStrategy[str] | None = None, labels: st.SearchStrategy[str] | None = None
) -> st.SearchStrategy[Context | Intervention | Mechanism | Outcome]:
    """Nodes of any kind."""
    kw: dict[str, Any] = {"ids": ids, "labels": labels}
    return st.one_of(contexts(**kw), interventions(**kw), mechanisms(**kw), outcomes(**kw))


def _module_ids() -> st.SearchStrategy[str]:
    return ids()


def _module_labels() -> st.SearchStrategy[str]:
    return labels()


def _subset(
    draw: st.DrawFn, pool: Sequence[str], max_size: int, *, exclude: set[str] | None = None
) -> tuple[str, ...]:
    if not pool:
        return ()
    picked = draw(st.lists(st.sampled_from(pool), unique=True, max_size=max_size))
    if exclude:
        picked = [p for p in picked if p not in exclude]
    return tuple(picked)


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
    themes: Sequence[str] = ("A", "B"),
    programme_theories: Sequence[str] = (),
    participants: Sequence[str] = (),
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
        themes: Theme ids for ``theme``.
        programme_theories: Programme theory ids for ``programme_theory``.
        participants: Participant ids evidence may name.
        rule_ids: Rule ids annotations may counter.
        ids: Strategy for the rule id.
        max_slot_size: The most ids drawn for one slot.
    """
    if max_slot_size < 0:
        raise InvalidArgument(f"max_slot_size={max_slot_size} must not be negative")
    if_ = _subset(draw, contexts, max_slot_size)
    unless = _subset(draw, contexts, 1, exclude=set(if_))
    then = _subset(draw, outcomes, max_slot_size)
    reduces = _subset(draw, outcomes, 1, exclude=set(then))
    otherwise = _subset(draw, outcomes, 1, exclude={*then, *reduces})
    because = _subset(draw, mechanisms, max_slot_size)
    within = _subset(draw, modifiers, 1, exclude={*if_, *unless})
    moderators = _subset(draw, modifiers, 1, exclude={*if_, *unless, *within})
    taken = {*if_, *unless, *within, *moderators}
    return Rule(
        id=draw(ids if ids is not None else _module_ids()),
        contexts=if_,
        any_context=not if_ and draw(st.booleans()),
        context_groups=tuple(
            g for g in [_subset(draw, contexts, 2)] if len(g) == 2 and draw(st.booleans())
        ),
        unless=unless,
        modifiers=within,
        moderators=moderators,
        despite=_subset(draw, contexts, 1, exclude=taken),
        interventions=_subset(draw, interventions, max_slot_size),
        mechanisms=because,
        mechanism_links=_mechanism_links(draw, because, contexts, (*then, *reduces)),
        mechanism_mode=draw(st.sampled_from(("together", "alternatives", "unstated"))),
        outcomes=then,
        reduces=reduces,
        otherwise=otherwise,
        outcome_steps=_steps(draw, (*then, *reduces, *otherwise)),
        missing_parts=tuple(draw(st.lists(st.sampled_from(_MISSING), unique=True, max_size=1))),
        actor=draw(_optional(st.sampled_from(("GP", "service user")))),
        programme_theory=draw(_optional(st.sampled_from(programme_theories)))
        if programme_theories
        else None,
        status=draw(st.sampled_from(_STATUSES)),
        theme=draw(_optional(st.sampled_from(themes))) if themes else None,
        segments=_segments(draw, (*if_, *because, *then)),
        annotations=tuple(draw(st.lists(_annotations(rule_ids, sources), max_size=1))),
        inferred=_subset(draw, ("theme", "if", "status"), 2),
        evidence=tuple(draw(st.lists(_evidence(sources, participants), max_size=2))),
    )


def _evidence(sources: Sequence[str], participants: Sequence[str]) -> st.SearchStrategy[Evidence]:
    return st.builds(
        Evidence,
        source=st.sampled_from(sources) if sources else st.none(),
        stance=_optional(st.sampled_from(("supports", "refutes", "refines", "source"))),
        incidence=_optional(st.integers(0, 30)),
        participant=_optional(st.sampled_from((*participants, "a nurse"))),
    )


def _mechanism_links(
    draw: st.DrawFn, because: Sequence[str], contexts: Sequence[str], outcomes: Sequence[str]
) -> tuple[MechanismLink, ...]:
    """Object items for some of the mechanisms: their own conditions and outcomes."""
    chosen = sorted(_subset(draw, because, 2), key=because.index)
    return tuple(
        MechanismLink(
            mechanism=m, requires=_subset(draw, contexts, 1), then=_subset(draw, outcomes, 1)
        )
        for m in chosen
    )


def _steps(draw: st.DrawFn, outcomes: Sequence[str]) -> tuple[OutcomeStep, ...]:
    if len(outcomes) < 2 or not draw(st.booleans()):
        return ()
    first, second = draw(st.permutations(outcomes))[:2]
    return (OutcomeStep(from_=first, to=second),)


def _segments(draw: st.DrawFn, refs: Sequence[str]) -> tuple[Segment, ...]:
    if not draw(st.booleans()):
        return ()
    pieces = [Segment(ref=r) for r in refs] + [Segment(text="which leads to")]
    return tuple(draw(st.permutations(pieces)))


def _annotations(rule_ids: Sequence[str], sources: Sequence[str]) -> st.SearchStrategy[Annotation]:
    return st.builds(
        Annotation,
        kind=st.sampled_from(_ANNOTATION_KINDS),
        text=st.sampled_from(("Time pressure", "Peer mentors")),
        counters=st.lists(st.sampled_from(rule_ids), unique=True, max_size=1).map(tuple)
        if rule_ids
        else st.just(()),
        source=st.sampled_from(sources) if sources else st.none(),
        locator=_optional(st.just("p. 4")),
    )


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
    """Whole theories that pass every structural check.

    Nodes are drawn first (with unique ids), then rules that name them, then
    explicit links from outcomes to contexts. Shrinks towards the empty theory.

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
    text = labels if labels is not None else _module_labels()
    n_nodes = draw(st.integers(min_nodes, max_nodes))
    n_rules = draw(st.integers(min_rules, max_rules))
    all_ids = draw(
        st.lists(ids(), min_size=n_nodes + n_rules, max_size=n_nodes + n_rules, unique_by=str)
    )
    kinds = draw(
        st.lists(
            st.sampled_from(("context", "intervention", "mechanism", "outcome")),
            min_size=n_nodes,
            max_size=n_nodes,
        )
    )
    builders: dict[
        str, Callable[..., st.SearchStrategy[Context | Intervention | Mechanism | Outcome]]
    ] = {
        "context": contexts,
        "intervention": interventions,
        "mechanism": mechanisms,
        "outcome": outcomes,
    }
    drawn = [
        draw(builders[kind](ids=st.just(all_ids[i]), labels=text)) for i, kind in enumerate(kinds)
    ]
    by_kind: dict[str, list[str]] = {k: [] for k in builders}
    for node in drawn:
        by_kind[node.kind].append(node.id)
    drawn = _with_variants(draw, drawn, by_kind["outcome"])
    source_ids = draw(st.lists(st.sampled_from(("s1", "s2")), unique=True, max_size=2))
    themes = _themes(draw, source_ids)
    programmes = draw(st.lists(st.sampled_from(("uk", "nl")), unique=True, max_size=2))
    people = draw(st.lists(st.sampled_from(("p1", "p2")), unique=True, max_size=2))
    rule_ids = all_ids[n_nodes:]
    the_rules = [
        draw(
            rules(
                contexts=by_kind["context"] + by_kind["outcome"],
                interventions=by_kind["intervention"],
                mechanisms=by_kind["mechanism"],
                outcomes=by_kind["outcome"],
                sources=source_ids,
                modifiers=by_kind["context"],
                themes=[t.id for t in themes],
                programme_theories=programmes,
                participants=people,
                rule_ids=rule_ids,
                ids=st.just(rule_ids[j]),
            )
        )
        for j in range(n_rules)
    ]
    the_links: list[Link] = []
    if links and by_kind["outcome"] and by_kind["context"]:
        pairs = draw(
            st.lists(
                st.tuples(st.sampled_from(by_kind["outcome"]), st.sampled_from(by_kind["context"])),
                unique=True,
                max_size=2,
            )
        )
        the_links = [Link(outcome=o, context=c) for o, c in pairs]
    taxonomy = draw(st.sampled_from((None, "work-focused-group-cbt")))
    return Theory(
        id="generated",
        title=draw(text),
        taxonomy=taxonomy,
        nodes=tuple(drawn),
        rules=tuple(the_rules),
        links=tuple(the_links),
        sources=tuple(Source(id=s, citation=f"Source {s}") for s in source_ids),
        themes=themes,
        programme_theories=tuple(
            ProgrammeTheory(id=p, label=f"{p.upper()} case", source_label=draw(_optional(text)))
            for p in programmes
        ),
        participants=tuple(
            Participant(id=p, label=draw(_optional(text)), attributes=draw(_attributes()))
            for p in people
        ),
        relations=_relations(draw, all_ids),
    )


def _attributes() -> st.SearchStrategy[tuple[tuple[str, str | int], ...]]:
    values = st.one_of(st.sampled_from(("nurse", "GP", "A")), st.integers(18, 70))
    return st.dictionaries(st.sampled_from(("role", "site", "age")), values, max_size=2).map(
        lambda d: tuple(d.items())
    )


def _themes(draw: st.DrawFn, sources: Sequence[str]) -> tuple[Theme, ...]:
    picked = _subset(draw, ("A", "B"), 2)
    return tuple(
        Theme(
            id=t,
            label=f"Theme {t}",
            source_label=draw(_optional(st.just(f"T{t}"))),
            description=draw(_optional(st.just("What the theme is about"))),
            recommendation=draw(_optional(st.just("Invest in continuity"))),
            annotations=tuple(draw(st.lists(_annotations((), sources), max_size=1))),
            inferred=_subset(draw, ("label", "recommendation"), 1),
        )
        for t in picked
    )


def _with_variants(
    draw: st.DrawFn, drawn: list[Context | Intervention | Mechanism | Outcome], outcomes: list[str]
) -> list[Context | Intervention | Mechanism | Outcome]:
    """Make one outcome a variant of another, sometimes."""
    if len(outcomes) < 2 or not draw(st.booleans()):
        return drawn
    variant, of = draw(st.permutations(outcomes))[:2]
    return [
        Outcome.model_validate({**dict(n), "variant_of": of}) if n.id == variant else n
        for n in drawn
    ]


def _relations(draw: st.DrawFn, pool: Sequence[str]) -> tuple[Relation, ...]:
    if len(pool) < 2:
        return ()
    ends = st.permutations(pool).map(lambda p: (p[0], p[1]))
    drawn = draw(st.lists(st.tuples(st.sampled_from(_RELATION_TYPES), ends), max_size=2))
    out: dict[tuple[str, str, str], Relation] = {}
    for kind, (a, b) in drawn:
        to = f"other.yaml#{b}" if kind == "corresponds-to" and draw(st.booleans()) else b
        rel = Relation(
            type=kind,
            from_=a,
            to=to,
            stated=draw(st.booleans()),
            note=draw(_optional(st.just("inferred from the figure"))),
            source_label=draw(_optional(st.just("arrow 3"))),
        )
        out.setdefault(rel.key, rel)
    return tuple(out.values())


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
    chosen_c = _subset(
        draw, context_ids, len(context_ids) if max_contexts is None else max_contexts
    )
    chosen_i = _subset(
        draw,
        intervention_ids,
        len(intervention_ids) if max_interventions is None else max_interventions,
    )
    return frozenset(chosen_c), frozenset(chosen_i)
