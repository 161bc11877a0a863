"""The bottleneck report: ranking, reasons in plain words, and the bundled examples."""

from __future__ import annotations

import json

import networkx as nx
import pytest

import intcust as ic
from intcust.bottleneck_report import BottleneckReport, bottlenecks
from intcust.cli import main


def small_hotel() -> nx.DiGraph:
    """IT alone gives reception and accounts the PMS, and is overloaded."""
    G = ic.org_graph(name="Hotel", time_unit="day")
    ic.add_stakeholder(G, "IT", kind="team", unit="IT", capacity=10.0, servers=1)
    for n in ["reception", "accounts", "housekeeping", "porter"]:
        ic.add_stakeholder(G, n, capacity=100.0, work=1)
    ic.add_stakeholder(G, "guests", kind="external", due=3.0)
    ic.add_service(G, "IT", "reception", deliverable="PMS access", volume=8)
    ic.add_service(G, "IT", "accounts", deliverable="PMS access", volume=5)
    ic.add_service(G, "housekeeping", "reception", deliverable="clean rooms", volume=20)
    ic.add_service(G, "porter", "guests", deliverable="luggage", volume=10)
    ic.add_service(G, "reception", "guests", deliverable="check-in", volume=50)
    ic.add_service(G, "accounts", "guests", deliverable="bill", volume=50)
    return G


def test_report_names_it_and_explains_it() -> None:
    report = bottlenecks(small_hotel())
    assert isinstance(report, BottleneckReport)
    assert report.nodes[0] == "IT"
    why = report["IT"].why
    assert why.startswith("sole supplier of 'PMS access' to accounts and reception")
    assert "utilisation 1.30 (overloaded)" in why
    assert "alone cuts off guests (volume 110 at stake)" in why
    assert report["IT"].queue == "overloaded"
    assert report["IT"].utilisation == pytest.approx(1.3)
    assert "guests" not in report  # external customers are not ranked
    scores = [r.score for r in report.rows]
    assert scores == sorted(scores, reverse=True)
    # a read-only mapping in rank order: iterating and indexing agree
    assert list(report) == report.nodes
    assert all(report[node] is row for node, row in zip(report, report.rows, strict=True))
    assert dict(report.items()) == {r.node: r for r in report.rows}


def test_alternatives_remove_a_reason() -> None:
    G = ic.org_graph(name="Front door")
    for n in ["porter", "bellboy"]:
        ic.add_stakeholder(G, n)
    ic.add_stakeholder(G, "guests", kind="external")
    ic.add_service(G, "porter", "guests", deliverable="luggage", volume=10)
    assert "alone cuts off guests" in bottlenecks(G)["porter"].why
    ic.add_service(G, "bellboy", "guests", deliverable="luggage", volume=10)
    after = bottlenecks(G)
    assert "alone cuts off" not in after["porter"].why
    assert "sole supplier" not in after["porter"].why
    assert "one of 2 whose joint absence cuts off guests" in after["porter"].why
    assert after["porter"].bus_factor_with == ("guests",)
    assert after["bellboy"].bus_factor_with == ("guests",)


def test_results_convert() -> None:
    report = bottlenecks(small_hotel(), top=2)
    assert len(report) == 2
    d = report.to_dict()
    assert json.loads(json.dumps(d)) == d
    assert d["rows"][0]["node"] == "IT"
    assert d["rows"][0]["why"] == report["IT"].why
    assert "IT" in repr(report) and "<table>" in report._repr_html_()
    pytest.importorskip("pandas")
    frame = report.to_frame()
    assert list(frame.index) == report.nodes
    assert frame.loc["IT", "queue"] == "overloaded"
    with pytest.raises(KeyError):
        report["nobody"]


def test_bad_arguments() -> None:
    with pytest.raises(ic.ParameterError, match="'top' parameter of bottlenecks"):
        bottlenecks(small_hotel(), top=-1)
    with pytest.raises(ic.ParameterError, match="'key_players' parameter of bottlenecks"):
        bottlenecks(small_hotel(), key_players=1.5)  # type: ignore[arg-type]
    with pytest.raises(ic.ParameterError, match="'cascade' parameter of bottlenecks"):
        bottlenecks(small_hotel(), cascade="no")  # type: ignore[arg-type]
    with pytest.raises(ic.ParameterError, match="'G' parameter of bottlenecks"):
        bottlenecks(nx.Graph())
    with pytest.raises(ic.ParameterError, match="'level' parameter of bottlenecks must be"):
        bottlenecks(small_hotel(), level="unit")


def test_old_name_of_key_players_warns() -> None:
    with pytest.warns(DeprecationWarning, match="'k' parameter of bottlenecks is called"):
        old = bottlenecks(small_hotel(), k=0)
    assert old.to_dict() == bottlenecks(small_hotel(), key_players=0).to_dict()


def test_cli(capsys: pytest.CaptureFixture[str], tmp_path: object) -> None:
    assert main(["bottlenecks", "--example", "email_campaign"]) == 0
    out = capsys.readouterr().out
    assert "Bottlenecks of E-mail campaign" in out and "alone cuts off customers" in out
    assert main(["bottlenecks", "--example", "email_campaign", "--json", "--top", "1"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert len(data["rows"]) == 1


def test_hotel_names_it_for_the_pms() -> None:
    G = ic.datasets.hotel()
    report = bottlenecks(G)
    row = report["IT"]
    assert report.nodes.index("IT") < 3
    assert "sole supplier of 'PMS access' to" in row.why
    assert "accounts" in row.why and "reception" in row.why
    assert row.queue == "overloaded" and row.utilisation == pytest.approx(1.3, abs=0.05)
    assert f"utilisation {row.utilisation:.2f} (overloaded)" in row.why


def test_company_names_hr_and_it() -> None:
    G = ic.datasets.company()
    report = bottlenecks(G)
    hr = report["HR"]
    assert report.nodes.index("HR") < 3
    assert hr.queue == "overloaded" and "(overloaded)" in hr.why
    assert "sole supplier of" in hr.why
    assert "IT" in report


def restaurant() -> nx.DiGraph:
    """The kitchen feeds the restaurant's diners at once and the hotel guests through room
    service, whose check-in leaves them 0.33 days of slack."""
    G = ic.org_graph(name="Hotel restaurant", time_unit="day")
    ic.add_stakeholder(G, "kitchen", work=1.0)
    ic.add_stakeholder(G, "room service", work=1.67)
    ic.add_stakeholder(G, "reception", work=3.0)
    ic.add_stakeholder(G, "restaurant diners", kind="external")
    ic.add_stakeholder(G, "hotel guests", kind="external")
    ic.add_service(G, "kitchen", "restaurant diners", deliverable="dinner")
    ic.add_service(G, "kitchen", "room service", deliverable="meals")
    ic.add_service(G, "room service", "hotel guests", deliverable="meals")
    ic.add_service(G, "reception", "hotel guests", deliverable="check-in")
    return G


def test_a_delay_reason_names_each_customer_and_how_far_it_moves() -> None:
    report = bottlenecks(restaurant())
    why = report["kitchen"].why
    assert (
        "a 1-day delay here moves restaurant diners by 1 day and hotel guests by 0.67 days" in why
    )
    assert dict(report["kitchen"].moves) == pytest.approx(
        {"restaurant diners": 1.0, "hotel guests": 0.67}
    )
    assert report["kitchen"].sensitivity == pytest.approx(0.67)  # the last customer
    assert "last customer" not in why
    # reception's delay moves the guests only
    assert "moves hotel guests by 1 day" in report["reception"].why
    assert "restaurant diners" not in report["reception"].why


def test_a_compiled_organisation_gives_the_same_report() -> None:
    G = ic.datasets.hotel()
    assert bottlenecks(ic.compile(G)).to_dict() == bottlenecks(G).to_dict()


def test_the_timing_view_is_always_there_when_asked() -> None:
    report = bottlenecks(ic.datasets.hotel())
    assert report.cascade
    assert any(row.total_float is not None for row in report.rows)
    assert not bottlenecks(ic.datasets.hotel(), cascade=False).cascade
