"""`compile`: the array form of an organisation, built once in O(V + E).

Metrics and simulations never walk networkx objects in Python loops; they run
on a `CompiledOrg`: integer node ids, CSR successor and predecessor lists,
the topological levels of the blocking graph, and one numpy array per
attribute, with durations gathered in `DurationArray` objects.

Edge arrays hold one row per *service*: an edge of the graph carries one
service, or several (a supplier giving one customer several deliverables,
``services`` in ``docs/schema.md``), each its own row; ``pair`` numbers the
supplier-customer pairs, so network metrics that count a tie once group rows
by it. Rows are sorted by (source, target), services of one edge in their
listed order, so the successors of node ``i`` are
``dst[succ_ptr[i]:succ_ptr[i + 1]]``; ``pred_edges[pred_ptr[i]:pred_ptr[i + 1]]``
are the ids of the rows into ``i``.
"""

from __future__ import annotations

import operator
from collections.abc import Hashable
from dataclasses import dataclass, field
from itertools import chain, repeat
from typing import Any

import networkx as nx
import numpy as np
from numpy.typing import NDArray

from intcust._params import kind_error
from intcust.errors import CycleError, ParameterError, UnknownNodeError
from intcust.graph._columns import (
    EDGE_COLUMNS,
    NODE_COLUMNS,
    RANGES,
    TYPES,
    check_schema,
    codes,
    columns,
    in_range,
    numeric_columns,
    plain,
    valid_durations,
)
from intcust.graph.duration_array import DurationArray
from intcust.graph.levels import topological_levels
from intcust.graph.schema import EMPLOYMENT, KINDS, SERVICES, edge_services

__all__ = ["CompiledOrg", "as_compiled", "compile"]

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]

EXTERNAL = KINDS.index("external")


@dataclass(frozen=True, eq=False)
class CompiledOrg:
    """An organisation as integer-indexed arrays (see `compile`).

    Node arrays have length V, edge arrays length E. Missing optional values
    are NaN in the float arrays, with a ``has_*`` mask where that matters;
    they never reach a user-facing result.
    """

    nodes: tuple[Hashable, ...]
    index: dict[Hashable, int]
    # node attributes
    kind: NDArray[np.int8]  #: index into `KINDS`
    unit: IntArray  #: index into `units`, -1 when the node has no unit
    units: tuple[Hashable, ...]
    work: DurationArray
    start: FloatArray
    due: FloatArray  #: NaN where no due date is set
    capacity: FloatArray  #: NaN where unknown
    servers: IntArray
    buffer: FloatArray
    # services (one row each), sorted by (source, target)
    pair: IntArray  #: the supplier-customer pair (edge of the graph) of each row
    src: IntArray
    dst: IntArray
    succ_ptr: IntArray
    pred_ptr: IntArray
    pred_edges: IntArray
    lead_time: DurationArray
    volume: FloatArray
    sla: FloatArray  #: NaN where none is agreed
    satisfaction: FloatArray  #: NaN where not rated
    blocking: BoolArray  #: the edge's ``blocking`` attribute (lag ignored)
    lag: IntArray
    deliverable: IntArray  #: index into `deliverables`, -1 when unnamed
    deliverables: tuple[Hashable, ...]
    join: IntArray  #: id of the (customer, deliverable) group an edge belongs to
    # the one-round timing graph: blocking edges with lag 0
    gate: BoolArray
    level: IntArray  #: topological level of each node in the timing graph
    topo: IntArray  #: nodes sorted by level
    level_ptr: IntArray  #: nodes of level k are topo[level_ptr[k]:level_ptr[k + 1]]
    graph: dict[str, Any] = field(default_factory=dict)

    @property
    def n_nodes(self) -> int:
        """V, the number of nodes."""
        return len(self.nodes)

    @property
    def n_edges(self) -> int:
        """E, the number of service rows (edges, counting each service of an edge)."""
        return len(self.src)

    @property
    def n_pairs(self) -> int:
        """The number of supplier-customer pairs (edges of the graph)."""
        return int(self.pair[-1]) + 1 if len(self.pair) else 0

    @property
    def external(self) -> IntArray:
        """Ids of the external customers, in node order."""
        return np.flatnonzero(self.kind == EXTERNAL)

    def ids(self, nodes: list[Hashable]) -> IntArray:
        """Integer ids of named nodes (names must exist)."""
        return np.fromiter((self.index[n] for n in nodes), np.int64, len(nodes))

    def node_id(self, node: Hashable, *, func: str, param: str) -> int:
        """The integer id of `node`, or `UnknownNodeError` naming `param` of `func`."""
        try:
            return self.index[node]
        except (KeyError, TypeError):
            raise UnknownNodeError(
                f"The {param!r} parameter of {func} must name a node of the organisation; "
                f"got {node!r}."
            ) from None

    def names(self, ids: IntArray | list[int]) -> list[Hashable]:
        """Node names of integer ids."""
        return [self.nodes[int(i)] for i in ids]

    def edge_id(self, u: Hashable, v: Hashable) -> int:
        """The row of edge ``u -> v`` (its first service)."""
        i, j = self.index[u], self.index[v]
        lo, hi = int(self.succ_ptr[i]), int(self.succ_ptr[i + 1])
        k = lo + int(np.searchsorted(self.dst[lo:hi], j))
        if k >= hi or self.dst[k] != j:
            raise KeyError((u, v))
        return k


def compile(G: nx.DiGraph, *, check: bool = True) -> CompiledOrg:
    """Turn an organisation into its array form.

    Parameters
    ----------
    G : networkx.DiGraph
        The organisation.
    check : bool, optional
        Validate the schema first. Plain Python values (floats, ints, str
        labels, bools) are checked in bulk while the columns are read; turn
        it off only for a graph you have just validated.

    Returns
    -------
    CompiledOrg

    Raises
    ------
    SchemaError
        If `G` breaks the schema.
    CycleError
        If blocking edges with ``lag == 0`` form a cycle; it names the cycle.

    Notes
    -----
    One pass over the adjacency of `G` collects the edges in node order; each
    attribute is then read with one C-level ``map`` over the edge dicts and
    converted with one numpy call. Edges are sorted only when the adjacency
    is not already in node order. Cost: O(V + E) plus the sorts of the
    predecessor list and the OR groups.

    Examples
    --------
    >>> import intcust as ic
    >>> C = ic.compile(ic.datasets.email_campaign())
    >>> C.n_nodes, C.n_edges
    (5, 5)
    >>> C.names(C.topo[C.level_ptr[0]:C.level_ptr[1]])
    ['designer', 'list keeper']
    """
    if not isinstance(G, nx.DiGraph) or G.is_multigraph():
        raise ParameterError(
            f"The 'G' parameter of compile must be a networkx.DiGraph; got {type(G).__name__}."
        )
    # networkx keeps nodes in G._node and adjacency dicts in G._succ; reading
    # them directly avoids a view object per node and a Python-level
    # iterator per neighbour, which dominate on millions of edges
    node_map: dict[Hashable, dict[str, Any]] = G._node
    succ: dict[Hashable, dict[Hashable, dict[str, Any]]] = G._succ
    nodes = tuple(node_map)
    n = len(nodes)
    index: dict[Hashable, int] = dict(zip(nodes, range(n), strict=True))
    ndata = list(node_map.values())
    nbrs = list(map(succ.__getitem__, nodes))
    if type(succ) is not dict:  # a graph view: filtered mappings, not dicts
        nbrs = [dict(nb) for nb in nbrs]
    counts = np.fromiter(map(len, nbrs), np.int64, n)
    m = int(counts.sum())
    dst = np.fromiter(map(index.__getitem__, chain.from_iterable(nbrs)), np.int64, m)
    edata: list[dict[str, Any]] = list(chain.from_iterable(map(dict.values, nbrs)))
    src = np.repeat(np.arange(n, dtype=np.int64), counts)
    if m > 1 and not np.all((np.diff(dst) > 0) | (np.diff(src) > 0)):
        order = np.lexsort((dst, src))  # the adjacency of a node is not in node order
        src, dst = src[order], dst[order]
        edata = [edata[k] for k in order.tolist()]

    pair = np.arange(m, dtype=np.int64)
    if any(SERVICES in d for d in edata):
        if check:
            check_schema(G, False)  # a malformed services list would break the expansion
        per_edge = np.fromiter(map(len, map(edge_services, edata)), np.int64, m)
        pair = np.repeat(pair, per_edge)
        src, dst = src[pair], dst[pair]
        edata = [dict(s) for s in chain.from_iterable(map(edge_services, edata))]
        m = len(edata)

    raw = columns(ndata, NODE_COLUMNS)
    raw.update(columns(edata, EDGE_COLUMNS))
    numbers: dict[str, NDArray[Any]] | None = None
    fast_ok = False
    if check and all(plain(raw[name], allowed) for name, allowed in TYPES.items()):
        numbers = numeric_columns(raw)
        fast_ok = (
            set(raw["kind"]) <= {None, *KINDS}
            and set(raw["employment"]) <= {None, *EMPLOYMENT}
            and all(in_range(numbers[name], raw[name], *bounds) for name, bounds in RANGES.items())
            and valid_durations(raw["work"])
            and valid_durations(raw["lead_time"])
        )
    if check:
        check_schema(G, fast_ok)
    if numbers is None:
        numbers = numeric_columns(raw)
    kinds, work_raw, lead_raw = raw["kind"], raw["work"], raw["lead_time"]
    lag = numbers["lag"].astype(np.int64)

    kind_index: dict[Any, int] = {k: i for i, k in enumerate(KINDS)}
    kind_index[None] = 0  # the default kind, "person"
    kind = np.fromiter(map(kind_index.__getitem__, kinds), np.int8, n)
    unit, units = codes(raw["unit"])
    work = DurationArray(
        [0.0 if w is None else w for w in work_raw] if None in work_raw else work_raw,
        where=lambda i: f"work of node {nodes[i]!r}",
    )
    lead_time = DurationArray(
        [0.0 if x is None else x for x in lead_raw] if None in lead_raw else lead_raw,
        where=lambda k: f"lead_time of edge {(nodes[src[k]], nodes[dst[k]])!r}",
    )
    blocking = np.fromiter(map(operator.is_not, raw["blocking"], repeat(False)), bool, m)
    deliverable, deliverables = codes(raw["deliverable"])
    # a named deliverable joins the other edges into the same customer (OR);
    # an unnamed one is a group of its own (AND)
    key = np.where(
        deliverable >= 0, dst * (len(deliverables) + 1) + deliverable, -1 - np.arange(m)
    )
    _, join = np.unique(key, return_inverse=True)

    gate = blocking & (lag == 0)
    level = topological_levels(n, src[gate], dst[gate])
    if (level < 0).any():
        _raise_cycle(G, nodes, np.flatnonzero(level < 0))
    topo = np.argsort(level, kind="stable")
    level_ptr = np.searchsorted(level[topo], np.arange(int(level.max(initial=-1)) + 2))
    pred_edges = np.argsort(dst, kind="stable")
    return CompiledOrg(
        nodes=nodes,
        index=index,
        kind=kind,
        unit=unit,
        units=units,
        work=work,
        start=numbers["start"],
        due=numbers["due"],
        capacity=numbers["capacity"],
        servers=numbers["servers"].astype(np.int64),
        buffer=numbers["buffer"],
        pair=pair,
        src=src,
        dst=dst,
        succ_ptr=_ptr(src, n),
        pred_ptr=_ptr(dst, n),
        pred_edges=pred_edges.astype(np.int64),
        lead_time=lead_time,
        volume=numbers["volume"],
        sla=numbers["sla"],
        satisfaction=numbers["satisfaction"],
        blocking=blocking,
        lag=lag,
        deliverable=deliverable,
        deliverables=deliverables,
        join=join.astype(np.int64).reshape(-1),
        gate=gate,
        level=level,
        topo=topo.astype(np.int64),
        level_ptr=level_ptr.astype(np.int64),
        graph=dict(G.graph),
    )


def as_compiled(G: nx.DiGraph | CompiledOrg, *, func: str) -> CompiledOrg:
    """`G` itself when already compiled, else ``compile(G)`` (checked).

    Parameters
    ----------
    G : networkx.DiGraph or CompiledOrg
        The organisation, or its array form.
    func : str
        The public function asking, named in the error message.

    Returns
    -------
    CompiledOrg

    Raises
    ------
    ParameterError
        If `G` is neither a `networkx.DiGraph` nor a `CompiledOrg`.
    SchemaError, CycleError
        As `compile`.

    Examples
    --------
    >>> import intcust as ic
    >>> C = ic.compile(ic.datasets.email_campaign())
    >>> as_compiled(C, func="schedule") is C
    True
    >>> as_compiled(ic.datasets.email_campaign(), func="schedule").n_nodes
    5
    """
    if isinstance(G, CompiledOrg):
        return G
    if not isinstance(G, nx.DiGraph):
        raise kind_error(func, "G", "a networkx.DiGraph or a CompiledOrg", G)
    return compile(G)


def _ptr(ids: IntArray, n: int) -> IntArray:
    """CSR offsets of `n` rows from each entry's row id."""
    return np.concatenate([[0], np.cumsum(np.bincount(ids, minlength=n))]).astype(np.int64)


def _raise_cycle(G: nx.DiGraph, nodes: tuple[Hashable, ...], stuck: IntArray) -> None:
    from intcust.graph.validation import blocking_cycle

    cycle = blocking_cycle(G.subgraph([nodes[i] for i in stuck]))
    assert cycle is not None, "nodes left without a level must lie on or behind a cycle"
    raise CycleError(cycle)
