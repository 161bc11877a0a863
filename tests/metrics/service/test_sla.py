"""sla_compliance and sla_breaches: service standards."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import intcust as ic
from intcust.errors import ParameterError, SchemaError
from intcust.metrics import sla_breaches, sla_compliance
from strategies import distributions


@given(distributions(), st.floats(0, 50, allow_nan=False))
def test_compliance_from_a_distribution_is_its_cdf(dist, sla):
    G = ic.org_graph()
    ic.add_service(G, "a", "b", lead_time=dist, sla=sla)
    assert sla_compliance(G)[("a", "b")] == pytest.approx(float(dist.cdf(sla)), abs=1e-12)


@given(
    st.lists(st.floats(0, 100, allow_nan=False), min_size=1, max_size=50),
    st.floats(0, 100, allow_nan=False),
)
def test_compliance_from_samples_is_the_share_on_time(samples, sla):
    G = ic.org_graph()
    ic.add_service(G, "a", "b", lead_time={"dist": "empirical", "samples": samples}, sla=sla)
    on_time = sum(1 for s in samples if s <= sla)
    assert sla_compliance(G)[("a", "b")] == on_time / len(samples)


def test_compliance_is_exact_for_known_distributions():
    G = ic.org_graph()
    ic.add_service(G, "a", "b", lead_time={"dist": "lognormal", "mu": 0, "sigma": 1}, sla=1)
    ic.add_service(G, "b", "c", lead_time=3, sla=3)  # inclusive
    ic.add_service(G, "c", "d", lead_time=3, sla=2.5)
    ic.add_service(G, "d", "e", sla=0)  # no lead time: immediate
    ic.add_service(G, "e", "f", lead_time=9)  # no SLA: not listed
    got = sla_compliance(G)
    assert got == {
        ("a", "b"): pytest.approx(0.5),
        ("b", "c"): 1.0,
        ("c", "d"): 0.0,
        ("d", "e"): 1.0,
    }
    assert got.name == "sla_compliance"


def test_breaches_rank_by_volume_times_breach_rate_and_roll_up():
    G = ic.org_graph()
    ic.add_stakeholder(G, "it1", unit="IT")
    ic.add_stakeholder(G, "it2", unit="IT")
    ic.add_stakeholder(G, "hr", unit="HR")
    rare_but_late = {"dist": "empirical", "samples": [5, 5, 5, 1]}  # 25 % on time
    often_ok = {"dist": "empirical", "samples": [1, 1, 1, 5]}  # 75 % on time
    ic.add_service(G, "it1", "sales", lead_time=rare_but_late, sla=2, volume=2)
    ic.add_service(G, "it2", "sales", lead_time=often_ok, sla=2, volume=40)
    ic.add_service(G, "hr", "it1", lead_time=often_ok, sla=2, volume=4)
    report = sla_breaches(G)
    assert [(r["supplier"], r["breaches"]) for r in report.services] == [
        ("it2", 10.0),
        ("it1", 1.5),
        ("hr", 1.0),
    ]
    assert dict(report.by_supplier) == {"it1": 1.5, "it2": 10.0, "hr": 1.0}
    assert dict(report.by_unit) == {"IT": 11.5, "HR": 1.0}
    frame = report.to_frame()
    assert list(frame["supplier"]) == ["it2", "it1", "hr"]
    assert report.to_dict()["by_unit"] == {"IT": 11.5, "HR": 1.0}
    assert "it2" in repr(report) and "<table>" in report._repr_html_()


def test_bad_sla_values_are_listed():
    G = ic.org_graph()
    G.add_edge("a", "b", sla=-1)
    G.add_edge("b", "c", sla="soon")
    G.add_edge("c", "d", sla=1, lead_time=-3)
    with pytest.raises(SchemaError) as info:
        sla_compliance(G)
    assert len(info.value.problems) == 3
    with pytest.raises(ParameterError, match="'G' parameter of sla_breaches"):
        sla_breaches({"a": 1})  # type: ignore[arg-type]


@pytest.mark.oracle
def test_compliance_on_a_mined_log_counts_the_waits(shared_data):
    G = ic.from_event_log(shared_data / "eventlogs" / "receipt.csv", time_unit="hour")
    handoffs = [e for e in G.edges(data=True) if "lead_time" in e[2]]
    u, v, data = max(handoffs, key=lambda e: e[2]["volume"])
    G.edges[u, v]["sla"] = 24.0
    waits = np.asarray(data["lead_time"].samples)
    assert sla_compliance(G)[(u, v)] == np.count_nonzero(waits <= 24.0) / len(waits)


def test_every_service_of_a_services_list_counts():
    G = ic.org_graph()
    G.add_edge(
        "IT",
        "clerk",
        services=[
            {"deliverable": "PMS access", "volume": 3, "sla": 1, "lead_time": 0.5},
            {"deliverable": "printer", "volume": 1, "sla": 1, "lead_time": 2},
            {"deliverable": "advice", "volume": 5},
        ],
    )
    # three requests in four (by volume) of those with an SLA are on time
    assert sla_compliance(G)[("IT", "clerk")] == pytest.approx(0.75)
    rows = sla_breaches(G).services
    assert [(r["deliverable"], r["compliance"], r["breaches"]) for r in rows] == [
        ("printer", 0.0, 1.0),
        ("PMS access", 1.0, 0.0),
    ]
    G.edges["IT", "clerk"]["services"][1]["sla"] = -1
    with pytest.raises(SchemaError, match=r"sla of edge \('IT', 'clerk'\)"):
        sla_compliance(G)
