"""How open units are: `plot_ei_index` (E-I per unit) and `plot_unit_reciprocity` (two-way ties)."""

from __future__ import annotations

from collections.abc import Hashable
from typing import TYPE_CHECKING, Any

import numpy as np

from intcust._params import kind_error
from intcust.errors import ParameterError
from intcust.plot import style
from intcust.results import NodeTable

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from intcust.metrics import EIIndex

__all__ = ["plot_ei_index", "plot_unit_reciprocity"]


def plot_ei_index(ei: EIIndex, *, ax: Axes | None = None) -> Axes:
    """Draw how outward-looking each unit is: Krackhardt and Stern's E-I index.

    One bar per unit from -1 (all its ties stay inside) to +1 (all cross
    its boundary), most outward on top, blue outward and orange inward; a
    dashed line marks the organisation's overall index.

    Parameters
    ----------
    ei : EIIndex
        The result of `intcust.metrics.ei_index`.
    ax : matplotlib Axes, optional
        Where to draw; a new figure when None.

    Returns
    -------
    matplotlib.axes.Axes
        The y tick labels are the units.

    Raises
    ------
    ParameterError
        If `ei` is not an EIIndex.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import intcust as ic
    >>> from intcust.plot import plot_ei_index
    >>> ei = ic.metrics.ei_index(ic.datasets.company(), missing="own")
    >>> ax = plot_ei_index(ei)
    >>> [t.get_text() for t in ax.get_yticklabels()][0] == ei.units.column("ei_index").top(1)[0][0]
    True
    """
    from intcust.metrics import EIIndex

    func = "plot_ei_index"
    if not isinstance(ei, EIIndex):
        raise kind_error(func, "ei", "an EIIndex (from intcust.metrics.ei_index)", ei)
    values = ei.units.column("ei_index")
    rank = {u: i for i, u in enumerate(values)}
    units = sorted(values, key=lambda u: (-values[u], rank[u]))
    ax = style.axes(ax, width=8, height=min(1.4 + 0.32 * max(len(units), 2), 12))
    ys = np.arange(len(units))
    shown = [values[u] for u in units]
    colours = [style.BASE if v >= 0 else style.SECONDARY for v in shown]
    ax.barh(ys, shown, height=0.6, color=colours, gid="ei_index")
    ax.axvline(0.0, color=style.DUE, linewidth=0.8)
    ax.axvline(
        ei.overall,
        color=style.MUTED,
        linestyle="--",
        linewidth=1.2,
        label=f"organisation {ei.overall:+.2f}",
    )
    ax.set_yticks(ys, [style.node_label(u) for u in units], parse_math=False)
    ax.set_ylim(len(units) - 0.4, -0.6)
    ax.set_xlim(-1.05, 1.05)
    ax.set_xlabel("E-I index: −1 all ties inside the unit, +1 all across its boundary")
    style.legend(ax, ax.get_legend_handles_labels()[0])
    ax.set_title(f"Openness of units (E-I index, {ei.direction} ties)")
    ax.grid(axis="x", alpha=0.3)
    ax.set_axisbelow(True)
    return ax


def plot_unit_reciprocity(table: NodeTable, *, ax: Axes | None = None) -> Axes:
    """Draw how much of the tie weight between two units goes both ways, as a unit × unit matrix.

    Cell (A, B), and (B, A), holds the reciprocity of the ties between units
    A and B: 0 when all go one way, 1 when every tie is returned in full; the
    diagonal (outlined) is the reciprocity inside each unit, and pairs
    without a tie are blank. Each cell is written out when there are at most
    15 units.

    Parameters
    ----------
    table : NodeTable
        The result of `intcust.metrics.unit_reciprocity`: rows keyed by unit
        pairs, with a ``reciprocity`` column.
    ax : matplotlib Axes, optional
        Where to draw; a new figure when None.

    Returns
    -------
    matplotlib.axes.Axes
        Its image holds the symmetric matrix (NaN where two units have no tie).

    Raises
    ------
    ParameterError
        If `table` is not keyed by unit pairs or has no ``reciprocity`` column.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import intcust as ic
    >>> from intcust.plot import plot_unit_reciprocity
    >>> t = ic.metrics.unit_reciprocity(ic.datasets.company(), missing="own")
    >>> ax = plot_unit_reciprocity(t)
    >>> round(float(ax.images[0].get_array()[0, 0]), 3) == round(t["HR", "HR"]["reciprocity"], 3)
    True
    """
    import matplotlib as mpl
    from matplotlib.patches import Rectangle

    func = "plot_unit_reciprocity"
    pairs: list[Any] = list(table) if isinstance(table, NodeTable) else []
    if (
        not isinstance(table, NodeTable)
        or "reciprocity" not in table.columns
        or not all(isinstance(p, tuple) and len(p) == 2 for p in pairs)
    ):
        raise ParameterError(
            f"The 'table' parameter of {func} must be the NodeTable of "
            f"intcust.metrics.unit_reciprocity (unit pairs, a 'reciprocity' column); got "
            f"{type(table).__name__}."
        )
    units: list[Hashable] = list(dict.fromkeys(u for pair in pairs for u in pair))
    index = {u: i for i, u in enumerate(units)}
    n = len(units)
    matrix = np.full((n, n), np.nan)
    for a, b in pairs:
        value = float(table[a, b]["reciprocity"])
        matrix[index[a], index[b]] = matrix[index[b], index[a]] = value
    ax = style.axes(ax, width=min(3.0 + 0.7 * n, 14), height=min(2.5 + 0.6 * n, 12))
    cmap = mpl.colormaps["Purples"].with_extremes(bad="white")
    image = ax.imshow(np.ma.masked_invalid(matrix), cmap=cmap, vmin=0.0, vmax=1.0)
    image.set_array(matrix)
    ax.figure.colorbar(image, ax=ax, label="reciprocity (share returned)", shrink=0.8)
    for i in range(n):
        ax.add_patch(
            Rectangle((i - 0.5, i - 0.5), 1, 1, fill=False, edgecolor=style.MUTED, linewidth=0.8)
        )
    if n <= 15:
        for i in range(n):
            for j in range(n):
                if not np.isnan(matrix[i, j]):
                    dark = matrix[i, j] > 0.6
                    ax.text(
                        j,
                        i,
                        f"{matrix[i, j]:.2f}",
                        ha="center",
                        va="center",
                        fontsize=7,
                        color="white" if dark else "black",
                    )
    labels: list[Any] = [style.node_label(u, width=18) for u in units]
    ax.set_xticks(range(n), labels, rotation=40, ha="right", parse_math=False)
    ax.set_yticks(range(n), labels, parse_math=False)
    ax.set_title("Two-way ties between units (reciprocity)")
    return ax
