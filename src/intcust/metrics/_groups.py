"""Shared plumbing of the structure metrics: levels, groupings and tie matrices.

Every structure metric reads an organisation (or any ``nx.DiGraph``) the same
way: at person level or on the unit-level organisation, with ties as a sparse
matrix whose entry ``(i, j)`` is the weight of ``i -> j`` (``i`` supplies
``j``), and, where it needs one, a grouping of the nodes by an attribute.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Hashable
from typing import Any

import networkx as nx
import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from intcust._params import check_choice
from intcust.errors import ParameterError
from intcust.graph.views import MISSING, lacking_error, rollup

__all__ = [
    "LEVELS",
    "MISSING",
    "at_level",
    "binary",
    "group_codes",
    "lookup",
    "restrict",
    "tie_matrix",
    "triangles",
]

LEVELS = ("person", "unit")

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]


def at_level(G: nx.DiGraph, level: str, *, func: str) -> nx.DiGraph:
    """`G` itself for ``level="person"``, its unit-level organisation for ``"unit"``."""
    if not isinstance(G, nx.DiGraph):
        raise ParameterError(
            f"The 'G' parameter of {func} must be a networkx.DiGraph; got {type(G).__name__}."
        )
    check_choice(level, LEVELS, func=func, param="level")
    if level == "person":
        return G
    unit_graph: nx.DiGraph = rollup(G)
    return unit_graph


def _edge_weight(value: Any, u: Hashable, v: Hashable, weight: str, func: str) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value):
        raise ParameterError(
            f"{weight} of edge {(u, v)!r} must be a finite number >= 0 for {func}; got {value!r}."
        )
    if value < 0:
        raise ParameterError(
            f"{weight} of edge {(u, v)!r} must be >= 0 for {func} (a tie cannot carry "
            f"negative weight); got {value!r}."
        )
    return float(value)


def tie_matrix(
    G: nx.DiGraph, nodes: list[Hashable], weight: str | None, *, func: str
) -> sp.csr_array:
    """The ties among `nodes` as a CSR matrix: entry (i, j) is the weight of i -> j.

    Self-loops are left out; an edge without the `weight` attribute weighs 1
    (the schema default of ``volume``), and so does one whose weight is None;
    ``weight=None`` gives every edge 1.
    Edges stay in the pattern even when their weight is 0.

    Raises
    ------
    ParameterError
        If a weight is negative, infinite or not a number; the message names the edge.
    """
    index = {n: i for i, n in enumerate(nodes)}
    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    for u, v, data in G.edges(data=True):
        if u == v or u not in index or v not in index:
            continue
        rows.append(index[u])
        cols.append(index[v])
        w = None if weight is None else data.get(weight)
        vals.append(1.0 if w is None else _edge_weight(w, u, v, str(weight), func))
    n = len(nodes)
    A = sp.coo_array(
        (
            np.asarray(vals, dtype=np.float64),
            (np.asarray(rows, np.int64), np.asarray(cols, np.int64)),
        ),
        shape=(n, n),
    ).tocsr()
    A.sort_indices()
    return A


def binary(A: sp.csr_array) -> sp.csr_array:
    """The pattern of `A` with every stored entry set to 1 (zero weights included)."""
    B = A.copy()
    B.data = np.ones_like(B.data)
    return B


def group_codes(
    G: nx.DiGraph, by: str, *, missing: str, func: str
) -> tuple[list[Hashable], IntArray, tuple[Hashable, ...]]:
    """Group the nodes of `G` by the node attribute `by`.

    Parameters
    ----------
    missing : {"raise", "drop", "own"}
        What to do with nodes that lack `by` (or have it set to None):
        raise a `ParameterError` naming them, leave them out of the
        computation, or put each in a group of its own, labelled by its name.

    Returns
    -------
    nodes : list
        The nodes taking part, in the order of `G`.
    codes : numpy.ndarray
        Group index of each node, into `labels`.
    labels : tuple
        The group labels in first-seen order.
    """
    if not isinstance(by, str):
        raise ParameterError(
            f"The 'by' parameter of {func} must be the name of a node attribute (a str); "
            f"got {by!r}."
        )
    check_choice(missing, MISSING, func=func, param="missing")
    values = dict(G.nodes(data=by, default=None))
    lacking = [n for n, g in values.items() if g is None]
    if lacking and missing == "raise":
        raise lacking_error(func, by, lacking, own="give each its own group")
    table: dict[Hashable, int] = {}
    nodes: list[Hashable] = []
    codes: list[int] = []
    for node, group in values.items():
        if group is None:
            if missing == "drop":
                continue
            group = node
        try:
            code = table.setdefault(group, len(table))
        except TypeError:
            raise ParameterError(
                f"{by} of node {node!r} must be a hashable label for {func}; got {group!r}."
            ) from None
        nodes.append(node)
        codes.append(code)
    return nodes, np.asarray(codes, dtype=np.int64), tuple(table)


def restrict(G: nx.DiGraph, nodes: list[Hashable]) -> nx.DiGraph:
    """`G` itself when `nodes` are all its nodes, else the subgraph they induce."""
    if len(nodes) == G.number_of_nodes():
        return G
    sub: nx.DiGraph = G.subgraph(nodes)
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
    F = sp.csr_array((np.ones(int(keep.sum())), (C.row[keep], C.col[keep])), shape=(n, n))
    a, b = (np.asarray(x, dtype=np.int64) for x in F.nonzero())
    if a.size == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty
    X = F[a].multiply(F[b]).tocoo()
    return a[X.row], b[X.row], np.asarray(X.col, dtype=np.int64)
