"""Run R ``sna`` on graphs given as edge lists and read its answers back.

`run_sna` writes the graphs (0-based integer edges and integer groupings) to
JSON, evaluates one R expression per graph with ``g`` (the ``n x n`` 0/1
sociomatrix), ``n`` and ``groups`` (a list of integer label vectors) bound,
and returns the values. R numbers come back printed with 17 significant
digits (read them with `as_array`), so comparisons are exact to the last bit.
`orgnet` reads a real network of ``../shared/data/orgnets`` as a DiGraph;
`GROUPED` names those with groups.
"""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import tempfile
from collections.abc import Hashable, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import pytest

__all__ = ["GROUPED", "as_array", "orgnet", "require_sna", "run_sna", "to_sna"]

#: The real networks of ``orgnets`` with groups, and the node attributes that define them.
GROUPED = {
    "krackhardt_advice": ["dept"],
    "krackhardt_friends": ["dept"],
    "lazega_advice": ["office", "practice"],
    "lazega_cowork": ["office", "practice"],
    "lazega_friends": ["office", "practice"],
    "ukfaculty": ["Group"],
}

_SCRIPT = """
suppressPackageStartupMessages({library(sna); library(jsonlite)})
args <- commandArgs(trailingOnly = TRUE)
graphs <- fromJSON(args[1], simplifyVector = FALSE)
fmt <- function(x) {
  if (is.list(x)) return(lapply(x, fmt))
  if (!is.numeric(x)) return(x)
  y <- sprintf("%.17g", x)
  dim(y) <- dim(x)
  y
}
out <- lapply(graphs, function(G) {
  n <- G$n
  g <- matrix(0, n, n)
  if (length(G$edges) > 0) {
    e <- matrix(unlist(G$edges), ncol = 2, byrow = TRUE)
    g[cbind(e[, 1] + 1, e[, 2] + 1)] <- 1
  }
  groups <- lapply(G$groups, unlist)
  fmt(EXPR)
})
writeLines(toJSON(out, auto_unbox = TRUE, matrix = "rowmajor"), args[2])
"""

Graph = tuple[int, Sequence[tuple[int, int]], dict[str, list[int]]]


@cache
def _sna_status() -> str:
    """An empty string when Rscript with sna and jsonlite runs, else why not."""
    if shutil.which("Rscript") is None:
        return "Rscript is not installed (R sna is the oracle: apt-get install r-cran-sna)"
    probe = subprocess.run(
        ["Rscript", "-e", "suppressPackageStartupMessages({library(sna); library(jsonlite)})"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    if probe.returncode != 0:
        return f"R packages sna/jsonlite are not available: {probe.stderr.strip()[-300:]}"
    return ""


def require_sna() -> None:
    """Skip the calling test, with the reason, when R sna cannot run."""
    reason = _sna_status()
    if reason:
        pytest.skip(reason)


def run_sna(graphs: Sequence[Graph], expr: str) -> list[Any]:
    """Evaluate the R expression `expr` on each graph; return its values in order."""
    require_sna()
    payload = [
        {"n": n, "edges": [list(e) for e in edges], "groups": groups}
        for n, edges, groups in graphs
    ]
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        (d / "graphs.json").write_text(json.dumps(payload))
        (d / "script.R").write_text(_SCRIPT.replace("EXPR", expr))
        done = subprocess.run(
            ["Rscript", str(d / "script.R"), str(d / "graphs.json"), str(d / "out.json")],
            capture_output=True,
            text=True,
            timeout=600,
        )
        if done.returncode != 0:
            raise RuntimeError(f"Rscript failed:\n{done.stderr}")
        result: list[Any] = json.loads((d / "out.json").read_text())
        return result


def to_sna(G: nx.DiGraph, attrs: Sequence[str] = ()) -> tuple[list[Hashable], Graph]:
    """`G` as (node order, graph for `run_sna`); groupings coded by first appearance."""
    nodes = list(G)
    index = {v: i for i, v in enumerate(nodes)}
    edges = [(index[u], index[v]) for u, v in G.edges if u != v]
    groups = {}
    for a in attrs:
        codes: dict[Any, int] = {}
        groups[a] = [codes.setdefault(G.nodes[v][a], len(codes) + 1) for v in nodes]
    return nodes, (len(nodes), edges, groups)


def as_array(value: Any) -> np.ndarray:
    """R numbers (strings with 17 significant digits) as a float array; NA becomes NaN."""

    def conv(x: Any) -> Any:
        if isinstance(x, list):
            return [conv(y) for y in x]
        return float("nan") if x == "NA" else float(x)

    return np.asarray(conv(value), dtype=np.float64)


def orgnet(data: Path, name: str) -> nx.DiGraph:
    """The network `name` of ``data/orgnets`` as a DiGraph with its node and edge attributes.

    Node attributes and edge weights are read as numbers where they are numbers.
    """
    folder = data / "orgnets"
    edges_csv = folder / f"{name}.edges.csv"
    if not edges_csv.is_file():
        pytest.skip(f"{edges_csv} is absent (see ../shared/data/README.md)")

    def num(x: str) -> Any:
        try:
            return int(x)
        except ValueError:
            try:
                return float(x)
            except ValueError:
                return x

    G = nx.DiGraph(name=name)
    nodes_csv = folder / f"{name}.nodes.csv"
    if nodes_csv.is_file():
        with nodes_csv.open(newline="") as f:
            for row in csv.DictReader(f):
                node = int(row.pop("id"))
                G.add_node(node, **{k: num(v) for k, v in row.items() if v != ""})
    with edges_csv.open(newline="") as f:
        for row in csv.DictReader(f):
            u, v = int(row.pop("source")), int(row.pop("target"))
            G.add_edge(u, v, **{k: num(x) for k, x in row.items() if x != ""})
    return G
