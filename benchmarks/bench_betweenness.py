"""Betweenness, exact and sampled, unweighted and weighted: intcust vs networkx vs igraph.

For ``generate_org(n)`` at each size, times in one process:

- exact betweenness, by hand-offs and by ``lead_time``:
  ``nx.betweenness_centrality(G[, weight])`` and igraph's ``Graph.betweenness``;
- sampled betweenness from `k` sources: ``nx.betweenness_centrality(G, k=k)``
  and igraph's ``Graph.betweenness(sources=...)`` on the same number of
  sources (igraph has no estimator; it sums the same dependencies). intcust
  searches from each sampled node twice, as a source and as a target, for
  its standard error.

intcust is timed from the networkx graph (the conversion to arrays included)
on all numba threads and on one; igraph runs on one thread, from a graph
built beforehand. The first intcust call of the process (numba loading its
cached kernels) is reported apart, and so is a first call in a fresh process
with an empty kernel cache (numba compiling them). Medians of `--repeat`
runs (`--nx-repeat` for networkx, which is slow); ratios are networkx or
igraph time over intcust time, so above 1 means intcust is faster. The last
column compares CPU times of igraph and of intcust on one thread, which
other processes on the machine disturb less than wall times.

Every result is checked: exact values equal networkx's to 1e-9 (weighted:
networkx on the lengths in whole units of 1e-9, which add exactly, as
intcust's do; see `betweenness`), and igraph's to 1e-9; the sampled
estimator on networkx's own sources equals networkx's estimate, and its
sums igraph's on the same sources.

    python benchmarks/bench_betweenness.py [--sizes 3000 5000] [--k 200] [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from typing import Any

import networkx as nx
import numpy as np

import intcust as ic
from intcust.metrics._network import network
from intcust.metrics.network.brandes import DECIMALS, _dependencies, _estimate

FIRST_CALL = """
import time, intcust as ic
G = ic.datasets.generate_org({n}, seed=1)
t0 = time.perf_counter()
ic.metrics.betweenness(G)
print(time.perf_counter() - t0)
"""


def timed(fn: Callable[[], Any], repeat: int) -> tuple[float, Any, float]:
    """Median wall time and median CPU time of `repeat` calls, and the last result.

    CPU time (all threads of the process) is steadier than wall time on a
    machine shared with other work; for one thread it is the time it ran.
    """
    wall, cpu, out = [], [], None
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        out = fn()
        wall.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    return statistics.median(wall), out, statistics.median(cpu)


def cold_first_call(n: int) -> float:
    """The first betweenness call in a fresh process whose kernel cache is empty."""
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "NUMBA_CACHE_DIR": cache}
        out = subprocess.run(
            [sys.executable, "-c", FIRST_CALL.format(n=n)],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
    return float(out.stdout.split()[-1])


def to_igraph(G: nx.DiGraph, nodes: list[Any]) -> Any:
    import igraph

    index = {v: i for i, v in enumerate(nodes)}
    H = igraph.Graph(
        n=len(nodes), edges=[(index[u], index[v]) for u, v in G.edges()], directed=True
    )
    H.es["lead_time"] = [ic.sim.as_duration(d["lead_time"]).mode for _, _, d in G.edges(data=True)]
    return H


def in_units(G: nx.DiGraph) -> nx.DiGraph:
    """`G` with ``lead_time`` in whole units of 1e-9, as Python ints (exact sums in networkx)."""
    H = G.copy()
    for _, _, d in H.edges(data=True):
        d["lead_time"] = round(ic.sim.as_duration(d["lead_time"]).mode * 10**DECIMALS)
    return H


def worst(ours: dict[Any, float], theirs: dict[Any, float]) -> float:
    return max((abs(ours[v] - theirs[v]) for v in theirs), default=0.0)


def check(what: str, error: float, tol: float = 1e-9) -> None:
    if not error <= tol:
        raise AssertionError(f"{what}: differs by {error:g}")


def on_threads(threads: int, fn: Callable[[], Any]) -> Callable[[], Any]:
    import numba

    def run() -> Any:
        before = numba.get_num_threads()
        numba.set_num_threads(threads)
        try:
            return fn()
        finally:
            numba.set_num_threads(before)

    return run


def row(name: str, ours: float, one: float, theirs: float, igraph: float, cpu: float) -> None:
    print(
        f"  {name:<24} {ours:8.3f} s {one:8.3f} s {theirs:9.2f} s {igraph:8.3f} s "
        f"{theirs / ours:8.1f}x {igraph / ours:7.2f}x {igraph / one:7.2f}x {cpu:7.2f}x"
    )


def bench(n: int, k: int, repeat: int, nx_repeat: int) -> None:
    import numba

    M = ic.metrics
    G = ic.datasets.generate_org(n, seed=1)
    nodes = list(G)
    H = to_igraph(G, nodes)
    N = len(nodes) - 1
    scale = 1.0 / (N * (N - 1))
    print(
        f"\ngenerate_org({n:_}): {G.number_of_nodes():_} nodes, {G.number_of_edges():_} edges; "
        f"numba threads {numba.get_num_threads()}, load average {os.getloadavg()[0]:.1f}"
    )
    print(
        f"  {'':<24} {'intcust':>10} {'1 thread':>10} {'networkx':>11} {'igraph':>10} "
        f"{'nx/ic':>9} {'ig/ic':>8} {'ig/ic1':>8} {'cpu':>8}"
    )
    units = in_units(G)
    for label, weight in (("exact", None), ("exact lead_time", "lead_time")):
        t_ic, ours, _ = timed(lambda w=weight: M.betweenness(G, weight=w), repeat)
        t_one, _, c_one = timed(on_threads(1, lambda w=weight: M.betweenness(G, weight=w)), repeat)
        oracle = G if weight is None else units
        t_nx, theirs, _ = timed(
            lambda o=oracle, w=weight: nx.betweenness_centrality(o, weight=w), nx_repeat
        )
        t_ig, raw, c_ig = timed(lambda w=weight: H.betweenness(directed=True, weights=w), repeat)
        check(f"{label} vs networkx", worst(ours, theirs))
        check(
            f"{label} vs igraph",
            worst(ours, dict(zip(nodes, np.multiply(raw, scale), strict=True))),
        )
        row(label, t_ic, t_one, t_nx, t_ig, c_ig / c_one)

    seed = 7
    chosen = random.Random(seed).sample(nodes, k)  # networkx's own sources
    index = {v: i for i, v in enumerate(nodes)}
    ids = np.array([index[v] for v in chosen])
    for label, weight in ((f"sampled k={k}", None), (f"sampled k={k} lead_time", "lead_time")):
        t_ic, _, _ = timed(lambda w=weight: M.betweenness(G, weight=w, k=k, seed=seed), repeat)
        t_one, _, c_one = timed(
            on_threads(1, lambda w=weight: M.betweenness(G, weight=w, k=k, seed=seed)), repeat
        )
        oracle = G if weight is None else units
        t_nx, theirs, _ = timed(
            lambda o=oracle, w=weight: nx.betweenness_centrality(o, k=k, seed=seed, weight=w),
            nx_repeat,
        )
        t_ig, raw, c_ig = timed(
            lambda w=weight: H.betweenness(directed=True, weights=w, sources=ids.tolist()), repeat
        )
        net = network(G, weight=weight, func="bench")
        total, square = _dependencies(net, ids, weighted=weight is not None)
        values, _ = _estimate(total, square, ids, net.n, normalized=True, exact=False)
        check(
            f"{label} vs networkx", worst(dict(zip(nodes, values.tolist(), strict=True)), theirs)
        )
        check(
            f"{label} vs igraph", float(np.max(np.abs(total - raw))), 1e-9 * max(1.0, total.max())
        )
        row(label, t_ic, t_one, t_nx, t_ig, c_ig / c_one)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[3000, 5000])
    parser.add_argument("--k", type=int, default=200, help="sampled sources")
    parser.add_argument("--repeat", type=int, default=7, help="runs of intcust and igraph")
    parser.add_argument("--nx-repeat", type=int, default=1, help="runs of networkx")
    args = parser.parse_args()
    import igraph  # noqa: F401  (fail early: igraph is the benchmark's second oracle)

    G = ic.datasets.generate_org(args.sizes[0], seed=1)
    t0 = time.perf_counter()
    ic.metrics.betweenness(G)
    first = time.perf_counter() - t0
    t_warm, _, _ = timed(lambda: ic.metrics.betweenness(G), args.repeat)
    cold = cold_first_call(args.sizes[0])
    print(
        f"first call on generate_org({args.sizes[0]}): {first:.2f} s in this process "
        f"(numba imported, kernels loaded from its cache), {cold:.2f} s in a fresh process "
        f"with an empty cache (kernels compiled); warm calls {t_warm:.3f} s"
    )
    print(
        "median wall time; nx/ic, ig/ic, ig/ic1: their time over intcust's (all threads, or "
        "one); cpu: igraph's CPU time over intcust's on one thread"
    )
    for n in args.sizes:
        bench(n, args.k, args.repeat, args.nx_repeat)


if __name__ == "__main__":
    main()
