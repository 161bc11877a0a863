"""Delay cascades: `sensitivity`, how far each customer moves if one node alone is late.

`sensitivity` answers, for every node at once, how far each external
customer moves if that node alone is late, from backward passes
(docs/timing.md). `delay` (what given delays do) and its result
`DelayImpact` live in `intcust.sim.delays` and are importable from here.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import TYPE_CHECKING, Any

import networkx as nx
import numpy as np
from numpy.typing import NDArray

from intcust._params import check_choice, check_number
from intcust.graph.compiled import CompiledOrg, as_compiled
from intcust.graph.durations import ESTIMATES
from intcust.results import NodeTable
from intcust.sim._engine import at_most, ends
from intcust.sim._point import point
from intcust.sim.delays import DelayImpact, delay

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["DelayImpact", "SensitivityTable", "delay", "sensitivity"]

FloatArray = NDArray[np.float64]


class SensitivityTable(NodeTable):
    """The `NodeTable` that `sensitivity` returns; ``.plot()`` draws it as a tornado chart."""

    def plot(self, ax: Axes | None = None, **kw: Any) -> Axes:
        """Draw who moves the finish most: `intcust.plot.plot_sensitivity` (needs matplotlib).

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> import intcust as ic
        >>> ax = ic.sim.sensitivity(ic.datasets.email_campaign()).plot(top=2)
        >>> [t.get_text() for t in ax.get_yticklabels()]
        ['designer', 'sender']
        """
        from intcust.plot import plot_sensitivity

        return plot_sensitivity(self, ax=ax, **kw)


def sensitivity(
    G: nx.DiGraph | CompiledOrg,
    *,
    amount: float = 1.0,
    estimate: str = "mode",
) -> SensitivityTable:
    """How far each external customer moves if one node alone is `amount` late.

    Parameters
    ----------
    G : networkx.DiGraph or CompiledOrg
        The organisation.
    amount : float, optional
        The delay given to each node in turn (>= 0).
    estimate : {"mode", "mean", "median"}, optional
        The point value taken from every duration.

    Returns
    -------
    SensitivityTable
        A `NodeTable` that can ``.plot()`` itself. One row per node; one
        column per external customer (named ``str(customer)``) with how
        much later it finishes, ``"makespan"`` with how much the latest one
        moves, and ``"absorbable"``: the delay the node absorbs before any
        external customer moves (``inf`` when none depends on it).
        ``.column(name)`` gives `NodeScores`.

    Raises
    ------
    ParameterError
        If `amount` is negative or not finite, or `estimate` unknown.

    Notes
    -----
    One backward sweep with a column per external customer ``c`` (K of them)
    and ``c``'s current finish as its column's only target gives the slack
    ``s_c(v)`` of every node; where ``v``'s delay meets only AND joins,
    max-plus algebra [1]_ makes the move exact:
    ``max(0, amount - s_c(v))``. Where it reaches an OR join and `amount`
    exceeds what the node absorbs, the move is clipped by the gap to the
    next alternative supplier, in compositions no single number per node
    captures; each of those nodes is delayed by a forward pass over the part
    of the organisation its delay reaches (exact; on the thread pool). The
    total is O(K (V + E)) for AND joins, plus those passes. ``absorbable``
    is the total float against the customers' current finishes (see
    `schedule`). In an organisation without external customers, the nodes
    that supply no one stand in for them in ``"makespan"`` and
    ``"absorbable"``.

    References
    ----------
    .. [1] F. Baccelli, G. Cohen, G. J. Olsder and J.-P. Quadrat,
       "Synchronization and Linearity: An Algebra for Discrete Event
       Systems", Wiley, 1992.

    Examples
    --------
    >>> import intcust as ic
    >>> s = ic.sim.sensitivity(ic.datasets.email_campaign(), amount=2)
    >>> s.column("customers")
    NodeScores('customers', {'designer': 2, 'list keeper': 0.5, 'sender': 2, 'campaign': 2, 'customers': 2})
    >>> s.column("absorbable")["list keeper"]
    1.5
    """
    C = as_compiled(G, func="sensitivity")
    a = check_number(amount, func="sensitivity", param="amount", minimum=0.0)
    check_choice(estimate, ESTIMATES, func="sensitivity", param="estimate")
    from intcust.sim._passes import max_plus_moves

    # every node array below is in the kernels' numbering (`Point`) until the table
    p = point(C, C.work.point(estimate), C.lead_time.point(estimate))
    _ready, finish = p.forward()
    pos = p.numbering.pos
    ext, end = pos[C.external], pos[ends(C)]  # end is ext when there are external customers
    V = C.n_nodes
    # the latest finish of every node for each end to keep its finish, one column
    # each (one sweep), and for all of them at once (the least of the columns)
    latest = np.full((V, len(end)), np.inf)
    latest[end, np.arange(len(end))] = finish[end]
    local = p.local_latest(finish, latest)
    move, end_move = np.empty((V, len(end))), np.zeros(V)
    to_end = np.full(V, np.inf)
    to_end[end] = finish[end]
    together = to_end.copy()
    if len(end):
        max_plus_moves(local, finish, end, a, move, end_move, together)
    makespan = float(finish[end].max()) if len(end) else 0.0
    end_move -= makespan
    absorbable = p.latest_finish(finish, to_end, local=together) - finish
    # against the current finishes the float is >= 0; drop rounding noise below 0
    absorbable = np.maximum(absorbable, 0.0)
    # a delay within the (exact) absorbable float moves no one; past it, through an
    # OR join, the move is clipped: those nodes are delayed in forward passes over
    # the part of the organisation they reach
    exact = np.flatnonzero(p.engine.meets_or & ~at_most(np.full(V, a), absorbable))
    if len(exact):
        fin = p.delayed_finish(finish, exact, a, end)
        if len(ext):
            move[exact] = fin - finish[ext]
        if len(end):
            end_move[exact] = _by_row(np.maximum, fin) - makespan
    move[move < 0] = 0.0
    end_move[end_move < 0] = 0.0
    if not len(ext):
        move = np.zeros((V, 0))
    columns = _column_names(C.names(C.external))
    move, end_move, absorbable = p.to_org(move), p.to_org(end_move), p.to_org(absorbable)
    table = SensitivityTable.from_columns(
        C.nodes,
        {
            **{col: move[:, k] for k, col in enumerate(columns)},
            "makespan": end_move,
            "absorbable": absorbable,
        },
        name="sensitivity",
        description=f"how far each customer moves if the node alone is {a:g} late",
    )
    assert isinstance(table, SensitivityTable)
    return table


def _by_row(op: np.ufunc, values: FloatArray) -> FloatArray:
    """``op`` over the columns of each row of a (rows, K >= 1) array, a column at a
    time (numpy reduces along a short last axis slowly)."""
    out = np.array(values[:, 0])
    for k in range(1, values.shape[1]):
        op(out, values[:, k], out=out)
    return out


def _column_names(customers: list[Hashable]) -> list[str]:
    names = [str(c) for c in customers]
    if len(set(names)) < len(names) or {"makespan", "absorbable"} & set(names):
        names = [repr(c) for c in customers]
    return names
