"""``intcust metrics``: the per-node summary on the command line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import intcust as ic
from intcust.cli import COMMANDS, main


def test_registered() -> None:
    assert "metrics" in COMMANDS


def test_text_table_lists_the_most_depended_on_first(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["metrics", "--example", "company", "--top", "3"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "Company: 65 nodes at person level; 3 shown, by dependence (highest first)"
    assert out[1].split()[:4] == ["node", "customers", "suppliers", "dependence"]
    expected = [n for n, _ in ic.metrics.dependence(ic.datasets.company()).top(3)]
    assert [line[: len(node)] for line, node in zip(out[2:5], expected, strict=True)] == expected
    assert len(out) == 5


def test_json_is_exactly_the_summary_to_dict(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["metrics", "--example", "company", "--json", "--sort", "betweenness"]) == 0
    data = json.loads(capsys.readouterr().out)
    table = ic.metrics.summary(ic.datasets.company())
    assert data == table.to_dict()
    scores = [row["betweenness"] for row in data.values()]
    assert scores == sorted(scores, reverse=True)  # rows in the order shown


def test_unit_level_from_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "company.json"
    ic.write_json(ic.datasets.company(), path)
    assert main(["metrics", str(path), "--level", "unit", "--json", "--top", "2"]) == 0
    data = json.loads(capsys.readouterr().out)
    units = ic.metrics.summary(ic.datasets.company(), level="unit").to_dict()
    assert list(data) == ["Production", "IT"]  # the two most depended on
    assert all(data[unit] == units[unit] for unit in data)


def test_sampled_betweenness_option(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["metrics", "--example", "company", "--json", "--sources", "10", "--seed", "3"]
    assert main(args) == 0
    data = json.loads(capsys.readouterr().out)
    expected = ic.metrics.betweenness(ic.datasets.company(), k=10, seed=3)
    assert {node: row["betweenness"] for node, row in data.items()} == dict(expected)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--sort", "charisma"], "'--sort' option of metrics"),
        (["--top", "-1"], "argument --top: must be an int from 1 to 1,000,000; got '-1'"),
        (["--sources", "1000"], "'k' parameter of summary"),
    ],
)
def test_bad_options_exit_2(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["metrics", "--example", "email_campaign", *args]) == 2
    assert message in capsys.readouterr().err


def test_console_script_runs() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "intcust.cli", "metrics", "--example", "email_campaign"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("E-mail campaign: 5 nodes")
