"""Helpers shared by the sub-commands: reading the organisation, printing JSON."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

import networkx as nx

__all__ = ["add_file_argument", "emit_json", "load"]


def add_file_argument(parser: argparse.ArgumentParser) -> None:
    """The FILE argument and ``--example`` alternative every analysis command takes."""
    src = parser.add_mutually_exclusive_group(required=True)
    src.add_argument(
        "file",
        nargs="?",
        metavar="FILE",
        help="an organisation: .json, .graphml, .yaml/.yml, a PSPLIB .sm file, or a folder "
        "with stakeholders.csv and services.csv",
    )
    src.add_argument(
        "--example",
        choices=_example_names(),
        help="use a bundled example organisation instead of FILE",
    )
    parser.add_argument("--json", action="store_true", help="print machine-readable JSON")


def _example_names() -> list[str]:
    from intcust import datasets

    return sorted(n for n in datasets.__all__ if n != "generate_org")


def load(args: argparse.Namespace) -> nx.DiGraph:
    """The organisation named by ``args.file`` or ``args.example``."""
    if getattr(args, "example", None):
        from intcust import datasets

        G: nx.DiGraph = getattr(datasets, args.example)()
        return G
    from intcust.graph.io import read

    return read(args.file)


def emit_json(data: Any) -> None:
    """Print `data` as indented JSON (non-string keys become strings)."""
    json.dump(data, sys.stdout, indent=2, ensure_ascii=False, default=str)
    sys.stdout.write("\n")
