"""generate_org: synthetic organisations, reproducible and shaped as documented."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest

import intcust as ic
from intcust.graph.generators import _fill_adjacency
from intcust.graph.schema import is_blocking


@pytest.fixture(scope="module")
def org() -> nx.DiGraph:
    return ic.datasets.generate_org(2000, seed=7)


def test_same_seed_same_organisation():
    a, b = ic.datasets.generate_org(500, seed=3), ic.datasets.generate_org(500, seed=3)
    assert list(a) == list(b)
    assert nx.utils.graphs_equal(a, b)
    assert list(a.edges(data=True)) == list(b.edges(data=True))
    c = ic.datasets.generate_org(500, seed=4)
    assert list(a.edges) != list(c.edges)
    rng = np.random.default_rng(5)
    assert nx.utils.graphs_equal(
        ic.datasets.generate_org(50, seed=rng), ic.datasets.generate_org(50, seed=5)
    )


def test_counts(org):
    people = [n for n, d in org.nodes(data=True) if d["kind"] == "person"]
    customers = ic.external_customers(org)
    assert len(people) == 2000
    assert len(customers) == 2
    assert org.number_of_nodes() == 2000 + 2 + len(customers)
    per_person = org.number_of_edges() / 2000
    assert 4.8 <= per_person <= 5.2
    assert not any(u == v for u, v in org.edges)


def test_valid_and_compiles(org):
    ic.validate(org)
    C = ic.compile(org)
    assert C.n_edges == org.number_of_edges()
    depth = int(C.level.max())
    assert 3 <= depth <= 6 * 8 + 3  # a value stream, bounded by stages x team size


def test_unit_hierarchy(org):
    people = [d for _, d in org.nodes(data=True) if d["kind"] == "person"]
    teams = {d["unit"] for d in people}
    departments = {d["department"] for d in people}
    assert len(departments) == round(np.sqrt(2000) / 4)
    assert all(d["unit"].split("/")[0] == d["department"] for d in people)
    sizes = np.bincount([sorted(teams).index(d["unit"]) for d in people])
    assert sizes.min() >= 7 and sizes.max() <= 9
    assert {d["employment"] for d in people} == {
        "full-time",
        "part-time",
        "temporary",
        "contractor",
    }


def test_shared_services_serve_everyone(org):
    people = [n for n, d in org.nodes(data=True) if d["kind"] == "person"]
    for shared, deliverable in (("HR", "HR services"), ("IT", "IT support")):
        assert org.nodes[shared]["kind"] == "department"
        assert all(org.edges[shared, p]["deliverable"] == deliverable for p in people)
    assert not any(is_blocking(org.edges["HR", p]) for p in people)
    share = np.mean([is_blocking(org.edges["IT", p]) for p in people])
    assert 0.4 < share < 0.6
    for shared in ("HR", "IT"):
        load = sum(d["volume"] for _, _, d in org.out_edges(shared, data=True))
        node = org.nodes[shared]
        assert load / (node["servers"] * node["capacity"]) == pytest.approx(0.85, rel=0.01)


def test_blocking_value_stream_reaches_every_customer(org):
    B = nx.DiGraph((u, v) for u, v, d in org.edges(data=True) if is_blocking(d))
    assert nx.is_directed_acyclic_graph(B)
    for c in ic.external_customers(org):
        assert len(nx.ancestors(B, c)) > 10
        assert org.nodes[c]["due"] > 0


def test_heavy_tailed_volumes(org):
    volume = np.array([v for _, _, v in org.edges(data="volume")])
    assert volume.min() >= 0
    assert np.quantile(volume, 0.99) > 5 * np.median(volume)


def test_reciprocity():
    none = ic.datasets.generate_org(1000, reciprocity=0.0, seed=1)
    some = ic.datasets.generate_org(1000, reciprocity=0.5, seed=1)
    assert not any(d == "feedback" for _, _, d in none.edges(data="deliverable"))
    feedback = [(u, v) for u, v, d in some.edges(data=True) if d["deliverable"] == "feedback"]
    assert len(feedback) > 500
    assert all(some.has_edge(v, u) and some.edges[u, v]["blocking"] is False for u, v in feedback)
    assert nx.reciprocity(some) > nx.reciprocity(none)


def test_small_and_parameterised():
    one = ic.datasets.generate_org(1, seed=0)
    ic.validate(one)
    assert sorted(one) == ["HR", "IT", "customer 1", "customer 2", "p0"]
    G = ic.datasets.generate_org(40, n_units=40, team_size=3, n_customers=5, services=3.0, seed=1)
    ic.validate(G)
    assert len(ic.external_customers(G)) == 5
    assert len({d.get("department") for _, d in G.nodes(data=True)} - {None, "HR", "IT"}) == 40


@pytest.mark.parametrize(
    ("kwargs", "param"),
    [
        ({"n_people": 0}, "n_people"),
        ({"n_people": 2.5}, "n_people"),
        ({"n_people": 10, "n_units": 0}, "n_units"),
        ({"n_people": 10, "team_size": 0}, "team_size"),
        ({"n_people": 10, "services": 1.0}, "services"),
        ({"n_people": 10, "reciprocity": 1.5}, "reciprocity"),
        ({"n_people": 10, "reciprocity": -0.1}, "reciprocity"),
        ({"n_people": 10, "n_customers": 0}, "n_customers"),
        ({"n_people": 10, "seed": "x"}, "seed"),
    ],
)
def test_bad_arguments(kwargs, param):
    with pytest.raises(ic.ParameterError, match=f"'{param}' parameter of generate_org"):
        ic.datasets.generate_org(**kwargs)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"n_people": 10**12},
        {"n_people": 1000, "services": 1e9},
        {"n_people": 10, "n_customers": 10**9},
    ],
)
def test_an_organisation_too_large_to_hold_is_refused_before_it_is_built(kwargs):
    import tracemalloc

    tracemalloc.start()
    try:
        with pytest.raises(ic.ParameterError, match="67,108,864 services") as err:
            ic.datasets.generate_org(seed=1, **kwargs)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert "'n_people' parameter of generate_org" in str(err.value)
    assert peak < 1 << 20  # nothing allocated before the check


def test_fill_adjacency_matches_add_edges_from():
    names = ["a", "b", "c", "d"]
    src = np.array([0, 0, 1, 3])
    dst = np.array([1, 2, 3, 0])
    data = [{"volume": float(k)} for k in range(4)]
    G = nx.DiGraph()
    G.add_nodes_from(names)
    _fill_adjacency(G, names, src, dst, data)
    H = nx.DiGraph()
    H.add_nodes_from(names)
    H.add_edges_from((names[s], names[t], d) for s, t, d in zip(src, dst, data, strict=True))
    assert nx.utils.graphs_equal(G, H)
    assert list(G.pred["a"]) == ["d"] and G.edges["a", "b"] is G.pred["b"]["a"]
