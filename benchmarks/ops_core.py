"""Benchmark operations of the foundation: load + validate + graph build, and dump.

Load is measured against three ways to do the same work without cimo:

* the naive pipeline (orjson, a pydantic ``TypeAdapter`` over plain rule
  records, ``nx.DiGraph.add_edges_from``): the baseline;
* the best-known networkx pipeline: one ``validate_json`` in Rust over plain
  node and rule records, one pass over the rules filling the graph's
  adjacency dicts directly, the collector paused and what was made frozen;
* the rustworkx floor: the same validation, then a ``rustworkx.PyDiGraph``
  (skipped when rustworkx is not installed).

YAML load is measured against a YAML pipeline (``yaml.load`` with libyaml's C
loader, then the naive steps), and against cimo's own JSON path for memory.
"""

from __future__ import annotations

import gc
import importlib.util
from typing import Any

import networkx as nx
import orjson
import yaml
from bench import Baseline, Operation, Workload
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

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


def _naive_graph(data: dict[str, Any]) -> object:
    rows = [{_KEYS.get(k, k): v for k, v in rule.items()} for rule in data["rules"]]
    records = _RECORDS.validate_python(rows)
    g: nx.DiGraph[str] = nx.DiGraph()
    for rec in records:
        g.add_edges_from((c, rec.id) for c in rec.contexts + rec.unless + rec.interventions)
        g.add_edges_from((rec.id, m) for m in rec.mechanisms + rec.outcomes + rec.reduces)
    return g


def naive_pipeline(work: Workload) -> object:
    """orjson + a pydantic TypeAdapter over plain rule records + networkx add_edges_from."""
    return _naive_graph(orjson.loads(work.json_bytes))


def yaml_pipeline(work: Workload) -> object:
    """yaml.load with libyaml's C loader + the same naive steps."""
    return _naive_graph(yaml.load(work.yaml_text, Loader=yaml.CSafeLoader))


# --------------------------------------------------------------------------- best known


class _Plain(BaseModel):
    model_config = ConfigDict(extra="allow", frozen=True)


class NodeRecord(_Plain):
    id: str
    kind: str
    label: str


class FastRule(_Plain):
    id: str
    if_: tuple[str, ...] = Field((), alias="if")
    unless: tuple[str, ...] = ()
    with_: tuple[str, ...] = Field((), alias="with")
    because: tuple[str, ...] = ()
    then: tuple[str, ...] = ()
    reduces: tuple[str, ...] = ()


class Document(_Plain):
    format_version: str
    id: str
    title: str
    nodes: tuple[NodeRecord, ...] = ()
    rules: tuple[FastRule, ...] = ()


_EDGE_IN = {"role": "if"}
_EDGE_OUT = {"role": "then"}


def best_known(work: Workload) -> object:
    """validate_json (Rust) + one pass filling the adjacency directly, GC paused and frozen."""
    gc.disable()
    try:
        doc = Document.model_validate_json(work.json_bytes)
        node: dict[str, dict[str, Any]] = {n.id: {"kind": n.kind} for n in doc.nodes}
        succ: dict[str, dict[str, Any]] = {n: {} for n in node}
        pred: dict[str, dict[str, Any]] = {n: {} for n in node}
        for r in doc.rules:
            rid = r.id
            node[rid] = {"kind": "rule"}
            ins = pred[rid] = {}
            outs = succ[rid] = {}
            for x in (*r.if_, *r.unless, *r.with_):
                succ[x][rid] = ins[x] = _EDGE_IN
            for x in (*r.because, *r.then, *r.reduces):
                pred[x][rid] = outs[x] = _EDGE_OUT
        g: nx.DiGraph[str] = nx.DiGraph()
        g._node = node  # type: ignore[attr-defined]
        g._succ = g._adj = succ  # type: ignore[attr-defined]
        g._pred = pred  # type: ignore[attr-defined]
        gc.freeze()
    finally:
        gc.enable()
    return doc, g


def _has_rustworkx() -> bool:
    return importlib.util.find_spec("rustworkx") is not None


def rustworkx_floor(work: Workload) -> object:
    """validate_json (Rust) + a rustworkx.PyDiGraph built from index pairs, GC paused."""
    import rustworkx as rx

    gc.disable()
    try:
        doc = Document.model_validate_json(work.json_bytes)
        ids = [n.id for n in doc.nodes] + [r.id for r in doc.rules]
        at = {x: i for i, x in enumerate(ids)}
        g = rx.PyDiGraph()
        g.add_nodes_from(ids)
        edges: list[tuple[int, int]] = []
        for r in doc.rules:
            rid = at[r.id]
            edges += [(at[x], rid) for x in (*r.if_, *r.unless, *r.with_)]
            edges += [(rid, at[x]) for x in (*r.because, *r.then, *r.reduces)]
        g.add_edges_from_no_data(edges)
        gc.freeze()
    finally:
        gc.enable()
    return doc, g


# --------------------------------------------------------------------------- cimo


def load_json_and_graph(work: Workload) -> object:
    """cimo: load the JSON file (all structural checks) and build the frozen rule graph."""
    theory = cimo.loads(work.json_bytes, format="json")
    return theory, rule_graph(theory)


def load_yaml_and_graph(work: Workload) -> object:
    """cimo: the same from YAML (plain data built from libyaml's events)."""
    theory = cimo.loads(work.yaml_text, format="yaml")
    return theory, rule_graph(theory)


def load_then_collect(work: Workload) -> object:
    """cimo: load the JSON file, then the collection the next allocations trigger."""
    theory = cimo.loads(work.json_bytes, format="json")
    gc.collect(0)
    gc.collect(1)
    return theory


def load_only(work: Workload) -> object:
    """cimo: load the JSON file."""
    return cimo.loads(work.json_bytes, format="json")


def dumps_json(work: Workload) -> object:
    """cimo: the canonical JSON text of the theory."""
    return cimo.dumps(work.theory, format="json")


def pydantic_dump_json(work: Workload) -> object:
    """pydantic's own JSON dump of the same records."""
    return work.theory.model_dump_json(by_alias=True, exclude_defaults=True, indent=2)


_NAIVE = "orjson + TypeAdapter(list[RuleRecord]) + nx.DiGraph.add_edges_from"
_BEST = Baseline(
    "best-known networkx way (validate_json, one pass, adjacency filled, GC paused and frozen)",
    best_known,
)
_RX = Baseline(
    "rustworkx floor (validate_json + PyDiGraph)", rustworkx_floor, available=_has_rustworkx
)

_LOAD_NOTE = (
    "above the goal (about 2.1x the best-known way at 10k, 2.1-2.9x at 1k; 3.3-3.6x and "
    "4.5-5x before this pass) with nothing loosened. A profile at 10k (CPU time, each part "
    "as a share of the best-known way's whole run): the strict JSON parse, Python's `json` "
    "with a hook per object refusing duplicate keys (pydantic-core's parser, inside the "
    "best-known `validate_json`, keeps the last of two equal keys silently), about 0.25x; "
    "validation into the records, about 0.55x (rules of 30 fields, a pattern on every id, "
    "nodes a tagged union, evidence records, a before-validator reading `if: any` and "
    "`because` objects; a 1.0 file adds its migration, about 0.06x, which this 2.0 file "
    "does not pay), where the best-known "
    "`validate_json` of six-slot records, parse included, is 0.5x; `Theory."
    "model_validate_json` is slower still, as the before-validators make pydantic build the "
    "Python objects anyway; the structural checks, about 0.4x (every id of every slot "
    "against the kinds the slot takes, no id twice, declared sources, themes and "
    "iterations: one screen of all the rules with set operations, the checks of one rule "
    "only where it cannot clear it; 1.05x before), which the best-known way does not do at "
    "all; the rule graph, about 0.5x (adjacency filled in one pass like the best-known "
    "way's 0.45x, with ten slots, each rule's label, status, theme and completeness, and "
    "chain flags); the rest (freeing the parsed data, the source text kept to locate "
    "problems), about 0.2x. The parse and the structural checks alone are 0.65x, so the "
    "floor with these checks is about 1.7-2x. Closing the gap needs duplicate keys refused "
    "inside a Rust JSON parser, and the rule's file shape read without a Python "
    "before-validator, so that the bytes are validated in Rust."
)

OPERATIONS = [
    Operation(
        name="load+validate+graph (json)",
        run=load_json_and_graph,
        baseline=naive_pipeline,
        baseline_name=_NAIVE,
        floors=(_BEST, _RX),
        goal=1.2,
        goal_on_floor=True,
        note=_LOAD_NOTE,
    ),
    Operation(
        name="load+validate+graph (yaml)",
        run=load_yaml_and_graph,
        baseline=yaml_pipeline,
        baseline_name="yaml.load(CSafeLoader) + TypeAdapter(list[RuleRecord]) + add_edges_from",
        floors=(Baseline("cimo's JSON path (memory goal ≤ 1.5x)", load_json_and_graph),),
        max_size=100_000,
        setup=lambda work: work.yaml_text,
    ),
    Operation(
        name="GC after load (json)",
        run=load_then_collect,
        baseline=load_only,
        baseline_name="cimo.loads alone (the ratio is the first collections' cost)",
    ),
    Operation(
        name="cimo.dumps (json)",
        run=dumps_json,
        baseline=pydantic_dump_json,
        baseline_name="Theory.model_dump_json(by_alias, exclude_defaults, indent=2)",
        goal=1.5,
    ),
]
