"""The four node kinds of a theory: contexts, interventions, mechanisms and outcomes.

Defined below :mod:`cimo.core.model` (whose rules join them); import the
names from :mod:`cimo.model`.

>>> Context(id="c", label="C", indicators=("sick-leave records",)).indicators
('sick-leave records',)
"""

from __future__ import annotations

from typing import Annotated, Literal, TypeAlias

from pydantic import Field

from cimo.core._base import (
    JSON,
    LIST,
    NEGATIVE,
    NESTED,
    NESTED_WORDING,
    PLAIN,
    POSITIVE,
    WORDING,
    CimoModel,
    Id,
    Label,
    Tag,
)
from cimo.core.vocabulary import ContextLevel, Dimension, MechanismPolarity, Polarity

__all__ = [
    "Component",
    "Context",
    "Facets",
    "Intervention",
    "Mechanism",
    "Node",
    "Outcome",
]

# --------------------------------------------------------------------------- nodes


class Facets(CimoModel):
    """The free-text facets of a context (seed 000, Supplementary S2 extraction form)."""

    who: Annotated[str | None, NESTED] = None
    """Who the intervention is for (client, patient, employee, ...)."""
    whom: Annotated[str | None, NESTED] = None
    """By whom it is delivered (high/low intensity practitioner, peer, ...)."""
    where: Annotated[str | None, NESTED] = None
    """Setting or base (clinic, worksite, ...)."""
    when: Annotated[str | None, NESTED] = None
    """Stage of illness, help-seeking, career, ..."""
    circumstances: Annotated[str | None, NESTED] = None
    """Which circumstances (socio-economic, policy, organisational, ...)."""


class _NodeBase(CimoModel):
    id: Annotated[Id, PLAIN]
    """A readable slug, unique among the theory's nodes and rules."""
    kind: Annotated[str, PLAIN]
    label: Annotated[Label, WORDING]
    """The wording shown to people."""
    source_label: Annotated[str | None, WORDING] = None
    """The label the source printed for this element ("C1", "Outcome 2")."""
    description: Annotated[str | None, WORDING] = None
    """Longer text: a definition, the source's full wording, notes."""
    tags: Annotated[tuple[Tag, ...], LIST] = ()
    """Free tags for filtering and grouping."""
    iterations: Annotated[tuple[int, ...], LIST] = ()
    """The theory iterations this element belongs to (empty: all of them)."""
    truncated: Annotated[bool, PLAIN] = False
    """True when the label printed in the source is cut off (shown with "…")."""
    inferred: Annotated[tuple[str, ...], JSON] = ()
    """Fields (file keys, e.g. ``category``, ``polarity``, ``label``) whose values the
    encoder inferred rather than read in the source; shown as "(inferred)"."""


class Context(_NodeBase):
    """A condition that switches mechanisms on (enabling) or off (disabling).

    >>> Context(id="off-sick", label="Employees off sick with depression",
    ...         level="micro", dimension="individual").level
    'micro'
    """

    kind: Annotated[Literal["context"], PLAIN] = "context"
    level: Annotated[ContextLevel | None, PLAIN] = None
    """micro (individual), meso (organisational), macro (societal) or interface."""
    dimension: Annotated[Dimension | None, PLAIN] = None
    """individual or systemic."""
    facets: Annotated[Facets | None, JSON] = None
    """Who, whom, where, when and which circumstances."""
    indicators: Annotated[tuple[str, ...], LIST] = ()
    """How the context is observed or measured."""


class Component(CimoModel):
    """One component of an intervention, drawn from a component vocabulary.

    The built-in vocabulary is the component checklist of seed 000
    (Supplementary S3): categories ``strategic``, ``operational``, ``content``,
    ``process`` and ``job-retention``, each with aspects such as ``format``,
    ``dose``, ``duration``, ``volume``, ``frequency`` or ``deliverer``.

    >>> Component(category="operational", aspect="format", value="Group format").aspect
    'format'
    """

    category: Annotated[Id, NESTED]
    """The component category (``strategic``, ``operational``, ``content``, ...)."""
    aspect: Annotated[Id, NESTED]
    """The aspect within the category (``format``, ``dose``, ``psychoeducation``, ...)."""
    value: Annotated[Label, NESTED]
    """What this intervention does for that aspect, in words."""
    note: Annotated[str | None, NESTED_WORDING] = None


class Intervention(_NodeBase):
    """What is done: a programme, or one of its components.

    >>> i = Intervention(id="group-cbt", label="Relational group CBT", components=(
    ...     Component(category="operational", aspect="format", value="Group format"),))
    >>> i.aspect("format")
    ('Group format',)
    """

    kind: Annotated[Literal["intervention"], PLAIN] = "intervention"
    components: Annotated[tuple[Component, ...], LIST] = ()
    """Components drawn from the theory's component vocabulary."""

    def aspect(self, aspect: str) -> tuple[str, ...]:
        """The values this intervention gives for one component aspect."""
        return tuple(c.value for c in self.components if c.aspect == aspect)


class Mechanism(_NodeBase):
    """Why it works: the resource offered and the reasoning or response it triggers.

    >>> Mechanism(id="realise", label="Realise", category="psychological",
    ...           taxon="realise").taxon
    'realise'
    >>> stigma = Mechanism(id="stigma", label="Stigma", resource="labelling",
    ...                    polarity="negative", behaviour="avoids services")
    >>> stigma.polarity, Mechanism(id="no-trust", label="Lack of trust", absent=True).absent
    ('negative', True)
    """

    kind: Annotated[Literal["mechanism"], PLAIN] = "mechanism"
    resource: Annotated[str | None, PLAIN] = None
    """The resource the programme offers (may be absent)."""
    reasoning: Annotated[str | None, PLAIN] = None
    """The reasoning or response the resource triggers (may be absent)."""
    category: Annotated[Id | None, PLAIN] = None
    """work-focused, psychological, relationship-focused, or a category of your own."""
    taxon: Annotated[Id | None, PLAIN] = None
    """This mechanism's place in the theory's taxonomy (an entry id)."""
    behaviour: Annotated[str | None, PLAIN] = None
    """The behaviour that follows the reasoning (what people then do)."""
    polarity: Annotated[MechanismPolarity | None, PLAIN] = None
    """positive, or negative (a resource that harms, e.g. stigma)."""
    absent: Annotated[bool, PLAIN] = False
    """True for a mechanism that is absent or lacking ("lack of trusted relationships")."""
    indicators: Annotated[tuple[str, ...], LIST] = ()
    """How the mechanism is observed."""


class Outcome(_NodeBase):
    """An intended or unintended result.

    >>> Outcome(id="clinical-status", label="Improved clinical status", polarity="desired",
    ...         domain="clinical", measures=("BDI-II",)).measures
    ('BDI-II',)
    >>> Outcome(id="mood-gp", label="Better mood (GP row)", variant_of="clinical-status",
    ...         polarity="mixed").variant_of
    'clinical-status'
    """

    kind: Annotated[Literal["outcome"], PLAIN] = "outcome"
    polarity: Annotated[Polarity | None, PLAIN] = None
    """desired/undesired, or positive/negative/neutral."""
    domain: Annotated[Id | None, PLAIN] = None
    """clinical, work, interpersonal, or a domain of your own."""
    measures: Annotated[tuple[str, ...], LIST] = ()
    """How the outcome is measured (e.g. ``BDI-II``)."""
    opposite: Annotated[Id | None, PLAIN] = None
    """Another outcome that cannot hold together with this one."""
    variant_of: Annotated[Id | None, PLAIN] = None
    """Another outcome this one is a row-specific wording of (questions about that
    outcome include its variants)."""

    @property
    def valence(self) -> int:
        """``+1`` for desired/positive, ``-1`` for undesired/negative, ``0`` otherwise."""
        if self.polarity in POSITIVE:
            return 1
        if self.polarity in NEGATIVE:
            return -1
        return 0


#: A node of a theory: one of the four kinds, told apart by ``kind``.
Node: TypeAlias = Annotated[
    Context | Intervention | Mechanism | Outcome, Field(discriminator="kind")
]
