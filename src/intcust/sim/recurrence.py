"""`rounds`: k rounds of a recurring process, delays and recovery.

The recurrence (docs/recurring.md), in finish times ``x``::

    ready_v(k)  = max_g  min_{e in g}  x_{u_e}(k - L_e) + lead_e(k)      (-inf without input)
    x_v(k)      = max(ready_v(k), k * period + start_v) + work_v(k) + delay_v(k)

Round ``k`` of a node is released at ``k * period + start`` (the timetable;
``period = 0`` without one: as fast as possible); an input from a round
before the first (``k - L < 0``) is taken as there. The *plan* is the same
recurrence without the delays, so lateness is what the delays add. The
Python loop runs over rounds and lag-0 levels; each step is one numpy
reduction over the edges into a level, for every scenario at once;
`intcust.sim.recurrence_risk` runs it under random durations.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import networkx as nx
import numpy as np
from numpy.typing import NDArray

from intcust._params import (
    MAX_VALUES,
    check_choice,
    check_int,
    check_number,
    parameter_error,
    renamed,
)
from intcust.errors import ParameterError, UnknownNodeError, quote
from intcust.graph.compiled import CompiledOrg, as_compiled
from intcust.graph.durations import ESTIMATES
from intcust.graph.joins import join_plan
from intcust.results import NodeScores, html_table, json_ready
from intcust.sim._engine import TIE_TOL
from intcust.sim.maxplus import Loop, cycle_time

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
class RoundPlan:
    """The blocking edges (every lag) into each lag-0 level, sorted for the reductions."""

    levels: tuple[tuple[IntArray, IntArray, IntArray, IntArray, IntArray], ...]
    #: per level: its nodes, the targets (nodes with inputs), their edges,
    #: OR-group offsets and AND offsets (of the supply join plan's groups)
    depth: int  #: rounds of history kept: the largest lag + 1


_PLANS: weakref.WeakKeyDictionary[CompiledOrg, RoundPlan] = weakref.WeakKeyDictionary()


def round_plan(C: CompiledOrg) -> RoundPlan:
    """Group every blocking service by the lag-0 level of its customer (cached per `C`).

    The groups and alternatives are those of the supply join plan
    (`intcust.graph.joins.join_plan`); the levels are the one-round
    topological levels, so lagged services read rounds already computed.
    """
    cached = _PLANS.get(C)
    if cached is not None:
        return cached
    P = join_plan(C, "supply")
    levels = []
    for k in range(len(C.level_ptr) - 1):
        nodes = C.topo[C.level_ptr[k] : C.level_ptr[k + 1]]
        nodes = nodes[np.argsort(nodes, kind="stable")]  # groups are stored by node id
        g_lo, g_hi = P.group_ptr[nodes], P.group_ptr[nodes + 1]
        has = g_hi > g_lo
        groups = _ranges(g_lo, g_hi)
        sizes = P.arc_ptr[groups + 1] - P.arc_ptr[groups]
        e = P.arc_row[_ranges(P.arc_ptr[groups], P.arc_ptr[groups + 1])]
        or_starts = (np.cumsum(sizes) - sizes).astype(np.int64)
        per_node = (g_hi - g_lo)[has]
        and_starts = (np.cumsum(per_node) - per_node).astype(np.int64)
        levels.append(
            (C.topo[C.level_ptr[k] : C.level_ptr[k + 1]], nodes[has], e, or_starts, and_starts)
        )
    depth = int(C.lag[np.flatnonzero(C.blocking)].max(initial=0)) + 1
    out = RoundPlan(tuple(levels), depth)
    _PLANS[C] = out
    return out


def _ranges(lo: IntArray, hi: IntArray) -> IntArray:
    """The integers of ``range(lo[i], hi[i])`` for every i, concatenated."""
    counts = hi - lo
    total = int(counts.sum())
    first = np.repeat(lo - (np.cumsum(counts) - counts), counts)
    return (first + np.arange(total)).astype(np.int64)


Observer = Callable[[int, FloatArray], None]


def check_rounds(C: CompiledOrg, n_rounds: object, func: str, *, k: object = None) -> int:
    """`n_rounds` as a number of rounds whose finish times, and history, `rounds` can keep.

    `k` is its name before intcust 0.2.0 (``k`` now only counts sampled
    sources): given, it warns and stands for `n_rounds`.
    """
    if k is not None:
        renamed("k", "n_rounds", func=func, depth=2)
        if n_rounds is not None:
            raise parameter_error(func, "k", "left out when 'n_rounds' is given (its new name)", k)
        n_rounds = k
    width = 2 * max(1, C.n_nodes)  # the plan and the delayed run, every node, every round
    count = check_int(
        n_rounds,
        func=func,
        param="n_rounds",
        minimum=1,
        maximum=MAX_VALUES // width,
        why=f"{C.n_nodes} finish times are kept twice per round",
    )
    depth = round_plan(C).depth
    if depth * width > MAX_VALUES:
        raise ParameterError(
            f"{func} keeps {depth} rounds of history (the largest lag is {depth - 1}) for "
            f"{C.n_nodes} nodes, more than {MAX_VALUES:,} numbers; lags must be smaller."
        )
    return count


def run_rounds(
    C: CompiledOrg,
    k: int,
    work: Callable[[int], FloatArray],
    lead: Callable[[int], FloatArray],
    period: float,
    extra: Mapping[int, FloatArray],
    observe: Observer,
    shape: tuple[int, ...],
) -> None:
    """Run `k` rounds of the recurrence on scenarios laid out as `shape`.

    ``work(r)`` and ``lead(r)`` give round r's durations, shapes ``(V,)``
    and ``(E,)`` or broadcastable to ``(V, *shape)`` and ``(E, *shape)``;
    ``extra[r]`` (broadcastable to ``(V, *shape)``) is added to round r's
    finish; ``observe(r, finish)`` sees each round's ``(V, *shape)`` finish
    times (a view, valid during the call).
    """
    P = round_plan(C)
    hist = np.full((P.depth, C.n_nodes, *shape), -np.inf)
    lag = C.lag
    ones = (1,) * len(shape)
    for r in range(k):
        slot = r % P.depth
        fin = hist[slot]
        w, ld = work(r), lead(r)
        w = w.reshape(len(w), *ones) if w.ndim == 1 else w
        ld = ld.reshape(len(ld), *ones) if ld.ndim == 1 else ld
        release = (r * period + C.start).reshape(-1, *ones)
        add = extra.get(r)
        for nodes, targets, e, or_starts, and_starts in P.levels:
            if len(e):
                back = r - lag[e]
                arrival = hist[back % P.depth, C.src[e]] + ld[e]
                arrival[back < 0] = -np.inf
                grp = np.minimum.reduceat(arrival, or_starts, axis=0)
                fin[targets] = np.maximum.reduceat(grp, and_starts, axis=0)
            fin[nodes] = np.maximum(fin[nodes], release[nodes]) + w[nodes]
            if add is not None:
                fin[nodes] += add[nodes]
        observe(r, fin)
        # the slot round r + 1 reuses must hold no stale inputs for nodes without any
        hist[(r + 1) % P.depth] = -np.inf


def _period(C: CompiledOrg, period: float | None, func: str) -> float | None:
    if period is None:
        raw = C.graph.get("period")
        if raw is None:
            return None
        return check_number(raw, func=func, param="period", minimum=0.0, strict=True)
    return check_number(period, func=func, param="period", minimum=0.0, strict=True)


def feasible_period(
    C: CompiledOrg, period: float | None, estimate: str, func: str
) -> tuple[float | None, float, tuple[Loop, ...]]:
    """The period (checked against λ), λ and the critical loops."""
    per = _period(C, period, func)
    ct = cycle_time(C, period=per, estimate=estimate)
    lam = ct.cycle_time
    if per is not None and per < lam - TIE_TOL * max(1.0, lam):
        loop = ct.critical[0] if ct.critical else None
        where = f" around {loop}" if loop is not None else ""
        raise ParameterError(
            f"The 'period' parameter of {func} must be at least the cycle time "
            f"{lam:g}{where}; got {per:g}: the plan cannot be met, each round falls "
            f"{lam - per:g} further behind."
        )
    return per, lam, ct.critical


def parse_delays(
    C: CompiledOrg, delays: Mapping[tuple[Hashable, int], float] | None, k: int, func: str
) -> dict[int, FloatArray]:
    """``{(node, round): amount}`` as per-round arrays of extra finish time."""
    out: dict[int, FloatArray] = {}
    if delays is None:
        return out
    if not isinstance(delays, Mapping):
        raise ParameterError(
            f"The 'delays' parameter of {func} must be a mapping {{(node, round): amount}}; "
            f"got {type(delays).__name__}."
        )
    for key, amount in delays.items():
        if not isinstance(key, tuple) or len(key) != 2:
            raise ParameterError(
                f"The 'delays' parameter of {func} must have (node, round) keys; got {key!r}."
            )
        node, r = key
        try:
            i = C.index[node]
        except (KeyError, TypeError):
            raise UnknownNodeError(
                f"The 'delays' parameter of {func} must name nodes of the organisation; "
                f"got {quote(node)}."
            ) from None
        rr = check_int(r, func=func, param="delays", minimum=0)
        if rr >= k:
            raise ParameterError(
                f"The 'delays' parameter of {func} must name rounds 0 to {k - 1}; got {r!r}."
            )
        x = check_number(amount, func=func, param="delays", minimum=0.0)
        out.setdefault(rr, np.zeros(C.n_nodes))[i] += x
    return out


@dataclass(frozen=True, eq=False)
class Rounds:
    """k rounds of a recurring process with delays (see `rounds`)."""

    nodes: tuple[Hashable, ...]
    k: int
    period: float | None
    cycle_time: float
    critical: tuple[Loop, ...]
    planned: FloatArray  #: (k, V) planned finish times
    finish: FloatArray  #: (k, V) finish times with the delays
    delays: dict[tuple[Hashable, int], float]
    carriers: tuple[tuple[Hashable, Hashable, int, int], ...]
    #: lagged edges (supplier, customer, lag, rounds) that carried lateness into a later
    #: round: the customer began later because the supplier's earlier round was late
    #: (see `_carriers` for the rule)
    loops: tuple[Loop, ...]  #: loops of the process through which the delay came round again

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
        if r >= self.k:
            raise ParameterError(f"The 'r' parameter of Rounds.late must be < {self.k}; got {r}.")
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
        lines = [f"{self.k} rounds, period {per}, cycle time λ = {self.cycle_time:g}"]
        if self.margin is not None:
            lines.append(f"stability margin period − λ = {self.margin:g}")
        lines += [f"critical loop: {c}" for c in self.critical]
        rec = self.recovery
        if self.delays:
            lines.append(
                "recovery: "
                + (f"{rec} rounds" if rec is not None else f"not within {self.k} rounds")
            )
        for u, v, lag, n in self.carriers:
            lines.append(f"carried by {u} → {v} (lag {lag}) in {n} rounds")
        for r in range(self.k):
            late = self.late(r)
            top = [f"{n} +{x:g}" for n, x in late.top(5) if x > 0]
            if top:
                lines.append(f"round {r}: " + ", ".join(top))
        return lines

    def __repr__(self) -> str:
        return (
            f"Rounds(k={self.k}, period={self.period}, λ={self.cycle_time:g}, "
            f"recovery={self.recovery})"
        )

    def to_dict(self) -> dict[str, Any]:
        """Strict JSON data (`intcust.results.json_ready`; lateness as node -> list per
        round)."""
        lat = self.lateness
        data: dict[str, Any] = json_ready(
            {
                "k": self.k,
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
        rows = [[r, *(f"{x:g}" for x in lat[r])] for r in range(self.k)]
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
        k=k,
        period=per,
        cycle_time=lam,
        critical=critical,
        planned=planned,
        finish=delayed,
        delays=named,
        carriers=carriers,
        loops=loops,
    )


def _carriers(
    C: CompiledOrg,
    planned: FloatArray,
    finish: FloatArray,
    lead: FloatArray,
    work: FloatArray,
    extra: Mapping[int, FloatArray],
) -> tuple[tuple[Hashable, Hashable, int, int], ...]:
    """Lagged edges on which a late supplier round made a later customer round late.

    A lagged edge ``u -> v`` carries lateness into round r of v when v began
    later than planned in round r (a round late only by v's own delay does
    not count), the edge's deliverable is one v waited for last and arrived
    later than planned, and u was among the suppliers of that deliverable
    that arrived first in the plan and is late now. An alternative that
    merely ties with the plan's first one carries nothing: the deliverable
    then arrives on time.
    """
    k = finish.shape[0]
    e = np.flatnonzero(C.blocking)
    lagged = C.lag[e] >= 1
    if not lagged.any() or k < 2:
        return ()
    src, dst, lag = C.src[e], C.dst[e], C.lag[e]
    rounds = np.arange(k)[:, None]
    back = rounds - lag[None, :]
    ok = back >= 0
    safe = np.maximum(back, 0)

    def arrivals(fin: FloatArray) -> FloatArray:
        return np.where(ok, fin[safe, src[None, :]] + lead[e][None, :], -np.inf)

    def begins(fin: FloatArray, with_delays: bool) -> FloatArray:
        own = np.zeros_like(fin)
        if with_delays:
            for r, x in extra.items():
                own[r] = x
        return fin - work[None, :] - own

    arr0, arr1 = arrivals(planned), arrivals(finish)
    n_groups = int(C.join.max()) + 1
    join = C.join[e]

    def group_min(arr: FloatArray) -> FloatArray:
        out = np.full((k, n_groups), np.inf)
        for r in range(k):
            np.minimum.at(out[r], join, arr[r])
        return out

    g0, g1 = group_min(arr0), group_min(arr1)
    begin0, begin1 = begins(planned, False), begins(finish, True)
    ready1 = np.zeros((k, C.n_nodes))
    for r in range(k):
        np.maximum.at(ready1[r], dst, np.where(np.isfinite(g1[r, join]), g1[r, join], -np.inf))

    def later(a: FloatArray, b: FloatArray) -> NDArray[np.bool_]:
        with np.errstate(invalid="ignore"):
            return np.asarray(a - b > TIE_TOL * np.maximum(1.0, np.abs(b)))

    def tie(a: FloatArray, b: FloatArray) -> NDArray[np.bool_]:
        with np.errstate(invalid="ignore"):
            return np.asarray(np.abs(a - b) <= TIE_TOL * np.maximum(1.0, np.abs(b)))

    carried = (
        ok
        & later(begin1[:, dst], begin0[:, dst])  # v began later than planned
        & tie(ready1[:, dst], g1[:, join])  # waiting for this deliverable last
        & later(g1[:, join], g0[:, join])  # which arrived later than planned
        & tie(arr0, g0[:, join])  # u was first in the plan
        & later(arr1, arr0)  # and is late now
    )
    counts = carried.sum(axis=0)
    hit = np.flatnonzero(lagged & (counts > 0))
    return tuple(
        (C.nodes[src[i]], C.nodes[dst[i]], int(lag[i]), int(counts[i])) for i in hit.tolist()
    )


def _loops_carrying(
    C: CompiledOrg,
    period: float | None,
    estimate: str,
    carriers: tuple[tuple[Hashable, Hashable, int, int], ...],
) -> tuple[Loop, ...]:
    """The loops of `cycle_time` that contain a carrying edge."""
    if not carriers:
        return ()
    pairs = {(u, v) for u, v, _, _ in carriers}
    out = []
    for loop in cycle_time(C, period=period, estimate=estimate).loops:
        ring = [*loop.nodes, loop.nodes[0]]
        if any((ring[i], ring[i + 1]) in pairs for i in range(len(loop.nodes))):
            out.append(loop)
    return tuple(out)
