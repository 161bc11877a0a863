"""`rounds` and `monte_carlo_rounds` against a plain loop of the recurrence."""

from __future__ import annotations

import math
from collections.abc import Hashable

import networkx as nx
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import intcust as ic
from intcust.errors import ParameterError, SchemaError, UnknownNodeError
from intcust.graph.duration_parsing import point_value
from intcust.graph.schema import edge_services
from intcust.sim.maxplus import cycle_time
from intcust.sim.recurrence import rounds
from intcust.sim.recurrence_risk import monte_carlo_rounds
from strategies import organisations


def reference_rounds(
    G: nx.DiGraph, k: int, delays: dict[tuple[Hashable, int], float], period: float
) -> list[dict[Hashable, float]]:
    """Finish times per round, node by node in a topological order of the lag-0 graph."""
    mode = lambda x: point_value(x, "mode")  # noqa: E731
    block = [
        (u, v, d)
        for u, v, data in G.edges(data=True)
        for d in edge_services(data)
        if d.get("blocking", True) is not False
    ]
    H = nx.DiGraph()
    H.add_nodes_from(G)
    H.add_edges_from((u, v) for u, v, d in block if not d.get("lag"))
    order = list(nx.topological_sort(H))
    out: list[dict[Hashable, float]] = []
    for r in range(k):
        fin: dict[Hashable, float] = {}
        for v in order:
            groups: dict[object, float] = {}
            for u, w, d in block:
                if w != v:
                    continue
                lag = d.get("lag") or 0
                if r - lag < 0:
                    arrival = -math.inf
                else:
                    src = fin[u] if lag == 0 else out[r - lag][u]
                    arrival = src + mode(d.get("lead_time", 0))
                key = d.get("deliverable") if d.get("deliverable") is not None else ("own", u)
                groups[key] = min(groups.get(key, math.inf), arrival)
            ready = max(groups.values(), default=-math.inf)
            release = r * period + (G.nodes[v].get("start") or 0.0)
            fin[v] = max(ready, release) + mode(G.nodes[v].get("work", 0)) + delays.get((v, r), 0)
        out.append(fin)
    return out


@pytest.mark.oracle
@given(organisations(lags=True, max_nodes=7), st.data())
def test_rounds_equal_a_plain_loop(G: nx.DiGraph, data: st.DataObject) -> None:
    nodes = list(G)
    k = data.draw(st.integers(1, 6))
    delays = data.draw(
        st.dictionaries(
            st.tuples(st.sampled_from(nodes), st.integers(0, k - 1)),
            st.floats(0, 10, allow_nan=False),
            max_size=3,
        )
    )
    lam = cycle_time(G).cycle_time
    period = data.draw(st.sampled_from([None, lam, lam + 1.5, 2 * lam + 3]))
    G.graph.pop("period", None)
    if period == 0:
        period = None
    res = rounds(G, k, delays=delays, period=period)
    want = reference_rounds(G, k, delays, period or 0.0)
    plain = reference_rounds(G, k, {}, period or 0.0)
    for r in range(k):
        for i, v in enumerate(res.nodes):
            assert math.isclose(res.finish[r, i], want[r][v], rel_tol=1e-9, abs_tol=1e-9)
            assert math.isclose(res.planned[r, i], plain[r][v], rel_tol=1e-9, abs_tol=1e-9)
    assert (res.lateness >= 0).all() and np.isfinite(res.lateness).all()


def test_weekly_planning_recovers_at_half_a_day_per_round() -> None:
    G = ic.datasets.weekly_planning()
    res = rounds(G, 8, delays={("procurement", 0): 1.0})
    assert res.margin == 0.5 and res.cycle_time == 4.5
    prod = res.lateness[:, res.nodes.index("production")]
    assert prod.tolist()[:3] == [1.0, 0.5, 0.0]
    assert res.recovery == 2 and res.recovered_at == 2
    assert ("production", "sales", 1, 1) in res.carriers
    assert next(c.nodes for c in res.loops) == ("sales", "planning", "procurement", "production")
    assert res.late(1)["sales"] == 0.5 and res.late_rounds["sales"] == 1


def test_a_delay_on_the_critical_loop_never_dies_at_period_lambda() -> None:
    res = rounds(ic.datasets.weekly_planning(), 10, delays={("sales", 1): 1.0}, period=4.5)
    assert res.margin == 0.0
    assert res.recovery is None and res.recovered_at is None
    assert res.lateness[-1, res.nodes.index("sales")] == 1.0


def test_delay_off_the_loops_recovers_at_once() -> None:
    res = rounds(ic.datasets.weekly_planning(), 4, delays={("customers", 2): 3.0})
    assert res.recovery == 1 and res.carriers == ()


def test_no_delay_no_lateness() -> None:
    res = rounds(ic.datasets.weekly_planning(), 3)
    assert res.recovery == 0 and not res.lateness.any()
    assert res.to_dict()["recovery"] == 0


def test_period_below_lambda_says_by_how_much() -> None:
    with pytest.raises(ParameterError, match="cannot be met") as err:
        rounds(ic.datasets.weekly_planning(), 5, period=4.0)
    msg = str(err.value)
    assert "4.5" in msg and "0.5 further behind" in msg and "sales → planning" in msg


@pytest.mark.parametrize("period", [0, -1, math.inf])
def test_non_positive_period(period: float) -> None:
    with pytest.raises(ParameterError, match="'period' parameter of rounds"):
        rounds(ic.datasets.weekly_planning(), 5, period=period)


def test_bad_delays() -> None:
    G = ic.datasets.weekly_planning()
    with pytest.raises(UnknownNodeError, match="'nobody'"):
        rounds(G, 3, delays={("nobody", 0): 1.0})
    with pytest.raises(ParameterError, match="rounds 0 to 2"):
        rounds(G, 3, delays={("sales", 3): 1.0})
    with pytest.raises(ParameterError, match="delays"):
        rounds(G, 3, delays={("sales", 0): -1.0})
    with pytest.raises(ParameterError, match=r"\(node, round\)"):
        rounds(G, 3, delays={"sales": 1.0})  # type: ignore[dict-item]
    with pytest.raises(ParameterError, match="'n_rounds' parameter of rounds"):
        rounds(G, 0)


def test_rounds_are_counted_by_n_rounds_and_the_old_name_k_warns_at_the_caller() -> None:
    G = ic.datasets.weekly_planning()
    delays = {("procurement", 0): 1.0}
    new = rounds(G, n_rounds=4, delays=delays)
    assert new.n_rounds == 4 and new.to_dict() == rounds(G, 4, delays=delays).to_dict()
    assert new.to_dict()["n_rounds"] == 4 and "k" not in new.to_dict()
    with pytest.warns(DeprecationWarning, match="'k' parameter of rounds") as seen:
        old = rounds(G, k=4, delays=delays)
    assert seen[0].filename == __file__
    assert old.to_dict() == new.to_dict()
    with (
        pytest.raises(ParameterError, match="'k' parameter of rounds"),
        pytest.warns(DeprecationWarning, match="called .n_rounds."),
    ):
        rounds(G, 4, k=4)
    with pytest.warns(DeprecationWarning, match="'k' parameter of monte_carlo_rounds"):
        risk = monte_carlo_rounds(G, k=3, n=16, seed=1)
    assert risk.to_dict() == monte_carlo_rounds(G, 3, 16, seed=1).to_dict()
    for result in (new, risk):
        with pytest.warns(DeprecationWarning, match="'k' attribute of Rounds") as seen:
            assert result.k == result.n_rounds
        assert seen[0].filename == __file__


def test_frames_and_html() -> None:
    pytest.importorskip("pandas")
    res = rounds(ic.datasets.weekly_planning(), 3, delays={("sales", 0): 1})
    df = res.to_frame()
    assert len(df) == 3 * len(res.nodes) and df["lateness"].max() == 1.0
    assert "<table" in res._repr_html_() and "recovery" in repr(res)


def _fixed(G: nx.DiGraph) -> nx.DiGraph:
    for _, d in G.nodes(data=True):
        d["work"] = point_value(d.get("work", 0), "mode")
    for _, _, d in G.edges(data=True):
        d["lead_time"] = point_value(d.get("lead_time", 0), "mode")
    return G


def test_monte_carlo_with_fixed_durations_is_the_deterministic_run() -> None:
    G = _fixed(ic.datasets.weekly_planning())
    delays = {("procurement", 0): 1.0}
    mc = monte_carlo_rounds(G, 6, 100, seed=3, delays=delays)
    det = rounds(G, 6, delays=delays)
    assert mc.recovery is not None and (mc.recovery == det.recovery).all()
    # customers due 5.5 after each release: the delayed round 0 (finish 6) is late
    assert mc.p_on_time.tolist() == [0.0, 1.0, 1.0, 1.0, 1.0, 1.0]


def test_monte_carlo_rounds_is_reproducible() -> None:
    G = ic.datasets.weekly_planning()
    delays = {("procurement", 0): 1.0}
    a = monte_carlo_rounds(G, 6, 300, seed=11, delays=delays)
    b = monte_carlo_rounds(G, 6, 300, seed=11, delays=delays)
    c = monte_carlo_rounds(G, 6, 300, seed=12, delays=delays)
    assert a.recovery is not None and b.recovery is not None and c.recovery is not None
    assert (a.recovery == b.recovery).all() and (a.p_on_time == b.p_on_time).all()
    assert not (a.recovery == c.recovery).all()
    # the first 64 scenarios do not depend on how many follow
    d = monte_carlo_rounds(G, 6, 64, seed=11, delays=delays)
    assert d.recovery is not None and (d.recovery == a.recovery[:64]).all()
    assert 0 < a.p_recovered <= 1  # type: ignore[operator]
    q = a.recovery_quantiles()
    assert q[0.5] <= q[0.9] <= q[0.99]
    assert a.to_dict()["n"] == 300 and "P(round on time)" in "\n".join(a.summary_lines())


def test_monte_carlo_without_delays_has_no_recovery() -> None:
    mc = monte_carlo_rounds(ic.datasets.weekly_planning(), 4, 64, seed=1)
    assert mc.recovery is None and mc.p_recovered is None and mc.recovery_quantiles() == {}
    assert ((mc.p_on_time >= 0) & (mc.p_on_time <= 1)).all()


def test_monte_carlo_bad_arguments() -> None:
    G = ic.datasets.weekly_planning()
    with pytest.raises(ParameterError, match="'n' parameter of monte_carlo_rounds"):
        monte_carlo_rounds(G, 4, 0)
    with pytest.raises(ParameterError, match="cannot be met"):
        monte_carlo_rounds(G, 4, 10, period=3.0)


def test_absurd_rounds_and_lags_are_refused_up_front() -> None:
    import tracemalloc

    G = ic.datasets.weekly_planning()
    tracemalloc.start()
    with pytest.raises(ParameterError, match=r"'n_rounds' parameter of rounds"):
        ic.sim.rounds(G, 10**12)
    with pytest.raises(ParameterError, match=r"'n_rounds' parameter of monte_carlo_rounds"):
        ic.sim.monte_carlo_rounds(G, 10**12, 10, seed=1)
    with pytest.raises(ParameterError, match=r"'n' parameter of monte_carlo_rounds"):
        ic.sim.monte_carlo_rounds(G, 4, 10**12, seed=1)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 50 * 2**20
    H = G.copy()
    u, v = next((u, v) for u, v, d in H.edges(data=True) if d.get("lag"))
    H[u][v]["lag"] = 10**8  # the schema bounds lags (at most 1000): refused as it is compiled
    with pytest.raises(SchemaError, match=r"lag of edge .* from 0 to 1000; got 100000000"):
        ic.sim.rounds(H, 3)


def _loop(*, alternatives: bool) -> nx.DiGraph:
    """b waits for last round's output of a (and a2, its alternative), and for c this round."""
    G = ic.org_graph()
    ic.add_stakeholder(G, "a", work=1.0)
    ic.add_stakeholder(G, "b", work=1.0)
    ic.add_stakeholder(G, "c", work=3.0)
    ic.add_service(G, "a", "b", deliverable="plan", lag=1)
    ic.add_service(G, "c", "b", deliverable="parts")
    if alternatives:
        ic.add_stakeholder(G, "a2", work=2.0)
        ic.add_service(G, "a2", "b", deliverable="plan", lag=1)
        G.nodes["c"]["work"] = 0.0
    return G


def test_a_round_late_by_its_own_delay_carries_nothing() -> None:
    # a's delay (0.4) is absorbed by c (3 days); b is late in round 1 by its own delay only
    res = ic.sim.rounds(_loop(alternatives=False), 3, delays={("a", 0): 0.4, ("b", 1): 2.0})
    assert res.lateness[1, res.nodes.index("b")] == pytest.approx(2.0)
    assert res.carriers == ()
    # a longer delay of a does reach b's begin: a carries it
    res = ic.sim.rounds(_loop(alternatives=False), 3, delays={("a", 0): 4.0})
    assert res.carriers == (("a", "b", 1, 1),)


def test_an_alternative_that_merely_ties_carries_nothing() -> None:
    # plan: a arrives at 1, a2 at 2; with the delays both arrive at 3: only a, the
    # plan's first, carried the lateness
    res = ic.sim.rounds(_loop(alternatives=True), 3, delays={("a", 0): 2.0, ("a2", 0): 1.0})
    assert res.lateness[1, res.nodes.index("b")] == pytest.approx(2.0)
    assert res.carriers == (("a", "b", 1, 1),)
