"""The intcust command: version, help, validate and info."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from intcust import __version__
from intcust.cli import COMMANDS, main


def test_version(capsys):
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    assert capsys.readouterr().out.strip() == f"intcust {__version__}"


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command, capsys):
    with pytest.raises(SystemExit) as info:
        main([command, "--help"])
    assert info.value.code == 0
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
