"""cimo.testing: contradictions are found, shrunk and explained; invariants; the how-to runs."""

from __future__ import annotations

import itertools
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

import cimo
from cimo.errors import UnknownIdError
from cimo.model import Context, Intervention, Mechanism, Outcome, Rule, Theory
from cimo.query import Clash, clashes, scenario
from cimo.strategies import theories
from cimo.testing import (
    ContradictionError,
    InvariantError,
    assert_consistent,
    assert_for_all,
    assert_never_fires,
    assert_whenever,
)

HOWTO = Path(__file__).parent.parent / "docs" / "howto-property-testing.md"
INNER = settings(
    max_examples=100,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.nested_given, HealthCheck.too_slow],
)


def test_the_howto_test_file_runs_and_passes(tmp_path: Path) -> None:
    code = re.search(r"## A test file of your own.*?```python\n(.*?)```", HOWTO.read_text(), re.S)
    assert code
    (tmp_path / "test_theory.py").write_text(code.group(1))
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_theory.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "4 passed" in result.stdout


def _block(after: str, lang: str) -> str:
    found = re.search(after + r".*?```" + lang + r"\n(.*?)```", HOWTO.read_text(), re.S)
    assert found, f"no {lang} block after {after!r} in {HOWTO.name}"
    return found.group(1)


def test_the_howto_failure_is_shown_verbatim(tmp_path: Path) -> None:
    """The broken property test of the how-to fails with exactly the output it shows."""
    (tmp_path / "circles.yaml").write_text(_block("## What a failure looks like", "yaml"))
    (tmp_path / "test_circles.py").write_text(_block("## What a failure looks like", "python"))
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "--no-header", "-p", "no:cacheprovider"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        # a user's terminal: 80 columns, and not CI (where pytest stops cutting
        # the short summary lines to the terminal's width)
        env={
            **{k: v for k, v in os.environ.items() if k not in ("CI", "BUILD_NUMBER")},
            "COLUMNS": "80",
        },
    )
    assert result.returncode == 1, result.stdout + result.stderr
    shown = _block("Run `pytest` and it fails with", "text")
    ran = re.sub(r"\n1 failed in [0-9.]+s.*", "\n", result.stdout, flags=re.S)
    assert ran == shown
    assert "cimo/" not in ran and "Explanation" not in ran and "hypothesis" not in ran


def test_pwp_draft_contradiction_is_found_shrunk_and_one_minimal(pwp_draft: Theory) -> None:
    pwp = pwp_draft
    with pytest.raises(ContradictionError) as info:
        assert_consistent(pwp, settings=INNER)
    err = info.value
    assert (err.clash.rule, err.clash.other, err.clash.outcome) == (
        "burnout",
        "boundaries",
        "stress-and-burnout",
    )
    assert err.clash in clashes(pwp, err.scenario)
    given_ = err.scenario.contexts
    assert err.scenario.interventions == ()
    for left_out in given_:
        smaller = scenario(pwp, contexts=[c for c in given_ if c != left_out])
        assert clashes(pwp, smaller) == (), f"{left_out} was not needed"
    text = str(err)
    assert text.startswith(
        "theory 'pwp-resilience': \"no circumstances make two rules predict opposite things\" "
        "is false in this scenario:"
    )
    assert re.search(
        r"burnout \(.*pwp-draft\.yaml:\d+\) fired: it expects stress-and-burnout", text
    )
    assert re.search(r"boundaries \(.*pwp-draft\.yaml:\d+\) fired: it reduces stress-and-", text)


def test_work_focused_group_cbt_is_consistent(wfg: Theory) -> None:
    assert_consistent(wfg, settings=INNER)


def test_pwp_resilience_is_consistent_once_refined(pwp: Theory) -> None:
    assert_consistent(pwp, settings=INNER)


def _tiny() -> Theory:
    return Theory(
        id="tiny",
        title="Disclosure",
        nodes=(
            Context(id="in-work", label="Employees in work"),
            Context(id="stigma", label="A stigmatising workplace"),
            Context(id="manager", label="A supportive line manager"),
            Intervention(id="peer-facilitation", label="Peer facilitation"),
            Mechanism(id="relate", label="Relate", reasoning="trust"),
            Outcome(id="disclosure", label="Disclosure at work", opposite="concealment"),
            Outcome(id="concealment", label="Concealment"),
        ),
        rules=(
            Rule(
                id="R1",
                contexts=("in-work",),
                unless=("stigma",),
                interventions=("peer-facilitation",),
                mechanisms=("relate",),
                outcomes=("disclosure",),
            ),
            Rule(id="R2", contexts=("stigma",), mechanisms=("relate",), outcomes=("concealment",)),
            Rule(id="R3", contexts=("manager",), mechanisms=("relate",), outcomes=("concealment",)),
        ),
    )


def test_opposites_clash_and_the_smallest_scenario_is_reported() -> None:
    tiny = _tiny()
    with pytest.raises(ContradictionError) as info:
        assert_consistent(tiny, settings=INNER)
    # R1 and R3 clash (R2 never fires with R1, stigma blocks it): exactly these three
    assert info.value.scenario.contexts == ("in-work", "manager")
    assert info.value.scenario.interventions == ("peer-facilitation",)
    assert info.value.clash == Clash(
        outcome="disclosure", rule="R1", other="R3", effect="opposite", opposite="concealment"
    )


def test_fixed_contexts_are_in_every_scenario() -> None:
    tiny = _tiny()
    # with stigma always holding, R1 never fires, so nothing clashes
    assert_consistent(tiny, contexts=["stigma"], settings=INNER)


def test_an_invariant_that_an_unless_can_break_fails_with_the_blocker() -> None:
    tiny = _tiny()
    with pytest.raises(InvariantError) as info:
        assert_whenever(
            tiny,
            contexts=["in-work"],
            interventions=["peer-facilitation"],
            expects=["disclosure"],
            settings=INNER,
        )
    assert info.value.scenario.contexts == ("in-work", "stigma")
    message = str(info.value)
    assert (
        '"whenever in-work holds and peer-facilitation is delivered, disclosure is expected"'
        in (message)
    )
    assert "    R1 blocked by stigma" in message


def test_never_and_for_all() -> None:
    tiny = _tiny()
    with pytest.raises(InvariantError, match="R3 fired: it expects concealment"):
        assert_whenever(tiny, contexts=["in-work"], never=["concealment"], settings=INNER)

    def never_discloses_without_peers(s: cimo.query.Scenario) -> bool:
        return "disclosure" not in s.outcomes or "peer-facilitation" in s.interventions

    assert_for_all(tiny, never_discloses_without_peers, settings=INNER)

    def never_discloses(s: cimo.query.Scenario) -> bool:
        return "disclosure" not in s.outcomes

    with pytest.raises(InvariantError, match='"in every scenario, never_discloses holds" is false'):
        assert_for_all(tiny, never_discloses, settings=INNER)


def test_unknown_ids_are_reported_before_searching() -> None:
    tiny = _tiny()
    with pytest.raises(UnknownIdError, match="did you mean 'in-work'"):
        assert_whenever(tiny, contexts=["in-wrk"], expects=["disclosure"])
    with pytest.raises(UnknownIdError, match="did you mean 'disclosure'"):
        assert_whenever(tiny, contexts=["in-work"], expects=["disclosur"])


def _all_scenarios(theory: Theory) -> list[tuple[list[str], list[str]]]:
    cs = [c.id for c in theory.contexts]
    is_ = [i.id for i in theory.interventions]
    return [
        (list(a), list(b))
        for n in range(len(cs) + 1)
        for a in itertools.combinations(cs, n)
        for m in range(len(is_) + 1)
        for b in itertools.combinations(is_, m)
    ]


@settings(suppress_health_check=[HealthCheck.nested_given, HealthCheck.too_slow], deadline=None)
@given(theories(max_nodes=7, max_rules=6))
def test_consistent_theories_pass_and_failures_are_real_and_one_minimal(theory: Theory) -> None:
    any_clash = any(
        clashes(theory, scenario(theory, contexts=c, interventions=i))
        for c, i in _all_scenarios(theory)
    )
    try:
        assert_consistent(theory, settings=INNER)
    except ContradictionError as err:
        assert any_clash
        s = err.scenario
        assert err.clash in clashes(theory, s)
        for c in s.contexts:
            smaller = scenario(
                theory, contexts=[x for x in s.contexts if x != c], interventions=s.interventions
            )
            assert not clashes(theory, smaller)
        for i in s.interventions:
            smaller = scenario(
                theory, contexts=s.contexts, interventions=[x for x in s.interventions if x != i]
            )
            assert not clashes(theory, smaller)
    else:
        # a search can miss, but on theories this small it must not claim what is false
        assert not any_clash or len(_all_scenarios(theory)) > 16


def test_clashes_moved_to_query_and_the_old_path_warns() -> None:
    import cimo.testing

    for name in ("clashes", "Clash"):
        with pytest.warns(DeprecationWarning, match=f"cimo.testing.{name} moved to cimo.query"):
            old = getattr(cimo.testing, name)
        assert old is getattr(cimo.query, name)


def test_unless_leaves_contexts_and_interventions_out_of_every_scenario() -> None:
    tiny = _tiny()
    # whenever in work with peers, and no stigma: disclosure, whatever else holds
    assert_whenever(
        tiny,
        contexts=["in-work"],
        interventions=["peer-facilitation"],
        unless=["stigma"],
        expects=["disclosure"],
        settings=INNER,
    )
    # never concealment without a manager or stigma; never relate without the peers
    assert_whenever(tiny, unless=["manager", "stigma"], never=["concealment"], settings=INNER)
    with pytest.raises(InvariantError, match='relate is never activated" is false'):
        assert_whenever(
            tiny, unless=["peer-facilitation"], never_activates=["relate"], settings=INNER
        )
    assert_whenever(
        tiny,
        unless=["peer-facilitation", "manager", "stigma"],
        never_activates=["relate"],
        settings=INNER,
    )
    with pytest.raises(cimo.UsageError, match="cannot both hold and be left out"):
        assert_whenever(tiny, contexts=["stigma"], unless=["stigma"], expects=["disclosure"])
    with pytest.raises(cimo.UsageError, match="is outcome"):
        assert_whenever(tiny, unless=["disclosure"], expects=["disclosure"])
    with pytest.raises(UnknownIdError, match="did you mean 'stigma'"):
        assert_whenever(tiny, unless=["stigm"], expects=["disclosure"])


def test_refuted_rules_are_set_aside_and_named_in_failures() -> None:
    tiny = _tiny()
    refuted = Rule(
        id="R3",
        contexts=("manager",),
        mechanisms=("relate",),
        outcomes=("concealment",),
        status="refuted",
    )
    theory = cimo.replace(tiny, refuted)
    assert_consistent(theory, settings=INNER)  # the clash with R1 was R3's, now refuted
    with pytest.raises(ContradictionError) as info:
        assert_consistent(theory, include_refuted=True, settings=INNER)
    assert info.value.clash.other == "R3"
    with pytest.raises(InvariantError) as failed:
        assert_whenever(theory, contexts=["manager"], expects=["concealment"], settings=INNER)
    assert "set aside (refuted): R3" in str(failed.value)
    assert not getattr(failed.value, "__notes__", [])  # no Hypothesis internals for the user


def test_never_fires_and_whatever_else_holds_ranges_over_contexts() -> None:
    # S18: a `never=` test failed because "whatever else holds" included interventions.
    tiny = _tiny()
    # R1 needs peer facilitation: with contexts only drawn, it never fires without it ...
    assert_never_fires(tiny, "R1", given=["in-work"], settings=INNER)
    # ... unless asked to vary the interventions too.
    with pytest.raises(InvariantError) as info:
        assert_never_fires(tiny, "R1", given=["in-work"], vary_interventions=True, settings=INNER)
    assert info.value.scenario.interventions == ("peer-facilitation",)
    assert '"whenever in-work holds, rule R1 never fires" is false' in str(info.value)
    assert "R1 fired: given in-work, peer-facilitation" in str(info.value)
    # an UNLESS that must switch a rule off
    assert_never_fires(
        tiny, "R1", given=["stigma", "peer-facilitation"], vary_interventions=True, settings=INNER
    )
    with pytest.raises(UnknownIdError, match="did you mean 'R1'"):
        assert_never_fires(tiny, "R11", settings=INNER)


def test_a_failure_hides_cimos_frames_and_hypothesis_explanations(tmp_path: Path) -> None:
    theory = cimo.dump(_tiny(), tmp_path / "tiny.yaml")
    (tmp_path / "test_tiny.py").write_text(
        "import cimo\n"
        "from cimo.testing import assert_whenever\n\n"
        "def test_it():\n"
        f"    t = cimo.load({str(theory)!r})\n"
        "    assert_whenever(t, contexts=['in-work'], never=['concealment'])\n"
    )
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_tiny.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    out = result.stdout
    assert result.returncode == 1
    assert "cimo/testing.py" not in out and "_scenario.py" not in out
    assert "Explanation" not in out and "Falsifying example" not in out
    assert re.search(r"R3 \(.*tiny\.yaml:\d+\) fired: it expects concealment", out)
