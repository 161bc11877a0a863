"""Helpers shared by the sub-commands: common options, reading the organisation, naming
nodes and numbers on the command line.

Printing lives in `intcust.cli._terminal` (every name escaped), and how a run ends
(exit codes, error messages) in `intcust.cli.main`.
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, Any

import networkx as nx

from intcust.errors import ParameterError, UnknownNodeError, quote

if TYPE_CHECKING:
    from intcust.metrics.service.survey import Survey

__all__ = [
    "MAX_NODES",
    "MAX_ROUNDS",
    "MAX_SAMPLES",
    "MAX_SCENARIOS",
    "add_estimate_option",
    "add_example_option",
    "add_file_argument",
    "add_json_option",
    "add_monte_carlo_options",
    "add_top_option",
    "count",
    "example_records",
    "example_survey",
    "load",
    "load_log",
    "number",
    "read_survey_file",
    "resolve",
    "significance",
]

_EXAMPLE_HELP = "use a bundled example organisation instead of FILE"

# The largest value of each counting option: beyond any real use, and refused before any
# work starts, so that a slip such as 10**12 scenarios is a usage error naming the option
# (the library's own bounds are on memory, and would let a run go on for days).
#: Rows shown (--top) and nodes sampled (--sources).
MAX_NODES = 1_000_000
#: Monte Carlo scenarios (--monte-carlo): about a minute on the bundled company example.
MAX_SCENARIOS = 10_000_000
#: Rounds of a recurring process (--rounds): each keeps two finish times per node.
MAX_ROUNDS = 100_000
#: Samples kept per duration (mine --max-samples).
MAX_SAMPLES = 10_000_000


def count(maximum: int) -> Callable[[str], int]:
    """An argparse ``type``: an int from 1 to `maximum` (argparse names the option).

    Examples
    --------
    >>> count(10)("3")
    3
    >>> count(10)("0")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: must be an int from 1 to 10; got '0'
    """

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:  # not an int, or more digits than int() reads
            value = 0
        if not 1 <= value <= maximum:
            got = quote(text)
            raise argparse.ArgumentTypeError(f"must be an int from 1 to {maximum:,}; got {got}")
        return value

    parse.__name__ = "count"
    return parse


def significance(text: str) -> float:
    """An argparse ``type``: a significance level, a number in (0, 1) (argparse names the option).

    Examples
    --------
    >>> significance("0.01")
    0.01
    >>> significance("2")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: must be a number in (0, 1); got '2'
    """
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not 0 < value < 1:  # NaN is refused too
        raise argparse.ArgumentTypeError(f"must be a number in (0, 1); got {quote(text)}")
    return value


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


def add_monte_carlo_options(
    parser: argparse.ArgumentParser,
    *,
    help: str,
    default: int | None = None,
    seed: int | None = None,
) -> None:
    """``--monte-carlo N`` (an int from 1 to `MAX_SCENARIOS`) and ``--seed S``."""
    parser.add_argument(
        "--monte-carlo",
        dest="monte_carlo",
        type=count(MAX_SCENARIOS),
        default=default,
        metavar="N",
        help=help,
    )
    seed_help = "random seed" if seed is None else f"random seed (default {seed})"
    parser.add_argument("--seed", type=int, default=seed, metavar="S", help=seed_help)


def add_top_option(parser: argparse.ArgumentParser, *, default: int | None, what: str) -> None:
    """``--top N``: how many rows to show, an int from 1 to `MAX_NODES`."""
    shown_default = "" if default is None else f" (default {default})"
    parser.add_argument(
        "--top",
        type=count(MAX_NODES),
        default=default,
        metavar="N",
        help=f"{what}{shown_default}",
    )


def _example_names() -> list[str]:
    from intcust import datasets

    return list(datasets.EXAMPLES)


def load(args: argparse.Namespace) -> nx.DiGraph:
    """The organisation named by ``args.file`` or ``args.example``."""
    if getattr(args, "example", None):
        from intcust import datasets

        G: nx.DiGraph = getattr(datasets, args.example)()
        return G
    from intcust.graph.io import read

    return read(args.file)


def resolve(G: nx.DiGraph, name: str, option: str) -> Hashable:
    """The node called `name` (or whose name's text it is, if unique)."""
    if name in G:
        return name
    matches: list[Hashable] = [n for n in G if str(n) == name]
    if len(matches) == 1:
        return matches[0]
    raise UnknownNodeError(
        f"The {option!r} option must name a node of the organisation; got {quote(name)}."
    )


def number(
    text: str | None, option: str, *, minimum: float | None = 0.0, strict: bool = True
) -> Any:
    """`text` as a finite number above `minimum` (or equal to it unless `strict`; any finite
    number when `minimum` is None), or an error naming `option`; None stays None.

    Examples
    --------
    >>> number("2.5", "--period"), number("0", "--delay", strict=False)
    (2.5, 0.0)
    >>> number("nan", "--at", minimum=None)
    Traceback (most recent call last):
    ...
    intcust.errors.ParameterError: The '--at' option must be a finite number; got 'nan'.
    """
    if text is None:
        return None
    if minimum is None:
        expected = "a finite number"
    else:
        expected = f"a number {'>' if strict else '>='} {minimum:g}"
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    low = minimum is not None and (value < minimum or (strict and value == minimum))
    if not math.isfinite(value) or low:
        got = quote(text)
        raise ParameterError(f"The {option!r} option must be {expected}; got {got}.")
    return value


def read_survey_file(path: str, G: nx.DiGraph) -> list[dict[str, Any]]:
    """The records of a survey CSV file (columns customer, supplier, score[, date]) about
    the organisation `G`.

    Raises
    ------
    ReadError
        If the file cannot be read, is not UTF-8 text or not CSV, or a record
        lacks a column or a numeric score, or rates a service `G` does not have;
        the message names the file, and the line or the byte offset.
    """
    import csv
    import io

    from intcust.errors import ReadError
    from intcust.graph.io.files import read_text
    from intcust.metrics.service.survey import check_rated_services

    text, _ = read_text(path, func="read_survey_file")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    records = []
    lines = []
    try:
        for row in reader:
            line = reader.line_num
            lines.append(line)
            absent = [c for c in ("customer", "supplier", "score") if not row.get(c)]
            if absent:
                raise ReadError(
                    f"{path}, line {line}: a survey record needs customer, supplier and score; "
                    f"missing {', '.join(absent)}"
                )
            try:
                score = float(row["score"])
            except ValueError:
                got = quote(row["score"])
                raise ReadError(
                    f"{path}, line {line}: score must be a number; got {got}"
                ) from None
            records.append({**row, "score": score, "date": row.get("date") or None})
    except csv.Error as err:
        # the reader counts the lines it finished; the error is in the next one
        raise ReadError(f"{path}, line {reader.line_num + 1}: not valid CSV: {err}") from None
    rated = zip(lines, records, strict=True)
    check_rated_services(
        ((f"{path}, line {n}", r["supplier"], r["customer"]) for n, r in rated), G
    )
    return records


def load_log(path: str, G: nx.DiGraph) -> nx.DiGraph:
    """An organisation read from a log file, its durations in the time unit of `G`.

    An event log (.xes, .xes.gz) is mined with `from_event_log`, a ticket log
    (.csv, .csv.gz, default column names) read with `from_tickets`; any other
    file is an organisation already read from a log (``intcust tickets``,
    ``intcust mine``).
    """
    lower = path.lower()
    unit = G.graph.get("time_unit") or "day"
    if lower.endswith((".xes", ".xes.gz")):
        from intcust.graph.eventlog.mining import from_event_log

        return from_event_log(path, time_unit=unit)
    if lower.endswith((".csv", ".csv.gz")):
        from intcust.graph.eventlog.tickets import from_tickets

        return from_tickets(path, time_unit=unit)
    from intcust.graph.io import read

    return read(path)


def save_and_summarise(
    G: nx.DiGraph,
    args: argparse.Namespace,
    key: str,
    headline: Callable[[dict[str, Any]], str],
    counts: tuple[str, ...],
) -> int:
    """Write an organisation read from a log to ``--output``, if given, then its summary.

    The summary holds the nodes, services, the reader's statistics kept under
    ``G.graph[key]`` and the file written: with ``--json`` that object, else
    `headline` of the statistics and those of `counts` that are not zero.
    """
    from intcust.cli._terminal import echo, emit_json, shown

    if args.output:
        from intcust.graph.io import write

        write(G, args.output)
    stats = dict(G.graph[key])
    if args.json:
        summary = {"nodes": G.number_of_nodes(), "services": G.number_of_edges(), **stats}
        if args.output:
            summary["output"] = args.output
        emit_json(summary)
        return 0
    lines = [headline(stats)]
    lines += [f"  {c.replace('_', ' ')}: {stats[c]}" for c in counts if stats.get(c)]
    if args.output:
        lines.append(f"wrote {shown(args.output)}")
    echo(*lines)
    return 0


def example_survey(name: str | None) -> list[Any] | None:
    """The survey records a bundled example ships (``<name>_survey()``), or None."""
    from intcust import datasets

    records_of = getattr(datasets, f"{name}_survey", None) if name else None
    return None if records_of is None else list(records_of())


def example_records(
    args: argparse.Namespace, G: nx.DiGraph
) -> tuple[Survey | None, nx.DiGraph | None]:
    """The survey and the organisation read from the ticket log that a bundled example
    ships (None for each it does not)."""
    name = getattr(args, "example", None)
    if not name:
        return None, None
    from intcust import datasets
    from intcust.graph.datasets.hospitality_records import TICKET_COLUMNS
    from intcust.metrics.service.survey import read_survey

    records = example_survey(name)
    survey = None if records is None else read_survey(records, G=G)
    tickets_of = getattr(datasets, f"{name}_tickets", None)
    log = None
    if tickets_of is not None:
        from intcust.graph.eventlog.tickets import from_tickets

        unit = G.graph.get("time_unit") or "day"
        log = from_tickets(tickets_of(), level="unit", time_unit=unit, **TICKET_COLUMNS)
    return survey, log
