"""compile: the array form agrees with networkx, and bad graphs fail as validate does."""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pytest
from hypothesis import given

import intcust as ic
from intcust.graph.duration_parsing import point_value
from intcust.graph.schema import KINDS, is_blocking
from intcust.graph.validation import schema_problems
from strategies import organisations


def check_against_networkx(G: nx.DiGraph, C: ic.CompiledOrg) -> None:
    assert list(C.nodes) == list(G)
    assert all(C.index[n] == i for i, n in enumerate(C.nodes))
    order = {n: i for i, n in enumerate(G)}
    # edges sorted by (src, dst), CSR successors and predecessors
    keys = list(zip(C.src.tolist(), C.dst.tolist(), strict=True))
    assert keys == sorted(keys) and len(set(keys)) == C.n_edges == G.number_of_edges()
    for i, n in enumerate(C.nodes):
        succ = C.dst[C.succ_ptr[i] : C.succ_ptr[i + 1]]
        assert C.names(succ) == sorted(G.successors(n), key=order.__getitem__)
        pred = C.src[C.pred_edges[C.pred_ptr[i] : C.pred_ptr[i + 1]]]
        assert sorted(C.names(pred), key=order.__getitem__) == sorted(
            G.predecessors(n), key=order.__getitem__
        )
        assert np.all(C.dst[C.pred_edges[C.pred_ptr[i] : C.pred_ptr[i + 1]]] == i)
    # attributes
    for k, (i, j) in enumerate(keys):
        d = G.edges[C.nodes[i], C.nodes[j]]
        assert C.volume[k] == d.get("volume", 1.0)
        assert C.blocking[k] == (d.get("blocking", True) is not False)
        assert C.lag[k] == d.get("lag", 0)
        assert C.gate[k] == is_blocking(d)
        assert (C.deliverables[C.deliverable[k]] if C.deliverable[k] >= 0 else None) == d.get(
            "deliverable"
        )
        assert C.lead_time.point()[k] == pytest.approx(point_value(d.get("lead_time", 0.0)))
        for name in ("sla", "satisfaction"):
            value = getattr(C, name)[k]
            assert math.isnan(value) if d.get(name) is None else value == d[name]
    for i, n in enumerate(C.nodes):
        d = G.nodes[n]
        assert KINDS[C.kind[i]] == d.get("kind", "person")
        assert (C.units[C.unit[i]] if C.unit[i] >= 0 else None) == d.get("unit")
        assert C.servers[i] == d.get("servers", 1)
        assert C.start[i] == d.get("start", 0.0) and C.buffer[i] == d.get("buffer", 0.0)
        due = C.due[i]
        assert math.isnan(due) if d.get("due") is None else due == d["due"]
        assert C.work.point()[i] == pytest.approx(point_value(d.get("work", 0.0)))
    # OR joins: same customer and named deliverable share a group; unnamed edges are alone
    for a in range(C.n_edges):
        for b in range(a + 1, C.n_edges):
            same = C.dst[a] == C.dst[b] and C.deliverable[a] == C.deliverable[b] >= 0
            assert (C.join[a] == C.join[b]) == same
    # levels: a topological layering of the gate edges, longest path from sources
    gate_src, gate_dst = C.src[C.gate], C.dst[C.gate]
    assert np.all(C.level[gate_src] < C.level[gate_dst])
    has_input = np.zeros(C.n_nodes, bool)
    has_input[gate_dst] = True
    assert np.all(C.level[~has_input] == 0)
    for j in np.flatnonzero(has_input):
        assert C.level[j] == C.level[gate_src[gate_dst == j]].max() + 1
    assert np.all(np.diff(C.level[C.topo]) >= 0)
    for k in range(len(C.level_ptr) - 1):
        assert np.all(C.level[C.topo[C.level_ptr[k] : C.level_ptr[k + 1]]] == k)


@given(organisations(max_nodes=9, lags=True))
def test_compile_agrees_with_networkx(G):
    C = ic.compile(G)
    check_against_networkx(G, C)
    D = ic.compile(G, check=False)
    for name in ("src", "dst", "join", "level", "volume", "due", "kind", "unit", "pred_edges"):
        assert np.array_equal(getattr(C, name), getattr(D, name), equal_nan=True)


@pytest.mark.parametrize("example", ["email_campaign", "hotel", "call_center", "company"])
def test_compile_examples(example):
    G = getattr(ic.datasets, example)()
    check_against_networkx(G, ic.compile(G))


def test_compile_sorts_an_adjacency_out_of_node_order():
    G = ic.org_graph()
    for n in "abcd":
        ic.add_stakeholder(G, n)
    for u, v in [("a", "d"), ("a", "b"), ("c", "b"), ("a", "c")]:
        ic.add_service(G, u, v, volume=float(ord(v)))
    C = ic.compile(G)
    assert C.src.tolist() == [0, 0, 0, 2] and C.dst.tolist() == [1, 2, 3, 1]
    assert C.volume.tolist() == [98.0, 99.0, 100.0, 98.0]
    check_against_networkx(G, C)


def test_compile_accepts_values_the_fast_check_leaves_to_validate():
    G = ic.datasets.email_campaign()
    G.edges["designer", "sender"]["volume"] = np.float64(2.5)  # valid, but not a plain float
    G.nodes["sender"]["servers"] = np.int64(2)
    C = ic.compile(G)
    assert C.volume[C.edge_id("designer", "sender")] == 2.5
    assert C.servers[C.index["sender"]] == 2


@pytest.mark.parametrize(
    ("where", "name", "value"),
    [
        ("edge", "volume", -1.0),
        ("edge", "volume", math.nan),
        ("edge", "volume", True),
        ("edge", "volume", "3"),
        ("edge", "satisfaction", math.nan),
        ("edge", "satisfaction", 1.5),
        ("edge", "sla", math.inf),
        ("edge", "lag", -1),
        ("edge", "lag", 1.0),
        ("edge", "blocking", 1),
        ("edge", "lead_time", -0.5),
        ("edge", "lead_time", {"dist": "triangular", "low": 3, "mode": 2, "high": 5}),
        ("edge", "deliverable", 1.5),
        ("node", "kind", "robot"),
        ("node", "employment", "intern"),
        ("node", "servers", 0),
        ("node", "capacity", 0.0),
        ("node", "due", -2),
        ("node", "work", math.inf),
        ("node", "role", 3),
        ("node", "unit", ["a"]),
        ("graph", "period", -1.0),
    ],
)
def test_compile_reports_what_validate_reports(where, name, value):
    G = ic.datasets.email_campaign()
    if where == "edge":
        G.edges["designer", "sender"][name] = value
    elif where == "node":
        G.nodes["sender"][name] = value
    else:
        G.graph[name] = value
    with pytest.raises(ic.SchemaError) as err:
        ic.compile(G)
    assert err.value.problems == tuple(schema_problems(G))
    assert err.value.problems


def test_compile_cycle_and_bad_graph():
    G = ic.datasets.email_campaign()
    G.edges["sender", "designer"]["blocking"] = True
    with pytest.raises(ic.CycleError) as err:
        ic.compile(G)
    assert set(err.value.cycle) == {"designer", "sender"}
    with pytest.raises(ic.ParameterError, match="'G' parameter of compile"):
        ic.compile(nx.MultiDiGraph())


def test_compile_empty_and_edgeless():
    C = ic.compile(ic.org_graph())
    assert C.n_nodes == 0 and C.n_edges == 0 and C.level_ptr.tolist() == [0]
    G = ic.org_graph()
    ic.add_stakeholder(G, "alone", work=2)
    C = ic.compile(G)
    assert C.level.tolist() == [0] and C.succ_ptr.tolist() == [0, 0]


def test_compile_generated_org_matches_networkx():
    G = ic.datasets.generate_org(300, seed=11)
    check_against_networkx(G, ic.compile(G))


def test_compile_a_subgraph_view():
    G = ic.datasets.company()
    keep = [n for n in G if G.nodes[n].get("unit") in ("Sales", "Marketing")]
    for view in (G.subgraph(keep), nx.subgraph_view(G, filter_edge=lambda u, v: u != "IT")):
        C = ic.compile(view)
        check_against_networkx(view, C)
