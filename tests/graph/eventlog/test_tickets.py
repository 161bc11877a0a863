"""from_tickets: a service desk's tickets as an organisation, against hand-computed values."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

import intcust as ic
from intcust.errors import ParameterError, ReadError

pd = pytest.importorskip("pandas")

START = pd.Timestamp("2024-01-01 00:00")


def _ticket(requester, unit, team, agent, day, hours, rating=None, target=None, category="PMS"):
    opened = START + pd.Timedelta(days=day)
    resolved = "" if hours is None else str(opened + pd.Timedelta(hours=hours))
    return {
        "requester": requester,
        "dept": unit,
        "team": team,
        "agent": agent,
        "category": category,
        "opened": str(opened),
        "resolved": resolved,
        "rating": rating,
        "target": target,
    }


def planted() -> pd.DataFrame:
    """28 days of tickets with known answers.

    - IT -> ann: 40 tickets, resolved in 1, 2, 3 and 10 hours (ten of each),
      target 4 h, every other one rated 4 of 5;
    - IT -> bob: 20 tickets, 18 resolved in 5 h and 2 still open, target 4 h;
    - HR -> cem: 8 tickets resolved in 24 h, target 48 h, all rated 5.
    IT's two agents alternate; HR has one. The last ticket opens on day 28.
    """
    rows = []
    for i in range(40):
        hours = (1, 2, 3, 10)[i % 4]
        rating = 4 if i % 2 == 0 else None
        rows.append(_ticket("ann", "Sales", "IT", f"a{i % 2}", i * 0.5, hours, rating, 4))
    for i in range(20):
        hours = None if i >= 18 else 5
        rows.append(_ticket("bob", "Sales", "IT", f"a{i % 2}", 1 + i, hours, None, 4))
    for i in range(8):
        rows.append(_ticket("cem", "Ops", "HR", "h0", 0.25 + i * 3.5, 24, 5, 48))
    rows[-1]["opened"] = str(START + pd.Timedelta(days=28))
    rows[-1]["resolved"] = str(START + pd.Timedelta(days=29))
    return pd.DataFrame(rows)


def read(frame=None, **kw):
    options = {
        "agent": "agent",
        "requester_unit": "dept",
        "category": "category",
        "satisfaction": "rating",
        "sla": "target",
        "time_unit": "hour",
        "period": 24 * 7,
    }
    options.update(kw)
    return ic.from_tickets(planted() if frame is None else frame, **options)


def test_team_level_organisation_equals_hand_computed_values():
    G = read(level="unit", requester_unit=None)
    assert sorted(G.edges) == [("HR", "cem"), ("IT", "ann"), ("IT", "bob")]
    week = 7 / 28  # four weeks of tickets, counted per week
    ann, bob, cem = G.edges["IT", "ann"], G.edges["IT", "bob"], G.edges["HR", "cem"]
    assert ann["volume"] == pytest.approx(40 * week)
    assert bob["volume"] == pytest.approx(20 * week)
    assert cem["volume"] == pytest.approx(8 * week)
    assert sorted(ann["lead_time"].samples) == [1.0] * 10 + [2.0] * 10 + [3.0] * 10 + [10.0] * 10
    assert bob["lead_time"].samples == (5.0,) * 18 and bob["open_tickets"] == 2
    assert ann["satisfaction"] == pytest.approx(0.75) and ann["satisfaction_n"] == 20
    assert cem["satisfaction"] == 1.0 and "satisfaction" not in bob
    assert (ann["sla"], bob["sla"], cem["sla"]) == (4.0, 4.0, 48.0)
    assert ann["deliverable"] == "PMS"
    assert G.nodes["IT"]["kind"] == "team" and G.nodes["IT"]["servers"] == 2
    stats = G.graph["tickets"]
    assert (stats["tickets"], stats["open"], stats["dropped"]) == (68, 2, 0)
    assert stats["span"] == pytest.approx(28 * 24)
    assert G.graph["period"] == 24 * 7 and G.graph["time_unit"] == "hour"
    ic.validate(G)


def test_sla_compliance_and_utilisation_equal_hand_computed_values():
    G = read(level="unit", capacity={"IT": 6, "HR": 10})
    assert sorted(G.edges) == [("HR", "Ops"), ("IT", "Sales")]
    compliance = ic.metrics.sla_compliance(G)
    # IT -> Sales: 30 of 40 within 4 h for ann, none of bob's 18 in 5 h
    assert compliance[("IT", "Sales")] == pytest.approx(30 / 58)
    assert compliance[("HR", "Ops")] == 1.0
    u = ic.metrics.utilisation(G)
    # IT: 60 tickets in 4 weeks = 15 a week, on 2 agents of 6 a week each
    assert u["IT"]["load"] == pytest.approx(15.0)
    assert u["IT"]["servers"] == 2
    assert u["IT"]["utilisation"] == pytest.approx(15 / 12)
    assert u["IT"]["state"] == "overloaded"
    assert u["HR"]["utilisation"] == pytest.approx(2 / 10)
    assert u["HR"]["state"] == "ok"


def test_person_level_agents_are_alternative_suppliers():
    G = read()
    assert sorted(G.predecessors("ann")) == ["a0", "a1"]
    assert G.nodes["a0"]["unit"] == "IT" and G.nodes["a0"]["kind"] == "person"
    assert G.nodes["ann"]["unit"] == "Sales" and G.nodes["cem"]["unit"] == "Ops"
    assert G.edges["a0", "ann"]["deliverable"] == G.edges["a1", "ann"]["deliverable"] == "PMS"
    assert G.edges["a0", "ann"]["volume"] == pytest.approx(20 * 7 / 28)
    # either agent alone keeps ann served: neither is a single point of failure for her
    spof = ic.metrics.single_points_of_failure(G, customer="ann")
    assert spof["a0"]["n_customers"] == 0


def test_categories_give_several_services_and_targets_per_category():
    frame = planted()
    frame.loc[(frame.index % 2 == 1) & (frame.team == "IT"), "category"] = "password"
    G = read(frame, level="unit", sla={"PMS": 4, "password": 1}, agent=None)
    services = G.edges["IT", "Sales"]["services"]
    assert [s["deliverable"] for s in services] == ["PMS", "password"]
    assert [s["sla"] for s in services] == [4.0, 1.0]
    assert sum(s["volume"] for s in services) == pytest.approx(60 * 7 / 28)
    C = ic.compile(G)
    assert C.n_edges == 3 and C.n_pairs == 2


def test_csv_file_equals_the_frame(tmp_path: Path):
    path = tmp_path / "desk.csv"
    planted().to_csv(path, index=False)
    seen = []
    from_file = read(str(path), progress=lambda done, total: seen.append((done, total)))
    from_frame = read()
    assert sorted(from_file.edges) == sorted(from_frame.edges)
    for u, v in from_frame.edges:
        a, b = from_file.edges[u, v], from_frame.edges[u, v]
        assert a["lead_time"].samples == b["lead_time"].samples
        assert a["volume"] == pytest.approx(b["volume"])
    assert seen and seen[-1][0] == seen[-1][1]
    assert from_file.graph["tickets"]["source"] == str(path)


def test_missing_values_are_dropped_and_counted():
    frame = planted()
    frame.loc[3, "team"] = None
    frame.loc[5, "requester"] = ""
    with pytest.raises(
        ReadError, match=r"ticket log, row 5: the ticket lacks 'requester' \(1 ticket\(s\) do\)"
    ):
        read(frame)
    G = read(frame, missing="drop")
    assert G.graph["tickets"]["dropped"] == 2
    assert G.graph["tickets"]["tickets"] == 68


def test_two_way_tickets_get_a_lag_and_self_tickets_are_left_out():
    frame = pd.DataFrame(
        {
            "requester": ["IT", "HR", "HR", "IT"],
            "team": ["HR", "IT", "IT", "IT"],
            "opened": [
                "2024-01-01T09:00Z",
                "2024-01-01T10:00Z",
                "2024-01-02T10:00Z",
                "2024-01-03",
            ],
            "resolved": ["2024-01-01T12:00Z", "2024-01-01T11:00Z", "", "2024-01-04"],
        }
    )
    with pytest.raises(ReadError, match="mixes time zones"):
        ic.from_tickets(frame)
    frame.loc[3, ["opened", "resolved"]] = ["2024-01-03T00:00Z", "2024-01-04T00:00Z"]
    G = ic.from_tickets(frame, time_unit="hour")
    assert G.graph["tickets"]["self_tickets"] == 1
    assert not G.has_edge("IT", "IT")
    lags = sorted(d.get("lag", 0) for *_, d in G.edges(data=True))
    assert lags == [0, 1]
    assert G.graph["tickets"]["start"].endswith("Z")
    ic.validate(G)


def test_a_service_whose_tickets_are_all_open_has_no_lead_time():
    frame = planted()
    frame.loc[frame.requester == "cem", "resolved"] = ""
    G = read(frame, level="person", agent=None)
    cem = G.edges["HR", "cem"]
    assert "lead_time" not in cem and "sla" not in cem and cem["open_tickets"] == 8
    assert ("HR", "cem") not in ic.metrics.sla_compliance(G)


def test_recognition_and_catalogue_run_on_it():
    G = read(level="unit", capacity={"IT": 6, "HR": 10})
    rec = ic.metrics.recognition(G, n=200, seed=1)
    assert set(rec) == {"IT", "HR", "Sales", "Ops"}
    assert rec["IT"]["reliability"] == pytest.approx(30 / 58)
    cat = ic.metrics.service_catalogue(G)
    json.dumps(cat.to_dict(), allow_nan=False)


def test_the_graph_survives_json(tmp_path: Path):
    G = read()
    ic.write_json(G, tmp_path / "desk.json")
    H = ic.read_json(tmp_path / "desk.json")
    assert sorted(H.edges) == sorted(G.edges)
    a = np.asarray(H.edges["a0", "ann"]["lead_time"].samples)
    assert np.array_equal(a, np.asarray(G.edges["a0", "ann"]["lead_time"].samples))


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"level": "team"}, "'level' parameter of from_tickets"),
        ({"period": 0}, "'period' parameter of from_tickets"),
        ({"scale": (5, 1)}, "'scale' parameter of from_tickets"),
        ({"capacity": -1}, "'capacity' parameter of from_tickets"),
        ({"max_samples": 0}, "'max_samples' parameter of from_tickets"),
    ],
)
def test_bad_options_are_named(kwargs, fragment):
    with pytest.raises(ParameterError, match=fragment):
        read(**kwargs)


def test_the_garbage_collector_is_left_as_it_was():
    import gc

    read()
    assert gc.isenabled()
    gc.disable()
    try:
        read()
        assert not gc.isenabled()
    finally:
        gc.enable()
