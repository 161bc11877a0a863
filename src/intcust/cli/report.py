"""``intcust report FILE -o report.html``: one self-contained HTML report of an organisation."""

from __future__ import annotations

import argparse
import sys
import time
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
from intcust.cli._terminal import echo


def register(sub: Any) -> None:
    """Add the ``report`` sub-command."""
    p: argparse.ArgumentParser = sub.add_parser(
        "report",
        help="write a self-contained HTML report (summary, bottlenecks, risk, ONA)",
        description="Write one HTML file holding the organisation summary, the ranked "
        "bottlenecks with their reasons, the critical path, delay sensitivity, Monte Carlo "
        "delivery risk, the network analysis tables and figures. The figures are embedded, "
        "so the file opens offline and can be sent as it is.",
    )
    add_file_argument(p, example_help="report on a bundled example organisation", json=False)
    p.add_argument("-o", "--output", required=True, metavar="HTML", help="the HTML file to write")
    p.add_argument(
        "--title", default=None, help="the page title (default: the organisation's name)"
    )
    add_monte_carlo_options(
        p, help="scenarios of the Monte Carlo risk run (default 2000)", default=2000, seed=1
    )
    add_top_option(p, default=10, what="rows per ranked table")
    p.add_argument(
        "--survey",
        metavar="FILE",
        help="a survey CSV (customer, supplier, score): adds the service standards and "
        "recognition sections (a bundled example brings its own)",
    )
    p.add_argument(
        "--log",
        metavar="FILE",
        help="measured lead times: a ticket log (.csv), an event log (.xes) or an "
        "organisation read from a log; adds the same sections",
    )
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Render the report and write it."""
    from intcust.metrics.service.survey import read_survey
    from intcust.report import write_report

    G = load(args)
    survey, log = example_records(args, G)
    if args.survey:
        survey = read_survey(read_survey_file(args.survey, G), G=G)
    if args.log:
        log = load_log(args.log, G)
    began = time.perf_counter()
    write_report(
        G,
        args.output,
        title=args.title,
        monte_carlo_n=args.monte_carlo,
        seed=args.seed,
        top=args.top,
        survey=survey,
        log=log,
    )
    seconds = time.perf_counter() - began
    echo(f"wrote {args.output} ({seconds:.1f} s)", file=sys.stderr)
    return 0
