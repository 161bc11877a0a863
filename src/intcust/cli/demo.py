"""``intcust demo``: what a manager wants to see first, on a bundled example.

Who is on the critical path and how late the paying customers would be, who
moves them most when late, how likely the due dates are to hold, where the
organisation breaks and who serves the most.
"""

from __future__ import annotations

import argparse
from typing import Any

import networkx as nx

from intcust.cli._common import _example_names, add_monte_carlo_options
from intcust.cli._terminal import echo, emit_json, shown
from intcust.cli.info import counts

_TOP = 5


def register(sub: Any) -> None:
    """Add the ``demo`` sub-command."""
    p: argparse.ArgumentParser = sub.add_parser(
        "demo",
        help="analyse a bundled example organisation",
        description="Analyse a bundled example organisation and print what a manager wants "
        "to see first: the critical path, who moves the customers most when late, delivery "
        "risk, bottlenecks and who serves the most. --json prints one object whose "
        "members are the to_dict() of each result shown.",
    )
    p.add_argument("--example", default="company", choices=_example_names(), help="which example")
    add_monte_carlo_options(
        p, help="scenarios for the delivery risk (default 2000)", default=2000, seed=1
    )
    p.add_argument("--json", action="store_true", help="print machine-readable JSON")
    p.set_defaults(run=run)


def overview(G: nx.DiGraph, *, n: int, seed: int) -> dict[str, Any]:
    """Everything the demo shows, JSON-ready."""
    from intcust import bottlenecks, metrics, sim

    sch = sim.schedule(G)
    sens = sim.sensitivity(G, amount=1.0).column("makespan")
    risk = sim.monte_carlo(G, n, seed=seed)
    report = bottlenecks(G, top=_TOP)
    load = metrics.service_load(G).column("volume_supplied")
    return {
        "organisation": counts(G),
        "schedule": sch.to_dict(),
        "one_unit_late_moves_makespan": dict(sens.top(_TOP)),
        "monte_carlo": risk.to_dict(),
        "risk_summary": risk.summary_lines(),
        "bottlenecks": report.to_dict(),
        "serves_most_volume": dict(load.top(_TOP)),
    }


def run(args: argparse.Namespace) -> int:
    """Print the overview."""
    from intcust import datasets

    G = getattr(datasets, args.example)()
    data = overview(G, n=args.monte_carlo, seed=args.seed)
    if args.json:
        emit_json(data)
        return 0
    c, sch = data["organisation"], data["schedule"]
    unit = G.graph.get("time_unit", "time unit")
    lines = [
        f"{c['name']}: {c['stakeholders']} stakeholders, {c['services']} services "
        f"in {len(c['by_unit'])} units",
        "",
        f"Critical path (finishes at {sch['makespan']:.4g} {unit}s):",
        "  " + " -> ".join(map(shown, sch["critical_path"])),
        "Customers late against their due date: "
        + (", ".join(f"{shown(k)} by {v:.3g}" for k, v in sch["late"].items()) or "none"),
        "",
        f"If one stakeholder is 1 {unit} late, the last customer moves by:",
        *(
            f"  {shown(node):<24} {moved:.3g}"
            for node, moved in data["one_unit_late_moves_makespan"].items()
        ),
        "",
        *data["risk_summary"],
        "",
        "Bottlenecks:",
        *(
            f"  {shown(row['node'])}: " + "; ".join(row["reasons"])
            for row in data["bottlenecks"]["rows"]
        ),
        "",
        "Serves the most volume:",
        *(f"  {shown(node):<24} {v:.4g}" for node, v in data["serves_most_volume"].items()),
    ]
    echo(*lines)
    return 0
