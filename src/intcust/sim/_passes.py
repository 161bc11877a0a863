"""The one-round passes of the timing engine, one scenario at a time, compiled.

Every function here runs on the arrays of a `JoinPlan` (``ties="gate"``) and
one scenario's durations; `intcust.sim._engine` calls them for point
estimates and `intcust.sim._scenarios` for Monte Carlo scenarios, in
parallel. The rules are those of ``docs/timing.md``:

- `forward`: ready, finish and each deliverable group's arrival;
- `backward`: the edge-local latest finish (exact where no delay reaches two
  alternatives of one deliverable);
- `exact_latest` (in `intcust.sim._exact`): the exact latest finish of the
  nodes the edge-local rule may overstate, by forward passes over the part
  of the organisation a delay reaches (`delayed`, in `intcust.sim._delayed`)
  or, for a node with one customer, from that customer's (`settle`, in
  `intcust.sim._settle`);
- `max_plus_moves`: what one node's delay does where it meets only AND joins;
- `tight_parents` and `target_masks` (in `intcust.sim._critical`): for every target (an external
  customer, the makespan), the nodes critical for it in the scenario: those
  whose small delay moves it by as much.

Two times tie when they differ by at most ``tol * max(1, |t|)``; `tol`
follows the precision of the durations (`intcust.sim._engine.tie_tolerance`).
With float32 durations the arrays are float32 and every stored time is the
float32 rounding of an exact sum of float32 values, as in float32 arithmetic.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from intcust._jit import inline_kernel, inner_kernel, kernel

FloatArray = NDArray[np.floating]
IntArray = NDArray[np.int64]
U64 = NDArray[np.uint64]

INF = np.inf


@inner_kernel
def copy_into(out: NDArray[Any], values: NDArray[Any]) -> None:
    """``out[:] = values`` for 1-D arrays of one length, as a loop (a slice assignment
    compiles numpy's shape-error messages, several seconds of first-call compile)."""
    for i in range(len(out)):
        out[i] = values[i]


@inner_kernel
def le(a: float, b: float, tol: float) -> bool:
    """``a <= b`` up to the tie tolerance (infinities compare exactly)."""
    return a <= b + tol * max(1.0, abs(b))


@inline_kernel
def node_forward(
    v: int,
    group_ptr: IntArray,
    arc_ptr: IntArray,
    arc_src: IntArray,
    start: FloatArray,
    work: FloatArray,
    lead: FloatArray,
    ready: FloatArray,
    finish: FloatArray,
    arrival: FloatArray,
) -> tuple[int, float]:
    """Ready and finish of node v, and the arrival of each of its groups.

    Returns the group that arrives last (the first of them; -1 when v has
    none) and the second latest arrival (-inf when v has one group): when
    that is clearly earlier, the last group is the only binding one. Every
    group has an arc (`intcust.graph.joins`). min and max, not branches:
    random comparisons defeat branch prediction.
    """
    top = -INF
    second = -INF
    g_top = -1
    for g in range(group_ptr[v], group_ptr[v + 1]):
        a0 = arc_ptr[g]
        best = finish[arc_src[a0]] + lead[a0]
        for a in range(a0 + 1, arc_ptr[g + 1]):
            best = min(best, finish[arc_src[a]] + lead[a])
        arrival[g] = best
        second = max(second, min(top, best))
        g_top = g if best > top else g_top
        top = max(top, best)
    r = max(top, 0.0)
    ready[v] = r
    finish[v] = max(r, start[v]) + work[v]
    return g_top, second


@kernel
def forward(
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
) -> None:
    """Ready and finish of every node, arrival of every group (outputs filled in place)."""
    for v in order:
        node_forward(v, group_ptr, arc_ptr, arc_src, start, work, lead, ready, finish, arrival)


@kernel
def backward(
    order: IntArray,
    group_ptr: IntArray,
    arc_ptr: IntArray,
    arc_src: IntArray,
    start: FloatArray,
    work: FloatArray,
    lead: FloatArray,
    finish: FloatArray,
    latest: FloatArray,
    tol: float,
    out: FloatArray,
) -> None:
    """Edge-local latest finish against per-node targets `latest` (``inf``: none).

    A node must be ready by ``R(v) = max(LF(v) - work(v), start(v))``; an arc
    into `v` may be late without limit when another alternative of its
    group arrives by ``R(v)``, else its supplier must finish by
    ``R(v) - lead``.

    `latest` and `out` are (V, K): K sets of targets at once, one per
    column, in one sweep over the organisation.
    """
    n_sets = latest.shape[1]
    for i in range(latest.shape[0]):
        for k in range(n_sets):
            out[i, k] = latest[i, k]
    need = np.empty(n_sets, dtype=out.dtype)
    for p in range(len(order) - 1, -1, -1):
        v = order[p]
        for k in range(n_sets):
            need[k] = out[v, k] - work[v]
            if need[k] < start[v]:
                need[k] = start[v]
        for g in range(group_ptr[v], group_ptr[v + 1]):
            if arc_ptr[g + 1] - arc_ptr[g] == 1:  # one supplier: it must be on time
                a = arc_ptr[g]
                u = arc_src[a]
                for k in range(n_sets):
                    bound = need[k] - lead[a]
                    if bound < out[u, k]:
                        out[u, k] = bound
                continue
            for k in range(n_sets):
                on_time = 0
                for a in range(arc_ptr[g], arc_ptr[g + 1]):
                    if le(finish[arc_src[a]] + lead[a], need[k], tol):
                        on_time += 1
                for a in range(arc_ptr[g], arc_ptr[g + 1]):
                    u = arc_src[a]
                    mine = le(finish[u] + lead[a], need[k], tol)
                    if on_time - (1 if mine else 0) > 0:
                        continue
                    bound = need[k] - lead[a]
                    if bound < out[u, k]:
                        out[u, k] = bound


@kernel
def max_plus_moves(
    local: FloatArray,
    finish: FloatArray,
    ends: IntArray,
    amount: float,
    move: FloatArray,
    end_move: FloatArray,
    together: FloatArray,
) -> None:
    """What a delay of `amount` does where it meets only AND joins (max-plus algebra).

    `local` (V, K): every node's edge-local latest finish for ``ends[k]`` to
    keep its finish. Writes ``move[v, k] = max(0, amount - slack)``, the
    move of ``ends[k]`` when v alone is `amount` late; ``end_move[v]``, the
    latest finish of an end then (the makespan minus the result is its
    move); and ``together[v]``, the latest finish for every end at once
    (the least of the columns). Ties resolve as numpy's ``maximum`` and
    ``minimum`` do.
    """
    n_ends = len(ends)
    for v in range(local.shape[0]):
        for k in range(n_ends):
            m = amount - (local[v, k] - finish[v])
            move[v, k] = 0.0 if m < 0.0 else m
            t = finish[ends[k]] + move[v, k]
            if k == 0 or not end_move[v] > t:
                end_move[v] = t
            if k == 0 or not together[v] < local[v, k]:
                together[v] = local[v, k]


#: Fibonacci hashing (Knuth): a group's index times 2**64 / golden ratio; its top six
#: bits pick the group's bit in a node's 64-bit digest of the groups it reaches.
GROUP_HASH = np.uint64(0x9E3779B97F4A7C15)


@inline_kernel
def group_bit(g: int) -> np.uint64:
    """The bit of deliverable group `g` in a 64-bit digest of groups."""
    return np.uint64(1) << ((np.uint64(g) * GROUP_HASH) >> np.uint64(58))


@inner_kernel
def may_reconverge(
    order: IntArray,
    group_ptr: IntArray,
    arc_ptr: IntArray,
    arc_src: IntArray,
    start: FloatArray,
    work: FloatArray,
    lead: FloatArray,
    finish: FloatArray,
    latest: FloatArray,
    latest_finish: FloatArray,
    tol: float,
    reach: U64,
    fork: NDArray[np.bool_],
    hit: NDArray[np.bool_],
    slack: FloatArray,
) -> int:
    """Mark the nodes whose edge-local float may be too large; return how many.

    A delay of u changes a node only along arcs that arrive first in their
    group (or alone in it): a group arrives later only when every
    alternative that arrived first does. Every flag below travels from a
    customer to a supplier only along such arcs.

    An arc is *freed* when another alternative of its group is on time too
    and the group's node has a finite edge-local latest finish (a node with
    none either has an exact float, so that no delay of it moves a target,
    or is marked itself, and then so is every node whose delay reaches it).
    The edge-local rule overstates a node's float only when its delay can
    push every on-time alternative of one deliverable late: while one of
    them stays on time, every node finishing by its edge-local latest
    finish keeps every target. So the delay must reach two alternatives of
    one deliverable: it comes from a node two of whose out-arcs lead
    (directly or further down) to freed arcs of one group, or from a node
    that supplies such a node (``fork``). ``reach[u]`` is a 64-bit digest
    of the groups with a freed arc that u's delay may reach (`group_bit`):
    two branches that share a bit may reach one group, and the node is
    marked; branches without a common bit reach no group twice.

    To move the customer through a freed group, such a delay must push
    every on-time alternative past the customer's required time, its
    earliest one included: it is at least the group's slack (required time
    minus the group's arrival). ``slack[u]`` is the least slack of the
    freed groups u reaches; a node whose edge-local float is no larger has
    an exact float already and is not marked.

    ``hit[u]``: u has a target (finite `latest`) or its delay may change a
    node with ``hit``; no delay of a node without it moves a target.

    One sweep, customers first: a node is settled once every customer has
    passed it what it needs. `slack` enters filled with ``inf``, `reach`
    with 0, the flags with False.
    """
    count = 0
    for p in range(len(order) - 1, -1, -1):
        v = order[p]
        # fork[v] holds "two branches that may meet, or a customer that forks" so far
        fork[v] = fork[v] and not le(latest_finish[v] - finish[v], slack[v], tol)
        if fork[v]:
            count += 1
        if latest[v] < INF:
            hit[v] = True
        need = latest_finish[v] - work[v]
        if need < start[v]:
            need = start[v]
        for g in range(group_ptr[v], group_ptr[v + 1]):
            single = arc_ptr[g + 1] - arc_ptr[g] == 1  # never freed, always first
            on_time = 0
            first = INF
            if not single:
                for a in range(arc_ptr[g], arc_ptr[g + 1]):
                    t = finish[arc_src[a]] + lead[a]
                    if le(t, need, tol):
                        on_time += 1
                    if t < first:
                        first = t
            for a in range(arc_ptr[g], arc_ptr[g + 1]):
                u = arc_src[a]
                branch = np.uint64(0)
                if not single:
                    t = finish[u] + lead[a]
                    if on_time >= 2 and need < INF and le(t, need, tol):  # freed
                        branch = group_bit(g)
                        if need - first < slack[u]:
                            slack[u] = need - first
                if single or t == first:  # only then can a delay of u change v
                    hit[u] |= hit[v]
                    fork[u] |= fork[v]
                    branch |= reach[v]
                if branch:
                    if reach[u] & branch:
                        fork[u] = True  # a second branch that may reach the same group
                    reach[u] |= branch
                    if slack[v] < slack[u]:
                        slack[u] = slack[v]
    return count


@kernel
def reach_forward(
    order: IntArray,
    group_ptr: IntArray,
    arc_ptr: IntArray,
    arc_src: IntArray,
    seed: NDArray[np.bool_],
    through: NDArray[np.bool_],
    out: NDArray[np.bool_],
) -> None:
    """``out[v]``: v is in `seed`, or some arc into it comes from such a node or
    is itself `through` (indexed by service row), along any gating path."""
    for v in order:
        hit = seed[v]
        for a in range(arc_ptr[group_ptr[v]], arc_ptr[group_ptr[v + 1]]):
            if out[arc_src[a]] or through[a]:
                hit = True
        out[v] = hit


@kernel
def reach_backward(
    order: IntArray,
    out_ptr: IntArray,
    out_arc: IntArray,
    group_node: IntArray,
    arc_group: IntArray,
    through: NDArray[np.bool_],
    out: NDArray[np.bool_],
) -> None:
    """``out[u]``: some gating path from u passes an arc that is `through`
    (indexed by arc) or reaches a node already marked in `out`."""
    for p in range(len(order) - 1, -1, -1):
        u = order[p]
        hit = out[u]
        for k in range(out_ptr[u], out_ptr[u + 1]):
            a = out_arc[k]
            if through[a] or out[group_node[arc_group[a]]]:
                hit = True
        out[u] = hit
