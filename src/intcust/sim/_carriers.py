"""Which lagged edges, and which loops, carried a delay of `rounds` into later rounds.

`_carriers` compares the delayed run with the plan round by round (the rule
is in its docstring); `_loops_carrying` picks the loops of `cycle_time`
through such an edge: the loops by which the delay came round again.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping

import numpy as np
from numpy.typing import NDArray

from intcust.graph.compiled import CompiledOrg
from intcust.sim._engine import TIE_TOL
from intcust.sim.maxplus import Loop, cycle_time

FloatArray = NDArray[np.float64]


def _carriers(
    C: CompiledOrg,
    planned: FloatArray,
    finish: FloatArray,
    lead: FloatArray,
    work: FloatArray,
    extra: Mapping[int, FloatArray],
) -> tuple[tuple[Hashable, Hashable, int, int], ...]:
    """Lagged edges on which a late supplier round made a later customer round late.

    A lagged edge ``u -> v`` carries lateness into round r of v when v began
    later than planned in round r (a round late only by v's own delay does
    not count), the edge's deliverable is one v waited for last and arrived
    later than planned, and u was among the suppliers of that deliverable
    that arrived first in the plan and is late now. An alternative that
    merely ties with the plan's first one carries nothing: the deliverable
    then arrives on time.
    """
    k = finish.shape[0]
    e = np.flatnonzero(C.blocking)
    lagged = C.lag[e] >= 1
    if not lagged.any() or k < 2:
        return ()
    src, dst, lag = C.src[e], C.dst[e], C.lag[e]
    rounds = np.arange(k)[:, None]
    back = rounds - lag[None, :]
    ok = back >= 0
    safe = np.maximum(back, 0)

    def arrivals(fin: FloatArray) -> FloatArray:
        return np.where(ok, fin[safe, src[None, :]] + lead[e][None, :], -np.inf)

    def begins(fin: FloatArray, with_delays: bool) -> FloatArray:
        own = np.zeros_like(fin)
        if with_delays:
            for r, x in extra.items():
                own[r] = x
        return fin - work[None, :] - own

    arr0, arr1 = arrivals(planned), arrivals(finish)
    n_groups = int(C.join.max()) + 1
    join = C.join[e]

    def group_min(arr: FloatArray) -> FloatArray:
        out = np.full((k, n_groups), np.inf)
        for r in range(k):
            np.minimum.at(out[r], join, arr[r])
        return out

    g0, g1 = group_min(arr0), group_min(arr1)
    begin0, begin1 = begins(planned, False), begins(finish, True)
    ready1 = np.zeros((k, C.n_nodes))
    for r in range(k):
        np.maximum.at(ready1[r], dst, np.where(np.isfinite(g1[r, join]), g1[r, join], -np.inf))

    def later(a: FloatArray, b: FloatArray) -> NDArray[np.bool_]:
        with np.errstate(invalid="ignore"):
            return np.asarray(a - b > TIE_TOL * np.maximum(1.0, np.abs(b)))

    def tie(a: FloatArray, b: FloatArray) -> NDArray[np.bool_]:
        with np.errstate(invalid="ignore"):
            return np.asarray(np.abs(a - b) <= TIE_TOL * np.maximum(1.0, np.abs(b)))

    carried = (
        ok
        & later(begin1[:, dst], begin0[:, dst])  # v began later than planned
        & tie(ready1[:, dst], g1[:, join])  # waiting for this deliverable last
        & later(g1[:, join], g0[:, join])  # which arrived later than planned
        & tie(arr0, g0[:, join])  # u was first in the plan
        & later(arr1, arr0)  # and is late now
    )
    counts = carried.sum(axis=0)
    hit = np.flatnonzero(lagged & (counts > 0))
    return tuple(
        (C.nodes[src[i]], C.nodes[dst[i]], int(lag[i]), int(counts[i])) for i in hit.tolist()
    )


def _loops_carrying(
    C: CompiledOrg,
    period: float | None,
    estimate: str,
    carriers: tuple[tuple[Hashable, Hashable, int, int], ...],
) -> tuple[Loop, ...]:
    """The loops of `cycle_time` that contain a carrying edge."""
    if not carriers:
        return ()
    pairs = {(u, v) for u, v, _, _ in carriers}
    out = []
    for loop in cycle_time(C, period=period, estimate=estimate).loops:
        ring = [*loop.nodes, loop.nodes[0]]
        if any((ring[i], ring[i + 1]) in pairs for i in range(len(loop.nodes))):
            out.append(loop)
    return tuple(out)
