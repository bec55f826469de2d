"""The smaller records of format 2.0: parts of a rule, and the theory's themes, relations, people.

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
    model_validator,
)

from cimo.core._base import (
    JSON,
    LIST,
    NESTED,
    NESTED_WORDING,
    PLAIN,
    WORDING,
    CimoModel,
    Id,
    Label,
)
from cimo.core.vocabulary import AnnotationKind, RelationType

__all__ = [
    "Annotation",
    "AttributeValue",
    "MechanismLink",
    "OutcomeStep",
    "Participant",
    "ProgrammeTheory",
    "Relation",
    "RelationEnd",
    "Segment",
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
    stated: Annotated[bool, PLAIN] = True
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
