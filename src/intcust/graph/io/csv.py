"""A CSV pair: ``stakeholders.csv`` and ``services.csv``.

``stakeholders.csv`` has a ``node`` column and one column per node
attribute; ``services.csv`` has ``supplier`` and ``customer`` columns and one
column per edge attribute. Columns may come in any order; columns intcust
does not know are kept as attributes.

Cells follow one lossless rule (see `encode_cell`): an empty cell means the
attribute is absent; numbers, ``true``/``false`` and ``null`` are what they
say; a cell starting with ``[``, ``{`` or ``"`` is JSON (a duration is its
mapping, e.g. ``{"dist": "pert", "low": 1, "mode": 2, "high": 4}``); any other
cell is text. The writer JSON-quotes the rare string that would otherwise
read back as something else (``"42"``, ``"true"``, an empty string). Node
names follow the same rule, so ``1`` is the int 1 and ``"1"`` the string.

Graph attributes go on an optional first line of ``stakeholders.csv``: ``#``
followed by a JSON object, e.g. ``# {"name": "Acme", "schema_version": "1.0"}``.
pandas reads the file with ``pd.read_csv(path, skiprows=1)``.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Hashable, Iterator
from typing import Any

import networkx as nx

from intcust.errors import ReadError
from intcust.graph.io._build import OrgBuilder
from intcust.graph.io._codec import (
    PathOrFile,
    attribute_columns,
    decode_cell,
    decode_name,
    encode_cell,
    plain,
    read_text,
    write_text,
)
from intcust.graph.schema import SCHEMA_VERSION

__all__ = ["read_csv", "write_csv"]


def write_csv(G: nx.DiGraph, stakeholders: PathOrFile, services: PathOrFile) -> None:
    """Write an organisation as ``stakeholders.csv`` and ``services.csv``.

    Parameters
    ----------
    G : networkx.DiGraph
        The organisation.
    stakeholders, services : str, path-like or file
        Where to write the node table and the edge table (UTF-8, RFC 4180).

    Raises
    ------
    ParameterError
        If an attribute value cannot be written, or a node attribute is named
        ``node`` or an edge attribute ``supplier`` or ``customer``.

    Notes
    -----
    Columns are the attributes present on some node (edge), schema ones first
    in schema order, then the others sorted. Durations are JSON cells holding
    their ``to_dict()`` mapping; see the module notes for the cell rule.

    Examples
    --------
    >>> import io, intcust as ic
    >>> nodes, edges = io.StringIO(), io.StringIO()
    >>> ic.write_csv(ic.datasets.email_campaign(), nodes, edges)
    >>> print(edges.getvalue().splitlines()[0])
    supplier,customer,deliverable,lead_time,volume,sla,satisfaction,blocking
    >>> print(edges.getvalue().splitlines()[1])
    designer,sender,email design,0.5,4,,0.8,
    """
    node_cols, edge_cols = attribute_columns(
        G, "write_csv", node_reserved=("node",), edge_reserved=("supplier", "customer")
    )
    graph = plain({**G.graph, "schema_version": SCHEMA_VERSION}, "a graph attribute")
    out = io.StringIO()
    out.write("# " + json.dumps(graph, ensure_ascii=False) + "\r\n")
    w = csv.writer(out)
    w.writerow(["node", *node_cols])
    for n, d in G.nodes(data=True):
        w.writerow([encode_cell(n, "a node name"), *_cells(d, node_cols, f"node {n!r}")])
    write_text(stakeholders, out.getvalue())
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(["supplier", "customer", *edge_cols])
    for u, v, d in G.edges(data=True):
        w.writerow(
            [
                encode_cell(u, "a node name"),
                encode_cell(v, "a node name"),
                *_cells(d, edge_cols, f"edge {(u, v)!r}"),
            ]
        )
    write_text(services, out.getvalue())


def _cells(data: dict[str, Any], columns: list[str], owner: str) -> list[str]:
    return [
        encode_cell(data[c], f"attribute {c!r} of {owner}") if c in data else "" for c in columns
    ]


def read_csv(stakeholders: PathOrFile, services: PathOrFile) -> nx.DiGraph:
    """Read an organisation from ``stakeholders.csv`` and ``services.csv``.

    Parameters
    ----------
    stakeholders : str, path-like or file
        The node table: a ``node`` column and attribute columns; optionally a
        first line ``# {json object}`` of graph attributes.
    services : str, path-like or file
        The edge table: ``supplier`` and ``customer`` columns and attribute
        columns.

    Returns
    -------
    networkx.DiGraph
        Stakeholders and services in file order. Duration cells of ``work``
        and ``lead_time`` become duration objects.

    Raises
    ------
    ReadError
        Naming the file and line: a malformed or truncated file, a missing,
        empty or repeated column, a row with the wrong number of cells, bad
        JSON in a cell, an empty or repeated node name, a repeated service,
        or a service naming an unknown stakeholder.
    SchemaError
        Listing every schema problem, each with its file and line.
    CycleError
        If blocking edges with lag 0 form a cycle.

    Examples
    --------
    >>> import io, intcust as ic
    >>> nodes = io.StringIO("node,kind,work\\ndesigner,person,2\\nsender,person,\\n")
    >>> edges = io.StringIO('supplier,customer,lead_time\\ndesigner,sender,"{""dist"": ""uniform"", ""low"": 0, ""high"": 1}"\\n')
    >>> G = ic.read_csv(nodes, edges)
    >>> G.nodes["designer"], G.edges["designer", "sender"]
    ({'kind': 'person', 'work': 2}, {'lead_time': Uniform(low=0, high=1)})
    """
    text, name = read_text(stakeholders)
    b = OrgBuilder(name)
    offset = 0
    if text.startswith("#"):
        first, _, text = text.partition("\n")
        offset = 1
        try:
            graph = json.loads(first[1:])
        except json.JSONDecodeError as err:
            raise ReadError(
                f"{name}, line 1: a first line starting with '#' must hold a JSON object of "
                f'graph attributes, e.g. # {{"name": "Acme"}}; {err.msg} at column {err.colno + 1}'
            ) from None
        if not isinstance(graph, dict):
            raise ReadError(
                f"{name}, line 1: expected a JSON object of graph attributes; got {graph!r}"
            )
        b.set_graph(graph, f"{name}, line 1")
    for where, row in _rows(text, name, ("node",), offset):
        node = row.pop("node")
        b.add_node(node, row, where)
    text, name = read_text(services)
    for where, row in _rows(text, name, ("supplier", "customer"), 0):
        u, v = row.pop("supplier"), row.pop("customer")
        b.add_edge(u, v, row, where)
    return b.build()


def _rows(
    text: str, name: str, keys: tuple[str, ...], offset: int
) -> Iterator[tuple[str, dict[str, Any]]]:
    """Each data row as (place, {column: value}) with empty cells left out."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    line = offset
    header: list[str] | None = None
    try:
        for cells in reader:
            start, line = line + 1, offset + reader.line_num
            where = f"{name}, line {start}"
            if header is None:
                header = _header(cells, keys, where)
                continue
            if not cells:
                continue  # a blank line
            if len(cells) != len(header):
                raise ReadError(
                    f"{where}: has {len(cells)} cells; the header has {len(header)} columns "
                    f"{header}"
                )
            row: dict[str, Any] = {}
            for column, cell in zip(header, cells, strict=True):
                if column in keys:
                    row[column] = _name(cell, column, where)
                elif cell:
                    row[column] = _value(cell, column, where)
            yield where, row
    except csv.Error as err:
        raise ReadError(f"{name}, line {offset + reader.line_num}: malformed CSV: {err}") from None
    if header is None:
        raise ReadError(f"{name}: has no header row; expected one with the columns {list(keys)}")


def _header(cells: list[str], keys: tuple[str, ...], where: str) -> list[str]:
    missing = [k for k in keys if k not in cells]
    if missing:
        raise ReadError(f"{where}: the header has no {missing[0]!r} column; got columns {cells}")
    seen = set()
    for column in cells:
        if not column:
            raise ReadError(f"{where}: the header has an empty column name; got columns {cells}")
        if column in seen:
            raise ReadError(f"{where}: the header repeats the column {column!r}")
        seen.add(column)
    return cells


def _value(cell: str, column: str, where: str) -> Any:
    try:
        return decode_cell(cell)
    except ValueError as err:
        raise ReadError(
            f"{where}, column {column!r}: a cell starting with {cell[0]!r} must be valid JSON; "
            f"got {cell!r} ({err})"
        ) from None


def _name(cell: str, column: str, where: str) -> Hashable:
    if not cell:
        raise ReadError(f"{where}, column {column!r}: the stakeholder name is empty")
    try:
        return decode_name(_value(cell, column, where))
    except ValueError as err:
        raise ReadError(f"{where}, column {column!r}: {err}") from None
