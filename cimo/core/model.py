"""The typed core: contexts, interventions, mechanisms, outcomes and the rules joining them.

A realist programme theory is a set of **configurations**, each an
*if-then-because* rule: IF these contexts hold (and none of the UNLESS contexts
does) and these interventions are delivered, THEN these outcomes follow,
BECAUSE these mechanisms fire. cimo holds such a theory as frozen pydantic
records; everything else (the networkx graph, queries, checks, diagrams) is
derived from them and never changes them.

>>> from cimo.model import Context, Intervention, Mechanism, Outcome, Rule, Theory
>>> theory = Theory(
...     id="demo",
...     title="Peer support at work",
...     nodes=(
...         Context(id="in-work", label="Employees with depression who are in work"),
...         Intervention(id="peer-facilitation", label="Skilful facilitation of peer interaction"),
...         Mechanism(id="relate", label="Relate", resource="peer support",
...                   reasoning="clients learn to trust others"),
...         Outcome(id="work-status", label="Job retention", polarity="desired"),
...     ),
...     rules=(
...         Rule(id="R1", contexts=("in-work",), interventions=("peer-facilitation",),
...              mechanisms=("relate",), outcomes=("work-status",)),
...     ),
... )
>>> theory.rules[0].contexts
('in-work',)
>>> theory.rules[0].incomplete
False

Structural problems are all reported at once, each with its location:

>>> from pydantic import ValidationError
>>> try:
...     Theory(id="bad", title="Bad", nodes=theory.nodes,
...            rules=(Rule(id="R1", contexts=("in-wrk",), mechanisms=("work-status",)),))
... except ValidationError as err:
...     for e in err.errors():
...         print(e["type"], e["loc"], e["msg"])
cimo.unknown_id ('rules', 0, 'if', 0) rule R1: 'in-wrk' is not a context or outcome
    of this theory (did you mean 'in-work'?)
cimo.wrong_kind ('rules', 0, 'because', 0) rule R1: 'work-status' is an outcome,
    but 'because' takes mechanisms
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import cache, cached_property
from typing import Annotated, Literal, TypeAlias

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    model_validator,
)

from cimo._util import lookup
from cimo.core import builtins
from cimo.core.index import index_of
from cimo.core.structure import STRUCTURAL_CODES, structural_errors, taxonomy_errors
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

# Field policies (see cimo.core.vocabulary.Policy): every field of every record has one.
_PLAIN = Policy()
_WORDING = Policy(merge="wording")
_FIRST = Policy(merge="first")
_LIST = Policy(merge="union", network="json")
_JSON = Policy(network="json")
_JSON_OR_ID = Policy(network="json-or-id")
_EDGES = Policy(network="edges")
_GRAPH = Policy(merge="items", diff="items", network="graph")
_NESTED = Policy(network="nested")
_NESTED_WORDING = Policy(merge="wording", network="nested")

#: The version of the theory file format this cimo reads and writes.
FORMAT_VERSION: Literal["1.0"] = "1.0"

# --------------------------------------------------------------------------- atoms


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty or only spaces")
    return value


#: A readable slug that names a node, rule, source or taxon: letters, digits,
#: ``-``, ``_`` and ``.``, starting and ending with a letter or digit.
Id: TypeAlias = Annotated[
    str,
    StringConstraints(pattern=r"^[A-Za-z0-9](?:[A-Za-z0-9_.\-]{0,126}[A-Za-z0-9])?$"),
]
#: A human-readable label: any text that is not blank.
Label: TypeAlias = Annotated[str, AfterValidator(_not_blank)]
#: A free tag (a slug, like an id).
Tag: TypeAlias = Id

_POSITIVE: frozenset[str] = frozenset({"desired", "positive"})
_NEGATIVE: frozenset[str] = frozenset({"undesired", "negative"})


class CimoModel(BaseModel):
    """Base of every cimo record: frozen, no unknown keys, tuples for collections."""

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        validate_by_name=True,
        validate_by_alias=True,
        serialize_by_alias=True,
        use_attribute_docstrings=True,
    )


# --------------------------------------------------------------------------- nodes


class Facets(CimoModel):
    """The free-text facets of a context (seed 000, Supplementary S2 extraction form)."""

    who: Annotated[str | None, _NESTED] = None
    """Who the intervention is for (client, patient, employee, ...)."""
    whom: Annotated[str | None, _NESTED] = None
    """By whom it is delivered (high/low intensity practitioner, peer, ...)."""
    where: Annotated[str | None, _NESTED] = None
    """Setting or base (clinic, worksite, ...)."""
    when: Annotated[str | None, _NESTED] = None
    """Stage of illness, help-seeking, career, ..."""
    circumstances: Annotated[str | None, _NESTED] = None
    """Which circumstances (socio-economic, policy, organisational, ...)."""


class _NodeBase(CimoModel):
    id: Annotated[Id, _PLAIN]
    """A readable slug, unique among the theory's nodes and rules."""
    kind: Annotated[str, _PLAIN]
    label: Annotated[Label, _WORDING]
    """The wording shown to people."""
    source_label: Annotated[str | None, _WORDING] = None
    """The label the source printed for this element ("C1", "Outcome 2")."""
    description: Annotated[str | None, _WORDING] = None
    """Longer text: a definition, the source's full wording, notes."""
    tags: Annotated[tuple[Tag, ...], _LIST] = ()
    """Free tags for filtering and grouping."""
    iterations: Annotated[tuple[int, ...], _LIST] = ()
    """The theory iterations this element belongs to (empty: all of them)."""


class Context(_NodeBase):
    """A condition that switches mechanisms on (enabling) or off (disabling).

    >>> Context(id="off-sick", label="Employees off sick with depression",
    ...         level="micro", dimension="individual").level
    'micro'
    """

    kind: Annotated[Literal["context"], _PLAIN] = "context"
    level: Annotated[ContextLevel | None, _PLAIN] = None
    """micro (individual), meso (organisational), macro (societal) or interface."""
    dimension: Annotated[Dimension | None, _PLAIN] = None
    """individual or systemic."""
    facets: Annotated[Facets | None, _JSON] = None
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

    category: Annotated[Id, _NESTED]
    """The component category (``strategic``, ``operational``, ``content``, ...)."""
    aspect: Annotated[Id, _NESTED]
    """The aspect within the category (``format``, ``dose``, ``psychoeducation``, ...)."""
    value: Annotated[Label, _NESTED]
    """What this intervention does for that aspect, in words."""
    note: Annotated[str | None, _NESTED_WORDING] = None


class Intervention(_NodeBase):
    """What is done: a programme, or one of its components.

    >>> i = Intervention(id="group-cbt", label="Relational group CBT", components=(
    ...     Component(category="operational", aspect="format", value="Group format"),))
    >>> i.aspect("format")
    ('Group format',)
    """

    kind: Annotated[Literal["intervention"], _PLAIN] = "intervention"
    components: Annotated[tuple[Component, ...], _LIST] = ()
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

    kind: Annotated[Literal["mechanism"], _PLAIN] = "mechanism"
    resource: Annotated[str | None, _PLAIN] = None
    """The resource the programme offers (may be absent)."""
    reasoning: Annotated[str | None, _PLAIN] = None
    """The reasoning or response the resource triggers (may be absent)."""
    category: Annotated[Id | None, _PLAIN] = None
    """work-focused, psychological, relationship-focused, or a category of your own."""
    taxon: Annotated[Id | None, _PLAIN] = None
    """This mechanism's place in the theory's taxonomy (an entry id)."""


class Outcome(_NodeBase):
    """An intended or unintended result.

    >>> Outcome(id="clinical-status", label="Improved clinical status", polarity="desired",
    ...         domain="clinical", measures=("BDI-II",)).measures
    ('BDI-II',)
    """

    kind: Annotated[Literal["outcome"], _PLAIN] = "outcome"
    polarity: Annotated[Polarity | None, _PLAIN] = None
    """desired/undesired, or positive/negative/neutral."""
    domain: Annotated[Id | None, _PLAIN] = None
    """clinical, work, interpersonal, or a domain of your own."""
    measures: Annotated[tuple[str, ...], _LIST] = ()
    """How the outcome is measured (e.g. ``BDI-II``)."""
    opposite: Annotated[Id | None, _PLAIN] = None
    """Another outcome that cannot hold together with this one."""

    @property
    def valence(self) -> int:
        """``+1`` for desired/positive, ``-1`` for undesired/negative, ``0`` otherwise."""
        if self.polarity in _POSITIVE:
            return 1
        if self.polarity in _NEGATIVE:
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

    source: Annotated[Id | None, _NESTED] = None
    """The id of a :class:`Source` of the theory."""
    locator: Annotated[str | None, _NESTED] = None
    """Page, table, line or timestamp within the source."""
    quote: Annotated[str | None, _NESTED] = None
    """The excerpt, verbatim."""
    kind: Annotated[Id | None, _NESTED] = None
    """realist-evaluation (primary), realist-synthesis (secondary), focus-group, interview, ..."""
    stance: Annotated[EvidenceStance, _NESTED] = "supports"
    """supports, refutes or refines the rule."""
    participant: Annotated[str | None, _NESTED] = None
    """Who said it (a role or pseudonym: 'former service-user', 'Participant 5')."""
    incidence: Annotated[Annotated[int, Field(ge=0)] | None, _NESTED] = None
    """How many participants (or sources) said it."""
    intensity: Annotated[Intensity | None, _NESTED] = None
    """How strongly it was said: low, moderate or high."""
    note: Annotated[str | None, _NESTED_WORDING] = None


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

    id: Annotated[Id, _PLAIN]
    """A readable slug, unique among the theory's nodes and rules."""
    source_label: Annotated[str | None, _WORDING] = None
    """The label the source printed ("CMOc 3", "19")."""
    statement: Annotated[str | None, _WORDING] = None
    """The configuration in the source's own words."""
    description: Annotated[str | None, _WORDING] = None
    contexts: Annotated[tuple[Id, ...], _EDGES] = Field(default=(), alias="if")
    """IF: contexts (or outcomes of other rules) that must all hold."""
    unless: Annotated[tuple[Id, ...], _EDGES] = ()
    """UNLESS: disabling contexts; any one of them blocks the rule."""
    interventions: Annotated[tuple[Id, ...], _EDGES] = Field(default=(), alias="with")
    """WITH: the interventions that must be delivered."""
    mechanisms: Annotated[tuple[Id, ...], _EDGES] = Field(default=(), alias="because")
    """BECAUSE: the mechanisms that fire."""
    mechanism_mode: Annotated[MechanismMode, Policy(merge="valued-default")] = "together"
    """Whether several mechanisms work ``together`` or are ``alternatives``."""
    outcomes: Annotated[tuple[Id, ...], _EDGES] = Field(default=(), alias="then")
    """THEN: the outcomes expected to follow."""
    reduces: Annotated[tuple[Id, ...], _EDGES] = ()
    """Outcomes the rule makes less likely, or reduces."""
    status: Annotated[Status, Policy(merge="valued-default", diff="section")] = "hypothesised"
    """hypothesised, supported, refined or refuted."""
    theme: Annotated[str | None, _PLAIN] = None
    """A theme or group the configuration belongs to."""
    evidence: Annotated[
        tuple[Evidence, ...], Policy(merge="union", diff="section", network="json")
    ] = ()
    tags: Annotated[tuple[Tag, ...], _LIST] = ()
    iterations: Annotated[tuple[int, ...], _LIST] = ()
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

    outcome: Annotated[Id, _EDGES]
    context: Annotated[Id, _EDGES]
    note: Annotated[str | None, _WORDING] = None


# --------------------------------------------------------------------------- provenance


class Source(CimoModel):
    """A study, document or data set that evidence comes from."""

    id: Annotated[Id, _NESTED]
    citation: Annotated[Label, _NESTED]
    year: Annotated[int | None, _NESTED] = None
    doi: Annotated[str | None, _NESTED] = None
    url: Annotated[str | None, _NESTED] = None


class Iteration(CimoModel):
    """One iteration of a programme theory (theories are refined in iterations)."""

    number: Annotated[Annotated[int, Field(ge=1)], _NESTED]
    label: Annotated[Label, _NESTED_WORDING]
    description: Annotated[str | None, _NESTED_WORDING] = None


# --------------------------------------------------------------------------- taxonomy


class TaxonomyCategory(CimoModel):
    """A category of mechanisms (seed 000: work-focused, psychological, relationship-focused)."""

    id: Annotated[Id, _NESTED]
    label: Annotated[Label, _NESTED_WORDING]
    description: Annotated[str | None, _NESTED_WORDING] = None


class Taxon(CimoModel):
    """One entry of a mechanism taxonomy: a mechanism, theme or subtheme."""

    id: Annotated[Id, _NESTED]
    label: Annotated[Label, _NESTED_WORDING]
    rank: Annotated[Id, _NESTED]
    """The entry's rank, one of the taxonomy's ``ranks``."""
    parent: Annotated[Id | None, _NESTED] = None
    """The entry one rank up (none for the top rank)."""
    definition: Annotated[str | None, _NESTED] = None
    category: Annotated[Id | None, _NESTED] = None
    source_label: Annotated[str | None, _NESTED_WORDING] = None
    note: Annotated[str | None, _NESTED_WORDING] = None


class Taxonomy(CimoModel):
    """A hierarchy of mechanisms: e.g. subthemes -> themes -> mechanisms (seed 000, Table 3).

    ``ranks`` runs from the coarsest to the finest rank.
    """

    id: Annotated[Id, _NESTED]
    label: Annotated[Label, _NESTED_WORDING]
    description: Annotated[str | None, _NESTED_WORDING] = None
    ranks: Annotated[tuple[Id, ...], _NESTED] = ("mechanism", "theme", "subtheme")
    categories: Annotated[tuple[TaxonomyCategory, ...], _NESTED] = ()
    taxa: Annotated[tuple[Taxon, ...], _NESTED] = ()
    citation: Annotated[str | None, _NESTED] = None

    @model_validator(mode="after")
    def _check_tree(self) -> Taxonomy:
        errors = taxonomy_errors(self)
        if errors:
            raise ValidationError.from_exception_data("Taxonomy", errors)
        return self

    @cached_property
    def by_id(self) -> Mapping[str, Taxon]:
        """Entries by id."""
        return {t.id: t for t in self.taxa}


# --------------------------------------------------------------------------- vocabulary


class ComponentAspect(CimoModel):
    """One aspect of a component category, with the checklist items it offers."""

    id: Annotated[Id, _NESTED]
    label: Annotated[Label, _NESTED_WORDING]
    items: Annotated[tuple[str, ...], _NESTED] = ()
    """Checklist items (suggested values; a component may word its own)."""
    note: Annotated[str | None, _NESTED_WORDING] = None


class ComponentCategory(CimoModel):
    """A category of intervention components (strategic, operational, content, ...)."""

    id: Annotated[Id, _NESTED]
    label: Annotated[Label, _NESTED_WORDING]
    aspects: Annotated[tuple[ComponentAspect, ...], _NESTED] = ()


class ComponentVocabulary(CimoModel):
    """A vocabulary of intervention components (seed 000, Supplementary S3 by default)."""

    id: Annotated[Id, _NESTED]
    label: Annotated[Label, _NESTED_WORDING]
    description: Annotated[str | None, _NESTED_WORDING] = None
    citation: Annotated[str | None, _NESTED] = None
    categories: Annotated[tuple[ComponentCategory, ...], _NESTED] = ()

    @cached_property
    def aspects(self) -> Mapping[str, frozenset[str]]:
        """Aspect ids by category id."""
        return {c.id: frozenset(a.id for a in c.aspects) for c in self.categories}

    def allows(self, category: str, aspect: str) -> bool:
        """Whether ``category``/``aspect`` is in the vocabulary."""
        return aspect in self.aspects.get(category, frozenset())


# --------------------------------------------------------------------------- settings


class CheckSettings(CimoModel):
    """Which validation checks to run for this theory, and what fails (``cimo check``)."""

    select: Annotated[tuple[str, ...], _NESTED] = ()
    """Codes (or code prefixes) to run; empty: all."""
    ignore: Annotated[tuple[str, ...], _NESTED] = ()
    """Codes (or code prefixes) to skip."""
    fail_on: Annotated[Severity | None, _NESTED] = None
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
    id: Annotated[Id, _FIRST]
    title: Annotated[Label, _FIRST]
    description: Annotated[str | None, _FIRST] = None
    authors: Annotated[tuple[str, ...], _LIST] = ()
    based_on: Annotated[tuple[Id, ...], _LIST] = ()
    """Ids of the sources the theory itself is taken from (its citation)."""
    iteration: Annotated[int | None, _FIRST] = None
    """Which iteration of the programme theory this is."""
    iterations: Annotated[tuple[Iteration, ...], Policy(merge="items", network="json")] = ()
    """The iterations elements can belong to, when one file holds several."""
    taxonomy: Annotated[Id | Taxonomy | None, _JSON_OR_ID] = None
    """The mechanism taxonomy: the name of a built-in one, or one declared here."""
    vocabulary: Annotated[Id | ComponentVocabulary | None, _JSON_OR_ID] = None
    """The intervention component vocabulary: a built-in name (default ``s3-checklist``)
    or one declared here."""
    check: Annotated[CheckSettings | None, _JSON] = None
    """Validation settings for ``cimo check``."""
    nodes: Annotated[tuple[Node, ...], _GRAPH] = ()
    rules: Annotated[tuple[Rule, ...], _GRAPH] = ()
    links: Annotated[tuple[Link, ...], _GRAPH] = ()
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


# --------------------------------------------------------------------------- built-ins


@cache
def _builtin_taxonomy(name: str) -> Taxonomy:
    return Taxonomy.model_validate(builtins.taxonomy_data(name))


@cache
def _builtin_vocabulary(name: str) -> ComponentVocabulary:
    return ComponentVocabulary.model_validate(builtins.vocabulary_data(name))


def builtin_taxonomy(name: str) -> Taxonomy:
    """A built-in taxonomy, as a record (built once, from :mod:`cimo.core.builtins`).

    >>> builtin_taxonomy("work-focused-group-cbt").ranks
    ('mechanism', 'theme', 'subtheme')

    Raises:
        UnknownIdError: if there is no built-in taxonomy of that name.
    """
    known = {n: n for n in builtins.TAXONOMY_NAMES}
    return _builtin_taxonomy(lookup(known, name, kind="built-in taxonomy"))


def builtin_vocabulary(name: str) -> ComponentVocabulary:
    """A built-in component vocabulary, as a record (built once, from :mod:`cimo.core.builtins`).

    >>> builtin_vocabulary("s3-checklist").allows("operational", "format")
    True

    Raises:
        UnknownIdError: if there is no built-in vocabulary of that name.
    """
    known = {n: n for n in builtins.VOCABULARY_NAMES}
    return _builtin_vocabulary(lookup(known, name, kind="built-in vocabulary"))
