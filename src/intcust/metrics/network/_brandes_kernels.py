"""Compiled kernels of `betweenness`: Brandes' accumulation from a set of sources.

Imported only inside `intcust.metrics.network.brandes` functions, so that
``import intcust`` does not import numba. The graph is a CSR successor list
(``ptr``, ``dst``) with one row per supplier-customer pair and no self-loop.

Sources are cut into `n_chunks` contiguous chunks, run in parallel (or one
after the other when the work is small); each chunk adds its sources'
dependencies into its own row of sums, and the rows are added in chunk
order. The chunks depend only on the sources, never on the number of
threads, so neither do the results.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numba import prange
from numpy.typing import NDArray

from intcust._jit import kernel, parallel_kernel

__all__ = ["dependency_sums"]

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]

#: Sources times (nodes + edges) below which one thread runs all the chunks.
_PARALLEL_WORK = 1 << 20


@kernel
def _bfs(
    ptr: Any,
    dst: Any,
    s: int,
    dist: Any,
    sigma: Any,
    delta: Any,
    coef: Any,
    order: Any,
) -> int:
    """Dependencies of every node on source `s`, chains measured in hand-offs.

    Fills ``delta`` and returns how many nodes `s` reaches (`order` holds
    them in breadth-first order). ``dist`` must be -1 and ``sigma``,
    ``delta`` 0 on entry; the caller resets the reached nodes afterwards.
    """
    dist[s] = 0
    sigma[s] = 1.0
    order[0] = s
    head, tail = 0, 1
    while head < tail:
        v = order[head]
        head += 1
        dv = dist[v] + 1
        sv = sigma[v]
        for e in range(ptr[v], ptr[v + 1]):
            w = dst[e]
            if dist[w] < 0:
                dist[w] = dv
                order[tail] = w
                tail += 1
            if dist[w] == dv:
                sigma[w] += sv
    for i in range(tail - 1, -1, -1):
        v = order[i]
        dv = dist[v] + 1
        acc = 0.0
        for e in range(ptr[v], ptr[v + 1]):
            w = dst[e]
            if dist[w] == dv:
                acc += coef[w]
        delta[v] = sigma[v] * acc
        coef[v] = (1.0 + delta[v]) / sigma[v]
    return tail


@kernel
def _push(hd: Any, hz: Any, hn: Any, size: int, d: int, z: int, v: int) -> None:
    """Put node `v` with key (`d`, `z`) into the 4-ary heap of `size` entries."""
    i = size
    while i > 0:
        parent = (i - 1) >> 2
        if d < hd[parent] or (d == hd[parent] and z < hz[parent]):
            hd[i], hz[i], hn[i] = hd[parent], hz[parent], hn[parent]
            i = parent
        else:
            break
    hd[i], hz[i], hn[i] = d, z, v


@kernel
def _pop(hd: Any, hz: Any, hn: Any, size: int) -> int:
    """Remove the entry with the least key from the 4-ary heap of `size`; return its node."""
    top: int = hn[0]
    size -= 1
    d, z, v = hd[size], hz[size], hn[size]
    i = 0
    while True:
        child = 4 * i + 1
        if child >= size:
            break
        best = child
        for c in range(child + 1, min(child + 4, size)):
            if hd[c] < hd[best] or (hd[c] == hd[best] and hz[c] < hz[best]):
                best = c
        if hd[best] < d or (hd[best] == d and hz[best] < z):
            hd[i], hz[i], hn[i] = hd[best], hz[best], hn[best]
            i = best
        else:
            break
    hd[i], hz[i], hn[i] = d, z, v
    return top


@kernel
def _dijkstra(
    ptr: Any,
    dst: Any,
    length: Any,
    s: int,
    dist: Any,
    zeros: Any,
    sigma: Any,
    delta: Any,
    coef: Any,
    order: Any,
    hd: Any,
    hz: Any,
    hn: Any,
    done: Any,
) -> int:
    """Dependencies of every node on source `s`, chains measured by integer `length`.

    Chains compare by length, then by their number of zero-length hand-offs,
    so that cycles of zero length never count. Dijkstra's algorithm with a
    lazy 4-ary heap (``hd``, ``hz``, ``hn``: key and node of each entry; a
    node re-enters when its key improves, and stale entries are skipped).
    Fills ``delta`` and returns how many nodes `s` reaches (`order` holds
    them in the order they were settled). ``dist`` must be -1, ``sigma`` and
    ``delta`` 0 and ``done`` False on entry.
    """
    dist[s] = 0
    zeros[s] = 0
    sigma[s] = 1.0
    _push(hd, hz, hn, 0, 0, 0, s)
    size = 1
    settled = 0
    while size > 0:
        v = _pop(hd, hz, hn, size)
        size -= 1
        if done[v]:
            continue
        done[v] = True
        order[settled] = v
        settled += 1
        dv, zv, sv = dist[v], zeros[v], sigma[v]
        for e in range(ptr[v], ptr[v + 1]):
            w = dst[e]
            # a settled w never improves nor ties: its key is below v's
            d = dv + length[e]
            z = zv + (length[e] == 0)
            if dist[w] < 0 or d < dist[w] or (d == dist[w] and z < zeros[w]):
                dist[w] = d
                zeros[w] = z
                sigma[w] = sv
                _push(hd, hz, hn, size, d, z, w)
                size += 1
            elif d == dist[w] and z == zeros[w]:
                sigma[w] += sv
    for i in range(settled - 1, -1, -1):
        v = order[i]
        dv, zv = dist[v], zeros[v]
        acc = 0.0
        for e in range(ptr[v], ptr[v + 1]):
            w = dst[e]
            if dist[w] == dv + length[e] and zeros[w] == zv + (length[e] == 0):
                acc += coef[w]
        delta[v] = sigma[v] * acc
        coef[v] = (1.0 + delta[v]) / sigma[v]
    return settled


@kernel
def _chunk(ptr: Any, dst: Any, length: Any, sources: Any, out: Any) -> None:
    """Add the dependencies of every node on each of `sources`, in order, to `out`.

    ``out[0]`` gets the dependencies, ``out[1]`` their squares; a source's
    dependency on itself is left out.
    """
    n = len(ptr) - 1
    weighted = len(length) > 0
    dist = np.full(n, -1, dtype=np.int64)
    zeros = np.zeros(n, dtype=np.int64)
    sigma = np.zeros(n)
    delta = np.zeros(n)
    coef = np.zeros(n)
    order = np.empty(n, dtype=np.int64)
    # a lazy heap holds at most one entry per edge, plus the source
    size = len(dst) + 1 if weighted else 0
    heap_dist = np.empty(size, dtype=np.int64)
    heap_zeros = np.empty(size, dtype=np.int64)
    heap_node = np.empty(size, dtype=np.int64)
    done = np.zeros(n, dtype=np.bool_)
    for s in sources:
        if weighted:
            heap = (heap_dist, heap_zeros, heap_node, done)
            reached = _dijkstra(ptr, dst, length, s, dist, zeros, sigma, delta, coef, order, *heap)
        else:
            reached = _bfs(ptr, dst, s, dist, sigma, delta, coef, order)
        for i in range(reached):
            v = order[i]
            if v != s:
                x = delta[v]
                out[0, v] += x
                out[1, v] += x * x
            dist[v] = -1
            sigma[v] = 0.0
            delta[v] = 0.0
            done[v] = False


@parallel_kernel
def _parallel(ptr: Any, dst: Any, length: Any, sources: Any, n_chunks: int) -> Any:
    n = len(ptr) - 1
    partial = np.zeros((n_chunks, 2, n))
    for c in prange(n_chunks):
        lo = c * len(sources) // n_chunks
        hi = (c + 1) * len(sources) // n_chunks
        _chunk(ptr, dst, length, sources[lo:hi], partial[c])
    result = np.zeros((2, n))
    for c in range(n_chunks):
        result += partial[c]
    return result


@kernel
def _serial(ptr: Any, dst: Any, length: Any, sources: Any, n_chunks: int) -> Any:
    n = len(ptr) - 1
    partial = np.zeros((n_chunks, 2, n))
    for c in range(n_chunks):
        lo = c * len(sources) // n_chunks
        hi = (c + 1) * len(sources) // n_chunks
        _chunk(ptr, dst, length, sources[lo:hi], partial[c])
    result = np.zeros((2, n))
    for c in range(n_chunks):
        result += partial[c]
    return result


def dependency_sums(
    ptr: IntArray, dst: IntArray, length: IntArray, sources: IntArray, n_chunks: int
) -> FloatArray:
    """Per node, the sum and sum of squares of its dependency on each source.

    Parameters
    ----------
    ptr, dst : int64 arrays
        The successors of node ``v`` are ``dst[ptr[v]:ptr[v + 1]]``; no self-loops.
    length : int64 array
        The length of each edge, or an empty array to count hand-offs.
    sources : int64 array
        The source nodes.
    n_chunks : int
        How many chunks the sources are cut into (at least 1).

    Returns
    -------
    float64 array of shape (2, n)
        The sums of the dependencies (row 0) and of their squares (row 1); a
        source's dependency on itself is left out.
    """
    # small runs are not worth waking the thread pool (and waiting for it
    # when other processes hold the cores); both runs add in the same order
    small = len(sources) * (len(ptr) + len(dst)) < _PARALLEL_WORK
    run = _serial if small else _parallel
    out: FloatArray = run(ptr, dst, length, sources, n_chunks)
    return out
