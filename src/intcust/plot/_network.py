"""Drawing a network on matplotlib: services, nodes by unit and kind, rings, legend, labels.

The pieces `draw_org` puts together, at the person and at the unit level.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping
from typing import TYPE_CHECKING, Any

import networkx as nx
import numpy as np
from numpy.typing import NDArray

from intcust.graph.schema import is_blocking
from intcust.plot import style
from intcust.plot._highlight import Marks
from intcust.plot._labels import Label, place, settle
from intcust.plot.layout import Pos

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["Drawn", "draw_network", "edge_widths", "gates", "label_nodes", "unit_palette"]

#: beyond this many services, plain services are lines without arrowheads
_MAX_ARROWS = 400
#: up to this many nodes every node is labelled
LABEL_ALL = 80
#: beyond `LABEL_ALL` nodes, how many top-ranked nodes are labelled
LABEL_TOP = 12
#: marker shape of each kind of stakeholder
SHAPES = {"person": "o", "team": "h", "department": "s", "unit": "s", "external": "D"}
#: what each shape stands for in the legend
SHAPE_TEXT = {
    "person": "person",
    "team": "team",
    "department": "department",
    "unit": "unit (area: members)",
    "external": "external customer",
}
#: most unit entries in a legend; the rest are counted in one line
MAX_LEGEND_UNITS = 24


def gates(data: Mapping[str, Any]) -> bool:
    """Whether a tie gates work in one round: one of its services does (unit-level ties too)."""
    if "blocking_services" in data:
        return bool(data["blocking_services"])
    return is_blocking(data)


def edge_widths(G: nx.DiGraph, *, lo: float = 0.5, hi: float = 3.5) -> NDArray[np.float64]:
    """Line width of every edge of `G`, in edge order: log-scaled by its volume."""
    volumes = np.array([style.tie_volume(d) for *_, d in G.edges(data=True)])
    if not volumes.size:
        return volumes
    scaled = np.log1p(volumes) / max(float(np.log1p(volumes.max())), 1e-12)
    return np.asarray(lo + (hi - lo) * scaled, dtype=np.float64)


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


class Drawn:
    """What `draw_network` drew: node positions, marker sizes, the legend entries."""

    def __init__(self, nodes: list[Hashable], sizes: NDArray[np.float64]) -> None:
        self.nodes = nodes
        self.sizes = sizes
        self.index = {v: i for i, v in enumerate(nodes)}
        self.handles: list[Any] = []


def unit_palette(
    G: nx.DiGraph, nodes: list[Hashable], unit_of: Mapping[Hashable, Hashable]
) -> dict[Hashable, str]:
    """One colour per unit, in the order units first appear among the non-external nodes."""
    units = [
        unit_of[v]
        for v in nodes
        if G.nodes[v].get("kind") != "external" and unit_of.get(v) is not None
    ]
    return style.unit_colors(list(dict.fromkeys(units)))


def draw_network(
    G: nx.DiGraph,
    pos: Pos,
    ax: Axes,
    marks: Marks,
    size_by: Mapping[Hashable, float] | None,
    color_by: Mapping[Hashable, float] | None,
    *,
    unit_of: Mapping[Hashable, Hashable] | None = None,
    kind_of: Mapping[Hashable, str] | None = None,
    arc: float = 0.0,
) -> Drawn:
    """Services, nodes, highlight rings and the legend of `G` at `pos` on `ax`.

    `unit_of` maps a node to the unit it is coloured by (by default its
    ``unit`` attribute), `kind_of` to its shape (by default its ``kind``);
    `arc` bends every service (unit-level ties go both ways, so they are
    bent apart).
    """
    from matplotlib.lines import Line2D

    nodes = list(G.nodes)
    n = len(nodes)
    if kind_of is None:
        kind_of = {v: str(G.nodes[v].get("kind", "person")) for v in nodes}
    kinds = [kind_of[v] for v in nodes]
    external = np.array([k == "external" for k in kinds], dtype=bool)
    sizes = _sizes(nodes, size_by, n)
    if external.any():
        sizes[external] = np.maximum(sizes[external], float(np.median(sizes)))
    drawn = Drawn(nodes, sizes)
    _draw_edges(G, pos, ax, marks, dict(zip(nodes, sizes, strict=True)), arc=arc)

    if unit_of is None:
        unit_of = {v: G.nodes[v].get("unit") for v in nodes}
    palette = unit_palette(G, nodes, unit_of)
    if color_by is not None:
        face = _metric_colours(ax, nodes, color_by)
    else:
        face = [
            style.EXTERNAL if ext else palette.get(unit_of.get(v), style.NO_UNIT)
            for v, ext in zip(nodes, external, strict=True)
        ]
        drawn.handles += _unit_handles(palette, marker="s" if "unit" in kinds else "o")
        if any(unit_of.get(v) is None for v, e in zip(nodes, external, strict=True) if not e):
            drawn.handles.append(
                Line2D([], [], marker="o", ls="", color=style.NO_UNIT, label="(no unit)")
            )
    import matplotlib as mpl

    face_arr = np.array(mpl.colors.to_rgba_array(face)).reshape(-1, 4)
    xy = np.array([pos[v] for v in nodes], dtype=float).reshape(-1, 2)
    for kind, marker in SHAPES.items():
        # a node of a kind outside the schema is drawn as a person
        mask = np.array([k == kind or (kind == "person" and k not in SHAPES) for k in kinds])
        if not mask.any():
            continue
        label = "external customers" if kind == "external" else f"{kind} nodes"
        ax.scatter(
            xy[mask, 0],
            xy[mask, 1],
            s=sizes[mask] * (1.15 if marker in "sD" else 1.0),
            c=face_arr[mask],
            marker=marker,
            edgecolors="white" if kind != "external" else "#1a5e1a",
            linewidths=0.8,
            zorder=4,
            label=label,
        )
        shown = SHAPE_TEXT.get(kind, kind)
        drawn.handles.append(
            Line2D(
                [],
                [],
                marker=marker,
                ls="",
                mfc=style.EXTERNAL if kind == "external" else "white",
                mec="#1a5e1a" if kind == "external" else "#555555",
                label=shown,
            )
        )
    index = {v: i for i, v in enumerate(nodes)}
    for k, (text, members, colour) in enumerate(marks.rings):
        idx = [index[v] for v in members if v in index]
        if not idx:
            continue
        ax.scatter(
            xy[idx, 0],
            xy[idx, 1],
            s=sizes[idx] * (1.9 + 0.5 * k) + 40,
            facecolors="none",
            edgecolors=colour,
            linewidths=2.2,
            zorder=5,
            label="highlighted" if k == 0 else f"highlighted {k + 1}",
        )
        drawn.handles.append(
            Line2D([], [], marker="o", ls="", mfc="none", mec=colour, mew=2, label=text)
        )
    drawn.handles += _edge_handles(G, marks)
    style.legend(ax, drawn.handles, ncols=2 if len(drawn.handles) > 22 else 1)
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(False)
    if len(xy):
        pad_x = 0.1 * (np.ptp(xy[:, 0]) or 1.0)
        pad_y = 0.1 * (np.ptp(xy[:, 1]) or 1.0)
        ax.set_xlim(xy[:, 0].min() - pad_x, xy[:, 0].max() + pad_x * 1.8)
        ax.set_ylim(xy[:, 1].min() - pad_y, xy[:, 1].max() + pad_y * 1.6)
    return drawn


def _unit_handles(palette: Mapping[Hashable, str], *, marker: str) -> list[Any]:
    from matplotlib.lines import Line2D

    items = list(palette.items())
    handles: list[Any] = [
        Line2D([], [], marker=marker, ls="", color=c, label=style.node_label(u, width=24))
        for u, c in items[:MAX_LEGEND_UNITS]
    ]
    if len(items) > MAX_LEGEND_UNITS:
        rest = len(items) - MAX_LEGEND_UNITS
        handles.append(
            Line2D([], [], ls="", label=f"… {rest} more units (colours repeat past 14)")
        )
    return handles


def _edge_handles(G: nx.DiGraph, marks: Marks) -> list[Any]:
    from matplotlib.lines import Line2D

    data = [d for *_, d in G.edges(data=True)]
    handles: list[Any] = []
    if any(gates(d) for d in data):
        handles.append(Line2D([], [], color=style.MUTED, lw=1.5, label="blocking service"))
    if not all(gates(d) for d in data):
        handles.append(
            Line2D([], [], color=style.MUTED, lw=1.5, ls="--", label="non-blocking or lagged")
        )
    if data:
        handles.append(Line2D([], [], color=style.MUTED, lw=3.5, label="width: volume (log)"))
    if marks.edges:
        handles.append(Line2D([], [], color=style.HIGHLIGHT, lw=2.8, label=marks.edge_text))
    return handles


def _metric_colours(
    ax: Axes, nodes: list[Hashable], color_by: Mapping[Hashable, float]
) -> list[Any]:
    import matplotlib as mpl

    values = np.array([float(color_by.get(v, math.nan)) for v in nodes])
    known = values[~np.isnan(values)]
    lo = float(known.min()) if known.size else 0.0
    hi = float(known.max()) if known.size else 1.0
    norm = mpl.colors.Normalize(lo, hi if hi > lo else lo + 1.0)
    cmap = mpl.colormaps["viridis"]
    bar = ax.figure.colorbar(mpl.cm.ScalarMappable(norm=norm, cmap=cmap), ax=ax, shrink=0.7)
    bar.set_label(str(getattr(color_by, "name", "colour")), parse_math=False)
    return [(0.85, 0.85, 0.85, 1.0) if math.isnan(x) else cmap(norm(x)) for x in values]


def _draw_edges(
    G: nx.DiGraph,
    pos: Pos,
    ax: Axes,
    marks: Marks,
    size_of: Mapping[Hashable, float],
    *,
    arc: float,
) -> None:
    from matplotlib.collections import LineCollection
    from matplotlib.patches import FancyArrowPatch

    hot = set(marks.edges)
    edges = list(G.edges(data=True))
    widths = edge_widths(G)
    many = G.number_of_nodes() > 40
    plain: dict[bool, list[Any]] = {True: [], False: []}
    plain_widths: dict[bool, list[float]] = {True: [], False: []}
    for k, (u, v, d) in enumerate(edges):
        blocking = gates(d)
        marked = (u, v) in hot
        lw = max(2.8, float(widths[k])) if marked else float(widths[k])
        if len(edges) > _MAX_ARROWS and not marked:
            # one collection per line style: thousands of arrow patches draw too slowly
            plain[blocking].append((pos[u], pos[v]))
            plain_widths[blocking].append(lw)
            continue
        bend = arc if arc else (0.0 if blocking else 0.2)
        ax.add_patch(
            FancyArrowPatch(
                pos[u],
                pos[v],
                arrowstyle="-|>",
                mutation_scale=8 if many else 12,
                linewidth=lw,
                linestyle="-" if blocking else "--",
                color=style.HIGHLIGHT if marked else style.MUTED,
                alpha=1.0 if marked else (0.45 if many else 0.75),
                shrinkA=math.sqrt(size_of[u]) / 2 + 1,
                shrinkB=math.sqrt(size_of[v]) / 2 + 2,
                connectionstyle=f"arc3,rad={bend}",
                zorder=3 if marked else 1,
                label="highlighted service" if marked else "_service",
            )
        )
    for blocking, segments in plain.items():
        if segments:
            ax.add_collection(
                LineCollection(
                    segments,
                    linewidths=plain_widths[blocking],
                    linestyles="-" if blocking else "--",
                    colors=style.MUTED,
                    alpha=0.35,
                    zorder=1,
                    label="_services",
                )
            )


def label_nodes(
    G: nx.DiGraph,
    pos: Pos,
    ax: Axes,
    drawn: Drawn,
    marks: Marks,
    ranking: Mapping[Hashable, float] | None,
    *,
    avoid: list[Any] | None = None,
    text: Mapping[Hashable, str] | None = None,
) -> tuple[list[Any], list[Hashable]]:
    """Label the nodes without overlap, the most important first; the texts and those dropped.

    Up to `LABEL_ALL` nodes all are tried; beyond, the highlighted ones,
    the external customers and the `LABEL_TOP` top of `ranking`.
    """
    nodes = drawn.nodes
    external = [v for v in nodes if G.nodes[v].get("kind") == "external"]
    top: list[Hashable] = []
    if ranking is not None:
        rank = {n: i for i, n in enumerate(nodes)}
        scored = [v for v in ranking if v in rank]
        top = sorted(scored, key=lambda v: (-float(ranking[v]), rank[v]))
    if len(nodes) <= LABEL_ALL:
        chosen = list(dict.fromkeys([*marks.nodes, *external, *top, *nodes]))
    else:
        chosen = list(dict.fromkeys([*marks.nodes, *external, *top[:LABEL_TOP]]))
    font = 7.5 if len(nodes) <= 40 else 6.5
    radius = {v: math.sqrt(float(s) * 1.15) / 2 for v, s in zip(nodes, drawn.sizes, strict=True)}
    for k, (_, members, _) in enumerate(marks.rings):  # a ring is wider than its node
        for v in members:
            if v in radius:
                ring = math.sqrt(drawn.sizes[drawn.index[v]] * (1.9 + 0.5 * k) + 40) / 2 + 1.1
                radius[v] = max(radius[v], ring)
    labels = [
        Label(
            v,
            text[v] if text is not None else style.node_label(v, width=22),
            *pos[v],
            radius=radius[v],
            fontsize=font,
        )
        for v in chosen
    ]
    markers = [(*pos[v], radius[v]) for v in nodes]
    renderer = settle(ax)
    return place(ax, labels, markers=markers, avoid=avoid or [], renderer=renderer)
