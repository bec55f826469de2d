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

from __future__ import annotations

from typing import TYPE_CHECKING

from cimo._lazy import attach
from cimo._version import __version__

# Nothing heavy is imported by ``import cimo``: each public name is imported on
# first use (PEP 562 module ``__getattr__``), so the command line and tools that
# only need the version start fast. Type checkers see the real imports.
if TYPE_CHECKING:
    from cimo import (
        edit,
        errors,
        exchange,
        graph,
        io,
        query,
        render,
        taxonomy,
        validate,
        vocabulary,
    )
    from cimo.diff import TheoryDiff, diff
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
    from cimo.exchange.frames import to_frame
    from cimo.io import dump, dumps, json_schema, load, loads
    from cimo.merge import MergeResult, merge
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
    from cimo.summary import Summary, summary

# The submodules reachable as attributes, and where each other public name lives.
# ``cimo.diff``, ``cimo.merge`` and ``cimo.summary`` are the modules, made callable.
_MODULES = (
    "diff",
    "edit",
    "errors",
    "exchange",
    "graph",
    "io",
    "merge",
    "query",
    "render",
    "summary",
    "taxonomy",
    "validate",
    "vocabulary",
)
_FROM = {
    "cimo.diff": ("TheoryDiff",),
    "cimo.edit": ("add", "evolve", "remove", "replace", "update"),
    "cimo.errors": (
        "CimoError",
        "FileFormatError",
        "InvalidTheoryError",
        "MissingDependencyError",
        "OutputError",
        "UnknownIdError",
        "UsageError",
    ),
    "cimo.examples": ("list_examples", "load_example"),
    "cimo.exchange.frames": ("to_frame",),
    "cimo.io": ("dump", "dumps", "json_schema", "load", "loads"),
    "cimo.merge": ("MergeResult",),
    "cimo.model": (
        "FORMAT_VERSION",
        "Annotation",
        "CheckSettings",
        "Component",
        "ComponentVocabulary",
        "Context",
        "Evidence",
        "Facets",
        "Intervention",
        "Iteration",
        "Link",
        "Mechanism",
        "MechanismLink",
        "Node",
        "Outcome",
        "OutcomeStep",
        "Participant",
        "ProgrammeTheory",
        "Relation",
        "Rule",
        "Segment",
        "Source",
        "Taxon",
        "Taxonomy",
        "TaxonomyCategory",
        "Theme",
        "Theory",
    ),
    "cimo.summary": ("Summary",),
}

if not TYPE_CHECKING:
    __getattr__, __dir__ = attach(__name__, submodules=_MODULES, names=_FROM)

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
    "exchange",
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
    "to_frame",
    "update",
    "validate",
    "vocabulary",
]
