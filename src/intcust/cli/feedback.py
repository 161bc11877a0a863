"""``intcust feedback ORG SURVEY``: where a customer's experience breaks down, ranked."""

from __future__ import annotations

import argparse
from typing import Any

from intcust.cli._common import (
    add_example_option,
    add_json_option,
    add_top_option,
    example_survey,
    load,
    read_survey_file,
    resolve,
)
from intcust.cli._terminal import echo, emit_json, shown
from intcust.errors import ParameterError, quote
from intcust.metrics.service.feedback import breakdown_points
from intcust.metrics.service.survey import NONRESPONDENT, read_survey


def register(sub: Any) -> None:
    """Add the ``feedback`` sub-command."""
    p: argparse.ArgumentParser = sub.add_parser(
        "feedback",
        help="read a survey of internal services and rank where the experience breaks down",
        description="Apply a survey (CSV: customer, supplier, score[, date]) to the "
        "organisation and trace a customer's supply chain upstream: each supplier scored by "
        "the dissatisfaction and lateness it passes on, worst first.",
    )
    p.add_argument("org", nargs="?", metavar="ORG", help="the organisation file")
    p.add_argument("survey", nargs="?", metavar="SURVEY", help="the survey CSV file")
    add_example_option(
        p, help="a bundled example instead of ORG (its own survey unless SURVEY is given)"
    )
    p.add_argument(
        "--customer",
        default=None,
        help="whose experience to trace (default: the only external customer)",
    )
    p.add_argument(
        "--nonrespondent",
        choices=NONRESPONDENT,
        default="ignore",
        help="services nobody rated: leave unrated (default), take the reverse rating, or impute",
    )
    p.add_argument(
        "--scale",
        nargs=2,
        type=float,
        default=(1.0, 5.0),
        metavar=("LOW", "HIGH"),
        help="the score range (default 1 5)",
    )
    add_top_option(p, default=10, what="rows to show")
    add_json_option(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Apply the survey, trace the customer, print the ranked breakdown points."""
    positional = [x for x in (args.org, args.survey) if x is not None]
    if args.example:
        if len(positional) > 1:
            raise ParameterError("With --example, give at most the SURVEY file; got ORG too.")
        args.file = None
        G = load(args)
        path = positional[0] if positional else None
    else:
        if len(positional) < 2:
            raise ParameterError("feedback needs ORG and SURVEY (or --example NAME).")
        args.file, path = positional
        G = load(args)
    records = read_survey_file(path, G) if path is not None else example_survey(args.example)
    if records is None:
        raise ParameterError(f"The example {args.example!r} has no survey; give SURVEY.")
    survey = read_survey(records, G=G, nonrespondent=args.nonrespondent, scale=args.scale)
    customers = [v for v, k in G.nodes(data="kind") if k == "external"]
    if args.customer is not None:
        customer = resolve(G, args.customer, "--customer")
    elif len(customers) == 1:
        customer = customers[0]
    else:
        names = ", ".join(quote(c) for c in customers[:10])
        raise ParameterError(
            f"The '--customer' option must name whose experience to trace (the organisation "
            f"has {len(customers)} external customers: [{names}])."
        )
    result = breakdown_points(survey.apply(G), customer)
    if args.json:
        emit_json(result.to_dict())
        return 0
    rated = sum(1 for s in survey.source.values() if s == "reported")
    lines = [
        f"survey: {rated} services rated, {len(survey.unrated)} unrated",
        f"where the experience of {shown(customer)} breaks down (the share each supplier spoils):",
        f"{'supplier':>20} {'flow':>7} {'unhappy':>8} {'late':>7} {'score':>7}",
    ]
    ranked = sorted(result.scores.items(), key=lambda t: -t[1]["score"])
    for node, row in ranked[: args.top]:
        lines.append(
            f"{shown(node):>20} {row['flow']:>7.3f} {row['dissatisfaction']:>8.3f} "
            f"{row['lateness']:>7.3f} {row['score']:>7.3f}"
        )
    if result.worst is not None:
        chain = " -> ".join(shown(n) for n in result.chain)
        lines.append(f"worst: {shown(result.worst)}; chain: {chain}")
    lines += [f"note: {note}" for note in result.notes]
    echo(*lines)
    return 0
