"""Value encoding shared by the readers and writers.

- `plain` turns an attribute value into plain data (str, int, float, bool,
  None, list, dict with str keys): a duration becomes its ``to_dict()``
  mapping, a numpy scalar its Python value, a tuple a list.
- `intcust.graph.io._json_strict.parse_json` reads every JSON text (files,
  cells, GraphML values) strictly.
- `encode_cell` / `decode_cell` are the lossless text rule of one CSV cell,
  with the number grammar `NUMBER` that the YAML reader shares.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Hashable, Iterable, Mapping
from typing import Any

import networkx as nx
import numpy as np

from intcust.errors import ParameterError, ReadError, quote
from intcust.graph.durations import Duration
from intcust.graph.io._json_strict import MAX_DEPTH, JSONProblem, parse_json
from intcust.graph.schema import EDGE_DEFAULTS, NODE_DEFAULTS, SCHEMA_VERSION

__all__ = [
    "FORMULA_START",
    "MAX_DEPTH",
    "NUMBER",
    "SURROGATE",
    "Where",
    "attribute_columns",
    "check_schema_version",
    "decode_cell",
    "decode_name",
    "dumps",
    "encode_cell",
    "place",
    "plain",
]

#: A number in text: optional sign, digits without a leading zero (``0.5`` and
#: ``.5`` are fine, ``007`` is text), optional fraction and exponent. Possessive
#: quantifiers keep the match linear in the length of the cell.
NUMBER = re.compile(r"[+-]?+(?:(?:0|[1-9]\d*+)(?:\.\d*+)?+|\.\d++)(?:[eE][+-]?+\d++)?+\Z")
#: A spreadsheet runs a cell starting with one of these as a formula (OWASP).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_LITERALS: dict[str, Any] = {
    "true": True,
    "false": False,
    "True": True,
    "False": False,
    "TRUE": True,
    "FALSE": False,
    "null": None,
    "NaN": math.nan,
    "Infinity": math.inf,
    "-Infinity": -math.inf,
}
SURROGATE = re.compile("[\ud800-\udfff]")


#: A place for messages, or a function that gives it (built only when there is a problem).
Where = str | Callable[[], str]


def _place(where: Where) -> str:
    return where if isinstance(where, str) else where()


def place(text: str, value: object, then: Where = "") -> Callable[[], str]:
    """A function giving ``f"{text} {quote(value)}"`` (and `then`'s place after " of ").

    Examples
    --------
    >>> place("node", "a")(), place("attribute", "note", place("node", "a"))()
    ("node 'a'", "attribute 'note' of node 'a'")
    """

    def where() -> str:
        rest = _place(then)
        return f"{text} {quote(value)}" + (f" of {rest}" if rest else "")

    return where


def plain(value: Any, where: Where, depth: int = 0) -> Any:
    """`value` as plain data that JSON, YAML and a CSV cell can hold.

    Parameters
    ----------
    value : object
        An attribute value.
    where : str or callable
        The place, e.g. ``"node attribute 'note' of node 'a'"``, for the message
        (or a function giving it, called only for a message).
    depth : int, optional
        How deep `value` sits in the value being written.

    Returns
    -------
    object
        A str, int, float, bool, None, list or dict with str keys; a duration
        becomes its ``to_dict()`` mapping and a tuple a list.

    Raises
    ------
    ParameterError
        If `value` (or something inside it) is of another type, or nests
        deeper than `MAX_DEPTH` levels (the readers would refuse it).

    Examples
    --------
    >>> from intcust.sim import Triangular
    >>> plain(Triangular(1.0, 2.0, 4.0), "work of node 'a'")
    {'dist': 'triangular', 'low': 1.0, 'mode': 2.0, 'high': 4.0}
    >>> plain((1, "b"), "x")
    [1, 'b']
    """
    kind = type(value)
    if kind is str or kind is float or kind is int or kind is bool or value is None:
        return value
    if depth >= MAX_DEPTH:
        raise ParameterError(
            f"{_place(where)} cannot be written: its lists and mappings nest deeper than "
            f"{MAX_DEPTH} levels, more than the readers accept"
        )
    if kind is dict and all(type(k) is str for k in value):
        return {k: plain(v, where, depth + 1) for k, v in value.items()}
    if isinstance(value, str | bool | int | float):
        return value
    if isinstance(value, Duration):
        return value.to_dict()
    if isinstance(value, np.generic):
        return plain(value.item(), where, depth)
    if isinstance(value, list | tuple):
        return [plain(v, where, depth + 1) for v in value]
    if isinstance(value, Mapping):
        out = {}
        for key, v in value.items():
            if not isinstance(key, str):
                raise ParameterError(
                    f"{_place(where)} cannot be written: mapping keys must be str; got {quote(key)}"
                )
            out[key] = plain(v, where, depth + 1)
        return out
    raise ParameterError(
        f"{_place(where)} cannot be written: expected a str, number, bool, None, list, dict or "
        f"duration; got {quote(value)} of type {type(value).__name__}"
    )


def dumps(value: Any) -> str:
    """Compact JSON of plain data, non-ASCII kept, lone surrogates escaped."""
    text = json.dumps(value, ensure_ascii=False)
    return json.dumps(value, ensure_ascii=True) if SURROGATE.search(text) else text


def decode_cell(cell: str) -> Any:
    """The value of a non-empty text cell (the inverse of `encode_cell`).

    A cell starting with ``[``, ``{`` or ``"`` is JSON; ``true``/``false``
    (also ``True``/``TRUE``...), ``null``, ``NaN``, ``Infinity`` and decimal
    numbers (`NUMBER`) are what they say (an int without a point or
    exponent); anything else, ``007`` and ``0x1F`` included, is the text itself.

    Raises
    ------
    JSONProblem
        If a cell starting with ``[``, ``{`` or ``"`` is not valid JSON, or a
        number is too long to read.

    Examples
    --------
    >>> decode_cell("2"), decode_cell("0.5"), decode_cell("true"), decode_cell("email design")
    (2, 0.5, True, 'email design')
    >>> decode_cell('{"dist": "uniform", "low": 1, "high": 2}')
    {'dist': 'uniform', 'low': 1, 'high': 2}
    >>> decode_cell('"42"'), decode_cell("007"), decode_cell("12:30")
    ('42', '007', '12:30')
    """
    first = cell[0]
    if first in '[{"':
        return parse_json(cell)
    if cell in _LITERALS:
        return _LITERALS[cell]
    if (first.isdigit() or first in "+-.") and NUMBER.match(cell):
        try:
            return float(cell) if any(c in cell for c in ".eE") else int(cell)
        except ValueError:  # more digits than int() reads
            raise JSONProblem(f"the number has {len(cell)} characters, too many to read") from None
    return cell


def encode_cell(value: Any, where: Where) -> str:
    """The text of one cell for `value`; `decode_cell` gives `value` back.

    A string is written as is unless it would read back as something else
    (a number, ``true``, ``null``, empty, or starting with ``[``, ``{`` or
    ``"``) or a spreadsheet would run it as a formula (it starts with ``=``,
    ``+``, ``-``, ``@``, a tab or a carriage return): then it is written
    JSON-quoted, so the cell starts with ``"``. Every other value is written
    as JSON (a duration as its mapping); only a number may start with ``-``
    or ``+``. None is ``null``: an empty cell means the attribute is absent.

    Raises
    ------
    ParameterError
        If `value` cannot be written (see `plain`).

    Examples
    --------
    >>> encode_cell("email design", "x"), encode_cell("42", "x"), encode_cell(42, "x")
    ('email design', '"42"', '42')
    >>> encode_cell(0.1, "x"), encode_cell(True, "x"), encode_cell("", "x")
    ('0.1', 'true', '""')
    >>> encode_cell("=HYPERLINK(1)", "x"), encode_cell(-2, "x")
    ('"=HYPERLINK(1)"', '-2')
    """
    if isinstance(value, str):
        text: str = value
        if text and not text.startswith(FORMULA_START) and not SURROGATE.search(text):
            try:
                same = decode_cell(text) is text  # plain text comes back unchanged
            except ValueError:
                same = False
            if same:
                return text
        return dumps(text)
    return dumps(plain(value, where))


def decode_name(value: Any) -> Hashable:
    """A node name from plain data: lists become tuples.

    Raises
    ------
    ValueError
        If the value cannot name a node (None, a mapping, NaN).
    """
    if isinstance(value, list):
        return tuple(decode_name(v) for v in value)
    if value is None or isinstance(value, dict):
        raise ValueError(f"a node name must be a str, number or list; got {quote(value)}")
    if isinstance(value, float) and math.isnan(value):
        raise ValueError("a node name must not be NaN")
    return value  # type: ignore[no-any-return]


def check_schema_version(value: Any, where: str) -> None:
    """Accept a file's ``schema_version`` when its major version is this one's.

    Raises
    ------
    ReadError
        If the version is not a ``"MAJOR.MINOR"`` string (or number) of
        intcust's major schema version.

    Examples
    --------
    >>> check_schema_version("1.0", "acme.json")
    >>> check_schema_version("2.0", "acme.json")
    Traceback (most recent call last):
    ...
    intcust.errors.ReadError: acme.json: schema_version '2.0' is not readable by this intcust, which reads schema 1.x (1.0)
    """
    text = value
    if isinstance(value, int | float) and not isinstance(value, bool):
        text = str(value) if abs(value) < 1e6 else ""
    major = SCHEMA_VERSION.split(".")[0]
    if not isinstance(text, str) or not re.fullmatch(r"\d{1,6}(\.\d{1,6}){0,3}", text):
        raise ReadError(
            f"{where}: schema_version must be a string such as '1.0'; got {quote(value)}"
        )
    if text.split(".")[0] != major:
        raise ReadError(
            f"{where}: schema_version {text!r} is not readable by this intcust, which reads "
            f"schema {major}.x ({SCHEMA_VERSION})"
        )


def _order(names: Iterable[str], schema: Mapping[str, Any]) -> list[str]:
    found = set(names)
    return [k for k in schema if k in found] + sorted(found.difference(schema))


def attribute_columns(
    G: nx.DiGraph,
    func: str,
    *,
    node_reserved: tuple[str, ...] = (),
    edge_reserved: tuple[str, ...] = (),
    edges: Iterable[tuple[Hashable, Hashable, Mapping[str, Any]]] | None = None,
) -> tuple[list[str], list[str]]:
    """The node and edge attribute names of `G`, schema ones first in schema order.

    Parameters
    ----------
    edges : iterable of (u, v, attributes), optional
        The edge records to take the names from (the rows of a tabular
        format); by default the edges of `G`.

    Raises
    ------
    ParameterError
        If `G` is not a DiGraph, or a name is not a str or is one the format
        uses for itself.
    """
    if not isinstance(G, nx.DiGraph) or G.is_multigraph():
        raise ParameterError(
            f"The 'G' parameter of {func} must be a networkx.DiGraph; got {type(G).__name__}."
        )
    node_names: set[str] = set()
    for _, data in G.nodes(data=True):
        node_names.update(data)
    edge_names: set[str] = set()
    records = list(G.edges(data=True) if edges is None else edges)
    for _, _, data in records:
        edge_names.update(data)
    bad_node = [k for k in node_names if not isinstance(k, str) or k in node_reserved]
    bad_edge = [k for k in edge_names if not isinstance(k, str) or k in edge_reserved]
    if bad_node:  # find the first node or edge with the name, for the message
        node = next(n for n, d in G.nodes(data=True) if bad_node[0] in d)
        _refuse(bad_node[0], node_reserved, f"node {quote(node)}", func)
    if bad_edge:
        u, v, _ = next(r for r in records if bad_edge[0] in r[2])
        _refuse(bad_edge[0], edge_reserved, f"edge {quote((u, v))}", func)
    return _order(node_names, NODE_DEFAULTS), _order(edge_names, EDGE_DEFAULTS)


def _refuse(key: Any, reserved: tuple[str, ...], where: str, func: str) -> None:
    if not isinstance(key, str):
        raise ParameterError(f"{func} needs str attribute names; {where} has {quote(key)}")
    raise ParameterError(
        f"{func} cannot write attribute {key!r} of {where}: the format uses that "
        f"name for itself (reserved: {list(reserved)}); rename the attribute"
    )
