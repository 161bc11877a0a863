"""`plot_unit_matrix`: unit × unit service volumes as a heatmap."""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import TYPE_CHECKING, Any, cast

import networkx as nx
import numpy as np
from numpy.typing import NDArray

from intcust._params import kind_error
from intcust.errors import ParameterError, UnknownNodeError
from intcust.plot import style
from intcust.results import NodeTable

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from intcust.metrics.structure.ties import EIIndex

__all__ = ["plot_unit_matrix", "unit_volumes"]

_FUNC = "plot_unit_matrix"


def unit_volumes(R: nx.DiGraph) -> tuple[list[Hashable], NDArray[np.float64]]:
    """The units of a unit-level organisation and its volume matrix.

    Parameters
    ----------
    R : networkx.DiGraph
        A unit-level organisation (`intcust.graph.views.rollup`).

    Returns
    -------
    units : list
        The nodes of `R`, in graph order.
    volumes : numpy.ndarray
        ``volumes[i, j]``: the volume unit i supplies unit j (the ``volume``
        of edge i -> j); the diagonal holds each unit's internal volume.

    Examples
    --------
    >>> import intcust as ic
    >>> from intcust.plot.units import unit_volumes
    >>> units, volumes = unit_volumes(ic.rollup(ic.datasets.email_campaign()))
    >>> units
    ['Marketing', 'customers']
    >>> volumes.tolist()
    [[16.0, 20000.0], [0.0, 0.0]]
    """
    units = list(R.nodes)
    index = {u: i for i, u in enumerate(units)}
    volumes = np.zeros((len(units), len(units)))
    for u, v, volume in R.edges(data="volume", default=1.0):
        volumes[index[u], index[v]] = float(volume)
    for u, internal in R.nodes(data="internal_volume", default=0.0):
        volumes[index[u], index[u]] = float(internal or 0.0)
    return units, volumes


def _is_rollup(G: nx.DiGraph) -> bool:
    return bool(G.graph.get("level") == "unit")


def plot_unit_matrix(
    G_or_rollup: nx.DiGraph,
    *,
    ei: EIIndex | NodeTable | Mapping[Hashable, float] | None = None,
    reciprocity: NodeTable | Mapping[tuple[Hashable, Hashable], float] | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Draw who serves whom between units: service volumes as a heatmap.

    Row i, column j is the volume unit i supplies unit j; the diagonal
    (outlined) is the volume inside each unit. Colour is on a logarithmic scale, since service
    volumes are heavy-tailed; each cell is written out when there are at most
    15 units.

    Parameters
    ----------
    G_or_rollup : networkx.DiGraph
        An organisation (rolled up by unit with `intcust.graph.views.rollup`)
        or a unit-level organisation.
    ei : EIIndex, NodeTable or mapping of unit to float, optional
        Krackhardt's E-I index per unit (`intcust.metrics.ei_index`), written
        beside each row's label; an `EIIndex` also puts the organisation's
        overall index in the title.
    reciprocity : NodeTable or mapping of (unit, unit) to float, optional
        Reciprocity per unit pair (`intcust.metrics.unit_reciprocity`),
        written under the volume in each cell of the pair that has one.
    ax : matplotlib Axes, optional
        Where to draw; a new figure when None.

    Returns
    -------
    matplotlib.axes.Axes
        Its image holds the volume matrix.

    Raises
    ------
    ParameterError
        If the input is not a DiGraph or `ei` / `reciprocity` are not mappings.
    UnknownNodeError
        If `ei` or `reciprocity` names a unit that is not in the organisation.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import intcust as ic
    >>> from intcust.plot import plot_unit_matrix
    >>> G = ic.datasets.email_campaign()
    >>> ei = ic.metrics.ei_index(G, missing="own")
    >>> rec = ic.metrics.unit_reciprocity(G, missing="own")
    >>> ax = plot_unit_matrix(G, ei=ei, reciprocity=rec)
    >>> ax.images[0].get_array().tolist()
    [[16.0, 20000.0], [0.0, 0.0]]
    """
    if not isinstance(G_or_rollup, nx.DiGraph) or G_or_rollup.is_multigraph():
        raise kind_error(_FUNC, "G_or_rollup", "a networkx.DiGraph (an organisation)", G_or_rollup)
    if _is_rollup(G_or_rollup):
        R = G_or_rollup
    else:
        from intcust.graph.views import rollup

        R = rollup(G_or_rollup)
    units, volumes = unit_volumes(R)
    ei_map, overall = _check_ei(ei, R)
    rec = _check_reciprocity(reciprocity, R)
    n = len(units)
    ax = style.axes(ax, width=min(3.0 + 0.7 * n, 14), height=min(2.5 + 0.6 * n, 12))
    title = style.drawable(str(R.graph.get("name") or "Units"))
    if n == 0:
        ax.text(
            0.5,
            0.5,
            "no units: the organisation is empty",
            transform=ax.transAxes,
            ha="center",
            va="center",
        )
        ax.set_title(f"{title}: service volume between units", parse_math=False)
        return ax
    import matplotlib as mpl

    positive = volumes[volumes > 0]
    norm: Any
    if positive.size and positive.max() > positive.min():
        norm = mpl.colors.LogNorm(float(positive.min()), float(positive.max()))
    else:
        norm = mpl.colors.Normalize(0.0, float(positive.max()) if positive.size else 1.0)
    cmap = mpl.colormaps["Blues"].with_extremes(bad="white")
    shown = np.ma.masked_less_equal(volumes, 0.0)
    image = ax.imshow(shown, cmap=cmap, norm=norm, aspect="auto")
    image.set_array(volumes)  # the data stay the full matrix; zeros render white
    ax.figure.colorbar(image, ax=ax, label="volume", shrink=0.8)
    from matplotlib.patches import Rectangle

    for i in range(n):  # the diagonal: volume inside each unit
        ax.add_patch(
            Rectangle(
                (i - 0.5, i - 0.5),
                1,
                1,
                fill=False,
                edgecolor=style.MUTED,
                linewidth=0.8,
                gid="within unit",
            )
        )
    labels = [style.node_label(u, width=18) for u in units]
    rows = [
        f"{lab}  (E-I {ei_map[u]:+.2f})" if u in ei_map else lab
        for u, lab in zip(units, labels, strict=True)
    ]
    ax.set_xticks(range(n), labels, rotation=40, ha="right", parse_math=False)
    ax.set_yticks(range(n), rows, parse_math=False)
    ax.set_xlabel("customer unit")
    ax.set_ylabel("supplier unit")
    if n <= 15:
        _annotate(ax, units, volumes, rec, norm)
    overall_text = f" (E-I overall {overall:+.2f})" if overall is not None else ""
    ax.set_title(f"{title}: service volume between units{overall_text}", parse_math=False)
    return ax


def _annotate(
    ax: Axes,
    units: list[Hashable],
    volumes: NDArray[np.float64],
    rec: dict[tuple[Hashable, Hashable], float],
    norm: Any,
) -> None:
    hi = float(norm.vmax)
    for i, u in enumerate(units):
        for j, v in enumerate(units):
            x = float(volumes[i, j])
            text = f"{x:.3g}" if x > 0 else ""
            r = rec.get((u, v), rec.get((v, u)))
            if r is not None and x > 0:
                text += f"\nr {r:.2f}"
            if not text:
                continue
            dark = x > 0 and float(norm(x)) > 0.6 and hi > 0
            ax.text(
                j,
                i,
                text,
                ha="center",
                va="center",
                fontsize=7,
                color="white" if dark else "black",
            )


def _check_ei(
    ei: EIIndex | NodeTable | Mapping[Hashable, float] | None, R: nx.DiGraph
) -> tuple[Mapping[Hashable, float], float | None]:
    from intcust.metrics.structure.ties import EIIndex

    if ei is None:
        return {}, None
    overall = ei.overall if isinstance(ei, EIIndex) else None
    table = ei.units if isinstance(ei, EIIndex) else ei
    scores: Mapping[Hashable, float]
    if isinstance(table, NodeTable):
        if "ei_index" not in table.columns:
            raise ParameterError(
                f"The 'ei' parameter of {_FUNC} must be an EIIndex, a NodeTable with an "
                f"'ei_index' column or a mapping of unit to number; got a NodeTable with "
                f"columns {list(table.columns)}."
            )
        scores = table.column("ei_index")
    elif isinstance(table, Mapping):
        scores = cast(Mapping[Hashable, float], table)
    else:
        raise kind_error(_FUNC, "ei", "an EIIndex (from intcust.metrics.ei_index)", ei)
    for unit, value in scores.items():
        if unit not in R:
            raise UnknownNodeError(
                f"The 'ei' parameter of {_FUNC} must name units of the organisation; got {unit!r}."
            )
        if not style.finite(value):
            raise ParameterError(
                f"The 'ei' parameter of {_FUNC} must hold finite numbers; got {value!r} "
                f"for unit {unit!r}."
            )
    return scores, overall


def _check_reciprocity(
    rec: NodeTable | Mapping[tuple[Hashable, Hashable], float] | None, R: nx.DiGraph
) -> dict[tuple[Hashable, Hashable], float]:
    if rec is None:
        return {}
    values: Mapping[Any, Any]
    if isinstance(rec, NodeTable):
        if "reciprocity" not in rec.columns:
            raise ParameterError(
                f"The 'reciprocity' parameter of {_FUNC} must be a NodeTable of unit pairs "
                f"(intcust.metrics.unit_reciprocity); got a NodeTable with columns "
                f"{list(rec.columns)}."
            )
        values = rec.column("reciprocity")
    elif isinstance(rec, Mapping):
        values = rec
    else:
        raise kind_error(
            _FUNC, "reciprocity", "a NodeTable from intcust.metrics.unit_reciprocity", rec
        )
    out: dict[tuple[Hashable, Hashable], float] = {}
    for pair, value in values.items():
        if not (isinstance(pair, tuple) and len(pair) == 2):
            raise ParameterError(
                f"The 'reciprocity' parameter of {_FUNC} must map (unit, unit) pairs, as "
                f"intcust.metrics.unit_reciprocity does; got key {pair!r}."
            )
        for unit in pair:
            if unit not in R:
                raise UnknownNodeError(
                    f"The 'reciprocity' parameter of {_FUNC} must name units of the "
                    f"organisation; got {unit!r} in {pair!r}."
                )
        if not style.finite(value):
            raise ParameterError(
                f"The 'reciprocity' parameter of {_FUNC} must hold finite numbers; got "
                f"{value!r} for {pair!r}."
            )
        out[pair] = float(cast(float, value))
    return out
