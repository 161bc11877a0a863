"""`rounds`: k rounds of a recurring process, delays and recovery.

The recurrence (docs/recurring.md), in finish times ``x``::

    ready_v(k)  = max_g  min_{e in g}  x_{u_e}(k - L_e) + lead_e(k)      (-inf without input)
    x_v(k)      = max(ready_v(k), k * period + start_v) + work_v(k) + delay_v(k)

Round ``k`` of a node is released at ``k * period + start`` (the timetable;
``period = 0`` without one: as fast as possible); an input from a round
before the first (``k - L < 0``) is taken as there. The *plan* is the same
recurrence without the delays, so lateness is what the delays add.
`intcust.sim._round_plan` runs it, a numpy reduction per round and lag-0
level for every scenario at once; `intcust.sim._carriers` finds the lagged
edges and loops that carried a delay forward; `intcust.sim.recurrence_risk`
runs it under random durations.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import networkx as nx
import numpy as np
from numpy.typing import NDArray

from intcust._params import check_choice, check_int, renamed
from intcust.errors import ParameterError
from intcust.graph.compiled import CompiledOrg, as_compiled
from intcust.graph.durations import ESTIMATES
from intcust.results import NodeScores, html_table, json_ready
from intcust.sim._carriers import _carriers, _loops_carrying
from intcust.sim._engine import TIE_TOL
from intcust.sim._round_plan import RoundPlan, round_plan, run_rounds
from intcust.sim._rounds_params import check_rounds, feasible_period, parse_delays
from intcust.sim.maxplus import Loop

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "RoundPlan",
    "Rounds",
    "round_plan",
    "rounds",
    "run_rounds",
]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]

FUNC = "rounds"


@dataclass(frozen=True, eq=False)
class Rounds:
    """`n_rounds` rounds of a recurring process with delays (see `rounds`)."""

    nodes: tuple[Hashable, ...]
    n_rounds: int
    period: float | None
    cycle_time: float
    critical: tuple[Loop, ...]
    planned: FloatArray  #: (n_rounds, V) planned finish times
    finish: FloatArray  #: (n_rounds, V) finish times with the delays
    delays: dict[tuple[Hashable, int], float]
    carriers: tuple[tuple[Hashable, Hashable, int, int], ...]
    #: lagged edges (supplier, customer, lag, rounds) that carried lateness into a later
    #: round: the customer began later because the supplier's earlier round was late
    #: (the rule is in `intcust.sim._carriers`)
    loops: tuple[Loop, ...]  #: loops of the process through which the delay came round again

    @property
    def k(self) -> int:
        """The former name of `n_rounds` (deprecated, removed in 0.3.0)."""
        renamed("k", "n_rounds", func="Rounds", what="attribute")
        return self.n_rounds

    @property
    def margin(self) -> float | None:
        """Stability margin ``period - λ`` (None without a period)."""
        return None if self.period is None else self.period - self.cycle_time

    @property
    def lateness(self) -> FloatArray:
        """(k, V) lateness against the plan; use `late` or `to_frame` for names."""
        tol = TIE_TOL * np.maximum(1.0, np.abs(self.planned))
        d = self.finish - self.planned
        return np.where(d > tol, d, 0.0)

    def late(self, r: int) -> NodeScores:
        """Lateness of each node in round `r`."""
        check_int(r, func="Rounds.late", param="r", minimum=0)
        if r >= self.n_rounds:
            raise ParameterError(
                f"The 'r' parameter of Rounds.late must be < {self.n_rounds}; got {r}."
            )
        return NodeScores(zip(self.nodes, self.lateness[r].tolist(), strict=True), name="lateness")

    @property
    def late_rounds(self) -> NodeScores:
        """How many rounds each node is late."""
        n = (self.lateness > 0).sum(axis=0)
        return NodeScores(
            zip(self.nodes, n.astype(float).tolist(), strict=True), name="late rounds"
        )

    @property
    def recovered_at(self) -> int | None:
        """The first round from which nothing is late, or None if not within `k`."""
        late_any: BoolArray = np.asarray((self.lateness > 0).any(axis=1))
        if late_any[-1]:
            return None
        idx = np.flatnonzero(late_any)
        return int(idx[-1]) + 1 if len(idx) else 0

    @property
    def recovery(self) -> int | None:
        """Rounds from the first delayed round until every delay has died out."""
        at = self.recovered_at
        if at is None:
            return None
        first = min((r for (_, r) in self.delays), default=at)
        return max(0, at - first)

    def summary_lines(self) -> list[str]:
        """Plain-text lines for a terminal."""
        per = "none (as fast as possible)" if self.period is None else f"{self.period:g}"
        lines = [f"{self.n_rounds} rounds, period {per}, cycle time λ = {self.cycle_time:g}"]
        if self.margin is not None:
            lines.append(f"stability margin period − λ = {self.margin:g}")
        lines += [f"critical loop: {c}" for c in self.critical]
        rec = self.recovery
        if self.delays:
            lines.append(
                "recovery: "
                + (f"{rec} rounds" if rec is not None else f"not within {self.n_rounds} rounds")
            )
        for u, v, lag, n in self.carriers:
            lines.append(f"carried by {u} → {v} (lag {lag}) in {n} rounds")
        for r in range(self.n_rounds):
            late = self.late(r)
            top = [f"{n} +{x:g}" for n, x in late.top(5) if x > 0]
            if top:
                lines.append(f"round {r}: " + ", ".join(top))
        return lines

    def __repr__(self) -> str:
        return (
            f"Rounds(n_rounds={self.n_rounds}, period={self.period}, λ={self.cycle_time:g}, "
            f"recovery={self.recovery})"
        )

    def to_dict(self) -> dict[str, Any]:
        """Strict JSON data (`intcust.results.json_ready`; lateness as node -> list per
        round)."""
        lat = self.lateness
        data: dict[str, Any] = json_ready(
            {
                "n_rounds": self.n_rounds,
                "period": self.period,
                "cycle_time": self.cycle_time,
                "margin": self.margin,
                "critical": [c.to_dict() for c in self.critical],
                "delays": [
                    {"node": n, "round": r, "amount": x} for (n, r), x in self.delays.items()
                ],
                "recovery": self.recovery,
                "recovered_at": self.recovered_at,
                "lateness": {n: lat[:, i].tolist() for i, n in enumerate(self.nodes)},
                "carriers": [
                    {"supplier": u, "customer": v, "lag": lag, "rounds": n}
                    for u, v, lag, n in self.carriers
                ],
                "loops": [c.to_dict() for c in self.loops],
            }
        )
        return data

    def to_frame(self) -> pd.DataFrame:
        """One row per (round, node): planned, finish, lateness."""
        import pandas as pd

        k, v = self.finish.shape
        return pd.DataFrame(
            {
                "round": np.repeat(np.arange(k), v),
                "node": list(self.nodes) * k,
                "planned": self.planned.ravel(),
                "finish": self.finish.ravel(),
                "lateness": self.lateness.ravel(),
            }
        )

    def _repr_html_(self) -> str:
        lat = self.lateness
        rows = [[r, *(f"{x:g}" for x in lat[r])] for r in range(self.n_rounds)]
        return html_table(rows, ["round", *map(str, self.nodes)], caption=repr(self))


def rounds(
    G: nx.DiGraph | CompiledOrg,
    n_rounds: int | None = None,
    *,
    delays: Mapping[tuple[Hashable, int], float] | None = None,
    period: float | None = None,
    estimate: str = "mode",
    k: int | None = None,
) -> Rounds:
    """Simulate `n_rounds` rounds of a recurring process and follow delays until they die out.

    Parameters
    ----------
    G : networkx.DiGraph or CompiledOrg
        The organisation.
    n_rounds : int
        Rounds to simulate, >= 1 (the result's ``k``).
    delays : mapping, optional
        ``{(node, round): amount}``: the node finishes that round `amount` later.
    period : float, optional
        The planned length of one round, > 0; by default the graph's
        ``period``. Without any, rounds run as fast as their inputs allow.
    estimate : {"mode", "mean", "median"}, optional
        Point value of each duration.
    k : int, optional
        The old name of `n_rounds` (deprecated).

    Returns
    -------
    Rounds
        Planned and delayed finish times per round and node, the lateness
        (``late(r)``, ``lateness``), ``recovery`` (rounds until every delay
        has died out, None when not within `n_rounds`), the lagged edges and loops
        that carried the delay forward, and the stability ``margin``
        ``period - λ``.

    Raises
    ------
    ParameterError
        If `n_rounds` or `period` is not valid, if a delay is negative or names
        a round outside ``0..n_rounds-1``, or if `period` is shorter than the cycle
        time λ (the plan cannot be met; the message says by how much).
    UnknownNodeError
        If a delay names an unknown node.

    Notes
    -----
    Round ``r`` is released at ``r * period + start``; the recurrence is
    in the module docstring. With ``period >= λ`` a delay on a loop of
    ratio ρ shrinks by ``period - ρ`` per round around it, so it dies out
    after about ``delay / (period - ρ)`` loop turns; with ``period == λ`` a
    delay on a critical loop never dies out ([1]_, ch. 9: the margin of a
    timetable). A period below λ is refused rather than left to drift.

    References
    ----------
    .. [1] B. Heidergott, G. J. Olsder and J. van der Woude, *Max Plus at
       Work*, Princeton University Press, 2006.

    Examples
    --------
    >>> import intcust as ic
    >>> from intcust.sim.recurrence import rounds
    >>> res = rounds(ic.datasets.weekly_planning(), 6, delays={("procurement", 0): 1.0})
    >>> res.margin, res.recovery
    (0.5, 2)
    >>> res.lateness[:, res.nodes.index("production")].round(2).tolist()
    [1.0, 0.5, 0.0, 0.0, 0.0, 0.0]
    """
    C = as_compiled(G, func=FUNC)
    k = check_rounds(C, n_rounds, FUNC, k=k)
    check_choice(estimate, ESTIMATES, func=FUNC, param="estimate")
    per, lam, critical = feasible_period(C, period, estimate, FUNC)
    extra = parse_delays(C, delays, k, FUNC)
    work, lead = C.work.point(estimate), C.lead_time.point(estimate)
    extra2 = {r: np.stack([np.zeros(C.n_nodes), x], axis=1) for r, x in extra.items()}
    fin = np.empty((k, C.n_nodes, 2))  # column 0: the plan; column 1: with the delays

    def keep(r: int, f: FloatArray) -> None:
        fin[r] = f

    run_rounds(C, k, lambda r: work, lambda r: lead, per or 0.0, extra2, keep, (2,))
    planned, delayed = fin[..., 0], fin[..., 1]
    named = {(C.nodes[i], r): float(x[i]) for r, x in extra.items() for i in np.flatnonzero(x)}
    carriers = _carriers(C, planned, delayed, lead, work, extra)
    loops = _loops_carrying(C, per, estimate, carriers)
    return Rounds(
        nodes=C.nodes,
        n_rounds=k,
        period=per,
        cycle_time=lam,
        critical=critical,
        planned=planned,
        finish=delayed,
        delays=named,
        carriers=carriers,
        loops=loops,
    )
