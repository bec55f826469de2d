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
when its IF items hold, its interventions are delivered and no UNLESS item
holds; a rule with no IF items is enabled whatever holds. Requires
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

from cimo.errors import MissingDependencyError

try:
    from hypothesis import HealthCheck, given
    from hypothesis import settings as Settings  # noqa: N812 - the class, named as in hypothesis
except ImportError as _err:  # pragma: no cover - exercised only without hypothesis
    raise MissingDependencyError(
        "cimo.testing needs Hypothesis: pip install 'cimo[testing]'"
    ) from _err

from cimo.model import Theory
from cimo.query import Scenario, get_node, scenario
from cimo.query import clashes as _clashes
from cimo.strategies import scenarios

if TYPE_CHECKING:
    from cimo.query import Clash

__all__ = [
    "ContradictionError",
    "InvariantError",
    "assert_consistent",
    "assert_for_all",
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

    Attributes:
        scenario: The (shrunk) scenario.
        clash: The first clash found in it.
    """

    def __init__(self, theory: Theory, result: Scenario, clash: Clash) -> None:
        self.scenario = result
        self.clash = clash
        super().__init__(
            f"theory {theory.id!r} predicts opposite things in one scenario:\n"
            f"  given: {', '.join(result.contexts) or 'no context'}\n"
            f"  with: {', '.join(result.interventions) or 'no intervention'}\n"
            f"  {clash}\n"
            "  (add a context to one rule's 'unless' that tells the two apart, or mark one "
            "refuted)"
        )


class InvariantError(AssertionError):
    """A scenario in which a user's invariant does not hold.

    Attributes:
        scenario: The (shrunk) scenario.
    """

    def __init__(self, theory: Theory, result: Scenario, what: str) -> None:
        self.scenario = result
        super().__init__(
            f"theory {theory.id!r}: {what}\n"
            f"  given: {', '.join(result.contexts) or 'no context'}\n"
            f"  with: {', '.join(result.interventions) or 'no intervention'}\n"
            f"  fired: {', '.join(result.fired_rules) or 'no rule'}"
            + "".join(f"\n  blocked: {b.rule} (by {', '.join(b.by)})" for b in result.blockers)
        )


def _settings(max_examples: int, settings: Settings | None) -> Settings:
    if settings is not None:
        return settings
    return Settings(
        max_examples=max_examples,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


def _search(
    theory: Theory,
    check: Callable[[Scenario], None],
    contexts: Iterable[str],
    interventions: Iterable[str],
    max_examples: int,
    settings: Settings | None,
) -> None:
    """Run ``check`` on scenarios that include the given contexts and interventions."""
    fixed_c, fixed_i = sorted(set(contexts)), sorted(set(interventions))
    scenario(theory, contexts=fixed_c, interventions=fixed_i)  # unknown ids fail here, clearly

    @_settings(max_examples, settings)
    @given(scenarios(theory))
    def search(drawn: tuple[frozenset[str], frozenset[str]]) -> None:
        extra_c, extra_i = drawn
        check(
            scenario(
                theory,
                contexts=sorted(extra_c.union(fixed_c)),
                interventions=sorted(extra_i.union(fixed_i)),
            )
        )

    try:
        search()
    except (ContradictionError, InvariantError) as err:
        raise _minimise(theory, check, err, fixed_c, fixed_i) from None


def _minimise(
    theory: Theory,
    check: Callable[[Scenario], None],
    err: ContradictionError | InvariantError,
    fixed_c: list[str],
    fixed_i: list[str],
) -> ContradictionError | InvariantError:
    """Drop drawn contexts and interventions one at a time while the failure remains.

    Hypothesis shrinks the failing scenario first; this last pass makes sure no
    single drawn item can be left out (the result is 1-minimal). Costs one
    scenario per drawn item.
    """
    contexts = list(err.scenario.contexts)
    interventions = list(err.scenario.interventions)
    for items, fixed in ((contexts, fixed_c), (interventions, fixed_i)):
        for item in list(items):
            if item in fixed:
                continue
            items.remove(item)
            try:
                check(scenario(theory, contexts=contexts, interventions=interventions))
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
        max_examples: How many scenarios to try (ignored when ``settings`` is given).
        settings: Hypothesis settings to use instead of the defaults.

    Raises:
        ContradictionError: for the smallest contradictory scenario found.
        UnknownIdError: if a given id is not a context or intervention of the theory.
    """

    def check(result: Scenario) -> None:
        found = _clashes(theory, result)
        if found:
            raise ContradictionError(theory, result, found[0])

    _search(theory, check, contexts, interventions, max_examples, settings)


def assert_for_all(
    theory: Theory,
    check: Callable[[Scenario], object],
    *,
    contexts: Iterable[str] = (),
    interventions: Iterable[str] = (),
    max_examples: int = 100,
    settings: Settings | None = None,
) -> None:
    """Fail if ``check`` is false (or raises AssertionError) for some scenario.

    Every scenario tried includes ``contexts`` and ``interventions``; Hypothesis
    adds others of the theory's and shrinks a failure to the fewest extra.

    Args:
        theory: The theory.
        check: Called with each :class:`cimo.query.Scenario`; a false result fails.
        contexts: Contexts that hold in every scenario tried.
        interventions: Interventions delivered in every scenario tried.
        max_examples: How many scenarios to try (ignored when ``settings`` is given).
        settings: Hypothesis settings to use instead of the defaults.

    Raises:
        InvariantError: for the smallest scenario where ``check`` fails.
    """
    name = getattr(check, "__name__", "the check")

    def run(result: Scenario) -> None:
        try:
            ok = check(result)
        except AssertionError as err:
            raise InvariantError(theory, result, f"{name} failed: {err}") from err
        if not ok:
            raise InvariantError(theory, result, f"{name} is false")

    _search(theory, run, contexts, interventions, max_examples, settings)


def assert_whenever(
    theory: Theory,
    *,
    contexts: Sequence[str] = (),
    interventions: Sequence[str] = (),
    activates: Sequence[str] = (),
    expects: Sequence[str] = (),
    never: Sequence[str] = (),
    max_examples: int = 100,
    settings: Settings | None = None,
) -> None:
    """Fail unless an invariant holds whenever ``contexts`` and ``interventions`` do.

    Whatever else holds, the ``activates`` mechanisms must fire, the
    ``expects`` outcomes must be expected and the ``never`` outcomes must not.

    Args:
        theory: The theory.
        contexts: The contexts of the invariant ("employees in work").
        interventions: The interventions of the invariant ("peer facilitation").
        activates: Mechanisms that must be activated.
        expects: Outcomes that must be expected.
        never: Outcomes that must not be expected.
        max_examples: How many scenarios to try (ignored when ``settings`` is given).
        settings: Hypothesis settings to use instead of the defaults.

    Raises:
        InvariantError: for the smallest scenario that breaks the invariant.
    """
    for ident in (*activates, *expects, *never):
        if ident not in theory.index:
            get_node(theory, ident)  # raises UnknownIdError with suggestions

    def check(result: Scenario) -> None:
        missing = [m for m in activates if m not in result.mechanisms]
        missing += [o for o in expects if o not in result.outcomes]
        unwanted = [o for o in never if o in result.outcomes]
        if missing or unwanted:
            what = []
            if missing:
                what.append("not activated or expected: " + ", ".join(missing))
            if unwanted:
                what.append("expected although it never should be: " + ", ".join(unwanted))
            raise InvariantError(theory, result, "; ".join(what))

    _search(theory, check, contexts, interventions, max_examples, settings)
