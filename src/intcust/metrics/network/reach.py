"""External reach: which paying customers depend on each node, and how far away they are.

A customer depends on a node when a chain of services leads from the node to
the customer. Reachability is propagated as bit sets over the strongly
connected components of the service graph, one topological level at a time;
distances are multi-source shortest paths from the customers backwards.
"""

from __future__ import annotations

import numpy as np

from intcust.graph.levels import topological_levels
from intcust.metrics._network import FloatArray, Graph, IntArray, at_level, network
from intcust.results import NodeTable

__all__ = ["external_reach"]

#: Customers propagated at once: one uint64 word each per 64 of them.
_CHUNK = 4096


def external_reach(
    G: Graph,
    *,
    weight: str | None = "volume",
    ties: str = "blocking",
    estimate: str = "mode",
    level: str = "person",
) -> NodeTable:
    """How many paying customers depend on each node, and how far from them it works.

    Parameters
    ----------
    G : networkx.DiGraph or CompiledOrg
        An organisation; its external customers are the nodes of kind
        ``"external"``. Edge ``u -> v`` means u supplies v.
    weight : str or None, optional
        The edge attribute that measures demand (default ``"volume"``; a
        missing value counts 1); None counts services.
    ties : {"blocking", "all"}, optional
        Which services carry dependence: ``"blocking"`` (default) follows
        only ties the customer's work waits for (``blocking`` not False,
        whatever their ``lag``; a unit-level edge of `rollup` when one of
        its services blocks), ``"all"`` follows information ties too.
    estimate : {"mode", "mean", "median"}, optional
        The point value of a ``lead_time`` given as a distribution.
    level : {"person", "unit"}, optional
        ``"unit"`` computes on the unit-level rollup of `G`.

    Returns
    -------
    NodeTable
        One row per node with the columns

        - ``dependent_customers``: the external customers that depend on the
          node, directly or through others (a customer counts itself);
        - ``dependent_volume``: the volume of the services into those
          customers, the demand that rests on the node;
        - ``hops_to_customer``: the fewest hand-offs from the node to a
          paying customer (0 for a customer), or None when no customer
          depends on it;
        - ``lead_time_to_customer``: the shortest total lead time of the
          hand-offs from the node to a paying customer, or None likewise.
          Work time of the nodes on the way is not included (see
          `intcust.sim.schedule`).

        None (JSON null) marks "no customer reached"; ``to_frame`` turns it
        into a missing value.

    Raises
    ------
    ParameterError
        If an argument is unknown, `weight` names an attribute no edge
        carries, or a volume or lead time is negative or not a number (the
        message names the edge).

    Notes
    -----
    With :math:`R(v)` the set of external customers c reachable from v by
    a path of counted ties (including :math:`c = v`) and :math:`w_{\\cdot c}`
    the volume of the counted ties into c,

    .. math:: \\mathrm{dependent\\_customers}(v) = |R(v)|, \\qquad
              \\mathrm{dependent\\_volume}(v) = \\sum_{c \\in R(v)} \\sum_u w_{uc}.

    Reachability sets are bit sets propagated over the condensation of the
    graph into strongly connected components (Tarjan 1972), level by level;
    distances are Dijkstra's (1959) from all customers at once on the
    reversed graph. ``hops_to_customer`` is the "distance to the customer" of
    value-stream mapping (Rother and Shook 1999).

    References
    ----------
    .. [1] R. Tarjan, "Depth-first search and linear graph algorithms",
       SIAM Journal on Computing 1 (1972) 146–160.
    .. [2] E. W. Dijkstra, "A note on two problems in connexion with graphs",
       Numerische Mathematik 1 (1959) 269–271.
    .. [3] M. Rother and J. Shook, *Learning to See*, Lean Enterprise Institute (1999).

    Examples
    --------
    >>> import intcust as ic
    >>> reach = ic.metrics.external_reach(ic.datasets.company())
    >>> reach["HR"]
    {'dependent_customers': 2, 'dependent_volume': 160.0, 'hops_to_customer': 5, 'lead_time_to_customer': 1.35}
    >>> reach["key accounts"]["hops_to_customer"]  # a customer is its own nearest
    0
    >>> reach["auditor"]["hops_to_customer"] is None  # no customer waits for the audit
    True
    """
    func = "external_reach"
    G = at_level(G, level, func=func)
    net = network(G, weight=weight, ties=ties, func=func, estimate=estimate)
    lead = net.values("lead_time", func=func, estimate=estimate)
    src, dst = net.src, net.dst
    n = net.n
    customers = np.flatnonzero(net.external())
    demand = np.bincount(dst, weights=net.weight, minlength=n)[customers].astype(float)
    count, volume = _reach_sets(n, src, dst, customers, demand)
    hops = _nearest(n, dst, src, np.ones(len(src)), customers)
    time = _nearest(n, dst, src, lead, customers)
    reached = np.isfinite(hops).tolist()
    hop_list = np.where(np.isfinite(hops), hops, -1).astype(np.int64).tolist()
    rows = {
        node: {
            "dependent_customers": c,
            "dependent_volume": w,
            "hops_to_customer": h if r else None,
            "lead_time_to_customer": t if r else None,
        }
        for node, c, w, h, t, r in zip(
            net.nodes,
            count.tolist(),
            volume.tolist(),
            hop_list,
            time.tolist(),
            reached,
            strict=True,
        )
    }
    return NodeTable(
        rows,
        columns=(
            "dependent_customers",
            "dependent_volume",
            "hops_to_customer",
            "lead_time_to_customer",
        ),
        name=func,
        description="paying customers that depend on the node, and its distance to them",
    )


def _nearest(
    n: int, src: IntArray, dst: IntArray, length: FloatArray, sources: IntArray
) -> FloatArray:
    """Shortest distance from any of `sources` along ``src -> dst`` (inf if none)."""
    if n == 0 or len(sources) == 0:
        return np.full(n, np.inf)
    from scipy.sparse import coo_array

    # explicit zero lengths stay edges in csgraph
    A = coo_array((length, (src, dst)), shape=(n, n)).tocsr()
    from scipy.sparse import csgraph

    dist: FloatArray = csgraph.dijkstra(A, directed=True, indices=sources, min_only=True)
    return dist


def _reach_sets(
    n: int, src: IntArray, dst: IntArray, customers: IntArray, demand: FloatArray
) -> tuple[IntArray, FloatArray]:
    """Per node: how many `customers` it reaches (itself included) and their `demand`."""
    count = np.zeros(n, dtype=np.int64)
    volume = np.zeros(n)
    if n == 0 or len(customers) == 0:
        return count, volume
    from scipy.sparse import coo_array

    A = coo_array((np.ones(len(src)), (src, dst)), shape=(n, n)).tocsr()
    from scipy.sparse import csgraph

    n_comp, comp = csgraph.connected_components(A, directed=True, connection="strong")
    cu, cv = comp[src], comp[dst]
    between = cu != cv
    cu, cv = cu[between], cv[between]
    # longest path to a sink: the levels of the reversed condensation (a DAG)
    height = topological_levels(n_comp, cv, cu)
    order = np.argsort(height[cu], kind="stable")
    cu, cv = cu[order], cv[order]
    bounds = np.searchsorted(height[cu], np.arange(int(height.max(initial=0)) + 2))
    for lo in range(0, len(customers), _CHUNK):
        chunk = customers[lo : lo + _CHUNK]
        words = (len(chunk) + 63) // 64
        bits = np.zeros((n_comp, words), dtype=np.uint64)
        j = np.arange(len(chunk))
        np.bitwise_or.at(bits, (comp[chunk], j // 64), np.uint64(1) << (j % 64).astype(np.uint64))
        for h in range(1, len(bounds) - 1):
            a, b = bounds[h], bounds[h + 1]
            if a < b:
                np.bitwise_or.at(bits, cu[a:b], bits[cv[a:b]])
        count += np.bitwise_count(bits).sum(axis=1, dtype=np.int64)[comp]
        flags = np.unpackbits(bits.view(np.uint8), axis=1, bitorder="little")[:, : len(chunk)]
        volume += (flags @ demand[lo : lo + _CHUNK])[comp]
    return count, volume
