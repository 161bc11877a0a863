"""``intcust rounds FILE``: cycle time, k rounds of a recurring process, delay recovery."""

from __future__ import annotations

import argparse
from collections.abc import Hashable
from typing import Any

import networkx as nx

from intcust.cli._common import (
    MAX_ROUNDS,
    add_estimate_option,
    add_file_argument,
    add_monte_carlo_options,
    count,
    load,
    number,
    resolve,
)
from intcust.cli._terminal import echo, emit_json
from intcust.errors import ParameterError, quote
from intcust.graph.compiled import compile


def register(sub: Any) -> None:
    """Add the ``rounds`` sub-command."""
    p: argparse.ArgumentParser = sub.add_parser(
        "rounds",
        help="cycle time, critical loop and delay recovery of a recurring process",
        description="Find the time per round the organisation can sustain (the critical "
        "loop), then run K rounds against the timetable of one round per PERIOD. With "
        "--delay, follow the delays until they die out; with --monte-carlo, sample every "
        "duration anew each round. --json prints the to_dict() of the rounds (which hold "
        "the cycle time and critical loops), or of the Monte Carlo run.",
    )
    add_file_argument(p)
    p.add_argument(
        "-k",
        "--rounds",
        dest="rounds",
        type=count(MAX_ROUNDS),
        default=10,
        metavar="K",
        help="rounds to simulate (default: 10)",
    )
    p.add_argument(
        "--period",
        type=str,
        default=None,
        metavar="P",
        help="planned length of one round (default: the graph's period)",
    )
    p.add_argument(
        "--delay",
        action="append",
        default=[],
        metavar="NODE@ROUND=AMOUNT",
        help="make NODE finish round ROUND (default 0) AMOUNT later (repeatable)",
    )
    add_monte_carlo_options(p, help="sample every duration in N scenarios, each round anew")
    add_estimate_option(p)
    p.set_defaults(run=run)


def parse_round_delays(G: nx.DiGraph, items: list[str]) -> dict[tuple[Hashable, int], float]:
    """``NODE@ROUND=AMOUNT`` (or ``NODE=AMOUNT`` for round 0) strings as a delay mapping."""
    out: dict[tuple[Hashable, int], float] = {}
    for item in items:
        head, sep, text = item.rpartition("=")
        got = quote(item)
        if not sep or not head:
            raise ParameterError(f"The '--delay' option must be NODE@ROUND=AMOUNT; got {got}.")
        name, at, r_text = head.rpartition("@")
        if not at:
            name, r_text = head, "0"
        try:
            r = int(r_text)
        except ValueError:
            raise ParameterError(
                f"The '--delay' option must be NODE@ROUND=AMOUNT with an int ROUND; got {got}."
            ) from None
        amount = number(text, "--delay", strict=False)
        key = (resolve(G, name, "--delay"), r)
        out[key] = out.get(key, 0.0) + amount
    return out


def run(args: argparse.Namespace) -> int:
    """Cycle time, then the rounds (or their Monte Carlo risk)."""
    from intcust.sim.maxplus import cycle_time
    from intcust.sim.recurrence import rounds
    from intcust.sim.recurrence_risk import monte_carlo_rounds

    k, n = args.rounds, args.monte_carlo
    period = number(args.period, "--period")
    G = load(args)
    C = compile(G)
    delays = parse_round_delays(G, args.delay)
    ct = cycle_time(C, period=period, estimate=args.estimate)
    res = rounds(C, k, delays=delays, period=period, estimate=args.estimate)
    mc = None
    if n is not None:
        mc = monte_carlo_rounds(
            C, k, n, seed=args.seed, delays=delays, period=period, estimate=args.estimate
        )
    if args.json:
        emit_json((mc or res).to_dict())
        return 0
    lines = [*ct.summary_lines(), "", *res.summary_lines()]
    if mc is not None:
        lines += ["", *mc.summary_lines()]
    echo(*lines)
    return 0
