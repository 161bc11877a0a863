"""Failure propagation, single points of failure and the bus factor.

The failure rule follows the timing semantics (DESIGN §1): a stakeholder is
*unserved* when it is absent, or when some deliverable it needs has lost every
alternative supplier — AND across deliverables, OR among the suppliers of one
deliverable. Only blocking edges count. Lagged blocking edges (recurring
hand-offs, ``lag >= 1``) count as well: a supplier that stops for good starves
its customer from round ``k + lag`` on, so in the steady state it is a supplier
like any other.

With lagged edges the supply graph may have cycles. The unserved set is then
the *least* fixed point of the rule, starting from the absent stakeholders: a
loop whose members all stay present keeps supplying itself (each round of a
recurring process is primed by the round before), and it fails only when the
loss of a member or of its outside supply reaches it.

Everything runs on the compiled arrays, level by level over the topological
levels of the supply graph's strongly connected components; Python loops run
over levels, never over nodes, edges or removal scenarios.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass

import networkx as nx
import numpy as np
from numpy.typing import NDArray
from scipy.sparse import csr_array, csr_matrix
from scipy.sparse.csgraph import connected_components, maximum_flow

from intcust._params import check_int
from intcust.errors import ParameterError, UnknownNodeError
from intcust.graph.compile import CompiledOrg, _levels, compile
from intcust.results import NodeTable

__all__ = [
    "FailureGraph",
    "as_compiled",
    "bus_factor",
    "gate_sets",
    "propagate",
    "single_points_of_failure",
]

IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]


def as_compiled(G: nx.DiGraph | CompiledOrg, func: str) -> CompiledOrg:
    """`G` itself when already compiled, else ``compile(G)`` (checked)."""
    if isinstance(G, CompiledOrg):
        return G
    if not isinstance(G, nx.DiGraph):
        raise ParameterError(
            f"The 'G' parameter of {func} must be a networkx.DiGraph or a CompiledOrg; "
            f"got {type(G).__name__}."
        )
    return compile(G)


def node_index(C: CompiledOrg, node: Hashable, *, func: str, param: str) -> int:
    """The id of `node`, or `UnknownNodeError` naming `param` of `func`."""
    try:
        return C.index[node]
    except (KeyError, TypeError):
        raise UnknownNodeError(
            f"The {param!r} parameter of {func} must name a node of the organisation; "
            f"got {node!r}."
        ) from None


@dataclass(frozen=True, eq=False)
class _Level:
    nodes: IntArray  #: the level's nodes
    targets: IntArray  #: level nodes that need at least one deliverable, one per AND block
    members: IntArray  #: suppliers, sorted by (target, group)
    group_starts: IntArray  #: offsets in `members` where an OR group starts
    group_size: IntArray
    member_group: IntArray  #: the group of each member
    group_target: IntArray  #: index into `targets` of each group
    target_starts: IntArray  #: offsets in the groups where a target starts
    cyclic: bool  #: whether suppliers inside the level feed it (a lagged loop)


@dataclass(frozen=True, eq=False)
class FailureGraph:
    """The blocking supply graph as AND/OR groups, in topological levels.

    Build one with `FailureGraph.from_compiled`; `propagate` and `gate_sets`
    run on it.
    """

    n: int
    src: IntArray  #: supplier of each blocking edge
    dst: IntArray  #: customer of each blocking edge
    group: IntArray  #: (customer, deliverable) group of each edge
    levels: tuple[_Level, ...]
    cyclic: bool  #: whether lagged edges close a loop

    @classmethod
    def from_compiled(cls, C: CompiledOrg) -> FailureGraph:
        """The failure graph of a compiled organisation (every blocking edge)."""
        keep = np.flatnonzero(C.blocking)
        return cls.build(C.n_nodes, C.src[keep], C.dst[keep], C.join[keep])

    @classmethod
    def build(cls, n: int, src: IntArray, dst: IntArray, key: IntArray) -> FailureGraph:
        """A failure graph on nodes ``0..n-1``; edges with equal `key` are alternatives."""
        _, group = np.unique(key, return_inverse=True)
        group = group.astype(np.int64)
        ncomp, comp = connected_components(
            csr_matrix((np.ones(len(src)), (src, dst)), shape=(n, n)), connection="strong"
        )
        comp = comp.astype(np.int64)
        inter = comp[src] != comp[dst]
        level = _levels(ncomp, comp[src][inter], comp[dst][inter])[comp]
        cyclic_edge = level[src] == level[dst]
        order = np.lexsort((group, dst, level[dst]))
        s, d, g = src[order], dst[order], group[order]
        lv = level[d]
        nodes_order = np.argsort(level, kind="stable")
        node_ptr = np.searchsorted(level[nodes_order], np.arange(int(level.max(initial=-1)) + 2))
        edge_ptr = np.searchsorted(lv, np.arange(int(level.max(initial=-1)) + 2))
        levels = []
        for k in range(len(node_ptr) - 1):
            lo, hi = int(edge_ptr[k]), int(edge_ptr[k + 1])
            ms, md, mg = s[lo:hi], d[lo:hi], g[lo:hi]
            new_group = np.r_[True, mg[1:] != mg[:-1]] if len(mg) else np.zeros(0, bool)
            group_starts = np.flatnonzero(new_group)
            gt = md[group_starts]
            new_target = np.r_[True, gt[1:] != gt[:-1]] if len(gt) else np.zeros(0, bool)
            target_starts = np.flatnonzero(new_target)
            levels.append(
                _Level(
                    nodes=nodes_order[node_ptr[k] : node_ptr[k + 1]].astype(np.int64),
                    targets=gt[target_starts],
                    members=ms,
                    group_starts=group_starts,
                    group_size=np.diff(np.r_[group_starts, len(ms)]),
                    member_group=np.cumsum(new_group) - 1,
                    group_target=np.cumsum(new_target) - 1,
                    target_starts=target_starts,
                    cyclic=bool(cyclic_edge[order][lo:hi].any()),
                )
            )
        return cls(n, src, dst, group, tuple(levels), bool(cyclic_edge.any()))

    def ancestors(self, targets: IntArray) -> BoolArray:
        """Mask of the nodes with a blocking path to any of `targets` (targets included)."""
        mask = np.zeros(self.n, dtype=bool)
        mask[targets] = True
        pred = csr_matrix((np.ones(len(self.src), bool), (self.dst, self.src)), (self.n, self.n))
        frontier = np.unique(targets)
        while frontier.size:
            nxt = np.unique(pred[frontier].indices).astype(np.int64)
            frontier = nxt[~mask[nxt]]
            mask[frontier] = True
        return mask

    def restrict(self, keep: BoolArray) -> tuple[FailureGraph, IntArray]:
        """The failure graph on the nodes of `keep` (and the edges among them), new ids."""
        ids = np.flatnonzero(keep)
        new = np.full(self.n, -1, dtype=np.int64)
        new[ids] = np.arange(len(ids))
        e = keep[self.src] & keep[self.dst]
        return FailureGraph.build(len(ids), new[self.src[e]], new[self.dst[e]], self.group[e]), ids


def propagate(F: FailureGraph, removed: BoolArray) -> BoolArray:
    """Which stakeholders end unserved, for many removal scenarios at once.

    Parameters
    ----------
    F : FailureGraph
        The supply graph.
    removed : bool array of shape (S, n)
        One row per scenario: the stakeholders that are absent.

    Returns
    -------
    bool array of shape (S, n)
        The least fixed point of the failure rule from `removed`.

    Examples
    --------
    >>> import numpy as np
    >>> import intcust as ic
    >>> C = ic.compile(ic.datasets.email_campaign())
    >>> F = FailureGraph.from_compiled(C)
    >>> removed = np.zeros((1, C.n_nodes), bool)
    >>> removed[0, C.index["list keeper"]] = True
    >>> C.names(np.flatnonzero(propagate(F, removed)[0]))
    ['list keeper', 'sender', 'campaign', 'customers']
    """
    failed = np.array(removed, dtype=bool, copy=True)
    for lv in F.levels:
        if not len(lv.members):
            continue
        while True:
            hit = np.add.reduceat(failed[:, lv.members], lv.group_starts, axis=1)
            dead_group = hit == lv.group_size
            dead = np.logical_or.reduceat(dead_group, lv.target_starts, axis=1)
            before = failed[:, lv.targets]
            after = before | dead
            failed[:, lv.targets] = after
            if not lv.cyclic or np.array_equal(before, after):
                break
    return failed


class _Rows:
    """Sorted integer sets, one per node, stored in one growing buffer."""

    def __init__(self, n: int) -> None:
        self.buf = np.arange(n, dtype=np.int64)  # every node starts as {itself}
        self.used = n
        self.start = np.arange(n, dtype=np.int64)
        self.length = np.ones(n, dtype=np.int64)

    def gather(self, rows: IntArray) -> tuple[IntArray, IntArray]:
        """Concatenated members of `rows` and, for each, its position in `rows`."""
        lengths = self.length[rows]
        total = int(lengths.sum())
        owner = np.repeat(np.arange(len(rows)), lengths)
        offset = np.arange(total) - np.repeat(np.cumsum(lengths) - lengths, lengths)
        return self.buf[self.start[rows][owner] + offset], owner

    def store(self, rows: IntArray, owner: IntArray, values: IntArray) -> None:
        """Replace the sets of `rows` (values sorted by owner)."""
        need = self.used + len(values)
        if need > len(self.buf):
            grown = np.empty(max(need, 2 * len(self.buf)), dtype=np.int64)
            grown[: self.used] = self.buf[: self.used]
            self.buf = grown
        self.buf[self.used : need] = values
        counts = np.bincount(owner, minlength=len(rows))
        self.start[rows] = self.used + np.cumsum(counts) - counts
        self.length[rows] = counts
        self.used = need


def gate_sets(
    F: FailureGraph, targets: IntArray, *, alive: BoolArray | None = None
) -> tuple[IntArray, IntArray]:
    """For each target, every stakeholder whose absence alone leaves it unserved.

    The gate set of v, the stakeholders whose single absence leaves v
    unserved, obeys

    .. math:: \\mathrm{gate}(v) = \\{v\\} \\cup \\bigcup_{g \\ni v}
              \\bigcap_{u \\in g} \\mathrm{gate}(u)

    over the deliverable groups g of v (AND: union over deliverables; OR:
    intersection over alternative suppliers). It is the AND/OR generalisation
    of dominators: with OR joins only it is the dominator set of v from a root
    feeding every node without blocking inputs (Lengauer and Tarjan, 1979);
    with one supplier per deliverable it is every blocking ancestor. Sets are
    computed once per node in topological order (and iterated to the least
    fixed point inside a lagged loop), never by removing nodes in turn.

    Parameters
    ----------
    F : FailureGraph
    targets : int array
        Node ids whose gate sets are wanted.
    alive : bool array, optional
        The nodes still served after some absences (see `propagate`); the
        others are left out, which gives the gate sets in what remains.
        The targets must be alive. Every alive node is processed, so pass a
        graph restricted to the targets' ancestors (`FailureGraph.restrict`).

    Returns
    -------
    (target, gate) : two int arrays
        The pairs ``(i, x)``: ``x`` alone gates ``targets[i]``; ``x`` may
        be the target itself.

    Notes
    -----
    Time and memory are proportional to the total size of the gate sets
    of the targets' ancestors, times a log factor for sorting.
    """
    targets = np.asarray(targets, dtype=np.int64)
    live = F.ancestors(targets) if alive is None else alive
    rows = _Rows(F.n)
    n = F.n
    for lv in F.levels:
        if not len(lv.members) or not live[lv.targets].any():
            continue
        members, member_group, size = lv.members, lv.member_group, lv.group_size
        if alive is not None:
            keep = alive[members]
            members, member_group = members[keep], member_group[keep]
            size = np.bincount(member_group, minlength=len(size))
        while True:
            vals, owner = rows.gather(members)
            gid = member_group[owner]
            keys, counts = np.unique(gid * n + vals, return_counts=True)
            kept_gid = keys // n
            whole = counts == size[kept_gid]
            tgt = lv.group_target[kept_gid[whole]]
            union = np.unique(
                np.r_[tgt * n + keys[whole] % n, np.arange(len(lv.targets)) * n + lv.targets]
            )
            owner_t, values = union // n, union % n
            old = rows.length[lv.targets].copy()
            rows.store(lv.targets, owner_t, values)
            if not lv.cyclic or np.array_equal(old, rows.length[lv.targets]):
                break
    vals, owner = rows.gather(targets)
    return owner, vals


def _demand(C: CompiledOrg) -> NDArray[np.float64]:
    """Volume each node receives over its blocking services (what it stands to lose)."""
    b = C.blocking
    return np.bincount(C.dst[b], weights=C.volume[b], minlength=C.n_nodes).astype(np.float64)


def single_points_of_failure(
    G: nx.DiGraph | CompiledOrg, customer: Hashable | None = None
) -> NodeTable:
    """The stakeholders whose absence alone leaves a customer unserved.

    Parameters
    ----------
    G : networkx.DiGraph or CompiledOrg
        The organisation, or its compiled form.
    customer : node, optional
        The node to protect (any stakeholder). By default every external
        customer at once.

    Returns
    -------
    NodeTable
        One row per stakeholder other than the customers themselves, ranked
        by the volume at stake: ``customers`` (the customers it alone gates,
        in node order), ``n_customers``, and ``volume`` (the blocking volume
        those customers receive, summed: the demand at stake).

    Raises
    ------
    UnknownNodeError
        If `customer` is not in `G`.
    SchemaError
        If `G` breaks the schema.

    Examples
    --------
    >>> import intcust as ic
    >>> spof = ic.metrics.single_points_of_failure(ic.datasets.email_campaign())
    >>> spof["list keeper"]["customers"]
    ('customers',)
    >>> [n for n in spof if spof[n]["n_customers"]]
    ['designer', 'list keeper', 'sender', 'campaign']

    Notes
    -----
    A deliverable with two suppliers removes both from the answer unless
    something upstream feeds them both; with OR joins only, the answer is
    the set of dominators (Lengauer and Tarjan, 1979). See `gate_sets` for
    the recursion, which handles every customer in one pass.

    References
    ----------
    .. [1] T. Lengauer and R. E. Tarjan, "A fast algorithm for finding
       dominators in a flowgraph", ACM TOPLAS 1(1), 121-141, 1979.
    """
    func = "single_points_of_failure"
    C = as_compiled(G, func)
    if customer is None:
        targets = C.external
    else:
        targets = np.array([node_index(C, customer, func=func, param="customer")])
    owner, gate = gate_sets(FailureGraph.from_compiled(C), targets)
    other = gate != targets[owner]
    owner, gate = owner[other], gate[other]
    demand = _demand(C)[targets]
    order = np.lexsort((targets[owner], gate))
    owner, gate = owner[order], gate[order]
    ptr = np.searchsorted(gate, np.arange(C.n_nodes + 1))
    volume = np.bincount(gate, weights=demand[owner], minlength=C.n_nodes)
    count = np.diff(ptr)
    is_target = np.zeros(C.n_nodes, bool)
    is_target[targets] = True
    rank = np.lexsort((np.arange(C.n_nodes), -count, -volume))
    rows = {}
    for i in rank[~is_target[rank]]:
        rows[C.nodes[i]] = {
            "customers": tuple(C.names(targets[owner[ptr[i] : ptr[i + 1]]])),
            "n_customers": int(count[i]),
            "volume": float(volume[i]),
        }
    return NodeTable(
        rows,
        columns=("customers", "n_customers", "volume"),
        name="single points of failure",
        description="customers each stakeholder alone leaves unserved, and the volume at stake",
    )


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


def bus_factor(
    G: nx.DiGraph | CompiledOrg,
    customer: Hashable | None = None,
    *,
    deliverable: Hashable | None = None,
    max_size: int = 3,
    max_sets: int = 1_000,
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
        If `deliverable` is given without `customer`, or `customer` receives
        no blocking service with that deliverable.

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
    max_size = check_int(max_size, func=func, param="max_size", minimum=1)
    max_sets = check_int(max_sets, func=func, param="max_sets", minimum=1)
    C = as_compiled(G, func)
    if customer is None:
        if deliverable is not None:
            raise ParameterError(
                f"The 'deliverable' parameter of {func} needs a 'customer'; got {deliverable!r} "
                "without one."
            )
        targets = C.external
    else:
        targets = np.array([node_index(C, customer, func=func, param="customer")])
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
