"""The options every sub-command shares: counts bounded before any work, numbers, node names."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

import intcust as ic
from _hostile_cli import HOSTILE
from intcust.cli import build_parser, main
from intcust.cli._common import MAX_NODES, MAX_ROUNDS, MAX_SAMPLES, MAX_SCENARIOS, count, number
from intcust.errors import ParameterError

#: Each counting option, by its destination, and the largest value it takes.
BOUNDS = {
    "top": MAX_NODES,
    "sources": MAX_NODES,
    "monte_carlo": MAX_SCENARIOS,
    "rounds": MAX_ROUNDS,
    "max_samples": MAX_SAMPLES,
}


def _counting_options() -> list[tuple[str, argparse.Action]]:
    parser = build_parser()
    commands = parser._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    return [
        (name, action)
        for name, command in commands.items()
        for action in command._actions
        if action.dest in BOUNDS
    ]


def test_every_count_is_bounded_by_the_one_helper() -> None:
    options = _counting_options()
    assert {f"{name} {a.dest}" for name, a in options} >= {
        "bottlenecks top",
        "metrics top",
        "metrics sources",
        "sla top",
        "feedback top",
        "recognise top",
        "recognise monte_carlo",
        "report top",
        "report monte_carlo",
        "demo monte_carlo",
        "simulate monte_carlo",
        "simulate rounds",
        "rounds rounds",
        "rounds monte_carlo",
        "mine max_samples",
    }
    for name, action in options:
        parse = action.type
        assert callable(parse) and getattr(parse, "__name__", "") == "count", (name, action.dest)
        bound = BOUNDS[action.dest]
        assert parse(str(bound)) == bound and parse("1") == 1
        for bad in ("0", "-1", str(bound + 1), str(10**12), "1.5", "many", "9" * 5000):
            with pytest.raises(argparse.ArgumentTypeError, match=f"from 1 to {bound:,}"):
                parse(bad)


@pytest.mark.parametrize(
    "argv",
    [
        ["simulate", "--example", "company", "--monte-carlo", str(10**12)],
        ["rounds", "--example", "weekly_planning", "-k", str(10**12)],
        ["rounds", "--example", "weekly_planning", "--monte-carlo", str(10**12)],
        ["simulate", "--example", "weekly_planning", "--rounds", str(10**12)],
        ["recognise", "--example", "hotel", "--monte-carlo", str(10**12)],
        ["demo", "--monte-carlo", str(10**12)],
        ["metrics", "--example", "company", "--top", str(10**12)],
    ],
)
def test_absurd_counts_are_usage_errors_naming_the_option(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([*argv, "--json"]) == 2
    out, err = capsys.readouterr()
    option = argv[-2]
    assert f"argument {option}" in err or f"/{option}" in err
    assert json.loads(out)["error"]["type"] == "UsageError"


def test_a_count_message_quotes_a_huge_value_in_short() -> None:
    with pytest.raises(argparse.ArgumentTypeError) as info:
        count(10)("9" * 5000)
    assert len(str(info.value)) < 200


@pytest.mark.parametrize(
    ("text", "kwargs", "expected"),
    [
        ("2.5", {}, 2.5),
        ("0", {"strict": False}, 0.0),
        ("-3", {"minimum": None}, -3.0),
        (None, {}, None),
    ],
)
def test_numbers(text: str | None, kwargs: dict[str, object], expected: float | None) -> None:
    assert number(text, "--x", **kwargs) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize("text", ["0", "-1", "nan", "inf", "-inf", "soon", "1e999"])
def test_numbers_refused_name_the_option(text: str) -> None:
    with pytest.raises(ParameterError, match=r"The '--period' option must be a number > 0"):
        number(text, "--period")


def test_an_unknown_node_is_quoted_in_short(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ic.write_json(ic.datasets.email_campaign(), tmp_path / "o.json")
    name = "\x1b[2J" + "x" * 100_000
    assert main(["outage", str(tmp_path / "o.json"), f"{name}=1"]) == 2
    err = capsys.readouterr().err
    assert len(err) < 400 and "\x1b" not in err and "\\x1b[2J" in err


def test_a_report_with_hostile_names_is_written_and_its_streams_are_clean(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "h.json").write_text(HOSTILE, encoding="utf-8")
    out = tmp_path / "r\x1b[31m.html"
    assert main(["report", str(tmp_path / "h.json"), "-o", str(out), "--monte-carlo", "32"]) == 0
    streams = "".join(capsys.readouterr())
    assert "\x1b" not in streams and "\\x1b[31m.html" in streams
    assert out.exists()
