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

from collections import Counter
from collections.abc import Iterator, Mapping
from functools import cached_property
from typing import Annotated, Any, Literal, TypeAlias

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

from cimo._util import did_you_mean
from cimo.core.vocabulary import (
    ContextLevel,
    Dimension,
    EvidenceStance,
    Intensity,
    MechanismMode,
    NodeKind,
    Polarity,
    Severity,
    Status,
)

__all__ = [
    "FORMAT_VERSION",
    "STRUCTURAL_CODES",
    "CheckSettings",
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
]

#: The codes of structural problems (the ``type`` of their pydantic line items).
STRUCTURAL_CODES: tuple[str, ...] = (
    "cimo.duplicate_id",
    "cimo.unknown_id",
    "cimo.wrong_kind",
    "cimo.repeated_id",
    "cimo.self_blocking",
    "cimo.self_contradiction",
    "cimo.self_reference",
    "cimo.unknown_rank",
    "cimo.missing_parent",
)

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

    who: str | None = None
    """Who the intervention is for (client, patient, employee, ...)."""
    whom: str | None = None
    """By whom it is delivered (high/low intensity practitioner, peer, ...)."""
    where: str | None = None
    """Setting or base (clinic, worksite, ...)."""
    when: str | None = None
    """Stage of illness, help-seeking, career, ..."""
    circumstances: str | None = None
    """Which circumstances (socio-economic, policy, organisational, ...)."""


class _NodeBase(CimoModel):
    id: Id
    """A readable slug, unique among the theory's nodes and rules."""
    kind: str
    label: Label
    """The wording shown to people."""
    source_label: str | None = None
    """The label the source printed for this element ("C1", "Outcome 2")."""
    description: str | None = None
    """Longer text: a definition, the source's full wording, notes."""
    tags: tuple[Tag, ...] = ()
    """Free tags for filtering and grouping."""
    iterations: tuple[int, ...] = ()
    """The theory iterations this element belongs to (empty: all of them)."""


class Context(_NodeBase):
    """A condition that switches mechanisms on (enabling) or off (disabling).

    >>> Context(id="off-sick", label="Employees off sick with depression",
    ...         level="micro", dimension="individual").level
    'micro'
    """

    kind: Literal["context"] = "context"
    level: ContextLevel | None = None
    """micro (individual), meso (organisational), macro (societal) or interface."""
    dimension: Dimension | None = None
    """individual or systemic."""
    facets: Facets | None = None
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

    category: Id
    """The component category (``strategic``, ``operational``, ``content``, ...)."""
    aspect: Id
    """The aspect within the category (``format``, ``dose``, ``psychoeducation``, ...)."""
    value: Label
    """What this intervention does for that aspect, in words."""
    note: str | None = None


class Intervention(_NodeBase):
    """What is done: a programme, or one of its components.

    >>> i = Intervention(id="group-cbt", label="Relational group CBT", components=(
    ...     Component(category="operational", aspect="format", value="Group format"),))
    >>> i.aspect("format")
    ('Group format',)
    """

    kind: Literal["intervention"] = "intervention"
    components: tuple[Component, ...] = ()
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

    kind: Literal["mechanism"] = "mechanism"
    resource: str | None = None
    """The resource the programme offers (may be absent)."""
    reasoning: str | None = None
    """The reasoning or response the resource triggers (may be absent)."""
    category: Id | None = None
    """work-focused, psychological, relationship-focused, or a category of your own."""
    taxon: Id | None = None
    """This mechanism's place in the theory's taxonomy (an entry id)."""


class Outcome(_NodeBase):
    """An intended or unintended result.

    >>> Outcome(id="clinical-status", label="Improved clinical status", polarity="desired",
    ...         domain="clinical", measures=("BDI-II",)).measures
    ('BDI-II',)
    """

    kind: Literal["outcome"] = "outcome"
    polarity: Polarity | None = None
    """desired/undesired, or positive/negative/neutral."""
    domain: Id | None = None
    """clinical, work, interpersonal, or a domain of your own."""
    measures: tuple[str, ...] = ()
    """How the outcome is measured (e.g. ``BDI-II``)."""
    opposite: Id | None = None
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

    source: Id | None = None
    """The id of a :class:`Source` of the theory."""
    locator: str | None = None
    """Page, table, line or timestamp within the source."""
    quote: str | None = None
    """The excerpt, verbatim."""
    kind: Id | None = None
    """realist-evaluation (primary), realist-synthesis (secondary), focus-group, interview, ..."""
    stance: EvidenceStance = "supports"
    """supports, refutes or refines the rule."""
    participant: str | None = None
    """Who said it (a role or pseudonym: 'former service-user', 'Participant 5')."""
    incidence: Annotated[int, Field(ge=0)] | None = None
    """How many participants (or sources) said it."""
    intensity: Intensity | None = None
    """How strongly it was said: low, moderate or high."""
    note: str | None = None


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

    id: Id
    """A readable slug, unique among the theory's nodes and rules."""
    source_label: str | None = None
    """The label the source printed ("CMOc 3", "19")."""
    statement: str | None = None
    """The configuration in the source's own words."""
    description: str | None = None
    contexts: tuple[Id, ...] = Field(default=(), alias="if")
    """IF: contexts (or outcomes of other rules) that must all hold."""
    unless: tuple[Id, ...] = ()
    """UNLESS: disabling contexts; any one of them blocks the rule."""
    interventions: tuple[Id, ...] = Field(default=(), alias="with")
    """WITH: the interventions that must be delivered."""
    mechanisms: tuple[Id, ...] = Field(default=(), alias="because")
    """BECAUSE: the mechanisms that fire."""
    mechanism_mode: MechanismMode = "together"
    """Whether several mechanisms work ``together`` or are ``alternatives``."""
    outcomes: tuple[Id, ...] = Field(default=(), alias="then")
    """THEN: the outcomes expected to follow."""
    reduces: tuple[Id, ...] = ()
    """Outcomes the rule makes less likely, or reduces."""
    status: Status = "hypothesised"
    """hypothesised, supported, refined or refuted."""
    theme: str | None = None
    """A theme or group the configuration belongs to."""
    evidence: tuple[Evidence, ...] = ()
    tags: tuple[Tag, ...] = ()
    iterations: tuple[int, ...] = ()
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
        for slot, ids in (
            ("if", self.contexts),
            ("unless", self.unless),
            ("with", self.interventions),
            ("because", self.mechanisms),
            ("then", self.outcomes),
            ("reduces", self.reduces),
        ):
            for i, ref in enumerate(ids):
                yield slot, i, ref


class Link(CimoModel):
    """An explicit chain: an outcome of one rule that *is* a context of another.

    Use it when the two are worded differently (seed 002: row 1's outcome
    "Normalisation of overwork" is row 2's context "Overwork ... normalised").
    When the wording is the same, use the outcome's id directly in the later
    rule's ``if``.
    """

    outcome: Id
    context: Id
    note: str | None = None


# --------------------------------------------------------------------------- provenance


class Source(CimoModel):
    """A study, document or data set that evidence comes from."""

    id: Id
    citation: Label
    year: int | None = None
    doi: str | None = None
    url: str | None = None


class Iteration(CimoModel):
    """One iteration of a programme theory (theories are refined in iterations)."""

    number: Annotated[int, Field(ge=1)]
    label: Label
    description: str | None = None


# --------------------------------------------------------------------------- taxonomy


class TaxonomyCategory(CimoModel):
    """A category of mechanisms (seed 000: work-focused, psychological, relationship-focused)."""

    id: Id
    label: Label
    description: str | None = None


class Taxon(CimoModel):
    """One entry of a mechanism taxonomy: a mechanism, theme or subtheme."""

    id: Id
    label: Label
    rank: Id
    """The entry's rank, one of the taxonomy's ``ranks``."""
    parent: Id | None = None
    """The entry one rank up (none for the top rank)."""
    definition: str | None = None
    category: Id | None = None
    source_label: str | None = None
    note: str | None = None


class Taxonomy(CimoModel):
    """A hierarchy of mechanisms: e.g. subthemes -> themes -> mechanisms (seed 000, Table 3).

    ``ranks`` runs from the coarsest to the finest rank.
    """

    id: Id
    label: Label
    description: str | None = None
    ranks: tuple[Id, ...] = ("mechanism", "theme", "subtheme")
    categories: tuple[TaxonomyCategory, ...] = ()
    taxa: tuple[Taxon, ...] = ()
    citation: str | None = None

    @model_validator(mode="after")
    def _check_tree(self) -> Taxonomy:
        errors: list[InitErrorDetails] = []
        rank_of = {r: i for i, r in enumerate(self.ranks)}
        if len(rank_of) != len(self.ranks):
            errors.append(_err("cimo.duplicate_id", ("ranks",), "ranks must be distinct", None))
        categories = {c.id for c in self.categories}
        seen: dict[str, Taxon] = {}
        for i, t in enumerate(self.taxa):
            if t.id in seen:
                errors.append(
                    _err(
                        "cimo.duplicate_id",
                        ("taxa", i, "id"),
                        f"taxon {t.id!r} is declared twice",
                        t.id,
                    )
                )
            seen[t.id] = t
        for i, t in enumerate(self.taxa):
            if t.rank not in rank_of:
                errors.append(
                    _err(
                        "cimo.unknown_rank",
                        ("taxa", i, "rank"),
                        f"taxon {t.id!r}: rank {t.rank!r} is not one of {list(self.ranks)}",
                        t.rank,
                    )
                )
                continue
            if t.category is not None and categories and t.category not in categories:
                errors.append(
                    _err(
                        "cimo.unknown_id",
                        ("taxa", i, "category"),
                        f"taxon {t.id!r}: category {t.category!r} is not declared"
                        + did_you_mean(t.category, categories),
                        t.category,
                    )
                )
            level = rank_of[t.rank]
            if t.parent is None:
                if level != 0:
                    errors.append(
                        _err(
                            "cimo.missing_parent",
                            ("taxa", i, "parent"),
                            f"taxon {t.id!r} of rank {t.rank!r} needs a parent of rank "
                            f"{self.ranks[level - 1]!r}",
                            None,
                        )
                    )
                continue
            parent = seen.get(t.parent)
            if parent is None:
                errors.append(
                    _err(
                        "cimo.unknown_id",
                        ("taxa", i, "parent"),
                        f"taxon {t.id!r}: parent {t.parent!r} is not in the taxonomy"
                        + did_you_mean(t.parent, seen),
                        t.parent,
                    )
                )
            elif rank_of.get(parent.rank, -1) != level - 1:
                errors.append(
                    _err(
                        "cimo.wrong_kind",
                        ("taxa", i, "parent"),
                        f"taxon {t.id!r} of rank {t.rank!r}: parent {t.parent!r} has rank "
                        f"{parent.rank!r}, expected "
                        + (repr(self.ranks[level - 1]) if level else "no parent"),
                        t.parent,
                    )
                )
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

    id: Id
    label: Label
    items: tuple[str, ...] = ()
    """Checklist items (suggested values; a component may word its own)."""
    note: str | None = None


class ComponentCategory(CimoModel):
    """A category of intervention components (strategic, operational, content, ...)."""

    id: Id
    label: Label
    aspects: tuple[ComponentAspect, ...] = ()


class ComponentVocabulary(CimoModel):
    """A vocabulary of intervention components (seed 000, Supplementary S3 by default)."""

    id: Id
    label: Label
    description: str | None = None
    citation: str | None = None
    categories: tuple[ComponentCategory, ...] = ()

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

    select: tuple[str, ...] = ()
    """Codes (or code prefixes) to run; empty: all."""
    ignore: tuple[str, ...] = ()
    """Codes (or code prefixes) to skip."""
    fail_on: Severity | None = None
    """The lowest severity that makes the check fail."""


# --------------------------------------------------------------------------- theory


_SLOT_KINDS: dict[str, tuple[str, ...]] = {
    "if": ("context", "outcome"),
    "unless": ("context", "outcome"),
    "with": ("intervention",),
    "because": ("mechanism",),
    "then": ("outcome",),
    "reduces": ("outcome",),
}
_SLOT_WORDS: dict[str, str] = {
    "if": "contexts or outcomes",
    "unless": "contexts or outcomes",
    "with": "interventions",
    "because": "mechanisms",
    "then": "outcomes",
    "reduces": "outcomes",
}
_KIND_WORDS = {
    "context": "a context",
    "intervention": "an intervention",
    "mechanism": "a mechanism",
    "outcome": "an outcome",
    "rule": "a rule",
}


def _err(code: str, loc: tuple[str | int, ...], message: str, value: Any) -> InitErrorDetails:
    return InitErrorDetails(
        type=PydanticCustomError(code, message.replace("{", "{{").replace("}", "}}")),
        loc=loc,
        input=value,
    )


class Theory(CimoModel):
    """A realist programme theory: nodes, the rules joining them, and their sources.

    Construction checks the structure and reports every problem at once (as a
    pydantic ``ValidationError`` whose line items have ``cimo.*`` types):
    duplicate ids, rules naming unknown ids, ids of the wrong kind in a slot,
    evidence citing unknown sources, links that do not join an outcome to a
    context. Quality questions (contradictions, orphans, cycles, ...) are left
    to :mod:`cimo.validate`.
    """

    format_version: Literal["1.0"] = FORMAT_VERSION
    """The version of the file format (written at the top of every file)."""
    id: Id
    title: Label
    description: str | None = None
    authors: tuple[str, ...] = ()
    based_on: tuple[Id, ...] = ()
    """Ids of the sources the theory itself is taken from (its citation)."""
    iteration: int | None = None
    """Which iteration of the programme theory this is."""
    iterations: tuple[Iteration, ...] = ()
    """The iterations elements can belong to, when one file holds several."""
    taxonomy: Id | Taxonomy | None = None
    """The mechanism taxonomy: the name of a built-in one, or one declared here."""
    vocabulary: Id | ComponentVocabulary | None = None
    """The intervention component vocabulary: a built-in name (default ``s3-checklist``)
    or one declared here."""
    check: CheckSettings | None = None
    """Validation settings for ``cimo check``."""
    nodes: tuple[Node, ...] = ()
    rules: tuple[Rule, ...] = ()
    links: tuple[Link, ...] = ()
    sources: tuple[Source, ...] = ()

    # ------------------------------------------------------------------ structure

    @model_validator(mode="after")
    def _check_structure(self) -> Theory:
        errors = _structural_errors(self)
        if errors:
            raise ValidationError.from_exception_data("Theory", errors)
        return self

    # ------------------------------------------------------------------ read-only views

    @cached_property
    def index(self) -> Mapping[str, Context | Intervention | Mechanism | Outcome]:
        """Nodes by id (read-only)."""
        return {n.id: n for n in self.nodes}

    @cached_property
    def rule_index(self) -> Mapping[str, Rule]:
        """Rules by id (read-only)."""
        return {r.id: r for r in self.rules}

    @cached_property
    def source_index(self) -> Mapping[str, Source]:
        """Sources by id (read-only)."""
        return {s.id: s for s in self.sources}

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
        from cimo.vocabulary import get_vocabulary

        return get_vocabulary(self.vocabulary or "s3-checklist")


def _structural_errors(theory: Theory) -> list[InitErrorDetails]:
    """All structural problems of a theory, in document order. Linear in its size."""
    errors: list[InitErrorDetails] = []
    kinds: dict[str, str] = {}
    for i, node in enumerate(theory.nodes):
        if node.id in kinds:
            errors.append(
                _err(
                    "cimo.duplicate_id",
                    ("nodes", i, "id"),
                    f"node {node.id!r}: the id is already used by {_KIND_WORDS[kinds[node.id]]}; "
                    "ids must be unique among nodes and rules",
                    node.id,
                )
            )
        else:
            kinds[node.id] = node.kind
    for i, rule in enumerate(theory.rules):
        if rule.id in kinds:
            errors.append(
                _err(
                    "cimo.duplicate_id",
                    ("rules", i, "id"),
                    f"rule {rule.id!r}: the id is already used by {_KIND_WORDS[kinds[rule.id]]}; "
                    "ids must be unique among nodes and rules",
                    rule.id,
                )
            )
        else:
            kinds[rule.id] = "rule"

    sources: set[str] = set()
    for i, src in enumerate(theory.sources):
        if src.id in sources:
            errors.append(
                _err(
                    "cimo.duplicate_id",
                    ("sources", i, "id"),
                    f"source {src.id!r} is declared twice",
                    src.id,
                )
            )
        sources.add(src.id)
    for i, sid in enumerate(theory.based_on):
        if sid not in sources:
            errors.append(
                _err(
                    "cimo.unknown_id",
                    ("based_on", i),
                    f"{sid!r} is not a source of this theory" + did_you_mean(sid, sources),
                    sid,
                )
            )

    declared_iterations = {it.number for it in theory.iterations}
    if len(declared_iterations) != len(theory.iterations):
        errors.append(
            _err("cimo.duplicate_id", ("iterations",), "iteration numbers must be distinct", None)
        )
    if (
        theory.iteration is not None
        and declared_iterations
        and theory.iteration not in declared_iterations
    ):
        errors.append(
            _err(
                "cimo.unknown_id",
                ("iteration",),
                f"iteration {theory.iteration} is not declared in 'iterations'",
                theory.iteration,
            )
        )

    def check_iterations(loc: tuple[str | int, ...], who: str, numbers: tuple[int, ...]) -> None:
        for j, number in enumerate(numbers):
            if number not in declared_iterations:
                errors.append(
                    _err(
                        "cimo.unknown_id",
                        (*loc, "iterations", j),
                        f"{who}: iteration {number} is not declared in the theory's 'iterations'"
                        + (
                            f" (declared: {sorted(declared_iterations)})"
                            if declared_iterations
                            else ""
                        ),
                        number,
                    )
                )

    ids_by_kind: dict[str, list[str]] | None = None

    def candidates(wanted: tuple[str, ...]) -> list[str]:
        nonlocal ids_by_kind
        if ids_by_kind is None:
            ids_by_kind = {}
            for ident, kind in kinds.items():
                ids_by_kind.setdefault(kind, []).append(ident)
        return [ident for k in wanted for ident in ids_by_kind.get(k, ())]

    def check_ref(
        loc: tuple[str | int, ...],
        who: str,
        ref: str,
        wanted: tuple[str, ...],
        words: str,
        slot: str,
    ) -> None:
        kind = kinds.get(ref)
        if kind is None:
            hint = did_you_mean(ref, candidates(wanted)) if len(errors) < 50 else ""
            noun = " or ".join(wanted)
            article = "an" if noun[0] in "aeiou" else "a"
            errors.append(
                _err(
                    "cimo.unknown_id",
                    loc,
                    f"{who}: {ref!r} is not {article} {noun} of this theory{hint}",
                    ref,
                )
            )
        elif kind not in wanted:
            errors.append(
                _err(
                    "cimo.wrong_kind",
                    loc,
                    f"{who}: {ref!r} is {_KIND_WORDS[kind]}, but {slot!r} takes {words}",
                    ref,
                )
            )

    for i, node in enumerate(theory.nodes):
        if node.iterations:
            check_iterations(("nodes", i), f"node {node.id!r}", node.iterations)
        if isinstance(node, Outcome) and node.opposite is not None:
            if node.opposite == node.id:
                errors.append(
                    _err(
                        "cimo.self_reference",
                        ("nodes", i, "opposite"),
                        f"outcome {node.id!r} cannot be its own opposite",
                        node.opposite,
                    )
                )
            else:
                check_ref(
                    ("nodes", i, "opposite"),
                    f"outcome {node.id!r}",
                    node.opposite,
                    ("outcome",),
                    "outcomes",
                    "opposite",
                )

    for i, rule in enumerate(theory.rules):
        who = f"rule {rule.id}"
        for slot, j, ref in rule.references():
            check_ref(("rules", i, slot, j), who, ref, _SLOT_KINDS[slot], _SLOT_WORDS[slot], slot)
        for slot, ids in (
            ("if", rule.contexts),
            ("unless", rule.unless),
            ("with", rule.interventions),
            ("because", rule.mechanisms),
            ("then", rule.outcomes),
            ("reduces", rule.reduces),
        ):
            if len(ids) > 1 and len(set(ids)) != len(ids):
                for ref, n in Counter(ids).items():
                    if n > 1:
                        errors.append(
                            _err(
                                "cimo.repeated_id",
                                ("rules", i, slot),
                                f"{who}: {ref!r} appears {n} times in {slot!r}; name it once",
                                ref,
                            )
                        )
        if rule.unless and rule.contexts:
            errors.extend(
                _err(
                    "cimo.self_blocking",
                    ("rules", i, "unless", rule.unless.index(ref)),
                    f"{who}: {ref!r} is both in 'if' and 'unless', so the rule could never "
                    "fire; keep it in one of them",
                    ref,
                )
                for ref in sorted(set(rule.contexts) & set(rule.unless))
            )
        if rule.reduces and rule.outcomes:
            errors.extend(
                _err(
                    "cimo.self_contradiction",
                    ("rules", i, "reduces", rule.reduces.index(ref)),
                    f"{who}: {ref!r} is both in 'then' and 'reduces'; keep it in one of them",
                    ref,
                )
                for ref in sorted(set(rule.outcomes) & set(rule.reduces))
            )
        for j, ev in enumerate(rule.evidence):
            if ev.source is not None and ev.source not in sources:
                errors.append(
                    _err(
                        "cimo.unknown_id",
                        ("rules", i, "evidence", j, "source"),
                        f"{who}: evidence cites {ev.source!r}, which is not a source of this theory"
                        + (did_you_mean(ev.source, sources) or " (add it under 'sources')"),
                        ev.source,
                    )
                )
        if rule.iterations:
            check_iterations(("rules", i), who, rule.iterations)

    seen_links: set[tuple[str, str]] = set()
    for i, link in enumerate(theory.links):
        who = f"link {link.outcome} -> {link.context}"
        check_ref(("links", i, "outcome"), who, link.outcome, ("outcome",), "outcomes", "outcome")
        check_ref(("links", i, "context"), who, link.context, ("context",), "contexts", "context")
        key = (link.outcome, link.context)
        if key in seen_links:
            errors.append(
                _err("cimo.duplicate_id", ("links", i), f"{who}: the link is declared twice", None)
            )
        seen_links.add(key)

    if isinstance(theory.taxonomy, str):
        from cimo.taxonomy import BUILTIN_TAXONOMIES

        if theory.taxonomy not in BUILTIN_TAXONOMIES:
            errors.append(
                _err(
                    "cimo.unknown_id",
                    ("taxonomy",),
                    f"{theory.taxonomy!r} is not a built-in taxonomy"
                    + (
                        did_you_mean(theory.taxonomy, BUILTIN_TAXONOMIES)
                        or f" (built-in: {sorted(BUILTIN_TAXONOMIES)})"
                    ),
                    theory.taxonomy,
                )
            )
    if isinstance(theory.vocabulary, str):
        from cimo.vocabulary import BUILTIN_VOCABULARIES

        if theory.vocabulary not in BUILTIN_VOCABULARIES:
            errors.append(
                _err(
                    "cimo.unknown_id",
                    ("vocabulary",),
                    f"{theory.vocabulary!r} is not a built-in component vocabulary"
                    + (
                        did_you_mean(theory.vocabulary, BUILTIN_VOCABULARIES)
                        or f" (built-in: {sorted(BUILTIN_VOCABULARIES)})"
                    ),
                    theory.vocabulary,
                )
            )
    return errors
