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
from hypothesis import given, note, settings
from hypothesis import strategies as st

import intcust as ic
from intcust.graph.schema import edge_services, is_blocking
from intcust.sim._delayed import SWEEP_EVERY
from intcust.sim._engine import ends, engine, meets_or
from intcust.sim._point import (
    critical_masks,
    delayed_finish,
    forward,
    latest_finish,
    local_latest,
)
from strategies import organisations, timing_organisations

Times = dict[Hashable, float]


def gating_groups(G: nx.DiGraph, v: Hashable) -> list[list[tuple[Hashable, object]]]:
    """The (supplier, deliverable) services into `v` grouped by deliverable (OR inside,
    AND across)."""
    groups: dict[object, list[tuple[Hashable, object]]] = defaultdict(list)
    for u, _, data in G.in_edges(v, data=True):
        for d in edge_services(data):
            if d.get("blocking") is False or d.get("lag", 0):
                continue
            name = d.get("deliverable")
            key = ("named", name) if name is not None else ("edge", u)
            groups[key].append((u, name))
    return list(groups.values())


def timing_graph(G: nx.DiGraph) -> nx.DiGraph:
    H = nx.DiGraph()
    H.add_nodes_from(G)
    H.add_edges_from((u, v) for u, v, d in G.edges(data=True) if is_blocking(d))
    return H


Leads = dict[tuple[Hashable, Hashable, object], float]


def reference_finish(G: nx.DiGraph, work: Times, lead: Leads) -> Times:
    """Finish times by the definition, in plain Python over networkx."""
    finish: Times = {}
    for v in nx.topological_sort(timing_graph(G)):
        groups = gating_groups(G, v)
        ready = max(
            (min(finish[u] + lead[u, v, name] for u, name in g) for g in groups), default=0.0
        )
        begin = max(ready, float(G.nodes[v].get("start") or 0.0))
        finish[v] = begin + work[v]
    return finish


def simpy_finish(G: nx.DiGraph, work: Times, lead: Leads) -> Times:
    """Finish times from a SimPy process simulation: all_of over deliverables, any_of
    among alternative suppliers, timeouts for lead times, start and work."""
    simpy = pytest.importorskip("simpy", reason="SimPy is not installed")
    env = simpy.Environment()
    done = {v: env.event() for v in G}
    finish: Times = {}

    def hand_off(u: Hashable, v: Hashable, name: object, arrived: object) -> object:
        yield done[u]
        yield env.timeout(lead[u, v, name])
        arrived.succeed()  # type: ignore[attr-defined]

    def stakeholder(v: Hashable) -> object:
        needs = []
        for group in gating_groups(G, v):
            arrivals = []
            for u, name in group:
                ev = env.event()
                env.process(hand_off(u, v, name, ev))
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


def point_times(C: ic.CompiledOrg, work: np.ndarray, lead: np.ndarray) -> tuple[Times, Leads]:
    names = [C.deliverables[k] if k >= 0 else None for k in C.deliverable.tolist()]
    return (
        dict(zip(C.nodes, work.tolist(), strict=True)),
        {
            (C.nodes[s], C.nodes[d], name): float(x)
            for s, d, name, x in zip(
                C.src.tolist(), C.dst.tolist(), names, lead.tolist(), strict=True
            )
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
            for u, _ in group:
                for a in nx.ancestors(H, u) | {u}:
                    seen[a] += 1
            out |= {a for a, k in seen.items() if k >= 2}
    return out


# -- forward ---------------------------------------------------------------------------


def _scenarios(C: ic.CompiledOrg, n: int, seed: int):
    """Sampled scenarios of the Monte Carlo engine, with their lead times."""
    from intcust.sim._engine import ends
    from intcust.sim._sampling import SamplingSpec, scenarios

    spec = SamplingSpec(
        entropy=seed,
        spawn_key=(),
        n=n,
        dtype="float64",
        rho=None,
        customers=C.external,
        ends=ends(C),
    )
    return scenarios(C, spec, 0, n, keep_lead=True)


@pytest.mark.oracle
@given(G=organisations(max_nodes=9), seed=st.integers(0, 2**32 - 1))
@settings(max_examples=40)
def test_forward_matches_simpy_and_reference(G, seed):
    C = ic.compile(G)
    sc = _scenarios(C, 3, seed)
    runs = [(C.work.point("mode"), C.lead_time.point("mode"))]
    runs += [(sc.work[k], sc.lead[k]) for k in range(3)]
    for k, (w, ld) in enumerate(runs):
        _, fin = forward(C, w, ld)
        wd, ldd = point_times(C, w, ld)
        sim = simpy_finish(G, wd, ldd)
        ref = reference_finish(G, wd, ldd)
        for i, v in enumerate(C.nodes):
            assert fin[i] == pytest.approx(sim[v], rel=1e-9, abs=1e-9), v
            assert fin[i] == pytest.approx(ref[v], rel=1e-12, abs=1e-12), v
            if k:
                assert sc.finish[k - 1, i] == fin[i]


@given(G=organisations(max_nodes=9), seed=st.integers(0, 2**32 - 1))
@settings(max_examples=40)
def test_delayed_finish_equals_full_forward(G, seed):
    C = ic.compile(G)
    rng = np.random.default_rng(seed)
    w, ld = C.work.point("mode"), C.lead_time.point("mode")
    _, finish = forward(C, w, ld)
    nodes = rng.permutation(C.n_nodes)[: rng.integers(1, C.n_nodes + 1)]
    amount = float(rng.choice([0.0, 0.25, 1.0, 40.0]))
    got = delayed_finish(C, w, ld, finish, nodes, amount, np.arange(C.n_nodes))
    for k, x in enumerate(nodes):
        w2 = w.copy()
        w2[x] += amount
        np.testing.assert_allclose(got[k], forward(C, w2, ld)[1], rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_delayed_finish_equals_full_forward_on_wide_delays(seed):
    """Generated organisations have hubs whose delay reaches most nodes, where a pass
    recomputes every later position in order instead of queueing nodes one by one;
    both ways agree with full forward passes."""
    C = ic.compile(ic.datasets.generate_org(200, seed=seed))
    assert np.diff(engine(C).plan.out_ptr).max() * SWEEP_EVERY >= C.n_nodes  # some sweep
    w, ld = C.work.point("mode"), C.lead_time.point("mode")
    _, finish = forward(C, w, ld)
    nodes = np.arange(C.n_nodes)
    for amount in (0.5, 40.0):
        got = delayed_finish(C, w, ld, finish, nodes, amount, nodes[::-1])
        for x in nodes:
            w2 = w.copy()
            w2[x] += amount
            want = forward(C, w2, ld)[1][::-1]
            np.testing.assert_allclose(got[x], want, rtol=1e-12, atol=1e-12)


# -- backward --------------------------------------------------------------------------


def _met_targets(C, finish, rng) -> np.ndarray:
    """Targets on some nodes, each met by the baseline (finish plus slack >= 0)."""
    slack = rng.choice([0.0, 0.5, 2.0, 7.0], size=C.n_nodes)
    return np.where(rng.random(C.n_nodes) < 0.4, finish + slack, np.inf)


def _mode_round(G, seed):
    """The mode durations, one forward pass and met targets (`_met_targets`)."""
    C = ic.compile(G)
    w, ld = C.work.point("mode"), C.lead_time.point("mode")
    _, finish = forward(C, w, ld)
    latest = _met_targets(C, finish, np.random.default_rng(seed))
    return C, w, ld, finish, latest


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
def test_local_float_is_exact_where_no_delay_reconverges(G, seed):
    """The edge-local float is never too small; it is exact off reconverging nodes."""
    C, w, ld, finish, latest = _mode_round(G, seed)
    tf = local_latest(C, w, ld, finish, latest) - finish
    assert (tf >= -1e-9).all()
    shared = reconvergent(G)
    for i, v in enumerate(C.nodes):
        eps = 1e-6 * max(1.0, abs(tf[i])) if math.isfinite(tf[i]) else 0.0
        if math.isfinite(tf[i]):
            assert _misses(G, C, w, ld, latest, v, tf[i] + eps), v
        if v not in shared:
            d = tf[i] if math.isfinite(tf[i]) else 1e6
            assert not _misses(G, C, w, ld, latest, v, d), v


@given(G=organisations(max_nodes=9), seed=st.integers(0, 2**32 - 1))
def test_latest_finish_is_exact_everywhere(G, seed):
    """The exact float: delaying a node by it misses nothing, by a little more, a target."""
    C, w, ld, finish, latest = _mode_round(G, seed)
    rule = local_latest(C, w, ld, finish, latest)
    lf = latest_finish(C, w, ld, finish, latest)
    assert (lf <= rule).all()
    tf = lf - finish
    for i, v in enumerate(C.nodes):
        if math.isfinite(tf[i]):
            assert not _misses(G, C, w, ld, latest, v, tf[i]), v
            assert _misses(G, C, w, ld, latest, v, tf[i] + 1e-6 * max(1.0, tf[i])), v
        else:
            assert not _misses(G, C, w, ld, latest, v, 1e6), v


@given(G=organisations(max_nodes=9), seed=st.integers(0, 2**32 - 1))
def test_local_latest_of_several_target_sets_is_each_one_alone(G, seed):
    """One sweep with a column per set of targets gives, bit for bit, what one
    sweep per set gives; the least of the columns is the sweep for all of them."""
    C, w, ld, finish, _ = _mode_round(G, seed)
    rng = np.random.default_rng(seed)
    sets = np.stack([_met_targets(C, finish, rng) for _ in range(3)], axis=1)
    together = local_latest(C, w, ld, finish, sets)
    assert together.shape == sets.shape
    for k in range(sets.shape[1]):
        assert np.array_equal(together[:, k], local_latest(C, w, ld, finish, sets[:, k]))
    union = local_latest(C, w, ld, finish, sets.min(axis=1))
    assert np.array_equal(together.min(axis=1), union)


@pytest.mark.parametrize("seed", [1, 2])
def test_latest_finish_is_exact_on_generated_orgs(seed):
    """Organisations with many alternative suppliers and hubs, against the customers'
    finishes (as `sensitivity` uses them) and against random met targets."""
    G = ic.datasets.generate_org(120, seed=seed)
    C, w, ld, finish, random_targets = _mode_round(G, seed)
    at_ends = np.full(C.n_nodes, np.inf)
    at_ends[ends(C)] = finish[ends(C)]
    for latest in (at_ends, random_targets):
        lf = latest_finish(C, w, ld, finish, latest)
        local = local_latest(C, w, ld, finish, latest)
        assert np.array_equal(latest_finish(C, w, ld, finish, latest, local=local), lf)
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
    _, finish = forward(C, w, ld)
    latest = np.where(C.kind == 3, finish.max() + 0.5, np.inf)
    rule = local_latest(C, w, ld, finish, latest)
    assert rule[C.index["u"]] == math.inf  # the edge-local rule cannot see it
    assert meets_or(C)[C.index["u"]] and not meets_or(C)[C.index["x"]]
    lf = latest_finish(C, w, ld, finish, latest)
    assert lf[C.index["u"]] - finish[C.index["u"]] == pytest.approx(0.5)


def _checked(G: nx.DiGraph, slack: float) -> set[Hashable]:
    """The nodes whose exact float `plan_checks` leaves to forward passes, against the
    makespan plus `slack` at the external customers, and its float of each node."""
    from intcust.sim._exact import plan_checks

    C = ic.compile(G)
    w, ld = C.work.point(), C.lead_time.point()
    _, finish = forward(C, w, ld)
    latest = np.where(C.kind == 3, finish.max() + slack, np.inf)
    E = engine(C)
    N = E.numbering
    P = N.plan
    plan = (P.order, P.group_ptr, P.arc_ptr, P.arc_src, P.out_ptr, P.out_arc, P.group_node,
            P.arc_group)  # fmt: skip
    lead = E.arc_lead(ld)[N.arc]
    out = local_latest(C, w, ld, finish, latest)[N.node]
    goal, flags, reach, todo = E.scratch()
    count, _ = plan_checks(
        *plan, E.start[N.node], w[N.node], lead, finish[N.node], latest[N.node], 1e-9, out,
        goal, flags, reach, todo,
    )  # fmt: skip
    return {C.nodes[N.node[x]] for x in todo[:count]}


def test_only_a_delay_that_reaches_two_alternatives_of_one_deliverable_is_checked():
    """u feeds one of two alternatives for x's parts and one of two for y's; each
    other alternative comes from elsewhere, so u's delay pushes neither deliverable
    past its other supplier and its edge-local float is exact: no forward pass. v
    feeds both alternatives of z's parts: it is checked."""
    G = ic.org_graph()
    for n in ["u", "a", "p", "x", "y", "v", "r", "s", "z"]:
        ic.add_stakeholder(G, n, work=1.0)
    for n in ["b", "q"]:
        ic.add_stakeholder(G, n, work=2.0)  # ties with u's alternative: both first
    ic.add_stakeholder(G, "c", kind="external")
    for src, dst, part in [
        ("u", "a", None), ("u", "p", None), ("a", "x", "parts"), ("b", "x", "parts"),
        ("p", "y", "parts"), ("q", "y", "parts"), ("v", "r", None), ("v", "s", None),
        ("r", "z", "parts"), ("s", "z", "parts"),
    ]:  # fmt: skip
        ic.add_service(G, src, dst, deliverable=part)
    for n in ["x", "y", "z"]:
        ic.add_service(G, n, "c")
    assert _checked(G, slack=0.5) == {"v"}
    floats = _floats(G, slack=0.5)
    assert floats["u"] == math.inf
    assert floats["v"] == pytest.approx(0.5)


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
    _, finish = forward(C, w, ld)
    latest = np.where(C.kind == 3, finish.max() + slack, np.inf)
    lf = latest_finish(C, w, ld, finish, latest)
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
    _, finish = forward(C, w, ld)
    assert dict(zip(C.nodes, finish.tolist(), strict=True)) == {"a": 2, "b": 1, "x": 4, "c": 5}
    lf = latest_finish(C, w, ld, finish, np.array([np.inf, np.inf, np.inf, 5.0]))
    # c is held by its start (5), so x may finish as late as 5
    assert dict(zip(C.nodes, lf.tolist(), strict=True)) == {"a": 3, "b": 4, "x": 5, "c": 5}


def test_no_targets_means_infinite_float():
    C = ic.compile(ic.datasets.email_campaign())
    w, ld = C.work.point(), C.lead_time.point()
    _, finish = forward(C, w, ld)
    lf = latest_finish(C, w, ld, finish, np.full(C.n_nodes, np.inf))
    assert np.isinf(lf).all()


# -- who is critical for whom ------------------------------------------------------------


def _delta(C, w, ld, finish) -> float | None:
    """A delay for brute force: above the engine's tie tolerance, below every real gap
    between the times a scenario compares; None when the gaps are too close to call."""
    e = np.flatnonzero(C.gate)
    times = np.concatenate([finish, finish[C.src[e]] + ld[e], C.start])
    times = np.unique(times[np.isfinite(times)])
    scale = max(1.0, float(np.abs(times).max(initial=0.0)))
    gaps = np.diff(times)
    real = gaps[gaps > 1e-9 * np.maximum(1.0, np.abs(times[1:]))]  # not a tie for the engine
    if not len(real):
        return 1.0
    if real.min() < 16e-9 * scale:
        return None
    return float(real.min()) / 8


def brute_force_critical(G, C, w, ld) -> np.ndarray | None:
    """Which node moves which target when its work alone is a little longer, by brute
    force: one forward pass per node. Targets: the external customers, then the makespan."""
    from intcust.sim._engine import ends

    wd, ldd = point_times(C, w, ld)
    base = reference_finish(G, wd, ldd)
    _, finish = forward(C, w, ld)
    delta = _delta(C, w, ld, finish)
    if delta is None:
        return None
    targets = C.names(C.external)
    end = C.names(ends(C))
    out = np.zeros((C.n_nodes, len(targets) + 1), dtype=bool)
    span0 = max((base[t] for t in end), default=0.0)
    for i, x in enumerate(C.nodes):
        wd2 = dict(wd)
        wd2[x] += delta
        fin = reference_finish(G, wd2, ldd)
        for k, t in enumerate(targets):
            out[i, k] = fin[t] - base[t] > delta / 2
        out[i, -1] = max((fin[t] for t in end), default=0.0) - span0 > delta / 2
    return out


@given(G=timing_organisations(), seed=st.integers(0, 2**32 - 1))
@settings(max_examples=60)
def test_critical_sets_equal_brute_force_in_every_scenario(G, seed):
    """Zero mismatches between the engine's critical sets and brute-force delays,
    scenario by scenario, for every external customer and the makespan."""
    C = ic.compile(G)
    note(f"nodes {dict(G.nodes(data=True))}; edges {list(G.edges(data=True))}")
    sc = _scenarios(C, 4, seed)
    bits = np.unpackbits(sc.critical.view(np.uint8), axis=2, bitorder="little")
    k = len(C.external) + 1
    for s in range(4):
        want = brute_force_critical(G, C, sc.work[s], sc.lead[s])
        note(f"scenario {s}: work {sc.work[s].tolist()}, lead {sc.lead[s].tolist()}")
        if want is not None:
            assert np.array_equal(bits[s, :, :k].astype(bool), want), s
    # the point estimates of `critical_masks` agree with brute force too
    w, ld = C.work.point(), C.lead_time.point()
    got = critical_masks(C, w, ld, C.external)
    want = brute_force_critical(G, C, w, ld)
    if want is not None:
        assert np.array_equal(got, want)


@given(G=timing_organisations(), seed=st.integers(0, 2**32 - 1))
@settings(max_examples=40)
def test_float32_and_float64_agree_on_integer_durations(G, seed):
    for _, d in G.nodes(data=True):
        if not isinstance(d.get("work", 0.0), float | int):
            d["work"] = float(seed % 4)
    for _, _, d in G.edges(data=True):
        for service in edge_services(d):
            if not isinstance(service.get("lead_time", 0.0), float | int):
                service["lead_time"] = 1.0  # type: ignore[index]
    C = ic.compile(G)
    w, ld = C.work.point(), C.lead_time.point()
    _, f64 = forward(C, w, ld)
    _, f32 = forward(C, w.astype(np.float32), ld.astype(np.float32))
    assert np.array_equal(f64, f32.astype(np.float64))
    from intcust.sim._engine import tie_tolerance

    m64 = critical_masks(C, w, ld, C.external, tie_tolerance(np.float64))
    m32 = critical_masks(
        C,
        w.astype(np.float32),
        ld.astype(np.float32),
        C.external,
        tie_tolerance(np.float32),
    )
    assert np.array_equal(m64, m32)


@given(
    G=timing_organisations(),
    seed=st.integers(0, 2**32 - 1),
    n=st.integers(1, 9),
    dtype=st.sampled_from(["float64", "float32"]),
)
@settings(max_examples=40)
def test_monte_carlo_counts_the_critical_sets_of_its_scenarios(G, seed, n, dtype):
    """`monte_carlo` simulates scenarios two at a time (and a block's odd last one
    beside a copy of itself); its criticality is the share of the scenario rows,
    checked against brute force above, in which each node is critical."""
    from intcust.sim._engine import ends
    from intcust.sim._sampling import SamplingSpec, scenarios

    C = ic.compile(G)
    spec = SamplingSpec(
        entropy=seed, spawn_key=(), n=n, dtype=dtype, rho=None, customers=C.external, ends=ends(C)
    )
    sc = scenarios(C, spec, 0, n)
    k = len(C.external) + 1
    bits = np.unpackbits(sc.critical.view(np.uint8), axis=2, bitorder="little")[:, :, :k]
    mc = ic.sim.monte_carlo(C, n, seed=seed, dtype=np.dtype(dtype).type)
    assert np.array_equal(mc.makespan_samples, sc.makespan)
    for i, v in enumerate(C.nodes):
        assert mc.criticality[v] == bits[:, i, -1].mean()
        for j, c in enumerate(mc.customers):
            assert mc.criticality_by_customer[v][str(c)] == bits[:, i, j].mean()


# -- the kernels' numbering -------------------------------------------------------------


@given(G=timing_organisations(max_nodes=9), seed=st.integers(0, 2**32 - 1))
@settings(max_examples=40)
def test_kernel_numbering_changes_where_numbers_are_stored_not_the_numbers(G, seed):
    """The Monte Carlo kernels run on the plan renumbered in topological order; run on
    the engine's own numbering instead, every row is the same, bit for bit."""
    from intcust.sim._engine import ends, engine, tie_tolerance
    from intcust.sim._random import rare_flag
    from intcust.sim._sampling import SamplingSpec, scenarios, tables
    from intcust.sim._scenarios import simulate

    C = ic.compile(G)
    E = engine(C)
    N = E.numbering
    assert np.array_equal(N.plan.order, np.arange(C.n_nodes))  # a DAG: read front to back
    assert np.array_equal(N.node, E.plan.order)
    n, K = 5, len(C.external)
    spec = SamplingSpec(
        entropy=seed, spawn_key=(), n=n, dtype="float64", rho=None,
        customers=C.external, ends=ends(C),
    )  # fmt: skip
    ours = scenarios(C, spec, 0, n, keep_lead=True)
    P, (wt, lt) = E.plan, tables(C)
    words = (K + 1 + 63) // 64
    work, finish = np.empty((n, C.n_nodes)), np.empty((n, C.n_nodes))
    lead, critical = np.empty((n, P.n_arcs)), np.zeros((n, C.n_nodes, words), np.uint64)
    customers, makespan = np.empty((n, K)), np.empty(n)
    simulate(
        P.order, E.pos, P.group_ptr, P.arc_ptr, P.arc_src, P.out_ptr, P.out_arc, P.group_node,
        P.arc_group, E.start, wt.fixed, wt.random, wt.kind_ptr, wt.param, wt.cheng, wt.pool,
        lt.fixed, lt.random, lt.kind_ptr, lt.param, lt.cheng, lt.pool,
        np.zeros((0, C.n_nodes)), np.zeros((0, P.n_arcs)), np.uint64(spec.key), 0,
        rare_flag(wt, lt),
        C.external, ends(C), tie_tolerance(np.float64),
        work, lead, finish, critical, customers, makespan, 0, n,
    )  # fmt: skip
    assert np.array_equal(ours.work, work)
    assert np.array_equal(ours.finish, finish)
    assert np.array_equal(ours.critical, critical)
    assert np.array_equal(ours.lead[:, P.arc_row], lead)
    assert np.array_equal(ours.customers, customers)
    assert np.array_equal(ours.makespan, makespan)
