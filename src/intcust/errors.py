"""The exceptions intcust raises.

Every message names the place (parameter, node, edge, file and line), what was
expected and what was given, so that a user can fix the input without reading
the traceback.
"""

from __future__ import annotations

import reprlib
from collections.abc import Hashable, Sequence

__all__ = [
    "CycleError",
    "IntcustError",
    "ParameterError",
    "ReadError",
    "SchemaError",
    "UnknownNodeError",
    "WriteError",
    "cycle_message",
    "quote",
]


class _Quote(reprlib.Repr):
    def repr_int(self, x: int, level: int) -> str:
        if x.bit_length() > 128:  # repr() of a huge int is slow, or refused past 4,300 digits
            return f"<an int of about {int(x.bit_length() * 0.30103) + 1} digits>"
        return super().repr_int(x, level)


_QUOTE = _Quote()
_QUOTE.maxstring = 80
_QUOTE.maxother = 80
_QUOTE.maxlong = 40
_QUOTE.maxlist = _QUOTE.maxtuple = _QUOTE.maxset = _QUOTE.maxdict = 8
_QUOTE.maxlevel = 3
#: Nodes of a cycle named in full; a longer cycle is shortened in the middle.
_CYCLE_SHOWN = 12


def quote(value: object) -> str:
    """The repr of `value` for an error message, shortened to a few dozen characters.

    Long strings, huge ints, long or deeply nested containers are cut with
    ``...``, so a hostile value never makes a message huge (nor slow to build).

    Examples
    --------
    >>> quote("robot"), quote(-2), quote(("a", "b"))
    ("'robot'", '-2', "('a', 'b')")
    >>> quote("x" * 1000)
    "'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'"
    >>> quote(10**400)
    '<an int of about 401 digits>'
    """
    if _short(value) or (type(value) is tuple and len(value) <= 4 and all(map(_short, value))):
        return repr(value)  # what the general rule gives, at the cost of repr
    return _QUOTE.repr(value)


def _short(value: object) -> bool:
    kind = type(value)
    if kind is str:
        return len(value) <= 40  # type: ignore[arg-type]
    if kind is int:
        return -(10**15) < value < 10**15  # type: ignore[operator]
    return kind is float or kind is bool or value is None


class IntcustError(Exception):
    """Base class of every error intcust raises on purpose."""


class SchemaError(IntcustError, ValueError):
    """An organisation breaks the schema.

    Parameters
    ----------
    problems : sequence of str
        Every problem found, each naming the node or edge and the attribute.

    Examples
    --------
    >>> err = SchemaError(["kind of node 'a' must be one of ...; got 'robot'"])
    >>> err.problems
    ("kind of node 'a' must be one of ...; got 'robot'",)
    """

    def __init__(self, problems: Sequence[str] | str) -> None:
        if isinstance(problems, str):
            problems = [problems]
        self.problems: tuple[str, ...] = tuple(problems)
        if len(self.problems) == 1:
            message = self.problems[0]
        else:
            lines = "\n".join(f"  - {p}" for p in self.problems)
            message = f"{len(self.problems)} problems in the organisation:\n{lines}"
        super().__init__(message)


class CycleError(SchemaError):
    """Blocking edges with ``lag == 0`` form a cycle.

    Parameters
    ----------
    cycle : sequence of node
        The nodes of the cycle in order; the last one supplies the first.
    problems : sequence of str, optional
        Every problem found, the cycle first; by default only the cycle.
    """

    def __init__(self, cycle: Sequence[Hashable], problems: Sequence[str] | None = None) -> None:
        self.cycle: tuple[Hashable, ...] = tuple(cycle)
        super().__init__(problems or [cycle_message(self.cycle)])


def cycle_message(cycle: Sequence[Hashable]) -> str:
    """The standard wording of a blocking cycle, e.g. ``'a' -> 'b' -> 'a'``."""
    shown = [quote(n) for n in [*cycle, cycle[0]]] if cycle else ["(empty)"]
    if len(shown) > _CYCLE_SHOWN:
        hidden = len(shown) - _CYCLE_SHOWN
        half = _CYCLE_SHOWN // 2
        shown = [*shown[:half], f"... ({hidden} more) ...", *shown[-half:]]
    path = " -> ".join(shown)
    return (
        f"blocking edges with lag 0 form a cycle: {path}; give one of its edges "
        "lag >= 1 (a recurring hand-off) or blocking=False"
    )


class UnknownNodeError(IntcustError, KeyError):
    """A node named in an argument or a file is not in the organisation."""

    def __str__(self) -> str:  # KeyError would quote the message again
        return str(self.args[0]) if self.args else ""


class ParameterError(IntcustError, ValueError):
    """A function argument has a wrong value or type."""


class ReadError(IntcustError, ValueError):
    """A file or table cannot be read as an organisation.

    The message names the file and the line or row.
    """


class WriteError(IntcustError, OSError):
    """A file cannot be written (the folder is missing, not writable, the disk full...).

    The message names the path and the operating system's reason. The
    previous content of the file, if any, is left as it was.
    """
