"""``intcust catalogue ORG [-o file.csv|.html]``: the service catalogue, one row per service."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from intcust.cli._common import add_file_argument, example_records, load, load_log
from intcust.cli._terminal import echo, emit_json, shown
from intcust.errors import ParameterError, quote
from intcust.metrics.service.catalogue import service_catalogue


def register(sub: Any) -> None:
    """Add the ``catalogue`` sub-command."""
    p: argparse.ArgumentParser = sub.add_parser(
        "catalogue",
        help="the service catalogue: standards per supplier and deliverable",
        description="One row per supplier and deliverable: who it serves, volume, lead time "
        "P50/P90, the SLA and how often it is met, satisfaction, and whether it is a single "
        "point of failure. Write it as CSV or HTML with -o. A bundled example uses its own "
        "ticket log unless --log is given.",
    )
    add_file_argument(p)
    p.add_argument("-o", "--output", metavar="FILE", help="write the catalogue (.csv or .html)")
    p.add_argument(
        "--log",
        metavar="FILE",
        help="measured lead times: a ticket log (.csv), an event log (.xes) or an "
        "organisation read from a log",
    )
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Build the catalogue, write it if asked, print it."""
    out = args.output
    if out is not None and not out.lower().endswith((".csv", ".html", ".htm")):
        got = quote(out)
        raise ParameterError(f"The '--output' option must end in .csv or .html; got {got}.")
    G = load(args)
    log = example_records(args, G)[1] if args.log is None else load_log(args.log, G)
    cat = service_catalogue(G, log=log)
    if out is not None:
        from intcust.graph.io.files import write_text

        if out.lower().endswith(".csv"):
            text = cat.to_csv()
        else:
            text = cat.to_html(title=f"{G.graph.get('name') or 'Organisation'}: service catalogue")
        write_text(out, text, func="catalogue", param="--output")  # atomic: all or nothing
        echo(f"wrote {out}", file=sys.stderr)
    if args.json:
        emit_json(cat.to_dict())
        return 0
    lines = [
        f"{'supplier':>16} {'deliverable':<18} {'volume':>7} {'P50':>6} {'P90':>6}"
        f" {'sla':>6} {'met':>6} {'satisf':>6}  spof  customers"
    ]
    for r in cat.rows:
        lines.append(
            f"{shown(r['supplier']):>16} {_short(r['deliverable']):<18} {r['volume']:>7.4g} "
            f"{r['lead_time_p50']:>6.3g} {r['lead_time_p90']:>6.3g} {_num(r['sla']):>6} "
            f"{_pct(r['compliance']):>6} {_num(r['satisfaction']):>6}  "
            f"{'yes ' if r['single_point_of_failure'] else '    '}  "
            f"{', '.join(map(shown, r['customers']))}"
        )
    lines += [f"note: {note}" for note in cat.notes]
    echo(*lines)
    return 0


def _short(value: Any) -> str:
    text = "-" if value is None else shown(value)
    return text if len(text) <= 18 else text[:17] + "…"


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:.3g}"


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"
