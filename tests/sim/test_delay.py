"""delay and sensitivity against brute force (one forward pass per delayed node)."""

from __future__ import annotations

import itertools
import json
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_engine import point_times, reference_finish, timing_graph

import intcust as ic
from intcust.errors import ParameterError, UnknownNodeError
from intcust.sim._point import forward
from strategies import organisations, timing_organisations


def _finish(G, delays=None):
    if "_times" not in G.graph:  # cached on the (test-owned) graph
        C = ic.compile(G)
        G.graph["_times"] = point_times(C, C.work.point("mode"), C.lead_time.point("mode"))
    wd, ldd = G.graph["_times"]
    wd = dict(wd)
    for n, x in (delays or {}).items():
        wd[n] += x
    return reference_finish(G, wd, ldd)


def _ends(G):
    return ic.external_customers(G) or [v for v in G if timing_graph(G).out_degree(v) == 0]


def test_email_campaign_designer_two_days_late():
    G = ic.datasets.email_campaign()
    imp = ic.sim.delay(G, {"designer": 2})
    assert imp.lateness == {
        "designer": 2,
        "list keeper": 0,
        "sender": 2,
        "campaign": 2,
        "customers": 2,
    }
    assert imp.customer_lateness == {"customers": 2}
    assert imp.customers == {"customers": 1.0}
    assert imp.makespan == 6 and imp.makespan_delay == 2
    assert imp.chain("customers") == ["designer", "sender", "campaign", "customers"]
    assert imp.chain("designer") == ["designer"]
    assert imp.chain("list keeper") == []


def test_delay_within_float_moves_nothing_downstream():
    G = ic.datasets.email_campaign()
    imp = ic.sim.delay(G, {"list keeper": 1.5})
    assert imp.lateness["sender"] == 0 and imp.customers == {}
    imp = ic.sim.delay(G, {"list keeper": 2})  # half a day past its free float
    assert imp.lateness["customers"] == 0.5
    assert imp.chain("customers") == ["list keeper", "sender", "campaign", "customers"]


def test_several_delays_travel_the_longest_way():
    G = ic.datasets.email_campaign()
    imp = ic.sim.delay(G, {"designer": 1, "sender": 1, "campaign": 0.25})
    assert imp.lateness["customers"] == 2.25
    # the campaign began late because of the sender, who began late because of the designer
    assert imp.chain("customers") == ["designer", "sender", "campaign", "customers"]
    imp = ic.sim.delay(G, {"campaign": 3, "designer": 0.5})
    assert imp.chain("customers") == ["designer", "sender", "campaign", "customers"]
    imp = ic.sim.delay(G, {"campaign": 3})
    assert imp.chain("customers") == ["campaign", "customers"]


def test_impact_conversions():
    imp = ic.sim.delay(ic.datasets.email_campaign(), {"designer": 2})
    data = json.loads(json.dumps(imp.to_dict(), allow_nan=False))
    assert data["chains"] == {"customers": ["designer", "sender", "campaign", "customers"]}
    assert data["customers"] == {"customers": 1.0}
    assert repr(imp) == "DelayImpact({'designer': 2}: makespan +2, 1 customer misses its due)"
    company = ic.datasets.company()
    assert repr(ic.sim.delay(company, {"IT": 5})).endswith(", 2 customers miss their due)")
    assert repr(ic.sim.delay(company, {"IT": 0.5})).endswith(", 0 customers miss their due)")
    assert "designer → sender" in imp._repr_html_()
    pytest.importorskip("pandas")
    assert imp.to_frame().loc["campaign", "lateness"] == 2


@pytest.mark.parametrize(
    ("delays", "error", "match"),
    [
        ({"nobody": 1}, UnknownNodeError, "'delays' parameter of delay must name a node"),
        ({"designer": -1}, ParameterError, "got -1 for node 'designer'"),
        ({"designer": float("nan")}, ParameterError, "finite number >= 0; got nan"),
        ({"designer": True}, ParameterError, "got True"),
        ({"designer": "2"}, ParameterError, "got '2'"),
        (["designer"], ParameterError, "mapping of node to amount; got list"),
    ],
)
def test_bad_delays(delays, error, match):
    with pytest.raises(error, match=match):
        ic.sim.delay(ic.datasets.email_campaign(), delays)


def test_chain_of_unknown_node():
    imp = ic.sim.delay(ic.datasets.email_campaign(), {})
    assert imp.lateness["customers"] == 0 and imp.makespan_delay == 0
    with pytest.raises(UnknownNodeError, match="'node' parameter of chain"):
        imp.chain("nobody")


@given(G=organisations(max_nodes=9), data=st.data())
def test_delay_matches_brute_force_and_chains_are_binding(G, data):
    nodes = list(G)
    picked = data.draw(st.lists(st.sampled_from(nodes), max_size=3, unique=True))
    delays = {n: data.draw(st.floats(0, 10)) for n in picked}
    imp = ic.sim.delay(G, delays)
    base, new = _finish(G), _finish(G, delays)
    C = ic.compile(G)
    H = timing_graph(G)
    w = dict(zip(C.nodes, C.work.point("mode").tolist(), strict=True))
    for v in nodes:
        assert imp.lateness[v] == pytest.approx(max(0.0, new[v] - base[v]), abs=1e-9)
        chain = imp.chain(v)
        if imp.lateness[v] <= 1e-9 * max(1.0, abs(new[v])):  # the engine's tie tolerance
            assert chain == []
            continue
        assert chain[-1] == v and chain[0] in delays
        for a, b in itertools.pairwise(chain):
            # each step: a late supplier of a node that began later than planned
            assert H.has_edge(a, b)
            assert imp.lateness[a] > 0
            began, planned = new[b] - w[b] - delays.get(b, 0.0), base[b] - w[b]
            assert began > planned + 1e-9 * max(1.0, abs(planned))


@given(G=organisations(max_nodes=9), amount=st.sampled_from([0.0, 0.5, 1.0, 3.0, 17.0]))
def test_sensitivity_matches_brute_force(G, amount):
    s = ic.sim.sensitivity(G, amount=amount)
    base = _finish(G)
    customers, ends = ic.external_customers(G), _ends(G)
    makespan = max((base[c] for c in ends), default=0.0)
    assert s.columns == (*map(str, customers), "makespan", "absorbable") or len(
        set(map(str, customers))
    ) < len(customers)
    for v in G:
        new = _finish(G, {v: amount})
        row = s[v]
        for k, c in enumerate(customers):
            assert row[s.columns[k]] == pytest.approx(new[c] - base[c], abs=1e-9), (v, c)
        moved = max((new[c] for c in ends), default=0.0) - makespan
        assert row["makespan"] == pytest.approx(moved, abs=1e-9), v
        x = row["absorbable"]
        assert x >= 0
        within = _finish(G, {v: x if math.isfinite(x) else 1e6})
        assert all(within[c] <= base[c] + 1e-9 * max(1, base[c]) for c in ends), v
        if math.isfinite(x):
            past = _finish(G, {v: x + 1e-6 * max(1.0, x)})
            assert any(past[c] > base[c] for c in ends), v


@pytest.mark.parametrize("seed", [1, 2])
def test_sensitivity_matches_brute_force_on_a_generated_org(seed):
    """Hubs, alternative suppliers and two customers: every node delayed in turn."""
    G = ic.datasets.generate_org(150, seed=seed)
    C = ic.compile(G)
    w, ld = C.work.point("mode"), C.lead_time.point("mode")
    _, base = forward(C, w, ld)
    customers = C.external
    for amount in (1.0, 6.0):
        s = ic.sim.sensitivity(C, amount=amount)
        for x, v in enumerate(C.nodes):
            w2 = w.copy()
            w2[x] += amount
            _, new = forward(C, w2, ld)
            row = s[v]
            for k, c in enumerate(customers):
                assert row[s.columns[k]] == pytest.approx(new[c] - base[c], abs=1e-9), (v, k)
            moved = new[customers].max() - base[customers].max()
            assert row["makespan"] == pytest.approx(moved, abs=1e-9), v
            x_abs = row["absorbable"]
            w2[x] = w[x] + (x_abs if math.isfinite(x_abs) else 1e6)
            _, within = forward(C, w2, ld)
            assert (within[customers] <= base[customers] * (1 + 1e-9)).all(), v
            if math.isfinite(x_abs):
                w2[x] = w[x] + x_abs + 1e-6 * max(1.0, x_abs)
                _, past = forward(C, w2, ld)
                assert (past[customers] > base[customers]).any(), v


@pytest.mark.parametrize("seed", [1, 2])
def test_sensitivity_does_not_depend_on_the_threads(seed, monkeypatch):
    """The exact floats and the delayed nodes split over three threads, a node per
    range at least, give the numbers of one thread, bit for bit."""
    C = ic.compile(ic.datasets.generate_org(300, seed=seed))
    one = ic.sim.sensitivity(C, amount=3.0).to_dict()
    monkeypatch.setenv("NUMBA_NUM_THREADS", "3")
    monkeypatch.setattr(ic.sim._engine, "CHECK_GRAIN", 1)
    monkeypatch.setattr(ic.sim._engine, "DELAYED_GRAIN", 1)
    assert ic.sim.sensitivity(C, amount=3.0).to_dict() == one


def test_sensitivity_email_campaign():
    s = ic.sim.sensitivity(ic.datasets.email_campaign(), amount=1)
    assert s.columns == ("customers", "makespan", "absorbable")
    assert s.column("makespan") == {
        "designer": 1,
        "list keeper": 0,
        "sender": 1,
        "campaign": 1,
        "customers": 1,
    }
    assert s.column("absorbable") == {
        "designer": 0,
        "list keeper": 1.5,
        "sender": 0,
        "campaign": 0,
        "customers": 0,
    }
    with pytest.raises(ParameterError, match="'amount' parameter of sensitivity"):
        ic.sim.sensitivity(ic.datasets.email_campaign(), amount=-1)
    with pytest.raises(ParameterError, match="'amount' parameter of sensitivity"):
        ic.sim.sensitivity(ic.datasets.email_campaign(), amount=float("nan"))


def test_sensitivity_through_an_or_join_is_clipped_by_the_alternative():
    G = ic.org_graph()
    for n, w in [("fast", 1.0), ("slow", 3.0), ("x", 1.0)]:
        ic.add_stakeholder(G, n, work=w)
    ic.add_stakeholder(G, "c", kind="external")
    ic.add_service(G, "fast", "x", deliverable="parts")
    ic.add_service(G, "slow", "x", deliverable="parts")
    ic.add_service(G, "x", "c")
    s = ic.sim.sensitivity(G, amount=5)
    assert s["fast"]["c"] == 2.0  # the slow supplier takes over after 2
    assert s["slow"]["c"] == 0.0
    assert s["fast"]["absorbable"] == 0.0 and s["slow"]["absorbable"] == math.inf


def test_sensitivity_without_customers_uses_the_ends():
    G = ic.org_graph()
    ic.add_stakeholder(G, "a", work=2)
    ic.add_stakeholder(G, "b", work=1)
    s = ic.sim.sensitivity(G, amount=2)
    assert s.columns == ("makespan", "absorbable")
    assert s.column("makespan") == {"a": 2, "b": 1}
    assert s.column("absorbable") == {"a": 0, "b": 0}
    assert np.isfinite(list(s.column("makespan").values())).all()


def test_chain_starts_at_the_delayed_node_when_an_alternative_takes_over() -> None:
    G = ic.org_graph()
    for n, w in [("fast", 1.0), ("slow", 3.0), ("x", 1.0)]:
        ic.add_stakeholder(G, n, work=w)
    ic.add_stakeholder(G, "c", kind="external")
    ic.add_service(G, "fast", "x", deliverable="parts")
    ic.add_service(G, "slow", "x", deliverable="parts")
    ic.add_service(G, "x", "c")
    imp = ic.sim.delay(G, {"fast": 5})
    assert imp.lateness["c"] == 2.0  # the slow supplier took over after 2
    assert imp.chain("c") == ["fast", "x", "c"]  # the delay came from fast, not slow
    for node in ("x", "c"):
        assert imp.chain(node)[0] in imp.delays


@given(G=timing_organisations(), seed=st.integers(0, 2**32 - 1))
def test_every_chain_starts_at_a_delayed_node_and_follows_late_suppliers(G, seed) -> None:
    rng = np.random.default_rng(seed)
    nodes = list(G)
    chosen = rng.choice(len(nodes), size=rng.integers(1, len(nodes) + 1), replace=False)
    imp = ic.sim.delay(G, {nodes[i]: float(rng.choice([0.5, 1.0, 4.0])) for i in chosen})
    for node, late in imp.lateness.items():
        chain = imp.chain(node)
        if late <= 1e-9 * max(1.0, abs(imp.finish[node])):
            assert chain == []
            continue
        assert chain[0] in imp.delays and chain[-1] == node
        for u, v in itertools.pairwise(chain):
            assert G.has_edge(u, v) and imp.lateness[u] > 0
