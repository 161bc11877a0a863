"""`plot_bottlenecks` (the ranked report with its first reason) and `plot_utilisation` (queue load)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from intcust._params import kind_error
from intcust.errors import ParameterError
from intcust.plot import style
from intcust.results import NodeTable

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from intcust import BottleneckReport

__all__ = ["plot_bottlenecks", "plot_utilisation"]

#: utilisation from which a supplier is drawn as nearly full
BUSY = 0.8


def plot_bottlenecks(
    report: BottleneckReport, *, top: int = 15, ax: Axes | None = None, k: int | None = None
) -> Axes:
    """Draw the ranked bottlenecks: one bar per stakeholder, its score and its first reason.

    Bars run top (rank 1) to bottom. Red: the stakeholder alone cuts off an
    external customer; orange: its queue is overloaded; blue: other reasons
    (sole supplier, bus factor, key player, critical path). The first reason
    is written beside each bar, with how many more there are.

    Parameters
    ----------
    report : BottleneckReport
        The result of `intcust.bottlenecks`.
    top : int, optional
        How many stakeholders to draw, the highest ranked.
    ax : matplotlib Axes, optional
        Where to draw; a new figure when None.
    k : int, optional
        Deprecated name of `top`.

    Returns
    -------
    matplotlib.axes.Axes
        The y tick labels are the stakeholders, rank 1 on top.

    Raises
    ------
    ParameterError
        If `report` is not a BottleneckReport or `top` < 1.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import intcust as ic
    >>> from intcust.plot import plot_bottlenecks
    >>> report = ic.bottlenecks(ic.datasets.hotel())
    >>> ax = plot_bottlenecks(report, top=3)
    >>> [t.get_text() for t in ax.get_yticklabels()] == report.nodes[:3]
    True
    """
    from matplotlib.patches import Patch

    from intcust import BottleneckReport

    func = "plot_bottlenecks"
    if not isinstance(report, BottleneckReport):
        raise kind_error(func, "report", "a BottleneckReport (from intcust.bottlenecks)", report)
    top = style.rows_to_draw(top, k, func=func)
    rows = report.rows[:top]
    ax = style.axes(ax, width=10, height=min(1.4 + 0.36 * max(len(rows), 2), 12))
    colours = [
        style.HIGHLIGHT
        if r.customers_at_stake
        else style.SECONDARY
        if r.queue == "overloaded"
        else style.BASE
        for r in rows
    ]
    ys = np.arange(len(rows))
    ax.barh(ys, [r.score for r in rows], height=0.6, color=colours, gid="score")
    for y, r in zip(ys, rows, strict=True):
        more = f" (+{len(r.reasons) - 1} more)" if len(r.reasons) > 1 else ""
        reason = style.node_label(style.plurals(r.reasons[0]), width=70) if r.reasons else ""
        ax.annotate(
            reason + more,
            (r.score, y),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
            fontsize=7.5,
            parse_math=False,
        )
    ax.set_yticks(ys, [style.node_label(r.node) for r in rows], parse_math=False)
    ax.set_ylim(len(rows) - 0.4, -0.6)
    best = max((r.score for r in rows), default=1.0)
    ax.set_xlim(0, best * 2.6 if best > 0 else 1.0)  # room for the reasons
    ax.set_xlabel("score (one weight per reason)")
    handles: list[Any] = [
        Patch(color=style.HIGHLIGHT, label="alone cuts off a customer"),
        Patch(color=style.SECONDARY, label="overloaded queue"),
        Patch(color=style.BASE, label="other reasons"),
    ]
    style.legend(ax, handles)
    if not rows:
        ax.text(0.5, 0.5, "no bottleneck found", transform=ax.transAxes, ha="center")
    shown = f": top {len(rows)} of {len(report)}" if len(rows) < len(report) else ""
    ax.set_title(f"Bottlenecks of {style.drawable(str(report.name))}{shown}", parse_math=False)
    ax.grid(axis="x", alpha=0.3)
    ax.set_axisbelow(True)
    return ax


def plot_utilisation(
    table: NodeTable, *, top: int = 15, ax: Axes | None = None, k: int | None = None
) -> Axes:
    """Draw how full each supplier's queue is: utilisation ρ, the busiest on top.

    One bar per supplier (or unit) with a known capacity, red from ρ = 1
    (overloaded: the queue grows without bound), orange from 0.8, blue
    below; a line marks ρ = 1. Suppliers whose capacity is unknown are left
    out, and the title says how many.

    Parameters
    ----------
    table : NodeTable
        The result of `intcust.metrics.utilisation` (by node or by unit).
    top : int, optional
        How many suppliers to draw, the busiest.
    ax : matplotlib Axes, optional
        Where to draw; a new figure when None.
    k : int, optional
        Deprecated name of `top`.

    Returns
    -------
    matplotlib.axes.Axes
        The y tick labels are the suppliers, the busiest on top.

    Raises
    ------
    ParameterError
        If `table` has no ``utilisation`` column or `top` < 1.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import intcust as ic
    >>> from intcust.plot import plot_utilisation
    >>> ax = plot_utilisation(ic.metrics.utilisation(ic.datasets.hotel()), top=2)
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['IT', 'service staff']
    """
    from matplotlib.patches import Patch

    func = "plot_utilisation"
    if not isinstance(table, NodeTable) or "utilisation" not in table.columns:
        raise ParameterError(
            f"The 'table' parameter of {func} must be the NodeTable of "
            f"intcust.metrics.utilisation (with a 'utilisation' column); got "
            f"{type(table).__name__}."
        )
    top = style.rows_to_draw(top, k, func=func)
    known = {n: float(r["utilisation"]) for n, r in table.items() if r["utilisation"] is not None}
    rank = {n: i for i, n in enumerate(table)}
    nodes = sorted(known, key=lambda n: (-known[n], rank[n]))[:top]
    ax = style.axes(ax, width=8, height=min(1.4 + 0.32 * max(len(nodes), 2), 12))
    values = [known[n] for n in nodes]
    colours = [
        style.HIGHLIGHT if v >= 1 else style.SECONDARY if v >= BUSY else style.BASE for v in values
    ]
    ys = np.arange(len(nodes))
    ax.barh(ys, values, height=0.6, color=colours, gid="utilisation")
    for y, v in zip(ys, values, strict=True):
        ax.annotate(
            f"{v:.2f}", (v, y), xytext=(3, 0), textcoords="offset points", va="center", fontsize=8
        )
    ax.axvline(1.0, color=style.DUE, linewidth=1, linestyle="--")
    ax.set_yticks(ys, [style.node_label(n) for n in nodes], parse_math=False)
    ax.set_ylim(len(nodes) - 0.4, -0.6)
    ax.set_xlim(0, max([1.1, *values]) * 1.15)
    ax.set_xlabel("utilisation ρ = load / (servers × capacity)")
    handles: list[Any] = [
        Patch(color=style.HIGHLIGHT, label="overloaded (ρ ≥ 1)"),
        Patch(color=style.SECONDARY, label=f"busy (ρ ≥ {BUSY:g})"),
        Patch(color=style.BASE, label="room to spare"),
    ]
    style.legend(ax, handles)
    if not nodes:
        ax.text(0.5, 0.5, "no supplier has a known capacity", transform=ax.transAxes, ha="center")
    unknown = len(table) - len(known)
    note = f"; capacity unknown for {unknown}" if unknown else ""
    ax.set_title(f"Utilisation: top {len(nodes)} of {len(known)}{note}")
    ax.grid(axis="x", alpha=0.3)
    ax.set_axisbelow(True)
    return ax
