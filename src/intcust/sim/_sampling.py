"""Monte Carlo scenarios: what a run draws and how one scenario is simulated.

Scenario ``i`` draws its durations from its own generator (see
`intcust.sim._random`), so whatever the chunk size or the executor, a
scenario sees the same durations. Statistics come in fixed blocks of `BLOCK`
scenarios (`intcust.sim._execute`). Correlated sampling (a Gaussian copula
per unit) draws a block at a time with numpy (`draw_block`), from the
block's own ``PCG64(SeedSequence(entropy, spawn_key=(*spawn_key, b)))``.
`scenarios` keeps every scenario's rows, for tests and oracles.
"""

from __future__ import annotations

import dataclasses
import weakref
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from intcust._jit import run_parallel
from intcust.graph.compiled import CompiledOrg
from intcust.graph.joins import join_plan
from intcust.sim._engine import Numbering, engine, tie_tolerance

if TYPE_CHECKING:
    from intcust.sim._random import DurationTable

__all__ = [
    "BLOCK",
    "KernelInputs",
    "SamplingSpec",
    "Scenarios",
    "draw_block",
    "draw_scenarios",
    "kernel_inputs",
    "kernel_tables",
    "scenarios",
    "tables",
    "unit_rows",
]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

#: Scenarios per statistics block. Changing it changes the rounding of sums.
BLOCK = 64

# ndtr(x) rounds to exactly 1.0 for x > 8.3; a quantile function at 1.0 may be inf
_U_MAX = float(np.nextafter(1.0, 0.0))


@dataclass(frozen=True)
class SamplingSpec:
    """Everything a worker needs besides the organisation to simulate blocks."""

    entropy: int | tuple[int, ...]
    spawn_key: tuple[int, ...]
    n: int
    dtype: str  #: ``"float64"`` or ``"float32"``
    rho: FloatArray | None  #: correlation per unit (index into ``C.units``); None: independent
    customers: IntArray  #: ids of the external customers
    ends: IntArray  #: ids of the nodes whose latest finish is the makespan
    want_float: bool = True  #: compute the exact total float (for significance)
    units: bool = False  #: compute unit-level criticality

    def block_size(self, b: int) -> int:
        """Scenarios in block `b` (the last block may be shorter)."""
        return min(BLOCK, self.n - b * BLOCK)

    def rng(self, b: int) -> np.random.Generator:
        """The numpy generator of block `b` (correlated sampling)."""
        ss = np.random.SeedSequence(self.entropy, spawn_key=(*self.spawn_key, b))
        return np.random.Generator(np.random.PCG64(ss))

    @property
    def key(self) -> int:
        """The 64-bit key every scenario's generator is seeded from."""
        ss = np.random.SeedSequence(self.entropy, spawn_key=self.spawn_key)
        return int(ss.generate_state(1, np.uint64)[0])


def _factor_loading(rho: FloatArray, unit: IntArray) -> tuple[FloatArray, FloatArray]:
    """``sqrt(rho)`` and ``sqrt(1 - rho)`` per position; no unit means rho = 0."""
    r = np.where(unit >= 0, rho[np.maximum(unit, 0)] if rho.size else 0.0, 0.0)
    return np.sqrt(r)[:, None], np.sqrt(1.0 - r)[:, None]


def draw_block(C: CompiledOrg, spec: SamplingSpec, b: int) -> tuple[FloatArray, FloatArray]:
    """Correlated node work ``(V, nb)`` and lead times ``(E, nb)`` of block `b`.

    The block draws standard normals ``Z`` (units × nb), then ``ε`` for
    nodes and for service rows, and maps ``ndtr(sqrt(ρ)·Z_unit + sqrt(1 −
    ρ)·ε)`` through each duration's quantile function (a Gaussian copula);
    a service takes its supplier's unit.
    """
    from scipy.special import ndtr

    assert spec.rho is not None
    nb = spec.block_size(b)
    rng = spec.rng(b)
    dtype = np.dtype(spec.dtype)
    z = np.zeros((len(C.units) + 1, nb))
    z[:-1] = rng.standard_normal((len(C.units), nb))  # row -1 (no unit) stays 0
    out = []
    for durations, unit in ((C.work, C.unit), (C.lead_time, C.unit[C.src])):
        a, c = _factor_loading(spec.rho, unit)
        latent = a * z[unit] + c * rng.standard_normal((len(unit), nb))
        u = np.minimum(ndtr(latent), _U_MAX)
        out.append(np.asarray(durations.ppf(u), dtype=dtype))
    return out[0], out[1]


@dataclass(frozen=True, eq=False)
class Scenarios:
    """Rows of simulated scenarios (see `scenarios`)."""

    work: NDArray[Any]  #: (S, V)
    lead: NDArray[Any]  #: (S, E) lead times when kept, else no rows
    finish: NDArray[Any]  #: (S, V)
    critical: NDArray[np.uint64]  #: (S, V, W) bit k: critical for target k
    unit_moves: NDArray[np.uint64]  #: (S, K + 1, W_u) bit u: unit u's joint delay moves it
    customers: FloatArray  #: (S, K)
    makespan: FloatArray  #: (S,)


_TABLES: weakref.WeakKeyDictionary[CompiledOrg, dict[str, tuple[DurationTable, DurationTable]]] = (
    weakref.WeakKeyDictionary()
)


def tables(C: CompiledOrg, ties: str = "gate") -> tuple[DurationTable, DurationTable]:
    """The kernel form of every node's work, and of the lead times of the arcs of the
    join plan of `ties` (`intcust.graph.joins.join_plan`) in arc order, built once
    per organisation."""
    from intcust.sim._random import duration_table

    cache = _TABLES.setdefault(C, {})
    if ties not in cache:
        cache[ties] = (
            duration_table(C.work, np.arange(C.n_nodes, dtype=np.int64)),
            duration_table(C.lead_time, join_plan(C, ties).arc_row),
        )
    return cache[ties]


def draw_scenarios(
    C: CompiledOrg, spec: SamplingSpec, lo: int, hi: int, *, ties: str = "gate"
) -> tuple[NDArray[Any], NDArray[Any]]:
    """The durations of scenarios ``lo .. hi - 1``: work (S, V) and lead times (S, E),
    by service row.

    Lead times are drawn for the services of `ties` (``"gate"``: those that
    gate one round; ``"supply"``: every blocking service); other rows keep
    their mode.
    """
    from intcust.sim._random import draw_rows, rare_flag

    dtype = np.dtype(spec.dtype)
    work = np.empty((hi - lo, C.n_nodes), dtype=dtype)
    lead = np.empty((hi - lo, C.n_edges), dtype=dtype)
    if spec.rho is not None:
        parts = [draw_block(C, spec, b) for b in range(lo // BLOCK, (hi - 1) // BLOCK + 1)]
        first = (lo // BLOCK) * BLOCK
        work[:] = np.hstack([p[0] for p in parts]).T[lo - first : hi - first]
        lead[:] = np.hstack([p[1] for p in parts]).T[lo - first : hi - first]
        return work, lead
    wt, lt = tables(C, ties)
    by_arc = np.empty((hi - lo, len(lt.fixed)), dtype=dtype)
    args = (
        np.uint64(spec.key),
        lo,
        rare_flag(wt, lt),
        wt.fixed,
        wt.random,
        wt.kind_ptr,
        wt.param,
        wt.cheng,
        wt.pool,
        lt.fixed,
        lt.random,
        lt.kind_ptr,
        lt.param,
        lt.cheng,
        lt.pool,
        work,
        by_arc,
    )
    run_parallel(lambda a, b: draw_rows(*args, a, b), hi - lo)
    lead[:] = C.lead_time.point("mode").astype(dtype)
    lead[:, join_plan(C, ties).arc_row] = by_arc
    return work, lead


def scenarios(
    C: CompiledOrg, spec: SamplingSpec, lo: int, hi: int, *, keep_lead: bool = False
) -> Scenarios:
    """Simulate scenarios ``lo .. hi - 1`` of the run described by `spec`.

    `keep_lead` keeps every scenario's lead times (for tests and oracles).
    """
    from intcust.sim._scenarios import simulate

    dtype = np.dtype(spec.dtype)
    E = engine(C, dtype)
    S, V, K = hi - lo, C.n_nodes, len(spec.customers)
    words = (K + 1 + 63) // 64
    n_units = len(C.units)
    out_units = np.zeros((S if spec.units else 0, K + 1, max(1, (n_units + 63) // 64)), np.uint64)
    out = Scenarios(
        work=np.empty((S, V), dtype=dtype),
        lead=np.empty((S if keep_lead else 0, E.plan.n_arcs), dtype=dtype),
        finish=np.empty((S, V), dtype=dtype),
        critical=np.zeros((S, V, words), dtype=np.uint64),
        unit_moves=out_units,
        customers=np.empty((S, K)),
        makespan=np.empty(S),
    )
    inputs = kernel_inputs(C, spec, lo, hi)
    tol = tie_tolerance(dtype)
    core = (
        *inputs.plan,
        *inputs.durations,
        inputs.customers,
        inputs.ends,
        tol,
        out.work,
        out.lead,
        out.finish,
        out.critical,
        out.customers,
        out.makespan,
    )
    run_parallel(lambda a, b: simulate(*core, a, b), S)
    if spec.units:
        unit_rows(inputs, spec, out.unit_moves)
    N = inputs.numbering  # back to the organisation's nodes, and service rows
    lead = out.lead[:, N.arc_pos]
    out = dataclasses.replace(
        out, work=out.work[:, N.pos], finish=out.finish[:, N.pos], critical=out.critical[:, N.pos]
    )
    if keep_lead:  # rows that gate nothing keep their mode
        rows = np.empty((S, C.n_edges), dtype=dtype)
        rows[:] = C.lead_time.point("mode")
        rows[:, E.plan.arc_row] = lead
        out = dataclasses.replace(out, lead=rows)
    return out


def unit_rows(inputs: KernelInputs, spec: SamplingSpec, out: NDArray[np.uint64]) -> None:
    """Fill ``out[s, k]``: the bits of the units whose joint delay moves target k."""
    from intcust.sim._scenarios import simulate_units

    tol = tie_tolerance(np.dtype(spec.dtype))
    units = (
        *inputs.plan, *inputs.durations, inputs.customers, inputs.ends, inputs.unit, tol, out
    )  # fmt: skip
    run_parallel(lambda a, b: simulate_units(*units, a, b), out.shape[0])


@dataclass(frozen=True, eq=False)
class KernelInputs:
    """The arguments of the Monte Carlo kernels, in the kernel numbering.

    The kernels run on the engine's plan renumbered in topological order
    (`intcust.sim._engine.Numbering`): their node and arc arrays, inputs
    and outputs alike, are indexed in that numbering; ``numbering.pos`` and
    ``numbering.arc_pos`` map the organisation's nodes and the engine's
    arcs to it.

    ``plan`` is order, pos, group_ptr, arc_ptr, arc_src, out_ptr, out_arc,
    group_node, arc_group and start; ``durations`` the work table, the lead
    time table, the given (correlated) durations, the key, the first
    scenario and the `rare` flag (`intcust.sim._random.rare_flag`).
    """

    numbering: Numbering
    plan: tuple[Any, ...]  #: the join plan's arrays and the start times
    durations: tuple[Any, ...]  #: the duration tables and how to draw from them
    customers: IntArray  #: the external customers
    ends: IntArray  #: the nodes whose latest finish is the makespan
    unit: IntArray  #: unit of each node


def kernel_tables(C: CompiledOrg) -> tuple[DurationTable, DurationTable]:
    """`tables` in the kernel numbering: the same draws in the same order, stored at
    each node's and arc's renumbered place."""
    cache = _TABLES.setdefault(C, {})
    if "kernel" not in cache:
        N = engine(C).numbering
        work, lead = tables(C)
        cache["kernel"] = (
            dataclasses.replace(work, fixed=work.fixed[N.node], random=N.pos[work.random]),
            dataclasses.replace(lead, fixed=lead.fixed[N.arc], random=N.arc_pos[lead.random]),
        )
    return cache["kernel"]


def kernel_inputs(C: CompiledOrg, spec: SamplingSpec, lo: int, hi: int) -> KernelInputs:
    """The arguments of the kernels for scenarios ``lo .. hi - 1`` (see `KernelInputs`)."""
    from intcust.sim._random import rare_flag

    dtype = np.dtype(spec.dtype)
    E = engine(C, dtype)
    N = E.numbering
    P = N.plan
    work_table, lead_table = kernel_tables(C)
    given_w = np.zeros((0, C.n_nodes), dtype=dtype)
    given_l = np.zeros((0, P.n_arcs), dtype=dtype)
    if spec.rho is not None:
        given_w, given_rows = draw_scenarios(C, spec, lo, hi)
        given_w = np.ascontiguousarray(given_w[:, N.node])
        given_l = np.ascontiguousarray(given_rows[:, E.kernel_row])
    plan = (
        P.order, N.order_pos, P.group_ptr, P.arc_ptr, P.arc_src, P.out_ptr, P.out_arc,
        P.group_node, P.arc_group, E.kernel_start,
    )  # fmt: skip
    durations = (
        work_table.fixed,
        work_table.random,
        work_table.kind_ptr,
        work_table.param,
        work_table.cheng,
        work_table.pool,
        lead_table.fixed,
        lead_table.random,
        lead_table.kind_ptr,
        lead_table.param,
        lead_table.cheng,
        lead_table.pool,
        given_w,
        given_l,
        np.uint64(spec.key),
        lo,
        rare_flag(work_table, lead_table),
    )
    return KernelInputs(
        numbering=N,
        plan=plan,
        durations=durations,
        customers=N.pos[spec.customers],
        ends=N.pos[spec.ends],
        unit=C.unit[N.node],
    )
