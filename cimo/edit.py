"""Pure edits: each returns a new theory, re-checked, and leaves the old one as it was.

Every edit goes back through validation (the whole theory is rebuilt with
``Theory.model_validate``), so an edit can never produce a theory that could
not have been loaded. Never use ``model_copy(update=...)`` on a theory: it
skips the checks; :func:`evolve` is the validated copy with changes.

* Records: :func:`evolve` (any record, re-validated).
* Theories: :func:`add`, :func:`replace`, :func:`remove`, :func:`update`
  (one node, rule or source by id, or the theory's own fields), :func:`rebuild`.
* Views that are theories again: :func:`roll_up` (through the taxonomy) and
  :func:`focus` (near a node, one theme, one iteration).

>>> import cimo
>>> t = cimo.Theory(id="t", title="T")
>>> t2 = cimo.add(t, cimo.Context(id="in-work", label="In work"))
>>> len(t.nodes), len(t2.nodes)
(0, 1)
>>> cimo.remove(t2, "in-work") == t
True
"""

from __future__ import annotations

import json
from typing import Any, TypeVar

from pydantic import BaseModel

from cimo._parts import focus, rebuild
from cimo._util import suggest
from cimo.core.data import from_data, rename_ids, to_data
from cimo.core.vocabulary import SLOTS
from cimo.errors import UnknownIdError, UsageError
from cimo.model import (
    Context,
    Intervention,
    Link,
    Mechanism,
    Outcome,
    Rule,
    Source,
    Theme,
    Theory,
)
from cimo.taxonomy import ancestor_at, check_rank, resolve_taxonomy

__all__ = ["add", "evolve", "focus", "rebuild", "remove", "replace", "roll_up", "update"]

_Item = Context | Intervention | Mechanism | Outcome | Rule | Source | Link
_Record = TypeVar("_Record", bound=BaseModel)


def evolve(record: _Record, /, **changes: Any) -> _Record:
    """A copy of a record with some fields changed, validated again (like ``attrs.evolve``).

    Fields are named as in Python (``contexts``, ``interventions``, ...); a
    rule's file keywords (``if``, ``with``, ``because``, ``then``) are
    accepted too, through ``**{"if": ...}``. The copy is rebuilt with
    ``model_validate``, so every check of the record runs again; unlike
    ``model_copy(update=...)`` it cannot make a record that could not be
    loaded. A theory is rebuilt as by :func:`rebuild`.

    Args:
        record: Any cimo record (a node, rule, source, style, the theory ...).
        **changes: New values, by field name (or alias).

    Returns:
        A new record of the same class.

    Raises:
        UnknownIdError: if a name is not a field of the record.
        InvalidTheoryError: if the record is a theory and the result does not hold together.
        pydantic.ValidationError: if another record's new values are not valid.

    >>> import cimo
    >>> rule = cimo.Rule(id="r", contexts=("in-work",), outcomes=("return",))
    >>> cimo.evolve(rule, status="supported").status
    'supported'
    >>> cimo.evolve(rule, **{"if": ("off-work",)}).contexts
    ('off-work',)
    >>> cimo.evolve(rule, staus="supported")
    Traceback (most recent call last):
    ...
    cimo.errors.UnknownIdError: 'staus' is not a Rule field (did you mean 'status'?)
    """
    cls = type(record)
    fields = cls.model_fields
    by_alias = {f.alias: name for name, f in fields.items() if f.alias and f.alias != name}
    named = {by_alias.get(key, key): value for key, value in changes.items()}
    for key in named:
        if key not in fields:
            raise UnknownIdError(
                key,
                kind=f"{cls.__name__} field",
                suggestions=suggest(key, [*fields, *by_alias]),
                where=None,
            )
    if isinstance(record, Theory):
        return rebuild(record, **named)  # type: ignore[return-value]
    data = {name: getattr(record, name) for name in record.model_fields_set} | named
    return cls.model_validate(data)


def update(theory: Theory, id: str | None = None, /, **changes: Any) -> Theory:
    """A new theory with one node, rule or source changed, or with its own fields changed.

    ``update(theory, "r1", status="supported")`` changes the record with id
    ``r1`` (through :func:`evolve`); ``update(theory, title=...)`` changes the
    theory's top-level fields (title, iteration, taxonomy, ...).

    >>> import cimo
    >>> wfg = cimo.load_example("work-focused-group-cbt")
    >>> cimo.update(wfg, "retain", status="refined").rule_index["retain"].status
    'refined'
    >>> cimo.update(cimo.Theory(id="t", title="T"), iteration=2).iteration
    2

    Raises:
        UnknownIdError: if ``id`` is not a node, rule or source of the theory, or a
            field name is not a field of that record (or of the theory).
        UsageError: if the changes would give the record another id.
        InvalidTheoryError: if the result does not hold together.
    """
    if id is None:
        return rebuild(theory, **changes)
    record: Context | Intervention | Mechanism | Outcome | Rule | Source | None = (
        theory.index.get(id) or theory.rule_index.get(id) or theory.source_index.get(id)
    )
    if record is None:
        known = [*theory.index, *theory.rule_index, *theory.source_index]
        raise UnknownIdError(id, kind="node, rule or source", suggestions=suggest(id, known))
    if changes.get("id", id) != id:
        raise UsageError(
            f"update keeps the id of {id!r}; to give it another id, remove it and add the new one"
        )
    return replace(theory, evolve(record, **changes))


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
        nodes = tuple(_drop_node_refs(n, gone) for n in nodes)
        links = tuple(lk for lk in links if lk.outcome not in gone and lk.context not in gone)
        based_on = tuple(s for s in based_on if s not in gone)
    # rules are named only by relations and annotations (format 2.0): removing a rule
    # drops those mentions, as 1.0 removed a rule with nothing else to change
    relations = tuple(r for r in theory.relations if r.from_ not in gone and r.to not in gone)
    themes = theory.themes
    if gone & set(theory.rule_index):
        rules = tuple(_drop_counters(r, gone) for r in rules)
        themes = tuple(_drop_counters(t, gone) for t in themes)
    return rebuild(
        theory,
        nodes=nodes,
        rules=rules,
        sources=sources,
        links=links,
        based_on=based_on,
        relations=relations,
        themes=themes,
    )


_AnyNode = Context | Intervention | Mechanism | Outcome
_Annotated = TypeVar("_Annotated", Rule, Theme)


def _drop_node_refs(node: _AnyNode, gone: set[str]) -> _AnyNode:
    if isinstance(node, Outcome) and (node.opposite in gone or node.variant_of in gone):
        return evolve(
            node,
            opposite=None if node.opposite in gone else node.opposite,
            variant_of=None if node.variant_of in gone else node.variant_of,
        )
    return node


def _drop_refs(rule: Rule, gone: set[str]) -> Rule:
    if (
        not any(ref in gone for _, _, ref in rule.references())
        and not any(ref in gone for _, ref in rule.nested_references())
        and not any(e.source in gone for e in rule.evidence)
        and not any(s.ref in gone for s in rule.segments)
        and not any(c in gone for a in rule.annotations for c in a.counters)
    ):
        return rule
    slots = {
        slot.attr: tuple(i for i in getattr(rule, slot.attr) if i not in gone) for slot in SLOTS
    }
    evidence = tuple(evolve(e, source=None) if e.source in gone else e for e in rule.evidence)
    return evolve(rule, **slots, **_drop_nested(rule, gone), evidence=evidence)


def _drop_counters(record: _Annotated, gone: set[str]) -> _Annotated:
    """A rule or theme whose annotations no longer counter the removed rules."""
    if not any(c in gone for a in record.annotations for c in a.counters):
        return record
    annotations = tuple(
        evolve(a, counters=tuple(c for c in a.counters if c not in gone))
        for a in record.annotations
    )
    return evolve(record, annotations=annotations)


def _drop_nested(rule: Rule, gone: set[str]) -> dict[str, Any]:
    """The nested parts of a rule without the ids in ``gone`` (format 2.0 parts)."""

    def keep(ids: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(i for i in ids if i not in gone)

    return {
        "context_groups": tuple(g for g in (keep(g) for g in rule.context_groups) if g),
        "mechanism_links": tuple(
            evolve(k, requires=keep(k.requires), then=keep(k.then))
            for k in rule.mechanism_links
            if k.mechanism not in gone
        ),
        "outcome_steps": tuple(
            s for s in rule.outcome_steps if s.from_ not in gone and s.to not in gone
        ),
        "segments": tuple(
            evolve(s, ref=None) if s.ref in gone else s
            for s in rule.segments
            if s.ref not in gone or s.text is not None
        ),
        "annotations": tuple(evolve(a, counters=keep(a.counters)) for a in rule.annotations),
    }


# --------------------------------------------------------------------------- views


def roll_up(theory: Theory, *, rank: str | None = None, variants: bool = False) -> Theory:
    """The theory seen at a coarser level: mechanisms up the taxonomy, outcome variants merged.

    Every mechanism whose ``taxon`` lies below ``rank`` is replaced, in every
    rule, by a mechanism for its ancestor at ``rank`` (the theory's own node of
    that id if it has one, else a new node made from the taxon). Mechanisms
    without a taxon, or already at or above ``rank``, stay. This is how seed
    000 collapsed 24 subthemes into 12 themes and those into six mechanisms.
    (:func:`cimo.taxonomy.ancestor_at` answers the same question for one taxon.)

    With ``variants``, every outcome declared ``variant_of`` another (a
    table row's own wording of a shared outcome; a variant of a variant too)
    is replaced everywhere it is named by the outcome it is a variant of, and
    its node dropped: rules, links and relations then speak of the shared
    outcome, as :func:`cimo.query.explain` and :func:`cimo.query.for_whom`
    already count it. Without ``rank``, ``variants=True`` leaves the
    mechanisms as they are; ``roll_up(theory)`` alone rolls up to the
    ``mechanism`` rank.

    Args:
        theory: The theory (with a taxonomy, unless only ``variants`` are rolled up).
        rank: One of the taxonomy's ranks (default ``mechanism``).
        variants: Roll outcome variants up to the outcome they are variants of.

    Returns:
        A new, valid theory.

    Raises:
        UsageError: if the theory has no taxonomy (and mechanisms are to be
            rolled up), or a rolled-up id is taken by something that is not a
            mechanism.
        UnknownIdError: if ``rank`` is not a rank of the taxonomy.
        InvalidTheoryError: if merging variants makes a rule contradict itself
            (one variant in THEN and another in REDUCES).

    >>> import cimo
    >>> from cimo.edit import roll_up
    >>> wfg = cimo.load_example("work-focused-group-cbt")
    >>> rolled = roll_up(wfg, rank="mechanism")
    >>> rolled.rule_index["figure-4"].mechanisms  # the six, already at the top rank
    ('realise', 'reflect', 'regulate', 'resolve', 'relate', 'retain-resume')
    """
    if variants:
        theory = _roll_up_variants(theory)
        if rank is None:
            return theory
    return _roll_up_taxa(theory, rank or "mechanism")


def _roll_up_variants(theory: Theory) -> Theory:
    """Every outcome variant renamed to the outcome at the top of its ``variant_of`` chain."""
    of = {o.id: o.variant_of for o in theory.outcomes if o.variant_of is not None}
    roots: dict[str, str] = {}
    for variant in of:
        top, seen = variant, {variant}
        while top in of:
            top = of[top]
            if top in seen:
                raise UsageError(
                    f"outcome {variant!r} is a variant of itself through variant_of "
                    f"({' -> '.join([*seen, top])}); make one of them the shared outcome"
                )
            seen.add(top)
        roots[variant] = top
    if not roots:
        return theory
    data = to_data(theory)
    kept = [node for node in data.get("nodes", ()) if node["id"] not in roots]
    data = rename_ids({**data, "nodes": kept}, roots)
    for key in ("links", "relations"):
        if key in data:
            data[key] = list({json.dumps(x, sort_keys=True): x for x in data[key]}.values())
    return from_data(data)


def _roll_up_taxa(theory: Theory, rank: str) -> Theory:
    """Mechanisms replaced by their taxon's ancestor at ``rank`` (see :func:`roll_up`)."""
    taxonomy = resolve_taxonomy(theory)
    if taxonomy is None:
        raise UsageError(f"theory {theory.id!r} has no taxonomy to roll up through")
    check_rank(taxonomy, rank)
    mapping: dict[str, str] = {}
    added: dict[str, Mechanism] = {}
    for node in theory.mechanisms:
        if node.taxon is None or node.taxon not in taxonomy.by_id:
            continue
        target = ancestor_at(taxonomy, node.taxon, rank=rank)
        if target is None or target.id == node.id:
            continue
        existing = theory.index.get(target.id)
        if existing is not None and not isinstance(existing, Mechanism):
            raise UsageError(
                f"cannot roll {node.id!r} up to {target.id!r}: that id is {existing.kind} "
                "of the theory; rename it"
            )
        if target.id in theory.rule_index:
            raise UsageError(f"cannot roll {node.id!r} up to {target.id!r}: a rule has that id")
        mapping[node.id] = target.id
        if existing is None and target.id not in added:
            added[target.id] = Mechanism(
                id=target.id,
                label=target.label,
                source_label=target.source_label,
                description=target.definition,
                category=target.category,
                taxon=target.id,
            )
    if not mapping:
        return theory
    nodes = [n for n in theory.nodes if n.id not in mapping] + list(added.values())
    rules = [
        evolve(
            r,
            mechanisms=tuple(dict.fromkeys(mapping.get(m, m) for m in r.mechanisms)),
            # the printed wording stays; the piece now names the rolled-up mechanism
            segments=tuple(
                evolve(g, ref=mapping[g.ref]) if g.ref in mapping else g for g in r.segments
            ),
        )
        for r in theory.rules
    ]
    relations = tuple(
        evolve(x, from_=mapping.get(x.from_, x.from_), to=mapping.get(x.to, x.to))
        for x in theory.relations
    )
    return rebuild(theory, nodes=tuple(nodes), rules=tuple(rules), relations=relations)
