"""Burt's structural holes: networkx as the oracle, a direct loop for hierarchy, properties."""

from __future__ import annotations

import json
import math
import pathlib
from typing import Any

import networkx as nx
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import intcust as ic
from _rsna import orgnet
from intcust.metrics import constraint, effective_size, structural_holes
from strategies import digraphs, shuffled_names

REAL = {
    "krackhardt_advice": None,
    "krackhardt_friends": None,
    "lazega_advice": None,
    "lazega_cowork": None,
    "lazega_friends": None,
    "ukfaculty": "weight",
}


def _worst_difference(
    G: nx.DiGraph, weight: str | None, *, sample: int | None = None
) -> tuple[float, float]:
    """Largest gaps to networkx's constraint and effective size, where networkx defines them.

    Constraint is compared on every node with networkx's sparse form, and on
    `sample` nodes (all by default) with its per-node form. Effective size is
    compared with networkx's per-node formula (``nodes=`` given) only: its
    all-nodes sparse shortcut scales m_jq by the wrong node's largest mutual
    weight on asymmetric weights. The per-node forms are slow, hence `sample`.
    """
    t = structural_holes(G, weight=weight)
    some = list(G)[:sample]
    nx_c = nx.constraint(G, weight=weight)
    nx_c_loop = nx.constraint(G, nodes=some, weight=weight)
    nx_e = nx.effective_size(G, nodes=some, weight=weight)
    dc = de = 0.0
    for v in G:
        for ref in (nx_c[v], nx_c_loop.get(v, math.nan)):
            if not math.isnan(ref):
                dc = max(dc, abs(t[v]["constraint"] - ref))
        if not math.isnan(nx_e.get(v, math.nan)):
            de = max(de, abs(t[v]["effective_size"] - nx_e[v]))
    return dc, de


@pytest.mark.oracle
@pytest.mark.parametrize(("name", "weight"), list(REAL.items()))
def test_real_networks_equal_networkx(
    shared_data: pathlib.Path, name: str, weight: str | None
) -> None:
    G = orgnet(shared_data, name)
    dc, de = _worst_difference(G, weight, sample=16)
    assert dc <= 1e-9
    assert de <= 1e-9


@pytest.mark.oracle
def test_random_weighted_graphs_equal_networkx() -> None:
    rng = np.random.default_rng(11)
    for t in range(12):
        n = int(rng.integers(2, 30))
        G = nx.gnp_random_graph(n, float(rng.uniform(0.02, 0.5)), seed=t, directed=True)
        for u, v in G.edges:
            G[u][v]["volume"] = float(rng.uniform(0.05, 20.0))
        for weight in ("volume", None):
            dc, de = _worst_difference(G, weight)
            assert dc <= 1e-9
            assert de <= 1e-9


def _direct(G: nx.DiGraph, weight: str | None) -> dict[Any, dict[str, float]]:
    """Burt's formulas one contact at a time (no matrices), hierarchy and efficiency included."""

    def w(u: Any, v: Any) -> float:
        if not G.has_edge(u, v):
            return 0.0
        return 1.0 if weight is None else float(G[u][v].get(weight, 1.0))

    def contacts(u: Any) -> set[Any]:
        return (set(G.successors(u)) | set(G.predecessors(u))) - {u}

    def p(u: Any, v: Any) -> float:
        total = sum(w(u, k) + w(k, u) for k in contacts(u))
        return (w(u, v) + w(v, u)) / total if total else 0.0

    out = {}
    for i in G:
        N = contacts(i)
        local = {j: (p(i, j) + sum(p(i, q) * p(q, j) for q in N)) ** 2 for j in N}
        C = sum(local.values())
        if len(N) > 1 and C > 0:
            terms = [(c / C * len(N)) for c in local.values()]
            H = sum(r * math.log(r) for r in terms if r > 0) / (len(N) * math.log(len(N)))
        else:
            H = 0.0
        undefined = not N  # ratios over no contact
        out[i] = {
            "contacts": float(len(N)),
            "constraint": None if undefined else C,
            "hierarchy": None if undefined else H,
        }
    return out


@given(digraphs(max_nodes=10), st.sampled_from(["volume", None]))
def test_hierarchy_equals_direct_loop(G: nx.DiGraph, weight: str | None) -> None:
    t = structural_holes(G, weight=weight)
    for v, row in _direct(G, weight).items():
        for col, value in row.items():
            if value is None:
                assert t[v][col] is None, (v, col)
            else:
                assert t[v][col] == pytest.approx(value, abs=1e-9), (v, col)
        n = t[v]["contacts"]
        if n:
            assert t[v]["efficiency"] == pytest.approx(t[v]["effective_size"] / n, abs=1e-12)
        else:
            assert t[v]["efficiency"] is None


def test_hierarchy_extremes() -> None:
    # a star: the constraint spreads evenly over the leaves, hierarchy 0
    star = nx.DiGraph([(0, k) for k in range(1, 6)])
    assert structural_holes(star, weight=None)[0]["hierarchy"] == pytest.approx(0.0, abs=1e-12)
    # one heavy contact among light ones concentrates constraint: hierarchy > 0
    star[0][1]["volume"] = 100.0
    assert structural_holes(star)[0]["hierarchy"] > 0.5


@given(digraphs(max_nodes=12))
def test_values_are_finite_and_in_range(G: nx.DiGraph) -> None:
    t = structural_holes(G)
    for row in t.values():
        if not row["contacts"]:
            continue
        assert all(math.isfinite(x) for x in row.values())
        assert 0.0 <= row["efficiency"] <= 1.0 + 1e-12
        assert -1e-12 <= row["hierarchy"] <= 1.0 + 1e-12
        assert row["effective_size"] <= row["contacts"] + 1e-12


@given(digraphs(min_nodes=1, max_nodes=10), st.randoms(use_true_random=False))
def test_invariant_under_relabelling(G: nx.DiGraph, rnd: Any) -> None:
    mapping = shuffled_names(G, rnd)
    a, b = structural_holes(G), structural_holes(nx.relabel_nodes(G, mapping))
    for v in G:
        assert b[mapping[v]] == pytest.approx(a[v], abs=1e-12)


def test_unit_level_equals_metric_on_rollup() -> None:
    G = ic.datasets.email_campaign()
    U = ic.rollup(G)
    assert structural_holes(G, level="unit").to_dict() == structural_holes(U).to_dict()
    assert constraint(G, level="unit") == constraint(U)


def test_isolates_and_empty() -> None:
    G = nx.DiGraph([("a", "b")])
    G.add_node("alone")
    t = structural_holes(G)
    # a node without contacts has no constraint: never a misleading 0
    assert t["alone"] == {
        "contacts": 0.0,
        "constraint": None,
        "effective_size": 0.0,
        "efficiency": None,
        "hierarchy": None,
    }
    assert "alone" not in constraint(G) and set(constraint(G)) == {"a", "b"}
    assert effective_size(G)["alone"] == 0.0
    json.dumps(t.to_dict(), allow_nan=False)
    assert len(structural_holes(nx.DiGraph())) == 0
    assert effective_size(G)["a"] == 1.0


def test_negative_weight_is_refused_naming_the_edge() -> None:
    G = nx.DiGraph()
    G.add_edge("a", "b", volume=-2.0)
    with pytest.raises(
        ic.ParameterError, match=r"volume of edge \('a', 'b'\) must be a finite number >= 0"
    ):
        structural_holes(G)
    G["a"]["b"]["volume"] = "lots"
    with pytest.raises(ic.ParameterError, match="finite number"):
        constraint(G)


@given(digraphs(max_nodes=12))
def test_unit_level_property(G: nx.DiGraph) -> None:
    U = ic.rollup(G)
    assert structural_holes(G, level="unit").to_dict() == structural_holes(U).to_dict()
