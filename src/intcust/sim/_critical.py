"""Who is critical for whom in one scenario: the tight graph, compiled.

Node x is *critical* for a target t (an external customer, or the makespan)
when delaying x's work alone by a small δ > 0 moves t's finish by δ
(docs/timing.md). Write D(v) for the nodes whose small delay moves v. With
the scenario's *tight* graph (at each node the deliverable groups that arrive
last, ties included, and in each of them the alternatives that arrive
first, ties included; nothing when the node's own ``start`` holds it longer)

    D(v) = {v} ∪ ⋃_{binding g} ⋂_{tight a ∈ g} D(src(a)),

the failure rule of `intcust.metrics.single_points_of_failure` on the tight
graph: a delay moves v when it moves some binding deliverable, and a
deliverable only when it moves every first alternative.

`forward_top` (or `forward_four`, four scenarios at once) runs the forward
pass; `critical_targets` then sets bit k of ``mask[x]`` when x is critical
for target k. Where no critical node waits for a deliverable whose first
alternatives tie, each D-set grows by one supplier per binding deliverable,
so one reverse pass from the targets, looking only at the critical nodes'
suppliers, marks them all (`target_masks`, direct). Otherwise the recursion
is stored as a DAG M of lowest common ancestors first (`tie_masks`, with
`intcust.sim._tight`), and the reverse pass follows M.
`intcust.sim._scenarios.unit_moves` answers the same question for whole
units at once (every member delayed together), with one bit per unit.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

import numpy as np
from numba.cpython.unsafe.numbers import leading_zeros
from numpy.typing import NDArray

from intcust._jit import inner_kernel, kernel
from intcust.sim._passes import INF, le, node_forward
from intcust.sim._tight import new_scratch, tight_parents

FloatArray = NDArray[np.floating]
IntArray = NDArray[np.int64]
U64 = NDArray[np.uint64]

# count leading zeros (one instruction); typed for the checker, which cannot read
# numba's intrinsics
_clz: Callable[[int], int] = cast(Any, leading_zeros)


@inner_kernel
def forward_top(
    order: IntArray,
    group_ptr: IntArray,
    arc_ptr: IntArray,
    arc_src: IntArray,
    start: FloatArray,
    work: FloatArray,
    lead: FloatArray,
    ready: FloatArray,
    finish: FloatArray,
    arrival: FloatArray,
    g_top: IntArray,
    second: FloatArray,
) -> None:
    """The forward pass, storing per node what `node_forward` returns (for
    `tight_parents`); `forward_four` does the same for four scenarios at once."""
    for v in order:
        g_top[v], second[v] = node_forward(
            v, group_ptr, arc_ptr, arc_src, start, work, lead, ready, finish, arrival
        )


@inner_kernel
def forward_four(
    order: IntArray,
    group_ptr: IntArray,
    arc_ptr: IntArray,
    arc_src: IntArray,
    start: FloatArray,
    work: FloatArray,
    lead: FloatArray,
    ready: FloatArray,
    finish: FloatArray,
    g_top: IntArray,
    second: FloatArray,
) -> None:
    """`node_forward` of four scenarios at once (rows 0 to 3 of every array), storing
    what it returns per node and scenario for `tight_parents`, which recomputes the
    few group arrivals it reads. A pass is a chain of dependent loads: four chains
    in one loop run 1.5 times as fast as two on a project of 1,000 levels."""
    f0, f1, f2, f3 = finish[0], finish[1], finish[2], finish[3]
    l0, l1, l2, l3 = lead[0], lead[1], lead[2], lead[3]
    for v in order:
        top0 = top1 = top2 = top3 = -INF
        sec0 = sec1 = sec2 = sec3 = -INF
        gt0 = gt1 = gt2 = gt3 = -1
        for g in range(group_ptr[v], group_ptr[v + 1]):
            a0 = arc_ptr[g]
            u = arc_src[a0]
            b0, b1, b2, b3 = f0[u] + l0[a0], f1[u] + l1[a0], f2[u] + l2[a0], f3[u] + l3[a0]
            for a in range(a0 + 1, arc_ptr[g + 1]):
                u = arc_src[a]
                b0 = min(b0, f0[u] + l0[a])
                b1 = min(b1, f1[u] + l1[a])
                b2 = min(b2, f2[u] + l2[a])
                b3 = min(b3, f3[u] + l3[a])
            sec0, sec1 = max(sec0, min(top0, b0)), max(sec1, min(top1, b1))
            sec2, sec3 = max(sec2, min(top2, b2)), max(sec3, min(top3, b3))
            gt0, gt1 = (g if b0 > top0 else gt0), (g if b1 > top1 else gt1)
            gt2, gt3 = (g if b2 > top2 else gt2), (g if b3 > top3 else gt3)
            top0, top1, top2, top3 = max(top0, b0), max(top1, b1), max(top2, b2), max(top3, b3)
        r0, r1, r2, r3 = max(top0, 0.0), max(top1, 0.0), max(top2, 0.0), max(top3, 0.0)
        ready[0, v], ready[1, v], ready[2, v], ready[3, v] = r0, r1, r2, r3
        f0[v] = max(r0, start[v]) + work[0, v]
        f1[v] = max(r1, start[v]) + work[1, v]
        f2[v] = max(r2, start[v]) + work[2, v]
        f3[v] = max(r3, start[v]) + work[3, v]
        g_top[0, v], g_top[1, v], g_top[2, v], g_top[3, v] = gt0, gt1, gt2, gt3
        second[0, v], second[1, v], second[2, v], second[3, v] = sec0, sec1, sec2, sec3


@inner_kernel
def target_masks(
    order: IntArray,
    pos: IntArray,
    group_ptr: IntArray,
    arc_ptr: IntArray,
    arc_src: IntArray,
    start: FloatArray,
    lead: FloatArray,
    ready: FloatArray,
    finish: FloatArray,
    g_top: IntArray,
    second: FloatArray,
    tol: float,
    par_ptr: IntArray,
    par: IntArray,
    through_m: bool | None,
    customers: IntArray,
    ends: IntArray,
    makespan: float,
    mask: U64,
    pending: IntArray,
    live: IntArray,
) -> int:
    """``mask[x]`` (shape (V, W), zero on entry) gets bit k when x is critical
    for target k: the `customers` in order, then the makespan (bit
    ``len(customers)``), reached through the `ends` that finish last. One
    reverse pass from the targets, which visits only the critical nodes:
    returns their number n, and they are ``live[:n]``, latest first (the
    rows of `mask` that are not zero).

    `pending` has a bit per position in `order` (64 to a word, zero on
    entry and on return): the critical nodes not yet visited. A node passes its bits
    only to suppliers, which come earlier in `order`, so one sweep from
    the last position down visits each critical node once, after every
    node it supplies.

    With `through_m` None (the direct pass; numba then compiles nothing
    else), each critical node passes its bits to the one first supplier of
    each binding deliverable, so only the critical nodes' suppliers are
    looked at; at the first critical node whose first alternatives tie, it
    zeroes `mask` and `pending` and returns -1. With `through_m` True, the
    bits go to the parents in M (`tight_parents`).
    """
    words = mask.shape[1]
    for k in range(len(customers)):
        x = customers[k]
        mask[x, k >> 6] |= np.uint64(1) << np.uint64(k & 63)
        pending[pos[x] >> 6] |= 1 << (pos[x] & 63)
    k = len(customers)
    for x in ends:
        if le(makespan, finish[x], tol):
            mask[x, k >> 6] |= np.uint64(1) << np.uint64(k & 63)
            pending[pos[x] >> 6] |= 1 << (pos[x] & 63)
    n = 0
    for i in range(len(pending) - 1, -1, -1):
        while pending[i]:
            b = 63 - _clz(pending[i])  # the latest pending position
            pending[i] ^= 1 << b
            p = i * 64 + b
            v = order[p]
            live[n] = v
            n += 1
            if through_m is not None:  # a constant to numba
                for j in range(par_ptr[p], par_ptr[p + 1]):
                    q = par[j]
                    for w in range(words):
                        mask[q, w] |= mask[v, w]
                    pending[pos[q] >> 6] |= 1 << (pos[q] & 63)
                continue
            r = ready[v]
            if g_top[v] < 0 or not le(start[v], r, tol):
                continue  # no supplier, or its own start holds it
            g_lo, g_hi = g_top[v], g_top[v] + 1  # the binding groups, as in `tight_parents`
            if le(r, second[v], tol):
                g_lo, g_hi = group_ptr[v], group_ptr[v + 1]
            for g in range(g_lo, g_hi):
                arr = finish[arc_src[arc_ptr[g]]] + lead[arc_ptr[g]]
                for a in range(arc_ptr[g] + 1, arc_ptr[g + 1]):
                    arr = min(arr, finish[arc_src[a]] + lead[a])
                if not le(r, arr, tol):
                    continue
                q = -1
                for a in range(arc_ptr[g], arc_ptr[g + 1]):
                    if le(finish[arc_src[a]] + lead[a], arr, tol):
                        if q >= 0:  # first alternatives tie: clear every mark
                            for x in range(mask.shape[0]):
                                for w in range(words):
                                    mask[x, w] = 0
                            for j in range(len(pending)):
                                pending[j] = 0
                            return -1
                        q = arc_src[a]
                for w in range(words):
                    mask[q, w] |= mask[v, w]
                pending[pos[q] >> 6] |= 1 << (pos[q] & 63)
    return n


@inner_kernel
def tie_masks(
    order: IntArray,
    pos: IntArray,
    group_ptr: IntArray,
    arc_ptr: IntArray,
    arc_src: IntArray,
    start: FloatArray,
    lead: FloatArray,
    ready: FloatArray,
    finish: FloatArray,
    g_top: IntArray,
    second: FloatArray,
    tol: float,
    customers: IntArray,
    ends: IntArray,
    makespan: float,
    par_ptr: IntArray,
    par: IntArray,
    scratch: IntArray,
    mask: U64,
    pending: IntArray,
    live: IntArray,
) -> tuple[IntArray, int]:
    """`target_masks` through M, for a scenario in which the direct pass met a tie.

    `par_ptr`, `par` and `scratch` are `tight_parents`' buffers; returns
    `par` (or a larger one when ties needed more room) and the number of
    critical nodes, as `target_masks` does.
    """
    while True:
        used = tight_parents(
            order, pos, group_ptr, arc_ptr, arc_src, start, lead, ready, finish, g_top, second,
            tol, par_ptr, par, scratch,
        )  # fmt: skip
        if used >= 0:
            break
        par = np.empty((1, 2 * len(par)), dtype=np.int64)[0]  # ties added parents: more room
    n = target_masks(
        order, pos, group_ptr, arc_ptr, arc_src, start, lead, ready, finish, g_top, second, tol,
        par_ptr, par, True, customers, ends, makespan, mask, pending, live,
    )  # fmt: skip
    return par, n


@inner_kernel
def critical_targets(
    order: IntArray,
    pos: IntArray,
    group_ptr: IntArray,
    arc_ptr: IntArray,
    arc_src: IntArray,
    start: FloatArray,
    lead: FloatArray,
    ready: FloatArray,
    finish: FloatArray,
    g_top: IntArray,
    second: FloatArray,
    tol: float,
    customers: IntArray,
    ends: IntArray,
    makespan: float,
    par_ptr: IntArray,
    par: IntArray,
    scratch: IntArray,
    mask: U64,
    pending: IntArray,
    live: IntArray,
) -> IntArray:
    """``mask[x]`` (zero on entry) gets bit k when x is critical for target k, after
    `forward_top` or `forward_four` (one scenario's rows): by the direct pass
    of `target_masks`, or through M (`tie_masks`) when a critical node's
    first alternatives tie. Returns `par` as `tie_masks` does."""
    n = target_masks(
        order, pos, group_ptr, arc_ptr, arc_src, start, lead, ready, finish, g_top, second, tol,
        par_ptr, par, None, customers, ends, makespan, mask, pending, live,
    )  # fmt: skip
    if n >= 0:
        return par
    return tie_masks(
        order, pos, group_ptr, arc_ptr, arc_src, start, lead, ready, finish, g_top, second, tol,
        customers, ends, makespan, par_ptr, par, scratch, mask, pending, live,
    )[0]  # fmt: skip


@kernel
def critical_bits(
    order: IntArray,
    pos: IntArray,
    group_ptr: IntArray,
    arc_ptr: IntArray,
    arc_src: IntArray,
    start: FloatArray,
    work: FloatArray,
    lead: FloatArray,
    tol: float,
    targets: IntArray,
    ends: IntArray,
    mask: U64,
) -> None:
    """``mask[x]`` (shape (V, W), zero on entry) gets bit k when x is critical for
    target k, for one set of durations (`lead` by arc): the `targets`, then
    the makespan (the latest of `ends`)."""
    V = len(start)
    ready = np.empty(V, dtype=work.dtype)
    finish = np.empty(V, dtype=work.dtype)
    arrival = np.empty(max(len(arc_ptr) - 1, 1), dtype=work.dtype)
    g_top = np.empty(V, dtype=np.int64)
    second = np.empty(V, dtype=work.dtype)
    forward_top(
        order,
        group_ptr,
        arc_ptr,
        arc_src,
        start,
        work,
        lead,
        ready,
        finish,
        arrival,
        g_top,
        second,
    )
    makespan = 0.0
    for e in ends:
        makespan = max(makespan, float(finish[e]))
    par_ptr = np.zeros(V + 1, dtype=np.int64)
    par = np.empty(max(len(arc_ptr) - 1, 1), dtype=np.int64)
    critical_targets(
        order, pos, group_ptr, arc_ptr, arc_src, start, lead, ready, finish, g_top, second, tol,
        targets, ends, makespan, par_ptr, par, new_scratch(V), mask,
        np.zeros((V + 63) // 64, dtype=np.int64), np.empty(V, dtype=np.int64),
    )  # fmt: skip
