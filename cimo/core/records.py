"""The smaller records of format 2.0: parts of a rule, theory-level records, provenance.

Parts of a rule; the theory's themes, relations and people; and its
provenance (evidence, sources with their appraisal, iterations).

Defined below :mod:`cimo.core.model`, which holds them in its rules and
theories; import the names from :mod:`cimo.model`. Each record has the one
model config of :class:`~cimo.core._base.CimoModel` (frozen, no unknown keys)
and every field a :class:`~cimo.core.vocabulary.Policy`.

>>> MechanismLink(mechanism="m2", requires=("c5",)).requires
('c5',)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, TypeAlias

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    PlainSerializer,
    StringConstraints,
    WithJsonSchema,
    model_validator,
)

from cimo.core._base import (
    JSON,
    LIST,
    NESTED,
    NESTED_WORDING,
    PLAIN,
    VALUED,
    WORDING,
    CimoModel,
    Id,
    Label,
)
from cimo.core.vocabulary import (
    AnnotationKind,
    Appraisal,
    AppraisalCriterion,
    EvidenceStance,
    Intensity,
    RelationType,
)

__all__ = [
    "Annotation",
    "AttributeValue",
    "Evidence",
    "Iteration",
    "MechanismLink",
    "OutcomeStep",
    "Participant",
    "ProgrammeTheory",
    "Relation",
    "RelationEnd",
    "Segment",
    "Source",
    "Theme",
]

#: The far end of a relation: an id of this theory, or ``file#id`` (a rule or
#: element of another theory file, kept as text and not resolved).
RelationEnd: TypeAlias = Annotated[
    str,
    StringConstraints(
        pattern=r"^(?:[^#\s][^#]*#)?[A-Za-z0-9](?:[A-Za-z0-9_.\-]{0,126}[A-Za-z0-9])?$"
    ),
]
#: The value of a participant attribute (a classification, as in NVivo).
AttributeValue: TypeAlias = str | int | float | bool

# --------------------------------------------------------------------------- parts of a rule


class MechanismLink(CimoModel):
    """What holds for one mechanism of a rule only: its own conditions and its own outcomes.

    Written as an object item of a rule's ``because`` list
    (``because: [m1, {mechanism: m2, requires: [c5], then: [o2]}]``).

    >>> link = MechanismLink(mechanism="m2", requires=("c5",), then=("o2",))
    >>> link.model_dump(exclude_defaults=True)
    {'mechanism': 'm2', 'requires': ('c5',), 'then': ('o2',)}
    """

    mechanism: Annotated[Id, NESTED]
    """The mechanism (one of the rule's ``because`` ids)."""
    requires: Annotated[tuple[Id, ...], NESTED] = ()
    """Contexts or outcomes that must hold for THIS mechanism to fire."""
    then: Annotated[tuple[Id, ...], NESTED] = ()
    """The rule's outcomes that follow through this mechanism only (each in its
    ``then`` or ``reduces``)."""


class OutcomeStep(CimoModel):
    """One outcome leading to another inside one configuration ("O1, which results in O2").

    Both ends are outcomes of the same rule (its ``then``, ``reduces`` or
    ``otherwise``); the step adds no rule and leaves the rule complete.

    >>> OutcomeStep.model_validate({"from": "o1", "to": "o2"}).from_
    'o1'
    """

    from_: Annotated[Id, NESTED] = Field(alias="from")
    """The earlier outcome."""
    to: Annotated[Id, NESTED]
    """The outcome it leads to."""


class Segment(CimoModel):
    """One piece of a statement in the order the source prints it: an element, prose, or both.

    >>> Segment(ref="c1", text="in practices with a champion").text
    'in practices with a champion'
    >>> Segment()
    Traceback (most recent call last):
    ...
    pydantic_core._pydantic_core.ValidationError: 1 validation error for Segment
    ...
    """

    ref: Annotated[Id | None, NESTED] = None
    """The node (of the rule) this piece prints."""
    text: Annotated[str | None, NESTED_WORDING] = None
    """The words as printed (prose between elements, or the element's printed wording)."""

    @model_validator(mode="after")
    def _ref_or_text(self) -> Segment:
        if self.ref is None and self.text is None:
            raise ValueError("a segment needs a 'ref' (a node id) or a 'text' (or both)")
        return self


class Annotation(CimoModel):
    """A typed note on a rule or a theme: a tension, a facilitator, a recommendation, ...

    >>> Annotation(kind="counter-strategy", text="Peer mentors", counters=("R3",)).counters
    ('R3',)
    """

    kind: Annotated[AnnotationKind, NESTED]
    """tension, facilitator, counter-strategy, recommendation, formal-theory or note."""
    text: Annotated[Label, NESTED_WORDING]
    """The annotation, in words."""
    counters: Annotated[tuple[Id, ...], NESTED] = ()
    """Rules this facilitator or counter-strategy works against (rule ids)."""
    source: Annotated[Id | None, NESTED] = None
    """The id of a :class:`~cimo.model.Source` of the theory it comes from."""
    locator: Annotated[str | None, NESTED] = None
    """Page, table or line within the source."""


# --------------------------------------------------------------------------- theory-level records


class Theme(CimoModel):
    """A theme configurations are grouped under (a record since format 2.0).

    >>> Theme(id="trust", label="Building trust", recommendation="Invest in continuity").label
    'Building trust'
    """

    id: Annotated[Id, PLAIN]
    """The id rules name in their ``theme``."""
    label: Annotated[Label, WORDING]
    """The theme as worded by the source."""
    source_label: Annotated[str | None, WORDING] = None
    """The label the source printed ("Theme 2")."""
    description: Annotated[str | None, WORDING] = None
    recommendation: Annotated[str | None, WORDING] = None
    """What the source recommends for this theme."""
    annotations: Annotated[tuple[Annotation, ...], LIST] = ()
    """Tensions, facilitators, recommendations, ... on the theme."""
    inferred: Annotated[tuple[str, ...], JSON] = ()
    """Fields (file keys) of this record that the encoder inferred."""


class ProgrammeTheory(CimoModel):
    """One programme theory of several in one file (e.g. two countries' case theories).

    >>> ProgrammeTheory(id="uk", label="UK case").id
    'uk'
    """

    id: Annotated[Id, PLAIN]
    """The id rules name in their ``programme_theory``."""
    label: Annotated[Label, WORDING]
    source_label: Annotated[str | None, WORDING] = None
    description: Annotated[str | None, WORDING] = None


class Relation(CimoModel):
    """A typed relation between two elements or rules, stated by the source or inferred.

    ``feeds`` is causal (when ``from`` holds, fires or is produced, ``to`` holds);
    ``counterpart-of``, ``refines``, ``supersedes``, ``rival-of`` and
    ``corresponds-to`` are shown and kept, never reasoned with. ``to`` may name
    a rule of another file as ``other.yaml#R3`` (kept as text).

    >>> r = Relation.model_validate({"type": "feeds", "from": "o1", "to": "c2", "stated": False})
    >>> r.from_, r.to, r.stated, r.external
    ('o1', 'c2', False, False)
    """

    type: Annotated[RelationType, PLAIN]
    """feeds, counterpart-of, refines, supersedes, rival-of or corresponds-to."""
    from_: Annotated[Id, PLAIN] = Field(alias="from")
    """A node or rule of this theory."""
    to: Annotated[RelationEnd, PLAIN]
    """A node or rule of this theory, or ``file#id`` in another theory file."""
    stated: Annotated[bool, VALUED] = True
    """True when the source draws or states the relation; False when the analyst infers it."""
    note: Annotated[str | None, WORDING] = None
    source_label: Annotated[str | None, WORDING] = None

    @property
    def external(self) -> bool:
        """True when ``to`` points into another file (``other.yaml#R3``)."""
        return "#" in self.to

    @property
    def key(self) -> tuple[str, str, str]:
        """What identifies the relation: ``(type, from, to)``."""
        return (self.type, self.from_, self.to)


def _pairs(value: Any) -> Any:
    """A mapping written in a file, as the tuple of (key, value) pairs the record holds."""
    if isinstance(value, Mapping):
        return tuple(value.items())
    return value


def _distinct_keys(
    pairs: tuple[tuple[str, AttributeValue], ...],
) -> tuple[tuple[str, AttributeValue], ...]:
    keys = [k for k, _ in pairs]
    twice = sorted({k for k in keys if keys.count(k) > 1})
    if twice:
        raise ValueError(f"attribute {twice[0]!r} is given twice; give each attribute once")
    if any(not k.strip() for k in keys):
        raise ValueError("an attribute name must not be empty")
    return pairs


def _as_mapping(pairs: tuple[tuple[str, AttributeValue], ...]) -> dict[str, AttributeValue]:
    return dict(pairs)


#: Attributes as (name, value) pairs in Python, as a mapping in files.
Attributes: TypeAlias = Annotated[
    tuple[tuple[str, AttributeValue], ...],
    BeforeValidator(_pairs),
    AfterValidator(_distinct_keys),
    PlainSerializer(_as_mapping, return_type=dict[str, AttributeValue]),
    WithJsonSchema(
        {
            "type": "object",
            "additionalProperties": {"type": ["string", "integer", "number", "boolean"]},
            "description": "Classifications: {role: nurse, site: A, group: ...}.",
        }
    ),
]


class Participant(CimoModel):
    """A person (or group) evidence comes from, with attributes (NVivo-style classifications).

    In files the attributes are a mapping; in Python a tuple of pairs.

    >>> p = Participant.model_validate({"id": "p5", "attributes": {"role": "nurse", "site": "A"}})
    >>> p.attributes, p.attribute("role")
    ((('role', 'nurse'), ('site', 'A')), 'nurse')
    >>> p.model_dump(exclude_defaults=True)
    {'id': 'p5', 'attributes': {'role': 'nurse', 'site': 'A'}}
    """

    id: Annotated[Id, PLAIN]
    """The id evidence names in its ``participant``."""
    label: Annotated[Label | None, WORDING] = None
    """A role or pseudonym ('Participant 5')."""
    attributes: Annotated[Attributes, JSON] = ()
    """Classifications: ``{role: nurse, site: A, group: ...}``."""

    def attribute(self, name: str) -> AttributeValue | None:
        """The value of one attribute, or None."""
        return next((v for k, v in self.attributes if k == name), None)


# --------------------------------------------------------------------------- provenance


class Evidence(CimoModel):
    """Where a rule comes from, and what that source does to it.

    >>> Evidence(source="lexis-2011", locator="Table S2", stance="supports",
    ...          kind="realist-synthesis").stance
    'supports'
    """

    source: Annotated[Id | None, NESTED] = None
    """The id of a :class:`Source` of the theory."""
    locator: Annotated[str | None, NESTED] = None
    """Page, table, line or timestamp within the source."""
    quote: Annotated[str | None, NESTED] = None
    """The excerpt, verbatim."""
    kind: Annotated[Id | None, NESTED] = None
    """realist-evaluation (primary), realist-synthesis (secondary), focus-group, interview, ..."""
    stance: Annotated[EvidenceStance | None, NESTED] = None
    """supports, refutes or refines the rule (a witness), or ``source`` (it only says
    where the rule comes from). No default: None when the encoder did not say."""
    participant: Annotated[str | None, NESTED] = None
    """Who said it: the id of a declared :class:`Participant` (whose attributes then
    apply), or free text (a role or pseudonym: 'former service-user')."""
    incidence: Annotated[Annotated[int, Field(ge=0)] | None, NESTED] = None
    """How many participants (or sources) said it."""
    intensity: Annotated[Intensity | None, NESTED] = None
    """How strongly it was said: low, moderate or high."""
    note: Annotated[str | None, NESTED_WORDING] = None


class Source(CimoModel):
    """A study, document or data set that evidence comes from, and how the review appraised it.

    The bibliographic fields are those a reference manager keeps (named as in
    CSL-JSON), so sources come in from Zotero, EndNote or Mendeley and go back
    out as BibTeX or CSL-JSON (:mod:`cimo.exchange.references`). The appraisal
    follows realist synthesis (RAMESES item 8, Wong et al. 2013; Dada et al.
    2023): each of ``relevance``, ``richness`` and ``rigour`` is ``high``,
    ``moderate`` or ``low``, with a note saying why. Evidence summaries show
    it and can leave out evidence from sources rated below a level
    (:func:`cimo.query.evidence`).

    >>> s = Source(id="wong-2013", citation="Wong et al. (2013)", rigour="high",
    ...            relevance="moderate", relevance_note="synthesis standards, not a trial")
    >>> s.appraisal("rigour"), s.appraisal("richness")
    ('high', None)
    """

    id: Annotated[Id, NESTED]
    citation: Annotated[Label, NESTED_WORDING]
    """The reference as the theory prints it."""
    type: Annotated[Id | None, NESTED] = None
    """The kind of source, as a CSL item type: ``article-journal``, ``book``, ``chapter``,
    ``report``, ``thesis``, ``webpage``, ``interview``, ``dataset``, ..."""
    authors: Annotated[tuple[Label, ...], NESTED] = ()
    """The authors in order, each ``Family, Given`` (an organisation: its name alone)."""
    title: Annotated[str | None, NESTED] = None
    container: Annotated[str | None, NESTED] = None
    """Where it appeared: the journal, the book of a chapter, the website."""
    year: Annotated[int | None, NESTED] = None
    volume: Annotated[str | None, NESTED] = None
    issue: Annotated[str | None, NESTED] = None
    pages: Annotated[str | None, NESTED] = None
    """The page range (``372-397``) or article number."""
    publisher: Annotated[str | None, NESTED] = None
    doi: Annotated[str | None, NESTED] = None
    """The DOI (``10.1108/MHRJ-12-2020-0094``); sources are matched by it on import."""
    url: Annotated[str | None, NESTED] = None
    relevance: Annotated[Appraisal | None, NESTED] = None
    """Can the source contribute to building or testing the programme theory?"""
    relevance_note: Annotated[str | None, NESTED_WORDING] = None
    """Why: the judgement behind ``relevance``."""
    richness: Annotated[Appraisal | None, NESTED] = None
    """How much the source says about contexts and mechanisms (thick, explanatory data)
    rather than outcomes alone."""
    richness_note: Annotated[str | None, NESTED_WORDING] = None
    rigour: Annotated[Appraisal | None, NESTED] = None
    """Is the method that produced the data credible and trustworthy?"""
    rigour_note: Annotated[str | None, NESTED_WORDING] = None

    def appraisal(self, criterion: AppraisalCriterion) -> Appraisal | None:
        """The rating on one criterion (``relevance``, ``richness`` or ``rigour``), or None."""
        value: Appraisal | None = getattr(self, criterion)
        return value


class Iteration(CimoModel):
    """One iteration of a programme theory (theories are refined in iterations)."""

    number: Annotated[Annotated[int, Field(ge=1)], NESTED]
    label: Annotated[Label, NESTED_WORDING]
    description: Annotated[str | None, NESTED_WORDING] = None
