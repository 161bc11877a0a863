"""The bundled example organisations: valid, and telling the story they claim."""

from __future__ import annotations

from collections.abc import Callable

import networkx as nx
import pytest

import intcust as ic
from intcust.graph import datasets
from intcust.graph.schema import EMPLOYMENT, is_blocking

EXAMPLES: list[Callable[[], nx.DiGraph]] = [
    datasets.email_campaign,
    datasets.hotel,
    datasets.call_center,
    datasets.company,
]


def utilisation(G: nx.DiGraph, node: str) -> float:
    volume = sum(d.get("volume", 1.0) for _, _, d in G.out_edges(node, data=True))
    return volume / (G.nodes[node].get("servers", 1) * G.nodes[node]["capacity"])


def suppliers(G: nx.DiGraph, customer: str, deliverable: str) -> list[str]:
    return [u for u, _, d in G.in_edges(customer, data="deliverable") if d == deliverable]


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda f: f.__name__)
def test_each_example_is_a_valid_organisation_that_compiles(example):
    G = example()
    ic.validate(G)
    C = ic.compile(G)
    assert C.n_nodes == G.number_of_nodes() and C.n_edges == G.number_of_edges()
    assert ic.external_customers(G), "every example ends in a paying customer"
    for c in ic.external_customers(G):
        assert G.nodes[c].get("due") is not None
        assert len(ic.value_stream(G, c)) > 1
    assert G.graph["time_unit"]
    assert example() is not G and nx.utils.graphs_equal(example(), G)  # fresh each call


@pytest.mark.parametrize("example", EXAMPLES[1:], ids=lambda f: f.__name__)
def test_examples_have_realistic_attributes(example):
    G = example()
    dists = {type(w).__name__ for _, w in G.nodes(data="work") if w is not None}
    assert dists & {"PERT", "Triangular", "LogNormal"}
    internal = [n for n, d in G.nodes(data=True) if d["kind"] != "external" and "unit" in d]
    assert len({G.nodes[n]["unit"] for n in internal}) >= 2
    assert all(v > 0 for _, _, v in G.edges(data="volume", default=1.0))
    assert any(d.get("capacity") for _, d in G.nodes(data=True))


def test_email_campaign_is_unchanged():
    G = datasets.email_campaign()
    assert list(G) == ["designer", "list keeper", "sender", "campaign", "customers"]
    assert G.number_of_edges() == 5
    assert G.nodes["customers"]["due"] == 5.0


def test_hotel_structure():
    G = datasets.hotel()
    kinds = {n: (d["kind"], d.get("unit")) for n, d in G.nodes(data=True)}
    assert kinds["kitchen"] == ("team", "Kitchen")
    assert kinds["service staff"] == ("team", "Service")
    assert kinds["reception"] == ("team", "Front office")
    assert kinds["housekeeping"] == ("team", "Housekeeping")
    assert kinds["IT"] == ("team", "IT")
    assert kinds["accounts"] == ("team", "Accounts")
    assert kinds["purchasing"] == ("team", "Purchasing")
    assert kinds["guests"][0] == "external" and G.nodes["guests"]["due"] > 0
    for path in (
        ["kitchen", "service staff", "guests"],
        ["reception", "guests"],
        ["housekeeping", "reception"],
        ["accounts", "guests"],
        ["purchasing", "kitchen"],
    ):
        assert nx.is_path(G, path) and all(
            is_blocking(G.edges[e]) for e in nx.utils.pairwise(path)
        )
    assert G.edges["housekeeping", "reception"]["deliverable"] == "clean rooms"
    # IT is the sole supplier of "PMS access" to reception and accounts, and overloaded
    for customer in ("reception", "accounts"):
        assert suppliers(G, customer, "PMS access") == ["IT"]
    assert {v for u, v, d in G.edges(data="deliverable") if d == "PMS access"} == {
        "reception",
        "accounts",
    }
    assert utilisation(G, "IT") == pytest.approx(1.3, abs=0.05)
    # an OR join: two alternative suppliers of the kitchen's ingredients
    alternatives = suppliers(G, "kitchen", G.edges["purchasing", "kitchen"]["deliverable"])
    assert sorted(alternatives) == ["butcher", "purchasing"]
    assert G.nodes["butcher"]["kind"] == "person"


def test_hotel_schedule_meets_the_guests_due_at_the_mode():
    sch = ic.sim.schedule(datasets.hotel())
    assert 0 < sch.finish["guests"] <= datasets.hotel().nodes["guests"]["due"]


def test_call_center_structure():
    G = datasets.call_center()
    names = {"accounts", "IT help desk", "PMS", "team lead 1", "team lead 2", "callers"}
    names |= {f"agent {i}" for i in range(1, 7)}
    assert set(G) == names
    assert G.nodes["PMS"]["kind"] == "team" and G.nodes["PMS"]["unit"] == "IT"
    assert G.nodes["callers"]["kind"] == "external"
    # accounts turns to the help desk when it cannot reach the PMS: alternatives
    assert sorted(suppliers(G, "accounts", "PMS access")) == ["IT help desk", "PMS"]
    assert not is_blocking(G.edges["accounts", "IT help desk"])
    assert sorted(suppliers(G, "callers", "answered call")) == [f"agent {i}" for i in range(1, 7)]
    for i in range(1, 7):
        lead = "team lead 1" if i <= 3 else "team lead 2"
        assert is_blocking(G.edges[lead, f"agent {i}"])


def test_company_structure():
    G = datasets.company()
    employees = [n for n, d in G.nodes(data=True) if d["kind"] == "person" and "unit" in d]
    assert 55 <= len(employees) <= 65
    units = {G.nodes[n]["unit"] for n in employees}
    assert units == {"Marketing", "Sales", "IT", "HR", "Production", "Finance"}
    for shared in ("HR", "IT"):
        assert G.nodes[shared]["kind"] == "department" and G.nodes[shared]["unit"] == shared
        assert all(G.has_edge(shared, n) for n in employees)
    assert G.nodes["HR"].get("capacity") and utilisation(G, "HR") >= 1.0
    hr_deliverable = {G.edges["HR", n]["deliverable"] for n in employees}
    assert len(hr_deliverable) == 1
    (hr_d,) = hr_deliverable
    assert all(suppliers(G, n, hr_d) == ["HR"] for n in employees)
    assert {G.edges["IT", n]["deliverable"] for n in employees} == {"IT support"}
    assert any(is_blocking(G.edges["IT", n]) for n in employees)
    # HR does not gate most people's work
    gated = [n for n in employees if is_blocking(G.edges["HR", n])]
    assert 0 < len(gated) < len(employees) / 4
    assert {G.nodes[n]["employment"] for n in gated} == {"temporary"}
    # marketing supplies sales
    assert any(
        G.nodes[u].get("unit") == "Marketing" and G.nodes[v].get("unit") == "Sales"
        for u, v in G.edges
    )
    assert {d.get("employment") for _, d in G.nodes(data=True)} - {None} == set(EMPLOYMENT)
    owners = [n for n, d in G.nodes(data=True) if d.get("employment") == "shareholder"]
    assert owners and all(
        G.in_edges(o) and not any(is_blocking(d) for _, _, d in G.in_edges(o, data=True))
        for o in owners
    )
    customers = ic.external_customers(G)
    assert len(customers) >= 2
    assert all(G.nodes[c]["due"] > 0 for c in customers)
    two_way = [(u, v) for u, v in G.edges if G.has_edge(v, u)]
    assert len(two_way) >= 4
    assert any(not is_blocking(G.edges[e]) for e in two_way)
    assert any(d.get("lag") == 1 for _, _, d in G.edges(data=True))
    sch = ic.sim.schedule(G)
    assert all(0 < sch.finish[c] <= G.nodes[c]["due"] for c in customers)


def test_public_module_is_explicit():
    names = [n for n in ic.datasets.__all__ if n != "EXAMPLES"]
    assert names == sorted(names) and ic.datasets.__all__[0] == "EXAMPLES"
    assert {"call_center", "company", "email_campaign", "generate_org", "hotel"} <= set(names)
    for name in names:
        assert getattr(ic.datasets, name) is getattr(datasets, name, ic.datasets.generate_org)


def test_examples_lists_every_bundled_organisation():
    for name in ic.datasets.EXAMPLES:
        assert isinstance(getattr(ic.datasets, name)(), nx.DiGraph), name
    others = set(ic.datasets.__all__) - set(ic.datasets.EXAMPLES) - {"EXAMPLES", "generate_org"}
    assert others == {"hotel_survey", "hotel_tickets"}  # records, not organisations


def test_the_hotel_survey_and_tickets_tell_the_it_story():
    G = ic.datasets.hotel()
    records = ic.datasets.hotel_survey()
    assert len(records) == 21 and all(1 <= r[2] <= 5 for r in records)
    survey = ic.metrics.read_survey(records, G=G)
    assert set(survey.ratings) <= set(G.edges)
    worst = min(survey.ratings, key=survey.ratings.get)
    assert worst == ("IT", "reception")
    pytest.importorskip("pandas")
    from intcust.graph.datasets.hospitality_records import TICKET_COLUMNS

    tickets = ic.datasets.hotel_tickets()
    assert tickets.equals(ic.datasets.hotel_tickets())  # the same every call
    desk = ic.from_tickets(tickets, level="unit", time_unit="hour", **TICKET_COLUMNS)
    pms = ic.metrics.sla_breaches(desk).services
    on_time = {(r["customer"], r["deliverable"]): r["compliance"] for r in pms}
    assert 0.2 < on_time[("reception", "PMS access")] < 0.8
    assert desk.graph["tickets"]["open"] == 3
    rec = ic.metrics.recognition(G, survey=survey, log=desk, n=200, seed=1)
    assert rec.notes[0] == "2 services measured from the log"
    assert rec["IT"]["satisfaction"] < rec["housekeeping"]["satisfaction"]
