"""Minimal cut sets: the bus factor of a customer.

The bus factor is the size of the smallest set of stakeholders whose joint
absence leaves a customer unserved under the failure rule of
`intcust.metrics.fragility.failure` (AND across deliverables, OR among the suppliers of
one deliverable). Single points of failure answer size 1; OR-only supply
graphs reduce to a minimum vertex cut (a maximum flow); mixed AND/OR joins
need a bounded search over *supports*, with proven bounds when the search is
cut short.
"""

from __future__ import annotations

from collections.abc import Hashable

import networkx as nx
import numpy as np
from numpy.typing import NDArray

from intcust._params import check_graph, check_int, keyword_only, person_level
from intcust.errors import ParameterError
from intcust.graph.compiled import CompiledOrg, as_compiled
from intcust.metrics.fragility.failure import (
    NO_UNIT_LEVEL,
    FailureGraph,
    gate_sets,
    propagate,
)
from intcust.results import NodeTable

__all__ = ["bus_factor"]

IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]


def _min_cut_or(F: FailureGraph, t: int) -> list[int]:
    """Minimum vertex cut between the sources and `t` (acyclic, OR joins only).

    Each node v becomes an arc ``v_in -> v_out`` of capacity 1 (infinite for t);
    a virtual source feeds ``v_in`` of every node without blocking inputs. The
    cut is read from the residual graph of a maximum flow.
    """
    n = F.n
    big = n + 1
    has_input = np.zeros(n, bool)
    has_input[F.dst] = True
    sources = np.flatnonzero(~has_input)
    s, sink = 2 * n, 2 * t
    rows = np.r_[2 * np.arange(n), 2 * F.src + 1, np.full(len(sources), s)]
    cols = np.r_[2 * np.arange(n) + 1, 2 * F.dst, 2 * sources]
    cap = np.r_[np.where(np.arange(n) == t, big, 1), np.full(len(F.src) + len(sources), big)]
    from scipy.sparse import csr_array
    from scipy.sparse.csgraph import maximum_flow

    m = csr_array((cap.astype(np.int32), (rows, cols)), shape=(2 * n + 1, 2 * n + 1))
    flow = maximum_flow(m, s, sink).flow
    residual = (m - flow).tocsr()
    residual.data = (residual.data > 0).astype(np.int8)
    residual.eliminate_zeros()
    reach = np.zeros(2 * n + 1, bool)
    reach[s] = True
    frontier = np.array([s])
    while frontier.size:
        nxt = np.unique(residual[frontier].indices)
        frontier = nxt[~reach[nxt]]
        reach[frontier] = True
    return [int(v) for v in np.flatnonzero(reach[0 : 2 * n : 2] & ~reach[1 : 2 * n : 2])]


class _Supports:
    """Small supports of a target: sets that keep it served while none is absent.

    A support of t contains t and, for each deliverable of each member, one
    supplier that is also a member. If no member is absent, no member can
    fail (by induction over the failure rule), so every set that leaves t
    unserved contains a member of every support: a hitting-set argument that
    bounds the exhaustive search (Downey and Fellows, 1999, §3.1).
    """

    def __init__(self, F: FailureGraph, t: int) -> None:
        self.F, self.t = F, t
        order = np.lexsort((F.group, F.dst))
        self.member = F.src[order]
        g = F.group[order]
        self.group_ptr = (
            np.flatnonzero(np.r_[True, g[1:] != g[:-1], True])
            if len(g)
            else (np.zeros(1, np.int64))
        )
        gdst = F.dst[order][self.group_ptr[:-1]]
        self.node_ptr = np.searchsorted(gdst, np.arange(F.n + 1))
        self.level = np.zeros(F.n, dtype=np.int64)
        for k, lv in enumerate(F.levels):
            self.level[lv.nodes] = k

    def support(self, alive: BoolArray) -> list[int]:
        """One support of t among `alive` nodes, preferring members already chosen,
        then suppliers nearest the sources (short chains); t itself left out."""
        inside = np.zeros(self.F.n, dtype=bool)
        inside[self.t] = True
        stack, out = [self.t], []
        while stack:
            v = stack.pop()
            for gi in range(int(self.node_ptr[v]), int(self.node_ptr[v + 1])):
                mem = self.member[self.group_ptr[gi] : self.group_ptr[gi + 1]]
                mem = mem[alive[mem]]
                if inside[mem].any():
                    continue
                u = int(mem[np.argmin(self.level[mem])])
                inside[u] = True
                out.append(u)
                stack.append(u)
        return out

    def search(self, size: int, budget: int) -> list[int] | bool | None:
        """A set of `size` nodes that leaves t unserved; None if none exists
        (given that no smaller set does); False past `budget` branches.

        The first ``size - 1`` members branch on supports; the last one is
        any node of t's gate set once those are absent.
        """
        n, t = self.F.n, self.t
        target = np.array([t])
        partial: set[frozenset[int]] = {frozenset()}
        spent = 0
        for depth in range(size):
            last = depth == size - 1
            grown: set[frozenset[int]] = set()
            for base in partial:
                spent += 1
                if spent > budget:
                    return False
                removed = np.zeros((1, n), dtype=bool)
                removed[0, list(base)] = True
                alive = ~propagate(self.F, removed)[0]
                if last:
                    _, gate = gate_sets(self.F, target, alive=alive)
                    gate = gate[gate != t]
                    if gate.size:
                        return sorted([*base, int(gate[0])])
                else:
                    grown.update(base | {u} for u in self.support(alive) if u not in base)
            partial = grown
        return None


@keyword_only("customer")
def bus_factor(
    G: nx.DiGraph | CompiledOrg,
    *,
    customer: Hashable | None = None,
    deliverable: Hashable | None = None,
    max_size: int = 3,
    max_sets: int = 1_000,
    level: str = "person",
) -> NodeTable:
    """The fewest stakeholders whose joint absence leaves a customer unserved.

    Parameters
    ----------
    G : networkx.DiGraph or CompiledOrg
        The organisation, or its compiled form.
    customer : node, optional
        The stakeholder to protect; by default every external customer.
    deliverable : hashable, optional
        Only this deliverable into `customer` (needs `customer`): the fewest
        absences that cut off every supplier of it.
    max_size : int, optional
        Largest set size searched exhaustively when joins mix AND and OR.
    max_sets : int, optional
        Most branches of that search per size before falling back to bounds.
    level : {"person"}, optional
        Only ``"person"``: the failure rule follows each person's
        deliverables, which the unit-level organisation does not keep.

    Returns
    -------
    NodeTable
        One row per customer: ``bus_factor`` (the size found: exact, or an
        upper bound), ``lower`` (a proven lower bound), ``exact``, ``set``
        (one such set of stakeholders) and ``method``. A customer that needs
        no blocking input cannot be cut off: its size and bound are None.

    Raises
    ------
    UnknownNodeError
        If `customer` is not in `G`.
    ParameterError
        If `deliverable` is given without `customer`, `customer` receives
        no blocking service with that deliverable, or ``level="unit"``.

    Examples
    --------
    >>> import intcust as ic
    >>> bf = ic.metrics.bus_factor(ic.datasets.email_campaign())
    >>> bf["customers"]["bus_factor"], bf["customers"]["set"]
    (1, ('campaign',))

    Notes
    -----
    The customer itself is never counted. The steps, cheapest first:

    1. Size 1: the gate sets of `single_points_of_failure`.
    2. When the customer's blocking ancestors form an acyclic graph with OR
       joins only, the answer is a minimum vertex cut between the nodes
       without inputs and the customer (Menger's theorem), found exactly by
       a maximum flow on the node-split graph in polynomial time.
    3. Otherwise it is the smallest minimal cut set of a fault tree, which is
       NP-hard in general. Sizes 2 to `max_size` are searched exactly with a
       bounded search tree: every cutting set contains a member of every
       *support* of the customer (a set that keeps it served while none of
       its members is absent), so the search branches on the members of one
       small support, removes one, finds a support of what is left, and so
       on; the last member is found at once among the gate sets of what is
       left. The cost is about s**(k-1) branches, each a failure
       propagation and a gate-set pass, for supports of s members, and the
       search stops after `max_sets` branches. Beyond that the row
       gives ``lower``
       (one more than the largest size ruled out) and an upper bound with
       its set: the smaller of the suppliers of the customer's easiest
       deliverable and, without lagged loops, the minimum vertex cut of the
       graph with every join read as OR (a set that cuts off all suppliers
       also cuts off every deliverable).

    References
    ----------
    .. [1] W. E. Vesely et al., *Fault Tree Handbook*, NUREG-0492, U.S.
       Nuclear Regulatory Commission, 1981 (minimal cut sets).
    .. [2] K. Menger, "Zur allgemeinen Kurventheorie", Fund. Math. 10, 1927.
    .. [3] R. G. Downey and M. R. Fellows, *Parameterized Complexity*,
       Springer, 1999 (bounded search trees for hitting sets).
    """
    func = "bus_factor"
    person_level(level, func=func, why=NO_UNIT_LEVEL)
    max_size = check_int(max_size, func=func, param="max_size", minimum=1)
    max_sets = check_int(max_sets, func=func, param="max_sets", minimum=1)
    check_graph(G, func=func, compiled=True)
    C = as_compiled(G, func=func)
    if customer is None:
        if deliverable is not None:
            raise ParameterError(
                f"The 'deliverable' parameter of {func} needs a 'customer'; got {deliverable!r} "
                "without one."
            )
        targets = C.external
    else:
        targets = np.array([C.node_id(customer, func=func, param="customer")])
    F = FailureGraph.from_compiled(C)
    if deliverable is not None:
        t0 = int(targets[0])
        code = C.deliverables.index(deliverable) if deliverable in C.deliverables else -2
        into = C.blocking & (C.dst == t0)
        drop = into & (C.deliverable != code)
        if not (into & (C.deliverable == code)).any():
            raise ParameterError(
                f"The 'deliverable' parameter of {func} must name a blocking deliverable into "
                f"{customer!r}; got {deliverable!r}."
            )
        keep = np.flatnonzero(C.blocking & ~drop)
        F = FailureGraph.build(C.n_nodes, C.src[keep], C.dst[keep], C.join[keep])
    owner, gate = gate_sets(F, targets)
    rows = {}
    for i, t in enumerate(targets):
        single = gate[(owner == i) & (gate != t)]
        rows[C.nodes[t]] = _one(F, int(t), single, max_size, max_sets, C)
    return NodeTable(
        rows,
        columns=("bus_factor", "lower", "exact", "set", "method"),
        name="bus factor",
        description="fewest stakeholders whose joint absence leaves the customer unserved",
    )


def _row(
    size: int | None, lower: int | None, found: list[int], method: str, C: CompiledOrg
) -> dict[str, object]:
    return {
        "bus_factor": size,
        "lower": lower,
        "exact": size is not None and size == lower,
        "set": tuple(C.names(sorted(found))),
        "method": method,
    }


def _one(
    F: FailureGraph, t: int, single: IntArray, max_size: int, max_sets: int, C: CompiledOrg
) -> dict[str, object]:
    if single.size:
        nearest = int(single[np.argmax(C.level[single])])  # the one closest to the customer
        return _row(1, 1, [nearest], "single point of failure", C)
    sub, ids = F.restrict(F.ancestors(np.array([t])))
    tt = int(np.searchsorted(ids, t))
    into = sub.dst == tt
    if not into.any():
        return _row(None, None, [], "needs no blocking input", C)
    # upper bound 1: every supplier of the customer's smallest deliverable group
    sizes = np.bincount(sub.group[into])
    best = int(np.flatnonzero(sizes == sizes[sizes > 0].min())[0])
    upper = [int(v) for v in sub.src[into & (sub.group == best)]]
    method = "all suppliers of one deliverable"
    n_groups = np.bincount(sub.dst[np.unique(sub.group, return_index=True)[1]], minlength=sub.n)
    or_only = bool((n_groups <= 1).all())
    if not sub.cyclic:
        cut = _min_cut_or(sub, tt)
        if or_only:
            return _row(len(cut), len(cut), [int(ids[v]) for v in cut], "minimum vertex cut", C)
        if len(cut) < len(upper):
            upper, method = cut, "vertex cut with every join read as OR"
    lower = 2
    supports = _Supports(sub, tt)
    for size in range(2, min(max_size, len(upper) - 1) + 1):
        found = supports.search(size, max_sets)
        if found is False:
            break
        if isinstance(found, list):
            return _row(size, size, [int(ids[v]) for v in found], "support search", C)
        lower = size + 1
    if lower >= len(upper):
        found_set = [int(ids[v]) for v in upper]
        return _row(len(upper), len(upper), found_set, f"{method}; search rules out fewer", C)
    return _row(len(upper), lower, [int(ids[v]) for v in upper], f"bound: {method}", C)
