"""One read-only index of a theory, built once per theory and shared by every service.

A theory is a frozen record; the lookups derived from it (records by id, the
rules naming each id in each slot, the producers of each outcome, the links
both ways, the declared opposites) live in one :class:`TheoryIndex`, kept
beside the theory in a side table keyed by its identity (never stored in the
record, so a copy of a theory never sees the index of the original). Each part
is built on first use, in one pass, and handed out as read-only views
(``MappingProxyType`` of tuples).

>>> import cimo
>>> theory = cimo.load_example("pwp-resilience")
>>> ix = index_of(theory)
>>> ix is index_of(theory)
True
>>> [ix.rule(p).id for p in ix.producers["stress-and-burnout"]]
['burnout']
>>> sorted(ix.slots)  # doctest: +NORMALIZE_WHITESPACE
['because', 'despite', 'if', 'moderated_by', 'otherwise', 'reduces', 'then', 'unless',
 'with', 'within']
>>> ix.theme_label(theory.rules[0].theme)
'Work-related challenges'
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import cached_property
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, NoReturn, TypeAlias

from cimo._util import SideTable
from cimo.core.vocabulary import SLOTS, SlotKeyword

if TYPE_CHECKING:
    from cimo.core.model import (
        Context,
        Intervention,
        Link,
        Mechanism,
        Outcome,
        Participant,
        ProgrammeTheory,
        Relation,
        Rule,
        Source,
        Theme,
        Theory,
    )

    AnyNode: TypeAlias = Context | Intervention | Mechanism | Outcome

__all__ = ["Positions", "TheoryIndex", "index_of", "nested_ids"]

#: Rule positions (in ``theory.rules``) by id.
Positions: TypeAlias = Mapping[str, tuple[int, ...]]


def _frozen(groups: dict[str, list[Any]]) -> MappingProxyType[str, tuple[Any, ...]]:
    return MappingProxyType({k: tuple(v) for k, v in groups.items()})


def nested_ids(rule: Rule) -> Iterator[str]:
    """The ids a rule names outside its flat slots: ``if_any`` groups, mechanism links, steps."""
    for group in rule.context_groups:
        yield from group
    for link in rule.mechanism_links:
        yield from link.requires
        yield from link.then
    for step in rule.outcome_steps:
        yield step.from_
        yield step.to


class TheoryIndex:
    """The lookups of one theory: read-only, built part by part on first use.

    Build it with :func:`index_of` (which shares one index per theory). It
    keeps the theory's tuples, not the theory, so it never keeps a theory
    alive. Positions are indexes into ``theory.rules`` (or ``theory.nodes``).

    Attributes:
        node_records: The theory's nodes, in file order.
        rule_records: The theory's rules, in file order.
        link_records: The theory's explicit links, in file order.
        source_records: The theory's sources, in file order.
        theme_records: The theory's themes, in file order.
        programme_theory_records: The theory's programme theories, in file order.
        relation_records: The theory's relations, in file order.
        participant_records: The theory's participants, in file order.
    """

    node_records: tuple[AnyNode, ...]
    rule_records: tuple[Rule, ...]
    link_records: tuple[Link, ...]
    source_records: tuple[Source, ...]
    theme_records: tuple[Theme, ...]
    programme_theory_records: tuple[ProgrammeTheory, ...]
    relation_records: tuple[Relation, ...]
    participant_records: tuple[Participant, ...]

    def __init__(
        self,
        nodes: tuple[AnyNode, ...],
        rules: tuple[Rule, ...],
        links: tuple[Link, ...] = (),
        sources: tuple[Source, ...] = (),
        *,
        themes: tuple[Theme, ...] = (),
        programme_theories: tuple[ProgrammeTheory, ...] = (),
        relations: tuple[Relation, ...] = (),
        participants: tuple[Participant, ...] = (),
    ) -> None:
        object.__setattr__(self, "node_records", nodes)
        object.__setattr__(self, "rule_records", rules)
        object.__setattr__(self, "link_records", links)
        object.__setattr__(self, "source_records", sources)
        object.__setattr__(self, "theme_records", themes)
        object.__setattr__(self, "programme_theory_records", programme_theories)
        object.__setattr__(self, "relation_records", relations)
        object.__setattr__(self, "participant_records", participants)

    def __setattr__(self, name: str, value: object) -> NoReturn:
        raise AttributeError(f"a TheoryIndex is read-only (cannot set {name!r})")

    def __delattr__(self, name: str) -> NoReturn:
        raise AttributeError(f"a TheoryIndex is read-only (cannot delete {name!r})")

    def __repr__(self) -> str:
        return (
            f"TheoryIndex({len(self.node_records)} nodes, {len(self.rule_records)} rules, "
            f"{len(self.link_records)} links, {len(self.source_records)} sources)"
        )

    # ------------------------------------------------------------------ records by id

    @cached_property
    def nodes(self) -> Mapping[str, AnyNode]:
        """Nodes by id."""
        return MappingProxyType({n.id: n for n in self.node_records})

    @cached_property
    def rules(self) -> Mapping[str, Rule]:
        """Rules by id."""
        return MappingProxyType({r.id: r for r in self.rule_records})

    @cached_property
    def sources(self) -> Mapping[str, Source]:
        """Sources by id."""
        return MappingProxyType({s.id: s for s in self.source_records})

    @cached_property
    def themes(self) -> Mapping[str, Theme]:
        """Themes by id."""
        return MappingProxyType({t.id: t for t in self.theme_records})

    def theme_label(self, theme: str) -> str:
        """The label of a theme by id (the id itself when it is not declared)."""
        record = self.themes.get(theme)
        return theme if record is None else record.label

    @cached_property
    def programme_theories(self) -> Mapping[str, ProgrammeTheory]:
        """Programme theories by id."""
        return MappingProxyType({p.id: p for p in self.programme_theory_records})

    @cached_property
    def participants(self) -> Mapping[str, Participant]:
        """Participants by id."""
        return MappingProxyType({p.id: p for p in self.participant_records})

    @cached_property
    def node_pos(self) -> Mapping[str, int]:
        """The position of each node in ``theory.nodes``, by id."""
        return MappingProxyType({n.id: i for i, n in enumerate(self.node_records)})

    @cached_property
    def rule_pos(self) -> Mapping[str, int]:
        """The position of each rule in ``theory.rules``, by id."""
        return MappingProxyType({r.id: i for i, r in enumerate(self.rule_records)})

    def rule(self, pos: int) -> Rule:
        """The rule at a position."""
        return self.rule_records[pos]

    # ------------------------------------------------------------------ slots

    @cached_property
    def slots(self) -> Mapping[SlotKeyword, Positions]:
        """For each slot (by keyword): id -> positions of the rules naming it there.

        Built in one pass over the rules for all the slots of
        :data:`cimo.core.vocabulary.SLOTS`; positions are in rule order.
        """
        found: dict[SlotKeyword, dict[str, list[int]]] = {s.keyword: {} for s in SLOTS}
        tables = [(found[s.keyword], s.attr) for s in SLOTS]
        for pos, rule in enumerate(self.rule_records):
            for table, attr in tables:
                for ident in getattr(rule, attr):
                    bucket = table.get(ident)
                    if bucket is None:
                        table[ident] = [pos]
                    else:
                        bucket.append(pos)
        return MappingProxyType({k: _frozen(v) for k, v in found.items()})

    def slot(self, keyword: SlotKeyword) -> Positions:
        """Id -> positions of the rules naming it in one slot (``if``, ``then``, ...)."""
        return self.slots[keyword]

    def rules_using(self, ident: str, *keywords: SlotKeyword) -> tuple[int, ...]:
        """Positions of the rules naming ``ident`` in any of the slots, in rule order.

        With no slot given: in any slot.
        """
        wanted = keywords or tuple(s.keyword for s in SLOTS)
        if len(wanted) == 1:
            return self.slots[wanted[0]].get(ident, ())
        return tuple(sorted({p for k in wanted for p in self.slots[k].get(ident, ())}))

    @property
    def waiting(self) -> Positions:
        """Rules whose IF names the item (the rules waiting on it)."""
        return self.slots["if"]

    @property
    def unless(self) -> Positions:
        """Rules whose UNLESS names the item."""
        return self.slots["unless"]

    @property
    def using(self) -> Positions:
        """Rules whose WITH names the intervention."""
        return self.slots["with"]

    @property
    def producers(self) -> Positions:
        """Rules whose THEN names the outcome."""
        return self.slots["then"]

    @property
    def reducers(self) -> Positions:
        """Rules whose REDUCES names the outcome."""
        return self.slots["reduces"]

    @cached_property
    def vacuous(self) -> tuple[int, ...]:
        """Rules with no IF items (enabled whatever holds)."""
        return tuple(p for p, r in enumerate(self.rule_records) if not r.contexts)

    @cached_property
    def used(self) -> frozenset[str]:
        """Every id named in some rule slot."""
        return frozenset(ident for table in self.slots.values() for ident in table)

    @cached_property
    def nested(self) -> Positions:
        """Id -> positions of the rules naming it in a nested part of a rule.

        The nested parts: an ``if_any`` group, a mechanism link (``requires``,
        ``then``) or an outcome step (``leads_to``); see :func:`nested_ids`.
        """
        out: dict[str, list[int]] = {}
        for pos, rule in enumerate(self.rule_records):
            for ident in dict.fromkeys(nested_ids(rule)):
                out.setdefault(ident, []).append(pos)
        return _frozen(out)

    @cached_property
    def mentioned(self) -> frozenset[str]:
        """Every id a rule names (in a slot or a nested part) or a relation starts or ends at.

        A relation's end in another file (``other.yaml#R1``) is not an id of this theory.
        """
        ends = [rel.from_ for rel in self.relation_records]
        ends += [rel.to for rel in self.relation_records if not rel.external]
        return self.used | frozenset(self.nested) | frozenset(ends)

    @cached_property
    def consumers(self) -> Positions:
        """Id -> positions of the rules whose firing depends on it.

        Through ``if``, ``unless``, ``within``, an ``if_any`` group or a
        mechanism's ``requires``; not the qualifiers ``moderated_by`` and
        ``despite``, which never change whether a rule fires.
        """
        out: dict[str, list[int]] = {}
        for pos, rule in enumerate(self.rule_records):
            refs = [*rule.contexts, *rule.unless, *rule.modifiers]
            refs += [c for group in rule.context_groups for c in group]
            refs += [c for link in rule.mechanism_links for c in link.requires]
            for ident in dict.fromkeys(refs):
                out.setdefault(ident, []).append(pos)
        return _frozen(out)

    @cached_property
    def makes_hold(self) -> Mapping[str, tuple[str, ...]]:
        """Id -> what else holds when it holds: its linked contexts and its ``feeds`` targets.

        Every ``feeds`` relation counts here, stated or inferred, except one that
        ends in another file.
        """
        out: dict[str, list[str]] = {}
        for link in self.link_records:
            out.setdefault(link.outcome, []).append(link.context)
        for rel in self.relation_records:
            if rel.type == "feeds" and not rel.external:
                out.setdefault(rel.from_, []).append(rel.to)
        return _frozen(out)

    # ------------------------------------------------------------------ links and opposites

    @cached_property
    def linked(self) -> Mapping[str, tuple[str, ...]]:
        """Outcome -> the contexts it is linked to (``theory.links``), in link order."""
        out: dict[str, list[str]] = {}
        for link in self.link_records:
            out.setdefault(link.outcome, []).append(link.context)
        return _frozen(out)

    @cached_property
    def linked_from(self) -> Mapping[str, tuple[str, ...]]:
        """Context -> the outcomes linked to it, in link order."""
        out: dict[str, list[str]] = {}
        for link in self.link_records:
            out.setdefault(link.context, []).append(link.outcome)
        return _frozen(out)

    @cached_property
    def in_links(self) -> frozenset[str]:
        """Every id named by an explicit link."""
        return frozenset(i for link in self.link_records for i in (link.outcome, link.context))

    @cached_property
    def opposites(self) -> Mapping[str, frozenset[str]]:
        """Outcome -> its declared opposites (both directions)."""
        out: dict[str, set[str]] = {}
        for node in self.node_records:
            opposite = getattr(node, "opposite", None)
            if node.kind == "outcome" and opposite is not None:
                out.setdefault(node.id, set()).add(opposite)
                out.setdefault(opposite, set()).add(node.id)
        return MappingProxyType({k: frozenset(v) for k, v in out.items()})

    # ------------------------------------------------------------------ format 2.0 groupings

    @cached_property
    def variants(self) -> Mapping[str, tuple[str, ...]]:
        """Outcome -> the outcomes declared ``variant_of`` it, in file order."""
        out: dict[str, list[str]] = {}
        for node in self.node_records:
            of = getattr(node, "variant_of", None)
            if node.kind == "outcome" and of is not None:
                out.setdefault(of, []).append(node.id)
        return _frozen(out)

    def with_variants(self, outcome: str) -> tuple[str, ...]:
        """An outcome and the outcomes that are variants of it (one level)."""
        return (outcome, *self.variants.get(outcome, ()))

    @cached_property
    def relations_by_type(self) -> Mapping[str, tuple[Relation, ...]]:
        """Relation type -> the relations of that type, in file order."""
        out: dict[str, list[Relation]] = {}
        for rel in self.relation_records:
            out.setdefault(rel.type, []).append(rel)
        return _frozen(out)

    @cached_property
    def relations_from(self) -> Mapping[str, tuple[Relation, ...]]:
        """Id -> the relations starting there, in file order."""
        out: dict[str, list[Relation]] = {}
        for rel in self.relation_records:
            out.setdefault(rel.from_, []).append(rel)
        return _frozen(out)

    @cached_property
    def relations_to(self) -> Mapping[str, tuple[Relation, ...]]:
        """Id (or ``file#id``) -> the relations ending there, in file order."""
        out: dict[str, list[Relation]] = {}
        for rel in self.relation_records:
            out.setdefault(rel.to, []).append(rel)
        return _frozen(out)

    def relations(
        self, type: str | None = None, *, stated_only: bool = False
    ) -> tuple[Relation, ...]:
        """The relations (of one type), optionally only those the source states."""
        found = self.relation_records if type is None else self.relations_by_type.get(type, ())
        return tuple(r for r in found if r.stated) if stated_only else found

    @cached_property
    def by_theme(self) -> Positions:
        """Theme id -> positions of its rules."""
        out: dict[str, list[int]] = {}
        for pos, rule in enumerate(self.rule_records):
            if rule.theme is not None:
                out.setdefault(rule.theme, []).append(pos)
        return _frozen(out)

    @cached_property
    def by_programme_theory(self) -> Positions:
        """Programme theory id -> positions of its rules."""
        out: dict[str, list[int]] = {}
        for pos, rule in enumerate(self.rule_records):
            if rule.programme_theory is not None:
                out.setdefault(rule.programme_theory, []).append(pos)
        return _frozen(out)

    @cached_property
    def by_actor(self) -> Positions:
        """Actor -> positions of its rules."""
        out: dict[str, list[int]] = {}
        for pos, rule in enumerate(self.rule_records):
            if rule.actor is not None:
                out.setdefault(rule.actor, []).append(pos)
        return _frozen(out)

    @cached_property
    def refuted(self) -> frozenset[str]:
        """The ids of the rules whose status is ``refuted``."""
        return frozenset(r.id for r in self.rule_records if r.status == "refuted")

    def derivable(self, item: str) -> bool:
        """Whether a rule can make ``item`` hold: a THEN outcome, or a context linked to one."""
        return item in self.producers or item in self.linked_from

    def feeds(self, outcome: str) -> tuple[str, ...]:
        """The items that hold when ``outcome`` holds: itself and its linked contexts."""
        return (outcome, *self.linked.get(outcome, ()))


_INDEXES: SideTable[TheoryIndex] = SideTable()


def index_of(theory: Theory) -> TheoryIndex:
    """The index of a theory, built on first use and shared while the theory lives.

    The theory is never changed: the index lives in a side table keyed by the
    theory's identity and is dropped when the theory is collected. A copy of
    the theory (``model_copy``) is another object and gets an index of its own.

    >>> from cimo.model import Context, Theory
    >>> t = Theory(id="t", title="T", nodes=(Context(id="c", label="C"),))
    >>> sorted(index_of(t).nodes), sorted(index_of(t.model_copy(update={"nodes": ()})).nodes)
    (['c'], [])
    """
    ix = _INDEXES.get(theory)
    if ix is None:
        ix = TheoryIndex(
            theory.nodes,
            theory.rules,
            theory.links,
            theory.sources,
            themes=theory.themes,
            programme_theories=theory.programme_theories,
            relations=theory.relations,
            participants=theory.participants,
        )
        _INDEXES.set(theory, ix)
    return ix
