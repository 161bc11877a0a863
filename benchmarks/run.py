"""Run the benchmarks and print their output.

    python benchmarks/run.py                 # every benchmarks/bench_*.py
    python benchmarks/run.py foundation      # benchmarks/bench_foundation.py
    python benchmarks/run.py foundation -- --sizes 100000

Arguments after ``--`` go to every benchmark run. Each benchmark runs in its
own Python process, so their timings and peak memory do not mix. The exit
code is the number of benchmarks that failed.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def available() -> dict[str, Path]:
    """Benchmark name (``bench_<name>.py``) -> script."""
    return {p.stem.removeprefix("bench_"): p for p in sorted(HERE.glob("bench_*.py"))}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    extra: list[str] = []
    if "--" in argv:
        cut = argv.index("--")
        argv, extra = argv[:cut], argv[cut + 1 :]
    benches = available()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "names", nargs="*", help=f"benchmarks to run (default: all of {sorted(benches)})"
    )
    args = parser.parse_args(argv)
    unknown = [n for n in args.names if n not in benches]
    if unknown:
        parser.error(f"unknown benchmark(s) {unknown}; choose from {sorted(benches)}")
    failed = 0
    for name in args.names or list(benches):
        print(f"=== {name} ({benches[name].name}) ===", flush=True)
        t0 = time.perf_counter()
        code = subprocess.call([sys.executable, str(benches[name]), *extra])
        print(f"=== {name}: exit {code}, {time.perf_counter() - t0:.1f} s ===\n", flush=True)
        failed += code != 0
    return failed


if __name__ == "__main__":
    sys.exit(main())
