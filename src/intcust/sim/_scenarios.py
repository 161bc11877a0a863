"""Monte Carlo scenarios in compiled kernels: sample, simulate, reduce.

`simulate` runs a range of scenarios (ranges run in parallel threads, each
with its own scratch): it draws the scenario's durations (`intcust.sim._random`) or reads
them from given arrays (correlated sampling), runs the forward pass, marks
who is critical for every target (`intcust.sim._critical`), and, when asked,
the exact total float against the makespan (`intcust.sim._exact`). Outputs
are per scenario, rows of arrays laid out scenario by scenario.

`block_sums` reduces those rows block by block (fixed blocks of scenarios)
into per-node sums, each in scenario order; `intcust.sim._sampling` combines
blocks in block order. No number depends on the thread count, the chunk
size or the executor.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from intcust._jit import kernel
from intcust.sim._critical import forward_tight, new_scratch, target_masks, unit_moves
from intcust.sim._exact import exact_latest
from intcust.sim._random import fill_random, seed_state

FloatArray = NDArray[np.floating]
IntArray = NDArray[np.int64]
U64 = NDArray[np.uint64]


@kernel
def simulate(
    order: IntArray,
    pos: IntArray,
    group_ptr: IntArray,
    arc_ptr: IntArray,
    arc_row: IntArray,
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
    customers: IntArray,
    ends: IntArray,
    unit: IntArray,
    tol: float,
    want_float: bool,
    out_work: FloatArray,
    out_lead: FloatArray,
    out_finish: FloatArray,
    out_float: FloatArray,
    out_mask: U64,
    out_units: U64,
    out_customers: FloatArray,
    out_makespan: FloatArray,
    lo: int,
    hi: int,
) -> None:
    """Simulate rows ``lo .. hi - 1``: scenarios ``first + lo .. first + hi - 1``.

    With an empty `given_work`, durations are drawn from the tables (fixed
    values, and the random positions' kinds of draw and parameters);
    otherwise row s of `given_work` and `given_lead` is scenario s. Outputs
    (row s each): the work drawn, every finish, the total float against the
    makespan (when `want_float`), the lead times (when `out_lead` has
    rows), the critical bits of every node for every
    target (customers, then the makespan), and, when `out_units` has rows,
    the bits of the units whose joint delay moves each target.
    """
    V = len(start)
    E = len(l_fixed)
    G = len(group_node)
    A = len(arc_src)
    K = len(customers)
    given = given_work.shape[0] > 0
    dtype = out_finish.dtype
    w = np.empty(V, dtype=dtype)
    ld = np.empty(E, dtype=dtype)
    ready = np.empty(V, dtype=dtype)
    finish = np.empty(V, dtype=dtype)
    arrival = np.empty(max(G, 1), dtype=dtype)
    latest = np.empty(V, dtype=dtype)
    lf = np.empty(V, dtype=dtype)
    par_ptr = np.zeros(V + 1, dtype=np.int64)
    par = np.empty(max(G, 1), dtype=np.int64)
    scratch7 = new_scratch(V)
    scratch5 = np.empty((5, max(V, 1)), dtype=np.int64)
    fscratch = np.empty((2, max(V, 1)), dtype=dtype)
    flags = np.zeros((3, max(A, V, 1)), dtype=np.bool_)
    state = np.empty(4, dtype=np.uint64)
    n_words = out_units.shape[2] if out_units.shape[0] else 1
    moved = np.empty((V, n_words), dtype=np.uint64)
    tmp = np.empty(n_words, dtype=np.uint64)
    if not given:  # fixed durations stay; random ones are drawn anew each scenario
        w[:] = w_fixed
        ld[:] = l_fixed
    for s in range(lo, hi):
        if given:
            w[:] = given_work[s]
            ld[:] = given_lead[s]
        else:
            seed_state(key, first + s, state)
            fill_random(state, w_random, w_kind_ptr, w_param, w_cheng, w_pool, w)
            fill_random(state, l_random, l_kind_ptr, l_param, l_cheng, l_pool, ld)
        while True:
            used = forward_tight(
                order,
                pos,
                group_ptr,
                arc_ptr,
                arc_row,
                arc_src,
                start,
                w,
                ld,
                ready,
                finish,
                arrival,
                tol,
                par_ptr,
                par,
                scratch7,
            )
            if used >= 0:
                break
            par = np.empty(2 * len(par), dtype=np.int64)  # ties added parents: more room
        span = 0.0
        for e in ends:
            if finish[e] > span:
                span = finish[e]
        target_masks(order, par_ptr, par, customers, ends, finish, span, tol, out_mask[s])
        if want_float:
            latest[:] = np.inf
            for e in ends:
                latest[e] = span
            exact_latest(
                order,
                pos,
                group_ptr,
                arc_ptr,
                arc_row,
                arc_src,
                out_ptr,
                out_arc,
                group_node,
                arc_group,
                start,
                w,
                ld,
                finish,
                latest,
                tol,
                lf,
                scratch5,
                fscratch,
                flags,
            )
            for v in range(V):
                out_float[s, v] = lf[v] - finish[v]
        if out_units.shape[0]:
            unit_moves(
                order,
                group_ptr,
                arc_ptr,
                arc_row,
                arc_src,
                start,
                ld,
                ready,
                finish,
                arrival,
                tol,
                unit,
                moved,
                tmp,
            )
            for k in range(K):
                out_units[s, k] = moved[customers[k]]
            out_units[s, K] = 0
            for e in ends:
                if finish[e] >= span - tol * max(1.0, abs(span)):
                    for word in range(n_words):
                        out_units[s, K, word] |= moved[e, word]
        out_work[s] = w
        if out_lead.shape[0]:
            out_lead[s] = ld
        out_finish[s] = finish
        for k in range(K):
            out_customers[s, k] = finish[customers[k]]
        out_makespan[s] = span


@kernel
def block_sums(
    work: FloatArray,
    finish: FloatArray,
    total_float: FloatArray,
    mask: U64,
    makespan: NDArray[np.float64],
    block_start: IntArray,
    mean_t: NDArray[np.float64],
    count: IntArray,
    stall: NDArray[np.float64],
    significance: NDArray[np.float64],
    finish_sum: NDArray[np.float64],
    mean_w: NDArray[np.float64],
    m2_w: NDArray[np.float64],
    c_wt: NDArray[np.float64],
    min_w: NDArray[np.float64],
    max_w: NDArray[np.float64],
    want_float: bool,
    x_lo: int,
    x_hi: int,
) -> None:
    """Per-block sums of the scenario rows for nodes ``x_lo .. x_hi - 1``, in scenario order.

    Block b is rows ``block_start[b]:block_start[b + 1]``; outputs have a
    leading block axis: critical counts and ``Σ work · critical`` per target,
    ``Σ work / (work + float) · makespan``, ``Σ finish``, and the block mean,
    sum of squared deviations and co-moment with the makespan of the work.
    """
    n_targets = count.shape[2]
    n_blocks = len(block_start) - 1
    tile = 64
    for x0 in range(x_lo, x_hi, tile):
        x1 = min(x_hi, x0 + tile)
        for b in range(n_blocks):
            lo, hi = block_start[b], block_start[b + 1]
            nb = hi - lo
            for x in range(x0, x1):
                sw = 0.0
                sf = 0.0
                sg = 0.0
                lo_w = np.inf
                hi_w = -np.inf
                for s in range(lo, hi):
                    wx = float(work[s, x])
                    sw += wx
                    sf += float(finish[s, x])
                    if wx < lo_w:
                        lo_w = wx
                    if wx > hi_w:
                        hi_w = wx
                    if want_float:
                        tf = float(total_float[s, x])
                        if tf < 0.0:
                            tf = 0.0
                        span = wx + tf
                        if span > 0.0 and span < np.inf:
                            sg += wx / span * makespan[s]
                    for k in range(n_targets):
                        if (mask[s, x, k >> 6] >> np.uint64(k & 63)) & np.uint64(1):
                            count[b, x, k] += 1
                            stall[b, x, k] += wx
                mw = sw / nb
                d2 = 0.0
                dc = 0.0
                for s in range(lo, hi):
                    dw = float(work[s, x]) - mw
                    d2 += dw * dw
                    dc += dw * (makespan[s] - mean_t[b])
                mean_w[b, x] = mw
                m2_w[b, x] = d2
                c_wt[b, x] = dc
                min_w[b, x] = lo_w
                max_w[b, x] = hi_w
                finish_sum[b, x] = sf
                significance[b, x] = sg
