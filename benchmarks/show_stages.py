"""Where a cold ``cimo show EXAMPLE`` spends its time: run in a fresh interpreter.

Prints one JSON object of stage -> seconds, in the order ``cimo show`` does
the work, so ``bench.py`` can report the profile with the cold-start table:

* ``python``: the interpreter's own start, up to this script's first line
  (from the process's start time in ``/proc``, so it is approximate);
* ``pydantic, typer, yaml``: the libraries ``cimo show`` needs, with one
  pydantic model built and validated (pydantic imports its field machinery
  and looks for plugins on the first model);
* ``record classes``: cimo's model classes (:mod:`cimo.model`);
* ``command``: the CLI modules and the Typer application for ``show``;
* ``schema build``: pydantic building the validator of :class:`cimo.Theory`
  (deferred until first needed, and needed by any theory's validation);
* ``load + validate``: reading the example's YAML and validating it;
* ``summary + print``: the summary and its text.

Usage: ``python benchmarks/show_stages.py EXAMPLE``.
"""

from __future__ import annotations

import time

_START = time.perf_counter()

import io  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402


def _python_start() -> float:
    """Seconds from this process's start to this script's first line (0 where unknown)."""
    try:
        stat = Path(f"/proc/{os.getpid()}/stat").read_text()
        ticks = int(stat.rsplit(")", 1)[1].split()[19])
        uptime = float(Path("/proc/uptime").read_text().split()[0])
    except (OSError, IndexError, ValueError):
        return 0.0
    return max(0.0, uptime - ticks / os.sysconf("SC_CLK_TCK") - (time.perf_counter() - _START))


def main(example: str) -> dict[str, float]:
    stages: dict[str, float] = {"python": _python_start()}
    last = _START

    def stage(name: str) -> None:
        nonlocal last
        now = time.perf_counter()
        stages[name] = now - last
        last = now

    import typer  # noqa: F401
    import yaml  # noqa: F401
    from pydantic import BaseModel

    class _First(BaseModel):
        x: int

    _First(x=1)
    stage("pydantic, typer, yaml")

    import cimo.model

    stage("record classes")

    from cimo.cli._app import app_for

    app_for(["show", example])
    stage("command")

    cimo.model.Theory.model_rebuild()
    stage("schema build")

    from cimo.examples import load_example

    theory = load_example(example)
    stage("load + validate")

    from cimo.summary import summary

    io.StringIO().write(str(summary(theory)))
    stage("summary + print")
    return stages


if __name__ == "__main__":
    sys.stdout.write(json.dumps(main(sys.argv[1])) + "\n")
