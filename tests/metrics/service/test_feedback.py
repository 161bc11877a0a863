"""read_survey and breakdown_points: feedback and where the chain breaks."""

from __future__ import annotations

import itertools

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import intcust as ic
from intcust.errors import ParameterError, SchemaError, UnknownNodeError
from intcust.metrics import breakdown_points, read_survey


def _org():
    G = ic.org_graph()
    ic.add_service(G, "it", "sales")
    ic.add_service(G, "sales", "it", lag=1)
    ic.add_service(G, "it", "hr")
    ic.add_service(G, "hr", "sales")
    return G


def test_ignore_keeps_unrated_services_unrated():
    s = read_survey([("sales", "it", 5), ("hr", "it", 1)], G=_org())
    assert s.ratings == {("it", "sales"): 1.0, ("it", "hr"): 0.0}
    assert set(s.unrated) == {("sales", "it"), ("hr", "sales")}
    assert s.nonrespondent == "ignore"


def test_reciprocal_takes_the_other_sides_answer():
    s = read_survey([("sales", "it", 4)], G=_org(), nonrespondent="reciprocal")
    assert s.ratings[("sales", "it")] == s.ratings[("it", "sales")] == 0.75
    assert s.source[("sales", "it")] == "reciprocal"
    assert ("hr", "sales") in s.unrated and ("it", "hr") in s.unrated


def test_impute_takes_the_suppliers_mean_then_the_overall_mean():
    s = read_survey([("sales", "it", 5), ("hr", "it", 3)], G=_org(), nonrespondent="impute")
    assert s.source[("sales", "it")] == "imputed"
    assert s.ratings[("sales", "it")] == pytest.approx(0.75)  # overall mean, sales got none
    assert s.unrated == ()
    G = ic.org_graph()
    ic.add_service(G, "it", "a")
    ic.add_service(G, "it", "b")
    ic.add_service(G, "it", "c")
    s = read_survey([("a", "it", 1), ("b", "it", 3)], G=G, nonrespondent="impute")
    assert s.ratings[("it", "c")] == pytest.approx(0.25)  # it's mean from its other customers


def test_latest_record_counts_and_scale_maps_to_unit_interval():
    frame = pd.DataFrame(
        {
            "customer": ["sales", "sales", "sales"],
            "supplier": ["it", "it", "it"],
            "score": [0, 10, 6],
            "date": pd.to_datetime(["2024-01-01", "2024-03-01", "2024-03-01"]),
        }
    )
    s = read_survey(frame, scale=(0, 10))
    assert s.ratings == {("it", "sales"): pytest.approx(0.8)}
    H = s.apply(_org())
    assert H.edges["it", "sales"]["satisfaction"] == pytest.approx(0.8)
    assert "satisfaction" not in _org().edges["it", "sales"]
    assert list(s.to_frame().columns) == ["supplier", "customer", "satisfaction", "source"]


def test_bad_survey_input_is_named():
    with pytest.raises(ParameterError, match=r"score must be a number in \[1, 5\]; got 7"):
        read_survey([("a", "b", 7)])
    with pytest.raises(ParameterError, match="'G' parameter of read_survey is needed"):
        read_survey([("a", "b", 3)], nonrespondent="impute")
    with pytest.raises(ParameterError, match="'nonrespondent' parameter"):
        read_survey([("a", "b", 3)], nonrespondent="listwise")
    with pytest.raises(ParameterError, match="Record 0"):
        read_survey([("a",)])
    with pytest.raises(SchemaError, match="not a service"):
        read_survey([("nobody", "it", 3)]).apply(_org())


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
