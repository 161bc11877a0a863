"""Betweenness: how many shortest hand-off chains pass through each node.

Brandes' (2001) algorithm, run for a block of sources at once on sparse
arrays: breadth-first levels are sparse matrix products, and the dependency
accumulation walks the levels back. Large organisations use `k` sampled
sources (Brandes and Pich 2007) with a standard error per node.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import scipy.sparse as sp
from scipy.sparse import csgraph

from intcust._params import Seed, check_int, rng_from_seed
from intcust.errors import ParameterError
from intcust.metrics._network import FloatArray, Graph, IntArray, Network, at_level, network
from intcust.results import NodeScores

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["BetweennessScores", "betweenness"]

#: Sources x nodes cells held at once (a few arrays of this size are alive).
_BLOCK_CELLS = 1 << 22


class BetweennessScores(NodeScores):
    """Betweenness per node, with the standard error of a sampled estimate.

    A `NodeScores` (node -> betweenness) with two more attributes: `stderr`,
    node -> standard error of the estimate (all 0 when computed exactly), and
    `k`, the number of source nodes used.
    """

    stderr: NodeScores
    k: int

    def to_frame(self) -> pd.DataFrame:
        """A ``pandas.DataFrame`` with the columns ``betweenness`` and ``stderr``."""
        frame = super().to_frame()
        frame["stderr"] = frame.index.map(self.stderr)
        return frame


def betweenness(
    G: Graph,
    *,
    weight: str | None = None,
    normalized: bool = True,
    k: int | None = None,
    seed: Seed = None,
    estimate: str = "mode",
    level: str = "person",
) -> BetweennessScores:
    """How many shortest hand-off chains between two others pass through each node.

    A node with high betweenness sits on the routes work takes between
    other people: a broker whose absence lengthens many chains, or a
    bottleneck everyone's work has to pass.

    Parameters
    ----------
    G : networkx.DiGraph or CompiledOrg
        An organisation or any directed graph; edge ``u -> v`` means u supplies v,
        and chains follow that direction.
    weight : str or None, optional
        None (default) measures a chain by its number of hand-offs. An edge
        attribute name measures it by the sum of that attribute, which must
        then be a *distance*, such as ``"lead_time"`` (durations count by
        their point value), never a volume or frequency, where more would
        mean closer. A missing value counts as the schema default
        (``lead_time`` 0) or 1.
    normalized : bool, optional
        Divide by :math:`(n-1)(n-2)`, the number of ordered pairs of other
        nodes, as networkx does for directed graphs; the result lies in [0, 1].
    k : int, optional
        Estimate from `k` source nodes drawn at random without replacement
        (3 <= k <= n) instead of all of them; ``k = n`` is exact.
    seed : None, int or numpy Generator, optional
        The random source for the `k` sampled nodes.
    estimate : {"mode", "mean", "median"}, optional
        The point value of a `weight` given as a duration distribution.
    level : {"person", "unit"}, optional
        ``"unit"`` computes on the unit-level rollup of `G`.

    Returns
    -------
    BetweennessScores
        node -> betweenness, with ``.stderr`` (node -> standard error, 0 when
        exact) and ``.k`` (the number of sources).

    Raises
    ------
    ParameterError
        If `k` is not in [3, n], or a weight is negative or not a number (the
        message names the edge).

    Notes
    -----
    With :math:`\\sigma_{st}` the number of shortest chains from s to t and
    :math:`\\sigma_{st}(v)` those through v, the betweenness of v is
    :math:`\\sum_{s \\ne v \\ne t} \\sigma_{st}(v) / \\sigma_{st}`. Brandes
    (2001) sums the dependencies :math:`\\delta_s(v) = \\sum_{w: v \\in P_s(w)}
    \\frac{\\sigma_{sv}}{\\sigma_{sw}} (1 + \\delta_s(w))` over sources s. Here
    the sources of a block go through the breadth-first levels together as
    sparse matrix products. Weighted chains use Dijkstra distances from
    `scipy.sparse.csgraph` and the same accumulation over the edges of
    shortest chains. With positive weights this is
    ``networkx.betweenness_centrality(G, weight=weight)``. Ties of zero
    weight (a feedback loop with no lead time) would make endless chains;
    among chains equally short, only those with the fewest zero-weight
    hand-offs count.

    With `k` sources S, a node's dependencies form a simple random sample
    from the :math:`N = n - 1` other nodes, of size :math:`k_v = k` (or
    :math:`k - 1` when v is in S); the estimate :math:`\\frac{N}{k_v}
    \\sum_{s \\in S} \\delta_s(v)` is that of ``networkx.betweenness_centrality``
    with the same `k` (Brandes and Pich 2007), and its standard error is
    :math:`N \\sqrt{(1 - k_v/N)\\, s_v^2 / k_v}`, with :math:`s_v^2` the
    sample variance of the dependencies.

    References
    ----------
    .. [1] U. Brandes, "A faster algorithm for betweenness centrality",
       Journal of Mathematical Sociology 25 (2001) 163–177.
    .. [2] U. Brandes and C. Pich, "Centrality estimation in large networks",
       International Journal of Bifurcation and Chaos 17 (2007) 2303–2318.

    Examples
    --------
    >>> import intcust as ic
    >>> G = ic.datasets.company()
    >>> bc = ic.metrics.betweenness(G)
    >>> [(node, round(x, 3)) for node, x in bc.top(2)]
    [('sales ops', 0.202), ('planner', 0.172)]
    >>> bc.stderr["sales ops"], bc.k
    (0.0, 65)

    Sampled from 20 sources, with the standard error of each estimate:

    >>> est = ic.metrics.betweenness(G, k=20, seed=1)
    >>> round(est["planner"], 3), round(est.stderr["planner"], 3)
    (0.157, 0.03)
    """
    func = "betweenness"
    G = at_level(G, level, func=func)
    net = network(G, weight=weight, func=func, estimate=estimate)
    n = net.n
    if k is not None:
        k = check_int(k, func=func, param="k")
        if not (3 <= k <= n or k == n):
            raise ParameterError(
                f"The 'k' parameter of {func} must be None or an int from 3 to the number of "
                f"nodes ({n}); got {k}."
            )
    rng = rng_from_seed(seed, func=func)
    exact = k is None or k == n
    sources = np.arange(n) if exact else rng.choice(n, size=k, replace=False)
    total, square = _dependencies(net, sources, weighted=weight is not None)

    values, error = _estimate(total, square, sources, n, normalized=normalized, exact=exact)
    result = BetweennessScores(
        zip(net.nodes, values.tolist(), strict=True),
        name="betweenness",
        description="shortest hand-off chains between others through the node",
    )
    result.stderr = NodeScores(
        zip(net.nodes, error.tolist(), strict=True),
        name="stderr",
        description="standard error of the sampled betweenness",
    )
    result.k = len(sources)
    return result


def _estimate(
    total: FloatArray,
    square: FloatArray,
    sources: IntArray,
    n: int,
    *,
    normalized: bool,
    exact: bool,
) -> tuple[FloatArray, FloatArray]:
    """Betweenness and its standard error from the dependency sums over `sources`."""
    N = n - 1
    scale = 1.0 / (N * (N - 1)) if normalized and N >= 2 else 1.0
    if exact or N < 2:
        return total * scale, np.zeros(n)
    # a node's own dependency is never sampled: sources have one sample fewer
    k_v = np.full(n, float(len(sources)))
    k_v[sources] -= 1.0
    mean = total / k_v
    var = np.maximum(square - k_v * mean**2, 0.0) / (k_v - 1.0)
    error = N * np.sqrt(var * np.maximum(1.0 - k_v / N, 0.0) / k_v) * scale
    return N * mean * scale, error


def _dependencies(
    net: Network, sources: IntArray, *, weighted: bool
) -> tuple[FloatArray, FloatArray]:
    """Sum and sum of squares over `sources` of Brandes' dependency of each node."""
    n = net.n
    total = np.zeros(n)
    square = np.zeros(n)
    if n == 0 or len(sources) == 0:
        return total, square
    A = net.matrix(np.ones(len(net.src)) if not weighted else None)
    AT = A.T.tocsr()
    # the weighted path holds a sources x edges mask as well
    block = max(1, _BLOCK_CELLS // max(n, len(net.src) if weighted else 0))
    for lo in range(0, len(sources), block):
        S = sources[lo : lo + block]
        delta = _block_bfs(A, AT, S) if not weighted else _block_weighted(net, A, S)
        delta[np.arange(len(S)), S] = 0.0  # a source's own dependency does not count
        total += delta.sum(axis=0)
        square += (delta**2).sum(axis=0)
    return total, square


def _csr_rows(rows: IntArray, cols: IntArray, data: FloatArray, shape: tuple[int, int]) -> Any:
    """A CSR array from entries whose `rows` are sorted (no sorting, no copies)."""
    ptr = np.zeros(shape[0] + 1, dtype=cols.dtype)
    np.cumsum(np.bincount(rows, minlength=shape[0]), out=ptr[1:])
    return sp.csr_array((data, cols, ptr), shape=shape)


def _entries(M: Any, n: int) -> tuple[IntArray, IntArray, IntArray]:
    """Rows, columns and flat ``row * n + column`` keys of the entries of `M`."""
    rows = np.repeat(np.arange(M.shape[0], dtype=M.indices.dtype), np.diff(M.indptr))
    return rows, M.indices, rows.astype(np.int64) * n + M.indices


def _block_bfs(A: Any, AT: Any, S: IntArray) -> FloatArray:
    """Dependencies of every node on each source in `S` (rows), hops as distance.

    Level d + 1 of every source is the product of the level-d frontier
    (a sparse block, path counts as values) with the adjacency matrix, keeping
    the nodes not reached before; the dependencies flow back level by level
    through the transpose.
    """
    B, n = len(S), A.shape[0]
    dist = np.full(B * n, -1, dtype=np.int32)
    sigma = np.zeros(B * n)
    rows = np.arange(B, dtype=A.indices.dtype)
    cols = S.astype(A.indices.dtype)
    key = rows.astype(np.int64) * n + cols
    dist[key] = 0
    sigma[key] = 1.0
    levels = [(rows, cols, key)]
    while True:
        r, c, key = levels[-1]
        P = _csr_rows(r, c, sigma[key], (B, n)) @ A
        r, c, key = _entries(P, n)
        new = dist[key] < 0
        if not new.any():
            break
        r, c, key = r[new], c[new], key[new]
        dist[key] = len(levels)
        sigma[key] = P.data[new]
        levels.append((r, c, key))
    delta = np.zeros(B * n)
    for d in range(len(levels) - 1, 0, -1):
        r, c, key = levels[d]
        Q = _csr_rows(r, c, (1.0 + delta[key]) / sigma[key], (B, n)) @ AT
        _, _, key = _entries(Q, n)
        back = dist[key] == d - 1
        key = key[back]
        delta[key] += sigma[key] * Q.data[back]
    return delta.reshape(B, n)


def _block_weighted(net: Network, A: Any, S: IntArray) -> FloatArray:
    """Dependencies on each source in `S` (rows) with edge weights as distances.

    The edges of shortest chains are the *tight* ones, along which the
    weight distance grows by the edge's weight. Among chains equally short,
    only those with the fewest zero-weight edges count, which breaks cycles
    of zero weight. For all sources of the block these edges form one
    block-diagonal DAG, walked in Kahn's levels for the path counts and back
    for the dependencies.
    """
    B, n = len(S), net.n
    size = B * n
    D = csgraph.dijkstra(A, directed=True, indices=S)
    tight = (D[:, net.src] + net.weight == D[:, net.dst]) & np.isfinite(D[:, net.dst])
    tight &= net.src != net.dst
    b, e = np.nonzero(tight)
    u = b * n + net.src[e]
    v = b * n + net.dst[e]
    start = np.arange(B) * n + S
    zero = net.weight[e] == 0
    if zero.any():
        # explicit zeros stay edges in csgraph: positive-weight edges cost 0, zero-weight 1
        Z = sp.coo_array((zero.astype(float), (u, v)), shape=(size, size)).tocsr()
        fewest = csgraph.dijkstra(Z, directed=True, indices=start, min_only=True)
        keep = fewest[v] == fewest[u] + zero
        u, v = u[keep], v[keep]
    T = sp.coo_array((np.ones(len(u)), (u, v)), shape=(size, size)).tocsr()
    layers = _kahn_layers(T, v, start)
    sigma = np.zeros(size)
    sigma[start] = 1.0
    for frontier in layers:
        sub = T[frontier]
        r = np.repeat(frontier, np.diff(sub.indptr))
        np.add.at(sigma, sub.indices, sigma[r])
    delta = np.zeros(size)
    for frontier in reversed(layers):
        sub = T[frontier]
        r = np.repeat(frontier, np.diff(sub.indptr))
        c = sub.indices
        np.add.at(delta, r, sigma[r] / sigma[c] * (1.0 + delta[c]))
    return delta.reshape(B, n)


def _kahn_layers(T: Any, heads: IntArray, start: IntArray) -> list[IntArray]:
    """The nodes reached from `start` in the DAG `T`, layer by layer (Kahn 1962)."""
    indeg = np.bincount(heads, minlength=T.shape[0])
    frontier = start
    layers = []
    while frontier.size:
        layers.append(frontier)
        sub = T[frontier]
        c = sub.indices.astype(np.int64)
        np.subtract.at(indeg, c, 1)
        touched = np.unique(c)
        frontier = touched[indeg[touched] == 0]
    return layers
