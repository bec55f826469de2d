"""The networkx view: built from the records, frozen, counts that follow from them."""

from __future__ import annotations

import networkx as nx
import pytest

import cimo
from cimo.graph import chain_links, element_graph, rule_graph
from cimo.model import Context, Link, Mechanism, Outcome, Rule, Theory


def small() -> Theory:
    return Theory(
        id="t",
        title="T",
        nodes=(
            Context(id="c", label="C"),
            Context(id="off", label="Off sick"),
            Mechanism(id="m", label="M"),
            Outcome(id="o", label="O"),
            Outcome(id="o2", label="O2"),
            Context(id="c2", label="C2 (worded differently from O2)"),
        ),
        rules=(
            Rule(
                id="R1", contexts=("c",), unless=("off",), mechanisms=("m",), outcomes=("o", "o2")
            ),
            Rule(id="R2", contexts=("o",), mechanisms=("m",), reduces=("o2",)),
            Rule(id="R3", contexts=("c2",), unless=("o",), mechanisms=("m",), outcomes=("o",)),
        ),
        links=(Link(outcome="o2", context="c2"),),
    )


def test_rule_graph_has_a_vertex_per_node_and_rule_and_an_edge_per_reference() -> None:
    t = small()
    g = rule_graph(t)
    assert g.number_of_nodes() == len(t.nodes) + len(t.rules)
    assert g.number_of_edges() == sum(len(list(r.references())) for r in t.rules) + len(t.links)
    assert g.nodes["R1"]["kind"] == "rule"
    assert g.edges["off", "R1"] == {"role": "unless", "disabling": True, "chain": False}
    assert g.edges["o", "R2"]["chain"] is True
    assert g.edges["R2", "o2"]["role"] == "reduces"
    assert g.edges["o2", "c2"]["role"] == "link"
    assert nx.is_frozen(g)
    with pytest.raises(nx.NetworkXError, match="Frozen"):
        g.add_node("x")


def test_element_graph_labels_edges_with_rules_and_marks_disabling() -> None:
    g = element_graph(small())
    assert g.edges["c", "m", "enables"]["rules"] == ("R1",)
    assert g.edges["off", "m", "disables"]["rules"] == ("R1",)
    assert g.edges["m", "o", "produces"]["rules"] == ("R1", "R3")
    assert g.edges["m", "o2", "reduces"]["rules"] == ("R2",)
    # the chained outcome both enables (R2) and disables (R3) the mechanism
    assert set(g["o"]["m"]) == {"enables", "disables"}
    assert nx.is_frozen(g)


def test_rule_without_mechanism_joins_inputs_to_outcomes() -> None:
    t = cimo.load_example("work-focused-group-cbt")
    g = element_graph(t)
    assert g.edges["work-status", "clinical-status", "enables"]["rules"] == (
        "work-supports-recovery",
    )


def test_chain_links_direct_explicit_and_blocking() -> None:
    links = {str(c) for c in chain_links(small())}
    assert links == {
        "R1 -> o feeds R2",
        "R3 -> o feeds R2",
        "R1 -> o blocks R3",
        "R3 -> o blocks R3",
        "R1 -> o2 (as c2) feeds R3",
    }


def test_graphs_are_fresh_and_do_not_change_the_theory(wfg: cimo.Theory) -> None:
    before = cimo.dumps(wfg)
    assert rule_graph(wfg) is not rule_graph(wfg)
    assert cimo.dumps(wfg) == before


def test_pwp_resilience_has_the_loops_of_a_process_over_time(pwp: cimo.Theory) -> None:
    cycles = [c for c in nx.strongly_connected_components(rule_graph(pwp)) if len(c) > 1]
    assert cycles, "the resilience process loops back on itself"
    assert {"resilience", "purpose-reaffirmed", "individual-coping"} <= set().union(*cycles)
