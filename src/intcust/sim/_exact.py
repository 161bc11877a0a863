"""Finite delays of one node, exactly, on the part of the organisation they reach.

`delayed` reruns the forward pass with one node finishing `d` later, but
only over the nodes whose finish changes: a heap of topological positions
holds the nodes to recompute, so a delay absorbed by float or by an
alternative supplier costs nothing further. `exact_latest` uses it to make
the edge-local latest finish of `intcust.sim._passes.backward` exact where a
delay may reach two alternatives of one deliverable (docs/timing.md).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from intcust._jit import kernel
from intcust.sim._passes import backward, le, may_reconverge

FloatArray = NDArray[np.floating]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]

#: Descent steps per node at most; each lands on a breakpoint of a piecewise
#: linear function, so far fewer are ever needed.
MAX_STEPS = 10_000


@kernel
def _push(heap: IntArray, size: int, key: int) -> int:
    i = size
    heap[i] = key
    while i > 0:
        parent = (i - 1) >> 1
        if heap[parent] <= heap[i]:
            break
        heap[parent], heap[i] = heap[i], heap[parent]
        i = parent
    return size + 1


@kernel
def _pop(heap: IntArray, size: int) -> int:
    top = heap[0]
    size -= 1
    heap[0] = heap[size]
    i = 0
    while True:
        left = 2 * i + 1
        if left >= size:
            break
        child = left
        if left + 1 < size and heap[left + 1] < heap[left]:
            child = left + 1
        if heap[i] <= heap[child]:
            break
        heap[i], heap[child] = heap[child], heap[i]
        i = child
    return int(top)


@kernel
def delayed(
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
    x: int,
    d: float,
    new: FloatArray,
    stamp: IntArray,
    mark: int,
    heap: IntArray,
    queued: IntArray,
    changed: IntArray,
) -> int:
    """Finish times when node `x` alone finishes `d` later.

    Writes ``new[v]`` and ``stamp[v] = mark`` for every node whose finish
    changes, lists them in `changed` (in topological order) and returns how
    many there are; other nodes keep `finish`.
    """
    new[x] = finish[x] + d
    stamp[x] = mark
    changed[0] = x
    n_changed = 1
    size = 0
    for k in range(out_ptr[x], out_ptr[x + 1]):
        w = group_node[arc_group[out_arc[k]]]
        if queued[w] != mark:
            queued[w] = mark
            size = _push(heap, size, pos[w])
    while size:
        v = order[_pop(heap, size)]
        size -= 1
        r = 0.0
        for g in range(group_ptr[v], group_ptr[v + 1]):
            best = np.inf
            for a in range(arc_ptr[g], arc_ptr[g + 1]):
                u = arc_src[a]
                t = (new[u] if stamp[u] == mark else finish[u]) + lead[a]
                if t < best:
                    best = t
            if best > r:
                r = best
        f = (r if r > start[v] else start[v]) + work[v]
        if f == finish[v]:
            continue
        new[v] = f
        stamp[v] = mark
        changed[n_changed] = v
        n_changed += 1
        for k in range(out_ptr[v], out_ptr[v + 1]):
            w = group_node[arc_group[out_arc[k]]]
            if queued[w] != mark:
                queued[w] = mark
                size = _push(heap, size, pos[w])
    return n_changed


@kernel
def _single_customer(
    out_ptr: IntArray, out_arc: IntArray, group_node: IntArray, arc_group: IntArray, x: int
) -> int:
    """The one node all of x's gating out-arcs go to, or -1."""
    only = -1
    for k in range(out_ptr[x], out_ptr[x + 1]):
        w = group_node[arc_group[out_arc[k]]]
        if only < 0:
            only = w
        elif w != only:
            return -1
    return only


@kernel
def _through(
    w: int,
    x: int,
    group_ptr: IntArray,
    arc_ptr: IntArray,
    arc_src: IntArray,
    arc_group: IntArray,
    out_ptr: IntArray,
    out_arc: IntArray,
    start: FloatArray,
    lead: FloatArray,
    finish: FloatArray,
    latest_finish: FloatArray,
    work: FloatArray,
    tol: float,
) -> float:
    """The exact float of x when every gating arc of x goes to w, from w's exact float.

    x's delay d reaches the rest only through w's begin: a deliverable group
    of w holding an arc of x arrives at ``min(arrival + d, C)``, C the first
    other alternative; w begins later once that passes its begin, and a
    target moves once w begins more than its float later. So the float is
    ``begin(w) + float(w) - arrival``, the least over x's arcs whose group's
    other alternatives arrive after that level; ``inf`` if none does.
    """
    tf_w = latest_finish[w] - finish[w]
    if not tf_w < np.inf:
        return np.inf
    begin = finish[w] - work[w]
    level = begin + tf_w
    best = np.inf
    for k in range(out_ptr[x], out_ptr[x + 1]):
        a = out_arc[k]
        g = arc_group[a]
        cap = np.inf
        for b in range(arc_ptr[g], arc_ptr[g + 1]):
            if arc_src[b] != x:
                t = finish[arc_src[b]] + lead[b]
                if t < cap:
                    cap = t
        if le(cap, level, tol):
            continue  # another alternative arrives first: this arc cannot move w
        d = level - (finish[x] + lead[a])
        if d < best:
            best = d
    return max(best, 0.0)


@kernel
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
    scratch: IntArray,
    fscratch: FloatArray,
    flags: BoolArray,
) -> int:
    """Exact latest finish of every node against per-node targets `latest`.

    The edge-local rule (`backward`) first; then every node it may overstate
    (`may_reconverge`) is delayed by forward passes: the finish of a target
    is a non-decreasing function of the delay with slopes 0 and 1, so from a
    delay that overshoots a target, subtracting the largest overshoot never
    passes the threshold, and the first delay that meets every target lands
    exactly on it. A target already missed must get no later.

    `scratch` is (5, V) int64 (stamps, heap, queue stamps, changed list,
    goal marks); `fscratch` (2, V) floats; `flags` (3, A) booleans. Returns
    the number of nodes checked by forward passes.
    """
    backward(order, group_ptr, arc_ptr, arc_src, start, work, lead, finish, latest, tol, out)
    n = len(order)
    freed, reaches, fork = flags[0], flags[1, :n], flags[2, :n]
    reaches[:] = False
    fork[:] = False
    new, goal = fscratch[0], fscratch[1]
    new[:] = np.inf  # the least slack of the freed groups each node reaches
    todo = may_reconverge(
        order,
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
        out,
        tol,
        freed,
        reaches,
        fork,
        new,
    )
    if todo == 0:
        return 0
    stamp, heap, queued, changed = scratch[0], scratch[1], scratch[2], scratch[3]
    stamp[:] = -1
    queued[:] = -1
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
    mark = 0
    checked = 0
    for p in range(n - 1, -1, -1):  # customers first: their floats are final when needed
        x = order[p]
        if not fork[x]:
            continue
        tf = out[x] - finish[x]
        if tf < 0 or le(tf, 0.0, tol):
            continue  # already exact: no delay is free, or the target is missed anyway
        only = _single_customer(out_ptr, out_arc, group_node, arc_group, x)
        if only >= 0:
            via = _through(
                only,
                x,
                group_ptr,
                arc_ptr,
                arc_src,
                arc_group,
                out_ptr,
                out_arc,
                start,
                lead,
                finish,
                out,
                work,
                tol,
            )
            if finish[x] + via < out[x]:
                out[x] = finish[x] + via
            continue
        checked += 1
        unbounded = not tf < np.inf
        d = horizon - finish[x] if unbounded else tf
        best = d
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
                new,
                stamp,
                mark,
                heap,
                queued,
                changed,
            )
            excess = 0.0
            ok = True
            for j in range(n_changed):
                v = changed[j]
                if latest[v] < np.inf and not le(new[v], goal[v], tol):
                    ok = False
                    if new[v] - goal[v] > excess:
                        excess = new[v] - goal[v]
            if ok:
                best = np.inf if unbounded and step == 0 else d
                break
            d -= excess
        if finish[x] + best < out[x]:
            out[x] = finish[x] + best
    return checked
