"""Service centrality on large organisations, against networkx in the same run.

For ``generate_org(n)`` at each size, times every metric of
`intcust.metrics.network.centrality`, `brandes` and `reach` twice: from the
networkx graph (the conversion to arrays included) and from a `CompiledOrg`
built once (its compile time printed apart), next to networkx's equivalent:

- service_load: ``G.out_degree`` / ``G.in_degree`` dicts, weighted and not;
- reliance / dependence: ``nx.pagerank`` on ``G`` / on ``G.reverse(copy=False)``;
- betweenness with `k` sampled sources: ``nx.betweenness_centrality(G, k=k)``;
- external_reach: per external customer ``nx.ancestors`` on the blocking
  ties (count and volume), plus multi-source Dijkstra for hops and lead time.

Each result is checked against networkx's (PageRank to 1e-9, sampled
betweenness by the exact estimator on networkx's own sources, reach exactly).

    python benchmarks/bench_metrics.py [--sizes 10000 100000] [--k 16] [--repeat 3]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np

import intcust as ic
from intcust.metrics._network import network
from intcust.metrics.network.brandes import _dependencies, _estimate

sys.path.insert(0, str(Path(__file__).resolve().parent))  # run as a script or imported
from _common import timed


def nx_service_load(G: nx.DiGraph) -> dict[str, dict[Any, float]]:
    return {
        "customers": dict(G.out_degree()),
        "volume_supplied": dict(G.out_degree(weight="volume")),
        "suppliers": dict(G.in_degree()),
        "volume_received": dict(G.in_degree(weight="volume")),
    }


def nx_reach(G: nx.DiGraph) -> dict[Any, tuple[int, float, Any, Any]]:
    """Customers, volume, hops and lead time to the nearest customer, per node."""
    H = nx.DiGraph()
    H.add_nodes_from(G)
    H.add_edges_from((u, v, d) for u, v, d in G.edges(data=True) if d.get("blocking") is not False)
    customers = ic.external_customers(G)
    count = dict.fromkeys(G, 0)
    volume = dict.fromkeys(G, 0.0)
    for c in customers:
        demand = sum(d.get("volume", 1.0) for _, _, d in H.in_edges(c, data=True))
        for v in nx.ancestors(H, c) | {c}:
            count[v] += 1
            volume[v] += demand
    R = H.reverse(copy=False)
    hops = nx.multi_source_dijkstra_path_length(R, customers, weight=lambda u, v, d: 1)
    lead = nx.multi_source_dijkstra_path_length(
        R, customers, weight=lambda u, v, d: d.get("lead_time", 0.0)
    )
    return {v: (count[v], volume[v], hops.get(v), lead.get(v)) for v in G}


def check_close(ours: dict[Any, float], theirs: dict[Any, float], what: str) -> None:
    worst = max((abs(ours[v] - theirs[v]) for v in theirs), default=0.0)
    if worst > 1e-9:
        raise AssertionError(f"{what}: differs from networkx by {worst:g}")


def row(name: str, ours: float, compiled: float, theirs: float | None) -> None:
    if theirs is None:
        print(f"  {name:<24} {ours:9.3f} s {compiled:9.3f} s {'-':>11} {'-':>8} {'-':>8}")
        return
    print(
        f"  {name:<24} {ours:9.3f} s {compiled:9.3f} s {theirs:9.3f} s "
        f"{theirs / ours:7.1f}x {theirs / compiled:7.1f}x"
    )


def bench(n: int, k: int, repeat: int) -> None:
    t0 = time.perf_counter()
    G = ic.datasets.generate_org(n, seed=1)
    made = time.perf_counter() - t0
    t_compile, C = timed(lambda: ic.compile(G), 1)
    print(
        f"\ngenerate_org({n:_}): {G.number_of_nodes():_} nodes, {G.number_of_edges():_} "
        f"edges, {len(ic.external_customers(G))} customers (made in {made:.1f} s, "
        f"compiled in {t_compile:.2f} s)"
    )
    print(
        f"  {'metric':<24} {'from graph':>11} {'compiled':>11} {'networkx':>11} "
        f"{'vs graph':>8} {'vs comp.':>8}"
    )
    M = ic.metrics

    t_g, load = timed(lambda: M.service_load(G), repeat)
    t_c, _ = timed(lambda: M.service_load(C), repeat)
    t_nx, theirs = timed(lambda: nx_service_load(G), 1)
    for col, expected in theirs.items():
        check_close(load.column(col), expected, f"service_load {col}")
    row("service_load", t_g, t_c, t_nx)

    for name, fn, oracle in (
        ("reliance", M.reliance, lambda: nx.pagerank(G, weight="volume")),
        ("dependence", M.dependence, lambda: nx.pagerank(G.reverse(copy=False), weight="volume")),
    ):
        t_g, ours = timed(lambda fn=fn: fn(G, ties="all"), repeat)  # networkx counts every tie
        t_c, _ = timed(lambda fn=fn: fn(C, ties="all"), repeat)
        t_nx, expected = timed(oracle, 1)
        check_close(ours, expected, name)
        row(f"{name} (PageRank)", t_g, t_c, t_nx)

    seed = 7
    t_g, _ = timed(lambda: M.betweenness(G, k=k, seed=seed), repeat)
    t_c, _ = timed(lambda: M.betweenness(C, k=k, seed=seed), repeat)
    t_nx, expected = timed(lambda: nx.betweenness_centrality(G, k=k, seed=seed), 1)
    # the same estimator on networkx's own sources gives networkx's numbers
    net = network(G, weight=None, func="bench")
    index = {v: i for i, v in enumerate(net.nodes)}
    ids = np.array([index[v] for v in random.Random(seed).sample(list(G.nodes()), k)])
    total, square = _dependencies(net, ids, weighted=False)
    values, _ = _estimate(total, square, ids, net.n, normalized=True, exact=False)
    check_close(dict(zip(net.nodes, values.tolist(), strict=True)), expected, "betweenness")
    row(f"betweenness (k={k})", t_g, t_c, t_nx)

    t_g, reach = timed(lambda: M.external_reach(G), repeat)
    t_c, _ = timed(lambda: M.external_reach(C), repeat)
    t_nx, expected = timed(lambda: nx_reach(G), 1)
    for v, (count, volume, hops, lead) in expected.items():
        got = reach[v]
        assert got["dependent_customers"] == count and got["hops_to_customer"] == hops, v
        assert abs(got["dependent_volume"] - volume) <= 1e-9 * max(1.0, volume), v
        assert (lead is None) == (got["lead_time_to_customer"] is None), v
    row("external_reach", t_g, t_c, t_nx)

    t_g, _ = timed(lambda: M.betweenness(G, weight="lead_time", k=k, seed=seed), 1)
    t_c, _ = timed(lambda: M.betweenness(C, weight="lead_time", k=k, seed=seed), 1)
    t_nx, _ = timed(lambda: nx.betweenness_centrality(G, k=k, seed=seed, weight="lead_time"), 1)
    row("betweenness lead_time", t_g, t_c, t_nx)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--k", type=int, default=16, help="sampled betweenness sources")
    parser.add_argument("--repeat", type=int, default=3, help="runs of intcust per median")
    args = parser.parse_args()
    print("median wall time; ratio = networkx time / intcust time (same process)")
    for n in args.sizes:
        bench(n, args.k, args.repeat)


if __name__ == "__main__":
    main()
