"""Finite delays of one node, exactly, on the part of the organisation they reach.

`delayed` reruns the forward pass with one node finishing `d` later, but
only over the nodes whose finish changes: a delay absorbed by float or by an
alternative supplier costs nothing further. `exact_latest` uses it to make
the edge-local latest finish of `intcust.sim._passes.backward` exact where a
delay may reach two alternatives of one deliverable (docs/timing.md), in
three steps that callers with a thread pool can run apart: `plan_checks`,
`run_checks` on ranges of the nodes it lists, then `settle`.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from intcust._jit import inline_kernel, kernel
from intcust.sim._passes import backward, copy_into, le, may_reconverge

FloatArray = NDArray[np.floating]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]

#: Descent steps per node at most; each lands on a breakpoint of a piecewise
#: linear function, so far fewer are ever needed.
MAX_STEPS = 10_000

#: `delayed` recomputes every later position in order once the nodes waiting
#: in its heap are more than one per `SWEEP_EVERY` positions left: a node
#: through the heap costs about as much as that many positions swept.
SWEEP_EVERY = 12


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
    cur: FloatArray,
    mark: int,
    scratch: IntArray,
) -> int:
    """Finish times when node `x` alone finishes `d` later.

    `cur` holds `finish` on entry; the pass writes the new finish of every
    node that changes into it and lists those nodes in ``scratch[2]`` (in
    topological order), returning how many there are: the caller reads
    them, then puts `finish` back with `restore`. ``scratch[0]`` is the heap,
    ``scratch[1]`` the queue stamps (``mark`` differs from every earlier
    call on the same scratch).

    Nodes to recompute wait in a heap of topological positions while the
    delay spreads thinly; once it is wide (`SWEEP_EVERY`) every later
    position is recomputed in order instead. Either way every node is
    recomputed after its suppliers.
    """
    heap, queued, changed = scratch[0], scratch[1], scratch[2]
    n = len(order)
    cur[x] = finish[x] + d
    changed[0] = x
    # counters start as int64, not literal ints: a call with a literal argument
    # compiles the callee once more
    n_changed = int(np.int64(1))
    size = int(np.int64(0))
    v = x
    while v >= 0:  # v's finish changed: queue its customers
        if (size + out_ptr[v + 1] - out_ptr[v]) * SWEEP_EVERY >= n - pos[v]:
            return _sweep(
                pos[v] + 1,
                order,
                group_ptr,
                arc_ptr,
                arc_src,
                start,
                work,
                lead,
                finish,
                cur,
                changed,
                n_changed,
            )
        for k in range(out_ptr[v], out_ptr[v + 1]):
            w = group_node[arc_group[out_arc[k]]]
            if queued[w] != mark:
                queued[w] = mark
                size = _push(heap, size, pos[w])
        v = -1
        while size:  # the next node whose finish changes
            u = order[_pop(heap, size)]
            size -= 1
            f = _node_finish(u, group_ptr, arc_ptr, arc_src, start, work, lead, cur)
            if f != finish[u]:
                cur[u] = f
                changed[n_changed] = u
                n_changed += 1
                v = u
                break
    return n_changed


@kernel
def _sweep(
    p: int,
    order: IntArray,
    group_ptr: IntArray,
    arc_ptr: IntArray,
    arc_src: IntArray,
    start: FloatArray,
    work: FloatArray,
    lead: FloatArray,
    finish: FloatArray,
    cur: FloatArray,
    changed: IntArray,
    n_changed: int,
) -> int:
    """`delayed` from position `p` on: every node recomputed in order."""
    for q in range(p, len(order)):
        u = order[q]
        f = _node_finish(u, group_ptr, arc_ptr, arc_src, start, work, lead, cur)
        cur[u] = f
        changed[n_changed] = u
        n_changed += f != finish[u]
    return n_changed


@inline_kernel
def _node_finish(
    v: int,
    group_ptr: IntArray,
    arc_ptr: IntArray,
    arc_src: IntArray,
    start: FloatArray,
    work: FloatArray,
    lead: FloatArray,
    finish: FloatArray,
) -> float:
    """v's finish from its suppliers' `finish`: min and max, not branches, as in the
    forward pass (`intcust.sim._passes.node_forward`), so an unchanged node gets
    the very same number."""
    r = 0.0
    for g in range(group_ptr[v], group_ptr[v + 1]):
        a0 = arc_ptr[g]
        best = finish[arc_src[a0]] + lead[a0]
        for a in range(a0 + 1, arc_ptr[g + 1]):
            best = min(best, finish[arc_src[a]] + lead[a])
        r = max(r, best)
    return float(max(r, start[v]) + work[v])


@kernel
def restore(cur: FloatArray, finish: FloatArray, changed: IntArray, n_changed: int) -> None:
    """Undo a `delayed` pass: ``cur[v] = finish[v]`` for the nodes it changed."""
    for j in range(n_changed):
        cur[changed[j]] = finish[changed[j]]


@kernel
def delayed_rows(
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
    nodes: IntArray,
    d: float,
    observe: IntArray,
    out: FloatArray,
    lo: int,
    hi: int,
) -> None:
    """``out[i, j]``: the finish of ``observe[j]`` when ``nodes[i]`` alone is `d` late,
    for ``lo <= i < hi`` (a range owns its scratch: ranges run in parallel)."""
    n = len(order)
    cur = np.empty(n, dtype=finish.dtype)
    copy_into(cur, finish)
    scratch = np.empty((3, max(n, 1)), dtype=np.int64)
    scratch[1, :] = -1
    for i in range(lo, hi):
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
            nodes[i],
            d,
            cur,
            i,
            scratch,
        )
        for j in range(len(observe)):
            out[i, j] = cur[observe[j]]
        restore(cur, finish, scratch[2], n_changed)


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
    todo: IntArray,
) -> tuple[int, float]:
    """The nodes whose edge-local latest finish `out` must be checked by forward passes.

    `out` holds the edge-local latest finish against `latest`. Lists in
    `todo` the nodes the edge-local rule may overstate (`may_reconverge`)
    whose delay can move a target, but for those all of whose gating arcs go
    to one node (`settle`); returns how many, and a delay from beyond every
    time. Fills `goal`, the finish every target must keep (its `latest`, or
    its finish if that is missed already). `flags` is (3, V) booleans, read
    again by `settle`.
    """
    n = len(order)
    reaches, fork, hit = flags[0], flags[1], flags[2]
    for v in range(n):
        reaches[v] = fork[v] = hit[v] = False
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
            reaches,
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


@kernel
def settle(
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
    tol: float,
    out: FloatArray,
    flags: BoolArray,
) -> None:
    """Last step: every node `plan_checks` left out for having one customer takes its
    exact float from that customer's (`_through`), customers first."""
    fork = flags[1]
    for p in range(len(order) - 1, -1, -1):
        x = order[p]
        if not fork[x]:
            continue
        only = _single_customer(out_ptr, out_arc, group_node, arc_group, x)
        if only < 0:
            continue
        tf = out[x] - finish[x]
        if tf < 0 or le(tf, 0.0, tol):
            continue
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
    goal: FloatArray,
    flags: BoolArray,
    todo: IntArray,
) -> int:
    """Exact latest finish of every node against per-node targets `latest`.

    The edge-local rule (`backward`), then `plan_checks`, `run_checks` and
    `settle` in one thread. `goal` is (V,) floats, `flags` (3, V) booleans,
    `todo` (V,) int64. Returns the number of nodes checked by
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
    count, horizon = plan_checks(*plan, *durations, latest, tol, out, goal, flags, todo)
    if count:
        run_checks(
            order, pos, *plan[1:], *durations, latest, tol, out, goal, todo, horizon, 0, count
        )
    settle(*plan, *durations, tol, out, flags)
    return count
