"""Monte Carlo runs in blocks: simulate and reduce ranges of blocks, anywhere.

`run_blocks` simulates a range of whole blocks and returns each block's
statistics (`BlockStats`, from `intcust.sim._block_stats`); `execute` runs
ranges serially, on a ``concurrent.futures`` executor or on a dask cluster,
and hands the results to a `Reducer`, which combines them strictly in block
order. Inside a block, sums run in scenario order; so no number depends on
how blocks are grouped into tasks or where they run.
"""

from __future__ import annotations

import dataclasses
import functools
import io
import itertools
import os
import pickle
import uuid
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Executor, wait
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from intcust._jit import run_parallel
from intcust.graph.compiled import CompiledOrg
from intcust.sim._engine import tie_tolerance
from intcust.sim._sampling import BLOCK, SamplingSpec, kernel_inputs, unit_rows

__all__ = ["BlockStats", "Reducer", "Shipped", "execute", "is_dask_client", "run_blocks"]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


@dataclass(frozen=True, eq=False)
class BlockStats:
    """One block's contribution: per-scenario finishes and per-node sums.

    Per-target arrays have one column per external customer, then the
    makespan. ``mean_w``, ``m2_w`` and ``c_wt`` are the block's means, sums
    of squared deviations and co-moment of work with the makespan, combined
    across blocks with the pairwise update of Chan, Golub and LeVeque (1983).
    Node arrays are in the kernels' numbering (`intcust.sim._engine.Numbering`):
    `in_org_order` gives them in the organisation's.
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

    def in_org_order(self, pos: IntArray) -> BlockStats:
        """The same statistics with node x at row x; ``pos[x]``: its kernel row."""
        return dataclasses.replace(
            self,
            critical=self.critical[pos],
            stall=self.stall[pos],
            significance=self.significance[pos],
            finish=self.finish[pos],
            mean_w=self.mean_w[pos],
            m2_w=self.m2_w[pos],
            c_wt=self.c_wt[pos],
            min_w=self.min_w[pos],
            max_w=self.max_w[pos],
        )


def empty_sums(V: int) -> NDArray[np.float64]:
    """One block's sums of `simulate_blocks` before its first scenario, shape (6, V):
    zeros, but +inf for the least work and -inf for the largest."""
    sums = np.zeros((6, V))
    sums[4], sums[5] = np.inf, -np.inf
    return sums


def _simulate_blocks(
    before: tuple[Any, ...],
    after: tuple[Any, ...],
    buffers: Callable[[bool | None], tuple[NDArray[Any], ...]],
    b_lo: int,
    b_hi: int,
) -> None:
    """`simulate_blocks` on blocks ``b_lo .. b_hi - 1`` (its arguments before and after
    `ties`; ``buffers(ties)`` makes its working arrays): compiled without the tight
    graph M first, which only a tie at a critical node needs, then with it
    from the block that met one, its sums cleared."""
    from intcust.sim._block_stats import simulate_blocks

    stopped = simulate_blocks(*before, None, *after, buffers(None), b_lo, b_hi)
    if stopped >= 0:
        _starts, count, stall, sums, t_stats, *_rows = after
        count[stopped], stall[stopped], t_stats[:, stopped] = 0, 0.0, 0.0
        sums[:, stopped] = empty_sums(sums.shape[2])
        simulate_blocks(*before, True, *after, buffers(True), stopped, b_hi)


def run_blocks(
    C: CompiledOrg | Shipped, spec: SamplingSpec, b0: int, b1: int, piece: int
) -> list[BlockStats]:
    """Simulate blocks ``b0 .. b1 - 1`` and reduce each of them.

    Blocks are simulated `piece` scenarios at a time (whole blocks, one
    thread per range of blocks), each folded into its block's sums as it
    is simulated (`intcust.sim._block_stats`), so memory grows with the
    piece and the number of nodes, never with scenarios × nodes.
    """
    from intcust.sim._block_stats import new_buffers, significance_blocks

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
        inputs = kernel_inputs(org, spec, lo, hi)
        plan, durations = inputs.plan, inputs.durations
        count = np.zeros((nb, V, K + 1), dtype=np.int64)
        stall = np.zeros((nb, V, K + 1))
        sums = np.stack([empty_sums(V)] * nb, axis=1)
        t_stats = np.zeros((4, nb))
        customers = np.empty((S, K))
        makespan = np.empty(S)
        core = (*plan[:5], plan[-1], *durations)
        outputs = (count, stall, sums, t_stats, customers, makespan)
        before, after = (*core, inputs.customers, inputs.ends, tol), (starts, *outputs)
        buffers = functools.partial(new_buffers, inputs, K + 1)
        run_parallel(functools.partial(_simulate_blocks, before, after, buffers), nb)
        significance = np.zeros((nb, V))
        if spec.want_float:
            floats = (*plan, *durations, inputs.ends, tol, starts, significance)
            run_parallel(functools.partial(significance_blocks, *floats), nb)
        unit_counts = [np.zeros((0, 0), dtype=np.int64)] * nb
        if spec.units:
            n_units = len(org.units)
            moves = np.zeros((S, K + 1, max(1, (n_units + 63) // 64)), np.uint64)
            unit_rows(inputs, spec, moves)
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
