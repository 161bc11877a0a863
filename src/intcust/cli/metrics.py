"""``intcust metrics FILE``: the main per-node metrics, busiest nodes first."""

from __future__ import annotations

import argparse
import math
from typing import Any

from intcust._params import LEVELS
from intcust.cli._common import MAX_NODES, add_file_argument, add_top_option, count, load
from intcust.cli._terminal import echo, emit_json, shown
from intcust.errors import ParameterError, quote
from intcust.metrics.overview import summary
from intcust.results import NodeTable

#: Columns of the text table, when the summary has them.
SHOWN = (
    "customers",
    "suppliers",
    "dependence",
    "reliance",
    "betweenness",
    "dependent_customers",
    "hops_to_customer",
    "role",
)


def register(sub: Any) -> None:
    """Add the ``metrics`` sub-command."""
    p: argparse.ArgumentParser = sub.add_parser(
        "metrics",
        help="per-node network metrics: service load, dependence, betweenness, reach",
        description="Compute the main per-node metrics (intcust.metrics.summary) and list "
        "the nodes the most work depends on first. --json prints the to_dict() of the "
        "summary table: node -> every column, in the order shown.",
    )
    add_file_argument(p)
    p.add_argument(
        "--level", choices=LEVELS, default="person", help="person (default) or unit level"
    )
    add_top_option(
        p, default=None, what="show only the N first nodes (default 10; all with --json)"
    )
    p.add_argument(
        "--sort",
        default="dependence",
        metavar="COLUMN",
        help="the column to sort by, highest first (default: dependence)",
    )
    p.add_argument(
        "--sources",
        type=count(MAX_NODES),
        metavar="K",
        help="estimate betweenness from K sampled sources (for large organisations)",
    )
    p.add_argument("--seed", type=int, default=None, help="random seed of the sampled sources")
    p.set_defaults(run=run)


def _sort_key(value: Any) -> tuple[int, Any]:
    if value is None:
        return (1, 0.0)
    if isinstance(value, (int, float)):
        return (0, -float(value))
    return (0, str(value))


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.4g}" if math.isfinite(value) else str(value)
    return shown(value)


def run(args: argparse.Namespace) -> int:
    """Compute the summary and print it."""
    G = load(args)
    table = summary(G, level=args.level, k=args.sources, seed=args.seed)
    if args.sort not in table.columns:
        raise ParameterError(
            f"The '--sort' option of metrics must be one of {list(table.columns)}; "
            f"got {quote(args.sort)}."
        )
    nodes = sorted(table, key=lambda node: _sort_key(table[node][args.sort]))
    if args.top is not None:
        nodes = nodes[: args.top]
    if args.json:
        rows = NodeTable({node: table[node] for node in nodes}, columns=table.columns)
        emit_json(rows.to_dict())
        return 0
    if args.top is None:
        nodes = nodes[:10]
    columns = [c for c in SHOWN if c in table.columns]
    if args.sort not in columns:
        columns.append(args.sort)
    cells = [[shown(node), *(_cell(table[node][c]) for c in columns)] for node in nodes]
    header = ["node", *columns]
    widths = [max(len(r[i]) for r in [header, *cells]) for i in range(len(header))]
    name = shown(G.graph.get("name") or "organisation")
    lines = [
        f"{name}: {len(table)} nodes at {args.level} level; "
        f"{len(nodes)} shown, by {args.sort} (highest first)"
    ]
    for row in [header, *cells]:
        first = row[0].ljust(widths[0])
        rest = (cell.rjust(w) for cell, w in zip(row[1:], widths[1:], strict=True))
        lines.append("  ".join([first, *rest]))
    if table.description != "main per-node metrics":
        lines.append(f"note: {table.description}")
    echo(*lines)
    return 0
