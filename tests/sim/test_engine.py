"""The forward and backward passes against independent implementations.

`reference_finish` walks the networkx graph in plain Python (one scenario) and
`simpy_finish` runs the organisation as SimPy processes; both serve as oracles
here and in the schedule and delay tests.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Hashable

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import intcust as ic
from intcust.sim._engine import backward, forward
from intcust.sim._exact import exact_latest, forward_delayed, meets_or, reconverging
from strategies import organisations

Times = dict[Hashable, float]


def gating_groups(G: nx.DiGraph, v: Hashable) -> list[list[Hashable]]:
    """The suppliers of `v` grouped by deliverable (OR inside, AND across)."""
    groups: dict[object, list[Hashable]] = defaultdict(list)
    for u, _, d in G.in_edges(v, data=True):
        if d.get("blocking") is False or d.get("lag", 0):
            continue
        key = ("named", d["deliverable"]) if d.get("deliverable") is not None else ("edge", u)
        groups[key].append(u)
    return list(groups.values())


def timing_graph(G: nx.DiGraph) -> nx.DiGraph:
    H = nx.DiGraph()
    H.add_nodes_from(G)
    H.add_edges_from(
        (u, v)
        for u, v, d in G.edges(data=True)
        if d.get("blocking") is not False and not d.get("lag", 0)
    )
    return H


def reference_finish(
    G: nx.DiGraph, work: Times, lead: dict[tuple[Hashable, Hashable], float]
) -> Times:
    """Finish times by the definition, in plain Python over networkx."""
    finish: Times = {}
    for v in nx.topological_sort(timing_graph(G)):
        groups = gating_groups(G, v)
        ready = max((min(finish[u] + lead[u, v] for u in g) for g in groups), default=0.0)
        begin = max(ready, float(G.nodes[v].get("start") or 0.0))
        finish[v] = begin + work[v]
    return finish


def simpy_finish(
    G: nx.DiGraph, work: Times, lead: dict[tuple[Hashable, Hashable], float]
) -> Times:
    """Finish times from a SimPy process simulation: all_of over deliverables, any_of
    among alternative suppliers, timeouts for lead times, start and work."""
    simpy = pytest.importorskip("simpy", reason="SimPy is not installed")
    env = simpy.Environment()
    done = {v: env.event() for v in G}
    finish: Times = {}

    def hand_off(u: Hashable, v: Hashable, arrived: object) -> object:
        yield done[u]
        yield env.timeout(lead[u, v])
        arrived.succeed()  # type: ignore[attr-defined]

    def stakeholder(v: Hashable) -> object:
        needs = []
        for group in gating_groups(G, v):
            arrivals = []
            for u in group:
                ev = env.event()
                env.process(hand_off(u, v, ev))
                arrivals.append(ev)
            needs.append(env.any_of(arrivals))
        yield env.all_of(needs)
        start = float(G.nodes[v].get("start") or 0.0)
        if start > env.now:
            yield env.timeout(start - env.now)
        yield env.timeout(work[v])
        finish[v] = env.now
        done[v].succeed()

    for v in G:
        env.process(stakeholder(v))
    env.run()
    return finish


def point_times(C: ic.CompiledOrg, work: np.ndarray, lead: np.ndarray) -> tuple[Times, dict]:
    return (
        dict(zip(C.nodes, work.tolist(), strict=True)),
        {
            (C.nodes[s], C.nodes[d]): x
            for s, d, x in zip(C.src.tolist(), C.dst.tolist(), lead.tolist(), strict=True)
        },
    )


def reconvergent(G: nx.DiGraph) -> set[Hashable]:
    """Nodes whose delay reaches two alternative suppliers of one deliverable."""
    H = timing_graph(G)
    out: set[Hashable] = set()
    for v in G:
        for group in gating_groups(G, v):
            if len(group) < 2:
                continue
            seen: dict[Hashable, int] = defaultdict(int)
            for u in group:
                for a in nx.ancestors(H, u) | {u}:
                    seen[a] += 1
            out |= {a for a, k in seen.items() if k >= 2}
    return out


# -- forward ---------------------------------------------------------------------------


@pytest.mark.oracle
@given(G=organisations(max_nodes=9), seed=st.integers(0, 2**32 - 1))
@settings(max_examples=40)
def test_forward_matches_simpy_and_reference(G, seed):
    C = ic.compile(G)
    rng = np.random.default_rng(seed)
    scenarios = [(C.work.point("mode"), C.lead_time.point("mode"))]
    works, leads = C.work.sample(3, rng), C.lead_time.sample(3, rng)
    scenarios += [(works[:, k], leads[:, k]) for k in range(3)]
    _, batch = forward(C, works, leads)
    for k, (w, ld) in enumerate(scenarios):
        _, fin = forward(C, w, ld)
        wd, ldd = point_times(C, w, ld)
        sim = simpy_finish(G, wd, ldd)
        ref = reference_finish(G, wd, ldd)
        for i, v in enumerate(C.nodes):
            assert fin[i] == pytest.approx(sim[v], rel=1e-9, abs=1e-9), v
            assert fin[i] == pytest.approx(ref[v], rel=1e-12, abs=1e-12), v
            if k:
                assert batch[i, k - 1] == fin[i]


@given(G=organisations(max_nodes=9), seed=st.integers(0, 2**32 - 1))
@settings(max_examples=40)
def test_forward_delayed_equals_full_forward(G, seed):
    C = ic.compile(G)
    rng = np.random.default_rng(seed)
    w, ld = C.work.point("mode"), C.lead_time.point("mode")
    _, finish = forward(C, w, ld)
    nodes = rng.permutation(C.n_nodes)[: rng.integers(1, C.n_nodes + 1)]
    extra = rng.choice([0.0, 0.25, 1.0, 40.0], size=len(nodes))
    got = forward_delayed(C, w, ld, finish, nodes, extra)
    works = np.repeat(w[:, None], len(nodes), axis=1)
    works[nodes, np.arange(len(nodes))] += extra
    np.testing.assert_allclose(got, forward(C, works, ld)[1], rtol=1e-12, atol=1e-12)


# -- backward --------------------------------------------------------------------------


def _met_targets(C, finish, rng) -> np.ndarray:
    """Targets on some nodes, each met by the baseline (finish plus slack >= 0)."""
    slack = rng.choice([0.0, 0.5, 2.0, 7.0], size=C.n_nodes)
    return np.where(rng.random(C.n_nodes) < 0.4, finish + slack, np.inf)


def _mode_round(G, seed):
    """The mode durations, one forward pass and met targets (`_met_targets`)."""
    C = ic.compile(G)
    w, ld = C.work.point("mode"), C.lead_time.point("mode")
    ready, finish = forward(C, w, ld)
    latest = _met_targets(C, finish, np.random.default_rng(seed))
    return C, w, ld, ready, finish, latest


def _misses(G, C, work, lead, latest, node, d) -> bool:
    w = work.copy()
    w[C.index[node]] += d
    wd, ldd = point_times(C, w, lead)
    fin = reference_finish(G, wd, ldd)
    return any(
        fin[v] > latest[i] + 1e-9 * max(1.0, abs(latest[i]))
        for i, v in enumerate(C.nodes)
        if math.isfinite(latest[i])
    )


@given(G=organisations(max_nodes=9), seed=st.integers(0, 2**32 - 1))
def test_backward_float_is_absorbable_delay(G, seed):
    """Delaying a node by its total float misses no target; by a little more, one."""
    C, w, ld, ready, finish, latest = _mode_round(G, seed)
    lf = backward(C, w, ld, ready, finish, latest)
    tf = lf - finish
    assert (tf >= -1e-9).all()
    shared = reconvergent(G)
    for i, v in enumerate(C.nodes):
        eps = 1e-6 * max(1.0, abs(tf[i])) if math.isfinite(tf[i]) else 0.0
        if math.isfinite(tf[i]):
            # the rule's float is never too small: exceeding it always misses
            assert _misses(G, C, w, ld, latest, v, tf[i] + eps), v
        if v not in shared:
            d = tf[i] if math.isfinite(tf[i]) else 1e6
            assert not _misses(G, C, w, ld, latest, v, d), v


@given(G=organisations(max_nodes=8), seed=st.integers(0, 2**32 - 1))
@settings(max_examples=20)
def test_backward_batch_equals_columns(G, seed):
    C = ic.compile(G)
    rng = np.random.default_rng(seed)
    works, leads = C.work.sample(4, rng), C.lead_time.sample(4, rng)
    ready, finish = forward(C, works, leads)
    latest = np.where(rng.random((C.n_nodes, 4)) < 0.5, finish + 1.0, np.inf)
    lf = backward(C, works, leads, ready, finish, latest)
    assert lf.shape == (C.n_nodes, 4)
    for k in range(4):
        col = backward(C, works[:, k], leads[:, k], ready[:, k], finish[:, k], latest[:, k])
        np.testing.assert_array_equal(lf[:, k], col)
    # a (V,) target broadcasts over the scenarios
    lf1 = backward(C, works, leads, ready, finish, latest[:, 0])
    np.testing.assert_array_equal(lf1[:, 0], lf[:, 0])


@given(G=organisations(max_nodes=9), seed=st.integers(0, 2**32 - 1))
def test_exact_latest_fixes_reconvergent_floats(G, seed):
    """After the correction, the float is exact for every node."""
    C, w, ld, ready, finish, latest = _mode_round(G, seed)
    rule = backward(C, w, ld, ready, finish, latest)
    may = reconverging(C, w, ld, finish, rule)
    flagged = {C.nodes[i] for i in np.flatnonzero(may)}
    assert flagged <= reconvergent(G)
    assert flagged <= {C.nodes[i] for i in np.flatnonzero(meets_or(C))}
    lf = exact_latest(C, w, ld, finish, latest, rule, np.flatnonzero(may))
    assert (lf <= rule).all()
    tf = lf - finish
    for i, v in enumerate(C.nodes):
        if math.isfinite(tf[i]):
            assert not _misses(G, C, w, ld, latest, v, tf[i]), v
            assert _misses(G, C, w, ld, latest, v, tf[i] + 1e-6 * max(1.0, tf[i])), v
        else:
            assert not _misses(G, C, w, ld, latest, v, 1e6), v


def test_reconvergent_delay_reaches_both_alternatives():
    # u feeds both alternative suppliers of x's parts: each alone is free, u is not
    G = ic.org_graph()
    for n, w in [("u", 1.0), ("a", 1.0), ("b", 1.0), ("x", 1.0)]:
        ic.add_stakeholder(G, n, work=w)
    ic.add_stakeholder(G, "c", kind="external")
    ic.add_service(G, "u", "a")
    ic.add_service(G, "u", "b")
    ic.add_service(G, "a", "x", deliverable="parts")
    ic.add_service(G, "b", "x", deliverable="parts")
    ic.add_service(G, "x", "c")
    C = ic.compile(G)
    w, ld = C.work.point(), C.lead_time.point()
    ready, finish = forward(C, w, ld)
    latest = np.where(C.kind == 3, finish.max() + 0.5, np.inf)
    rule = backward(C, w, ld, ready, finish, latest)
    assert rule[C.index["u"]] == math.inf  # the edge-local rule cannot see it
    may = reconverging(C, w, ld, finish, rule)
    assert may[C.index["u"]] and not may[C.index["a"]]
    lf = exact_latest(C, w, ld, finish, latest, rule, np.flatnonzero(may))
    assert lf[C.index["u"]] - finish[C.index["u"]] == pytest.approx(0.5)


def _or_org(lead_b: float) -> nx.DiGraph:
    G = ic.org_graph()
    for n, w in [("a", 2.0), ("b", 1.0), ("x", 1.0)]:
        ic.add_stakeholder(G, n, work=w)
    ic.add_stakeholder(G, "c", kind="external")
    ic.add_service(G, "a", "x", deliverable="parts")
    ic.add_service(G, "b", "x", deliverable="parts", lead_time=lead_b)
    ic.add_service(G, "x", "c")
    return G


def _floats(G: nx.DiGraph, slack: float = 0.0) -> dict[Hashable, float]:
    """Total floats against the makespan plus `slack` at the external customer."""
    C = ic.compile(G)
    w, ld = C.work.point(), C.lead_time.point()
    ready, finish = forward(C, w, ld)
    latest = np.where(C.kind == 3, finish.max() + slack, np.inf)
    lf = backward(C, w, ld, ready, finish, latest)
    return dict(zip(C.nodes, (lf - finish).tolist(), strict=True))


def test_or_join_earliest_supplier_has_float_up_to_the_gap():
    # b arrives at 1 + 0.5, a at 2: x is ready at 1.5 and done at 2.5
    tf = _floats(_or_org(0.5))
    assert tf["b"] == 0.0  # any slip of b delays x: a only arrives at 2
    assert tf["a"] == math.inf  # a is not needed while b is on time
    assert tf["x"] == tf["c"] == 0.0
    tf = _floats(_or_org(0.5), slack=0.25)  # x may now be ready by 1.75
    assert tf["b"] == pytest.approx(0.25)
    assert tf["a"] == math.inf
    tf = _floats(_or_org(0.5), slack=1.0)  # a arrives in time: either will do
    assert tf["a"] == tf["b"] == math.inf
    assert tf["x"] == 1.0


def test_or_join_tied_suppliers_both_free():
    tf = _floats(_or_org(1.0))  # both arrive at 2
    assert tf["a"] == tf["b"] == math.inf


def test_and_join_is_classic_cpm():
    G = ic.org_graph()
    for n, w in [("a", 2.0), ("b", 1.0), ("x", 1.0)]:
        ic.add_stakeholder(G, n, work=w)
    ic.add_stakeholder(G, "c", kind="external", start=5.0)
    ic.add_service(G, "a", "x", lead_time=1.0)
    ic.add_service(G, "b", "x")
    ic.add_service(G, "x", "c")
    C = ic.compile(G)
    w, ld = C.work.point(), C.lead_time.point()
    ready, finish = forward(C, w, ld)
    assert dict(zip(C.nodes, finish.tolist(), strict=True)) == {"a": 2, "b": 1, "x": 4, "c": 5}
    lf = backward(C, w, ld, ready, finish, np.array([np.inf, np.inf, np.inf, 5.0]))
    # c is held by its start (5), so x may finish as late as 5
    assert dict(zip(C.nodes, lf.tolist(), strict=True)) == {"a": 3, "b": 4, "x": 5, "c": 5}


def test_backward_without_targets_is_infinite():
    C = ic.compile(ic.datasets.email_campaign())
    w, ld = C.work.point(), C.lead_time.point()
    ready, finish = forward(C, w, ld)
    lf = backward(C, w, ld, ready, finish, np.full(C.n_nodes, np.inf))
    assert np.isinf(lf).all()


@given(
    st.lists(st.integers(1, 6), min_size=1, max_size=12),
    st.integers(1, 5),
    st.integers(0, 2**32 - 1),
)
def test_segments_reduce_equals_reduceat(sizes, width, seed):
    from intcust.sim._engine import Segments

    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64)
    x = np.random.default_rng(seed).normal(size=(sum(sizes), width))
    seg = Segments.from_starts(starts, len(x))
    for op in (np.minimum, np.maximum):
        assert np.array_equal(seg.reduce(op, x), op.reduceat(x, starts, axis=0))
    ints = (x > 0).astype(np.int64)
    assert np.array_equal(seg.reduce(np.add, ints), np.add.reduceat(ints, starts, axis=0))
