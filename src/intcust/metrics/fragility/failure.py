"""Failure propagation and single points of failure.

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
over levels, never over nodes, edges or removal scenarios. The bus factor
(`intcust.metrics.fragility.cutsets`) builds on the same failure graph.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass

import networkx as nx
import numpy as np
from numpy.typing import NDArray

from intcust._params import keyword_only, person_level
from intcust.graph.compiled import CompiledOrg, as_compiled
from intcust.graph.joins import JoinPlan, join_plan
from intcust.results import NodeTable

__all__ = [
    "NO_UNIT_LEVEL",
    "FailureGraph",
    "gate_sets",
    "propagate",
    "single_points_of_failure",
]

IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]

#: Why the failure rule has no unit level (the message of ``level="unit"``).
NO_UNIT_LEVEL = (
    "the failure rule follows each person's deliverables, which the unit-level "
    "organisation does not keep"
)


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
        """The failure graph of a compiled organisation: its supply join plan
        (`intcust.graph.joins.join_plan`, every blocking service)."""
        return cls.from_plan(join_plan(C, "supply"))

    @classmethod
    def build(cls, n: int, src: IntArray, dst: IntArray, key: IntArray) -> FailureGraph:
        """A failure graph on nodes ``0..n-1``; edges with equal `key` are alternatives."""
        rows = np.arange(len(src), dtype=np.int64)
        return cls.from_plan(JoinPlan.build(n, src, dst, key, rows))

    @classmethod
    def from_plan(cls, P: JoinPlan) -> FailureGraph:
        """The failure graph of a join plan, in the levels of its condensation."""
        n = P.n
        src, dst, group = P.arc_src, P.group_node[P.arc_group], P.arc_group
        level = P.level
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
        from scipy.sparse import csr_matrix

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


@keyword_only("customer")
def single_points_of_failure(
    G: nx.DiGraph | CompiledOrg, *, customer: Hashable | None = None, level: str = "person"
) -> NodeTable:
    """The stakeholders whose absence alone leaves a customer unserved.

    Parameters
    ----------
    G : networkx.DiGraph or CompiledOrg
        The organisation, or its compiled form.
    customer : node, optional
        The node to protect (any stakeholder). By default every external
        customer at once.
    level : {"person"}, optional
        Only ``"person"``: the failure rule follows each person's
        deliverables, which the unit-level organisation does not keep.

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
    ParameterError
        If ``level="unit"``.
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
    person_level(level, func=func, why=NO_UNIT_LEVEL)
    C = as_compiled(G, func=func)
    if customer is None:
        targets = C.external
    else:
        targets = np.array([C.node_id(customer, func=func, param="customer")])
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
