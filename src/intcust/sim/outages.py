"""`outage` and `outage_ranking`: who stops when a stakeholder goes down, and for how long.

Semantics (docs/recurring.md). A node of the outage is down during
``[at, at + duration)``. When a supplier ``u`` is down during ``[a_u, b_u)``,
its customer ``v`` loses the hand-off ``e = u -> v`` during
``[a_u + lead_e, b_u + work_u + lead_e)``: what was already on its way
still arrives, and after the restart ``u`` must first redo its work and the
hand-off must travel (the catch-up). A deliverable is lost while every
alternative supplier's hand-off is lost (OR: the intersection of their
intervals). ``v`` keeps serving for ``buffer_v`` after losing a
deliverable; if the loss lasts longer, ``v`` is down from ``loss start +
buffer_v`` until the deliverable is back (AND: any lost deliverable stops
``v``). A node's down time is kept as one interval, from its first stop to
its last restart; should it resume between two losses, the gap is counted
as down too, and its customers may be reported down longer (or at all)
than they would be. The result is then an upper bound: every stop is
inside the interval reported. It is exact whenever no node stops twice,
which the tests check against a discrete-event simulation.

Only blocking edges with lag 0 pass an outage on: a lagged hand-off feeds a
later round, which `intcust.sim.rounds` follows. The computation runs in a
compiled kernel on the gating join plan, node by node in topological order,
in parallel over outage scenarios (`outage_ranking` runs every single-node
outage at once).
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import Any

import networkx as nx
import numpy as np
from numpy.typing import NDArray

from intcust._jit import run_parallel
from intcust._params import check_choice, check_number
from intcust.errors import ParameterError, UnknownNodeError, quote
from intcust.graph.compiled import EXTERNAL, CompiledOrg, as_compiled
from intcust.graph.durations import ESTIMATES
from intcust.results import NodeScores, NodeTable, html_table
from intcust.sim._engine import engine

__all__ = ["Outage", "down_intervals", "outage", "outage_ranking"]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

#: scenarios × nodes cells `outage_ranking` holds at once
_CELLS = 1 << 22


def down_intervals(
    C: CompiledOrg, start: FloatArray, end: FloatArray, work: FloatArray, lead: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """Down interval ``[a, b)`` of every node in every scenario.

    Parameters
    ----------
    start, end : ndarray, shape (V, S)
        The outages themselves (``start >= end`` where a node is not out).
    work, lead : ndarray, shape (V,) and (E,)
        Point durations (the catch-up work and the hand-off times).

    Returns
    -------
    a, b : ndarray, shape (V, S)
        ``a < b`` where the node is down; ``a = +inf, b = -inf`` elsewhere.
    """
    from intcust.sim._outage_pass import down_pass

    out = start < end
    a = np.ascontiguousarray(np.where(out, start, np.inf), dtype=np.float64)
    b = np.ascontiguousarray(np.where(out, end, -np.inf), dtype=np.float64)
    E = engine(C)
    args = (
        *E.arrays,
        work.astype(np.float64),
        E.arc_lead(lead.astype(np.float64)),
        C.buffer,
        a,
        b,
    )
    run_parallel(lambda lo, hi: down_pass(*args, lo, hi), a.shape[1])
    return a, b


@dataclass(frozen=True, eq=False)
class Outage:
    """What an outage does (see `outage`). Times are absolute; `at` is when it starts."""

    outages: dict[Hashable, float]
    at: float
    down: NodeTable  #: nodes that stop: from, until, duration
    customers: tuple[Hashable, ...]  #: the external customers hit
    time_to_survive: NodeScores  #: per external customer: service left after `at` (inf: never hit)
    time_to_recover: (
        NodeScores  #: per external customer: until service is back, from `at` (0: never hit)
    )
    recovery: float  #: from `at` until service resumes everywhere
    customer_time_lost: float  #: sum over external customers of their unserved time

    def summary_lines(self) -> list[str]:
        """Plain-text lines for a terminal."""
        what = ", ".join(f"{n} for {d:g}" for n, d in self.outages.items())
        lines = [f"outage at {self.at:g}: {what}"]
        for n, row in self.down.items():
            lines.append(f"  {n}: down {row['from']:g} → {row['until']:g}")
        hit = ", ".join(map(str, self.customers)) or "none"
        lines.append(f"customers hit: {hit}")
        for c in self.customers:
            lines.append(
                f"  {c}: served for {self.time_to_survive[c]:g} more, "
                f"back after {self.time_to_recover[c]:g}"
            )
        lines.append(f"service resumes everywhere after {self.recovery:g}")
        return lines

    def __repr__(self) -> str:
        return (
            f"Outage({self.outages}, down={list(self.down)}, customers={list(self.customers)}, "
            f"recovery={self.recovery:g})"
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (a customer never hit has ``time_to_survive`` None)."""
        return {
            "outages": [{"node": n, "duration": d} for n, d in self.outages.items()],
            "at": self.at,
            "down": [{"node": n, **row} for n, row in self.down.items()],
            "customers": list(self.customers),
            "time_to_survive": {
                c: (x if math.isfinite(x) else None) for c, x in self.time_to_survive.items()
            },
            "time_to_recover": dict(self.time_to_recover),
            "recovery": self.recovery,
            "customer_time_lost": self.customer_time_lost,
        }

    def _repr_html_(self) -> str:
        rows = [[str(n), r["from"], r["until"], r["duration"]] for n, r in self.down.items()]
        return html_table(rows, ["node", "from", "until", "duration"], caption=repr(self))


def _checked(C: CompiledOrg, outages: object, func: str) -> dict[int, float]:
    if not isinstance(outages, Mapping) or not outages:
        raise ParameterError(
            f"The 'outages' parameter of {func} must be a non-empty mapping "
            f"{{node: duration}}; got {outages!r}."
        )
    out: dict[int, float] = {}
    for node, d in outages.items():
        try:
            i = C.index[node]
        except (KeyError, TypeError):
            raise UnknownNodeError(
                f"The 'outages' parameter of {func} must name nodes of the organisation; "
                f"got {quote(node)}."
            ) from None
        out[i] = check_number(d, func=func, param="outages", minimum=0.0, strict=True)
    return out


def outage(
    G: nx.DiGraph | CompiledOrg,
    outages: Mapping[Hashable, float],
    *,
    at: float = 0.0,
    estimate: str = "mode",
) -> Outage:
    """Stop stakeholders for a while and follow who else stops, and until when.

    Parameters
    ----------
    G : networkx.DiGraph or CompiledOrg
        The organisation.
    outages : mapping
        ``{node: duration}``: each node is down from `at` for `duration` (> 0).
    at : float, optional
        When the outage starts.
    estimate : {"mode", "mean", "median"}, optional
        Point value of work (the catch-up after a restart) and lead times.

    Returns
    -------
    Outage
        ``down`` (every node that stops, from when, until when), the
        external ``customers`` hit, each customer's ``time_to_survive`` and
        ``time_to_recover`` (from `at`), the overall ``recovery`` and the
        ``customer_time_lost``.

    Raises
    ------
    UnknownNodeError
        If `outages` names an unknown node.
    ParameterError
        If a duration is not a number > 0, or `at` is not finite.

    Notes
    -----
    The interval rule is in the module docstring. Time to survive and time
    to recover follow Simchi-Levi et al. [1]_: a customer is safe from an
    outage while its time to survive exceeds the outage's time to recover.

    References
    ----------
    .. [1] D. Simchi-Levi, W. Schmidt and Y. Wei, "From superstorms to
       factory fires: managing unpredictable supply-chain disruptions",
       Harvard Business Review 92(1-2), 2014, pp. 96-101.

    Examples
    --------
    The hotel's property-management system is down for a day. Reception
    keeps a paper guest list for 2 hours and accounts can bill by hand for
    4; then both stop, and so does the guests' service. After the restart,
    IT's own work and the hand-offs delay the guests' recovery by a little
    over an hour:

    >>> import intcust as ic
    >>> from intcust.sim.outages import outage
    >>> G = ic.datasets.hotel()
    >>> G.nodes["reception"]["buffer"], G.nodes["accounts"]["buffer"] = 2.0, 4.0
    >>> res = outage(G, {"IT": 24})
    >>> {n: (round(r["from"], 2), round(r["until"], 2)) for n, r in res.down.items()}
    {'IT': (0.0, 24.0), 'reception': (2.1, 24.22), 'accounts': (4.1, 24.57), 'guests': (2.15, 25.17)}
    >>> res.customers, round(res.time_to_survive["guests"], 2)
    (('guests',), 2.15)
    """
    func = "outage"
    C = as_compiled(G, func=func)
    check_choice(estimate, ESTIMATES, func=func, param="estimate")
    t0 = check_number(at, func=func, param="at")
    durations = _checked(C, outages, func)
    start = np.full((C.n_nodes, 1), np.inf)
    end = np.full((C.n_nodes, 1), -np.inf)
    for i, d in durations.items():
        start[i, 0], end[i, 0] = t0, t0 + d
    work, lead = C.work.point(estimate), C.lead_time.point(estimate)
    a, b = (x[:, 0] for x in down_intervals(C, start, end, work, lead))
    down = np.flatnonzero(a < b)
    table = NodeTable(
        {
            C.nodes[i]: {"from": float(a[i]), "until": float(b[i]), "duration": float(b[i] - a[i])}
            for i in down.tolist()
        },
        columns=["from", "until", "duration"],
        name="down",
    )
    ext = C.external
    hit = ext[a[ext] < b[ext]]
    tts = NodeScores(
        ((C.nodes[c], float(a[c] - t0) if a[c] < b[c] else math.inf) for c in ext.tolist()),
        name="time to survive",
    )
    ttr = NodeScores(
        ((C.nodes[c], float(b[c] - t0) if a[c] < b[c] else 0.0) for c in ext.tolist()),
        name="time to recover",
    )
    return Outage(
        outages={C.nodes[i]: d for i, d in durations.items()},
        at=t0,
        down=table,
        customers=tuple(C.names(hit)),
        time_to_survive=tts,
        time_to_recover=ttr,
        recovery=float(b[down].max() - t0) if len(down) else 0.0,
        customer_time_lost=float((b[hit] - a[hit]).sum()),
    )


def outage_ranking(
    G: nx.DiGraph | CompiledOrg, duration: float, *, estimate: str = "mode"
) -> NodeTable:
    """Which single outage of a given length hurts the external customers most.

    Parameters
    ----------
    G : networkx.DiGraph or CompiledOrg
        The organisation.
    duration : float
        Length of every outage, > 0.
    estimate : {"mode", "mean", "median"}, optional
        Point value of work and lead times.

    Returns
    -------
    NodeTable
        One row per stakeholder (external customers are the ones hurt, not
        ranked), most harmful first: ``customers_hit``,
        ``customer_time_lost`` (the sum of the customers' unserved time),
        ``time_to_survive`` (the shortest, over the customers hit; inf when
        none is), ``time_to_recover`` (the longest), and ``risk_exposure``,
        the customer time lost relative to the worst outage of the rows
        reported, in [0, 1], the first row scoring 1 (the risk-exposure
        index of Simchi-Levi et al. [1]_).

    Raises
    ------
    ParameterError
        If `duration` is not a number > 0.

    References
    ----------
    .. [1] D. Simchi-Levi, W. Schmidt, Y. Wei, P. Y. Zhang, K. Combs, Y. Ge,
       O. Gusikhin, M. Sanders and D. Zhang, "Identifying risks and
       mitigating disruptions in the automotive supply chain", Interfaces
       45(5), 2015, pp. 375-390.

    Examples
    --------
    >>> import intcust as ic
    >>> rank = ic.sim.outage_ranking(ic.datasets.hotel(), 24)
    >>> list(rank)[:3]
    ['housekeeping', 'kitchen', 'IT']
    >>> rank["IT"]["customers_hit"], round(rank["IT"]["risk_exposure"], 2)
    (1, 0.9)
    """
    func = "outage_ranking"
    C = as_compiled(G, func=func)
    check_choice(estimate, ESTIMATES, func=func, param="estimate")
    d = check_number(duration, func=func, param="duration", minimum=0.0, strict=True)
    work, lead = C.work.point(estimate), C.lead_time.point(estimate)
    n = C.n_nodes
    ext = C.external
    lost = np.zeros(n)
    hits = np.zeros(n, dtype=np.int64)
    tts = np.full(n, math.inf)
    ttr = np.zeros(n)
    chunk = max(1, _CELLS // max(n, 1))
    for lo in range(0, n, chunk):
        cols = np.arange(lo, min(lo + chunk, n))
        start = np.full((n, len(cols)), np.inf)
        end = np.full((n, len(cols)), -np.inf)
        start[cols, np.arange(len(cols))] = 0.0
        end[cols, np.arange(len(cols))] = d
        a, b = down_intervals(C, start, end, work, lead)
        ac, bc = a[ext], b[ext]
        is_hit = ac < bc
        hits[cols] = is_hit.sum(axis=0)
        lost[cols] = np.where(is_hit, bc - ac, 0.0).sum(axis=0)
        tts[cols] = np.where(is_hit, ac, np.inf).min(axis=0, initial=np.inf)
        ttr[cols] = np.where(is_hit, bc, 0.0).max(axis=0, initial=0.0)
    internal = np.flatnonzero(C.kind != EXTERNAL)
    # relative to the worst outage among the rows reported, which scores 1
    top = lost[internal].max(initial=0.0)
    rei = lost / top if top > 0 else np.zeros(n)
    order = internal[np.lexsort((internal, -hits[internal], -rei[internal]))]
    return NodeTable(
        {
            C.nodes[i]: {
                "risk_exposure": float(rei[i]),
                "customer_time_lost": float(lost[i]),
                "customers_hit": int(hits[i]),
                "time_to_survive": float(tts[i]),
                "time_to_recover": float(ttr[i]),
            }
            for i in order.tolist()
        },
        columns=[
            "risk_exposure",
            "customer_time_lost",
            "customers_hit",
            "time_to_survive",
            "time_to_recover",
        ],
        name="outage ranking",
    )
