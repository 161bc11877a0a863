"""`outage` against a discrete-event simulation (SimPy) of the same organisation."""

from __future__ import annotations

import math
from collections.abc import Hashable

import networkx as nx
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import intcust as ic
from intcust.errors import ParameterError, UnknownNodeError
from intcust.graph.duration_parsing import point_value
from intcust.graph.schema import edge_services
from intcust.sim.outages import outage, outage_ranking
from strategies import organisations


def simpy_outage(
    G: nx.DiGraph, outages: dict[Hashable, float], at: float
) -> dict[Hashable, list[tuple[float, float]]]:
    """Down intervals of every node, event by event.

    A node goes down when it is out or when some deliverable has been lost for
    its buffer; its hand-offs are lost ``lead`` after it stops and come back
    ``work + lead`` after it restarts (unless it stops again first).
    """
    simpy = pytest.importorskip("simpy")
    env = simpy.Environment()
    mode = lambda x: point_value(x, "mode")  # noqa: E731
    edges = [  # one per service: each is a hand-off of its own
        (u, v, d)
        for u, v, data in G.edges(data=True)
        for d in edge_services(data)
        if d.get("blocking", True) is not False and not d.get("lag")
    ]
    group_of: dict[int, tuple[Hashable, object]] = {}
    members: dict[tuple[Hashable, object], list[int]] = {}
    for k, (u, v, d) in enumerate(edges):
        g = (v, d.get("deliverable") if d.get("deliverable") is not None else ("own", u))
        group_of[k] = g
        members.setdefault(g, []).append(k)
    edge_lost = [False] * len(edges)
    g_lost = dict.fromkeys(members, False)
    g_version = dict.fromkeys(members, 0)
    exceeded = dict.fromkeys(members, False)
    own = dict.fromkeys(G, False)
    down = dict.fromkeys(G, False)
    generation = dict.fromkeys(G, 0)
    intervals: dict[Hashable, list[tuple[float, float]]] = {v: [] for v in G}
    since: dict[Hashable, float] = {}

    def later(delay: float, fn: object) -> None:
        ev = env.timeout(delay)
        ev.callbacks.append(lambda _e: fn())  # type: ignore[operator]

    def update(v: Hashable) -> None:
        want = own[v] or any(exceeded[g] for g in members if g[0] == v)
        if want == down[v]:
            return
        down[v] = want
        if want:
            generation[v] += 1
            since[v] = env.now
            for k, (u, _, d) in enumerate(edges):
                if u == v:
                    later(mode(d.get("lead_time", 0)), lambda k=k: set_edge(k, True))
        else:
            intervals[v].append((since.pop(v), env.now))
            gen = generation[v]
            for k, (u, _, d) in enumerate(edges):
                if u == v:
                    delay = mode(G.nodes[v].get("work", 0)) + mode(d.get("lead_time", 0))
                    later(delay, lambda k=k, u=u, gen=gen: restore(k, u, gen))

    def restore(k: int, u: Hashable, gen: int) -> None:
        if generation[u] == gen and not down[u]:
            set_edge(k, False)

    def set_edge(k: int, lost: bool) -> None:
        edge_lost[k] = lost
        g = group_of[k]
        v = g[0]
        all_lost = all(edge_lost[j] for j in members[g])
        if all_lost and not g_lost[g]:
            g_lost[g] = True
            g_version[g] += 1
            ver = g_version[g]
            later(G.nodes[v].get("buffer") or 0.0, lambda: check(g, ver))
        elif not all_lost and g_lost[g]:
            g_lost[g] = False
            g_version[g] += 1
            exceeded[g] = False
            update(v)

    def check(g: tuple[Hashable, object], ver: int) -> None:
        if g_lost[g] and g_version[g] == ver:
            exceeded[g] = True
            update(g[0])

    def stop(v: Hashable, d: float) -> None:
        own[v] = True
        update(v)
        later(d, lambda: (own.__setitem__(v, False), update(v)))

    for v, d in outages.items():
        later(at, lambda v=v, d=d: stop(v, d))
    env.run()
    return intervals


def _numeric(G: nx.DiGraph, seed: int) -> nx.DiGraph:
    """Continuous random work, lead times and buffers (no ties between event times)."""
    rng = np.random.default_rng(seed)
    for _, d in G.nodes(data=True):
        d["work"] = float(rng.uniform(0, 3))
        d["buffer"] = float(rng.uniform(0, 5)) if rng.random() < 0.6 else 0.0
    for _, _, data in G.edges(data=True):
        for d in edge_services(data):
            d["lead_time"] = float(rng.uniform(0, 2))  # type: ignore[index]
    return G


@pytest.mark.oracle
@given(organisations(max_nodes=8, all_attributes=False), st.integers(0, 2**32 - 1), st.data())
def test_outage_equals_a_discrete_event_simulation(
    G: nx.DiGraph, seed: int, data: st.DataObject
) -> None:
    G = _numeric(G, seed)
    rng = np.random.default_rng(seed + 1)
    out = data.draw(st.lists(st.sampled_from(list(G)), min_size=1, max_size=2, unique=True))
    outages = {v: float(rng.uniform(0.5, 10)) for v in out}
    at = float(rng.uniform(0, 5))
    check_against_simulation(G, outages, at)


def check_against_simulation(G: nx.DiGraph, outages: dict[Hashable, float], at: float) -> None:
    """One interval per node, from its first stop to its last restart: exact when no
    node stops twice in the simulation, and otherwise covering every stop (a bound)."""
    res = outage(G, outages, at=at)
    sim = simpy_outage(G, outages, at)
    once = all(len(spans) <= 1 for spans in sim.values())
    for v in G:
        spans = sim[v]
        if once:
            assert (v in res.down) == bool(spans), (v, spans)
        if not spans:
            continue
        row = res.down[v]
        assert row["from"] <= spans[0][0] + 1e-9 and spans[-1][1] <= row["until"] + 1e-9
        if once:
            assert math.isclose(row["from"], spans[0][0], abs_tol=1e-9)
            assert math.isclose(row["until"], spans[0][1], abs_tol=1e-9)
    if once:
        ext = [v for v in G if G.nodes[v].get("kind") == "external"]
        assert res.customers == tuple(v for v in ext if sim[v])


def test_hotel_pms_down_for_a_day() -> None:
    G = ic.datasets.hotel()
    G.nodes["reception"]["buffer"] = 2.0  # a paper guest list
    G.nodes["accounts"]["buffer"] = 4.0  # bills written by hand
    res = outage(G, {"IT": 24}, at=8)
    assert list(res.down) == ["IT", "reception", "accounts", "guests"]
    # PMS access arrives 0.1 h after IT's output (mode lead time); the buffers then run out
    assert res.down["reception"]["from"] == pytest.approx(8 + 0.1 + 2)
    assert res.down["accounts"]["from"] == pytest.approx(8 + 0.1 + 4)
    assert res.customers == ("guests",)
    assert res.time_to_survive["guests"] == pytest.approx(0.1 + 2 + 0.05)
    # service comes back after IT restarts, redoes its work and every hand-off arrives
    assert res.time_to_recover["guests"] > 24 and res.recovery == res.time_to_recover["guests"]
    assert "kitchen" not in res.down and "housekeeping" not in res.down


def test_a_buffer_longer_than_the_loss_keeps_serving() -> None:
    G = ic.datasets.hotel()
    for n in ("reception", "accounts"):
        G.nodes[n]["buffer"] = 30.0
    res = outage(G, {"IT": 24})
    assert list(res.down) == ["IT"] and res.customers == ()
    assert res.time_to_survive["guests"] == math.inf and res.customer_time_lost == 0
    assert res.to_dict()["time_to_survive"]["guests"] is None


def test_an_alternative_supplier_covers_the_outage() -> None:
    res = outage(ic.datasets.hotel(), {"purchasing": 48})
    assert list(res.down) == ["purchasing"] and res.customers == ()
    both = outage(ic.datasets.hotel(), {"purchasing": 48, "butcher": 10})
    assert "kitchen" in both.down and both.customers == ("guests",)


def test_ranking_equals_the_single_outages() -> None:
    G = ic.datasets.hotel()
    rank = outage_ranking(G, 24)
    assert "guests" not in rank  # customers are the ones hurt, not ranked
    worst = max(row["customer_time_lost"] for row in rank.values())
    for node, row in rank.items():
        one = outage(G, {node: 24})
        assert row["customer_time_lost"] == pytest.approx(one.customer_time_lost)
        assert row["customers_hit"] == len(one.customers)
        assert row["risk_exposure"] == pytest.approx(one.customer_time_lost / worst)
    values = [row["risk_exposure"] for row in rank.values()]
    assert values == sorted(values, reverse=True) and values[0] == 1.0


def test_bad_outages() -> None:
    G = ic.datasets.hotel()
    with pytest.raises(UnknownNodeError, match="'nobody'"):
        outage(G, {"nobody": 1})
    for d in (0, -3, math.nan, math.inf):
        with pytest.raises(ParameterError, match="'outages' parameter of outage"):
            outage(G, {"IT": d})
    with pytest.raises(ParameterError, match="non-empty mapping"):
        outage(G, {})
    with pytest.raises(ParameterError, match="'duration' parameter of outage_ranking"):
        outage_ranking(G, 0)
    with pytest.raises(ParameterError, match="'at' parameter"):
        outage(G, {"IT": 1}, at=math.nan)


def test_result_forms() -> None:
    res = outage(ic.datasets.hotel(), {"IT": 24})
    d = res.to_dict()
    assert d["outages"] == [{"node": "IT", "duration": 24.0}] and d["customers"] == ["guests"]
    assert "<table" in res._repr_html_() and "guests" in "\n".join(res.summary_lines())


def _dense_org(seed: int) -> nx.DiGraph:
    """A layered organisation dense in hand-offs and OR joins."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(3, 10))
    G = ic.org_graph()
    for i in range(n):
        ic.add_stakeholder(G, i, kind="external" if i == n - 1 else "team")
    for j in range(1, n):
        for i in rng.choice(j, size=min(j, int(rng.integers(1, 4))), replace=False).tolist():
            d = rng.choice(["x", "y", ""])
            ic.add_service(G, i, j, deliverable=str(d) or None)
    return _numeric(G, seed)


@pytest.mark.oracle
@given(st.integers(0, 2**32 - 1))
def test_dense_organisations_equal_the_simulation(seed: int) -> None:
    G = _dense_org(seed)
    rng = np.random.default_rng(seed + 7)
    out = rng.choice(len(G), size=int(rng.integers(1, 3)), replace=False).tolist()
    outages = {v: float(rng.uniform(0.5, 10)) for v in out}
    check_against_simulation(G, outages, 0.0)


def test_risk_exposure_is_relative_to_the_worst_row_reported() -> None:
    # the customer's own outage would lose more than any supplier's: it is not a row
    G = ic.org_graph()
    ic.add_stakeholder(G, "a", work=1.0)
    ic.add_stakeholder(G, "b", work=1.0)
    ic.add_stakeholder(G, "c", kind="external", buffer=5.0)
    ic.add_service(G, "a", "c")
    ic.add_service(G, "b", "c")
    rank = outage_ranking(G, 10)
    assert list(rank) == ["a", "b"]
    assert rank["a"]["customer_time_lost"] == pytest.approx(6.0)
    assert rank["a"]["risk_exposure"] == rank["b"]["risk_exposure"] == 1.0


def test_an_unknown_node_of_any_length_is_quoted_short() -> None:
    G = ic.datasets.email_campaign()
    name = "x" * 1_000_000
    calls = [
        lambda: ic.sim.outage(G, {name: 1.0}),
        lambda: ic.sim.rounds(ic.datasets.weekly_planning(), 3, delays={(name, 0): 1.0}),
        lambda: ic.metrics.fragmentation(G, removed=[name]),
        lambda: ic.plot.draw_org(G, highlight=[name]),
    ]
    for call in calls:
        with pytest.raises(UnknownNodeError, match=r"got 'x+\.\.\.x+'") as err:
            call()
        assert len(str(err.value)) < 300
