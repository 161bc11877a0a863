"""read_survey and breakdown_points: feedback and where the chain breaks."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

import intcust as ic
from intcust.errors import UnknownNodeError
from intcust.metrics import breakdown_points


def _org():
    G = ic.org_graph()
    ic.add_service(G, "it", "sales")
    ic.add_service(G, "sales", "it", lag=1)
    ic.add_service(G, "it", "hr")
    ic.add_service(G, "hr", "sales")
    return G


def test_bundled_hotel_names_its_weak_it_service():
    G = ic.datasets.hotel()
    b = breakdown_points(G, "guests")
    assert b.worst == "IT"
    assert b.worst_service == ("IT", "reception")
    assert b.chain == ("IT", "reception", "guests")
    assert b.scores["IT"]["score"] == max(r["score"] for r in b.scores.values())
    assert b.to_dict()["worst"] == "IT"


@given(
    st.integers(2, 6),
    st.data(),
)
def test_a_planted_weak_service_is_named(length, data):
    """A chain of suppliers feeding a customer, satisfied except one planted weak link."""
    G = ic.org_graph()
    ic.add_stakeholder(G, "client", kind="external")
    chain = [f"s{i}" for i in range(length)] + ["client"]
    weak = data.draw(st.integers(0, length - 1))
    for i, (u, v) in enumerate(itertools.pairwise(chain)):
        good = data.draw(st.floats(0.85, 1.0))
        ic.add_service(G, u, v, volume=10, satisfaction=0.2 if i == weak else good)
        side = f"side{i}"  # a satisfied alternative supplier beside each link
        ic.add_service(G, side, v, volume=data.draw(st.integers(1, 2)), satisfaction=1.0)
    b = breakdown_points(G, "client")
    assert b.worst == chain[weak]
    assert b.worst_service == (chain[weak], chain[weak + 1])
    assert b.chain[-1] == "client"


def test_sla_breaches_count_as_lateness_and_unknown_customer_raises():
    G = ic.org_graph()
    ic.add_stakeholder(G, "client", kind="external")
    ic.add_service(G, "slow", "mid", lead_time=5, sla=1, volume=1)
    ic.add_service(G, "mid", "client", lead_time=0.1, sla=1, volume=1)
    b = breakdown_points(G, "client")
    assert b.worst == "slow"
    assert b.scores["slow"]["lateness"] == pytest.approx(1.0)
    assert any("no satisfaction rating" in n for n in b.notes)
    with pytest.raises(UnknownNodeError):
        breakdown_points(G, "nobody")


def test_a_happy_chain_has_no_breakdown_point():
    G = ic.org_graph()
    ic.add_service(G, "a", "b", satisfaction=1.0)
    b = breakdown_points(G, "b")
    assert b.worst is None and b.chain == ()


def test_several_services_of_one_pair_count_by_volume():
    G = ic.org_graph()
    ic.add_stakeholder(G, "clerk", kind="external")
    G.add_edge(
        "IT",
        "clerk",
        services=[
            {"deliverable": "PMS access", "volume": 3.0, "satisfaction": 0.2},
            {"deliverable": "IT support", "volume": 1.0, "satisfaction": 1.0},
        ],
    )
    b = breakdown_points(G, "clerk")
    # one tie whose rating is the volume-weighted mean: 0.75 * 0.2 + 0.25 * 1.0 = 0.4
    assert b.scores["IT"]["dissatisfaction"] == pytest.approx(0.6)
    assert b.worst == "IT"
