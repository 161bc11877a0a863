"""Single points of failure and bus factor for every external customer of a large organisation.

Compares, in the same run, intcust's one-pass AND/OR gate sets and bus-factor
search with naive per-customer networkx calls: ``immediate_dominators`` on each
customer's ancestor graph (rooted at a virtual source feeding every node
without blocking inputs) and ``minimum_node_cut`` between that root and the
customer. Dominators read every join as OR, so they are a subset of the
AND/OR single points of failure; the script checks that too.

Two layered organisations with alternative suppliers everywhere (OR joins
only, then AND of OR joins) have no single point of failure, so the bus
factor needs the maximum-flow cut or the search; on the OR-only one it must
equal networkx's minimum node cut.

    python benchmarks/bench_bottleneck.py [--people 100000] [--customers 100] [--naive 10]
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Hashable
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np

import intcust as ic
from intcust.metrics.fragility.failure import FailureGraph, gate_sets

sys.path.insert(0, str(Path(__file__).resolve().parent))  # run as a script or imported
from _common import timed

ROOT = "__root__"


def organisation(people: int, customers: int) -> nx.DiGraph:
    """`generate_org` when available, else a layered synthetic DAG."""
    try:
        from intcust.graph.generators import generate_org
    except ImportError:
        return layered(people, customers, or_only=False)
    G: nx.DiGraph = generate_org(people, n_customers=customers, seed=1)
    return G


def layered(people: int, customers: int, *, or_only: bool, seed: int = 1) -> nx.DiGraph:
    """12 layers; each node has 3 suppliers in the layer before, as one OR group
    (`or_only`) or as two deliverables (AND of ORs). Customers take 3 suppliers."""
    rng = np.random.default_rng(seed)
    G = ic.org_graph(name=f"layered {people}")
    layers = 12
    per = people // layers
    G.add_nodes_from(range(people), kind="person")
    for i in range(per, people):
        for j in rng.choice(per, size=3, replace=False) + (i // per - 1) * per:
            G.add_edge(int(j), i, deliverable="in" if or_only else f"d{j % 2}")
    for c in range(customers):
        G.add_node(f"customer {c}", kind="external")
        for j in rng.choice(per, size=3, replace=False) + (layers - 1) * per:
            G.add_edge(int(j), f"customer {c}", deliverable="service")
    return G


def blocking_graph(G: nx.DiGraph) -> nx.DiGraph:
    B = nx.DiGraph()
    B.add_nodes_from(G)
    B.add_edges_from((u, v) for u, v, d in G.edges(data=True) if d.get("blocking", True))
    return B


def rooted(B: nx.DiGraph, t: Hashable) -> nx.DiGraph:
    H = B.subgraph(nx.ancestors(B, t) | {t}).copy()
    H.add_edges_from((ROOT, v) for v in list(H) if H.in_degree(v) == 0)
    return H


def naive_dominators(B: nx.DiGraph, customers: list[Hashable]) -> dict[Hashable, set[Hashable]]:
    out = {}
    for t in customers:
        idom = nx.immediate_dominators(rooted(B, t), ROOT)
        dom, v = set(), idom[t]
        while v != ROOT:
            dom.add(v)
            v = idom[v]
        out[t] = dom
    return out


def naive_cuts(B: nx.DiGraph, customers: list[Hashable]) -> dict[Hashable, int]:
    return {t: len(nx.minimum_node_cut(rooted(B, t), ROOT, t)) for t in customers}


def run(G: nx.DiGraph, label: str, repeat: int, naive: int) -> None:
    customers = ic.external_customers(G)
    sample = customers[:naive]
    scale = len(customers) / max(len(sample), 1)
    print(
        f"\n== {label}: {G.number_of_nodes():,} nodes, {G.number_of_edges():,} edges, "
        f"{len(customers)} external customers (naive calls timed on {len(sample)}, "
        f"scaled x{scale:.0f})"
    )
    t_compile, C = timed(lambda: ic.compile(G), 1)
    F = FailureGraph.from_compiled(C)
    t_gates, (_, gate) = timed(lambda: gate_sets(F, C.external), repeat)
    t_spof, spof = timed(lambda: ic.metrics.single_points_of_failure(G), 1)
    t_bus, bus = timed(lambda: ic.metrics.bus_factor(G), 1)
    t_spof_c, _ = timed(lambda: ic.metrics.single_points_of_failure(C), repeat)
    t_bus_c, _ = timed(lambda: ic.metrics.bus_factor(C), 1)
    B = blocking_graph(G)
    t_dom, doms = timed(lambda: naive_dominators(B, sample), 1)
    t_cut, cuts = timed(lambda: naive_cuts(B, sample), 1)
    t_dom, t_cut = t_dom * scale, t_cut * scale
    ours = {t: {x for x, r in spof.items() if t in r["customers"]} for t in sample}
    subset = all(doms[t] <= ours[t] for t in sample)
    extra = sum(len(ours[t] - doms[t]) for t in sample)
    print(f"compile (inside every intcust call below)  {t_compile:8.3f} s")
    print(f"intcust gate sets, all customers (median)  {t_gates:8.3f} s  ({len(gate):,} pairs)")
    print(
        f"intcust single_points_of_failure(G)        {t_spof:8.3f} s  (on CompiledOrg {t_spof_c:.3f} s)"
    )
    print(
        f"networkx immediate_dominators, per customer {t_dom:8.3f} s  "
        f"ratio {t_dom / t_gates:6.1f}x vs gate sets, {t_dom / t_spof:5.1f}x vs full call"
    )
    print(f"  dominators within AND/OR SPOFs: {subset}; SPOFs only AND joins reveal: {extra:,}")
    print(
        f"intcust bus_factor(G)                      {t_bus:8.3f} s  (on CompiledOrg {t_bus_c:.3f} s)"
    )
    print(
        f"networkx minimum_node_cut, per customer    {t_cut:8.3f} s  "
        f"ratio {t_cut / t_bus:6.1f}x vs full call"
    )
    found: dict[tuple[Any, ...], int] = {}
    for r in bus.values():
        key = (r["bus_factor"], r["lower"], r["method"])
        found[key] = found.get(key, 0) + 1
    print("  intcust (size, lower bound, method): count", found)
    agree = sum(bus[t]["bus_factor"] == cuts[t] for t in sample)
    print(f"  networkx cut sizes {sorted(set(cuts.values()))}; equal: {agree}/{len(sample)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--customers", type=int, default=100)
    parser.add_argument("--naive", type=int, default=10, help="customers the naive calls time")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--and-customers", type=int, default=10, help="customers of the AND-of-OR organisation"
    )
    args = parser.parse_args()
    n, k = args.people, args.customers
    run(organisation(n, k), "generated organisation", args.repeat, args.naive)
    run(layered(n, k, or_only=True), "layered, OR joins only", args.repeat, args.naive)
    k_and = args.and_customers
    run(layered(n, k_and, or_only=False), "layered, AND of OR joins", args.repeat, args.naive)


if __name__ == "__main__":
    main()
