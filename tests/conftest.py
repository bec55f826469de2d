"""Shared test set-up: Hypothesis profiles, the `exe` marker, example theories."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

import cimo

# `ci` (CI=true, as in .ci/run): at least 200 examples per property, the same ones every
# run (derandomized: a red CI is reproducible, and no database is needed), no deadline
# (a shared machine's timings say nothing). `dev` is the quicker default for `make test`.
settings.register_profile("dev", max_examples=60, deadline=None)
settings.register_profile(
    "ci",
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,
)
settings.load_profile("ci" if os.environ.get("CI") else os.environ.get("HYPOTHESIS_PROFILE", "dev"))


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--skip-exe",
        action="store_true",
        help="Skip the tests that run Graphviz's `dot` (they fail, not skip, when dot is missing).",
    )
    parser.addoption(
        "--skip-office",
        action="store_true",
        help="Skip the table tests that run pdflatex, LibreOffice and pdftotext (without "
        "them they fail when run as root, where `make test` installs them, else skip).",
    )
    parser.addoption(
        "--skip-browser",
        action="store_true",
        help="Skip the explorer's tests in headless Chromium (they fail, not skip, without it).",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for option, marker in (
        ("--skip-exe", "exe"),
        ("--skip-browser", "browser"),
        ("--skip-office", "office"),
    ):
        if not config.getoption(option):
            continue
        skip = pytest.mark.skip(reason=f"{option} given")
        for item in items:
            if marker in item.keywords:
                item.add_marker(skip)


@pytest.fixture(scope="session")
def has_dot() -> bool:
    return shutil.which("dot") is not None


@pytest.fixture(scope="session")
def program() -> Callable[[str, str], str]:
    """``program(name, package)``: the path of a Debian program a test runs.

    Missing, the test fails when run as root (``make test`` installs it from Debian
    then) and skips otherwise, naming the program and its package either way.
    """

    def find(name: str, package: str) -> str:
        path = shutil.which(name)
        if path is None:
            message = (
                f"{name} is missing: install Debian's {package} "
                f"('sudo apt-get install {package}'; make test does so as root)"
            )
            if os.geteuid() == 0:
                pytest.fail(message)
            pytest.skip(message)
        return path

    return find


@pytest.fixture(params=[e.name for e in cimo.list_examples()])
def example(request: pytest.FixtureRequest) -> cimo.Theory:
    """Every bundled example theory, one test per example."""
    return cimo.load_example(request.param)


@pytest.fixture
def wfg() -> cimo.Theory:
    return cimo.load_example("work-focused-group-cbt")


@pytest.fixture
def pwp() -> cimo.Theory:
    return cimo.load_example("pwp-resilience")


@pytest.fixture
def pwp_draft(pwp: cimo.Theory, tmp_path: Path) -> cimo.Theory:
    """A first draft of the resilience theory, before its `burnout` rule had an UNLESS.

    The source says firm boundaries and resilience prevent burnout; without that
    refinement, `burnout` and `boundaries` predict opposite things together. The
    draft is written to a file and loaded back, so findings have file positions.
    """
    burnout = pwp.rule_index["burnout"]
    draft = cimo.replace(
        pwp, cimo.Rule.model_validate({**dict(burnout), "unless": (), "inferred": ()})
    )
    return cimo.load(cimo.dump(draft, tmp_path / "pwp-draft.yaml"))
