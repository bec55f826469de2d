"""The forward-reasoning engine behind :func:`cimo.query.scenario` (format 2.0 firing rule).

A rule's **conditions hold** when it can fire at all (it has a context
condition, or says ``if: any``), every IF context and WITHIN modifier holds,
every any-of group has a member that holds, and every WITH intervention is
delivered. Then no UNLESS item may hold (else it is **blocked**). A rule whose
conditions hold and that is not blocked **fires** when its mechanisms do, per
its ``mechanism_mode`` (``together``/``unstated``: all; ``alternatives``: at
least one), a mechanism firing when it is not taken away and its own
``requires`` hold. A mechanism may require an outcome another mechanism of
the same rule gives: the rule's mechanisms then fire in sequence, each once
its requirements are met from outside or by the mechanisms fired before it
(a fixed point within the rule, :func:`~cimo.query._index.in_order`). When
they never do, the rule **falls through** and its OTHERWISE outcomes hold.

Each rule is looked at only when an item it waits on comes to hold (the
index groups rules by what they wait on), so the cost grows with the part of
the theory the circumstances reach. Decisions that depend on something not
holding (an UNLESS item, a mechanism's ``requires``) wait until nothing that
could still happen can make it hold; in a loop the first rule found goes first.
"""

from __future__ import annotations

from collections import deque

from cimo.query._index import RuleIndex, in_order

__all__ = ["Run"]

_PENDING, _BLOCKED, _ENABLED, _FIRED, _FALLEN = "pending", "blocked", "enabled", "fired", "fallen"


class Run:
    """One forward pass to a fixed point; read the outcome off its attributes."""

    def __init__(self, idx: RuleIndex, delivered: set[str], removed: set[str]) -> None:
        self.idx = idx
        self.rules = idx.rules
        self.delivered = delivered
        self.removed = removed
        self.held: dict[str, None] = {}
        self.activated: dict[str, None] = {}
        self.queue: deque[str] = deque()
        self.need: dict[int, int] = {}
        self.groups: dict[int, set[int]] = {}
        self.reqs: dict[tuple[int, int], int] = {}
        self.outer: dict[tuple[int, int], int] = {}
        self.state: dict[int, str] = {}
        self.fired_mechs: dict[int, dict[int, None]] = {}
        self.then_of: dict[int, frozenset[str]] = {}
        self.events: list[tuple[int, str]] = []
        self.blocked: list[tuple[int, tuple[str, ...]]] = []
        self.pending: list[int] = []
        self.awaiting: list[int] = []
        self.partial: list[int] = []

    # ------------------------------------------------------------------ holding

    def hold(self, item: str) -> None:
        """``item`` (a context or outcome) holds from now on."""
        if item in self.held or item in self.removed:
            return
        self.held[item] = None
        self.queue.append(item)

    def activate(self, mechanism: str) -> None:
        if mechanism in self.activated or mechanism in self.removed:
            return
        self.activated[mechanism] = None
        self.queue.append(mechanism)

    def reach(self, target: str) -> None:
        """A ``links``/``feeds`` target comes to hold (a mechanism: is activated)."""
        kind = self.idx.kinds.get(target)
        if kind == "mechanism":
            self.activate(target)
        elif kind != "rule":
            self.hold(target)

    def start(self, given: tuple[str, ...]) -> None:
        for item in given:
            self.hold(item)
        for pos in self.idx.starters:
            self.check(pos)
        self.settle()

    # ------------------------------------------------------------------ conditions

    def _delivered(self, pos: int) -> bool:
        return all(i in self.delivered for i in self.rules[pos].interventions)

    def _groups_done(self, pos: int, extra: set[int] | None = None) -> bool:
        wanted = len(self.rules[pos].context_groups)
        done = self.groups.get(pos, set())
        return len(done | extra) == wanted if extra else len(done) == wanted

    def check(self, pos: int) -> None:
        """Look at a rule whose waited-on items may all hold now."""
        if pos in self.state or not self._delivered(pos):
            return
        if self.need.get(pos, len(self.idx.required[pos])) or not self._groups_done(pos):
            return
        rule = self.rules[pos]
        by = tuple(u for u in rule.unless if u in self.held)
        if by:
            self.state[pos] = _BLOCKED
            self.blocked.append((pos, by))
        elif any(self.idx.derivable(u) and u not in self.removed for u in rule.unless):
            self.state[pos] = _PENDING  # decided once its UNLESS items are settled
            self.pending.append(pos)
        else:
            self.enable(pos)

    def enable(self, pos: int) -> None:
        """Conditions hold and nothing blocks: fire now, wait for a mechanism, or fall through."""
        self.state[pos] = _ENABLED
        self.try_fire(pos)
        if self.state[pos] == _ENABLED:
            if self._could_fire(pos, None):
                self.awaiting.append(pos)
            else:
                self.fall(pos)

    # ------------------------------------------------------------------ mechanisms

    def _mech_fires(self, pos: int, k: int) -> bool:
        m = self.idx.mechs[pos][k]
        return m.id not in self.removed and not self.reqs.get((pos, k), len(m.requires))

    def _could_fire(self, pos: int, ahead: set[str] | None) -> bool:
        """Whether the mechanisms could still fire if what is ``ahead`` came to hold.

        With ``ahead=None``: if everything some rule or relation produces came to hold.
        """
        mechs = self.idx.mechs[pos]

        def possible(k: int) -> bool:
            m = mechs[k]
            if m.id in self.removed:
                return False
            if ahead is not None:
                return all(r in self.held or r in ahead for r in m.requires)
            return all(r in self.held or self.idx.derivable(r) for r in m.requires)

        if not mechs:
            return True
        if self.rules[pos].mechanism_mode == "alternatives":
            return any(possible(k) for k in range(len(mechs)))
        return all(possible(k) for k in range(len(mechs)))

    def _in_sequence(self, pos: int) -> list[int]:
        """The mechanisms of a sequential rule that fire now, in order (within the rule)."""
        inner = self.idx.sequential[pos].inner
        mechs, held, removed = self.idx.mechs[pos], self.held, self.removed
        gives = {o for o in inner if o not in removed}
        return in_order(mechs, gives, held.__contains__, lambda k: mechs[k].id not in removed)

    def try_fire(self, pos: int, only: int | None = None) -> None:
        """Fire the rule (or more of its mechanisms) if its mechanisms fire now.

        ``only``: of a rule that has fired, the one mechanism that may fire now.
        """
        mechs = self.idx.mechs[pos]
        done = self.fired_mechs.setdefault(pos, {})
        if self.state[pos] == _FIRED and only is not None:
            ready = [only] if only not in done and self._mech_fires(pos, only) else []
        elif self.state[pos] != _FIRED and pos in self.idx.sequential:
            ready = [k for k in self._in_sequence(pos) if k not in done]
        else:
            ready = [k for k in range(len(mechs)) if k not in done and self._mech_fires(pos, k)]
        rule = self.rules[pos]
        if self.state[pos] != _FIRED:
            alternatives = rule.mechanism_mode == "alternatives"
            if mechs and not (ready if alternatives else len(ready) == len(mechs)):
                return
            self.state[pos] = _FIRED
            self.events.append((pos, _FIRED))
            for o in self.idx.free_then[pos]:
                self.hold(o)
            for target in self.idx.feeds_to.get(rule.id, ()):
                self.reach(target)
            if alternatives and len(ready) < sum(m.id not in self.removed for m in mechs):
                self.partial.append(pos)
        if not ready:
            return
        then = self.then_of.get(pos)
        if then is None:  # built once a rule: a rule may fire its mechanisms one at a time
            then = self.then_of[pos] = frozenset(rule.outcomes)
        for k in ready:
            done[k] = None
            self.activate(mechs[k].id)
            for o in mechs[k].then:
                if o in then:
                    self.hold(o)

    def fall(self, pos: int) -> None:
        """Conditions held but the mechanisms did not fire: the OTHERWISE outcomes hold."""
        self.state[pos] = _FALLEN
        self.events.append((pos, _FALLEN))
        for o in self.rules[pos].otherwise:
            self.hold(o)

    # ------------------------------------------------------------------ the fixed point

    def _looked_at_again(self, pos: int, k: int, item: str, left: int) -> bool:
        """Whether ``item`` coming to hold (mechanism ``k`` requires it) may fire more of the rule.

        For most rules: when it was the mechanism's last requirement. For a rule
        with sequential mechanisms also when it is an inner outcome (given from
        outside) or the last item the mechanism needs from outside.
        """
        seq = self.idx.sequential.get(pos)
        if seq is None:
            return not left
        if item in seq.inner:
            return True
        key = (pos, k)
        outer = self.outer.get(key, seq.outer[k]) - 1
        self.outer[key] = outer
        return not outer

    def drain(self) -> None:
        idx, rules, need, reqs = self.idx, self.rules, self.need, self.reqs
        while self.queue:
            item = self.queue.popleft()
            for target in idx.feeds_to.get(item, ()):
                self.reach(target)
            if item in self.activated:
                continue
            for pos in idx.waiting.get(item, ()):
                left = need.get(pos, len(idx.required[pos])) - 1
                need[pos] = left
                if left == 0:
                    self.check(pos)
            for pos, g in idx.in_group.get(item, ()):
                done = self.groups.setdefault(pos, set())
                if g not in done:
                    done.add(g)
                    if len(done) == len(rules[pos].context_groups):
                        self.check(pos)
            for pos, k in idx.requiring.get(item, ()):
                key = (pos, k)
                left = reqs[key] = reqs.get(key, len(idx.mechs[pos][k].requires)) - 1
                state = self.state.get(pos)
                if state == _FIRED:
                    if not left:
                        self.try_fire(pos, k)
                elif self._looked_at_again(pos, k, item, left) and state in (_ENABLED, _FALLEN):
                    self.try_fire(pos)

    def _outputs(self, pos: int) -> list[str]:
        """Everything a rule could still make hold or activate (an upper bound)."""
        rule = self.rules[pos]
        mechs = [m for m in self.idx.mechs[pos] if m.id not in self.removed]
        out = [*self.idx.free_then[pos], *(o for m in mechs for o in m.then)]
        out += [m.id for m in mechs]
        out += self.idx.feeds_to.get(rule.id, ())
        if self.state.get(pos) != _FIRED:
            out += rule.otherwise
        return out

    def could_hold(self, seeds: list[int]) -> set[str]:
        """What could still come to hold if the ``seeds`` went ahead, UNLESS ignored."""
        idx = self.idx
        extra_need: dict[int, int] = {}
        extra_groups: dict[int, set[int]] = {}
        seeded = set(seeds)
        out: set[str] = set()
        stack = [x for pos in seeds for x in self._outputs(pos)]

        def ready(pos: int) -> bool:
            return (
                pos not in seeded
                and pos not in self.state
                and not extra_need.get(pos, self.need.get(pos, len(idx.required[pos])))
                and self._groups_done(pos, extra_groups.get(pos))
                and self._delivered(pos)
            )

        while stack:
            item = stack.pop()
            if item in out or item in self.held or item in self.activated:
                continue
            if item in self.removed:
                continue
            out.add(item)
            stack.extend(t for t in idx.feeds_to.get(item, ()) if idx.kinds.get(t) != "rule")
            woken = []
            for pos in idx.waiting.get(item, ()):
                left = extra_need.get(pos, self.need.get(pos, len(idx.required[pos])))
                extra_need[pos] = left - 1
                woken.append(pos)
            for pos, g in idx.in_group.get(item, ()):
                extra_groups.setdefault(pos, set()).add(g)
                woken.append(pos)
            for pos in woken:
                if ready(pos):
                    seeded.add(pos)
                    stack.extend(self._outputs(pos))
        return out

    def settle(self) -> None:
        """Reason to the fixed point, deciding the rules that wait on something not holding."""
        while True:
            self.drain()
            undecided = []
            for pos in self.pending:
                if self.state[pos] != _PENDING:
                    continue
                by = tuple(u for u in self.rules[pos].unless if u in self.held)
                if by:
                    self.state[pos] = _BLOCKED
                    self.blocked.append((pos, by))
                else:
                    undecided.append(pos)
            waiting = [p for p in self.awaiting if self.state[p] == _ENABLED]
            self.pending, self.awaiting = undecided, waiting
            if not undecided and not waiting:
                return
            partial = [p for p in self.partial if self.state[p] == _FIRED]
            ahead = self.could_hold([*undecided, *waiting, *partial])
            safe = [p for p in undecided if not any(u in ahead for u in self.rules[p].unless)]
            falls = [p for p in waiting if not self._could_fire(p, ahead)]
            if not safe and not falls:
                (safe if undecided else falls).append((undecided or waiting)[0])
            for pos in safe:
                self.enable(pos)
            for pos in falls:
                if self.state[pos] == _ENABLED:
                    self.fall(pos)
