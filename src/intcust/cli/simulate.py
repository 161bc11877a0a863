"""``intcust simulate FILE``: schedule, delay cascades and Monte Carlo risk."""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Callable, Hashable
from typing import Any

import networkx as nx

from intcust.cli._common import (
    MAX_ROUNDS,
    add_estimate_option,
    add_file_argument,
    add_monte_carlo_options,
    count,
    load,
    resolve,
)
from intcust.cli._terminal import echo, emit_json, shown
from intcust.errors import ParameterError, quote
from intcust.graph.compiled import compile
from intcust.sim.cascade import DelayImpact, delay
from intcust.sim.cpm import Schedule, schedule
from intcust.sim.montecarlo import monte_carlo

_BAR = 30
_SHOWN = 10


def register(sub: Any) -> None:
    """Add the ``simulate`` sub-command."""
    p: argparse.ArgumentParser = sub.add_parser(
        "simulate",
        help="critical path, delay cascades and Monte Carlo schedule risk",
        description="Schedule one round of the organisation: makespan, critical path and "
        "float. With --delay, show what the delays do and the path each travelled to the "
        "customers; with --monte-carlo, sample every duration N times. --json prints the "
        "to_dict() of the one result asked for: the Monte Carlo run, else the delay "
        "impact, else the schedule.",
    )
    add_file_argument(p)
    p.add_argument(
        "--delay",
        action="append",
        default=[],
        metavar="NODE=AMOUNT",
        help="make NODE finish AMOUNT later (repeatable)",
    )
    add_monte_carlo_options(p, help="simulate N scenarios of every duration")
    p.add_argument(
        "--rounds",
        type=count(MAX_ROUNDS),
        default=None,
        metavar="K",
        help="simulate K rounds of a recurring process instead (as `intcust rounds`)",
    )
    p.add_argument(
        "--period",
        default=None,
        metavar="P",
        help="with --rounds: planned length of one round (default: the graph's period)",
    )
    add_estimate_option(p)
    p.set_defaults(run=run)


def parse_delays(G: nx.DiGraph, items: list[str]) -> dict[Hashable, float]:
    """``NODE=AMOUNT`` strings as a delay mapping; a node may be given by its name's text."""
    out: dict[Hashable, float] = {}
    for item in items:
        name, sep, text = item.rpartition("=")
        got = quote(item)
        if not sep or not name:
            raise ParameterError(f"The '--delay' option must be NODE=AMOUNT; got {got}.")
        try:
            amount = float(text)
        except ValueError:
            raise ParameterError(
                f"The '--delay' option must be NODE=AMOUNT with a number; got {got}."
            ) from None
        if not math.isfinite(amount) or amount < 0:
            raise ParameterError(
                f"The '--delay' option must give a finite AMOUNT >= 0; got {got}."
            )
        node = resolve(G, name, "--delay")
        out[node] = out.get(node, 0.0) + amount
    return out


def progress_bar(stream: Any) -> Callable[[int, int], None] | None:
    """A plain-text progress callback on `stream`, or None when it is not a terminal."""
    if not getattr(stream, "isatty", lambda: False)():
        return None

    def show(done: int, total: int) -> None:
        filled = _BAR * done // max(total, 1)
        stream.write(f"\r[{'#' * filled}{' ' * (_BAR - filled)}] {done}/{total} scenarios")
        if done >= total:
            stream.write("\n")
        stream.flush()

    return show


def _t(x: float, unit: str) -> str:
    """A time with its unit, e.g. ``4 days``."""
    if not unit:
        return f"{x:g}"
    plural = "" if x == 1 or unit.endswith("s") else "s"
    return f"{x:g} {unit}{plural}"


def _arrow(path: list[Hashable]) -> str:
    return " → ".join(shown(n) for n in path) or "(none)"


def schedule_lines(G: nx.DiGraph, sch: Schedule) -> list[str]:
    """The schedule summary: makespan, critical path, late nodes, least floats."""
    unit = str(G.graph.get("time_unit") or "")
    lines = [
        f"{shown(G.graph.get('name') or 'organisation')}: makespan {_t(sch.makespan, unit)} "
        f"({sch.estimate} durations)",
        f"critical path: {_arrow(sch.critical_path())}",
    ]
    if sch.late:
        late = ", ".join(f"{shown(n)} by {_t(x, unit)}" for n, x in sch.late.items())
        lines.append(f"late: {late}")
    else:
        lines.append("late: none")
    lines.append("least total float:")
    rows = [(shown(n), x) for n, x in sch.total_float.top(_SHOWN, ascending=True)]
    width = max((len(name) for name, _ in rows), default=4)
    lines += [f"  {name:<{width}}  {x:>8g}" for name, x in rows]
    lines += [f"note: {note}" for note in sch.notes]
    return lines


def delay_lines(G: nx.DiGraph, imp: DelayImpact) -> list[str]:
    """What the delays do: makespan, customers, and each delay's chain."""
    unit = str(G.graph.get("time_unit") or "")
    delays = ", ".join(f"{shown(n)} +{_t(x, unit)}" for n, x in imp.delays.items())
    lines = [
        f"delays: {delays}",
        f"makespan: {_t(imp.makespan - imp.makespan_delay, unit)} → "
        f"{_t(imp.makespan, unit)} (+{imp.makespan_delay:g})",
    ]
    for c, x in imp.customer_lateness.items():
        miss = f", misses its due by {_t(imp.customers[c], unit)}" if c in imp.customers else ""
        lines.append(f"customer {shown(c)}: +{_t(x, unit)}{miss}")
        if x > 0:
            lines.append(f"  via {_arrow(imp.chain(c))}")
    return lines


def run(args: argparse.Namespace) -> int:
    """Schedule, then apply delays and run Monte Carlo as asked."""
    if args.rounds is not None:  # the recurring view has its own command; same options
        from intcust.cli import rounds

        return rounds.run(args)
    n = args.monte_carlo
    if args.json and n is not None and args.delay:
        raise ParameterError(
            "The '--json' option of simulate prints one result's to_dict(): give --delay "
            "or --monte-carlo, not both."
        )
    G = load(args)
    C = compile(G)
    delays = parse_delays(G, args.delay)
    sch = schedule(C, estimate=args.estimate)
    imp = delay(C, delays, estimate=args.estimate) if delays else None
    mc = None
    if n is not None:
        mc = monte_carlo(C, n, seed=args.seed, progress=progress_bar(sys.stderr))
    if args.json:
        emit_json((mc or imp or sch).to_dict())
        return 0
    lines = schedule_lines(G, sch)
    if imp is not None:
        lines += ["", *delay_lines(G, imp)]
    if mc is not None:
        lines += ["", *mc.summary_lines()]
    echo(*lines)
    return 0
