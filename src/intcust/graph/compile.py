"""`compile`: the array form of an organisation, built once in O(V + E).

Metrics and simulations never walk networkx objects in Python loops; they run
on a `CompiledOrg`: integer node ids, CSR successor and predecessor lists,
the topological levels of the blocking graph, and one numpy array per
attribute, with durations gathered in `DurationArray` objects.

Edges are stored sorted by (source, target), so the successors of node ``i``
are ``dst[succ_ptr[i]:succ_ptr[i + 1]]``; ``pred_edges[pred_ptr[i]:pred_ptr[i + 1]]``
are the ids of the edges into ``i``.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import numpy as np
from numpy.typing import NDArray

from intcust.errors import CycleError, ParameterError, SchemaError
from intcust.graph.durations import DurationArray
from intcust.graph.schema import KINDS
from intcust.graph.validate import schema_problems

__all__ = ["CompiledOrg", "compile"]

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
    # edges, sorted by (source, target)
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
        """E, the number of edges."""
        return len(self.src)

    @property
    def external(self) -> IntArray:
        """Ids of the external customers, in node order."""
        return np.flatnonzero(self.kind == EXTERNAL)

    def ids(self, nodes: list[Hashable]) -> IntArray:
        """Integer ids of named nodes (names must exist)."""
        return np.fromiter((self.index[n] for n in nodes), np.int64, len(nodes))

    def names(self, ids: IntArray | list[int]) -> list[Hashable]:
        """Node names of integer ids."""
        return [self.nodes[int(i)] for i in ids]

    def edge_id(self, u: Hashable, v: Hashable) -> int:
        """The id of edge ``u -> v``."""
        i, j = self.index[u], self.index[v]
        lo, hi = int(self.succ_ptr[i]), int(self.succ_ptr[i + 1])
        k = lo + int(np.searchsorted(self.dst[lo:hi], j))
        if k >= hi or self.dst[k] != j:
            raise KeyError((u, v))
        return k


def _codes(values: list[Any]) -> tuple[IntArray, tuple[Hashable, ...]]:
    """Integer codes of labels in first-seen order; None becomes -1."""
    table: dict[Any, int] = {}
    codes = np.empty(len(values), dtype=np.int64)
    for i, v in enumerate(values):
        if v is None:
            codes[i] = -1
        else:
            codes[i] = table.setdefault(v, len(table))
    return codes, tuple(table)


def _floats(values: list[Any], default: float) -> FloatArray:
    return np.array([default if v is None else v for v in values], dtype=np.float64)


def _levels(n: int, src: IntArray, dst: IntArray) -> IntArray:
    """Longest-path level of every node (Kahn's algorithm, one numpy step per level).

    Nodes on or behind a cycle keep level -1.
    """
    level = np.full(n, -1, dtype=np.int64)
    indeg = np.bincount(dst, minlength=n)
    order = np.argsort(src, kind="stable")
    ptr = np.concatenate([[0], np.cumsum(np.bincount(src, minlength=n))])
    s_dst = dst[order]
    frontier = np.flatnonzero(indeg == 0)
    k = 0
    while frontier.size:
        level[frontier] = k
        starts, ends = ptr[frontier], ptr[frontier + 1]
        counts = ends - starts
        if counts.sum() == 0:
            break
        pos = np.repeat(ends - counts.cumsum(), counts) + np.arange(counts.sum())
        targets = s_dst[pos]
        dec = np.bincount(targets, minlength=n)
        indeg -= dec
        touched = np.flatnonzero(dec)
        frontier = touched[indeg[touched] == 0]
        k += 1
    return level


def compile(G: nx.DiGraph, *, check: bool = True) -> CompiledOrg:
    """Turn an organisation into its array form.

    Parameters
    ----------
    G : networkx.DiGraph
        The organisation.
    check : bool, optional
        Validate the schema first (one extra pass). Turn it off only for a
        graph you have just validated.

    Returns
    -------
    CompiledOrg

    Raises
    ------
    SchemaError
        If `G` breaks the schema.
    CycleError
        If blocking edges with ``lag == 0`` form a cycle; it names the cycle.

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
    if check:
        problems = schema_problems(G)
        if problems:
            raise SchemaError(problems)
    nodes = tuple(G.nodes)
    index = {n: i for i, n in enumerate(nodes)}
    n = len(nodes)
    ndata = [d for _, d in G.nodes(data=True)]

    def col(name: str) -> list[Any]:
        return [d.get(name) for d in ndata]

    kind_index = {k: i for i, k in enumerate(KINDS)}
    kind = np.fromiter((kind_index[d.get("kind") or "person"] for d in ndata), np.int8, n)
    unit, units = _codes(col("unit"))
    work = DurationArray(
        [0.0 if w is None else w for w in col("work")],
        where=lambda i: f"work of node {nodes[i]!r}",
    )

    src_l: list[int] = []
    dst_l: list[int] = []
    edata: list[dict[str, Any]] = []
    for u, nbrs in G.adj.items():
        i = index[u]
        for v, d in sorted(nbrs.items(), key=lambda t: index[t[0]]):
            src_l.append(i)
            dst_l.append(index[v])
            edata.append(d)
    m = len(edata)
    src = np.asarray(src_l, dtype=np.int64)
    dst = np.asarray(dst_l, dtype=np.int64)
    src_order = np.lexsort((dst, src))
    if not np.array_equal(src_order, np.arange(m)):  # G.adj order may not follow `nodes`
        src, dst = src[src_order], dst[src_order]
        edata = [edata[k] for k in src_order]

    def ecol(name: str) -> list[Any]:
        return [d.get(name) for d in edata]

    lead_time = DurationArray(
        [0.0 if x is None else x for x in ecol("lead_time")],
        where=lambda k: f"lead_time of edge {(nodes[src[k]], nodes[dst[k]])!r}",
    )
    blocking = np.fromiter((d.get("blocking") is not False for d in edata), bool, m)
    lag = np.fromiter((d.get("lag") or 0 for d in edata), np.int64, m)
    deliverable, deliverables = _codes(ecol("deliverable"))
    # a named deliverable joins the other edges into the same customer (OR);
    # an unnamed one is a group of its own (AND)
    key = np.where(
        deliverable >= 0, dst * (len(deliverables) + 1) + deliverable, -1 - np.arange(m)
    )
    _, join = np.unique(key, return_inverse=True)

    gate = blocking & (lag == 0)
    level = _levels(n, src[gate], dst[gate])
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
        start=_floats(col("start"), 0.0),
        due=_floats(col("due"), np.nan),
        capacity=_floats(col("capacity"), np.nan),
        servers=np.array([1 if s is None else s for s in col("servers")], dtype=np.int64),
        buffer=_floats(col("buffer"), 0.0),
        src=src,
        dst=dst,
        succ_ptr=np.concatenate([[0], np.cumsum(np.bincount(src, minlength=n))]).astype(np.int64),
        pred_ptr=np.concatenate([[0], np.cumsum(np.bincount(dst, minlength=n))]).astype(np.int64),
        pred_edges=pred_edges.astype(np.int64),
        lead_time=lead_time,
        volume=_floats(ecol("volume"), 1.0),
        sla=_floats(ecol("sla"), np.nan),
        satisfaction=_floats(ecol("satisfaction"), np.nan),
        blocking=blocking,
        lag=lag,
        deliverable=deliverable,
        deliverables=deliverables,
        join=join.astype(np.int64),
        gate=gate,
        level=level,
        topo=topo.astype(np.int64),
        level_ptr=level_ptr.astype(np.int64),
        graph=dict(G.graph),
    )


def _raise_cycle(G: nx.DiGraph, nodes: tuple[Hashable, ...], stuck: IntArray) -> None:
    from intcust.graph.validate import blocking_cycle

    cycle = blocking_cycle(G.subgraph([nodes[i] for i in stuck]))
    assert cycle is not None, "nodes left without a level must lie on or behind a cycle"
    raise CycleError(cycle)
