"""The realist vocabulary in one place: the rule slots, the node kinds and the value lists.

Every module that walks a rule's slots iterates :data:`SLOTS`; every module
that needs the allowed values of a field takes them from the ``Literal``
types here (``typing.get_args(Status)``), so a new slot, kind or value is
added once.

>>> [s.keyword for s in SLOTS]  # doctest: +NORMALIZE_WHITESPACE
['if', 'unless', 'within', 'moderated_by', 'despite', 'with', 'because', 'then', 'reduces',
 'otherwise']
>>> SLOT["because"].attr, SLOT["because"].kinds
('mechanisms', ('mechanism',))
>>> [s.keyword for s in SLOTS if s.side == "condition"]
['if', 'unless', 'within', 'with']
>>> [s.keyword for s in SLOTS if s.required]
['if', 'within', 'with']

The flat slots hold id lists. Two parts of a rule name ids in nested records
instead (``if_any`` groups, and the ``requires``/``then`` of a ``because``
object, and the ``from``/``to`` of ``leads_to``): walk them with
:meth:`cimo.model.Rule.nested_references`, which gives each id with its path.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Literal, TypeAlias, get_args

__all__ = [
    "ANNOTATION_WORDS",
    "APPRAISAL_CRITERIA",
    "KINDS",
    "KIND_WORDS",
    "SLOT",
    "SLOTS",
    "SLOT_BY_ATTR",
    "AnnotationKind",
    "Appraisal",
    "AppraisalCriterion",
    "ContextLevel",
    "DiffPolicy",
    "Dimension",
    "EvidenceStance",
    "Intensity",
    "MechanismMode",
    "MechanismPolarity",
    "MergePolicy",
    "MissingPart",
    "NetworkPolicy",
    "NodeKind",
    "Polarity",
    "Policy",
    "RelationType",
    "Severity",
    "Side",
    "Slot",
    "SlotKeyword",
    "Status",
    "field_policy",
    "values",
]

NodeKind: TypeAlias = Literal["context", "intervention", "mechanism", "outcome"]
#: Where a context sits: individual (micro), organisational (meso), societal (macro),
#: or the interface between levels (seed 000, Supplementary S3 "Level of intervention").
ContextLevel: TypeAlias = Literal["micro", "meso", "macro", "interface"]
#: Whether a context (or phase) belongs to the person or to the system around them (seed 001).
Dimension: TypeAlias = Literal["individual", "systemic"]
#: How an outcome is valued: desired/undesired, or positive/negative/neutral, or
#: ``mixed`` (both good and bad).
Polarity: TypeAlias = Literal["desired", "undesired", "positive", "negative", "neutral", "mixed"]
#: Whether a mechanism's resource helps (``positive``) or harms (``negative``, e.g. stigma).
MechanismPolarity: TypeAlias = Literal["positive", "negative"]
#: Where a rule stands as the theory is tested.
Status: TypeAlias = Literal["hypothesised", "supported", "refined", "refuted"]
#: Whether a rule's mechanisms must all fire (``together``), any one suffices
#: (``alternatives``), or the source lists several without saying how they combine
#: (``unstated``: reasoned as ``together``, printed "(combination unstated)").
MechanismMode: TypeAlias = Literal["together", "alternatives", "unstated"]
#: What a piece of evidence does to a rule: a witness ``supports``, ``refutes`` or
#: ``refines`` it; ``source`` only says where the rule comes from (not a witness).
EvidenceStance: TypeAlias = Literal["supports", "refutes", "refines", "source"]
#: A part of a configuration the source leaves out (``missing: [context]``).
MissingPart: TypeAlias = Literal["context", "intervention", "mechanism", "outcome"]
#: The type of a relation between two elements or rules: ``feeds`` is causal
#: (``from`` makes ``to`` hold); the others are shown and kept, never reasoned with.
RelationType: TypeAlias = Literal[
    "feeds", "counterpart-of", "refines", "supersedes", "rival-of", "corresponds-to"
]
#: The kind of an annotation on a rule or theme.
AnnotationKind: TypeAlias = Literal[
    "tension", "facilitator", "counter-strategy", "recommendation", "formal-theory", "note"
]
#: How strongly a finding was expressed (seed 000 Methods: incidence and intensity).
Intensity: TypeAlias = Literal["low", "moderate", "high"]
#: How a realist review rates a source on one appraisal criterion: ``high``, ``moderate``
#: or ``low`` (the ordinal scale realist reviews report; Dada et al. 2023).
Appraisal: TypeAlias = Literal["low", "moderate", "high"]
#: What a realist review appraises a source for: **relevance** (can it contribute to
#: building or testing the programme theory?), **richness** (how much it says about
#: contexts and mechanisms, not only outcomes) and **rigour** (is the method that
#: produced the data credible and trustworthy?); RAMESES item 8 (Wong et al. 2013) names
#: relevance and rigour, Dada et al. (2023) add richness.
AppraisalCriterion: TypeAlias = Literal["relevance", "richness", "rigour"]
#: Severity of a validation finding, and the level at which checks fail.
Severity: TypeAlias = Literal["error", "warning", "info"]

#: The node kinds, in the order of a configuration (C, I, M, O).
KINDS: tuple[NodeKind, ...] = get_args(NodeKind)
#: The appraisal criteria, in the order realist reviews report them.
APPRAISAL_CRITERIA: tuple[AppraisalCriterion, ...] = get_args(AppraisalCriterion)
#: How each kind of annotation is named where it is printed ("Tension: ..."); tables read
#: these names back.
ANNOTATION_WORDS: MappingProxyType[str, str] = MappingProxyType(
    {
        "tension": "Tension",
        "facilitator": "Facilitator",
        "counter-strategy": "Counter-strategy",
        "recommendation": "Recommendation",
        "formal-theory": "Formal theory",
        "note": "Note",
    }
)
#: Each kind with its article, for messages ("is an outcome").
KIND_WORDS: MappingProxyType[str, str] = MappingProxyType(
    {
        "context": "a context",
        "intervention": "an intervention",
        "mechanism": "a mechanism",
        "outcome": "an outcome",
        "rule": "a rule",
    }
)

SlotKeyword: TypeAlias = Literal[
    "if", "unless", "within", "moderated_by", "despite", "with", "because", "then", "reduces",
    "otherwise",
]  # fmt: skip
#: Which part of a configuration a slot belongs to: what must hold or must not hold
#: (``condition``), what is reported but never changes whether the rule fires
#: (``qualifier``: moderators, "despite"), why it works (``explanation``) or what
#: follows (``result``).
Side: TypeAlias = Literal["condition", "qualifier", "explanation", "result"]


@dataclass(frozen=True, slots=True)
class Slot:
    """One slot of a rule.

    Attributes:
        keyword: The realist keyword used in files (``if``, ``because``, ...).
        attr: The attribute name on :class:`cimo.model.Rule` (``contexts``, ...).
        kinds: The node kinds the slot may name.
        side: ``condition``, ``qualifier``, ``explanation`` or ``result``.
        words: What the slot takes, in plural words for messages.
        disabling: True for the slot whose items block the rule (``unless``).
        relation: The element-graph relation from the slot's items towards the outcome
            (empty for slots that draw no element-graph edge: qualifiers, ``otherwise``).
        required: True for the slots whose items must all hold (or be delivered) for
            the rule to fire (``if``, ``within``, ``with``).
        since: The format version that introduced the slot.
    """

    keyword: SlotKeyword
    attr: str
    kinds: tuple[NodeKind, ...]
    side: Side
    words: str
    disabling: bool = False
    relation: str = ""
    required: bool = False
    since: str = "1.0"

    @property
    def into_rule(self) -> bool:
        """True when the slot's items are inputs of the rule (all but the results)."""
        return self.side != "result"

    @property
    def blocking(self) -> bool:
        """True for the slot whose items block the rule (``unless``; same as ``disabling``)."""
        return self.disabling


#: The flat slots (id lists), in the order they are written in a file.
SLOTS: tuple[Slot, ...] = (
    Slot("if", "contexts", ("context", "outcome"), "condition", "contexts or outcomes",
         relation="enables", required=True),
    Slot("unless", "unless", ("context", "outcome"), "condition", "contexts or outcomes",
         disabling=True, relation="disables"),
    Slot("within", "modifiers", ("context",), "condition", "contexts",
         relation="enables", required=True, since="2.0"),
    Slot("moderated_by", "moderators", ("context",), "qualifier", "contexts", since="2.0"),
    Slot("despite", "despite", ("context", "outcome"), "qualifier", "contexts or outcomes",
         since="2.0"),
    Slot("with", "interventions", ("intervention",), "condition", "interventions",
         relation="triggers", required=True),
    Slot("because", "mechanisms", ("mechanism",), "explanation", "mechanisms",
         relation="produces"),
    Slot("then", "outcomes", ("outcome",), "result", "outcomes", relation="produces"),
    Slot("reduces", "reduces", ("outcome",), "result", "outcomes", relation="reduces"),
    Slot("otherwise", "otherwise", ("outcome",), "result", "outcomes", since="2.0"),
)  # fmt: skip
#: The slots by keyword.
SLOT: MappingProxyType[str, Slot] = MappingProxyType({s.keyword: s for s in SLOTS})
#: The slots by Python attribute name.
SLOT_BY_ATTR: MappingProxyType[str, Slot] = MappingProxyType({s.attr: s for s in SLOTS})


def values(literal: object) -> tuple[str, ...]:
    """The allowed values of one of the ``Literal`` types above, in declared order.

    >>> values(Status)
    ('hypothesised', 'supported', 'refined', 'refuted')
    """
    return tuple(str(v) for v in get_args(literal))


# --------------------------------------------------------------------------- field policies

#: How :func:`cimo.merge` folds a field when several inputs give a record of one id:
#: ``same`` (equal values, or one input leaves it out; anything else is a conflict),
#: ``union`` (lists are united), ``wording`` (kept from the canonical record when ids
#: were unified), ``first`` (a theory field taken from the first input), ``items``
#: (a collection whose records are folded by id) or ``valued-default`` (the default
#: is a value, not a gap: a rule left ``hypothesised`` has a status).
MergePolicy: TypeAlias = Literal["same", "union", "wording", "first", "items", "valued-default"]
#: How :func:`cimo.diff` compares a field: as a whole (``field``), item by item by id
#: (``items``), in a section of its own (``section``: rule status and evidence) or
#: not at all (``ignore``).
DiffPolicy: TypeAlias = Literal["field", "items", "section", "ignore"]
#: How a field is carried in a network file (GraphML, GEXF, node-link): as a plain
#: attribute (``value``), as JSON text (``json``: lists and records), as an id or as
#: JSON text when it holds a record (``json-or-id``), as edges (``edges``: the rule
#: slots and the ends of a link), as the network itself (``graph``: nodes, rules,
#: links), or inside the JSON text of the record holding it (``nested``).
NetworkPolicy: TypeAlias = Literal["value", "json", "json-or-id", "edges", "graph", "nested"]


@dataclass(frozen=True, slots=True)
class Policy:
    """What the services do with one field of a record, kept on the field itself.

    Every field of every record carries one, in its ``Annotated`` metadata
    (pydantic ignores it, so the JSON Schema is unchanged); read it with
    :func:`field_policy`. A new field therefore says, where it is declared,
    how it is merged, diffed and exchanged.

    >>> Policy(merge="union", network="json")
    Policy(merge='union', diff='field', network='json')
    """

    merge: MergePolicy = "same"
    diff: DiffPolicy = "field"
    network: NetworkPolicy = "value"


def field_policy(model: Any, name: str) -> Policy:
    """The :class:`Policy` of one field of a record class (by Python field name).

    >>> from cimo.model import Rule, Theory
    >>> field_policy(Rule, "tags").merge, field_policy(Theory, "nodes").network
    ('union', 'graph')

    Raises:
        LookupError: if the class has no such field, or the field no policy.
    """
    info = model.model_fields.get(name)
    if info is None:
        raise LookupError(f"{model.__name__} has no field {name!r}")
    for meta in info.metadata:
        if isinstance(meta, Policy):
            return meta
    raise LookupError(f"{model.__name__}.{name} has no field policy")
