"""The one-round forward pass on the compiled arrays, vectorised over scenarios.

Timing semantics (docs/timing.md): a node is *ready* when every deliverable it
needs has arrived, a deliverable arriving at the earliest of its alternative
suppliers' ``finish + lead_time`` (OR: min); ready is the latest of those
(AND: max), or 0 with no blocking input. It begins at ``max(ready, start)``
and finishes ``work`` later. Only blocking edges with lag 0 count.

Levels are processed in topological order; within a level, every edge into
the level is one row of a ``(m, S)`` array, reduced with ``np.minimum.reduceat``
over alternative suppliers and ``np.maximum.reduceat`` over deliverables.
The Python loop runs over levels only, never over nodes, edges or scenarios.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from intcust.graph.compile import CompiledOrg

__all__ = ["LevelPlan", "forward", "plan"]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


@dataclass(frozen=True, eq=False)
class LevelPlan:
    """The edges into one topological level, sorted for the two reductions."""

    nodes: IntArray  #: the level's nodes, in the order of the AND groups
    edges: IntArray  #: gating edge ids into them, sorted by (node, join group)
    or_starts: IntArray  #: offsets in `edges` where a deliverable group starts
    and_starts: IntArray  #: offsets in the groups where a node starts


_PLANS: weakref.WeakKeyDictionary[CompiledOrg, tuple[IntArray, list[LevelPlan]]] = (
    weakref.WeakKeyDictionary()
)


def plan(C: CompiledOrg) -> tuple[IntArray, list[LevelPlan]]:
    """The level-0 nodes and one `LevelPlan` per later level (cached per `C`)."""
    cached = _PLANS.get(C)
    if cached is not None:
        return cached
    gate_edges = np.flatnonzero(C.gate)
    rank = np.empty(C.n_nodes, dtype=np.int64)
    rank[C.topo] = np.arange(C.n_nodes)
    dst_rank = rank[C.dst[gate_edges]]
    order = np.lexsort((C.join[gate_edges], dst_rank))
    edges = gate_edges[order]
    dst_rank = dst_rank[order]
    joins = C.join[edges]
    levels: list[LevelPlan] = []
    for k in range(1, len(C.level_ptr) - 1):
        lo, hi = C.level_ptr[k], C.level_ptr[k + 1]
        a, b = np.searchsorted(dst_rank, [lo, hi])
        e = edges[a:b]
        new_group = np.ones(len(e), dtype=bool)
        new_group[1:] = joins[a + 1 : b] != joins[a : b - 1]
        or_starts = np.flatnonzero(new_group)
        group_dst = dst_rank[a:b][or_starts]
        new_node = np.ones(len(or_starts), dtype=bool)
        new_node[1:] = group_dst[1:] != group_dst[:-1]
        levels.append(
            LevelPlan(
                nodes=C.topo[lo:hi],
                edges=e,
                or_starts=or_starts,
                and_starts=np.flatnonzero(new_node),
            )
        )
    result = (C.topo[C.level_ptr[0] : C.level_ptr[1]] if len(C.level_ptr) > 1 else C.topo, levels)
    _PLANS[C] = result
    return result


def forward(
    C: CompiledOrg,
    work: FloatArray,
    lead: FloatArray,
    start: FloatArray | None = None,
) -> tuple[FloatArray, FloatArray]:
    """Ready and finish times of every node in every scenario.

    Parameters
    ----------
    C : CompiledOrg
        The organisation.
    work : ndarray, shape (V,) or (V, S)
        Node work, one column per scenario.
    lead : ndarray, shape (E,) or (E, S)
        Edge lead times.
    start : ndarray, shape (V,) or (V, S), optional
        Release times; by default ``C.start``.

    Returns
    -------
    ready, finish : ndarray, shape (V, S) (or (V,) for 1-D input)
        ``begin = max(ready, start)`` and ``finish = begin + work``.
    """
    one_d = work.ndim == 1 and lead.ndim == 1
    w = work[:, None] if work.ndim == 1 else work
    ld = lead[:, None] if lead.ndim == 1 else lead
    s_count = max(w.shape[1], ld.shape[1])
    st = C.start if start is None else start
    st2 = st[:, None] if st.ndim == 1 else st
    dtype = np.result_type(w.dtype, ld.dtype)
    ready = np.zeros((C.n_nodes, s_count), dtype=dtype)
    finish = np.empty((C.n_nodes, s_count), dtype=dtype)
    first, levels = plan(C)
    finish[first] = np.maximum(ready[first], st2[first]) + w[first]
    for lv in levels:
        arrival = finish[C.src[lv.edges]] + ld[lv.edges]
        earliest = np.minimum.reduceat(arrival, lv.or_starts, axis=0)
        r = np.maximum.reduceat(earliest, lv.and_starts, axis=0)
        ready[lv.nodes] = r
        finish[lv.nodes] = np.maximum(r, st2[lv.nodes]) + w[lv.nodes]
    if one_d:
        return ready[:, 0], finish[:, 0]
    return ready, finish
