"""One scenario's passes, on the plan renumbered in topological order.

`Point` holds one set of durations as the single-scenario kernels
(`intcust.sim._passes`, `_critical`, `_delayed`, `_exact`, `_settle`) read
them, on the engine's renumbered plan (`intcust.sim._engine.Numbering`).
`schedule` and `sensitivity` work on a `Point` throughout; `forward`,
`latest_finish`, `local_latest`, `delayed_finish` and `critical_masks` take
and give arrays by the organisation's nodes (`delay`, the tests).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from intcust.graph.compiled import CompiledOrg
from intcust.sim._engine import (
    CHECK_GRAIN,
    DELAYED_GRAIN,
    TIE_TOL,
    Engine,
    Numbering,
    ends,
    engine,
)

__all__ = [
    "Point",
    "critical_masks",
    "delayed_finish",
    "forward",
    "latest_finish",
    "local_latest",
    "point",
]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]


@dataclass(frozen=True, eq=False)
class Point:
    """One set of durations as the single-scenario kernels read them.

    The kernels run on the plan renumbered in topological order
    (`Numbering`), so that they read node arrays in sequence: `work` is by
    renumbered node, `lead` by renumbered arc, and every node array the
    methods take or return is in that numbering (`renumbered` maps an array
    of the organisation's nodes in, `to_org` maps one back). Build one with
    `point`.
    """

    engine: Engine
    work: FloatArray  #: work of each renumbered node
    lead: FloatArray  #: lead time of each renumbered arc

    @property
    def numbering(self) -> Numbering:
        """The engine's renumbered plan."""
        return self.engine.numbering

    @property
    def _plan(self) -> tuple[IntArray, ...]:
        """order, pos, group_ptr, arc_ptr, arc_src of the renumbered plan."""
        N = self.numbering
        P = N.plan
        return P.order, N.order_pos, P.group_ptr, P.arc_ptr, P.arc_src

    @property
    def _reverse(self) -> tuple[IntArray, ...]:
        """out_ptr, out_arc, group_node, arc_group of the renumbered plan."""
        P = self.numbering.plan
        return P.out_ptr, P.out_arc, P.group_node, P.arc_group

    def renumbered(self, values: NDArray[Any]) -> NDArray[Any]:
        """`values` by the organisation's nodes (first axis), in the kernels' numbering."""
        return np.take(values, self.numbering.node, axis=0)  # `take`: 2-D rows 10x faster

    def to_org(self, values: NDArray[Any]) -> NDArray[Any]:
        """`values` by renumbered node (first axis), by the organisation's nodes."""
        return np.take(values, self.numbering.pos, axis=0)

    def forward(self) -> tuple[FloatArray, FloatArray]:
        """Ready and finish times of every node (``finish = max(ready, start) + work``)."""
        from intcust.sim._passes import forward as kernel

        order, _pos, *arrays = self._plan
        ready = np.empty(len(self.work), dtype=self.work.dtype)
        finish = np.empty(len(self.work), dtype=self.work.dtype)
        arrival = np.empty(self.numbering.plan.n_groups, dtype=self.work.dtype)
        kernel(order, *arrays, self.engine.kernel_start, self.work, self.lead, ready, finish,
               arrival)  # fmt: skip
        return ready, finish

    def local_latest(
        self, finish: FloatArray, latest: FloatArray, tol: float = TIE_TOL
    ) -> FloatArray:
        """The edge-local latest finish (`intcust.sim._passes.backward`): exact for
        every node whose delay reaches no deliverable with two suppliers.

        `latest` is (V,), or (V, K) for K sets of targets at once (one column
        each, one sweep); the result has its shape.
        """
        from intcust.sim._passes import backward

        order, _pos, *arrays = self._plan
        V = len(self.work)
        targets = np.ascontiguousarray(latest, dtype=self.work.dtype).reshape(V, -1)
        out = np.empty_like(targets)
        backward(order, *arrays, self.engine.kernel_start, self.work, self.lead, finish, targets,
                 tol, out)  # fmt: skip
        return out.reshape(latest.shape)

    def latest_finish(
        self,
        finish: FloatArray,
        latest: FloatArray,
        tol: float = TIE_TOL,
        *,
        local: FloatArray | None = None,
    ) -> FloatArray:
        """The exact latest finish of every node against per-node targets `latest`.

        ``latest[v]`` is the time node v must finish by on its own (a due
        date, the makespan), ``inf`` where it has none; the result is ``inf``
        for a node whose delay reaches no target. Exact at OR joins
        (docs/timing.md). `local`, if given, is the edge-local latest finish
        against the same targets (`local_latest`), which is then not
        computed again. The forward passes that make it exact run on the
        thread pool.
        """
        from intcust._jit import run_parallel
        from intcust.sim._exact import plan_checks, run_checks
        from intcust.sim._settle import settle

        dtype = self.work.dtype
        latest = np.ascontiguousarray(latest, dtype=dtype)
        if local is None:
            out = self.local_latest(finish, latest, tol)
        else:
            out = np.array(local, dtype=dtype)
        if not self.engine.has_or:
            return out  # no deliverable has two suppliers: the edge-local rule is exact
        order, pos, *arrays = self._plan
        plan = (order, *arrays, *self._reverse)
        durations = (self.engine.kernel_start, self.work, self.lead, finish)
        goal, flags, reach, todo = self.engine.scratch()
        count, horizon = plan_checks(*plan, *durations, latest, tol, out, goal, flags, reach, todo)
        if count:

            def checks(lo: int, hi: int) -> None:
                run_checks(order, pos, *plan[1:], *durations, latest, tol, out, goal, todo,
                           horizon, lo, hi)  # fmt: skip

            run_parallel(checks, count, grain=CHECK_GRAIN)
        settle(*plan, *durations, tol, out, flags)
        return out

    def delayed_finish(
        self, finish: FloatArray, nodes: IntArray, amount: float, observe: IntArray
    ) -> FloatArray:
        """Finish of the `observe` nodes when each of `nodes` alone is `amount` late.

        Returns an array of shape ``(len(nodes), len(observe))``; only the
        nodes a delay reaches are recomputed.
        """
        from intcust._jit import run_parallel
        from intcust.sim._delayed import delayed_rows

        args = (*self._plan, *self._reverse, self.engine.kernel_start, self.work, self.lead,
                finish)  # fmt: skip
        nodes = np.ascontiguousarray(nodes, dtype=np.int64)
        observe = np.ascontiguousarray(observe, dtype=np.int64)
        out = np.empty((len(nodes), len(observe)), dtype=self.work.dtype)
        run_parallel(
            lambda lo, hi: delayed_rows(*args, nodes, amount, observe, out, lo, hi),
            len(nodes),
            grain=DELAYED_GRAIN,
        )
        return out

    def critical_masks(self, targets: IntArray, ends: IntArray, tol: float = TIE_TOL) -> BoolArray:
        """Which nodes are critical for which target: shape ``(V, len(targets) + 1)``,
        the `targets`, then the makespan (the latest of `ends`)."""
        from intcust.sim._critical import critical_bits

        k = len(targets) + 1
        mask = np.zeros((len(self.work), (k + 63) // 64), dtype=np.uint64)
        critical_bits(*self._plan, self.engine.kernel_start, self.work, self.lead, tol,
                      np.ascontiguousarray(targets, dtype=np.int64),
                      np.ascontiguousarray(ends, dtype=np.int64), mask)  # fmt: skip
        bits = np.unpackbits(mask.view(np.uint8), axis=1, bitorder="little")
        return bits[:, :k].astype(bool)


def point(C: CompiledOrg, work: FloatArray, lead: FloatArray) -> Point:
    """`work` by node and `lead` by service row as the kernels read them (`Point`)."""
    E = engine(C, work.dtype)
    return Point(
        engine=E,
        work=np.take(work, E.numbering.node),
        lead=np.take(lead, E.kernel_row).astype(work.dtype, copy=False),
    )


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
    p = point(C, work, lead)
    ready, finish = p.forward()
    return p.to_org(ready), p.to_org(finish)


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
    """`Point.latest_finish` with every node array by the organisation's nodes."""
    p = point(C, work, lead)
    if local is not None:
        local = p.renumbered(local)
    out = p.latest_finish(p.renumbered(finish), p.renumbered(latest), tol, local=local)
    return p.to_org(out)


def delayed_finish(
    C: CompiledOrg,
    work: FloatArray,
    lead: FloatArray,
    finish: FloatArray,
    nodes: IntArray,
    amount: float,
    observe: IntArray,
) -> FloatArray:
    """`Point.delayed_finish` with `nodes` and `observe` among the organisation's nodes."""
    p = point(C, work, lead)
    pos = p.numbering.pos
    return p.delayed_finish(p.renumbered(finish), pos[nodes], amount, pos[observe])


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
    p = point(C, work, lead)
    pos = p.numbering.pos
    return p.to_org(p.critical_masks(pos[targets], pos[ends(C)], tol))


def local_latest(
    C: CompiledOrg,
    work: FloatArray,
    lead: FloatArray,
    finish: FloatArray,
    latest: FloatArray,
    tol: float = TIE_TOL,
) -> FloatArray:
    """`Point.local_latest` with every node array by the organisation's nodes."""
    p = point(C, work, lead)
    return p.to_org(p.local_latest(p.renumbered(finish), p.renumbered(latest), tol))
