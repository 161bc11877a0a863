"""The one-round forward and backward passes on the compiled arrays, vectorised over scenarios.

Timing semantics (docs/timing.md): a node is *ready* when every deliverable it
needs has arrived, a deliverable arriving at the earliest of its alternative
suppliers' ``finish + lead_time`` (OR: min); ready is the latest of those
(AND: max), or 0 with no blocking input. It begins at ``max(ready, start)``
and finishes ``work`` later. Only blocking edges with lag 0 count.

Levels are processed in topological order; within a level, every edge into
the level is one row of a ``(m, S)`` array, reduced with a minimum over
alternative suppliers and a maximum over deliverables (`Segments`).
The Python loop runs over levels only, never over nodes, edges or scenarios.

`backward` runs the levels in reverse and gives every node its latest finish
against per-node targets; the OR-join rule is in its docstring and in
docs/timing.md, its exact correction in `intcust.sim._exact`.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from intcust.graph.compiled import CompiledOrg

__all__ = [
    "TIE_TOL",
    "LevelPlan",
    "Segments",
    "at_most",
    "backward",
    "forward",
    "plan",
]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


@dataclass(frozen=True, eq=False)
class Segments:
    """Contiguous groups of rows, reduced row-gather by row-gather.

    ``np.minimum.reduceat(x, starts, axis=0)`` on a wide 2-D array is several
    times slower than gathering rows: it walks each group element by element.
    Here the groups are sorted by size; the first rows of all groups are
    gathered at once, then the j-th rows of the groups that have one are
    folded in, so the Python loop runs over the largest group size only.
    Min, max and integer sums give exactly the numbers ``reduceat`` gives.
    """

    order: IntArray  #: group ids by decreasing size
    starts: IntArray  #: first row of each group, in that order
    counts: IntArray  #: counts[j]: how many groups have more than j rows

    @classmethod
    def from_starts(cls, starts: IntArray, total: int) -> Segments:
        """Groups ``[starts[i], starts[i + 1])``, the last one ending at `total`."""
        sizes = np.diff(np.append(starts, total))
        order = np.argsort(-sizes, kind="stable")
        n_longer = len(sizes) - np.cumsum(np.bincount(sizes))
        return cls(order=order, starts=starts[order], counts=n_longer[:-1])

    def reduce(self, op: np.ufunc, x: NDArray[Any]) -> NDArray[Any]:
        """``op.reduceat(x, starts, axis=0)``, faster."""
        out = x[self.starts]
        for j in range(1, len(self.counts)):
            c = int(self.counts[j])
            op(out[:c], x[self.starts[:c] + j], out=out[:c])
        result = np.empty_like(out)
        result[self.order] = out
        return result


@dataclass(frozen=True, eq=False)
class LevelPlan:
    """The edges into one topological level, sorted for the two reductions."""

    nodes: IntArray  #: the level's nodes, in the order of the AND groups
    edges: IntArray  #: gating edge ids into them, sorted by (node, join group)
    or_starts: IntArray  #: offsets in `edges` where a deliverable group starts
    and_starts: IntArray  #: offsets in the groups where a node starts
    src: IntArray  #: the suppliers of `edges`
    or_groups: Segments  #: `or_starts` as segments
    and_groups: Segments  #: `and_starts` as segments


#: Relative tolerance under which two times count as equal (ties between suppliers).
TIE_TOL = 1e-9


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
        and_starts = np.flatnonzero(new_node)
        levels.append(
            LevelPlan(
                nodes=C.topo[lo:hi],
                edges=e,
                or_starts=or_starts,
                and_starts=and_starts,
                src=C.src[e],
                or_groups=Segments.from_starts(or_starts, len(e)),
                and_groups=Segments.from_starts(and_starts, len(or_starts)),
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
        arrival = finish[lv.src]
        arrival += ld[lv.edges]
        earliest = lv.or_groups.reduce(np.minimum, arrival)
        r = lv.and_groups.reduce(np.maximum, earliest)
        ready[lv.nodes] = r
        np.maximum(r, st2[lv.nodes], out=r)
        r += w[lv.nodes]
        finish[lv.nodes] = r
    if one_d:
        return ready[:, 0], finish[:, 0]
    return ready, finish


@dataclass(frozen=True, eq=False)
class _ReversePlan:
    """For the edges of one `LevelPlan`: the order that groups them by source."""

    by_src: IntArray  #: permutation of the level's edges sorted by source
    src_starts: IntArray  #: offsets in `by_src` where a source starts
    srcs: IntArray  #: the distinct sources, in that order
    group_sizes: IntArray  #: edges per deliverable group (for np.repeat)
    src_groups: Segments  #: `src_starts` as segments


_REVERSE: weakref.WeakKeyDictionary[CompiledOrg, list[_ReversePlan]] = weakref.WeakKeyDictionary()


def _reverse_plan(C: CompiledOrg) -> list[_ReversePlan]:
    cached = _REVERSE.get(C)
    if cached is not None:
        return cached
    out = []
    for lv in plan(C)[1]:
        src = C.src[lv.edges]
        by_src = np.argsort(src, kind="stable")
        s = src[by_src]
        new = np.ones(len(s), dtype=bool)
        new[1:] = s[1:] != s[:-1]
        starts = np.flatnonzero(new)
        out.append(
            _ReversePlan(
                by_src=by_src,
                src_starts=starts,
                srcs=s[starts],
                group_sizes=np.diff(np.append(lv.or_starts, len(lv.edges))),
                src_groups=Segments.from_starts(starts, len(s)),
            )
        )
    _REVERSE[C] = out
    return out


def at_most(a: FloatArray, b: FloatArray) -> NDArray[np.bool_]:
    """``a <= b`` up to the relative tolerance `TIE_TOL` (infinities compare exactly)."""
    with np.errstate(invalid="ignore"):
        slack = TIE_TOL * np.maximum(1.0, np.abs(b))
    return (a <= b) | (a <= b + np.where(np.isfinite(slack), slack, 0.0))


def backward(
    C: CompiledOrg,
    work: FloatArray,
    lead: FloatArray,
    ready: FloatArray,
    finish: FloatArray,
    latest: FloatArray,
) -> FloatArray:
    """Latest finish of every node in every scenario, against per-node targets.

    Parameters
    ----------
    C : CompiledOrg
        The organisation.
    work : ndarray, shape (V,) or (V, S)
        Node work, as given to `forward`.
    lead : ndarray, shape (E,) or (E, S)
        Edge lead times, as given to `forward`.
    ready, finish : ndarray, shape (V,) or (V, S)
        The output of `forward` for the same durations.
    latest : ndarray, shape (V,) or (V, S)
        The latest finish each node must meet on its own (a due date, the
        makespan), ``+inf`` where it has none.

    Returns
    -------
    latest_finish : ndarray, shape (V, S) (or (V,) when every input is 1-D)
        ``+inf`` for a node whose lateness reaches no target.

    Notes
    -----
    A node's latest start is ``LS(v) = LF(v) - work(v)``; it must be ready by
    ``R(v) = max(LS(v), start(v))`` (being ready before its `start` gains
    nothing). For a blocking edge ``e = u -> v`` in deliverable group ``g``:

    - if another supplier of ``g`` arrives no later than ``R(v)``, then ``u``
      can be late through ``e`` without limit: ``LF_e = +inf``;
    - otherwise ``LF_e = R(v) - lead(e)``.

    ``LF(u)`` is the smallest of ``latest(u)`` and ``LF_e`` over its blocking
    out-edges; with AND joins only this is the classic CPM backward pass
    [1]_. ``LF - finish`` is the total float: exceeding it makes a target
    late, and a delay up to it keeps every target that the baseline meets,
    unless the node feeds two alternative suppliers of one deliverable (both
    would slip together; the float is then an upper bound; see
    `intcust.sim.schedule`, which corrects it). ``ready`` is not needed by
    the rule; it is taken so that the output of `forward` passes through
    unchanged and its shape checked.

    References
    ----------
    .. [1] J. E. Kelley and M. R. Walker, "Critical-path planning and
       scheduling", Proc. Eastern Joint Computer Conference, 1959, pp. 160-173.

    Examples
    --------
    >>> import numpy as np, intcust as ic
    >>> C = ic.compile(ic.datasets.email_campaign())
    >>> w, ld = C.work.point("mode"), C.lead_time.point("mode")
    >>> ready, finish = forward(C, w, ld)
    >>> latest = np.where(np.isnan(C.due), np.inf, C.due)
    >>> dict(zip(C.nodes, backward(C, w, ld, ready, finish, latest).tolist()))
    {'designer': 3.0, 'list keeper': 3.5, 'sender': 4.0, 'campaign': 4.5, 'customers': 5.0}
    """
    one_d = all(a.ndim == 1 for a in (work, lead, ready, finish, latest))
    w = work[:, None] if work.ndim == 1 else work
    ld = lead[:, None] if lead.ndim == 1 else lead
    fin = finish[:, None] if finish.ndim == 1 else finish
    lat = latest[:, None] if latest.ndim == 1 else latest
    if ready.shape != finish.shape:
        raise ValueError(
            f"ready and finish must have the same shape; got {ready.shape} and {finish.shape}"
        )
    (s_count,) = np.broadcast_shapes(w.shape[1:], ld.shape[1:], fin.shape[1:], lat.shape[1:])
    dtype = np.result_type(w.dtype, ld.dtype, fin.dtype, lat.dtype)
    lf = np.empty((C.n_nodes, s_count), dtype=dtype)
    lf[...] = lat
    st = C.start[:, None]
    need = np.empty_like(lf)  # R(v), filled level by level
    for lv, rp in zip(reversed(plan(C)[1]), reversed(_reverse_plan(C)), strict=True):
        nodes = lv.nodes
        need[nodes] = np.maximum(lf[nodes] - w[nodes], st[nodes])
        e = lv.edges
        r = need[C.dst[e]]
        arrival = fin[C.src[e]] + ld[e]
        on_time = at_most(arrival, r)
        count = lv.or_groups.reduce(np.add, on_time.astype(np.int64))
        others = np.repeat(count, rp.group_sizes, axis=0) - on_time
        with np.errstate(invalid="ignore"):
            lf_e = np.where(others > 0, np.inf, r - ld[e])
        best = rp.src_groups.reduce(np.minimum, lf_e[rp.by_src])
        lf[rp.srcs] = np.minimum(lf[rp.srcs], best)
    if one_d:
        return lf[:, 0]
    return lf
