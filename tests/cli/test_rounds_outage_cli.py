"""intcust rounds and intcust outage: text, JSON, files and bad input (exit code 2)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import intcust as ic
from intcust.cli import COMMANDS, main
from intcust.results import json_ready


def test_registered() -> None:
    assert "rounds" in COMMANDS and "outage" in COMMANDS


def test_rounds_text(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["rounds", "--example", "weekly_planning", "-k", "6", "--delay", "procurement@0=1"]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "cycle time λ = 4.5" in out
    assert "critical loop: sales → planning → procurement → production → sales" in out
    assert "stability margin period − λ = 0.5" in out
    assert "recovery: 2 rounds" in out


def test_rounds_json_with_monte_carlo(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["rounds", "--example", "weekly_planning", "--rounds", "5", "--json"]
    argv += ["--delay", "sales@1=2", "--monte-carlo", "128", "--seed", "4"]
    assert main(argv[:-6]) == 0  # the rounds' to_dict, exactly
    data = json.loads(capsys.readouterr().out)
    G = ic.datasets.weekly_planning()
    assert data == ic.sim.rounds(G, 5).to_dict()
    assert data["cycle_time"] == 4.5
    assert main(argv[:-4]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["delays"] == [{"node": "sales", "round": 1, "amount": 2.0}]
    assert data["lateness"]["sales"][:2] == [0.0, 2.0]
    assert main(argv) == 0  # with --monte-carlo: its to_dict, exactly
    data = json.loads(capsys.readouterr().out)
    risk = ic.sim.monte_carlo_rounds(G, 5, 128, seed=4, delays={("sales", 1): 2.0})
    assert data == risk.to_dict()
    assert data["n"] == 128 and len(data["p_on_time"]) == 5
    assert main(argv) == 0  # same seed, same numbers
    assert json.loads(capsys.readouterr().out) == data


def test_rounds_on_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "weekly.json"
    ic.write_json(ic.datasets.weekly_planning(), path)
    assert main(["rounds", str(path), "-k", "3", "--period", "6"]) == 0
    assert "period 6: margin 1.5 (feasible)" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--period", "4"], "cannot be met"),
        (["--period", "0"], "'--period' option must be a number > 0"),
        (["-k", "zero"], "argument -k/--rounds: must be an int from 1 to 100,000"),
        (["--delay", "nobody@0=1"], "'nobody'"),
        (["--delay", "sales@x=1"], "int ROUND"),
        (["--delay", "sales@10=1"], "rounds 0 to 9"),
        (["--monte-carlo", "-3"], "argument --monte-carlo: must be an int from 1"),
    ],
)
def test_rounds_bad_input(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["rounds", "--example", "weekly_planning", "-k", "10", *argv])
    assert code == 2
    assert message in capsys.readouterr().err


def test_loop_without_lag_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bad.json"
    ic.write_json(ic.datasets.weekly_planning(), path)
    data = json.loads(path.read_text())
    for e in data["edges"]:
        if (e["source"], e["target"]) == ("production", "sales"):
            e["lag"] = 0
    path.write_text(json.dumps(data))
    assert main(["rounds", str(path)]) == 1  # an invalid organisation, as for validate
    err = capsys.readouterr().err
    assert "cycle" in err.lower() and "sales" in err and "production" in err


def test_outage_text(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["outage", "--example", "hotel", "IT=24", "--rank", "24"]) == 0
    out = capsys.readouterr().out
    assert "outage at 0: IT for 24" in out
    assert "customers hit: guests" in out
    assert "single outages of 24, most harmful first:" in out


def test_outage_json_on_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "hotel.json"
    ic.write_json(ic.datasets.hotel(), path)
    assert main(["outage", str(path), "IT=24", "butcher=5", "--at", "8", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    expected = ic.sim.outage(ic.datasets.hotel(), {"IT": 24.0, "butcher": 5.0}, at=8.0)
    assert data == json_ready(expected.to_dict())
    assert data["at"] == 8.0 and data["customers"] == ["guests"]
    assert {d["node"] for d in data["down"]} >= {"IT", "reception", "accounts"}
    argv = ["outage", str(path), "IT=24", "--rank", "24", "--json"]
    assert main(argv) == 2
    assert "give outages or --rank, not both" in capsys.readouterr().err


def test_outage_ranking_json_has_no_infinity(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["outage", "--example", "hotel", "--rank", "24", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows == ic.sim.outage_ranking(ic.datasets.hotel(), 24.0).to_dict()
    # no customer depends on purchasing alone: it survives for ever, "Infinity" in JSON
    assert rows["purchasing"]["time_to_survive"] == "Infinity"
    assert rows["housekeeping"]["risk_exposure"] == 1


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--example", "hotel", "nobody=3"], "'nobody'"),
        (["--example", "hotel", "IT=0"], "must be a number > 0"),
        (["--example", "hotel", "IT=-1"], "must be a number > 0"),
        (["--example", "hotel", "IT"], "NODE=DURATION"),
        (["--example", "hotel"], "at least one NODE=DURATION"),
        (["--example", "hotel", "IT=1", "--at", "soon"], "'--at' option"),
        ([], "FILE"),
    ],
)
def test_outage_bad_input(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["outage", *argv]) == 2
    assert message in capsys.readouterr().err


def _strict(text: str) -> object:
    def refuse(name: str) -> object:
        raise ValueError(f"{name} is not JSON")

    return json.loads(text, parse_constant=refuse)


@pytest.mark.parametrize(
    "argv",
    [
        ["--example", "email_campaign", "-k", "2"],  # acyclic: unlimited throughput
        [
            *("--example", "weekly_planning", "-k", "4", "--period", "4.5"),
            *("--delay", "sales@1=1", "--monte-carlo", "64", "--seed", "1"),
        ],  # never recovers: infinite quantiles
    ],
)
def test_rounds_json_is_strict(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rounds", *argv, "--json"]) == 0
    _strict(capsys.readouterr().out)


def test_rounds_on_the_hotel(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rounds", "--example", "hotel", "-k", "2"]) == 0
    assert "critical loop: housekeeping → reception → housekeeping" in capsys.readouterr().out
