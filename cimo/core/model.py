"""The records of a theory: the four node kinds, the rules joining them, and the theory.

Records only: frozen pydantic models, no cached data and no imports from the
layers above (the one exception is :meth:`Theory._repr_markdown_`, which asks
:mod:`cimo.render.notebook` for its text when a notebook shows a theory).
Derived lookups live in :mod:`cimo.core.index`, the structural checks in
:mod:`cimo.core.structure`, the taxonomy and vocabulary records in
:mod:`cimo.core.catalogues`. The public names are re-exported by
:mod:`cimo.model`, whose docs show them at work.

>>> Rule(id="R2", contexts=("group-therapy",), mechanisms=("reflect",)).missing
('outcome',)
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Annotated, Literal, TypeAlias

from pydantic import Field, ValidationError, model_validator

from cimo.core import builtins
from cimo.core._base import (
    EDGES,
    FIRST,
    FORMAT_VERSION,
    GRAPH,
    JSON,
    JSON_OR_ID,
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
from cimo.core.catalogues import (
    ComponentAspect,
    ComponentCategory,
    ComponentVocabulary,
    Taxon,
    Taxonomy,
    TaxonomyCategory,
    builtin_taxonomy,
    builtin_vocabulary,
)
from cimo.core.index import index_of
from cimo.core.structure import STRUCTURAL_CODES, structural_errors
from cimo.core.vocabulary import (
    SLOTS,
    ContextLevel,
    Dimension,
    EvidenceStance,
    Intensity,
    MechanismMode,
    NodeKind,
    Polarity,
    Policy,
    Severity,
    Status,
)

__all__ = [
    "FORMAT_VERSION",
    "STRUCTURAL_CODES",
    "CheckSettings",
    "CimoModel",
    "Component",
    "ComponentAspect",
    "ComponentCategory",
    "ComponentVocabulary",
    "Context",
    "ContextLevel",
    "Dimension",
    "Evidence",
    "EvidenceStance",
    "Facets",
    "Id",
    "Intensity",
    "Intervention",
    "Iteration",
    "Link",
    "Mechanism",
    "MechanismMode",
    "Node",
    "NodeKind",
    "Outcome",
    "Polarity",
    "Rule",
    "Severity",
    "Source",
    "Status",
    "Taxon",
    "Taxonomy",
    "TaxonomyCategory",
    "Theory",
    "builtin_taxonomy",
    "builtin_vocabulary",
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


class Outcome(_NodeBase):
    """An intended or unintended result.

    >>> Outcome(id="clinical-status", label="Improved clinical status", polarity="desired",
    ...         domain="clinical", measures=("BDI-II",)).measures
    ('BDI-II',)
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

# --------------------------------------------------------------------------- rules


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
    stance: Annotated[EvidenceStance, NESTED] = "supports"
    """supports, refutes or refines the rule."""
    participant: Annotated[str | None, NESTED] = None
    """Who said it (a role or pseudonym: 'former service-user', 'Participant 5')."""
    incidence: Annotated[Annotated[int, Field(ge=0)] | None, NESTED] = None
    """How many participants (or sources) said it."""
    intensity: Annotated[Intensity | None, NESTED] = None
    """How strongly it was said: low, moderate or high."""
    note: Annotated[str | None, NESTED_WORDING] = None


class Rule(CimoModel):
    """One configuration: IF contexts (and interventions) THEN outcomes BECAUSE mechanisms.

    In files the slots are written ``if``, ``unless``, ``with``, ``because``,
    ``then`` and ``reduces``; in Python they are ``contexts``, ``unless``,
    ``interventions``, ``mechanisms``, ``outcomes`` and ``reduces``.

    A rule whose source leaves a part unstated is kept and flagged
    :attr:`incomplete` rather than rejected.

    >>> r = Rule(id="R2", contexts=("group-therapy",), mechanisms=("reflect",))
    >>> r.incomplete, r.missing
    (True, ('outcome',))
    """

    id: Annotated[Id, PLAIN]
    """A readable slug, unique among the theory's nodes and rules."""
    source_label: Annotated[str | None, WORDING] = None
    """The label the source printed ("CMOc 3", "19")."""
    statement: Annotated[str | None, WORDING] = None
    """The configuration in the source's own words."""
    description: Annotated[str | None, WORDING] = None
    contexts: Annotated[tuple[Id, ...], EDGES] = Field(default=(), alias="if")
    """IF: contexts (or outcomes of other rules) that must all hold."""
    unless: Annotated[tuple[Id, ...], EDGES] = ()
    """UNLESS: disabling contexts; any one of them blocks the rule."""
    interventions: Annotated[tuple[Id, ...], EDGES] = Field(default=(), alias="with")
    """WITH: the interventions that must be delivered."""
    mechanisms: Annotated[tuple[Id, ...], EDGES] = Field(default=(), alias="because")
    """BECAUSE: the mechanisms that fire."""
    mechanism_mode: Annotated[MechanismMode, Policy(merge="valued-default")] = "together"
    """Whether several mechanisms work ``together`` or are ``alternatives``."""
    outcomes: Annotated[tuple[Id, ...], EDGES] = Field(default=(), alias="then")
    """THEN: the outcomes expected to follow."""
    reduces: Annotated[tuple[Id, ...], EDGES] = ()
    """Outcomes the rule makes less likely, or reduces."""
    status: Annotated[Status, Policy(merge="valued-default", diff="section")] = "hypothesised"
    """hypothesised, supported, refined or refuted."""
    theme: Annotated[str | None, PLAIN] = None
    """A theme or group the configuration belongs to."""
    evidence: Annotated[
        tuple[Evidence, ...], Policy(merge="union", diff="section", network="json")
    ] = ()
    tags: Annotated[tuple[Tag, ...], LIST] = ()
    iterations: Annotated[tuple[int, ...], LIST] = ()
    """The theory iterations this rule belongs to (empty: all of them)."""

    @property
    def missing(self) -> tuple[str, ...]:
        """The parts the source left unstated: ``context``, ``mechanism``, ``outcome``."""
        gaps = []
        if not self.contexts:
            gaps.append("context")
        if not self.mechanisms:
            gaps.append("mechanism")
        if not (self.outcomes or self.reduces):
            gaps.append("outcome")
        return tuple(gaps)

    @property
    def incomplete(self) -> bool:
        """True when a context, a mechanism or an outcome is missing."""
        return bool(self.missing)

    def references(self) -> Iterator[tuple[str, int, str]]:
        """Every id the rule names, as ``(slot, position, id)`` with file slot names."""
        for slot in SLOTS:
            for i, ref in enumerate(getattr(self, slot.attr)):
                yield slot.keyword, i, ref


class Link(CimoModel):
    """An explicit chain: an outcome of one rule that *is* a context of another.

    Use it when the two are worded differently (seed 002: row 1's outcome
    "Normalisation of overwork" is row 2's context "Overwork ... normalised").
    When the wording is the same, use the outcome's id directly in the later
    rule's ``if``.
    """

    outcome: Annotated[Id, EDGES]
    context: Annotated[Id, EDGES]
    note: Annotated[str | None, WORDING] = None


# --------------------------------------------------------------------------- provenance


class Source(CimoModel):
    """A study, document or data set that evidence comes from."""

    id: Annotated[Id, NESTED]
    citation: Annotated[Label, NESTED]
    year: Annotated[int | None, NESTED] = None
    doi: Annotated[str | None, NESTED] = None
    url: Annotated[str | None, NESTED] = None


class Iteration(CimoModel):
    """One iteration of a programme theory (theories are refined in iterations)."""

    number: Annotated[Annotated[int, Field(ge=1)], NESTED]
    label: Annotated[Label, NESTED_WORDING]
    description: Annotated[str | None, NESTED_WORDING] = None


# --------------------------------------------------------------------------- settings


class CheckSettings(CimoModel):
    """Which validation checks to run for this theory, and what fails (``cimo check``)."""

    select: Annotated[tuple[str, ...], NESTED] = ()
    """Codes (or code prefixes) to run; empty: all."""
    ignore: Annotated[tuple[str, ...], NESTED] = ()
    """Codes (or code prefixes) to skip."""
    fail_on: Annotated[Severity | None, NESTED] = None
    """The lowest severity that makes the check fail."""


# --------------------------------------------------------------------------- theory


class Theory(CimoModel):
    """A realist programme theory: nodes, the rules joining them, and their sources.

    Construction checks the structure and reports every problem at once (as a
    pydantic ``ValidationError`` whose line items have ``cimo.*`` types):
    duplicate ids, rules naming unknown ids, ids of the wrong kind in a slot,
    evidence citing unknown sources, links that do not join an outcome to a
    context. Quality questions (contradictions, orphans, cycles, ...) are left
    to :mod:`cimo.validate`.
    """

    format_version: Annotated[Literal["1.0"], Policy(merge="first", diff="ignore")] = FORMAT_VERSION
    """The version of the file format (written at the top of every file)."""
    id: Annotated[Id, FIRST]
    title: Annotated[Label, FIRST]
    description: Annotated[str | None, FIRST] = None
    authors: Annotated[tuple[str, ...], LIST] = ()
    based_on: Annotated[tuple[Id, ...], LIST] = ()
    """Ids of the sources the theory itself is taken from (its citation)."""
    iteration: Annotated[int | None, FIRST] = None
    """Which iteration of the programme theory this is."""
    iterations: Annotated[tuple[Iteration, ...], Policy(merge="items", network="json")] = ()
    """The iterations elements can belong to, when one file holds several."""
    taxonomy: Annotated[Id | Taxonomy | None, JSON_OR_ID] = None
    """The mechanism taxonomy: the name of a built-in one, or one declared here."""
    vocabulary: Annotated[Id | ComponentVocabulary | None, JSON_OR_ID] = None
    """The intervention component vocabulary: a built-in name (default ``s3-checklist``)
    or one declared here."""
    check: Annotated[CheckSettings | None, JSON] = None
    """Validation settings for ``cimo check``."""
    nodes: Annotated[tuple[Node, ...], GRAPH] = ()
    rules: Annotated[tuple[Rule, ...], GRAPH] = ()
    links: Annotated[tuple[Link, ...], GRAPH] = ()
    sources: Annotated[tuple[Source, ...], Policy(merge="items", diff="items", network="json")] = ()

    # ------------------------------------------------------------------ structure

    @model_validator(mode="after")
    def _check_structure(self) -> Theory:
        errors = structural_errors(self)
        if errors:
            raise ValidationError.from_exception_data("Theory", errors)
        return self

    # ------------------------------------------------------------------ read-only views

    @property
    def index(self) -> Mapping[str, Context | Intervention | Mechanism | Outcome]:
        """Nodes by id (read-only; from the theory's shared :func:`~cimo.core.index.index_of`)."""
        return index_of(self).nodes

    @property
    def rule_index(self) -> Mapping[str, Rule]:
        """Rules by id (read-only)."""
        return index_of(self).rules

    @property
    def source_index(self) -> Mapping[str, Source]:
        """Sources by id (read-only)."""
        return index_of(self).sources

    def of_kind(self, kind: NodeKind) -> tuple[Context | Intervention | Mechanism | Outcome, ...]:
        """The nodes of one kind, in file order."""
        return tuple(n for n in self.nodes if n.kind == kind)

    @property
    def contexts(self) -> tuple[Context, ...]:
        """The contexts, in file order."""
        return tuple(n for n in self.nodes if isinstance(n, Context))

    @property
    def interventions(self) -> tuple[Intervention, ...]:
        """The interventions, in file order."""
        return tuple(n for n in self.nodes if isinstance(n, Intervention))

    @property
    def mechanisms(self) -> tuple[Mechanism, ...]:
        """The mechanisms, in file order."""
        return tuple(n for n in self.nodes if isinstance(n, Mechanism))

    @property
    def outcomes(self) -> tuple[Outcome, ...]:
        """The outcomes, in file order."""
        return tuple(n for n in self.nodes if isinstance(n, Outcome))

    def _repr_markdown_(self) -> str:
        """A readable summary in Jupyter (built by :mod:`cimo.render.notebook`)."""
        from cimo.render.notebook import theory_markdown

        return theory_markdown(self)

    @property
    def component_vocabulary(self) -> ComponentVocabulary:
        """The intervention component vocabulary in force (built-in S3 checklist by default)."""
        if isinstance(self.vocabulary, ComponentVocabulary):
            return self.vocabulary
        return builtin_vocabulary(self.vocabulary or builtins.DEFAULT_VOCABULARY)
