"""Gould–Fernandez brokerage: R sna as the oracle, a direct count, properties, bad input."""

from __future__ import annotations

import itertools
import pathlib
from typing import Any

import networkx as nx
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import intcust as ic
from _rsna import GROUPED, as_array, orgnet, run_sna, to_sna
from intcust.metrics import BROKERAGE_ROLES, brokerage
from strategies import digraphs, shuffled_names

COLUMNS = [*BROKERAGE_ROLES, "total"]
R_EXPR = (
    "lapply(groups, function(cl) { b <- brokerage(g, cl); list(raw = b$raw.nli, z = b$z.nli) })"
)


def _ours(G: nx.DiGraph, nodes: list[Any], by: str) -> tuple[np.ndarray, np.ndarray]:
    b = brokerage(G, by=by)
    raw = np.array([[b[v][c] for c in COLUMNS] for v in nodes], dtype=float)
    z = np.array([[b[v][f"z_{c}"] for c in COLUMNS] for v in nodes], dtype=float)
    return raw, z


def _compare(G: nx.DiGraph, nodes: list[Any], by: str, r: dict[str, Any]) -> float:
    """Assert equality with sna's raw.nli and z.nli; return the largest z difference."""
    raw, z = _ours(G, nodes, by)
    r_raw, r_z = as_array(r["raw"]), as_array(r["z"])
    np.testing.assert_array_equal(raw, r_raw)
    finite = np.isfinite(r_z)
    np.testing.assert_allclose(z[finite], r_z[finite], rtol=0, atol=1e-9)
    # sna divides 0 by a zero sd where a role is impossible; there the z-score is 0
    assert np.all(z[~finite] == 0.0)
    assert np.all(raw[~finite] == 0.0)
    return float(np.abs(z[finite] - r_z[finite]).max(initial=0.0))


@pytest.fixture(scope="module")
def real_networks(shared_data: pathlib.Path) -> dict[str, tuple[nx.DiGraph, list[Any], Any]]:
    nets = {name: orgnet(shared_data, name) for name in GROUPED}
    prepared = {name: to_sna(G, GROUPED[name]) for name, G in nets.items()}
    answers = run_sna([prepared[name][1] for name in GROUPED], R_EXPR)
    return {
        name: (nets[name], prepared[name][0], answer)
        for name, answer in zip(GROUPED, answers, strict=True)
    }


@pytest.mark.oracle
@pytest.mark.parametrize(
    ("name", "by"), [(name, by) for name, attrs in GROUPED.items() for by in attrs]
)
def test_real_networks_equal_sna(
    real_networks: dict[str, tuple[nx.DiGraph, list[Any], Any]], name: str, by: str
) -> None:
    G, nodes, answer = real_networks[name]
    worst = _compare(G, nodes, by, answer[by])
    assert worst <= 1e-9


@pytest.mark.oracle
def test_random_graphs_equal_sna() -> None:
    rng = np.random.default_rng(20240601)
    graphs = []
    for t in range(30):
        n = int(rng.integers(3, 45))
        p = [0.0, 1.0, *rng.uniform(0.02, 0.6, 28)][t]
        G = nx.gnp_random_graph(n, p, seed=t, directed=True)
        k = int(rng.integers(1, 6))
        nx.set_node_attributes(G, {v: int(rng.integers(0, k)) for v in G}, "unit")
        graphs.append(G)
    prepared = [to_sna(G, ["unit"]) for G in graphs]
    answers = run_sna([p[1] for p in prepared], R_EXPR)
    for G, (nodes, _), answer in zip(graphs, prepared, answers, strict=True):
        _compare(G, nodes, "unit", answer["unit"])


def _direct_counts(G: nx.DiGraph, by: str) -> dict[Any, list[int]]:
    """Gould and Fernandez's definition, one two-path at a time."""
    out = {v: [0] * 5 for v in G}
    for j in G:
        for i, k in itertools.product(G.predecessors(j), G.successors(j)):
            if i in (j, k) or k == j or G.has_edge(i, k):
                continue
            ci, cj, ck = (G.nodes[x][by] for x in (i, j, k))
            if ci == cj == ck:
                role = 0
            elif ci == cj:
                role = 2
            elif cj == ck:
                role = 3
            elif ci == ck:
                role = 1
            else:
                role = 4
            out[j][role] += 1
    return out


@given(digraphs(max_nodes=12))
def test_counts_equal_the_definition(G: nx.DiGraph) -> None:
    b = brokerage(G)
    for v, counts in _direct_counts(G, "unit").items():
        assert [b[v][c] for c in BROKERAGE_ROLES] == counts


@given(digraphs(max_nodes=12))
def test_roles_sum_to_total(G: nx.DiGraph) -> None:
    b = brokerage(G)
    assert set(b) == set(G)
    for row in b.values():
        assert row["total"] == sum(row[c] for c in BROKERAGE_ROLES)
        assert all(row[c] >= 0 for c in COLUMNS)
        assert all(np.isfinite(row[f"z_{c}"]) for c in COLUMNS)


@given(digraphs(min_nodes=1, max_nodes=10), st.randoms(use_true_random=False))
def test_invariant_under_relabelling(G: nx.DiGraph, rnd: Any) -> None:
    mapping = shuffled_names(G, rnd)
    H = nx.relabel_nodes(G, mapping)
    a, b = brokerage(G), brokerage(H)
    for v in G:
        assert b[mapping[v]] == pytest.approx(a[v], abs=1e-12)


def test_unit_level_equals_metric_on_rollup() -> None:
    G = ic.datasets.email_campaign()
    U = ic.rollup(G)
    by = "kind"
    assert (
        brokerage(G, by=by, level="unit", missing="own").to_dict()
        == brokerage(U, by=by, missing="own").to_dict()
    )


def test_missing_group_names_the_nodes() -> None:
    G = ic.datasets.email_campaign()
    del G.nodes["designer"]["unit"]
    with pytest.raises(ic.ParameterError, match="'designer'") as err:
        brokerage(G, missing="raise")
    assert "missing='drop'" in str(err.value)
    assert "customers" not in str(err.value)  # external customers are groups of their own


def test_missing_policies() -> None:
    G = nx.DiGraph([("a", "b"), ("b", "c"), ("c", "d")])
    nx.set_node_attributes(G, {"a": 1, "b": 1, "c": 2}, "unit")
    own = brokerage(G, missing="own")
    drop = brokerage(G, missing="drop")
    assert set(own) == {"a", "b", "c", "d"}
    assert set(drop) == {"a", "b", "c"}
    assert own["b"]["representative"] == 1  # a -> b -> c runs 1 -> 1 -> 2
    assert own["c"]["liaison"] == own["c"]["total"] == 1  # d is a group of its own
    assert drop["b"]["representative"] == 1
    assert drop["c"]["total"] == 0
    with pytest.raises(ic.ParameterError, match="'missing' parameter of brokerage"):
        brokerage(G, missing="ignore")


def test_empty_and_tiny_organisations() -> None:
    assert len(brokerage(nx.DiGraph())) == 0
    one = nx.DiGraph()
    one.add_node("solo", unit="A")
    assert brokerage(one)["solo"]["z_total"] == 0.0


def test_weights_do_not_matter() -> None:
    G = nx.DiGraph([(0, 1), (1, 2), (2, 0), (1, 3)])
    nx.set_node_attributes(G, {0: "A", 1: "B", 2: "A", 3: "C"}, "unit")
    before = brokerage(G).to_dict()
    nx.set_edge_attributes(G, 5.0, "volume")
    assert brokerage(G).to_dict() == before
    assert before["1"]["itinerant"] == 1  # 0 -> 1 -> 2 with no tie 0 -> 2; 0 and 2 are in A
    assert before["1"]["liaison"] == 1  # 0 -> 1 -> 3 runs A -> B -> C


@given(digraphs(max_nodes=12))
def test_unit_level_property(G: nx.DiGraph) -> None:
    assert (
        brokerage(G, by="kind", level="unit").to_dict()
        == brokerage(ic.rollup(G), by="kind").to_dict()
    )
