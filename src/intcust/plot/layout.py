"""Node positions for `draw_org`: layers from suppliers to customers, or clusters by unit.

Cheap helpers that read the organisation's structure (its topological levels
and units); they compute no metric.
"""

from __future__ import annotations

import math
from collections.abc import Hashable

import networkx as nx
import numpy as np

__all__ = ["Pos", "layer_layout", "unit_layout"]

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
