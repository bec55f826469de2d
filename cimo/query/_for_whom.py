"""For whom, and in what circumstances: the sets of contexts under which an outcome follows."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Generator
from typing import Literal

from cimo.errors import UsageError
from cimo.model import CimoModel, Context, Facets, Theory
from cimo.query._base import (
    STEPS_PER_RESULT,
    Result,
    check_ids,
    labelled,
    name,
    names,
    set_aside_lines,
)
from cimo.query._coverage import GroupEvidence, group_by, group_order, groups_of
from cimo.query._index import RuleIndex, rule_index

__all__ = [
    "Accounts",
    "Circumstance",
    "Circumstances",
    "ContextSet",
    "ForWhom",
    "circumstances",
    "for_whom",
]


class Accounts(CimoModel):
    """Whose accounts bear on a route (``for_whom(by=...)``).

    The rules of the route that one kind of person's witnesses support, refute or refine.
    """

    group: str | None
    """The participant attribute's value; None: not recorded (see
    :class:`~cimo.query.GroupEvidence`)."""
    supports: tuple[str, ...] = ()
    refutes: tuple[str, ...] = ()
    refines: tuple[str, ...] = ()

    def __str__(self) -> str:
        said = [
            f"{verb} {', '.join(rules)}"
            for verb, rules in (
                ("supports", self.supports),
                ("refutes", self.refutes),
                ("refines", self.refines),
            )
            if rules
        ]
        return f"{self.group or 'not recorded'} {', '.join(said)}"


class ContextSet(CimoModel):
    """One route to an outcome: the circumstances under which it is expected, and its blockers."""

    contexts: tuple[str, ...]
    """Contexts that, together, suffice (sorted)."""
    interventions: tuple[str, ...]
    """Interventions that must be delivered (sorted)."""
    rules: tuple[str, ...]
    """The rules of the chain, upstream first."""
    unless: tuple[str, ...]
    """Items that would block one of those rules (sorted)."""
    without: tuple[str, ...] = ()
    """Mechanisms that must NOT fire (a route through a rule's OTHERWISE), sorted."""
    outcome: str | None = None
    """The outcome the route produces when it is a variant of the one asked about."""
    accounts: tuple[Accounts, ...] = ()
    """With ``for_whom(by=...)``: which kinds of people's accounts bear on its rules."""

    def __str__(self) -> str:
        text = names(self.contexts, " and ") or "in any circumstances"
        if self.interventions:
            text += f", with {names(self.interventions, ' and ')}"
        if self.without:
            text += f", when {names(self.without, ' and ')} does not fire"
        if self.unless:
            text += f", unless {names(self.unless, ' or ')}"
        tail = f" (as {name(self.outcome)})" if self.outcome else ""
        if self.accounts:
            tail += "; accounts: " + "; ".join(map(str, self.accounts))
        chain = " -> ".join(self.rules) or "through links or feeds relations only"
        return f"{text} [{chain}]{tail}"


class ForWhom(Result):
    """For whom, and in what circumstances, an outcome is expected."""

    outcome: str
    sets: tuple[ContextSet, ...]
    """Every route: the minimal circumstances (with interventions) under which the
    outcome follows, each with what would block it. One set of circumstances may
    have several routes, blocked and unblocked."""
    blockers: tuple[str, ...]
    """Every item that would block some route (sorted)."""
    variants: tuple[str, ...] = ()
    """Outcomes that are variants of this one (``variant_of``), counted too."""
    unknown: tuple[str, ...] = ()
    """Rules behind the outcome whose context is unknown (none stated, or missing in
    the source): they never fire, so no circumstances can be given for them."""
    set_aside: tuple[str, ...] = ()
    """Refuted rules behind the outcome that were left out."""
    truncated: bool = False
    """True when more sets exist than ``limit`` allowed: the list was cut short."""
    by: str | None = None
    """The participant attribute each route's ``accounts`` are grouped by."""

    def _lines(self) -> tuple[str, list[str]]:
        lines = [str(s) for s in self.sets] or ["no circumstances produce it"]
        if self.unknown:
            lines.append(f"context unknown (never fires in a scenario): {', '.join(self.unknown)}")
        if self.truncated:
            lines.append("(cut short: more sets exist; raise limit)")
        lines += set_aside_lines(self.set_aside)
        head = f"For whom {name(self.outcome)} is expected"
        return head + (f" (accounts by {self.by})" if self.by else ""), lines


# contexts, interventions, chain, unless, without (mechanisms that must not fire),
# uses (mechanisms the chain needs to fire)
_Option = tuple[
    frozenset[str], frozenset[str], "_Chain | None", frozenset[str], frozenset[str], frozenset[str]
]
#: The rules of a chain while searching: the chains of what the rule needed, then the rule.
#: Shared, not copied, so a long chain costs one node per rule (see :func:`_rules_of`).
_Chain = tuple[tuple["_Chain", ...], str]
#: An option once its chain is spelled out (rule ids, upstream first).
_Route = tuple[
    frozenset[str], frozenset[str], tuple[str, ...], frozenset[str], frozenset[str], frozenset[str]
]
_MechOption = tuple[tuple[str, ...], frozenset[str], frozenset[str]]
#: What a search step needs next: an item's routes, or a rule's (position, how, target).
_Need = str | tuple[int, str, str]
_Search = Generator[_Need, list[_Option], list[_Option]]


class _Sets:
    """The routes to an item, built upstream (bounded by ``limit`` and a step budget).

    ``of_item`` and ``of_rule`` call each other as the chains go upstream;
    each is a generator that yields the item or rule it needs and is sent the
    options back, and :meth:`run` drives them with an explicit stack, so a
    chain of any length uses no Python stack. ``path`` counts the items and
    rules on the way down (a rule is not entered twice in one chain).
    """

    def __init__(self, theory: Theory, idx: RuleIndex, limit: int) -> None:
        self.theory = theory
        self.idx = idx
        self.limit = limit
        self.truncated = False
        self.steps = limit * STEPS_PER_RESULT
        self.unknown: dict[int, None] = {}
        self.behind: dict[str, None] = {}
        self.path: dict[int | str, int] = {}

    def _enter(self, key: int | str) -> None:
        self.path[key] = self.path.get(key, 0) + 1

    def _leave(self, key: int | str) -> None:
        left = self.path[key] - 1
        if left:
            self.path[key] = left
        else:
            del self.path[key]

    def run(self, item: str) -> list[_Option]:
        """Every route to ``item``, driving the searches with an explicit stack."""
        stack: list[tuple[_Search, int | str]] = [(self.of_item(item), item)]
        self._enter(item)
        sent: list[_Option] | None = None
        while True:
            search, key = stack[-1]
            try:
                need = next(search) if sent is None else search.send(sent)
            except StopIteration as done:
                stack.pop()
                self._leave(key)
                if not stack:
                    return list(done.value)
                sent = done.value
                continue
            if isinstance(need, str):
                key, search = need, self.of_item(need)
            else:
                pos, how, target = need
                if pos in self.path:
                    sent = []
                    continue
                if not self.idx.fires[pos]:
                    self.unknown[pos] = None
                    sent = []
                    continue
                key, search = pos, self.of_rule(pos, how, target)
            self._enter(key)
            stack.append((search, key))
            sent = None

    def of_item(self, item: str) -> _Search:
        self.steps -= 1
        if self.steps < 0:
            self.truncated = True
            return []
        self.behind[item] = None
        options: list[_Option] = []
        if self.idx.kinds.get(item) == "context":
            empty: frozenset[str] = frozenset()
            options.append((frozenset([item]), empty, None, empty, empty, empty))
        rules, items = self.idx.makers(item)
        for pos, how in rules:
            options += yield (pos, how, item)
            if len(options) >= self.limit:
                self.truncated = True
                return options[: self.limit]
        for source in items:
            if source not in self.path:
                options += yield source
            if len(options) >= self.limit:
                self.truncated = True
                return options[: self.limit]
        return options

    def mech_options(self, pos: int, how: str, target: str) -> list[_MechOption]:
        """Per way the mechanisms can go: (requires, must fire, must not fire)."""
        idx = self.idx
        mechs = idx.mechs[pos]
        alternatives = idx.rules[pos].mechanism_mode == "alternatives"
        none: frozenset[str] = frozenset()
        if how == "otherwise":
            if not mechs:
                return []
            if alternatives:
                return [((), none, frozenset(m.id for m in mechs))]
            return [((), none, frozenset([m.id])) for m in {m.id: m for m in mechs}.values()]
        if not mechs:
            return [((), none, none)]
        if how == "activates":
            tied = [m for m in mechs if m.id in idx.fed_by.get(target, ())]
        elif how == "then":
            tied = [m for m in mechs if target in m.then]
        else:  # "fires": the rule's firing feeds the target, whichever mechanisms fire
            tied = []
        seq = idx.sequential.get(pos)
        if alternatives:
            return [
                (*seq.chain(mechs, k), none)  # after the mechanisms giving what it needs
                if seq is not None and seq.reached[k]
                else (m.requires, frozenset([m.id]), none)
                for k, m in enumerate(mechs)
                if not tied or m in tied
            ]
        inside = seq.inside if seq is not None and all(seq.reached) else ()
        requires = tuple(dict.fromkeys(r for m in mechs for r in m.requires if r not in inside))
        return [(requires, frozenset(m.id for m in mechs), none)]

    def of_rule(self, pos: int, how: str, target: str) -> _Search:
        idx = self.idx
        rule = idx.rules[pos]
        out: list[_Option] = []
        for requires, uses, without in self.mech_options(pos, how, target):
            needed = tuple(dict.fromkeys((*idx.required[pos], *requires)))
            parts: list[list[_Option]] = []
            for c in needed:  # each yield is a step up the chain
                parts.append((yield c))  # noqa: PERF401
            for group in rule.context_groups:
                either: list[_Option] = []
                for m in dict.fromkeys(group):
                    either += yield m
                parts.append(either)
            for tried, combo in enumerate(itertools.product(*parts)):
                # every further combination tried is a step: when most of them
                # block themselves, the product would otherwise grow unbounded
                if tried:
                    self.steps -= 1
                    if self.steps < 0:
                        self.truncated = True
                        return out
                option = _join(combo, rule.interventions, rule.id, rule.unless, without, uses)
                if option is not None:
                    out.append(option)
                if len(out) >= self.limit:
                    self.truncated = True
                    return out
        return out


def _rules_of(chain: _Chain | None) -> tuple[str, ...]:
    """The rule ids of a chain, upstream first, each once (a walk, not a recursion)."""
    out: dict[str, None] = {}
    stack: list[tuple[_Chain, bool]] = [(chain, False)] if chain is not None else []
    while stack:
        (parts, rule), visited = stack.pop()
        if visited:
            out.setdefault(rule, None)
            continue
        stack.append(((parts, rule), True))
        stack.extend((part, False) for part in reversed(parts))
    return tuple(out)


def _join(
    combo: tuple[_Option, ...],
    interventions: tuple[str, ...],
    rule: str,
    unless: tuple[str, ...],
    without: frozenset[str],
    uses: frozenset[str],
) -> _Option | None:
    """One route through a rule from one route per thing it needs; None if it defeats itself."""
    contexts = frozenset().union(*(c[0] for c in combo))
    blocked_by = frozenset(unless).union(*(c[3] for c in combo))
    not_firing = without.union(*(c[4] for c in combo))
    firing = uses.union(*(c[5] for c in combo))
    if contexts & blocked_by or not_firing & firing:
        return None  # blocked by its own circumstances, or needs a mechanism both ways
    return (
        contexts,
        frozenset(interventions).union(*(c[1] for c in combo)),
        (tuple(c[2] for c in combo if c[2] is not None), rule),
        blocked_by,
        not_firing,
        firing,
    )


def _minimal(routes: list[tuple[_Route, str]]) -> list[tuple[_Route, str]]:
    """Keep the shortest chain per route, and drop routes needing strictly more circumstances."""
    unique: dict[tuple[frozenset[str], ...], tuple[_Route, str]] = {}
    for route in routes:
        o = route[0]
        key = (o[0], o[1], o[3], o[4])
        best = unique.get(key)
        if best is None or len(o[2]) < len(best[0][2]):
            unique[key] = route
    keys = list(unique)

    def smaller(a: tuple[frozenset[str], ...], b: tuple[frozenset[str], ...]) -> bool:
        same = a[0] == b[0] and a[1] == b[1] and a[3] == b[3]
        return not same and a[0] <= b[0] and a[1] <= b[1] and a[2] <= b[2] and a[3] <= b[3]

    # bounded by ``limit``: the routes were cut short there
    return [unique[k] for k in keys if not any(smaller(o, k) for o in keys)]


def for_whom(
    theory: Theory,
    outcome: str,
    *,
    limit: int = 100,
    include_refuted: bool = False,
    stated_only: bool = False,
    by: str | None = None,
    labels: bool = False,
) -> ForWhom:
    """The sets of circumstances under which an outcome is expected, and what would block them.

    Each route is what must hold for one chain of rules to produce the outcome
    (or one of its variants): the contexts of its first rules, with every
    item a rule waits on that other rules produce (IF, WITHIN, any-of
    members, a mechanism's ``requires``) replaced by the circumstances that
    produce it; a context that is also produced counts both as given and as
    derived. A route through a rule's OTHERWISE names the mechanism that must
    not fire (``without``). Every route is kept, blocked or not: when the same
    circumstances have a route that an UNLESS item can block and one that
    nothing blocks, both are listed. Routes that need strictly more
    circumstances than another route with no more blockers are dropped.

    Every answer is one :func:`scenario` confirms: given a route's contexts and
    interventions (and ``without`` its mechanisms), the outcome is expected,
    or one of the route's UNLESS items holds.

    Rules with no context are listed as ``unknown`` (their source does not say
    when they hold); refuted rules are set aside unless ``include_refuted``.

    With ``by`` (a participant attribute, such as ``role``), each route says
    whose accounts bear on it (``accounts``): per kind of person, the rules of
    the route their evidence supports, refutes or refines, so a route backed
    only by managers' accounts can be told from one service users describe.

    Args:
        theory: The theory.
        outcome: The id of an outcome.
        limit: The most sets to build; a result cut short says so (``truncated``),
            as does a search that took more than ``1000 * limit`` steps.
        include_refuted: Reason with refuted rules too.
        stated_only: Leave out ``feeds`` relations the source does not state.
        by: Group each route's evidence by this participant attribute.
        labels: Print node labels instead of ids (:meth:`Result.with_labels`).

    Returns:
        The routes, the blockers, the context-unknown rules and the refuted
        rules set aside.

    Raises:
        UnknownIdError: if ``outcome`` is not an outcome of the theory, or ``by``
            not an attribute of any declared participant.
        UsageError: if ``limit`` is below 1.

    >>> import cimo
    >>> from cimo.query import for_whom
    >>> print(for_whom(cimo.load_example("pwp-resilience"), "stress-and-burnout"))
    For whom stress-and-burnout is expected
      high-clinical-volume and limited-supervision, unless resilience or work-boundaries [burnout]
    """
    (outcome,) = check_ids(theory, [outcome], ("outcome",))
    if limit < 1:
        raise UsageError(f"limit must be 1 or more (got {limit})")
    accounts = _accounts(theory, by) if by is not None else None
    idx = rule_index(theory, include_refuted=include_refuted, stated_only=stated_only)
    finder = _Sets(theory, idx, limit)
    routes: list[tuple[_Route, str]] = []
    for target in idx.with_variants(outcome):
        routes += [
            ((o[0], o[1], _rules_of(o[2]), o[3], o[4], o[5]), target) for o in finder.run(target)
        ]
    sets = tuple(
        ContextSet(
            contexts=tuple(sorted(o[0])),
            interventions=tuple(sorted(o[1])),
            rules=o[2],
            unless=tuple(sorted(o[3])),
            without=tuple(sorted(o[4])),
            outcome=None if target == outcome else target,
            accounts=accounts(o[2]) if accounts else (),
        )
        for o, target in _minimal(routes)
    )
    result = ForWhom(
        outcome=outcome,
        sets=sets,
        blockers=tuple(sorted({u for s in sets for u in s.unless})),
        variants=idx.variants.get(outcome, ()),
        unknown=tuple(idx.rules[p].id for p in sorted(finder.unknown)),
        set_aside=idx.refuted_behind(finder.behind),
        truncated=finder.truncated,
        by=by,
    )
    return labelled(result, theory, labels)


def _accounts(theory: Theory, by: str) -> Callable[[tuple[str, ...]], tuple[Accounts, ...]]:
    """Whose accounts bear on a chain of rules, each rule's evidence grouped once."""
    group = group_by(theory, by)
    order = group_order(theory, by)
    ranked = {g: i for i, g in enumerate(order)}
    rules = theory.rule_index
    cache: dict[str, tuple[GroupEvidence, ...]] = {}

    def of(chain: tuple[str, ...]) -> tuple[Accounts, ...]:
        found: dict[str | None, dict[str, list[str]]] = {}
        for rule in chain:
            if rule not in cache:
                cache[rule] = groups_of([rules[rule]], group, order)
            for row in cache[rule]:
                said = found.setdefault(row.group, {"supports": [], "refutes": [], "refines": []})
                for stance, listed in said.items():
                    if getattr(row, stance):
                        listed.append(rule)
        keys = sorted(found, key=lambda g: len(ranked) if g is None else ranked[g])
        return tuple(Accounts(group=g, **{k: tuple(v) for k, v in found[g].items()}) for g in keys)

    return of


class Circumstance(CimoModel):
    """One context bearing on an outcome, with who, whom, where, when and which circumstances."""

    context: str
    label: str
    role: Literal["enables", "blocks"]
    level: str | None = None
    dimension: str | None = None
    facets: Facets | None = None

    def __str__(self) -> str:
        extra = [x for x in (self.level, self.dimension) if x]
        if self.facets is not None:
            extra += [f"{k}: {v}" for k, v in self.facets.model_dump(exclude_none=True).items()]
        tail = f" ({'; '.join(extra)})" if extra else ""
        shown = name(self.context)  # the label already, when printing labels
        return f"{self.role} {shown if shown != self.context else shown + ': ' + self.label}{tail}"


class Circumstances(Result):
    """The contexts that enable or block an outcome, described in realist terms."""

    outcome: str
    contexts: tuple[Circumstance, ...]
    truncated: bool = False
    unknown: tuple[str, ...] = ()
    """Rules behind the outcome whose context is unknown (see :attr:`ForWhom.unknown`)."""
    set_aside: tuple[str, ...] = ()
    """Refuted rules behind the outcome that were left out."""

    def _lines(self) -> tuple[str, list[str]]:
        lines = [str(c) for c in self.contexts] or ["no context bears on it"]
        if self.unknown:
            lines.append(f"context unknown: {', '.join(self.unknown)}")
        return f"Circumstances of {name(self.outcome)}", lines + set_aside_lines(self.set_aside)


def circumstances(
    theory: Theory,
    outcome: str,
    *,
    limit: int = 100,
    include_refuted: bool = False,
    stated_only: bool = False,
    labels: bool = False,
) -> Circumstances:
    """The contexts under which an outcome is expected or blocked, with their facets.

    The enabling contexts are those of :func:`for_whom`'s sets, the blocking
    ones its blockers that are contexts; each comes with its level, dimension
    and facets (who, whom, where, when, which circumstances). Takes the
    options of :func:`for_whom`.

    >>> import cimo
    >>> from cimo.query import circumstances
    >>> c = circumstances(cimo.load_example("pwp-resilience"), "stress-and-burnout")
    >>> [(x.context, x.role) for x in c.contexts]
    [('high-clinical-volume', 'enables'), ('limited-supervision', 'enables')]
    """
    found = for_whom(
        theory, outcome, limit=limit, include_refuted=include_refuted, stated_only=stated_only
    )
    index = theory.index
    out = []
    enabling = dict.fromkeys(c for s in found.sets for c in s.contexts)
    roles: list[tuple[str, Literal["enables", "blocks"]]] = [(c, "enables") for c in enabling]
    roles += [(c, "blocks") for c in found.blockers]
    for ident, role in roles:
        node = index[ident]
        if isinstance(node, Context):
            out.append(
                Circumstance(
                    context=ident,
                    label=node.label,
                    role=role,
                    level=node.level,
                    dimension=node.dimension,
                    facets=node.facets,
                )
            )
    result = Circumstances(
        outcome=outcome,
        contexts=tuple(out),
        truncated=found.truncated,
        unknown=found.unknown,
        set_aside=found.set_aside,
    )
    return labelled(result, theory, labels)
