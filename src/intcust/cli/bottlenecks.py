"""``intcust bottlenecks FILE``: the ranked report of where the organisation will break."""

from __future__ import annotations

import argparse
from typing import Any

from intcust.bottleneck_report import bottlenecks
from intcust.cli._common import add_file_argument, add_top_option, load
from intcust.cli._terminal import echo, emit_json, shown


def register(sub: Any) -> None:
    """Add the ``bottlenecks`` sub-command."""
    p: argparse.ArgumentParser = sub.add_parser(
        "bottlenecks",
        help="rank single points of failure, overloaded suppliers and key players",
        description="Rank the stakeholders where the organisation will break: single points "
        "of failure, sole suppliers, bus factor, overloaded queues, key players and, "
        "where a schedule exists, the critical path; each with the reason in plain words.",
    )
    add_file_argument(p)
    add_top_option(p, default=None, what="show the N highest only")
    p.add_argument(
        "--no-cascade",
        action="store_true",
        help="leave out the schedule's critical path and delay sensitivity (faster)",
    )
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Build and print the report."""
    report = bottlenecks(load(args), top=args.top, cascade=not args.no_cascade)
    if args.json:
        emit_json(report.to_dict())
        return 0
    if not report.rows:
        echo(f"{shown(report.name)}: no bottleneck found")
        return 0
    lines = [f"Bottlenecks of {shown(report.name)} (highest score first):"]
    for i, row in enumerate(report.rows, 1):
        lines.append(f"{i:>3}. {shown(row.node)} (score {row.score:.2f})")
        lines += [f"       - {reason}" for reason in row.reasons]
    echo(*lines)
    return 0
