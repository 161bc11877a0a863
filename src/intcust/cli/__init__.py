"""The ``intcust`` command: a thin face over the public API.

Each sub-command lives in its own module of this package with a
``register(subparsers)`` function; `COMMANDS` lists them in help order.
Exit codes: 0 success, 1 the organisation has problems (``validate``),
2 bad arguments or unreadable input.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from intcust._version import __version__
from intcust.errors import IntcustError

__all__ = ["COMMANDS", "main"]

#: Sub-command modules of `intcust.cli`, in the order ``--help`` lists them.
COMMANDS: tuple[str, ...] = (
    "demo",
    "validate",
    "info",
    "bottlenecks",
    "metrics",
    "simulate",
    "rounds",
    "outage",
    "mine",
    "tickets",
    "sla",
    "feedback",
    "catalogue",
    "recognise",
    "compare",
    "report",
)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every sub-command registered."""
    parser = argparse.ArgumentParser(
        prog="intcust",
        description="Internal-customer networks: who supplies whom, where it is fragile, "
        "and how a late hand-off cascades to the paying customer.",
    )
    parser.add_argument("--version", action="version", version=f"intcust {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMANDS:
        importlib.import_module(f"intcust.cli.{name}").register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``intcust`` command; return its exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.run(args)
    except IntcustError as err:
        print(f"intcust {args.command}: error: {err}", file=sys.stderr)
        return 2
    except OSError as err:
        print(f"intcust {args.command}: error: {err}", file=sys.stderr)
        return 2
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
