"""rollup: the unit-level organisation."""

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


@pytest.mark.parametrize("volume", [-1.0, float("nan"), "3", True])
def test_rollup_rejects_a_bad_volume(volume):
    G = ic.datasets.email_campaign()
    G.edges["designer", "sender"]["volume"] = volume
    with pytest.raises(ic.SchemaError, match=r"volume of edge \('designer', 'sender'\)"):
        ic.rollup(G)
