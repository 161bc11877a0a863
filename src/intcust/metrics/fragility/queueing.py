"""Utilisation and queueing waits of internal suppliers (M/M/c, Erlang C).

A supplier receives the requests of its internal customers: its arrival rate
λ is the sum of ``volume`` over the services it supplies (its out-edges). One
of its ``servers`` completes ``capacity`` requests per period (μ). With
``c`` servers its utilisation is ρ = λ / (c μ), and, read as an M/M/c queue,
a request waits on average

.. math:: W_q = \\frac{C(c, a)}{c\\mu - \\lambda}, \\qquad
          C(c, a) = \\frac{\\frac{a^c}{c!}\\frac{1}{1-\\rho}}
          {\\sum_{k=0}^{c-1}\\frac{a^k}{k!} + \\frac{a^c}{c!}\\frac{1}{1-\\rho}},
          \\qquad a = \\lambda / \\mu

periods before service starts (Erlang, 1917; Kleinrock, 1975, §3.5).
"""

from __future__ import annotations

import numbers
from typing import TYPE_CHECKING, Any

import networkx as nx
import numpy as np
from numpy.typing import NDArray
from scipy.special import gammaln, logsumexp

from intcust._params import check_choice, check_number
from intcust.errors import ParameterError, SchemaError
from intcust.graph.compiled import CompiledOrg, as_compiled
from intcust.results import NodeTable

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["UtilisationTable", "erlang_c", "utilisation"]

FloatArray = NDArray[np.float64]

OK, OVERLOADED, UNKNOWN = "ok", "overloaded", "capacity unknown"


def erlang_c(load: FloatArray, servers: NDArray[np.int64]) -> FloatArray:
    """Probability that a request waits, C(c, a), for offered loads a < c.

    Parameters
    ----------
    load : float array
        Offered load a = λ / μ of each queue (in Erlangs), with a < c.
    servers : int array
        Servers c of each queue, c >= 1.

    Returns
    -------
    float array
        C(c, a) in [0, 1], evaluated in log space so large c stays finite.

    Examples
    --------
    >>> import numpy as np
    >>> erlang_c(np.array([0.5, 1.5]), np.array([1, 2])).round(4)
    array([0.5   , 0.6429])
    """
    a = np.asarray(load, dtype=np.float64)
    c = np.asarray(servers, dtype=np.int64)
    out = np.zeros(a.shape)
    busy = a > 0
    if not busy.any():
        return out
    a, c = a[busy], c[busy]
    k = np.arange(int(c.max()))
    log_a = np.log(a)[:, None]
    terms = np.where(k < c[:, None], k * log_a - gammaln(k + 1.0), -np.inf)
    log_top = c * np.log(a) - gammaln(c + 1.0) - np.log1p(-a / c)
    log_sum = logsumexp(terms, axis=1)
    out[busy] = np.exp(log_top - np.logaddexp(log_sum, log_top))
    return out


def _queues(
    load: FloatArray, capacity: FloatArray, servers: NDArray[np.int64]
) -> tuple[FloatArray, NDArray[np.str_], FloatArray, FloatArray]:
    """Utilisation, state, probability of waiting and mean wait of each queue."""
    known = np.isfinite(capacity) & (capacity > 0)
    total = np.where(known, capacity * servers, 1.0)
    rho = np.where(known, load / total, 0.0)
    state = np.where(~known, UNKNOWN, np.where(rho >= 1.0, OVERLOADED, OK))
    stable = state == OK
    pw = np.zeros(len(load))
    pw[stable] = erlang_c(load[stable] / capacity[stable], servers[stable])
    wait = np.zeros(len(load))
    wait[stable] = pw[stable] / (total[stable] - load[stable])
    return rho, state, pw, wait


class UtilisationTable(NodeTable):
    """The `NodeTable` that `utilisation` returns; ``.plot()`` draws the busiest suppliers."""

    def plot(self, ax: Axes | None = None, **kw: Any) -> Axes:
        """Draw how full each queue is: `intcust.plot.plot_utilisation` (needs matplotlib).

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> import intcust as ic
        >>> ax = ic.metrics.utilisation(ic.datasets.hotel()).plot(k=1)
        >>> [t.get_text() for t in ax.get_yticklabels()]
        ['IT']
        """
        from intcust.plot import plot_utilisation

        return plot_utilisation(self, ax=ax, **kw)


def utilisation(
    G: nx.DiGraph | CompiledOrg,
    *,
    by: str = "node",
    period: float | None = None,
    weight: str = "volume",
) -> UtilisationTable:
    """Load, utilisation and queueing wait of every supplier, or of every unit.

    Parameters
    ----------
    G : networkx.DiGraph or CompiledOrg
        The organisation, or its compiled form (then `weight` must be
        ``"volume"``).
    by : {"node", "unit"}, optional
        One row per stakeholder, or per ``unit`` (the members pooled: their
        loads and servers add up, see Notes).
    period : float, optional
        Length of the period that volumes and capacities count per, in the
        graph's time unit; waits are then reported in that unit. By default
        waits are in periods.
    weight : str, optional
        Edge attribute holding the requests per period (default ``volume``;
        a missing value counts as 1).

    Returns
    -------
    UtilisationTable
        A `NodeTable` that can ``.plot()`` itself: ``load`` (λ), ``capacity`` (μ, None when unknown), ``servers`` (c),
        ``utilisation`` (ρ, None when the capacity is unknown), ``state``
        (``"ok"``, ``"overloaded"`` for ρ >= 1, ``"capacity unknown"``),
        ``p_wait`` and ``wait`` (Erlang C probability and mean wait W_q; None
        unless the state is ok). By node also ``waits_on`` and
        ``customer_wait``: the blocking supplier in whose queue the node, as
        an internal customer, waits longest, and that wait (None when that
        supplier is overloaded: the queue grows without bound).

    Raises
    ------
    ParameterError
        If `by` or `period` is invalid.

    Examples
    --------
    >>> import intcust as ic
    >>> G = ic.datasets.email_campaign()
    >>> G.nodes["sender"]["capacity"] = 5.0
    >>> u = ic.metrics.utilisation(G)
    >>> u["sender"]["load"], u["sender"]["utilisation"], u["sender"]["state"]
    (8.0, 1.6, 'overloaded')
    >>> u["designer"]["state"]
    'capacity unknown'
    >>> G.nodes["sender"]["servers"] = 2
    >>> round(ic.metrics.utilisation(G)["sender"]["wait"], 4)
    0.3556

    Notes
    -----
    Each supplier is read as an M/M/c queue fed by the requests of all its
    customers: Poisson arrivals, exponential service, first come first
    served. ρ >= 1 has no steady state; such a supplier is reported as
    overloaded, never with a negative or infinite wait. A missing capacity
    stays unknown, never zero. By unit, the members with a capacity form one
    pooled queue with c = Σ c_i servers of rate Σ c_i μ_i / Σ c_i; members
    without a capacity are left out of the pool (a unit none of whose members
    has one is "capacity unknown").

    References
    ----------
    .. [1] A. K. Erlang, "Solution of some problems in the theory of
       probabilities of significance in automatic telephone exchanges",
       Elektroteknikeren 13, 1917.
    .. [2] L. Kleinrock, *Queueing Systems, Volume 1: Theory*, Wiley, 1975.
    """
    func = "utilisation"
    by = check_choice(by, ["node", "unit"], func=func, param="by")
    scale = (
        1.0
        if period is None
        else check_number(period, func=func, param="period", minimum=0.0, strict=True)
    )
    C = as_compiled(G, func=func)
    if weight != "volume" and not isinstance(G, nx.DiGraph):
        raise ParameterError(
            f"The 'weight' parameter of {func} needs the organisation as a networkx.DiGraph; "
            f"got {weight!r} with a CompiledOrg."
        )
    vol = (
        C.volume if weight == "volume" or not isinstance(G, nx.DiGraph) else _weights(G, C, weight)
    )
    load = np.bincount(C.src, weights=vol, minlength=C.n_nodes).astype(np.float64)
    capacity, servers = C.capacity.copy(), C.servers.copy()
    if by == "unit":
        known = np.isfinite(capacity)
        members = C.unit >= 0
        nu = len(C.units)
        k = known & members
        pooled = np.bincount(C.unit[k], weights=(capacity * servers)[k], minlength=nu)
        u_servers = np.bincount(C.unit[k], weights=servers[k], minlength=nu).astype(np.int64)
        u_load_known = np.bincount(C.unit[k], weights=load[k], minlength=nu)
        u_load_all = np.bincount(C.unit[members], weights=load[members], minlength=nu)
        has = u_servers > 0
        u_capacity = np.where(has, pooled / np.maximum(u_servers, 1), np.nan)
        u_load = np.where(has, u_load_known, u_load_all).astype(np.float64)
        rho, state, pw, wait = _queues(u_load, u_capacity, np.maximum(u_servers, 1))
        rows = {
            C.units[i]: _row(
                u_load[i],
                u_capacity[i],
                int(u_servers[i]),
                rho[i],
                state[i],
                pw[i],
                wait[i] * scale,
            )
            for i in range(nu)
        }
        return UtilisationTable(
            rows, name="utilisation by unit", description="pooled load and M/M/c wait of each unit"
        )
    rho, state, pw, wait = _queues(load, capacity, servers)
    # the supplier each customer waits on longest: overloaded first, then the longest wait
    score = np.where(state == OVERLOADED, np.inf, np.where(state == OK, wait, -1.0))
    edge_score = np.where(C.blocking, score[C.src], -np.inf)
    worst = np.full(C.n_nodes, -1, dtype=np.int64)
    order = np.lexsort((edge_score, C.dst))
    last = np.r_[C.dst[order][1:] != C.dst[order][:-1], True] if len(order) else order.astype(bool)
    ends = order[last]
    good = edge_score[ends] >= 0
    worst[C.dst[ends][good]] = C.src[ends][good]
    rows = {}
    for i, node in enumerate(C.nodes):
        row = _row(load[i], capacity[i], int(servers[i]), rho[i], state[i], pw[i], wait[i] * scale)
        w = int(worst[i])
        row["waits_on"] = None if w < 0 else C.nodes[w]
        row["customer_wait"] = None if w < 0 or state[w] != OK else float(wait[w] * scale)
        rows[node] = row
    return UtilisationTable(
        rows, name="utilisation", description="load, utilisation and M/M/c wait of each supplier"
    )


def _weights(G: nx.DiGraph, C: CompiledOrg, weight: str) -> FloatArray:
    """The `weight` attribute of every edge in compiled order (1 when missing)."""
    out = np.ones(C.n_edges)
    for k, (u, v) in enumerate(zip(C.src, C.dst, strict=True)):
        edge = (C.nodes[u], C.nodes[v])
        x = G.edges[edge].get(weight)
        if x is None:
            continue
        if isinstance(x, bool) or not isinstance(x, numbers.Real) or not 0 <= float(x) < np.inf:
            raise SchemaError(
                f"{weight} of edge {edge!r} must be a finite number >= 0 for utilisation; "
                f"got {x!r}"
            )
        out[k] = float(x)
    return out


def _row(
    load: float, capacity: float, servers: int, rho: float, state: str, pw: float, wait: float
) -> dict[str, Any]:
    ok = state == OK
    known = state != UNKNOWN
    return {
        "load": float(load),
        "capacity": float(capacity) if known else None,
        "servers": servers,
        "utilisation": float(rho) if known else None,
        "state": str(state),
        "p_wait": float(pw) if ok else None,
        "wait": float(wait) if ok else None,
    }
