"""Compiled kernels of `betweenness`: Brandes' accumulation from a set of sources.

Imported only inside `intcust.metrics.network.brandes` functions, so that
``import intcust`` does not import numba. The graph is a CSR successor list
(``ptr``, ``dst``) with one row per supplier-customer pair and no self-loop.

The searches (from sources on one or more graphs: a graph and its reverse)
are cut into `n_chunks` contiguous chunks; each chunk adds its dependencies
into its own rows of sums, and the rows are added in chunk order. The chunks
depend only on the sources, never on the number of threads, so neither do
the results. Large runs spread the chunks over ``numba.get_num_threads()``
Python threads (the kernels release the GIL) rather than a numba parallel
loop: idle OpenMP workers spin, and on a machine shared with other
processes that slowed runs several-fold; waiting Python threads sleep.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numba
import numpy as np
from numpy.typing import NDArray

from intcust._jit import inner_kernel, kernel

__all__ = ["dependency_sums"]

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]

#: Searches times (nodes + edges) below which one thread runs all the chunks.
_PARALLEL_WORK = 1 << 22


@inner_kernel
def _bfs(
    ptr: Any,
    dst: Any,
    s: int,
    dist: Any,
    sigma: Any,
    coef: Any,
    order: Any,
    tight_ptr: Any,
    tight: Any,
    out: Any,
) -> int:
    """Add every node's dependency on source `s` (and its square) to ``out``; hand-offs count.

    The search keeps, for the i-th node it reaches, the successors one
    hand-off farther in ``tight[tight_ptr[i]:tight_ptr[i + 1]]``, and the
    accumulation walks only those. Returns how many nodes `s` reaches
    (`order` holds them in breadth-first order); ``dist`` must be -1 and
    ``sigma`` 0 on entry, and the caller resets the reached nodes.
    """
    dist[s] = 0
    sigma[s] = 1.0
    order[0] = s
    head, tail, count = 0, 1, 0
    while head < tail:
        v = order[head]
        tight_ptr[head] = count
        head += 1
        dv = dist[v] + 1
        sv = sigma[v]
        for e in range(ptr[v], ptr[v + 1]):
            w = dst[e]
            dw = dist[w]
            if dw < 0:
                dist[w] = dv
                sigma[w] = sv
                order[tail] = w
                tail += 1
            elif dw == dv:
                sigma[w] += sv
            else:
                continue
            tight[count] = w
            count += 1
    tight_ptr[tail] = count
    # coef[w] = (1 + delta[w]) / sigma[w], the share each chain through w carries
    for i in range(tail - 1, 0, -1):
        v = order[i]
        acc = 0.0
        for j in range(tight_ptr[i], tight_ptr[i + 1]):
            acc += coef[tight[j]]
        delta = sigma[v] * acc
        coef[v] = (1.0 + delta) / sigma[v]
        out[0, v] += delta
        out[1, v] += delta * delta
    return tail


@inner_kernel
def _push(keys: Any, nodes: Any, size: int, key: int, v: int) -> None:
    """Put node `v` with `key` into the 4-ary heap of `size` entries."""
    i = size
    while i > 0:
        parent = (i - 1) >> 2
        if key >= keys[parent]:
            break
        keys[i], nodes[i] = keys[parent], nodes[parent]
        i = parent
    keys[i], nodes[i] = key, v


@inner_kernel
def _pop(keys: Any, nodes: Any, size: int) -> int:
    """Remove the entry with the least key from the 4-ary heap of `size`; return its node."""
    top: int = nodes[0]
    size -= 1
    key, v = keys[size], nodes[size]
    i = 0
    while True:
        child = 4 * i + 1
        if child >= size:
            break
        best = child
        for c in range(child + 1, min(child + 4, size)):
            if keys[c] < keys[best]:
                best = c
        if keys[best] >= key:
            break
        keys[i], nodes[i] = keys[best], nodes[best]
        i = best
    keys[i], nodes[i] = key, v
    return top


@inner_kernel
def _dijkstra(
    ptr: Any,
    dst: Any,
    length: Any,
    s: int,
    dist: Any,
    sigma: Any,
    delta: Any,
    order: Any,
    heap: Any,
    preds: Any,
    out: Any,
) -> int:
    """Add every node's dependency on source `s` (and its square) to ``out``; `length` counts.

    Dijkstra's algorithm with positive integer lengths and a lazy 4-ary
    heap (``heap``: key and node arrays, and whether each node is settled;
    a node re-enters when its distance improves, and stale entries are
    skipped), keeping each node's predecessors on shortest chains as a
    linked list (``preds``: first entry per node, then node and next entry
    per entry), as networkx does. Returns how many nodes `s` reaches
    (`order` holds them in the order they were settled); ``dist`` must be
    -1, ``sigma`` and ``delta`` 0 and the settled flags False on entry, and
    the caller resets the reached nodes.
    """
    keys, nodes, done = heap
    first, node, after = preds
    dist[s] = 0
    sigma[s] = 1.0
    first[s] = -1
    _push(keys, nodes, 0, 0, s)
    size, settled, count = 1, 0, 0
    while size > 0:
        v = _pop(keys, nodes, size)
        size -= 1
        if done[v]:
            continue
        done[v] = True
        order[settled] = v
        settled += 1
        dv, sv = dist[v], sigma[v]
        for e in range(ptr[v], ptr[v + 1]):
            w = dst[e]
            # lengths are positive: a settled w never improves nor ties
            d = dv + length[e]
            if dist[w] < 0 or d < dist[w]:
                dist[w] = d
                sigma[w] = sv
                node[count], after[count], first[w] = v, -1, count
                count += 1
                _push(keys, nodes, size, d, w)
                size += 1
            elif d == dist[w]:
                sigma[w] += sv
                node[count], after[count], first[w] = v, first[w], count
                count += 1
    for i in range(settled - 1, 0, -1):
        w = order[i]
        share = (1.0 + delta[w]) / sigma[w]
        j = first[w]
        while j >= 0:
            v = node[j]
            delta[v] += sigma[v] * share
            j = after[j]
        out[0, w] += delta[w]
        out[1, w] += delta[w] * delta[w]
    return settled


@inner_kernel
def _chunk(ptr: Any, dst: Any, length: Any, sources: Any, out: Any) -> None:
    """Add the dependencies of every node on each of `sources`, in order, to `out`.

    ``out[0]`` gets the dependencies, ``out[1]`` their squares; a source's
    dependency on itself is left out.
    """
    n, m = len(ptr) - 1, len(dst)
    dist = np.full(n, -1, dtype=np.int64)
    sigma = np.zeros(n)
    order = np.empty(n, dtype=np.int64)
    if len(length) == 0:
        coef = np.zeros(n)
        tight_ptr = np.empty(n + 1, dtype=np.int64)
        tight = np.empty(m, dtype=np.int64)
        for s in sources:
            reached = _bfs(ptr, dst, s, dist, sigma, coef, order, tight_ptr, tight, out)
            for i in range(reached):
                dist[order[i]] = -1
                sigma[order[i]] = 0.0
        return
    delta = np.zeros(n)
    # a lazy heap holds at most one entry per edge, plus the source
    heap = (
        np.empty(m + 1, dtype=np.int64),
        np.empty(m + 1, dtype=np.int64),
        np.zeros(n, np.bool_),
    )
    preds = (
        np.full(n, -1, dtype=np.int64),
        np.empty(m, dtype=np.int64),
        np.empty(m, dtype=np.int64),
    )
    for s in sources:
        reached = _dijkstra(ptr, dst, length, s, dist, sigma, delta, order, heap, preds, out)
        for i in range(reached):
            v = order[i]
            dist[v] = -1
            sigma[v] = 0.0
            delta[v] = 0.0
            heap[2][v] = False


@kernel
def _run_chunk(
    ptrs: Any,
    dsts: Any,
    lengths: Any,
    sources: Any,
    counts: Any,
    c: int,
    n_chunks: int,
    out: Any,
) -> None:
    """Chunk `c` of the searches: graph g from the first ``counts[g]`` sources, graph by graph.

    Graph g (row g of `ptrs`, `dsts`, `lengths`) adds its sums to rows
    ``2g`` and ``2g + 1`` of ``out``.
    """
    jobs = counts.sum()
    lo = c * jobs // n_chunks
    hi = (c + 1) * jobs // n_chunks
    start = 0
    for g in range(len(ptrs)):
        a, b = max(lo, start), min(hi, start + counts[g])
        if a < b:
            part = sources[a - start : b - start]
            _chunk(ptrs[g], dsts[g], lengths[g], part, out[2 * g : 2 * g + 2])
        start += counts[g]


def dependency_sums(
    ptrs: IntArray,
    dsts: IntArray,
    lengths: IntArray,
    sources: IntArray,
    counts: IntArray,
    n_chunks: int,
) -> FloatArray:
    """Per node, the sum and sum of squares of its dependency on each source, per graph.

    Parameters
    ----------
    ptrs, dsts, lengths : 2-d int64 arrays
        Row g describes graph g (a graph and its reverse, say, on the same
        nodes and as many edges): the successors of node ``v`` are
        ``dsts[g, ptrs[g, v]:ptrs[g, v + 1]]``, with no self-loops, and
        ``lengths[g]`` holds the positive length of each edge, or has no
        columns to count hand-offs.
    sources : int64 array
        The source nodes.
    counts : int64 array
        Graph g is searched from the first ``counts[g]`` of `sources`.
    n_chunks : int
        How many chunks the searches are cut into (at least 1).

    Returns
    -------
    float64 array of shape (2 * len(ptrs), n)
        For graph g, the sums of the dependencies (row 2g) and of their
        squares (row 2g + 1); a source's dependency on itself is left out.
    """
    n = ptrs.shape[1] - 1
    partial = np.zeros((n_chunks, 2 * len(ptrs), n))

    def run(c: int) -> None:
        _run_chunk(ptrs, dsts, lengths, sources, counts, c, n_chunks, partial[c])

    work = int(counts.sum()) * (ptrs.shape[1] + dsts.shape[1])
    threads = min(numba.get_num_threads(), n_chunks) if work >= _PARALLEL_WORK else 1
    if threads > 1:
        with ThreadPoolExecutor(threads) as pool:
            list(pool.map(run, range(n_chunks)))
    else:
        for c in range(n_chunks):
            run(c)
    result: FloatArray = partial[0].copy()
    for c in range(1, n_chunks):
        result += partial[c]
    return result
