"""recognition: each column equals the function it comes from; the hidden-contributor flag."""

from __future__ import annotations

import json

import pytest

import intcust as ic
from intcust.errors import ParameterError, UnknownNodeError
from intcust.graph.schema import edge_services
from intcust.metrics import (
    contribution,
    read_survey,
    recognition,
    service_load,
    sla_breaches,
)


def back_office() -> ic.CompiledOrg:
    """A clerk whose work everything rests on, whom no customer and no manager sees.

    Clients get their service from the account manager, who needs the
    analyst's reports, which need the clerk's contracts; shoppers get orders
    from the sales rep, who needs the clerk's quotes and the account
    manager's approval. Shapley: clients' 50 split three ways (manager,
    analyst, clerk), shoppers' 50 four ways (and the sales rep): 50/3 + 50/4
    each for the first three, 12.5 for the sales rep; an equal share is 25.
    """
    G = ic.org_graph(name="Back office")
    ic.add_stakeholder(G, "clients", kind="external")
    ic.add_stakeholder(G, "shoppers", kind="external")
    ic.add_stakeholder(G, "account manager", role="Key account manager")
    ic.add_stakeholder(G, "sales rep", role="sales representative")
    ic.add_stakeholder(G, "analyst", role="analyst")
    ic.add_stakeholder(G, "clerk", role="back-office clerk")
    ic.add_stakeholder(G, "intern", role="intern")
    ic.add_service(G, "account manager", "clients", deliverable="service", volume=50)
    ic.add_service(G, "sales rep", "shoppers", deliverable="orders", volume=50)
    ic.add_service(G, "analyst", "account manager", deliverable="reports", volume=5)
    ic.add_service(G, "clerk", "analyst", deliverable="contracts", volume=5)
    ic.add_service(G, "clerk", "sales rep", deliverable="quotes", volume=10)
    ic.add_service(G, "account manager", "sales rep", deliverable="approval", volume=2)
    ic.add_service(G, "intern", "sales rep", deliverable="notes", blocking=False)
    return G


def test_the_hidden_contributor_is_flagged_and_the_manager_is_not():
    rec = recognition(back_office(), n=300, seed=2)
    assert rec.hidden() == ["clerk"]
    assert rec["clerk"]["visibility"] == 0 and rec["clerk"]["hidden"]
    assert rec["clerk"]["contribution"] == pytest.approx(50 / 3 + 50 / 4)
    assert rec["sales rep"]["contribution"] == pytest.approx(12.5)
    manager = rec["account manager"]
    assert manager["contribution"] == pytest.approx(50 / 3 + 50 / 4)  # as large, but seen
    assert manager["visibility"] == 1 and not manager["hidden"]
    # as large again, but reports to the manager
    assert rec["analyst"]["visibility"] == 1 and not rec["analyst"]["hidden"]
    assert rec["intern"]["contribution"] == 0 and not rec["intern"]["hidden"]
    assert list(rec)[:3] == ["account manager", "analyst", "clerk"]
    assert "a hidden contributor" in rec.why("clerk")
    assert "deals directly with 1 paying customer or manager" in rec.why("account manager")


@pytest.mark.parametrize("name", ["hotel", "company", "call_center", "email_campaign"])
def test_each_column_equals_its_source(name):
    G = getattr(ic.datasets, name)()
    rec = recognition(G, n=400, seed=5)
    share = contribution(G, seed=5)
    mc = ic.sim.monte_carlo(G, 400, seed=5)
    customers = [str(c) for c in ic.external_customers(G)]
    services = sla_breaches(G).services
    load = service_load(G)
    externals = set(ic.external_customers(G))
    assert set(rec) == set(G) - externals
    for v, row in rec.items():
        assert row["contribution"] == pytest.approx(share.total[v])
        per_customer = mc.criticality_by_customer[v]
        assert row["criticality"] == max(per_customer[c] for c in customers)
        assert rec.criticality_by_customer[v] == per_customer
        assert row["reach"] == load[v]["customers"]
        met = [(r["volume"], r["compliance"]) for r in services if r["supplier"] == v]
        if met:
            expected = sum(w * c for w, c in met) / sum(w for w, _ in met)
            assert row["reliability"] == pytest.approx(expected)
        else:
            assert row["reliability"] is None
        rated = [
            (float(s.get("volume", 1.0)), s["satisfaction"])
            for w, d in G[v].items()
            if w not in externals
            for s in edge_services(d)
            if s.get("satisfaction") is not None
        ]
        if rated:
            expected = sum(w * x for w, x in rated) / sum(w for w, _ in rated)
            assert row["satisfaction"] == pytest.approx(expected)
        else:
            assert row["satisfaction"] is None
    json.dumps(rec.to_dict(), allow_nan=False)


def test_the_survey_replaces_the_ratings():
    G = ic.datasets.hotel()
    records = [("reception", "IT", 5), ("accounts", "IT", 5), ("kitchen", "butcher", 2)]
    survey = read_survey(records, G=G)
    rec = recognition(G, survey=survey, n=200, seed=1)
    assert rec["IT"]["satisfaction"] == 1.0
    assert rec["butcher"]["satisfaction"] == pytest.approx(0.25)
    assert rec["housekeeping"]["satisfaction"] == 0.7  # not surveyed: the organisation's
    same = recognition(G, survey=records, n=200, seed=1)
    assert same.to_dict() == rec.to_dict()


def test_team_of_the_month():
    G = ic.datasets.company()
    rec = recognition(G, level="unit", n=300, seed=3)
    units = contribution(G, level="unit", seed=3)
    load = service_load(G, level="unit")
    for unit, row in rec.items():
        assert row["contribution"] == pytest.approx(units.total[unit])
        assert row["reach"] == load[unit]["customers"]
    members = {}
    for v, u in G.nodes(data="unit"):
        if u is not None and G.nodes[v].get("kind") != "external":
            members.setdefault(u, []).append(v)
    mc = ic.sim.monte_carlo(G, 300, seed=3, level="unit")
    customers = [str(c) for c in ic.external_customers(G)]
    for unit in members:
        row = mc.criticality_by_customer[unit]
        assert rec[unit]["criticality"] == max(row[c] for c in customers)
    assert rec.level == "unit" and "units" in repr(rec)


def test_a_stakeholder_without_a_unit_is_a_team_of_its_own():
    """The hotel's contract butcher has no unit: its team-of-the-month row is its own."""
    G = ic.datasets.hotel()
    assert G.nodes["butcher"].get("unit") is None
    teams = recognition(G, level="unit", n=400, seed=5)
    people = recognition(G, n=400, seed=5)
    alone, person = teams["butcher"], people["butcher"]
    assert person["criticality"] > 0
    assert alone["criticality"] == person["criticality"]
    assert teams.criticality_by_customer["butcher"] == people.criticality_by_customer["butcher"]
    assert set(teams.criticality_by_customer) == set(teams)
    assert alone["contribution"] == pytest.approx(person["contribution"])
    assert (alone["reach"], alone["reliability"]) == (person["reach"], person["reliability"])
    # the units keep their own Monte Carlo rows
    mc = ic.sim.monte_carlo(G, 400, seed=5, level="unit")
    assert teams.criticality_by_customer["Purchasing"] == mc.criticality_by_customer["Purchasing"]


def test_rank_by_and_the_sources():
    rec = recognition(ic.datasets.hotel(), rank_by="reliability", n=200, seed=1)
    values = [row["reliability"] for row in rec.values()]
    known = [x for x in values if x is not None]
    assert known == sorted(known, reverse=True)
    assert values[len(known) :] == [None] * (len(values) - len(known))
    assert set(rec.sources) == set(rec.columns)
    assert "<table>" in rec._repr_html_() and "definition and source" in rec._repr_html_()


def test_managers_can_be_named():
    G = back_office()
    rec = recognition(G, managers=["analyst"], n=200, seed=1)
    assert rec["clerk"]["visibility"] == 1 and not rec["clerk"]["hidden"]


def test_a_log_makes_reliability_measured():
    G = ic.datasets.hotel()
    log = ic.org_graph()
    ic.add_service(log, "IT", "reception", lead_time=ic.sim.Empirical([0.1, 0.5]))
    ic.add_service(log, "IT", "accounts", lead_time=ic.sim.Empirical([0.1]))
    rec = recognition(G, log=log, n=200, seed=1)
    assert rec["IT"]["reliability"] == pytest.approx((40 * 0.5 + 25 * 1.0) / 65)
    assert rec.notes[0] == "2 services measured from the log"


@pytest.mark.parametrize(
    ("kwargs", "exc", "fragment"),
    [
        ({"level": "team"}, ParameterError, "'level' parameter of recognition"),
        ({"rank_by": "hidden"}, ParameterError, "'rank_by' parameter of recognition"),
        ({"n": 0}, ParameterError, "'n' parameter of recognition"),
        ({"managers": ["ghost"]}, UnknownNodeError, "'managers' parameter of recognition"),
        ({"managers": "IT"}, ParameterError, "iterable of nodes"),
        ({"log": 3}, ParameterError, "'log' parameter of recognition"),
    ],
)
def test_bad_arguments(kwargs, exc, fragment):
    with pytest.raises(exc, match=fragment):
        recognition(ic.datasets.hotel(), **kwargs)
    with pytest.raises(UnknownNodeError, match="'node' parameter of why"):
        recognition(ic.datasets.hotel(), n=50).why("guests")
