"""intcust simulate: schedule, delays, Monte Carlo, JSON, progress and bad input."""

from __future__ import annotations

import io
import json

import pytest

import intcust as ic
from intcust.cli import COMMANDS, main
from intcust.cli.simulate import progress_bar
from intcust.results import json_ready


def test_registered():
    assert "simulate" in COMMANDS


def test_schedule_summary(capsys):
    assert main(["simulate", "--example", "email_campaign"]) == 0
    out = capsys.readouterr().out
    assert "makespan 4 days" in out
    assert "critical path: designer → sender → campaign → customers" in out
    assert "late: none" in out


def test_delay_shows_impact_and_chain(capsys):
    assert main(["simulate", "--example", "email_campaign", "--delay", "designer=2"]) == 0
    out = capsys.readouterr().out
    assert "makespan: 4 days → 6 days (+2)" in out
    assert "customer customers: +2 days, misses its due by 1 day" in out
    assert "via designer → sender → campaign → customers" in out


def _printed(capsys) -> object:
    return json.loads(capsys.readouterr().out)


def test_json_is_exactly_the_result_to_dict(capsys):
    G = ic.datasets.email_campaign()
    assert main(["simulate", "--example", "email_campaign", "--json"]) == 0
    assert _printed(capsys) == json_ready(ic.sim.schedule(G).to_dict())
    argv = ["simulate", "--example", "email_campaign", "--json", "--delay", "designer=1"]
    argv += ["--delay", "list keeper=0.5"]
    assert main(argv) == 0
    data = _printed(capsys)
    assert data == ic.sim.delay(G, {"designer": 1.0, "list keeper": 0.5}).to_dict()
    assert data["delays"] == {"designer": 1.0, "list keeper": 0.5}
    assert data["customer_lateness"] == {"customers": 1.0}
    both = ["--monte-carlo", "10"]
    assert main([*argv, *both]) == 2
    assert "give --delay or --monte-carlo, not both" in capsys.readouterr().err


def test_monte_carlo_json_and_text(capsys):
    argv = ["simulate", "--example", "email_campaign", "--monte-carlo", "200", "--seed", "3"]
    assert main([*argv, "--json"]) == 0
    first = _printed(capsys)
    assert first == ic.sim.monte_carlo(ic.datasets.email_campaign(), 200, seed=3).to_dict()
    assert main([*argv, "--json"]) == 0
    assert _printed(capsys) == first
    assert main(argv) == 0
    captured = capsys.readouterr()
    assert "Monte Carlo" in captured.out
    assert captured.err == ""  # not a terminal: no progress bar


def test_psplib_file(shared_data, capsys):
    path = shared_data / "psplib-j30" / "j3010_1.sm"
    if not path.exists():
        pytest.skip(f"{path} not found")
    assert main(["simulate", str(path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["makespan"] == 41
    assert main(["simulate", str(path), "--delay", "4=2", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["makespan"] == 43 and data["makespan_delay"] == 2  # job 4 is critical


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--delay", "nobody=1"], "must name a node of the organisation; got 'nobody'"),
        (["--delay", "designer=-1"], "finite AMOUNT >= 0; got 'designer=-1'"),
        (["--delay", "designer=nan"], "finite AMOUNT >= 0"),
        (["--delay", "designer"], "must be NODE=AMOUNT; got 'designer'"),
        (["--delay", "designer=soon"], "with a number; got 'designer=soon'"),
        (
            ["--monte-carlo", "0"],
            "argument --monte-carlo: must be an int from 1 to 10,000,000; got '0'",
        ),
        (
            ["--monte-carlo", "many"],
            "argument --monte-carlo: must be an int from 1 to 10,000,000; got 'many'",
        ),
    ],
)
def test_bad_arguments_exit_2(extra, message, capsys):
    assert main(["simulate", "--example", "email_campaign", *extra]) == 2
    last = capsys.readouterr().err.splitlines()[-1]  # after the usage, for argparse's errors
    assert last.startswith("intcust simulate: error: ")
    assert message in last


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_only_on_a_terminal():
    assert progress_bar(io.StringIO()) is None
    term = _Terminal()
    show = progress_bar(term)
    assert show is not None
    show(5, 10)
    show(10, 10)
    text = term.getvalue()
    assert "\r[###############               ] 5/10 scenarios" in text
    assert text.endswith("10/10 scenarios\n")


def test_simulate_rounds_is_the_recurring_view(capsys):
    assert (
        main(
            [
                "simulate",
                "--example",
                "weekly_planning",
                "--rounds",
                "6",
                "--period",
                "5",
                "--delay",
                "procurement=1",
                "--json",
            ]
        )
        == 0
    )
    data = json.loads(capsys.readouterr().out)
    assert data["cycle_time"] == 4.5  # the rounds' to_dict, as `intcust rounds --json`
    assert (
        main(["simulate", "--example", "weekly_planning", "--rounds", "6", "--period", "3"]) == 2
    )
    assert "plan cannot be met" in capsys.readouterr().err
