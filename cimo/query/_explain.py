"""How an outcome comes about: every rule behind it, following chains upstream."""

from __future__ import annotations

from collections import deque

from cimo.core.vocabulary import MechanismMode, Status
from cimo.model import CimoModel, Rule, Theory
from cimo.query._base import Result, RuleIndex, check_ids, rule_index

__all__ = ["Explanation", "Way", "explain"]


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
    status: Status
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
            lines = [f"{_indent(w.depth)}{w}" for w in self.ways]
        lines += [f"reduced by {w}" for w in self.reduced_by]
        return f"How {self.outcome} comes about", lines


_MAX_INDENT = 12


def _indent(depth: int) -> str:
    """Two spaces a level, up to 12 levels; deeper ones say their depth instead.

    >>> _indent(2), _indent(40)
    ('    ', '                        [depth 40] ')
    """
    if depth <= _MAX_INDENT:
        return "  " * depth
    return "  " * _MAX_INDENT + f"[depth {depth}] "


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


def __getattr__(name: str) -> object:
    """The names that moved to ``_for_whom``, ``_pathways`` and ``_chains`` (old imports work)."""
    import importlib

    for module in ("_for_whom", "_pathways", "_chains"):
        found = importlib.import_module(f"cimo.query.{module}")
        if name in found.__all__:
            return getattr(found, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
