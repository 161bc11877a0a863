"""Two-way communication and openness of units: reciprocity and Krackhardt's E-I index."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from intcust._params import check_choice
from intcust.metrics._network import Graph, at_level, group_codes, network
from intcust.metrics._sparse import lookup, restrict
from intcust.results import NodeScores, NodeTable, html_table

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = [
    "EIIndex",
    "Reciprocity",
    "UnitReciprocity",
    "ei_index",
    "reciprocity",
    "unit_reciprocity",
]

FloatArray = NDArray[np.float64]
DIRECTIONS = ("both", "out", "in")


def _ratio(num: NDArray[Any], den: NDArray[Any]) -> FloatArray:
    top, bottom = np.asarray(num, dtype=np.float64), np.asarray(den, dtype=np.float64)
    return np.divide(top, bottom, out=np.zeros_like(top), where=bottom > 0)


@dataclass(frozen=True)
class Reciprocity:
    """Reciprocity of the whole organisation and of each node."""

    overall: float  #: share of tie weight that is returned
    nodes: NodeScores  #: per node: share of its tie weight (in and out) that is returned

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: ``{"overall": float, "nodes": {node: float}}``."""
        return {"overall": self.overall, "nodes": self.nodes.to_dict()}

    def __repr__(self) -> str:
        return f"Reciprocity(overall={self.overall:.4g}, nodes={len(self.nodes)})"

    def _repr_html_(self) -> str:
        head = html_table([["overall", self.overall]], ["", "reciprocity"])
        return head + self.nodes._repr_html_()


def reciprocity(
    G: Graph, *, weight: str | None = "volume", ties: str = "all", level: str = "person"
) -> Reciprocity:
    r"""How much of the communication goes both ways, overall and per node.

    With tie weights :math:`w_{ij}` (i supplies j), the weighted reciprocity
    of Squartini et al. (2013) is

    .. math:: r = \frac{\sum_{i \ne j} \min(w_{ij}, w_{ji})}{\sum_{i \ne j} w_{ij}},
       \qquad r_i = \frac{2 \sum_j \min(w_{ij}, w_{ji})}{\sum_j (w_{ij} + w_{ji})},

    which for ``weight=None`` is the share of edges whose reverse exists,
    networkx's ``overall_reciprocity`` and ``reciprocity(G, nodes)``.

    Parameters
    ----------
    G : networkx.DiGraph or CompiledOrg
        An organisation or any directed graph; ``u -> v`` means u supplies v.
    weight : str or None, optional
        The edge attribute that weighs a tie (default ``"volume"``, a missing
        value counting 1); None counts each tie once.
    ties : {"all", "blocking"}, optional
        Which ties count: every one (default), or only those that gate work.
    level : {"person", "unit"}, optional
        ``"unit"`` computes on the unit-level organisation ``rollup(G)``.

    Returns
    -------
    Reciprocity
        ``overall`` (a float) and ``nodes`` (NodeScores). Without any tie
        weight, a node or the organisation scores 0 (networkx raises there).

    Raises
    ------
    ParameterError
        If `weight` names an attribute no edge carries, a weight is negative
        or not a number (naming the edge), or `ties` or `level` is invalid.

    Notes
    -----
    Self-loops are left out; several services of one supplier to one
    customer are one tie.

    References
    ----------
    .. [1] Squartini, T., Picciolo, F., Ruzzenenti, F. and Garlaschelli, D.
       (2013). Reciprocity of weighted networks. *Scientific Reports* 3, 2729.
    .. [2] Wasserman, S. and Faust, K. (1994). *Social Network Analysis*,
       ch. 13. Cambridge University Press.

    Examples
    --------
    >>> import intcust as ic
    >>> r = ic.metrics.reciprocity(ic.datasets.company(), weight=None)
    >>> round(r.overall, 3)
    0.174
    >>> r.nodes["buyer"]  # 2 of the buyer's 5 ties go both ways
    0.4
    """
    G = at_level(G, level, func="reciprocity")
    net = network(G, weight=weight, ties=ties, func="reciprocity")
    nodes, W = net.nodes, net.matrix()
    back = W.minimum(W.T)
    returned = np.asarray(back.sum(axis=1), dtype=np.float64).ravel()
    strength = np.asarray(W.sum(axis=1) + W.sum(axis=0), dtype=np.float64).ravel()
    per_node = _ratio(2.0 * returned, strength)
    total = float(W.sum())
    overall = float(returned.sum()) / total if total > 0 else 0.0
    return Reciprocity(
        overall=overall,
        nodes=NodeScores(
            zip(nodes, per_node.tolist(), strict=True),
            name="reciprocity",
            description="share of a node's tie weight, in and out, that is returned",
        ),
    )


class UnitReciprocity(NodeTable):
    """The `NodeTable` that `unit_reciprocity` returns; ``.plot()`` draws the unit × unit matrix."""

    def plot(self, ax: Axes | None = None, **kw: Any) -> Axes:
        """Draw reciprocity between units: `intcust.plot.plot_unit_reciprocity` (needs matplotlib).

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> import intcust as ic
        >>> t = ic.metrics.unit_reciprocity(ic.datasets.company(), missing="own")
        >>> t.plot().get_title()
        'Two-way ties between units (reciprocity)'
        """
        from intcust.plot import plot_unit_reciprocity

        return plot_unit_reciprocity(self, ax=ax, **kw)


def unit_reciprocity(
    G: Graph,
    *,
    by: str = "unit",
    weight: str | None = "volume",
    ties: str = "all",
    missing: str = "own",
    level: str = "person",
) -> UnitReciprocity:
    r"""Two-way communication between each pair of units (and within each unit).

    For units A and B, with the ties :math:`T_{AB}` that run between a member
    of A and a member of B in either direction (within A when A = B),

    .. math:: r_{AB} = \frac{\sum_{(i, j) \in T_{AB}} \min(w_{ij}, w_{ji})}
       {\sum_{(i, j) \in T_{AB}} w_{ij}}

    is the share of their tie weight that is returned (Squartini et al. 2013;
    for ``weight=None`` the share of their ties that are two-way).

    Parameters
    ----------
    G : networkx.DiGraph or CompiledOrg
        An organisation or any directed graph; ``u -> v`` means u supplies v.
    by : str, optional
        The node attribute that defines the units (only ``"unit"`` for a
        `CompiledOrg`). External customers are always units of their own.
    weight : str or None, optional
        The edge attribute that weighs a tie (default ``"volume"``, a missing
        value counting 1); None counts each tie once.
    ties : {"all", "blocking"}, optional
        Which ties count: every one (default), or only those that gate work.
    missing : {"own", "drop", "raise"}, optional
        A node lacking `by`: a unit of its own (default, as in `rollup`),
        left out, or an error naming it.
    level : {"person", "unit"}, optional
        ``"unit"`` computes on the unit-level organisation ``rollup(G)``.

    Returns
    -------
    UnitReciprocity
        A `NodeTable` that can ``.plot()`` itself as a unit × unit matrix. One
        row per unit pair ``(A, B)`` with at least one tie, A first seen no
        later than B: columns ``ties`` (their weight), ``returned`` and
        ``reciprocity``.

    Raises
    ------
    ParameterError
        If nodes lack `by` (with ``missing="raise"``), `weight` names an
        attribute no edge carries, a weight is negative, or an option is
        invalid.

    References
    ----------
    .. [1] Squartini, T., Picciolo, F., Ruzzenenti, F. and Garlaschelli, D.
       (2013). Reciprocity of weighted networks. *Scientific Reports* 3, 2729.

    Examples
    --------
    >>> import intcust as ic
    >>> t = ic.metrics.unit_reciprocity(ic.datasets.company(), weight=None)
    >>> round(t["Sales", "Sales"]["reciprocity"], 3), t["Marketing", "Sales"]["reciprocity"]
    (0.571, 0.0)
    """
    func = "unit_reciprocity"
    G = at_level(G, level, func=func)
    members, codes, labels = group_codes(G, by, missing=missing, func=func)
    net = network(G, weight=weight, ties=ties, func=func)
    columns = ("ties", "returned", "reciprocity")
    if not len(members):
        return UnitReciprocity({}, columns=columns, name=func)
    W = restrict(net.matrix(), members)
    E = W.tocoo()
    back = lookup(W.T.tocsr(), E.row, E.col)  # w_ji beside each w_ij
    a, b = codes[E.row], codes[E.col]
    key = np.minimum(a, b) * len(labels) + np.maximum(a, b)
    pairs, at = np.unique(key, return_inverse=True)
    weight_of = np.bincount(at, weights=E.data, minlength=pairs.size)
    returned = np.bincount(at, weights=np.minimum(E.data, back), minlength=pairs.size)
    rows: dict[Hashable, dict[str, float]] = {}
    for k, t, r in zip(pairs.tolist(), weight_of.tolist(), returned.tolist(), strict=True):
        if t > 0:
            rows[(labels[k // len(labels)], labels[k % len(labels)])] = {
                "ties": t,
                "returned": r,
                "reciprocity": r / t,
            }
    return UnitReciprocity(
        rows,
        columns=columns,
        name=func,
        description=f"share of tie weight returned between {by!r} groups",
    )


@dataclass(frozen=True)
class EIIndex:
    """Krackhardt and Stern's E-I index of each unit and of the whole organisation."""

    overall: float  #: (external - internal) / (external + internal) over all ties
    units: NodeTable  #: per unit: ``external``, ``internal``, ``ei_index``
    direction: str  #: which external ties count for a unit: "both", "out" or "in"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: overall, direction, and unit -> {external, internal, ei_index}."""
        return {
            "overall": self.overall,
            "direction": self.direction,
            "units": self.units.to_dict(),
        }

    def __repr__(self) -> str:
        return f"EIIndex(overall={self.overall:.4g}, units={len(self.units)}, direction={self.direction!r})"

    def _repr_html_(self) -> str:
        head = html_table([["overall", self.overall]], ["", "E-I index"])
        return head + self.units._repr_html_()

    def plot(self, ax: Axes | None = None, **kw: Any) -> Axes:
        """Draw each unit's E-I index: `intcust.plot.plot_ei_index` (needs matplotlib).

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> import intcust as ic
        >>> ic.metrics.ei_index(ic.datasets.company(), missing="own").plot().get_title()
        'Openness of units (E-I index, both ties)'
        """
        from intcust.plot import plot_ei_index

        return plot_ei_index(self, ax=ax, **kw)


def ei_index(
    G: Graph,
    *,
    by: str = "unit",
    direction: str = "both",
    weight: str | None = "volume",
    ties: str = "all",
    missing: str = "own",
    level: str = "person",
) -> EIIndex:
    r"""Krackhardt and Stern's E-I index: how outward-looking each unit is.

    .. math:: EI = \frac{E - I}{E + I} \in [-1, 1],

    where I is the weight of ties inside the unit (each counted once) and E
    that of ties crossing its boundary: outgoing (the unit supplies others,
    ``direction="out"``), incoming (``"in"``) or both. -1: the unit only
    deals with itself; 1: only with others. For the whole organisation E and
    I sum every crossing and every internal tie once.

    Parameters
    ----------
    G : networkx.DiGraph or CompiledOrg
        An organisation or any directed graph; ``u -> v`` means u supplies v.
    by : str, optional
        The node attribute that defines the units (only ``"unit"`` for a
        `CompiledOrg`). External customers are always units of their own.
    direction : {"both", "out", "in"}, optional
        Which crossing ties count for a unit.
    weight : str or None, optional
        The edge attribute that weighs a tie (default ``"volume"``, a missing
        value counting 1); None counts each tie once.
    ties : {"all", "blocking"}, optional
        Which ties count: every one (default), or only those that gate work.
    missing : {"own", "drop", "raise"}, optional
        A node lacking `by`: a unit of its own (default, as in `rollup`),
        left out, or an error naming it.
    level : {"person", "unit"}, optional
        ``"unit"`` computes on the unit-level organisation ``rollup(G)``.

    Returns
    -------
    EIIndex
        ``overall`` and ``units`` (NodeTable with ``external``, ``internal``
        and ``ei_index``). A unit without ties scores 0, and so does an
        organisation without ties.

    Raises
    ------
    ParameterError
        If nodes lack `by` (with ``missing="raise"``), `weight` names an
        attribute no edge carries, a weight is negative, or an option is
        invalid.

    Notes
    -----
    Self-loops are left out; several services of one supplier to one
    customer are one tie.

    References
    ----------
    .. [1] Krackhardt, D. and Stern, R. N. (1988). Informal networks and
       organizational crises: an experimental simulation. *Social Psychology
       Quarterly* 51(2), 123–140.

    Examples
    --------
    >>> import intcust as ic
    >>> ei = ic.metrics.ei_index(ic.datasets.company())
    >>> round(ei.units["Production"]["ei_index"], 3)  # busy inside
    -0.389
    >>> round(ei.units["Finance"]["ei_index"], 3)  # serves the others
    0.958
    """
    func = "ei_index"
    check_choice(direction, DIRECTIONS, func=func, param="direction")
    G = at_level(G, level, func=func)
    members, codes, labels = group_codes(G, by, missing=missing, func=func)
    net = network(G, weight=weight, ties=ties, func=func)
    if not len(members):
        return EIIndex(0.0, NodeTable({}, columns=("external", "internal", "ei_index")), direction)
    W = restrict(net.matrix(), members)
    E = W.tocoo()
    a, b, w = codes[E.row], codes[E.col], E.data
    inside_tie = a == b
    g = len(labels)
    internal = np.bincount(a[inside_tie], weights=w[inside_tie], minlength=g)
    out = np.bincount(a[~inside_tie], weights=w[~inside_tie], minlength=g)
    inn = np.bincount(b[~inside_tie], weights=w[~inside_tie], minlength=g)
    external = {"both": out + inn, "out": out, "in": inn}[direction]
    ei = _ratio(external - internal, external + internal)
    cross, inside = float(w[~inside_tie].sum()), float(internal.sum())
    overall = (cross - inside) / (cross + inside) if cross + inside > 0 else 0.0
    rows = {
        label: {
            "external": float(external[g]),
            "internal": float(internal[g]),
            "ei_index": float(ei[g]),
        }
        for g, label in enumerate(labels)
    }
    return EIIndex(
        overall,
        NodeTable(rows, name=func, description=f"E-I index of each {by!r} ({direction})"),
        direction,
    )
