"""The timing engine's Python face: one scenario's passes on a compiled organisation.

The kernels (`intcust.sim._passes`, `_critical`, `_delayed`, `_exact`,
`_settle`) run on the organisation's gating join plan
(`intcust.graph.joins.join_plan`); `Engine` holds that plan and the scratch
the kernels need, built once per compiled organisation and dtype.
`schedule`, `delay`, `sensitivity` and `feedback` call the functions below
with point durations; `monte_carlo` runs the same kernels on sampled
scenarios (`intcust.sim._scenarios`).
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
from numpy.typing import NDArray

from intcust.graph.compiled import CompiledOrg
from intcust.graph.joins import TIE_TOL, JoinPlan, at_most, join_plan, tie_tolerance

__all__ = [
    "TIE_TOL",
    "Engine",
    "Numbering",
    "at_most",
    "critical_masks",
    "delayed_finish",
    "ends",
    "engine",
    "forward",
    "latest_finish",
    "local_latest",
    "meets_or",
    "tie_tolerance",
]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]

#: Delayed nodes per thread at least: each pass covers only the part of the
#: organisation a delay reaches, so a few hundred are cheaper than a thread hand-off.
DELAYED_GRAIN = 256

#: Nodes whose exact float is checked by forward passes, per thread at least. A
#: check costs a few microseconds; on `sensitivity` of generate_org(20000) (about
#: 300 checks) two threads were slower than one with 128 per thread.
CHECK_GRAIN = 1024


def ends(C: CompiledOrg) -> IntArray:
    """The external customers, or, in an organisation without any, the nodes
    that supply no one through a gating edge (the ends of the round)."""
    ext = C.external
    if len(ext) or not C.n_nodes:
        return ext
    return np.flatnonzero(np.bincount(C.src[C.gate], minlength=C.n_nodes) == 0)


@dataclass(frozen=True, eq=False)
class Numbering:
    """The engine's join plan on nodes renumbered in topological order.

    Kernels that sweep the organisation once per scenario (Monte Carlo) run
    on this plan: node i is the i-th node of the engine's order, so every
    node array is read front to back, in cache, rather than at the scattered
    positions of the organisation's own numbering. Arcs keep their order
    within each deliverable, so every pass gives the same numbers bit for
    bit; only the places where they are stored move.
    """

    plan: JoinPlan  #: the join plan on nodes ``0..n-1`` (``plan.arc_row``: the engine's arc)
    node: IntArray  #: the organisation's index of each renumbered node
    pos: IntArray  #: the renumbered index of each of the organisation's nodes
    arc: IntArray  #: the engine plan's arc of each renumbered arc
    arc_pos: IntArray  #: the renumbered arc of each of the engine plan's arcs

    @cached_property
    def order_pos(self) -> IntArray:
        """The position of each renumbered node in ``plan.order`` (its own index when
        the plan has no loop)."""
        pos = np.empty(self.plan.n, dtype=np.int64)
        pos[self.plan.order] = np.arange(self.plan.n)
        return pos


@dataclass(frozen=True, eq=False)
class Engine:
    """The gating join plan of one organisation, as the kernels take it."""

    plan: JoinPlan
    pos: IntArray  #: topological position of each node
    start: FloatArray  #: release times, in the engine's dtype

    @property
    def arrays(self) -> tuple[IntArray, ...]:
        """order, group_ptr, arc_ptr, arc_src."""
        P = self.plan
        return P.order, P.group_ptr, P.arc_ptr, P.arc_src

    def arc_lead(self, lead: FloatArray) -> FloatArray:
        """Lead times by arc of the plan (the kernels' order) from lead times by service
        row: read in sequence, the kernels find them in cache."""
        return np.ascontiguousarray(lead[self.plan.arc_row])

    @cached_property
    def has_or(self) -> bool:
        """Whether some deliverable has two or more gating suppliers."""
        return bool(np.any(np.diff(self.plan.arc_ptr) >= 2))

    @cached_property
    def meets_or(self) -> BoolArray:
        """Whether each node's delay reaches a deliverable with two or more
        gating suppliers (read-only)."""
        from intcust.sim._passes import reach_backward

        P = self.plan
        out = np.zeros(P.n, dtype=bool)
        if self.has_or:
            size = np.diff(P.arc_ptr)
            reach_backward(P.order, *self.reverse, size[P.arc_group] >= 2, out)
        out.setflags(write=False)
        return out

    @property
    def reverse(self) -> tuple[IntArray, ...]:
        """out_ptr, out_arc, group_node, arc_group."""
        P = self.plan
        return P.out_ptr, P.out_arc, P.group_node, P.arc_group

    @cached_property
    def numbering(self) -> Numbering:
        """The plan renumbered in topological order (see `Numbering`)."""
        P = self.plan
        # one key per group keeps the groups, and the arc ids as rows keep the arcs
        # within a group, in the engine's order
        plan = JoinPlan.build(
            P.n,
            self.pos[P.arc_src],
            self.pos[P.group_node[P.arc_group]],
            P.arc_group,
            np.arange(P.n_arcs, dtype=np.int64),
        )
        arc_pos = np.empty(P.n_arcs, dtype=np.int64)
        arc_pos[plan.arc_row] = np.arange(P.n_arcs)
        return Numbering(plan=plan, node=P.order, pos=self.pos, arc=plan.arc_row, arc_pos=arc_pos)

    def scratch(self) -> tuple[NDArray[Any], NDArray[np.bool_], NDArray[np.uint64], IntArray]:
        """Fresh scratch for `exact_latest`: goal times, flags, group digests and a
        node list."""
        n = max(self.plan.n, 1)
        return (
            np.empty(n, dtype=self.start.dtype),
            np.empty((2, n), dtype=bool),
            np.empty(n, dtype=np.uint64),
            np.empty(n, dtype=np.int64),
        )


_ENGINES: weakref.WeakKeyDictionary[CompiledOrg, dict[str, Engine]] = weakref.WeakKeyDictionary()


def engine(C: CompiledOrg, dtype: Any = np.float64) -> Engine:
    """The `Engine` of `C` for durations of `dtype` (cached per organisation)."""
    name = np.dtype(dtype).name
    cache = _ENGINES.setdefault(C, {})
    if name not in cache:
        P = join_plan(C, "gate")
        pos = np.empty(C.n_nodes, dtype=np.int64)
        pos[P.order] = np.arange(C.n_nodes)
        cache[name] = Engine(plan=P, pos=pos, start=C.start.astype(dtype))
    return cache[name]


def forward(C: CompiledOrg, work: FloatArray, lead: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Ready and finish times of every node for one set of durations.

    Parameters
    ----------
    C : CompiledOrg
    work : ndarray, shape (V,)
        Node work.
    lead : ndarray, shape (E,)
        Lead time of every service row.

    Returns
    -------
    ready, finish : ndarray, shape (V,)
        ``finish = max(ready, start) + work``.

    Examples
    --------
    >>> import intcust as ic
    >>> C = ic.compile(ic.datasets.email_campaign())
    >>> ready, finish = forward(C, C.work.point("mode"), C.lead_time.point("mode"))
    >>> dict(zip(C.nodes, finish.tolist()))
    {'designer': 2.0, 'list keeper': 1.0, 'sender': 3.0, 'campaign': 3.5, 'customers': 4.0}
    """
    from intcust.sim._passes import forward as kernel

    E = engine(C, work.dtype)
    ready = np.empty(C.n_nodes, dtype=work.dtype)
    finish = np.empty(C.n_nodes, dtype=work.dtype)
    arrival = np.empty(E.plan.n_groups, dtype=work.dtype)
    kernel(*E.arrays, E.start, work, E.arc_lead(lead), ready, finish, arrival)
    return ready, finish


def latest_finish(
    C: CompiledOrg,
    work: FloatArray,
    lead: FloatArray,
    finish: FloatArray,
    latest: FloatArray,
    tol: float = TIE_TOL,
    *,
    local: FloatArray | None = None,
) -> FloatArray:
    """The exact latest finish of every node against per-node targets `latest`.

    ``latest[v]`` is the time node v must finish by on its own (a due date,
    the makespan), ``inf`` where it has none; the result is ``inf`` for a
    node whose delay reaches no target. Exact at OR joins (docs/timing.md).
    `local`, if given, is the edge-local latest finish against the same
    targets (`local_latest`), which is then not computed again. The forward
    passes that make it exact run on the thread pool.
    """
    from intcust._jit import run_parallel
    from intcust.sim._exact import plan_checks, run_checks
    from intcust.sim._passes import backward
    from intcust.sim._settle import settle

    E = engine(C, work.dtype)
    latest = np.ascontiguousarray(latest, dtype=work.dtype)
    arc_lead = E.arc_lead(lead)
    if local is None:
        out = np.empty(C.n_nodes, dtype=work.dtype)
        backward(*E.arrays, E.start, work, arc_lead, finish, latest[:, None], tol, out[:, None])
    else:
        out = np.array(local, dtype=work.dtype)
    if not E.has_or:
        return out  # no deliverable has two suppliers: the edge-local rule is exact
    # the checks run passes over the part of the organisation each delay reaches:
    # on the plan renumbered in topological order they read node arrays in sequence
    N = E.numbering
    P = N.plan
    plan = (P.order, P.group_ptr, P.arc_ptr, P.arc_src, P.out_ptr, P.out_arc, P.group_node,
            P.arc_group)  # fmt: skip
    durations = (E.start[N.node], work[N.node], arc_lead[N.arc], finish[N.node])
    latest, out = latest[N.node], out[N.node]
    goal, flags, reach, todo = E.scratch()
    count, horizon = plan_checks(*plan, *durations, latest, tol, out, goal, flags, reach, todo)
    if count:
        run_parallel(
            lambda lo, hi: run_checks(
                plan[0],
                N.order_pos,
                *plan[1:],
                *durations,
                latest,
                tol,
                out,
                goal,
                todo,
                horizon,
                lo,
                hi,
            ),
            count,
            grain=CHECK_GRAIN,
        )
    settle(*plan, *durations, tol, out, flags)
    return out[N.pos]


def delayed_finish(
    C: CompiledOrg,
    work: FloatArray,
    lead: FloatArray,
    finish: FloatArray,
    nodes: IntArray,
    amount: float,
    observe: IntArray,
) -> FloatArray:
    """Finish of the `observe` nodes when each of `nodes` alone is `amount` late.

    Returns an array of shape ``(len(nodes), len(observe))``; only the nodes
    a delay reaches are recomputed.
    """
    from intcust._jit import run_parallel
    from intcust.sim._delayed import delayed_rows

    E = engine(C, work.dtype)
    args = (
        E.plan.order,
        E.pos,
        *E.arrays[1:],
        *E.reverse,
        E.start,
        work,
        E.arc_lead(lead),
        finish,
    )
    nodes = np.ascontiguousarray(nodes, dtype=np.int64)
    observe = np.ascontiguousarray(observe, dtype=np.int64)
    out = np.empty((len(nodes), len(observe)), dtype=work.dtype)
    run_parallel(
        lambda lo, hi: delayed_rows(*args, nodes, amount, observe, out, lo, hi),
        len(nodes),
        grain=DELAYED_GRAIN,
    )
    return out


def critical_masks(
    C: CompiledOrg,
    work: FloatArray,
    lead: FloatArray,
    targets: IntArray,
    tol: float = TIE_TOL,
) -> BoolArray:
    """Which nodes are critical for which target, for one set of durations.

    Targets are the nodes in `targets`, then the makespan (the latest of
    `ends`). Returns a boolean array of shape ``(V, len(targets) + 1)``.
    """
    from intcust.sim._critical import critical_bits

    E = engine(C, work.dtype)
    k = len(targets) + 1
    mask = np.zeros((C.n_nodes, (k + 63) // 64), dtype=np.uint64)
    critical_bits(
        E.plan.order, E.pos, *E.arrays[1:], E.start, work, E.arc_lead(lead), tol, targets,
        ends(C), mask,
    )  # fmt: skip
    bits = np.unpackbits(mask.view(np.uint8), axis=1, bitorder="little")
    return bits[:, :k].astype(bool)


def local_latest(
    C: CompiledOrg,
    work: FloatArray,
    lead: FloatArray,
    finish: FloatArray,
    latest: FloatArray,
    tol: float = TIE_TOL,
) -> FloatArray:
    """The edge-local latest finish (`intcust.sim._passes.backward`): exact for
    every node whose delay reaches no deliverable with two suppliers.

    `latest` is (V,), or (V, K) for K sets of targets at once (one column each,
    one sweep); the result has its shape.
    """
    from intcust.sim._passes import backward

    E = engine(C, work.dtype)
    targets = np.ascontiguousarray(latest, dtype=work.dtype).reshape(C.n_nodes, -1)
    out = np.empty_like(targets)
    backward(*E.arrays, E.start, work, E.arc_lead(lead), finish, targets, tol, out)
    return out.reshape(latest.shape)


def meets_or(C: CompiledOrg) -> BoolArray:
    """Whether each node's delay reaches a deliverable with two or more gating
    suppliers, where its effect is no longer plain max-plus (read-only, cached
    with the engine)."""
    return engine(C).meets_or
