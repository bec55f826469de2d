"""A real headless Chromium for the explorer's tests, driven by Playwright.

Debian's ``chromium`` (``make test`` installs it when missing and run as
root); Playwright's own browser download is not used. When the browser or
Playwright is missing the tests FAIL with a message saying how to install
them (or run with ``--skip-browser``): a skipped test must not hide a
missing feature.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = os.environ.get("CIMO_CHROMIUM", "/usr/bin/chromium")

# Flags for a root user in a container: no sandbox, no GPU, nothing that phones home.
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def missing() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return (
            "Playwright for Python is missing: pip install -e '.[dev]' (or pip install playwright)"
        )
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        return (
            f"Chromium is missing at {CHROMIUM}: run `make test` as root (it installs Debian's "
            "chromium), or `apt-get install chromium`, or set CIMO_CHROMIUM to a Chromium "
            "executable; --skip-browser skips these tests"
        )
    return None


@contextmanager
def browser_context(**options: Any) -> Iterator[Any]:
    """A fresh persistent Chromium context (own --user-data-dir), closed afterwards."""
    why = missing()
    if why is not None:
        pytest.fail(f"the explorer's browser tests cannot run: {why}", pytrace=False)
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="cimo-chromium-") as profile, sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            profile,
            executable_path=CHROMIUM,
            args=FLAGS,
            headless=True,
            viewport={"width": 1366, "height": 768},
            **options,
        )
        try:
            yield context
        finally:
            context.close()
