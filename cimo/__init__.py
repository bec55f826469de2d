"""cimo: realist programme theories as typed, checkable, queryable objects.

A theory holds **contexts**, **interventions**, **mechanisms** and
**outcomes**, joined by *if-then-because* rules: IF context (and
intervention) THEN outcome BECAUSE mechanism.

>>> import cimo
>>> theory = cimo.load_example("work-focused-group-cbt")
>>> print(theory.title)
Work-focused Relational Group CBT for moderate-severe recurrent depression

``cimo.diff``, ``cimo.merge`` and ``cimo.summary`` are modules that can be
called as their main function: ``cimo.merge([a, b])`` is
``cimo.merge.merge([a, b])``, and ``import cimo.merge as m; m.MergeResult``
works too.
"""

from typing import TYPE_CHECKING

from cimo import edit, errors, graph, io, query, render, taxonomy, validate, vocabulary
from cimo._version import __version__
from cimo.diff import TheoryDiff
from cimo.edit import add, evolve, remove, replace, update
from cimo.errors import (
    CimoError,
    FileFormatError,
    InvalidTheoryError,
    MissingDependencyError,
    OutputError,
    UnknownIdError,
    UsageError,
)
from cimo.examples import list_examples, load_example
from cimo.io import dump, dumps, json_schema, load, loads
from cimo.merge import MergeResult
from cimo.model import (
    FORMAT_VERSION,
    Annotation,
    CheckSettings,
    Component,
    ComponentVocabulary,
    Context,
    Evidence,
    Facets,
    Intervention,
    Iteration,
    Link,
    Mechanism,
    MechanismLink,
    Node,
    Outcome,
    OutcomeStep,
    Participant,
    ProgrammeTheory,
    Relation,
    Rule,
    Segment,
    Source,
    Taxon,
    Taxonomy,
    TaxonomyCategory,
    Theme,
    Theory,
)
from cimo.summary import Summary

if TYPE_CHECKING:
    # For type checkers the names are the functions (what a call needs); at run
    # time they are the modules themselves, made callable (cimo._callable).
    from cimo.diff import diff
    from cimo.merge import merge
    from cimo.summary import summary
else:
    from cimo import diff, merge, summary

__all__ = [
    "FORMAT_VERSION",
    "Annotation",
    "CheckSettings",
    "CimoError",
    "Component",
    "ComponentVocabulary",
    "Context",
    "Evidence",
    "Facets",
    "FileFormatError",
    "Intervention",
    "InvalidTheoryError",
    "Iteration",
    "Link",
    "Mechanism",
    "MechanismLink",
    "MergeResult",
    "MissingDependencyError",
    "Node",
    "Outcome",
    "OutcomeStep",
    "OutputError",
    "Participant",
    "ProgrammeTheory",
    "Relation",
    "Rule",
    "Segment",
    "Source",
    "Summary",
    "Taxon",
    "Taxonomy",
    "TaxonomyCategory",
    "Theme",
    "Theory",
    "TheoryDiff",
    "UnknownIdError",
    "UsageError",
    "__version__",
    "add",
    "diff",
    "dump",
    "dumps",
    "edit",
    "errors",
    "evolve",
    "graph",
    "io",
    "json_schema",
    "list_examples",
    "load",
    "load_example",
    "loads",
    "merge",
    "query",
    "remove",
    "render",
    "replace",
    "summary",
    "taxonomy",
    "update",
    "validate",
    "vocabulary",
]
