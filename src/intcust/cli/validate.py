"""``intcust validate FILE``: exit 0 when valid, 1 with every problem listed."""

from __future__ import annotations

import argparse
from typing import Any

from intcust.cli._common import add_file_argument, load
from intcust.cli._terminal import echo, emit_json
from intcust.errors import CycleError, SchemaError
from intcust.graph.validation import validate


def register(sub: Any) -> None:
    """Add the ``validate`` sub-command."""
    p: argparse.ArgumentParser = sub.add_parser(
        "validate",
        help="check an organisation against the schema",
        description="Check an organisation against the schema. Exit 0 when it is valid; "
        "exit 1 listing every problem (a blocking cycle is named node by node).",
    )
    add_file_argument(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Validate and report."""
    try:
        G = load(args)  # every reader validates what it reads
        validate(G)
    except SchemaError as err:
        cycle = list(err.cycle) if isinstance(err, CycleError) else None
        if args.json:
            emit_json({"valid": False, "problems": list(err.problems), "cycle": cycle})
        else:
            echo(f"{len(err.problems)} problem(s):", *(f"  - {p}" for p in err.problems))
        return 1
    if args.json:
        emit_json({"valid": True, "problems": [], "cycle": None})
    else:
        echo(f"valid: {G.number_of_nodes()} stakeholders, {G.number_of_edges()} services")
    return 0
