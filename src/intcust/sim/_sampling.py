"""Monte Carlo scenarios in blocks: drawing, simulating, reducing and running them.

Randomness comes in fixed blocks of `BLOCK` scenarios: block ``b`` draws from
its own generator, ``PCG64(SeedSequence(entropy, spawn_key=(*spawn_key, b)))``,
node work first, then edge lead times, always the whole block. Whatever the
chunk size or the executor, a scenario therefore sees the same durations, and
each block's statistics come from the same contiguous arrays; `monte_carlo`
combines them in block order, so results do not depend on how blocks are
grouped or where they run.
"""

from __future__ import annotations

import io
import os
import pickle
import uuid
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Executor, wait
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from intcust.graph.compiled import CompiledOrg
from intcust.sim._engine import TIE_TOL, backward, forward

__all__ = [
    "BLOCK",
    "BlockStats",
    "Reducer",
    "SamplingSpec",
    "Shipped",
    "block_stats",
    "critical_tolerance",
    "draw_block",
    "execute",
    "is_dask_client",
    "run_blocks",
]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

#: Scenarios per random block. Changing it changes the numbers a seed gives.
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

    def block_size(self, b: int) -> int:
        """Scenarios in block `b` (the last block may be shorter)."""
        return min(BLOCK, self.n - b * BLOCK)

    def rng(self, b: int) -> np.random.Generator:
        """The generator of block `b`."""
        ss = np.random.SeedSequence(self.entropy, spawn_key=(*self.spawn_key, b))
        return np.random.Generator(np.random.PCG64(ss))


def _factor_loading(rho: FloatArray, unit: IntArray) -> tuple[FloatArray, FloatArray]:
    """``sqrt(rho)`` and ``sqrt(1 - rho)`` per position; no unit means rho = 0."""
    r = np.where(unit >= 0, rho[np.maximum(unit, 0)] if rho.size else 0.0, 0.0)
    return np.sqrt(r)[:, None], np.sqrt(1.0 - r)[:, None]


def draw_block(C: CompiledOrg, spec: SamplingSpec, b: int) -> tuple[FloatArray, FloatArray]:
    """Node work ``(V, nb)`` and edge lead times ``(E, nb)`` of block `b`.

    Independent sampling uses `DurationArray.sample`. With correlation, the
    block draws standard normals ``Z`` (units × nb), then ``ε`` for nodes and
    for edges, and maps ``ndtr(sqrt(ρ)·Z_unit + sqrt(1 − ρ)·ε)`` through each
    duration's quantile function (a Gaussian copula); an edge takes its
    supplier's unit.
    """
    nb = spec.block_size(b)
    rng = spec.rng(b)
    dtype = np.dtype(spec.dtype)
    if spec.rho is None:
        return C.work.sample(nb, rng, dtype), C.lead_time.sample(nb, rng, dtype)
    from scipy.special import ndtr

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

    ``mean_*``, ``m2_*`` and ``c_wt`` are the block's means, sums of squared
    deviations and co-moment of work with the makespan, combined across
    blocks with the pairwise update of Chan, Golub and LeVeque (1983).
    """

    n: int
    makespan: FloatArray  #: (nb,)
    customers: FloatArray  #: (K, nb)
    critical: IntArray  #: (V,) scenarios with zero total float
    significance: FloatArray  #: (V,) sum of work / (work + float) · makespan
    stall: FloatArray  #: (V,) sum of work over scenarios where the node is critical
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


def critical_tolerance(dtype: np.dtype[Any]) -> float:
    """Relative tolerance under which a total float counts as zero.

    The engine's tie tolerance `TIE_TOL`, or 1024 machine epsilons of
    `dtype` where that is coarser (float32).
    """
    return max(TIE_TOL, 1024 * float(np.finfo(dtype).eps))


def block_stats(
    work: FloatArray,
    total_float: FloatArray,
    finish: FloatArray,
    makespan: FloatArray,
    spec: SamplingSpec,
    tol: float,
) -> BlockStats:
    """Reduce one block of ``nb`` scenarios; node inputs have shape ``(V, nb)``.

    Inputs are copied to contiguous float64 arrays first, so that a block
    gives the same sums whatever array it was cut from.
    """
    w = np.ascontiguousarray(work, dtype=np.float64)
    tf = np.maximum(np.ascontiguousarray(total_float, dtype=np.float64), 0.0)
    fin = np.ascontiguousarray(finish, dtype=np.float64)
    t = np.ascontiguousarray(makespan, dtype=np.float64)
    nb = t.size
    crit = tf <= tol * np.maximum(t, 1.0)
    span = w + tf
    ratio = np.divide(w, span, out=np.zeros_like(w), where=span > 0)
    mean_w = w.sum(axis=1) / nb
    mean_t = float(t.sum() / nb)
    dw = w - mean_w[:, None]
    dt = t - mean_t
    return BlockStats(
        n=nb,
        makespan=t,
        customers=fin[spec.customers],
        critical=crit.sum(axis=1, dtype=np.int64),
        significance=(ratio * t).sum(axis=1),
        stall=np.where(crit, w, 0.0).sum(axis=1),
        finish=fin.sum(axis=1),
        mean_w=mean_w,
        m2_w=(dw * dw).sum(axis=1),
        c_wt=(dw * dt).sum(axis=1),
        mean_t=mean_t,
        m2_t=float((dt * dt).sum()),
        min_w=w.min(axis=1),
        max_w=w.max(axis=1),
        min_t=float(t.min()),
        max_t=float(t.max()),
    )


def _simulate(
    C: CompiledOrg, work: FloatArray, lead: FloatArray, ends: IntArray
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Finish times, the makespan and total float against each scenario's makespan."""
    ready, finish = forward(C, work, lead)
    makespan = finish[ends].max(axis=0)
    latest = np.full_like(finish, np.inf)
    latest[ends] = makespan
    return finish, makespan, backward(C, work, lead, ready, finish, latest) - finish


def run_blocks(
    C: CompiledOrg | Shipped, spec: SamplingSpec, b0: int, b1: int, piece: int
) -> list[BlockStats]:
    """Simulate blocks ``b0 .. b1 - 1`` and reduce each of them.

    The forward and backward passes run on `piece` scenarios at a time
    (all of them when `piece` covers the range); columns never interact in
    those passes, so the grouping does not change a single number.
    """
    org = C.org if isinstance(C, Shipped) else C
    lo, hi = b0 * BLOCK, min(b1 * BLOCK, spec.n)
    width = hi - lo
    dtype = np.dtype(spec.dtype)
    if b1 - b0 == 1:
        work, lead = draw_block(org, spec, b0)
    else:
        work = np.empty((org.n_nodes, width), dtype=dtype)
        lead = np.empty((org.n_edges, width), dtype=dtype)
        for b in range(b0, b1):
            cols = slice(b * BLOCK - lo, b * BLOCK - lo + spec.block_size(b))
            work[:, cols], lead[:, cols] = draw_block(org, spec, b)
    if piece >= width:
        finish, makespan, total_float = _simulate(org, work, lead, spec.ends)
    else:
        finish = np.empty_like(work)
        total_float = np.empty_like(work)
        makespan = np.empty(width, dtype=work.dtype)
        for a in range(0, width, piece):
            cols = slice(a, min(a + piece, width))
            finish[:, cols], makespan[cols], total_float[:, cols] = _simulate(
                org, work[:, cols], lead[:, cols], spec.ends
            )
    tol = critical_tolerance(dtype)
    out = []
    for b in range(b0, b1):
        cols = slice(b * BLOCK - lo, b * BLOCK - lo + spec.block_size(b))
        out.append(
            block_stats(
                work[:, cols], total_float[:, cols], finish[:, cols], makespan[cols], spec, tol
            )
        )
    return out


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
            significance=a.significance + s.significance,
            stall=a.stall + s.stall,
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
