"""Ranking and risk figures: `plot_sensitivity`, `plot_criticality` and `plot_risk`."""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from intcust._params import kind_error
from intcust.errors import ParameterError
from intcust.plot import style
from intcust.results import NodeScores, NodeTable

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from intcust.sim.risk import MonteCarloResult

__all__ = ["plot_criticality", "plot_risk", "plot_sensitivity"]


def _top(scores: Mapping[Hashable, float], top: int) -> list[Hashable]:
    """The `top` nodes with the largest scores, ties in node order."""
    rank = {n: i for i, n in enumerate(scores)}
    return sorted(scores, key=lambda n: (-float(scores[n]), rank[n]))[:top]


def plot_sensitivity(
    table_or_scores: NodeTable | NodeScores,
    *,
    column: str = "makespan",
    top: int = 15,
    ax: Axes | None = None,
    k: int | None = None,
) -> Axes:
    """Draw delay sensitivity as a tornado chart.

    The `top` nodes that move the finish most are drawn as bars to the right,
    largest on top: how far `column` (the makespan, or one external
    customer's finish) moves when that node is late; nodes that move
    nothing are left out. When the table has an
    ``"absorbable"`` column, the delay each node absorbs before any customer
    moves is drawn to the left, so a node with a long right bar and no left
    bar is where a slip costs most.

    Parameters
    ----------
    table_or_scores : NodeTable or NodeScores
        The result of `intcust.sim.sensitivity` (a column per external
        customer, ``"makespan"`` and ``"absorbable"``), or any NodeScores.
    column : str, optional
        Which column of a table to rank by; ignored for NodeScores.
    top : int, optional
        How many nodes to draw, those that move it most.
    ax : matplotlib Axes, optional
        Where to draw; a new figure when None.
    k : int, optional
        Deprecated name of `top`.

    Returns
    -------
    matplotlib.axes.Axes
        The y tick labels are the node names, the most sensitive on top.

    Raises
    ------
    ParameterError
        If the input is neither a NodeTable nor a NodeScores, `column` is not
        in the table, or `top` < 1.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import intcust as ic
    >>> from intcust.plot import plot_sensitivity
    >>> ax = plot_sensitivity(ic.sim.sensitivity(ic.datasets.email_campaign()), top=3)
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['designer', 'sender', 'campaign']
    """
    func = "plot_sensitivity"
    top = style.rows_to_draw(top, k, func=func)
    absorbable: NodeScores | None = None
    if isinstance(table_or_scores, NodeTable):
        if column not in table_or_scores.columns:
            raise ParameterError(
                f"The 'column' parameter of {func} must be one of "
                f"{list(table_or_scores.columns)}; got {column!r}."
            )
        scores = table_or_scores.column(column)
        if "absorbable" in table_or_scores.columns and column != "absorbable":
            absorbable = table_or_scores.column("absorbable")
    elif isinstance(table_or_scores, NodeScores):
        scores = table_or_scores
        column = scores.name
    else:
        raise kind_error(
            func,
            "table_or_scores",
            "a NodeTable or NodeScores from intcust.sim.sensitivity",
            table_or_scores,
        )
    column = style.drawable(str(column))
    nodes = [n for n in _top(scores, top) if scores[n] > 0]
    ax = style.axes(ax, width=8, height=min(1.4 + 0.32 * max(len(nodes), 2), 12))
    ys = np.arange(len(nodes))
    right = [float(scores[n]) for n in nodes]
    ax.barh(ys, right, height=0.6, color=style.HIGHLIGHT, label=f"moves {column} by", gid="moves")
    if absorbable is not None:
        left = [float(absorbable[n]) for n in nodes]
        finite = [v for v in left if math.isfinite(v)]
        cap = max([*finite, *right, 1e-9]) * 1.05
        shown = [min(v, cap) for v in left]
        ax.barh(
            ys,
            [-v for v in shown],
            height=0.6,
            color=style.FLOAT,
            label="absorbable delay",
            gid="absorbable",
        )
    ax.axvline(0.0, color=style.DUE, linewidth=0.8)
    ax.set_yticks(ys, [style.node_label(n) for n in nodes], parse_math=False)
    ax.set_ylim(len(nodes) - 0.4, -0.6)
    ax.set_xlabel(
        "delay absorbed (left) | finish moved (right)" if absorbable is not None else str(column)
    )
    if absorbable is not None:
        from matplotlib.ticker import FuncFormatter

        ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: f"{abs(x):g}"))
    if nodes:
        style.legend(ax, ax.get_legend_handles_labels()[0])
    else:
        ax.text(
            0.5,
            0.5,
            f"no node's delay moves {column}",
            transform=ax.transAxes,
            ha="center",
            va="center",
            parse_math=False,
        )
    ax.set_title(f"Sensitivity of {column}: top {len(nodes)}", parse_math=False)
    ax.grid(axis="x", alpha=0.3)
    ax.set_axisbelow(True)
    return ax


def _check_mc(value: object, func: str) -> MonteCarloResult:
    from intcust.sim.risk import MonteCarloResult

    if not isinstance(value, MonteCarloResult):
        raise kind_error(
            func, "mc_result", "a MonteCarloResult (from intcust.sim.monte_carlo)", value
        )
    return value


def plot_criticality(
    mc_result: MonteCarloResult, *, top: int = 15, ax: Axes | None = None, k: int | None = None
) -> Axes:
    """Draw the criticality and cruciality indices of a Monte Carlo run.

    Paired bars for the `top` most critical nodes, most critical on top (ties
    by cruciality): the
    criticality index (the share of scenarios in which the node is on a
    critical path) and the cruciality index (the correlation of its work with
    the makespan). Nodes never critical and uncorrelated with the makespan
    are left out.

    Parameters
    ----------
    mc_result : MonteCarloResult
        The result of `intcust.sim.monte_carlo`.
    top : int, optional
        How many nodes to draw, the most critical.
    ax : matplotlib Axes, optional
        Where to draw; a new figure when None.
    k : int, optional
        Deprecated name of `top`.

    Returns
    -------
    matplotlib.axes.Axes
        The y tick labels are the node names.

    Raises
    ------
    ParameterError
        If `mc_result` is not a MonteCarloResult or `top` < 1.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import intcust as ic
    >>> from intcust.plot import plot_criticality
    >>> mc = ic.sim.monte_carlo(ic.datasets.email_campaign(), 500, seed=1)
    >>> ax = plot_criticality(mc, top=2)
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['sender', 'campaign']
    """
    func = "plot_criticality"
    mc = _check_mc(mc_result, func)
    top = style.rows_to_draw(top, k, func=func)
    crit, cruc = mc.criticality, mc.cruciality
    rank = {n: i for i, n in enumerate(crit)}
    shown = [n for n in crit if crit[n] > 0 or cruc.get(n, 0.0) != 0]
    nodes = sorted(shown, key=lambda n: (-crit[n], -cruc.get(n, 0.0), rank[n]))[:top]
    ax = style.axes(ax, width=8, height=min(1.4 + 0.4 * max(len(nodes), 2), 12))
    ys = np.arange(len(nodes))
    ax.barh(
        ys - 0.2,
        [mc.criticality[n] for n in nodes],
        height=0.4,
        color=style.HIGHLIGHT,
        label="criticality: P(on a critical path)",
        gid="criticality",
    )
    ax.barh(
        ys + 0.2,
        [mc.cruciality[n] for n in nodes],
        height=0.4,
        color=style.SECONDARY,
        label="cruciality: corr(work, makespan)",
        gid="cruciality",
    )
    ax.axvline(0.0, color=style.DUE, linewidth=0.8)
    ax.set_yticks(ys, [style.node_label(n) for n in nodes], parse_math=False)
    ax.set_ylim(len(nodes) - 0.4, -0.6)
    low = min(0.0, *(mc.cruciality[n] for n in nodes))
    ax.set_xlim(low - 0.05 if low < 0 else 0.0, 1.05)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8, frameon=False)
    ax.set_title(f"Criticality over {mc.n:,} scenarios: top {len(nodes)}")
    ax.grid(axis="x", alpha=0.3)
    ax.set_axisbelow(True)
    return ax


_MAX_CURVES = 10


def _risk_curves(
    mc: MonteCarloResult,
) -> list[tuple[Hashable | None, NDArray[np.float64], float | None, float | None]]:
    """(customer or None for the makespan, samples, due or deadline, P(on time)) per curve.

    At most `_MAX_CURVES` customers: those least likely on time, then the latest.
    """
    p_on_time = mc.p_on_time
    customers = sorted(
        mc.customers,
        key=lambda c: (p_on_time.get(c, 2.0), -float(np.median(mc.samples(c)))),
    )[:_MAX_CURVES]
    customers.sort(key=mc.customers.index)
    curves: list[tuple[Hashable | None, NDArray[np.float64], float | None, float | None]] = [
        (c, np.asarray(mc.samples(c), dtype=float), mc.due.get(c), p_on_time.get(c))
        for c in customers
    ]
    if not curves or mc.deadline is not None:
        curves.append((None, np.asarray(mc.samples(), dtype=float), mc.deadline, mc.p_deadline))
    return curves


def plot_risk(mc_result: MonteCarloResult, *, ax: Axes | None = None) -> Axes:
    """Draw the finish-time distribution of every external customer.

    One empirical cumulative distribution (ECDF) per external customer: the
    height at time t is the probability that the customer has been served by
    t. Each customer's due date is a vertical dashed line in its colour, and
    the legend gives P(on time), the share of scenarios that meet it. With a
    `deadline` (or no external customer) the makespan's distribution is drawn
    too, in grey.

    Parameters
    ----------
    mc_result : MonteCarloResult
        The result of `intcust.sim.monte_carlo`.
    ax : matplotlib Axes, optional
        Where to draw; a new figure when None.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    ParameterError
        If `mc_result` is not a MonteCarloResult.

    Notes
    -----
    At most 10 customers are drawn: those least likely to be served on
    time, then those served latest; the title says so.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import intcust as ic
    >>> from intcust.plot import plot_risk
    >>> mc = ic.sim.monte_carlo(ic.datasets.email_campaign(), 500, seed=1)
    >>> ax = plot_risk(mc)
    >>> ax.get_legend().get_texts()[0].get_text()
    'customers: P(on time) = ...'
    """
    func = "plot_risk"
    mc = _check_mc(mc_result, func)
    ax = style.axes(ax, width=8, height=4.5)
    curves = _risk_curves(mc)
    palette = style.unit_colors([name for name, *_ in curves])
    for name, values, due, p in curves:
        color = style.MUTED if name is None else palette[name]
        label = "makespan (all customers)" if name is None else style.node_label(name)
        if p is not None:
            label += f": P(on time) = {p:.2f}"
        x = np.sort(values)
        y = np.arange(1, x.size + 1) / x.size
        ax.step(
            x,
            y,
            where="post",
            color=color,
            linewidth=1.8 if name is not None else 1.2,
            linestyle="-" if name is not None else "-.",
            zorder=2 if name is not None else 1.5,
            label=label,
            gid=f"ecdf {name}",
        )
        if due is not None:
            ax.axvline(due, color=color, linestyle="--", linewidth=1.2, gid=f"due {name}")
    ax.set_ylim(0, 1.02)
    ax.set_ylabel("P(served by t)")
    ax.set_xlabel("finish time")
    style.legend(
        ax, ax.get_legend_handles_labels()[0], loc="lower right", bbox_to_anchor=None, frameon=True
    )
    shown = sum(1 for name, *_ in curves if name is not None)
    more = f", {shown} of {len(mc.customers)} customers" if shown < len(mc.customers) else ""
    ax.set_title(f"Delivery risk over {mc.n:,} scenarios{more} (dashed: due)")
    ax.grid(alpha=0.3)
    ax.set_axisbelow(True)
    return ax
