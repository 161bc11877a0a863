"""The exact float of a node whose gating arcs all go to one customer.

Such a node's delay reaches the rest of the organisation only through its
customer's begin, so its exact float follows from the customer's without a
forward pass (`_through`). `settle`, the last step of
`intcust.sim._exact.exact_latest`, applies this rule, customers first, to
the nodes `plan_checks` left out for having one customer.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from intcust._jit import inner_kernel, kernel
from intcust.sim._passes import le

FloatArray = NDArray[np.floating]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]


@inner_kernel
def _single_customer(
    out_ptr: IntArray, out_arc: IntArray, group_node: IntArray, arc_group: IntArray, x: int
) -> int:
    """The one node all of x's gating out-arcs go to, or -1."""
    only = -1
    for k in range(out_ptr[x], out_ptr[x + 1]):
        w = group_node[arc_group[out_arc[k]]]
        if only < 0:
            only = w
        elif w != only:
            return -1
    return only


@inner_kernel
def _through(
    w: int,
    x: int,
    group_ptr: IntArray,
    arc_ptr: IntArray,
    arc_src: IntArray,
    arc_group: IntArray,
    out_ptr: IntArray,
    out_arc: IntArray,
    start: FloatArray,
    lead: FloatArray,
    finish: FloatArray,
    latest_finish: FloatArray,
    work: FloatArray,
    tol: float,
) -> float:
    """The exact float of x when every gating arc of x goes to w, from w's exact float.

    x's delay d reaches the rest only through w's begin: a deliverable group
    of w holding an arc of x arrives at ``min(arrival + d, C)``, C the first
    other alternative; w begins later once that passes its begin, and a
    target moves once w begins more than its float later. So the float is
    ``begin(w) + float(w) - arrival``, the least over x's arcs whose group's
    other alternatives arrive after that level; ``inf`` if none does.
    """
    tf_w = latest_finish[w] - finish[w]
    if not tf_w < np.inf:
        return np.inf
    begin = finish[w] - work[w]
    level = begin + tf_w
    best = np.inf
    for k in range(out_ptr[x], out_ptr[x + 1]):
        a = out_arc[k]
        g = arc_group[a]
        cap = np.inf
        for b in range(arc_ptr[g], arc_ptr[g + 1]):
            if arc_src[b] != x:
                t = finish[arc_src[b]] + lead[b]
                if t < cap:
                    cap = t
        if le(cap, level, tol):
            continue  # another alternative arrives first: this arc cannot move w
        d = level - (finish[x] + lead[a])
        if d < best:
            best = d
    return max(best, 0.0)


@kernel
def settle(
    order: IntArray,
    group_ptr: IntArray,
    arc_ptr: IntArray,
    arc_src: IntArray,
    out_ptr: IntArray,
    out_arc: IntArray,
    group_node: IntArray,
    arc_group: IntArray,
    start: FloatArray,
    work: FloatArray,
    lead: FloatArray,
    finish: FloatArray,
    tol: float,
    out: FloatArray,
    flags: BoolArray,
) -> None:
    """Last step: every node `plan_checks` left out for having one customer takes its
    exact float from that customer's (`_through`), customers first."""
    fork = flags[0]
    for p in range(len(order) - 1, -1, -1):
        x = order[p]
        if not fork[x]:
            continue
        only = _single_customer(out_ptr, out_arc, group_node, arc_group, x)
        if only < 0:
            continue
        tf = out[x] - finish[x]
        if tf < 0 or le(tf, 0.0, tol):
            continue
        via = _through(
            only,
            x,
            group_ptr,
            arc_ptr,
            arc_src,
            arc_group,
            out_ptr,
            out_arc,
            start,
            lead,
            finish,
            out,
            work,
            tol,
        )
        if finish[x] + via < out[x]:
            out[x] = finish[x] + via
