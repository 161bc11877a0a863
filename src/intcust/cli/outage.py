"""``intcust outage FILE NODE=DURATION ...``: who stops, and for how long, when a stakeholder goes down."""

from __future__ import annotations

import argparse
from collections.abc import Hashable
from typing import Any

import networkx as nx

from intcust.cli._common import (
    add_estimate_option,
    add_example_option,
    add_json_option,
    load,
    number,
    resolve,
)
from intcust.cli._terminal import echo, emit_json, shown
from intcust.errors import ParameterError, quote
from intcust.graph.compiled import compile

_SHOWN = 10


def register(sub: Any) -> None:
    """Add the ``outage`` sub-command."""
    p: argparse.ArgumentParser = sub.add_parser(
        "outage",
        help="who stops, from when and until when, when stakeholders go down",
        description="Stop each NODE for DURATION and follow the outage through the "
        "organisation, with each stakeholder's buffer: who stops, which external customers "
        "are hit, their time to survive and to recover. With --rank DURATION, rank every "
        "single outage of that length by the harm to the customers. --json prints the "
        "to_dict() of the outage, or of the ranking (give one of them with --json).",
    )
    # FILE and the outages share one positional list, so that --example works too
    p.add_argument(
        "items",
        nargs="*",
        metavar="FILE NODE=DURATION",
        help="an organisation file (as for the other commands; omit it with --example), "
        "then the outages",
    )
    add_example_option(p)
    add_json_option(p)
    p.add_argument("--at", default="0", metavar="T", help="when the outage starts (default: 0)")
    p.add_argument(
        "--rank", default=None, metavar="DURATION", help="rank every single outage of this length"
    )
    add_estimate_option(p)
    p.set_defaults(run=run)


def parse_outages(G: nx.DiGraph, items: list[str]) -> dict[Hashable, float]:
    """``NODE=DURATION`` strings as an outage mapping."""
    out: dict[Hashable, float] = {}
    for item in items:
        name, sep, text = item.rpartition("=")
        if not sep or not name:
            got = quote(item)
            raise ParameterError(f"The 'NODE=DURATION' argument must be NODE=DURATION; got {got}.")
        out[resolve(G, name, "NODE=DURATION")] = number(text, "NODE=DURATION")
    return out


def run(args: argparse.Namespace) -> int:
    """Run the outages, then the ranking if asked."""
    from intcust.sim.outages import outage, outage_ranking

    rank_for = number(args.rank, "--rank")
    at = number(args.at, "--at", minimum=None)
    items = list(args.items)
    if args.example is None:
        if not items:
            raise ParameterError("Give an organisation FILE, or --example NAME.")
        args.file = items.pop(0)
    else:
        args.file = None
    args.outages = items
    G = load(args)
    if not args.outages and rank_for is None:
        raise ParameterError("Give at least one NODE=DURATION outage, or --rank DURATION.")
    if args.json and args.outages and rank_for is not None:
        raise ParameterError(
            "The '--json' option of outage prints one result's to_dict(): give outages "
            "or --rank, not both."
        )
    C = compile(G)
    outages = parse_outages(G, args.outages)
    res = outage(C, outages, at=at, estimate=args.estimate) if outages else None
    rank = outage_ranking(C, rank_for, estimate=args.estimate) if rank_for is not None else None
    if args.json:
        result = res if res is not None else rank
        assert result is not None  # one of them was asked for
        emit_json(result.to_dict())
        return 0
    lines = res.summary_lines() if res is not None else []
    if rank is not None:
        if lines:
            lines.append("")
        lines.append(f"single outages of {rank_for:g}, most harmful first:")
        rows = [(shown(n), row) for n, row in list(rank.items())[:_SHOWN]]
        width = max((len(name) for name, _ in rows), default=4)
        for name, row in rows:
            lines.append(
                f"  {name:<{width}}  exposure {row['risk_exposure']:.2f}  "
                f"customers hit {row['customers_hit']}  lost {row['customer_time_lost']:g}"
            )
    echo(*lines)
    return 0
