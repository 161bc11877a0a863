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
``customer``) are text, unless the file declares them JSON. The rules of one
table (first line, header, rows, cells) are in `intcust.graph.io._csv_table`.

Each file may start with a comment line: ``#`` and a JSON object (written as
one quoted cell). In ``stakeholders.csv`` it holds the graph attributes; in
both it may hold ``schema_version`` and the ``manifest`` the writer adds:
the row counts of both files, an id of the pair, and ``"names": "json"``
when names are JSON. See ``docs/io.md``.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Hashable

import networkx as nx

from intcust.errors import ParameterError, ReadError, quote
from intcust.graph.io._build import OrgBuilder
from intcust.graph.io._csv_table import (
    attribute_cells,
    comment_line,
    field_limit,
    read_first_line,
    read_rows,
    write_table,
)
from intcust.graph.io._manifest import Manifest, check_pair, manifest_of
from intcust.graph.io._rows import all_rows
from intcust.graph.io.codec import (
    FORMULA_START,
    SURROGATE,
    attribute_columns,
    dumps,
    place,
    plain,
)
from intcust.graph.io.files import PathOrFile, read_text, source_name, write_files
from intcust.graph.schema import SCHEMA_VERSION

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

    nodes = write_table(
        ["node", *node_cols],
        (
            [name(n), *attribute_cells(d, node_cols, place("node", n))]
            for n, d in G.nodes(data=True)
        ),
    )
    edges = write_table(
        ["supplier", "customer", *edge_cols],
        (
            [name(u), name(v), *attribute_cells(d, edge_cols, place("edge", (u, v)))]
            for u, v, d in rows
        ),
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
            (stakeholders, comment_line({**graph, **header}) + nodes, "stakeholders"),
            (services, comment_line(header) + edges, "services"),
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
    node_meta, node_text, node_skip = read_first_line(node_text, node_file)
    edge_meta, edge_text, edge_skip = read_first_line(edge_text, edge_file)
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
    with field_limit(max(len(node_text), len(edge_text))):
        for where, row in read_rows(
            node_text, node_file, _NODE_KEYS, node_skip, json_names, "node"
        ):
            b.add_node(row.pop("node"), row, where)
            count += 1
        _check_count(node_file, count, node_manifest, "stakeholders")
        count = 0
        for where, row in read_rows(
            edge_text, edge_file, _EDGE_KEYS, edge_skip, json_names, "edge"
        ):
            u, v = row.pop("supplier"), row.pop("customer")
            b.add_edge(u, v, row, where)
            count += 1
        _check_count(edge_file, count, edge_manifest, "services")
        _check_count(edge_file, count, node_manifest, "services")
    return b.build()


def _check_count(name: str, rows: int, manifest: Manifest | None, table: str) -> None:
    expected = None if manifest is None else getattr(manifest, table)
    if expected is not None and expected != rows:
        raise ReadError(
            f"{name}: has {rows} {table} rows but its pair's manifest (line 1) says {expected}: "
            "the file was cut short or edited after it was written; delete line 1 of both "
            "files to read them as they are"
        )
