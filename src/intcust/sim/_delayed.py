"""One node's finite delay, exactly, on the part of the organisation it reaches.

`delayed` reruns the forward pass with one node finishing `d` later, but
only over the nodes whose finish changes: a delay absorbed by float or by an
alternative supplier costs nothing further; `restore` undoes the pass.
`delayed_rows` runs it for many nodes, a range of them per thread
(`intcust.sim._engine.delayed_finish`); `intcust.sim._exact` runs it to make
latest finishes exact.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from intcust._jit import inline_kernel, inner_kernel, kernel
from intcust.sim._passes import copy_into

FloatArray = NDArray[np.floating]
IntArray = NDArray[np.int64]

#: `delayed` recomputes every later position in order once the nodes waiting
#: in its heap are more than one per `SWEEP_EVERY` positions left: a node
#: through the heap costs about as much as that many positions swept.
SWEEP_EVERY = 12


@inner_kernel
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


@inner_kernel
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


@inner_kernel
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


@inner_kernel
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
