"""`cycle_time`: the time per round a recurring organisation can sustain.

Round ``k`` of a node begins once every deliverable it needs has arrived
(``lag = L`` edges bring round ``k - L`` of their supplier) and no earlier
than its release time. In begin times ``y`` (docs/recurring.md)::

    y_v(k) = max( s_v(k),  max_g  min_{e in g}  y_{u_e}(k - L_e) + work(u_e) + lead(e) )

over the deliverable groups ``g`` of ``v`` (AND) and the alternative
suppliers ``e`` of one deliverable (OR). The weight of an edge ``u -> v`` is
therefore ``work(u) + lead_time(u -> v)``: the supplier's own work sits on
its out-edges, so that a loop's weight is the work and lead time done once
around it. With AND joins only this is a max-plus system
``y(k) = ⊕_L A_L ⊗ y(k - L) ⊕ s(k)``, whose growth rate (cycle time) is the
maximum cycle ratio ``λ = max_c W(c) / L(c)`` [1]_ [2]_.

Howard's policy iteration [1]_ runs directly on the lagged graph: every
node picks one in-edge (its policy), the policy graph's cycles give each
node a ratio and a bias, and a node switches to an in-edge with a larger
ratio, then a larger bias. It solves the same problem as the first-order
reduction (auxiliary nodes for ``lag > 1``, the Kleene star of the lag-0
matrix) without building it: a lag-0 path is a path of zero transit time.
A virtual root with a self-loop of weight 0 and lag 1 feeds every node
(the release term ``s_v``), so every node has an in-edge and a node fed by
no loop has ratio 0.

OR joins make the system min-max. By the duality theorem for min-max
functions [3]_, its cycle-time vector is the componentwise minimum, over
the choices of one supplier per OR group, of the max-plus cycle-time
vectors; the policy iteration of [4]_ finds that choice: an outer loop
over OR choices (switch to a supplier with a smaller ratio, then a smaller
bias) around Howard's inner loop.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

import networkx as nx
import numpy as np
from numpy.typing import NDArray

from intcust._params import check_choice, check_number
from intcust.graph.compiled import CompiledOrg, as_compiled
from intcust.graph.durations import ESTIMATES
from intcust.results import NodeScores, html_table
from intcust.sim._howard import LaggedSystem, _close, _cycles, _has_cycle, lagged_system, solve

__all__ = ["CycleTime", "Loop", "cycle_time", "lagged_system"]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]

FUNC = "cycle_time"


@dataclass(frozen=True)
class Loop:
    """One loop of the recurring process.

    ``nodes`` run in supply order (each supplies the next; the last supplies
    the first); ``weight`` is the work and lead time once around it, ``lag``
    its total lag, ``ratio = weight / lag`` its time per round and
    ``slack = period - ratio`` (None without a period).
    """

    nodes: tuple[Hashable, ...]
    weight: float
    lag: int
    ratio: float
    slack: float | None

    def __str__(self) -> str:
        return " → ".join(str(n) for n in (*self.nodes, self.nodes[0]))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "nodes": list(self.nodes),
            "weight": self.weight,
            "lag": self.lag,
            "ratio": self.ratio,
            "slack": self.slack,
        }


@dataclass(frozen=True, eq=False)
class CycleTime:
    """The cycle time of an organisation (see `cycle_time`)."""

    cycle_time: float  #: λ, time per round in the periodic regime; 0 when acyclic
    acyclic: bool  #: no loop of blocking edges: no recurring constraint
    critical: tuple[Loop, ...]  #: the loops whose ratio is λ
    loops: tuple[Loop, ...]  #: every loop of the optimal policy, slowest first
    node_rate: NodeScores  #: each node's time per round (its cycle-time component)
    period: float | None
    estimate: str

    @property
    def throughput(self) -> float:
        """Rounds per time unit, ``1 / λ`` (inf when nothing limits it)."""
        return 1.0 / self.cycle_time if self.cycle_time > 0 else float("inf")

    @property
    def margin(self) -> float | None:
        """Stability margin ``period - λ``; negative: the plan cannot be met."""
        return None if self.period is None else self.period - self.cycle_time

    def summary_lines(self) -> list[str]:
        """Plain-text lines for a terminal."""
        if self.acyclic:
            return ["acyclic: no recurring constraint (no loop of blocking edges)"]
        lines = [f"cycle time λ = {self.cycle_time:g} per round, throughput {self.throughput:g}"]
        if self.period is not None:
            verdict = "feasible" if self.cycle_time <= self.period else "cannot be met"
            lines.append(f"period {self.period:g}: margin {self.margin:g} ({verdict})")
        lines += [
            f"critical loop: {loop} ({loop.weight:g} / lag {loop.lag})" for loop in self.critical
        ]
        return lines

    def __repr__(self) -> str:
        if self.acyclic:
            return "CycleTime(acyclic: no recurring constraint)"
        crit = "; ".join(str(c) for c in self.critical)
        return f"CycleTime(λ={self.cycle_time:g}, critical=[{crit}], period={self.period})"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (``throughput`` None when nothing limits it)."""
        return {
            "cycle_time": self.cycle_time,
            "throughput": self.throughput if self.cycle_time > 0 else None,
            "acyclic": self.acyclic,
            "period": self.period,
            "margin": self.margin,
            "estimate": self.estimate,
            "critical": [c.to_dict() for c in self.critical],
            "loops": [c.to_dict() for c in self.loops],
            "node_rate": self.node_rate.to_dict(),
        }

    def _repr_html_(self) -> str:
        rows = [[str(c), c.weight, c.lag, c.ratio, c.slack] for c in self.loops]
        return html_table(rows, ["loop", "weight", "lag", "ratio", "slack"], caption=repr(self))


def cycle_time(
    G: nx.DiGraph | CompiledOrg,
    *,
    period: float | None = None,
    estimate: str = "mode",
) -> CycleTime:
    """The time per round the organisation can sustain, and its critical loop.

    Parameters
    ----------
    G : networkx.DiGraph or CompiledOrg
        The organisation; loops of blocking edges must carry a lag.
    period : float, optional
        The planned length of one round, > 0; by default the graph's
        ``period`` attribute, if any. Each loop's slack is measured against it.
    estimate : {"mode", "mean", "median"}, optional
        Point value of each duration.

    Returns
    -------
    CycleTime
        ``cycle_time`` (λ), ``throughput`` (1/λ), the ``critical`` loops
        named node by node with their slack, every loop of the optimal
        policy, each node's own rate, or ``acyclic=True`` when no loop of
        blocking edges exists (no recurring constraint; λ = 0).

    Raises
    ------
    CycleError
        If a loop of blocking edges has no lag; it names the loop.
    ParameterError
        If `period` is not a number > 0 or `estimate` is unknown.

    Notes
    -----
    The weight of an edge ``u -> v`` is ``work(u) + lead_time(u -> v)``
    and its transit time its lag, so a loop's ratio is the work and lead
    time around it per round. With AND joins only, λ is the maximum cycle
    ratio ``max_c Σ_e w_e / Σ_e L_e`` [2]_, found by Howard's policy
    iteration [1]_, exactly (up to float rounding). With OR joins the
    system is min-max; λ is the largest component of its cycle-time vector,
    from the policy iteration of [4]_ (its outer loop picks one supplier
    per deliverable, Gaubert & Gunawardena's duality theorem [3]_). Each
    iteration costs O(E log V) numpy work (pointer doubling finds the
    policy's cycles).

    References
    ----------
    .. [1] J. Cochet-Terrasson, G. Cohen, S. Gaubert, M. McGettrick and
       J.-P. Quadrat, "Numerical computation of spectral elements in max-plus
       algebra", IFAC Conference on System Structure and Control, 1998.
    .. [2] B. Heidergott, G. J. Olsder and J. van der Woude, *Max Plus at
       Work*, Princeton University Press, 2006, ch. 3 and 9.
    .. [3] S. Gaubert and J. Gunawardena, "The duality theorem for min-max
       functions", C. R. Acad. Sci. Paris 326, 1998, pp. 43-48.
    .. [4] J. Cochet-Terrasson, S. Gaubert and J. Gunawardena, "A constructive
       fixed point theorem for min-max functions", Dynamics and Stability of
       Systems 14(4), 1999, pp. 407-433.

    Examples
    --------
    >>> import intcust as ic
    >>> ct = ic.sim.cycle_time(ic.datasets.weekly_planning())
    >>> ct.cycle_time, ct.margin
    (4.5, 0.5)
    >>> print(ct.critical[0])
    sales → planning → procurement → production → sales
    >>> ic.sim.cycle_time(ic.datasets.email_campaign()).acyclic
    True
    """
    C = as_compiled(G, func=FUNC)
    check_choice(estimate, ESTIMATES, func=FUNC, param="estimate")
    if period is None:
        raw = C.graph.get("period")
        per = (
            None
            if raw is None
            else check_number(raw, func=FUNC, param="period", minimum=0.0, strict=True)
        )
    else:
        per = check_number(period, func=FUNC, param="period", minimum=0.0, strict=True)
    work, lead = C.work.point(estimate), C.lead_time.point(estimate)
    S = lagged_system(C, work, lead)
    eta, bias, policy, chosen = solve(S)
    n = C.n_nodes
    rate = eta[:n]
    node_rate = NodeScores(
        zip(C.nodes, rate.tolist(), strict=True),
        name="rate",
        description="time per round each node can sustain",
    )
    # the policy's cycles among real nodes (the root's self-loop is not one)
    ext_src = np.r_[S.src, np.full(n + 1, n)]
    pred = ext_src[policy]
    steps = max(1, int(np.ceil(np.log2(n + 2))) + 1)
    label, on = _cycles(pred, steps)
    on[n] = False
    loops = _loops(C, S, policy, pred, label, on, per)
    lam = float(rate.max(initial=0.0))
    acyclic = not _has_cycle(S)
    crit = tuple(c for c in loops if _close(np.array(c.ratio), np.array(lam)).item())
    if not crit and not acyclic:
        # a loop whose ratio ties with the root's 0 is not taken by the policy: find
        # one among the edges that are tight in the optimal solution
        crit = _tight_loop(C, S, eta, bias, chosen, lam, per)
    return CycleTime(
        cycle_time=lam,
        acyclic=acyclic,
        critical=() if acyclic else crit,
        loops=loops,
        node_rate=node_rate,
        period=per,
        estimate=estimate,
    )


def _tight_loop(
    C: CompiledOrg,
    S: LaggedSystem,
    eta: FloatArray,
    bias: FloatArray,
    chosen: IntArray,
    lam: float,
    period: float | None,
) -> tuple[Loop, ...]:
    """One loop of ratio `lam` among the chosen edges that are tight (empty if none).

    An edge is tight when both its ends run at `lam` and it meets the bias
    equation with equality; every cycle of tight edges has ratio `lam`.
    """
    e = np.unique(chosen[chosen >= 0])
    src, dst = S.src[e], S.dst[e]
    slack = bias[src] + S.weight[e] - lam * S.lag[e] - bias[dst]
    keep = _close(eta[src], np.full(len(e), lam)) & _close(eta[dst], np.full(len(e), lam))
    keep &= _close(slack, np.zeros(len(e)))
    H = nx.DiGraph()
    for k, u, v in zip(e[keep].tolist(), src[keep].tolist(), dst[keep].tolist(), strict=True):
        H.add_edge(u, v, edge=k)
    try:
        ring = nx.find_cycle(H)
    except nx.NetworkXNoCycle:
        return ()
    edges = np.array([H.edges[u, v]["edge"] for u, v in ring], dtype=np.int64)
    nodes = [u for u, _ in ring]
    first = nodes.index(min(nodes))
    weight, lag = float(S.weight[edges].sum()), int(S.lag[edges].sum())
    return (
        Loop(
            nodes=tuple(C.names(nodes[first:] + nodes[:first])),
            weight=weight,
            lag=lag,
            ratio=weight / lag,
            slack=None if period is None else period - weight / lag,
        ),
    )


def _loops(
    C: CompiledOrg,
    S: LaggedSystem,
    policy: IntArray,
    pred: IntArray,
    label: IntArray,
    on: BoolArray,
    period: float | None,
) -> tuple[Loop, ...]:
    """The policy's cycles, in supply order, slowest first."""
    m = len(S.src)
    out = []
    for rep in np.unique(label[on]).tolist():
        cycle = [rep]
        v = int(pred[rep])
        while v != rep:
            cycle.append(v)
            v = int(pred[v])
        cycle.reverse()  # pred points to the supplier: reverse to supply order
        edges = policy[cycle]
        assert np.all(edges < m)
        weight = float(S.weight[edges].sum())
        lag = int(S.lag[edges].sum())
        ratio = weight / lag
        first = cycle.index(min(cycle))
        cycle = cycle[first:] + cycle[:first]
        out.append(
            Loop(
                nodes=tuple(C.names(cycle)),
                weight=weight,
                lag=lag,
                ratio=ratio,
                slack=None if period is None else period - ratio,
            )
        )
    out.sort(key=lambda c: -c.ratio)
    return tuple(out)
