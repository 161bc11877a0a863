"""The recurrence of `intcust.sim.rounds`, run level by level for every scenario at once.

`round_plan` groups the blocking services by the one-round topological
level of their customer (cached per compiled organisation); `run_rounds`
loops in Python over rounds and those levels, each step one numpy reduction
over the edges into a level for every scenario at once, keeping as many
rounds of history as the largest lag needs. `rounds` runs it on point
durations, `monte_carlo_rounds` on sampled ones.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from intcust.graph.compiled import CompiledOrg
from intcust.graph.joins import join_plan

__all__ = ["RoundPlan", "round_plan", "run_rounds"]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


@dataclass(frozen=True, eq=False)
class RoundPlan:
    """The blocking edges (every lag) into each lag-0 level, sorted for the reductions."""

    levels: tuple[tuple[IntArray, IntArray, IntArray, IntArray, IntArray], ...]
    #: per level: its nodes, the targets (nodes with inputs), their edges,
    #: OR-group offsets and AND offsets (of the supply join plan's groups)
    depth: int  #: rounds of history kept: the largest lag + 1


_PLANS: weakref.WeakKeyDictionary[CompiledOrg, RoundPlan] = weakref.WeakKeyDictionary()


def round_plan(C: CompiledOrg) -> RoundPlan:
    """Group every blocking service by the lag-0 level of its customer (cached per `C`).

    The groups and alternatives are those of the supply join plan
    (`intcust.graph.joins.join_plan`); the levels are the one-round
    topological levels, so lagged services read rounds already computed.
    """
    cached = _PLANS.get(C)
    if cached is not None:
        return cached
    P = join_plan(C, "supply")
    levels = []
    for k in range(len(C.level_ptr) - 1):
        nodes = C.topo[C.level_ptr[k] : C.level_ptr[k + 1]]
        nodes = nodes[np.argsort(nodes, kind="stable")]  # groups are stored by node id
        g_lo, g_hi = P.group_ptr[nodes], P.group_ptr[nodes + 1]
        has = g_hi > g_lo
        groups = _ranges(g_lo, g_hi)
        sizes = P.arc_ptr[groups + 1] - P.arc_ptr[groups]
        e = P.arc_row[_ranges(P.arc_ptr[groups], P.arc_ptr[groups + 1])]
        or_starts = (np.cumsum(sizes) - sizes).astype(np.int64)
        per_node = (g_hi - g_lo)[has]
        and_starts = (np.cumsum(per_node) - per_node).astype(np.int64)
        levels.append(
            (C.topo[C.level_ptr[k] : C.level_ptr[k + 1]], nodes[has], e, or_starts, and_starts)
        )
    depth = int(C.lag[np.flatnonzero(C.blocking)].max(initial=0)) + 1
    out = RoundPlan(tuple(levels), depth)
    _PLANS[C] = out
    return out


def _ranges(lo: IntArray, hi: IntArray) -> IntArray:
    """The integers of ``range(lo[i], hi[i])`` for every i, concatenated."""
    counts = hi - lo
    total = int(counts.sum())
    first = np.repeat(lo - (np.cumsum(counts) - counts), counts)
    return (first + np.arange(total)).astype(np.int64)


Observer = Callable[[int, FloatArray], None]


def run_rounds(
    C: CompiledOrg,
    k: int,
    work: Callable[[int], FloatArray],
    lead: Callable[[int], FloatArray],
    period: float,
    extra: Mapping[int, FloatArray],
    observe: Observer,
    shape: tuple[int, ...],
) -> None:
    """Run `k` rounds of the recurrence on scenarios laid out as `shape`.

    ``work(r)`` and ``lead(r)`` give round r's durations, shapes ``(V,)``
    and ``(E,)`` or broadcastable to ``(V, *shape)`` and ``(E, *shape)``;
    ``extra[r]`` (broadcastable to ``(V, *shape)``) is added to round r's
    finish; ``observe(r, finish)`` sees each round's ``(V, *shape)`` finish
    times (a view, valid during the call).
    """
    P = round_plan(C)
    hist = np.full((P.depth, C.n_nodes, *shape), -np.inf)
    lag = C.lag
    ones = (1,) * len(shape)
    for r in range(k):
        slot = r % P.depth
        fin = hist[slot]
        w, ld = work(r), lead(r)
        w = w.reshape(len(w), *ones) if w.ndim == 1 else w
        ld = ld.reshape(len(ld), *ones) if ld.ndim == 1 else ld
        release = (r * period + C.start).reshape(-1, *ones)
        add = extra.get(r)
        for nodes, targets, e, or_starts, and_starts in P.levels:
            if len(e):
                back = r - lag[e]
                arrival = hist[back % P.depth, C.src[e]] + ld[e]
                arrival[back < 0] = -np.inf
                grp = np.minimum.reduceat(arrival, or_starts, axis=0)
                fin[targets] = np.maximum.reduceat(grp, and_starts, axis=0)
            fin[nodes] = np.maximum(fin[nodes], release[nodes]) + w[nodes]
            if add is not None:
                fin[nodes] += add[nodes]
        observe(r, fin)
        # the slot round r + 1 reuses must hold no stale inputs for nodes without any
        hist[(r + 1) % P.depth] = -np.inf
