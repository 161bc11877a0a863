"""Sparse-matrix steps the structure metrics share: patterns, look-ups and triangles."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

if TYPE_CHECKING:
    import scipy.sparse as sp

__all__ = ["binary", "lookup", "restrict", "triangles"]

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]


def binary(A: sp.csr_array) -> sp.csr_array:
    """The pattern of `A` with every stored entry set to 1 (zero weights included)."""
    B = A.copy()
    B.data = np.ones_like(B.data)
    return B


def restrict(A: sp.csr_array, members: IntArray) -> sp.csr_array:
    """The rows and columns `members` of `A` (all of `A` when they are every node)."""
    if len(members) == A.shape[0]:
        return A
    sub: sp.csr_array = A[members][:, members].tocsr()
    sub.sort_indices()
    return sub


def lookup(M: sp.csr_array, rows: NDArray[Any], cols: NDArray[Any]) -> FloatArray:
    """The entries ``M[rows[t], cols[t]]`` (0 where not stored), by binary search.

    `M` must have sorted indices, so that its entries' keys ``row * n + col``
    are sorted.
    """
    n = M.shape[1]
    keys = np.repeat(np.arange(M.shape[0], dtype=np.int64), np.diff(M.indptr)) * n + M.indices
    want = np.asarray(rows, dtype=np.int64) * n + np.asarray(cols, dtype=np.int64)
    pos = np.minimum(np.searchsorted(keys, want), max(keys.size - 1, 0))
    found = keys[pos] == want if keys.size else np.zeros(want.size, dtype=bool)
    return np.where(found, M.data[pos] if keys.size else 0.0, 0.0).astype(np.float64)


def triangles(U: sp.csr_array) -> tuple[IntArray, IntArray, IntArray]:
    """Every triangle {a, b, c} of the symmetric pattern `U`, once each.

    Nodes are ranked by degree and each edge is kept from its lower-ranked
    end only, so a hub's list stays short: the common forward neighbours of
    the two ends of each kept edge close its triangles, in
    :math:`O(m^{3/2})` for m ties (Chiba and Nishizeki 1985).
    """
    n = U.shape[0]
    deg = np.diff(U.indptr)
    rank = np.empty(n, dtype=np.int64)
    rank[np.lexsort((np.arange(n), deg))] = np.arange(n)
    C = U.tocoo()
    keep = rank[C.row] < rank[C.col]
    import scipy.sparse as sp

    F = sp.csr_array((np.ones(int(keep.sum())), (C.row[keep], C.col[keep])), shape=(n, n))
    a, b = (np.asarray(x, dtype=np.int64) for x in F.nonzero())
    if a.size == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty
    X = F[a].multiply(F[b]).tocoo()
    return a[X.row], b[X.row], np.asarray(X.col, dtype=np.int64)
