"""Topological levels of edge arrays (`intcust.graph.levels`) against networkx."""

from __future__ import annotations

import networkx as nx
import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from intcust.graph.levels import topological_levels


def test_levels_with_unsorted_sources():
    src = np.array([2, 0, 1])
    dst = np.array([3, 1, 2])
    assert topological_levels(4, src, dst).tolist() == [0, 1, 2, 3]
    assert topological_levels(2, np.array([0, 1]), np.array([1, 0])).tolist() == [-1, -1]


@given(st.lists(st.tuples(st.integers(0, 9), st.integers(0, 9)), max_size=30))
def test_levels_are_networkx_generations_and_minus_one_behind_cycles(pairs):
    G = nx.DiGraph()
    G.add_nodes_from(range(10))
    G.add_edges_from(pairs)
    src = np.array([u for u, _ in pairs], dtype=np.int64)
    dst = np.array([v for _, v in pairs], dtype=np.int64)
    level = topological_levels(10, src, dst)
    stuck = set(G) - {
        v for v in G if not any(nx.has_path(G, c[0], v) for c in nx.simple_cycles(G))
    }
    for v in G:
        if v in stuck:
            assert level[v] == -1
        else:
            assert level[v] == max((level[u] + 1 for u in G.predecessors(v)), default=0)
