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
    out = subprocess.run([sys.executable, "-m", "intcust.cli", "info", "--example",
                          "email_campaign"], capture_output=True, text=True, check=True).stdout
    assert "E-mail campaign: 5 stakeholders" in out
