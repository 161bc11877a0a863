"""generate_org and compile at scale: times, peak memory and baselines.

For each size, a fresh Python process generates an organisation with
``generate_org(n_people)`` (about 4.6 services per person) and compiles it,
`--repeat` times for 10^5 people and once for 10^6, and prints medians. In the
same process it times two baselines that read the same graph: a plain walk
``list(G.edges(data=True))`` and ``networkx.to_scipy_sparse_array(G,
weight="volume")``, which builds only the weighted CSR matrix, and reports
compile's ratio to each. Peak memory is the child process's maximum resident
set size (``ru_maxrss``) after generating and compiling.

Target: 10^6 people and about 5·10^6 services generated and compiled in
under 90 s and 6 GiB together; compile alone at most a few seconds per
million services.

    python benchmarks/bench_foundation.py [--sizes 100000 1000000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

import networkx as nx

import intcust as ic


def timed(fn: Callable[[], Any], repeat: int) -> tuple[float, float, Any]:
    """Median wall and CPU seconds of `repeat` calls, and the last result."""
    walls, cpus, out = [], [], None
    for _ in range(repeat):
        w, c = time.perf_counter(), time.process_time()
        out = fn()
        walls.append(time.perf_counter() - w)
        cpus.append(time.process_time() - c)
    return statistics.median(walls), statistics.median(cpus), out


def measure(n: int, repeat: int) -> dict[str, float]:
    """One size, in this process; the caller runs it in a fresh child."""
    gen_wall, gen_cpu, G = timed(lambda: ic.datasets.generate_org(n, seed=1), repeat)
    comp_wall, comp_cpu, C = timed(lambda: ic.compile(G), repeat)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20  # KiB -> GiB
    walk_wall, _, _ = timed(lambda: list(G.edges(data=True)), repeat)
    scipy_wall, _, _ = timed(lambda: nx.to_scipy_sparse_array(G, weight="volume"), repeat)
    return {
        "people": n,
        "services": C.n_edges,
        "generate_s": gen_wall,
        "generate_cpu_s": gen_cpu,
        "compile_s": comp_wall,
        "compile_cpu_s": comp_cpu,
        "walk_s": walk_wall,
        "to_scipy_s": scipy_wall,
        "peak_gib": peak,
    }


def report(r: dict[str, float]) -> None:
    m = r["services"] / 1e6
    total = r["generate_s"] + r["compile_s"]
    print(f"{int(r['people']):>9,} people, {int(r['services']):>10,} services")
    print(f"  generate_org  {r['generate_s']:8.2f} s  (cpu {r['generate_cpu_s']:.2f} s)")
    print(
        f"  compile       {r['compile_s']:8.2f} s  (cpu {r['compile_cpu_s']:.2f} s), "
        f"{r['compile_s'] / m:.2f} s per million services"
    )
    print(f"  generate + compile {total:8.2f} s, peak RSS {r['peak_gib']:.2f} GiB")
    print(
        f"  baselines: edges walk {r['walk_s']:.2f} s (compile/walk "
        f"{r['compile_s'] / r['walk_s']:.1f}x), to_scipy_sparse_array {r['to_scipy_s']:.2f} s "
        f"(compile/to_scipy {r['compile_s'] / r['to_scipy_s']:.2f}x)"
    )
    if r["people"] >= 1_000_000:
        ok = total < 90 and r["peak_gib"] < 6
        print(f"  target (< 90 s and < 6 GiB together): {'met' if ok else 'NOT met'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=3, help="runs per size below 10^6")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        repeat = args.repeat if args.child < 1_000_000 else 1
        print(json.dumps(measure(args.child, repeat)))
        return
    print(
        f"intcust {ic.__version__}, networkx {nx.__version__}, {os.cpu_count()} CPUs, "
        f"load average {os.getloadavg()[0]:.1f} (timings are wall clock; cpu = this process)"
    )
    for n in args.sizes:
        out = subprocess.run(
            [sys.executable, __file__, "--child", str(n), "--repeat", str(args.repeat)],
            check=True,
            capture_output=True,
            text=True,
        )
        report(json.loads(out.stdout.strip().splitlines()[-1]))


if __name__ == "__main__":
    main()
