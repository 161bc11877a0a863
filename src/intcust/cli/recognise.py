"""``intcust recognise ORG``: who to recognise, and why: the facts side by side."""

from __future__ import annotations

import argparse
from typing import Any

from intcust.cli._common import (
    add_file_argument,
    add_monte_carlo_options,
    add_top_option,
    example_records,
    load,
    load_log,
    read_survey_file,
)
from intcust.cli._terminal import echo, emit_json, shown
from intcust.metrics.service.recognition_table import COLUMNS, recognition
from intcust.metrics.service.survey import read_survey


def register(sub: Any) -> None:
    """Add the ``recognise`` sub-command."""
    p: argparse.ArgumentParser = sub.add_parser(
        "recognise",
        help="contribution, criticality, reliability, satisfaction and reach side by side",
        description="For each stakeholder (or unit): its share of what the paying customers "
        "receive, how often it is critical, how reliably it meets its SLAs, how its internal "
        "customers rate it, how many it serves, and whether it is a hidden contributor. "
        "A bundled example uses its own survey and ticket log unless others are given.",
    )
    add_file_argument(p)
    p.add_argument("--survey", metavar="FILE", help="a survey CSV (customer, supplier, score)")
    p.add_argument(
        "--log",
        metavar="FILE",
        help="measured lead times: a ticket log (.csv), an event log (.xes) or an "
        "organisation read from a log (intcust tickets / mine)",
    )
    p.add_argument("--level", choices=("person", "unit"), default="person")
    p.add_argument(
        "--rank-by",
        dest="rank_by",
        choices=COLUMNS[:-1],
        default="contribution",
        help="the column that orders the rows (default: contribution)",
    )
    add_monte_carlo_options(
        p, help="Monte Carlo scenarios for the criticality (default 2000)", default=2000, seed=1
    )
    add_top_option(p, default=15, what="rows to show")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Build the recognition table and print it."""
    G = load(args)
    survey, log = example_records(args, G)
    if args.survey:
        survey = read_survey(read_survey_file(args.survey, G), G=G)
    if args.log:
        log = load_log(args.log, G)
    table = recognition(
        G,
        survey=survey,
        log=log,
        level=args.level,
        rank_by=args.rank_by,
        n=args.monte_carlo,
        seed=args.seed,
    )
    if args.json:
        emit_json(table.to_dict())
        return 0
    head = f"{args.level:>20} {'contrib':>8} {'critical':>8} {'reliab':>7} {'satisf':>7}"
    lines = [f"{head} {'reach':>5} {'visible':>7}  hidden"]
    for node, r in list(table.items())[: args.top]:
        lines.append(
            f"{shown(node):>20} {r['contribution']:>8.4g} {r['criticality']:>8.2f} "
            f"{_cell(r['reliability']):>7} {_cell(r['satisfaction']):>7} {r['reach']:>5} "
            f"{r['visibility']:>7}  {'yes' if r['hidden'] else ''}"
        )
    lines += [table.why(name) for name in table.hidden()]
    lines += [f"note: {note}" for note in table.notes]
    echo(*lines)
    return 0


def _cell(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"
