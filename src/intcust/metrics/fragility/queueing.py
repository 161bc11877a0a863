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

import numpy as np
from numpy.typing import NDArray

from intcust._params import LEVELS, check_choice, check_number, renamed
from intcust.graph.compiled import CompiledOrg, as_compiled
from intcust.metrics._network import Graph, network
from intcust.results import NodeTable

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["UtilisationTable", "erlang_c", "utilisation", "wait_unit"]

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
    from scipy.special import gammaln, logsumexp

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
        >>> ax = ic.metrics.utilisation(ic.datasets.hotel()).plot(top=1)
        >>> [t.get_text() for t in ax.get_yticklabels()]
        ['IT']
        """
        from intcust.plot import plot_utilisation

        return plot_utilisation(self, ax=ax, **kw)


def utilisation(
    G: Graph,
    *,
    level: str = "person",
    period: float | None = None,
    weight: str = "volume",
    by: str | None = None,
) -> UtilisationTable:
    """Load, utilisation and queueing wait of every supplier, or of every unit.

    Parameters
    ----------
    G : networkx.DiGraph or CompiledOrg
        The organisation, or its compiled form (then `weight` must be
        ``"volume"``).
    level : {"person", "unit"}, optional
        One row per stakeholder, or per ``unit`` (the members pooled: their
        loads and servers add up, see Notes).
    period : float, optional
        Length of the period that volumes and capacities count per, in the
        graph's time unit; waits are reported in that unit. By default the
        graph's ``period`` attribute; without one, waits are in periods.
    weight : str, optional
        Edge attribute holding the requests per period (default ``volume``;
        a missing value counts as 1).
    by : {"node", "unit"}, optional
        The old name of `level` (deprecated; ``"node"`` is ``"person"``).

    Returns
    -------
    UtilisationTable
        A `NodeTable` that can ``.plot()`` itself: ``load`` (λ), ``capacity`` (μ, None when unknown), ``servers`` (c),
        ``utilisation`` (ρ, None when the capacity is unknown), ``state``
        (``"ok"``, ``"overloaded"`` for ρ >= 1, ``"capacity unknown"``),
        ``p_wait`` and ``wait`` (Erlang C probability and mean wait W_q; None
        unless the state is ok). Per stakeholder also ``waits_on`` and
        ``customer_wait``: the supplier in whose queue the stakeholder, as an
        internal customer, waits longest for something it needs, and that
        wait (None when every supplier of that deliverable is overloaded:
        the queue grows without bound).

    Raises
    ------
    ParameterError
        If `level`, `period` or `weight` is invalid, or a volume is negative
        or not a number.

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
    stays unknown, never zero.

    *Load* counts every service a supplier gives, blocking or not (each is
    work it does), at the volume written on it: the volumes are the split
    of the customers' demand among their suppliers, and a customer with two
    alternative suppliers of one deliverable sends each the volume of its
    own service. Self-loops are left out and several services of one
    supplier to one customer add up.

    *Waiting*, as timing does (an OR join takes the first arrival), follows
    the deliverables a customer needs (its blocking services): it waits for
    each deliverable as long as the quickest of its alternative suppliers
    with a known capacity keeps it (an overloaded one, none at all), and
    ``waits_on`` is that supplier for the deliverable it waits longest for.
    So a customer served by an overloaded and a spare supplier of the same
    deliverable waits on the spare one; only when every alternative is
    overloaded does it wait without bound.

    By unit, the members with a capacity form one pooled queue with
    c = Σ c_i servers of rate Σ c_i μ_i / Σ c_i; members without a capacity
    are left out of the pool (a unit none of whose members has one is
    "capacity unknown").

    References
    ----------
    .. [1] A. K. Erlang, "Solution of some problems in the theory of
       probabilities of significance in automatic telephone exchanges",
       Elektroteknikeren 13, 1917.
    .. [2] L. Kleinrock, *Queueing Systems, Volume 1: Theory*, Wiley, 1975.
    """
    func = "utilisation"
    if by is not None:
        renamed("by", "level", func=func)
        level = {"node": "person"}.get(by, by)
    level = check_choice(level, LEVELS, func=func, param="level")
    net = network(G, weight=weight, func=func)  # before compiling: one message for a bad volume
    C = as_compiled(G, func=func)
    if period is None:
        period = _graph_period(C.graph.get("period"))
    scale = (
        1.0
        if period is None
        else check_number(period, func=func, param="period", minimum=0.0, strict=True)
    )
    load = np.bincount(net.src, weights=net.weight, minlength=C.n_nodes).astype(np.float64)
    capacity, servers = C.capacity.copy(), C.servers.copy()
    unit = wait_unit(C, period)
    if level == "unit":
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
            rows,
            name="utilisation by unit",
            description=f"pooled load and M/M/c wait of each unit (waits in {unit})",
        )
    rho, state, pw, wait = _queues(load, capacity, servers)
    worst, worst_wait = _waits_on(C, state, wait)
    rows = {}
    for i, node in enumerate(C.nodes):
        row = _row(load[i], capacity[i], int(servers[i]), rho[i], state[i], pw[i], wait[i] * scale)
        w = int(worst[i])
        row["waits_on"] = None if w < 0 else C.nodes[w]
        row["customer_wait"] = (
            None if w < 0 or not np.isfinite(worst_wait[i]) else float(worst_wait[i] * scale)
        )
        rows[node] = row
    return UtilisationTable(
        rows,
        name="utilisation",
        description=f"load, utilisation and M/M/c wait of each supplier (waits in {unit})",
    )


def _graph_period(value: object) -> float | None:
    """The graph's ``period`` attribute when it is a positive number, else None."""
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        x = float(value)
        if 0 < x < np.inf:
            return x
    return None


def wait_unit(C: CompiledOrg, period: float | None = None) -> str:
    """What the waits of `utilisation` count: the graph's time unit, or periods.

    `period` is the argument given to `utilisation`; None reads the graph's.

    Examples
    --------
    >>> import intcust as ic
    >>> wait_unit(ic.compile(ic.datasets.hotel())), wait_unit(ic.compile(ic.org_graph()))
    ('hours', 'periods')
    """
    if period is None and _graph_period(C.graph.get("period")) is None:
        return "periods"
    unit = C.graph.get("time_unit")
    return f"{unit}s" if unit else "time units"


def _waits_on(
    C: CompiledOrg, state: NDArray[np.str_], wait: FloatArray
) -> tuple[NDArray[np.int64], FloatArray]:
    """Per customer: the supplier it waits on longest, and that wait (-1 and NaN if none).

    A deliverable waits on the quickest of its alternative suppliers with a
    known capacity (an overloaded one counts as an endless wait); a
    customer waits on the slowest of its deliverables.
    """
    score = np.where(state == OVERLOADED, np.inf, wait)
    rows = np.flatnonzero(C.blocking & (state[C.src] != UNKNOWN) & (C.src != C.dst))
    order = rows[np.lexsort((score[C.src[rows]], C.join[rows]))]
    join = C.join[order]
    quickest = order[np.r_[True, join[1:] != join[:-1]]] if len(order) else order
    s = score[C.src[quickest]]
    by_customer = quickest[np.lexsort((s, C.dst[quickest]))]
    dst = C.dst[by_customer]
    slowest = by_customer[np.r_[dst[1:] != dst[:-1], True]] if len(dst) else by_customer
    worst = np.full(C.n_nodes, -1, dtype=np.int64)
    worst_wait = np.full(C.n_nodes, np.nan)
    worst[C.dst[slowest]] = C.src[slowest]
    worst_wait[C.dst[slowest]] = score[C.src[slowest]]
    return worst, worst_wait


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
