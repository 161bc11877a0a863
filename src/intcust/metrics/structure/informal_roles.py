"""Cross and Prusak's informal-network roles: who connects, spans, brokers or sits apart."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from intcust._params import Seed, check_fraction, check_int, check_sources, rng_from_seed
from intcust.errors import ParameterError
from intcust.graph.compiled import CompiledOrg
from intcust.metrics._network import Graph, at_level, group_codes, network
from intcust.metrics._sparse import binary, restrict
from intcust.metrics.network.brandes import betweenness
from intcust.results import NodeTable

if TYPE_CHECKING:
    import scipy.sparse as sp

__all__ = ["ROLES", "roles"]

#: The four roles, in the order they take precedence, and the label of everyone else.
ROLES = (
    "central connector",
    "information broker",
    "boundary spanner",
    "peripheral specialist",
    "none",
)
_COLUMNS = ("role", "volume", "contacts", "betweenness", "external_share", "external_contacts")
#: The fewest outside people a node must serve to be an organisation-wide shared service.
_SHARED_MIN = 3

IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]


def _shared_services(
    W: sp.csr_array, codes: IntArray, staff: BoolArray, share: float
) -> BoolArray:
    """Which nodes supply at least `share` of the staff outside their own group.

    Such a node (HR, IT, a canteen) is an organisation-wide shared service:
    its ties cross every boundary because it serves everyone, not because it
    or its customers span units.
    """
    n = len(codes)
    A = W.tocoo()
    outside = (codes[A.row] != codes[A.col]) & staff[A.col]
    served = np.bincount(A.row[outside], minlength=n)
    per_group = np.bincount(codes[staff], minlength=int(codes.max(initial=-1)) + 1)
    others = int(staff.sum()) - per_group[codes]  # the staff outside each node's group
    return np.asarray(staff & (others >= _SHARED_MIN) & (served >= share * others), dtype=bool)


def roles(
    G: Graph,
    *,
    by: str = "unit",
    weight: str | None = "volume",
    ties: str = "all",
    connector_quantile: float = 0.9,
    broker_quantile: float = 0.9,
    spanner_share: float = 0.5,
    spanner_contacts: int = 2,
    peripheral_quantile: float = 0.1,
    shared_share: float | None = 0.75,
    k: int | None = None,
    seed: Seed = None,
    missing: str = "own",
    level: str = "person",
) -> NodeTable:
    r"""The informal-network role of each stakeholder (Cross and Prusak, 2002).

    Each stakeholder gets the first role whose test it passes:

    1. *central connector*: its tie volume (in + out) is at least the
       `connector_quantile` quantile of all stakeholders' volumes, and
       positive;
    2. *information broker*: its betweenness (shortest supplier -> customer
       paths through it, normalised as networkx does) is at least the
       `broker_quantile` quantile, and positive;
    3. *boundary spanner*: at least `spanner_share` of its tie volume
       crosses the boundary of its group (``by``), with at least
       `spanner_contacts` contacts in other groups;
    4. *peripheral specialist*: its tie volume is at most the
       `peripheral_quantile` quantile;

    and ``"none"`` otherwise. Quantiles are over the stakeholders taking
    part, with linear interpolation (``numpy.quantile``). External customers
    are not stakeholders of the informal network: they get no role and no
    row, though their ties count in the volume of those who serve them.

    Ties with an *organisation-wide shared service* do not cross a
    boundary: a node that supplies at least `shared_share` of the staff
    outside its own group (at least three people), such as HR or IT serving
    everyone, is in every unit's business by its job, so neither it nor its
    customers span units through those ties. They still count in volume and
    contacts.

    Parameters
    ----------
    G : networkx.DiGraph or CompiledOrg
        An organisation or any directed graph; ``u -> v`` means u supplies v.
    by : str, optional
        The node attribute that defines the groups (only ``"unit"`` for a
        `CompiledOrg`). External customers are always groups of their own.
    weight : str or None, optional
        The edge attribute that weighs a tie (default ``"volume"``, a missing
        value counting 1); None counts each tie once.
    ties : {"all", "blocking"}, optional
        Which ties count: every one (default), or only those that gate work.
    connector_quantile, broker_quantile, peripheral_quantile : float, optional
        Thresholds in [0, 1].
    spanner_share : float, optional
        Share of tie volume that must cross the group boundary, in [0, 1].
    spanner_contacts : int, optional
        Contacts (suppliers or customers) in other groups a spanner needs, >= 1.
    shared_share : float or None, optional
        The share of the outside staff a node must supply to count as an
        organisation-wide shared service, in [0, 1]; None counts every tie
        across groups.
    k : int, optional
        Estimate betweenness from `k` sampled sources (see `betweenness`),
        for large organisations; exact by default.
    seed : None, int or numpy Generator, optional
        The random source of the sampled sources.
    missing : {"own", "drop", "raise"}, optional
        A node lacking `by`: a group of its own (default, as in `rollup`),
        left out, or an error naming it. ``"drop"`` needs a
        `networkx.DiGraph`.
    level : {"person", "unit"}, optional
        ``"unit"`` computes on the unit-level organisation ``rollup(G)``.

    Returns
    -------
    NodeTable
        One row per stakeholder (not per external customer): ``role`` and
        the numbers that decided it, ``volume``, ``contacts``,
        ``betweenness``, ``external_share`` and ``external_contacts``, and
        ``shared_service`` (whether it is an organisation-wide shared
        service).

    Raises
    ------
    ParameterError
        If a threshold is out of range, nodes lack `by` (with
        ``missing="raise"``), `weight` names an attribute no edge carries,
        or a weight is negative.

    Notes
    -----
    Betweenness is `betweenness` without weights (tie volume is a
    frequency, not a distance), over every tie whatever `ties` says, as
    `betweenness` reads them. Self-loops are left
    out; several services of one supplier to one customer are one tie.

    References
    ----------
    .. [1] Cross, R. and Prusak, L. (2002). The people who make organizations
       go — or stop. *Harvard Business Review* 80(6), 104–112.
    .. [2] Cross, R. and Parker, A. (2004). *The Hidden Power of Social
       Networks*. Boston: Harvard Business School Press.

    Examples
    --------
    >>> import intcust as ic
    >>> r = ic.metrics.roles(ic.datasets.company())
    >>> r["HR"]["role"], r["planner"]["role"], r["campaign manager"]["role"]
    ('central connector', 'information broker', 'boundary spanner')
    >>> r["HR"]["shared_service"], "retail customers" in r  # HR serves everyone
    (True, False)
    """
    func = "roles"
    qc = check_fraction(connector_quantile, func=func, param="connector_quantile")
    qb = check_fraction(broker_quantile, func=func, param="broker_quantile")
    qp = check_fraction(peripheral_quantile, func=func, param="peripheral_quantile")
    share_min = check_fraction(spanner_share, func=func, param="spanner_share")
    shared = (
        None
        if shared_share is None
        else check_fraction(shared_share, func=func, param="shared_share")
    )
    spanner_contacts = check_int(spanner_contacts, func=func, param="spanner_contacts", minimum=1)
    G = at_level(G, level, func=func)
    members, codes, _ = group_codes(G, by, missing=missing, func=func)
    net = network(G, weight=weight, ties=ties, func=func)
    k = check_sources(k, len(members), func=func)
    rng_from_seed(seed, func=func)  # checked here, so that a bad seed is reported as roles'

    columns = (*_COLUMNS, "shared_service")
    H = G
    if len(members) < net.n:
        if isinstance(G, CompiledOrg):
            raise ParameterError(
                f"The 'missing' parameter of {func} must be 'own' or 'raise' for a compiled "
                f"organisation, whose nodes cannot be left out; got {missing!r}."
            )
        H = G.subgraph([net.nodes[i] for i in members.tolist()])
    nodes = [net.nodes[i] for i in members.tolist()]
    staff = ~net.external()[members]
    W = restrict(net.matrix(), members)
    both = (W + W.T).tocsr()
    volume = np.asarray(both.sum(axis=1)).ravel()
    pattern = binary((binary(W) + binary(W).T).tocsr()).tocoo()
    contacts = np.bincount(pattern.row, minlength=len(nodes)).astype(np.float64)
    service = (
        np.zeros(len(nodes), dtype=bool)
        if shared is None
        else _shared_services(W, codes, staff, shared)
    )
    crossing = (codes[pattern.row] != codes[pattern.col]) & ~(
        service[pattern.row] | service[pattern.col]
    )
    external_contacts = np.bincount(pattern.row[crossing], minlength=len(nodes))
    B = both.tocoo()
    outside = (codes[B.row] != codes[B.col]) & ~(service[B.row] | service[B.col])
    external_volume = np.bincount(B.row[outside], weights=B.data[outside], minlength=len(nodes))
    share = np.divide(external_volume, volume, out=np.zeros_like(volume), where=volume > 0)
    between = betweenness(H, normalized=True, k=k, seed=seed)
    bc = np.fromiter((between[v] for v in nodes), dtype=np.float64, count=len(nodes))

    rows: dict[Any, dict[str, Any]] = {}
    if staff.any():
        v, b = volume[staff], bc[staff]
        connector = (volume >= np.quantile(v, qc)) & (volume > 0)
        broker = (bc >= np.quantile(b, qb)) & (bc > 0)
        spanner = (share >= share_min) & (external_contacts >= spanner_contacts) & (volume > 0)
        peripheral = volume <= np.quantile(v, qp)
        choice = np.select([connector, broker, spanner, peripheral], [0, 1, 2, 3], default=4)
        for i in np.flatnonzero(staff).tolist():
            rows[nodes[i]] = {
                "role": ROLES[int(choice[i])],
                "volume": float(volume[i]),
                "contacts": float(contacts[i]),
                "betweenness": float(bc[i]),
                "external_share": float(share[i]),
                "external_contacts": float(external_contacts[i]),
                "shared_service": bool(service[i]),
            }
    return NodeTable(
        rows,
        columns=columns,
        name=func,
        description=f"Cross & Prusak roles (groups by {by!r})",
    )
