"""For whom, and in what circumstances: the sets of contexts under which an outcome follows."""

from __future__ import annotations

import itertools
from typing import Literal

from cimo.model import CimoModel, Context, Facets, Theory
from cimo.query._base import STEPS_PER_RESULT, Result, check_ids, rule_index

__all__ = ["Circumstance", "Circumstances", "ContextSet", "ForWhom", "circumstances", "for_whom"]


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


class _Sets:
    def __init__(self, theory: Theory, limit: int) -> None:
        self.theory = theory
        self.idx = rule_index(theory)
        self.limit = limit
        self.truncated = False
        self.steps = limit * STEPS_PER_RESULT

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
    >>> c = circumstances(cimo.load_example("pwp-resilience"), "stress-and-burnout")
    >>> [(x.context, x.role) for x in c.contexts]
    [('high-clinical-volume', 'enables'), ('limited-supervision', 'enables')]
    """
    found = for_whom(theory, outcome, limit=limit)
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
    return Circumstances(outcome=outcome, contexts=tuple(out), truncated=found.truncated)
