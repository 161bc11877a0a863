"""The unit level of `draw_org`: one square per unit, services between units with their volume."""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping
from typing import TYPE_CHECKING, Any

import networkx as nx
import numpy as np

from intcust.plot import style
from intcust.plot._highlight import Marks
from intcust.plot._labels import Label, place
from intcust.plot._network import draw_network, label_nodes
from intcust.plot.layout import Pos, ring_layout

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["draw_units"]

#: how far unit-level services bend, so that A -> B and B -> A stay apart
_ARC = 0.12
#: where along a service its volume label may go, best first
_ALONG = (0.5, 0.38, 0.62, 0.28, 0.72, 0.2, 0.8)


def _unit_of(G: nx.DiGraph, R: nx.DiGraph, node: Hashable) -> Hashable:
    """The node of `R` that `node` of `G` counts in: its unit, or itself when kept apart."""
    unit: Hashable = G.nodes[node].get("unit")
    if unit is not None and unit in R and G.nodes[node].get("kind") != "external":
        return unit
    return node


def _per_unit(
    scores: Mapping[Hashable, float] | None, to: Mapping[Hashable, Hashable], R: nx.DiGraph
) -> Mapping[Hashable, float] | None:
    """Scores of units: as given when they score units, else the largest of each unit's members."""
    if scores is None or all(n in R for n in scores):
        return scores
    out: dict[Hashable, float] = {}
    for n, v in scores.items():
        u = to[n]
        out[u] = max(out.get(u, -math.inf), float(v))
    return out


def draw_units(
    G: nx.DiGraph,
    marks: Marks,
    size_by: Mapping[Hashable, float] | None,
    color_by: Mapping[Hashable, float] | None,
    ax: Axes | None,
    name: str,
    why: str,
) -> Axes:
    """Draw `G` at the unit level (`G` itself when it is one); see `draw_org`."""
    if G.graph.get("level") == "unit":
        R, to = G, {n: n for n in G}
        # rollup keeps unit-less nodes as themselves, with their own kind
        units = {v for v, kind in R.nodes(data="kind") if kind in ("team", "department")}
    else:
        from intcust.graph import rollup

        R = rollup(G)
        to = {n: _unit_of(G, R, n) for n in G}
        marks = marks.map(to, R)
        units = {to[n] for n in G if to[n] != n or G.nodes[n].get("unit") == n}
    kind_of = {v: "unit" if v in units else str(R.nodes[v].get("kind", "person")) for v in R}
    unit_of = {v: v if v in units else None for v in R}
    sizes = _per_unit(size_by, to, R)
    if sizes is None:
        sizes = {v: float(R.nodes[v].get("size", 1) or 1) for v in R}
    colours = _per_unit(color_by, to, R)
    pos = ring_layout(R)
    side = float(np.clip(4.0 + 0.45 * R.number_of_nodes(), 7.0, 14.0))
    ax = style.axes(ax, width=side + 3.0, height=side * 0.8)
    drawn = draw_network(
        R, pos, ax, marks, sizes, colours, unit_of=unit_of, kind_of=kind_of, arc=_ARC
    )
    ax.set_aspect("equal", adjustable="box")
    text = {v: _unit_text(R, v) if v in units else style.node_label(v, width=22) for v in R}
    node_texts, _ = label_nodes(R, pos, ax, drawn, marks, None, text=text)
    _label_volumes(R, pos, ax, node_texts)
    title = f"{name}: by unit" + (f" ({why})" if why else "")
    ax.set_title(title, parse_math=False)
    return ax


def _unit_text(R: nx.DiGraph, v: Hashable) -> str:
    size = int(R.nodes[v].get("size", 1) or 0)
    inside = float(R.nodes[v].get("internal_volume", 0.0) or 0.0)
    members = f"{size} member{'s' if size != 1 else ''}"
    within = f" · {style.number(inside)} within" if inside else ""
    return f"{style.node_label(v, width=22)}\n{members}{within}"


def _label_volumes(R: nx.DiGraph, pos: Pos, ax: Axes, avoid: list[Any]) -> None:
    """Write each service's volume along its curve, clear of the other labels."""
    to_px = ax.transData.transform
    to_data = ax.transData.inverted().transform
    labels = []
    for u, v, volume in R.edges(data="volume", default=1.0):
        p0, p2 = np.asarray(to_px(pos[u])), np.asarray(to_px(pos[v]))
        dx, dy = p2 - p0
        # the control point of matplotlib's arc3 connection, in display space
        c = (p0 + p2) / 2 + _ARC * np.array([dy, -dx])
        along = tuple(
            tuple(float(x) for x in to_data((1 - t) ** 2 * p0 + 2 * t * (1 - t) * c + t**2 * p2))
            for t in _ALONG
        )
        labels.append(
            Label(
                (u, v),
                style.number(float(volume or 0.0)),
                *pos[u],
                fontsize=7.0,
                along=along,  # type: ignore[arg-type]
            )
        )
    markers = [(*pos[v], 0.0) for v in R]
    place(ax, labels, markers=markers, avoid=avoid, gid="volume")
