"""Attribute names that nearly match the schema, such as a column ``Lead Time`` or ``work_low``.

An attribute intcust does not know is kept as it is. One whose name is a near
miss of a schema attribute (``lead time``, ``Volume``, ``Lead_Time``,
``leadtime``, ``volum``) or one piece of a duration spread over several
columns (``work_low``, ``lead_time_dist``) would instead leave the schema
attribute at its default without a word (a makespan of 0), so `name_problem`
words it, with the right spelling.

A name is a near miss of a schema name when, ignoring case, spaces, ``_``,
``-`` and ``.``, the two are equal, or one letter apart by a letter left
out, added or swapped with its neighbour (``volum``, ``satisfation``,
``lead_tiem``), unless the name contains the whole schema name: ``lead_time_n``,
``deliverables`` and ``dissatisfaction`` are attributes of their own.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Iterable

__all__ = ["name_problem", "suggestion"]

_SEPARATORS = re.compile(r"[\s_\-.]+")
#: Keys of a duration mapping, and the spreadsheet words people use for them.
_SPLIT_KEYS = {
    "dist": "dist",
    "distribution": "dist",
    "value": "value",
    "low": "low",
    "min": "low",
    "minimum": "low",
    "optimistic": "low",
    "mode": "mode",
    "likely": "mode",
    "mostlikely": "mode",
    "high": "high",
    "max": "high",
    "maximum": "high",
    "pessimistic": "high",
    "shape": "shape",
    "mu": "mu",
    "sigma": "sigma",
    "samples": "samples",
}
#: Longer names are never near misses (and are not cached).
_LONGEST = 64
_EXAMPLE = "{'dist': 'triangular', 'low': 1, 'mode': 2, 'high': 5}"


def _norm(name: str) -> str:
    return _SEPARATORS.sub("", name).casefold()


def _one_edit(a: str, b: str) -> bool:
    """Whether `a` becomes `b` by leaving out, adding or swapping one letter."""
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]]
    short, long = sorted((a, b), key=len)
    if len(long) - len(short) != 1:
        return False
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


@functools.lru_cache(maxsize=4096)
def _problem(name: str, schema: tuple[str, ...], durations: tuple[str, ...]) -> str | None:
    norm = _norm(name)
    if not norm or name in schema:
        return None
    for known in schema:
        if _norm(known) == norm:
            return f"is not a schema attribute; did you mean {known!r}?"
    for known in durations:
        stem = _norm(known)
        key = _SPLIT_KEYS.get(norm[len(stem) :]) if norm.startswith(stem) else None
        if key is not None:
            return (
                f"looks like the {key!r} of a duration spread over several "
                f"columns; intcust reads a duration from one attribute {known!r}: a number, "
                f"or a mapping such as {_EXAMPLE}"
            )
    for known in schema:
        stem = _norm(known)
        if len(stem) >= 5 and stem not in norm and _one_edit(norm, stem):
            return f"is not a schema attribute; did you mean {known!r}?"
    return None


def name_problem(name: object, schema: Iterable[str], durations: Iterable[str] = ()) -> str | None:
    """What is wrong with an attribute `name` next to the `schema` names, or None.

    Parameters
    ----------
    name : object
        An attribute name; names that are not str are left to other checks.
    schema : iterable of str
        The schema attributes of the place (node, edge or graph).
    durations : iterable of str, optional
        The schema attributes there that hold a duration.

    Returns
    -------
    str or None
        The end of a sentence whose subject is the attribute, giving the
        right spelling; None when the name is a schema name or not close to one.

    Examples
    --------
    >>> name_problem("Lead Time", ["lead_time", "volume"])
    "is not a schema attribute; did you mean 'lead_time'?"
    >>> name_problem("volum", ["lead_time", "volume"])
    "is not a schema attribute; did you mean 'volume'?"
    >>> print(name_problem("work_low", ["work"], ["work"]))
    looks like the 'low' of a duration spread over several columns; intcust reads a duration from one attribute 'work': a number, or a mapping such as {'dist': 'triangular', 'low': 1, 'mode': 2, 'high': 5}
    >>> name_problem("lead_time_n", ["lead_time"], ["lead_time"]) is None
    True
    """
    if not isinstance(name, str) or len(name) > _LONGEST:
        return None
    return _problem(name, tuple(schema), tuple(durations))


def suggestion(name: str, options: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` for the closest of `options`, or an empty string."""
    found = difflib.get_close_matches(name, list(options), n=1, cutoff=0.6)
    return f" (did you mean {found[0]!r}?)" if found else ""
