"""`draw_org`: the supplier -> customer network, in layers or clustered by unit."""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

import networkx as nx
import numpy as np
from numpy.typing import NDArray

from intcust._params import check_choice, check_int, check_nodes
from intcust.errors import ParameterError, UnknownNodeError
from intcust.plot import _style
from intcust.plot.layout import Pos, layer_layout, unit_layout

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["draw_org"]

_FUNC = "draw_org"
#: beyond this many services, plain services are lines without arrowheads
_MAX_ARROWS = 400


def _check_scores(
    G: nx.DiGraph, value: Mapping[Hashable, float] | None, param: str
) -> Mapping[Hashable, float] | None:
    if value is None:
        return None
    scores = _style.check_mapping(value, func=_FUNC, param=param)
    unknown = [n for n in scores if n not in G]
    if unknown:
        raise UnknownNodeError(
            f"The {param!r} parameter of {_FUNC} must score nodes of the organisation; "
            f"got {len(unknown)} unknown, e.g. {unknown[0]!r}."
        )
    bad = [n for n, v in scores.items() if not _style.finite(v)]
    if bad:
        raise ParameterError(
            f"The {param!r} parameter of {_FUNC} must hold finite numbers; "
            f"got {scores[bad[0]]!r} for node {bad[0]!r}."
        )
    return scores


def _check_edges(G: nx.DiGraph, edges: Iterable[Any]) -> list[tuple[Hashable, Hashable]]:
    out: list[tuple[Hashable, Hashable]] = []
    for e in edges:
        if not (isinstance(e, tuple | list) and len(e) == 2):
            raise ParameterError(
                f"The 'highlight_edges' parameter of {_FUNC} must hold (supplier, customer) "
                f"pairs; got {e!r}."
            )
        u, v = e
        if not G.has_edge(u, v):
            raise UnknownNodeError(
                f"The 'highlight_edges' parameter of {_FUNC} must name services of the "
                f"organisation; got {(u, v)!r}, which is not an edge."
            )
        out.append((u, v))
    return out


def draw_org(
    G: nx.DiGraph,
    *,
    scores: Mapping[Hashable, float] | None = None,
    color: Mapping[Hashable, float] | None = None,
    highlight_nodes: Iterable[Hashable] = (),
    highlight_edges: Iterable[tuple[Hashable, Hashable]] = (),
    layout: str = "layers",
    ax: Axes | None = None,
    max_nodes: int = 300,
) -> Axes:
    """Draw the supplier -> customer network of an organisation.

    Each arrow ``u -> v`` is a service: u supplies v. Blocking services are
    solid, non-blocking ones (information and feedback ties) dashed. External
    customers are green squares. Highlighted nodes get a ring and highlighted
    services a thick line, both in the highlight colour (red), e.g. the
    critical path or the single points of failure.

    Parameters
    ----------
    G : networkx.DiGraph
        The organisation.
    scores : NodeScores or mapping, optional
        Node size grows with the score (area linear in it); nodes not scored
        are drawn smallest.
    color : NodeScores or mapping, optional
        Node colour on a sequential colour map with a colour bar; by default
        nodes are coloured by unit.
    highlight_nodes : iterable of node, optional
        Nodes drawn with a red ring and always labelled.
    highlight_edges : iterable of (supplier, customer), optional
        Services drawn thick and red, e.g. ``zip(path, path[1:])``.
    layout : {"layers", "units"}, optional
        ``"layers"``: columns from suppliers to external customers by
        topological level of the timing graph; ``"units"``: one cluster per unit.
    ax : matplotlib Axes, optional
        Where to draw; a new figure when None.
    max_nodes : int, optional
        Beyond this many nodes the unit-level organisation
        (`intcust.graph.views.rollup`) is drawn instead, and the title says so.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    ParameterError
        If `G` is not a DiGraph, `layout` is unknown, or a score is not a
        finite number.
    UnknownNodeError
        If a highlighted node or service, or a scored node, is not in `G`.

    Notes
    -----
    Up to 40 nodes every node is labelled; beyond that only the highlighted
    nodes, the external customers and the 12 nodes with the largest `scores`
    (or `color`). At the unit level a unit is as large as its largest score
    (its headcount without `scores`), services between units are as thick
    as their volume and solid when any of them gates work, a unit holding a
    highlighted node is highlighted, and `color` is not used.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import intcust as ic
    >>> from intcust.plot import draw_org
    >>> G = ic.datasets.email_campaign()
    >>> ax = draw_org(G, highlight_nodes=["designer"], highlight_edges=[("designer", "sender")])
    >>> ax.get_title()
    'E-mail campaign'
    """
    if not isinstance(G, nx.DiGraph) or G.is_multigraph():
        raise _style.fail(_FUNC, "G", "a networkx.DiGraph (an organisation)", G)
    check_choice(layout, ("layers", "units"), func=_FUNC, param="layout")
    max_nodes = check_int(max_nodes, func=_FUNC, param="max_nodes", minimum=1)
    hl_nodes = check_nodes(G, list(highlight_nodes), func=_FUNC, param="highlight_nodes")
    hl_edges = _check_edges(G, highlight_edges)
    size_by = _check_scores(G, scores, "scores")
    color_by = _check_scores(G, color, "color")
    name = str(G.graph.get("name") or "Organisation")
    if G.number_of_nodes() > max_nodes:
        return _draw_rollup(G, size_by, hl_nodes, hl_edges, ax, name, max_nodes)
    if layout == "layers":
        pos, centres = layer_layout(G), dict[Hashable, tuple[float, float]]()
    else:
        pos, centres = unit_layout(G)
    ax = _new_axes(ax, pos, equal=layout == "units")
    if layout == "units":
        ax.set_aspect("equal", adjustable="box")
    _draw(G, pos, ax, size_by, color_by, hl_nodes, hl_edges, widths=None)
    for label, (x, y) in centres.items():
        ax.annotate(str(label), (x, y), ha="center", va="bottom", fontsize=9, weight="bold")
    if centres:
        top = max(y for _, y in centres.values())
        lo, hi = ax.get_ylim()
        ax.set_ylim(lo, max(hi, top + 0.1 * (hi - lo)))
    ax.set_title(name)
    return ax


def _new_axes(ax: Axes | None, pos: Pos, *, equal: bool) -> Axes:
    if ax is not None or not pos:
        return _style.axes(ax, width=8, height=5)
    xy = np.array(list(pos.values()))
    span_x, span_y = np.ptp(xy[:, 0]) + 1, np.ptp(xy[:, 1]) + 1
    if equal:
        width = float(np.clip(1.2 * math.sqrt(len(pos)) + 5, 7, 14))
        return _style.axes(None, width=width, height=width * min(span_y / span_x, 1.2))
    width = float(np.clip(1.8 * span_x + 3, 7, 16))
    height = float(np.clip(0.3 * span_y + 2.5, 3.5, 12))
    return _style.axes(None, width=width, height=height)


def _draw_rollup(
    G: nx.DiGraph,
    size_by: Mapping[Hashable, float] | None,
    hl_nodes: list[Hashable],
    hl_edges: list[tuple[Hashable, Hashable]],
    ax: Axes | None,
    name: str,
    max_nodes: int,
) -> Axes:
    from intcust.graph.views import rollup

    R = rollup(G)
    unit_of = {n: _unit_node(G, R, n) for n in G}
    unit_scores: dict[Hashable, float] = {}
    if size_by is not None:
        for n, v in size_by.items():
            u = unit_of[n]
            unit_scores[u] = max(unit_scores.get(u, -math.inf), float(v))
    else:
        unit_scores = {u: float(size) for u, size in R.nodes(data="size", default=1)}
    units_hl = list(dict.fromkeys(unit_of[n] for n in hl_nodes))
    edges_hl = [
        (unit_of[u], unit_of[v])
        for u, v in hl_edges
        if unit_of[u] != unit_of[v] and R.has_edge(unit_of[u], unit_of[v])
    ]
    pos = nx.circular_layout(R) if R.number_of_nodes() > 2 else nx.spring_layout(R, seed=1)
    pos = {n: (float(x), float(y)) for n, (x, y) in pos.items()}
    ax = _style.axes(ax, width=8, height=7)
    volumes = np.array([float(d.get("volume") or 1.0) for _, _, d in R.edges(data=True)])
    widths = 0.4 + 3.0 * np.sqrt(volumes / volumes.max()) if volumes.size else volumes
    _draw(
        R,
        pos,
        ax,
        unit_scores,
        None,
        units_hl,
        edges_hl,
        widths=widths,
        labels_all=True,
        rolled_up=True,
    )
    ax.set_title(f"{name}\nunit level: {G.number_of_nodes()} nodes > max_nodes={max_nodes}")
    return ax


def _unit_node(G: nx.DiGraph, R: nx.DiGraph, node: Hashable) -> Hashable:
    unit: Hashable = G.nodes[node].get("unit")
    if unit is not None and unit in R:
        return unit
    return node


def _gates(data: Mapping[str, Any]) -> bool:
    """Whether a service gates work in one round; a unit-level tie when any of its services does."""
    if "blocking_services" in data:
        return bool(data["blocking_services"])
    return data.get("blocking", True) is not False and not data.get("lag")


def _sizes(
    nodes: list[Hashable], scores: Mapping[Hashable, float] | None, n: int
) -> NDArray[np.float64]:
    big = float(np.clip(5000.0 / max(n, 1), 120.0, 700.0))
    small = big / 6.0
    if scores is None:
        return np.full(len(nodes), (big + small) / 2.0)
    values = np.array([float(scores.get(v, math.nan)) for v in nodes])
    known = values[~np.isnan(values)]
    lo, hi = (float(known.min()), float(known.max())) if known.size else (0.0, 1.0)
    scaled = (values - lo) / (hi - lo) if hi > lo else np.full(len(nodes), 0.5)
    return np.where(np.isnan(scaled), small, small + (big - small) * scaled)


def _draw(
    G: nx.DiGraph,
    pos: Pos,
    ax: Axes,
    size_by: Mapping[Hashable, float] | None,
    color_by: Mapping[Hashable, float] | None,
    hl_nodes: list[Hashable],
    hl_edges: list[tuple[Hashable, Hashable]],
    *,
    widths: NDArray[np.float64] | None,
    labels_all: bool = False,
    rolled_up: bool = False,
) -> None:
    import matplotlib as mpl
    from matplotlib.collections import LineCollection
    from matplotlib.lines import Line2D
    from matplotlib.patches import FancyArrowPatch

    nodes = list(G.nodes)
    n = len(nodes)
    external = np.array([G.nodes[v].get("kind") == "external" for v in nodes], dtype=bool)
    sizes = _sizes(nodes, size_by, n)
    if external.any():
        sizes[external] = np.maximum(sizes[external], float(np.median(sizes)))
    size_of = dict(zip(nodes, sizes, strict=True))
    hl_edge_set = set(hl_edges)
    many = n > 40
    edges = list(G.edges(data=True))
    plain: dict[bool, list[Any]] = {True: [], False: []}
    plain_widths: dict[bool, list[float]] = {True: [], False: []}
    for k, (u, v, d) in enumerate(edges):
        blocking = _gates(d)
        hot = (u, v) in hl_edge_set
        lw = 2.8 if hot else (float(widths[k]) if widths is not None else (0.5 if many else 1.0))
        if len(edges) > _MAX_ARROWS and not hot:
            # one collection per line style: thousands of arrow patches draw too slowly
            plain[blocking].append((pos[u], pos[v]))
            plain_widths[blocking].append(lw)
            continue
        ax.add_patch(
            FancyArrowPatch(
                pos[u],
                pos[v],
                arrowstyle="-|>",
                mutation_scale=8 if many else 12,
                linewidth=lw,
                linestyle="-" if blocking else "--",
                color=_style.HIGHLIGHT if hot else _style.MUTED,
                alpha=1.0 if hot else (0.45 if many else 0.8),
                shrinkA=math.sqrt(size_of[u]) / 2 + 1,
                shrinkB=math.sqrt(size_of[v]) / 2 + 2,
                connectionstyle="arc3" if blocking else "arc3,rad=0.2",
                zorder=3 if hot else 1,
                label="highlighted service" if hot else "_service",
            )
        )
    for blocking, segments in plain.items():
        if segments:
            ax.add_collection(
                LineCollection(
                    segments,
                    linewidths=plain_widths[blocking],
                    linestyles="-" if blocking else "--",
                    colors=_style.MUTED,
                    alpha=0.35,
                    zorder=1,
                    label="_services",
                )
            )

    xy = np.array([pos[v] for v in nodes]).reshape(-1, 2)
    handles: list[Any] = []
    if color_by is not None:
        values = np.array([float(color_by.get(v, math.nan)) for v in nodes])
        known = values[~np.isnan(values)]
        norm = mpl.colors.Normalize(
            float(known.min()) if known.size else 0.0, float(known.max()) if known.size else 1.0
        )
        cmap = mpl.colormaps["viridis"]
        face: Any = [(0.85, 0.85, 0.85, 1.0) if math.isnan(x) else cmap(norm(x)) for x in values]
        mappable = mpl.cm.ScalarMappable(norm=norm, cmap=cmap)
        ax.figure.colorbar(mappable, ax=ax, label=getattr(color_by, "name", "colour"), shrink=0.7)
    else:
        # a unit-level node is its own unit
        group = {v: v if rolled_up else G.nodes[v].get("unit") for v in nodes}
        units = [
            u
            for u in dict.fromkeys(group[v] for v, e in zip(nodes, external, strict=True) if not e)
            if u is not None
        ]
        palette = _style.unit_colors(units)
        face = [
            _style.EXTERNAL if ext else palette.get(group[v], _style.MUTED)
            for v, ext in zip(nodes, external, strict=True)
        ]
        if len(units) <= 10 and not rolled_up:
            handles += [
                Line2D([], [], marker="o", ls="", color=c, label=str(u))
                for u, c in palette.items()
            ]
    face_arr = np.array(mpl.colors.to_rgba_array(face)) if face else np.zeros((0, 4))
    for mask, marker, label in ((~external, "o", "nodes"), (external, "s", "external customers")):
        if mask.any():
            ax.scatter(
                xy[mask, 0],
                xy[mask, 1],
                s=sizes[mask],
                c=face_arr[mask],
                marker=marker,
                edgecolors="white",
                linewidths=0.8,
                zorder=4,
                label=label,
            )
    if external.any():
        handles.append(
            Line2D([], [], marker="s", ls="", color=_style.EXTERNAL, label="external customer")
        )
    if hl_nodes:
        idx = [nodes.index(v) for v in hl_nodes]
        ax.scatter(
            xy[idx, 0],
            xy[idx, 1],
            s=sizes[idx] * 1.9 + 40,
            facecolors="none",
            edgecolors=_style.HIGHLIGHT,
            linewidths=2.2,
            zorder=5,
            label="highlighted",
        )
        handles.append(
            Line2D(
                [],
                [],
                marker="o",
                ls="",
                mfc="none",
                mec=_style.HIGHLIGHT,
                mew=2,
                label="highlighted",
            )
        )
    if not all(_gates(d) for *_, d in G.edges(data=True)):
        handles.append(
            Line2D([], [], ls="--", color=_style.MUTED, label="non-blocking or lagged tie")
        )
    _labels(G, pos, ax, nodes, size_by or color_by, hl_nodes, external, labels_all or not many)
    if handles:
        ax.legend(
            handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8, frameon=False
        )
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(False)
    if len(xy):
        pad_x = 0.08 * (np.ptp(xy[:, 0]) or 1.0)
        pad_y = 0.08 * (np.ptp(xy[:, 1]) or 1.0)
        ax.set_xlim(xy[:, 0].min() - pad_x, xy[:, 0].max() + pad_x)
        ax.set_ylim(xy[:, 1].min() - pad_y, xy[:, 1].max() + pad_y * 2)


def _labels(
    G: nx.DiGraph,
    pos: Pos,
    ax: Axes,
    nodes: list[Hashable],
    ranking: Mapping[Hashable, float] | None,
    hl_nodes: list[Hashable],
    external: NDArray[np.bool_],
    every: bool,
) -> None:
    if every:
        chosen = nodes
    else:
        top: list[Hashable] = []
        if ranking is not None:
            top = [v for v, _ in sorted(ranking.items(), key=lambda t: -float(t[1]))[:12]]
        ext = [v for v, e in zip(nodes, external, strict=True) if e]
        chosen = list(dict.fromkeys([*hl_nodes, *ext, *top]))
    font = 8 if len(nodes) <= 40 else 6.5
    for v in chosen:
        x, y = pos[v]
        ax.annotate(
            _style.node_label(v, width=22),
            (x, y),
            xytext=(0, 7),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=font,
            zorder=6,
            bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.7},
        )
