"""The timing engine's plan: a compiled organisation as its kernels take it.

The kernels (`intcust.sim._passes`, `_critical`, `_delayed`, `_exact`,
`_settle`) run on the organisation's gating join plan
(`intcust.graph.joins.join_plan`), renumbered in topological order
(`Numbering`); `Engine` holds both and the scratch the kernels need, built
once per compiled organisation and dtype. `schedule`, `delay`,
`sensitivity` and `feedback` run one set of point durations
(`intcust.sim._point`); `monte_carlo` runs the same kernels on sampled
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
    "ends",
    "engine",
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
        """Whether each renumbered node's delay reaches a deliverable with two or
        more gating suppliers (read-only)."""
        from intcust.sim._passes import reach_backward

        P = self.numbering.plan
        out = np.zeros(P.n, dtype=bool)
        if self.has_or:
            size = np.diff(P.arc_ptr)
            reverse = (P.out_ptr, P.out_arc, P.group_node, P.arc_group)
            reach_backward(P.order, *reverse, size[P.arc_group] >= 2, out)
        out.setflags(write=False)
        return out

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

    @cached_property
    def kernel_start(self) -> FloatArray:
        """Release times by renumbered node (`numbering`)."""
        return np.ascontiguousarray(self.start[self.numbering.node])

    @cached_property
    def kernel_row(self) -> IntArray:
        """The service row of each renumbered arc (`numbering`)."""
        return np.ascontiguousarray(self.plan.arc_row[self.numbering.arc])

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


def meets_or(C: CompiledOrg) -> BoolArray:
    """Whether each node's delay reaches a deliverable with two or more gating
    suppliers, where its effect is no longer plain max-plus."""
    E = engine(C)
    return E.meets_or[E.numbering.pos]
