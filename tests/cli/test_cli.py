"""The intcust command: version, help, validate and info."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import intcust as ic
from intcust import __version__
from intcust.cli import COMMANDS, build_parser, main
from intcust.results import json_ready


def test_version(capsys):
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"intcust {__version__}"


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command, capsys):
    assert main([command, "--help"]) == 0
    assert f"usage: intcust {command}" in capsys.readouterr().out


def test_validate_example(capsys):
    assert main(["validate", "--example", "email_campaign"]) == 0
    assert "valid: 5 stakeholders, 5 services" in capsys.readouterr().out


def test_info_json(capsys):
    assert main(["info", "--example", "email_campaign", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["stakeholders"] == 5
    assert data["by_kind"] == {"external": 1, "person": 3, "team": 1}
    assert data["by_unit"] == {"Marketing": 4}
    assert data["by_deliverable"]["email design"] == 1
    assert data["blocking_services"] == 4


def test_console_script_runs():
    out = subprocess.run(
        [sys.executable, "-m", "intcust.cli", "info", "--example", "email_campaign"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "E-mail campaign: 5 stakeholders" in out


def test_validate_prints_a_blocking_cycle_and_exits_1(tmp_path, capsys):
    (tmp_path / "stakeholders.csv").write_text("node,kind\na,person\nb,person\nc,person\n")
    (tmp_path / "services.csv").write_text("supplier,customer\na,b\nb,c\nc,a\n")
    assert main(["validate", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "cycle" in out
    assert "'a' -> 'b' -> 'c' -> 'a'" in out


def test_validate_json_lists_every_problem(tmp_path, capsys):
    import intcust as ic

    G = ic.datasets.email_campaign()
    path = tmp_path / "org.json"
    ic.write_json(G, path)
    text = path.read_text().replace('"part-time"', '"intern"')
    path.write_text(text.replace('"due": 5.0', '"due": -5.0'))
    assert main(["validate", str(path), "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["valid"] is False
    assert len(data["problems"]) == 2


def test_unreadable_file_exits_2(tmp_path, capsys):
    path = tmp_path / "org.json"
    path.write_text("{not json")
    assert main(["validate", str(path)]) == 2
    assert "org.json" in capsys.readouterr().err


def test_demo_shows_the_critical_path_risk_and_bottlenecks(capsys):
    assert main(["demo", "--example", "hotel", "--monte-carlo", "200"]) == 0
    out = capsys.readouterr().out
    assert "Critical path" in out
    assert "P(by due" in out
    assert "IT: sole supplier of 'PMS access' to accounts and reception" in out


def test_demo_json_agrees_with_the_library(capsys):
    import intcust as ic

    assert main(["demo", "--example", "email_campaign", "--json", "--monte-carlo", "100"]) == 0
    data = json.loads(capsys.readouterr().out)
    G = ic.datasets.email_campaign()
    assert data["schedule"]["critical_path"] == ic.sim.schedule(G).critical_path()
    assert data["monte_carlo"] == json.loads(
        json.dumps(ic.sim.monte_carlo(G, 100, seed=1).to_dict(), default=str)
    )


#: command -> (arguments after the command, the library call whose to_dict() it prints)
EXACT: dict[str, tuple[list[str], Callable[[], Any]]] = {
    "bottlenecks": (
        ["--example", "hotel"],
        lambda: ic.bottlenecks(ic.datasets.hotel()),
    ),
    "metrics": (
        ["--example", "email_campaign"],
        lambda: ic.metrics.summary(ic.datasets.email_campaign()),
    ),
    "simulate": (["--example", "hotel"], lambda: ic.sim.schedule(ic.datasets.hotel())),
    "rounds": (
        ["--example", "weekly_planning", "-k", "4"],
        lambda: ic.sim.rounds(ic.datasets.weekly_planning(), 4),
    ),
    "outage": (
        ["--example", "hotel", "IT=24"],
        lambda: ic.sim.outage(ic.datasets.hotel(), {"IT": 24.0}),
    ),
    "sla": (["--example", "hotel"], lambda: ic.metrics.sla_breaches(ic.datasets.hotel())),
}
#: Commands whose JSON is no single result: a validity verdict, counts, a mining
#: summary, and the demo's overview, whose members are results' to_dict().
NOT_ONE_RESULT = {"demo", "info", "mine", "tickets", "validate"}
#: Commands checked on files of their own: below, and in test_recognition_cli.py.
EXACT_ON_FILES = {"catalogue", "compare", "feedback", "recognise"}


def _has_json(command: str) -> bool:
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return any("--json" in action.option_strings for action in sub.choices[command]._actions)


def test_every_json_command_is_checked() -> None:
    with_json = {c for c in COMMANDS if _has_json(c)}
    assert with_json == set(EXACT) | NOT_ONE_RESULT | EXACT_ON_FILES


@pytest.mark.parametrize("command", sorted(EXACT))
def test_json_prints_exactly_to_dict(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    args, compute = EXACT[command]
    assert main([command, *args, "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed == json_ready(compute().to_dict())


def test_compare_json_is_exactly_to_dict(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before, after = ic.datasets.hotel(), ic.datasets.hotel()
    after.edges["IT", "reception"]["volume"] = 80
    ic.write_json(before, tmp_path / "before.json")
    ic.write_json(after, tmp_path / "after.json")
    argv = ["compare", str(tmp_path / "before.json"), str(tmp_path / "after.json"), "--json"]
    assert main(argv) == 0
    assert json.loads(capsys.readouterr().out) == ic.metrics.compare(before, after).to_dict()
