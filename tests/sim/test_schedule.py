"""schedule: times, floats, the critical path, and the definitions behind them."""

from __future__ import annotations

import itertools
import json
import math

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from test_engine import point_times, reference_finish, simpy_finish, timing_graph

import intcust as ic
from intcust.errors import CycleError, ParameterError, UnknownNodeError
from strategies import organisations


def test_email_campaign_times():
    sch = ic.sim.schedule(ic.datasets.email_campaign())
    assert sch.start == {
        "designer": 0,
        "list keeper": 0,
        "sender": 2.5,
        "campaign": 3,
        "customers": 4,
    }
    assert sch.finish == {
        "designer": 2,
        "list keeper": 1,
        "sender": 3,
        "campaign": 3.5,
        "customers": 4,
    }
    # against the customers' due date, 5
    assert sch.latest_finish == {
        "designer": 3,
        "list keeper": 3.5,
        "sender": 4,
        "campaign": 4.5,
        "customers": 5,
    }
    assert sch.latest_start["sender"] == 3.5
    assert sch.total_float == {
        "designer": 1,
        "list keeper": 2.5,
        "sender": 1,
        "campaign": 1,
        "customers": 1,
    }
    assert sch.free_float == {
        "designer": 0,
        "list keeper": 1.5,
        "sender": 0,
        "campaign": 0,
        "customers": 1,
    }
    assert sch.makespan == 4
    assert sch.critical_path() == ["designer", "sender", "campaign", "customers"]
    assert sch.critical_path("customers") == sch.critical_path()
    assert sch.critical_path("list keeper") == ["list keeper"]
    assert sch.critical_nodes == {"designer", "sender", "campaign", "customers"}
    assert sch.late == {}
    assert sch.notes == ()


def test_result_conversions():
    sch = ic.sim.schedule(ic.datasets.email_campaign())
    data = json.loads(json.dumps(sch.to_dict(), allow_nan=False))
    assert data["makespan"] == 4
    assert data["critical_path"] == ["designer", "sender", "campaign", "customers"]
    assert data["nodes"]["list keeper"] == {
        "start": 0,
        "finish": 1,
        "latest_start": 2.5,
        "latest_finish": 3.5,
        "total_float": 2.5,
        "free_float": 1.5,
        "critical": False,
    }
    assert "makespan=4" in repr(sch) and len(repr(sch)) < 200
    assert "<table>" in sch._repr_html_()
    pytest.importorskip("pandas")
    frame = sch.to_frame()
    assert list(frame.columns) == [
        "start",
        "finish",
        "latest_start",
        "latest_finish",
        "total_float",
        "free_float",
        "critical",
    ]
    assert frame.loc["designer", "critical"]


def test_missed_due_gives_negative_float_not_clipped():
    G = ic.datasets.email_campaign()
    G.nodes["customers"]["due"] = 3.0
    sch = ic.sim.schedule(G)
    assert sch.late == {"customers": 1.0}
    assert sch.total_float["designer"] == -1.0
    assert sch.total_float["list keeper"] == 0.5
    assert sch.critical_path() == ["designer", "sender", "campaign", "customers"]


def test_estimates_and_compiled_input():
    G = ic.datasets.email_campaign()
    mean = ic.sim.schedule(G, estimate="mean")
    assert mean.finish["designer"] == pytest.approx((1 + 4 * 2 + 4) / 6)
    assert ic.sim.schedule(G, estimate="median").estimate == "median"
    again = ic.sim.schedule(ic.compile(G), estimate="mean")
    assert again.total_float == mean.total_float
    with pytest.raises(ParameterError, match="'estimate' parameter of schedule"):
        ic.sim.schedule(G, estimate="p90")
    with pytest.raises(ParameterError, match="'G' parameter of schedule"):
        ic.sim.schedule({"a": 1})  # type: ignore[arg-type]
    with pytest.raises(UnknownNodeError, match="'customer' parameter of critical_path"):
        mean.critical_path("nobody")


def test_blocking_cycle_is_named():
    G = ic.datasets.email_campaign()
    G.edges["sender", "designer"]["blocking"] = True
    with pytest.raises(CycleError) as info:
        ic.sim.schedule(G)
    assert set(info.value.cycle) == {"designer", "sender"}


def test_notes_for_due_dates_and_customers_no_work_reaches():
    G = ic.datasets.email_campaign()
    ic.add_stakeholder(G, "walk-in", kind="external")
    ic.add_stakeholder(G, "idle", due=2.0)
    sch = ic.sim.schedule(G)
    assert len(sch.notes) == 2
    assert "due of node 'idle' constrains nothing" in sch.notes[0]
    assert "external customer 'walk-in' is reached by no work" in sch.notes[1]
    assert sch.total_float["idle"] == 2.0  # still reported, against its own due


def test_start_holds_a_node_and_cuts_the_critical_path():
    G = ic.datasets.email_campaign()
    G.nodes["campaign"]["start"] = 3.75
    sch = ic.sim.schedule(G)
    assert sch.start["campaign"] == 3.75
    assert sch.critical_path() == ["campaign", "customers"]
    assert sch.total_float["campaign"] == 0.25  # due 5 - 0.5 lead - finish 4.25
    # the sender may finish until the campaign's latest start, 4 (not its start, 3.75)
    assert sch.total_float["sender"] == 1.0
    assert sch.free_float["sender"] == 0.75


def test_organisation_without_customers_ends_at_its_sinks():
    G = ic.org_graph()
    ic.add_stakeholder(G, "a", work=2)
    ic.add_stakeholder(G, "b", work=1)
    ic.add_stakeholder(G, "c", work=1)
    ic.add_service(G, "a", "c")
    sch = ic.sim.schedule(G)
    assert sch.makespan == 3
    assert sch.total_float == {"a": 0, "b": 2, "c": 0}
    assert sch.critical_path() == ["a", "c"]


def test_node_supplying_no_target_has_infinite_float():
    G = ic.datasets.email_campaign()
    ic.add_stakeholder(G, "archivist", work=1)
    ic.add_service(G, "sender", "archivist")
    sch = ic.sim.schedule(G)
    assert sch.total_float["archivist"] == math.inf
    assert sch.to_dict()["nodes"]["archivist"]["total_float"] == "Infinity"


# -- definitions, against brute force ------------------------------------------------


def _targets(sch, G) -> dict:
    ends = ic.external_customers(G) or [v for v in G if timing_graph(G).out_degree(v) == 0]
    out = dict.fromkeys(ends, sch.makespan)
    out.update({v: d for v, d in G.nodes(data="due") if d is not None})
    return out


def _delayed(G, node, d):
    C = ic.compile(G)
    w, ld = C.work.point("mode"), C.lead_time.point("mode")
    wd, ldd = point_times(C, w, ld)
    wd[node] += d
    return reference_finish(G, wd, ldd)


def _missed(fin, targets) -> bool:
    return any(fin[v] > t + 1e-9 * max(1.0, abs(t)) for v, t in targets.items())


@given(G=organisations(max_nodes=9), data=st.data())
def test_total_float_is_the_delay_a_node_absorbs(G, data):
    sch = ic.sim.schedule(G)
    assume(not sch.late)
    targets = _targets(sch, G)
    v = data.draw(st.sampled_from(list(G)))
    tf = sch.total_float[v]
    assert tf >= -1e-9
    assert not _missed(_delayed(G, v, tf if math.isfinite(tf) else 1e6), targets)
    if math.isfinite(tf):
        assert _missed(_delayed(G, v, tf + 1e-6 * max(1.0, tf)), targets)
    assert sch.free_float[v] <= tf + 1e-9
    assert sch.latest_start[v] == pytest.approx(
        sch.latest_finish[v] - (sch.finish[v] - sch.start[v])
    )


@given(G=organisations(max_nodes=9), data=st.data())
def test_free_float_moves_no_customer_begin(G, data):
    sch = ic.sim.schedule(G)
    v = data.draw(st.sampled_from(list(G)))
    ff = sch.free_float[v]
    fin = _delayed(G, v, ff if math.isfinite(ff) else 1e6)
    C = ic.compile(G)
    for w in timing_graph(G).successors(v):
        begin = fin[w] - C.work.point("mode")[C.index[w]]
        assert begin <= sch.start[w] + 1e-9 * max(1.0, abs(sch.start[w])), w
    if math.isfinite(ff) and ff >= 0:
        # a little more moves some customer's begin, or the node's own target
        fin = _delayed(G, v, ff + 1e-6 * max(1.0, ff))
        moved = [
            w
            for w in timing_graph(G).successors(v)
            if fin[w] - C.work.point("mode")[C.index[w]]
            > sch.start[w] + 1e-9 * max(1.0, sch.start[w])
        ]
        assert moved or v in _targets(sch, G)


@given(G=organisations(max_nodes=9))
def test_critical_path_is_a_chain_of_binding_suppliers(G):
    sch = ic.sim.schedule(G)
    path = sch.critical_path()
    if not path:
        assert not ic.external_customers(G) and not G
        return
    H = timing_graph(G)
    C = ic.compile(G)
    leads = C.lead_time.point("mode")
    for u, v in itertools.pairwise(path):
        assert H.has_edge(u, v)
        rows = np.flatnonzero((C.src == C.index[u]) & (C.dst == C.index[v]) & C.gate)
        # one of the pair's services (one per deliverable) set v's start
        assert any(
            sch.finish[u] + leads[k] == pytest.approx(sch.start[v], rel=1e-9, abs=1e-9)
            for k in rows
        )
    assert sch.finish[path[-1]] == sch.makespan
    first = path[0]
    preds = list(H.predecessors(first))
    assert not preds or sch.start[first] == pytest.approx(G.nodes[first].get("start") or 0.0)


@pytest.mark.oracle
@given(G=organisations(max_nodes=9))
def test_schedule_finish_matches_simpy(G):
    sch = ic.sim.schedule(G)
    C = ic.compile(G)
    wd, ldd = point_times(C, C.work.point("mode"), C.lead_time.point("mode"))
    sim = simpy_finish(G, wd, ldd)
    for v in G:
        assert sch.finish[v] == pytest.approx(sim[v], rel=1e-9, abs=1e-9)


def test_latest_start_is_latest_finish_minus_work():
    sch = ic.sim.schedule(ic.datasets.email_campaign())
    for v in sch.finish:
        assert sch.latest_start[v] == sch.latest_finish[v] - (sch.finish[v] - sch.start[v])
    assert np.isfinite(list(sch.total_float.values())).all()
