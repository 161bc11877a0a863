"""``intcust info FILE``: counts by kind, by unit and by deliverable."""

from __future__ import annotations

import argparse
from collections import Counter
from collections.abc import Hashable
from typing import Any

import networkx as nx

from intcust.cli._common import add_file_argument, load
from intcust.cli._terminal import echo, emit_json, shown
from intcust.graph.schema import is_blocking


def register(sub: Any) -> None:
    """Add the ``info`` sub-command."""
    p: argparse.ArgumentParser = sub.add_parser(
        "info",
        help="count stakeholders and services",
        description="Count stakeholders by kind and unit, and services by deliverable.",
    )
    add_file_argument(p)
    p.set_defaults(run=run)


def counts(G: nx.DiGraph) -> dict[str, Any]:
    """The counts `info` prints, as a JSON-ready mapping."""
    kinds = Counter(d.get("kind", "person") for _, d in G.nodes(data=True))
    units = Counter(str(d["unit"]) for _, d in G.nodes(data=True) if d.get("unit") is not None)
    no_unit = sum(1 for _, d in G.nodes(data=True) if d.get("unit") is None)
    deliverables = Counter(
        str(d["deliverable"]) for _, _, d in G.edges(data=True) if d.get("deliverable") is not None
    )
    unnamed = sum(1 for _, _, d in G.edges(data=True) if d.get("deliverable") is None)
    blocking = sum(1 for _, _, d in G.edges(data=True) if is_blocking(d, with_lag=True))
    lagged = sum(1 for _, _, d in G.edges(data=True) if d.get("lag"))
    return {
        "name": G.graph.get("name"),
        "time_unit": G.graph.get("time_unit"),
        "stakeholders": G.number_of_nodes(),
        "services": G.number_of_edges(),
        "blocking_services": blocking,
        "recurring_services": lagged,
        "by_kind": dict(sorted(kinds.items())),
        "by_unit": dict(sorted(units.items())),
        "without_unit": no_unit,
        "by_deliverable": dict(sorted(deliverables.items(), key=lambda t: (-t[1], t[0]))),
        "unnamed_deliverables": unnamed,
    }


def _table(title: str, rows: dict[Hashable, int]) -> list[str]:
    if not rows:
        return []
    names = {k: shown(k) for k in rows}
    width = max(len(name) for name in names.values())
    return [title, *(f"  {names[k]:<{width}}  {v:>6}" for k, v in rows.items())]


def run(args: argparse.Namespace) -> int:
    """Print the counts."""
    c = counts(load(args))
    if args.json:
        emit_json(c)
        return 0
    lines = [
        f"{shown(c['name'] or 'organisation')}: {c['stakeholders']} stakeholders, "
        f"{c['services']} services ({c['blocking_services']} blocking, "
        f"{c['recurring_services']} recurring)",
        *_table("by kind:", c["by_kind"]),
        *_table(
            "by unit:", c["by_unit"] | ({"(none)": c["without_unit"]} if c["without_unit"] else {})
        ),
        *_table(
            "by deliverable:",
            c["by_deliverable"]
            | ({"(unnamed)": c["unnamed_deliverables"]} if c["unnamed_deliverables"] else {}),
        ),
    ]
    echo(*lines)
    return 0
