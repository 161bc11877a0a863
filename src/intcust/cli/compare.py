"""``intcust compare BEFORE AFTER``: what changed between two organisations or two logs."""

from __future__ import annotations

import argparse
import os
from typing import Any

import networkx as nx

from intcust.cli._common import significance
from intcust.cli._terminal import echo, emit_json, shown
from intcust.metrics.service.comparison import compare

_LOGS = (".xes", ".xes.gz", ".csv", ".csv.gz")


def register(sub: Any) -> None:
    """Add the ``compare`` sub-command."""
    p: argparse.ArgumentParser = sub.add_parser(
        "compare",
        help="what changed between two snapshots (organisations or event logs)",
        description="Per-service changes in lead time, volume, SLA compliance and "
        "satisfaction, with a two-sample test telling real lead-time changes from noise.",
    )
    p.add_argument(
        "before",
        metavar="BEFORE",
        help="an organisation file, or an event log (.xes, .xes.gz, .csv)",
    )
    p.add_argument("after", metavar="AFTER", help="the same, later")
    p.add_argument("--test", choices=("mannwhitney", "ks"), default="mannwhitney")
    p.add_argument("--correction", choices=("holm", "bh", "none"), default="holm")
    p.add_argument(
        "--alpha",
        type=significance,
        default=0.05,
        metavar="A",
        help="the significance level of the adjusted p-values, in (0, 1) (default 0.05)",
    )
    p.add_argument("--json", action="store_true", help="print machine-readable JSON")
    p.set_defaults(run=run)


def _snapshot(path: str) -> nx.DiGraph:
    if os.path.isfile(path) and path.lower().endswith(_LOGS):
        from intcust.graph.eventlog.mining import from_event_log

        return from_event_log(path)
    from intcust.graph.io import read

    return read(path)


def run(args: argparse.Namespace) -> int:
    """Compare and print."""
    result = compare(
        _snapshot(args.before),
        _snapshot(args.after),
        test=args.test,
        correction=args.correction,
        alpha=args.alpha,
    )
    if args.json:
        emit_json(result.to_dict())
        return 0
    lines = [repr(result)]
    for (u, v), row in result.services.items():
        if row["changed"]:
            lines.append(
                f"  {shown(u)} -> {shown(v)}: lead time {row['lead_time_before']:.4g} -> "
                f"{row['lead_time_after']:.4g} (p = {row['p_adjusted']:.3g}, "
                f"effect {row['effect']:+.2f})"
            )
    for label, edges in (("added", result.added), ("removed", result.removed)):
        if edges:
            lines.append(f"  {label}: " + ", ".join(f"{shown(u)} -> {shown(v)}" for u, v in edges))
    echo(*lines)
    return 0
