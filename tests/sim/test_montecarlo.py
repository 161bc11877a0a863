"""Tests of `intcust.sim.monte_carlo`: reproducibility, exactness, convergence, indices."""

from __future__ import annotations

import json
import math
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from typing import Any

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import intcust as ic
from intcust.errors import ParameterError, UnknownNodeError
from intcust.graph.schema import edge_services
from intcust.sim import MonteCarloResult, monte_carlo
from intcust.sim._engine import ends
from intcust.sim._point import critical_masks, forward, latest_finish
from intcust.sim._sampling import BLOCK, SamplingSpec, draw_block, scenarios
from intcust.sim.cpm import schedule
from intcust.sim.montecarlo import default_chunk
from strategies import organisations


def assert_identical(a: MonteCarloResult, b: MonteCarloResult) -> None:
    """Bit-for-bit equality of everything a result holds."""
    assert np.array_equal(a.makespan_samples, b.makespan_samples)
    assert np.array_equal(a.customer_samples, b.customer_samples)
    assert a.nodes.keys() == b.nodes.keys()
    for name in a.nodes:
        assert dict(a.nodes[name]) == dict(b.nodes[name]), name
    assert a.to_dict() == b.to_dict()


def risky_org() -> nx.DiGraph:
    """Two units, every duration family, an OR join, two customers with due dates."""
    G = ic.org_graph(name="risky", time_unit="day")
    ic.add_stakeholder(G, "a", unit="U", work=ic.sim.PERT(1, 2, 6))
    ic.add_stakeholder(G, "b", unit="U", work=ic.sim.Triangular(0.5, 1, 4))
    ic.add_stakeholder(G, "c", unit="V", work=ic.sim.LogNormal(0.0, 0.4))
    ic.add_stakeholder(G, "d", unit="V", work=ic.sim.Empirical([1, 2, 2, 5]))
    ic.add_stakeholder(G, "e", work=ic.sim.Uniform(0, 3), start=1.0)
    ic.add_stakeholder(G, "x", kind="external", due=9.0)
    ic.add_stakeholder(G, "y", kind="external", due=6.0)
    ic.add_service(G, "a", "c", deliverable="spec", lead_time=ic.sim.Uniform(0, 1))
    ic.add_service(G, "b", "c", deliverable="spec", lead_time=0.5)  # OR with a
    ic.add_service(G, "b", "d", lead_time=ic.sim.Triangular(0, 0.5, 2))
    ic.add_service(G, "c", "x")
    ic.add_service(G, "d", "x")
    ic.add_service(G, "e", "y", lead_time=1.0)
    ic.add_service(G, "d", "y")
    return G


# --- reproducibility -----------------------------------------------------------


@pytest.mark.parametrize("correlation", [None, 0.6, {"U": 1.0}])
def test_same_numbers_for_any_chunk_size(correlation: Any) -> None:
    G = risky_org()
    n = 3 * BLOCK + 17
    ref = monte_carlo(G, n, seed=42, correlation=correlation, deadline=8.0)
    for chunk in (1, 7, BLOCK, BLOCK + 5, 2 * BLOCK, n):
        assert_identical(
            ref,
            monte_carlo(G, n, seed=42, correlation=correlation, deadline=8.0, chunk_size=chunk),
        )


def test_other_seeds_give_other_numbers() -> None:
    G = risky_org()
    a = monte_carlo(G, 100, seed=1).makespan_samples
    b = monte_carlo(G, 100, seed=2).makespan_samples
    assert not np.array_equal(a, b)


def test_prefix_of_a_longer_run_is_the_shorter_run_in_whole_blocks() -> None:
    G = risky_org()
    short = monte_carlo(G, 2 * BLOCK, seed=5).makespan_samples
    long = monte_carlo(G, 5 * BLOCK, seed=5).makespan_samples
    assert np.array_equal(short, long[: 2 * BLOCK])


def test_seed_none_records_entropy_that_repeats_the_run() -> None:
    G = risky_org()
    first = monte_carlo(G, 150)
    assert isinstance(first.seed, int)
    assert_identical(first, monte_carlo(G, 150, seed=first.seed))


def test_seed_sequence_and_generator() -> None:
    G = risky_org()
    ss = np.random.SeedSequence(7)
    assert_identical(monte_carlo(G, 70, seed=ss), monte_carlo(G, 70, seed=7))
    a = monte_carlo(G, 70, seed=np.random.default_rng(3))
    b = monte_carlo(G, 70, seed=np.random.default_rng(3))
    assert_identical(a, b)


def test_thread_and_process_executors_match_serial() -> None:
    G = risky_org()
    n = 4 * BLOCK + 3
    ref = monte_carlo(G, n, seed=9, correlation=0.5)
    with ThreadPoolExecutor(2) as pool:
        assert_identical(
            ref, monte_carlo(G, n, seed=9, correlation=0.5, executor=pool, chunk_size=7)
        )
    with ProcessPoolExecutor(2) as pool:
        assert_identical(
            ref, monte_carlo(G, n, seed=9, correlation=0.5, executor=pool, chunk_size=BLOCK)
        )


@pytest.mark.parametrize("processes", [False, True])
def test_dask_local_cluster_matches_serial(processes: bool) -> None:
    distributed = pytest.importorskip("distributed", reason="dask.distributed is not installed")
    G = risky_org()
    n = 3 * BLOCK + 11
    ref = monte_carlo(G, n, seed=11)
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=processes, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        for chunk in (1, 7, n):
            assert_identical(ref, monte_carlo(G, n, seed=11, executor=client, chunk_size=chunk))


def test_progress_reports_every_chunk_up_to_n() -> None:
    calls: list[tuple[int, int]] = []
    monte_carlo(
        risky_org(),
        3 * BLOCK + 1,
        seed=0,
        chunk_size=BLOCK,
        progress=lambda done, n: calls.append((done, n)),
    )
    assert calls == [
        (BLOCK, 3 * BLOCK + 1),
        (2 * BLOCK, 3 * BLOCK + 1),
        (3 * BLOCK, 3 * BLOCK + 1),
        (3 * BLOCK + 1, 3 * BLOCK + 1),
    ]


def test_progress_with_an_executor_is_monotone_and_complete() -> None:
    calls: list[int] = []
    with ThreadPoolExecutor(2) as pool:
        monte_carlo(
            risky_org(),
            5 * BLOCK,
            seed=0,
            chunk_size=BLOCK,
            executor=pool,
            progress=lambda done, n: calls.append(done),
        )
    assert calls == sorted(calls)
    assert calls[-1] == 5 * BLOCK
    assert len(calls) == 5


# --- exactness on fixed durations ---------------------------------------------


def fixed_point(G: nx.DiGraph) -> nx.DiGraph:
    """A copy of `G` whose durations are their modes."""
    H = G.copy()
    for _, d in H.nodes(data=True):
        d["work"] = ic.sim.as_duration(d.get("work") or 0).mode
    for _, _, d in H.edges(data=True):
        for service in edge_services(d):
            service["lead_time"] = ic.sim.as_duration(service.get("lead_time") or 0).mode  # type: ignore[index]
    return H


@given(organisations(max_nodes=8, all_attributes=False))
@settings(max_examples=25)
def test_fixed_durations_reproduce_the_forward_pass(G: nx.DiGraph) -> None:
    H = fixed_point(G)
    C = ic.compile(H)
    w, ld = C.work.point(), C.lead_time.point()
    _, finish = forward(C, w, ld)
    end = ends(C)
    t = finish[end].max()
    critical = critical_masks(C, w, ld, C.external)
    mc = monte_carlo(H, 70, seed=0, chunk_size=7)
    assert np.all(mc.makespan_samples == t)
    for k, c in enumerate(mc.customers):
        assert np.all(mc.customer_samples[k] == finish[C.index[c]])
        assert mc.quantile(0.1, c) == mc.quantile(0.9, c) == finish[C.index[c]]
    assert mc.quantile(0.1) == mc.quantile(0.9) == t
    assert [mc.criticality[v] for v in C.nodes] == critical[:, -1].astype(float).tolist()
    for k, c in enumerate(mc.customers):
        column = mc.criticality_by_customer.column(str(c))
        assert [column[v] for v in C.nodes] == critical[:, k].astype(float).tolist()
    assert all(v == 0.0 for v in mc.cruciality.values())  # no variance, no correlation


def test_fixed_email_campaign_matches_the_schedule() -> None:
    G = fixed_point(ic.datasets.email_campaign())
    sch = schedule(G)
    mc = monte_carlo(G, 10, seed=0)
    assert mc.quantile(0.5) == sch.makespan
    assert {v for v, c in mc.criticality.items() if c == 1.0} == set(sch.critical_nodes)
    assert all(c in (0.0, 1.0) for c in mc.criticality.values())


def test_email_campaign_designer_stalls_the_team() -> None:
    mc = monte_carlo(ic.datasets.email_campaign(), 2000, seed=1)
    assert mc.stallers(1)[0][0] == "designer"
    assert mc.criticality["designer"] > 0.99
    assert mc.criticality["list keeper"] < 0.01
    assert mc.criticality["customers"] == 1.0
    assert mc.stall["customers"] == 0.0  # always critical, but does no work


# --- convergence ---------------------------------------------------------------


def two_suppliers(join: str) -> nx.DiGraph:
    """Two U(0, 1) suppliers of one external customer, AND or OR joined."""
    G = ic.org_graph()
    for name in ("a", "b"):
        ic.add_stakeholder(G, name, unit="U", work=ic.sim.Uniform(0.0, 1.0))
    ic.add_stakeholder(G, "c", kind="external", due=0.5)
    shared = {"deliverable": "part"} if join == "or" else {}
    ic.add_service(G, "a", "c", **shared)
    ic.add_service(G, "b", "c", **shared)
    return G


@pytest.mark.parametrize(
    ("join", "ppf", "cdf"),
    [
        ("and", math.sqrt, lambda x: x * x),  # max of two uniforms
        ("or", lambda q: 1 - math.sqrt(1 - q), lambda x: 1 - (1 - x) ** 2),
    ],  # min
)
def test_quantiles_converge_to_the_analytic_answer(join: str, ppf: Any, cdf: Any) -> None:
    mc = monte_carlo(two_suppliers(join), 40_000, seed=3)
    for q in (0.1, 0.5, 0.8, 0.9, 0.33):
        assert mc.quantile(q, "c") == pytest.approx(ppf(q), abs=0.01)
        assert mc.quantile(q) == mc.quantile(q, "c")  # the only external customer
    assert mc.p_on_time["c"] == pytest.approx(cdf(0.5), abs=0.01)
    # the later (AND) or earlier (OR) supplier is critical: each in half the scenarios
    assert mc.criticality["a"] == pytest.approx(0.5, abs=0.01)
    assert mc.criticality["a"] + mc.criticality["b"] == pytest.approx(1.0, abs=1e-12)
    assert mc.criticality["c"] == 1.0


def test_deadline_probability() -> None:
    mc = monte_carlo(two_suppliers("and"), 20_000, seed=4, deadline=0.7)
    assert mc.p_deadline == pytest.approx(0.49, abs=0.015)
    assert monte_carlo(two_suppliers("and"), 10, seed=4).p_deadline is None


def test_correlation_one_makes_a_unit_comonotonic() -> None:
    from scipy.stats import spearmanr

    G = risky_org()
    C = ic.compile(G)
    units = {u: i for i, u in enumerate(C.units)}
    for rho, expect_one in ((1.0, True), (0.0, False)):
        spec = SamplingSpec(
            entropy=1,
            spawn_key=(),
            n=BLOCK,
            dtype="float64",
            rho=np.full(len(C.units), rho),
            customers=C.external,
            ends=ends(C),
        )
        work, lead = draw_block(C, spec, 0)
        a, b, c, d = (work[C.index[v]] for v in "abcd")
        ab = spearmanr(a, b).statistic
        assert bool(ab == pytest.approx(1.0)) is expect_one
        # d is empirical (ties): comonotonic means non-decreasing in c
        assert bool(np.all(np.diff(d[np.argsort(c)]) >= 0)) is expect_one
        # the edge a -> c belongs to a's unit U
        ac = spearmanr(a, lead[C.edge_id("a", "c")]).statistic
        assert bool(ac == pytest.approx(1.0)) is expect_one
        assert abs(spearmanr(a, c).statistic) < 0.5  # units U and V stay independent
    assert units == {"U": 0, "V": 1}


def test_correlation_raises_the_spread_of_the_makespan() -> None:
    G = risky_org()
    independent = monte_carlo(G, 4000, seed=2).makespan_samples.std()
    correlated = monte_carlo(G, 4000, seed=2, correlation=1.0).makespan_samples.std()
    assert correlated > independent


# --- the indices against a direct computation ------------------------------------


def test_indices_match_numpy_on_the_scenarios() -> None:
    """Every index from the scenarios themselves: forward passes, exact floats and
    critical sets one scenario at a time, then plain numpy."""
    G = risky_org()
    C = ic.compile(G)
    n = 2 * BLOCK + 30
    mc = monte_carlo(G, n, seed=21, chunk_size=13, significance=True)
    spec = SamplingSpec(
        entropy=21,
        spawn_key=(),
        n=n,
        dtype="float64",
        rho=None,
        customers=C.external,
        ends=ends(C),
    )
    sc = scenarios(C, spec, 0, n, keep_lead=True)
    work, lead = sc.work.T, sc.lead.T
    finish = np.empty_like(work)
    tf = np.empty_like(work)
    critical = np.empty((C.n_nodes, len(C.external) + 1, n), dtype=bool)
    for s in range(n):
        _, finish[:, s] = forward(C, work[:, s], lead[:, s])
        t_s = finish[C.external, s].max()
        latest = np.full(C.n_nodes, np.inf)
        latest[C.external] = t_s
        tf[:, s] = latest_finish(C, work[:, s], lead[:, s], finish[:, s], latest) - finish[:, s]
        critical[:, :, s] = critical_masks(C, work[:, s], lead[:, s], C.external)
    t = finish[C.external].max(axis=0)
    assert np.array_equal(t, mc.makespan_samples)
    for i, v in enumerate(C.nodes):
        corr = np.corrcoef(work[i], t)[0, 1] if work[i].std() > 0 else 0.0
        assert mc.cruciality[v] == pytest.approx(corr, abs=1e-12)
        ratio = np.where(work[i] > 0, work[i] / np.where(work[i] > 0, work[i] + tf[i], 1), 0.0)
        assert mc.significance[v] == pytest.approx(np.mean(ratio * t / t.mean()), rel=1e-12)
        assert mc.criticality[v] == critical[i, -1].mean()
        assert mc.stall[v] == pytest.approx(
            np.mean(work[i] * critical[i, -1]) / t.mean(), rel=1e-12, abs=1e-15
        )
        for k, c in enumerate(mc.customers):
            fin_c = finish[C.index[c]]
            assert mc.criticality_by_customer[v][str(c)] == critical[i, k].mean()
            assert mc.stall_by_customer[v][str(c)] == pytest.approx(
                np.mean(work[i] * critical[i, k]) / fin_c.mean(), rel=1e-12, abs=1e-15
            )
        assert mc.mean_finish[v] == pytest.approx(finish[i].mean(), rel=1e-12)
    # the zero-float nodes are the nodes critical for the makespan
    assert np.array_equal(tf <= 1e-9 * np.maximum(t, 1), critical[:, -1])


def designer_and_two_clerks(work: object = None) -> nx.DiGraph:
    """The designer feeds two clerks who are alternatives for the guests' booking."""
    G = ic.org_graph(name="front office")
    ic.add_stakeholder(G, "designer", unit="Marketing", work=work or ic.sim.PERT(1, 2, 4))
    for clerk in ("clerk 1", "clerk 2"):
        ic.add_stakeholder(G, clerk, unit="Front office", work=1.0)
        ic.add_service(G, "designer", clerk, deliverable="e-mail design")
        ic.add_service(G, clerk, "guests", deliverable="booking", lead_time=0.5)
    ic.add_stakeholder(G, "guests", kind="external", due=4.0)
    return G


def test_designer_feeding_two_clerks_is_critical_for_the_guests_in_every_scenario() -> None:
    mc = monte_carlo(designer_and_two_clerks(), 1000, seed=1, significance=True)
    assert mc.criticality_by_customer["designer"]["guests"] == 1.0
    assert mc.criticality["designer"] == 1.0
    assert mc.stall["designer"] > 0.5
    # the clerks tie: neither alone moves the guests
    assert mc.criticality["clerk 1"] == mc.criticality["clerk 2"] == 0.0
    # the significance uses the exact float: the designer has none
    assert mc.significance["designer"] > 0.5
    # as a unit, the front office is critical (both clerks slip together)
    units = monte_carlo(designer_and_two_clerks(), 1000, seed=1, level="unit")
    assert units.criticality_by_customer["Front office"]["guests"] == 1.0
    assert units.criticality_by_customer["Marketing"]["guests"] == 1.0
    assert units.stall["Front office"] == 0.0  # no one clerk alone is ever critical
    with pytest.raises(ParameterError, match="level 'unit'"):
        _ = units.significance
    with pytest.raises(ParameterError, match="significance=True"):
        _ = monte_carlo(designer_and_two_clerks(), 10, seed=1).significance


@pytest.mark.parametrize("chunk_size", [BLOCK, 10 * BLOCK])
def test_blocks_after_the_first_tie_at_a_critical_node_run_with_the_tight_graph(chunk_size):
    """Clerk 2 ties with clerk 1 in one scenario in 200: the Monte Carlo kernel, first
    compiled without the tight graph M, meets the first tie in a later block and runs
    the blocks from there again with M; every count equals the scenario rows'."""
    from intcust.graph.durations import Empirical

    G = designer_and_two_clerks()
    G.nodes["clerk 2"]["work"] = Empirical([1.5] * 199 + [1.0])
    C = ic.compile(G)
    n, seed = 1280, 3
    spec = SamplingSpec(
        entropy=seed, spawn_key=(), n=n, dtype="float64", rho=None, customers=C.external,
        ends=ends(C),
    )  # fmt: skip
    sc = scenarios(C, spec, 0, n)
    tie = sc.work[:, C.index["clerk 2"]] == 1.0
    assert np.flatnonzero(tie)[0] >= BLOCK and tie.sum() >= 2  # not in the first block
    mc = monte_carlo(C, n, seed=seed, chunk_size=chunk_size)
    assert mc.criticality["designer"] == 1.0
    assert mc.criticality["clerk 1"] == 1.0 - tie.mean()  # alone first, except at ties
    bits = np.unpackbits(sc.critical.view(np.uint8), axis=2, bitorder="little")
    for i, v in enumerate(C.nodes):
        assert mc.criticality[v] == bits[:, i, 1].mean()


def test_on_time_uses_the_schedules_tie_tolerance() -> None:
    G = ic.org_graph()
    ic.add_stakeholder(G, "a", work=0.1)
    ic.add_stakeholder(G, "c", kind="external", due=0.3)
    ic.add_service(G, "a", "c", lead_time=0.2)
    assert not schedule(G).late
    mc = monte_carlo(G, 10, seed=0, deadline=0.3)
    assert mc.p_on_time == {"c": 1.0}
    assert mc.p_deadline == 1.0


@given(organisations(max_nodes=8, all_attributes=False), st.integers(1, 3 * BLOCK))
@settings(max_examples=20)
def test_results_on_random_organisations_are_finite_and_in_range(G: nx.DiGraph, n: int) -> None:
    mc = monte_carlo(G, n, seed=0, chunk_size=50, significance=True)
    # the default chunk; significance changes no other number
    plain = monte_carlo(G, n, seed=0, correlation=None)
    assert_identical(mc, monte_carlo(G, n, seed=0, correlation=None, significance=True))
    for name in plain.nodes:
        assert dict(plain.nodes[name]) == dict(mc.nodes[name])
    assert mc.makespan_samples.shape == (n,)
    assert np.isfinite(mc.makespan_samples).all()
    assert np.isfinite(mc.customer_samples).all()
    for name, scores in mc.nodes.items():
        values = np.array(list(scores.values()))
        assert np.isfinite(values).all(), name
        assert set(scores) == set(G), name
    assert all(0 <= v <= 1 for v in mc.criticality.values())
    assert all(-1 <= v <= 1 for v in mc.cruciality.values())
    assert all(0 <= v <= 1 + 1e-12 for v in mc.significance.values())
    # every scenario has a critical node: the end that sets the makespan
    assert sum(mc.criticality.values()) >= 1 - 1e-12
    assert mc.customer_samples.max(initial=0) <= mc.makespan_samples.max()


# --- dtype, inputs and errors --------------------------------------------------


def test_float32_is_close_to_float64() -> None:
    G = risky_org()
    a = monte_carlo(G, 500, seed=8)
    b = monte_carlo(G, 500, seed=8, dtype=np.float32)
    np.testing.assert_allclose(b.makespan_samples, a.makespan_samples, rtol=1e-5)
    for v, c in a.criticality.items():  # near-ties of the OR join may round either way
        assert b.criticality[v] == pytest.approx(c, abs=0.02)


def test_compiled_organisation_is_accepted() -> None:
    G = risky_org()
    assert_identical(monte_carlo(ic.compile(G), 90, seed=1), monte_carlo(G, 90, seed=1))


def test_no_external_customer_still_reports_the_makespan() -> None:
    G = ic.org_graph()
    ic.add_stakeholder(G, "a", work=ic.sim.Uniform(1, 2))
    ic.add_stakeholder(G, "b", work=1.0)
    ic.add_service(G, "a", "b", lead_time=0.5)
    mc = monte_carlo(G, 300, seed=0, deadline=3.0)
    assert mc.customers == ()
    assert mc.customer_samples.shape == (0, 300)
    assert mc.p_on_time == {}
    assert 2.5 <= mc.quantile(0.1) <= mc.quantile(0.9) <= 3.5
    assert mc.p_deadline == pytest.approx(0.5, abs=0.1)
    assert "makespan" in mc.summary_lines()[1]


@pytest.mark.parametrize(
    ("kwargs", "param"),
    [
        ({"n": 0}, "'n'"),
        ({"n": 2.5}, "'n'"),
        ({"seed": -1}, "'seed'"),
        ({"seed": 1.5}, "'seed'"),
        ({"seed": "x"}, "'seed'"),
        ({"seed": True}, "'seed'"),
        ({"chunk_size": 0}, "'chunk_size'"),
        ({"correlation": 1.5}, "'correlation'"),
        ({"correlation": -0.1}, "'correlation'"),
        ({"correlation": {"Nowhere": 0.5}}, "'correlation'"),
        ({"correlation": {"U": 2}}, "correlation['U']"),
        ({"deadline": math.nan}, "'deadline'"),
        ({"dtype": np.int64}, "'dtype'"),
        ({"quantiles": (0.5, 1.5)}, "'quantiles'"),
        ({"executor": object()}, "'executor'"),
        ({"progress": 3}, "'progress'"),
    ],
)
def test_bad_arguments_name_the_parameter(kwargs: dict[str, Any], param: str) -> None:
    args = {"n": 10, **kwargs}
    with pytest.raises(ParameterError, match=r"monte_carlo") as err:
        monte_carlo(risky_org(), **args)
    assert param in str(err.value)


def test_bad_graph_and_empty_graph() -> None:
    with pytest.raises(ParameterError, match="'G' parameter of monte_carlo"):
        monte_carlo({"a": 1}, 10)  # type: ignore[arg-type]
    with pytest.raises(ParameterError, match="at least one node"):
        monte_carlo(ic.org_graph(), 10)


# --- the result object -------------------------------------------------------


def test_result_api() -> None:
    mc = monte_carlo(
        risky_org(), 400, seed=1, deadline=8.0, quantiles=(0.25, 0.975), significance=True
    )
    assert set(mc.finish_quantiles) == {"x", "y"}
    assert list(mc.makespan_quantiles) == ["P25", "P97.5"]
    assert mc.quantile(0.0) == mc.makespan_samples.min()
    assert mc.quantile(1.0, "x") == mc.customer_samples[0].max()
    assert set(mc.p_on_time) == {"x", "y"}
    d = mc.to_dict()
    assert json.loads(json.dumps(d)) == d
    assert d["customers"]["y"]["due"] == 6.0
    assert set(d["nodes"]["a"]) == {
        "criticality",
        "cruciality",
        "significance",
        "stall",
        "mean_finish",
    }
    stallers = mc.stallers(3)
    assert [v for _, v in stallers] == sorted((v for _, v in stallers), reverse=True)
    assert "MonteCarloResult(n=400" in repr(mc)
    html = mc._repr_html_()
    assert html.count("<table>") == 2
    assert "P97.5" in html
    lines = mc.summary_lines()
    assert lines[0].startswith("Monte Carlo: 400 scenarios")
    assert any("P(<= deadline 8)" in line for line in lines)
    assert mc.samples("x") is not mc.samples("y")
    with pytest.raises(ValueError, match="read-only"):
        mc.makespan_samples[0] = 0.0
    with pytest.raises(UnknownNodeError, match="external customer"):
        mc.quantile(0.5, "a")
    with pytest.raises(ParameterError, match="'q'"):
        mc.quantile(1.5)


def test_to_frame() -> None:
    pytest.importorskip("pandas", reason="pandas is not installed")
    frame = monte_carlo(risky_org(), 100, seed=1, significance=True).to_frame()
    assert list(frame.columns) == [
        "criticality",
        "cruciality",
        "significance",
        "stall",
        "mean_finish",
    ]
    assert list(frame.index) == ["a", "b", "c", "d", "e", "x", "y"]


# --- memory ----------------------------------------------------------------------


def test_default_chunk_follows_the_size_of_the_organisation() -> None:
    from types import SimpleNamespace

    from intcust._jit import threads

    floor = 2 * threads() * BLOCK  # every thread gets blocks
    small = ic.compile(ic.datasets.email_campaign())
    assert default_chunk(small) == max(floor, 64 * BLOCK)  # capped at 64 blocks
    large = SimpleNamespace(n_nodes=20_000, external=np.arange(3))
    per_block = 20_000 * (16 * 4 + 56) + BLOCK * 4 * 8
    expected = max(floor, 2**26 // per_block * BLOCK)
    assert default_chunk(large) == expected  # type: ignore[arg-type]
    assert floor < expected < 64 * BLOCK
    huge = SimpleNamespace(n_nodes=4_000_000, external=np.arange(3))
    assert default_chunk(huge) == floor  # type: ignore[arg-type]


def test_memory_is_bounded_by_the_chunk_not_by_n() -> None:
    import tracemalloc

    C = ic.compile(ic.datasets.generate_org(300, seed=1))

    def peak(n: int) -> int:
        tracemalloc.start()
        monte_carlo(C, n, seed=0, chunk_size=BLOCK)
        out = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        return out

    small, large = peak(4 * BLOCK), peak(40 * BLOCK)
    kept = (len(C.external) + 1) * 36 * BLOCK * 8  # the per-scenario finishes it keeps
    assert large < 1.5 * small + kept


def test_absurd_counts_are_refused_before_anything_is_allocated() -> None:
    import tracemalloc

    tracemalloc.start()
    with pytest.raises(ParameterError, match=r"'n' parameter of monte_carlo.*finish times"):
        monte_carlo(risky_org(), 10**12, seed=1)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 50 * 2**20


def test_summaries_take_every_quantile_in_one_pass() -> None:
    import time

    G = ic.datasets.email_campaign()
    r = ic.sim.monte_carlo(G, 1000, seed=1, quantiles=(0.05, 0.5, 0.5, 0.975))
    assert r.makespan_quantiles == {
        "P5": r.quantile(0.05),
        "P50": r.quantile(0.5),
        "P97.5": r.quantile(0.975),
    }
    (c,) = r.customers
    assert r.finish_quantiles[c]["P97.5"] == r.quantile(0.975, c)
    many = ic.sim.monte_carlo(G, 100, seed=1, quantiles=[0.5] * 1_000_000)
    start = time.perf_counter()
    repr(many), many.to_dict()
    assert time.perf_counter() - start < 10  # one call per quantile took over 40 s
