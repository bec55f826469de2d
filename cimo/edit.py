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

from collections import deque
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from cimo._util import suggest
from cimo.core.data import invalid_theory_error
from cimo.core.vocabulary import SLOTS
from cimo.errors import UnknownIdError, UsageError
from cimo.model import Context, Intervention, Link, Mechanism, Outcome, Rule, Source, Theory
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
        nodes = tuple(
            evolve(n, opposite=None) if isinstance(n, Outcome) and n.opposite in gone else n
            for n in nodes
        )
        links = tuple(lk for lk in links if lk.outcome not in gone and lk.context not in gone)
        based_on = tuple(s for s in based_on if s not in gone)
    return rebuild(
        theory, nodes=nodes, rules=rules, sources=sources, links=links, based_on=based_on
    )


def _drop_refs(rule: Rule, gone: set[str]) -> Rule:
    if not any(ref in gone for _, _, ref in rule.references()) and not any(
        e.source in gone for e in rule.evidence
    ):
        return rule
    slots = {
        slot.attr: tuple(i for i in getattr(rule, slot.attr) if i not in gone) for slot in SLOTS
    }
    evidence = tuple(evolve(e, source=None) if e.source in gone else e for e in rule.evidence)
    return evolve(rule, **slots, evidence=evidence)


# --------------------------------------------------------------------------- views


def roll_up(theory: Theory, *, rank: str = "mechanism") -> Theory:
    """The theory seen at a coarser rank of its taxonomy (subthemes -> themes -> mechanisms).

    Every mechanism whose ``taxon`` lies below ``rank`` is replaced, in every
    rule, by a mechanism for its ancestor at ``rank`` (the theory's own node of
    that id if it has one, else a new node made from the taxon). Mechanisms
    without a taxon, or already at or above ``rank``, stay. This is how seed
    000 collapsed 24 subthemes into 12 themes and those into six mechanisms.
    (:func:`cimo.taxonomy.ancestor_at` answers the same question for one taxon.)

    Args:
        theory: The theory (with a taxonomy).
        rank: One of the taxonomy's ranks.

    Returns:
        A new, valid theory.

    Raises:
        UsageError: if the theory has no taxonomy, or a rolled-up id is taken by
            something that is not a mechanism.
        UnknownIdError: if ``rank`` is not a rank of the taxonomy.

    >>> import cimo
    >>> from cimo.edit import roll_up
    >>> wfg = cimo.load_example("work-focused-group-cbt")
    >>> rolled = roll_up(wfg, rank="mechanism")
    >>> rolled.rule_index["table-2-example-1"].mechanisms  # own-therapist is under Relate
    ('relate',)
    """
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
        evolve(r, mechanisms=tuple(dict.fromkeys(mapping.get(m, m) for m in r.mechanisms)))
        for r in theory.rules
    ]
    return rebuild(theory, nodes=tuple(nodes), rules=tuple(rules))


def focus(
    theory: Theory,
    *,
    node: str | None = None,
    steps: int = 1,
    theme: str | None = None,
    iteration: int | None = None,
) -> Theory:
    """A part of the theory, as a valid theory of its own.

    Give one or more of:

    * ``node`` (with ``steps``): the rules within ``steps`` steps of a node or
      rule, and every node those rules name. The rules naming a node are one
      step from it (a rule given as ``node`` is zero steps from itself); a rule
      sharing an id with a rule ``n`` steps away is ``n + 1`` steps away;
    * ``theme``: the rules of one theme and the nodes they name;
    * ``iteration``: exactly the elements of that iteration (elements whose
      ``iterations`` is empty belong to every iteration), with ``iteration`` set.

    Several filters keep what all of them keep. Links are kept when both ends
    are; sources and the taxonomy are kept as they are. ``cimo render --focus
    ID --depth N`` draws exactly ``focus(theory, node=ID, steps=N)``.

    Raises:
        UsageError: if no filter is given, ``steps`` is negative, or an
            iteration's rule names a node of another iteration.
        UnknownIdError: if ``node``, ``theme`` or ``iteration`` is not in the theory.

    >>> import cimo
    >>> from cimo.edit import focus
    >>> wfg = cimo.load_example("work-focused-group-cbt")
    >>> first = focus(wfg, iteration=1)
    >>> [r.id for r in first.rules]
    ['three-levels', 'lexis-2011']
    >>> [r.id for r in focus(wfg, node="work-supports-recovery", steps=1).rules]
    ['three-levels', 'lexis-2011', 'figure-4', 'table-2-example-2', 'retain', 'resume',
     'work-supports-recovery']
    """
    if node is None and theme is None and iteration is None:
        raise UsageError("focus needs node=, theme= or iteration=")
    if steps < 0:
        raise UsageError(f"steps must not be negative (got {steps})")
    keep = list(theory.rules)
    if node is not None:
        near = _near(theory, node, steps)
        keep = [r for r in keep if r.id in near]
    if theme is not None:
        keep = _of_theme(theory, keep, theme)
    node_ids: set[str] | None = None
    if iteration is not None:
        keep, node_ids = _of_iteration(theory, keep, iteration)
    if node_ids is None:
        node_ids = {ref for r in keep for _, _, ref in r.references()}
        if node is not None and node in theory.index:
            node_ids.add(node)
    nodes = tuple(n for n in theory.nodes if n.id in node_ids)
    links = tuple(k for k in theory.links if k.outcome in node_ids and k.context in node_ids)
    changes: dict[str, Any] = {"nodes": nodes, "rules": tuple(keep), "links": links}
    if iteration is not None:
        changes["iteration"] = iteration
    return rebuild(theory, **changes)


def _of_theme(theory: Theory, rules: list[Rule], theme: str) -> list[Rule]:
    """The rules of a theme, named by its id or its label."""
    themes = {r.theme for r in theory.rules if r.theme}
    by_label = {t.label: t.id for t in theory.themes}
    theme = theme if theme in themes else by_label.get(theme, theme)
    if theme not in themes:
        named = {label for label, ident in by_label.items() if ident in themes}
        raise UnknownIdError(theme, kind="theme", suggestions=suggest(theme, named | themes))
    return [r for r in rules if r.theme == theme]


def _in(iterations: tuple[int, ...], number: int) -> bool:
    return not iterations or number in iterations


def _of_iteration(theory: Theory, rules: list[Rule], iteration: int) -> tuple[list[Rule], set[str]]:
    """The rules and node ids of one iteration, refusing a rule that names another's node."""
    declared = {it.number for it in theory.iterations}
    if declared and iteration not in declared:
        raise UnknownIdError(
            str(iteration), kind="iteration", suggestions=[str(n) for n in sorted(declared)]
        )
    keep = [r for r in rules if _in(r.iterations, iteration)]
    node_ids = {n.id for n in theory.nodes if _in(n.iterations, iteration)}
    for rule in keep:
        for slot, _, ref in rule.references():
            if ref not in node_ids:
                raise UsageError(
                    f"rule {rule.id} belongs to iteration {iteration} but its {slot!r} "
                    f"names {ref!r}, which does not; add {iteration} to its iterations"
                )
    return keep, node_ids


def _near(theory: Theory, start: str, steps: int) -> set[str]:
    """Rule ids within ``steps`` rule-steps of ``start`` (a node or rule id)."""
    if start not in theory.rule_index and start not in theory.index:
        raise UnknownIdError(
            start, kind="node", suggestions=suggest(start, [n.id for n in theory.nodes])
        )
    naming: dict[str, list[Rule]] = {}
    for rule in theory.rules:
        for _, _, ref in rule.references():
            naming.setdefault(ref, []).append(rule)
    found: set[str] = set()
    frontier: deque[tuple[str, int]] = deque()
    if start in theory.rule_index:
        found.add(start)
        frontier.append((start, 0))
    else:
        if steps == 0:
            return set()
        frontier.extend((r.id, 1) for r in naming.get(start, ()))
        found.update(r.id for r in naming.get(start, ()))
    while frontier:
        rid, depth = frontier.popleft()
        if depth >= steps:
            continue
        for _, _, ref in theory.rule_index[rid].references():
            for other in naming.get(ref, ()):
                if other.id not in found:
                    found.add(other.id)
                    frontier.append((other.id, depth + 1))
    return found
