"""The ``intcust`` command: a thin face over the public API.

Each sub-command lives in its own module of this package with a
``register(subparsers)`` function; `COMMANDS` lists them in help order.

`main` is the one place where a run ends: every sub-command returns its
exit code or raises, and `main` turns what it raised into one of the
`EXIT_CODES`, a message on standard error (names from the data escaped, see
`intcust.cli._terminal`) and, with ``--json``, an error object on standard
output. No traceback reaches the user unless asked for with ``--debug`` or
the ``INTCUST_DEBUG`` environment variable.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, NoReturn

from intcust._version import __version__
from intcust.cli._terminal import echo, emit_json, shown, tolerate_unencodable
from intcust.errors import CycleError, IntcustError, SchemaError

__all__ = [
    "COMMANDS",
    "DEBUG_VARIABLE",
    "EXIT_CODES",
    "EXIT_INTERNAL",
    "EXIT_INTERRUPTED",
    "EXIT_INVALID",
    "EXIT_PIPE_CLOSED",
    "EXIT_USAGE",
    "UsageError",
    "build_parser",
    "main",
]

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

EXIT_INVALID = 1
EXIT_USAGE = 2
#: ``EX_SOFTWARE`` of BSD's sysexits.h: an internal software error.
EXIT_INTERNAL = 70
#: 128 + SIGINT, as a shell reports a command stopped by Ctrl-C.
EXIT_INTERRUPTED = 130
#: 128 + SIGPIPE, as a shell reports a command whose reader went away.
EXIT_PIPE_CLOSED = 141
#: Every exit code of the command and its meaning, as ``intcust --help`` lists them.
EXIT_CODES: dict[int, str] = {
    0: "success",
    EXIT_INVALID: "the organisation is invalid: schema problems or a blocking cycle "
    "(every command)",
    EXIT_USAGE: "usage error or unreadable input: a bad option or value, an unknown node, "
    "a missing, unreadable or malformed file, a file that cannot be written, a missing "
    "optional package",
    EXIT_INTERNAL: "internal error: a bug in intcust; rerun with --debug for the traceback "
    "and report it",
    EXIT_INTERRUPTED: "interrupted (Ctrl-C)",
    EXIT_PIPE_CLOSED: "standard output was closed early (e.g. piped into head)",
}
#: Set to anything but "" or "0" to print the traceback of every error, as ``--debug`` does.
DEBUG_VARIABLE = "INTCUST_DEBUG"
#: Optional packages, by the name of the module that is missing: the extra that installs them.
_EXTRAS = {
    "matplotlib": "plot",
    "pandas": "pandas",
    "yaml": "yaml",
    "dask": "dask",
    "distributed": "dask",
}


class UsageError(Exception):
    """The command line does not parse: argparse's complaint, and the parser it came from."""

    def __init__(self, message: str, parser: argparse.ArgumentParser) -> None:
        super().__init__(message)
        self.parser = parser


@dataclass
class _Run:
    """What a run knows of itself as it goes: how messages name it, and whether errors are
    also printed as JSON (from ``--json`` on the command line until the arguments parse)."""

    command: str
    json: bool


class _Parser(argparse.ArgumentParser):
    """An argument parser that raises `UsageError` instead of printing and exiting, so that
    `main` reports usage errors like every other error (and as JSON with ``--json``)."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(message, self)


def _epilog() -> str:
    import textwrap

    codes = "\n".join(
        textwrap.fill(meaning, 79, initial_indent=f"  {code:<4} ", subsequent_indent=" " * 7)
        for code, meaning in EXIT_CODES.items()
    )
    notes = textwrap.fill(
        'With --json, an error is also printed on standard output, as {"error": {"type": '
        '..., "message": ..., "exit_code": ...}}. --debug, or the environment variable '
        f"{DEBUG_VARIABLE}=1, prints the traceback of an error.",
        79,
    )
    return f"exit codes:\n{codes}\n\n{notes}"


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every sub-command registered."""
    parser = _Parser(
        prog="intcust",
        description="Internal-customer networks: who supplies whom, where it is fragile, "
        "and how a late hand-off cascades to the paying customer.",
        epilog=_epilog(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"intcust {__version__}")
    debug_help = f"print the traceback of an error (as {DEBUG_VARIABLE}=1 does)"
    parser.add_argument("--debug", action="store_true", help=debug_help)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMANDS:
        importlib.import_module(f"intcust.cli.{name}").register(sub)
    for command in sub.choices.values():
        command.set_defaults(command_parser=command)
        command.add_argument(
            "--debug", action="store_true", default=argparse.SUPPRESS, help=debug_help
        )
        command.epilog = (
            "exit codes: 0 success, 1 invalid organisation, 2 usage error or unreadable "
            "input, 70 internal error (see intcust --help)"
        )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``intcust`` command; return its exit code (see `EXIT_CODES`)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    given = argv[: argv.index("--")] if "--" in argv else argv
    debug = "--debug" in given or os.environ.get(DEBUG_VARIABLE, "") not in ("", "0")
    run = _Run(command="intcust", json="--json" in given)
    tolerate_unencodable()
    with warnings.catch_warnings():
        warnings.showwarning = _one_line_warnings(run)
        try:
            code = _dispatch(argv, run)
            if sys.stdout is not None:
                sys.stdout.flush()  # a closed pipe shows here, not at exit
            return code
        except KeyboardInterrupt:
            return EXIT_INTERRUPTED
        except BrokenPipeError:
            _discard_stdout()
            return EXIT_PIPE_CLOSED
        except Exception as err:
            return _report_error(err, run, debug=debug)


def _dispatch(argv: list[str], run: _Run) -> int:
    """Parse `argv` and run its sub-command; its exit code."""
    parser = build_parser()
    try:
        args, extra = parser.parse_known_args(argv)
    except SystemExit as stop:  # --help and --version
        return stop.code if isinstance(stop.code, int) else 0
    if extra:  # named by the sub-command's parser, with its usage, rather than the top one
        args.command_parser.error(f"unrecognized arguments: {' '.join(extra)}")
    run.command = f"intcust {args.command}"
    run.json = bool(getattr(args, "json", False))
    code: int = args.run(args)
    return code


def _classify(err: Exception) -> tuple[int, str, str]:
    """The exit code, the type name and the message of an error."""
    kind = type(err).__name__
    if isinstance(err, UsageError):
        return EXIT_USAGE, kind, str(err)
    if isinstance(err, SchemaError):
        return EXIT_INVALID, kind, str(err)
    if isinstance(err, IntcustError):
        return EXIT_USAGE, kind, str(err)
    if isinstance(err, OSError):
        where = f"{err.filename}: " if err.filename is not None else ""
        return EXIT_USAGE, kind, f"{where}{err.strerror or err}"
    missing = (getattr(err, "name", None) or "").partition(".")[0]
    if isinstance(err, ModuleNotFoundError) and missing in _EXTRAS:
        extra = _EXTRAS[missing]
        return EXIT_USAGE, kind, f"this needs {missing}: pip install 'intcust[{extra}]'"
    return EXIT_INTERNAL, "InternalError", f"{kind}: {shown(err)}"


def _report_error(err: Exception, run: _Run, *, debug: bool) -> int:
    """Report `err` on standard error (and as JSON on standard output); its exit code."""
    import traceback

    command = run.command
    code, kind, message = _classify(err)
    lines = message.split("\n")
    heading = "error"
    if code == EXIT_INTERNAL:
        heading = "internal error"
        lines = [
            f"{message}. This is a bug in intcust {__version__}: please report it with the "
            f"command you ran; rerun with --debug (or {DEBUG_VARIABLE}=1) to see the traceback."
        ]
    try:
        if isinstance(err, UsageError):
            command = err.parser.prog
            echo(*err.parser.format_usage().rstrip("\n").split("\n"), file=sys.stderr)
        if debug:
            trace = "".join(traceback.format_exception(err)).rstrip("\n")
            echo(*trace.split("\n"), file=sys.stderr)
        echo(f"{command}: {heading}: {lines[0]}", *lines[1:], file=sys.stderr)
        if run.json:
            error: dict[str, Any] = {"type": kind, "message": "\n".join(lines), "exit_code": code}
            if isinstance(err, SchemaError):
                error["problems"] = list(err.problems)
            if isinstance(err, CycleError):
                error["cycle"] = list(err.cycle)
            emit_json({"error": error})
        if sys.stdout is not None:
            sys.stdout.flush()
    except BrokenPipeError:
        _discard_stdout()
    except (OSError, ValueError):  # the streams are gone or closed: the exit code tells
        pass
    return code


def _one_line_warnings(run: _Run) -> Callable[..., None]:
    """A `warnings.showwarning` that prints each distinct warning once, on one line,
    naming the command (no source line of intcust's or of a dependency's)."""
    seen: set[str] = set()

    def show(message: Warning | str, *_: Any, **__: Any) -> None:
        text = str(message)
        if text not in seen:
            seen.add(text)
            echo(f"{run.command}: warning: {text}", file=sys.stderr)

    return show


def _discard_stdout() -> None:
    """Point standard output at the null device, so the interpreter's last flush at exit
    does not fail again on the closed pipe."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
    except (OSError, ValueError, AttributeError):  # no real stream: nothing to flush
        pass


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
