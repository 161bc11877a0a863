"""Howard's policy iteration on a lagged min-max system, for `cycle_time`.

`lagged_system` turns the blocking edges of an organisation into a system
whose edge ``u -> v`` weighs ``work(u) + lead(e)`` and carries its lag and
its OR group; `solve` returns its cycle-time vector, bias, max policy and OR
choice (an outer loop over OR choices around Howard's inner loop, see
`intcust.sim.maxplus`); `_cycles` finds the cycles of a policy by pointer
doubling.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from intcust.graph.compiled import CompiledOrg
from intcust.graph.joins import TIE_TOL

__all__ = ["LaggedSystem", "lagged_system", "solve"]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]

_MAX_ITER = 10_000


@dataclass(frozen=True, eq=False)
class LaggedSystem:
    """The blocking edges of an organisation as a lagged min-max system."""

    n: int
    src: IntArray
    dst: IntArray
    weight: FloatArray  #: work(src) + lead
    lag: IntArray
    group: IntArray  #: OR group of each edge (alternatives share it)


def lagged_system(C: CompiledOrg, work: FloatArray, lead: FloatArray) -> LaggedSystem:
    """Every blocking edge with weight ``work(u) + lead(e)``, its lag and its OR group."""
    keep = np.flatnonzero(C.blocking)
    src, dst = C.src[keep], C.dst[keep]
    return LaggedSystem(
        C.n_nodes, src, dst, work[src] + lead[keep], C.lag[keep].astype(np.int64), C.join[keep]
    )


def _cycles(pred: IntArray, steps: int) -> tuple[IntArray, BoolArray]:
    """For a functional graph ``v -> pred[v]``: a cycle label (least id on the
    cycle each node reaches) and the on-cycle mask, by pointer doubling."""
    n = len(pred)
    q = pred.copy()
    for _ in range(steps):
        q = q[q]
    on = np.zeros(n, dtype=bool)
    on[q] = True
    label = np.where(on, np.arange(n), n)
    p = pred.copy()
    for _ in range(steps):
        label = np.minimum(label, label[p])
        p = p[p]
    return label[q], on


def _evaluate(
    n: int, pred: IntArray, w: FloatArray, t: FloatArray, steps: int
) -> tuple[FloatArray, FloatArray, IntArray, BoolArray]:
    """Ratio and bias of every node under a policy (one chosen in-edge each)."""
    label, on = _cycles(pred, steps)
    cyc = np.flatnonzero(on)
    wsum = np.bincount(label[cyc], weights=w[cyc], minlength=n)
    tsum = np.bincount(label[cyc], weights=t[cyc], minlength=n)
    ratio_of = np.divide(wsum, tsum, out=np.zeros(n), where=tsum > 0)
    eta = ratio_of[label]
    d = w - eta * t
    root = label == np.arange(n)
    p = np.where(root, np.arange(n), pred)
    s = np.where(root, 0.0, d)
    for _ in range(steps):
        s = s + s[p]
        p = p[p]
    return eta, s, label, on


def _argbest(
    key1: FloatArray, key2: FloatArray, owner: IntArray, n: int, sign: float
) -> tuple[FloatArray, FloatArray, IntArray]:
    """Per owner, the best (max for sign 1, min for -1) `key1`, and among the
    entries within `TIE_TOL` of it, the best `key2` (ties in `key1` are rounding)."""
    a, b = sign * key1, sign * key2
    top = np.full(n, -np.inf)
    np.maximum.at(top, owner, a)
    near = _close(a, top[owner])
    order = np.lexsort((np.where(near, b, -np.inf), near, owner))
    o = owner[order]
    last = np.flatnonzero(np.r_[o[1:] != o[:-1], True])
    best = order[last]
    k1 = np.full(n, -np.inf * sign)
    k2 = np.full(n, -np.inf * sign)
    arg = np.full(n, -1, dtype=np.int64)
    k1[o[last]], k2[o[last]], arg[o[last]] = key1[best], key2[best], best
    return k1, k2, arg


def _close(a: FloatArray, b: FloatArray) -> BoolArray:
    return np.abs(a - b) <= TIE_TOL * np.maximum(1.0, np.maximum(np.abs(a), np.abs(b)))


def solve(S: LaggedSystem) -> tuple[FloatArray, FloatArray, IntArray, IntArray]:
    """Cycle-time vector, bias, max policy and OR choice of a lagged min-max system.

    Node ``S.n`` is the virtual root (self-loop of weight 0 and lag 1, and an
    edge to every node). Returns per-node ratio ``eta`` (length ``n + 1``),
    bias, the in-edge each node keeps (index into the extended edge list, the
    root edges last) and, per edge, whether it is the OR choice of its group.
    """
    n, m = S.n, len(S.src)
    root = n
    src = np.r_[S.src, np.full(n + 1, root)]
    dst = np.r_[S.dst, np.arange(n + 1)]
    w = np.r_[S.weight, np.zeros(n + 1)]
    t = np.r_[S.lag.astype(np.float64), np.zeros(n), 1.0]
    steps = max(1, int(np.ceil(np.log2(n + 2))) + 1)
    _, group = np.unique(S.group, return_inverse=True)
    n_groups = int(group.max(initial=-1)) + 1
    # OR choice: one alternative per group (initially the first)
    chosen = np.full(n_groups, -1, dtype=np.int64)
    chosen[group[::-1]] = np.arange(m)[::-1]
    allowed = np.ones(len(src), dtype=bool)
    policy = np.arange(m, m + n + 1)  # every node starts on its root edge
    for _outer in range(_MAX_ITER):
        allowed[:m] = False
        allowed[chosen] = True
        cand = np.flatnonzero(allowed)
        policy = np.where(allowed[policy], policy, m + np.arange(n + 1))
        for _inner in range(_MAX_ITER):
            pred = src[policy]
            eta, x, _, _ = _evaluate(n + 1, pred, w[policy], t[policy], steps)
            e = cand
            k1 = eta[src[e]]
            k2 = x[src[e]] + w[e] - eta[dst[e]] * t[e]
            b1, b2, arg = _argbest(k1, k2, dst[e], n + 1, 1.0)
            cur1, cur2 = eta, x
            better = (b1 > cur1) & ~_close(b1, cur1)
            better |= _close(b1, cur1) & (b2 > cur2) & ~_close(b2, cur2)
            if not better.any():
                break
            policy = np.where(better, e[np.maximum(arg, 0)], policy)
        else:  # pragma: no cover - Howard terminates; this guards a numerical loop
            raise RuntimeError("policy iteration did not converge")
        if m == 0:
            break
        e = np.arange(m)
        k1 = eta[src[e]]
        k2 = x[src[e]] + w[e] - eta[dst[e]] * t[e]
        b1, b2, arg = _argbest(k1, k2, group, n_groups, -1.0)
        c = chosen
        c1 = eta[src[c]]
        c2 = x[src[c]] + w[c] - eta[dst[c]] * t[c]
        better = (b1 < c1) & ~_close(b1, c1)
        better |= _close(b1, c1) & (b2 < c2) & ~_close(b2, c2)
        if not better.any():
            break
        chosen = np.where(better, arg, chosen)
    else:  # pragma: no cover
        raise RuntimeError("policy iteration did not converge")
    return eta, x, policy, chosen


def _has_cycle(S: LaggedSystem) -> bool:
    from scipy.sparse import csr_array
    from scipy.sparse.csgraph import connected_components

    if len(S.src) == 0:
        return False
    A = csr_array((np.ones(len(S.src)), (S.src, S.dst)), shape=(S.n, S.n))
    ncomp, _ = connected_components(A, connection="strong")
    return bool(ncomp < S.n or np.any(S.src == S.dst))
