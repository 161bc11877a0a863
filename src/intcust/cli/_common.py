"""Helpers shared by the sub-commands: common options, reading the organisation, naming
nodes and numbers on the command line, printing JSON."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Hashable
from typing import Any

import networkx as nx

from intcust.errors import ParameterError, UnknownNodeError

__all__ = [
    "add_estimate_option",
    "add_example_option",
    "add_file_argument",
    "add_json_option",
    "add_monte_carlo_options",
    "emit_json",
    "load",
    "number",
    "resolve",
]

_EXAMPLE_HELP = "use a bundled example organisation instead of FILE"


def add_file_argument(
    parser: argparse.ArgumentParser, *, example_help: str = _EXAMPLE_HELP, json: bool = True
) -> None:
    """The FILE argument and ``--example`` alternative every analysis command takes,
    then ``--json`` unless `json` is false."""
    src = parser.add_mutually_exclusive_group(required=True)
    src.add_argument(
        "file",
        nargs="?",
        metavar="FILE",
        help="an organisation: .json, .graphml, .yaml/.yml, a PSPLIB .sm file, or a folder "
        "with stakeholders.csv and services.csv",
    )
    add_example_option(src, help=example_help)
    if json:
        add_json_option(parser)


def add_example_option(parser: argparse._ActionsContainer, *, help: str = _EXAMPLE_HELP) -> None:
    """The ``--example NAME`` option, choosing among the bundled organisations."""
    parser.add_argument("--example", choices=_example_names(), help=help)


def add_json_option(parser: argparse.ArgumentParser) -> None:
    """The ``--json`` flag."""
    parser.add_argument("--json", action="store_true", help="print machine-readable JSON")


def add_estimate_option(parser: argparse.ArgumentParser) -> None:
    """The ``--estimate`` option: which point value of each duration to use."""
    from intcust.graph.durations import ESTIMATES

    parser.add_argument(
        "--estimate",
        choices=ESTIMATES,
        default="mode",
        help="point value of each duration (default: mode)",
    )


def add_monte_carlo_options(parser: argparse.ArgumentParser, *, help: str) -> None:
    """``--monte-carlo N`` (kept as text, checked when the command runs) and ``--seed``."""
    parser.add_argument("--monte-carlo", dest="monte_carlo", default=None, metavar="N", help=help)
    parser.add_argument("--seed", type=int, default=None, metavar="S", help="random seed")


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
    """Print `data`, a result's ``to_dict()``, as indented strict JSON.

    A ``to_dict()`` is strict JSON already and prints exactly; anything else
    is first written in the same encoding (`intcust.results.json_ready`).
    """
    from intcust.results import json_ready

    json.dump(json_ready(data), sys.stdout, indent=2, ensure_ascii=False, allow_nan=False)
    sys.stdout.write("\n")


def resolve(G: nx.DiGraph, name: str, option: str) -> Hashable:
    """The node called `name` (or whose name's text it is, if unique)."""
    if name in G:
        return name
    matches: list[Hashable] = [n for n in G if str(n) == name]
    if len(matches) == 1:
        return matches[0]
    raise UnknownNodeError(
        f"The {option!r} option must name a node of the organisation; got {name!r}."
    )


def number(text: str | None, option: str, *, integer: bool = False, positive: bool = True) -> Any:
    """`text` as a number > 0 (an int >= 1 with `integer`), or a clear error."""
    if text is None:
        return None
    expected = "an int >= 1" if integer else ("a number > 0" if positive else "a number >= 0")
    try:
        value: float = int(text) if integer else float(text)
    except ValueError:
        raise ParameterError(f"The {option!r} option must be {expected}; got {text!r}.") from None
    bad = value != value or value in (float("inf"), float("-inf"))
    if bad or value < (1 if integer else 0) or (positive and value == 0):
        raise ParameterError(f"The {option!r} option must be {expected}; got {text!r}.")
    return value
