"""Krackhardt's four dimensions: R sna as the oracle, trees, properties, edge cases."""

from __future__ import annotations

import math
import pathlib
from typing import Any

import networkx as nx
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import intcust as ic
from _rsna import as_array, orgnet, run_sna, to_sna
from intcust.metrics import KrackhardtDimensions, krackhardt_dimensions
from strategies import digraphs, shuffled_names

DIMENSIONS = ("connectedness", "hierarchy", "efficiency", "lubness")
REAL = [
    "krackhardt_advice",
    "krackhardt_friends",
    "krackhardt_reports",
    "lazega_advice",
    "lazega_cowork",
    "lazega_friends",
    "ukfaculty",
]
R_EXPR = (
    "list(connectedness = connectedness(g), hierarchy = hierarchy(g, measure = 'krackhardt'), "
    "efficiency = efficiency(g), lubness = lubness(g))"
)


def _compare(G: nx.DiGraph, answer: dict[str, Any]) -> float:
    """Assert equality with sna (NaN there is None here); return the largest difference."""
    ours = krackhardt_dimensions(G).to_dict()
    worst = 0.0
    for dim in DIMENSIONS:
        expected = float(as_array(answer[dim]))
        if math.isnan(expected):
            assert ours[dim] is None, (dim, ours[dim])
        else:
            assert ours[dim] is not None, dim
            worst = max(worst, abs(ours[dim] - expected))
            assert ours[dim] == pytest.approx(expected, rel=0, abs=1e-12), dim
    return worst


@pytest.mark.oracle
def test_real_networks_equal_sna(shared_data: pathlib.Path) -> None:
    nets = [orgnet(shared_data, name) for name in REAL]
    answers = run_sna([to_sna(G)[1] for G in nets], R_EXPR)
    for G, answer in zip(nets, answers, strict=True):
        assert _compare(G, answer) <= 1e-12


def _random_graphs() -> list[nx.DiGraph]:
    rng = np.random.default_rng(7)
    graphs: list[nx.DiGraph] = []
    for t in range(24):
        n = int(rng.integers(2, 40))
        p = float(rng.uniform(0.0, 3.0 / n)) if t % 2 else float(rng.uniform(0.02, 0.4))
        graphs.append(nx.gnp_random_graph(n, p, seed=t, directed=True))
    for t in range(6):  # trees with a few extra ties, and forests
        T = nx.random_labeled_tree(int(rng.integers(3, 30)), seed=t)
        D = nx.bfs_tree(T, 0)
        extra = rng.integers(0, len(D), size=(t, 2))
        D.add_edges_from((int(u), int(v)) for u, v in extra if u != v)
        graphs.append(D)
    forest = nx.disjoint_union(nx.bfs_tree(nx.path_graph(4), 0), nx.DiGraph([(0, 1), (2, 1)]))
    graphs += [forest, nx.empty_graph(5, create_using=nx.DiGraph)]
    return graphs


@pytest.mark.oracle
def test_random_graphs_equal_sna() -> None:
    graphs = _random_graphs()
    answers = run_sna([to_sna(G)[1] for G in graphs], R_EXPR)
    for G, answer in zip(graphs, answers, strict=True):
        _compare(G, answer)


def test_an_out_tree_is_perfect() -> None:
    T = nx.bfs_tree(nx.balanced_tree(2, 4), 0)
    k = krackhardt_dimensions(T)
    assert k.to_dict() == dict.fromkeys(DIMENSIONS, 1.0)


def test_textbook_violations() -> None:
    # two bosses of one worker: no least upper bound for the pair of bosses
    k = krackhardt_dimensions(nx.DiGraph([("a", "c"), ("b", "c")]))
    assert k.lubness == 0.0
    assert k.hierarchy == 1.0
    # a cycle: everyone reaches everyone, no hierarchy at all
    cycle = krackhardt_dimensions(nx.cycle_graph(4, create_using=nx.DiGraph))
    assert cycle.hierarchy == 0.0
    assert cycle.connectedness == 1.0
    # two components of two: 2 of the 6 node pairs are joined
    split = krackhardt_dimensions(nx.DiGraph([(0, 1), (2, 3)]))
    assert split.connectedness == pytest.approx(2 / 6)


def test_empty_and_single_node() -> None:
    assert krackhardt_dimensions(nx.DiGraph()).to_dict() == dict.fromkeys(DIMENSIONS)
    one = nx.DiGraph()
    one.add_node("solo")
    k = krackhardt_dimensions(one)
    assert k.connectedness == 1.0
    assert k.hierarchy is None and k.efficiency is None and k.lubness is None


def test_result_type() -> None:
    k = krackhardt_dimensions(ic.datasets.email_campaign())
    assert isinstance(k, KrackhardtDimensions)
    assert repr(k).startswith("KrackhardtDimensions(connectedness=1")
    assert "<table>" in k._repr_html_()
    with pytest.raises(AttributeError):
        k.hierarchy = 0.0  # type: ignore[misc]


@given(digraphs(max_nodes=14, weighted=False))
def test_values_lie_in_unit_interval(G: nx.DiGraph) -> None:
    for value in krackhardt_dimensions(G).to_dict().values():
        assert value is None or 0.0 <= value <= 1.0 + 1e-12


@given(digraphs(min_nodes=1, max_nodes=12), st.randoms(use_true_random=False))
def test_invariant_under_relabelling(G: nx.DiGraph, rnd: Any) -> None:
    H = nx.relabel_nodes(G, shuffled_names(G, rnd))
    a, b = krackhardt_dimensions(G).to_dict(), krackhardt_dimensions(H).to_dict()
    for dim in DIMENSIONS:
        assert (a[dim] is None and b[dim] is None) or a[dim] == pytest.approx(b[dim], abs=1e-12)


def test_unit_level_equals_metric_on_rollup() -> None:
    G = ic.datasets.email_campaign()
    assert krackhardt_dimensions(G, level="unit") == krackhardt_dimensions(ic.rollup(G))


def test_bad_level() -> None:
    with pytest.raises(ic.ParameterError, match="'level' parameter of krackhardt_dimensions"):
        krackhardt_dimensions(nx.DiGraph(), level="team")


@given(digraphs(max_nodes=12))
def test_unit_level_property(G: nx.DiGraph) -> None:
    assert krackhardt_dimensions(G, level="unit") == krackhardt_dimensions(ic.rollup(G))
