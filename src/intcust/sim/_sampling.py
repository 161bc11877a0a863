"""Monte Carlo scenarios in blocks: drawing, simulating, reducing and running them.

Scenario ``i`` draws its durations from its own generator (see
`intcust.sim._random`), so whatever the chunk size or the executor, a
scenario sees the same durations. Statistics come in fixed blocks of `BLOCK`
scenarios, summed in scenario order inside a block and combined in block
order (`Reducer`), so results do not depend on how blocks are grouped into
tasks or where they run. Correlated sampling (a Gaussian copula per unit)
draws a block at a time with numpy (`draw_block`), from the block's own
``PCG64(SeedSequence(entropy, spawn_key=(*spawn_key, b)))``.
"""

from __future__ import annotations

import dataclasses
import functools
import io
import itertools
import os
import pickle
import uuid
import weakref
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Executor, wait
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from intcust._jit import run_parallel
from intcust.graph.compiled import CompiledOrg
from intcust.graph.joins import join_plan
from intcust.sim._engine import engine, tie_tolerance

if TYPE_CHECKING:
    from intcust.sim._random import DurationTable

__all__ = [
    "BLOCK",
    "BlockStats",
    "Reducer",
    "SamplingSpec",
    "Shipped",
    "draw_block",
    "draw_scenarios",
    "execute",
    "is_dask_client",
    "run_blocks",
    "scenarios",
    "tables",
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
class BlockStats:
    """One block's contribution: per-scenario finishes and per-node sums.

    Per-target arrays have one column per external customer, then the
    makespan. ``mean_w``, ``m2_w`` and ``c_wt`` are the block's means, sums
    of squared deviations and co-moment of work with the makespan, combined
    across blocks with the pairwise update of Chan, Golub and LeVeque (1983).
    """

    n: int
    makespan: FloatArray  #: (nb,)
    customers: FloatArray  #: (K, nb)
    critical: IntArray  #: (V, K + 1) scenarios in which the node is critical
    stall: FloatArray  #: (V, K + 1) sum of work over those scenarios
    unit_critical: IntArray  #: (U, K + 1) the same for whole units (empty unless asked)
    significance: FloatArray  #: (V,) sum of work / (work + float) · makespan
    finish: FloatArray  #: (V,) sum of finish times
    mean_w: FloatArray
    m2_w: FloatArray
    c_wt: FloatArray
    mean_t: float
    m2_t: float
    # exact extremes tell a constant work or makespan from rounding noise in m2
    min_w: FloatArray
    max_w: FloatArray
    min_t: float
    max_t: float


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
    from intcust.sim._random import draw_rows

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
        critical=np.empty((S, V, words), dtype=np.uint64),
        unit_moves=out_units,
        customers=np.empty((S, K)),
        makespan=np.empty(S),
    )
    plan, durations = _kernel_inputs(C, spec, lo, hi)
    common = (*plan, *durations)
    tol = tie_tolerance(dtype)
    core = (
        *common,
        spec.customers,
        spec.ends,
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
        _unit_rows(C, spec, common, out.unit_moves)
    if keep_lead:  # back to service rows; rows that gate nothing keep their mode
        rows = np.empty((S, C.n_edges), dtype=dtype)
        rows[:] = C.lead_time.point("mode")
        rows[:, E.plan.arc_row] = out.lead
        out = dataclasses.replace(out, lead=rows)
    return out


def _unit_rows(
    C: CompiledOrg, spec: SamplingSpec, common: tuple[Any, ...], out: NDArray[np.uint64]
) -> None:
    """Fill ``out[s, k]``: the bits of the units whose joint delay moves target k."""
    from intcust.sim._scenarios import simulate_units

    tol = tie_tolerance(np.dtype(spec.dtype))
    units = (*common, spec.customers, spec.ends, C.unit, tol, out)
    run_parallel(lambda a, b: simulate_units(*units, a, b), out.shape[0])


def _kernel_inputs(
    C: CompiledOrg, spec: SamplingSpec, lo: int, hi: int
) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
    """The plan and the duration arguments of the kernels, for scenarios ``lo .. hi - 1``.

    Returns ``(plan, durations)``: ``plan`` is order, pos, group_ptr,
    arc_ptr, arc_src, out_ptr, out_arc, group_node, arc_group and start;
    ``durations`` the two duration tables, the given (correlated) durations,
    the key and the first scenario.
    """
    dtype = np.dtype(spec.dtype)
    E = engine(C, dtype)
    work_table, lead_table = tables(C)
    given_w = np.zeros((0, C.n_nodes), dtype=dtype)
    given_l = np.zeros((0, E.plan.n_arcs), dtype=dtype)
    if spec.rho is not None:
        given_w, given_rows = draw_scenarios(C, spec, lo, hi)
        given_l = np.ascontiguousarray(given_rows[:, E.plan.arc_row])
    plan = (E.plan.order, E.pos, *E.arrays[1:], *E.reverse, E.start)
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
    )
    return plan, durations


def run_blocks(
    C: CompiledOrg | Shipped, spec: SamplingSpec, b0: int, b1: int, piece: int
) -> list[BlockStats]:
    """Simulate blocks ``b0 .. b1 - 1`` and reduce each of them.

    Blocks are simulated `piece` scenarios at a time (whole blocks, one
    thread per range of blocks), each folded into its block's sums as it
    is simulated (`intcust.sim._block_stats`), so memory grows with the
    piece and the number of nodes, never with scenarios × nodes.
    """
    from intcust.sim._block_stats import significance_blocks, simulate_blocks

    org = C.org if isinstance(C, Shipped) else C
    out: list[BlockStats] = []
    per_piece = max(1, piece // BLOCK)
    V, K = org.n_nodes, len(spec.customers)
    tol = tie_tolerance(np.dtype(spec.dtype))
    for p0 in range(b0, b1, per_piece):
        p1 = min(b1, p0 + per_piece)
        lo, hi = p0 * BLOCK, min(p1 * BLOCK, spec.n)
        S, nb = hi - lo, p1 - p0
        starts = np.array([b * BLOCK - lo for b in range(p0, p1)] + [S], dtype=np.int64)
        plan, durations = _kernel_inputs(org, spec, lo, hi)
        order, pos, group_ptr, arc_ptr, arc_src = plan[:5]
        count = np.zeros((nb, V, K + 1), dtype=np.int64)
        stall = np.zeros((nb, V, K + 1))
        sums = np.zeros((6, nb, V))
        t_stats = np.zeros((4, nb))
        customers = np.empty((S, K))
        makespan = np.empty(S)
        core = (order, pos, group_ptr, arc_ptr, arc_src, plan[-1], *durations)
        outputs = (count, stall, sums, t_stats, customers, makespan)
        blocks = (*core, spec.customers, spec.ends, tol, starts, *outputs)
        run_parallel(functools.partial(simulate_blocks, *blocks), nb)
        significance = np.zeros((nb, V))
        if spec.want_float:
            floats = (*plan, *durations, spec.ends, tol, starts, significance)
            run_parallel(functools.partial(significance_blocks, *floats), nb)
        unit_counts = [np.zeros((0, 0), dtype=np.int64)] * nb
        if spec.units:
            n_units = len(org.units)
            moves = np.zeros((S, K + 1, max(1, (n_units + 63) // 64)), np.uint64)
            _unit_rows(org, spec, (*plan, *durations), moves)
            unit_counts = _unit_counts(moves, starts, n_units)
        for j, (a, b) in enumerate(itertools.pairwise(starts)):
            out.append(
                BlockStats(
                    n=int(b - a),
                    makespan=makespan[a:b].copy(),
                    customers=customers[a:b].T.copy(),
                    critical=count[j],
                    stall=stall[j],
                    unit_critical=unit_counts[j],
                    significance=significance[j],
                    finish=sums[0, j],
                    mean_w=sums[1, j],
                    m2_w=sums[2, j],
                    c_wt=sums[3, j],
                    mean_t=float(t_stats[0, j]),
                    m2_t=float(t_stats[1, j]),
                    min_w=sums[4, j],
                    max_w=sums[5, j],
                    min_t=float(t_stats[2, j]),
                    max_t=float(t_stats[3, j]),
                )
            )
    return out


def _unit_counts(moves: NDArray[np.uint64], starts: IntArray, n_units: int) -> list[IntArray]:
    """Per block, how many scenarios each unit's joint delay moves each target: (U, K + 1)."""
    if not moves.shape[0]:
        return [np.zeros((0, 0), dtype=np.int64)] * (len(starts) - 1)
    bits = np.unpackbits(moves.view(np.uint8), axis=2, bitorder="little")[:, :, :n_units]
    return [bits[a:b].sum(axis=0, dtype=np.int64).T for a, b in itertools.pairwise(starts)]


_SHIPPED: dict[str, CompiledOrg] = {}


class Shipped:
    """A `CompiledOrg` that pickles once and unpickles once per worker process.

    Executors pickle the arguments of every task; this wrapper pickles the
    organisation to bytes the first time only, and a worker keeps the last
    organisation it received under its token.
    """

    def __init__(self, org: CompiledOrg) -> None:
        self.org = org
        self.token = uuid.uuid4().hex
        self._payload: bytes | None = None

    def __getstate__(self) -> tuple[str, bytes]:
        if self._payload is None:
            buf = io.BytesIO()
            pickle.dump(self.org, buf, protocol=pickle.HIGHEST_PROTOCOL)
            self._payload = buf.getvalue()
        return self.token, self._payload

    def __setstate__(self, state: tuple[str, bytes]) -> None:
        token, payload = state
        org = _SHIPPED.get(token)
        if org is None:
            org = pickle.loads(payload)
            _SHIPPED.clear()
            _SHIPPED[token] = org
        self.org = org
        self.token = token
        self._payload = payload


class Reducer:
    """Combines block statistics strictly in block order."""

    def __init__(self, n_customers: int, n: int) -> None:
        self.pos = 0
        self.makespan = np.empty(n)
        self.customers = np.empty((n_customers, n))
        self.total: BlockStats | None = None

    def add(self, s: BlockStats) -> None:
        """Append block `s`, the next one in block order."""
        end = self.pos + s.n
        self.makespan[self.pos : end] = s.makespan
        self.customers[:, self.pos : end] = s.customers
        self.pos = end
        a = self.total
        if a is None:
            self.total = s
            return
        # pairwise update of means, squared deviations and co-moment (Chan et al. 1983)
        n = a.n + s.n
        dw = s.mean_w - a.mean_w
        dt = s.mean_t - a.mean_t
        f = a.n * s.n / n
        self.total = BlockStats(
            n=n,
            makespan=self.makespan[:0],
            customers=self.customers[:, :0],
            critical=a.critical + s.critical,
            stall=a.stall + s.stall,
            unit_critical=a.unit_critical + s.unit_critical,
            significance=a.significance + s.significance,
            finish=a.finish + s.finish,
            mean_w=a.mean_w + dw * (s.n / n),
            m2_w=a.m2_w + s.m2_w + dw * dw * f,
            c_wt=a.c_wt + s.c_wt + dw * dt * f,
            mean_t=a.mean_t + dt * s.n / n,
            m2_t=a.m2_t + s.m2_t + dt * dt * f,
            min_w=np.minimum(a.min_w, s.min_w),
            max_w=np.maximum(a.max_w, s.max_w),
            min_t=min(a.min_t, s.min_t),
            max_t=max(a.max_t, s.max_t),
        )


def is_dask_client(executor: object) -> bool:
    try:
        from distributed import Client
    except ImportError:  # pragma: no cover - dask is an optional extra
        return False
    return isinstance(executor, Client)


def execute(
    C: CompiledOrg,
    spec: SamplingSpec,
    tasks: list[tuple[int, int]],
    piece: int,
    executor: object,
    progress: Callable[[int, int], object] | None,
    reducer: Reducer,
) -> None:
    """Run the tasks serially or on `executor`, reducing results in block order.

    Raises
    ------
    TypeError
        If `executor` is neither a ``concurrent.futures.Executor`` nor a
        ``dask.distributed.Client``.
    """
    done = 0

    def report(stats: list[BlockStats]) -> None:
        nonlocal done
        done += sum(s.n for s in stats)
        if progress is not None:
            progress(done, spec.n)

    if executor is None:
        for b0, b1 in tasks:
            stats = run_blocks(C, spec, b0, b1, piece)
            report(stats)
            for s in stats:
                reducer.add(s)
        return
    if is_dask_client(executor):
        from distributed import wait as dask_wait

        client: Any = executor
        org: Any = client.scatter(C, broadcast=True, hash=False)
        workers = sum(client.nthreads().values())

        def submit(b0: int, b1: int) -> Any:
            return client.submit(run_blocks, org, spec, b0, b1, piece, pure=False)

        def first_done(pending: list[Any]) -> set[Any]:
            done = dask_wait(pending, return_when="FIRST_COMPLETED").done  # type: ignore[no-untyped-call]
            return set(done)
    elif isinstance(executor, Executor):
        shipped = Shipped(C)
        workers = getattr(executor, "_max_workers", None) or os.cpu_count() or 1
        pool = executor

        def submit(b0: int, b1: int) -> Any:
            return pool.submit(run_blocks, shipped, spec, b0, b1, piece)

        def first_done(pending: list[Any]) -> set[Any]:
            return set(wait(pending, return_when=FIRST_COMPLETED).done)
    else:
        raise TypeError(type(executor).__name__)
    # a sliding window bounds the results held while an early task is still running
    window = max(2, 2 * int(workers))
    pending: dict[Any, int] = {}
    finished: dict[int, list[BlockStats]] = {}
    next_submit = next_reduce = 0
    try:
        while next_reduce < len(tasks):
            while next_submit < len(tasks) and next_submit - next_reduce < window:
                pending[submit(*tasks[next_submit])] = next_submit
                next_submit += 1
            for fut in first_done(list(pending)):
                stats = fut.result()
                finished[pending.pop(fut)] = stats
                report(stats)
            while next_reduce in finished:
                for s in finished.pop(next_reduce):
                    reducer.add(s)
                next_reduce += 1
    finally:
        for fut in pending:
            fut.cancel()
