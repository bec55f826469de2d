"""Pure edits: each returns a new theory, re-checked, and leaves the old one as it was.

Every edit goes back through validation (the whole theory is rebuilt with
``Theory.model_validate``), so an edit can never produce a theory that could
not have been loaded. Never use ``model_copy(update=...)`` on a theory: it
skips the checks.

>>> import cimo
>>> t = cimo.Theory(id="t", title="T")
>>> t2 = cimo.add(t, cimo.Context(id="in-work", label="In work"))
>>> len(t.nodes), len(t2.nodes)
(0, 1)
>>> cimo.remove(t2, "in-work") == t
True
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from cimo._util import suggest
from cimo.errors import UnknownIdError
from cimo.io._theory import invalid_theory_error
from cimo.model import Context, Intervention, Link, Mechanism, Outcome, Rule, Source, Theory

__all__ = ["add", "rebuild", "remove", "replace", "update"]

_Item = Context | Intervention | Mechanism | Outcome | Rule | Source | Link


def rebuild(theory: Theory, **changes: Any) -> Theory:
    """A new theory with some top-level fields changed, fully re-checked.

    Raises:
        InvalidTheoryError: listing every structural problem of the result.
    """
    fields: dict[str, Any] = {name: getattr(theory, name) for name in Theory.model_fields}
    unknown = set(changes) - set(fields)
    if unknown:
        bad = sorted(unknown)[0]
        raise UnknownIdError(bad, kind="theory field", suggestions=suggest(bad, fields), where=None)
    fields.update(changes)
    try:
        return Theory.model_validate(fields)
    except ValidationError as err:
        raise invalid_theory_error(err, fields) from None


def update(theory: Theory, **changes: Any) -> Theory:
    """A new theory with top-level fields changed (title, iteration, taxonomy, ...).

    >>> import cimo
    >>> cimo.update(cimo.Theory(id="t", title="T"), iteration=2).iteration
    2

    Raises:
        InvalidTheoryError: if the result does not hold together.
        UnknownIdError: if a field name is not a theory field.
    """
    return rebuild(theory, **changes)


def add(theory: Theory, *items: _Item) -> Theory:
    """A new theory with nodes, rules, sources or links added (at the end).

    Raises:
        InvalidTheoryError: if an id is taken or a reference does not resolve.
    """
    nodes = list(theory.nodes)
    rules = list(theory.rules)
    sources = list(theory.sources)
    links = list(theory.links)
    for item in items:
        if isinstance(item, Rule):
            rules.append(item)
        elif isinstance(item, Source):
            sources.append(item)
        elif isinstance(item, Link):
            links.append(item)
        else:
            nodes.append(item)
    return rebuild(
        theory, nodes=tuple(nodes), rules=tuple(rules), sources=tuple(sources), links=tuple(links)
    )


def replace(
    theory: Theory, *items: Context | Intervention | Mechanism | Outcome | Rule | Source
) -> Theory:
    """A new theory with nodes, rules or sources replaced by new versions with the same id.

    Raises:
        UnknownIdError: if no item of that id exists.
        InvalidTheoryError: if the result does not hold together.
    """
    new_nodes = {i.id: i for i in items if not isinstance(i, Rule | Source)}
    new_rules = {i.id: i for i in items if isinstance(i, Rule)}
    new_sources = {i.id: i for i in items if isinstance(i, Source)}
    for wanted, have, kind in (
        (new_nodes, theory.index, "node"),
        (new_rules, theory.rule_index, "rule"),
        (new_sources, theory.source_index, "source"),
    ):
        for ident in wanted:
            if ident not in have:
                raise UnknownIdError(ident, kind=kind, suggestions=suggest(ident, have))
    return rebuild(
        theory,
        nodes=tuple(new_nodes.get(n.id, n) for n in theory.nodes),
        rules=tuple(new_rules.get(r.id, r) for r in theory.rules),
        sources=tuple(new_sources.get(s.id, s) for s in theory.sources),
    )


def remove(theory: Theory, *ids: str, cascade: bool = False) -> Theory:
    """A new theory without the named nodes, rules or sources.

    A node still named by a rule, a link or an outcome's ``opposite`` cannot
    be removed unless ``cascade=True``, which also drops it from those places
    (rules left without a part become incomplete, not invalid).

    Args:
        theory: The theory.
        *ids: Ids of nodes, rules or sources.
        cascade: Also remove the references to removed nodes.

    Raises:
        UnknownIdError: if an id is not in the theory.
        InvalidTheoryError: if a removed node is still referenced and ``cascade`` is False.
    """
    gone = set(ids)
    known = set(theory.index) | set(theory.rule_index) | set(theory.source_index)
    for ident in ids:
        if ident not in known:
            raise UnknownIdError(
                ident, kind="node, rule or source", suggestions=suggest(ident, known)
            )
    rules = tuple(r for r in theory.rules if r.id not in gone)
    nodes = tuple(n for n in theory.nodes if n.id not in gone)
    sources = tuple(s for s in theory.sources if s.id not in gone)
    links = theory.links
    based_on = theory.based_on
    if cascade:
        rules = tuple(_drop_refs(r, gone) for r in rules)
        nodes = tuple(
            Outcome.model_validate({**dict(n), "opposite": None})
            if isinstance(n, Outcome) and n.opposite in gone
            else n
            for n in nodes
        )
        links = tuple(lk for lk in links if lk.outcome not in gone and lk.context not in gone)
        based_on = tuple(s for s in based_on if s not in gone)
    return rebuild(
        theory, nodes=nodes, rules=rules, sources=sources, links=links, based_on=based_on
    )


def _drop_refs(rule: Rule, gone: set[str]) -> Rule:
    slots = ("contexts", "unless", "interventions", "mechanisms", "outcomes", "reduces")
    if not any(ref in gone for _, _, ref in rule.references()) and not any(
        e.source in gone for e in rule.evidence
    ):
        return rule
    data = dict(rule)
    for slot in slots:
        data[slot] = tuple(i for i in data[slot] if i not in gone)
    data["evidence"] = tuple(
        e if e.source not in gone else e.model_validate({**dict(e), "source": None})
        for e in rule.evidence
    )
    return Rule.model_validate(data)
