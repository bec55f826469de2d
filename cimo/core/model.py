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
from typing import Annotated, Literal

from pydantic import (
    Field,
    SerializationInfo,
    SerializerFunctionWrapHandler,
    ValidationError,
    WithJsonSchema,
    model_serializer,
    model_validator,
)
from pydantic.json_schema import SkipJsonSchema

from cimo.core import builtins
from cimo.core._base import (
    EDGES,
    FIRST,
    FORMAT_VERSION,
    FORMAT_VERSIONS,
    GRAPH,
    ID_SCHEMA,
    ITEMS,
    JSON,
    JSON_OR_ID,
    LIST,
    NESTED,
    PLAIN,
    RECORDS,
    WORDING,
    CimoModel,
    Id,
    Label,
    Tag,
)
from cimo.core._fileshape import (
    IGNORE_SCHEMA,
    check_from_file,
    check_to_file,
    rule_from_file,
    rule_to_file,
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
from cimo.core.migrate import migrate
from cimo.core.nodes import Component, Context, Facets, Intervention, Mechanism, Node, Outcome
from cimo.core.records import (
    Annotation,
    AttributeValue,
    Evidence,
    Iteration,
    MechanismLink,
    OutcomeStep,
    Participant,
    ProgrammeTheory,
    Relation,
    RelationEnd,
    Segment,
    Source,
    Theme,
)
from cimo.core.structure import STRUCTURAL_CODES, structural_errors
from cimo.core.vocabulary import (
    SLOTS,
    AnnotationKind,
    Appraisal,
    AppraisalCriterion,
    ContextLevel,
    Dimension,
    EvidenceStance,
    Intensity,
    MechanismMode,
    MechanismPolarity,
    MissingPart,
    NodeKind,
    Polarity,
    Policy,
    RelationType,
    Severity,
    Status,
)

__all__ = [
    "FORMAT_VERSION",
    "FORMAT_VERSIONS",
    "STRUCTURAL_CODES",
    "Annotation",
    "AnnotationKind",
    "Appraisal",
    "AppraisalCriterion",
    "AttributeValue",
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
    "MechanismLink",
    "MechanismMode",
    "MechanismPolarity",
    "MissingPart",
    "Node",
    "NodeKind",
    "Outcome",
    "OutcomeStep",
    "Participant",
    "Polarity",
    "ProgrammeTheory",
    "Relation",
    "RelationEnd",
    "RelationType",
    "Rule",
    "Segment",
    "Severity",
    "Source",
    "Status",
    "Taxon",
    "Taxonomy",
    "TaxonomyCategory",
    "Theme",
    "Theory",
    "builtin_taxonomy",
    "builtin_vocabulary",
]

# --------------------------------------------------------------------------- rules


# The file shapes of ``if`` (a list of ids, or ``any``) and ``because`` (ids or objects).
_IF_SCHEMA: dict[str, object] = {
    "anyOf": [{"type": "array", "items": ID_SCHEMA}, {"const": "any"}],
    "description": "IF: contexts (or outcomes of other rules) that must all hold; "
    "or 'any': in any circumstances.",
}
_BECAUSE_SCHEMA: dict[str, object] = {
    "type": "array",
    "items": {"anyOf": [ID_SCHEMA, MechanismLink.model_json_schema(by_alias=True)]},
    "description": "BECAUSE: the mechanisms that fire; an item is a mechanism id, "
    "or {mechanism, requires, then} for what holds for that mechanism only.",
}


class Rule(CimoModel):
    """One configuration: IF contexts (and interventions) THEN outcomes BECAUSE mechanisms.

    In files the slots are written ``if``, ``if_any``, ``unless``, ``within``,
    ``moderated_by``, ``despite``, ``with``, ``because``, ``then``, ``reduces``,
    ``otherwise`` and ``leads_to``; in Python they are ``contexts``,
    ``context_groups``, ``unless``, ``modifiers``, ``moderators``, ``despite``,
    ``interventions``, ``mechanisms`` (with ``mechanism_links``), ``outcomes``,
    ``reduces``, ``otherwise`` and ``outcome_steps``. ``if: any`` ("in any
    circumstances") is ``contexts == ()`` with ``any_context=True``.

    A rule whose source leaves a part unstated is kept and flagged
    :attr:`incomplete` rather than rejected; ``missing`` declares the parts the
    source itself leaves out.

    >>> r = Rule(id="R2", contexts=("group-therapy",), mechanisms=("reflect",))
    >>> r.incomplete, r.missing
    (True, ('outcome',))
    >>> r = Rule.model_validate({"id": "R3", "if": "any", "because": [
    ...     "m1", {"mechanism": "m2", "requires": ["c5"], "then": ["o2"]}],
    ...     "then": ["o1", "o2"], "missing": ["intervention"]})
    >>> r.any_context, r.contexts, r.mechanisms, r.mechanism_link("m2").requires
    (True, (), ('m1', 'm2'), ('c5',))
    >>> r.declared_missing, r.model_dump(exclude_defaults=True)["because"]
    (('intervention',), ['m1', {'mechanism': 'm2', 'requires': ('c5',), 'then': ('o2',)}])
    """

    id: Annotated[Id, PLAIN]
    """A readable slug, unique among the theory's nodes and rules."""
    source_label: Annotated[str | None, WORDING] = None
    """The label the source printed ("CMOc 3", "19"); gaps, restarts and repeats are kept."""
    statement: Annotated[str | None, WORDING] = None
    """The configuration in the source's own words."""
    description: Annotated[str | None, WORDING] = None
    contexts: Annotated[
        tuple[Id, ...],
        EDGES,
        WithJsonSchema(_IF_SCHEMA),
    ] = Field(default=(), alias="if")
    """IF: contexts (or outcomes of other rules) that must all hold."""
    any_context: Annotated[SkipJsonSchema[bool], PLAIN] = False
    """True when the rule holds in any circumstances (written ``if: any``)."""
    context_groups: Annotated[tuple[tuple[Id, ...], ...], JSON] = Field(default=(), alias="if_any")
    """IF ANY: groups of contexts or outcomes; each group needs one member to hold."""
    unless: Annotated[tuple[Id, ...], EDGES] = ()
    """UNLESS: disabling contexts; any one of them blocks the rule."""
    modifiers: Annotated[tuple[Id, ...], EDGES] = Field(default=(), alias="within")
    """WITHIN: contexts qualifying the whole configuration; required like ``if``."""
    moderators: Annotated[tuple[Id, ...], EDGES] = Field(default=(), alias="moderated_by")
    """MODERATED BY: contexts that change how strongly the mechanisms fire; never required."""
    despite: Annotated[tuple[Id, ...], EDGES] = ()
    """DESPITE: contexts or outcomes that hold although the outcome happens; never required
    and never blocking."""
    interventions: Annotated[tuple[Id, ...], EDGES] = Field(default=(), alias="with")
    """WITH: the interventions that must be delivered."""
    mechanisms: Annotated[
        tuple[Id, ...],
        EDGES,
        WithJsonSchema(_BECAUSE_SCHEMA),
    ] = Field(default=(), alias="because")
    """BECAUSE: the mechanisms that fire (ids, in order)."""
    mechanism_links: Annotated[SkipJsonSchema[tuple[MechanismLink, ...]], JSON] = ()
    """The conditions and outcomes of single mechanisms (the object items of ``because``)."""
    mechanism_mode: Annotated[MechanismMode, Policy(merge="valued-default")] = "together"
    """Whether several mechanisms work ``together``, are ``alternatives``, or the source
    does not say (``unstated``)."""
    outcomes: Annotated[tuple[Id, ...], EDGES] = Field(default=(), alias="then")
    """THEN: the outcomes expected to follow."""
    reduces: Annotated[tuple[Id, ...], EDGES] = ()
    """Outcomes the rule makes less likely, or reduces."""
    otherwise: Annotated[tuple[Id, ...], EDGES] = ()
    """OTHERWISE: outcomes expected when the conditions hold but the mechanisms do not fire."""
    outcome_steps: Annotated[tuple[OutcomeStep, ...], JSON] = Field(default=(), alias="leads_to")
    """LEADS TO: one outcome of the rule leading to another ("O1, which results in O2")."""
    missing_parts: Annotated[tuple[MissingPart, ...], JSON] = Field(default=(), alias="missing")
    """The parts the source itself leaves out (declared, not inferred)."""
    actor: Annotated[str | None, PLAIN] = None
    """Whose configuration it is ("GP", "service user")."""
    programme_theory: Annotated[Id | None, PLAIN] = None
    """The declared programme theory the rule belongs to."""
    status: Annotated[Status, Policy(merge="valued-default", diff="section")] = "hypothesised"
    """hypothesised, supported, refined or refuted."""
    theme: Annotated[Id | None, PLAIN] = None
    """The declared theme the configuration belongs to (a theme id)."""
    segments: Annotated[tuple[Segment, ...], JSON] = ()
    """The statement in the order the source prints it, prose kept."""
    annotations: Annotated[tuple[Annotation, ...], LIST] = ()
    """Tensions, facilitators, counter-strategies, recommendations, ... on the rule."""
    inferred: Annotated[tuple[str, ...], JSON] = ()
    """Fields (file keys, e.g. ``theme``, ``if``) whose values the encoder inferred."""
    evidence: Annotated[
        tuple[Evidence, ...], Policy(merge="union", diff="section", network="json")
    ] = ()
    tags: Annotated[tuple[Tag, ...], LIST] = ()
    iterations: Annotated[tuple[int, ...], LIST] = ()
    """The theory iterations this rule belongs to (empty: all of them)."""
    contributed_by: Annotated[tuple[str, ...], LIST] = ()
    """Who contributed it: the inputs (files, or authors) of the merge that made this
    theory (written by ``cimo merge``, kept by diff, counted by ``cimo show``)."""

    @model_validator(mode="before")
    @classmethod
    def _from_file(cls, data: object) -> object:
        return rule_from_file(data)

    @model_serializer(mode="wrap")
    def _to_file(self, handler: SerializerFunctionWrapHandler, info: SerializationInfo) -> object:
        data = handler(self)
        if info.by_alias is False or not isinstance(data, dict):
            return data
        return rule_to_file(data, _RULE_KEYS)

    @property
    def missing(self) -> tuple[str, ...]:
        """The parts absent from the rule: ``context``, ``mechanism``, ``outcome``.

        Absent or declared missing; a rule with ``if: any`` has its context.
        """
        gaps = []
        if not (self.contexts or self.context_groups or self.modifiers or self.any_context):
            gaps.append("context")
        if not self.mechanisms:
            gaps.append("mechanism")
        if not (self.outcomes or self.reduces):
            gaps.append("outcome")
        return tuple(gaps)

    @property
    def declared_missing(self) -> tuple[str, ...]:
        """The parts the source leaves out, as declared in ``missing`` (file order)."""
        return self.missing_parts

    @property
    def incomplete(self) -> bool:
        """True when a context, a mechanism or an outcome is missing."""
        return bool(self.missing)

    @property
    def has_context(self) -> bool:
        """True when the rule has a context condition, or holds in any circumstances.

        A rule without one never fires in a scenario ("context unknown").
        """
        return bool(self.contexts or self.context_groups or self.modifiers or self.any_context)

    def mechanism_link(self, mechanism: str) -> MechanismLink | None:
        """The link of one mechanism (its own ``requires`` and ``then``), or None."""
        return next((k for k in self.mechanism_links if k.mechanism == mechanism), None)

    def references(self) -> Iterator[tuple[str, int, str]]:
        """Every id in the flat slots, as ``(slot, position, id)`` with file slot names.

        The ids inside nested parts (``if_any``, ``because`` objects,
        ``leads_to``) come from :meth:`nested_references`.
        """
        for slot in SLOTS:
            for i, ref in enumerate(getattr(self, slot.attr)):
                yield slot.keyword, i, ref

    def nested_references(self) -> Iterator[tuple[tuple[str | int, ...], str]]:
        """Every id named inside the rule's nested parts, with its path in the file.

        Paths are file paths below the rule: ``("if_any", group, i)``,
        ``("because", position, "requires" | "then", i)``, ``("leads_to", step,
        "from" | "to")``.

        >>> r = Rule.model_validate({"id": "R", "if_any": [["a", "b"]],
        ...     "because": [{"mechanism": "m", "requires": ["c"]}],
        ...     "leads_to": [{"from": "o1", "to": "o2"}]})
        >>> list(r.nested_references())  # doctest: +NORMALIZE_WHITESPACE
        [(('if_any', 0, 0), 'a'), (('if_any', 0, 1), 'b'),
         (('because', 0, 'requires', 0), 'c'),
         (('leads_to', 0, 'from'), 'o1'), (('leads_to', 0, 'to'), 'o2')]
        """
        for g, group in enumerate(self.context_groups):
            for i, ref in enumerate(group):
                yield ("if_any", g, i), ref
        position = {m: i for i, m in enumerate(self.mechanisms)}
        for link in self.mechanism_links:
            j = position.get(link.mechanism, -1)
            for part in ("requires", "then"):
                for i, ref in enumerate(getattr(link, part)):
                    yield ("because", j, part, i), ref
        for s, step in enumerate(self.outcome_steps):
            yield ("leads_to", s, "from"), step.from_
            yield ("leads_to", s, "to"), step.to


#: Every file key of a rule, in field order (where ``if: any`` is put back).
_RULE_KEYS: tuple[str, ...] = tuple(info.alias or name for name, info in Rule.model_fields.items())


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


# --------------------------------------------------------------------------- settings


class CheckSettings(CimoModel):
    """Which validation checks to run for this theory, and what fails (``cimo check``)."""

    select: Annotated[tuple[str, ...], NESTED] = ()
    """Codes (or code prefixes) to run; empty: all."""
    ignore: Annotated[tuple[str, ...], NESTED, WithJsonSchema(IGNORE_SCHEMA)] = ()
    """Codes (or code prefixes) to skip; in the file, ``{code: [ids]}`` skips a check
    for those rules or nodes only (a code with no ids: everywhere)."""
    ignore_ids: Annotated[SkipJsonSchema[tuple[tuple[str, tuple[Id, ...]], ...]], NESTED] = ()
    """Checks skipped for some rules or nodes only, as ``(code, ids)`` pairs; written in
    the file as a mapping, ``ignore: {R004: [C1, C2]}`` (a code with no ids: everywhere)."""
    fail_on: Annotated[Severity | None, NESTED] = None
    """The lowest severity that makes the check fail."""
    initial_theory: Annotated[bool, NESTED] = False
    """An initial programme theory, drawn from the literature: R004 (no evidence) does
    not apply to its hypothesised rules."""

    @model_validator(mode="before")
    @classmethod
    def _from_file(cls, data: object) -> object:
        return check_from_file(data)

    @model_serializer(mode="wrap")
    def _to_file(self, handler: SerializerFunctionWrapHandler) -> object:
        return check_to_file(handler(self))


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

    format_version: Annotated[
        Literal["2.0"],
        Policy(merge="first", diff="ignore"),
        WithJsonSchema({"const": FORMAT_VERSION, "type": "string"}),
    ] = FORMAT_VERSION
    """The version of the file format (written at the top of every file; 1.0 data is
    migrated to 2.0 when read, see :func:`cimo.core.migrate.migrate`)."""
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
    check: Annotated[CheckSettings | None, Policy(merge="first", network="json")] = None
    """Validation settings for ``cimo check`` (a merge keeps the first input's)."""
    programme_theories: Annotated[tuple[ProgrammeTheory, ...], RECORDS] = ()
    """The programme theories rules belong to, when one file holds several."""
    themes: Annotated[tuple[Theme, ...], RECORDS] = ()
    """The themes rules are grouped under."""
    nodes: Annotated[tuple[Node, ...], GRAPH] = ()
    rules: Annotated[tuple[Rule, ...], GRAPH] = ()
    links: Annotated[tuple[Link, ...], GRAPH] = ()
    relations: Annotated[tuple[Relation, ...], RECORDS] = ()
    """Typed relations between nodes and rules (feeds, counterpart-of, refines, ...);
    folded and compared by ``(type, from, to)``."""
    participants: Annotated[tuple[Participant, ...], RECORDS] = ()
    """The people evidence comes from, with their attributes."""
    sources: Annotated[tuple[Source, ...], ITEMS] = ()

    # ------------------------------------------------------------------ versions

    @model_validator(mode="before")
    @classmethod
    def _migrate(cls, data: object) -> object:
        return migrate(data)

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
