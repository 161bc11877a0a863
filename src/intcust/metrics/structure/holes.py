"""Burt's structural holes on directed, weighted ties: constraint, effective size and more."""

from __future__ import annotations

from itertools import permutations
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from intcust.metrics._network import Graph, at_level, network
from intcust.metrics._sparse import binary, lookup, triangles
from intcust.results import NodeScores, NodeTable

if TYPE_CHECKING:
    import scipy.sparse as sp

__all__ = ["constraint", "effective_size", "structural_holes"]

FloatArray = NDArray[np.float64]
HOLES_COLUMNS = ("contacts", "constraint", "effective_size", "efficiency", "hierarchy")


def _holes(W: sp.csr_array) -> dict[str, FloatArray]:
    """Burt's measures for every node from the weighted tie matrix `W`.

    The contacts of i are its in- and out-neighbours (the pattern of
    ``W + W.T``); p_ij is i's mutual weight with j over its total, m_ij the
    same over i's largest mutual weight. The two-step sums run only over
    the triangles of the contact graph, so a contact of everyone (a shared
    service) costs no dense product.
    """
    n = W.shape[0]
    B = binary(W)
    contact = binary((B + B.T).tocsr())
    contact.sort_indices()
    r, c = (np.asarray(x, dtype=np.int64) for x in contact.nonzero())
    contacts = np.bincount(r, minlength=n).astype(np.float64)
    mutual = lookup(W, r, c) + lookup(W, c, r)
    total = np.bincount(r, weights=mutual, minlength=n)
    largest = np.zeros(n)
    np.maximum.at(largest, r, mutual)
    p = np.divide(mutual, total[r], out=np.zeros_like(mutual), where=total[r] > 0)
    m = np.divide(mutual, largest[r], out=np.zeros_like(mutual), where=largest[r] > 0)
    import scipy.sparse as sp

    P = sp.csr_array((p, (r, c)), shape=(n, n))
    Mx = sp.csr_array((m, (r, c)), shape=(n, n))
    P.sort_indices()
    Mx.sort_indices()

    # each triangle {a, b, c} in its six orders (i, j, q): q is a common contact
    two_step = np.zeros_like(p)  # sum_q p_iq p_qj on the contact (i, j)
    redundancy = np.zeros(n)  # sum_j sum_q p_ij m_qj over contacts j, q of i
    for i, j, q in permutations(triangles(contact)):
        pos = np.searchsorted(r * n + c, i * n + j)
        two_step += np.bincount(pos, weights=lookup(P, i, q) * lookup(P, q, j), minlength=p.size)
        redundancy += np.bincount(i, weights=lookup(P, i, j) * lookup(Mx, q, j), minlength=n)

    # local constraint c_ij = (p_ij + sum_q p_iq p_qj)^2 over the contacts j of i
    local = (p + two_step) ** 2
    constraint_ = np.bincount(r, weights=local, minlength=n)

    # effective size e_i = sum_j (1 - sum_q p_iq m_jq), j and q contacts of i
    effective = contacts - redundancy
    efficiency = np.divide(effective, contacts, out=np.zeros(n), where=contacts > 0)

    # hierarchy: sum_j r_j ln r_j / (N ln N), r_j = c_ij / (C_i / N)
    share = np.divide(
        local * contacts[r], constraint_[r], out=np.zeros_like(local), where=constraint_[r] > 0
    )
    terms = np.where(share > 0, share * np.log(np.where(share > 0, share, 1.0)), 0.0)
    sums = np.bincount(r, weights=terms, minlength=n)
    norm = contacts * np.log(np.maximum(contacts, 1.0))
    hierarchy = np.divide(sums, norm, out=np.zeros(n), where=(norm > 0) & (constraint_ > 0))
    return {
        "contacts": contacts,
        "constraint": constraint_,
        "effective_size": effective,
        "efficiency": efficiency,
        "hierarchy": hierarchy,
    }


#: Columns that have no value for a node without contacts (empty ratios).
UNDEFINED_ALONE = ("constraint", "efficiency", "hierarchy")


def _table(
    G: Graph, weight: str | None, ties: str, level: str, func: str
) -> tuple[tuple[object, ...], dict[str, FloatArray]]:
    """The nodes and Burt's measures of each, read as `func`."""
    G = at_level(G, level, func=func)
    net = network(G, weight=weight, ties=ties, func=func)
    if not net.n:
        return net.nodes, {c: np.zeros(0) for c in HOLES_COLUMNS}
    return net.nodes, _holes(net.matrix())


def structural_holes(
    G: Graph, *, weight: str | None = "volume", ties: str = "all", level: str = "person"
) -> NodeTable:
    r"""Burt's structural-hole measures of every node's ego network.

    The contacts :math:`N(i)` of i are everyone who supplies i or whom i
    supplies. With the mutual weight :math:`a_{ij} = w_{ij} + w_{ji}`,
    :math:`p_{ij} = a_{ij} / \sum_k a_{ik}` and
    :math:`m_{ij} = a_{ij} / \max_k a_{ik}`:

    - constraint :math:`C_i = \sum_{j \in N(i)} c_{ij}`,
      :math:`c_{ij} = (p_{ij} + \sum_q p_{iq} p_{qj})^2`: how much i's ties
      lead into one closed cluster (high: no holes to broker);
    - effective size
      :math:`e_i = \sum_{j \in N(i)} (1 - \sum_{q} p_{iq} m_{jq})`: the
      number of contacts net of their redundancy;
    - efficiency :math:`e_i / |N(i)|`;
    - hierarchy :math:`H_i = \sum_j r_j \ln r_j / (N \ln N)` with
      :math:`r_j = c_{ij} / (C_i / N)` and :math:`N = |N(i)|`: how far the
      constraint concentrates on one contact (0 when spread evenly, 1 when one
      contact holds it all).

    Parameters
    ----------
    G : networkx.DiGraph or CompiledOrg
        An organisation or any directed graph; ``u -> v`` means u supplies v.
    weight : str or None, optional
        The edge attribute that weighs a tie (default ``"volume"``, a missing
        value counting 1); None counts each tie once.
    ties : {"all", "blocking"}, optional
        Which ties make contacts: every one (default), or only those that
        gate work.
    level : {"person", "unit"}, optional
        ``"unit"`` computes on the unit-level organisation ``rollup(G)``.

    Returns
    -------
    NodeTable
        Columns ``contacts, constraint, effective_size, efficiency, hierarchy``.
        A node without contacts has ``contacts`` and ``effective_size`` 0 and
        ``constraint``, ``efficiency`` and ``hierarchy`` None: they are
        ratios over no contact, undefined rather than 0 (a constraint of 0
        would read as the freest broker of all).

    Raises
    ------
    ParameterError
        If `weight` names an attribute no edge carries, a weight is negative
        or not a number (the message names the edge), or `ties` or `level`
        is invalid.

    Notes
    -----
    Constraint and effective size equal networkx's ``constraint`` and
    ``effective_size`` (to rounding) on the same weights; networkx gives NaN
    where this gives None. Hierarchy is 0 for a node with one contact.
    Self-loops are left out, and several services of one supplier to one
    customer are one tie. The two-step sums run over the triangles of the
    contact graph, in :math:`O(m^{3/2})` for m ties, vectorised over them.

    References
    ----------
    .. [1] Burt, R. S. (1992). *Structural Holes: The Social Structure of
       Competition*. Cambridge, MA: Harvard University Press, ch. 2
       (effective size, efficiency, constraint and hierarchy).
    .. [2] Borgatti, S. P. (1997). Structural holes: unpacking Burt's
       redundancy measures. *Connections* 20(1), 35–38.

    Examples
    --------
    >>> import intcust as ic
    >>> t = ic.metrics.structural_holes(ic.datasets.company())
    >>> [node for node, _ in t.column("constraint").top(3, ascending=True)]
    ['HR', 'shift supervisor', 'IT']
    >>> t["sales director"]["contacts"], round(t["sales director"]["hierarchy"], 3)
    (6.0, 0.224)
    """
    nodes, values = _table(G, weight, ties, level, "structural_holes")
    alone = (values["contacts"] == 0).tolist()
    rows = {
        node: {
            c: None if alone[i] and c in UNDEFINED_ALONE else float(values[c][i])
            for c in HOLES_COLUMNS
        }
        for i, node in enumerate(nodes)
    }
    return NodeTable(
        rows,
        columns=HOLES_COLUMNS,
        name="structural_holes",
        description="Burt's structural holes (contacts are suppliers and customers)",
    )


def constraint(
    G: Graph, *, weight: str | None = "volume", ties: str = "all", level: str = "person"
) -> NodeScores:
    r"""Burt's constraint of every node (see `structural_holes` for the formula).

    Parameters
    ----------
    G : networkx.DiGraph or CompiledOrg
        An organisation or any directed graph; ``u -> v`` means u supplies v.
    weight : str or None, optional
        The edge attribute that weighs a tie (default ``"volume"``, a missing
        value counting 1); None counts each tie once.
    ties : {"all", "blocking"}, optional
        Which ties make contacts: every one (default), or only those that
        gate work.
    level : {"person", "unit"}, optional
        ``"unit"`` computes on the unit-level organisation ``rollup(G)``.

    Returns
    -------
    NodeScores
        :math:`C_i = \sum_{j} (p_{ij} + \sum_q p_{iq} p_{qj})^2` for every
        node with contacts. A node without contacts is absent: its
        constraint is undefined, not 0 (which would read as the least
        constrained broker).

    Raises
    ------
    ParameterError
        If `weight` names an attribute no edge carries, a weight is negative
        or not a number, or `ties` or `level` is invalid.

    References
    ----------
    .. [1] Burt, R. S. (1992). *Structural Holes*. Harvard University Press.

    Examples
    --------
    >>> import intcust as ic
    >>> c = ic.metrics.constraint(ic.datasets.company())
    >>> round(c["sales director"], 3)
    0.32
    """
    nodes, values = _table(G, weight, ties, level, "constraint")
    has = (values["contacts"] > 0).tolist()
    scores = zip(nodes, values["constraint"].tolist(), has, strict=True)
    return NodeScores(
        ((node, c) for node, c, h in scores if h),
        name="constraint",
        description="Burt's constraint: how far a node's ties close in on one cluster",
    )


def effective_size(
    G: Graph, *, weight: str | None = "volume", ties: str = "all", level: str = "person"
) -> NodeScores:
    r"""Burt's effective size of every node (see `structural_holes` for the formula).

    Parameters
    ----------
    G : networkx.DiGraph or CompiledOrg
        An organisation or any directed graph; ``u -> v`` means u supplies v.
    weight : str or None, optional
        The edge attribute that weighs a tie (default ``"volume"``, a missing
        value counting 1); None counts each tie once.
    ties : {"all", "blocking"}, optional
        Which ties make contacts: every one (default), or only those that
        gate work.
    level : {"person", "unit"}, optional
        ``"unit"`` computes on the unit-level organisation ``rollup(G)``.

    Returns
    -------
    NodeScores
        :math:`e_i = \sum_{j} (1 - \sum_q p_{iq} m_{jq})`; 0 for a node
        without contacts (no contact, none of them non-redundant).

    Raises
    ------
    ParameterError
        If `weight` names an attribute no edge carries, a weight is negative
        or not a number, or `ties` or `level` is invalid.

    References
    ----------
    .. [1] Burt, R. S. (1992). *Structural Holes*. Harvard University Press.

    Examples
    --------
    >>> import intcust as ic
    >>> e = ic.metrics.effective_size(ic.datasets.company())
    >>> round(e["sales director"], 2)  # of 6 contacts
    4.89
    """
    nodes, values = _table(G, weight, ties, level, "effective_size")
    return NodeScores(
        zip(nodes, values["effective_size"].tolist(), strict=True),
        name="effective_size",
        description="Burt's effective size: contacts net of their redundancy",
    )
