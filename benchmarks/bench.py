"""Speed and memory of cimo, as ratios to named baselines measured in the same run.

Usage::

    python benchmarks/bench.py --sizes 1000,10000 --json bench.json --markdown docs/performance.md

How it measures:

* every repeat runs the operation and each of its baselines back to back
  (A B C A B C ...), and a ratio is the **median of the per-repeat ratios**,
  so a change of machine load between repeats touches both sides alike;
* each operation may have further baselines (``floors``): the best-known way
  to do the same work, so a figure shows the distance to the floor too;
* memory is measured once per operation and baseline with :mod:`tracemalloc`
  after the timed repeats: **peak** MB while it runs and **retained** MB still
  held by what it returned;
* cold start: wall time of ``python -c 'import cimo'``, ``cimo --version`` and
  ``cimo show EXAMPLE`` in fresh subprocesses (bytecode compiled first),
  interleaved with ``python -c pass`` and with the libraries ``cimo show``
  needs; ``show_stages.py`` profiles the stages of a cold ``cimo show``;
* scaling exponents come from the medians of this one run.

The JSON output holds ``machine``, ``cold_start``, ``results`` (one row per
operation and size) and ``exponents``; an existing output file is updated in
place (rows of other operations and sizes are kept), so benchmarks of
different modules can share one file. Operations live in
``benchmarks/ops_*.py`` modules, each with an ``OPERATIONS`` list.
"""

from __future__ import annotations

import argparse
import compileall
import datetime
import gc
import importlib
import itertools
import json
import math
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from synthetic import synthetic_theory  # noqa: E402

import cimo  # noqa: E402
from cimo._util import atomic_write  # noqa: E402

MB = 1024 * 1024
EXAMPLE = "work-focused-group-cbt"


@dataclass
class Workload:
    """One synthetic theory in every form the operations need (built lazily, once)."""

    size: int
    data: dict[str, Any]
    cache: dict[str, Any] = field(default_factory=dict)

    @cached_property
    def json_bytes(self) -> bytes:
        return json.dumps(self.data).encode()

    @cached_property
    def yaml_text(self) -> str:
        from cimo.io._yaml import to_yaml

        return to_yaml(self.data)

    @cached_property
    def theory(self) -> cimo.Theory:
        return cimo.loads(self.json_bytes, format="json")


Runner = Callable[[Workload], object]


@dataclass
class Baseline:
    """A further baseline: the best-known (or fastest possible) way to do the same work."""

    name: str
    run: Runner
    available: Callable[[], bool] = lambda: True
    """False when what it needs is not installed (the row then says it was skipped)."""


@dataclass
class Operation:
    """A timed operation and the baseline it is compared with."""

    name: str
    run: Runner
    baseline: Runner
    baseline_name: str
    max_size: int | None = None
    setup: Callable[[Workload], object] | None = None
    """Run once per size before timing (builds what both sides take as given)."""
    floors: Sequence[Baseline] = ()
    goal: float | None = None
    """The ratio to ``baseline`` (or to the first floor, if ``goal_on_floor``) aimed at."""
    goal_on_floor: bool = False
    note: str | None = None
    """Why the ratio is what it is (a profile of what remains, where a goal is not met):
    printed under the table of operations."""


def discover(only: str | None = None) -> list[Operation]:
    ops: list[Operation] = []
    for path in sorted(HERE.glob("ops_*.py")):
        module = importlib.import_module(path.stem)
        ops.extend(module.OPERATIONS)
    if only:
        ops = [op for op in ops if only in op.name]
    return ops


def _clean() -> None:
    """Start every timed call from the same collector state."""
    gc.unfreeze()
    gc.collect()


def _cpu_seconds() -> float:
    """CPU seconds of this process and the children it waited for (e.g. Graphviz's dot)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


#: The clock operations are timed with: wall time, or CPU time (``--clock cpu``), which other
#: jobs sharing the machine disturb far less (every timed operation runs in one thread).
CLOCKS: dict[str, Callable[[], float]] = {"wall": time.perf_counter, "cpu": _cpu_seconds}
_clock = CLOCKS["wall"]


def _timed(fn: Runner, work: Workload) -> float:
    _clean()
    start = _clock()
    result = fn(work)
    seconds = _clock() - start
    del result
    return seconds


def interleaved(fns: Sequence[Runner], work: Workload, repeat: int) -> list[list[float]]:
    """``repeat`` rounds, each running every function once in turn: times[fn][round]."""
    times: list[list[float]] = [[] for _ in fns]
    for _ in range(repeat):
        for i, fn in enumerate(fns):
            times[i].append(_timed(fn, work))
    return times


def memory(fn: Runner, work: Workload) -> tuple[float, float]:
    """(peak, retained) MB allocated by one call, as :mod:`tracemalloc` sees it."""
    _clean()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        result = fn(work)
        current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    del result
    return round((peak - before) / MB, 2), round((current - before) / MB, 2)


def _median_ratio(a: list[float], b: list[float]) -> float:
    return round(statistics.median(x / y for x, y in zip(a, b, strict=True)), 3)


def measure(op: Operation, work: Workload, repeat: int, *, with_memory: bool) -> dict[str, Any]:
    """Time ``op`` interleaved with its baselines; one result row."""
    floors = [f for f in op.floors if f.available()]
    fns = [op.run, op.baseline, *(f.run for f in floors)]
    if work.size < 100_000:  # one untimed round: imports, caches and lazy inputs built
        interleaved(fns, work, 1)
    times = interleaved(fns, work, repeat)
    row: dict[str, Any] = {
        "operation": op.name,
        "size": work.size,
        "repeats": repeat,
        "seconds": round(statistics.median(times[0]), 4),
        "baseline": op.baseline_name,
        "baseline_seconds": round(statistics.median(times[1]), 4),
        "ratio": _median_ratio(times[0], times[1]),
        "floors": [
            {
                "baseline": f.name,
                "seconds": round(statistics.median(t), 4),
                "ratio": _median_ratio(times[0], t),
            }
            for f, t in zip(floors, times[2:], strict=True)
        ]
        + [{"baseline": f.name, "skipped": "not installed"} for f in op.floors if f not in floors],
    }
    if op.goal is not None:
        row["goal"] = op.goal
        row["goal_on"] = op.floors[0].name if op.goal_on_floor else op.baseline_name
    if op.note:
        row["note"] = op.note
    if with_memory:
        peak, kept = memory(op.run, work)
        base_peak, base_kept = memory(op.baseline, work)
        row["memory"] = {
            "peak_mb": peak,
            "retained_mb": kept,
            "baseline_peak_mb": base_peak,
            "baseline_retained_mb": base_kept,
        }
        for f, entry in zip(floors, row["floors"], strict=False):
            entry["peak_mb"], entry["retained_mb"] = memory(f.run, work)
    return row


# --------------------------------------------------------------------------- cold start


def _cli() -> list[str]:
    """How to run the ``cimo`` command: its installed script, or the entry point."""
    script = Path(sys.executable).parent / "cimo"
    if script.exists():
        return [sys.executable, str(script)]
    return [sys.executable, "-c", "import sys; from cimo.cli import main; sys.exit(main())"]


#: The cold-start goals of issue 18, in seconds.
COLD_GOALS: dict[str, float] = {
    "python -c 'import cimo'": 0.25,
    "cimo --version": 0.15,
    f"cimo show {EXAMPLE}": 0.4,
}
#: The libraries ``cimo show`` cannot do without, with one pydantic model built and
#: validated (pydantic imports its field machinery and scans for plugins on the first).
LIBRARIES = "\n".join(
    ("import typer, yaml", "from pydantic import BaseModel", "class M(BaseModel): x: int", "M(x=1)")
)


def cold_start(repeat: int) -> dict[str, Any]:
    """Wall times of fresh interpreters, interleaved with ``python -c pass``.

    Each round also runs ``show_stages.py``, which times the stages of a cold
    ``cimo show`` inside one interpreter; the profile is the median per stage.
    """
    compileall.compile_dir(str(ROOT / "cimo"), quiet=1)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "python -c 'import pydantic, typer, yaml', one model": [sys.executable, "-c", LIBRARIES],
        "python -c 'import cimo'": [sys.executable, "-c", "import cimo"],
        "cimo --version": [*_cli(), "--version"],
        f"cimo show {EXAMPLE}": [*_cli(), "show", EXAMPLE],
    }
    times: dict[str, list[float]] = {name: [] for name in commands}
    stages: list[dict[str, float]] = []
    for round_ in range(repeat + 1):  # the first round only warms the caches
        for name, argv in commands.items():
            start = time.perf_counter()
            subprocess.run(argv, env=env, check=True, capture_output=True)
            if round_:
                times[name].append(time.perf_counter() - start)
        done = subprocess.run(
            [sys.executable, str(HERE / "show_stages.py"), EXAMPLE],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        if round_:
            stages.append(json.loads(done.stdout))
    floor = times["python -c pass"]
    return {
        "repeats": repeat,
        "rows": [
            {
                "command": name,
                "seconds": round(statistics.median(t), 4),
                "ratio_to_python": _median_ratio(t, floor),
                **({"goal": COLD_GOALS[name]} if name in COLD_GOALS else {}),
            }
            for name, t in times.items()
        ],
        "show_stages": {
            name: round(statistics.median(s[name] for s in stages), 4) for name in stages[0]
        },
    }


def _cold_markdown(cold: dict[str, Any]) -> list[str]:
    """The cold-start table, and where ``cimo show`` spends its time."""
    lines = [
        "## Cold start",
        "",
        f"Fresh subprocesses, bytecode compiled, median of {cold['repeats']} interleaved runs.",
        "",
        "| command | seconds | ratio to `python -c pass` | goal |",
        "|---|---:|---:|---:|",
    ]
    for r in cold["rows"]:
        goal = f"≤ {r['goal']} s" if "goal" in r else ""
        lines.append(
            f"| `{r['command']}` | {r['seconds']:.3f} | {r['ratio_to_python']:.1f}x | {goal} |"
        )
    stages = cold.get("show_stages")
    if not stages:
        return [*lines, ""]
    total = sum(stages.values())
    lines += [
        "",
        f"Where a cold `cimo show {EXAMPLE}` spends its time (`benchmarks/show_stages.py`,",
        "one interpreter per run, median per stage; the interpreter's start is read from",
        "`/proc` and is approximate):",
        "",
        "| stage | seconds | share |",
        "|---|---:|---:|",
    ]
    lines += [
        f"| {name} | {seconds:.3f} | {seconds / total:.0%} |" for name, seconds in stages.items()
    ]
    floor = sum(
        stages.get(name, 0.0)
        for name in ("python", "pydantic, typer, yaml", "record classes", "schema build")
    )
    show = next(r for r in cold["rows"] if r["command"] == f"cimo show {EXAMPLE}")
    libraries = "python -c 'import pydantic"
    alone = next((r for r in cold["rows"] if r["command"].startswith(libraries)), None)
    lines += [f"| total | {total:.3f} | 100% |", ""]
    if alone is not None:
        side = "above" if alone["seconds"] > show["goal"] else "within"
        lines.append(
            f"Measured alone in the same rounds, the libraries `cimo show` needs start in "
            f"{alone['seconds']:.3f} s, {side} the goal of {show['goal']} s."
        )
    lines += [
        f"Within one `cimo show`, the interpreter and those libraries take "
        f"{stages.get('python', 0) + stages.get('pydantic, typer, yaml', 0):.3f} s. "
        "Pydantic (a fixed choice) then creates cimo's record classes (mostly pydantic's "
        "class creation) and builds the validator of a theory: work any validation of a "
        f"theory needs, in every new process. That floor is {floor:.3f} s; what cimo does "
        f"beyond it (the command, reading and validating the file, the summary) is "
        f"{total - floor:.3f} s.",
        "",
    ]
    return lines


# --------------------------------------------------------------------------- report


def machine() -> dict[str, Any]:
    """What the run ran on."""
    cpu = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return {
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "platform": platform.platform(),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "python": platform.python_version(),
        "cimo": cimo.__version__,
    }


def exponents(results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Scaling exponents between consecutive sizes of each operation (and its baseline)."""
    out = []
    for name in dict.fromkeys(r["operation"] for r in results):
        rows = sorted((r for r in results if r["operation"] == name), key=lambda r: r["size"])
        for a, b in itertools.pairwise(rows):
            if a["seconds"] > 0 and a["baseline_seconds"] > 0 and b["size"] > a["size"]:
                scale = math.log(b["size"] / a["size"])
                out.append(
                    {
                        "operation": name,
                        "from": a["size"],
                        "to": b["size"],
                        "exponent": round(math.log(b["seconds"] / a["seconds"]) / scale, 2),
                        "baseline_exponent": round(
                            math.log(b["baseline_seconds"] / a["baseline_seconds"]) / scale, 2
                        ),
                    }
                )
    return out


def _mb(row: dict[str, Any]) -> str:
    mem = row.get("memory")
    if not mem:
        return ""
    return (
        f"{mem['peak_mb']:.1f} / {mem['retained_mb']:.1f} "
        f"({mem['baseline_peak_mb']:.1f} / {mem['baseline_retained_mb']:.1f})"
    )


def _floors(row: dict[str, Any]) -> str:
    parts = []
    for f in row.get("floors", []):
        if "skipped" in f:
            parts.append(f"{f['baseline']}: skipped ({f['skipped']})")
        else:
            mem = f" [{f['peak_mb']:.1f} / {f['retained_mb']:.1f} MB]" if "peak_mb" in f else ""
            parts.append(f"{f['ratio']:.2f}x {f['baseline']}{mem}")
    return "<br>".join(parts)


def markdown(report: dict[str, Any]) -> str:
    """The performance page: the machine, cold start, every result and the exponents."""
    m = report["machine"]
    lines = [
        "# Performance",
        "",
        "Generated by `make bench` (`benchmarks/bench.py`); do not edit by hand.",
        "Every figure is a ratio to a named baseline measured in the same run: each",
        "repeat runs the operation and its baselines back to back, and the ratio is the",
        "median of the per-repeat ratios. Memory is tracemalloc's peak / retained MB of",
        "one call (the baseline's in brackets). Lower is better; 1.00x is parity.",
        "",
        "## Machine",
        "",
        f"- date: {m['date']}",
        f"- platform: {m['platform']}",
        f"- CPU: {m['cpu']} ({m['cores']} cores; load average at the start "
        f"{', '.join(str(x) for x in m['load_average'])})",
        f"- Python {m['python']}, cimo {m['cimo']}",
        *([f"- note: {m['note']}"] if m.get("note") else []),
        f"- operations timed by {'CPU' if m.get('clock') == 'cpu' else 'wall'} time",
        "",
    ]
    if report.get("cold_start"):
        lines += _cold_markdown(report["cold_start"])
    lines += [
        "## Operations",
        "",
        "| operation | rules | seconds | ratio | baseline | goal | further baselines "
        "| memory MB, peak / retained |",
        "|---|---:|---:|---:|---|---:|---|---|",
    ]
    for r in sorted(report["results"], key=lambda r: (r["operation"], r["size"])):
        goal = f"≤ {r['goal']}x" if r.get("goal") is not None else ""
        if r.get("goal") is not None and r.get("goal_on") != r["baseline"]:
            goal += " (to the first further baseline)"
        lines.append(
            f"| {r['operation']} | {r['size']:,} | {r['seconds']:.3f} | {r['ratio']:.2f}x "
            f"| {r['baseline']} | {goal} | {_floors(r)} | {_mb(r)} |"
        )
    notes = {r["operation"]: r["note"] for r in report["results"] if r.get("note")}
    if notes:
        lines += ["", "## Notes", ""]
        lines += [f"- **{name}**: {notes[name]}" for name in sorted(notes)]
    if report.get("exponents"):
        lines += [
            "",
            "## Scaling",
            "",
            "Exponent *k* in time ∝ n<sup>k</sup> between two sizes of the same run.",
            "",
            "| operation | sizes | exponent | baseline's |",
            "|---|---|---:|---:|",
        ]
        lines += [
            f"| {e['operation']} | {e['from']:,} → {e['to']:,} | {e['exponent']:.2f} "
            f"| {e['baseline_exponent']:.2f} |"
            for e in report["exponents"]
        ]
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- main


def _print(row: dict[str, Any]) -> None:
    extra = "".join(
        f"   {f['ratio']:5.2f}x {f['baseline'][:30]}" for f in row["floors"] if "ratio" in f
    )
    mem = row.get("memory")
    mem_text = f"   {mem['peak_mb']:7.1f}/{mem['retained_mb']:7.1f} MB" if mem else ""
    print(
        f"{row['operation']:<36} {row['size']:>7}  {row['seconds']:8.3f} s"
        f"   ratio {row['ratio']:5.2f}{extra}{mem_text}",
        flush=True,
    )


def run(args: argparse.Namespace) -> dict[str, Any]:
    sizes = [int(s) for s in args.sizes.split(",") if s]
    results: list[dict[str, Any]] = []
    ops = discover(args.only)
    for size in sizes:
        work = Workload(size, synthetic_theory(size))
        repeat = args.repeat if size < 100_000 else max(1, min(args.repeat, 3))
        for op in ops:
            if op.max_size is not None and size > op.max_size:
                continue
            if op.setup is not None:
                op.setup(work)
            row = measure(op, work, repeat, with_memory=not args.no_memory)
            results.append(row)
            _print(row)
    machine_ = {**machine(), "note": args.note, "clock": args.clock}
    report: dict[str, Any] = {"machine": machine_, "results": results}
    if not args.no_cold_start and (not args.only or args.only == "cold start"):
        report["cold_start"] = cold_start(args.repeat)
        for r in report["cold_start"]["rows"]:
            print(f"{r['command']:<36} {r['seconds']:8.3f} s   {r['ratio_to_python']:5.1f}x")
    return report


def merge_reports(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """``new`` over ``old``: rows of the same operation and size are replaced."""
    fresh = {(r["operation"], r["size"]) for r in new["results"]}
    kept = [r for r in old.get("results", []) if (r["operation"], r["size"]) not in fresh]
    merged = {**old, **new, "results": kept + new["results"]}
    merged["exponents"] = exponents(merged["results"])
    return merged


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="1000,10000", help="rule counts, comma-separated")
    parser.add_argument("--json", type=Path, help="write (or update) results in this JSON file")
    parser.add_argument("--markdown", type=Path, help="write the performance page here")
    parser.add_argument(
        "--repeat", type=int, default=5, help="interleaved rounds (at most 3 at 100k and above)"
    )
    parser.add_argument(
        "--only",
        help="run only operations whose name contains this text "
        "('cold start': only the subprocess runs)",
    )
    parser.add_argument("--no-memory", action="store_true", help="skip the tracemalloc runs")
    parser.add_argument("--no-cold-start", action="store_true", help="skip the subprocess runs")
    parser.add_argument(
        "--clock",
        choices=sorted(CLOCKS),
        default="wall",
        help="time operations by wall time, or by CPU time (steadier on a shared machine)",
    )
    parser.add_argument(
        "--note", help="a line about the machine for the page (e.g. other jobs sharing it)"
    )
    args = parser.parse_args(argv)
    global _clock
    _clock = CLOCKS[args.clock]
    report = run(args)
    if args.json:
        old = json.loads(args.json.read_text()) if args.json.exists() else {}
        report = merge_reports(old, report)
        atomic_write(args.json, json.dumps(report, indent=2) + "\n")
    else:
        report["exponents"] = exponents(report["results"])
    for e in report["exponents"]:
        print(f"{e['operation']}: exponent {e['from']}->{e['to']}: {e['exponent']:.2f}")
    if args.markdown:
        atomic_write(args.markdown, markdown(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
