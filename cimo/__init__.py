"""cimo: realist programme theories as typed, checkable, queryable objects.

A theory holds **contexts**, **interventions**, **mechanisms** and
**outcomes**, joined by *if-then-because* rules: IF context (and
intervention) THEN outcome BECAUSE mechanism.

>>> import cimo
>>> theory = cimo.load_example("work-focused-group-cbt")
>>> print(theory.title)
Work-focused Relational Group CBT for moderate-severe recurrent depression
"""

from cimo import errors, graph, io, query, render, taxonomy, validate, vocabulary
from cimo._version import __version__
from cimo.diff import TheoryDiff, diff
from cimo.edit import add, remove, replace, update
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
from cimo.merge import MergeResult, merge
from cimo.model import (
    FORMAT_VERSION,
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
    Node,
    Outcome,
    Rule,
    Source,
    Taxon,
    Taxonomy,
    TaxonomyCategory,
    Theory,
)
from cimo.summary import Summary, summary

__all__ = [
    "FORMAT_VERSION",
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
    "MergeResult",
    "MissingDependencyError",
    "Node",
    "Outcome",
    "OutputError",
    "Rule",
    "Source",
    "Summary",
    "Taxon",
    "Taxonomy",
    "TaxonomyCategory",
    "Theory",
    "TheoryDiff",
    "UnknownIdError",
    "UsageError",
    "__version__",
    "add",
    "diff",
    "dump",
    "dumps",
    "errors",
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
