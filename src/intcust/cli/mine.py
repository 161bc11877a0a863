"""``intcust mine LOG -o org.json``: an organisation mined from a process event log."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from intcust.cli._common import MAX_SAMPLES, count, save_and_summarise
from intcust.cli._terminal import shown
from intcust.graph.eventlog.mining import LEVELS, TIME_UNITS, from_event_log


def register(sub: Any) -> None:
    """Add the ``mine`` sub-command."""
    p: argparse.ArgumentParser = sub.add_parser(
        "mine",
        help="mine the handover-of-work organisation of an event log",
        description="Read an event log (.xes, .xes.gz or .csv with XES column names) and build "
        "the organisation of who hands work to whom, how often and after how long.",
    )
    p.add_argument("log", metavar="LOG", help="the event log: .xes, .xes.gz or .csv")
    p.add_argument(
        "-o", "--output", metavar="FILE", help="write the organisation (.json, .graphml, .yaml)"
    )
    p.add_argument(
        "--level", choices=LEVELS, default="resource", help="what a node is (default: resource)"
    )
    p.add_argument(
        "--missing",
        choices=("raise", "drop", "error"),
        default="raise",
        help="events lacking case, activity, resource or time: stop with an error (raise, "
        "the default) or drop them; 'error' is the old spelling of raise",
    )
    p.add_argument(
        "--time-unit",
        choices=list(TIME_UNITS),
        default="day",
        help="unit of durations (default: day)",
    )
    p.add_argument(
        "--max-samples",
        type=count(MAX_SAMPLES),
        default=10_000,
        metavar="N",
        help="samples kept per duration (default 10000)",
    )
    p.add_argument("--json", action="store_true", help="print a machine-readable summary")
    p.set_defaults(run=run)


class _Bar:
    """A one-line progress bar on stderr, drawn only when stderr is a terminal."""

    def __init__(self) -> None:
        self.last = -1

    def __call__(self, done: int, total: int) -> None:
        pct = 100 * done // max(total, 1)
        if pct != self.last:
            self.last = pct
            filled = pct // 4
            sys.stderr.write(f"\rreading [{'#' * filled}{'.' * (25 - filled)}] {pct:3d}%")
            if done >= total:
                sys.stderr.write("\n")
            sys.stderr.flush()


def run(args: argparse.Namespace) -> int:
    """Mine, write and summarise."""
    progress = _Bar() if getattr(sys.stderr, "isatty", bool)() else None
    G = from_event_log(
        args.log,
        level=args.level,
        missing="raise" if args.missing == "error" else args.missing,
        time_unit=args.time_unit,
        max_samples=args.max_samples,
        progress=progress,
    )
    return save_and_summarise(
        G,
        args,
        "event_log",
        lambda stats: (
            f"{shown(stats['source'])}: {stats['cases']} cases, {stats['handoffs']} hand-offs "
            f"between {G.number_of_nodes() - 1} {args.level}s over {stats['span']:.4g} "
            f"{G.graph['time_unit']}s"
        ),
        ("dropped_events", "ignored_events", "reordered_cases", "overlapping_handoffs"),
    )
