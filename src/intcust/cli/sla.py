"""``intcust sla FILE``: SLA compliance per service and where breaches pile up."""

from __future__ import annotations

import argparse
from typing import Any

from intcust.cli._common import add_file_argument, add_top_option, load
from intcust.cli._terminal import echo, emit_json, shown
from intcust.errors import ParameterError
from intcust.metrics.service.sla import sla_breaches


def register(sub: Any) -> None:
    """Add the ``sla`` sub-command."""
    p: argparse.ArgumentParser = sub.add_parser(
        "sla",
        help="SLA compliance per service, ranked by expected breaches",
        description="For every service with an SLA, the probability its lead time meets it; "
        "services ranked by volume x breach rate, rolled up per supplier and per unit.",
    )
    add_file_argument(p)
    p.add_argument(
        "--sla",
        type=float,
        default=None,
        metavar="T",
        help="an SLA for every service that has none (in the organisation's time unit)",
    )
    add_top_option(p, default=10, what="rows to show")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Compute and print the breach table."""
    G = load(args)
    if args.sla is not None:
        if not 0 <= args.sla < float("inf"):
            raise ParameterError(
                f"The '--sla' option of sla must be a finite number >= 0; got {args.sla}."
            )
        for *_, data in G.edges(data=True):
            data.setdefault("sla", args.sla)
    report = sla_breaches(G)
    if args.json:
        emit_json(report.to_dict())
        return 0
    if not report.services:
        echo("no service has an SLA (set one per service, or pass --sla T)")
        return 0
    lines = [
        f"{'supplier':>16} -> {'customer':<16} {'volume':>8} {'sla':>8} {'met':>7} {'breaches':>9}"
    ]
    for row in report.services[: args.top]:
        lines.append(
            f"{shown(row['supplier']):>16} -> {shown(row['customer']):<16} "
            f"{row['volume']:>8.4g} {row['sla']:>8.4g} {row['compliance']:>7.1%} "
            f"{row['breaches']:>9.4g}"
        )
    for what, scores in (("supplier", report.by_supplier), ("unit", report.by_unit)):
        top = ", ".join(f"{shown(n)}: {v:.3g}" for n, v in scores.top(args.top))
        lines.append(f"expected breaches per {what}: {top}")
    echo(*lines)
    return 0
