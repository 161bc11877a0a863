"""``intcust tickets LOG -o ORG``: the organisation of a service desk from its tickets."""

from __future__ import annotations

import argparse
from typing import Any

from intcust.cli._common import number, save_and_summarise
from intcust.cli._terminal import shown
from intcust.graph.eventlog.mining import TIME_UNITS
from intcust.graph.eventlog.tickets import from_tickets


def register(sub: Any) -> None:
    """Add the ``tickets`` sub-command."""
    p: argparse.ArgumentParser = sub.add_parser(
        "tickets",
        help="read a service desk's tickets as an organisation",
        description="Read a ticket export (.csv): each ticket is one service from the "
        "handling team (or agent) to the requester (or the requester's unit), with volume per "
        "period, the resolution times, ratings and targets. Open tickets are counted apart.",
    )
    p.add_argument("log", metavar="LOG", help="the ticket log: .csv or .csv.gz")
    p.add_argument(
        "-o", "--output", metavar="ORG", help="write the organisation (.json, .graphml, .yaml)"
    )
    for column, default, what in (
        ("requester", "requester", "who asked"),
        ("team", "team", "the team that handled it"),
        ("opened", "opened", "when it was opened"),
        ("resolved", "resolved", "when it was resolved (blank: open)"),
    ):
        p.add_argument(
            f"--{column}", default=default, metavar="COL", help=f"column: {what} ({default})"
        )
    for column, what in (
        ("agent", "the agent who handled it"),
        ("requester-unit", "the requester's unit"),
        ("category", "the category (the deliverable)"),
        ("satisfaction", "the rating"),
    ):
        p.add_argument(f"--{column}", default=None, metavar="COL", help=f"column: {what}")
    p.add_argument(
        "--sla",
        default=None,
        metavar="COL|T",
        help="the resolution target: a column, or one number for every service",
    )
    p.add_argument("--level", choices=("person", "unit"), default="person")
    p.add_argument(
        "--capacity", default=None, metavar="N", help="tickets one agent resolves per period"
    )
    p.add_argument(
        "--period", default=None, metavar="T", help="count tickets per period of this length"
    )
    p.add_argument(
        "--time-unit", choices=list(TIME_UNITS), default="day", help="unit of durations (day)"
    )
    p.add_argument(
        "--missing",
        choices=("raise", "drop"),
        default="raise",
        help="tickets lacking a required value: stop with an error (raise, the default) or "
        "drop them",
    )
    p.add_argument("--json", action="store_true", help="print a machine-readable summary")
    p.set_defaults(run=run)


def _sla(text: str | None) -> str | float | None:
    if text is None:
        return None
    try:
        return float(text)
    except ValueError:
        return text


def run(args: argparse.Namespace) -> int:
    """Read, write and summarise."""
    sla = _sla(args.sla)
    if isinstance(sla, float):
        sla = number(args.sla, "--sla", strict=False)
    G = from_tickets(
        args.log,
        requester=args.requester,
        team=args.team,
        opened=args.opened,
        resolved=args.resolved,
        agent=args.agent,
        requester_unit=args.requester_unit,
        category=args.category,
        satisfaction=args.satisfaction,
        sla=sla,
        level=args.level,
        capacity=number(args.capacity, "--capacity"),
        period=number(args.period, "--period"),
        time_unit=args.time_unit,
        missing=args.missing,
    )
    supplier = "agent" if args.agent and args.level == "person" else "team"
    return save_and_summarise(
        G,
        args,
        "tickets",
        lambda stats: (
            f"{shown(stats['source'])}: {_count(stats['tickets'], 'ticket')} ({stats['open']} "
            f"open) from {_count(stats['requesters'], 'requester')} to "
            f"{_count(stats['suppliers'], supplier)} over "
            f"{_count(stats['span'], G.graph['time_unit'], '.4g')}"
        ),
        ("dropped", "self_tickets"),
    )


def _count(n: float, noun: str, spec: str = "") -> str:
    """``"1 team"``, ``"2 teams"``, ``"1.5 days"``."""
    return f"{n:{spec}} {noun if n == 1 else noun + 's'}"
