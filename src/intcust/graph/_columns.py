"""Attribute columns read out of networkx at C speed, and the bulk schema check.

`compile` reads each schema attribute of every node and edge as one Python
list (`columns`), converts the numeric ones with one numpy call each
(`numbers`), and vouches for plain, in-range values in bulk (`TYPES`,
`RANGES`, `valid_durations`); anything else goes through the full
`intcust.graph.validation.schema_problems`, which words every problem.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Hashable
from itertools import chain, repeat
from typing import Any

import networkx as nx
import numpy as np
from numpy.typing import NDArray

from intcust.errors import SchemaError
from intcust.graph.duration_parsing import duration_problems
from intcust.graph.schema import MAX_LAG, MAX_NUMBER, MAX_SERVERS
from intcust.graph.validation import schema_problems

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]

NONE: type = type(None)
NUMBERS: frozenset[type] = frozenset({float, int, NONE})


def column(data: list[dict[str, Any]], name: str) -> list[Any]:
    """The value of attribute `name` in each dict (None where absent), at C speed."""
    return list(map(dict.get, data, repeat(name)))


def columns(data: list[dict[str, Any]], names: tuple[str, ...]) -> dict[str, list[Any]]:
    """The columns `names` of the dicts; an attribute no dict has is a list of None."""
    present = set(chain.from_iterable(data))
    nothing = [None] * len(data)
    return {name: column(data, name) if name in present else nothing for name in names}


def codes(values: list[Any]) -> tuple[IntArray, tuple[Hashable, ...]]:
    """Integer codes of labels in first-seen order; None becomes -1."""
    table = dict.fromkeys(values)
    table.pop(None, None)
    labels = tuple(table)
    lookup: dict[Any, int] = dict(zip(labels, range(len(labels)), strict=True))
    lookup[None] = -1
    codes = np.fromiter(map(lookup.__getitem__, values), np.int64, len(values))
    return codes, labels


def floats(values: list[Any], default: float) -> FloatArray:
    """`values` as floats, None replaced by `default`; an int too large for a float is inf."""
    try:
        if set(map(type, values)) <= NUMBERS - {NONE}:
            return np.array(values, dtype=np.float64)
        return np.array([default if v is None else v for v in values], dtype=np.float64)
    except OverflowError:
        return np.array([default if v is None else _float(v) for v in values], dtype=np.float64)


def _float(x: Any) -> Any:
    try:
        return float(x)
    except OverflowError:
        return math.inf if x > 0 else -math.inf


def ints(values: list[Any], default: int) -> IntArray:
    """`values` as int64, None replaced by `default`; an int beyond int64 is clamped to it."""
    if None in values:
        values = [default if v is None else v for v in values]
    try:
        return np.array(values, dtype=np.int64).reshape(-1)
    except OverflowError:
        top = np.iinfo(np.int64)
        return np.array([min(max(v, top.min), top.max) for v in values], dtype=np.int64)


def plain(values: list[Any], allowed: frozenset[type]) -> bool:
    """Whether every value's exact type is in `allowed` (so bool is not an int here)."""
    return set(map(type, values)) <= allowed


#: Attributes read for every node and every edge.
NODE_COLUMNS = (
    "kind",
    "unit",
    "employment",
    "role",
    "work",
    "start",
    "due",
    "capacity",
    "servers",
    "buffer",
)
EDGE_COLUMNS = ("deliverable", "lead_time", "volume", "sla", "satisfaction", "blocking", "lag")
LABELS: frozenset[type] = frozenset({str, int, NONE})
TEXT: frozenset[type] = frozenset({str, NONE})
#: The exact types the fast check accepts for each column (durations are checked apart).
TYPES: dict[str, frozenset[type]] = {
    "kind": TEXT,
    "employment": TEXT,
    "role": TEXT,
    "unit": LABELS,
    "deliverable": LABELS,
    "blocking": frozenset({bool, NONE}),
    "lag": frozenset({int, NONE}),
    "servers": frozenset({int, NONE}),
    **dict.fromkeys(
        ("start", "due", "capacity", "buffer", "volume", "sla", "satisfaction"), NUMBERS
    ),
}
#: Numeric columns: the value standing for None, then (low, high, low excluded).
DEFAULTS: dict[str, float] = {
    "start": 0.0,
    "due": math.nan,
    "capacity": math.nan,
    "servers": 1,
    "buffer": 0.0,
    "volume": 1.0,
    "sla": math.nan,
    "satisfaction": math.nan,
    "lag": 0,
}
RANGES: dict[str, tuple[float, float, bool]] = {
    "start": (0.0, MAX_NUMBER, False),
    "due": (0.0, MAX_NUMBER, False),
    "capacity": (0.0, MAX_NUMBER, True),
    "servers": (1.0, MAX_SERVERS, False),
    "buffer": (0.0, MAX_NUMBER, False),
    "volume": (0.0, MAX_NUMBER, False),
    "sla": (0.0, MAX_NUMBER, False),
    "satisfaction": (0.0, 1.0, False),
    "lag": (0.0, MAX_LAG, False),
}


def numeric_columns(raw: dict[str, list[Any]]) -> dict[str, NDArray[Any]]:
    """The numeric columns as arrays; ints stay exact (servers, lag)."""
    out: dict[str, NDArray[Any]] = {}
    for name, default in DEFAULTS.items():
        if name in ("servers", "lag"):
            out[name] = ints(raw[name], int(default))
        else:
            out[name] = floats(raw[name], default)
    return out


def in_range(values: NDArray[Any], raw: list[Any], low: float, high: float, strict: bool) -> bool:
    """Whether every value given (not None in `raw`) is finite and in the range."""
    v = values
    if None in raw:
        v = values[~np.fromiter(map(operator.is_, raw, repeat(None)), bool, len(raw))]
    inside = v > low if strict else v >= low
    return bool(np.all(inside & (v <= high) & (np.abs(v) < math.inf)))


def valid_durations(values: list[Any]) -> bool:
    """Whether every duration is valid: numbers in bulk, other values one by one."""
    if plain(values, NUMBERS):
        try:
            arr = floats(values, 0.0)
        except OverflowError:  # an int too large for a float
            return False
        return bool(np.all((arr >= 0) & (arr <= MAX_NUMBER)))
    for x in values:
        kind = type(x)
        if kind is NONE:
            continue
        if kind in NUMBERS:
            if not 0 <= x <= MAX_NUMBER:
                return False
        elif duration_problems(x, "duration"):
            return False
    return True


def check_schema(G: nx.DiGraph, fast_ok: bool) -> None:
    """Raise the schema problems of `G` unless the fast checks vouched for every value.

    The fast checks accept only plain Python values that obviously satisfy
    the schema; anything else (numpy scalars, a bad value) goes through the
    full `schema_problems`, which words every problem.
    """
    attrs_only = nx.DiGraph()
    attrs_only.graph.update(G.graph)
    if fast_ok and not schema_problems(attrs_only):
        return
    problems = schema_problems(G)
    if problems:
        raise SchemaError(problems)
