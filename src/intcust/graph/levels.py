"""Topological levels of a directed graph given as edge arrays (Kahn's algorithm).

Every array algorithm that walks a DAG level by level starts here: the
timing engine's passes, reachability over a condensation, failure
propagation.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

__all__ = ["topological_levels"]

IntArray = NDArray[np.int64]


def topological_levels(n: int, src: IntArray, dst: IntArray) -> IntArray:
    """Longest-path level of every node of the graph ``src[e] -> dst[e]`` on nodes ``0..n-1``.

    Nodes without predecessors have level 0; a node's level is one more than
    the largest level of its predecessors. Kahn's (1962) algorithm, one numpy
    step per level. Nodes on or behind a cycle keep level -1.

    Examples
    --------
    >>> import numpy as np
    >>> topological_levels(4, np.array([0, 0, 1]), np.array([1, 2, 2]))
    array([0, 1, 2, 0])
    >>> topological_levels(2, np.array([0, 1]), np.array([1, 0]))
    array([-1, -1])
    """
    level = np.full(n, -1, dtype=np.int64)
    indeg = np.bincount(dst, minlength=n)
    if np.any(src[1:] < src[:-1]):
        order = np.argsort(src, kind="stable")
        src, dst = src[order], dst[order]
    ptr = np.concatenate([[0], np.cumsum(np.bincount(src, minlength=n))])
    frontier = np.flatnonzero(indeg == 0)
    k = 0
    while frontier.size:
        level[frontier] = k
        starts, ends = ptr[frontier], ptr[frontier + 1]
        counts = ends - starts
        total = int(counts.sum())
        if total == 0:
            break
        pos = np.repeat(ends - counts.cumsum(), counts) + np.arange(total)
        dec = np.bincount(dst[pos], minlength=n)
        indeg -= dec
        touched = np.flatnonzero(dec)
        frontier = touched[indeg[touched] == 0]
        k += 1
    return level
