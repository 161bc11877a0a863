"""Compiled kernels: numba, imported on first use and cached on disk.

Heavy loops (the timing engine's passes, betweenness) are plain Python
functions over numpy arrays, compiled by numba. Modules that define kernels
decorate them with `kernel` and are themselves imported only inside the
public functions that need them, so ``import intcust`` never imports numba.
``cache=True`` writes the machine code beside the module (or under
``NUMBA_CACHE_DIR``), so later processes skip compilation.

A kernel's result never depends on how many threads ran it: parallel loops
write disjoint outputs, and floating-point sums run in a fixed order.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

__all__ = ["kernel", "parallel_kernel"]

F = TypeVar("F", bound=Callable[..., Any])


def kernel(fn: F) -> F:
    """Compile `fn` with numba (no Python objects, releases the GIL, cached)."""
    import numba

    return cast(F, numba.njit(cache=True, nogil=True)(fn))


def parallel_kernel(fn: F) -> F:
    """As `kernel`, with ``numba.prange`` loops run on numba's thread pool."""
    import numba

    return cast(F, numba.njit(cache=True, nogil=True, parallel=True)(fn))
