"""service_catalogue: one row per supplier and deliverable, with its standards."""

from __future__ import annotations

import csv
import io
import json

import networkx as nx
import pytest
from hypothesis import given

import intcust as ic
from _served import served
from intcust.errors import ParameterError
from intcust.graph.schema import edge_services
from intcust.metrics import service_catalogue, sla_compliance
from intcust.metrics.service.catalogue_result import COLUMNS
from strategies import supply_organisations


def test_hotel_rows_equal_their_sources():
    G = ic.datasets.hotel()
    cat = service_catalogue(G)
    keys = [(r["supplier"], r["deliverable"]) for r in cat.rows]
    expected = [(u, d) for u, _, d in G.edges(data="deliverable")]
    assert keys == list(dict.fromkeys(expected))  # PMS access of IT is one row
    it = cat.row("IT", "PMS access")
    compliance = sla_compliance(G)
    assert it["customers"] == ("reception", "accounts")
    assert it["volume"] == 65.0 and it["sla"] == 0.25 and it["unit"] == "IT"
    met = (40 * compliance[("IT", "reception")] + 25 * compliance[("IT", "accounts")]) / 65
    assert it["compliance"] == pytest.approx(met)
    assert it["satisfaction"] == pytest.approx((40 * 0.4 + 25 * 0.5) / 65)
    butcher = cat.row("butcher", "ingredients")
    lead = G.edges["butcher", "kitchen"]["lead_time"]
    assert butcher["lead_time_p50"] == pytest.approx(float(lead.ppf(0.5)))
    assert butcher["lead_time_p90"] == pytest.approx(float(lead.ppf(0.9)))
    assert butcher["sla"] is None and butcher["compliance"] is None
    feedback = cat.row("service staff", "guest feedback")
    assert not feedback["blocking"] and not feedback["single_point_of_failure"]
    assert len(cat.by_supplier("reception")) == 4


def test_mixture_quantiles_split_the_volume():
    G = ic.org_graph()
    ic.add_service(G, "desk", "a", deliverable="help", volume=3, lead_time=1)
    ic.add_service(G, "desk", "b", deliverable="help", volume=1, lead_time=5)
    row = service_catalogue(G).row("desk", "help")
    # three requests in four take 1, one takes 5
    assert row["lead_time_p50"] == pytest.approx(1.0)
    assert row["lead_time_p90"] == pytest.approx(5.0)


def _expected_single_points(G: nx.DiGraph) -> dict[tuple[object, object], bool]:
    """By definition: lose every service of the row, and see whether a paying customer is lost."""
    externals = [v for v, k in G.nodes(data="kind") if k == "external"]
    rows: dict[tuple[object, object], list[tuple[object, object, int]]] = {}
    for u, v, d in G.edges(data=True):
        for k, s in enumerate(edge_services(d)):
            name = s.get("deliverable")
            key = (u, name if name is not None else ("unnamed", v))
            rows.setdefault(key, []).append((u, v, k))
    return {
        key: any(c not in served(G, lost=services) for c in externals)
        for key, services in rows.items()
    }


@given(supply_organisations(max_nodes=10))
def test_single_points_of_failure_equal_the_definition(G):
    cat = service_catalogue(G)
    expected = _expected_single_points(G)
    got = {}
    for r in cat.rows:
        d = r["deliverable"]
        key = (r["supplier"], d if d is not None else ("unnamed", r["customers"][0]))
        got[key] = r["single_point_of_failure"]
    assert got == expected


def test_services_lists_are_split_per_deliverable():
    G = ic.org_graph()
    ic.add_stakeholder(G, "guest", kind="external")
    G.add_edge(
        "IT",
        "clerk",
        services=[
            {"deliverable": "PMS access", "volume": 5, "sla": 1, "lead_time": 2},
            {"deliverable": "IT support", "volume": 1, "blocking": False, "satisfaction": 0.5},
        ],
    )
    ic.add_service(G, "clerk", "guest", deliverable="check-in")
    cat = service_catalogue(G)
    pms, support = cat.row("IT", "PMS access"), cat.row("IT", "IT support")
    assert (pms["compliance"], pms["single_point_of_failure"]) == (0.0, True)
    assert (support["satisfaction"], support["single_point_of_failure"]) == (0.5, False)


def test_a_log_measures_the_lead_times():
    G = ic.datasets.hotel()
    log = ic.org_graph()
    samples = [0.1, 0.2, 0.3, 0.5]
    ic.add_service(
        log, "IT", "reception", deliverable="IT", lead_time=ic.sim.Empirical(samples), volume=4
    )
    ic.add_service(log, "IT", "kitchen", deliverable="IT", lead_time=1.0)
    cat = service_catalogue(G, log=log)
    it = cat.row("IT", "PMS access")
    assert it["measured"] and not cat.row("kitchen", "dishes")["measured"]
    accounts = float(G.edges["IT", "accounts"]["lead_time"].cdf(0.25))
    assert it["compliance"] == pytest.approx((40 * 0.5 + 25 * accounts) / 65)
    assert cat.notes == (
        "1 service measured from the log",
        "1 service of the log is not a service of the organisation and is left out",
    )


def test_exports(tmp_path):
    cat = service_catalogue(ic.datasets.hotel())
    data = json.loads(json.dumps(cat.to_dict(), allow_nan=False))
    assert data["columns"] == list(COLUMNS) and len(data["services"]) == len(cat)
    assert data["services"][6]["customers"] == ["reception", "accounts"]
    path = tmp_path / "catalogue.csv"
    text = cat.to_csv(path)
    assert path.read_text(encoding="utf-8") == text
    table = list(csv.DictReader(io.StringIO(text)))
    assert len(table) == len(cat) and table[6]["customers"] == "reception; accounts"
    page = cat.to_html(title="Hotel <standards>")
    assert "<title>Hotel &lt;standards&gt;</title>" in page and page.count("<tr>") == len(cat) + 1
    pd = pytest.importorskip("pandas")
    frame = cat.to_frame()
    assert isinstance(frame, pd.DataFrame) and list(frame.columns) == list(COLUMNS)
    assert "ServiceCatalogue(12 services" in repr(cat) and "<table>" in cat._repr_html_()


def test_csv_cells_a_spreadsheet_would_run_are_quoted_as_write_csv_quotes_them():
    from intcust.graph.io.codec import decode_cell, encode_cell

    G = ic.org_graph()
    ic.add_stakeholder(G, "=1+1", unit="@SUM(A1)")
    ic.add_service(G, "=1+1", "+cmd", deliverable="-2+3")
    ic.add_service(G, "=1+1", "plain", deliverable="-2+3")
    row = next(csv.DictReader(io.StringIO(service_catalogue(G).to_csv())))
    for column, value in [
        ("supplier", "=1+1"),
        ("unit", "@SUM(A1)"),
        ("deliverable", "-2+3"),
        ("customers", "+cmd; plain"),
    ]:
        assert row[column] == encode_cell(value, column) == f'"{value}"'
        assert decode_cell(row[column]) == value
    assert row["sla"] == "" and row["single_point_of_failure"] == "false"


def test_a_failed_csv_write_leaves_the_previous_file(tmp_path, monkeypatch):
    import errno
    import os

    from intcust.errors import WriteError

    path = tmp_path / "catalogue.csv"
    path.write_bytes(b"the previous catalogue\n")

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(WriteError, match=r"catalogue\.csv: cannot be written: No space left"):
        service_catalogue(ic.datasets.hotel()).to_csv(path)
    assert path.read_bytes() == b"the previous catalogue\n"
    assert [p.name for p in tmp_path.iterdir()] == ["catalogue.csv"]  # no temporary left


def test_bad_input():
    with pytest.raises(ParameterError, match="'G' parameter of service_catalogue"):
        service_catalogue(nx.Graph())
    with pytest.raises(ParameterError, match="'log' parameter of service_catalogue"):
        service_catalogue(ic.datasets.hotel(), log="desk.csv")
    with pytest.raises(ParameterError, match="no service 'cooking' of 'kitchen'"):
        service_catalogue(ic.datasets.hotel()).row("kitchen", "cooking")
