"""`contribution`: each stakeholder's fair share of what the paying customers receive.

The game: for a coalition S of stakeholders, v(S) is the total value of the
customers still served when only the stakeholders in S (and the customers)
are present, "served" following the AND/OR failure rule of
`intcust.metrics.fragility.failure`. A stakeholder's contribution is its
Shapley value in that game (Shapley, 1953).

v is a sum of one game per customer, ``value(c) · served_c(S)``, and each
depends only on the customer's blocking ancestors; the Shapley value is
additive and ignores null players, so each customer's game is solved on its
own ancestors: exactly by enumerating every coalition when they are few,
else by permutation sampling. Coalitions are evaluated many at a time, one
row of a removal matrix each, by `propagate`.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable
from dataclasses import dataclass

import networkx as nx
import numpy as np
from numpy.typing import NDArray

from intcust._params import Seed, check_choice, check_int, rng_from_seed
from intcust.errors import ParameterError
from intcust.graph.compiled import EXTERNAL, CompiledOrg, as_compiled
from intcust.graph.schema import EDGE_DEFAULTS, edge_services, is_blocking
from intcust.metrics.fragility.failure import FailureGraph, propagate
from intcust.metrics.service.contribution_result import Contribution

__all__ = ["DEFAULT_PERMUTATIONS", "EXACT_MAX", "contribution"]

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]

FUNC = "contribution"
#: A customer whose supply involves at most this many players is solved exactly.
EXACT_MAX = 14
#: Permutations drawn by default for customers with more players.
DEFAULT_PERMUTATIONS = 1000
#: Rows × nodes of one removal matrix handed to `propagate`.
_CELLS = 1 << 22


@dataclass(frozen=True, eq=False)
class _Game:
    """The players of the game and how to remove them from the organisation."""

    C: CompiledOrg
    F: FailureGraph
    labels: tuple[Hashable, ...]  #: the players (stakeholders, or units)
    player_of: IntArray  #: the player of each node, -1 for customers (always present)


def contribution(
    G: nx.DiGraph | CompiledOrg,
    *,
    value: str | None = "volume",
    customers: Iterable[Hashable] | None = None,
    level: str = "person",
    n: int | None = None,
    seed: Seed = None,
) -> Contribution:
    """Each stakeholder's fair share of the value the customers receive (Shapley value).

    Parameters
    ----------
    G : networkx.DiGraph or CompiledOrg
        The organisation.
    value : str or None, optional
        The service attribute that measures what a customer receives: a
        customer's value is the sum of it over the blocking services into
        the customer (default ``"volume"``; a service without it counts 1,
        the schema default). None counts each service once. A compiled
        organisation knows only ``"volume"`` and None.
    customers : iterable of nodes, optional
        The customers whose service counts; by default the external
        customers, or, in an organisation without any, the stakeholders
        that supply no one (where every chain ends). Customers are always
        present and are not players.
    level : {"person", "unit"}, optional
        Who the players are: stakeholders, or units (a unit is present or
        absent as a whole; a node without a unit is a unit of its own).
    n : int, optional
        Permutations to sample. By default each customer is solved exactly
        when at most `EXACT_MAX` players can reach it, and with
        `DEFAULT_PERMUTATIONS` permutations otherwise; an `n` samples every
        customer.
    seed : int, SeedSequence, Generator or None, optional
        The random stream of the permutations.

    Returns
    -------
    Contribution
        ``total`` (NodeScores: value owed to each player), ``std_error``,
        ``by_customer`` (NodeTable, one column per customer), ``value``
        (what each customer receives), ``served`` (v of everyone),
        ``unattributed`` (v of no one) and how each customer was solved.

    Raises
    ------
    ParameterError
        If `value` names an attribute no service into a customer carries,
        or holds a negative or non-numeric value, or an option is invalid.
    UnknownNodeError
        If a customer is not a node.
    SchemaError, CycleError
        If `G` breaks the schema.

    Notes
    -----
    With N the players and v the game above, the Shapley value is

    .. math:: \\phi_i = \\sum_{S \\subseteq N \\setminus \\{i\\}}
              \\frac{|S|!\\,(|N| - |S| - 1)!}{|N|!}\\,(v(S \\cup \\{i\\}) - v(S)),

    the average of i's marginal contribution over all orders in which the
    players could arrive. It is the only split that is efficient (the shares
    add up to ``v(N) - v(∅)``: what the customers receive, less what needs
    nobody), symmetric (interchangeable players get equal shares), gives a
    null player 0 and adds over games (Shapley, 1953). In a chain of k
    suppliers each gets 1/k of the customer's value; two interchangeable
    clerks fed by one supplier share what that supplier does not get:
    supplier 2/3, each clerk 1/6.

    *Exact.* Each customer's game is enumerated over every coalition of the
    players among its blocking ancestors, 2^k rows evaluated by `propagate`
    in a few calls, and weighted by the formula above.

    *Sampled.* The Shapley value is the mean marginal contribution over
    uniformly random orders of arrival (Castro, Gómez & Tejada, 2009). A
    permutation is evaluated as its sequence of growing coalitions
    (prefixes). Because a customer, once served, stays served as players
    join (the failure rule is monotone), only one player of each
    permutation changes a customer's service: the one whose arrival first
    serves it. That prefix is found by bisection, the (permutation,
    customer) pairs of each step evaluated together in one `propagate`
    call, about log2(players) calls in all instead of one row per prefix.
    The estimate is the mean over permutations, and ``std_error`` the
    standard deviation of a player's marginal contributions over sqrt(n),
    estimated from the same permutations: a player that rarely completes a
    customer's supply (a backup supplier) may be credited in none of them
    and get 0 ± 0, so its error is understated when n is small.

    References
    ----------
    .. [1] L. S. Shapley, "A value for n-person games", in Contributions to the
       Theory of Games II, Annals of Mathematics Studies 28, 307-317, 1953.
    .. [2] J. Castro, D. Gómez and J. Tejada, "Polynomial calculation of the
       Shapley value based on sampling", Computers & Operations Research
       36(5), 1726-1730, 2009.

    Examples
    --------
    >>> import intcust as ic
    >>> c = ic.metrics.contribution(ic.datasets.email_campaign())
    >>> c.served, c.exact
    (20000.0, True)
    >>> {k: round(v) for k, v in c.total.items()}
    {'designer': 5000, 'list keeper': 5000, 'sender': 5000, 'campaign': 5000}
    >>> c.explain("sender")
    'Of the 20,000 units of volume the customers receive, 5,000 (25%) are owed to sender.'
    """
    level = check_choice(level, ("person", "unit"), func=FUNC, param="level")
    if n is not None:
        n = check_int(n, func=FUNC, param="n", minimum=1)
    rng = rng_from_seed(seed, func=FUNC)
    C = as_compiled(G, func=FUNC)
    targets = _customers(C, customers)
    worth = _values(G, C, targets, value)
    game = _game(C, targets, level)
    k, m = len(targets), len(game.labels)
    phi = np.zeros((m, k))
    variance = np.zeros(m)
    exact = np.ones(k, bool)
    alone = _served(game, np.zeros((1, m), bool))[0, targets]
    reach = _ancestor_players(game, targets)
    sample: list[int] = []
    for j in np.flatnonzero((worth > 0) & ~alone).tolist():
        players = np.flatnonzero(reach[:, j])
        if n is None and len(players) <= EXACT_MAX:
            phi[players, j] = worth[j] * _exact(game, int(targets[j]), players)
        else:
            sample.append(j)
            exact[j] = False
    draws = 0
    if sample:
        draws = DEFAULT_PERMUTATIONS if n is None else n
        cols = np.asarray(sample, dtype=np.int64)
        phi[:, cols], variance = _sampled(game, targets[cols], worth[cols], draws, rng)
    return Contribution.build(
        players=game.labels,
        customers=tuple(C.names(targets)),
        worth=worth,
        alone=alone,
        phi=phi,
        variance=variance,
        exact=exact,
        n=draws,
        level=level,
        value=value,
    )


def _customers(C: CompiledOrg, customers: Iterable[Hashable] | None) -> IntArray:
    if customers is None:
        ext = C.external
        if len(ext):
            return ext
        supplies = np.zeros(C.n_nodes, bool)
        supplies[C.src[C.blocking]] = True
        return np.flatnonzero(~supplies)
    if isinstance(customers, str) or not isinstance(customers, Iterable):
        raise ParameterError(
            f"The 'customers' parameter of {FUNC} must be an iterable of nodes; got {customers!r}."
        )
    ids = [C.node_id(c, func=FUNC, param="customers") for c in customers]
    return np.unique(np.asarray(ids, dtype=np.int64))


def _values(
    G: nx.DiGraph | CompiledOrg, C: CompiledOrg, targets: IntArray, value: str | None
) -> FloatArray:
    """What each customer receives: `value` summed over its blocking services."""
    into = C.blocking & np.isin(C.dst, targets)
    slot = np.searchsorted(targets, C.dst[into])
    if value is None or value == "volume":
        w = np.ones(int(into.sum())) if value is None else C.volume[into]
        return np.bincount(slot, weights=w, minlength=len(targets)).astype(np.float64)
    if not isinstance(value, str):
        raise ParameterError(
            f"The 'value' parameter of {FUNC} must be a service attribute name or None; "
            f"got {value!r}."
        )
    if isinstance(G, CompiledOrg):
        raise ParameterError(
            f"The 'value' parameter of {FUNC} must be 'volume' or None for a compiled "
            f"organisation; got {value!r}."
        )
    out = np.zeros(len(targets))
    default = EDGE_DEFAULTS.get(value)
    seen = False
    for j, c in enumerate(C.names(targets)):
        for u, _, data in G.in_edges(c, data=True):
            for service in edge_services(data):
                if not is_blocking(service, with_lag=True):
                    continue
                raw = service.get(value)
                seen |= raw is not None
                x = (1.0 if default is None else default) if raw is None else raw
                bad = isinstance(x, bool) or not isinstance(x, int | float)
                if bad or not (math.isfinite(x) and x >= 0):
                    raise ParameterError(
                        f"{value} of edge {(u, c)!r} must be a finite number >= 0 for {FUNC} "
                        f"(see its 'value' parameter); got {raw!r}."
                    )
                out[j] += float(x)
    if not seen and len(targets):
        raise ParameterError(
            f"The 'value' parameter of {FUNC} must name an attribute of the services into "
            f"the customers; none carries {value!r}."
        )
    return out


def _game(C: CompiledOrg, targets: IntArray, level: str) -> _Game:
    is_customer = np.zeros(C.n_nodes, bool)
    is_customer[targets] = True
    if level == "person":
        keys: list[Hashable] = list(C.nodes)
    else:
        keys = [
            C.nodes[i] if C.unit[i] < 0 or C.kind[i] == EXTERNAL else C.units[C.unit[i]]
            for i in range(C.n_nodes)
        ]
    codes: dict[Hashable, int] = {}
    player_of = np.full(C.n_nodes, -1, dtype=np.int64)
    for i in np.flatnonzero(~is_customer).tolist():
        player_of[i] = codes.setdefault(keys[i], len(codes))
    return _Game(C, FailureGraph.from_compiled(C), tuple(codes), player_of)


def _ancestor_players(game: _Game, targets: IntArray) -> BoolArray:
    """players × customers: whether a member of the player has a blocking path to it."""
    C = game.C
    b = C.blocking
    n = C.n_nodes
    from scipy.sparse import csgraph, csr_matrix

    back = csr_matrix((np.ones(int(b.sum())), (C.dst[b], C.src[b])), shape=(n, n))
    out = np.zeros((len(game.labels), len(targets)), bool)
    for j, t in enumerate(targets.tolist()):
        reached = csgraph.breadth_first_order(back, t, directed=True, return_predecessors=False)
        p = game.player_of[reached]
        out[p[p >= 0], j] = True
    return out


def _served(game: _Game, present: BoolArray) -> BoolArray:
    """coalitions × nodes: who is served when only the players marked in `present` are."""
    n = game.C.n_nodes
    inside = game.player_of >= 0
    out = np.ones((len(present), n), bool)
    step = max(1, _CELLS // max(n, present.shape[1], 1))
    for i in range(0, len(present), step):
        absent = np.zeros((len(present[i : i + step]), n), bool)
        absent[:, inside] = ~present[i : i + step][:, game.player_of[inside]]
        out[i : i + step] = ~propagate(game.F, absent)
    return out


def _exact(game: _Game, target: int, players: IntArray) -> FloatArray:
    """The Shapley value of each of `players` in the 0/1 game "target is served"."""
    k = len(players)
    masks = np.arange(1 << k, dtype=np.int64)
    bits = ((masks[:, None] >> np.arange(k)) & 1).astype(bool)
    present = np.zeros((len(masks), len(game.labels)), bool)
    present[:, players] = bits
    served = _served(game, present)[:, target].astype(np.float64)
    size = bits.sum(axis=1)
    # a coalition of s others, joined by the player: weight s! (k - s - 1)! / k!
    weight = np.array([math.factorial(s) * math.factorial(k - s - 1) for s in range(k)])
    weight = weight / math.factorial(k)
    out = np.empty(k)
    for i in range(k):
        without = masks[~bits[:, i]]
        gain = served[without | (1 << i)] - served[without]
        out[i] = float(np.dot(weight[size[without]], gain))
    return out


def _sampled(
    game: _Game,
    targets: IntArray,
    worth: FloatArray,
    draws: int,
    rng: np.random.Generator,
) -> tuple[FloatArray, FloatArray]:
    """Per customer, each player's mean marginal value; per player, the variance of its total.

    Each permutation serves customer c at one prefix length, the first whose
    coalition serves it; the player arriving there gets ``worth[c]``. That
    length is found by bisection, all (permutation, customer) pairs of a
    step evaluated together.
    """
    m, k = len(game.labels), len(targets)
    order = rng.permuted(np.tile(np.arange(m, dtype=np.int64), (draws, 1)), axis=1)
    pos = np.empty_like(order)
    np.put_along_axis(pos, order, np.arange(m, dtype=np.int64)[None, :], axis=1)
    perm = np.repeat(np.arange(draws), k)
    cust = np.tile(np.arange(k), draws)
    lo = np.ones(len(perm), dtype=np.int64)
    hi = np.full(len(perm), m, dtype=np.int64)
    step = max(1, _CELLS // max(game.C.n_nodes, m, 1))
    while True:
        active = np.flatnonzero(lo < hi)
        if not len(active):
            break
        mid = (lo[active] + hi[active]) // 2
        ok = np.empty(len(active), bool)
        for i in range(0, len(active), step):
            rows = active[i : i + step]
            served = _served(game, pos[perm[rows]] < mid[i : i + step, None])
            ok[i : i + step] = served[np.arange(len(rows)), targets[cust[rows]]]
        hi[active] = np.where(ok, mid, hi[active])
        lo[active] = np.where(ok, lo[active], mid + 1)
    pivot = order[perm, lo - 1]
    mean = np.zeros((m, k))
    np.add.at(mean, (pivot, cust), worth[cust] / draws)
    # a player's total in one permutation: the worth of every customer it pivots
    key, total = np.unique(perm * m + pivot, return_inverse=True)
    per_draw = np.bincount(total.reshape(-1), weights=worth[cust])
    sq = np.bincount(key % m, weights=per_draw**2, minlength=m)
    avg = mean.sum(axis=1)
    variance = np.maximum(sq / draws - avg**2, 0.0) / max(draws - 1, 1)
    return mean, variance
