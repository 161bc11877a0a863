"""Krackhardt's four dimensions of an informal organisation's hierarchy."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from intcust.graph.levels import topological_levels
from intcust.metrics._network import Graph, at_level, network
from intcust.metrics._sparse import binary
from intcust.results import html_table

__all__ = ["KrackhardtDimensions", "krackhardt_dimensions"]

IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]

_CHUNK = 1024  # rows of the reachability matrix handled at once


@dataclass(frozen=True)
class KrackhardtDimensions:
    """How far an organisation is from a pure out-tree (1 = as a tree on that count).

    A value is None where it is not defined: no node pair to judge (R sna
    gives NaN there).
    """

    connectedness: float | None  #: share of node pairs joined by some semipath
    hierarchy: float | None  #: share of reachable pairs reachable one way only
    efficiency: float | None  #: 1 - share of ties beyond a spanning tree per component
    lubness: float | None  #: share of node pairs with a least upper bound

    def to_dict(self) -> dict[str, float | None]:
        """The four values, JSON-ready."""
        return {
            "connectedness": self.connectedness,
            "hierarchy": self.hierarchy,
            "efficiency": self.efficiency,
            "lubness": self.lubness,
        }

    def __repr__(self) -> str:
        parts = ", ".join(
            f"{k}={'None' if v is None else f'{v:.4g}'}" for k, v in self.to_dict().items()
        )
        return f"KrackhardtDimensions({parts})"

    def _repr_html_(self) -> str:
        return html_table(
            [[k, v] for k, v in self.to_dict().items()],
            ["dimension", "value"],
            caption="Krackhardt's dimensions (1 = out-tree)",
        )


def _closure(n: int, src: IntArray, dst: IntArray) -> BoolArray:
    """Reflexive reachability matrix of a DAG, filled level by level from the sinks."""
    R = np.eye(n, dtype=bool)
    if src.size == 0:
        return R
    level = topological_levels(n, src, dst)
    edge_level = level[src]
    for k in range(int(level.max()), -1, -1):
        on = edge_level == k
        if on.any():
            np.logical_or.at(R, src[on], R[dst[on]])
    return R


def krackhardt_dimensions(
    G: Graph, *, ties: str = "all", level: str = "person"
) -> KrackhardtDimensions:
    r"""Krackhardt's connectedness, hierarchy, efficiency and least-upper-boundedness.

    Krackhardt (1994) judges an informal organisation by how close it is to an
    out-tree, each dimension 1 for a tree:

    - *connectedness* :math:`= 1 - V / (N (N - 1) / 2)`, V the node pairs
      joined by no semipath (weak components);
    - *hierarchy* :math:`= 1 - S / R`, over the reachability graph: S pairs
      that reach each other, R pairs where at least one reaches the other;
    - *efficiency* :math:`= 1 - (m - \sum_c (N_c - 1)) / \sum_c (N_c - 1)^2`,
      m ties and :math:`N_c` the sizes of the weak components: ties beyond a
      spanning tree, against the most there could be;
    - *lubness* :math:`= 1 - V / \sum_c (N_c - 1)(N_c - 2) / 2`, V the node
      pairs within a component that have no least upper bound (no node that
      reaches both and reaches every other node that does).

    Parameters
    ----------
    G : networkx.DiGraph or CompiledOrg
        An organisation or any directed graph; ``u -> v`` means u supplies v.
    ties : {"all", "blocking"}, optional
        Which ties count: every one (default), or only those that gate work.
    level : {"person", "unit"}, optional
        ``"unit"`` computes on the unit-level organisation ``rollup(G)``.

    Returns
    -------
    KrackhardtDimensions
        The four values; None where undefined (no pair to judge).

    Raises
    ------
    ParameterError
        If `ties` or `level` is invalid.

    Notes
    -----
    Ties are binary and self-loops are left out. The values equal R sna's
    ``connectedness``, ``hierarchy(measure="krackhardt")``, ``efficiency``
    and ``lubness``, where sna gives NaN this gives None. Reachability is
    computed on the condensation (strong components) in :math:`C^2` bytes
    for C strong components; a pair has a least upper bound exactly when one
    source component of the condensation reaches both.

    References
    ----------
    .. [1] Krackhardt, D. (1994). Graph theoretical dimensions of informal
       organizations. In K. M. Carley and M. J. Prietula (eds.),
       *Computational Organization Theory*, 89–111. Hillsdale, NJ: Erlbaum.
    .. [2] Butts, C. T. (2008). Social network analysis with sna. *Journal of
       Statistical Software* 24(6).

    Examples
    --------
    >>> import intcust as ic
    >>> G = ic.datasets.company()
    >>> ic.metrics.krackhardt_dimensions(G)
    KrackhardtDimensions(connectedness=1, hierarchy=0.814, efficiency=0.9651, lubness=1)
    >>> round(ic.metrics.krackhardt_dimensions(G, level="unit").hierarchy, 3)
    0.615
    """
    G = at_level(G, level, func="krackhardt_dimensions")
    net = network(G, weight=None, ties=ties, func="krackhardt_dimensions")
    n = net.n
    if n == 0:
        return KrackhardtDimensions(None, None, None, None)
    A = binary(net.matrix())
    from scipy.sparse.csgraph import connected_components

    n_weak, weak = connected_components(A, directed=True, connection="weak")
    csize = np.bincount(weak, minlength=n_weak).astype(np.float64)

    connectedness = 1.0 if n == 1 else float((csize * (csize - 1) / 2).sum() / (n * (n - 1) / 2))

    max_extra = float(((csize - 1) ** 2).sum())
    efficiency = None if max_extra == 0 else 1.0 - (A.nnz - float((csize - 1).sum())) / max_extra

    n_strong, strong = connected_components(A, directed=True, connection="strong")
    ssize = np.bincount(strong, minlength=n_strong).astype(np.float64)
    src, dst = A.nonzero()
    cross = strong[src] != strong[dst]
    import scipy.sparse as sp

    C = sp.coo_array(
        (np.ones(int(cross.sum())), (strong[src[cross]], strong[dst[cross]])),
        shape=(n_strong, n_strong),
    ).tocsr()
    csrc, cdst = (np.asarray(x, dtype=np.int64) for x in C.nonzero())
    R = _closure(n_strong, csrc, cdst)

    mutual = float((ssize * (ssize - 1) / 2).sum())
    reached = np.concatenate(
        [R[lo : lo + _CHUNK].astype(np.float64) @ ssize for lo in range(0, n_strong, _CHUNK)]
    )
    one_way = float(ssize @ reached - (ssize**2).sum())
    hierarchy = None if mutual + one_way == 0 else 1.0 - mutual / (mutual + one_way)

    # a pair has a least upper bound iff exactly one source component reaches both
    sources = np.flatnonzero(np.bincount(cdst, minlength=n_strong) == 0)
    T = R[sources].astype(np.float32)  # counts of sources stay exact in float32
    comp_of = np.empty(n_strong, dtype=np.int64)
    comp_of[strong] = weak
    big = csize[comp_of] > 2
    lub_pairs = 0.0
    for lo in range(0, n_strong, _CHUNK):
        rows = np.arange(lo, min(lo + _CHUNK, n_strong))
        one = (T[:, rows].T @ T) == 1  # exactly one source reaches both components
        within = one[np.arange(rows.size), rows] & big[rows]
        lub_pairs += float((ssize[rows] * (ssize[rows] - 1) / 2)[within].sum())
        upper = one & (np.arange(n_strong)[None, :] > rows[:, None]) & big[rows][:, None]
        lub_pairs += float((ssize[rows][:, None] * ssize[None, :])[upper].sum())
    big_sizes = csize[csize > 2]
    pairs = float((big_sizes * (big_sizes - 1) / 2).sum())
    max_viol = float(((big_sizes - 1) * (big_sizes - 2) / 2).sum())
    lubness = None if max_viol == 0 else 1.0 - (pairs - lub_pairs) / max_viol

    return KrackhardtDimensions(connectedness, hierarchy, efficiency, lubness)
