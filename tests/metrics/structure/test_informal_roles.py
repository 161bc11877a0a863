"""Cross and Prusak roles: the rules, their thresholds, properties and bad input."""

from __future__ import annotations

import pathlib
from typing import Any

import networkx as nx
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import intcust as ic
from _rsna import orgnet
from intcust.metrics import ROLES, roles
from strategies import digraphs, shuffled_names


def _two_teams() -> nx.DiGraph:
    """Two tight teams joined through one bridge person, and one loner."""
    G = nx.DiGraph()
    team_a = ["a1", "a2", "a3", "a4"]
    team_b = ["b1", "b2", "b3", "b4"]
    for team, unit in ((team_a, "A"), (team_b, "B")):
        for u in team:
            G.add_node(u, unit=unit)
        for u in team:
            for v in team:
                if u != v and (u, v) != (team[-1], team[0]):
                    G.add_edge(u, v)
    G.add_node("bridge", unit="C")
    G.add_edges_from([("a1", "bridge"), ("bridge", "b1"), ("b1", "bridge"), ("bridge", "a1")])
    G.add_node("loner", unit="A")
    G.add_edge("a2", "loner")
    return G


def test_rules_on_a_small_organisation() -> None:
    r = roles(_two_teams(), weight=None, connector_quantile=0.95)
    assert r["bridge"]["role"] == "information broker"
    assert r["bridge"]["external_share"] == 1.0
    assert r["loner"]["role"] == "peripheral specialist"
    assert r["a1"]["role"] == "central connector"
    # s supplies both units, on no shortest path between others: a spanner, not a broker
    H = nx.DiGraph(
        [
            ("a1", "a2"),
            ("a2", "a1"),
            ("a1", "b1"),
            ("b1", "a1"),
            ("b1", "b2"),
            ("b2", "b1"),
            ("s", "a1"),
            ("s", "b1"),
        ]
    )
    nx.set_node_attributes(H, {"a1": "A", "a2": "A", "b1": "B", "b2": "B", "s": "C"}, "unit")
    spans = roles(H, weight=None, connector_quantile=1.0, peripheral_quantile=0.0)
    assert spans["s"]["role"] == "boundary spanner"
    assert spans["s"]["betweenness"] == 0.0
    assert spans["s"]["external_contacts"] == 2.0
    assert spans["a1"]["role"] == spans["b1"]["role"] == "central connector"


def test_betweenness_equals_networkx() -> None:
    G = _two_teams()
    ref = nx.betweenness_centrality(G)
    r = roles(G, weight=None)
    assert r.column("betweenness") == pytest.approx(ref)


@pytest.mark.oracle
def test_real_network(shared_data: pathlib.Path) -> None:
    G = orgnet(shared_data, "krackhardt_advice")
    r = roles(G, by="dept")
    counts = {role: sum(row["role"] == role for row in r.values()) for role in ROLES}
    assert sum(counts.values()) == len(G) == 21
    assert counts["central connector"] >= 2  # the top 10% of 21 by tie volume
    ref = nx.betweenness_centrality(G)
    assert r.column("betweenness") == pytest.approx(ref, abs=1e-12)


@given(
    digraphs(max_nodes=12),
    st.floats(0, 1),
    st.floats(0, 1),
    st.floats(0, 1),
    st.floats(0, 1),
)
def test_each_role_has_its_reason(
    G: nx.DiGraph, qc: float, qb: float, qp: float, share: float
) -> None:
    r = roles(
        G,
        connector_quantile=qc,
        broker_quantile=qb,
        peripheral_quantile=qp,
        spanner_share=share,
    )
    assert set(r) == set(G)
    if not len(G):
        return
    volume = np.array([row["volume"] for row in r.values()])
    bc = np.array([row["betweenness"] for row in r.values()])
    for row in r.values():
        assert row["role"] in ROLES
        assert 0.0 <= row["external_share"] <= 1.0 + 1e-12
        if row["role"] == "central connector":
            assert row["volume"] >= np.quantile(volume, qc) and row["volume"] > 0
        elif row["role"] == "information broker":
            assert row["betweenness"] >= np.quantile(bc, qb) and row["betweenness"] > 0
        elif row["role"] == "boundary spanner":
            assert row["external_share"] >= share and row["external_contacts"] >= 2
        elif row["role"] == "peripheral specialist":
            assert row["volume"] <= np.quantile(volume, qp)


@given(digraphs(min_nodes=1, max_nodes=10), st.randoms(use_true_random=False))
def test_invariant_under_relabelling(G: nx.DiGraph, rnd: Any) -> None:
    mapping = shuffled_names(G, rnd)
    a, b = roles(G), roles(nx.relabel_nodes(G, mapping))
    for v in G:
        assert b[mapping[v]]["role"] == a[v]["role"]
        for col in a.columns[1:]:
            assert b[mapping[v]][col] == pytest.approx(a[v][col], abs=1e-12)


def test_unit_level_equals_metric_on_rollup() -> None:
    G = ic.datasets.email_campaign()
    U = ic.rollup(G)
    assert roles(G, by="kind", level="unit").to_dict() == roles(U, by="kind").to_dict()


def test_bad_input() -> None:
    G = _two_teams()
    with pytest.raises(ic.ParameterError, match="'connector_quantile' parameter of roles"):
        roles(G, connector_quantile=1.5)
    with pytest.raises(ic.ParameterError, match="'spanner_contacts' parameter of roles"):
        roles(G, spanner_contacts=0)
    with pytest.raises(ic.ParameterError, match="'spanner_share' parameter of roles"):
        roles(G, spanner_share=float("nan"))
    unitless = ic.datasets.email_campaign()
    del unitless.nodes["sender"]["unit"]
    with pytest.raises(ic.ParameterError, match="'sender'") as err:
        roles(unitless, missing="raise")
    assert "'customers'" not in str(err.value)  # external customers are groups of their own
    with pytest.raises(ic.ParameterError, match="'shared_share' parameter of roles"):
        roles(G, shared_share=2)
    G.add_edge("a1", "b2", volume=-3)
    with pytest.raises(ic.ParameterError, match=r"edge \('a1', 'b2'\)"):
        roles(G)
    assert len(roles(nx.DiGraph())) == 0


@given(digraphs(max_nodes=12))
def test_unit_level_property(G: nx.DiGraph) -> None:
    assert roles(G, by="kind", level="unit").to_dict() == roles(ic.rollup(G), by="kind").to_dict()


def test_sampled_betweenness_is_reproducible() -> None:
    G = ic.datasets.company()
    a = roles(G, k=20, seed=3)
    b = roles(G, k=20, seed=3)
    assert a.to_dict() == b.to_dict()
    ref = ic.metrics.betweenness(G, k=20, seed=3)
    assert a.column("betweenness") == pytest.approx({n: ref[n] for n in a})


def big_hotel() -> nx.DiGraph:
    """53 staff in seven units; HR and IT serve every one of them."""
    G = ic.org_graph(name="Grand hotel", time_unit="hour")
    staff = {
        "Kitchen": 10,
        "Restaurant": 12,
        "Housekeeping": 12,
        "Front office": 8,
        "Accounts": 5,
        "HR": 3,
        "IT": 3,
    }
    for unit, n in staff.items():
        for i in range(n):
            ic.add_stakeholder(G, f"{unit} {i}", unit=unit)
    ic.add_stakeholder(G, "guests", kind="external")
    people = [n for n in G if n != "guests"]
    for person in people:
        if not person.startswith("HR"):
            ic.add_service(G, "HR 0", person, deliverable="payroll", volume=2, blocking=False)
        if not person.startswith("IT"):
            ic.add_service(G, "IT 0", person, deliverable="IT support", volume=3)
    for i in range(10):  # the work: kitchen -> restaurant -> guests, rooms -> front office
        ic.add_service(G, f"Kitchen {i}", f"Restaurant {i}", deliverable="dishes", volume=20)
        ic.add_service(G, f"Restaurant {i}", "guests", deliverable="dinner", volume=20)
        ic.add_service(G, f"Housekeeping {i}", f"Front office {i % 8}", deliverable="rooms")
    for i in range(1, 10):  # each team works inside itself too
        ic.add_service(G, f"Kitchen {i - 1}", f"Kitchen {i}", deliverable="prep", volume=5)
    ic.add_service(G, "Front office 0", "Accounts 0", deliverable="folios", volume=30)
    ic.add_service(G, "Front office 1", "Housekeeping 0", deliverable="room list", volume=2)
    ic.add_service(G, "Front office 0", "guests", deliverable="check-in", volume=30)
    return G


def test_shared_services_make_no_boundary_spanners() -> None:
    G = big_hotel()
    r = roles(G)
    assert len(r) == 53 and "guests" not in r  # paying customers have no informal role
    assert r["HR 0"]["shared_service"] and r["IT 0"]["shared_service"]
    spanners = {n for n, row in r.items() if row["role"] == "boundary spanner"}
    # only front office 0 deals with two other units beyond HR and IT
    assert spanners <= {"Front office 0", "Front office 1"}
    # counted as outside contacts, HR and IT would make most of the staff spanners
    everyone = roles(G, shared_share=None)
    assert sum(row["role"] == "boundary spanner" for row in everyone.values()) > 20
    assert not everyone["HR 0"]["shared_service"]


def test_hotel_boundary_spanners_are_not_made_by_shared_services() -> None:
    G = ic.datasets.hotel()
    r = roles(G)
    assert "guests" not in r
    for node, row in r.items():
        if row["role"] == "boundary spanner":
            # its crossing ties do not all lead to an organisation-wide shared service
            shared = {n for n, x in r.items() if x["shared_service"]}
            others = set(G.predecessors(node)) | set(G.successors(node))
            assert others - shared, node


def test_external_customers_get_no_role_anywhere() -> None:
    for name in ("company", "hotel", "call_center", "email_campaign", "weekly_planning"):
        G = getattr(ic.datasets, name)()
        r = roles(G)
        assert not set(ic.external_customers(G)) & set(r), name
