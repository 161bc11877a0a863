"""``intcust metrics FILE``: the main per-node metrics, busiest nodes first."""

from __future__ import annotations

import argparse
import math
from typing import Any

from intcust._params import LEVELS
from intcust.cli._common import add_file_argument, emit_json, load
from intcust.errors import ParameterError
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
    p.add_argument("--top", type=int, metavar="N", help="show only the N first nodes")
    p.add_argument(
        "--sort",
        default="dependence",
        metavar="COLUMN",
        help="the column to sort by, highest first (default: dependence)",
    )
    p.add_argument(
        "--sources",
        type=int,
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
    return str(value)


def run(args: argparse.Namespace) -> int:
    """Compute the summary and print it."""
    if args.top is not None and args.top < 0:
        raise ParameterError(f"The '--top' option of metrics must be an int >= 0; got {args.top}.")
    G = load(args)
    table = summary(G, level=args.level, k=args.sources, seed=args.seed)
    if args.sort not in table.columns:
        raise ParameterError(
            f"The '--sort' option of metrics must be one of {list(table.columns)}; "
            f"got {args.sort!r}."
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
    shown = [c for c in SHOWN if c in table.columns]
    if args.sort not in shown:
        shown.append(args.sort)
    cells = [[str(node), *(_cell(table[node][c]) for c in shown)] for node in nodes]
    header = ["node", *shown]
    widths = [max(len(r[i]) for r in [header, *cells]) for i in range(len(header))]
    name = G.graph.get("name") or "organisation"
    print(
        f"{name}: {len(table)} nodes at {args.level} level; "
        f"{len(nodes)} shown, by {args.sort} (highest first)"
    )
    for row in [header, *cells]:
        first = row[0].ljust(widths[0])
        rest = (cell.rjust(w) for cell, w in zip(row[1:], widths[1:], strict=True))
        print("  ".join([first, *rest]))
    if table.description != "main per-node metrics":
        print(f"note: {table.description}")
    return 0
