"""pandas DataFrames: `to_frames` and `from_frames` (pandas is imported inside).

The nodes frame is indexed by node name (index name ``node``), one column per
node attribute; the edges frame has ``supplier`` and ``customer`` columns and
one column per edge attribute, one row per service (an edge with several
services is several rows, see `intcust.graph.io._rows`). A missing value
(NaN, None, ``pd.NA``) means the attribute is absent. Graph attributes travel
in ``nodes.attrs``.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping
from typing import TYPE_CHECKING, Any

import networkx as nx
import numpy as np

from intcust.errors import ReadError, quote
from intcust.graph.io._build import OrgBuilder, column_problem
from intcust.graph.io._rows import all_rows
from intcust.graph.io.codec import attribute_columns
from intcust.graph.schema import SERVICES

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["from_frames", "to_frames"]

_ABSENT = object()


def to_frames(G: nx.DiGraph) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The organisation as a nodes frame and an edges frame (needs pandas).

    Parameters
    ----------
    G : networkx.DiGraph
        The organisation.

    Returns
    -------
    nodes : pandas.DataFrame
        One row per node, indexed by node (index name ``node``); its
        ``attrs`` hold a copy of the graph attributes.
    edges : pandas.DataFrame
        One row per service: ``supplier``, ``customer`` and the edge
        attributes; an edge with a ``services`` list gives one row per
        service (and a row for the attributes of the pair itself, with no
        deliverable, when it has any or lists one service).

    Raises
    ------
    ParameterError
        If a node attribute is named ``node`` or an edge attribute
        ``supplier`` or ``customer``.

    Notes
    -----
    A column whose values are all ints is ``int64`` (``Int64`` when some
    are missing), all floats ``float64``, all bools ``bool`` (``boolean``),
    all strings pandas' string type; any other column (durations, mixed
    types) is ``object`` and holds the values themselves, so nothing is
    converted. Absent attributes are missing values; an attribute whose
    value is None or NaN therefore does not survive `from_frames`.

    Examples
    --------
    >>> import intcust as ic
    >>> nodes, edges = ic.to_frames(ic.datasets.email_campaign())
    >>> nodes.loc["customers", "kind"], list(edges.columns[:3])
    ('external', ['supplier', 'customer', 'deliverable'])
    """
    import pandas as pd

    edge_list = list(all_rows(G, "to_frames"))
    node_cols, edge_cols = attribute_columns(
        G,
        "to_frames",
        node_reserved=("node",),
        edge_reserved=("supplier", "customer"),
        edges=edge_list,
    )
    index = pd.Index(list(G.nodes), name="node", tupleize_cols=False)
    node_data = [d for _, d in G.nodes(data=True)]
    nodes = pd.DataFrame(
        {c: _column([d.get(c, _ABSENT) for d in node_data]) for c in node_cols},
        index=pd.RangeIndex(len(index)),
    )
    nodes.index = index
    columns: dict[str, Any] = {
        "supplier": _column([u for u, _, _ in edge_list]),
        "customer": _column([v for _, v, _ in edge_list]),
    }
    columns.update({c: _column([d.get(c, _ABSENT) for _, _, d in edge_list]) for c in edge_cols})
    edges = pd.DataFrame(columns, index=pd.RangeIndex(len(edge_list)))
    nodes.attrs.update(G.graph)
    return nodes, edges


def _column(values: list[Any]) -> Any:
    """A pandas Series of `values` with a dtype that keeps every value as it is."""
    import pandas as pd

    present = [v for v in values if v is not _ABSENT]
    missing = len(present) < len(values)
    types = {type(v) for v in present}
    if types == {bool}:
        dtype: Any = "boolean" if missing else bool
        return pd.Series([None if v is _ABSENT else v for v in values], dtype=dtype)
    if types == {int} and all(-(2**63) <= v < 2**63 for v in present):
        dtype = "Int64" if missing else np.int64
        return pd.Series([None if v is _ABSENT else v for v in values], dtype=dtype)
    if types == {float}:
        return pd.Series([math.nan if v is _ABSENT else v for v in values], dtype=np.float64)
    if types == {str}:  # pandas' default string type
        return pd.Series([None if v is _ABSENT else v for v in values])
    out = pd.Series([None] * len(values), dtype=object)
    for i, v in enumerate(values):
        if v is not _ABSENT:
            out.iat[i] = v
    return out


def from_frames(
    nodes: pd.DataFrame, edges: pd.DataFrame, *, graph: Mapping[str, Any] | None = None
) -> nx.DiGraph:
    """An organisation from a nodes frame and an edges frame.

    Parameters
    ----------
    nodes : pandas.DataFrame
        One row per node: the names in a ``node`` column or, without one,
        in the index; the other columns are node attributes.
    edges : pandas.DataFrame
        One row per service: ``supplier`` and ``customer`` columns; the
        other columns are edge attributes. Several rows of one pair, each
        naming its deliverable, are that pair's services.
    graph : mapping, optional
        Graph attributes; by default ``nodes.attrs`` (where `to_frames` puts
        them).

    Returns
    -------
    networkx.DiGraph
        Missing values (NaN, None, ``pd.NA``) are absent attributes; numpy
        scalars become Python numbers; duration mappings of ``work`` and
        ``lead_time`` become duration objects.

    Raises
    ------
    ReadError
        Naming the frame and row: a missing ``supplier`` or ``customer``
        column, a non-str column name, a column that nearly matches a schema
        attribute (``Lead Time``, ``work_low``), a missing or repeated node
        name, a repeated service, or an edge naming an unknown node.
    SchemaError
        Listing every schema problem, each with its frame and row.
    CycleError
        If blocking edges with lag 0 form a cycle.

    Examples
    --------
    >>> import pandas as pd, intcust as ic
    >>> nodes = pd.DataFrame({"node": ["designer", "sender"], "work": [2.0, None]})
    >>> edges = pd.DataFrame({"supplier": ["designer"], "customer": ["sender"]})
    >>> G = ic.from_frames(nodes, edges)
    >>> G.nodes["designer"], G.nodes["sender"]
    ({'work': 2.0}, {})
    """
    import pandas as pd

    for frame, label, domain, keys in (
        (nodes, "nodes", "node", ("node",)),
        (edges, "edges", "edge", ("supplier", "customer")),
    ):
        if not isinstance(frame, pd.DataFrame):
            raise ReadError(
                f"the {label} frame must be a pandas.DataFrame; got {type(frame).__name__}"
            )
        for column in frame.columns:
            if not isinstance(column, str):
                raise ReadError(f"{label} frame: column names must be str; got {quote(column)}")
            problem = None if column in keys else column_problem(column, domain)
            if problem:
                raise ReadError(f"{label} frame: {problem}")
        if not frame.columns.is_unique:
            repeated = frame.columns[frame.columns.duplicated()][0]
            raise ReadError(f"{label} frame: the column {quote(repeated)} appears twice")
    if SERVICES in edges.columns:
        raise ReadError(
            f"edges frame: a {SERVICES!r} column is not read; give each service of a supplier "
            "to a customer its own row, with its deliverable"
        )
    b = OrgBuilder("frames")
    b.set_graph(
        dict(nodes.attrs) if graph is None else graph, "the 'graph' parameter of from_frames"
    )
    if "node" in nodes.columns:
        names = nodes["node"].tolist()
        attrs = [c for c in nodes.columns if c != "node"]
    else:
        names = list(nodes.index)
        attrs = list(nodes.columns)
    for label, name, row in zip(nodes.index, names, _records(nodes, attrs), strict=True):
        where = f"nodes frame, row {quote(label)}"
        b.add_node(_name(name, where), row, where)
    missing = [c for c in ("supplier", "customer") if c not in edges.columns]
    if missing:
        raise ReadError(
            f"edges frame: has no {missing[0]!r} column; got columns {quote(list(edges.columns))}"
        )
    attrs = [c for c in edges.columns if c not in ("supplier", "customer")]
    ends = zip(edges["supplier"].tolist(), edges["customer"].tolist(), strict=True)
    for label, (u, v), row in zip(edges.index, ends, _records(edges, attrs), strict=True):
        where = f"edges frame, row {quote(label)}"
        b.add_edge(_name(u, where), _name(v, where), row, where)
    return b.build()


def _records(frame: pd.DataFrame, columns: list[str]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = [{} for _ in range(len(frame))]
    for c in columns:
        for row, value in zip(rows, frame[c].tolist(), strict=True):
            value = _native(value)
            if value is not _ABSENT:
                row[c] = value
    return rows


def _native(value: Any) -> Any:
    """A frame cell as a Python value, or `_ABSENT` when it is missing."""
    if value is None:
        return _ABSENT
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return _ABSENT
    if not isinstance(value, str | int | float | bool | tuple | list | dict) and _isna(value):
        return _ABSENT
    return value


def _isna(value: Any) -> bool:
    import pandas as pd

    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _name(value: Any, where: str) -> Hashable:
    value = _native(value)
    if value is _ABSENT:
        raise ReadError(f"{where}: the node name is missing")
    return value  # type: ignore[no-any-return]
