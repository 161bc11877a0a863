"""`cycle_time` against the Max Plus at Work example and brute force over simple cycles."""

from __future__ import annotations

import itertools
import math
from collections.abc import Hashable

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, note
from hypothesis import strategies as st

import intcust as ic
from intcust.errors import CycleError, ParameterError
from intcust.graph.duration_parsing import point_value
from intcust.graph.schema import edge_services
from intcust.sim.maxplus import cycle_time
from intcust.sim.recurrence import rounds
from strategies import organisations


def heidergott() -> nx.DiGraph:
    """x1(k+1) = max(x1(k)+2, x2(k)+5), x2(k+1) = max(x1(k)+3, x2(k)+3): zero work, the
    matrix entries as lead times of lag-1 edges (A[i][j] on edge j -> i)."""
    G = ic.org_graph(name="Max Plus at Work, ch. 1")
    for n in (1, 2):
        ic.add_stakeholder(G, n)
    A = [[2, 5], [3, 3]]
    for i, j in itertools.product(range(2), repeat=2):
        ic.add_service(G, j + 1, i + 1, lead_time=A[i][j], lag=1)
    return G


@pytest.mark.oracle
def test_max_plus_at_work_opening_example() -> None:
    ct = cycle_time(heidergott())
    assert ct.cycle_time == 4.0
    assert [c.nodes for c in ct.critical] == [(1, 2)]
    assert str(ct.critical[0]) == "1 → 2 → 1"
    assert ct.throughput == 0.25
    res = rounds(heidergott(), 6)
    assert res.planned.tolist() == [[0, 0], [5, 3], [8, 8], [13, 11], [16, 16], [21, 19]]


def _blocking(G: nx.DiGraph, estimate: str = "mode") -> nx.MultiDiGraph:
    """The blocking services, one edge each, with weight work(u) + lead and the lag,
    read from G directly."""
    H = nx.MultiDiGraph()
    H.add_nodes_from(G)
    for u, v, data in G.edges(data=True):
        for d in edge_services(data):
            if d.get("blocking", True) is False:
                continue
            w = point_value(G.nodes[u].get("work", 0), estimate) + point_value(
                d.get("lead_time", 0), estimate
            )
            H.add_edge(u, v, w=w, lag=d.get("lag", 0) or 0, deliverable=d.get("deliverable"))
    return H


def _ratios(H: nx.MultiDiGraph) -> list[tuple[float, list[Hashable]]]:
    """Cycle ratios, one per simple cycle and choice among parallel services."""
    out = []
    for cyc in nx.simple_cycles(nx.DiGraph(H)):
        ring = list(itertools.pairwise([*cyc, cyc[0]]))
        for pick in itertools.product(*(H[a][b].values() for a, b in ring)):
            lag = sum(d["lag"] for d in pick)
            assert lag >= 1
            out.append((sum(d["w"] for d in pick) / lag, cyc))
    return out


def _and_only(G: nx.DiGraph) -> nx.DiGraph:
    """Every service a deliverable of its own (several services of a pair stay apart)."""
    for u, v, data in G.edges(data=True):
        services = data.get("services")
        if services is None:
            data.pop("deliverable", None)
        else:
            for i, d in enumerate(services):
                d["deliverable"] = f"{u}>{v} #{i}"
    return G


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


@pytest.mark.oracle
@given(organisations(lags=True, max_nodes=7))
def test_and_only_equals_brute_force_over_simple_cycles(G: nx.DiGraph) -> None:
    G = _and_only(G)
    note(f"edges {list(G.edges(data=True))}; nodes {dict(G.nodes(data=True))}")
    ct = cycle_time(G)
    ratios = _ratios(_blocking(G))
    assert ct.acyclic == (not ratios)
    best = max((r for r, _ in ratios), default=0.0)
    assert _close(ct.cycle_time, best)
    cycles = {frozenset(c) for r, c in ratios if _close(r, best)}
    for loop in ct.critical:
        assert _close(loop.ratio, best)
        assert frozenset(loop.nodes) in cycles
        ring = [*loop.nodes, loop.nodes[0]]
        assert all(G.has_edge(a, b) for a, b in itertools.pairwise(ring))
    if ratios:
        assert ct.critical


def _min_max_brute_force(G: nx.DiGraph) -> float:
    """λ of the min-max system: componentwise min over OR choices of the max-plus
    cycle-time vectors (duality theorem), then the largest component."""
    H = _blocking(G)
    groups: dict[tuple[Hashable, Hashable], list[tuple[Hashable, Hashable, int]]] = {}
    for u, v, key, d in H.edges(keys=True, data=True):
        name = (v, d["deliverable"]) if d["deliverable"] is not None else (v, ("own", u, key))
        groups.setdefault(name, []).append((u, v, key))
    options = [g for g in groups.values() if len(g) > 1]
    best = dict.fromkeys(H, math.inf)
    for pick in itertools.product(*options):
        drop = {e for g, keep in zip(options, pick, strict=True) for e in g if e != keep}
        S = H.edge_subgraph([e for e in H.edges(keys=True) if e not in drop]).copy()
        S.add_nodes_from(H)
        chi = dict.fromkeys(H, 0.0)
        for r, cyc in _ratios(S):
            for v in nx.descendants(S, cyc[0]) | set(cyc):
                chi[v] = max(chi[v], r)
        for v in H:
            best[v] = min(best[v], chi[v])
    return max(best.values(), default=0.0)


@pytest.mark.oracle
@given(organisations(lags=True, max_nodes=6, all_attributes=False))
def test_or_joins_equal_the_min_max_duality_brute_force(G: nx.DiGraph) -> None:
    assert _close(cycle_time(G).cycle_time, _min_max_brute_force(G))


def test_or_join_takes_the_faster_supplier_loop() -> None:
    # v needs "x" from a (slow loop, ratio 10) or b (fast loop, ratio 2): λ = 2
    G = ic.org_graph()
    for n, w in (("a", 10), ("b", 2), ("v", 0)):
        ic.add_stakeholder(G, n, work=w)
    ic.add_service(G, "a", "a", lag=1)
    ic.add_service(G, "b", "b", lag=1)
    ic.add_service(G, "a", "v", deliverable="x")
    ic.add_service(G, "b", "v", deliverable="x")
    ct = cycle_time(G)
    assert ct.node_rate["v"] == 2.0
    assert ct.cycle_time == 10.0  # a itself still runs at 10 per round
    # the growth of the simulated rounds agrees, node by node
    res = rounds(G, 41)
    growth = (res.planned[40] - res.planned[20]) / 20
    assert growth.tolist() == [10.0, 2.0, 2.0]


def test_growth_of_rounds_is_lambda() -> None:
    G = ic.datasets.weekly_planning()
    G.graph.pop("period")
    res = rounds(G, 30)
    growth = (res.planned[29] - res.planned[19]) / 10
    assert np.allclose(growth.max(), cycle_time(G).cycle_time)


def test_lag_two_loop_halves_the_ratio() -> None:
    G = ic.org_graph()
    ic.add_stakeholder(G, "a", work=3)
    ic.add_stakeholder(G, "b", work=5)
    ic.add_service(G, "a", "b", lead_time=1)
    ic.add_service(G, "b", "a", lead_time=1, lag=2)
    ct = cycle_time(G, period=6)
    assert ct.cycle_time == 5.0
    assert ct.critical[0].lag == 2 and ct.critical[0].weight == 10.0
    assert ct.critical[0].slack == 1.0 and ct.margin == 1.0


def test_acyclic_result() -> None:
    ct = cycle_time(ic.datasets.email_campaign())
    assert ct.acyclic and ct.cycle_time == 0.0 and ct.critical == ()
    assert "acyclic" in repr(ct) and ct.throughput == math.inf
    assert ct.to_dict()["acyclic"] is True


def test_results_name_the_nodes_and_serialise() -> None:
    ct = cycle_time(ic.datasets.weekly_planning())
    d = ct.to_dict()
    assert d["critical"][0]["nodes"] == ["sales", "planning", "procurement", "production"]
    assert d["margin"] == 0.5 and "<table" in ct._repr_html_()
    assert set(ct.node_rate) == set(ic.datasets.weekly_planning())


def test_loop_without_lag_is_a_cycle_error() -> None:
    G = ic.datasets.weekly_planning()
    G.edges["production", "sales"]["lag"] = 0
    with pytest.raises(CycleError, match="sales") as err:
        cycle_time(G)
    assert "production" in str(err.value)


@pytest.mark.parametrize("period", [0, -5, math.nan, "5"])
def test_bad_period(period: object) -> None:
    with pytest.raises(ParameterError, match="'period' parameter of cycle_time"):
        cycle_time(ic.datasets.weekly_planning(), period=period)  # type: ignore[arg-type]


def test_bad_estimate_and_graph() -> None:
    with pytest.raises(ParameterError, match="estimate"):
        cycle_time(ic.datasets.weekly_planning(), estimate="worst")
    with pytest.raises(ParameterError, match="'G' parameter"):
        cycle_time({"a": 1})  # type: ignore[arg-type]


@given(st.integers(2, 40), st.integers(0, 2**32 - 1))
def test_ring_of_rings_matches_brute_force(n: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    G = ic.org_graph()
    for i in range(n):
        ic.add_stakeholder(G, i, work=float(rng.integers(0, 10)))
    for i in range(n):
        for j in rng.choice(n, size=2, replace=False).tolist():
            if j != i and not G.has_edge(i, j):
                lag = 0 if i < j else int(rng.integers(1, 4))
                ic.add_service(G, i, j, lead_time=float(rng.integers(0, 5)), lag=lag)
    best = max((r for r, _ in _ratios(_blocking(G))), default=0.0)
    assert _close(cycle_time(G).cycle_time, best)


def _random_or_org(seed: int) -> nx.DiGraph:
    """Small organisations dense in OR joins and lagged loops."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 7))
    G = ic.org_graph()
    for i in range(n):
        ic.add_stakeholder(G, i, work=float(rng.integers(0, 6)))
    for _ in range(int(rng.integers(1, 3 * n))):
        i, j = rng.integers(0, n, 2).tolist()
        if G.has_edge(i, j) or (i == j and rng.random() < 0.7):
            continue
        lag = 0 if i < j else int(rng.integers(1, 3))
        d = rng.choice(["x", "y", ""])
        ic.add_service(
            G, i, j, lead_time=float(rng.integers(0, 4)), lag=lag, deliverable=str(d) or None
        )
    return G


@pytest.mark.oracle
@given(st.integers(0, 2**32 - 1))
def test_dense_or_joins_equal_the_min_max_brute_force(seed: int) -> None:
    G = _random_or_org(seed)
    assert _close(cycle_time(G).cycle_time, _min_max_brute_force(G))


def test_a_loop_of_zero_time_is_critical_at_cycle_time_zero() -> None:
    # the loop ties with the "no loop" bound of 0: it is still the critical loop
    G = ic.org_graph()
    ic.add_stakeholder(G, "a", work=0.0)
    ic.add_stakeholder(G, "b", work=0.0)
    ic.add_service(G, "a", "b", deliverable="plan", lag=1)
    ic.add_service(G, "a", "b", deliverable="data")
    ic.add_service(G, "b", "a", lag=1)
    ct = cycle_time(G)
    assert ct.cycle_time == 0.0 and not ct.acyclic
    assert [str(loop) for loop in ct.critical] == ["a → b → a"]
