"""Benchmark operations of the foundation: load + validate + graph build."""

from __future__ import annotations

from typing import Any

import networkx as nx
import orjson
from bench import Operation, Workload
from pydantic import BaseModel, TypeAdapter

import cimo
from cimo.graph import rule_graph


class RuleRecord(BaseModel):
    """A plain rule record: what a naive pipeline would validate."""

    id: str
    contexts: list[str] = []
    unless: list[str] = []
    interventions: list[str] = []
    mechanisms: list[str] = []
    outcomes: list[str] = []
    reduces: list[str] = []
    status: str = "hypothesised"
    evidence: list[dict[str, Any]] = []


_RECORDS = TypeAdapter(list[RuleRecord])
_KEYS = {"if": "contexts", "with": "interventions", "because": "mechanisms", "then": "outcomes"}


def naive_pipeline(work: Workload) -> object:
    """orjson + a pydantic TypeAdapter over plain rule records + networkx add_edges_from."""
    data = orjson.loads(work.json_bytes)
    rows = [{_KEYS.get(k, k): v for k, v in rule.items()} for rule in data["rules"]]
    records = _RECORDS.validate_python(rows)
    g: nx.DiGraph[str] = nx.DiGraph()
    for rec in records:
        g.add_edges_from((c, rec.id) for c in rec.contexts + rec.unless + rec.interventions)
        g.add_edges_from((rec.id, m) for m in rec.mechanisms + rec.outcomes + rec.reduces)
    return g


def load_json_and_graph(work: Workload) -> object:
    """cimo: load the JSON file (all structural checks) and build the frozen rule graph."""
    theory = cimo.loads(work.json_bytes, format="json")
    return rule_graph(theory)


def load_yaml_and_graph(work: Workload) -> object:
    """cimo: the same from YAML (libyaml C parser)."""
    theory = cimo.loads(work.yaml_text, format="yaml")
    return rule_graph(theory)


OPERATIONS = [
    Operation(
        name="load+validate+graph (json)",
        run=load_json_and_graph,
        baseline=naive_pipeline,
        baseline_name="orjson + TypeAdapter(list[RuleRecord]) + nx.DiGraph.add_edges_from",
    ),
    Operation(
        name="load+validate+graph (yaml)",
        run=load_yaml_and_graph,
        baseline=naive_pipeline,
        baseline_name="orjson + TypeAdapter(list[RuleRecord]) + nx.DiGraph.add_edges_from",
        max_size=10_000,
    ),
]
