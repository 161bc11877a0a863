"""The outage pass (docs/recurring.md), compiled: down intervals node by node.

One scenario per column of ``a`` and ``b``; nodes in topological order of
the gating join plan, as `intcust.sim.outages.down_intervals` documents.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from intcust._jit import kernel

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


@kernel
def down_pass(
    order: IntArray,
    group_ptr: IntArray,
    arc_ptr: IntArray,
    arc_src: IntArray,
    work: FloatArray,
    lead: FloatArray,
    buffer: FloatArray,
    a: FloatArray,
    b: FloatArray,
    lo: int,
    hi: int,
) -> None:
    """Extend the down intervals ``[a, b)`` (shape (V, S), updated in place)
    downstream, for scenarios (columns) ``lo .. hi - 1``."""
    for s in range(lo, hi):
        for v in order:
            for g in range(group_ptr[v], group_ptr[v + 1]):
                ga = -np.inf  # the deliverable is lost while every alternative is lost
                gb = np.inf
                for k in range(arc_ptr[g], arc_ptr[g + 1]):
                    u = arc_src[k]
                    if a[u, s] < b[u, s]:
                        la = a[u, s] + lead[k]
                        lb = b[u, s] + work[u] + lead[k]
                    else:
                        la = np.inf
                        lb = -np.inf
                    if la > ga:
                        ga = la
                    if lb < gb:
                        gb = lb
                if gb - ga > buffer[v]:
                    if ga + buffer[v] < a[v, s]:
                        a[v, s] = ga + buffer[v]
                    if gb > b[v, s]:
                        b[v, s] = gb
