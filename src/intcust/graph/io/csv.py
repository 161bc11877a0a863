"""A CSV pair: ``stakeholders.csv`` and ``services.csv``.

``stakeholders.csv`` has a ``node`` column and one column per node
attribute; ``services.csv`` has ``supplier`` and ``customer`` columns and one
column per edge attribute, one row per service (several rows of one pair are
its several deliverables, see `intcust.graph.io._rows`). Columns may come in
any order; columns intcust does not know are kept as attributes.

Cells follow one lossless rule (see `encode_cell`): an empty cell means the
attribute is absent; numbers, ``true``/``false`` and ``null`` are what they
say; a cell starting with ``[``, ``{`` or ``"`` is JSON (a duration is its
mapping); any other cell is text. Names (``node``, ``supplier``,
``customer``) are text, unless the file declares them JSON.

Each file may start with a comment line: ``#`` and a JSON object (written as
one quoted cell). In ``stakeholders.csv`` it holds the graph attributes; in
both it may hold ``schema_version`` and the ``manifest`` the writer adds:
the row counts of both files, an id of the pair, and ``"names": "json"``
when names are JSON. See ``docs/io.md``.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import os
from collections.abc import Callable, Hashable, Iterator
from typing import Any

import networkx as nx

from intcust.errors import ParameterError, ReadError, quote
from intcust.graph.io._build import OrgBuilder, column_problem
from intcust.graph.io._codec import (
    FORMULA_START,
    SURROGATE,
    attribute_columns,
    decode_cell,
    decode_name,
    dumps,
    encode_cell,
    place,
    plain,
)
from intcust.graph.io._files import PathOrFile, read_text, source_name, write_files
from intcust.graph.io._json_strict import JSONProblem, parse_json
from intcust.graph.io._manifest import Manifest, check_pair, manifest_of
from intcust.graph.io._rows import all_rows
from intcust.graph.schema import SCHEMA_VERSION, SERVICES

__all__ = ["read_csv", "write_csv"]

_NODE_KEYS = ("node",)
_EDGE_KEYS = ("supplier", "customer")


def write_csv(G: nx.DiGraph, stakeholders: PathOrFile, services: PathOrFile) -> None:
    """Write an organisation as ``stakeholders.csv`` and ``services.csv``.

    Parameters
    ----------
    G : networkx.DiGraph
        The organisation.
    stakeholders, services : str, path-like or file
        Where to write the node table and the edge table (UTF-8, RFC 4180).
        Paths are replaced atomically, the pair together (see Notes).

    Raises
    ------
    ParameterError
        If an attribute value cannot be written, a node attribute is named
        ``node``, an edge attribute ``supplier`` or ``customer``, a graph
        attribute ``manifest``, or both paths name one file.
    WriteError
        If a file cannot be written; both previous files are left as they were.

    Notes
    -----
    Columns are the attributes present on some node (service), schema ones
    first in schema order, then the others sorted. Durations are JSON cells
    holding their ``to_dict()`` mapping. A cell a spreadsheet would run as
    a formula (text starting with ``=``, ``+``, ``-``, ``@``, a tab or a
    carriage return) is written JSON-quoted, which the reader undoes. Both
    files are written in full to temporary files before either replaces
    its target; both carry the same manifest, so that a reader refuses a
    pair whose files come from two different writes.

    Examples
    --------
    >>> import io, intcust as ic
    >>> nodes, edges = io.StringIO(), io.StringIO()
    >>> ic.write_csv(ic.datasets.email_campaign(), nodes, edges)
    >>> print(*edges.getvalue().splitlines()[1:3], sep="\\n")
    supplier,customer,deliverable,lead_time,volume,sla,satisfaction,blocking
    designer,sender,email design,0.5,4,,0.8,
    """
    rows = list(all_rows(G, "write_csv"))
    node_cols, edge_cols = attribute_columns(
        G,
        "write_csv",
        node_reserved=_NODE_KEYS,
        edge_reserved=_EDGE_KEYS,
        edges=rows,
    )
    if "manifest" in G.graph:
        raise ParameterError(
            "write_csv cannot write the graph attribute 'manifest': the format uses that name "
            "for itself; rename the attribute"
        )
    if _same_file(stakeholders, services):
        raise ParameterError(
            "The 'stakeholders' and 'services' parameters of write_csv must name two files; "
            f"got {source_name(stakeholders)!r} twice."
        )
    json_names = not all(_text_name(n) for n in G)

    def name(n: Hashable) -> str:
        return dumps(plain(n, "a node name")) if json_names else str(n)

    nodes = _table(
        ["node", *node_cols],
        ([name(n), *_cells(d, node_cols, place("node", n))] for n, d in G.nodes(data=True)),
    )
    edges = _table(
        ["supplier", "customer", *edge_cols],
        ([name(u), name(v), *_cells(d, edge_cols, place("edge", (u, v)))] for u, v, d in rows),
    )
    manifest = Manifest(
        stakeholders=G.number_of_nodes(),
        services=len(rows),
        pair=hashlib.sha256(f"{nodes}\0{edges}".encode("utf-8", "surrogatepass")).hexdigest()[:16],
        names="json" if json_names else None,
    )
    graph = plain({**G.graph, "schema_version": SCHEMA_VERSION}, "a graph attribute")
    header = {"schema_version": SCHEMA_VERSION, "manifest": manifest.to_dict()}
    write_files(
        [
            (stakeholders, _comment({**graph, **header}) + nodes, "stakeholders"),
            (services, _comment(header) + edges, "services"),
        ],
        "write_csv",
    )


def _same_file(a: PathOrFile, b: PathOrFile) -> bool:
    if isinstance(a, str | os.PathLike) and isinstance(b, str | os.PathLike):
        return os.path.realpath(a) == os.path.realpath(b)
    return a is b


def _text_name(n: Hashable) -> bool:
    """Whether a name is written as the text it is (else every name is written as JSON)."""
    return (
        isinstance(n, str)
        and n != ""
        and not n.startswith(FORMULA_START)
        and not SURROGATE.search(n)
    )


def _table(header: list[str], rows: Iterator[list[str]]) -> str:
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow([_header_cell(c) for c in header])
    w.writerows(rows)
    return out.getvalue()


def _header_cell(name: str) -> str:
    """A column name as written: JSON-quoted when it starts like a formula or a quote."""
    return dumps(name) if not name or name.startswith((*FORMULA_START, '"')) else name


def _comment(data: dict[str, Any]) -> str:
    out = io.StringIO()
    csv.writer(out).writerow(["# " + dumps(data)])
    return out.getvalue()


def _cells(data: dict[str, Any], columns: list[str], owner: Callable[[], str]) -> list[str]:
    return [
        encode_cell(data[c], place("attribute", c, owner)) if c in data else "" for c in columns
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
        columns, one row per service.

    Returns
    -------
    networkx.DiGraph
        Stakeholders and services in file order; several rows of one pair
        with named deliverables become one edge with a ``services`` list.
        Duration cells of ``work`` and ``lead_time`` become duration objects.
        Names are strings unless the file's manifest declares them JSON.

    Raises
    ------
    ReadError
        Naming the file and line: a malformed or truncated file (rows fewer
        than its manifest counts), two files from different writes, a
        missing, empty or repeated column, a column that nearly matches a
        schema attribute (``Lead Time``, ``work_low``), a row with the wrong
        number of cells, bad JSON in a cell, an empty or repeated node name,
        a repeated service, or a service naming an unknown stakeholder.
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
    node_text, node_file = read_text(stakeholders, "read_csv", "stakeholders")
    edge_text, edge_file = read_text(services, "read_csv", "services")
    node_meta, node_text, node_skip = _first_line(node_text, node_file)
    edge_meta, edge_text, edge_skip = _first_line(edge_text, edge_file)
    extra = [k for k in edge_meta if k not in ("schema_version", "manifest")]
    if extra:
        raise ReadError(
            f"{edge_file}, line 1: graph attributes belong in the first line of the stakeholders "
            f"file; got {quote(extra)}"
        )
    node_manifest = manifest_of(node_meta, f"{node_file}, line 1")
    edge_manifest = manifest_of(edge_meta, f"{edge_file}, line 1")
    json_names = check_pair(node_file, node_manifest, edge_file, edge_manifest) == "json"
    b = OrgBuilder(node_file)
    b.set_graph(node_meta, f"{node_file}, line 1")
    if "schema_version" in edge_meta:
        b.set_graph({"schema_version": edge_meta["schema_version"]}, f"{edge_file}, line 1")
    count = 0
    with _field_limit(max(len(node_text), len(edge_text))):
        for where, row in _rows(node_text, node_file, _NODE_KEYS, node_skip, json_names, "node"):
            b.add_node(row.pop("node"), row, where)
            count += 1
        _check_count(node_file, count, node_manifest, "stakeholders")
        count = 0
        for where, row in _rows(edge_text, edge_file, _EDGE_KEYS, edge_skip, json_names, "edge"):
            u, v = row.pop("supplier"), row.pop("customer")
            b.add_edge(u, v, row, where)
            count += 1
        _check_count(edge_file, count, edge_manifest, "services")
        _check_count(edge_file, count, node_manifest, "services")
    return b.build()


@contextlib.contextmanager
def _field_limit(size: int) -> Iterator[None]:
    """Let the csv module read fields as long as the text (its default stops at 128 KiB)."""
    old = csv.field_size_limit()
    new = min(max(old, size + 1), 2**31 - 1)
    csv.field_size_limit(new)
    try:
        yield
    finally:
        csv.field_size_limit(old)


def _first_line(text: str, name: str) -> tuple[dict[str, Any], str, int]:
    """The JSON object of a first ``#`` line (raw, or one quoted cell), the rest, lines skipped."""
    if not text.startswith(("#", '"#')):
        return {}, text, 0
    first, _, rest = text.partition("\n")
    line = first.rstrip("\r")
    if line.startswith('"'):
        try:
            cells = next(csv.reader([line], strict=True))
        except csv.Error as err:
            raise ReadError(f"{name}, line 1: malformed CSV: {err}") from None
        if len(cells) != 1:
            raise ReadError(
                f"{name}, line 1: a quoted first line must be one cell '# {{json object}}'; "
                f"got {len(cells)} cells"
            )
        line = cells[0]
    try:
        data = parse_json(line[1:])
    except JSONProblem as err:
        raise ReadError(
            f"{name}, line 1: a first line starting with '#' must hold a JSON object of "
            f'graph attributes, e.g. # {{"name": "Acme"}}; {err.msg}'
        ) from None
    if not isinstance(data, dict):
        raise ReadError(
            f"{name}, line 1: expected a JSON object of graph attributes; got {quote(data)}"
        )
    return data, rest, 1


def _check_count(name: str, rows: int, manifest: Manifest | None, table: str) -> None:
    expected = None if manifest is None else getattr(manifest, table)
    if expected is not None and expected != rows:
        raise ReadError(
            f"{name}: has {rows} {table} rows but its pair's manifest (line 1) says {expected}: "
            "the file was cut short or edited after it was written; delete line 1 of both "
            "files to read them as they are"
        )


def _rows(
    text: str, name: str, keys: tuple[str, ...], offset: int, json_names: bool, domain: str
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
                header = _header(cells, keys, where, domain)
                continue
            if not cells:
                continue  # a blank line
            if len(cells) != len(header):
                raise ReadError(
                    f"{where}: has {len(cells)} cells; the header has {len(header)} columns "
                    f"{quote(header)}"
                )
            row: dict[str, Any] = {}
            for column, cell in zip(header, cells, strict=True):
                if column in keys:
                    row[column] = _name(cell, column, where, json_names)
                elif cell:
                    row[column] = _value(cell, column, where)
            yield where, row
    except csv.Error as err:
        raise ReadError(f"{name}, line {offset + reader.line_num}: malformed CSV: {err}") from None
    if header is None:
        raise ReadError(f"{name}: has no header row; expected one with the columns {list(keys)}")


def _header(cells: list[str], keys: tuple[str, ...], where: str, domain: str) -> list[str]:
    names = []
    for cell in cells:
        if not cell:
            raise ReadError(f"{where}: the header has an empty column name; got {quote(cells)}")
        column: object = cell
        if cell.startswith('"'):
            try:
                column = parse_json(cell)
            except JSONProblem:
                column = None
            if not isinstance(column, str):
                raise ReadError(
                    f"{where}: a column name starting with '\"' must be a JSON string; "
                    f"got {quote(cell)}"
                )
        names.append(str(column))
    missing = [k for k in keys if k not in names]
    if missing:
        raise ReadError(
            f"{where}: the header has no {missing[0]!r} column; got columns {quote(names)}"
        )
    seen = set()
    for column in names:
        if column in seen:
            raise ReadError(f"{where}: the header repeats the column {quote(column)}")
        seen.add(column)
        if column == SERVICES and domain == "edge":
            raise ReadError(
                f"{where}: a {SERVICES!r} column is not read; give each service of a supplier "
                "to a customer its own row, with its deliverable"
            )
        problem = None if column in keys else column_problem(column, domain)
        if problem:
            raise ReadError(f"{where}: {problem}")
    return names


def _value(cell: str, column: str, where: str) -> Any:
    try:
        return decode_cell(cell)
    except JSONProblem as err:
        what = "must be valid JSON" if cell[0] in '[{"' else "cannot be read"
        raise ReadError(
            f"{where}, column {quote(column)}: a cell starting with {cell[0]!r} {what}; "
            f"got {quote(cell)} ({err.msg})"
        ) from None


def _name(cell: str, column: str, where: str, json_names: bool) -> Hashable:
    if not cell:
        raise ReadError(f"{where}, column {column!r}: the stakeholder name is empty")
    if not json_names:
        return cell
    try:
        return decode_name(parse_json(cell))
    except JSONProblem as err:
        raise ReadError(
            f"{where}, column {column!r}: names in this file are JSON (its manifest says "
            f'"names": "json"); got {quote(cell)} ({err.msg})'
        ) from None
    except ValueError as err:
        raise ReadError(f"{where}, column {column!r}: {err}") from None
