"""Views: the unit-level rollup, upstream, downstream and value streams."""

from __future__ import annotations

import networkx as nx
import pytest
from hypothesis import given

import intcust as ic
from intcust.graph.schema import edge_services, is_blocking
from strategies import organisations


def total_volume(G: nx.DiGraph) -> float:
    return sum(
        1.0 if s.get("volume") is None else float(s["volume"])
        for _, _, d in G.edges(data=True)
        for s in edge_services(d)
    )


def n_services(G: nx.DiGraph) -> int:
    return sum(len(edge_services(d)) for _, _, d in G.edges(data=True))


def blocking_subgraph(G: nx.DiGraph, *, with_lag: bool = False) -> nx.DiGraph:
    """The services that gate work within one round (or, `with_lag`, in any round)."""
    H = nx.DiGraph()
    H.add_nodes_from(G)
    H.add_edges_from((u, v) for u, v, d in G.edges(data=True) if is_blocking(d, with_lag=with_lag))
    return H


def unit_of(G: nx.DiGraph, node: object) -> object:
    data = G.nodes[node]
    if data.get("kind") == "external" or data.get("unit") is None:
        return node
    return data["unit"]


# --- rollup -----------------------------------------------------------------


def test_rollup_of_the_company():
    G = ic.datasets.company()
    R = ic.rollup(G)
    units = ["Marketing", "Sales", "IT", "HR", "Production", "Finance"]
    assert set(R) == {*units, "founder", "investor group", "retail customers", "key accounts"}
    assert R.graph["level"] == "unit" and R.graph["by"] == "unit"
    assert R.graph["name"] == G.graph["name"]
    for u in units:
        assert R.nodes[u]["kind"] == "department"
        assert "work" not in R.nodes[u] and "capacity" not in R.nodes[u]
    # the HR department node and the HR staff form one unit
    assert R.nodes["HR"]["size"] == sum(d.get("unit") == "HR" for _, d in G.nodes(data=True))
    assert R.nodes["retail customers"]["due"] == G.nodes["retail customers"]["due"]
    assert R.nodes["retail customers"]["size"] == 1
    assert "dividend report" in R.edges["Finance", "founder"]["deliverables"]
    assert {"qualified leads", "market analysis"} <= set(
        R.edges["Marketing", "Sales"]["deliverables"]
    )
    assert all(d["blocking"] is False for _, _, d in R.edges(data=True))
    assert not any(u == v for u, v in R.edges)
    ic.validate(R)
    ic.compile(R)


def test_rollup_sums_volumes_and_counts_services():
    G = ic.datasets.company()
    R = ic.rollup(G)
    expected: dict[tuple[object, object], list[float]] = {}
    for u, v, d in G.edges(data=True):
        a, b = unit_of(G, u), unit_of(G, v)
        if a != b:
            expected.setdefault((a, b), []).append(d.get("volume", 1.0))
    assert set(R.edges) == set(expected)
    for e, vols in expected.items():
        assert R.edges[e]["volume"] == pytest.approx(sum(vols))
        assert R.edges[e]["n_services"] == len(vols)
    internal = sum(R.nodes[u]["internal_volume"] for u in R)
    assert total_volume(R) + internal == pytest.approx(total_volume(G))
    blocking_sales = sum(
        is_blocking(d)
        for u, v, d in G.edges(data=True)
        if unit_of(G, u) == "Sales" and unit_of(G, v) == "Production"
    )
    assert R.edges["Sales", "Production"]["blocking_services"] == blocking_sales


def test_rollup_keeps_deliverables_in_first_seen_order():
    G = ic.org_graph()
    for name in ("a1", "a2"):
        ic.add_stakeholder(G, name, unit="A")
    ic.add_stakeholder(G, "b", unit="B")
    ic.add_service(G, "a1", "b", deliverable="report", volume=2)
    ic.add_service(G, "a2", "b", deliverable="data", volume=3)
    ic.add_service(G, "a1", "a2", deliverable="notes", volume=5)
    ic.add_service(G, "a2", "a1")  # unnamed, volume 1 by default
    ic.add_service(G, "b", "a1", deliverable="report", blocking=False)
    R = ic.rollup(G)
    assert list(R) == ["A", "B"]
    assert R.edges["A", "B"] == {
        "volume": 5.0,
        "n_services": 2,
        "blocking_services": 2,
        "deliverables": ["report", "data"],
        "blocking": False,
    }
    assert R.edges["B", "A"]["blocking_services"] == 0
    assert R.nodes["A"] == {
        "kind": "department",
        "size": 2,
        "internal_volume": 6.0,
        "internal_services": 2,
    }


def test_rollup_missing_unit_policies():
    G = ic.datasets.company()
    with pytest.raises(ic.ParameterError, match="'founder', 'investor group'") as err:
        ic.rollup(G, missing="raise")
    assert "missing='drop'" in str(err.value)
    dropped = ic.rollup(G, missing="drop")
    assert "founder" not in dropped and "retail customers" in dropped
    assert total_volume(dropped) + sum(dropped.nodes[u]["internal_volume"] for u in dropped) < (
        total_volume(G)
    )
    with pytest.raises(ic.ParameterError, match="'missing' parameter of rollup"):
        ic.rollup(G, missing="ignore")
    with pytest.raises(ic.ParameterError, match="'by' parameter of rollup"):
        ic.rollup(G, by=3)  # type: ignore[arg-type]
    with pytest.raises(ic.ParameterError, match="'G' parameter of rollup"):
        ic.rollup(nx.MultiDiGraph())


def test_rollup_by_another_attribute_and_unit_kind():
    G = ic.datasets.generate_org(300, n_units=3, seed=2)
    R = ic.rollup(G, by="department")
    assert {"D1", "D2", "D3", "HR", "IT"} <= set(R)
    assert sum(R.nodes[u]["size"] for u in R) == G.number_of_nodes()
    G2 = ic.org_graph()
    ic.add_stakeholder(G2, "Kitchen", kind="team", unit="Kitchen")
    ic.add_stakeholder(G2, "cook", unit="Kitchen")
    assert ic.rollup(G2).nodes["Kitchen"]["kind"] == "team"


@given(organisations(max_nodes=8, services=True))
def test_rollup_conserves_volume_on_random_organisations(G):
    R = ic.rollup(G)
    internal = sum(R.nodes[u]["internal_volume"] for u in R)
    assert total_volume(R) + internal == pytest.approx(total_volume(G))
    assert sum(R.nodes[u]["internal_services"] for u in R) + sum(
        d["n_services"] for _, _, d in R.edges(data=True)
    ) == n_services(G)
    assert sum(R.nodes[u]["size"] for u in R) == G.number_of_nodes()
    expected = {(unit_of(G, u), unit_of(G, v)) for u, v in G.edges} - {(a, a) for a in R}
    assert set(R.edges) == expected
    ic.validate(R)


# --- upstream, downstream, value_stream ---------------------------------------


def test_upstream_and_downstream_of_the_hotel():
    G = ic.datasets.hotel()
    up = ic.upstream(G, "reception", ties="blocking")
    assert set(up) == {"reception", "housekeeping", "IT"}
    assert up.edges["IT", "reception"] == G.edges["IT", "reception"]
    # the lagged room list feeds tomorrow's cleaning: housekeeping waits for it, a round
    # later, so blocking ties follow it as the metrics do; the value stream does not
    assert set(ic.upstream(G, "housekeeping")) == {"housekeeping", "reception", "IT"}
    assert set(ic.upstream(G, "housekeeping", ties="blocking")) == {
        "housekeeping",
        "reception",
        "IT",
    }
    down = ic.downstream(G, "IT", ties="blocking")
    assert set(down) == {"IT", "reception", "accounts", "guests", "housekeeping"}
    assert list(down) == [n for n in G if n in down]
    down["IT"]["reception"]["volume"] = -1  # an independent copy
    down.nodes["IT"]["work"] = 99
    assert G.edges["IT", "reception"]["volume"] == 40
    assert G.nodes["IT"]["work"] != 99


def test_value_stream_of_the_company():
    G = ic.datasets.company()
    V = ic.value_stream(G, "key accounts")
    assert {"key account manager", "logistics coordinator", "planner", "HR", "IT"} <= set(V)
    assert "founder" not in V and "retail customers" not in V
    assert V.graph == G.graph
    ic.validate(V)


def test_views_reject_unknown_and_wrong_nodes():
    G = ic.datasets.hotel()
    for view in (ic.upstream, ic.downstream, ic.value_stream):
        with pytest.raises(ic.UnknownNodeError, match="'spa'"):
            view(G, "spa")
    with pytest.raises(ic.ParameterError, match=r"external customer.*'kitchen'"):
        ic.value_stream(G, "kitchen")
    with pytest.raises(ic.UnknownNodeError):
        ic.upstream(G, ["not", "hashable"])


@given(organisations(max_nodes=8, lags=True, services=True))
def test_views_match_networkx_ancestors(G):
    B = blocking_subgraph(G, with_lag=True)  # ties="blocking": what the metrics count
    one_round = blocking_subgraph(G)  # value streams: what gates work within one round
    for node in G:
        assert set(ic.upstream(G, node)) == nx.ancestors(G, node) | {node}
        assert set(ic.downstream(G, node)) == nx.descendants(G, node) | {node}
        assert set(ic.upstream(G, node, ties="all")) == nx.ancestors(G, node) | {node}
        up = ic.upstream(G, node, ties="blocking")
        assert set(up) == nx.ancestors(B, node) | {node}
        assert set(up.edges) == set(G.subgraph(up).edges)
        assert set(ic.downstream(G, node, ties="blocking")) == nx.descendants(B, node) | {node}
    for customer in ic.external_customers(G):
        expected = nx.ancestors(one_round, customer) | {customer}
        assert set(ic.value_stream(G, customer)) == expected


def test_blocking_ties_are_those_the_metrics_count():
    """One name, one meaning: ``ties="blocking"`` reaches what `external_reach` counts."""
    for name in ic.datasets.EXAMPLES:
        G = getattr(ic.datasets, name)()
        reach = ic.metrics.external_reach(G, ties="blocking", weight=None)
        customers = set(ic.external_customers(G))
        for node in set(G) - customers:
            served = customers & set(ic.downstream(G, node, ties="blocking"))
            assert len(served) == reach[node]["dependent_customers"], (name, node)
    # at unit level, a unit edge is blocking when it carries blocking services
    R = ic.rollup(ic.datasets.hotel())
    gating = nx.DiGraph((u, v) for u, v, d in R.edges(data=True) if d["blocking_services"])
    assert set(ic.downstream(R, "Front office", ties="blocking")) == {
        "Front office",
        *nx.descendants(gating, "Front office"),
    }
    assert "Housekeeping" in ic.downstream(R, "Front office")
    assert "Housekeeping" not in ic.downstream(R, "Front office", ties="blocking")


def test_the_old_blocking_flag_warns_and_keeps_its_one_round_meaning():
    G = ic.datasets.hotel()
    with pytest.warns(
        DeprecationWarning, match=r"'blocking' parameter of upstream is called 'ties'"
    ):
        assert set(ic.upstream(G, "housekeeping", blocking=True)) == {"housekeeping"}
    with pytest.warns(DeprecationWarning, match="blocking=False is ties='all'"):
        assert list(ic.downstream(G, "IT", blocking=False)) == list(ic.downstream(G, "IT"))
    with pytest.raises(ic.ParameterError, match="'ties' parameter of downstream alone"):
        ic.downstream(G, "IT", ties="blocking", blocking=True)
    with pytest.raises(ic.ParameterError, match="'blocking' parameter of upstream"):
        ic.upstream(G, "IT", blocking="yes")  # type: ignore[arg-type]
    for view in (ic.upstream, ic.downstream):
        with pytest.raises(ic.ParameterError, match=r"'ties' parameter of \w+stream must be"):
            view(G, "IT", ties="gating")


@pytest.mark.parametrize("volume", [-1.0, float("nan"), "3", True])
def test_rollup_rejects_a_bad_volume(volume):
    G = ic.datasets.email_campaign()
    G.edges["designer", "sender"]["volume"] = volume
    with pytest.raises(ic.SchemaError, match=r"volume of edge \('designer', 'sender'\)"):
        ic.rollup(G)


def test_views_keep_several_services_of_a_pair_as_independent_copies():
    G = ic.org_graph()
    ic.add_stakeholder(G, "guests", kind="external")
    ic.add_service(G, "IT", "clerk", deliverable="IT support", blocking=False)
    ic.add_service(G, "IT", "clerk", deliverable="PMS access", lead_time=1)
    ic.add_service(G, "clerk", "guests")
    V = ic.value_stream(G, "guests")  # the PMS access gates the clerk, so IT is in
    assert list(V) == ["guests", "IT", "clerk"]
    assert V.edges["IT", "clerk"] == G.edges["IT", "clerk"]
    V.edges["IT", "clerk"]["services"][1]["lead_time"] = 5
    assert G.edges["IT", "clerk"]["services"][1]["lead_time"] == 1
    del G.edges["IT", "clerk"]["services"][1]  # only the information tie is left
    assert list(ic.value_stream(G, "guests")) == ["guests", "clerk"]
