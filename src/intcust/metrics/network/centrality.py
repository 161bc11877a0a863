"""Service centrality: who serves whom, and how much of the work rests on each node.

An edge ``u -> v`` means *u supplies v*. `service_load` counts a node's
internal customers and suppliers; `dependence` and `reliance` are PageRank
run against and along that direction. `betweenness` and `external_reach`
live in their own modules.
"""

from __future__ import annotations

import numbers

import numpy as np

from intcust._params import check_int, check_number, parameter_error
from intcust.errors import ParameterError
from intcust.metrics._network import FloatArray, Graph, Network, at_level, network
from intcust.results import NodeScores, NodeTable

__all__ = ["dependence", "reliance", "service_load"]


def service_load(
    G: Graph, *, weight: str | None = "volume", ties: str = "all", level: str = "person"
) -> NodeTable:
    """How many internal customers each node serves and how many suppliers it relies on.

    Parameters
    ----------
    G : networkx.DiGraph or CompiledOrg
        An organisation or any directed graph; edge ``u -> v`` means u supplies v.
    weight : str or None, optional
        The edge attribute that measures how much flows along a tie
        (default ``"volume"``: hand-offs per period; a missing value counts 1).
        None counts every tie once. Several services of one supplier to one
        customer are one tie, their volumes summed; self-loops are left out.
    ties : {"all", "blocking"}, optional
        Which services count: every one (default: each is work its supplier
        does, whether or not the customer waits for it), or only those that
        gate the customer's work.
    level : {"person", "unit"}, optional
        ``"unit"`` computes on the unit-level rollup of `G`.

    Returns
    -------
    NodeTable
        One row per node with the columns

        - ``customers``: internal customers served, the out-degree;
        - ``volume_supplied``: volume supplied to them, the out-strength
          :math:`s^{out}_i = \\sum_j w_{ij}`;
        - ``suppliers``: suppliers relied on, the in-degree;
        - ``volume_received``: volume received from them, the in-strength
          :math:`s^{in}_i = \\sum_j w_{ji}`.

        High ``volume_supplied`` marks a busy internal supplier; high
        ``suppliers`` marks a node that needs many hand-offs before it can work.

    Raises
    ------
    ParameterError
        If `G` is not a directed graph, `weight` names an attribute no edge
        carries, a weight is negative or not a number (the message names the
        edge), or `ties` or `level` is unknown.

    Notes
    -----
    Degree and strength (Barrat et al. 2004; Opsahl, Agneessens and Skvoretz
    2010) in the supplier -> customer direction, computed with one `bincount`
    over the edge arrays.

    References
    ----------
    .. [1] A. Barrat, M. Barthélemy, R. Pastor-Satorras and A. Vespignani,
       "The architecture of complex weighted networks", PNAS 101 (2004) 3747–3752.
    .. [2] T. Opsahl, F. Agneessens and J. Skvoretz, "Node centrality in weighted
       networks: generalizing degree and shortest paths", Social Networks 32 (2010) 245–251.

    Examples
    --------
    >>> import intcust as ic
    >>> load = ic.metrics.service_load(ic.datasets.company())
    >>> load["IT"]  # IT serves 59 colleagues and relies on 6 suppliers
    {'customers': 59, 'volume_supplied': 177.0, 'suppliers': 6, 'volume_received': 131.0}
    >>> load.column("volume_supplied").top(2)
    [('logistics coordinator', 251.0), ('IT', 177.0)]
    """
    G = at_level(G, level, func="service_load")
    net = network(G, weight=weight, ties=ties, func="service_load")
    n = net.n
    out_deg = np.bincount(net.src, minlength=n)
    in_deg = np.bincount(net.dst, minlength=n)
    out_w = np.bincount(net.src, weights=net.weight, minlength=n).astype(np.float64)
    in_w = np.bincount(net.dst, weights=net.weight, minlength=n).astype(np.float64)
    columns = ("customers", "volume_supplied", "suppliers", "volume_received")
    rows = {
        node: {"customers": c, "volume_supplied": vs, "suppliers": s, "volume_received": vr}
        for node, c, vs, s, vr in zip(
            net.nodes,
            out_deg.tolist(),
            out_w.tolist(),
            in_deg.tolist(),
            in_w.tolist(),
            strict=True,
        )
    }
    return NodeTable(
        rows,
        columns=columns,
        name="service_load",
        description="internal customers served and suppliers relied on, by count and volume",
    )


def _pagerank(
    net: Network, *, reverse: bool, alpha: float, max_iter: int, tol: float, func: str
) -> FloatArray:
    """PageRank by the power iteration of networkx's ``pagerank`` (same steps and stop)."""
    n = net.n
    src, dst = (net.dst, net.src) if reverse else (net.src, net.dst)
    import scipy.sparse as sp

    A = sp.coo_array((net.weight, (src, dst)), shape=(n, n)).tocsr()
    S: FloatArray = A.sum(axis=1)
    # dividing by the row sum (not multiplying by its inverse) keeps tiny weights finite
    rows = np.repeat(np.arange(n), np.diff(A.indptr))
    A.data = A.data / np.where(S > 0, S, 1.0)[rows]
    x = np.repeat(1.0 / n, n)
    p = np.repeat(1.0 / n, n)
    dangling = np.where(S == 0)[0]
    for _ in range(max_iter):
        xlast = x
        # the builtin sum adds in networkx's order, keeping the results equal to the last bit
        x = alpha * (x @ A + sum(x[dangling]) * p) + (1 - alpha) * p
        if np.absolute(x - xlast).sum() < n * tol:
            return np.asarray(x, dtype=np.float64)
    raise ParameterError(
        f"{func} did not converge within max_iter={max_iter} power iterations to "
        f"tol={tol:g}; raise the 'max_iter' parameter or the 'tol' parameter."
    )


def _rank(
    G: Graph,
    *,
    reverse: bool,
    weight: str | None,
    alpha: float,
    max_iter: int,
    tol: float,
    ties: str,
    level: str,
    func: str,
    description: str,
) -> NodeScores:
    if not (isinstance(alpha, numbers.Real) and not isinstance(alpha, bool) and 0 <= alpha < 1):
        raise parameter_error(func, "alpha", "a number in [0, 1)", alpha)
    max_iter = check_int(max_iter, func=func, param="max_iter", minimum=1)
    tol = check_number(tol, func=func, param="tol", minimum=0.0, strict=True)
    G = at_level(G, level, func=func)
    net = network(G, weight=weight, ties=ties, func=func)
    if net.n == 0:
        return NodeScores(name=func, description=description)
    x = _pagerank(net, reverse=reverse, alpha=alpha, max_iter=max_iter, tol=tol, func=func)
    return NodeScores(zip(net.nodes, x.tolist(), strict=True), name=func, description=description)


def dependence(
    G: Graph,
    *,
    weight: str | None = "volume",
    alpha: float = 0.85,
    max_iter: int = 100,
    tol: float = 1.0e-6,
    ties: str = "blocking",
    level: str = "person",
) -> NodeScores:
    """How much of the organisation's work depends on each node, directly or through others.

    PageRank against the supplier -> customer direction: every node passes its
    score on to its suppliers, in proportion to the volume it receives from
    each. A node scores high when it supplies many nodes, or nodes that are
    themselves heavily served; the scores sum to 1.

    Parameters
    ----------
    G : networkx.DiGraph or CompiledOrg
        An organisation or any directed graph; edge ``u -> v`` means u supplies v.
    weight : str or None, optional
        The edge attribute that measures the tie (default ``"volume"``; a
        missing value counts 1). None weighs every tie equally.
    alpha : float, optional
        The damping factor in [0, 1), as in networkx.
    max_iter : int, optional
        The most power iterations.
    tol : float, optional
        Stop when the L1 change of the scores falls below ``n * tol``.
    ties : {"blocking", "all"}, optional
        Which services carry dependence: only those that gate the customer's
        work (default; ``blocking`` not False, whatever the ``lag``; at unit
        level, a unit edge with blocking services), or every one, information
        and feedback ties included.
    level : {"person", "unit"}, optional
        ``"unit"`` computes on the unit-level rollup of `G`.

    Returns
    -------
    NodeScores
        node -> share of the organisation's work that rests on it, in (0, 1].

    Raises
    ------
    ParameterError
        If an argument is out of range, a weight is negative (the message
        names the edge), or the iteration does not converge.

    Notes
    -----
    With :math:`W` the volume matrix of the reversed graph (:math:`W_{vu} = w_{uv}`
    for each service u -> v), :math:`P = D^{-1} W` its row-normalised form and
    :math:`d` the nodes that receive nothing (no supplier), the power iteration

    .. math:: x \\leftarrow \\alpha \\left(x P + \\tfrac{1}{n}\\sum_{i \\in d} x_i\\right)
              + \\frac{1 - \\alpha}{n}

    is that of ``networkx.pagerank(G.reverse(), weight=weight)`` (Page et al.
    1999), step for step, on sparse arrays.

    References
    ----------
    .. [1] L. Page, S. Brin, R. Motwani and T. Winograd, "The PageRank citation
       ranking: bringing order to the web", Stanford InfoLab (1999).

    Examples
    --------
    >>> import intcust as ic
    >>> dep = ic.metrics.dependence(ic.datasets.company())
    >>> [node for node, _ in dep.top(3)]  # IT support gates most desks
    ['IT', 'shift supervisor', 'help desk 1']
    >>> round(sum(dep.values()), 9)
    1.0
    """
    return _rank(
        G,
        reverse=True,
        weight=weight,
        alpha=alpha,
        max_iter=max_iter,
        tol=tol,
        ties=ties,
        level=level,
        func="dependence",
        description="how much of the organisation's work depends on the node (PageRank "
        "towards suppliers)",
    )


def reliance(
    G: Graph,
    *,
    weight: str | None = "volume",
    alpha: float = 0.85,
    max_iter: int = 100,
    tol: float = 1.0e-6,
    ties: str = "blocking",
    level: str = "person",
) -> NodeScores:
    """How much each node depends on the rest of the organisation to do its work.

    PageRank along the supplier -> customer direction: every node passes its
    score on to its internal customers, in proportion to the volume it
    supplies to each. A node scores high when it is served by many nodes, or
    by nodes that are themselves well served: a long chain of hand-offs ends
    there. The scores sum to 1.

    Parameters
    ----------
    G : networkx.DiGraph or CompiledOrg
        An organisation or any directed graph; edge ``u -> v`` means u supplies v.
    weight : str or None, optional
        The edge attribute that measures the tie (default ``"volume"``; a
        missing value counts 1). None weighs every tie equally.
    alpha : float, optional
        The damping factor in [0, 1), as in networkx.
    max_iter : int, optional
        The most power iterations.
    tol : float, optional
        Stop when the L1 change of the scores falls below ``n * tol``.
    ties : {"blocking", "all"}, optional
        Which services carry dependence: only those that gate the customer's
        work (default; ``blocking`` not False, whatever the ``lag``; at unit
        level, a unit edge with blocking services), or every one, information
        and feedback ties included.
    level : {"person", "unit"}, optional
        ``"unit"`` computes on the unit-level rollup of `G`.

    Returns
    -------
    NodeScores
        node -> share of the organisation's hand-offs that flow into it, in (0, 1].

    Raises
    ------
    ParameterError
        If an argument is out of range, a weight is negative (the message
        names the edge), or the iteration does not converge.

    Notes
    -----
    With :math:`W_{uv} = w_{uv}` for each service u -> v, :math:`P = D^{-1} W`
    and :math:`d` the nodes that supply nothing, the power iteration

    .. math:: x \\leftarrow \\alpha \\left(x P + \\tfrac{1}{n}\\sum_{i \\in d} x_i\\right)
              + \\frac{1 - \\alpha}{n}

    is that of ``networkx.pagerank(G, weight=weight)`` (Page et al. 1999),
    step for step, on sparse arrays.

    References
    ----------
    .. [1] L. Page, S. Brin, R. Motwani and T. Winograd, "The PageRank citation
       ranking: bringing order to the web", Stanford InfoLab (1999).

    Examples
    --------
    >>> import intcust as ic
    >>> rel = ic.metrics.reliance(ic.datasets.company())
    >>> [node for node, _ in rel.top(3)]  # at the end of long chains of hand-offs
    ['quality engineer', 'warehouse clerk', 'logistics coordinator']
    """
    return _rank(
        G,
        reverse=False,
        weight=weight,
        alpha=alpha,
        max_iter=max_iter,
        tol=tol,
        ties=ties,
        level=level,
        func="reliance",
        description="how much the node depends on the rest of the organisation (PageRank "
        "towards customers)",
    )
