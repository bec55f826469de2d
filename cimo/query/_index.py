"""The reasoning index: what each rule waits on, built once per theory and per way of asking.

Every query reasons over the same picture of a theory's rules: which rules
take part (refuted rules are set aside unless asked for), which can fire at
all (a rule with no context never does, unless it says ``if: any``), what
each one waits on (its IF contexts, its WITHIN modifiers, its any-of groups,
the ``requires`` of each mechanism), what it produces (THEN, per-mechanism
THEN, REDUCES, OTHERWISE) and what makes what hold (explicit ``links`` and
causal ``feeds`` relations, all of them or only the stated ones).

The index is built in one pass over the rules from the theory's shared
:func:`cimo.core.index.index_of` records and kept beside the theory in a side
table, one per ``(include_refuted, stated_only)``; the theory is never changed.
"""

from __future__ import annotations

from collections.abc import Callable, Container, Iterable
from dataclasses import dataclass, field

from cimo._util import SideTable, paused_gc
from cimo.core.index import index_of
from cimo.model import Rule, Theory

__all__ = [
    "InRule",
    "Mech",
    "RuleIndex",
    "clear_cache",
    "has_context_condition",
    "in_order",
    "in_rule",
    "mechanisms_of",
    "required_items",
    "rule_index",
]


@dataclass(frozen=True)
class Mech:
    """One mechanism of one rule: its id, what it requires, the outcomes tied to it."""

    id: str
    requires: tuple[str, ...] = ()
    then: tuple[str, ...] = ()


def mechanisms_of(rule: Rule) -> tuple[Mech, ...]:
    """The rule's mechanisms, each with its own ``requires`` and ``then``."""
    links = {link.mechanism: link for link in rule.mechanism_links}
    out = []
    for m in rule.mechanisms:
        link = links.get(m)
        out.append(Mech(m) if link is None else Mech(m, link.requires, link.then))
    return tuple(out)


def in_order(
    mechs: tuple[Mech, ...],
    gives: Container[str],
    met: Callable[[str], bool],
    usable: Callable[[int], bool],
) -> list[int]:
    """The mechanisms of one rule that fire, in firing order (their positions).

    A mechanism fires once each item it ``requires`` is ``met`` (holds) or is
    an outcome in ``gives`` that a mechanism fired before it gives (its own
    ``then``): the rule's mechanisms fire in sequence, within the rule. A
    mechanism that is not ``usable`` (taken away) never fires. One pass over
    the rule's links.

    >>> steps = (Mech("m1", then=("o1",)), Mech("m2", requires=("o1", "c"), then=("o2",)))
    >>> in_order(steps, {"o1"}, lambda r: r == "c", lambda k: True)
    [0, 1]
    >>> in_order(steps, {"o1"}, lambda r: False, lambda k: True)
    [0]
    """
    waiting: dict[str, list[int]] = {}
    left: list[int] = []
    order: list[int] = []
    for k, m in enumerate(mechs):
        n = 0
        for r in dict.fromkeys(m.requires):
            if not met(r):
                n += 1
                waiting.setdefault(r, []).append(k)
        left.append(n)
        if not n and usable(k):
            order.append(k)
    given: set[str] = set()
    i = 0
    while i < len(order):
        for o in mechs[order[i]].then:
            if o in gives and o not in given:
                given.add(o)
                for j in waiting.get(o, ()):
                    left[j] -= 1
                    if not left[j] and usable(j):
                        order.append(j)
        i += 1
    return order


@dataclass(frozen=True)
class InRule:
    """How the mechanisms of one rule feed each other (a rule with sequential mechanisms).

    A mechanism may ``require`` an outcome another mechanism of the same rule
    gives ("... (O), this drives people to ... (M)"): it fires after that one,
    within the rule.
    """

    inner: frozenset[str]
    """Outcomes a mechanism of the rule gives that another of its mechanisms requires."""
    outer: tuple[int, ...]
    """Per mechanism: how many of its ``requires`` are not inner (come from outside)."""
    giver: dict[str, int]
    """Per inner outcome the rule gives itself once what it needs from outside holds:
    the first mechanism to give it."""
    reached: tuple[bool, ...]
    """Per mechanism: whether it fires once what it needs from outside holds (not
    when it waits, in a loop within the rule, on an inner outcome only another rule gives)."""

    @property
    def inside(self) -> frozenset[str]:
        """The inner outcomes the rule gives itself (never waited on from outside)."""
        return frozenset(self.giver)

    def chain(self, mechs: tuple[Mech, ...], k: int) -> tuple[tuple[str, ...], frozenset[str]]:
        """What must hold from outside for mechanism ``k`` to fire, and what fires on the way.

        The mechanisms on the way are ``k`` itself and, breadth first, the
        givers of what it needs. Only for a ``reached`` mechanism. Costs the length of the chain.
        """
        queue, seen, outside = [k], {k}, []
        for j in queue:
            for r in mechs[j].requires:
                g = self.giver.get(r) if r in self.inner else None
                if g is None:
                    outside.append(r)
                elif g not in seen:
                    seen.add(g)
                    queue.append(g)
        return tuple(dict.fromkeys(outside)), frozenset(mechs[j].id for j in queue)


def in_rule(rule: Rule, mechs: tuple[Mech, ...] | None = None) -> InRule | None:
    """How the rule's mechanisms feed each other; None when none requires another's outcome.

    >>> from cimo.model import Rule
    >>> r = Rule.model_validate({"id": "r", "if": ["c"], "because": ["m1", "m2"],
    ...     "then": ["o1", "o2"], "mechanism_links": [{"mechanism": "m1", "then": ["o1"]},
    ...     {"mechanism": "m2", "requires": ["o1", "c2"], "then": ["o2"]}]})
    >>> seq = in_rule(r)
    >>> mechs = mechanisms_of(r)
    >>> sorted(seq.inside), seq.chain(mechs, 1)[0], sorted(seq.chain(mechs, 1)[1])
    (['o1'], ('c2',), ['m1', 'm2'])
    """
    if not rule.mechanism_links:
        return None
    mechs = mechanisms_of(rule) if mechs is None else mechs
    outcomes = set(rule.outcomes)
    own = {o for m in mechs for o in m.then if o in outcomes}
    inner = frozenset(r for m in mechs for r in m.requires if r in own)
    if not inner:
        return None
    reached = [False] * len(mechs)
    giver: dict[str, int] = {}
    for k in in_order(mechs, inner, lambda r: r not in inner, lambda k: True):
        reached[k] = True
        for o in mechs[k].then:
            if o in inner:
                giver.setdefault(o, k)
    outer = tuple(sum(r not in inner for r in dict.fromkeys(m.requires)) for m in mechs)
    return InRule(inner, outer, giver, tuple(reached))


def has_context_condition(rule: Rule) -> bool:
    """Whether a rule says when it holds (``if``, ``if_any``, ``within``, or ``if: any``)."""
    if "context" in rule.missing_parts:
        return False
    return bool(rule.contexts or rule.context_groups or rule.modifiers or rule.any_context)


def required_items(rule: Rule) -> tuple[str, ...]:
    """The items that must all hold for a rule to fire: its IF and WITHIN items, once each."""
    contexts, modifiers = rule.contexts, rule.modifiers
    return tuple(dict.fromkeys((*contexts, *modifiers) if modifiers else contexts))


def needs(rule: Rule) -> tuple[str, ...]:
    """Every item a rule may wait on: IF, WITHIN, any-of members, mechanism ``requires``."""
    if not (rule.modifiers or rule.context_groups or rule.mechanism_links):
        return tuple(dict.fromkeys(rule.contexts))
    items = [*rule.contexts, *rule.modifiers]
    for group in rule.context_groups:
        items += group
    for link in rule.mechanism_links:
        items += link.requires
    return tuple(dict.fromkeys(items))


@dataclass
class RuleIndex:
    """Rules (by position in ``theory.rules``) grouped by what they wait on and produce.

    Only the rules that take part are indexed for firing (``active``); a refuted
    rule is in :attr:`refuted` instead (unless refuted rules are included), and
    a rule with no context condition is in :attr:`unknown` (it never fires).
    """

    rules: tuple[Rule, ...]
    include_refuted: bool
    stated_only: bool
    position: dict[str, int] = field(default_factory=dict)
    """The position of each rule, by id."""
    kinds: dict[str, str] = field(default_factory=dict)
    """The kind of every node id (``context``, ``mechanism``, ...); rule ids map to ``rule``."""
    active: list[bool] = field(default_factory=list)
    """Whether each rule takes part in reasoning (not a set-aside refuted rule)."""
    refuted: list[int] = field(default_factory=list)
    """Refuted rules set aside (empty when refuted rules are included)."""
    unknown: list[int] = field(default_factory=list)
    """Rules taking part whose context is unknown (none stated, or declared missing)."""
    fires: list[bool] = field(default_factory=list)
    """Whether each rule can fire at all (active and with a context condition)."""
    required: list[tuple[str, ...]] = field(default_factory=list)
    """Per rule: the items that must all hold (IF contexts and WITHIN modifiers)."""
    mechs: list[tuple[Mech, ...]] = field(default_factory=list)
    """Per rule: its mechanisms with their own requires and outcomes."""
    free_then: list[tuple[str, ...]] = field(default_factory=list)
    """Per rule: the THEN outcomes tied to no mechanism in particular."""
    free_reduces: list[tuple[str, ...]] = field(default_factory=list)
    """Per rule: the REDUCES outcomes tied to no mechanism in particular."""
    waiting: dict[str, list[int]] = field(default_factory=dict)
    """Rules that can fire whose IF or WITHIN names the item."""
    in_group: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    """(rule, group number) of the any-of groups that name the item."""
    requiring: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    """(rule, mechanism number) of the mechanisms whose ``requires`` name the item."""
    unless: dict[str, list[int]] = field(default_factory=dict)
    """Rules whose UNLESS names the item."""
    producers: dict[str, list[int]] = field(default_factory=dict)
    """Active rules whose THEN names the outcome (context-unknown ones included)."""
    reducers: dict[str, list[int]] = field(default_factory=dict)
    """Active rules whose REDUCES names the outcome."""
    fallbacks: dict[str, list[int]] = field(default_factory=dict)
    """Active rules whose OTHERWISE names the outcome."""
    using: dict[str, list[int]] = field(default_factory=dict)
    """Active rules whose WITH names the intervention."""
    activators: dict[str, list[int]] = field(default_factory=dict)
    """Active rules whose BECAUSE names the mechanism."""
    feeds_to: dict[str, list[str]] = field(default_factory=dict)
    """What comes to hold when an item holds, is activated or fires: ``links`` and ``feeds``."""
    fed_by: dict[str, list[str]] = field(default_factory=dict)
    """The other way round: what makes an item hold."""
    variants: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Outcome -> its variants (``variant_of``, followed transitively), not itself."""
    needing: dict[str, list[int]] = field(default_factory=dict)
    """Rules that can fire and wait on the item in any way (IF, WITHIN, any-of, requires)."""
    refuted_producers: dict[str, list[int]] = field(default_factory=dict)
    """Set-aside refuted rules whose THEN, REDUCES or OTHERWISE names the outcome."""
    refuted_naming: dict[str, list[int]] = field(default_factory=dict)
    """Set-aside refuted rules that wait on the item or deliver it (WITH)."""
    starters: list[int] = field(default_factory=list)
    """Rules that can fire and wait on no item (``if: any`` with no other condition)."""
    sequential: dict[int, InRule] = field(default_factory=dict)
    """Rules one of whose mechanisms requires an outcome another of its mechanisms gives."""

    def derivable(self, item: str) -> bool:
        """Whether reasoning can make ``item`` hold (a rule produces it, or something feeds it)."""
        return item in self.producers or item in self.fallbacks or item in self.fed_by

    @property
    def linked_from(self) -> dict[str, list[str]]:
        """What makes each item hold directly (``links`` and ``feeds``): same as :attr:`fed_by`."""
        return self.fed_by

    @property
    def vacuous(self) -> list[int]:
        """Rules that wait on nothing (same as :attr:`starters`)."""
        return self.starters

    def feeds(self, item: str) -> tuple[str, ...]:
        """The item and every context or outcome that holds because it does, transitively."""
        out: dict[str, None] = {item: None}
        stack = list(self.feeds_to.get(item, ()))
        while stack:
            x = stack.pop()
            if x not in out and self.kinds.get(x) in ("context", "outcome"):
                out[x] = None
                stack.extend(self.feeds_to.get(x, ()))
        return tuple(out)

    def makers(self, item: str) -> tuple[list[tuple[int, str]], list[str]]:
        """What makes ``item`` hold directly.

        Returns:
            ``(rules, items)``: the rules with how they make it hold (``then``;
            ``otherwise``; ``fires``: the rule feeds it; ``activates``: one of
            its mechanisms feeds it), and the contexts or outcomes that feed it.
        """
        rules = [(p, "then") for p in self.producers.get(item, ())]
        rules += [(p, "otherwise") for p in self.fallbacks.get(item, ())]
        items = []
        for source in self.fed_by.get(item, ()):
            kind = self.kinds.get(source)
            if kind == "rule":
                pos = self.position[source]
                if self.active[pos]:
                    rules.append((pos, "fires"))
            elif kind == "mechanism":
                rules += [(p, "activates") for p in self.activators.get(source, ())]
            elif kind is not None:
                items.append(source)
        return rules, items

    def refuted_behind(self, items: Iterable[str]) -> tuple[str, ...]:
        """The set-aside refuted rules that produce one of ``items`` (in file order)."""
        return self.set_aside(p for i in items for p in self.refuted_producers.get(i, ()))

    def with_variants(self, outcome: str) -> tuple[str, ...]:
        """The outcome and its variants (a question about an outcome counts them too)."""
        return (outcome, *self.variants.get(outcome, ()))

    def set_aside(self, positions: Iterable[int]) -> tuple[str, ...]:
        """The ids of the refuted rules among ``positions``, in file order, once each."""
        return tuple(self.rules[p].id for p in sorted(set(positions)) if not self.active[p])


def _relations(theory: Theory, stated_only: bool) -> list[tuple[str, str]]:
    pairs = [(link.outcome, link.context) for link in theory.links]
    pairs += [
        (r.from_, r.to)
        for r in theory.relations
        if r.type == "feeds" and not r.external and (r.stated or not stated_only)
    ]
    return pairs


def _variants(theory: Theory) -> dict[str, tuple[str, ...]]:
    direct: dict[str, list[str]] = {}
    for node in theory.outcomes:
        if node.variant_of is not None:
            direct.setdefault(node.variant_of, []).append(node.id)
    out: dict[str, tuple[str, ...]] = {}
    for root in direct:
        seen: dict[str, None] = {}
        stack = list(reversed(direct[root]))
        while stack:
            o = stack.pop()
            if o in seen or o == root:
                continue
            seen[o] = None
            stack.extend(reversed(direct.get(o, ())))
        out[root] = tuple(seen)
    return out


def _index_refuted(idx: RuleIndex, pos: int, rule: Rule) -> None:
    """A refuted rule set aside: kept only to name it where it would have counted."""
    idx.refuted.append(pos)
    _put(idx.refuted_producers, (*rule.outcomes, *rule.reduces, *rule.otherwise), pos)
    _put(idx.refuted_naming, (*needs(rule), *rule.interventions), pos)


def _put(table: dict[str, list[int]], items: Iterable[str], pos: int) -> None:
    """File the rule at ``pos`` under each item (once, when an item comes twice in a row)."""
    for ident in items:
        bucket = table.get(ident)
        if bucket is None:
            table[ident] = [pos]
        elif bucket[-1] != pos:
            bucket.append(pos)


def _index_mechanisms(
    idx: RuleIndex, pos: int, rule: Rule, plain: dict[str, Mech]
) -> tuple[Mech, ...]:
    """The rule's mechanisms and the outcomes tied to none of them.

    A rule with no mechanism links (most rules) takes the short way: its
    mechanisms are shared records (``plain``, by id) and its outcomes are
    its own tuples, not copies.
    """
    if not rule.mechanism_links:
        mechs = tuple(plain.get(m) or plain.setdefault(m, Mech(m)) for m in rule.mechanisms)
        idx.free_then.append(rule.outcomes)
        idx.free_reduces.append(rule.reduces)
        return mechs
    mechs = mechanisms_of(rule)
    tied = {o for m in mechs for o in m.then}
    seq = in_rule(rule, mechs)
    if seq is not None:
        idx.sequential[pos] = seq
    idx.free_then.append(tuple(o for o in rule.outcomes if o not in tied))
    idx.free_reduces.append(tuple(o for o in rule.reduces if o not in tied))
    return mechs


def _index_waits(
    idx: RuleIndex, pos: int, rule: Rule, mechs: tuple[Mech, ...], required: tuple[str, ...]
) -> None:
    """File a rule that can fire under everything it waits on."""
    _put(idx.waiting, required, pos)
    groups = rule.context_groups
    if groups or rule.mechanism_links:
        for g, group in enumerate(groups):
            for ident in dict.fromkeys(group):
                idx.in_group.setdefault(ident, []).append((pos, g))
        for k, m in enumerate(mechs):
            for ident in dict.fromkeys(m.requires):
                idx.requiring.setdefault(ident, []).append((pos, k))
        _put(idx.needing, needs(rule), pos)
    else:  # what it waits on is what it requires
        _put(idx.needing, required, pos)
    if not required and not groups:
        idx.starters.append(pos)


def _index_rule(idx: RuleIndex, pos: int, rule: Rule, plain: dict[str, Mech]) -> None:
    mechs = _index_mechanisms(idx, pos, rule, plain)
    idx.mechs.append(mechs)
    required = required_items(rule)
    idx.required.append(required)
    active = idx.include_refuted or rule.status != "refuted"
    idx.active.append(active)
    fires = active and has_context_condition(rule)
    idx.fires.append(fires)
    if not active:
        _index_refuted(idx, pos, rule)
        return
    if not fires:
        idx.unknown.append(pos)
    _put(idx.producers, rule.outcomes, pos)
    _put(idx.reducers, rule.reduces, pos)
    _put(idx.fallbacks, rule.otherwise, pos)
    _put(idx.using, rule.interventions, pos)
    _put(idx.activators, rule.mechanisms, pos)
    _put(idx.unless, rule.unless, pos)
    if fires:
        _index_waits(idx, pos, rule, mechs, required)


def _build(theory: Theory, include_refuted: bool, stated_only: bool) -> RuleIndex:
    shared = index_of(theory)
    idx = RuleIndex(theory.rules, include_refuted, stated_only)
    idx.kinds = {ident: node.kind for ident, node in shared.nodes.items()}
    idx.kinds.update(dict.fromkeys(shared.rules, "rule"))
    idx.position = dict(shared.rule_pos)
    plain: dict[str, Mech] = {}
    for pos, rule in enumerate(theory.rules):
        _index_rule(idx, pos, rule, plain)
    for source, target in _relations(theory, stated_only):
        idx.feeds_to.setdefault(source, []).append(target)
        idx.fed_by.setdefault(target, []).append(source)
    idx.variants = _variants(theory)
    return idx


_INDEXES: SideTable[dict[tuple[bool, bool], RuleIndex]] = SideTable()


def rule_index(
    theory: Theory, *, include_refuted: bool = False, stated_only: bool = False
) -> RuleIndex:
    """The reasoning index of a theory, built on first use and kept while the theory lives.

    Args:
        theory: The theory (never changed: the index lives in a side table).
        include_refuted: Reason with refuted rules too (they are set aside by default).
        stated_only: Leave out ``feeds`` relations the source does not state.

    >>> import cimo
    >>> idx = rule_index(cimo.load_example("pwp-resilience"))
    >>> [idx.rules[p].id for p in idx.producers["stress-and-burnout"]]
    ['burnout']
    """
    per_theory = _INDEXES.get(theory)
    if per_theory is None:
        per_theory = {}
        _INDEXES.set(theory, per_theory)
    key = (include_refuted, stated_only)
    idx = per_theory.get(key)
    if idx is None:
        with paused_gc(freeze=True):  # many small lists, no cycles
            idx = per_theory[key] = _build(theory, include_refuted, stated_only)
    return idx


def clear_cache() -> None:
    """Forget every cached reasoning index (benchmarks use it to time cold queries)."""
    _INDEXES.clear()
