"""Compiled kernels: numba, imported on first use and cached on disk.

Heavy loops (the timing engine's passes, betweenness) are plain Python
functions over numpy arrays, compiled by numba. Modules that define kernels
decorate them with `kernel` and are themselves imported only inside the
public functions that need them, so ``import intcust`` never imports numba.
``cache=True`` writes the machine code beside the module (or under
``NUMBA_CACHE_DIR``), so later processes skip compilation. The cache is only a
saving: a cache file that cannot be written (a full disk, a file-size limit)
leaves the kernel compiled in memory and the call goes on.

A kernel's result never depends on how many threads ran it: parallel loops
write disjoint outputs, and floating-point sums run in a fixed order.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable
from typing import Any, Literal, TypeVar, cast

__all__ = ["inline_kernel", "inner_kernel", "kernel", "parallel_kernel", "run_parallel", "threads"]

F = TypeVar("F", bound=Callable[..., Any])
R = TypeVar("R")


def kernel(fn: Callable[..., R]) -> Callable[..., R]:
    """Compile `fn` with numba (no Python objects, releases the GIL, cached).

    The annotations of a kernel document its arguments; numba checks the
    types when the kernel is called, so the result is typed only by what it
    returns (callers pass long argument tuples that a static checker could
    not follow).
    """
    return _compiled(fn)


def inline_kernel(fn: Callable[..., R]) -> Callable[..., R]:
    """As `kernel`, inlined into the kernels that call it.

    For small helpers called once per element with array arguments: a call
    that is not inlined counts references to its arrays, which costs more
    than the helper's own work.
    """
    return _compiled(fn, inline="always")


def inner_kernel(fn: Callable[..., R]) -> Callable[..., R]:
    """As `kernel`, for a kernel that only other kernels call.

    Numba also compiles every kernel as a function Python can call; a kernel
    that only other kernels call does without it (on the first Monte Carlo
    run, this saves about a sixth of the compilation). Called from Python,
    it raises a `TypeError`.
    """
    return _compiled(fn, inner=True)


def parallel_kernel(fn: Callable[..., R]) -> Callable[..., R]:
    """As `kernel`, with ``numba.prange`` loops run on numba's thread pool.

    Compiling a parallel kernel takes several times longer than a plain one;
    prefer `kernel` over ranges run by `run_parallel`.
    """
    return _compiled(fn, parallel=True)


def _compiled(
    fn: Callable[..., R],
    *,
    inline: Literal["never", "always"] = "never",
    parallel: bool = False,
    inner: bool = False,
) -> Callable[..., R]:
    """`fn` compiled by ``numba.njit``, cached where a cache can be written."""
    import numba

    # ``error_model="numpy"``: no divisor in a kernel can be zero, so numba need not
    # compile a check and an exception for each division (a tenth of a second less on
    # the first Monte Carlo call)
    if inner:
        options = {
            "nopython": True,
            "nogil": True,
            "error_model": "numpy",
            "no_cpython_wrapper": True,
            "no_cfunc_wrapper": True,
        }
        dispatcher = _inner_class()(py_func=fn, locals={}, targetoptions=options)
    else:
        dispatcher = numba.njit(
            cache=True, nogil=True, inline=inline, parallel=parallel, error_model="numpy"
        )(fn)
    dispatcher._cache = _cache_class()(fn)  # numba keeps it private
    return cast(Callable[..., R], dispatcher)


@functools.cache
def _cache_class() -> type:
    """numba's function cache, but a failed save of a cache file is ignored.

    numba writes a cache file to a temporary name and renames it, so a failed
    save leaves no partial file; the compiled code is already in memory.
    """
    from numba.core.caching import FunctionCache

    class SavingMayFail(FunctionCache):
        def save_overload(self, sig: object, data: object) -> None:
            try:
                super().save_overload(sig, data)  # type: ignore[no-untyped-call]
            except OSError:
                return

    return SavingMayFail


@functools.cache
def _inner_class() -> type:
    """numba's dispatcher, refusing calls from Python (it has no entry point for them)."""
    from numba.core.registry import CPUDispatcher

    class InnerKernel(CPUDispatcher):
        def __call__(self, *args: object, **kwargs: object) -> None:
            raise TypeError(f"{self.py_func.__name__} runs only inside compiled kernels")

    return InnerKernel


_POOL: dict[int, Any] = {}  # one thread pool per process (a forked child needs its own)


def threads() -> int:
    """Threads `run_parallel` uses: ``NUMBA_NUM_THREADS`` if set, else the CPU count."""
    import os

    env = os.environ.get("NUMBA_NUM_THREADS")
    if env and env.isdigit() and int(env) > 0:
        return int(env)
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1)


def run_parallel(fn: Callable[[int, int], object], total: int, *, grain: int = 1) -> None:
    """Call ``fn(lo, hi)`` on disjoint ranges covering ``0..total - 1``, in threads.

    `fn` must run a `kernel` (which releases the GIL) and write disjoint
    outputs; ranges are multiples of `grain` but for the last.
    """
    n = min(threads(), max(1, -(-total // grain)))
    if n <= 1 or total <= grain:
        fn(0, total)
        return
    import os

    pool = _POOL.get(os.getpid())
    if pool is None:
        from concurrent.futures import ThreadPoolExecutor

        _POOL.clear()
        pool = _POOL[os.getpid()] = ThreadPoolExecutor(
            max_workers=threads(), thread_name_prefix="intcust"
        )
    units = -(-total // grain)
    cuts = [min(total, (units * i // n) * grain) for i in range(n + 1)]
    futures = [pool.submit(fn, lo, hi) for lo, hi in itertools.pairwise(cuts) if lo < hi]
    for f in futures:
        f.result()
