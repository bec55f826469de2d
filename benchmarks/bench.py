"""Speed of cimo, as a ratio to a named baseline measured in the same run.

Usage::

    python benchmarks/bench.py --sizes 1000,10000,100000 --json bench.json

Each operation is timed on synthetic theories of each size (best of
``--repeat`` runs) next to its baseline; the JSON output is
``{"results": [{"operation", "size", "seconds", "baseline_seconds", "ratio"}, ...]}``.
Operations live in ``benchmarks/ops_*.py`` modules, each with an
``OPERATIONS`` list; an existing output file is updated in place, so
benchmarks of different modules can share one file.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import itertools
import json
import math
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from synthetic import synthetic_theory  # noqa: E402

import cimo  # noqa: E402


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
        return cimo.io._yaml.to_yaml(self.data)

    @cached_property
    def theory(self) -> cimo.Theory:
        return cimo.loads(self.json_bytes, format="json")


@dataclass
class Operation:
    """A timed operation and the baseline it is compared with."""

    name: str
    run: Callable[[Workload], object]
    baseline: Callable[[Workload], object]
    baseline_name: str
    max_size: int | None = None
    setup: Callable[[Workload], object] | None = None
    """Run once per size before timing (builds what both sides take as given)."""


def discover(only: str | None = None) -> list[Operation]:
    ops: list[Operation] = []
    for path in sorted(HERE.glob("ops_*.py")):
        module = importlib.import_module(path.stem)
        ops.extend(module.OPERATIONS)
    if only:
        ops = [op for op in ops if only in op.name]
    return ops


def best_of(fn: Callable[[Workload], object], work: Workload, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        result = fn(work)
        times.append(time.perf_counter() - start)
        del result
    return min(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="1000,10000,100000", help="rule counts, comma-separated")
    parser.add_argument("--json", type=Path, help="write (or update) results in this JSON file")
    parser.add_argument(
        "--repeat", type=int, default=3, help="best of this many runs (1 at 100k and above)"
    )
    parser.add_argument("--only", help="run only operations whose name contains this text")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s]
    results: list[dict[str, Any]] = []
    ops = discover(args.only)
    for size in sizes:
        work = Workload(size, synthetic_theory(size))
        repeat = 1 if size >= 100_000 else args.repeat
        for op in ops:
            if op.max_size is not None and size > op.max_size:
                continue
            if op.setup is not None:
                op.setup(work)
            baseline = best_of(op.baseline, work, repeat)
            seconds = best_of(op.run, work, repeat)
            row = {
                "operation": op.name,
                "size": size,
                "seconds": round(seconds, 4),
                "baseline_seconds": round(baseline, 4),
                "ratio": round(seconds / baseline, 3),
                "baseline": op.baseline_name,
            }
            results.append(row)
            print(
                f"{op.name:<34} {size:>7} rules  {seconds:8.3f} s   baseline {baseline:8.3f} s"
                f"   ratio {seconds / baseline:5.2f}",
                flush=True,
            )
    for op in ops:
        rows = {r["size"]: r["seconds"] for r in results if r["operation"] == op.name}
        pairs = sorted(rows.items())
        for (n1, t1), (n2, t2) in itertools.pairwise(pairs):
            if t1 > 0 and n2 > n1:
                exponent = math.log(t2 / t1) / math.log(n2 / n1)
                print(f"{op.name}: scaling exponent {n1}->{n2}: {exponent:.2f}")
    if args.json:
        old: list[dict[str, Any]] = []
        if args.json.exists():
            old = json.loads(args.json.read_text()).get("results", [])
        fresh = {(r["operation"], r["size"]) for r in results}
        merged = [r for r in old if (r["operation"], r["size"]) not in fresh] + results
        cimo.io.atomic_write(args.json, json.dumps({"results": merged}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
