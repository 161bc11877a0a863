"""Monte Carlo statistics straight from the scenarios, block by block, compiled.

`simulate_blocks` runs whole blocks of scenarios (ranges of blocks run in
parallel threads) and folds each scenario into its block's per-node sums as
soon as it is simulated, so no scenarios × nodes array is ever stored: the
critical counts and stall per target, the finish sums, and the running
mean, sum of squared deviations and co-moment with the makespan of every
node's work (Welford's update, in scenario order). `significance_blocks` adds
the significance sums, with the exact total float, when a run asks for them.
Every block is summed by one thread in scenario order, and blocks are
combined in block order (`intcust.sim._execute.Reducer`), so no number
depends on the thread count or the chunk size.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

import numpy as np
from numba.cpython.unsafe.numbers import trailing_zeros
from numpy.typing import NDArray

from intcust._jit import inline_kernel, kernel
from intcust.sim._critical import forward_four, target_masks, tie_masks
from intcust.sim._exact import exact_latest
from intcust.sim._passes import forward
from intcust.sim._sampling import KernelInputs
from intcust.sim._scenarios import _durations
from intcust.sim._tight import new_scratch

FloatArray = NDArray[np.floating]
IntArray = NDArray[np.int64]
U64 = NDArray[np.uint64]

#: Scenarios simulated side by side (`forward_four`).
LANES = 4

# count trailing zeros (one instruction); typed for the checker, which cannot read
# numba's intrinsics
_ctz: Callable[[np.uint64], int] = cast(Any, trailing_zeros)


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
    rare: bool | None,
    customers: IntArray,
    ends: IntArray,
    tol: float,
    ties: bool | None,
    block_start: IntArray,
    count: IntArray,
    stall: NDArray[np.float64],
    sums: NDArray[np.float64],
    t_stats: NDArray[np.float64],
    out_customers: NDArray[np.float64],
    out_makespan: NDArray[np.float64],
    buffers: tuple[NDArray[Any], ...],
    b_lo: int,
    b_hi: int,
) -> int:
    """Simulate blocks ``b_lo .. b_hi - 1`` (rows ``block_start[b]:block_start[b + 1]``).

    Per block b and node x: ``count[b, x, k]`` scenarios in which x is
    critical for target k (the customers, then the makespan) and
    ``stall[b, x, k]`` the sum of x's work over them; ``sums[:, b, x]``:
    finish sum, mean work, squared deviations of work, co-moment of work
    with the makespan, least and largest work; ``t_stats[:, b]``: mean,
    squared deviations, least and largest makespan. Each scenario's
    customer finishes and makespan go to its row.

    Critical nodes are marked by the direct pass of `target_masks`; a
    scenario in which a critical node's first alternatives tie needs the
    tight graph M (`tie_masks`). With `ties` None, numba compiles this
    kernel without M (about a second less on a first call): at such a
    scenario it returns the block's index, and the caller clears that
    block's sums and runs the blocks from there again with ``ties=True``.
    Returns -1 when every block is done.
    """
    w, ld, ready, finish, second, g_top, par_ptr, par, scratch, mask, pending, live, state = (
        buffers
    )
    for b in range(b_lo, b_hi):
        lo, hi = block_start[b], block_start[b + 1]
        mean_t = 0.0
        for s0 in range(lo, hi, LANES):
            m = min(LANES, hi - s0)
            for j in range(m):
                _durations(
                    s0 + j, w_fixed, w_random, w_kind_ptr, w_param, w_cheng, w_pool, l_fixed,
                    l_random, l_kind_ptr, l_param, l_cheng, l_pool, given_work, given_lead,
                    key, first, rare, state, w[j], ld[j],
                )  # fmt: skip
            # a short last group leaves rows m to 3 as they were: their passes are not read
            forward_four(
                order, group_ptr, arc_ptr, arc_src, start, w, ld, ready, finish, g_top, second
            )
            for j in range(m):
                s = s0 + j
                fin = finish[j]
                span = 0.0
                for e in ends:
                    span = max(span, float(fin[e]))
                n_live = target_masks(
                    order, pos, group_ptr, arc_ptr, arc_src, start, ld[j], ready[j], fin,
                    g_top[j], second[j], tol, par_ptr, par, None, customers, ends, span, mask,
                    pending, live,
                )  # fmt: skip
                if n_live < 0:
                    if ties is None:
                        return b  # a tie: compiled without M (see `ties`)
                    par, n_live = tie_masks(
                        order, pos, group_ptr, arc_ptr, arc_src, start, ld[j], ready[j], fin,
                        g_top[j], second[j], tol, customers, ends, span, par_ptr, par, scratch,
                        mask, pending, live,
                    )  # fmt: skip
                for k in range(len(customers)):
                    out_customers[s, k] = fin[customers[k]]
                out_makespan[s] = span
                mean_t = _fold(
                    s - lo + 1, w[j], fin, span, mean_t, mask, live, n_live, b, count, stall,
                    sums, t_stats,
                )  # fmt: skip
        t_stats[0, b] = mean_t
    return -1


def new_buffers(
    inputs: KernelInputs, n_targets: int, ties: bool | None
) -> tuple[NDArray[Any], ...]:
    """The working arrays of one `simulate_blocks` call (its `buffers`): work and
    lead times of `LANES` scenarios side by side (holding the fixed ones,
    which draws leave as they are), their ready and finish times, top group
    and second arrival; `tight_parents`' parent lists and scratch (only
    with `ties`); the critical sets' buffers of `target_masks` (zero); the
    random state."""
    _order, _pos, _group_ptr, arc_ptr, *_, start = inputs.plan
    w_fixed, *_, l_fixed = inputs.durations[:7]
    V, dtype = len(start), start.dtype
    ready, finish, second = (np.empty((LANES, V), dtype=dtype) for _ in range(3))
    return (
        np.tile(w_fixed.astype(dtype), (LANES, 1)), np.tile(l_fixed.astype(dtype), (LANES, 1)),
        ready, finish, second, np.empty((LANES, V), dtype=np.int64),
        np.empty(V + 1, dtype=np.int64), np.empty(max(len(arc_ptr) - 1, 1), dtype=np.int64),
        new_scratch(V) if ties else np.empty((1, 1), dtype=np.int64),
        np.zeros((V, (n_targets + 63) // 64), dtype=np.uint64),
        np.zeros((V + 63) // 64, dtype=np.int64), np.empty(V, dtype=np.int64),
        np.empty(4, dtype=np.uint64),
    )  # fmt: skip


@inline_kernel
def _fold(
    n: int,
    w: FloatArray,
    finish: FloatArray,
    span: float,
    mean_t: float,
    mask: U64,
    live: IntArray,
    n_live: int,
    b: int,
    count: IntArray,
    stall: NDArray[np.float64],
    sums: NDArray[np.float64],
    t_stats: NDArray[np.float64],
) -> float:
    """Fold the n-th scenario of block b into its sums (Welford's update of the
    means, squared deviations and co-moment with the makespan); returns the
    new mean makespan. The least and largest work start at +inf and -inf
    (`intcust.sim._execute.empty_sums`). ``live[:n_live]`` are the
    scenario's critical nodes (`target_masks`): their rows of `mask` are
    counted and zeroed."""
    inv_n = 1.0 / n
    dt = span - mean_t
    mean_t += dt * inv_n
    t_stats[1, b] += dt * (span - mean_t)
    if n == 1:
        t_stats[2, b] = span
        t_stats[3, b] = span
    t_stats[2, b] = min(t_stats[2, b], span)
    t_stats[3, b] = max(t_stats[3, b], span)
    finish_sum, mean_w, m2_w, c_wt, min_w, max_w = (
        sums[0, b], sums[1, b], sums[2, b], sums[3, b], sums[4, b], sums[5, b],
    )  # fmt: skip
    for x in range(len(w)):  # no branch: the loop vectorises
        wx = float(w[x])
        finish_sum[x] += finish[x]
        dw = wx - mean_w[x]
        mean_w[x] += dw * inv_n
        m2_w[x] += dw * (wx - mean_w[x])
        c_wt[x] += dw * (span - mean_t)
        min_w[x] = min(min_w[x], wx)
        max_w[x] = max(max_w[x], wx)
    for i in range(n_live):
        x = live[i]
        for word in range(mask.shape[1]):
            bits = mask[x, word]
            mask[x, word] = 0
            while bits:
                j = _lowest_bit(bits)
                bits &= bits - np.uint64(1)
                k = word * 64 + j
                count[b, x, k] += 1
                stall[b, x, k] += w[x]
    return mean_t


@inline_kernel
def _lowest_bit(bits: np.uint64) -> int:
    """The index of the lowest set bit of `bits` (not zero): one instruction."""
    return _ctz(bits)


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
    rare: bool | None,
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
    flags = np.empty((2, max(V, 1)), dtype=np.bool_)
    reach = np.empty(max(V, 1), dtype=np.uint64)
    todo = np.empty(max(V, 1), dtype=np.int64)
    state = np.empty(4, dtype=np.uint64)
    for b in range(b_lo, b_hi):
        for s in range(block_start[b], block_start[b + 1]):
            _durations(
                s, w_fixed, w_random, w_kind_ptr, w_param, w_cheng, w_pool, l_fixed,
                l_random, l_kind_ptr, l_param, l_cheng, l_pool, given_work, given_lead,
                key, first, rare, state, w, ld,
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
                arc_group, start, w, ld, finish, latest, tol, lf, goal, flags, reach, todo,
            )  # fmt: skip
            for x in range(V):
                wx = float(w[x])
                tf = float(lf[x] - finish[x])
                if tf < 0.0:
                    tf = 0.0
                total = wx + tf
                if total > 0.0 and total < np.inf:
                    significance[b, x] += wx / total * span
