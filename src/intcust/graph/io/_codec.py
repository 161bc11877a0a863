"""Value encoding shared by the readers and writers.

Three small pieces every format needs:

- `plain` turns an attribute value into plain data (str, int, float, bool,
  None, list, dict with str keys): a duration becomes its ``to_dict()``
  mapping, a numpy scalar its Python value, a tuple a list.
- `encode_cell` / `decode_cell` are the lossless text rule of one CSV cell
  (and of any other text field that must carry typed values).
- `read_text` / `read_bytes` / `write_text` accept a path or an open file and
  turn operating-system and decoding failures into a `ReadError` that names
  the file.
"""

from __future__ import annotations

import json
import math
import os
import re
from collections.abc import Hashable, Iterable, Mapping
from pathlib import Path
from typing import IO, Any, TypeAlias

import networkx as nx
import numpy as np

from intcust.errors import ParameterError, ReadError
from intcust.graph.durations import Duration
from intcust.graph.schema import EDGE_DEFAULTS, NODE_DEFAULTS, SCHEMA_VERSION

__all__ = [
    "PathOrFile",
    "attribute_columns",
    "check_schema_version",
    "decode_cell",
    "decode_name",
    "encode_cell",
    "plain",
    "read_bytes",
    "read_text",
    "source_name",
    "write_text",
]

#: A file system path or an open file (text or binary).
PathOrFile: TypeAlias = "str | os.PathLike[str] | IO[Any]"

_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\Z")
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


def source_name(source: PathOrFile) -> str:
    """How messages name `source`: the path, or an open file's ``name``."""
    if isinstance(source, str | os.PathLike):
        return os.fspath(source)
    name = getattr(source, "name", None)
    return str(name) if isinstance(name, str) else "<stream>"


def read_bytes(source: PathOrFile) -> tuple[bytes, str]:
    """The content of `source` as bytes, and its name for messages."""
    name = source_name(source)
    try:
        if isinstance(source, str | os.PathLike):
            return Path(source).read_bytes(), name
        data = source.read()
    except OSError as err:
        raise ReadError(f"{name}: cannot be read: {err.strerror or err}") from err
    return (data.encode("utf-8") if isinstance(data, str) else bytes(data)), name


def read_text(source: PathOrFile) -> tuple[str, str]:
    """The content of `source` as UTF-8 text (a leading BOM is dropped)."""
    data, name = read_bytes(source)
    try:
        return data.decode("utf-8-sig"), name
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise ReadError(
            f"{name}, line {line}: the file must be UTF-8 text; byte {data[err.start]:#04x} "
            f"at offset {err.start} is not"
        ) from err


def write_text(target: PathOrFile, text: str) -> None:
    """Write `text` as UTF-8 to a path or an open (text or binary) file."""
    if isinstance(target, str | os.PathLike):
        with open(target, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        return
    try:
        target.write(text)
    except TypeError:  # a binary file
        target.write(text.encode("utf-8"))


def plain(value: Any, where: str) -> Any:
    """`value` as plain data that JSON, YAML and a CSV cell can hold.

    Parameters
    ----------
    value : object
        An attribute value.
    where : str
        The place, e.g. ``"node attribute 'note' of node 'a'"``, for the message.

    Returns
    -------
    object
        A str, int, float, bool, None, list or dict with str keys; a duration
        becomes its ``to_dict()`` mapping and a tuple a list.

    Raises
    ------
    ParameterError
        If `value` (or something inside it) is of another type.

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
    if kind is dict and all(type(k) is str for k in value):
        return {k: plain(v, where) for k, v in value.items()}
    if isinstance(value, str | bool | int | float):
        return value
    if isinstance(value, Duration):
        return value.to_dict()
    if isinstance(value, np.generic):
        return plain(value.item(), where)
    if isinstance(value, list | tuple):
        return [plain(v, where) for v in value]
    if isinstance(value, Mapping):
        out = {}
        for key, v in value.items():
            if not isinstance(key, str):
                raise ParameterError(
                    f"{where} cannot be written: mapping keys must be str; got {key!r}"
                )
            out[key] = plain(v, where)
        return out
    raise ParameterError(
        f"{where} cannot be written: expected a str, number, bool, None, list, dict or "
        f"duration; got {value!r} of type {type(value).__name__}"
    )


def decode_cell(cell: str) -> Any:
    """The value of a non-empty text cell (the inverse of `encode_cell`).

    A cell starting with ``[``, ``{`` or ``"`` is JSON; ``true``/``false``
    (also ``True``/``TRUE``...), ``null``, ``NaN``, ``Infinity`` and decimal
    numbers are what they say (an int without a point or exponent); anything
    else is the text itself.

    Raises
    ------
    ValueError
        If a cell starting with ``[``, ``{`` or ``"`` is not valid JSON.

    Examples
    --------
    >>> decode_cell("2"), decode_cell("0.5"), decode_cell("true"), decode_cell("email design")
    (2, 0.5, True, 'email design')
    >>> decode_cell('{"dist": "uniform", "low": 1, "high": 2}')
    {'dist': 'uniform', 'low': 1, 'high': 2}
    >>> decode_cell('"42"')
    '42'
    """
    first = cell[0]
    if first in '[{"':
        return json.loads(cell)
    if cell in _LITERALS:
        return _LITERALS[cell]
    if (first.isdigit() or first in "+-.") and _NUMBER.match(cell):
        return float(cell) if any(c in cell for c in ".eE") else int(cell)
    return cell


def encode_cell(value: Any, where: str) -> str:
    """The text of one cell for `value`; `decode_cell` gives `value` back.

    A string is written as is unless it would read back as something else
    (a number, ``true``, ``null``, empty, or starting with ``[``, ``{`` or
    ``"``); then it is written JSON-quoted. Every other value is written as
    JSON (a duration as its mapping). None is ``null``: an empty cell means
    the attribute is absent.

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
    """
    if isinstance(value, str):
        text: str = value
        if text:
            try:
                back = decode_cell(text)
            except ValueError:
                back = None
            same = back is text  # decode_cell gives plain text back unchanged
            if same:
                return text
        return json.dumps(text, ensure_ascii=False)
    return json.dumps(plain(value, where), ensure_ascii=False)


def decode_name(value: Any) -> Hashable:
    """A node name from plain data: lists become tuples.

    Raises
    ------
    ValueError
        If the value cannot name a node (None or a mapping).
    """
    if isinstance(value, list):
        return tuple(decode_name(v) for v in value)
    if value is None or isinstance(value, dict):
        raise ValueError(f"a node name must be a str, number or list; got {value!r}")
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
    text = str(value) if isinstance(value, int | float) and not isinstance(value, bool) else value
    major = SCHEMA_VERSION.split(".")[0]
    if not isinstance(text, str) or not re.fullmatch(r"\d+(\.\d+)*", text):
        raise ReadError(f"{where}: schema_version must be a string such as '1.0'; got {value!r}")
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
) -> tuple[list[str], list[str]]:
    """The node and edge attribute names of `G`, schema ones first in schema order.

    Raises
    ------
    ParameterError
        If a name is not a str or is one the format uses for itself.
    """
    if not isinstance(G, nx.DiGraph) or G.is_multigraph():
        raise ParameterError(
            f"The 'G' parameter of {func} must be a networkx.DiGraph; got {type(G).__name__}."
        )
    node_names: set[str] = set()
    for node, data in G.nodes(data=True):
        node_names.update(data)
        _check_names(data, reserved=node_reserved, where=f"node {node!r}", func=func)
    edge_names: set[str] = set()
    for u, v, data in G.edges(data=True):
        edge_names.update(data)
        _check_names(data, reserved=edge_reserved, where=f"edge {(u, v)!r}", func=func)
    return _order(node_names, NODE_DEFAULTS), _order(edge_names, EDGE_DEFAULTS)


def _check_names(
    data: Mapping[Any, Any], *, reserved: tuple[str, ...], where: str, func: str
) -> None:
    for key in data:
        if not isinstance(key, str):
            raise ParameterError(f"{func} needs str attribute names; {where} has {key!r}")
        if key in reserved:
            raise ParameterError(
                f"{func} cannot write attribute {key!r} of {where}: the format uses that "
                f"name for itself (reserved: {list(reserved)}); rename the attribute"
            )
