"""Cascade-delay simulation at company scale: Monte Carlo forward pass, baselines, memory.

On ``generate_org(20_000)`` (about 100,000 blocking services) with n = 1,000
scenarios, prints in one run, as medians of `--repeat` runs:

(a) the engine's compiled forward pass (`forward`), one scenario at a time;
(b) one copy of an edges × scenarios float64 array, the memory floor, and (a)/(b)
    (also into a preallocated array, which leaves out the page faults of a
    fresh allocation);
(c) a per-scenario pure-Python loop over the networkx graph (topological
    order, dict lookups), timed on a few scenarios and scaled to n, and (c)/(a);
(d) `intcust.sim.sensitivity` for every node against re-simulating the
    organisation once per delayed node (the engine's own forward pass, timed
    on a few nodes and scaled to V);
(e) the peak memory of ``monte_carlo`` with n = 100,000 through chunking
    (tracemalloc, which sees numpy's allocations).

Targets: (a)/(b) <= 5, (c)/(a) >= 100, (d) >= 1000x, (e) < 2 GiB.

    python benchmarks/bench_cascade.py [--nodes 20000] [--scenarios 1000] [--big 100000]
"""

from __future__ import annotations

import argparse
import math
import sys
import time
import tracemalloc
from collections.abc import Hashable
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np

import intcust as ic
from intcust.sim._point import forward
from intcust.sim._sampling import BLOCK
from intcust.sim.montecarlo import default_chunk

sys.path.insert(0, str(Path(__file__).resolve().parent))  # run as a script or imported
from _common import timed


def organisation(nodes: int) -> tuple[nx.DiGraph, str]:
    """`generate_org` when available, else a synthetic DAG of the same size."""
    for module in ("intcust.datasets", "intcust.graph.generators"):
        try:
            generate_org = __import__(module, fromlist=["generate_org"]).generate_org
        except (ImportError, AttributeError):
            continue
        G: nx.DiGraph = generate_org(nodes, seed=1)
        return G, f"generate_org({nodes}, seed=1)"
    return synthetic(nodes), f"synthetic DAG ({nodes} stakeholders; generate_org not available)"


def synthetic(nodes: int, *, out_degree: int = 5, seed: int = 1) -> nx.DiGraph:
    """A random DAG with about ``out_degree × nodes`` blocking services.

    Work is PERT on two thirds of the stakeholders, lead times triangular on
    a quarter of the services, some deliverables have two suppliers (OR),
    and 20 external customers take the output of 50 stakeholders each.
    """
    rng = np.random.default_rng(seed)
    G = ic.org_graph(name=f"synthetic {nodes}", time_unit="day")
    low = rng.uniform(0.5, 2.0, nodes)
    for i in range(nodes):
        work: Any = float(i % 5)
        if i % 3:
            work = {"dist": "pert", "low": low[i], "mode": 1.5 * low[i], "high": 4 * low[i]}
        G.add_node(i, kind="person", unit=f"unit {i % 50}", work=work)
    m = out_degree * nodes
    u = rng.integers(0, nodes, int(1.3 * m))
    v = rng.integers(0, nodes, u.size)
    pairs = np.unique(np.stack([np.minimum(u, v), np.maximum(u, v)], axis=1), axis=0)
    pairs = pairs[pairs[:, 0] < pairs[:, 1]]
    pairs = pairs[rng.permutation(len(pairs))[:m]]
    tri = {"dist": "triangular", "low": 0.0, "mode": 0.2, "high": 1.0}
    for k, (a, b) in enumerate(pairs.tolist()):
        G.add_edge(
            a,
            b,
            lead_time=tri if k % 4 == 0 else 0.1,
            deliverable=f"part {b}" if k % 7 == 0 else None,
        )
    for c in range(20):
        name = f"customer {c}"
        G.add_node(name, kind="external", due=80.0)
        for a in rng.choice(nodes, 50, replace=False).tolist():
            G.add_edge(a, name)
    for _, _, d in G.edges(data=True):
        if d["deliverable"] is None:
            del d["deliverable"]
    return G


def python_forward(
    G: nx.DiGraph,
    order: list[Hashable],
    work: dict[Hashable, float],
    lead: dict[tuple[Hashable, Hashable], float],
) -> dict[Hashable, float]:
    """One scenario, the plain way: walk the graph in topological order."""
    finish: dict[Hashable, float] = {}
    for v in order:
        groups: dict[Any, float] = {}
        for u, d in G._pred[v].items():
            if d.get("blocking", True) is False or d.get("lag", 0):
                continue
            key = d.get("deliverable") or ("edge", u)
            arrival = finish[u] + lead[u, v]
            if arrival < groups.get(key, math.inf):
                groups[key] = arrival
        ready = max(groups.values(), default=0.0)
        finish[v] = max(ready, G.nodes[v].get("start") or 0.0) + work[v]
    return finish


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=20_000)
    parser.add_argument("--scenarios", type=int, default=1_000)
    parser.add_argument("--big", type=int, default=100_000, help="n for the memory run; 0 skips")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--python-scenarios", type=int, default=3)
    parser.add_argument("--resimulated-nodes", type=int, default=20)
    args = parser.parse_args()
    n, repeat = args.scenarios, args.repeat

    t0 = time.perf_counter()
    G, label = organisation(args.nodes)
    C = ic.compile(G)
    gating = int(C.gate.sum())
    print(
        f"organisation: {label}: {C.n_nodes:,} nodes, {C.n_edges:,} services "
        f"({gating:,} blocking), {len(C.level_ptr) - 1} levels; "
        f"built and compiled in {time.perf_counter() - t0:.1f} s"
    )

    chunk = default_chunk(C)
    rng = np.random.default_rng(1)
    work = C.work.sample(n, rng)
    lead = C.lead_time.sample(n, rng)
    rows = list(zip(np.ascontiguousarray(work.T), np.ascontiguousarray(lead.T), strict=True))

    def forward_passes() -> None:
        for w, ld in rows:
            forward(C, w, ld)

    t_a, _ = timed(forward_passes, repeat)
    t_b, _ = timed(lead.copy, repeat)
    target = np.empty_like(lead)
    t_b2, _ = timed(lambda: np.copyto(target, lead), repeat)
    print(f"(a) the compiled forward pass, n={n:,} scenarios one at a time: {t_a:.3f} s")
    print(
        f"(b) one copy of an edges x scenarios float64 array ({lead.nbytes / 2**20:,.0f} MiB): "
        f"{t_b:.3f} s; (a)/(b) = {t_a / t_b:.1f} (target <= 5)"
    )
    print(
        f"    the same copy into a preallocated array (no page faults): {t_b2:.3f} s; "
        f"(a)/that = {t_a / t_b2:.1f}"
    )
    t_mc, mc = timed(lambda: ic.sim.monte_carlo(C, n, seed=1), 1)
    print(
        f"    whole monte_carlo (sampling, forward, backward, statistics): {t_mc:.2f} s; "
        f"makespan P50 {mc.quantile(0.5):.2f}, P90 {mc.quantile(0.9):.2f}"
    )

    order = [C.nodes[i] for i in C.topo]
    k = max(1, min(args.python_scenarios, n))
    edges = [(C.nodes[s], C.nodes[d]) for s, d in zip(C.src.tolist(), C.dst.tolist(), strict=True)]
    scen = [
        (
            {v: float(work[i, s]) for i, v in enumerate(C.nodes)},
            dict(zip(edges, lead[:, s].tolist(), strict=True)),
        )
        for s in range(k)
    ]

    def python_loop() -> list[dict[Hashable, float]]:
        return [python_forward(G, order, w, ld) for w, ld in scen]

    t_c, py = timed(python_loop, 1)
    for s in range(k):
        finish = forward(C, *rows[s])[1]
        assert np.allclose([py[s][v] for v in C.nodes], finish), "baselines disagree"
    t_c_n = t_c / k * n
    print(
        f"(c) pure-Python loop over the networkx graph: {t_c / k:.3f} s per scenario, "
        f"{t_c_n:.1f} s scaled to n; (c)/(a) = {t_c_n / t_a:.0f} (target >= 100)"
    )

    sensitivity = getattr(ic.sim, "sensitivity", None)
    if sensitivity is None:
        print("(d) sensitivity: not available")
    else:
        t_s, _ = timed(lambda: sensitivity(C), repeat)  # compiled once, as (a) to (c)
        w0, l0 = C.work.point("mode"), C.lead_time.point("mode")
        picks = np.random.default_rng(2).choice(C.n_nodes, args.resimulated_nodes, replace=False)

        def resimulate() -> None:
            for i in picks:
                w = w0.copy()
                w[i] += 1.0
                forward(C, w, l0)

        t_r, _ = timed(resimulate, repeat)
        t_r_all = t_r / len(picks) * C.n_nodes
        print(
            f"(d) sensitivity for all {C.n_nodes:,} nodes: {t_s:.3f} s; re-simulating per node: "
            f"{t_r_all:.1f} s scaled; ratio {t_r_all / t_s:,.0f}x (target >= 1000x)"
        )

    if args.big:
        tracemalloc.start()
        t_big, big = timed(lambda: ic.sim.monte_carlo(C, args.big, seed=1), 1)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        print(
            f"(e) monte_carlo n={args.big:,} (chunks of {chunk}, blocks of {BLOCK}): "
            f"{t_big:.0f} s, peak traced memory {peak / 2**30:.2f} GiB (target < 2 GiB); "
            f"P90 makespan {big.quantile(0.9):.2f}"
        )


if __name__ == "__main__":
    main()
