"""with_measurements: a plan overlaid with what a log observed."""

from __future__ import annotations

import pytest

import intcust as ic
from intcust.errors import ParameterError
from intcust.metrics.service.measured import with_measurements
from intcust.sim import Empirical


def _plan():
    G = ic.org_graph()
    G.add_edge(
        "IT",
        "clerk",
        services=[
            {"deliverable": "PMS access", "lead_time": 1.0, "sla": 2.0, "volume": 5},
            {"deliverable": "printer", "lead_time": 4.0, "volume": 1},
        ],
    )
    ic.add_service(G, "HR", "clerk", deliverable="payroll", lead_time=3.0, satisfaction=0.9)
    return G


def test_matching_by_the_only_service_or_by_deliverable():
    G = _plan()
    log = ic.org_graph()
    log.add_edge(
        "IT",
        "clerk",
        services=[
            {"deliverable": "printer", "lead_time": Empirical([1, 2]), "sla": 3.0},
            {"deliverable": "network", "lead_time": 1.0},
        ],
    )
    ic.add_service(
        log, "HR", "clerk", deliverable="HR", lead_time=Empirical([5.0]), satisfaction=0.2
    )
    ic.add_service(log, "HR", "boss", deliverable="HR", lead_time=1.0)
    m = with_measurements(G, log, func="test")
    assert m.services == (("IT", "clerk", "printer"), ("HR", "clerk", "payroll"))
    assert m.unmatched == (("IT", "clerk", "network"), ("HR", "boss", "HR"))
    pms, printer = m.G.edges["IT", "clerk"]["services"]
    assert pms["lead_time"] == 1.0 and printer["lead_time"].samples == (1.0, 2.0)
    assert printer["sla"] == 3.0  # the plan had none
    hr = m.G.edges["HR", "clerk"]
    assert hr["lead_time"].samples == (5.0,) and hr["satisfaction"] == 0.9  # the plan's stays
    assert printer.get("satisfaction") is None
    assert hr["deliverable"] == "payroll"
    # the plan itself is untouched
    assert G.edges["IT", "clerk"]["services"][1]["lead_time"] == 4.0
    assert m.notes() == [
        "2 services measured from the log",
        "2 services of the log are not services of the organisation and are left out",
    ]


def test_ratings_fill_in_where_the_plan_has_none():
    G = _plan()
    del G.edges["HR", "clerk"]["satisfaction"]
    log = ic.org_graph()
    ic.add_service(log, "HR", "clerk", satisfaction=0.2)
    log.edges["HR", "clerk"]["satisfaction_n"] = 7
    edge = with_measurements(G, log, func="test").G.edges["HR", "clerk"]
    assert (edge["satisfaction"], edge["satisfaction_n"]) == (0.2, 7)


def test_the_plan_keeps_its_sla_and_volume():
    G = _plan()
    log = ic.org_graph()
    log.add_edge("IT", "clerk", services=[{"deliverable": "PMS access", "sla": 9.0, "volume": 70}])
    edge = with_measurements(G, log, func="test").G.edges["IT", "clerk"]
    assert edge["services"][0]["sla"] == 2.0 and edge["services"][0]["volume"] == 5


def test_no_log_and_a_bad_log():
    G = _plan()
    assert with_measurements(G, None, func="test").G is G
    with pytest.raises(ParameterError, match="'log' parameter of recognition"):
        with_measurements(G, "tickets.csv", func="recognition")  # type: ignore[arg-type]
