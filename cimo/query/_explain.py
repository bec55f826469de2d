"""How an outcome comes about: every rule behind it, following chains upstream."""

from __future__ import annotations

from collections import deque
from typing import Literal

from cimo.core.vocabulary import MechanismMode, Status
from cimo.model import CimoModel, Theory
from cimo.query._base import Result, built, check_ids, labelled, name, names, set_aside_lines
from cimo.query._index import RuleIndex, needs, rule_index

__all__ = ["Explanation", "MechanismStep", "Way", "explain"]

#: How a way bears on what it produces.
WayEffect = Literal["then", "reduces", "otherwise", "feeds"]


class MechanismStep(CimoModel):
    """One mechanism of a way, with what it alone requires and the outcomes that follow it."""

    mechanism: str
    requires: tuple[str, ...] = ()
    then: tuple[str, ...] = ()

    def __str__(self) -> str:
        text = name(self.mechanism)
        if self.requires:
            text += f" (if {names(self.requires, ' and ')})"
        if self.then:
            text += f" → {names(self.then)}"
        return text


class Way(CimoModel):
    """One rule that helps bring an outcome about, with everything it needs."""

    rule: str
    depth: int
    """0 for a rule that produces the outcome itself; n for n chain steps upstream."""
    produces: tuple[str, ...]
    """The items of interest it makes hold (the outcome, or an upstream item)."""
    effect: WayEffect = "then"
    """How it bears on them: THEN, REDUCES, OTHERWISE (when its mechanisms do not
    fire), or through a ``feeds`` relation from the rule or one of its mechanisms."""
    contexts: tuple[str, ...]
    """IF: what must hold."""
    any_context: bool = False
    """True for ``if: any``: the rule holds in any circumstances."""
    context_unknown: bool = False
    """True when the rule states no context (or the source leaves it out): it never fires."""
    context_groups: tuple[tuple[str, ...], ...] = ()
    """IF any of: one item of each group must hold."""
    modifiers: tuple[str, ...] = ()
    """WITHIN: the modifiers that qualify the whole configuration (required)."""
    moderators: tuple[str, ...] = ()
    """MODERATED BY (never required)."""
    despite: tuple[str, ...] = ()
    """DESPITE (never required, never blocking)."""
    unless: tuple[str, ...]
    """UNLESS: what would block it."""
    interventions: tuple[str, ...]
    """WITH: what must be delivered."""
    mechanisms: tuple[str, ...]
    """BECAUSE: how it works."""
    mechanism_mode: MechanismMode
    steps: tuple[MechanismStep, ...] = ()
    """The mechanisms with their own ``requires`` and outcomes (as written)."""
    outcomes: tuple[str, ...] = ()
    """THEN: everything the rule expects."""
    reduces: tuple[str, ...] = ()
    otherwise: tuple[str, ...] = ()
    """OTHERWISE: expected when the conditions hold but the mechanisms do not fire."""
    leads_to: tuple[tuple[str, str], ...] = ()
    """Outcome to outcome inside the configuration, in order ("O1, leading to O2")."""
    chained: tuple[str, ...]
    """The items it waits on that other rules can produce (followed upstream); not an
    outcome one of its own mechanisms gives another (they fire in sequence)."""
    status: Status
    statement: str | None = None

    def _condition(self) -> str:
        if self.context_unknown:
            return "IF (context unknown)"
        parts = [name(c) for c in self.contexts]
        parts += [
            f"({names(g, ' or ')})" if len(g) > 1 else name(g[0]) for g in self.context_groups
        ]
        text = "IF " + (" and ".join(parts) if parts else "in any circumstances")
        if self.modifiers:
            text = f"WITHIN {names(self.modifiers, ' and ')} {text}"
        return text

    def _because(self) -> str:
        linked = {s.mechanism: s for s in self.steps}
        items = [str(linked.get(m, MechanismStep(mechanism=m))) for m in self.mechanisms]
        if self.mechanism_mode == "alternatives":
            return " or ".join(items)
        text = " and ".join(items)
        return text + " (combination unstated)" if self.mechanism_mode == "unstated" else text

    def _result(self) -> str:
        if self.effect == "reduces":
            return f"REDUCES {names(self.produces)}"
        if self.effect == "otherwise":
            return f"OTHERWISE {names(self.produces)} (when its mechanisms do not fire)"
        outcomes = [name(o) for o in self.produces]
        for first, then in self.leads_to:
            if first in self.produces:
                at = self.produces.index(first)
                outcomes[at] = f"{name(first)}, leading to {name(then)}"
        text = f"THEN {', '.join(outcomes)}"
        return text + " (through what it feeds)" if self.effect == "feeds" else text

    def __str__(self) -> str:
        text = f"{self.rule}: {self._condition()}"
        if self.interventions:
            text += f" WITH {names(self.interventions, ' and ')}"
        if self.unless:
            text += f" UNLESS {names(self.unless, ' or ')}"
        if self.moderators:
            text += f" MODERATED BY {names(self.moderators, ' and ')}"
        if self.despite:
            text += f" DESPITE {names(self.despite, ' and ')}"
        text += f" {self._result()}"
        if self.mechanisms:
            text += f" BECAUSE {self._because()}"
        if self.otherwise and self.effect != "otherwise":
            text += f" OTHERWISE {names(self.otherwise)}"
        if self.status == "refuted":
            text += " [refuted]"
        return text


def _way(
    pos: int,
    depth: int,
    produces: tuple[str, ...],
    effect: WayEffect,
    idx: RuleIndex,
    chained: tuple[str, ...],
) -> Way:
    # Built from a validated theory, so every value already has its type:
    # skip re-validation (it would be most of the cost of a large explanation).
    rule = idx.rules[pos]
    steps = (
        tuple(
            built(MechanismStep, {"mechanism": m.id, "requires": m.requires, "then": m.then})
            for m in idx.mechs[pos]
            if m.requires or m.then
        )
        if rule.mechanism_links
        else ()
    )
    f = vars(rule)  # the rule's field values, read once each (attribute reads cost more)
    leads_to = f["outcome_steps"]
    return built(
        Way,
        {
            "rule": f["id"],
            "depth": depth,
            "produces": produces,
            "effect": effect,
            "contexts": f["contexts"],
            "any_context": f["any_context"],
            "context_unknown": not idx.fires[pos],
            "context_groups": f["context_groups"],
            "modifiers": f["modifiers"],
            "moderators": f["moderators"],
            "despite": f["despite"],
            "unless": f["unless"],
            "interventions": f["interventions"],
            "mechanisms": f["mechanisms"],
            "mechanism_mode": f["mechanism_mode"],
            "steps": steps,
            "outcomes": f["outcomes"],
            "reduces": f["reduces"],
            "otherwise": f["otherwise"],
            "leads_to": tuple((s.from_, s.to) for s in leads_to) if leads_to else (),
            "chained": chained,
            "status": f["status"],
            "statement": f["statement"],
        },
    )


def _chained(idx: RuleIndex, pos: int) -> tuple[str, ...]:
    """What the rule waits on that reasoning can make hold: followed upstream.

    An outcome one of its mechanisms gives another (they fire in sequence
    within the rule) is not waited on.
    """
    seq = idx.sequential.get(pos)
    inside = seq.inside if seq is not None else ()
    derivable = idx.derivable
    return tuple(c for c in needs(idx.rules[pos]) if c not in inside and derivable(c))


class Explanation(Result):
    """Every way a theory produces an outcome, following chains upstream."""

    outcome: str
    ways: tuple[Way, ...]
    """The rules behind the outcome: depth 0 produce it, deeper ones feed those."""
    reduced_by: tuple[Way, ...]
    """The rules that make the outcome less likely."""
    variants: tuple[str, ...] = ()
    """Outcomes that are variants of this one (``variant_of``), explained too."""
    set_aside: tuple[str, ...] = ()
    """Refuted rules behind the outcome that were left out."""

    @property
    def rules(self) -> tuple[str, ...]:
        """The ids of every rule in :attr:`ways`."""
        return tuple(w.rule for w in self.ways)

    @property
    def direct(self) -> tuple[str, ...]:
        """The ids of the rules that produce the outcome themselves."""
        return tuple(w.rule for w in self.ways if w.depth == 0)

    @property
    def unknown(self) -> tuple[str, ...]:
        """The ids of the rules behind the outcome whose context is unknown."""
        return tuple(w.rule for w in self.ways if w.context_unknown)

    def _lines(self) -> tuple[str, list[str]]:
        if not self.ways:
            lines = ["no rule produces it"]
        else:
            lines = [f"{_indent(w.depth)}{w}" for w in _nested(self.ways)]
        lines += [f"reduced by {w}" for w in self.reduced_by]
        if self.variants:
            lines.append(f"counting its variants: {names(self.variants)}")
        lines += set_aside_lines(self.set_aside)
        return f"How {name(self.outcome)} comes about", lines


def _nested(ways: tuple[Way, ...]) -> list[Way]:
    """The ways in tree order: each upstream way right under the way it feeds.

    A way ``n`` steps upstream goes under the first way one step nearer that
    waits on something it produces (else under the last way one step nearer),
    so an indented line always belongs to the line above it at one level less.
    Linear: one pass to index what each way waits on, one walk of the tree.
    """
    waiting: dict[tuple[int, str], int] = {}
    last_at: dict[int, int] = {}
    children: dict[int | None, list[int]] = {}
    for i, way in enumerate(ways):
        parent = None
        if way.depth > 0:
            found = (waiting.get((way.depth - 1, item)) for item in way.produces)
            parent = next((p for p in found if p is not None), last_at.get(way.depth - 1))
        children.setdefault(parent, []).append(i)
        last_at[way.depth] = i
        for item in way.chained:
            waiting.setdefault((way.depth, item), i)
    order: list[Way] = []
    stack = list(reversed(children.get(None, [])))
    while stack:
        i = stack.pop()
        order.append(ways[i])
        stack.extend(reversed(children.get(i, [])))
    return order


_MAX_INDENT = 12


def _indent(depth: int) -> str:
    """Two spaces a level, up to 12 levels; deeper ones say their depth instead.

    >>> _indent(2), _indent(40)
    ('    ', '                        [depth 40] ')
    """
    if depth <= _MAX_INDENT:
        return "  " * depth
    return "  " * _MAX_INDENT + f"[depth {depth}] "


def explain(
    theory: Theory,
    outcome: str,
    *,
    include_refuted: bool = False,
    stated_only: bool = False,
    labels: bool = False,
) -> Explanation:
    """Every way the theory produces an outcome: rules, mechanisms, contexts, blockers.

    Starts from the rules whose THEN (or OTHERWISE) names the outcome or one of
    its variants (``variant_of``) and follows chains upstream: an item a rule
    waits on (IF, WITHIN, any-of members, a mechanism's ``requires``) that
    other rules produce, or that ``links`` and ``feeds`` relations make hold,
    is explained in turn. Each rule appears once, at its smallest depth; loops
    end. A rule with no context is shown "IF (context unknown)": it never
    fires. Refuted rules are set aside unless ``include_refuted``. Cost: one
    pass over the rules upstream.

    Args:
        theory: The theory.
        outcome: The id of an outcome.
        include_refuted: Reason with refuted rules too.
        stated_only: Leave out ``feeds`` relations the source does not state.
        labels: Print node labels instead of ids (:meth:`Result.with_labels`).

    Returns:
        The ways, nearest first, the rules that reduce the outcome, and the
        refuted rules set aside.

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
    idx = rule_index(theory, include_refuted=include_refuted, stated_only=stated_only)
    rules = theory.rules
    depth_of: dict[int, int] = {}
    effect_of: dict[int, WayEffect] = {}
    produces: dict[int, list[str]] = {}
    chained: dict[int, tuple[str, ...]] = {}
    targets = idx.with_variants(outcome)
    seen_items = set(targets)
    frontier: deque[tuple[str, int]] = deque((t, 0) for t in targets)
    while frontier:
        item, depth = frontier.popleft()
        makers, feeders = idx.makers(item)
        for source in feeders:
            if source not in seen_items:
                seen_items.add(source)
                frontier.appendleft((source, depth))  # the same step: explained at this depth
        for pos, how in makers:
            if pos not in depth_of:
                depth_of[pos] = depth
                effect_of[pos] = (
                    "otherwise" if how == "otherwise" else "then" if how == "then" else "feeds"
                )
                produces[pos] = []
                chained[pos] = waits = _chained(idx, pos)
                for c in waits:
                    if c not in seen_items:
                        seen_items.add(c)
                        frontier.append((c, depth + 1))
            if depth_of[pos] == depth and item not in produces[pos]:
                produces[pos].append(item)
    order = sorted(depth_of, key=lambda p: (depth_of[p], p))
    reducers = dict.fromkeys(p for t in targets for p in idx.reducers.get(t, ()))
    result = Explanation(
        outcome=outcome,
        ways=tuple(
            _way(p, depth_of[p], tuple(produces[p]), effect_of[p], idx, chained[p]) for p in order
        ),
        reduced_by=tuple(
            _way(
                p,
                0,
                tuple(t for t in targets if t in rules[p].reduces),
                "reduces",
                idx,
                chained[p] if p in chained else _chained(idx, p),
            )
            for p in reducers
        ),
        variants=idx.variants.get(outcome, ()),
        set_aside=idx.refuted_behind(seen_items),
    )
    return labelled(result, theory, labels)


def __getattr__(name: str) -> object:
    """The names that moved to ``_for_whom``, ``_pathways`` and ``_chains`` (old imports work)."""
    import importlib

    for module in ("_for_whom", "_pathways", "_chains"):
        found = importlib.import_module(f"cimo.query.{module}")
        if name in found.__all__:
            return getattr(found, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
