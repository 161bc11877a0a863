"""The interactive map of a large organisation: time to write the file, and its size.

For ``generate_org(n)`` (5,000 people: 5,004 nodes and about 25,000 services by
default) times, as medians of several runs in this process:

- (a) ``explore(G).save(path)``: layout, the map's data, the page with the
  vendored library inlined, written to disk;
- (b) the baseline: ``json.dumps`` of the same nodes and services (name, unit,
  kind, position; supplier, customer, volume, blocking) written to disk, i.e.
  the least any file of this network costs;

and prints the file sizes (the map, its data alone, the baseline, the
library) and the ratio (a)/(b). Exits 1 when (a) takes 5 s or more.

    python benchmarks/bench_map.py [--people 5000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

import networkx as nx

import intcust as ic
from intcust.plot import explore
from intcust.plot.layout import layer_layout, wrap_layers
from intcust.plot.page import asset

sys.path.insert(0, str(Path(__file__).resolve().parent))  # run as a script or imported
from _common import timed

#: the time (a) must stay under, in seconds
LIMIT = 5.0


def baseline(G: nx.DiGraph, path: Path) -> int:
    """The same network as plain JSON on disk; returns its size in bytes."""
    pos = wrap_layers(layer_layout(G))
    data: dict[str, Any] = {
        "nodes": [
            {
                "name": str(n),
                "unit": d.get("unit"),
                "kind": d.get("kind", "person"),
                "x": pos[n][0],
                "y": pos[n][1],
            }
            for n, d in G.nodes(data=True)
        ],
        "edges": [
            {
                "source": str(u),
                "target": str(v),
                "volume": d.get("volume", 1.0),
                "blocking": d.get("blocking", True),
            }
            for u, v, d in G.edges(data=True)
        ],
    }
    text = json.dumps(data)
    path.write_text(text, encoding="utf-8")
    return len(text.encode())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=5_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    G = ic.datasets.generate_org(args.people, seed=1)
    print(
        f"organisation: generate_org({args.people}): {G.number_of_nodes():,} nodes, "
        f"{G.number_of_edges():,} services"
    )
    with tempfile.TemporaryDirectory() as tmp:
        out, plain = Path(tmp) / "map.html", Path(tmp) / "plain.json"
        t_map, _ = timed(lambda: explore(G).save(out), args.repeat)
        t_base, size_base = timed(lambda: baseline(G, plain), args.repeat)
        size_map = out.stat().st_size
    t_data, _ = timed(lambda: explore(G), args.repeat)
    library = len(asset("_vendor/cytoscape.min.js").encode())
    shown = explore(G)
    print(f"    map level: {shown.level}, {shown.n_nodes:,} nodes drawn one by one")
    print(
        f"(a) explore(G).save(path): median {t_map:.3f} s of {args.repeat} "
        f"(explore(G) alone, layout and data: {t_data:.3f} s)"
    )
    print(f"(b) json.dumps of the same nodes and services, written: median {t_base:.3f} s")
    print(f"    (a)/(b) = {t_map / t_base:.1f}")
    print(
        f"file size for {G.number_of_nodes():,} nodes: {size_map / 2**20:.2f} MiB "
        f"({size_map:,} bytes; the vendored library {library:,}, the rest "
        f"{size_map - library:,}); baseline JSON {size_base:,} bytes"
    )
    ok = t_map < LIMIT
    print(f"    under {LIMIT:g} s: {'yes' if ok else 'NO'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
