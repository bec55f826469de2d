"""Benchmark operations of cimo.validate: every check, against loading the same file."""

from __future__ import annotations

from bench import Operation, Workload

import cimo
from cimo.validate import validate


def load_json(work: Workload) -> object:
    """Baseline: load the JSON file (parse, build the records, all structural checks)."""
    return cimo.loads(work.json_bytes, format="json")


def check_json(work: Workload) -> object:
    """cimo: all 17 checks on the theory loaded from that JSON text, with file positions."""
    return validate(work.theory, fail_on="info")


def load_yaml(work: Workload) -> object:
    """Baseline: load the YAML file."""
    return cimo.loads(work.yaml_text, format="yaml")


def load_and_check_yaml(work: Workload) -> object:
    """cimo: load the YAML file, then all checks (positions through the composed YAML)."""
    return validate(cimo.loads(work.yaml_text, format="yaml"), fail_on="info")


OPERATIONS = [
    Operation(
        name="validate: all checks (json)",
        run=check_json,
        baseline=load_json,
        baseline_name="cimo.loads of the same JSON text",
    ),
    Operation(
        name="validate: load+all checks (yaml)",
        run=load_and_check_yaml,
        baseline=load_yaml,
        baseline_name="cimo.loads of the same YAML text",
        max_size=10_000,
    ),
]
