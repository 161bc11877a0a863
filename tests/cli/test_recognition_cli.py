"""The feedback, recognise, catalogue and tickets sub-commands: --json is exactly to_dict()."""

from __future__ import annotations

import csv
import json

import pytest

import intcust as ic
from intcust.cli import COMMANDS, main
from intcust.graph.datasets.hospitality_records import TICKET_COLUMNS

pd = pytest.importorskip("pandas")


@pytest.fixture
def hotel_json(tmp_path):
    path = tmp_path / "hotel.json"
    ic.write_json(ic.datasets.hotel(), path)
    return path


@pytest.fixture
def survey_csv(tmp_path):
    path = tmp_path / "survey.csv"
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["customer", "supplier", "score", "date"])
        writer.writerows(ic.datasets.hotel_survey())
    return path


@pytest.fixture
def tickets_csv(tmp_path):
    path = tmp_path / "desk.csv"
    ic.datasets.hotel_tickets().to_csv(path, index=False)
    return path


def _json(capsys):
    return json.loads(capsys.readouterr().out)


def test_registered():
    assert {"feedback", "recognise", "catalogue", "tickets"} <= set(COMMANDS)


def test_feedback_ranks_the_breakdown_points(hotel_json, survey_csv, capsys):
    assert main(["feedback", str(hotel_json), str(survey_csv), "--json"]) == 0
    got = _json(capsys)
    G = ic.datasets.hotel()
    survey = ic.metrics.read_survey(ic.datasets.hotel_survey(), G=G)
    expected = ic.metrics.breakdown_points(survey.apply(G), "guests").to_dict()
    assert got == json.loads(json.dumps(expected))
    assert got["worst"] == "IT"
    assert main(["feedback", str(hotel_json), str(survey_csv)]) == 0
    text = capsys.readouterr().out
    assert "worst: IT; chain: IT -> reception -> guests" in text
    # the example brings its own survey, or takes the one given
    assert main(["feedback", "--example", "hotel", "--json"]) == 0
    assert _json(capsys) == got
    assert main(["feedback", "--example", "hotel", str(survey_csv), "--json"]) == 0
    assert _json(capsys) == got


def test_feedback_errors(tmp_path, hotel_json, survey_csv, capsys):
    assert main(["feedback", str(hotel_json)]) == 2
    assert "needs ORG and SURVEY" in capsys.readouterr().err
    bad = tmp_path / "bad.csv"
    bad.write_text("customer,supplier,score\nreception,IT,lots\n", encoding="utf-8")
    assert main(["feedback", str(hotel_json), str(bad)]) == 2
    assert "bad.csv, line 2: score must be a number; got 'lots'" in capsys.readouterr().err
    empty = tmp_path / "empty.csv"
    empty.write_text("customer,supplier,score\n", encoding="utf-8")
    assert main(["feedback", "--example", "company", str(empty)]) == 2
    assert "--customer" in capsys.readouterr().err
    assert main(["feedback", "--example", "email_campaign"]) == 2
    assert "has no survey" in capsys.readouterr().err


def test_a_survey_rating_a_service_the_organisation_lacks_is_refused_naming_the_line(
    tmp_path, hotel_json, survey_csv, capsys
):
    survey = tmp_path / "typos.csv"
    survey.write_text(
        'customer,supplier,score\nreception,IT,4\n"the\nspa",IT,3\nguests,kitchen,2\n',
        encoding="utf-8",
    )
    for command in (["feedback"], ["recognise", "--monte-carlo", "16", "--survey"]):
        assert main([*command[:1], str(hotel_json), *command[1:], str(survey), "--json"]) == 2
        captured = capsys.readouterr()
        error = json.loads(captured.out)["error"]
        assert error["type"] == "ReadError" and error["exit_code"] == 2
        assert error["message"] == (
            f"2 survey records rate services the organisation does not have (supplier -> "
            f"customer): {survey}, line 4: 'IT' -> 'the\\nspa' ('the\\nspa' is not a "
            f"stakeholder); {survey}, line 5: 'kitchen' -> 'guests' ('kitchen' does not supply "
            "'guests')"
        )
    # the hotel's survey does not fit another organisation: refused, not dropped
    assert main(["feedback", "--example", "company", str(survey_csv)]) == 2
    err = capsys.readouterr().err
    assert "21 survey records rate services the organisation does not have" in err
    assert f"{survey_csv}, line 2: " in err and err.endswith("; and 16 more\n")


def test_recognise_json_is_the_table(hotel_json, survey_csv, tickets_csv, capsys):
    args = ["recognise", str(hotel_json), "--survey", str(survey_csv), "--log", str(tickets_csv)]
    assert main([*args, "--monte-carlo", "300", "--json"]) == 0
    got = _json(capsys)
    G = ic.datasets.hotel()
    survey = ic.metrics.read_survey(ic.datasets.hotel_survey(), G=G)
    log = ic.from_tickets(str(tickets_csv), time_unit="hour")
    expected = ic.metrics.recognition(G, survey=survey, log=log, n=300, seed=1)
    assert got == json.loads(json.dumps(expected.to_dict()))
    assert main([*args, "--monte-carlo", "300", "--level", "unit"]) == 0
    text = capsys.readouterr().out
    assert "IT: of the 240 units of volume" in text and "a hidden contributor" in text


def test_recognise_an_example_uses_its_records(capsys):
    assert main(["recognise", "--example", "hotel", "--monte-carlo", "200", "--json"]) == 0
    got = _json(capsys)
    G = ic.datasets.hotel()
    survey = ic.metrics.read_survey(ic.datasets.hotel_survey(), G=G)
    log = ic.from_tickets(
        ic.datasets.hotel_tickets(), level="unit", time_unit="hour", **TICKET_COLUMNS
    )
    expected = ic.metrics.recognition(G, survey=survey, log=log, n=200, seed=1)
    assert got == json.loads(json.dumps(expected.to_dict()))


def test_catalogue_writes_csv_and_html(tmp_path, hotel_json, capsys):
    out = tmp_path / "standards.csv"
    assert main(["catalogue", str(hotel_json), "-o", str(out), "--json"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out) == ic.metrics.service_catalogue(ic.datasets.hotel()).to_dict()
    assert f"wrote {out}" in captured.err
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert len(rows) == 12 and rows[6]["deliverable"] == "PMS access"
    page = tmp_path / "standards.html"
    assert main(["catalogue", str(hotel_json), "-o", str(page)]) == 0
    assert "<title>Hotel: service catalogue</title>" in page.read_text(encoding="utf-8")
    assert "PMS access" in capsys.readouterr().out
    assert main(["catalogue", str(hotel_json), "-o", str(tmp_path / "x.pdf")]) == 2
    assert "'--output' option must end in .csv or .html" in capsys.readouterr().err


def test_tickets_reads_and_writes(tmp_path, tickets_csv, capsys):
    out = tmp_path / "desk.json"
    args = ["tickets", str(tickets_csv), "-o", str(out), "--agent", "agent"]
    args += ["--category", "category", "--satisfaction", "rating", "--sla", "target"]
    assert main([*args, "--time-unit", "hour", "--level", "unit", "--period", "24", "--json"]) == 0
    summary = _json(capsys)
    assert summary["tickets"] == 196 and summary["open"] == 3 and summary["output"] == str(out)
    desk = ic.read_json(out)
    assert desk.nodes["IT"]["servers"] == 2
    assert [s["sla"] for s in desk.edges["IT", "reception"]["services"]] == [0.25, 1.0]
    assert main(["tickets", str(tickets_csv), "--sla", "2", "--capacity", "40"]) == 0
    assert "196 tickets (3 open) from 2 requesters to 1 team over" in capsys.readouterr().out
    assert main(["tickets", str(tickets_csv), "--team", "desk"]) == 2
    assert "no column 'desk'" in capsys.readouterr().err
    assert main(["tickets", str(tickets_csv), "--period", "-3"]) == 2
    assert "'--period' option must be a number > 0" in capsys.readouterr().err


def test_recognise_reads_an_organisation_mined_earlier(tmp_path, hotel_json, tickets_csv, capsys):
    desk = tmp_path / "desk.json"
    assert main(["tickets", str(tickets_csv), "-o", str(desk), "--time-unit", "hour"]) == 0
    capsys.readouterr()
    assert main(["catalogue", str(hotel_json), "--log", str(desk), "--json"]) == 0
    got = _json(capsys)
    it = next(r for r in got["services"] if r["supplier"] == "IT")
    assert it["measured"] is True
