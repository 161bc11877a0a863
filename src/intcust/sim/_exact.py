"""The exact latest finish, by forward passes where the edge-local rule may overstate it.

`exact_latest` makes the edge-local latest finish of
`intcust.sim._passes.backward` exact where a delay may reach two
alternatives of one deliverable (docs/timing.md), in three steps that
callers with a thread pool can run apart: `plan_checks`, `run_checks` on
ranges of the nodes it lists (each a descent by passes of
`intcust.sim._delayed.delayed`), then `settle` (`intcust.sim._settle`).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from intcust._jit import inner_kernel, kernel
from intcust.sim._delayed import delayed, restore
from intcust.sim._passes import backward, copy_into, le, may_reconverge
from intcust.sim._settle import _single_customer, settle

FloatArray = NDArray[np.floating]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]
U64 = NDArray[np.uint64]

#: Descent steps per node at most; each lands on a breakpoint of a piecewise
#: linear function, so far fewer are ever needed.
MAX_STEPS = 10_000


@inner_kernel
def _descend(
    x: int,
    d: float,
    order: IntArray,
    pos: IntArray,
    group_ptr: IntArray,
    arc_ptr: IntArray,
    arc_src: IntArray,
    out_ptr: IntArray,
    out_arc: IntArray,
    group_node: IntArray,
    arc_group: IntArray,
    start: FloatArray,
    work: FloatArray,
    lead: FloatArray,
    finish: FloatArray,
    latest: FloatArray,
    goal: FloatArray,
    tol: float,
    cur: FloatArray,
    mark: int,
    scratch: IntArray,
) -> tuple[float, int, int]:
    """The largest delay of x from `d` down that misses no target, the step that found
    it (-1 if none did within `MAX_STEPS`: then `d` itself) and the last mark used.

    The finish of a target is a non-decreasing function of the delay with
    slopes 0 and 1: from a delay that overshoots, subtracting the largest
    overshoot never passes the threshold, and the first delay that meets
    every target lands exactly on it. A target already missed (`goal` is
    its finish) must get no later. `cur` and `scratch` as in `delayed`.
    """
    d0 = d
    for step in range(MAX_STEPS):
        mark += 1
        n_changed = delayed(
            order,
            pos,
            group_ptr,
            arc_ptr,
            arc_src,
            out_ptr,
            out_arc,
            group_node,
            arc_group,
            start,
            work,
            lead,
            finish,
            x,
            d,
            cur,
            mark,
            scratch,
        )
        excess = 0.0
        ok = True
        for j in range(n_changed):
            v = scratch[2, j]
            if latest[v] < np.inf and not le(cur[v], goal[v], tol):
                ok = False
                if cur[v] - goal[v] > excess:
                    excess = cur[v] - goal[v]
        restore(cur, finish, scratch[2], n_changed)
        if ok:
            return d, step, mark
        d -= excess
    return d0, -1, mark


@kernel
def plan_checks(
    order: IntArray,
    group_ptr: IntArray,
    arc_ptr: IntArray,
    arc_src: IntArray,
    out_ptr: IntArray,
    out_arc: IntArray,
    group_node: IntArray,
    arc_group: IntArray,
    start: FloatArray,
    work: FloatArray,
    lead: FloatArray,
    finish: FloatArray,
    latest: FloatArray,
    tol: float,
    out: FloatArray,
    goal: FloatArray,
    flags: BoolArray,
    reach: U64,
    todo: IntArray,
) -> tuple[int, float]:
    """The nodes whose edge-local latest finish `out` must be checked by forward passes.

    `out` holds the edge-local latest finish against `latest`. Lists in
    `todo` the nodes the edge-local rule may overstate (`may_reconverge`)
    whose delay can move a target, but for those all of whose gating arcs go
    to one node (`settle`); returns how many, and a delay from beyond every
    time. Fills `goal`, the finish every target must keep (its `latest`, or
    its finish if that is missed already). `flags` is (2, V) booleans, read
    again by `settle`; `reach` is (V,) uint64 scratch.
    """
    n = len(order)
    fork, hit = flags[0], flags[1]
    for v in range(n):
        fork[v] = hit[v] = False
        reach[v] = 0
        goal[v] = np.inf  # first the least slack of the freed groups each node reaches
    if (
        may_reconverge(
            order,
            group_ptr,
            arc_ptr,
            arc_src,
            start,
            work,
            lead,
            finish,
            latest,
            out,
            tol,
            reach,
            fork,
            hit,
            goal,
        )
        == 0
    ):
        return 0, 0.0
    horizon = 0.0
    for v in range(n):
        goal[v] = latest[v] if latest[v] > finish[v] else finish[v]
        if finish[v] > horizon:
            horizon = finish[v]
        if latest[v] < np.inf and latest[v] > horizon:
            horizon = latest[v]
    horizon += 1.0
    for a in range(len(arc_src)):
        t = finish[arc_src[a]] + lead[a] + 1.0
        if t > horizon:
            horizon = t
    count = 0
    for p in range(n - 1, -1, -1):
        x = order[p]
        if not fork[x] or _single_customer(out_ptr, out_arc, group_node, arc_group, x) >= 0:
            continue
        tf = out[x] - finish[x]
        if tf < 0 or le(tf, 0.0, tol):
            continue  # already exact: no delay is free, or the target is missed anyway
        if hit[x]:
            todo[count] = x
            count += 1
        elif finish[x] + tf < out[x]:
            out[x] = finish[x] + tf  # as a pass would find: no delay of x moves a target
    return count, horizon


@kernel
def run_checks(
    order: IntArray,
    pos: IntArray,
    group_ptr: IntArray,
    arc_ptr: IntArray,
    arc_src: IntArray,
    out_ptr: IntArray,
    out_arc: IntArray,
    group_node: IntArray,
    arc_group: IntArray,
    start: FloatArray,
    work: FloatArray,
    lead: FloatArray,
    finish: FloatArray,
    latest: FloatArray,
    tol: float,
    out: FloatArray,
    goal: FloatArray,
    todo: IntArray,
    horizon: float,
    lo: int,
    hi: int,
) -> None:
    """Make ``out[x]`` exact for ``x = todo[i]``, ``lo <= i < hi``, by forward passes
    (`_descend`) from the node's edge-local float, or from `horizon` when that is
    infinite. Each node reads and writes only its own entry of `out`, and a
    range owns its scratch: ranges run in parallel."""
    n = len(order)
    cur = np.empty(n, dtype=finish.dtype)
    copy_into(cur, finish)
    scratch = np.empty((3, max(n, 1)), dtype=np.int64)
    scratch[1, :] = -1
    mark = int(np.int64(0))  # int64, not a literal (see `delayed`)
    for i in range(lo, hi):
        x = todo[i]
        tf = out[x] - finish[x]
        unbounded = not tf < np.inf
        best, step, mark = _descend(
            x,
            horizon - finish[x] if unbounded else tf,
            order,
            pos,
            group_ptr,
            arc_ptr,
            arc_src,
            out_ptr,
            out_arc,
            group_node,
            arc_group,
            start,
            work,
            lead,
            finish,
            latest,
            goal,
            tol,
            cur,
            mark,
            scratch,
        )
        if unbounded and step == 0:
            best = np.inf  # no delay moves a target
        if finish[x] + best < out[x]:
            out[x] = finish[x] + best


@inner_kernel
def exact_latest(
    order: IntArray,
    pos: IntArray,
    group_ptr: IntArray,
    arc_ptr: IntArray,
    arc_src: IntArray,
    out_ptr: IntArray,
    out_arc: IntArray,
    group_node: IntArray,
    arc_group: IntArray,
    start: FloatArray,
    work: FloatArray,
    lead: FloatArray,
    finish: FloatArray,
    latest: FloatArray,
    tol: float,
    out: FloatArray,
    goal: FloatArray,
    flags: BoolArray,
    reach: U64,
    todo: IntArray,
) -> int:
    """Exact latest finish of every node against per-node targets `latest`.

    The edge-local rule (`backward`), then `plan_checks`, `run_checks` and
    `settle` in one thread. `goal` is (V,) floats, `flags` (2, V) booleans,
    `reach` (V,) uint64, `todo` (V,) int64. Returns the number of nodes checked by
    forward passes.
    """
    n = len(order)
    backward(
        order,
        group_ptr,
        arc_ptr,
        arc_src,
        start,
        work,
        lead,
        finish,
        latest.reshape((n, 1)),
        tol,
        out.reshape((n, 1)),
    )
    plan = (order, group_ptr, arc_ptr, arc_src, out_ptr, out_arc, group_node, arc_group)
    durations = (start, work, lead, finish)
    count, horizon = plan_checks(*plan, *durations, latest, tol, out, goal, flags, reach, todo)
    if count:
        run_checks(
            order, pos, *plan[1:], *durations, latest, tol, out, goal, todo, horizon, 0, count
        )
    settle(*plan, *durations, tol, out, flags)
    return count
