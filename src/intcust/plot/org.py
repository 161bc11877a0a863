"""`draw_org`: the supplier -> customer network, by person (layers or unit clusters) or by unit."""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping
from typing import TYPE_CHECKING, Any

import networkx as nx
import numpy as np

from intcust._params import check_choice, check_int, kind_error
from intcust.errors import ParameterError, UnknownNodeError
from intcust.plot import style
from intcust.plot._highlight import read_highlight
from intcust.plot._network import draw_network, label_nodes
from intcust.plot.layout import Pos, layer_layout, unit_layout

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["draw_org"]

_FUNC = "draw_org"


def _check_scores(
    G: nx.DiGraph, value: Mapping[Hashable, float] | None, param: str
) -> Mapping[Hashable, float] | None:
    if value is None:
        return None
    scores = style.check_mapping(value, func=_FUNC, param=param)
    unknown = [n for n in scores if n not in G]
    if unknown:
        raise UnknownNodeError(
            f"The {param!r} parameter of {_FUNC} must score nodes of the organisation; "
            f"got {len(unknown)} unknown, e.g. {unknown[0]!r}."
        )
    bad = [n for n, v in scores.items() if not style.finite(v)]
    if bad:
        raise ParameterError(
            f"The {param!r} parameter of {_FUNC} must hold finite numbers; "
            f"got {scores[bad[0]]!r} for node {bad[0]!r}."
        )
    return scores


def draw_org(
    G: nx.DiGraph,
    *,
    level: str = "person",
    highlight: Any = None,
    scores: Mapping[Hashable, float] | None = None,
    color: Mapping[Hashable, float] | None = None,
    layout: str = "layers",
    ax: Axes | None = None,
    max_nodes: int = 300,
) -> Axes:
    """Draw the supplier -> customer network of an organisation.

    Each arrow ``u -> v`` is a service: u supplies v, as thick as its
    ``volume`` (log scale). Blocking services are solid, non-blocking or
    lagged ones (information, feedback, next round) dashed. Nodes are
    coloured by unit, with one legend entry per unit; people and teams are
    circles and hexagons, departments squares and external customers green
    diamonds (a colour no unit gets). Up to 80 nodes every node is labelled,
    beyond that the highlighted nodes, the external customers and the 12
    top-ranked nodes; labels never overlap.

    Parameters
    ----------
    G : networkx.DiGraph
        The organisation, or a unit-level organisation
        (`intcust.rollup`), which is drawn as with ``level="unit"``.
    level : {"person", "unit"}, optional
        ``"unit"`` draws one square per unit (its size the headcount) and
        the services between units, each labelled with its total volume;
        each unit's label gives its headcount and the volume inside it.
    highlight : optional
        What to point out; the legend says what it is.

        - a set of nodes: ringed in red;
        - a list of nodes: a path, each node supplying the next, its
          services drawn thick;
        - a `Schedule` (`intcust.sim.schedule`): the critical path, and
          other zero-float nodes ringed in orange;
        - a `DelayImpact` (`intcust.sim.delay`): the delayed nodes (orange),
          the nodes made late (red), the customers who miss their due date
          (black) and the paths the delay travelled;
        - a `Bottleneck` (a row of `intcust.bottlenecks`): the node,
          the customers it alone gates and the services it is the sole
          supplier of; a whole `BottleneckReport`: every ranked node.
    scores : NodeScores or mapping, optional
        Node size grows with the score (area linear in it); nodes not scored
        are drawn smallest. Beyond 80 nodes the top 12 are labelled.
    color : NodeScores or mapping, optional
        Node colour on the viridis colour map, with a colour bar, instead of
        the unit colours.
    layout : {"layers", "units"}, optional
        ``"layers"``: columns from suppliers to external customers by
        topological level of the timing graph; ``"units"``: one cluster per
        unit. Ignored at the unit level.
    ax : matplotlib Axes, optional
        Where to draw; a new figure when None.
    max_nodes : int, optional
        Beyond this many nodes the unit level is drawn instead, and the
        title says so.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    ParameterError
        If `G` is not a DiGraph, an option is unknown, a score is not a
        finite number, or `highlight` is not one of the kinds above (or a
        list that is not a path).
    UnknownNodeError
        If a highlighted or scored node is not in `G`.

    Notes
    -----
    At the unit level, scores and colours given per person count for their
    unit by the largest score among its members; a unit holding a highlighted
    node is highlighted. Names are drawn literally: ``$`` and backslashes
    never start mathtext.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import intcust as ic
    >>> from intcust.plot import draw_org
    >>> G = ic.datasets.email_campaign()
    >>> ax = draw_org(G, highlight=ic.sim.schedule(G))
    >>> ax.get_title()
    'E-mail campaign'
    >>> ax = draw_org(G, level="unit")
    >>> sorted(t.get_text() for t in ax.texts if t.get_gid() == "volume")
    ['20,000']
    """
    if not isinstance(G, nx.DiGraph) or G.is_multigraph():
        raise kind_error(_FUNC, "G", "a networkx.DiGraph (an organisation)", G)
    check_choice(level, ("person", "unit"), func=_FUNC, param="level")
    check_choice(layout, ("layers", "units"), func=_FUNC, param="layout")
    max_nodes = check_int(max_nodes, func=_FUNC, param="max_nodes", minimum=1)
    marks = read_highlight(G, highlight, func=_FUNC)
    size_by = _check_scores(G, scores, "scores")
    color_by = _check_scores(G, color, "color")
    name = style.drawable(str(G.graph.get("name") or "Organisation"))
    too_many = G.number_of_nodes() > max_nodes
    if level == "unit" or too_many or G.graph.get("level") == "unit":
        from intcust.plot.org_units import draw_units

        why = f"{G.number_of_nodes()} nodes > max_nodes={max_nodes}" if too_many else ""
        return draw_units(G, marks, size_by, color_by, ax, name, why)
    if layout == "layers":
        pos, centres = layer_layout(G), dict[Hashable, tuple[float, float]]()
    else:
        pos, centres = unit_layout(G)
    ax = _new_axes(ax, pos, equal=layout == "units")
    if layout == "units":
        ax.set_aspect("equal", adjustable="box")
    drawn = draw_network(G, pos, ax, marks, size_by, color_by)
    titles = [
        ax.annotate(
            str(label),
            (x, y),
            ha="center",
            va="bottom",
            fontsize=9,
            weight="bold",
            parse_math=False,
            gid="cluster",
        )
        for label, (x, y) in centres.items()
    ]
    ax.set_title(name, parse_math=False)
    label_nodes(G, pos, ax, drawn, marks, size_by or color_by, avoid=titles)
    return ax


def _new_axes(ax: Axes | None, pos: Pos, *, equal: bool) -> Axes:
    if ax is not None or not pos:
        return style.axes(ax, width=8, height=5)
    xy = np.array(list(pos.values()))
    span_x, span_y = np.ptp(xy[:, 0]) + 1, np.ptp(xy[:, 1]) + 1
    if equal:
        width = float(np.clip(1.2 * math.sqrt(len(pos)) + 6, 8, 16))
        return style.axes(None, width=width, height=width * min(span_y / span_x, 1.0))
    width = float(np.clip(1.6 * span_x + 4, 8, 18))
    height = float(np.clip(0.42 * span_y + 2.5, 4.0, 13))
    return style.axes(None, width=width, height=height)
