"""Node-link JSON: `read_json` and `write_json`.

The layout is networkx's node-link form with an ``edges`` list::

    {"directed": true, "multigraph": false,
     "graph": {"name": "Acme", "schema_version": "1.0"},
     "nodes": [
      {"id": "designer", "unit": "Marketing", "work": 2},
      ...],
     "edges": [
      {"source": "designer", "target": "sender", "lead_time": 0.5},
      ...]}

One stakeholder or service per line, so files diff well. ``links`` is read as
a synonym of ``edges`` (older networkx writes it). An edge with several
services carries them as a ``services`` list; several edge records of one
pair, each naming its deliverable, are read as such a list too.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

import networkx as nx

from intcust.errors import ReadError, quote
from intcust.graph.io._build import OrgBuilder
from intcust.graph.io._json_strict import JSONProblem, parse_json
from intcust.graph.io.codec import (
    attribute_columns,
    decode_name,
    dumps,
    place,
    plain,
)
from intcust.graph.io.files import PathOrFile, read_text, write_text
from intcust.graph.schema import SCHEMA_VERSION

__all__ = ["read_json", "write_json"]


def write_json(G: nx.DiGraph, path: PathOrFile) -> None:
    """Write an organisation as node-link JSON.

    Parameters
    ----------
    G : networkx.DiGraph
        The organisation.
    path : str, path-like or file
        Where to write (UTF-8).

    Raises
    ------
    ParameterError
        If an attribute value is not plain data or a duration, or a node
        attribute is named ``id`` or an edge attribute ``source`` or ``target``.
    WriteError
        If the file cannot be written; a previous file is left as it was.

    Notes
    -----
    Durations are written as their ``to_dict()`` mappings; tuples (also tuple
    node names) as lists. The graph data gets ``schema_version``. Non-finite
    floats in unknown attributes are written as ``NaN``/``Infinity``, as
    Python's `json` module does. A path is replaced atomically.

    Examples
    --------
    >>> import io, intcust as ic
    >>> f = io.StringIO()
    >>> ic.write_json(ic.datasets.email_campaign(), f)
    >>> f.getvalue().splitlines()[1]
    ' "graph": {"name": "E-mail campaign", "time_unit": "day", "schema_version": "1.0"},'
    """
    attribute_columns(G, "write_json", node_reserved=("id",), edge_reserved=("source", "target"))
    graph = plain({**G.graph, "schema_version": SCHEMA_VERSION}, "a graph attribute")
    nodes = [
        _dumps(
            {
                "id": plain(n, "a node name"),
                **plain(d, place("an attribute of node", n)),
            }
        )
        for n, d in G.nodes(data=True)
    ]
    edges = [
        _dumps(
            {
                "source": plain(u, "a node name"),
                "target": plain(v, "a node name"),
                **plain(d, place("an attribute of edge", (u, v))),
            }
        )
        for u, v, d in G.edges(data=True)
    ]
    text = (
        '{"directed": true, "multigraph": false,\n'
        f' "graph": {_dumps(graph)},\n'
        f' "nodes": [{_block(nodes)}],\n'
        f' "edges": [{_block(edges)}]}}\n'
    )
    write_text(path, text, "write_json")


def _dumps(data: Any) -> str:
    return dumps(data)


def _block(items: list[str]) -> str:
    return "".join(f"\n  {item}," for item in items)[:-1] + "\n " if items else ""


def read_json(path: PathOrFile) -> nx.DiGraph:
    """Read an organisation from node-link JSON.

    Parameters
    ----------
    path : str, path-like or file
        A file written by `write_json` or by networkx's ``node_link_data``.

    Returns
    -------
    networkx.DiGraph
        Duration mappings of ``work`` and ``lead_time`` become duration
        objects; unknown attributes are kept as read; list node names become
        tuples. The file's ``schema_version`` is checked, not kept.

    Raises
    ------
    ReadError
        If the file is not JSON (naming the line and column), repeats a key
        in an object, nests values deeper than 100 levels, is not a directed
        node-link object, repeats a node or an edge, or has an edge naming an
        unknown node (naming ``nodes[i]`` or ``edges[i]``).
    SchemaError
        Listing every schema problem, each with its place.
    CycleError
        If blocking edges with lag 0 form a cycle.

    Examples
    --------
    >>> import io, intcust as ic
    >>> f = io.StringIO()
    >>> ic.write_json(ic.datasets.email_campaign(), f)
    >>> G = ic.read_json(io.StringIO(f.getvalue()))
    >>> G.nodes["designer"]["work"]
    PERT(low=1.0, mode=2.0, high=4.0, shape=4.0)
    """
    text, name = read_text(path, "read_json")
    try:
        data = parse_json(text)
    except JSONProblem as err:
        place = f", line {err.line}, column {err.column}" if err.line else ""
        place += f", {err.path}" if err.path else ""
        raise ReadError(f"{name}{place}: not valid JSON: {err.msg}") from None
    if not isinstance(data, dict):
        raise ReadError(f"{name}: expected a node-link JSON object; got {type(data).__name__}")
    if data.get("directed") is False or data.get("multigraph") is True:
        raise ReadError(
            f"{name}: an organisation is a directed graph without parallel edges; the file "
            f"says directed={quote(data.get('directed'))}, multigraph={quote(data.get('multigraph'))}"
        )
    if "edges" in data and "links" in data:
        raise ReadError(f"{name}: has both 'edges' and 'links'; expected one of them")
    b = OrgBuilder(name)
    b.set_graph(_get(data, "graph", dict, name, {}), f"{name}, graph")
    for i, node in enumerate(_get(data, "nodes", list, name, None)):
        where = f"{name}, nodes[{i}]"
        record = _record(node, "id", where)
        b.add_node(_name(record.pop("id"), where), record, where)
    key = "links" if "links" in data else "edges"
    for i, edge in enumerate(_get(data, key, list, name, [])):
        where = f"{name}, {key}[{i}]"
        record = _record(edge, "source", where)
        if "target" not in record:
            raise ReadError(
                f"{where}: an edge needs 'source' and 'target'; got keys {quote(list(record))}"
            )
        u, v = _name(record.pop("source"), where), _name(record.pop("target"), where)
        b.add_edge(u, v, record, where)
    return b.build()


def _get(data: dict[str, Any], key: str, kind: type, name: str, default: Any) -> Any:
    if key not in data:
        if default is None:
            raise ReadError(
                f"{name}: a node-link object needs a {key!r} list; got keys {quote(list(data))}"
            )
        return default
    value = data[key]
    if not isinstance(value, kind):
        raise ReadError(
            f"{name}: {key!r} must be a JSON {'object' if kind is dict else 'array'}; "
            f"got {type(value).__name__}"
        )
    return value


def _record(item: Any, key: str, where: str) -> dict[str, Any]:
    if not isinstance(item, dict):
        raise ReadError(f"{where}: expected a JSON object; got {quote(item)}")
    if key not in item:
        raise ReadError(f"{where}: has no {key!r}; got keys {quote(list(item))}")
    return dict(item)


def _name(value: Any, where: str) -> Hashable:
    try:
        return decode_name(value)
    except ValueError as err:
        raise ReadError(f"{where}: {err}") from None
