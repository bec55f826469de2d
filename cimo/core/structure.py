"""The structural checks: what makes a theory (or a taxonomy) impossible to hold together.

:class:`cimo.model.Theory` runs :func:`structural_errors` when it is built and
raises one pydantic ``ValidationError`` listing every problem, each a line
item whose ``type`` is one of :data:`STRUCTURAL_CODES`. The checks are small
functions, one per concern (ids, sources, iterations, node references, rule
slots, links, built-in names; the parts format 2.0 added are checked by
:mod:`cimo.core._structure2`), run in document order; the slot checks iterate
:data:`cimo.core.vocabulary.SLOTS`, so a new slot is checked without a change
here. The module reads records by attribute only (the model types are
imported for type checking), so the model can import it.

>>> from cimo.model import Context, Rule, Theory
>>> partial = Theory.model_construct(id="t", title="T", nodes=(Context(id="c", label="C"),),
...     rules=(Rule(id="r", contexts=("c", "x")),))
>>> [(e["type"].type, e["loc"]) for e in structural_errors(partial)]
[('cimo.unknown_id', ('rules', 0, 'if', 1))]
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection, Iterable, Sequence
from itertools import chain, compress, count, repeat
from operator import attrgetter, itemgetter, ne
from typing import TYPE_CHECKING, Any, Literal, TypeAlias, get_args

from pydantic_core import InitErrorDetails, PydanticCustomError

from cimo._util import did_you_mean
from cimo.core import builtins
from cimo.core._structure2 import RULE_CHECKS_2, THEORY_CHECKS_2, declared_records
from cimo.core.vocabulary import KIND_WORDS, SLOT, SLOTS

if TYPE_CHECKING:
    from cimo.core.model import Rule, Taxon, Taxonomy, Theory

__all__ = ["STRUCTURAL_CODES", "StructuralCode", "structural_errors", "taxonomy_errors"]

#: The codes of structural problems (the ``type`` of their pydantic line items).
StructuralCode: TypeAlias = Literal[
    "cimo.duplicate_id",
    "cimo.unknown_id",
    "cimo.wrong_kind",
    "cimo.repeated_id",
    "cimo.self_blocking",
    "cimo.self_contradiction",
    "cimo.self_reference",
    "cimo.unknown_rank",
    "cimo.missing_parent",
]
#: The structural codes, in the order of :data:`StructuralCode`.
STRUCTURAL_CODES: tuple[StructuralCode, ...] = get_args(StructuralCode)

#: "Did you mean" hints are computed for the first problems only (they cost a search each).
_HINT_LIMIT = 50

Loc: TypeAlias = tuple[str | int, ...]


def _err(code: StructuralCode, loc: Loc, message: str, value: Any) -> InitErrorDetails:
    return InitErrorDetails(
        type=PydanticCustomError(code, message.replace("{", "{{").replace("}", "}}")),
        loc=loc,
        input=value,
    )


class _Checker:
    """The state shared by the checks of one theory: the problems found, the ids by kind."""

    def __init__(self, theory: Theory) -> None:
        self.theory = theory
        self.errors: list[InitErrorDetails] = []
        self.kinds: dict[str, str] = {}
        self.sources: set[str] = set()
        self.iterations: set[int] = set()
        self.declared: dict[str, set[str]] = {}
        self._ids_by_kind: dict[str, list[str]] | None = None

    def add(self, code: StructuralCode, loc: Loc, message: str, value: Any) -> None:
        self.errors.append(_err(code, loc, message, value))

    def candidates(self, wanted: Iterable[str]) -> list[str]:
        """The ids of the wanted kinds (for "did you mean"), grouped once on first use."""
        if self._ids_by_kind is None:
            self._ids_by_kind = {}
            for ident, kind in self.kinds.items():
                self._ids_by_kind.setdefault(kind, []).append(ident)
        return [ident for k in wanted for ident in self._ids_by_kind.get(k, ())]

    def ref(
        self,
        loc: Loc,
        who: str,
        ref: str,
        wanted: Sequence[str],
        words: str,
        slot: str,
        noun: str | None = None,
    ) -> None:
        """Check that ``ref`` names a node of one of the ``wanted`` kinds (``noun``: their name)."""
        kind = self.kinds.get(ref)
        if kind is None:
            hint = (
                did_you_mean(ref, self.candidates(wanted)) if len(self.errors) < _HINT_LIMIT else ""
            )
            noun = noun or " or ".join(wanted)
            article = "an" if noun[0] in "aeiou" else "a"
            self.add(
                "cimo.unknown_id",
                loc,
                f"{who}: {ref!r} is not {article} {noun} of this theory{hint}",
                ref,
            )
        elif kind not in wanted:
            self.add(
                "cimo.wrong_kind",
                loc,
                f"{who}: {ref!r} is {KIND_WORDS[kind]}, but {slot!r} takes {words}",
                ref,
            )

    def iterations_of(self, loc: Loc, who: str, numbers: Iterable[int]) -> None:
        """Check that every iteration an element belongs to is declared."""
        declared = self.iterations
        for j, number in enumerate(numbers):
            if number not in declared:
                shown = f" (declared: {sorted(declared)})" if declared else ""
                self.add(
                    "cimo.unknown_id",
                    (*loc, "iterations", j),
                    f"{who}: iteration {number} is not declared in the theory's 'iterations'"
                    + shown,
                    number,
                )


# --------------------------------------------------------------------------- the concerns


def _ids(c: _Checker) -> None:
    """Ids are unique among nodes and rules."""
    nodes, rules = c.theory.nodes, c.theory.rules
    kinds = dict(zip(map(attrgetter("id"), nodes), map(attrgetter("kind"), nodes), strict=True))
    kinds.update(zip(map(attrgetter("id"), rules), repeat("rule")))
    if len(kinds) == len(nodes) + len(rules):
        c.kinds = kinds
        return
    items: list[tuple[str, str, str, str]] = [
        ("nodes", "node", n.id, n.kind) for n in c.theory.nodes
    ]
    items += [("rules", "rule", r.id, "rule") for r in c.theory.rules]
    position = {"nodes": 0, "rules": 0}
    for part, noun, ident, kind in items:
        i = position[part]
        position[part] += 1
        if ident in c.kinds:
            c.add(
                "cimo.duplicate_id",
                (part, i, "id"),
                f"{noun} {ident!r}: the id is already used by {KIND_WORDS[c.kinds[ident]]}; "
                "ids must be unique among nodes and rules",
                ident,
            )
        else:
            c.kinds[ident] = kind


def _sources(c: _Checker) -> None:
    """Sources are declared once; the theory is based on declared sources."""
    for i, src in enumerate(c.theory.sources):
        if src.id in c.sources:
            c.add(
                "cimo.duplicate_id",
                ("sources", i, "id"),
                f"source {src.id!r} is declared twice",
                src.id,
            )
        c.sources.add(src.id)
    for i, sid in enumerate(c.theory.based_on):
        if sid not in c.sources:
            c.add(
                "cimo.unknown_id",
                ("based_on", i),
                f"{sid!r} is not a source of this theory" + did_you_mean(sid, c.sources),
                sid,
            )


def _iterations(c: _Checker) -> None:
    """Iteration numbers are distinct, and the theory's own iteration is one of them."""
    theory = c.theory
    c.iterations = {it.number for it in theory.iterations}
    if len(c.iterations) != len(theory.iterations):
        c.add("cimo.duplicate_id", ("iterations",), "iteration numbers must be distinct", None)
    if theory.iteration is not None and c.iterations and theory.iteration not in c.iterations:
        c.add(
            "cimo.unknown_id",
            ("iteration",),
            f"iteration {theory.iteration} is not declared in 'iterations'",
            theory.iteration,
        )


def _nodes(c: _Checker) -> None:
    """Nodes belong to declared iterations; an outcome's opposite is another outcome."""
    for i, node in enumerate(c.theory.nodes):
        if node.iterations:
            c.iterations_of(("nodes", i), f"node {node.id!r}", node.iterations)
        if node.kind != "outcome":  # (asked first: pydantic's getattr of a missing name is slow)
            continue
        opposite = getattr(node, "opposite", None)
        if opposite is None:
            continue
        if opposite == node.id:
            c.add(
                "cimo.self_reference",
                ("nodes", i, "opposite"),
                f"outcome {node.id!r} cannot be its own opposite",
                opposite,
            )
        else:
            where = ("nodes", i, "opposite")
            c.ref(where, f"outcome {node.id!r}", opposite, ("outcome",), "outcomes", "opposite")


def _slot_refs(c: _Checker, i: int, rule: Rule, who: str) -> None:
    """Every id in a slot names a node of a kind the slot takes."""
    for keyword, j, ref in rule.references():
        slot = SLOT[keyword]
        c.ref(("rules", i, keyword, j), who, ref, slot.kinds, slot.words, keyword)


def _repeats(c: _Checker, i: int, rule: Rule, who: str) -> None:
    """No slot names an id twice."""
    for slot in SLOTS:
        ids: tuple[str, ...] = getattr(rule, slot.attr)
        if len(ids) < 2 or len(set(ids)) == len(ids):
            continue
        for ref, n in Counter(ids).items():
            if n > 1:
                c.add(
                    "cimo.repeated_id",
                    ("rules", i, slot.keyword),
                    f"{who}: {ref!r} appears {n} times in {slot.keyword!r}; name it once",
                    ref,
                )


def _clashing_slots(c: _Checker, i: int, rule: Rule, who: str) -> None:
    """No id is both required and disabling, or both produced and reduced."""
    for ref in sorted(set(rule.contexts) & set(rule.unless)):
        c.add(
            "cimo.self_blocking",
            ("rules", i, "unless", rule.unless.index(ref)),
            f"{who}: {ref!r} is both in 'if' and 'unless', so the rule could never "
            "fire; keep it in one of them",
            ref,
        )
    for ref in sorted(set(rule.outcomes) & set(rule.reduces)):
        c.add(
            "cimo.self_contradiction",
            ("rules", i, "reduces", rule.reduces.index(ref)),
            f"{who}: {ref!r} is both in 'then' and 'reduces'; keep it in one of them",
            ref,
        )


def _evidence(c: _Checker, i: int, rule: Rule, who: str) -> None:
    """Evidence cites declared sources."""
    for j, ev in enumerate(rule.evidence):
        if ev.source is not None and ev.source not in c.sources:
            c.add(
                "cimo.unknown_id",
                ("rules", i, "evidence", j, "source"),
                f"{who}: evidence cites {ev.source!r}, which is not a source of this theory"
                + (did_you_mean(ev.source, c.sources) or " (add it under 'sources')"),
                ev.source,
            )


#: The checks of one rule, in the order their problems are reported.
_RULE_CHECKS: tuple[Callable[[_Checker, int, Rule, str], None], ...] = (
    _slot_refs,
    _repeats,
    _clashing_slots,
    _evidence,
    *RULE_CHECKS_2,
)


def _rule(c: _Checker, i: int, rule: Rule) -> None:
    """One rule, concern by concern."""
    who = f"rule {rule.id}"
    for check in _RULE_CHECKS:
        check(c, i, rule, who)
    if rule.iterations:
        c.iterations_of(("rules", i), who, rule.iterations)


def _rules(c: _Checker) -> None:
    """Each rule, concern by concern (only those the screen cannot clear)."""
    rules = c.theory.rules
    unclear = _screen(c, rules)
    for i in range(len(rules)) if unclear is None else unclear:
        _rule(c, i, rules[i])


# --------------------------------------------------------------------------- the screen

#: A rule's ten flat slots (from its fields), in the order of :data:`SLOTS`.
_SLOT_IDS = itemgetter(*(s.attr for s in SLOTS))
#: The node kinds each flat slot takes, in the order of :data:`SLOTS`.
_TAKES: tuple[frozenset[str | None], ...] = tuple(frozenset(s.kinds) for s in SLOTS)
#: The nested parts of a rule, which the screen leaves to the rule's own checks.
_NESTED = itemgetter(
    "context_groups", "mechanism_links", "outcome_steps", "segments", "annotations", "inferred"
)


def _screen(c: _Checker, rules: Sequence[Rule]) -> list[int] | None:
    """The positions of the rules whose own checks must still run, or None for all of them.

    The rule checks find nothing in a rule whose flat slots name ids of the
    kinds they take, no id twice, whose evidence, theme, programme theory and
    iterations are declared, and whose nested parts (``if_any``, ``because``
    objects, ``leads_to``, segments, annotations, ``inferred``) are empty. The
    screen tests the rules all at once, a slot or a field at a time, with set
    operations; it returns None when a test fails (every rule is then checked,
    so the problems come with their messages, in the order of the checks), and
    otherwise the rules naming an id twice (an id may stand in a condition and
    in a result: their own checks tell) or having nested parts.

    A rule's fields are read from its ``__dict__`` (where pydantic keeps them):
    one attribute lookup per field of every rule would cost more than the tests.
    """
    if not rules:
        return []
    kinds = c.kinds
    rows = list(map(vars, rules))
    named = list(map(_SLOT_IDS, rows))  # each rule's flat slots
    for column, takes in zip(zip(*named, strict=True), _TAKES, strict=True):  # every rule's
        if any(column) and not set(map(kinds.get, set(chain.from_iterable(column)))) <= takes:
            return None  # an unknown id, or an id of a kind the slot does not take
    evidence = chain.from_iterable(map(itemgetter("evidence"), rows))
    cited = set(map(itemgetter("source"), map(vars, evidence)))
    if (
        not cited - {None} <= c.sources
        or not set(map(itemgetter("theme"), rows)) - {None} <= c.declared["themes"]
        or not set(map(itemgetter("programme_theory"), rows)) - {None}
        <= c.declared["programme_theories"]
        or not set(chain.from_iterable(map(itemgetter("iterations"), rows))) <= c.iterations
        or any(compress(map(itemgetter("contexts"), rows), map(itemgetter("any_context"), rows)))
    ):
        return None
    sizes = map(sum, map(map, repeat(len), named))  # how many ids each rule names
    distinct = map(len, map(set, map(chain.from_iterable, named)))
    twice = compress(count(), map(ne, sizes, distinct))
    nested = compress(count(), map(any, map(_NESTED, rows)))
    return sorted({*twice, *nested})


def _links(c: _Checker) -> None:
    """A link joins an outcome to a context, and is declared once."""
    seen: set[tuple[str, str]] = set()
    for i, link in enumerate(c.theory.links):
        who = f"link {link.outcome} -> {link.context}"
        c.ref(("links", i, "outcome"), who, link.outcome, ("outcome",), "outcomes", "outcome")
        c.ref(("links", i, "context"), who, link.context, ("context",), "contexts", "context")
        key = (link.outcome, link.context)
        if key in seen:
            c.add("cimo.duplicate_id", ("links", i), f"{who}: the link is declared twice", None)
        seen.add(key)


def _builtin(c: _Checker, field: str, value: object, names: Collection[str], what: str) -> None:
    if isinstance(value, str) and value not in names:
        c.add(
            "cimo.unknown_id",
            (field,),
            f"{value!r} is not a built-in {what}"
            + (did_you_mean(value, names) or f" (built-in: {sorted(names)})"),
            value,
        )


def _builtins(c: _Checker) -> None:
    """A taxonomy or vocabulary given by name is a built-in one."""
    _builtin(c, "taxonomy", c.theory.taxonomy, builtins.TAXONOMY_NAMES, "taxonomy")
    _builtin(
        c, "vocabulary", c.theory.vocabulary, builtins.VOCABULARY_NAMES, "component vocabulary"
    )


#: The concerns, in the order their problems are reported.
_THEORY_CHECKS: tuple[Callable[[_Checker], None], ...] = (
    _ids,
    _sources,
    _iterations,
    declared_records,
    _nodes,
    _rules,
    _links,
    *THEORY_CHECKS_2,
    _builtins,
)


def structural_errors(theory: Theory) -> list[InitErrorDetails]:
    """All structural problems of a theory, in document order. Linear in its size.

    Works on any object with the theory's attributes (the loader runs it on a
    ``model_construct``-ed partial theory to locate the problems of a file
    that fails to validate).
    """
    checker = _Checker(theory)
    for check in _THEORY_CHECKS:
        check(checker)
    return checker.errors


# --------------------------------------------------------------------------- taxonomies


def _taxa_ids(taxa: Sequence[Taxon], errors: list[InitErrorDetails]) -> dict[str, Taxon]:
    seen: dict[str, Taxon] = {}
    for i, t in enumerate(taxa):
        if t.id in seen:
            errors.append(
                _err(
                    "cimo.duplicate_id",
                    ("taxa", i, "id"),
                    f"taxon {t.id!r} is declared twice",
                    t.id,
                )
            )
        seen[t.id] = t
    return seen


def _taxon_parent(
    taxonomy: Taxonomy, i: int, t: Taxon, rank_of: dict[str, int], seen: dict[str, Taxon]
) -> InitErrorDetails | None:
    """The problem with a taxon's parent (one rank up), if any."""
    ranks = taxonomy.ranks
    level = rank_of[t.rank]
    loc: Loc = ("taxa", i, "parent")
    if t.parent is None:
        if level == 0:
            return None
        return _err(
            "cimo.missing_parent",
            loc,
            f"taxon {t.id!r} of rank {t.rank!r} needs a parent of rank {ranks[level - 1]!r}",
            None,
        )
    parent = seen.get(t.parent)
    if parent is None:
        return _err(
            "cimo.unknown_id",
            loc,
            f"taxon {t.id!r}: parent {t.parent!r} is not in the taxonomy"
            + did_you_mean(t.parent, seen),
            t.parent,
        )
    if rank_of.get(parent.rank, -1) == level - 1:
        return None
    return _err(
        "cimo.wrong_kind",
        loc,
        f"taxon {t.id!r} of rank {t.rank!r}: parent {t.parent!r} has rank "
        f"{parent.rank!r}, expected " + (repr(ranks[level - 1]) if level else "no parent"),
        t.parent,
    )


def taxonomy_errors(taxonomy: Taxonomy) -> list[InitErrorDetails]:
    """All structural problems of a taxonomy: ranks, ids, categories and the parent tree."""
    errors: list[InitErrorDetails] = []
    rank_of = {r: i for i, r in enumerate(taxonomy.ranks)}
    if len(rank_of) != len(taxonomy.ranks):
        errors.append(_err("cimo.duplicate_id", ("ranks",), "ranks must be distinct", None))
    categories = {cat.id for cat in taxonomy.categories}
    seen = _taxa_ids(taxonomy.taxa, errors)
    for i, t in enumerate(taxonomy.taxa):
        if t.rank not in rank_of:
            errors.append(
                _err(
                    "cimo.unknown_rank",
                    ("taxa", i, "rank"),
                    f"taxon {t.id!r}: rank {t.rank!r} is not one of {list(taxonomy.ranks)}",
                    t.rank,
                )
            )
            continue
        if t.category is not None and categories and t.category not in categories:
            errors.append(
                _err(
                    "cimo.unknown_id",
                    ("taxa", i, "category"),
                    f"taxon {t.id!r}: category {t.category!r} is not declared"
                    + did_you_mean(t.category, categories),
                    t.category,
                )
            )
        problem = _taxon_parent(taxonomy, i, t, rank_of, seen)
        if problem is not None:
            errors.append(problem)
    return errors
