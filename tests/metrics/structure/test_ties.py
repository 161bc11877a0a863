"""Reciprocity and the E-I index: networkx and direct counts as oracles, properties."""

from __future__ import annotations

import pathlib
from typing import Any

import networkx as nx
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import intcust as ic
from _rsna import GROUPED, orgnet
from intcust.metrics import (
    EIIndex,
    Reciprocity,
    ei_index,
    reciprocity,
    unit_reciprocity,
)
from strategies import digraphs, shuffled_names


def _assert_equals_networkx(G: nx.DiGraph) -> None:
    r = reciprocity(G, weight=None)
    assert r.overall == pytest.approx(nx.overall_reciprocity(G), abs=1e-12)
    ref = nx.reciprocity(G, list(G))
    for v in G:
        assert r.nodes[v] == pytest.approx(ref[v] if ref[v] is not None else 0.0, abs=1e-12)


@pytest.mark.oracle
@pytest.mark.parametrize("name", list(GROUPED))
def test_reciprocity_equals_networkx_on_real_networks(
    shared_data: pathlib.Path, name: str
) -> None:
    _assert_equals_networkx(orgnet(shared_data, name))


@given(digraphs(min_nodes=2, max_nodes=12).filter(lambda G: G.number_of_edges() > 0))
def test_reciprocity_equals_networkx(G: nx.DiGraph) -> None:
    _assert_equals_networkx(G)


def _direct_ei(G: nx.DiGraph, by: str, weight: str | None) -> dict[Any, dict[str, float]]:
    def w(d: dict[str, Any]) -> float:
        return 1.0 if weight is None else float(d.get(weight, 1.0))

    units = {G.nodes[v][by] for v in G}
    out = {u: {"out": 0.0, "in": 0.0, "internal": 0.0} for u in units}
    for a, b, d in G.edges(data=True):
        ga, gb = G.nodes[a][by], G.nodes[b][by]
        if ga == gb:
            out[ga]["internal"] += w(d)
        else:
            out[ga]["out"] += w(d)
            out[gb]["in"] += w(d)
    return out


@pytest.mark.oracle
@pytest.mark.parametrize(("name", "by"), [(n, b) for n, bys in GROUPED.items() for b in bys])
def test_ei_index_on_real_networks(shared_data: pathlib.Path, name: str, by: str) -> None:
    G = orgnet(shared_data, name)
    weight = "weight" if name == "ukfaculty" else None
    counts = _direct_ei(G, by, weight)
    for direction in ("both", "out", "in"):
        ei = ei_index(G, by=by, direction=direction, weight=weight)
        for unit, c in counts.items():
            e = c["out"] + c["in"] if direction == "both" else c[direction]
            total = e + c["internal"]  # 0 for a one-person unit without such ties
            expected = (e - c["internal"]) / total if total else 0.0
            assert ei.units[unit]["ei_index"] == pytest.approx(expected, abs=1e-12)


@given(
    digraphs(max_nodes=12),
    st.sampled_from(["both", "out", "in"]),
    st.sampled_from(["volume", None]),
)
def test_ei_index_counts_and_range(G: nx.DiGraph, direction: str, weight: str | None) -> None:
    ei = ei_index(G, direction=direction, weight=weight)
    assert -1.0 <= ei.overall <= 1.0
    counts = _direct_ei(G, "unit", weight)
    assert set(ei.units) == set(counts)
    for unit, c in counts.items():
        row = ei.units[unit]
        assert -1.0 <= row["ei_index"] <= 1.0
        e = c["out"] + c["in"] if direction == "both" else c[direction]
        assert row["external"] == pytest.approx(e)
        assert row["internal"] == pytest.approx(c["internal"])
    crossing = sum(c["out"] for c in counts.values())
    inside = sum(c["internal"] for c in counts.values())
    if crossing + inside:
        assert ei.overall == pytest.approx((crossing - inside) / (crossing + inside))


@given(digraphs(max_nodes=12), st.sampled_from(["volume", None]))
def test_weighted_reciprocity_by_definition(G: nx.DiGraph, weight: str | None) -> None:
    def w(u: Any, v: Any) -> float:
        if not G.has_edge(u, v):
            return 0.0
        return 1.0 if weight is None else float(G[u][v]["volume"])

    r = reciprocity(G, weight=weight)
    total = sum(w(u, v) for u, v in G.edges)
    back = sum(min(w(u, v), w(v, u)) for u, v in G.edges)
    assert r.overall == pytest.approx(back / total if total else 0.0)
    for v in G:
        s = sum(w(v, k) + w(k, v) for k in set(G.pred[v]) | set(G.succ[v]))
        m = sum(2 * min(w(v, k), w(k, v)) for k in G.succ[v])
        assert r.nodes[v] == pytest.approx(m / s if s else 0.0)
        assert 0.0 <= r.nodes[v] <= 1.0 + 1e-12

    pairs = unit_reciprocity(G, weight=weight)
    for (a, b), row in pairs.items():
        ties = [(u, v) for u, v in G.edges if {G.nodes[u]["unit"], G.nodes[v]["unit"]} == {a, b}]
        assert row["ties"] == pytest.approx(sum(w(u, v) for u, v in ties))
        assert row["returned"] == pytest.approx(sum(min(w(u, v), w(v, u)) for u, v in ties))
        assert 0.0 <= row["reciprocity"] <= 1.0 + 1e-12
    assert sum(row["ties"] for row in pairs.values()) == pytest.approx(total)


def test_unit_reciprocity_example() -> None:
    G = nx.DiGraph([("a", "b"), ("b", "a"), ("a", "c"), ("c", "d"), ("d", "c")])
    nx.set_node_attributes(G, {"a": "X", "b": "X", "c": "Y", "d": "Y"}, "unit")
    t = unit_reciprocity(G, weight=None)
    assert set(t) == {("X", "X"), ("X", "Y"), ("Y", "Y")}
    assert t["X", "X"]["reciprocity"] == 1.0
    assert t["X", "Y"]["reciprocity"] == 0.0
    assert t["X", "Y"]["ties"] == 1.0


@given(digraphs(min_nodes=1, max_nodes=10), st.randoms(use_true_random=False))
def test_invariant_under_relabelling(G: nx.DiGraph, rnd: Any) -> None:
    mapping = shuffled_names(G, rnd)
    H = nx.relabel_nodes(G, mapping)
    a, b = reciprocity(G), reciprocity(H)
    assert a.overall == pytest.approx(b.overall)
    assert all(b.nodes[mapping[v]] == pytest.approx(a.nodes[v]) for v in G)
    ea, eb = ei_index(G), ei_index(H)
    assert ea.overall == pytest.approx(eb.overall)
    assert {u: r["ei_index"] for u, r in ea.units.items()} == pytest.approx(
        {u: r["ei_index"] for u, r in eb.units.items()}
    )
    # unit pairs are unordered: first-seen order of the units may change
    ua, ub = (
        {frozenset(pair): row["reciprocity"] for pair, row in unit_reciprocity(X).items()}
        for X in (G, H)
    )
    assert ua == pytest.approx(ub)


def test_unit_level_equals_metric_on_rollup() -> None:
    G = ic.datasets.email_campaign()
    U = ic.rollup(G)
    assert reciprocity(G, level="unit").to_dict() == reciprocity(U).to_dict()
    assert ei_index(G, by="kind", level="unit").to_dict() == ei_index(U, by="kind").to_dict()


def test_result_types() -> None:
    G = ic.datasets.email_campaign()
    r = reciprocity(G)
    assert isinstance(r, Reciprocity)
    assert r.to_dict()["nodes"]["designer"] == 1.0
    assert "<table>" in r._repr_html_() and repr(r).startswith("Reciprocity(overall=")
    ei = ei_index(G, missing="own")
    assert isinstance(ei, EIIndex)
    assert ei.to_dict()["units"]["customers"]["ei_index"] == 1.0
    assert "<table>" in ei._repr_html_() and "direction='both'" in repr(ei)


def test_bad_input() -> None:
    G = ic.datasets.email_campaign()
    del G.nodes["sender"]["unit"]
    with pytest.raises(ic.ParameterError, match="'sender'"):
        ei_index(G, missing="raise")
    with pytest.raises(ic.ParameterError, match="'sender'"):
        unit_reciprocity(G, missing="raise")
    with pytest.raises(ic.ParameterError, match="'direction' parameter of ei_index"):
        ei_index(G, direction="sideways")
    # external customers stay groups of their own even when the unit-less are dropped
    assert set(ei_index(G, missing="drop").units) == {"Marketing", "customers"}
    G.add_edge("designer", "list keeper", volume=-1)
    with pytest.raises(ic.ParameterError, match=r"edge \('designer', 'list keeper'\)"):
        reciprocity(G)
    with pytest.raises(ic.ParameterError, match="DiGraph"):
        reciprocity(nx.Graph())  # type: ignore[arg-type]


def test_empty_organisation() -> None:
    E = nx.DiGraph()
    assert reciprocity(E).overall == 0.0 and len(reciprocity(E).nodes) == 0
    assert ei_index(E).overall == 0.0 and len(ei_index(E).units) == 0
    assert len(unit_reciprocity(E)) == 0
    lonely = nx.DiGraph()
    lonely.add_node("x", unit="A")
    assert ei_index(lonely).units["A"]["ei_index"] == 0.0
    assert reciprocity(lonely).nodes["x"] == 0.0
    assert np.isfinite(reciprocity(lonely).overall)


@given(digraphs(max_nodes=12), st.sampled_from(["both", "out", "in"]))
def test_unit_level_property(G: nx.DiGraph, direction: str) -> None:
    U = ic.rollup(G)
    assert reciprocity(G, level="unit").to_dict() == reciprocity(U).to_dict()
    assert (
        ei_index(G, by="kind", direction=direction, level="unit").to_dict()
        == ei_index(U, by="kind", direction=direction).to_dict()
    )
    assert (
        unit_reciprocity(G, by="kind", level="unit").to_dict()
        == unit_reciprocity(U, by="kind").to_dict()
    )
