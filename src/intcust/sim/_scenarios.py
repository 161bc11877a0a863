"""Monte Carlo scenarios in compiled kernels, one row each.

`simulate` runs a range of scenarios (ranges run in parallel threads, each
with its own scratch): it draws the scenario's durations
(`intcust.sim._random`) or reads them from given arrays (correlated
sampling), runs the forward pass and marks who is critical for every
target (`intcust.sim._critical`), one output row per scenario: what tests
and oracles replay. `simulate_units` gives, per scenario, the units whose
joint delay moves each target. Monte Carlo statistics do not store rows:
`intcust.sim._block_stats` folds each scenario into its block's sums.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from intcust._jit import inline_kernel, inner_kernel, kernel
from intcust.sim._critical import critical_targets, forward_top
from intcust.sim._passes import copy_into, forward, le
from intcust.sim._random import fill_random, seed_state
from intcust.sim._tight import new_scratch

FloatArray = NDArray[np.floating]
IntArray = NDArray[np.int64]
U64 = NDArray[np.uint64]


@inline_kernel
def _durations(
    s: int,
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
    state: U64,
    w: FloatArray,
    ld: FloatArray,
) -> None:
    """Scenario ``first + s``'s durations into `w` and `ld`: row s of the given
    arrays when there are any, else drawn from the tables (whose fixed values
    `w` and `ld` already hold)."""
    if given_work.shape[0]:
        copy_into(w, given_work[s])
        copy_into(ld, given_lead[s])
    else:
        seed_state(key, first + s, state)
        fill_random(state, w_random, w_kind_ptr, w_param, w_cheng, w_pool, w, rare)
        fill_random(state, l_random, l_kind_ptr, l_param, l_cheng, l_pool, ld, rare)


@kernel
def simulate(
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
    customers: IntArray,
    ends: IntArray,
    tol: float,
    out_work: FloatArray,
    out_lead: FloatArray,
    out_finish: FloatArray,
    out_mask: U64,
    out_customers: FloatArray,
    out_makespan: FloatArray,
    lo: int,
    hi: int,
) -> None:
    """Simulate rows ``lo .. hi - 1``: scenarios ``first + lo .. first + hi - 1``.

    With an empty `given_work`, durations are drawn from the tables (fixed
    values, and the random positions' kinds of draw and parameters);
    otherwise row s of `given_work` and `given_lead` is scenario s. Outputs
    (row s each): the work drawn, the lead times (when `out_lead` has rows),
    every finish, the critical bits of every node for every target
    (customers, then the makespan), each customer's finish and the makespan.
    """
    V = len(start)
    G = len(group_node)
    K = len(customers)
    dtype = out_finish.dtype
    w = w_fixed.astype(dtype)
    ld = l_fixed.astype(dtype)
    ready = np.empty(V, dtype=dtype)
    finish = np.empty(V, dtype=dtype)
    arrival = np.empty(max(G, 1), dtype=dtype)
    g_top = np.empty(V, dtype=np.int64)
    second = np.empty(V, dtype=dtype)
    par_ptr = np.zeros(V + 1, dtype=np.int64)
    par = np.empty(max(G, 1), dtype=np.int64)
    scratch = new_scratch(V)
    pending = np.zeros((V + 63) // 64, dtype=np.int64)
    live = np.empty(V, dtype=np.int64)
    state = np.empty(4, dtype=np.uint64)
    for s in range(lo, hi):
        _durations(
            s,
            w_fixed,
            w_random,
            w_kind_ptr,
            w_param,
            w_cheng,
            w_pool,
            l_fixed,
            l_random,
            l_kind_ptr,
            l_param,
            l_cheng,
            l_pool,
            given_work,
            given_lead,
            key,
            first,
            rare,
            state,
            w,
            ld,
        )
        forward_top(
            order, group_ptr, arc_ptr, arc_src, start, w, ld, ready, finish, arrival, g_top,
            second,
        )  # fmt: skip
        span = 0.0
        for e in ends:
            if finish[e] > span:
                span = finish[e]
        par = critical_targets(
            order, pos, group_ptr, arc_ptr, arc_src, start, ld, ready, finish, g_top, second,
            tol, customers, ends, span, par_ptr, par, scratch, out_mask[s], pending, live,
        )  # fmt: skip
        copy_into(out_work[s], w)
        if out_lead.shape[0]:
            copy_into(out_lead[s], ld)
        copy_into(out_finish[s], finish)
        for k in range(K):
            out_customers[s, k] = finish[customers[k]]
        out_makespan[s] = span


@inner_kernel
def unit_moves(
    order: IntArray,
    group_ptr: IntArray,
    arc_ptr: IntArray,
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
                if le(finish[arc_src[a]] + lead[a], arrival[g], tol):
                    for w in range(words):
                        tmp[w] &= moved[arc_src[a], w]
            for w in range(words):
                moved[v, w] |= tmp[w]


@kernel
def simulate_units(
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
    customers: IntArray,
    ends: IntArray,
    unit: IntArray,
    tol: float,
    out_units: U64,
    lo: int,
    hi: int,
) -> None:
    """For rows ``lo .. hi - 1``, bit u of ``out_units[s, k]``: delaying every member
    of unit u moves target k (customers, then the makespan)."""
    V = len(start)
    K = len(customers)
    n_words = out_units.shape[2]
    w = w_fixed.astype(np.float64)
    ld = l_fixed.astype(np.float64)
    ready = np.empty(V)
    finish = np.empty(V)
    arrival = np.empty(max(len(group_node), 1))
    moved = np.empty((V, n_words), dtype=np.uint64)
    tmp = np.empty(n_words, dtype=np.uint64)
    state = np.empty(4, dtype=np.uint64)
    for s in range(lo, hi):
        _durations(
            s,
            w_fixed,
            w_random,
            w_kind_ptr,
            w_param,
            w_cheng,
            w_pool,
            l_fixed,
            l_random,
            l_kind_ptr,
            l_param,
            l_cheng,
            l_pool,
            given_work,
            given_lead,
            key,
            first,
            rare,
            state,
            w,
            ld,
        )
        forward(order, group_ptr, arc_ptr, arc_src, start, w, ld, ready, finish, arrival)
        unit_moves(
            order,
            group_ptr,
            arc_ptr,
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
        span = 0.0
        for e in ends:
            if finish[e] > span:
                span = finish[e]
        for k in range(K):
            copy_into(out_units[s, k], moved[customers[k]])
        out_units[s, K, :] = 0
        for e in ends:
            if finish[e] >= span - tol * max(1.0, abs(span)):
                for word in range(n_words):
                    out_units[s, K, word] |= moved[e, word]
