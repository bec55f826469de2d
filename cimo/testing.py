"""Property-test a theory from your own pytest suite: contradictions and invariants.

:func:`assert_consistent` lets Hypothesis search the circumstances a theory
can meet (sets of its contexts and interventions) for **contradictory
predictions**: one fired rule expects an outcome that another fired rule
reduces, or two fired rules expect an outcome and its declared ``opposite``.
When it finds one, it shrinks the circumstances to the smallest that still
clash and fails with them and the two rules. :func:`assert_whenever` and
:func:`assert_for_all` check your own invariants ("whenever peer facilitation
is delivered to employees in work, retain/resume is activated") in every
circumstance that includes the ones you name.

Each scenario is reasoned forward by :func:`cimo.query.scenario`: a rule fires
when its conditions hold (IF, WITHIN, any-of groups, WITH), no UNLESS item
holds and its mechanisms fire; a rule with no context never fires (unless it
says ``if: any``), and refuted rules are set aside unless ``include_refuted=True``.
A failure names the refuted rules it set aside. Requires
``pip install 'cimo[testing]'``.

>>> import cimo
>>> from cimo.testing import assert_consistent, assert_whenever
>>> wfg = cimo.load_example("work-focused-group-cbt")
>>> assert_consistent(wfg, max_examples=20)
>>> assert_whenever(wfg, contexts=["recurrent-depression", "in-work", "group-psychotherapy"],
...                 interventions=["peer-facilitation", "ot-liaison"],
...                 activates=["retain-resume"], max_examples=20)
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING

from cimo.errors import MissingDependencyError, UsageError

try:
    from hypothesis import HealthCheck, Phase, given
    from hypothesis import settings as Settings  # noqa: N812 - the class, named as in hypothesis
    from hypothesis import strategies as st
except ImportError as _err:  # pragma: no cover - exercised only without hypothesis
    raise MissingDependencyError(
        "cimo.testing needs Hypothesis: pip install 'cimo[testing]'"
    ) from _err

from cimo._failures import at as _at
from cimo._failures import failure as _failure
from cimo._failures import fired as _fired
from cimo._failures import producers as _producers
from cimo._failures import sentence as _sentence
from cimo.model import Theory
from cimo.query import Scenario, get_node, get_rule, scenario
from cimo.query import clashes as _clashes

if TYPE_CHECKING:
    from cimo.query import Clash

__all__ = [
    "ContradictionError",
    "InvariantError",
    "assert_consistent",
    "assert_for_all",
    "assert_never_fires",
    "assert_whenever",
]

#: Names that moved to :mod:`cimo.query` (no Hypothesis needed there); they still
#: work from here for one release, with a DeprecationWarning.
_MOVED = {"Clash": "cimo.query.Clash", "clashes": "cimo.query.clashes"}


def __getattr__(name: str) -> object:
    if name in _MOVED:
        warnings.warn(
            f"cimo.testing.{name} moved to {_MOVED[name]}; import it from there",
            DeprecationWarning,
            stacklevel=2,
        )
        import cimo.query

        return getattr(cimo.query, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class ContradictionError(AssertionError):
    """A scenario in which two rules of a theory predict opposite things.

    The message says, first and alone, the sentence that is false, the
    (minimal) scenario, and the rules involved with their file:line.

    Attributes:
        scenario: The (shrunk) scenario.
        clash: The first clash found in it.
    """

    def __init__(self, theory: Theory, result: Scenario, clash: Clash) -> None:
        self.scenario = result
        self.clash = clash
        effect = (
            f"it reduces {clash.outcome}"
            if clash.effect == "reduces"
            else f"it expects {clash.opposite}, the opposite"
        )
        involved = [
            f"{_at(theory, clash.rule)} fired: it expects {clash.outcome}",
            f"{_at(theory, clash.other)} fired: {effect}",
        ]
        super().__init__(
            _failure(
                theory,
                result,
                "no circumstances make two rules predict opposite things",
                involved,
                "add a context to one rule's 'unless' that tells the two apart, or mark one "
                "refuted",
            )
        )


class InvariantError(AssertionError):
    """A scenario in which a user's invariant does not hold.

    The message says, first and alone, the sentence that is false, the
    (minimal) scenario, and the rules involved with their file:line.

    Attributes:
        scenario: The (shrunk) scenario.
    """

    def __init__(
        self, theory: Theory, result: Scenario, what: str, involved: Sequence[str] = ()
    ) -> None:
        self.scenario = result
        super().__init__(_failure(theory, result, what, involved or _fired(theory, result)))


def _settings(max_examples: int, settings: Settings | None) -> Settings:
    if settings is not None:
        return settings
    return Settings(
        max_examples=max_examples,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        # Hypothesis's "explain" phase names lines of cimo's own code: not the user's news.
        phases=[p for p in Phase if p is not Phase.explain],
    )


class _Search:
    """How to reason each scenario, and what every one holds and leaves out."""

    def __init__(
        self,
        theory: Theory,
        contexts: Iterable[str],
        interventions: Iterable[str],
        unless: Iterable[str],
        include_refuted: bool,
        vary_interventions: bool = True,
    ) -> None:
        self.theory = theory
        self.fixed_c = sorted(set(contexts))
        self.fixed_i = sorted(set(interventions))
        self.include_refuted = include_refuted
        left_out = set(unless)
        self.reason(self.fixed_c, self.fixed_i)  # unknown ids fail here, clearly
        for ident in sorted(left_out):
            node = get_node(theory, ident)  # an unknown id fails with did-you-mean
            if node.kind not in ("context", "intervention"):
                raise UsageError(
                    f"unless={ident!r} is {node.kind}: give contexts that must not hold "
                    "or interventions that must not be delivered"
                )
        both = sorted(left_out.intersection([*self.fixed_c, *self.fixed_i]))
        if both:
            raise UsageError(
                f"{', '.join(both)} cannot both hold and be left out: drop it from "
                "'contexts'/'interventions' or from 'unless'"
            )
        self.pool_c = sorted(n.id for n in theory.contexts if n.id not in left_out)
        self.pool_i = (
            sorted(n.id for n in theory.interventions if n.id not in left_out)
            if vary_interventions
            else []
        )
        self.left_out = sorted(left_out)

    def reason(self, contexts: Iterable[str], interventions: Iterable[str]) -> Scenario:
        return scenario(
            self.theory,
            contexts=contexts,
            interventions=interventions,
            include_refuted=self.include_refuted,
        )

    def drawn(self) -> st.SearchStrategy[tuple[frozenset[str], frozenset[str]]]:
        """Sets of the other contexts and interventions (they shrink towards fewer)."""
        return st.tuples(
            st.frozensets(st.sampled_from(self.pool_c)) if self.pool_c else st.just(frozenset()),
            st.frozensets(st.sampled_from(self.pool_i)) if self.pool_i else st.just(frozenset()),
        )


def _search(
    search_in: _Search,
    check: Callable[[Scenario], None],
    max_examples: int,
    settings: Settings | None,
) -> None:
    """Run ``check`` on scenarios that include the given contexts and interventions."""
    __tracebackhide__ = True  # pytest shows the user's call, not cimo's internals
    fixed_c, fixed_i = search_in.fixed_c, search_in.fixed_i

    @_settings(max_examples, settings)
    @given(search_in.drawn())
    def search(drawn: tuple[frozenset[str], frozenset[str]]) -> None:
        extra_c, extra_i = drawn
        check(search_in.reason(sorted(extra_c.union(fixed_c)), sorted(extra_i.union(fixed_i))))

    try:
        search()
    except (ContradictionError, InvariantError) as err:
        found = _minimise(search_in, check, err)
        found.__notes__ = []  # Hypothesis's notes name cimo's internals, not the user's theory
        # Raised afresh: its traceback starts here (hidden), not in the search's frames.
        raise found.with_traceback(None) from None


def _minimise(
    search_in: _Search,
    check: Callable[[Scenario], None],
    err: ContradictionError | InvariantError,
) -> ContradictionError | InvariantError:
    """Drop drawn contexts and interventions one at a time while the failure remains.

    Hypothesis shrinks the failing scenario first; this last pass makes sure no
    single drawn item can be left out (the result is 1-minimal). Costs one
    scenario per drawn item.
    """
    contexts = list(err.scenario.contexts)
    interventions = list(err.scenario.interventions)
    for items, fixed in ((contexts, search_in.fixed_c), (interventions, search_in.fixed_i)):
        for item in list(items):
            if item in fixed:
                continue
            items.remove(item)
            try:
                check(search_in.reason(contexts, interventions))
            except type(err) as smaller:
                err = smaller
            else:
                items.append(item)
                items.sort()
    return err


def assert_consistent(
    theory: Theory,
    *,
    contexts: Iterable[str] = (),
    interventions: Iterable[str] = (),
    unless: Iterable[str] = (),
    include_refuted: bool = False,
    vary_interventions: bool = True,
    max_examples: int = 200,
    settings: Settings | None = None,
) -> None:
    """Fail if some circumstances make two rules of ``theory`` predict opposite things.

    Hypothesis draws sets of the theory's contexts and interventions, reasons
    each forward with :func:`cimo.query.scenario`, and looks for
    :func:`cimo.query.clashes`.
    A failure is shrunk to the fewest contexts and interventions that still
    clash and raised as :class:`ContradictionError` naming them and the two rules.

    Args:
        theory: The theory.
        contexts: Contexts that hold in every scenario tried (others are drawn too).
        interventions: Interventions delivered in every scenario tried.
        unless: Contexts that never hold and interventions never delivered in
            the scenarios tried ("whatever else holds, except these").
        include_refuted: Reason with refuted rules too (set aside by default).
        vary_interventions: Draw interventions as well as contexts (the default
            here: a contradiction in any circumstances counts); False delivers
            only the ``interventions`` given.
        max_examples: How many scenarios to try (ignored when ``settings`` is given).
        settings: Hypothesis settings to use instead of the defaults.

    Raises:
        ContradictionError: for the smallest contradictory scenario found.
        UnknownIdError: if a given id is not a context or intervention of the theory.
    """
    __tracebackhide__ = True

    def check(result: Scenario) -> None:
        __tracebackhide__ = True
        found = _clashes(theory, result)
        if found:
            raise ContradictionError(theory, result, found[0])

    search_in = _Search(
        theory, contexts, interventions, unless, include_refuted, vary_interventions
    )
    _search(search_in, check, max_examples, settings)


def assert_for_all(
    theory: Theory,
    check: Callable[[Scenario], object],
    *,
    contexts: Iterable[str] = (),
    interventions: Iterable[str] = (),
    unless: Iterable[str] = (),
    include_refuted: bool = False,
    vary_interventions: bool = True,
    max_examples: int = 100,
    settings: Settings | None = None,
) -> None:
    """Fail if ``check`` is false (or raises AssertionError) for some scenario.

    Every scenario tried includes ``contexts`` and ``interventions``; Hypothesis
    adds others of the theory's and shrinks a failure to the fewest extra.

    Args:
        theory: The theory.
        check: Called with each :class:`cimo.query.Scenario`; a false result fails.
        contexts: Contexts that hold in every scenario tried (others are drawn too).
        interventions: Interventions delivered in every scenario tried.
        unless: Contexts that never hold and interventions never delivered in
            the scenarios tried ("whatever else holds, except these").
        include_refuted: Reason with refuted rules too (set aside by default).
        vary_interventions: Draw interventions as well as contexts (the default
            here); False delivers only the ``interventions`` given.
        max_examples: How many scenarios to try (ignored when ``settings`` is given).
        settings: Hypothesis settings to use instead of the defaults.

    Raises:
        InvariantError: for the smallest scenario where ``check`` fails.
    """
    __tracebackhide__ = True
    name = getattr(check, "__name__", "the check")
    fixed_c, fixed_i, left_out = list(contexts), list(interventions), list(unless)
    sentence = _sentence(fixed_c, fixed_i, left_out, [f"{name} holds"])

    def run(result: Scenario) -> None:
        __tracebackhide__ = True
        try:
            ok = check(result)
        except AssertionError as err:
            said = [f"{name} says: {err}"] if str(err) else []
            raise InvariantError(
                theory, result, sentence, [*said, *_fired(theory, result)]
            ) from None
        if not ok:
            raise InvariantError(theory, result, sentence)

    search_in = _Search(theory, fixed_c, fixed_i, left_out, include_refuted, vary_interventions)
    _search(search_in, run, max_examples, settings)


def _with_variants(theory: Theory, outcome: str) -> set[str]:
    """The outcome and the outcomes that are (transitively) its variants."""
    found = {outcome}
    grew = True
    while grew:
        more = {n.id for n in theory.outcomes if n.variant_of in found} - found
        grew = bool(more)
        found |= more
    return found


def assert_whenever(
    theory: Theory,
    *,
    contexts: Sequence[str] = (),
    interventions: Sequence[str] = (),
    unless: Sequence[str] = (),
    activates: Sequence[str] = (),
    expects: Sequence[str] = (),
    never: Sequence[str] = (),
    never_activates: Sequence[str] = (),
    include_refuted: bool = False,
    vary_interventions: bool = False,
    max_examples: int = 100,
    settings: Settings | None = None,
) -> None:
    """Fail unless an invariant holds whenever ``contexts`` and ``interventions`` do.

    Whatever other contexts hold (except the ``unless`` items), the
    ``activates`` mechanisms must fire, the ``expects`` outcomes must be
    expected, the ``never`` outcomes must not, and the ``never_activates``
    mechanisms must not fire. An outcome counts as expected when one of its
    variants (``variant_of``) is. Only the interventions given are delivered
    unless ``vary_interventions=True`` (then any others may be too).

    Args:
        theory: The theory.
        contexts: The contexts of the invariant ("employees in work").
        interventions: The interventions of the invariant ("peer facilitation").
        unless: Contexts that never hold and interventions never delivered in
            the scenarios tried ("whatever else holds, except these").
        activates: Mechanisms that must be activated.
        expects: Outcomes that must be expected.
        never: Outcomes that must not be expected.
        never_activates: Mechanisms that must not be activated.
        include_refuted: Reason with refuted rules too (set aside by default).
        vary_interventions: Let "whatever else holds" deliver other interventions too.
        max_examples: How many scenarios to try (ignored when ``settings`` is given).
        settings: Hypothesis settings to use instead of the defaults.

    Raises:
        InvariantError: for the smallest scenario that breaks the invariant.
        UsageError: if an id is both given and left out, or ``unless`` names
            something other than a context or an intervention.

    >>> import cimo
    >>> wfg = cimo.load_example("work-focused-group-cbt")
    >>> assert_whenever(wfg, contexts=["group-psychotherapy", "therapists-encourage-participation"],
    ...                 unless=["peer-facilitation"], never_activates=["retain-resume"],
    ...                 max_examples=20)
    """
    __tracebackhide__ = True
    for ident in (*activates, *expects, *never, *never_activates):
        get_node(theory, ident)  # an unknown id fails with did-you-mean
    wanted = {o: _with_variants(theory, o) for o in (*expects, *never)}

    sentence = _sentence(
        contexts,
        interventions,
        unless,
        [f"{m} is activated" for m in activates]
        + [f"{o} is expected" for o in expects]
        + [f"{o} is never expected" for o in never]
        + [f"{m} is never activated" for m in never_activates],
    )

    def check(result: Scenario) -> None:
        __tracebackhide__ = True
        expected = set(result.outcomes)
        involved = []
        for item in activates:
            if item not in result.mechanisms:
                involved += _producers(theory, result, item, present=False)
        for item in expects:
            if not wanted[item] & expected:
                involved += _producers(theory, result, item, present=False)
        for item in never:
            for hit in sorted(wanted[item] & expected):
                involved += _producers(theory, result, hit, present=True)
        for item in never_activates:
            if item in result.mechanisms:
                involved += _producers(theory, result, item, present=True)
        if involved:
            raise InvariantError(theory, result, sentence, list(dict.fromkeys(involved)))

    search_in = _Search(
        theory, contexts, interventions, unless, include_refuted, vary_interventions
    )
    _search(search_in, check, max_examples, settings)


def assert_never_fires(
    theory: Theory,
    rule: str,
    *,
    given: Sequence[str] = (),
    unless: Sequence[str] = (),
    include_refuted: bool = False,
    vary_interventions: bool = False,
    max_examples: int = 100,
    settings: Settings | None = None,
) -> None:
    """Fail if ``rule`` fires in some scenario in which the ``given`` items hold.

    "Whenever these hold, this rule never fires": for an UNLESS that must
    switch a rule off, or a rule that must stay out of some circumstances.
    Whatever other contexts hold (except the ``unless`` items) are tried;
    only the interventions given are delivered unless ``vary_interventions``.

    Args:
        theory: The theory.
        rule: The id of the rule that must not fire.
        given: Contexts (or outcomes) that hold and interventions delivered
            in every scenario tried.
        unless: Contexts that never hold and interventions never delivered.
        include_refuted: Reason with refuted rules too (set aside by default).
        vary_interventions: Let "whatever else holds" deliver other interventions too.
        max_examples: How many scenarios to try (ignored when ``settings`` is given).
        settings: Hypothesis settings to use instead of the defaults.

    Raises:
        InvariantError: for the smallest scenario in which the rule fires.
        UnknownIdError: if ``rule`` or a given id is not in the theory.

    >>> import cimo
    >>> pwp = cimo.load_example("pwp-resilience")
    >>> assert_never_fires(pwp, "burnout", given=["work-boundaries"], max_examples=20)
    """
    __tracebackhide__ = True
    target = get_rule(theory, rule)  # an unknown id fails with did-you-mean
    contexts = [i for i in given if get_node(theory, i).kind != "intervention"]
    interventions = [i for i in given if get_node(theory, i).kind == "intervention"]
    sentence = _sentence(contexts, interventions, unless, [f"rule {rule} never fires"])

    def check(result: Scenario) -> None:
        __tracebackhide__ = True
        if target.id in result.fired_rules:
            uses = [d for d in result.derivations if d.rule == target.id]
            used = ", ".join(dict.fromkeys(x for d in uses for x in d.from_)) or "any context"
            line = f"{_at(theory, target.id)} fired: given {used}"
            raise InvariantError(theory, result, sentence, [line])

    search_in = _Search(
        theory, contexts, interventions, unless, include_refuted, vary_interventions
    )
    _search(search_in, check, max_examples, settings)
