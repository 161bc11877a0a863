"""The tight graph M of one scenario, for deliverables whose first alternatives tie.

`tight_parents` stores the recursion of `intcust.sim._critical` as a DAG M
on the nodes in which every D(v) is the set of M-ancestors of v: one parent
per binding group with one tight arc, and for a group whose first
alternatives tie, the lowest common M-ancestors of those alternatives
(their common ancestors form an upward closed set, whose lowest members
stand for it; `_tie_parents`). `intcust.sim._critical.target_masks` then
marks, in one reverse pass, every ancestor of every target; the kernels
build M only for a scenario in which some critical node waits for such a
tie (`intcust.sim._critical.tie_masks`).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from intcust._jit import inline_kernel, inner_kernel, kernel
from intcust.sim._passes import le

FloatArray = NDArray[np.floating]
IntArray = NDArray[np.int64]
U64 = NDArray[np.uint64]


@inner_kernel
def _tie_parents(
    g: int,
    k: int,
    pos: IntArray,
    arc_ptr: IntArray,
    arc_src: IntArray,
    lead: FloatArray,
    finish: FloatArray,
    arr: float,
    tol: float,
    par_ptr: IntArray,
    par: IntArray,
    used: int,
    scratch: IntArray,
) -> int:
    """Append the lowest common M-ancestors of the `k` first alternatives of group g,
    which arrives at `arr`.

    A DFS over M from each first alternative counts, per node, how many of
    them it is an ancestor of (itself included); the nodes counted k times
    form an upward closed set, whose lowest members (no child in the set)
    stand for it. `scratch` rows: 0 stack, 1 visit stamps, 2 count stamps,
    3 counts, 4 members, 5 not-lowest stamps; ``scratch[6, 0]`` is the last
    stamp used (stamps only grow, so nothing is ever reset). Returns the new
    number of parents stored, or -1 when `par` has no room left.
    """
    scratch[6, 0] += 1
    tie = scratch[6, 0]
    n_members = 0
    i = 0
    for a in range(arc_ptr[g], arc_ptr[g + 1]):
        if not le(finish[arc_src[a]] + lead[a], arr, tol):
            continue
        scratch[6, 0] += 1
        walk = scratch[6, 0]
        top = 1
        scratch[0, 0] = arc_src[a]
        scratch[1, arc_src[a]] = walk
        while top:
            top -= 1
            y = scratch[0, top]
            if scratch[2, y] != tie:
                scratch[2, y] = tie
                scratch[3, y] = 0
                if i == 0:
                    scratch[4, n_members] = y
                    n_members += 1
            scratch[3, y] += 1
            q = pos[y]
            for j in range(par_ptr[q], par_ptr[q + 1]):
                z = par[j]
                if scratch[1, z] != walk:
                    scratch[1, z] = walk
                    scratch[0, top] = z
                    top += 1
        i += 1
    for j in range(n_members):
        y = scratch[4, j]
        if scratch[3, y] == k:
            q = pos[y]
            for t in range(par_ptr[q], par_ptr[q + 1]):
                scratch[5, par[t]] = tie
    for j in range(n_members):
        y = scratch[4, j]
        if scratch[3, y] == k and scratch[5, y] != tie:
            if used >= len(par):
                return -1
            par[used] = y
            used += 1
    return used


@kernel
def new_scratch(n: int) -> IntArray:
    """Scratch for `tight_parents` on `n` nodes (stamps start below any stamp used)."""
    scratch = np.empty((7, max(n, 1)), dtype=np.int64)
    for i in range(7):
        for j in range(scratch.shape[1]):
            scratch[i, j] = -1
    scratch[6, 0] = 0
    return scratch


@inline_kernel
def tight_parents(
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
    scratch: IntArray,
) -> int:
    """The parents in M of every node, after `forward_top` or `forward_four`.

    `g_top` and `second` are, per node, the group that arrives last and the
    second latest arrival. Returns the number of parents stored, or -1 when
    `par` was too small (ties can add more parents than there are groups):
    call again with a larger one. The buffer is never reallocated here,
    which keeps the loop free of reference counting.
    """
    par_ptr[0] = 0
    used = int(np.int64(0))  # int64: a literal would compile `_tie_parents` twice
    for p in range(len(order)):
        v = order[p]
        r = ready[v]
        if g_top[v] < 0 or not le(start[v], r, tol):
            par_ptr[p + 1] = used  # no supplier, or its own start holds it longer
            continue
        # binding groups: those within the tolerance of the last; `le` grows with its
        # second argument, so when the second latest is clearly earlier, only the last binds
        g_lo, g_hi = g_top[v], g_top[v] + 1
        if le(r, second[v], tol):
            g_lo, g_hi = group_ptr[v], group_ptr[v + 1]
        for g in range(g_lo, g_hi):
            # the group's arrival as the forward pass computed it, bit for bit
            arr = finish[arc_src[arc_ptr[g]]] + lead[arc_ptr[g]]
            for a in range(arc_ptr[g] + 1, arc_ptr[g + 1]):
                arr = min(arr, finish[arc_src[a]] + lead[a])
            if not le(r, arr, tol):
                continue  # not a deliverable that arrives last
            k = 0
            first = -1
            if arc_ptr[g + 1] - arc_ptr[g] == 1:  # one supplier: it arrived first
                k = 1
                first = arc_src[arc_ptr[g]]
            else:
                for a in range(arc_ptr[g], arc_ptr[g + 1]):
                    if le(finish[arc_src[a]] + lead[a], arr, tol):
                        k += 1
                        first = arc_src[a]
            if k == 1:
                if used >= len(par):
                    return -1
                par[used] = first
                used += 1
            else:
                par_ptr[p + 1] = used
                used = _tie_parents(
                    g, k, pos, arc_ptr, arc_src, lead, finish, arr, tol, par_ptr, par, used,
                    scratch,
                )  # fmt: skip
                if used < 0:
                    return -1
        par_ptr[p + 1] = used
    return used
