"""Node positions for `draw_org`: layers from suppliers to customers, or clusters by unit.

Cheap helpers that read the organisation's structure (its topological levels
and units); they compute no metric.
"""

from __future__ import annotations

import math
from collections.abc import Hashable

import networkx as nx
import numpy as np

__all__ = ["Pos", "layer_layout", "ring_layout", "unit_layout", "wrap_layers"]

_NO_UNIT = "(no unit)"
_CUSTOMERS = "external customers"
Pos = dict[Hashable, tuple[float, float]]


def layer_layout(G: nx.DiGraph) -> Pos:
    """Positions in layers from suppliers (left) to external customers (right).

    A node's column is its topological level in the timing graph (blocking
    services with ``lag == 0``, `intcust.graph.compile`); every external
    customer goes to the last column. Within a column, nodes are ordered by
    the mean height of their suppliers (one barycentre sweep), which keeps
    most services short and uncrossed.

    Parameters
    ----------
    G : networkx.DiGraph
        The organisation.

    Returns
    -------
    dict
        node -> (x, y).

    Examples
    --------
    >>> import intcust as ic
    >>> from intcust.plot.layout import layer_layout
    >>> pos = layer_layout(ic.datasets.email_campaign())
    >>> pos["designer"][0], pos["sender"][0], pos["customers"][0]
    (0.0, 1.0, 3.0)
    """
    from intcust.graph import compile

    C = compile(G)
    level = C.level.copy()
    if C.n_nodes == 0:
        return {}
    ext = C.external
    if ext.size:
        level[ext] = int(level.max()) + (0 if np.all(level[ext] == level.max()) else 1)
    y = np.zeros(C.n_nodes)
    src, dst = C.src, C.dst
    for k in range(int(level.max()) + 1):
        members = np.flatnonzero(level == k)
        inward = (level[dst] == k) & (level[src] < k)
        total = np.bincount(dst[inward], weights=y[src[inward]], minlength=C.n_nodes)
        count = np.bincount(dst[inward], minlength=C.n_nodes)
        key = np.where(count[members] > 0, total[members] / np.maximum(count[members], 1), 0.0)
        # nodes without suppliers keep unit order, so that colleagues sit together
        order = np.lexsort((members, C.unit[members], key))
        members = members[order]
        y[members] = np.arange(members.size) - (members.size - 1) / 2.0
    return {C.nodes[i]: (float(level[i]), float(-y[i])) for i in range(C.n_nodes)}


def _groups(G: nx.DiGraph) -> dict[Hashable, list[Hashable]]:
    """Nodes by unit; external customers and nodes without a unit apart."""
    groups: dict[Hashable, list[Hashable]] = {}
    for node, data in G.nodes(data=True):
        if data.get("kind") == "external":
            key: Hashable = _CUSTOMERS
        else:
            unit = data.get("unit")
            key = _NO_UNIT if unit is None else unit
        groups.setdefault(key, []).append(node)
    if _CUSTOMERS in groups:  # customers last
        groups[_CUSTOMERS] = groups.pop(_CUSTOMERS)
    return groups


def unit_layout(G: nx.DiGraph) -> tuple[Pos, dict[Hashable, tuple[float, float]]]:
    """Positions with each unit as a cluster, external customers in their own cluster.

    Clusters sit on a grid in the order units first appear; inside a cluster
    nodes follow a sunflower spiral in graph order, so a cluster's area grows
    with its headcount.

    Parameters
    ----------
    G : networkx.DiGraph
        The organisation.

    Returns
    -------
    pos : dict
        node -> (x, y).
    centres : dict
        cluster label (the unit, ``"(no unit)"`` or ``"external customers"``)
        -> (x, y) of its label.

    Examples
    --------
    >>> import intcust as ic
    >>> from intcust.plot.layout import unit_layout
    >>> pos, centres = unit_layout(ic.datasets.email_campaign())
    >>> list(centres)
    ['Marketing', 'external customers']
    """
    groups = _groups(G)
    if not groups:
        return {}, {}
    radius = max(math.sqrt(len(m)) for m in groups.values()) * 0.6 + 0.6
    ncol = math.ceil(math.sqrt(len(groups)))
    golden = math.pi * (3.0 - math.sqrt(5.0))
    pos: Pos = {}
    centres: dict[Hashable, tuple[float, float]] = {}
    for g, (label, members) in enumerate(groups.items()):
        cx, cy = (g % ncol) * 2.6 * radius, -(g // ncol) * 2.6 * radius
        for i, node in enumerate(members):
            r = 0.6 * math.sqrt(i + 0.5) if len(members) > 1 else 0.0
            pos[node] = (cx + r * math.cos(i * golden), cy + r * math.sin(i * golden))
        top = 0.6 * math.sqrt(len(members)) + 0.35
        centres[label] = (cx, cy + top)
    return pos, centres


def ring_layout(R: nx.DiGraph) -> Pos:
    """Positions for a unit-level organisation: units on a circle, customers to the right.

    Units (every node but the external customers) sit on the unit circle,
    the first on top and the others clockwise in graph order; the external
    customers stand in a column right of the circle, so every delivery to a
    paying customer runs left to right.

    Parameters
    ----------
    R : networkx.DiGraph
        A unit-level organisation (`intcust.rollup`), or any organisation.

    Returns
    -------
    dict
        node -> (x, y).

    Examples
    --------
    >>> import intcust as ic
    >>> from intcust.plot.layout import ring_layout
    >>> pos = ring_layout(ic.rollup(ic.datasets.email_campaign()))
    >>> pos["Marketing"], pos["customers"]
    ((0.0, 0.0), (1.8, 0.0))
    """
    units = [v for v, kind in R.nodes(data="kind") if kind != "external"]
    customers = [v for v, kind in R.nodes(data="kind") if kind == "external"]
    pos: Pos = {}
    if len(units) == 1:
        pos[units[0]] = (0.0, 0.0)
    for i, v in enumerate(units if len(units) > 1 else []):
        angle = math.pi / 2 - 2 * math.pi * i / len(units)
        pos[v] = (math.cos(angle), math.sin(angle))
    for i, v in enumerate(customers):
        y = 0.0 if len(customers) == 1 else 0.8 - 1.6 * i / (len(customers) - 1)
        pos[v] = (1.8, y)
    return pos


def wrap_layers(pos: Pos, *, aspect: float = 1.8, gap: float = 0.6) -> Pos:
    """Layers folded into side-by-side sub-columns, so a large organisation fills a wide screen.

    A layer of `layer_layout` with more nodes than the chosen number of rows
    is cut, top to bottom, into sub-columns one unit apart; layers are `gap`
    units apart and rows half a unit. The number of rows is the one that
    brings width / height closest to `aspect`, and never less than what the
    tallest layer needs below 30 nodes, so small organisations keep one
    column per layer.

    Parameters
    ----------
    pos : dict
        node -> (x, y) from `layer_layout` (x: the layer, y: the row).
    aspect : float, optional
        The width / height sought.
    gap : float, optional
        Space between layers, in sub-column widths.

    Returns
    -------
    dict
        node -> (x, y), y growing downwards from 0.

    Examples
    --------
    >>> import intcust as ic
    >>> from intcust.plot.layout import layer_layout, wrap_layers
    >>> pos = wrap_layers(layer_layout(ic.datasets.email_campaign()))
    >>> pos["designer"], pos["customers"]
    ((0.0, 0.0), (4.8, 0.25))
    """
    if not pos:
        return {}
    nodes = list(pos)
    xy = np.array([pos[v] for v in nodes], dtype=float)
    layers, layer = np.unique(xy[:, 0], return_inverse=True)
    # top to bottom within each layer
    order = np.lexsort((-xy[:, 1], layer))
    counts = np.bincount(layer, minlength=len(layers))
    tallest = int(counts.max())
    best, best_err = tallest, math.inf
    for rows in range(min(tallest, 30), tallest + 1) if tallest <= 30 else range(1, tallest + 1):
        width = float(np.ceil(counts / rows).sum()) + gap * (len(layers) - 1)
        err = abs(math.log(width / (0.5 * rows + 1e-9) / aspect))
        if err < best_err:
            best, best_err = rows, err
    rows = best
    subcols = np.ceil(counts / rows).astype(int)
    start = np.concatenate([[0.0], np.cumsum(subcols[:-1] + gap)])
    first = np.concatenate([[0], np.cumsum(counts[:-1])])
    rank = np.empty(len(nodes), dtype=int)
    rank[order] = np.arange(len(nodes)) - first[layer[order]]
    k = layer
    # a short layer is centred on the tallest column
    height = np.minimum(counts[k], rows)
    out_x = start[k] + rank // rows
    out_y = 0.5 * (rank % rows + (min(tallest, rows) - height) / 2.0)
    return {v: (float(out_x[i]), float(out_y[i])) for i, v in enumerate(nodes)}
