"""`delay`: what given delays do to every node, and its result `DelayImpact`.

`delay` reruns the forward pass with the delays added to the nodes' work and
explains each moved node by the chain of binding suppliers the delay
travelled along (docs/timing.md); `DelayImpact.chain` follows that chain
back from a node to the delay that made it late.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import networkx as nx
import numpy as np
from numpy.typing import NDArray

from intcust._params import check_choice
from intcust.errors import ParameterError, UnknownNodeError
from intcust.graph.compiled import CompiledOrg, as_compiled
from intcust.graph.durations import ESTIMATES
from intcust.results import NodeScores, html_table, json_ready
from intcust.sim._engine import TIE_TOL, at_most, ends
from intcust.sim._point import forward

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes

__all__ = ["DelayImpact", "delay"]

FloatArray = NDArray[np.float64]


@dataclass(frozen=True, eq=False)
class DelayImpact:
    """What a set of delays does to every node (see `delay`)."""

    delays: dict[Hashable, float]  #: the delays applied
    finish: NodeScores  #: finish times with the delays
    lateness: NodeScores  #: how much later than the baseline each node finishes
    customer_lateness: NodeScores  #: the same, for the external customers
    customers: NodeScores  #: external customers missing their due now, by how much
    makespan: float  #: with the delays
    makespan_delay: float  #: how much the makespan moved
    estimate: str
    _pred: tuple[int, ...] = field(repr=False)  #: the late supplier each late node waited for
    _moved: tuple[bool, ...] = field(repr=False)  #: whether the node began later
    _nodes: tuple[Hashable, ...] = field(repr=False)

    def chain(self, node: Hashable) -> list[Hashable]:
        """The path the delay travelled to `node`, from a delayed node to `node`.

        Each step goes back from a node that began later than planned to a
        late supplier that made it wait: one whose deliverable arrived first
        in the plan and whose hand-off now arrives late (where an
        alternative supplier took over, the chain still runs through the
        late one); the chain ends at a node that began on time, which is
        late by its own delay. Empty when `node` is not late.

        Raises
        ------
        UnknownNodeError
            If `node` is not a node of the organisation.
        """
        try:
            i = self._nodes.index(node)
        except ValueError:
            raise UnknownNodeError(
                f"The 'node' parameter of chain must name a node of the organisation; got {node!r}."
            ) from None
        if self.lateness[node] <= _tol(self.finish[node]):
            return []
        chain = [i]
        while self._moved[chain[-1]] and self._pred[chain[-1]] >= 0:
            chain.append(self._pred[chain[-1]])
        return [self._nodes[j] for j in reversed(chain)]

    def to_dict(self) -> dict[str, Any]:
        """Strict JSON data (`intcust.results.json_ready`): delays, lateness per node
        and customer, and each late customer's chain."""
        data: dict[str, Any] = json_ready(
            {
                "estimate": self.estimate,
                "delays": dict(self.delays),
                "makespan": self.makespan,
                "makespan_delay": self.makespan_delay,
                "lateness": self.lateness.to_dict(),
                "customer_lateness": self.customer_lateness.to_dict(),
                "customers": self.customers.to_dict(),
                "chains": {c: self.chain(c) for c, x in self.customer_lateness.items() if x > 0},
            }
        )
        return data

    def to_frame(self) -> pd.DataFrame:
        """One row per node: delayed ``finish`` and ``lateness`` (needs pandas)."""
        import pandas as pd

        frame = pd.DataFrame(
            {
                "finish": pd.Series(dict(self.finish), dtype=float),
                "lateness": pd.Series(dict(self.lateness), dtype=float),
            }
        )
        frame.index.name = "node"
        return frame

    def __repr__(self) -> str:
        delays = ", ".join(f"{n!r}: {x:g}" for n, x in list(self.delays.items())[:3])
        more = ", …" if len(self.delays) > 3 else ""
        n = len(self.customers)
        late = "1 customer misses its due" if n == 1 else f"{n} customers miss their due"
        return f"DelayImpact({{{delays}{more}}}: makespan {self.makespan_delay:+g}, {late})"

    def _repr_html_(self) -> str:
        rows = [
            [n, self.finish[n], x, " → ".join(map(str, self.chain(n)))]
            for n, x in self.lateness.top(len(self.lateness))
        ]
        delays = ", ".join(f"{n} +{x:g}" for n, x in self.delays.items())
        caption = f"delays: {delays}; makespan {self.makespan:g} ({self.makespan_delay:+g})"
        if self.customers:
            caption += "; missing their due: " + ", ".join(
                f"{n} by {x:g}" for n, x in self.customers.items()
            )
        return html_table(rows, ["node", "finish", "lateness", "chain"], caption=caption)

    def plot(self, ax: Axes | None = None, **kw: Any) -> Axes:
        """Draw how the delay spreads: `intcust.plot.plot_cascade` (needs matplotlib).

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> import intcust as ic
        >>> ic.sim.delay(ic.datasets.email_campaign(), {"designer": 2}).plot().get_title()
        'Delay cascade of designer +2'
        """
        from intcust.plot import plot_cascade

        return plot_cascade(self, ax=ax, **kw)


def _tol(x: float) -> float:
    return TIE_TOL * max(1.0, abs(x))


def _check_delays(C: CompiledOrg, delays: object) -> dict[Hashable, float]:
    if not isinstance(delays, Mapping):
        raise ParameterError(
            "The 'delays' parameter of delay must be a mapping of node to amount; "
            f"got {type(delays).__name__}."
        )
    out: dict[Hashable, float] = {}
    for node, amount in delays.items():
        C.node_id(node, func="delay", param="delays")
        ok = isinstance(amount, (int, float, np.integer, np.floating)) and not isinstance(
            amount, bool
        )
        if not ok or not math.isfinite(float(amount)) or float(amount) < 0:
            raise ParameterError(
                "The 'delays' parameter of delay must map each node to a finite number >= 0; "
                f"got {amount!r} for node {node!r}."
            )
        out[node] = float(amount)
    return out


def delay(
    G: nx.DiGraph | CompiledOrg,
    delays: Mapping[Hashable, float],
    *,
    estimate: str = "mode",
) -> DelayImpact:
    """What simultaneous delays do to every node and external customer.

    Parameters
    ----------
    G : networkx.DiGraph or CompiledOrg
        The organisation.
    delays : mapping of node to float
        How much later than planned each node finishes its work (>= 0).
    estimate : {"mode", "mean", "median"}, optional
        The point value taken from every duration.

    Returns
    -------
    DelayImpact
        ``lateness`` of every node against the baseline schedule,
        ``customer_lateness``, ``customers`` (external customers missing
        their due with the delays, by how much), the new ``makespan`` and
        ``chain(node)``, the path each delay travelled.

    Raises
    ------
    UnknownNodeError
        If a delayed node is not in the organisation.
    ParameterError
        If an amount is negative, NaN or not a number.

    Notes
    -----
    A delay adds to the node's work, so the node finishes that much later
    (its begin is unchanged); the forward pass (docs/timing.md) carries it to
    every node downstream. Delays compose in max-plus algebra: a customer
    moves by the amount that exceeds the float between them [1]_, less where
    an alternative supplier takes over (OR join).

    References
    ----------
    .. [1] J. E. Kelley and M. R. Walker, "Critical-path planning and
       scheduling", Proc. Eastern Joint Computer Conference, 1959, pp. 160-173.

    Examples
    --------
    The designer has one day of float before the customers' due date (day 5);
    two days late, they push the sender, the campaign and the customers back
    by two days, and the customers miss their due by one:

    >>> import intcust as ic
    >>> G = ic.datasets.email_campaign()
    >>> ic.sim.schedule(G).total_float["designer"]
    1.0
    >>> imp = ic.sim.delay(G, {"designer": 2})
    >>> {n: imp.lateness[n] for n in ["sender", "campaign", "customers", "list keeper"]}
    {'sender': 2.0, 'campaign': 2.0, 'customers': 2.0, 'list keeper': 0.0}
    >>> imp.customers
    NodeScores('missed_due', {'customers': 1})
    >>> imp.chain("customers")
    ['designer', 'sender', 'campaign', 'customers']
    """
    C = as_compiled(G, func="delay")
    check_choice(estimate, ESTIMATES, func="delay", param="estimate")
    amounts = _check_delays(C, delays)
    w, ld = C.work.point(estimate), C.lead_time.point(estimate)
    ready0, finish0 = forward(C, w, ld)
    extra = np.zeros(C.n_nodes)
    for node, x in amounts.items():
        extra[C.index[node]] = x
    ready, finish = forward(C, w + extra, ld)
    late = finish - finish0
    late[at_most(late, np.zeros(C.n_nodes))] = 0.0
    begin0, begin = np.maximum(ready0, C.start), np.maximum(ready, C.start)
    moved = ~at_most(begin, begin0)
    pred = _cause(C, ld, finish0, finish, ready, late)
    end = ends(C)
    makespan0 = float(finish0[end].max()) if len(end) else 0.0
    makespan = float(finish[end].max()) if len(end) else 0.0
    ext = C.external
    names = C.nodes
    due = C.due[ext]
    missing = ~np.isnan(due) & ~at_most(finish[ext], np.where(np.isnan(due), np.inf, due))
    return DelayImpact(
        delays=amounts,
        finish=NodeScores(zip(names, finish.tolist(), strict=True), name="finish"),
        lateness=NodeScores(
            zip(names, late.tolist(), strict=True),
            name="lateness",
            description="how much later than planned the node finishes",
        ),
        customer_lateness=NodeScores(
            {names[i]: float(late[i]) for i in ext}, name="customer_lateness"
        ),
        customers=NodeScores(
            {names[i]: float(finish[i] - C.due[i]) for i in ext[missing]},
            name="missed_due",
            description="external customers finishing after their due date, by how much",
        ),
        makespan=makespan,
        makespan_delay=max(0.0, makespan - makespan0),
        estimate=estimate,
        _pred=tuple(pred.tolist()),
        _moved=tuple(moved.tolist()),
        _nodes=names,
    )


def _cause(
    C: CompiledOrg,
    lead: FloatArray,
    finish0: FloatArray,
    finish: FloatArray,
    ready: FloatArray,
    late: FloatArray,
) -> NDArray[np.int64]:
    """For every node, a late supplier that made it wait, or -1.

    A deliverable whose arrival rose, and that the node waited for last, was
    late because every supplier that arrived first in the plan is late now;
    one of them is the cause: the one that still arrives first, then the
    first in node order.
    """
    pred = np.full(C.n_nodes, -1, dtype=np.int64)
    e = np.flatnonzero(C.gate)
    if not len(e):
        return pred
    src, dst, join = C.src[e], C.dst[e], C.join[e]
    n_groups = int(C.join.max()) + 1
    arr0, arr = finish0[src] + lead[e], finish[src] + lead[e]
    group0, group = np.full(n_groups, np.inf), np.full(n_groups, np.inf)
    np.minimum.at(group0, join, arr0)
    np.minimum.at(group, join, arr)
    keep = (
        at_most(ready[dst], group[join])  # the node waited for this deliverable last
        & ~at_most(group[join], group0[join])  # which arrived later than planned
        & at_most(arr0, group0[join])  # and this supplier was first in the plan
        & (late[src] > 0)
    )
    first_now = at_most(arr, group[join])
    e_src, e_dst = src[keep], dst[keep]
    order = np.lexsort((e_src, ~first_now[keep], e_dst))
    dst_sorted = e_dst[order]
    head = np.ones(len(order), dtype=bool)
    head[1:] = dst_sorted[1:] != dst_sorted[:-1]
    pred[dst_sorted[head]] = e_src[order][head]
    return pred
