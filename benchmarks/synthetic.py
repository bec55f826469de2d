"""Synthetic theories of any size, for benchmarks (deterministic for a given seed)."""

from __future__ import annotations

import random
from typing import Any

__all__ = ["synthetic_theory"]


def synthetic_theory(n_rules: int, *, seed: int = 0) -> dict[str, Any]:
    """Plain data of a valid theory with ``n_rules`` rules and about ``n_rules`` nodes.

    A quarter of the nodes are contexts, a quarter outcomes, a tenth
    mechanisms, a twentieth interventions. Every rule has two IF items (an
    outcome of an earlier rule one time in five, making chains), one
    intervention, one or two mechanisms, one or two outcomes and one piece of
    evidence; one rule in ten has an UNLESS context and one in ten REDUCES an
    outcome. The data is in the current file format (2.0), so a load pays no
    migration.
    """
    rng = random.Random(seed)
    n_c = max(2, n_rules // 4)
    n_i = max(1, n_rules // 20)
    n_m = max(1, n_rules // 10)
    n_o = max(2, n_rules // 4)
    contexts = [f"c{i}" for i in range(n_c)]
    interventions = [f"i{i}" for i in range(n_i)]
    mechanisms = [f"m{i}" for i in range(n_m)]
    outcomes = [f"o{i}" for i in range(n_o)]
    nodes: list[dict[str, Any]] = []
    nodes += [
        {"id": c, "kind": "context", "label": f"Context {c}", "level": "micro"} for c in contexts
    ]
    nodes += [
        {"id": i, "kind": "intervention", "label": f"Intervention {i}"} for i in interventions
    ]
    nodes += [
        {"id": m, "kind": "mechanism", "label": f"Mechanism {m}", "resource": "r", "reasoning": "q"}
        for m in mechanisms
    ]
    nodes += [
        {"id": o, "kind": "outcome", "label": f"Outcome {o}", "polarity": "desired"}
        for o in outcomes
    ]
    rules: list[dict[str, Any]] = []
    for r in range(n_rules):
        first = rng.choice(outcomes) if rng.random() < 0.2 else rng.choice(contexts)
        second = rng.choice(contexts)
        if_ = [first] if first == second else [first, second]
        then = rng.sample(outcomes, rng.randint(1, 2))
        rule: dict[str, Any] = {
            "id": f"R{r}",
            "if": if_,
            "with": [rng.choice(interventions)],
            "because": rng.sample(mechanisms, min(len(mechanisms), rng.randint(1, 2))),
            "then": then,
            "status": "supported",
            "evidence": [
                {"source": "s0", "locator": f"p. {r}", "stance": "supports", "incidence": 3}
            ],
        }
        if r % 10 == 0:
            blocker = rng.choice(contexts)
            if blocker not in if_:
                rule["unless"] = [blocker]
        if r % 10 == 5:
            reduced = rng.choice(outcomes)
            if reduced not in then:
                rule["reduces"] = [reduced]
        rules.append(rule)
    return {
        "format_version": "2.0",
        "id": f"synthetic-{n_rules}",
        "title": f"Synthetic theory with {n_rules} rules",
        "nodes": nodes,
        "rules": rules,
        "sources": [{"id": "s0", "citation": "A synthetic source"}],
    }
