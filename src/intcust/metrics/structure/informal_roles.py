"""Cross and Prusak's informal-network roles: who connects, spans, brokers or sits apart."""

from __future__ import annotations

from typing import Any

import networkx as nx
import numpy as np

from intcust._params import Seed, check_number
from intcust.errors import ParameterError
from intcust.metrics._groups import at_level, binary, group_codes, restrict, tie_matrix
from intcust.metrics.network.brandes import betweenness
from intcust.results import NodeTable

__all__ = ["ROLES", "roles"]

#: The four roles, in the order they take precedence, and the label of everyone else.
ROLES = (
    "central connector",
    "information broker",
    "boundary spanner",
    "peripheral specialist",
    "none",
)


def _fraction(value: float, *, param: str) -> float:
    x = check_number(value, func="roles", param=param, minimum=0.0)
    if x > 1.0:
        raise ParameterError(f"The {param!r} parameter of roles must be in [0, 1]; got {value!r}.")
    return x


def roles(
    G: nx.DiGraph,
    *,
    by: str = "unit",
    weight: str | None = "volume",
    connector_quantile: float = 0.9,
    broker_quantile: float = 0.9,
    spanner_share: float = 0.5,
    spanner_contacts: int = 2,
    peripheral_quantile: float = 0.1,
    k: int | None = None,
    seed: Seed = None,
    missing: str = "raise",
    level: str = "person",
) -> NodeTable:
    r"""The informal-network role of each person (Cross and Prusak, 2002).

    Each node gets the first role whose test it passes:

    1. *central connector*: its tie volume (in + out) is at least the
       `connector_quantile` quantile of all nodes' volumes, and positive;
    2. *information broker*: its betweenness (shortest supplier -> customer
       paths through it, normalised as networkx does) is at least the
       `broker_quantile` quantile, and positive;
    3. *boundary spanner*: at least `spanner_share` of its tie volume
       crosses the boundary of its group (``by``), with at least
       `spanner_contacts` contacts in other groups;
    4. *peripheral specialist*: its tie volume is at most the
       `peripheral_quantile` quantile;

    and ``"none"`` otherwise. Quantiles are over the nodes taking part,
    with linear interpolation (``numpy.quantile``).

    Parameters
    ----------
    G : networkx.DiGraph
        An organisation or any directed graph; ``u -> v`` means u supplies v.
    by : str, optional
        The node attribute that defines the groups.
    weight : str or None, optional
        The edge attribute that weighs a tie (missing: 1); None counts each edge once.
    connector_quantile, broker_quantile, peripheral_quantile : float, optional
        Thresholds in [0, 1].
    spanner_share : float, optional
        Share of tie volume that must cross the group boundary, in [0, 1].
    spanner_contacts : int, optional
        Contacts (suppliers or customers) in other groups a spanner needs, >= 1.
    k : int, optional
        Estimate betweenness from `k` sampled sources (see `betweenness`),
        for large organisations; exact by default.
    seed : None, int or numpy Generator, optional
        The random source of the sampled sources.
    missing : {"raise", "drop", "own"}, optional
        Nodes lacking `by`: raise, leave them out, or give each its own group.
    level : {"person", "unit"}, optional
        ``"unit"`` computes on the unit-level organisation ``rollup(G)``.

    Returns
    -------
    NodeTable
        Columns ``role`` and the numbers that decided it: ``volume``,
        ``contacts``, ``betweenness``, ``external_share`` and
        ``external_contacts``.

    Raises
    ------
    ParameterError
        If a threshold is out of range, nodes lack `by` (with
        ``missing="raise"``), or a weight is negative.

    Notes
    -----
    Betweenness is `betweenness` without weights (tie volume is a
    frequency, not a distance). Self-loops are ignored.

    References
    ----------
    .. [1] Cross, R. and Prusak, L. (2002). The people who make organizations
       go — or stop. *Harvard Business Review* 80(6), 104–112.
    .. [2] Cross, R. and Parker, A. (2004). *The Hidden Power of Social
       Networks*. Boston: Harvard Business School Press.

    Examples
    --------
    >>> import intcust as ic
    >>> r = ic.metrics.roles(ic.datasets.company(), missing="own")
    >>> r["HR"]["role"], r["planner"]["role"], r["sales director"]["role"]
    ('central connector', 'information broker', 'boundary spanner')
    >>> r["founder"]["role"]
    'peripheral specialist'
    """
    func = "roles"
    qc = _fraction(connector_quantile, param="connector_quantile")
    qb = _fraction(broker_quantile, param="broker_quantile")
    qp = _fraction(peripheral_quantile, param="peripheral_quantile")
    share_min = _fraction(spanner_share, param="spanner_share")
    if (
        isinstance(spanner_contacts, bool)
        or not isinstance(spanner_contacts, int)
        or spanner_contacts < 1
    ):
        raise ParameterError(
            f"The 'spanner_contacts' parameter of roles must be an int >= 1; "
            f"got {spanner_contacts!r}."
        )
    G = at_level(G, level, func=func)
    nodes, codes, _ = group_codes(G, by, missing=missing, func=func)
    columns = ("role", "volume", "contacts", "betweenness", "external_share", "external_contacts")
    if not nodes:
        return NodeTable({}, columns=columns, name=func)
    H = restrict(G, nodes)
    W = tie_matrix(H, nodes, weight, func=func)
    both = (W + W.T).tocsr()
    volume = np.asarray(both.sum(axis=1)).ravel()
    pattern = binary((binary(W) + binary(W).T).tocsr()).tocoo()
    contacts = np.bincount(pattern.row, minlength=len(nodes)).astype(np.float64)
    crossing = codes[pattern.row] != codes[pattern.col]
    external_contacts = np.bincount(pattern.row[crossing], minlength=len(nodes))
    B = both.tocoo()
    outside = codes[B.row] != codes[B.col]
    external_volume = np.bincount(B.row[outside], weights=B.data[outside], minlength=len(nodes))
    share = np.divide(external_volume, volume, out=np.zeros_like(volume), where=volume > 0)
    between = betweenness(H, normalized=True, k=k, seed=seed)
    bc = np.fromiter((between[v] for v in nodes), dtype=np.float64, count=len(nodes))

    connector = (volume >= np.quantile(volume, qc)) & (volume > 0)
    broker = (bc >= np.quantile(bc, qb)) & (bc > 0)
    spanner = (share >= share_min) & (external_contacts >= spanner_contacts) & (volume > 0)
    peripheral = volume <= np.quantile(volume, qp)
    choice = np.select([connector, broker, spanner, peripheral], [0, 1, 2, 3], default=4)

    rows: dict[Any, dict[str, Any]] = {
        node: {
            "role": ROLES[int(choice[i])],
            "volume": float(volume[i]),
            "contacts": float(contacts[i]),
            "betweenness": float(bc[i]),
            "external_share": float(share[i]),
            "external_contacts": float(external_contacts[i]),
        }
        for i, node in enumerate(nodes)
    }
    return NodeTable(
        rows,
        columns=columns,
        name=func,
        description=f"Cross & Prusak roles (groups by {by!r})",
    )
