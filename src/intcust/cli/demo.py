"""``intcust demo``: what a manager wants to see first, on a bundled example."""

from __future__ import annotations

import argparse
from typing import Any

from intcust.cli._common import emit_json
from intcust.cli.info import counts


def register(sub: Any) -> None:
    """Add the ``demo`` sub-command."""
    p: argparse.ArgumentParser = sub.add_parser(
        "demo",
        help="analyse a bundled example organisation",
        description="Analyse a bundled example organisation and print what a manager "
        "wants to see first.",
    )
    p.add_argument("--example", default="email_campaign", help="which bundled example")
    p.add_argument("--json", action="store_true", help="print machine-readable JSON")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Print the overview."""
    from intcust import datasets

    G = getattr(datasets, args.example)()
    c = counts(G)
    if args.json:
        emit_json({"organisation": c})
    else:
        print(f"{c['name']}: {c['stakeholders']} stakeholders, {c['services']} services")
    return 0
