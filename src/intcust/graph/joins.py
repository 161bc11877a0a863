"""The AND/OR join plan: every node's deliverable groups and their suppliers, as arrays.

A node needs every *deliverable* (AND); a deliverable arrives from the first
of its *alternative suppliers* (OR). The timing engine, recurring rounds and
the failure rule all walk this structure; `join_plan` builds it once per
compiled organisation and kind of tie, in CSR form for compiled kernels:

- the groups of node ``v`` are ``group_ptr[v]:group_ptr[v + 1]`` (by node id);
- the arcs (services) of group ``g`` are ``arc_ptr[g]:arc_ptr[g + 1]``, each
  with its service row ``arc_row`` (into the compiled edge arrays) and its
  supplier ``arc_src``; ``arc_group`` inverts it;
- the out-arcs of node ``u`` are ``out_arc[out_ptr[u]:out_ptr[u + 1]]``;
- ``order`` lists the nodes so that every supplier comes before its
  customers, except inside a loop (``cyclic``), whose members share a
  ``component``.

``ties="gate"`` keeps the services that gate work within one round (blocking,
lag 0: always acyclic, `compile` refuses a cycle); ``ties="supply"`` keeps
every blocking service, lagged ones included, which is the supply graph of
the failure rule and of recurring rounds.

Two arrival times tie when they agree up to `TIE_TOL` relative to their size
(`at_most`): the timing engine, recurring rounds, cycle times and the reports
built on them all read ties this way.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from intcust.graph.compiled import CompiledOrg
from intcust.graph.levels import topological_levels

__all__ = ["JOIN_TIES", "TIE_TOL", "JoinPlan", "at_most", "join_plan", "tie_tolerance"]

IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]

#: The kinds of join plan: services gating one round, or every blocking service.
JOIN_TIES = ("gate", "supply")

#: Relative tolerance under which two float64 times tie.
TIE_TOL = 1e-9


def tie_tolerance(dtype: Any = np.float64) -> float:
    """Relative tolerance under which two times of precision `dtype` tie.

    ``1e-9`` for float64; 1024 machine epsilons where that is coarser
    (float32: about 1.2e-4), so that sums rounded along a thousand hand-offs
    still tie when their exact values do.

    Examples
    --------
    >>> tie_tolerance(np.float64), round(tie_tolerance(np.float32), 7)
    (1e-09, 0.0001221)
    """
    return max(TIE_TOL, 1024 * float(np.finfo(dtype).eps))


def at_most(a: NDArray[Any], b: NDArray[Any], tol: float = TIE_TOL) -> BoolArray:
    """``a <= b`` up to the relative tolerance `tol` (infinities compare exactly)."""
    with np.errstate(invalid="ignore"):
        slack = tol * np.maximum(1.0, np.abs(b))
    return np.asarray((a <= b) | (a <= b + np.where(np.isfinite(slack), slack, 0.0)))


@dataclass(frozen=True, eq=False)
class JoinPlan:
    """Deliverable groups (AND) of alternative suppliers (OR), node by node.

    Build one with `join_plan`; see the module docstring for the layout.
    """

    n: int  #: number of nodes
    order: IntArray  #: nodes, suppliers before customers (components in topological order)
    component: IntArray  #: strongly connected component of each node, numbered in `order`
    level: IntArray  #: topological level of each node's component in the condensation
    cyclic: BoolArray  #: whether the node lies on a loop of the plan's ties
    group_ptr: IntArray  #: (n + 1,) groups of node v: group_ptr[v]:group_ptr[v + 1]
    group_node: IntArray  #: the customer of each group
    arc_ptr: IntArray  #: (n_groups + 1,) arcs of group g: arc_ptr[g]:arc_ptr[g + 1]
    arc_row: IntArray  #: service row of each arc (index into the compiled edge arrays)
    arc_src: IntArray  #: supplier of each arc
    arc_group: IntArray  #: group of each arc
    out_ptr: IntArray  #: (n + 1,) out-arcs of node u: out_arc[out_ptr[u]:out_ptr[u + 1]]
    out_arc: IntArray  #: arc ids, grouped by supplier

    @property
    def n_groups(self) -> int:
        """The number of deliverable groups."""
        return len(self.group_node)

    @property
    def n_arcs(self) -> int:
        """The number of arcs (services of the plan's kind)."""
        return len(self.arc_src)

    @property
    def has_cycles(self) -> bool:
        """Whether some ties of the plan close a loop (lagged supply only)."""
        return bool(self.cyclic.any())

    @classmethod
    def build(
        cls, n: int, src: IntArray, dst: IntArray, key: IntArray, rows: IntArray
    ) -> JoinPlan:
        """The plan of arcs ``src -> dst`` on nodes ``0..n-1``; equal `key` means alternatives.

        `rows` names each arc's service row. Arcs are ordered by (customer,
        group, row), so the plan does not depend on the input order.
        """
        _, group_key = np.unique(key, return_inverse=True)
        group_key = group_key.reshape(-1).astype(np.int64)
        order = np.lexsort((rows, group_key, dst))
        src, dst, group_key, rows = src[order], dst[order], group_key[order], rows[order]
        m = len(src)
        new = np.ones(m, dtype=bool)
        new[1:] = (group_key[1:] != group_key[:-1]) | (dst[1:] != dst[:-1])
        starts = np.flatnonzero(new)
        arc_group = (np.cumsum(new) - 1).astype(np.int64)
        group_node = dst[starts]
        group_ptr = np.searchsorted(group_node, np.arange(n + 1)).astype(np.int64)
        by_src = np.argsort(src, kind="stable").astype(np.int64)
        out_ptr = np.searchsorted(src[by_src], np.arange(n + 1)).astype(np.int64)
        component, level, cyclic, node_order = _components(n, src, dst)
        return cls(
            n=n,
            order=node_order,
            component=component,
            level=level,
            cyclic=cyclic,
            group_ptr=group_ptr,
            group_node=group_node.astype(np.int64),
            arc_ptr=np.append(starts, m).astype(np.int64),
            arc_row=rows.astype(np.int64),
            arc_src=src.astype(np.int64),
            arc_group=arc_group,
            out_ptr=out_ptr,
            out_arc=by_src,
        )


def _components(
    n: int, src: IntArray, dst: IntArray
) -> tuple[IntArray, IntArray, BoolArray, IntArray]:
    """Strong components numbered in topological order, each node's level in the
    condensation, loop membership and a node order."""
    level = topological_levels(n, src, dst)
    if np.all(level >= 0):  # no loop: every node is a component of its own
        order = np.lexsort((np.arange(n), level)).astype(np.int64)
        rank = np.empty(n, dtype=np.int64)
        rank[order] = np.arange(n)
        return rank, level, np.zeros(n, dtype=bool), order
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import connected_components

    graph = csr_matrix((np.ones(len(src)), (src, dst)), shape=(n, n))
    _, labels = connected_components(graph, connection="strong")
    comp: IntArray = labels.astype(np.int64)
    inter = comp[src] != comp[dst]
    n_comp = int(comp.max()) + 1
    level = topological_levels(n_comp, comp[src][inter], comp[dst][inter])
    node_level = level[comp]
    # number components by (level, first node), so the order is a topological one
    first = np.full(n_comp, n, dtype=np.int64)
    np.minimum.at(first, comp, np.arange(n, dtype=np.int64))
    rank = np.empty(n_comp, dtype=np.int64)
    rank[np.lexsort((first, level))] = np.arange(n_comp)
    comp = rank[comp]
    size = np.bincount(comp, minlength=n_comp)
    self_loop = np.zeros(n, dtype=bool)
    self_loop[src[src == dst]] = True
    cyclic = (size[comp] > 1) | self_loop
    return comp, node_level, cyclic, np.lexsort((np.arange(n), comp)).astype(np.int64)


_PLANS: weakref.WeakKeyDictionary[CompiledOrg, dict[str, JoinPlan]] = weakref.WeakKeyDictionary()


def join_plan(C: CompiledOrg, ties: str = "gate") -> JoinPlan:
    """The join plan of `C` for the services of kind `ties` (built once, then cached).

    Parameters
    ----------
    C : CompiledOrg
        The organisation.
    ties : {"gate", "supply"}, optional
        ``"gate"``: blocking services with lag 0, which gate work within one
        round (the timing engine). ``"supply"``: every blocking service,
        lagged ones included (the failure rule, recurring rounds).

    Returns
    -------
    JoinPlan

    Examples
    --------
    >>> import intcust as ic
    >>> C = ic.compile(ic.datasets.email_campaign())
    >>> P = join_plan(C)
    >>> v = C.index["sender"]
    >>> [C.nodes[int(P.arc_src[a])] for g in range(P.group_ptr[v], P.group_ptr[v + 1])
    ...  for a in range(P.arc_ptr[g], P.arc_ptr[g + 1])]
    ['designer', 'list keeper']
    >>> C.names(P.order)[0], P.has_cycles
    ('designer', False)
    """
    plans = _PLANS.setdefault(C, {})
    if ties not in plans:
        if ties == "gate":
            keep = np.flatnonzero(C.gate)
        elif ties == "supply":
            keep = np.flatnonzero(C.blocking)
        else:
            raise ValueError(f"ties must be one of {list(JOIN_TIES)}; got {ties!r}")
        plans[ties] = JoinPlan.build(C.n_nodes, C.src[keep], C.dst[keep], C.join[keep], keep)
    return plans[ties]
