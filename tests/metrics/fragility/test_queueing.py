"""Utilisation and Erlang C waits against the Erlang B recursion and a ciw simulation."""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import intcust as ic
from intcust.metrics.fragility.queueing import erlang_c, utilisation


def erlang_b(c: int, a: float) -> float:
    """Erlang B by its recursion B(k) = a B(k-1) / (k + a B(k-1))."""
    b = 1.0
    for k in range(1, c + 1):
        b = a * b / (k + a * b)
    return b


def wait_oracle(lam: float, mu: float, c: int) -> float:
    """W_q of M/M/c through Erlang B: C = c B / (c - a (1 - B))."""
    a = lam / mu
    b = erlang_b(c, a)
    pw = c * b / (c - a * (1 - b))
    return pw / (c * mu - lam)


def one_supplier(lam: float, mu: float | None, c: int) -> ic.results.NodeTable:
    G = ic.org_graph()
    ic.add_stakeholder(G, "desk", capacity=mu, servers=c)
    ic.add_stakeholder(G, "a")
    ic.add_stakeholder(G, "b")
    ic.add_service(G, "desk", "a", volume=lam / 4)
    ic.add_service(G, "desk", "b", volume=3 * lam / 4)
    return utilisation(G)


@given(
    st.integers(1, 60),
    st.floats(0.05, 50),
    st.floats(0.01, 0.995),
)
def test_wait_matches_closed_form(c: int, mu: float, rho: float) -> None:
    lam = rho * c * mu
    row = one_supplier(lam, mu, c)["desk"]
    assert row["state"] == "ok"
    assert row["utilisation"] == pytest.approx(rho, rel=1e-9)
    assert row["wait"] == pytest.approx(wait_oracle(lam, mu, c), rel=1e-7)
    assert 0 <= row["p_wait"] <= 1


def test_erlang_c_textbook_values() -> None:
    # M/M/1: C = rho; M/M/2 with a = 1: C = 1/3
    assert erlang_c(np.array([0.3]), np.array([1]))[0] == pytest.approx(0.3)
    assert erlang_c(np.array([1.0]), np.array([2]))[0] == pytest.approx(1 / 3)
    assert erlang_c(np.array([0.0]), np.array([3]))[0] == 0.0
    # large c stays finite
    assert 0 < erlang_c(np.array([900.0]), np.array([1000]))[0] < 1


@pytest.mark.parametrize("lam", [2.0, 2.5, 7.0])
def test_overloaded_is_a_state_not_a_number(lam: float) -> None:
    row = one_supplier(lam, 1.0, 2)["desk"]
    assert row["state"] == "overloaded"
    assert row["utilisation"] == pytest.approx(lam / 2)
    assert row["wait"] is None and row["p_wait"] is None


def test_capacity_unknown_is_not_zero() -> None:
    t = one_supplier(3.0, None, 1)
    assert t["desk"]["state"] == "capacity unknown"
    assert t["desk"]["capacity"] is None and t["desk"]["utilisation"] is None
    assert t["desk"]["load"] == 3.0


def test_customers_waiting_longest_and_units() -> None:
    G = ic.org_graph()
    ic.add_stakeholder(G, "slow", unit="Ops", capacity=1.0)
    ic.add_stakeholder(G, "fast", unit="Ops", capacity=10.0)
    ic.add_stakeholder(G, "jammed", unit="IT", capacity=1.0)
    ic.add_stakeholder(G, "c1")
    ic.add_stakeholder(G, "c2")
    ic.add_service(G, "slow", "c1", volume=0.8)
    ic.add_service(G, "fast", "c1", volume=1.0)
    ic.add_service(G, "fast", "c2", volume=1.0)
    ic.add_service(G, "jammed", "c2", volume=2.0)
    t = utilisation(G)
    assert t["c1"]["waits_on"] == "slow"
    assert t["c1"]["customer_wait"] == pytest.approx(wait_oracle(0.8, 1.0, 1))
    assert t["c2"]["waits_on"] == "jammed" and t["c2"]["customer_wait"] is None
    assert t["slow"]["waits_on"] is None
    u = utilisation(G, level="unit")
    assert set(u) == {"Ops", "IT"}
    assert u["Ops"]["servers"] == 2
    assert u["Ops"]["utilisation"] == pytest.approx(2.8 / 11.0)
    assert u["Ops"]["wait"] == pytest.approx(wait_oracle(2.8, 5.5, 2))
    assert u["IT"]["state"] == "overloaded"
    scaled = utilisation(G, period=5.0)
    assert scaled["slow"]["wait"] == pytest.approx(5 * t["slow"]["wait"])


def test_bad_arguments() -> None:
    G = ic.datasets.email_campaign()
    with pytest.raises(ic.ParameterError, match="'level' parameter of utilisation"):
        utilisation(G, level="team")
    with pytest.raises(ic.ParameterError, match="'period' parameter of utilisation"):
        utilisation(G, period=0)
    G.edges["designer", "sender"]["load"] = "lots"
    with pytest.raises(ic.ParameterError, match=r"load of edge .* for utilisation.*'lots'"):
        utilisation(G, weight="load")
    assert utilisation(G, weight="volume")["sender"]["load"] == 8.0


@pytest.mark.oracle
@pytest.mark.parametrize(("lam", "mu", "c"), [(3.0, 2.0, 2), (0.8, 1.0, 1)])
def test_wait_within_ciw_confidence_interval(lam: float, mu: float, c: int) -> None:
    ciw = pytest.importorskip("ciw", reason="ciw is an optional queueing oracle")
    means = []
    horizon, warmup = 3000.0, 300.0
    for seed in range(8):
        network = ciw.create_network(
            arrival_distributions=[ciw.dists.Exponential(rate=lam)],
            service_distributions=[ciw.dists.Exponential(rate=mu)],
            number_of_servers=[c],
        )
        ciw.seed(seed)
        sim = ciw.Simulation(network)
        sim.simulate_until_max_time(horizon)
        waits = [r.waiting_time for r in sim.get_all_records() if r.arrival_date > warmup]
        means.append(float(np.mean(waits)))
    m, s = float(np.mean(means)), float(np.std(means, ddof=1))
    half = 3.5 * s / math.sqrt(len(means))  # t(7) 0.995 quantile is 3.5
    got = one_supplier(lam, mu, c)["desk"]["wait"]
    assert abs(got - m) <= half, (got, m, half)


def test_old_name_of_level_still_works_with_a_warning() -> None:
    G = ic.datasets.hotel()
    with pytest.warns(DeprecationWarning, match="'by' parameter of utilisation is called 'level'"):
        old = utilisation(G, by="unit")
    assert old.to_dict() == utilisation(G, level="unit").to_dict()
    with pytest.warns(DeprecationWarning, match="'by' parameter of utilisation"):
        per_node = utilisation(G, by="node")
    assert per_node.to_dict() == utilisation(G).to_dict()


def _hotel_with_alternatives() -> nx.DiGraph:
    """A room attendant gets IT support from an overloaded technician or a spare contractor."""
    G = ic.org_graph(name="Hotel", time_unit="hour", period=24.0)
    ic.add_stakeholder(G, "technician", unit="IT", capacity=10.0)
    ic.add_stakeholder(G, "contractor", employment="contractor", capacity=12.0)
    ic.add_stakeholder(G, "room attendant", unit="Housekeeping")
    ic.add_stakeholder(G, "receptionist", unit="Front office")
    ic.add_service(G, "technician", "room attendant", deliverable="IT support", volume=5)
    ic.add_service(G, "contractor", "room attendant", deliverable="IT support", volume=8)
    ic.add_service(G, "technician", "receptionist", deliverable="IT support", volume=8)
    return G


def test_a_spare_alternative_supplier_is_what_a_customer_waits_on() -> None:
    G = _hotel_with_alternatives()
    t = utilisation(G)
    assert t["technician"]["utilisation"] == pytest.approx(1.3)  # overloaded
    assert t["contractor"]["utilisation"] == pytest.approx(8 / 12)
    # the attendant can get IT support from the contractor: it does not wait on the
    # overloaded technician, and waits as long as the contractor's queue keeps it
    assert t["room attendant"]["waits_on"] == "contractor"
    assert t["room attendant"]["customer_wait"] == pytest.approx(24 * wait_oracle(8, 12, 1))
    # the receptionist has no alternative: its queue grows without bound
    assert t["receptionist"]["waits_on"] == "technician"
    assert t["receptionist"]["customer_wait"] is None


def test_waits_count_in_the_graph_time_unit_over_its_period() -> None:
    G = _hotel_with_alternatives()
    in_hours = utilisation(G)
    assert "hours" in in_hours.description
    del G.graph["period"]
    in_periods = utilisation(G)
    assert "periods" in in_periods.description
    wait = in_periods["contractor"]["wait"]
    assert in_hours["contractor"]["wait"] == pytest.approx(24 * wait)
    assert utilisation(G, period=8.0)["contractor"]["wait"] == pytest.approx(8 * wait)
