"""Single points of failure and bus factor against brute force and networkx."""

from __future__ import annotations

import itertools
from collections.abc import Hashable, Iterable

import networkx as nx
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import intcust as ic
from intcust.graph.schema import edge_services
from intcust.metrics.fragility.cutsets import bus_factor
from intcust.metrics.fragility.failure import (
    FailureGraph,
    propagate,
    single_points_of_failure,
)
from strategies import organisations


def unserved(G: nx.DiGraph, absent: Iterable[Hashable]) -> set[Hashable]:
    """The failure rule, written directly on the networkx graph (least fixed point)."""
    failed = set(absent)
    groups: dict[Hashable, dict[object, list[Hashable]]] = {}
    for u, v, data in G.edges(data=True):
        for d in edge_services(data):  # each service of a pair is one requirement
            if d.get("blocking", True) is False:
                continue
            key = d.get("deliverable")
            groups.setdefault(v, {}).setdefault(("edge", u) if key is None else key, []).append(u)
    changed = True
    while changed:
        changed = False
        for v, gs in groups.items():
            if v not in failed and any(all(u in failed for u in g) for g in gs.values()):
                failed.add(v)
                changed = True
    return failed


def brute_spof(G: nx.DiGraph, targets: list[Hashable]) -> dict[Hashable, set[Hashable]]:
    out: dict[Hashable, set[Hashable]] = {x: set() for x in G if x not in targets}
    for x in out:
        dead = unserved(G, [x])
        out[x] = {t for t in targets if t in dead}
    return out


def brute_bus(G: nx.DiGraph, t: Hashable) -> int | None:
    others = [n for n in G if n != t]
    for k in range(1, len(others) + 1):
        for combo in itertools.combinations(others, k):
            if t in unserved(G, combo):
                return k
    return None


@st.composite
def or_only(draw: st.DrawFn, max_nodes: int = 9) -> nx.DiGraph:
    """A random DAG where all blocking inputs of a node are alternatives (OR)."""
    n = draw(st.integers(2, max_nodes))
    G = ic.org_graph()
    for i in range(n):
        ic.add_stakeholder(G, i, kind="external" if i == n - 1 else "person")
    pairs = [(i, j) for i in range(n) for j in range(i + 1, n)]
    for i, j in draw(st.lists(st.sampled_from(pairs), max_size=3 * n, unique=True)):
        ic.add_service(G, i, j, deliverable="input")
    return G


def test_propagate_follows_and_or() -> None:
    G = ic.org_graph()
    for n in "abcxt":
        ic.add_stakeholder(G, n)
    ic.add_service(G, "a", "t", deliverable="d")
    ic.add_service(G, "b", "t", deliverable="d")
    ic.add_service(G, "c", "t", deliverable="e")
    F = FailureGraph.from_compiled(ic.compile(G))
    C = ic.compile(G)
    removed = np.zeros((3, 5), bool)
    removed[0, C.ids(["a"])] = True
    removed[1, C.ids(["a", "b"])] = True
    removed[2, C.ids(["c"])] = True
    assert propagate(F, removed)[:, C.index["t"]].tolist() == [False, True, True]


def test_reconvergent_paths() -> None:
    # AND of two deliverables both fed by x: x gates v.
    # OR of two alternatives both fed by x: x gates v too; y alone does not.
    G = ic.org_graph()
    for n in ["x", "y", "p", "q", "v", "w"]:
        ic.add_stakeholder(G, n)
    ic.add_stakeholder(G, "end", kind="external")
    ic.add_service(G, "x", "p")
    ic.add_service(G, "x", "q")
    ic.add_service(G, "y", "q")  # q needs x and y (AND)
    ic.add_service(G, "p", "v", deliverable="d")
    ic.add_service(G, "q", "v", deliverable="d")  # v needs p or q
    ic.add_service(G, "v", "end")
    ic.add_service(G, "w", "end", deliverable="z")
    spof = single_points_of_failure(G)
    gates = {n for n in spof if spof[n]["customers"]}
    assert gates == {"x", "v", "w"}
    assert spof["x"]["volume"] == 2.0
    assert spof.to_dict() == {
        n: {**spof[n], "customers": ["end"] if n in gates else []} for n in spof
    }


def test_lagged_loop_keeps_itself() -> None:
    # a <-> b loop through a lagged edge; c feeds a as an alternative to b
    G = ic.org_graph()
    for n in "abc":
        ic.add_stakeholder(G, n)
    ic.add_stakeholder(G, "t", kind="external")
    ic.add_service(G, "a", "b")
    ic.add_service(G, "b", "a", deliverable="in", lag=1)
    ic.add_service(G, "c", "a", deliverable="in")
    ic.add_service(G, "b", "t")
    spof = single_points_of_failure(G)
    assert {n for n in spof if spof[n]["customers"]} == {"a", "b"}
    bf = bus_factor(G, customer="a")["a"]
    assert (bf["bus_factor"], bf["exact"], set(bf["set"])) == (2, True, {"b", "c"})


@given(organisations(max_nodes=8, all_attributes=False, lags=True))
def test_spof_equals_brute_force(G: nx.DiGraph) -> None:
    dead = {x: unserved(G, [x]) for x in G}
    for t in G:  # every node as the customer, against brute force
        got = single_points_of_failure(G, customer=t)
        assert set(got) == set(G) - {t}
        for x, row in got.items():
            assert set(row["customers"]) == ({t} if t in dead[x] else set())
    ext = ic.external_customers(G)
    got_all = single_points_of_failure(G)
    want = brute_spof(G, ext)
    assert {x: set(r["customers"]) for x, r in got_all.items()} == want


@given(or_only())
def test_spof_equals_dominators_on_or_graphs(G: nx.DiGraph) -> None:
    H = G.copy()
    H.add_node("root")
    H.add_edges_from(("root", n) for n in G if G.in_degree(n) == 0)
    idom = nx.immediate_dominators(H, "root")
    for t in G:
        dom, v = set(), idom[t]
        while v != "root":
            dom.add(v)
            v = idom[v]
        got = single_points_of_failure(G, customer=t)
        assert {x for x, r in got.items() if r["customers"]} == dom


@given(organisations(max_nodes=7, all_attributes=False, lags=True))
def test_bus_factor_equals_brute_force(G: nx.DiGraph) -> None:
    for t in G:
        row = bus_factor(G, customer=t, max_size=7, max_sets=10_000)[t]
        want = brute_bus(G, t)
        assert row["bus_factor"] == want
        if want is not None:
            assert row["exact"]
            assert t in unserved(G, row["set"])
            assert len(row["set"]) == want


@given(organisations(max_nodes=7, all_attributes=False, lags=True))
def test_bus_factor_bounds_hold_when_search_is_cut_short(G: nx.DiGraph) -> None:
    for t in G:
        row = bus_factor(G, customer=t, max_size=1)[t]
        want = brute_bus(G, t)
        if want is None:
            assert row["bus_factor"] is None
            continue
        assert row["lower"] <= want <= row["bus_factor"] == len(row["set"])
        assert t in unserved(G, row["set"])


@pytest.mark.oracle
@given(or_only())
def test_bus_factor_equals_networkx_minimum_node_cut(G: nx.DiGraph) -> None:
    H = G.copy()
    H.add_node("root")
    H.add_edges_from(("root", n) for n in G if G.in_degree(n) == 0)
    for t in G:
        row = bus_factor(G, customer=t)[t]
        if G.in_degree(t) == 0:
            assert row["bus_factor"] is None
            continue
        cut = nx.minimum_node_cut(H, "root", t)
        assert row["bus_factor"] == len(cut)
        assert row["method"] in ("minimum vertex cut", "single point of failure")
        assert t in unserved(G, row["set"])


def test_deliverable_and_errors() -> None:
    G = ic.datasets.email_campaign()
    row = bus_factor(G, customer="sender", deliverable="mailing list")["sender"]
    assert row["set"] == ("list keeper",)
    with pytest.raises(ic.ParameterError, match="deliverable"):
        bus_factor(G, customer="sender", deliverable="nothing")
    with pytest.raises(ic.ParameterError, match="customer"):
        bus_factor(G, deliverable="mailing list")
    with pytest.raises(ic.UnknownNodeError, match="customer"):
        single_points_of_failure(G, customer="nobody")
    with pytest.raises(ic.UnknownNodeError, match="customer"):
        bus_factor(G, customer="nobody")


def test_all_customers_at_once() -> None:
    G = ic.org_graph()
    for n in ["a", "b", "s"]:
        ic.add_stakeholder(G, n)
    for n in ["c1", "c2"]:
        ic.add_stakeholder(G, n, kind="external")
    ic.add_service(G, "s", "a")
    ic.add_service(G, "s", "b")
    ic.add_service(G, "a", "c1", deliverable="x")
    ic.add_service(G, "b", "c1", deliverable="x")
    ic.add_service(G, "a", "c2", deliverable="x")
    bf = bus_factor(G)
    assert list(bf) == ["c1", "c2"]
    assert bf["c1"]["set"] == ("s",) and bf["c2"]["bus_factor"] == 1
    spof = single_points_of_failure(G)
    assert spof["s"]["customers"] == ("c1", "c2")
    assert spof["a"]["customers"] == ("c2",)
    assert spof["b"]["customers"] == ()


def test_compiled_form_gives_the_same_answer() -> None:
    G = ic.datasets.hotel()
    C = ic.compile(G)
    assert single_points_of_failure(C).to_dict() == single_points_of_failure(G).to_dict()
    assert bus_factor(C).to_dict() == bus_factor(G).to_dict()
    with pytest.raises(ic.ParameterError, match="'G' parameter of bus_factor"):
        bus_factor(nx.Graph())
    with pytest.raises(ic.UnknownNodeError, match="customer"):
        single_points_of_failure(C, customer="nobody")


def test_no_unit_level_and_the_customer_by_keyword() -> None:
    G = ic.datasets.email_campaign()
    with pytest.raises(ic.ParameterError, match="'level' parameter of single_points_of_failure"):
        single_points_of_failure(G, level="unit")
    with pytest.warns(DeprecationWarning, match="'customer' parameter of single_points_of_f"):
        old = single_points_of_failure(G, "sender")
    assert old.to_dict() == single_points_of_failure(G, customer="sender").to_dict()


def test_support_search_beats_the_easy_bounds() -> None:
    # t takes d from a, b or s; a and b each need p or q; s needs p AND r.
    # {p, q} cuts off all three, while every bound (3 suppliers of d; the cut
    # with every join read as OR, {p, q, r}) says 3: the search must find it.
    G = ic.org_graph()
    for n in ["a", "b", "p", "q", "r", "s"]:
        ic.add_stakeholder(G, n)
    ic.add_stakeholder(G, "t", kind="external")
    for u in ["a", "b", "s"]:
        ic.add_service(G, u, "t", deliverable="d")
    for v in ["a", "b"]:
        ic.add_service(G, "p", v, deliverable="in")
        ic.add_service(G, "q", v, deliverable="in")
    ic.add_service(G, "p", "s", deliverable="x")
    ic.add_service(G, "r", "s", deliverable="y")
    assert brute_bus(G, "t") == 2
    row = bus_factor(G, customer="t")["t"]
    assert row == {
        "bus_factor": 2,
        "lower": 2,
        "exact": True,
        "set": ("p", "q"),
        "method": "support search",
    }
    cut_short = bus_factor(G, customer="t", max_size=1)["t"]
    assert (cut_short["bus_factor"], cut_short["lower"], cut_short["exact"]) == (3, 2, False)
