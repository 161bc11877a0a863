"""The timing engine against its floor and against simple peers, in one process.

Two networks, each simulated for n = 1,000 scenarios by `monte_carlo`
(sampling, exact criticality per customer, exact floats and statistics
included):

- ``generate_org(20000, seed=1)``: about 100,000 services, 20 levels;
- a random project of 20,000 tasks and about 100,000 precedences with about
  1,000 topological levels and PERT work (the shape of PSPLIB and of long
  value streams).

Printed, as medians of `--repeat` runs:

(a) `monte_carlo(n)`;
(b) the floor: one uniform number drawn per random duration and scenario, and
    an edges × scenarios float64 array filled and copied once, in chunks of
    64 scenarios as the engine runs them; (a) and (b) are timed in turns and
    (a)/(b) is the median of the ratios of the turns; target <= 3;
(c) a plain Python loop over the activities (the classic PERT simulator:
    durations sampled by numpy, then one pass per scenario over the tasks in
    topological order with dict lookups), timed on a few scenarios and
    scaled to n; (c)/(a);
(d) `sensitivity` for every node against delaying each node in turn and
    rerunning the compiled forward pass (timed on a sample of nodes, scaled
    to V; the two timed in turns, the median ratio); target >= 1000x;
(e) a fresh process (import, ``generate_org(2000)`` and the first
    `monte_carlo` call, compilation included) and that call alone, in three
    subprocesses, each with an empty numba cache: their medians; then a fresh
    process that reuses a cache; target < 5 s;
(f) the peak memory of ``monte_carlo(generate_org(2000), 100_000)``; target
    < 2 GiB.

    python benchmarks/bench_engine.py [--scenarios 1000] [--repeat 3] [--quick]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np

import intcust as ic
from intcust.sim._point import forward

sys.path.insert(0, str(Path(__file__).resolve().parent))  # run as a script or imported
from _common import timed


def deep_project(tasks: int = 20_000, precedences: int = 100_000, seed: int = 1) -> nx.DiGraph:
    """A random project: each task waits for about five earlier tasks drawn from a
    short window behind it, which makes about 1,000 topological levels."""
    rng = np.random.default_rng(seed)
    G = ic.org_graph(name=f"deep project of {tasks} tasks", time_unit="day")
    low = np.round(rng.uniform(0.5, 2.0, tasks), 2)
    for i in range(tasks):
        G.add_node(i, work={"dist": "pert", "low": low[i], "mode": 2 * low[i], "high": 5 * low[i]})
    per = precedences / tasks
    window = 210  # about 1,000 topological levels on 20,000 tasks
    src, dst = [], []
    for j in range(1, tasks):
        k = min(j, rng.poisson(per))
        lo = max(0, j - window)
        for i in rng.choice(np.arange(lo, j), size=min(k, j - lo), replace=False).tolist():
            src.append(i)
            dst.append(j)
    G.add_edges_from(zip(src, dst, strict=True))
    sinks = [v for v in G if G.out_degree(v) == 0]
    for c in range(5):
        G.add_node(f"customer {c + 1}", kind="external")
    for k, v in enumerate(sinks):
        G.add_edge(v, f"customer {k % 5 + 1}")
    return G


def floor(C: ic.CompiledOrg, n: int) -> Callable[[], None]:
    """Uniforms for every random duration, and an edges × scenarios array filled and
    copied, 64 scenarios at a time (the memory traffic of materialised scenarios)."""
    random = sum(len(f.index) for f in C.work.families if f.dist != "fixed")
    random += sum(
        np.count_nonzero(C.gate[f.index]) for f in C.lead_time.families if f.dist != "fixed"
    )
    rng = np.random.default_rng(0)
    block = np.empty((C.n_edges, 64))
    copy = np.empty_like(block)

    def run() -> None:
        for _ in range(0, n, 64):
            rng.random(random * 64)
            block.fill(1.0)
            np.copyto(copy, block)

    return run


def paired(a: Callable[[], Any], b: Callable[[], Any], repeat: int) -> tuple[float, float, float]:
    """Median times of `a` and `b` and the median of their ratios, timed in turns (a, b,
    a, b, ...) so that each ratio compares the two under the same load."""
    ta, tb = [], []
    for _ in range(repeat):
        ta.append(timed(a, 1)[0])
        tb.append(timed(b, 1)[0])
    ratios = [x / y for x, y in zip(ta, tb, strict=True)]
    return statistics.median(ta), statistics.median(tb), statistics.median(ratios)


def python_pert(C: ic.CompiledOrg, scenarios: int) -> float:
    """Seconds per scenario of a plain Python PERT simulator over the activities:
    nodes in topological order, each waiting for every deliverable (AND), a
    deliverable arriving from its first supplier (OR), in dicts and lists."""
    order = C.names(C.topo)
    groups: dict[Any, dict[int, list[tuple[Any, int]]]] = {v: {} for v in order}
    for e in np.flatnonzero(C.gate).tolist():
        v = C.nodes[int(C.dst[e])]
        groups[v].setdefault(int(C.join[e]), []).append((C.nodes[int(C.src[e])], e))
    plan = [(v, list(g.values())) for v, g in groups.items()]
    idx = C.index
    start = dict(zip(C.nodes, C.start.tolist(), strict=True))
    rng = np.random.default_rng(0)
    work = C.work.sample(scenarios, rng).T.tolist()
    lead = C.lead_time.sample(scenarios, rng).T.tolist()
    t0 = time.perf_counter()
    for s in range(scenarios):
        w, ld = work[s], lead[s]
        finish: dict[Any, float] = {}
        for v, deliverables in plan:
            ready = 0.0
            for alternatives in deliverables:
                first = min(finish[u] + ld[e] for u, e in alternatives)
                if first > ready:
                    ready = first
            finish[v] = max(ready, start[v]) + w[idx[v]]
    return (time.perf_counter() - t0) / scenarios


def sensitivity_ratio(G: nx.DiGraph, repeat: int, sample: int = 200) -> tuple[float, float, float]:
    """Seconds of `sensitivity`, of delaying every node in turn (timed on `sample`
    nodes, scaled), and the median ratio of the two, timed in turns."""
    C = ic.compile(G)
    w, ld = C.work.point(), C.lead_time.point()
    nodes = np.random.default_rng(0).choice(C.n_nodes, size=min(sample, C.n_nodes), replace=False)

    def one_by_one() -> None:
        for x in nodes.tolist():
            w2 = w.copy()
            w2[x] += 1.0
            forward(C, w2, ld)

    ic.sim.sensitivity(C, amount=1.0)
    t_sens, t_each, ratio = paired(
        lambda: ic.sim.sensitivity(C, amount=1.0), one_by_one, max(repeat, 7)
    )
    scale = C.n_nodes / len(nodes)
    return t_sens, t_each * scale, scale / ratio


def cold_start(n: int, runs: int = 3) -> tuple[list[float], list[float], float]:
    """Seconds for import + generate_org + the first monte_carlo in a fresh process,
    and for that first call alone: each of `runs` processes with an empty cache of
    its own, then one that reuses a cache (whole process)."""
    code = (
        "import time; t = time.perf_counter(); import intcust as ic; "
        "G = ic.datasets.generate_org(2000, seed=1); c = time.perf_counter(); "
        f"ic.sim.monte_carlo(G, {n}, seed=1); e = time.perf_counter(); print(e - t, e - c)"
    )

    def fresh_process(cache: str) -> tuple[float, float]:
        env = {**os.environ, "NUMBA_CACHE_DIR": cache}
        run = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
        )
        whole, call = run.stdout.strip().splitlines()[-1].split()
        return float(whole), float(call)

    cold, calls = [], []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as cache:
            whole, call = fresh_process(cache)
            cold.append(whole)
            calls.append(call)
            warm = fresh_process(cache)[0]
    return sorted(cold), sorted(calls), warm


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--scenarios", type=int, default=1000)
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--big", type=int, default=100_000, help="scenarios of the memory run")
    p.add_argument("--quick", action="store_true", help="smaller networks, for a smoke run")
    args = p.parse_args(argv)
    n = args.scenarios
    size = 2000 if args.quick else 20_000
    nets = {
        f"generate_org({size}, seed=1)": ic.datasets.generate_org(size, seed=1),
        f"deep project ({size} tasks)": deep_project(size, 5 * size),
    }
    ic.sim.monte_carlo(ic.datasets.email_campaign(), 64, seed=0)  # compile once
    for name, G in nets.items():
        C = ic.compile(G)
        levels = len(C.level_ptr) - 1
        print(f"\n{name}: {C.n_nodes:,} nodes, {C.n_edges:,} services, {levels} levels")
        t_mc, t_floor, ratio = paired(
            lambda C=C: ic.sim.monte_carlo(C, n, seed=1), floor(C, n), args.repeat
        )
        t_py = python_pert(C, 3) * n
        print(f"(a) monte_carlo(n={n}):            {t_mc:8.3f} s")
        print(f"(b) floor (uniforms + E×S stream): {t_floor:8.3f} s   (a)/(b) = {ratio:.2f}")
        print(f"(c) Python PERT loop (scaled):     {t_py:8.3f} s   (c)/(a) = {t_py / t_mc:.1f}")
        t_sens, brute, speedup = sensitivity_ratio(G, args.repeat)
        print(
            f"(d) sensitivity: {t_sens:.4f} s; one forward pass per node (scaled): {brute:.1f} s;"
            f" ratio {speedup:,.0f}x"
        )
    cold, calls, warm = cold_start(n)
    print(f"\n(e) fresh process, import + generate_org(2000) + monte_carlo(n={n}):")
    print(
        f"    empty numba cache {np.median(cold):.2f} s (median of {len(cold)}: "
        + ", ".join(f"{t:.2f}" for t in cold)
        + f"); the monte_carlo call alone {np.median(calls):.2f} s; cache reused {warm:.2f} s"
    )
    G = ic.datasets.generate_org(2000, seed=1)
    tracemalloc.start()
    ic.sim.monte_carlo(G, args.big, seed=1)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(f"(f) monte_carlo(generate_org(2000), {args.big:,}) peak {peak / 2**30:.3f} GiB")


if __name__ == "__main__":
    main()
