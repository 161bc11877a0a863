"""`schedule`: earliest and latest times, floats and the critical path of one round.

The forward pass gives every node's begin and finish; the backward pass
(`intcust.sim._engine.backward`) gives its latest finish against the due
dates, or the makespan where an external customer has none. The rules,
including the one for alternative suppliers (OR joins), are in
``docs/timing.md``.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import networkx as nx
import numpy as np
from numpy.typing import NDArray

from intcust._params import check_choice
from intcust.errors import UnknownNodeError
from intcust.graph.compiled import CompiledOrg, as_compiled
from intcust.graph.durations import ESTIMATES
from intcust.results import NodeScores, html_table, json_ready
from intcust.sim._engine import at_most, ends, engine
from intcust.sim._point import point

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes

__all__ = ["Schedule", "schedule"]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]

COLUMNS = ("start", "finish", "latest_start", "latest_finish", "total_float", "free_float")


def binding_pred(
    C: CompiledOrg, ready: FloatArray, finish: FloatArray, lead: FloatArray, rank: FloatArray
) -> IntArray:
    """Each node's binding supplier: the one whose arrival set its begin.

    A gating edge ``u -> v`` binds when ``v`` began when it was ready (its
    `start` did not hold it longer), its deliverable arrived last among
    those ``v`` needs, and ``u``'s hand-off arrived first among the
    alternatives. Ties go to the smallest `rank` of the supplier, then to
    node order. -1 where nothing binds.
    """
    pred = np.full(C.n_nodes, -1, dtype=np.int64)
    e = np.flatnonzero(C.gate)
    if not len(e):
        return pred
    src, dst = C.src[e], C.dst[e]
    arrival = finish[src] + lead[e]
    group = np.full(int(C.join.max()) + 1, np.inf)
    np.minimum.at(group, C.join[e], arrival)
    first = at_most(arrival, group[C.join[e]])
    last = at_most(ready[dst], group[C.join[e]])
    unheld = at_most(C.start[dst], ready[dst])
    keep = first & last & unheld
    e, src, dst = e[keep], src[keep], dst[keep]
    order = np.lexsort((src, rank[src], dst))
    dst_sorted = dst[order]
    head = np.ones(len(order), dtype=bool)
    head[1:] = dst_sorted[1:] != dst_sorted[:-1]
    pred[dst_sorted[head]] = src[order][head]
    return pred


def walk(pred: IntArray, node: int) -> list[int]:
    """The chain of binding suppliers ending at `node`, first supplier first."""
    chain = [node]
    while pred[chain[-1]] >= 0:
        chain.append(int(pred[chain[-1]]))
    return chain[::-1]


def _fed(C: CompiledOrg, work: FloatArray, lead: FloatArray) -> BoolArray:
    """Whether some work or lead time lies on a gating path into the node."""
    from intcust.sim._passes import reach_forward

    E = engine(C)
    fed = np.zeros(C.n_nodes, dtype=bool)
    reach_forward(*E.arrays, work > 0, E.arc_lead(lead) > 0, fed)
    return fed


def free_float(
    C: CompiledOrg,
    begin: FloatArray,
    finish: FloatArray,
    lead: FloatArray,
    latest: FloatArray,
) -> FloatArray:
    """The delay each node absorbs before any blocking customer begins later
    (or its own target is missed); see docs/timing.md."""
    ff = np.where(np.isfinite(latest), latest - finish, np.inf)
    e = np.flatnonzero(C.gate)
    if len(e):
        arrival = finish[C.src[e]] + lead[e]
        on_time = at_most(arrival, begin[C.dst[e]])
        count = np.bincount(C.join[e], weights=on_time, minlength=int(C.join.max()) + 1)
        others = count[C.join[e]] - on_time
        gap = np.where(others > 0, np.inf, begin[C.dst[e]] - arrival)
        np.minimum.at(ff, C.src[e], gap)
    return ff


@dataclass(frozen=True, eq=False)
class Schedule:
    """Earliest and latest times of every node in one round (see `schedule`)."""

    start: NodeScores  #: when the node begins: max(ready, its `start`)
    finish: NodeScores
    latest_start: NodeScores
    latest_finish: NodeScores  #: +inf where the node's lateness reaches no target
    total_float: NodeScores  #: latest_finish - finish; negative: a due date is missed
    free_float: NodeScores  #: delay that moves no blocking customer's begin
    makespan: float  #: finish of the latest external customer
    critical_nodes: frozenset[Hashable]  #: nodes whose delay moves the makespan
    late: NodeScores  #: nodes finishing after their due, by how much
    notes: tuple[str, ...]  #: due dates and customers that no work reaches
    estimate: str
    _pred: tuple[int, ...] = field(repr=False)
    _latest_end: int = field(repr=False)
    _nodes: tuple[Hashable, ...] = field(repr=False)

    def critical_path(self, customer: Hashable | None = None) -> list[Hashable]:
        """The chain of binding suppliers that ends at `customer`.

        Parameters
        ----------
        customer : node, optional
            Usually an external customer; by default the latest one (the one
            that sets the makespan).

        Returns
        -------
        list of node
            From the first supplier (one that began at its own `start` or
            needed no input) to `customer`. Where alternatives tie, the one
            with the least float, then the first in node order.

        Raises
        ------
        UnknownNodeError
            If `customer` is not a node of the organisation.
        """
        if customer is None:
            if self._latest_end < 0:
                return []
            end = self._latest_end
        else:
            try:
                end = self._nodes.index(customer)
            except ValueError:
                raise UnknownNodeError(
                    "The 'customer' parameter of critical_path must name a node of the "
                    f"organisation; got {customer!r}."
                ) from None
        pred = np.asarray(self._pred, dtype=np.int64)
        return [self._nodes[i] for i in walk(pred, end)]

    def to_dict(self) -> dict[str, Any]:
        """Strict JSON data (`intcust.results.json_ready`): per-node times and floats,
        ``"Infinity"`` for no limit."""
        data: dict[str, Any] = json_ready(
            {
                "estimate": self.estimate,
                "makespan": self.makespan,
                "critical_path": self.critical_path(),
                "critical_nodes": [n for n in self._nodes if n in self.critical_nodes],
                "late": self.late.to_dict(),
                "notes": list(self.notes),
                "nodes": {
                    n: {
                        **{c: getattr(self, c)[n] for c in COLUMNS},
                        "critical": n in self.critical_nodes,
                    }
                    for n in self._nodes
                },
            }
        )
        return data

    def to_frame(self) -> pd.DataFrame:
        """One row per node: the six times and floats and ``critical`` (needs pandas)."""
        import pandas as pd

        frame = pd.DataFrame({c: pd.Series(dict(getattr(self, c)), dtype=float) for c in COLUMNS})
        frame["critical"] = [n in self.critical_nodes for n in frame.index]
        frame.index.name = "node"
        return frame

    def __repr__(self) -> str:
        path = self.critical_path()
        shown = " → ".join(repr(n) for n in path[:6]) + (" → …" if len(path) > 6 else "")
        return (
            f"Schedule(makespan={self.makespan:g}, critical path {shown or '(none)'}, "
            f"{len(self.late)} late)"
        )

    def _repr_html_(self) -> str:
        rows = [
            [n, *(getattr(self, c)[n] for c in COLUMNS), n in self.critical_nodes]
            for n in self._nodes
        ]
        caption = f"makespan {self.makespan:g}; critical path: " + " → ".join(
            str(n) for n in self.critical_path()
        )
        if self.late:
            caption += "; late: " + ", ".join(f"{n} by {v:g}" for n, v in self.late.items())
        return html_table(rows, ["node", *COLUMNS, "critical"], caption=caption)

    def plot(self, ax: Axes | None = None, **kw: Any) -> Axes:
        """Draw the schedule as a Gantt chart: `intcust.plot.plot_schedule` (needs matplotlib).

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> import intcust as ic
        >>> G = ic.datasets.email_campaign()
        >>> ic.sim.schedule(G).plot(G=G).get_title()
        'Schedule'
        """
        from intcust.plot import plot_schedule

        return plot_schedule(self, ax=ax, **kw)


def schedule(G: nx.DiGraph | CompiledOrg, *, estimate: str = "mode") -> Schedule:
    """Earliest and latest times, floats and the critical path of one round.

    Parameters
    ----------
    G : networkx.DiGraph or CompiledOrg
        The organisation (a `CompiledOrg` lets callers reuse one compile).
    estimate : {"mode", "mean", "median"}, optional
        The point value taken from every duration.

    Returns
    -------
    Schedule
        ``start`` (when each node begins), ``finish``, ``latest_start``,
        ``latest_finish``, ``total_float`` and ``free_float`` (NodeScores),
        ``makespan``, ``critical_path(customer=None)``, ``critical_nodes``,
        ``late`` and ``notes``.

    Raises
    ------
    SchemaError, CycleError
        If `G` breaks the schema or blocking edges with lag 0 form a cycle.
    ParameterError
        If `estimate` is not one of the three.

    Notes
    -----
    Forward (docs/timing.md): a node is ready when every deliverable it needs
    has arrived, each at the earliest of its alternative suppliers'
    ``finish + lead_time``; it begins at ``max(ready, start)`` and finishes
    ``work`` later. The makespan is the finish of the latest external
    customer (of the latest node without blocking customers when the
    organisation has no external customer).

    Backward: every node with a ``due`` must finish by it, every external
    customer without one by the makespan; other nodes only through the
    nodes they supply, so a node whose lateness reaches no target has
    infinite float. The OR-join rule is that of `intcust.sim._engine.backward`
    (CPM [1]_ where all joins are AND); where one node feeds two alternative
    suppliers of the same deliverable, its float is found exactly by forward
    passes. ``total_float = latest_finish - finish`` is then the delay the
    node can absorb alone with every target still met; a negative float is
    the amount by which a due date is missed. ``free_float`` is the delay
    that moves no blocking customer's begin (nor the node's own target).
    ``critical_nodes`` have zero float against the makespan.

    A due date that no work or lead time can affect (a node no blocking
    supplier with work leads to, and no work of its own), and an external
    customer that no work reaches, are reported in ``notes`` rather than
    raised, so a schedule of a partly wired organisation still runs.

    References
    ----------
    .. [1] J. E. Kelley and M. R. Walker, "Critical-path planning and
       scheduling", Proc. Eastern Joint Computer Conference, 1959, pp. 160-173.

    Examples
    --------
    >>> import intcust as ic
    >>> sch = ic.sim.schedule(ic.datasets.email_campaign())
    >>> sch.makespan
    4.0
    >>> sch.critical_path()
    ['designer', 'sender', 'campaign', 'customers']
    >>> sch.total_float["designer"], sch.total_float["list keeper"]
    (1.0, 2.5)
    >>> sorted(sch.critical_nodes)
    ['campaign', 'customers', 'designer', 'sender']
    >>> sch
    Schedule(makespan=4, critical path 'designer' → 'sender' → 'campaign' → 'customers', 0 late)
    """
    C = as_compiled(G, func="schedule")
    check_choice(estimate, ESTIMATES, func="schedule", param="estimate")
    w, ld = C.work.point(estimate), C.lead_time.point(estimate)
    p = point(C, w, ld)  # the kernels' numbering: p.renumbered in, p.to_org out
    ready_k, finish_k = p.forward()
    ready, finish = p.to_org(ready_k), p.to_org(finish_k)
    begin = np.maximum(ready, C.start)
    end = ends(C)
    makespan = float(finish[end].max()) if len(end) else 0.0
    due = ~np.isnan(C.due)
    latest = np.full(C.n_nodes, np.inf)
    latest[end] = makespan
    latest[due] = C.due[due]
    lf = p.to_org(p.latest_finish(finish_k, p.renumbered(latest)))
    to_end = np.full(C.n_nodes, np.inf)
    to_end[end] = makespan
    slack = p.to_org(p.latest_finish(finish_k, p.renumbered(to_end))) - finish
    end_k = p.numbering.pos[end]
    critical = p.to_org(p.critical_masks(end_k[:0], end_k))[:, 0]
    pred = binding_pred(C, ready, finish, ld, slack)
    late = due & ~at_most(finish, np.where(due, C.due, np.inf))

    names = C.nodes

    def scores(values: FloatArray, name: str, description: str) -> NodeScores:
        return NodeScores(
            zip(names, values.tolist(), strict=True), name=name, description=description
        )

    late_ids = np.flatnonzero(late)
    return Schedule(
        start=scores(begin, "start", "when the node begins: max(ready, start)"),
        finish=scores(finish, "finish", "when the node's output is ready"),
        latest_start=scores(lf - w, "latest_start", "latest begin with every target met"),
        latest_finish=scores(lf, "latest_finish", "latest finish with every target met"),
        total_float=scores(
            lf - finish, "total_float", "delay the node absorbs alone; negative: a missed due"
        ),
        free_float=scores(
            free_float(C, begin, finish, ld, latest),
            "free_float",
            "delay that moves no blocking customer's begin",
        ),
        makespan=makespan,
        critical_nodes=frozenset(names[i] for i in np.flatnonzero(critical)),
        late=NodeScores(
            {names[i]: float(finish[i] - C.due[i]) for i in late_ids},
            name="late",
            description="finish after the due date",
        ),
        notes=_notes(C, w, ld),
        estimate=estimate,
        _pred=tuple(pred.tolist()),
        _latest_end=int(end[np.argmax(finish[end])]) if len(end) else -1,
        _nodes=names,
    )


def _notes(C: CompiledOrg, work: FloatArray, lead: FloatArray) -> tuple[str, ...]:
    fed = _fed(C, work, lead)
    notes = []
    for i in np.flatnonzero(~np.isnan(C.due) & ~fed):
        notes.append(
            f"due of node {C.nodes[i]!r} constrains nothing: no work or lead time leads to "
            f"it, so it finishes at its start ({C.start[i]:g})"
        )
    external = np.zeros(C.n_nodes, dtype=bool)
    external[C.external] = True
    for i in np.flatnonzero(external & ~fed & np.isnan(C.due)):
        notes.append(
            f"external customer {C.nodes[i]!r} is reached by no work: no blocking supplier "
            "with work or lead time leads to it"
        )
    return tuple(notes)
