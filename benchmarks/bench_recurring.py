"""Recurring rounds at company scale: cycle time, k rounds × scenarios, memory floor.

Feedback ties of ``generate_org`` become blocking hand-offs with ``lag=1``
(the answer to this week's service gates next week's), which closes
thousands of loops. Prints, as medians of `--repeat` runs:

(a) `cycle_time` on ``generate_org(--big)`` (default 100,000 people), against
    `compile` of the same organisation as the baseline, and the ratio; as a
    check, the growth per round of 60 simulated rounds, which must equal λ;
(b) `monte_carlo_rounds` with k = 52 rounds × n = 1,000 scenarios and one
    delay on ``generate_org(--nodes)``, against one copy of a nodes ×
    scenarios float64 array (the memory floor: its size, and the time to
    write it once per round), with the ratios of time and of peak memory
    (tracemalloc) to that floor;
(c) `monte_carlo` (one round, n scenarios) on the same organisation, and
    the ratio of (b) per round to it.

Target: (a) seconds, not minutes.

    python benchmarks/bench_recurring.py [--big 100000] [--nodes 2000] [--rounds 52] [--scenarios 1000]
"""

from __future__ import annotations

import argparse
import sys
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np

import intcust as ic
from intcust.sim.maxplus import cycle_time
from intcust.sim.recurrence import rounds
from intcust.sim.recurrence_risk import monte_carlo_rounds

sys.path.insert(0, str(Path(__file__).resolve().parent))  # run as a script or imported
from _common import timed


def recurring_org(n: int) -> nx.DiGraph:
    """``generate_org(n)`` with its feedback ties made blocking with lag 1."""
    G: nx.DiGraph = ic.datasets.generate_org(n, seed=1)
    for _, _, d in G.edges(data=True):
        if d.get("deliverable") == "feedback":
            d["blocking"] = True
            d["lag"] = 1
    return G


def peak(fn: Callable[[], Any]) -> int:
    """Peak bytes allocated while `fn` runs (tracemalloc sees numpy's buffers)."""
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--big", type=int, default=100_000)
    ap.add_argument("--nodes", type=int, default=2_000)
    ap.add_argument("--rounds", type=int, default=52)
    ap.add_argument("--scenarios", type=int, default=1_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    G = recurring_org(args.big)
    lagged = sum(1 for *_, d in G.edges(data=True) if d.get("lag"))
    t_compile, C = timed(lambda: ic.compile(G), args.repeat)
    t_ct, ct = timed(lambda: cycle_time(C), args.repeat)
    crit = ct.critical[0]
    print(
        f"(a) generate_org({args.big}): {C.n_nodes} nodes, {C.n_edges} edges, "
        f"{lagged} lagged feedback ties"
    )
    print(f"    compile     {t_compile:8.3f} s (baseline)")
    print(f"    cycle_time  {t_ct:8.3f} s   ratio {t_ct / t_compile:.2f}x compile")
    print(
        f"    λ = {ct.cycle_time:g} over {len(ct.loops)} policy loops; "
        f"critical loop of {len(crit.nodes)} nodes, {crit.weight:g} / lag {crit.lag}"
    )
    # check: λ is the growth rate of the recurrence (as fast as possible, no timetable)
    C.graph.pop("period", None)
    t_sim, res = timed(lambda: rounds(C, 60), 1)
    growth = float(((res.planned[59] - res.planned[39]) / 20).max())
    print(f"    check: 60 simulated rounds ({t_sim:.1f} s) grow by {growth:g} per round")

    H = recurring_org(args.nodes)
    CH = ic.compile(H)
    lam = cycle_time(CH).cycle_time
    period = 1.25 * lam
    delay = {(CH.nodes[int(CH.topo[0])], 0): 1.0}
    k, n = args.rounds, args.scenarios

    def run() -> Any:
        return monte_carlo_rounds(CH, k, n, seed=1, delays=delay, period=period)

    t_rounds, mc = timed(run, args.repeat)
    floor_bytes = CH.n_nodes * n * 8

    def write_floor() -> np.ndarray[Any, np.dtype[np.float64]]:
        a = np.empty((CH.n_nodes, n))
        a.fill(1.0)
        return a

    t_floor, _ = timed(write_floor, max(args.repeat, 5))
    peak_bytes = peak(run)
    t_mc, _ = timed(lambda: ic.sim.monte_carlo(CH, n, seed=1), args.repeat)
    per_round = t_rounds / k
    print(
        f"(b) generate_org({args.nodes}): {CH.n_nodes} nodes, {CH.n_edges} edges, "
        f"λ = {lam:g}, period {period:g}; {k} rounds × {n} scenarios, one delay"
    )
    print(f"    monte_carlo_rounds {t_rounds:8.3f} s  ({per_round * 1e3:.1f} ms per round)")
    print(
        f"    floor: one {CH.n_nodes} × {n} float64 array, {floor_bytes / 2**20:.1f} MiB, "
        f"written in {t_floor * 1e3:.2f} ms"
    )
    print(
        f"    ratios: time per round / floor write {per_round / t_floor:.1f}x; "
        f"peak memory {peak_bytes / 2**20:.1f} MiB = {peak_bytes / floor_bytes:.2f}x floor"
    )
    rec = mc.recovery_quantiles()
    print(
        f"    recovered within {k} rounds: {mc.p_recovered:.3f}; recovery quantiles {rec}; "
        f"P(round 0 on time) {mc.p_on_time[0]:.3f}, P(round {k - 1}) {mc.p_on_time[-1]:.3f}"
    )
    print(
        f"(c) monte_carlo (one round, {n} scenarios) {t_mc:8.3f} s; "
        f"rounds per round / monte_carlo {per_round / t_mc:.2f}x"
    )


if __name__ == "__main__":
    main()
