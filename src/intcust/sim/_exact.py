"""Exact OR-join corrections to the one-round passes, one scenario at a time.

`intcust.sim._engine.backward` frees an edge when another supplier of the
same deliverable is on time; its float is then an upper bound for a node
whose delay also reaches that other supplier (docs/timing.md). `meets_or`
and `reconverging` mark the nodes where this can happen, `forward_delayed`
reruns the forward pass with one node late per column, recomputing only the
nodes that move, and `exact_latest` uses it to find their exact latest finish.
"""

from __future__ import annotations

import weakref

import numpy as np
from numpy.typing import NDArray

from intcust.graph.compiled import CompiledOrg
from intcust.sim._engine import TIE_TOL, FloatArray, IntArray, _reverse_plan, at_most, plan

__all__ = ["exact_latest", "forward_delayed", "meets_or", "reconverging"]

BoolArray = NDArray[np.bool_]

#: Descent steps `exact_latest` takes at most per node (it needs one per breakpoint).
_MAX_STEPS = 64

_MEETS_OR: weakref.WeakKeyDictionary[CompiledOrg, BoolArray] = weakref.WeakKeyDictionary()


def _gate_groups(C: CompiledOrg) -> tuple[IntArray, IntArray]:
    """The gating edges and, per join group, how many gating edges it has."""
    gate_edges = np.flatnonzero(C.gate)
    sizes = np.bincount(C.join[gate_edges], minlength=int(C.join.max(initial=-1)) + 1)
    return gate_edges, sizes


def _reach(C: CompiledOrg, marked: BoolArray) -> tuple[BoolArray, IntArray]:
    """Whether each node's delay reaches a `marked` edge, and through how many
    of its own blocking out-edges."""
    reaches = np.zeros(C.n_nodes, dtype=bool)
    branches = np.zeros(C.n_nodes, dtype=np.int64)
    for lv, rp in zip(reversed(plan(C)[1]), reversed(_reverse_plan(C)), strict=True):
        e = lv.edges[rp.by_src]
        hit = marked[e] | reaches[C.dst[e]]
        reaches[rp.srcs] |= np.logical_or.reduceat(hit, rp.src_starts)
        branches[rp.srcs] += np.add.reduceat(hit.astype(np.int64), rp.src_starts)
    return reaches, branches


def meets_or(C: CompiledOrg) -> BoolArray:
    """Whether each node's delay reaches a deliverable with two or more blocking
    suppliers, where its effect is no longer plain max-plus (cached per `C`)."""
    cached = _MEETS_OR.get(C)
    if cached is None:
        gate_edges, sizes = _gate_groups(C)
        multi = np.zeros(C.n_edges, dtype=bool)
        multi[gate_edges] = sizes[C.join[gate_edges]] >= 2
        cached = _reach(C, multi)[0]
        _MEETS_OR[C] = cached
    return cached


def reconverging(
    C: CompiledOrg,
    work: FloatArray,
    lead: FloatArray,
    finish: FloatArray,
    latest_finish: FloatArray,
) -> BoolArray:
    """Nodes whose float `backward` may overstate (one scenario, 1-D arrays).

    The OR rule frees an edge because another supplier of its deliverable is
    on time; that is wrong only for a node whose delay also reaches that
    other supplier. This marks every node from which two blocking branches
    lead to deliverables with a freed edge (a superset of those nodes).
    """
    gate_edges, _ = _gate_groups(C)
    e, dst = gate_edges, C.dst[gate_edges]
    need = np.maximum(latest_finish[dst] - work[dst], C.start[dst])
    on_time = at_most(finish[C.src[e]] + lead[e], need)
    n_groups = int(C.join.max(initial=-1)) + 1
    count = np.bincount(C.join[e], weights=on_time, minlength=n_groups)
    freed = np.zeros(n_groups, dtype=bool)
    freed[C.join[e][count[C.join[e]] - on_time > 0]] = True
    marked = np.zeros(C.n_edges, dtype=bool)
    marked[e] = freed[C.join[e]]
    _, branches = _reach(C, marked)
    fork = branches >= 2
    for lv, rp in zip(reversed(plan(C)[1]), reversed(_reverse_plan(C)), strict=True):
        down = np.logical_or.reduceat(fork[C.dst[lv.edges[rp.by_src]]], rp.src_starts)
        fork[rp.srcs] |= down
    return fork


def forward_delayed(
    C: CompiledOrg,
    work: FloatArray,
    lead: FloatArray,
    finish: FloatArray,
    nodes: IntArray,
    extra: FloatArray,
) -> FloatArray:
    """Finish times when node ``nodes[k]`` alone finishes ``extra[k]`` later, scenario k.

    One baseline (1-D `work`, `lead` and its `finish`); the result has shape
    ``(V, len(nodes))`` and equals `forward` with ``work[nodes[k]] +=
    extra[k]`` in column k. Only nodes whose inputs changed in some column
    are recomputed, level by level, so a delay absorbed by float or by an
    alternative supplier costs nothing further downstream. `nodes` must be
    distinct.
    """
    k = len(nodes)
    cols = np.arange(k)
    fin = np.repeat(finish[:, None], k, axis=1)
    fin[nodes, cols] += extra
    col_of = np.full(C.n_nodes, -1, dtype=np.int64)
    col_of[nodes] = cols
    dirty = np.zeros(C.n_nodes, dtype=bool)
    dirty[nodes] = True
    mark = np.zeros(C.n_nodes, dtype=bool)
    for lv in plan(C)[1]:
        src = C.src[lv.edges]
        hot = dirty[src]
        if not hot.any():
            continue
        dst_all = C.dst[lv.edges]
        mark[dst_all[hot]] = True
        sub = mark[dst_all]
        mark[dst_all[hot]] = False
        e = lv.edges[sub]
        dst, join = dst_all[sub], C.join[e]
        group = np.flatnonzero(np.r_[True, join[1:] != join[:-1]])
        gdst = dst[group]
        first = np.flatnonzero(np.r_[True, gdst[1:] != gdst[:-1]])
        v = gdst[first]
        arrival = fin[src[sub]] + lead[e][:, None]
        ready = np.maximum.reduceat(np.minimum.reduceat(arrival, group, axis=0), first, axis=0)
        new = np.maximum(ready, C.start[v][:, None]) + work[v][:, None]
        own = col_of[v]
        delayed = np.flatnonzero(own >= 0)
        new[delayed, own[delayed]] += extra[own[delayed]]
        dirty[v] = (new != fin[v]).any(axis=1) | (own >= 0)
        fin[v] = new
    return fin


def exact_latest(
    C: CompiledOrg,
    work: FloatArray,
    lead: FloatArray,
    finish: FloatArray,
    latest: FloatArray,
    latest_finish: FloatArray,
    nodes: IntArray,
    *,
    max_cells: int = 1 << 21,
) -> FloatArray:
    """Correct `backward`'s latest finish of `nodes` where a delay may reconverge.

    One scenario (1-D arrays). For each node ``u`` of `nodes`, the largest
    delay ``d`` after which every target is still met (a target already
    missed must get no later) is found with forward passes in which ``u`` is
    ``d`` late, all nodes at once as scenarios, `max_cells` values at a time.
    The finish of a target is a non-decreasing function of ``d`` with slopes
    0 and 1, so from an infeasible ``d`` the step ``d - excess`` (``excess``
    the largest overshoot of a target) never passes the threshold, and the
    first feasible step lands on it exactly. ``backward``'s value is an upper
    bound and the first probe.

    Returns
    -------
    ndarray, shape (V,)
        `latest_finish` with the entries of `nodes` lowered where needed.
    """
    out = latest_finish.copy()
    tf = latest_finish[nodes] - finish[nodes]
    nodes = nodes[tf >= 0]
    tf = tf[tf >= 0]
    targets = np.flatnonzero(np.isfinite(latest))
    if not len(nodes) or not len(targets):
        return out
    goal = np.maximum(latest[targets], finish[targets])
    tol = TIE_TOL * np.maximum(1.0, np.abs(goal))
    arrivals = finish[C.src] + lead if C.n_edges else np.zeros(1)
    horizon = max(float(finish.max()), float(arrivals.max()), float(goal.max())) + 1.0
    chunk = max(1, max_cells // max(1, C.n_nodes))
    for lo in range(0, len(nodes), chunk):
        u = nodes[lo : lo + chunk]
        unbounded = ~np.isfinite(tf[lo : lo + chunk])
        d = np.where(unbounded, horizon - finish[u], tf[lo : lo + chunk])
        best = d.copy()  # left at an upper bound should the descent not finish
        todo = np.ones(len(u), dtype=bool)
        for step in range(_MAX_STEPS):
            idx = np.flatnonzero(todo)
            if not len(idx):
                break
            fin = forward_delayed(C, work, lead, finish, u[idx], d[idx])
            over = fin[targets] - goal[:, None]
            ok = (over <= tol[:, None]).all(axis=0)
            done = idx[ok]
            best[done] = np.where(unbounded[done] & (step == 0), np.inf, d[done])
            todo[done] = False
            d[idx[~ok]] -= over[:, ~ok].max(axis=0)
        out[u] = np.minimum(out[u], finish[u] + best)
    return out
