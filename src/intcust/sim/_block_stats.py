"""Monte Carlo statistics straight from the scenarios, block by block, compiled.

`simulate_blocks` runs whole blocks of scenarios (ranges of blocks run in
parallel threads) and folds each scenario into its block's per-node sums as
soon as it is simulated, so no scenarios × nodes array is ever stored: the
critical counts and stall per target, the finish sums, and the running
mean, sum of squared deviations and co-moment with the makespan of every
node's work (Welford's update, in scenario order). `significance_blocks` adds
the significance sums, with the exact total float, when a run asks for them.
Every block is summed by one thread in scenario order, and blocks are
combined in block order (`intcust.sim._sampling.Reducer`), so no number
depends on the thread count or the chunk size.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from intcust._jit import kernel
from intcust.sim._critical import forward_tight, new_scratch, target_masks
from intcust.sim._exact import exact_latest
from intcust.sim._passes import forward
from intcust.sim._scenarios import _durations

FloatArray = NDArray[np.floating]
IntArray = NDArray[np.int64]
U64 = NDArray[np.uint64]


@kernel
def simulate_blocks(
    order: IntArray,
    pos: IntArray,
    group_ptr: IntArray,
    arc_ptr: IntArray,
    arc_src: IntArray,
    start: FloatArray,
    w_fixed: FloatArray,
    w_random: IntArray,
    w_kind_ptr: IntArray,
    w_param: FloatArray,
    w_cheng: FloatArray,
    w_pool: FloatArray,
    l_fixed: FloatArray,
    l_random: IntArray,
    l_kind_ptr: IntArray,
    l_param: FloatArray,
    l_cheng: FloatArray,
    l_pool: FloatArray,
    given_work: FloatArray,
    given_lead: FloatArray,
    key: np.uint64,
    first: int,
    customers: IntArray,
    ends: IntArray,
    tol: float,
    block_start: IntArray,
    count: IntArray,
    stall: NDArray[np.float64],
    sums: NDArray[np.float64],
    t_stats: NDArray[np.float64],
    out_customers: NDArray[np.float64],
    out_makespan: NDArray[np.float64],
    b_lo: int,
    b_hi: int,
) -> None:
    """Simulate blocks ``b_lo .. b_hi - 1`` (rows ``block_start[b]:block_start[b + 1]``).

    Per block b and node x: ``count[b, x, k]`` scenarios in which x is
    critical for target k (the customers, then the makespan) and
    ``stall[b, x, k]`` the sum of x's work over them; ``sums[:, b, x]``:
    finish sum, mean work, squared deviations of work, co-moment of work
    with the makespan, least and largest work; ``t_stats[:, b]``: mean,
    squared deviations, least and largest makespan. Each scenario's
    customer finishes and makespan go to its row.
    """
    V = len(start)
    n_groups = len(arc_ptr) - 1
    n_targets = count.shape[2]
    words = (n_targets + 63) // 64
    dtype = start.dtype  # the engine's dtype
    w = w_fixed.astype(dtype)
    ld = l_fixed.astype(dtype)
    ready = np.empty(V, dtype=dtype)
    finish = np.empty(V, dtype=dtype)
    arrival = np.empty(max(n_groups, 1), dtype=dtype)
    par_ptr = np.zeros(V + 1, dtype=np.int64)
    par = np.empty(max(n_groups, 1), dtype=np.int64)
    scratch = new_scratch(V)
    mask = np.zeros((V, words), dtype=np.uint64)
    state = np.empty(4, dtype=np.uint64)
    for b in range(b_lo, b_hi):
        mean_t = 0.0
        for s in range(block_start[b], block_start[b + 1]):
            n = s - block_start[b] + 1  # scenarios of the block so far, this one included
            inv_n = 1.0 / n
            _durations(
                s, w_fixed, w_random, w_kind_ptr, w_param, w_cheng, w_pool, l_fixed,
                l_random, l_kind_ptr, l_param, l_cheng, l_pool, given_work, given_lead,
                key, first, state, w, ld,
            )  # fmt: skip
            while True:
                used = forward_tight(
                    order, pos, group_ptr, arc_ptr, arc_src, start, w, ld, ready, finish,
                    arrival, tol, par_ptr, par, scratch,
                )  # fmt: skip
                if used >= 0:
                    break
                par = np.empty(2 * len(par), dtype=np.int64)  # ties added parents: more room
            span = 0.0
            for e in ends:
                if finish[e] > span:
                    span = finish[e]
            target_masks(order, par_ptr, par, customers, ends, finish, span, tol, mask)
            for k in range(len(customers)):
                out_customers[s, k] = finish[customers[k]]
            out_makespan[s] = span
            # Welford's update of means, squared deviations and the co-moment
            dt = span - mean_t
            mean_t += dt * inv_n
            t_stats[1, b] += dt * (span - mean_t)
            if n == 1:
                t_stats[2, b] = span
                t_stats[3, b] = span
            t_stats[2, b] = min(t_stats[2, b], span)
            t_stats[3, b] = max(t_stats[3, b], span)
            for x in range(V):
                wx = float(w[x])
                sums[0, b, x] += finish[x]
                dw = wx - sums[1, b, x]
                sums[1, b, x] += dw * inv_n
                sums[2, b, x] += dw * (wx - sums[1, b, x])
                sums[3, b, x] += dw * (span - mean_t)
                if n == 1:
                    sums[4, b, x] = wx
                    sums[5, b, x] = wx
                sums[4, b, x] = min(sums[4, b, x], wx)
                sums[5, b, x] = max(sums[5, b, x], wx)
                for word in range(words):
                    bits = mask[x, word]
                    if bits:
                        for j in range(64):
                            if (bits >> np.uint64(j)) & np.uint64(1):
                                k = word * 64 + j
                                count[b, x, k] += 1
                                stall[b, x, k] += wx
        t_stats[0, b] = mean_t


@kernel
def significance_blocks(
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
    w_fixed: FloatArray,
    w_random: IntArray,
    w_kind_ptr: IntArray,
    w_param: FloatArray,
    w_cheng: FloatArray,
    w_pool: FloatArray,
    l_fixed: FloatArray,
    l_random: IntArray,
    l_kind_ptr: IntArray,
    l_param: FloatArray,
    l_cheng: FloatArray,
    l_pool: FloatArray,
    given_work: FloatArray,
    given_lead: FloatArray,
    key: np.uint64,
    first: int,
    ends: IntArray,
    tol: float,
    block_start: IntArray,
    significance: NDArray[np.float64],
    b_lo: int,
    b_hi: int,
) -> None:
    """``significance[b, x]``: the sum over block b of ``work / (work + float) ·
    makespan``, with the exact total float against the makespan.

    The same scenarios as `simulate_blocks` (drawn again from their
    streams): a separate kernel, compiled only when a run asks for it.
    """
    V = len(start)
    dtype = start.dtype  # the engine's dtype
    w = w_fixed.astype(dtype)
    ld = l_fixed.astype(dtype)
    ready = np.empty(V, dtype=dtype)
    finish = np.empty(V, dtype=dtype)
    arrival = np.empty(max(len(group_node), 1), dtype=dtype)
    latest = np.empty(V, dtype=dtype)
    lf = np.empty(V, dtype=dtype)
    goal = np.empty(max(V, 1), dtype=dtype)
    flags = np.empty((3, max(V, 1)), dtype=np.bool_)
    todo = np.empty(max(V, 1), dtype=np.int64)
    state = np.empty(4, dtype=np.uint64)
    for b in range(b_lo, b_hi):
        for s in range(block_start[b], block_start[b + 1]):
            _durations(
                s, w_fixed, w_random, w_kind_ptr, w_param, w_cheng, w_pool, l_fixed,
                l_random, l_kind_ptr, l_param, l_cheng, l_pool, given_work, given_lead,
                key, first, state, w, ld,
            )  # fmt: skip
            forward(order, group_ptr, arc_ptr, arc_src, start, w, ld, ready, finish, arrival)
            span = 0.0
            for e in ends:
                if finish[e] > span:
                    span = finish[e]
            latest[:] = np.inf
            for e in ends:
                latest[e] = span
            exact_latest(
                order, pos, group_ptr, arc_ptr, arc_src, out_ptr, out_arc, group_node,
                arc_group, start, w, ld, finish, latest, tol, lf, goal, flags, todo,
            )  # fmt: skip
            for x in range(V):
                wx = float(w[x])
                tf = float(lf[x] - finish[x])
                if tf < 0.0:
                    tf = 0.0
                total = wx + tf
                if total > 0.0 and total < np.inf:
                    significance[b, x] += wx / total * span
