"""Gould–Fernandez brokerage: who mediates hand-offs within and between groups."""

from __future__ import annotations

from itertools import permutations
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from intcust.metrics._network import Graph, at_level, group_codes, network
from intcust.metrics._sparse import binary, lookup, restrict, triangles
from intcust.results import NodeTable

if TYPE_CHECKING:
    import scipy.sparse as sp

__all__ = ["BROKERAGE_ROLES", "brokerage"]

#: The five roles in the order of R ``sna::brokerage`` (w_I, w_O, b_IO, b_OI, b_O).
BROKERAGE_ROLES = ("coordinator", "itinerant", "representative", "gatekeeper", "liaison")

FloatArray = NDArray[np.float64]


def _raw_counts(A: sp.csr_array, cl: NDArray[np.int64], n_groups: int) -> FloatArray:
    """Open two-paths i -> j -> k (no tie i -> k, i != k) per broker j and role.

    All two-paths through j are counted from j's in- and out-neighbours by
    group; the closed ones (those with i -> k) are found on the triangles of
    the tie pattern and taken off.
    """
    n = A.shape[0]
    src, dst = A.nonzero()
    same = cl[src] == cl[dst]
    indeg = np.bincount(dst, minlength=n).astype(np.float64)
    outdeg = np.bincount(src, minlength=n).astype(np.float64)
    in_same = np.bincount(dst[same], minlength=n).astype(np.float64)
    out_same = np.bincount(src[same], minlength=n).astype(np.float64)
    M = A.multiply(A.T).tocoo()  # mutual ties j <-> i, seen from row j
    mut_all = np.bincount(M.row, minlength=n).astype(np.float64)
    mut_same = np.bincount(M.row[cl[M.row] == cl[M.col]], minlength=n).astype(np.float64)
    import scipy.sparse as sp

    members = sp.csr_array((np.ones(n), (np.arange(n), cl)), shape=(n, max(n_groups, 1)))
    p_in = A.T.tocsr() @ members
    p_out = A @ members
    pairs_all = np.asarray(p_in.multiply(p_out).sum(axis=1)).ravel()
    pairs_other = pairs_all - in_same * out_same

    raw = np.empty((n, 5))
    raw[:, 0] = in_same * out_same - mut_same
    raw[:, 1] = pairs_other - (mut_all - mut_same)
    raw[:, 2] = in_same * (outdeg - out_same)
    raw[:, 3] = (indeg - in_same) * out_same
    raw[:, 4] = (indeg - in_same) * (outdeg - out_same) - pairs_other

    # closed two-paths i -> j -> k with i -> k lie on triangles of the tie pattern
    U = binary((A + A.T).tocsr())
    for x, y, z in permutations(triangles(U)):
        on = (lookup(A, x, y) > 0) & (lookup(A, y, z) > 0) & (lookup(A, x, z) > 0)
        j = y[on]
        ci, cj, ck = cl[x[on]], cl[j], cl[z[on]]
        role = np.where(
            ci == cj,
            np.where(cj == ck, 0, 2),
            np.where(cj == ck, 3, np.where(ci == ck, 1, 4)),
        )
        raw -= np.bincount(j * 5 + role, minlength=n * 5).reshape(n, 5)
    return raw


def _null_model(sizes: FloatArray, n_edges: int) -> tuple[FloatArray, FloatArray]:
    """Expected counts and standard deviations per group and role (with total).

    The null model of Gould and Fernandez (1989) as R ``sna::brokerage``
    computes it: ties independent with the density d of the graph, groups of
    the observed sizes.
    """
    N = float(sizes.sum())
    d = n_edges / (N * (N - 1.0))
    a = d**2 * (1.0 - d)
    b = d**3 * (1.0 - d) ** 3
    total = sizes.sum()
    sq = (sizes**2).sum()
    tri = (sizes * (sizes - 1.0) * (sizes - 2.0)).sum()

    def choose2(x: FloatArray | float) -> FloatArray:
        return np.asarray(x, dtype=np.float64) * (np.asarray(x, dtype=np.float64) - 1.0) / 2.0

    n = sizes
    exp = np.empty((n.size, 6))
    var = np.empty((n.size, 6))
    exp[:, 0] = a * (n - 1) * (n - 2)
    var[:, 0] = exp[:, 0] * (1 - a) + 2 * (n - 1) * (n - 2) * (n - 3) * b
    exp[:, 1] = a * ((sq - n**2) - (total - n))
    var[:, 1] = exp[:, 1] * (1 - a) + 2 * (tri - n * (n - 1) * (n - 2)) * b
    exp[:, 2] = a * (N - n) * (n - 1)
    var[:, 2] = exp[:, 2] * (1 - a) + 2 * ((n - 1) * choose2(N - n) + (N - n) * choose2(n - 1)) * b
    exp[:, 3] = exp[:, 2]
    var[:, 3] = var[:, 2]
    exp[:, 4] = a * ((total - n) ** 2 - (sq - n**2))
    # sum over the other groups g of n_g C(N - n_g - n, 2), expanded in powers of n
    x = N - n
    s1, s2 = (n * x * (x - 1)).sum(), (n * (2 * x - 1)).sum()
    other = (s1 - n * s2 + n**2 * total) / 2 - n * choose2(N - 2 * n)
    var[:, 4] = exp[:, 4] * (1 - a) + 4 * other * b
    exp[:, 5] = a * (N - 1) * (N - 2)
    var[:, 5] = exp[:, 5] * (1 - a) + 2 * (N - 1) * (N - 2) * (N - 3) * b
    return exp, np.sqrt(np.clip(var, 0.0, None))


def brokerage(
    G: Graph,
    *,
    by: str = "unit",
    ties: str = "all",
    missing: str = "own",
    level: str = "person",
) -> NodeTable:
    r"""Gould–Fernandez brokerage roles of every node, as counts and z-scores.

    A node j *brokers* when it sits on a two-path i -> j -> k (i supplies j,
    j supplies k) with no direct tie i -> k. By the groups of i, j and k
    (``by``, e.g. the unit) each such path counts for one role of j:

    ===============  ========  =========================================
    role             sna       groups
    ===============  ========  =========================================
    coordinator      w_I       i, j, k all in one group
    itinerant        w_O       i and k in one group, j outside it
    representative   b_IO      i and j in one group, k in another
    gatekeeper       b_OI      j and k in one group, i in another
    liaison          b_O       i, j, k in three different groups
    ===============  ========  =========================================

    ``total`` is their sum. ``z_<role>`` is (count - expected) / sd under the
    null model of Gould and Fernandez: ties drawn independently with the
    graph's density :math:`d = m / (N (N - 1))`, e.g. for coordinators in a
    group of size :math:`n`, :math:`E = d^2 (1 - d)(n - 1)(n - 2)`.

    Parameters
    ----------
    G : networkx.DiGraph or CompiledOrg
        An organisation or any directed graph; ``u -> v`` means u supplies v.
    by : str, optional
        The node attribute that defines the groups (only ``"unit"`` for a
        `CompiledOrg`). External customers are always groups of their own.
    ties : {"all", "blocking"}, optional
        Which ties count: every one (default), or only those that gate work.
    missing : {"own", "drop", "raise"}, optional
        A node lacking `by`: a group of its own (default, as in `rollup`),
        left out, or an error naming it.
    level : {"person", "unit"}, optional
        ``"unit"`` computes on the unit-level organisation ``rollup(G)``.

    Returns
    -------
    NodeTable
        Columns ``coordinator, itinerant, representative, gatekeeper,
        liaison, total`` (counts) and the same with a ``z_`` prefix.

    Raises
    ------
    ParameterError
        If nodes lack `by` (with ``missing="raise"``) or an option is invalid.

    Notes
    -----
    Ties are binary: every tie counts once whatever its weight (several
    services of one supplier to one customer are one tie), and self-loops
    are left out. Counts and z-scores equal R ``sna::brokerage``
    (``raw.nli`` and ``z.nli``), except that where the null model has no
    variance (a role that the group sizes make impossible, or a graph with
    density 0 or 1) sna gives NaN and this function gives a z-score of 0:
    the count and its expectation are both 0 there.

    References
    ----------
    .. [1] Gould, R. V. and Fernandez, R. M. (1989). Structures of mediation:
       a formal approach to brokerage in transaction networks. *Sociological
       Methodology* 19, 89–126.
    .. [2] Butts, C. T. (2008). Social network analysis with sna. *Journal of
       Statistical Software* 24(6).

    Examples
    --------
    >>> import intcust as ic
    >>> G = ic.datasets.company()
    >>> b = ic.metrics.brokerage(G)  # shareholders and customers: groups of their own
    >>> b.column("total").top(3)
    [('HR', 348.0), ('IT', 348.0), ('shift supervisor', 36.0)]
    >>> row = b["shift supervisor"]
    >>> row["total"] == sum(row[r] for r in ic.metrics.BROKERAGE_ROLES)
    True
    """
    func = "brokerage"
    G = at_level(G, level, func=func)
    members, cl, labels = group_codes(G, by, missing=missing, func=func)
    net = network(G, weight=None, ties=ties, func=func)
    nodes = [net.nodes[i] for i in members.tolist()]
    columns = [*BROKERAGE_ROLES, "total", *(f"z_{r}" for r in (*BROKERAGE_ROLES, "total"))]
    if not nodes:
        return NodeTable({}, columns=columns, name=func)
    A = binary(restrict(net.matrix(), members))
    raw = _raw_counts(A, cl, len(labels))
    counts = np.column_stack([raw, raw.sum(axis=1)])
    if len(nodes) > 1:
        sizes = np.bincount(cl, minlength=len(labels)).astype(np.float64)
        exp, sd = _null_model(sizes, A.nnz)
        exp, sd = exp[cl], sd[cl]
        safe = sd > 0
        z = np.where(safe, (counts - exp) / np.where(safe, sd, 1.0), 0.0)
    else:
        z = np.zeros_like(counts)
    rows = {
        node: dict(
            zip(columns, [*(int(c) for c in counts[i]), *(float(x) for x in z[i])], strict=True)
        )
        for i, node in enumerate(nodes)
    }
    return NodeTable(
        rows,
        columns=columns,
        name=func,
        description=f"Gould–Fernandez brokerage by {by!r}: counts and z-scores",
    )
