"""from_event_log at scale: BPI Challenge 2012 (262,200 events) mined into an organisation.

In a fresh child process per measurement it times, `--repeat` times each:

- the baseline: gzip-decompress ``bpic2012.xes.gz`` and walk it with
  ``xml.etree.ElementTree.iterparse``, clearing each event (the floor for any
  XES reader in pure Python);
- ``from_event_log(path, missing="drop")``: the safe streaming read, parsing,
  sorting, pairing and building the organisation;
- ``from_event_log`` on the log already in a pandas DataFrame (no XML).

It prints medians, the ratio of mining to the baseline, and peak memory: the
child's maximum resident set size (``ru_maxrss``) and, in one more run, the
traced Python/numpy peak (``tracemalloc``). Target: under 30 s and 2 GiB.

    python benchmarks/bench_eventlog.py [--repeat 3] [--log PATH]
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

LOG = (
    Path(__file__).resolve().parents[1].parent
    / "shared"
    / "data"
    / "eventlogs"
    / "bpic2012.xes.gz"
)


def baseline(path: Path) -> int:
    import gzip
    import xml.etree.ElementTree as ET

    n = 0
    with gzip.open(path, "rb") as f:
        for _, el in ET.iterparse(f, events=("end",)):
            if el.tag.endswith("event"):
                n += 1
                el.clear()
    return n


def mine(path: Path) -> int:
    import intcust as ic

    G = ic.from_event_log(path, missing="drop")
    return int(G.graph["event_log"]["handoffs"])


def mine_frame(path: Path) -> tuple[float, int]:
    import pandas as pd

    import intcust as ic
    from intcust.graph.eventlog.xes import read_xes_columns

    keys = [
        "case:concept:name",
        "concept:name",
        "org:resource",
        "time:timestamp",
        "lifecycle:transition",
    ]
    frame = pd.DataFrame(read_xes_columns(path, keys)[0])
    t = time.perf_counter()
    G = ic.from_event_log(frame, missing="drop")
    return time.perf_counter() - t, int(G.graph["event_log"]["handoffs"])


def child(task: str, path: Path) -> None:
    """Run one measurement in this process and print it as JSON."""
    if task == "trace":
        tracemalloc.start()
        mine(path)
        peak = tracemalloc.get_traced_memory()[1]
        print(json.dumps({"traced_peak": peak}))
        return
    t = time.perf_counter()
    if task == "frame":
        wall, n = mine_frame(path)
    else:
        n = baseline(path) if task == "baseline" else mine(path)
        wall = time.perf_counter() - t
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(json.dumps({"wall": wall, "n": n, "rss": rss}))


def run(task: str, path: Path) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", task, "--log", str(path)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--log", type=Path, default=LOG)
    parser.add_argument("--child", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.log)
        return 0
    if not args.log.exists():
        print(f"skipped: {args.log} not found (see ../shared/data/README.md)")
        return 0
    gib = 2.0**30
    rows = {}
    for task in ("baseline", "mine", "frame"):
        runs = [run(task, args.log) for _ in range(args.repeat)]
        rows[task] = {
            "wall": statistics.median(r["wall"] for r in runs),
            "rss": max(r["rss"] for r in runs),
            "n": runs[-1]["n"],
        }
    traced = run("trace", args.log)["traced_peak"]
    base, mined, frame = rows["baseline"], rows["mine"], rows["frame"]
    print(
        f"log: {args.log.name}, {base['n']} events, {mined['n']} hand-offs; median of {args.repeat}"
    )
    print(
        f"baseline gzip + iterparse     {base['wall']:7.2f} s   peak RSS {base['rss'] / gib:5.2f} GiB"
    )
    print(f"from_event_log(.xes.gz)       {mined['wall']:7.2f} s   peak RSS {mined['rss'] / gib:5.2f} GiB"
          f"   ratio to baseline {mined['wall'] / base['wall']:.2f}")  # fmt: skip
    print(f"from_event_log(DataFrame)     {frame['wall']:7.2f} s   (XML already parsed)")
    print(f"traced peak (Python + numpy) of from_event_log(.xes.gz): {traced / gib:.3f} GiB")
    ok = mined["wall"] < 30 and mined["rss"] < 2 * gib
    print(f"target under 30 s and 2 GiB: {'met' if ok else 'MISSED'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
