"""pandas DataFrames of a theory: its rules, its nodes or its evidence, in plain columns.

:func:`to_frame` gives one row per rule, node or evidence entry, with labels
(not ids or tuples) where a person reads them, so the frame goes straight into
``groupby``, ``value_counts`` or ``to_excel``. The other way,
:func:`cimo.exchange.table.read_table` takes a DataFrame as well as a file,
with the same column roles as the file importer.

pandas is an optional dependency (``pip install 'cimo[pandas]'``), imported
only when a frame is made.

>>> import cimo
>>> theory = cimo.load_example("pwp-resilience")
>>> rules = cimo.to_frame(theory)
>>> list(rules.columns)[:6]
['rule', 'number', 'theme', 'status', 'actor', 'context']
>>> evidence = cimo.to_frame(theory, what="evidence")
>>> int((evidence["stance"] == "supports").sum()) >= 0
True
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from cimo._lazy import optional
from cimo.core.index import index_of
from cimo.core.vocabulary import ANNOTATION_WORDS
from cimo.errors import UsageError
from cimo.model import Rule, Theory

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["FrameKind", "to_frame"]

#: What :func:`to_frame` makes a row of.
FrameKind = Literal["rules", "nodes", "evidence"]
_SLOTS = (
    ("context", "contexts"),
    ("unless", "unless"),
    ("intervention", "interventions"),
    ("mechanism", "mechanisms"),
    ("outcome", "outcomes"),
    ("reduces", "reduces"),
)


def _pandas() -> Any:
    return optional("pandas", needed_for="DataFrames", extra="pandas")


def to_frame(theory: Theory, *, what: FrameKind = "rules", separator: str = "; ") -> pd.DataFrame:
    """The theory's rules, nodes or evidence as a pandas DataFrame, one row each.

    Args:
        theory: The theory.
        what: ``"rules"`` (rule id, printed number, theme label, status,
            actor, the labels of each slot joined by ``separator``, the
            mechanism mode, the annotations as "Kind: text" joined by
            ``separator``, the number of evidence entries and of distinct
            participants), ``"nodes"`` (id, kind, label, description,
            resource, reasoning, and the number of rules naming the node) or
            ``"evidence"`` (rule, theme, status, participant, source,
            citation, locator, quote, stance, kind, note).
        separator: Joins the labels of several nodes in one cell of the rules frame.

    Raises:
        MissingDependencyError: when pandas is not installed.
        UsageError: for an unknown ``what``.
    """
    pandas = _pandas()
    makers = {"rules": _rules, "nodes": _nodes, "evidence": _evidence}
    make = makers.get(what)
    if make is None:
        raise UsageError(f"what={what!r}: choose 'rules', 'nodes' or 'evidence'")
    columns, rows = make(theory, separator)
    return pandas.DataFrame(rows, columns=columns)


def _theme(theory: Theory, rule: Rule) -> str | None:
    return None if rule.theme is None else index_of(theory).theme_label(rule.theme)


def _rules(theory: Theory, separator: str) -> tuple[list[str], list[list[Any]]]:
    index = theory.index
    columns = ["rule", "number", "theme", "status", "actor"]
    columns += [name for name, _ in _SLOTS] + ["mode", "annotations", "evidence", "participants"]
    rows = [
        [
            rule.id,
            rule.source_label,
            _theme(theory, rule),
            rule.status,
            rule.actor,
            *(separator.join(index[i].label for i in getattr(rule, attr)) for _, attr in _SLOTS),
            rule.mechanism_mode,
            separator.join(
                f"{ANNOTATION_WORDS[a.kind]}: {a.text.strip()}" for a in rule.annotations
            ),
            len(rule.evidence),
            len({e.participant for e in rule.evidence if e.participant}),
        ]
        for rule in theory.rules
    ]
    return columns, rows


def _nodes(theory: Theory, separator: str) -> tuple[list[str], list[list[Any]]]:
    del separator  # one label per row
    used: dict[str, int] = {}
    for rule in theory.rules:
        for ref in {ref for _, _, ref in rule.references()}:
            used[ref] = used.get(ref, 0) + 1
    columns = ["id", "kind", "label", "description", "resource", "reasoning", "rules"]
    rows = [
        [
            n.id,
            n.kind,
            n.label,
            n.description,
            getattr(n, "resource", None),
            getattr(n, "reasoning", None),
            used.get(n.id, 0),
        ]
        for n in theory.nodes
    ]
    return columns, rows


def _evidence(theory: Theory, separator: str) -> tuple[list[str], list[list[Any]]]:
    del separator  # one entry per row
    citations = {s.id: s.citation for s in theory.sources}
    columns = ["rule", "theme", "status", "participant", "source", "citation", "locator"]
    columns += ["quote", "stance", "kind", "note"]
    rows = [
        [
            rule.id,
            _theme(theory, rule),
            rule.status,
            e.participant,
            e.source,
            citations.get(e.source or ""),
            e.locator,
            e.quote,
            e.stance,
            e.kind,
            e.note,
        ]
        for rule in theory.rules
        for e in rule.evidence
    ]
    return columns, rows
