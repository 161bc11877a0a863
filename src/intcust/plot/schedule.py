"""`plot_schedule` (a Gantt chart with float) and `plot_cascade` (how a delay spreads)."""

from __future__ import annotations

import math
from collections.abc import Hashable
from typing import TYPE_CHECKING, Any

import networkx as nx

from intcust._params import check_int, kind_error
from intcust.errors import ParameterError
from intcust.plot import style

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from intcust.sim.cascade import DelayImpact
    from intcust.sim.cpm import Schedule

__all__ = ["plot_cascade", "plot_schedule"]


def _rows(schedule: Schedule, max_rows: int) -> tuple[list[Hashable], int]:
    """The nodes to draw: all, or `max_rows` of them, critical first, then by least float."""
    nodes = list(schedule.start)
    if len(nodes) > max_rows:
        rank = {n: i for i, n in enumerate(nodes)}
        critical = schedule.critical_nodes
        nodes = sorted(nodes, key=lambda n: (n not in critical, schedule.total_float[n], rank[n]))[
            :max_rows
        ]
    nodes.sort(key=lambda n: (schedule.start[n], schedule.finish[n]))
    return nodes, len(schedule.start)


def _dues(
    schedule: Schedule, G: nx.DiGraph | None, func: str
) -> tuple[dict[Hashable, float], str]:
    """Due dates to mark (from `G`, else those a late node missed) and the time unit."""
    dues = {n: schedule.finish[n] - v for n, v in schedule.late.items()}
    if G is None:
        return dues, ""
    if not isinstance(G, nx.DiGraph):
        raise kind_error(func, "G", "a networkx.DiGraph (the organisation) or None", G)
    if set(G.nodes) != set(schedule.start):
        missing = next(iter(set(schedule.start) ^ set(G.nodes)))
        raise ParameterError(
            f"The 'G' parameter of {func} must be the organisation the result was computed "
            f"on; node {missing!r} is in only one of them."
        )
    for node, due in G.nodes(data="due"):
        if due is not None:
            dues[node] = float(due)
    return dues, str(G.graph.get("time_unit") or "")


def plot_schedule(
    schedule: Schedule,
    *,
    G: nx.DiGraph | None = None,
    ax: Axes | None = None,
    max_rows: int = 40,
) -> Axes:
    """Draw a schedule as a Gantt chart with float and the critical path.

    One bar per node from when it begins to when it finishes, red for the
    critical nodes (zero float against the makespan), blue elsewhere; a light
    extension runs to the latest finish (the total float, against the due
    dates). A float without limit (a node whose lateness reaches no due date
    or customer) runs to the right edge, marked "∞". A negative float, a due
    date already missed, is a hatched pink strip under the row from the
    latest finish to the finish. Due dates are black ticks on their rows, the makespan a dotted
    line.

    Parameters
    ----------
    schedule : Schedule
        The result of `intcust.sim.schedule`.
    G : networkx.DiGraph, optional
        The organisation the schedule was computed on: every node's ``due``
        is marked and the graph's ``time_unit`` labels the axis. Without it
        only the due dates that late nodes missed are marked.
    ax : matplotlib Axes, optional
        Where to draw; a new figure when None.
    max_rows : int, optional
        Draw at most this many nodes: the critical ones first, then those
        with the least total float; the title says how many are shown.

    Returns
    -------
    matplotlib.axes.Axes
        Rows run top to bottom by begin time; the y tick labels are the
        node names.

    Raises
    ------
    ParameterError
        If `schedule` is not a Schedule, `G` is not the organisation it was
        computed on, or `max_rows` < 1.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import intcust as ic
    >>> from intcust.plot import plot_schedule
    >>> G = ic.datasets.email_campaign()
    >>> ax = plot_schedule(ic.sim.schedule(G), G=G)
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['list keeper', 'designer', 'sender', 'campaign', 'customers']
    """
    from matplotlib.patches import Patch

    from intcust.sim.cpm import Schedule

    func = "plot_schedule"
    if not isinstance(schedule, Schedule):
        raise kind_error(func, "schedule", "a Schedule (from intcust.sim.schedule)", schedule)
    max_rows = check_int(max_rows, func=func, param="max_rows", minimum=1)
    dues, time_unit = _dues(schedule, G, func)
    nodes, total = _rows(schedule, max_rows)
    ax = style.axes(ax, width=9, height=min(1.4 + 0.32 * len(nodes), 14))
    ys = list(range(len(nodes)))
    start = [schedule.start[n] for n in nodes]
    finish = [schedule.finish[n] for n in nodes]
    latest = [schedule.latest_finish[n] for n in nodes]
    shown_due = [dues[n] for n in nodes if n in dues]
    finite = [x for x in [*finish, *latest, *shown_due, schedule.makespan] if math.isfinite(x)]
    right = max(finite, default=1.0) * 1.08 or 1.0
    critical = [n in schedule.critical_nodes for n in nodes]
    colors = [style.HIGHLIGHT if c else style.BASE for c in critical]
    ax.barh(
        ys,
        [f - s for s, f in zip(start, finish, strict=True)],
        left=start,
        height=0.6,
        color=colors,
        gid="work",
    )
    slack = [min(lf, right) - f if lf > f else 0.0 for f, lf in zip(finish, latest, strict=True)]
    ax.barh(ys, slack, left=finish, height=0.6, color=style.FLOAT, gid="float")
    for y, lf in zip(ys, latest, strict=True):
        if math.isinf(lf):
            ax.annotate(
                "∞",
                (right, y),
                xytext=(-2, 0),
                textcoords="offset points",
                ha="right",
                va="center",
                fontsize=9,
                color=style.BASE,
            )
    late = [(y, f, lf) for y, f, lf in zip(ys, finish, latest, strict=True) if lf < f]
    if late:
        # a strip under the row, so the work bar it overlaps stays visible
        ax.barh(
            [y + 0.42 for y, *_ in late],
            [f - lf for _, f, lf in late],
            left=[lf for *_, lf in late],
            height=0.22,
            color=style.LATE,
            hatch="////",
            edgecolor=style.HIGHLIGHT,
            linewidth=0,
            gid="late",
        )
    points = [(f, y) for y, s, f in zip(ys, start, finish, strict=True) if f == s]
    if points:  # zero-length work (an external customer receiving): a milestone
        ax.scatter(
            [p[0] for p in points],
            [p[1] for p in points],
            marker="D",
            s=28,
            color=[colors[y] for _, y in points],
            zorder=3,
            label="_milestone",
        )
    marks = [(dues[n], y) for y, n in zip(ys, nodes, strict=True) if n in dues]
    if marks:
        ax.vlines(
            [d for d, _ in marks],
            [y - 0.45 for _, y in marks],
            [y + 0.45 for _, y in marks],
            colors=style.DUE,
            linewidth=2.5,
            label="due",
            gid="due",
            zorder=4,
        )
    ax.axvline(
        schedule.makespan,
        color=style.MUTED,
        linestyle=":",
        linewidth=1,
        label=f"makespan {schedule.makespan:g}",
    )
    ax.set_yticks(ys, [style.node_label(n) for n in nodes], parse_math=False)
    ax.set_ylim(len(nodes) - 0.3, -0.6)
    ax.set_xlim(min([0.0, *start]), right)
    ax.set_xlabel(f"time ({time_unit})" if time_unit else "time")
    handles: list[Any] = [
        Patch(color=style.HIGHLIGHT, label="critical"),
        Patch(color=style.BASE, label="work"),
        Patch(color=style.FLOAT, label="total float"),
    ]
    if late:
        handles.append(
            Patch(
                facecolor=style.LATE,
                hatch="//",
                edgecolor=style.HIGHLIGHT,
                label="due missed by",
            )
        )
    lines, _ = ax.get_legend_handles_labels()
    ax.legend(
        handles=handles + lines,
        loc="upper left",
        bbox_to_anchor=(1.0, 1.0),
        fontsize=8,
        frameon=False,
    )
    shown = f" ({len(nodes)} of {total} nodes: critical, then least float)"
    shown = shown if len(nodes) < total else ""
    ax.set_title(f"Schedule{shown}")
    ax.grid(axis="x", alpha=0.3)
    ax.set_axisbelow(True)
    return ax


def _cascade_rows(impact: DelayImpact, max_rows: int) -> tuple[list[Hashable], int]:
    """The late nodes in the order of the delay's paths, at most `max_rows` of them.

    Each node follows the node it waited on (`DelayImpact.chain`), so every
    path reads top to bottom. Beyond `max_rows`, the delayed nodes and the
    late external customers stay, then the latest of the others.
    """
    late = {n: impact.chain(n) for n, v in impact.lateness.items() if v > 0}
    chains = {n: c for n, c in late.items() if c}
    for n in impact.delays:
        chains.setdefault(n, [n])
    total = len(chains)
    if total > max_rows:
        keep = [n for n in chains if n in impact.delays or n in impact.customer_lateness]
        rest = sorted((n for n in chains if n not in set(keep)), key=lambda n: -impact.lateness[n])
        chosen = set((keep + rest)[:max_rows])
        chains = {n: c for n, c in chains.items() if n in chosen}
    rank = {n: i for i, n in enumerate(impact.lateness)}
    order = sorted(chains, key=lambda n: [rank[m] for m in chains[n]])
    return order, total


def plot_cascade(impact: DelayImpact, *, ax: Axes | None = None, max_rows: int = 40) -> Axes:
    """Draw how a delay spreads: the lateness of every node it reaches.

    One horizontal bar per node that finishes later than planned, ordered
    along the paths the delay travelled (each node below the one it waited
    on, as `DelayImpact.chain` tells), with its lateness written beside it.
    The delayed nodes are hatched; external customers who now miss their due
    date are red, with the amount, and other external customers green.

    Parameters
    ----------
    impact : DelayImpact
        The result of `intcust.sim.delay`.
    ax : matplotlib Axes, optional
        Where to draw; a new figure when None.
    max_rows : int, optional
        Draw at most this many nodes: the delayed ones and the external
        customers first, then the latest others; the title says how many
        are shown.

    Returns
    -------
    matplotlib.axes.Axes
        The y tick labels are the late nodes' names.

    Raises
    ------
    ParameterError
        If `impact` is not a DelayImpact or `max_rows` < 1.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import intcust as ic
    >>> from intcust.plot import plot_cascade
    >>> impact = ic.sim.delay(ic.datasets.email_campaign(), {"designer": 2})
    >>> ax = plot_cascade(impact)
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['designer', 'sender', 'campaign', 'customers']
    """
    from matplotlib.patches import Patch

    from intcust.sim.cascade import DelayImpact

    func = "plot_cascade"
    if not isinstance(impact, DelayImpact):
        raise kind_error(func, "impact", "a DelayImpact (from intcust.sim.delay)", impact)
    max_rows = check_int(max_rows, func=func, param="max_rows", minimum=1)
    nodes, total = _cascade_rows(impact, max_rows)
    ax = style.axes(ax, width=8, height=min(1.6 + 0.32 * max(len(nodes), 1), 14))
    missed = impact.customers
    external = impact.customer_lateness
    colors: list[Any] = [
        style.HIGHLIGHT if n in missed else style.EXTERNAL if n in external else style.BASE
        for n in nodes
    ]
    ys = list(range(len(nodes)))
    values = [impact.lateness[n] for n in nodes]
    bars = ax.barh(ys, values, height=0.6, color=colors, gid="lateness")
    for bar, n in zip(bars, nodes, strict=True):
        if n in impact.delays:
            bar.set_hatch("//")
            bar.set_edgecolor("white")
    for y, n, v in zip(ys, nodes, values, strict=True):
        text = f"+{v:.3g}" + (f", misses due by {missed[n]:.3g}" if n in missed else "")
        ax.annotate(
            text, (v, y), xytext=(3, 0), textcoords="offset points", va="center", fontsize=8
        )
    ax.set_yticks(ys, [style.node_label(n) for n in nodes], parse_math=False)
    ax.set_ylim(len(nodes) - 0.4, -0.6)
    top = max(values, default=0.0)
    ax.set_xlim(0, top * 1.35 if top > 0 else 1.0)
    ax.set_xlabel("finishes later than planned by")
    handles = [
        Patch(facecolor=style.BASE, hatch="//", edgecolor="white", label="delayed"),
        Patch(color=style.BASE, label="waits on the delay"),
    ]
    if any(n in external and n not in missed for n in nodes):
        handles.append(Patch(color=style.EXTERNAL, label="customer, still on time"))
    if missed:
        handles.append(Patch(color=style.HIGHLIGHT, label="customer misses due"))
    ax.legend(
        handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8, frameon=False
    )
    causes = ", ".join(f"{style.node_label(n)} +{d:g}" for n, d in impact.delays.items())
    shown = f" ({len(nodes)} of {total} late nodes)" if len(nodes) < total else ""
    ax.set_title(f"Delay cascade of {causes}{shown}", parse_math=False)
    ax.grid(axis="x", alpha=0.3)
    ax.set_axisbelow(True)
    return ax
