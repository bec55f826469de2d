"""The typed core: contexts, interventions, mechanisms, outcomes and the rules joining them.

This module is the public face of the records; they are defined in
:mod:`cimo.core.model` (the structural checks in :mod:`cimo.core.structure`).

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

from cimo.core._base import Label as Label
from cimo.core._base import Tag as Tag
from cimo.core.model import (
    FORMAT_VERSION,
    FORMAT_VERSIONS,
    STRUCTURAL_CODES,
    Annotation,
    AnnotationKind,
    Appraisal,
    AppraisalCriterion,
    AttributeValue,
    CheckSettings,
    CimoModel,
    Component,
    ComponentAspect,
    ComponentCategory,
    ComponentVocabulary,
    Context,
    ContextLevel,
    Dimension,
    Evidence,
    EvidenceStance,
    Facets,
    Id,
    Intensity,
    Intervention,
    Iteration,
    Link,
    Mechanism,
    MechanismLink,
    MechanismMode,
    MechanismPolarity,
    MissingPart,
    Node,
    NodeKind,
    Outcome,
    OutcomeStep,
    Participant,
    Polarity,
    ProgrammeTheory,
    Relation,
    RelationEnd,
    RelationType,
    Rule,
    Segment,
    Severity,
    Source,
    Status,
    Taxon,
    Taxonomy,
    TaxonomyCategory,
    Theme,
    Theory,
)
from cimo.core.structure import StructuralCode, structural_errors
from cimo.core.vocabulary import KIND_WORDS

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
    "StructuralCode",
    "Taxon",
    "Taxonomy",
    "TaxonomyCategory",
    "Theme",
    "Theory",
]

# The old private names, for the modules that still import them from here.
_structural_errors = structural_errors
_KIND_WORDS = KIND_WORDS
