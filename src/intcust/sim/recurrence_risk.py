"""`monte_carlo_rounds`: k rounds of a recurring process under random durations.

Every round samples every node's work and every edge's lead time anew, block
by block as `monte_carlo` does, and runs the recurrence of `intcust.sim.rounds`
(`intcust.sim._round_plan.run_rounds`, docs/recurring.md) for all scenarios
at once. With delays, the same samples are also run without them, so the
recovery of each scenario is the delay dying out, not noise.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import Any

import networkx as nx
import numpy as np

from intcust._params import MAX_VALUES, check_choice, check_int, renamed, rng_from_seed
from intcust.graph.compiled import CompiledOrg, as_compiled
from intcust.graph.durations import ESTIMATES
from intcust.results import html_table
from intcust.sim._engine import TIE_TOL
from intcust.sim._monte_carlo_params import _seed_entropy
from intcust.sim._round_plan import run_rounds
from intcust.sim._rounds_params import check_rounds, feasible_period, parse_delays
from intcust.sim._sampling import BLOCK, SamplingSpec, draw_scenarios
from intcust.sim.recurrence import FloatArray, IntArray, rounds

__all__ = ["RoundsRisk", "monte_carlo_rounds"]


@dataclass(frozen=True, eq=False)
class RoundsRisk:
    """Recurring rounds under random durations (see `monte_carlo_rounds`)."""

    n: int
    n_rounds: int
    period: float | None
    cycle_time: float  #: λ of the point durations
    targets: tuple[Hashable, ...]  #: the nodes whose finish decides "on time"
    p_on_time: FloatArray  #: (n_rounds,) share of scenarios in which round r is on time
    recovery: IntArray | None  #: (n,) rounds to recover per scenario, -1 if not within n_rounds
    delays: dict[tuple[Hashable, int], float]

    @property
    def k(self) -> int:
        """The former name of `n_rounds` (deprecated, removed in 0.3.0)."""
        renamed("k", "n_rounds", func="RoundsRisk", what="attribute")
        return self.n_rounds

    @property
    def p_recovered(self) -> float | None:
        """Share of scenarios that recovered within `k` rounds (None without delays)."""
        if self.recovery is None:
            return None
        return float((self.recovery >= 0).mean())

    def recovery_quantiles(self, q: tuple[float, ...] = (0.5, 0.9, 0.99)) -> dict[float, float]:
        """Quantiles of the recovery time; inf where a share never recovered."""
        if self.recovery is None:
            return {}
        rec = np.where(self.recovery >= 0, self.recovery, np.inf).astype(float)
        return {p: float(np.quantile(rec, p, method="inverted_cdf")) for p in q}

    def summary_lines(self) -> list[str]:
        """Plain-text lines for a terminal."""
        lines = [
            f"{self.n} scenarios × {self.n_rounds} rounds, cycle time λ = {self.cycle_time:g}"
        ]
        lines.append("P(round on time): " + " ".join(f"{p:.2f}" for p in self.p_on_time.tolist()))
        if self.recovery is not None:
            qs = ", ".join(f"{p:g}: {x:g}" for p, x in self.recovery_quantiles().items())
            lines.append(f"recovered within {self.n_rounds} rounds: {self.p_recovered:.3f}")
            lines.append(f"recovery time quantiles (rounds): {qs}")
        return lines

    def __repr__(self) -> str:
        return f"RoundsRisk(n={self.n}, n_rounds={self.n_rounds}, period={self.period})"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form, without the per-scenario recovery times (a quantile
        beyond `k` rounds is None)."""
        return {
            "n": self.n,
            "n_rounds": self.n_rounds,
            "period": self.period,
            "cycle_time": self.cycle_time,
            "targets": list(self.targets),
            "p_on_time": self.p_on_time.tolist(),
            "p_recovered": self.p_recovered,
            "recovery_quantiles": {
                str(q): (x if math.isfinite(x) else None)
                for q, x in self.recovery_quantiles().items()
            },
            "delays": [{"node": n, "round": r, "amount": x} for (n, r), x in self.delays.items()],
        }

    def _repr_html_(self) -> str:
        rows = [[r, p] for r, p in enumerate(self.p_on_time.tolist())]
        return html_table(rows, ["round", "P(on time)"], caption=repr(self))


class _RoundSpecs:
    """The sampling spec of round r, made when it is asked for (k may be large)."""

    def __init__(self, entropy: int | tuple[int, ...], key: tuple[int, ...], n: int, ext: Any):
        self.entropy, self.n_roundsey, self.n, self.ext = entropy, key, n, ext

    def __getitem__(self, r: int) -> SamplingSpec:
        return SamplingSpec(
            self.entropy, (*self.n_roundsey, r), self.n, "float64", None, self.ext, self.ext
        )


def monte_carlo_rounds(
    G: nx.DiGraph | CompiledOrg,
    n_rounds: int | None = None,
    n: int | None = None,
    *,
    seed: int | np.random.SeedSequence | np.random.Generator | None = None,
    delays: Mapping[tuple[Hashable, int], float] | None = None,
    period: float | None = None,
    estimate: str = "mode",
    k: int | None = None,
) -> RoundsRisk:
    """`n_rounds` rounds under `n` scenarios of random durations, sampled anew every round.

    Parameters
    ----------
    G : networkx.DiGraph or CompiledOrg
        The organisation.
    n_rounds : int
        Rounds, >= 1 (the result's ``k``).
    n : int
        Scenarios, >= 1.
    seed : int, SeedSequence or Generator, optional
        The same seed gives the same numbers, whatever the chunking.
    delays : mapping, optional
        ``{(node, round): amount}``, added in every scenario.
    period : float, optional
        As in `rounds`; checked against λ of the point durations.
    estimate : {"mode", "mean", "median"}, optional
        The point durations of the timetable.
    k : int, optional
        The old name of `n_rounds` (deprecated).

    Returns
    -------
    RoundsRisk
        ``p_on_time[r]``: the share of scenarios in which every external
        customer (every node, without any) finishes round r on time: by
        ``r * period + due`` where it has a due date and there is a period,
        else no later than the undelayed `rounds` plan at `estimate`; with
        delays, ``recovery``: per scenario, the rounds from the first delay
        until the delayed run has rejoined the same scenario without delays
        (-1 if not within `n_rounds`), and its quantiles.

    Raises
    ------
    ParameterError
        As `rounds`, and for `n` < 1 or a bad `seed`.

    Notes
    -----
    Round r of scenario i draws its durations (the work of every node and the
    lead time of every blocking service) from its own generator, keyed by
    ``SeedSequence(entropy, spawn_key=(*key, r))`` and i, as `monte_carlo`
    does (`intcust.sim._random`), so every scenario sees the same durations
    whatever the chunk size. The delayed and undelayed runs
    share their samples (common random numbers), so a recovery is the delay
    dying out, not noise.

    Examples
    --------
    >>> import intcust as ic
    >>> G = ic.datasets.weekly_planning()
    >>> mc = ic.sim.monte_carlo_rounds(G, 8, 256, seed=1, delays={("procurement", 0): 1.0})
    >>> mc.p_recovered
    1.0
    >>> mc.p_on_time.shape
    (8,)
    """
    func = "monte_carlo_rounds"
    C = as_compiled(G, func=func)
    k = check_rounds(C, n_rounds, func, k=k)
    n = check_int(
        n,
        func=func,
        param="n",
        minimum=1,
        maximum=MAX_VALUES,
        why="a recovery time is kept per scenario",
    )
    check_choice(estimate, ESTIMATES, func=func, param="estimate")
    rng_from_seed(seed, func=func)  # a bad seed's message names monte_carlo_rounds
    entropy, key = _seed_entropy(seed)
    per, lam, _ = feasible_period(C, period, estimate, func)
    extra = parse_delays(C, delays, k, func)
    base = rounds(C, k, period=per, estimate=estimate)
    ext = C.external
    targets = ext if len(ext) else np.arange(C.n_nodes)
    goal = base.planned[:, targets]
    due = C.due[targets]
    if per is not None:
        timetable = np.arange(k)[:, None] * per + due[None, :]
        goal = np.where(np.isnan(due)[None, :], goal, timetable)
    goal = goal + TIE_TOL * np.maximum(1.0, np.abs(goal))
    coupled = bool(extra)
    on_time = np.zeros(k)
    last_diff = np.full(n, -1, dtype=np.int64)
    n_blocks = -(-n // BLOCK)
    per_chunk = max(1, (1 << 22) // max(1, (C.n_nodes + C.n_edges) * BLOCK))
    specs = _RoundSpecs(entropy, key, n, ext)
    for b0 in range(0, n_blocks, per_chunk):
        chunk = _Chunk(C, specs, b0, min(b0 + per_chunk, n_blocks), n, coupled, targets, goal)
        add = {r: _delayed_only(x, coupled) for r, x in extra.items()}
        run_rounds(C, k, chunk.work, chunk.lead, per or 0.0, add, chunk.observe, chunk.shape)
        on_time += chunk.on_time
        last_diff[chunk.lo : chunk.hi] = chunk.last_diff
    recovery = None
    if coupled:
        first = min(extra)
        recovery = np.where(last_diff >= k - 1, -1, np.maximum(last_diff + 1 - first, 0)).astype(
            np.int64
        )
    named = {(C.nodes[i], r): float(x[i]) for r, x in extra.items() for i in np.flatnonzero(x)}
    return RoundsRisk(
        n=n,
        n_rounds=k,
        period=per,
        cycle_time=lam,
        targets=tuple(C.names(targets)),
        p_on_time=on_time / n,
        recovery=recovery,
        delays=named,
    )


def _delayed_only(x: FloatArray, coupled: bool) -> FloatArray:
    """Extra finish `x` (V,) for the delayed layer of ``(V, 2, nb)`` (or all of ``(V, nb)``)."""
    if not coupled:
        return x[:, None]
    return np.stack([np.zeros_like(x), x], axis=1)[:, :, None]


class _Chunk:
    """Blocks ``b0 .. b1 - 1`` of `monte_carlo_rounds`: draws each round once, counts.

    With delays the scenarios are laid out ``(V, 2, nb)``: layer 0 without
    the delays, layer 1 with them, both on the same samples.
    """

    def __init__(
        self,
        C: CompiledOrg,
        specs: _RoundSpecs,
        b0: int,
        b1: int,
        n: int,
        coupled: bool,
        targets: IntArray,
        goal: FloatArray,
    ) -> None:
        self.C, self.specs, self.b0, self.b1 = C, specs, b0, b1
        self.lo, self.hi = b0 * BLOCK, min(b1 * BLOCK, n)
        self.nb = self.hi - self.lo
        self.coupled = coupled
        self.shape = (2, self.nb) if coupled else (self.nb,)
        self.targets, self.goal = targets, goal
        self.on_time = np.zeros(len(goal))
        self.last_diff = np.full(self.nb, -1, dtype=np.int64)
        self._round = -1
        self._w = np.empty((C.n_nodes, self.nb))
        self._ld = np.empty((C.n_edges, self.nb))

    def _draw(self, r: int) -> None:
        if r != self._round:
            work, lead = draw_scenarios(self.C, self.specs[r], self.lo, self.hi, ties="supply")
            self._w[:] = work.T
            self._ld[:] = lead.T
            self._round = r

    def work(self, r: int) -> FloatArray:
        self._draw(r)
        return self._w[:, None, :] if self.coupled else self._w

    def lead(self, r: int) -> FloatArray:
        self._draw(r)
        return self._ld[:, None, :] if self.coupled else self._ld

    def observe(self, r: int, fin: FloatArray) -> None:
        run = fin[:, 1] if self.coupled else fin
        self.on_time[r] += float((run[self.targets] <= self.goal[r][:, None]).all(axis=0).sum())
        if self.coupled:
            plain = fin[:, 0]
            tol = TIE_TOL * np.maximum(1.0, np.abs(plain))
            self.last_diff[(run - plain > tol).any(axis=0)] = r
