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

`tight_parents` stores this recursion as a DAG M on the nodes in which every
D(v) is the set of M-ancestors of v: one parent per binding group with one
tight arc, and for a group whose first alternatives tie, the lowest common
M-ancestors of those alternatives (their common ancestors form an upward
closed set, whose lowest members stand for it). `target_masks` then marks,
in one reverse pass, every ancestor of every target: bit k of ``mask[x]``
says x is critical for target k. `unit_moves` answers the same question for
whole units at once (every member delayed together), with one bit per unit.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from intcust._jit import kernel
from intcust.sim._passes import le

FloatArray = NDArray[np.floating]
IntArray = NDArray[np.int64]
U64 = NDArray[np.uint64]


@kernel
def _grow(buf: IntArray, need: int) -> IntArray:
    out = np.empty(max(2 * len(buf), need), dtype=np.int64)
    out[: len(buf)] = buf
    return out


@kernel
def tight_parents(
    order: IntArray,
    pos: IntArray,
    group_ptr: IntArray,
    arc_ptr: IntArray,
    arc_row: IntArray,
    arc_src: IntArray,
    start: FloatArray,
    lead: FloatArray,
    ready: FloatArray,
    finish: FloatArray,
    arrival: FloatArray,
    tol: float,
    par_ptr: IntArray,
    par: IntArray,
    scratch: IntArray,
) -> IntArray:
    """The parents of every node in M, by topological position (``par_ptr``).

    `scratch` has shape (6, V): DFS stack, visit stamps, count stamps,
    counts, members and lowest-member stamps. Returns the parent buffer,
    grown if it had to be.
    """
    stack, visit, cstamp, count, members, notlow = (
        scratch[0],
        scratch[1],
        scratch[2],
        scratch[3],
        scratch[4],
        scratch[5],
    )
    visit[:] = -1
    cstamp[:] = -1
    notlow[:] = -1
    walk = 0
    used = 0
    for p in range(len(order)):
        v = order[p]
        par_ptr[p] = used
        if group_ptr[v] == group_ptr[v + 1] or not le(start[v], ready[v], tol):
            continue
        for g in range(group_ptr[v], group_ptr[v + 1]):
            if not le(ready[v], arrival[g], tol):
                continue
            k = 0
            first = -1
            for a in range(arc_ptr[g], arc_ptr[g + 1]):
                if le(finish[arc_src[a]] + lead[arc_row[a]], arrival[g], tol):
                    k += 1
                    first = arc_src[a]
            if k == 1:
                if used + 1 > len(par):
                    par = _grow(par, used + 1)
                par[used] = first
                used += 1
                continue
            # alternatives tie: the lowest common M-ancestors of the first ones
            tie = walk  # a stamp of its own for this group
            n_members = 0
            i = 0
            for a in range(arc_ptr[g], arc_ptr[g + 1]):
                if not le(finish[arc_src[a]] + lead[arc_row[a]], arrival[g], tol):
                    continue
                walk += 1
                top = 0
                stack[top] = arc_src[a]
                top += 1
                visit[arc_src[a]] = walk
                while top:
                    top -= 1
                    y = stack[top]
                    if cstamp[y] != tie:
                        cstamp[y] = tie
                        count[y] = 0
                        if i == 0:
                            members[n_members] = y
                            n_members += 1
                    count[y] += 1
                    q0 = pos[y]
                    for j in range(par_ptr[q0], par_ptr[q0 + 1]):
                        z = par[j]
                        if visit[z] != walk:
                            visit[z] = walk
                            stack[top] = z
                            top += 1
                i += 1
            for j in range(n_members):
                y = members[j]
                if count[y] != k:
                    continue
                q0 = pos[y]
                for t in range(par_ptr[q0], par_ptr[q0 + 1]):
                    notlow[par[t]] = tie
            for j in range(n_members):
                y = members[j]
                if count[y] == k and notlow[y] != tie:
                    if used + 1 > len(par):
                        par = _grow(par, used + 1)
                    par[used] = y
                    used += 1
            walk += 1
        par_ptr[p + 1] = used
    par_ptr[len(order)] = used
    return par


@kernel
def target_masks(
    order: IntArray,
    par_ptr: IntArray,
    par: IntArray,
    customers: IntArray,
    ends: IntArray,
    finish: FloatArray,
    makespan: float,
    tol: float,
    mask: U64,
) -> None:
    """``mask[x]`` (shape (V, W)) gets bit k when x is critical for target k.

    Targets are the `customers` in order, then the makespan (bit
    ``len(customers)``), reached through the `ends` that finish last.
    """
    mask[:] = 0
    for k in range(len(customers)):
        mask[customers[k], k >> 6] |= np.uint64(1) << np.uint64(k & 63)
    k = len(customers)
    for e in ends:
        if le(makespan, finish[e], tol):
            mask[e, k >> 6] |= np.uint64(1) << np.uint64(k & 63)
    words = mask.shape[1]
    for p in range(len(order) - 1, -1, -1):
        v = order[p]
        live = False
        for w in range(words):
            if mask[v, w]:
                live = True
        if not live:
            continue
        for j in range(par_ptr[p], par_ptr[p + 1]):
            q = par[j]
            for w in range(words):
                mask[q, w] |= mask[v, w]


@kernel
def unit_moves(
    order: IntArray,
    group_ptr: IntArray,
    arc_ptr: IntArray,
    arc_row: IntArray,
    arc_src: IntArray,
    start: FloatArray,
    lead: FloatArray,
    ready: FloatArray,
    finish: FloatArray,
    arrival: FloatArray,
    tol: float,
    unit: IntArray,
    moved: U64,
    tmp: U64,
) -> None:
    """``moved[v]`` (shape (V, W)) gets bit u when delaying every member of unit u moves v."""
    words = moved.shape[1]
    ones = ~np.uint64(0)
    for v in order:
        for w in range(words):
            moved[v, w] = 0
        if unit[v] >= 0:
            moved[v, unit[v] >> 6] |= np.uint64(1) << np.uint64(unit[v] & 63)
        if group_ptr[v] == group_ptr[v + 1] or not le(start[v], ready[v], tol):
            continue
        for g in range(group_ptr[v], group_ptr[v + 1]):
            if not le(ready[v], arrival[g], tol):
                continue
            for w in range(words):
                tmp[w] = ones
            for a in range(arc_ptr[g], arc_ptr[g + 1]):
                if le(finish[arc_src[a]] + lead[arc_row[a]], arrival[g], tol):
                    for w in range(words):
                        tmp[w] &= moved[arc_src[a], w]
            for w in range(words):
                moved[v, w] |= tmp[w]
