"""The mine, sla and compare sub-commands."""

from __future__ import annotations

import json

import pandas as pd
import pytest

import intcust as ic
from intcust.cli import main

LOG = pd.DataFrame(
    {
        "case:concept:name": ["1", "1", "2", "2", "3", "3"],
        "concept:name": ["a", "b", "a", "b", "a", "b"],
        "org:resource": ["x", "y", "x", "y", "x", "y"],
        "time:timestamp": [
            "2024-01-01 00:00",
            "2024-01-01 12:00",
            "2024-01-02 00:00",
            "2024-01-03 00:00",
            "2024-01-03 00:00",
            "2024-01-03 06:00",
        ],
    }
)


@pytest.fixture
def log_csv(tmp_path):
    path = tmp_path / "log.csv"
    LOG.to_csv(path, index=False)
    return path


def test_mine_writes_an_organisation(tmp_path, log_csv, capsys):
    out = tmp_path / "org.json"
    assert main(["mine", str(log_csv), "-o", str(out), "--json"]) == 0
    captured = capsys.readouterr()
    summary = json.loads(captured.out)
    assert summary["cases"] == 3 and summary["handoffs"] == 3
    assert captured.err == ""  # no progress bar when stderr is not a terminal
    G = ic.read_json(out)
    assert G.edges["x", "y"]["volume"] == 3
    assert main(["mine", str(log_csv), "--time-unit", "hour"]) == 0
    assert "3 cases, 3 hand-offs" in capsys.readouterr().out


def test_mine_reports_bad_logs(tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    LOG.drop(columns=["org:resource"]).to_csv(bad, index=False)
    assert main(["mine", str(bad)]) == 2
    assert "no column 'org:resource'" in capsys.readouterr().err


def test_sla_table_and_json(tmp_path, log_csv, capsys):
    out = tmp_path / "org.json"
    main(["mine", str(log_csv), "-o", str(out)])
    capsys.readouterr()
    assert main(["sla", str(out)]) == 0
    assert "no service has an SLA" in capsys.readouterr().out
    assert main(["sla", str(out), "--sla", "0.5", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    row = next(r for r in data["services"] if r["supplier"] == "x")
    assert row["compliance"] == pytest.approx(2 / 3)  # waits 0.5, 1, 0.25 days
    assert data["by_supplier"]["x"] == pytest.approx(1.0)
    assert main(["sla", "--example", "hotel"]) == 0
    assert "IT" in capsys.readouterr().out


def test_compare_two_logs_and_organisations(tmp_path, log_csv, capsys):
    out = tmp_path / "org.json"
    main(["mine", str(log_csv), "-o", str(out)])
    capsys.readouterr()
    assert main(["compare", str(log_csv), str(out), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["changed"] == [] and data["added"] == [] and data["test"] == "mannwhitney"
    assert main(["compare", str(out), str(out)]) == 0
    assert "0 changed beyond noise" in capsys.readouterr().out


@pytest.mark.parametrize("alpha", ["2", "1", "0", "-0.1", "nan", "inf", "five"])
def test_compare_refuses_an_alpha_outside_0_1_naming_the_option(tmp_path, capsys, alpha):
    path = tmp_path / "o.json"
    ic.write_json(ic.datasets.email_campaign(), path)
    assert main(["compare", str(path), str(path), "--alpha", alpha]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.splitlines()[-1] == (
        f"intcust compare: error: argument --alpha: must be a number in (0, 1); got '{alpha}'"
    )
    assert main(["compare", str(path), str(path), "--alpha", "0.2", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["alpha"] == 0.2
