"""contribution and from_tickets at scale, each against a baseline in the same run.

- ``contribution(generate_org(2000), n=1000)``: 1,000 sampled permutations of
  about 2,000 players. Baseline: one `propagate` call on 1,000 random
  coalitions (the failure rule evaluated once per permutation), and the
  extrapolated cost of evaluating every prefix of every permutation, which
  is what permutation sampling would cost without the bisection.
- ``from_tickets`` on a synthetic log of 1,000,000 tickets (5,000 requesters
  in 50 units, 20 teams of 6 agents, 8 categories, ratings and targets,
  1 % open), from a DataFrame and from a CSV file. Baseline: the plain
  pandas group-by of the same log (read the CSV, parse both times, then per
  team and requester count the tickets, take the median resolution time
  and the mean rating).

Times are medians of ``--repeat`` runs; peak memory is the traced peak
(``tracemalloc``: Python objects and numpy/pandas buffers) of one more run.

    python benchmarks/bench_recognition.py [--people 2000] [--permutations 1000]
        [--tickets 1000000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

import intcust as ic
from intcust.graph.compiled import compile
from intcust.metrics.fragility.failure import FailureGraph, propagate

sys.path.insert(0, str(Path(__file__).resolve().parent))  # run as a script or imported
from _common import timed

MIB = 2.0**20


def peak(fn: Callable[[], Any]) -> float:
    """The traced peak memory of one call, in MiB."""
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1] / MIB
    finally:
        tracemalloc.stop()


def bench_contribution(people: int, permutations: int, repeat: int) -> None:
    G = ic.datasets.generate_org(people, seed=1)
    C = compile(G)
    F = FailureGraph.from_compiled(C)
    rng = np.random.default_rng(1)
    m = int(np.count_nonzero(C.kind != 3))
    coalitions = rng.random((permutations, C.n_nodes)) < 0.5
    coalitions[:, C.external] = False
    t_base, _ = timed(lambda: propagate(F, coalitions), repeat)
    t_one_row, _ = timed(lambda: propagate(F, coalitions[:64]), repeat)
    naive = t_one_row / 64 * m * permutations  # every prefix of every permutation
    t, result = timed(lambda: ic.metrics.contribution(C, n=permutations, seed=1), repeat)
    mem = peak(lambda: ic.metrics.contribution(C, n=permutations, seed=1))
    mem_base = peak(lambda: propagate(F, coalitions))
    print(
        f"contribution: generate_org({people}): {C.n_nodes} nodes, {C.n_edges} services, "
        f"{len(C.external)} external customers, {m} players; {permutations} permutations"
    )
    print(
        f"  baseline propagate({permutations} coalitions)    {t_base:8.3f} s   peak {mem_base:7.1f} MiB"
    )
    print(f"  contribution(n={permutations})                 {t:8.3f} s   peak {mem:7.1f} MiB"
          f"   ratio to baseline {t / t_base:6.1f}")  # fmt: skip
    print(
        f"  every prefix, extrapolated        {naive:8.1f} s   (bisection saves x{naive / t:,.0f})"
    )
    top = result.total.top(3)
    se = result.std_error
    print("  top: " + ", ".join(f"{k} {v:.3f} ± {se[k]:.3f}" for k, v in top))


def synthetic_tickets(n: int, seed: int = 1) -> Any:
    """A service desk's year: n tickets with known structure."""
    import pandas as pd

    rng = np.random.default_rng(seed)
    teams, agents, requesters, units, categories = 20, 6, 5000, 50, 8
    team = rng.integers(0, teams, n)
    opened = pd.Timestamp("2024-01-01") + pd.to_timedelta(
        np.sort(rng.uniform(0, 365 * 24, n)), unit="h"
    )
    hours = rng.lognormal(np.log(4.0), 1.0, n)
    resolved = (opened + pd.to_timedelta(hours, unit="h")).strftime("%Y-%m-%dT%H:%M:%S")
    requester = rng.integers(0, requesters, n)
    rating = np.where(rng.random(n) < 0.4, rng.integers(1, 6, n), np.nan)
    frame = pd.DataFrame(
        {
            "requester": np.char.add("r", requester.astype(str)),
            "unit": np.char.add("u", (requester % units).astype(str)),
            "team": np.char.add("t", team.astype(str)),
            "agent": np.char.add(
                np.char.add("a", team.astype(str)), rng.integers(0, agents, n).astype(str)
            ),
            "category": np.char.add("c", rng.integers(0, categories, n).astype(str)),
            "opened": opened.strftime("%Y-%m-%dT%H:%M:%S"),
            "resolved": np.where(rng.random(n) < 0.01, "", resolved),
            "rating": rating,
            "target": 8.0,
        }
    )
    return frame


def pandas_groupby(path: Path) -> Any:
    import pandas as pd

    df = pd.read_csv(path)
    opened = pd.to_datetime(df["opened"], format="ISO8601")
    resolved = pd.to_datetime(df["resolved"], format="ISO8601")
    df["hours"] = (resolved - opened).dt.total_seconds() / 3600
    return df.groupby(["team", "requester"]).agg(
        tickets=("hours", "size"), median=("hours", "median"), rating=("rating", "mean")
    )


def bench_tickets(n: int, repeat: int) -> None:
    frame = synthetic_tickets(n)
    options: dict[str, Any] = {
        "category": "category",
        "satisfaction": "rating",
        "sla": "target",
        "time_unit": "hour",
    }
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "tickets.csv"
        frame.to_csv(path, index=False)
        size = path.stat().st_size / MIB
        t_base, grouped = timed(lambda: pandas_groupby(path), repeat)
        t_file, G = timed(lambda: ic.from_tickets(path, **options), repeat)
        t_frame, _ = timed(lambda: ic.from_tickets(frame, **options), repeat)
        t_unit, U = timed(
            lambda: ic.from_tickets(
                path, level="unit", requester_unit="unit", agent="agent", **options
            ),
            repeat,
        )
        mem_base = peak(lambda: pandas_groupby(path))
        mem_file = peak(lambda: ic.from_tickets(path, **options))
    services = sum(len(d.get("services", [d])) for *_, d in G.edges(data=True))
    print(
        f"from_tickets: {n:,} tickets ({size:.0f} MiB CSV), {G.graph['tickets']['open']:,} open; "
        f"{G.number_of_edges():,} team-requester pairs ({len(grouped):,} in the group-by), "
        f"{services:,} services"
    )
    print(f"  baseline pandas read + group-by   {t_base:8.2f} s   peak {mem_base:7.1f} MiB")
    print(f"  from_tickets(csv)                 {t_file:8.2f} s   peak {mem_file:7.1f} MiB"
          f"   ratio to baseline {t_file / t_base:5.2f}")  # fmt: skip
    print(f"  from_tickets(DataFrame)           {t_frame:8.2f} s   (CSV already parsed)")
    print(f"  from_tickets(csv, level='unit')   {t_unit:8.2f} s   {U.number_of_edges():,} pairs")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--permutations", type=int, default=1000)
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"medians of {args.repeat} runs")
    bench_contribution(args.people, args.permutations, args.repeat)
    try:
        import pandas  # noqa: F401
    except ImportError:
        print("from_tickets: skipped (pandas is not installed)")
        return 0
    bench_tickets(args.tickets, args.repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main())
