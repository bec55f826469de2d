"""Backward questions: how an outcome comes about, for whom, by what chains."""

from __future__ import annotations

import itertools
from collections import deque
from typing import Literal

import networkx as nx

from cimo.graph import ChainLink, chain_links
from cimo.model import CimoModel, Context, Facets, MechanismMode, Rule, Theory
from cimo.query._base import Result, RuleIndex, check_ids, rule_index

__all__ = [
    "Chain",
    "Chains",
    "Circumstance",
    "Circumstances",
    "ContextSet",
    "Explanation",
    "ForWhom",
    "Pathway",
    "Pathways",
    "Way",
    "chains",
    "circumstances",
    "explain",
    "for_whom",
    "pathways",
]


class Way(CimoModel):
    """One rule that helps bring an outcome about, with everything it needs."""

    rule: str
    depth: int
    """0 for a rule that produces the outcome itself; n for n chain steps upstream."""
    produces: tuple[str, ...]
    """The items of interest it makes hold (the outcome, or an upstream item)."""
    contexts: tuple[str, ...]
    """IF: what must hold."""
    unless: tuple[str, ...]
    """UNLESS: what would block it."""
    interventions: tuple[str, ...]
    """WITH: what must be delivered."""
    mechanisms: tuple[str, ...]
    """BECAUSE: how it works."""
    mechanism_mode: MechanismMode
    chained: tuple[str, ...]
    """The IF items other rules can produce (followed upstream)."""
    status: str
    statement: str | None = None

    def __str__(self) -> str:
        text = f"{self.rule}: IF {' and '.join(self.contexts) or '(always)'}"
        if self.interventions:
            text += f" WITH {' and '.join(self.interventions)}"
        if self.unless:
            text += f" UNLESS {' or '.join(self.unless)}"
        text += f" THEN {', '.join(self.produces)}"
        if self.mechanisms:
            joint = " or " if self.mechanism_mode == "alternatives" else " and "
            text += f" BECAUSE {joint.join(self.mechanisms)}"
        return text


def _way(rule: Rule, depth: int, produces: tuple[str, ...], idx: RuleIndex) -> Way:
    # Built from a validated theory, so every value already has its type:
    # skip re-validation (it would be most of the cost of a large explanation).
    return Way.model_construct(
        rule=rule.id,
        depth=depth,
        produces=produces,
        contexts=rule.contexts,
        unless=rule.unless,
        interventions=rule.interventions,
        mechanisms=rule.mechanisms,
        mechanism_mode=rule.mechanism_mode,
        chained=tuple(c for c in rule.contexts if idx.derivable(c)),
        status=rule.status,
        statement=rule.statement,
    )


class Explanation(Result):
    """Every way a theory produces an outcome, following chains upstream."""

    outcome: str
    ways: tuple[Way, ...]
    """The rules behind the outcome: depth 0 produce it, deeper ones feed those."""
    reduced_by: tuple[Way, ...]
    """The rules that make the outcome less likely."""

    @property
    def rules(self) -> tuple[str, ...]:
        """The ids of every rule in :attr:`ways`."""
        return tuple(w.rule for w in self.ways)

    @property
    def direct(self) -> tuple[str, ...]:
        """The ids of the rules that produce the outcome themselves."""
        return tuple(w.rule for w in self.ways if w.depth == 0)

    def _lines(self) -> tuple[str, list[str]]:
        if not self.ways:
            lines = ["no rule produces it"]
        else:
            lines = [f"{'  ' * w.depth}{w}" for w in self.ways]
        lines += [f"reduced by {w}" for w in self.reduced_by]
        return f"How {self.outcome} comes about", lines


def explain(theory: Theory, outcome: str) -> Explanation:
    """Every way the theory produces an outcome: rules, mechanisms, contexts, blockers.

    Starts from the rules whose THEN names the outcome and follows chains
    upstream: an IF item that other rules produce (an outcome, or a context
    linked to outcomes) is explained in turn. Each rule appears once, at its
    smallest depth; loops end. Cost: one pass over the rules upstream.

    Args:
        theory: The theory.
        outcome: The id of an outcome.

    Returns:
        The ways, nearest first, and the rules that reduce the outcome.

    Raises:
        UnknownIdError: if ``outcome`` is not an outcome of the theory.

    >>> import cimo
    >>> from cimo.query import explain
    >>> e = explain(cimo.load_example("pwp-resilience"), "purpose-reaffirmed")
    >>> e.direct
    ('purpose-reaffirmed-by-resilience',)
    >>> [(w.rule, w.depth) for w in e.ways][:3]
    [('purpose-reaffirmed-by-resilience', 0), ('self-care', 1), ('boundaries', 1)]
    """
    (outcome,) = check_ids(theory, [outcome], ("outcome",))
    idx = rule_index(theory)
    rules = theory.rules
    depth_of: dict[int, int] = {}
    produces: dict[int, list[str]] = {}
    seen_items = {outcome}
    frontier: deque[tuple[str, int]] = deque([(outcome, 0)])
    while frontier:
        item, depth = frontier.popleft()
        sources = [item, *idx.linked_from.get(item, ())]
        for source in sources:
            for pos in idx.producers.get(source, ()):
                if pos not in depth_of:
                    depth_of[pos] = depth
                    produces[pos] = []
                    for c in rules[pos].contexts:
                        if c not in seen_items and idx.derivable(c):
                            seen_items.add(c)
                            frontier.append((c, depth + 1))
                if depth_of[pos] == depth and source not in produces[pos]:
                    produces[pos].append(source)
    order = sorted(depth_of, key=lambda p: (depth_of[p], p))
    return Explanation(
        outcome=outcome,
        ways=tuple(_way(rules[p], depth_of[p], tuple(produces[p]), idx) for p in order),
        reduced_by=tuple(_way(rules[p], 0, (outcome,), idx) for p in idx.reducers.get(outcome, ())),
    )


class ContextSet(CimoModel):
    """One set of circumstances under which an outcome is expected."""

    contexts: tuple[str, ...]
    """Contexts that, together, suffice (sorted)."""
    interventions: tuple[str, ...]
    """Interventions that must be delivered (sorted)."""
    rules: tuple[str, ...]
    """The rules of the chain, upstream first."""
    unless: tuple[str, ...]
    """Items that would block one of those rules (sorted)."""

    def __str__(self) -> str:
        text = " and ".join(self.contexts) or "(any circumstances)"
        if self.interventions:
            text += f", with {' and '.join(self.interventions)}"
        if self.unless:
            text += f", unless {' or '.join(self.unless)}"
        return f"{text} [{' -> '.join(self.rules)}]"


class ForWhom(Result):
    """For whom, and in what circumstances, an outcome is expected."""

    outcome: str
    sets: tuple[ContextSet, ...]
    """The minimal sets of contexts (with interventions) under which the outcome follows."""
    blockers: tuple[str, ...]
    """Every item that would block some set (sorted)."""
    truncated: bool = False
    """True when more sets exist than ``limit`` allowed: the list was cut short."""

    def _lines(self) -> tuple[str, list[str]]:
        lines = [str(s) for s in self.sets] or ["no circumstances produce it"]
        if self.truncated:
            lines.append("(cut short: more sets exist; raise limit)")
        return f"For whom {self.outcome} is expected", lines


_Option = tuple[frozenset[str], frozenset[str], tuple[str, ...], frozenset[str]]


#: How many search steps an enumeration may take per result it may return
#: (``limit``); past that it stops and says it was cut short.
_STEPS_PER_RESULT = 1000


class _Sets:
    def __init__(self, theory: Theory, limit: int) -> None:
        self.theory = theory
        self.idx = rule_index(theory)
        self.limit = limit
        self.truncated = False
        self.steps = limit * _STEPS_PER_RESULT

    def of_item(self, item: str, path: frozenset[int]) -> list[_Option]:
        node = self.theory.index[item]
        options: list[_Option] = []
        self.steps -= 1
        if self.steps < 0:
            self.truncated = True
            return options
        if isinstance(node, Context):
            options.append((frozenset([item]), frozenset(), (), frozenset()))
        for source in [item, *self.idx.linked_from.get(item, ())]:
            for pos in self.idx.producers.get(source, ()):
                if pos not in path:
                    options += self.of_rule(pos, path | {pos})
                if len(options) >= self.limit:
                    self.truncated = True
                    return options[: self.limit]
        return options

    def of_rule(self, pos: int, path: frozenset[int]) -> list[_Option]:
        rule = self.idx.rules[pos]
        parts = [self.of_item(c, path) for c in rule.contexts]
        out: list[_Option] = []
        for combo in itertools.product(*parts):
            contexts = frozenset().union(*(c[0] for c in combo))
            interventions = frozenset(rule.interventions).union(*(c[1] for c in combo))
            chain = (*dict.fromkeys(r for c in combo for r in c[2]), rule.id)
            unless = frozenset(rule.unless).union(*(c[3] for c in combo))
            out.append((contexts, interventions, chain, unless))
            if len(out) >= self.limit:
                self.truncated = True
                break
        return out


def for_whom(theory: Theory, outcome: str, *, limit: int = 100) -> ForWhom:
    """The sets of contexts under which an outcome is expected, and what would block it.

    Each set is what must hold for one chain of rules to produce the outcome:
    the contexts of its first rules, with the chained IF items replaced by the
    contexts that produce them (a context that outcomes are linked to counts
    both as given and as derived). Sets that hold a smaller set with the same
    or fewer interventions are dropped: only minimal sets are kept.

    Args:
        theory: The theory.
        outcome: The id of an outcome.
        limit: The most sets to build; a result cut short says so (``truncated``),
            as does a search that took more than ``1000 * limit`` steps.

    Returns:
        The minimal sets and the blockers.

    Raises:
        UnknownIdError: if ``outcome`` is not an outcome of the theory.

    >>> import cimo
    >>> from cimo.query import for_whom
    >>> print(for_whom(cimo.load_example("pwp-resilience"), "stress-and-burnout"))
    For whom stress-and-burnout is expected
      high-clinical-volume and limited-supervision, unless resilience or work-boundaries [burnout]
    """
    (outcome,) = check_ids(theory, [outcome], ("outcome",))
    finder = _Sets(theory, limit)
    options = finder.of_item(outcome, frozenset())
    unique: dict[tuple[frozenset[str], frozenset[str]], _Option] = {}
    for o in options:  # per set of circumstances, keep the shortest chain
        best = unique.get((o[0], o[1]))
        if best is None or len(o[2]) < len(best[2]):
            unique[o[0], o[1]] = o
    keys = list(unique)
    minimal = [
        k
        for k in keys
        if not any(o != k and o[0] <= k[0] and o[1] <= k[1] for o in keys)  # bounded by limit
    ]
    sets = tuple(
        ContextSet(
            contexts=tuple(sorted(k[0])),
            interventions=tuple(sorted(k[1])),
            rules=unique[k][2],
            unless=tuple(sorted(unique[k][3])),
        )
        for k in minimal
    )
    return ForWhom(
        outcome=outcome,
        sets=sets,
        blockers=tuple(sorted({u for s in sets for u in s.unless})),
        truncated=finder.truncated,
    )


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
        return f"{self.role} {self.context}: {self.label}{tail}"


class Circumstances(Result):
    """The contexts that enable or block an outcome, described in realist terms."""

    outcome: str
    contexts: tuple[Circumstance, ...]
    truncated: bool = False

    def _lines(self) -> tuple[str, list[str]]:
        lines = [str(c) for c in self.contexts] or ["no context bears on it"]
        return f"Circumstances of {self.outcome}", lines


def circumstances(theory: Theory, outcome: str, *, limit: int = 100) -> Circumstances:
    """The contexts under which an outcome is expected or blocked, with their facets.

    The enabling contexts are those of :func:`for_whom`'s sets, the blocking
    ones its blockers that are contexts; each comes with its level, dimension
    and facets (who, whom, where, when, which circumstances).

    >>> import cimo
    >>> from cimo.query import circumstances
    >>> c = circumstances(cimo.load_example("pwp-resilience"), "staying-in-role")
    >>> [(x.context, x.role) for x in c.contexts if x.role == "blocks"]
    [('national-targets-focus', 'blocks')]
    """
    found = for_whom(theory, outcome, limit=limit)
    index = theory.index
    out = []
    enabling = dict.fromkeys(c for s in found.sets for c in s.contexts)
    for ident, role in [(c, "enables") for c in enabling] + [(c, "blocks") for c in found.blockers]:
        node = index[ident]
        if isinstance(node, Context):
            out.append(
                Circumstance(
                    context=ident,
                    label=node.label,
                    role=role,  # type: ignore[arg-type]
                    level=node.level,
                    dimension=node.dimension,
                    facets=node.facets,
                )
            )
    return Circumstances(outcome=outcome, contexts=tuple(out), truncated=found.truncated)


class Pathway(CimoModel):
    """One chain of rules from a source to a target."""

    rules: tuple[str, ...]
    """The rules in order."""
    via: tuple[str, ...]
    """The items joining consecutive rules (one fewer than the rules)."""
    effect: Literal["then", "reduces"]
    """Whether the last rule produces (``then``) or reduces the target."""

    def __str__(self) -> str:
        parts = [f"[{self.rules[0]}]"]
        for item, rule in zip(self.via, self.rules[1:], strict=True):
            parts += [item, f"[{rule}]"]
        return " -> ".join(parts)


class Pathways(Result):
    """The rule chains from a source to a target, shortest first."""

    source: str
    target: str
    max_length: int
    paths: tuple[Pathway, ...]
    truncated: bool
    """True when the search was cut short by ``max_length`` or ``limit``."""
    note: str | None = None
    """Why the result was cut short."""

    def _lines(self) -> tuple[str, list[str]]:
        lines = [
            f"{self.source} -> {p} -> {self.target}"
            + (" (reduces)" if p.effect == "reduces" else "")
            for p in self.paths
        ] or ["no pathway"]
        if self.note:
            lines.append(f"(cut short: {self.note})")
        return f"Pathways from {self.source} to {self.target}", lines


def _upstream(idx: RuleIndex, target: str) -> set[int]:
    """Rules from which some chain reaches ``target`` (one backward pass)."""
    rules = idx.rules
    found: set[int] = set()
    stack = [*idx.producers.get(target, ()), *idx.reducers.get(target, ())]
    seen_items: set[str] = set()
    while stack:
        pos = stack.pop()
        if pos in found:
            continue
        found.add(pos)
        for c in rules[pos].contexts:
            if c in seen_items:
                continue
            seen_items.add(c)
            for source in [c, *idx.linked_from.get(c, ())]:
                stack.extend(idx.producers.get(source, ()))
    return found


def pathways(
    theory: Theory, source: str, target: str, *, max_length: int = 6, limit: int = 100
) -> Pathways:
    """The chains of rules from an intervention or context to an outcome.

    A pathway starts with a rule that has ``source`` in its WITH or IF (or, for
    an outcome, in its IF), goes on through rules whose IF an earlier outcome
    (or a context it is linked to) fills, and ends with a rule whose THEN or
    REDUCES names ``target``. Rules appear at most once in a pathway. Only
    rules that can reach the target are explored (found in one backward pass).

    Args:
        theory: The theory.
        source: An intervention, context or outcome id.
        target: An outcome id.
        max_length: The most rules in one pathway.
        limit: The most pathways returned.

    Returns:
        The pathways, shortest first; ``truncated`` (with a ``note``) when
        longer pathways or more pathways than ``limit`` exist, or when the
        search took more than ``1000 * limit`` steps.

    Raises:
        UnknownIdError: if an id is not in the theory or is of the wrong kind.
        UsageError: if ``max_length`` or ``limit`` is below 1.

    >>> import cimo
    >>> from cimo.query import pathways
    >>> print(pathways(cimo.load_example("work-focused-group-cbt"), "ot-liaison",
    ...                "clinical-status"))
    Pathways from ot-liaison to clinical-status
      ot-liaison -> [retain] -> work-status -> [work-supports-recovery] -> clinical-status
      ot-liaison -> [resume] -> work-status -> [work-supports-recovery] -> clinical-status
    """
    from cimo.errors import UsageError

    if max_length < 1 or limit < 1:
        raise UsageError(f"max_length and limit must be at least 1 (got {max_length}, {limit})")
    (source,) = check_ids(theory, [source], ("context", "outcome", "intervention"))
    (target,) = check_ids(theory, [target], ("outcome",))
    idx = rule_index(theory)
    rules = idx.rules
    useful = _upstream(idx, target)
    starts = [
        p
        for p in sorted(
            {
                *idx.using.get(source, ()),
                *(p for s in idx.feeds(source) for p in idx.waiting.get(s, ())),
            }
        )
        if p in useful
    ]
    found: list[Pathway] = []
    notes: list[str] = []
    budget = [limit * _STEPS_PER_RESULT]

    def successors(pos: int) -> list[tuple[str, int]]:
        out = []
        for o in rules[pos].outcomes:
            for item in idx.feeds(o):
                out += [(o, q) for q in idx.waiting.get(item, ()) if q in useful]
        return out

    def walk(path: list[int], via: list[str]) -> None:
        budget[0] -= 1
        if len(found) >= limit or budget[0] < 0:
            reason = "limit" if len(found) >= limit else "budget"
            if reason not in notes:
                notes.append(reason)
            return
        rule = rules[path[-1]]
        effect: Literal["then", "reduces"] | None = (
            "then" if target in rule.outcomes else "reduces" if target in rule.reduces else None
        )
        if effect is not None:
            found.append(
                Pathway(rules=tuple(rules[p].id for p in path), via=tuple(via), effect=effect)
            )
            return
        nexts = [(o, q) for o, q in successors(path[-1]) if q not in path]
        if nexts and len(path) >= max_length:
            if "max_length" not in notes:
                notes.append("max_length")
            return
        for item, q in nexts:
            path.append(q)
            via.append(item)
            walk(path, via)
            path.pop()
            via.pop()

    for start in starts:
        walk([start], [])
    words = {
        "limit": f"more than {limit} pathways (raise limit)",
        "max_length": f"longer pathways than {max_length} rules exist (raise max_length)",
        "budget": f"the search took {limit * _STEPS_PER_RESULT} steps (raise limit)",
    }
    return Pathways(
        source=source,
        target=target,
        max_length=max_length,
        paths=tuple(sorted(found, key=lambda p: len(p.rules))),
        truncated=bool(notes),
        note="; ".join(words[n] for n in notes) or None,
    )


class Chain(CimoModel):
    """A chain a person can read: rules joined by the outcomes that feed the next rule."""

    links: tuple[ChainLink, ...]
    enters_loop: bool = False
    """True when the last rule belongs to a loop (listed in :attr:`Chains.loops`)."""

    def __str__(self) -> str:
        parts = [self.links[0].upstream]
        for link in self.links:
            word = f"{link.outcome} (as {link.via})" if link.via else link.outcome
            parts += [word, link.downstream]
        return " -> ".join(parts) + (" (enters a loop)" if self.enters_loop else "")


class Chains(Result):
    """The linked configurations of a theory: outcome -> context chains, loops and blocks."""

    chains: tuple[Chain, ...]
    loops: tuple[tuple[str, ...], ...]
    """Groups of rules that feed each other in a loop (strongly connected components)."""
    blocking: tuple[ChainLink, ...]
    """Places where an outcome feeds another rule's UNLESS: it switches that rule off."""
    truncated: bool = False
    """True when more chains exist than ``limit`` allowed, or longer than ``max_length``."""

    def _lines(self) -> tuple[str, list[str]]:
        lines = [str(c) for c in self.chains] or ["no chains"]
        lines += [f"loop: {', '.join(group)}" for group in self.loops]
        lines += [f"blocks: {link}" for link in self.blocking]
        if self.truncated:
            lines.append("(cut short: more chains exist; raise limit or max_length)")
        return f"{len(self.chains)} chains, {len(self.loops)} loops", lines


def chains(theory: Theory, *, max_length: int = 12, limit: int = 1000) -> Chains:
    """The chains of the theory as a person reads them: rule -> outcome -> rule -> ...

    Loops are found once, with strongly connected components, and listed on
    their own. A chain starts at a rule that no other rule feeds, or at a link
    leaving a loop, and runs until a rule feeds nothing more or enters a loop.

    Args:
        theory: The theory.
        max_length: The most links in one chain.
        limit: The most chains returned.

    Returns:
        The chains, the loops, and the blocking links; ``truncated`` when cut short.

    >>> import cimo
    >>> from cimo.query import chains
    >>> print(chains(cimo.load_example("work-focused-group-cbt")))
    6 chains, 0 loops
      three-levels -> work-status -> work-supports-recovery
      lexis-2011 -> work-status -> work-supports-recovery
      figure-4 -> work-status -> work-supports-recovery
      table-2-example-2 -> work-status -> work-supports-recovery
      retain -> work-status -> work-supports-recovery
      resume -> work-status -> work-supports-recovery
    """
    every = chain_links(theory)
    feeding = [link for link in every if not link.blocking]
    position = {r.id: i for i, r in enumerate(theory.rules)}
    out_links: dict[str, list[ChainLink]] = {}
    g: nx.DiGraph[str] = nx.DiGraph()
    for link in feeding:
        out_links.setdefault(link.upstream, []).append(link)
        g.add_edge(link.upstream, link.downstream)
    loop_of: dict[str, int] = {}
    groups = [
        tuple(sorted(component, key=position.__getitem__))
        for component in nx.strongly_connected_components(g)
        if len(component) > 1 or any(g.has_edge(r, r) for r in component)
    ]
    groups.sort(key=lambda c: position[c[0]])
    for n, group in enumerate(groups):
        loop_of.update(dict.fromkeys(group, n))
    heads = [
        [link]
        for link in feeding
        if link.upstream in loop_of and loop_of.get(link.downstream) != loop_of[link.upstream]
    ]
    starts = [
        [link]
        for link in feeding
        if link.upstream not in loop_of and g.in_degree(link.upstream) == 0
    ]
    found: list[Chain] = []
    truncated = False

    def walk(path: list[ChainLink]) -> None:
        nonlocal truncated
        if len(found) >= limit:
            truncated = True
            return
        here = path[-1].downstream
        nexts = out_links.get(here, [])
        if here in loop_of or not nexts:
            found.append(Chain(links=tuple(path), enters_loop=here in loop_of))
            return
        if len(path) >= max_length:
            truncated = True
            return
        for link in nexts:
            walk([*path, link])

    for start in starts + heads:
        walk(start)
    return Chains(
        chains=tuple(found),
        loops=tuple(groups),
        blocking=tuple(link for link in every if link.blocking),
        truncated=truncated,
    )
