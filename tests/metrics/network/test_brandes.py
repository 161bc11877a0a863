"""Betweenness (`intcust.metrics.network.brandes`): exact, sampled, weighted, on kernels."""

from __future__ import annotations

import math
import random
from itertools import pairwise, permutations
from pathlib import Path

import networkx as nx
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import intcust as ic
from _rsna import orgnet
from intcust._params import rng_from_seed
from intcust.errors import ParameterError
from intcust.metrics._network import network
from intcust.metrics.network import _brandes_kernels, brandes
from intcust.metrics.network.brandes import _dependencies, _estimate
from strategies import chain_graphs, multi_service_orgs

betweenness = ic.metrics.betweenness
TOL = 1e-9


def close(ours: dict, theirs: dict, tol: float = TOL) -> bool:
    return set(ours) == set(theirs) and all(abs(ours[n] - theirs[n]) <= tol for n in theirs)


def in_units(G: nx.DiGraph, weight: str) -> nx.DiGraph:
    """`G` with `weight` as whole multiples of 1e-9 (Python ints add exactly in networkx);
    a duration counts at its mode, as the metrics read it."""
    H = G.copy()
    for _, _, d in H.edges(data=True):
        d[weight] = round(ic.sim.as_duration(d[weight]).mode * 10**brandes.DECIMALS)
    return H


def brute_force(G: nx.DiGraph, weight: str | None, normalized: bool) -> dict:
    """Betweenness from every simple path: shortest by length, then fewest zero-length hand-offs."""
    H = nx.DiGraph(G.edges(data=True))
    H.add_nodes_from(G)
    H.remove_edges_from(nx.selfloop_edges(H))
    score = dict.fromkeys(G, 0.0)
    for s, t in permutations(G, 2):
        paths = list(nx.all_simple_paths(H, s, t))
        if not paths:
            continue
        hops = [list(pairwise(p)) for p in paths]
        if weight is None:
            keys = [(len(e), 0) for e in hops]
        else:
            lengths = [[round(H.edges[e][weight] * 10**9) for e in path] for path in hops]
            keys = [(sum(x), sum(y == 0 for y in x)) for x in lengths]
        best = min(keys)
        shortest = [p for p, key in zip(paths, keys, strict=True) if key == best]
        for p in shortest:
            for v in p[1:-1]:
                score[v] += 1 / len(shortest)
    n = len(G)
    scale = 1 / ((n - 1) * (n - 2)) if normalized and n > 2 else 1.0
    return {v: x * scale for v, x in score.items()}


# ------------------------------------------------------------- exact values


@given(chain_graphs(), st.booleans())
def test_equals_networkx(G: nx.DiGraph, normalized: bool) -> None:
    ours = betweenness(G, normalized=normalized)
    assert close(ours, nx.betweenness_centrality(G, normalized=normalized))
    assert all(x == 0.0 for x in ours.stderr.values())
    weighted = betweenness(G, weight="lead_time", normalized=normalized)
    if any(w == 0 for _, _, w in G.edges(data="lead_time")):
        return  # networkx counts chains through zero-length cycles; see the next test
    # networkx on the lengths in whole units of 1e-9, which add exactly
    expected = nx.betweenness_centrality(
        in_units(G, "lead_time"), weight="lead_time", normalized=normalized
    )
    assert close(weighted, expected)


@given(chain_graphs(max_nodes=6, lengths="whole"), st.booleans())
def test_whole_lengths_equal_networkx_on_the_raw_weights(G: nx.DiGraph, normalized: bool) -> None:
    ours = betweenness(G, weight="lead_time", normalized=normalized)
    assert close(ours, nx.betweenness_centrality(G, weight="lead_time", normalized=normalized))


@given(chain_graphs(max_nodes=6), st.booleans())
def test_equals_brute_force_over_simple_paths(G: nx.DiGraph, normalized: bool) -> None:
    for weight in (None, "lead_time"):
        ours = betweenness(G, weight=weight, normalized=normalized)
        assert close(ours, brute_force(G, weight, normalized)), weight


def test_decimal_lengths_tie_where_float_sums_do_not() -> None:
    G = nx.DiGraph()
    G.add_edge("s", "a", lead_time=0.1)
    G.add_edge("a", "t", lead_time=0.2)
    G.add_edge("s", "t", lead_time=0.3)
    assert 0.1 + 0.2 != 0.3
    ours = betweenness(G, weight="lead_time", normalized=False)
    assert ours["a"] == 0.5  # half the shortest chains from s to t pass a
    assert nx.betweenness_centrality(G, weight="lead_time", normalized=False)["a"] == 0.0


def test_zero_length_cycles_count_once() -> None:
    # a feedback loop with no lead time: a <-> b; chains s -> a -> b -> t and s -> b -> t
    G = nx.DiGraph()
    G.add_edges_from([("s", "a"), ("s", "b"), ("b", "t")], lead_time=1.0)
    G.add_edges_from([("a", "b"), ("b", "a")], lead_time=0.0)
    ours = betweenness(G, weight="lead_time", normalized=False)
    # s -> b -> t has no zero-length hand-off, so it alone counts from s to t
    assert dict(ours) == {"s": 0.0, "a": 0.0, "b": 2.0, "t": 0.0}
    assert dict(ours) == brute_force(G, "lead_time", normalized=False)


@given(multi_service_orgs(), st.booleans())
def test_several_services_of_a_pair_are_one_tie(G: nx.DiGraph, normalized: bool) -> None:
    C = ic.compile(G)
    assert C.n_edges >= C.n_pairs
    pairs = nx.DiGraph()
    pairs.add_nodes_from(G)
    for u, v, data in G.edges(data=True):
        services = data.get("services", [data])
        # one tie per pair: its volume the sum, its lead time the shortest (the one reader)
        pairs.add_edge(u, v, lead_time=min(s["lead_time"] for s in services))
    expected = nx.betweenness_centrality(pairs, normalized=normalized)
    assert close(betweenness(C, normalized=normalized), expected)
    assert close(betweenness(G, normalized=normalized), expected)
    expected = nx.betweenness_centrality(pairs, weight="lead_time", normalized=normalized)
    assert close(betweenness(C, weight="lead_time", normalized=normalized), expected)


@pytest.mark.oracle
@pytest.mark.parametrize(
    ("name", "weight"),
    [("krackhardt_advice", None), ("lazega_advice", None), ("ukfaculty", "weight"),
     ("radoslaw_email", "weight")],
)  # fmt: skip
def test_real_networks_equal_networkx(shared_data: Path, name: str, weight: str | None) -> None:
    G = orgnet(shared_data, name)
    assert close(betweenness(G), nx.betweenness_centrality(G))
    if weight is not None:  # the tie strength read as a distance
        ours = betweenness(G, weight=weight)
        assert close(ours, nx.betweenness_centrality(G, weight=weight))
        assert close(ours, nx.betweenness_centrality(in_units(G, weight), weight=weight))


def test_generated_organisation_equals_networkx() -> None:
    G = ic.datasets.generate_org(400, seed=5)
    assert close(betweenness(G), nx.betweenness_centrality(G))
    expected = nx.betweenness_centrality(in_units(G, "lead_time"), weight="lead_time")
    assert close(betweenness(G, weight="lead_time"), expected)


# ------------------------------------------------------------- determinism


@pytest.mark.parametrize("weight", [None, "lead_time"])
def test_same_numbers_on_one_and_two_threads(
    monkeypatch: pytest.MonkeyPatch, weight: str | None
) -> None:
    numba = pytest.importorskip("numba")
    if numba.config.NUMBA_NUM_THREADS < 2:
        pytest.skip("numba runs on one thread here")
    monkeypatch.setattr(_brandes_kernels, "_PARALLEL_WORK", 0)  # always spread over the threads
    G = ic.datasets.generate_org(300, seed=2)
    before = numba.get_num_threads()
    runs = []
    try:
        for threads in (1, 2):
            numba.set_num_threads(threads)
            exact = betweenness(G, weight=weight)
            sampled = betweenness(G, weight=weight, k=40, seed=7)
            runs.append((dict(exact), dict(sampled), dict(sampled.stderr)))
    finally:
        numba.set_num_threads(before)
    assert runs[0] == runs[1]  # bit for bit
    monkeypatch.setattr(_brandes_kernels, "_PARALLEL_WORK", 1 << 62)  # always on one thread
    assert dict(betweenness(G, weight=weight)) == runs[0][0]


@pytest.mark.parametrize("seed", [0, 1])
def test_same_seed_same_estimate(seed: int) -> None:
    G = ic.datasets.company()
    a = betweenness(G, k=10, seed=seed)
    b = betweenness(G, k=10, seed=seed)
    assert dict(a) == dict(b) and dict(a.stderr) == dict(b.stderr)


# ------------------------------------------------------------- sampled values


@given(chain_graphs(max_nodes=12), st.integers(0, 1000), st.booleans(), st.booleans())
def test_sampled_estimator_equals_networkx_with_same_sources(
    G: nx.DiGraph, seed: int, normalized: bool, weighted: bool
) -> None:
    n = len(G)
    if n < 3:
        return
    weight = "lead_time" if weighted else None
    if weighted:
        G = in_units(G, weight)
    k = random.Random(seed).randint(3, n)
    chosen = random.Random(seed).sample(list(G.nodes()), k)  # networkx's draw
    net = network(G, weight=weight, func="test")
    ids = np.array([net.nodes.index(x) for x in chosen])
    total, square = _dependencies(net, ids, weighted=weighted)
    values, error = _estimate(total, square, ids, n, normalized=normalized, exact=False)
    expected = nx.betweenness_centrality(G, k=k, seed=seed, normalized=normalized, weight=weight)
    if not any(w == 0 for _, _, w in G.edges(data="lead_time")) or not weighted:
        assert close(dict(zip(net.nodes, values.tolist(), strict=True)), expected)
    assert np.all(error >= 0) and np.all(np.isfinite(error))


@given(chain_graphs())
def test_sampling_every_node_is_exact(G: nx.DiGraph) -> None:
    n = len(G)
    for weight in (None, "lead_time"):
        exact = betweenness(G, weight=weight)
        sampled = betweenness(G, weight=weight, k=n, seed=3)
        assert close(sampled, exact, 1e-12)
        assert sampled.k == n
        assert all(x == 0.0 for x in sampled.stderr.values())


def test_sampled_betweenness_is_unbiased() -> None:
    G = nx.gnm_random_graph(80, 320, seed=4, directed=True)
    exact = np.array(list(betweenness(G).values()))
    est = np.array([list(betweenness(G, k=16, seed=s).values()) for s in range(150)])
    spread = est.std(axis=0)
    # the mean of 150 estimates is within 5 of its standard errors of the truth
    assert np.all(np.abs(est.mean(axis=0) - exact) <= 5 * spread / np.sqrt(150) + 1e-12)


def _coverage(G: nx.DiGraph, k: int, weight: str | None, seeds: int) -> tuple[float, float]:
    """Share of nodes whose exact betweenness lies in estimate ± 1.96 stderr, over `seeds`.

    Also the same share for the textbook error alone (a simple random sample
    of the sources), recomputed on the sources `betweenness` draws.
    """
    exact = np.array(list(betweenness(G, weight=weight).values()))
    net = network(G, weight=weight, func="test")
    hits, textbook = [], []
    for seed in range(seeds):
        est = betweenness(G, weight=weight, k=k, seed=seed)
        value = np.array(list(est.values()))
        error = np.array(list(est.stderr.values()))
        hits.append(np.abs(value - exact) <= 1.96 * error + 1e-12)
        sources = rng_from_seed(seed).choice(net.n, size=k, replace=False)
        sums = _dependencies(net, sources, weighted=weight is not None)
        _, alone = _estimate(*sums, sources, net.n, normalized=True, exact=False)
        textbook.append(np.abs(value - exact) <= 1.96 * alone + 1e-12)
    return float(np.mean(hits)), float(np.mean(textbook))


#: Networks, weights and sample sizes (a quarter to a third of the nodes) for coverage.
COVERAGE = [
    ("krackhardt_advice", None, 7),
    ("lazega_advice", None, 24),
    ("ukfaculty", None, 27),
    ("ukfaculty", "weight", 27),
    ("radoslaw_email", None, 42),
    ("radoslaw_email", "weight", 42),
]


@pytest.mark.oracle
def test_sampled_intervals_reach_their_coverage_on_real_networks(shared_data: Path) -> None:
    shares, textbook = [], []
    for name, weight, k in COVERAGE:
        share, alone = _coverage(orgnet(shared_data, name), k, weight, seeds=150)
        assert abs(share - 0.95) <= 0.04, (name, weight, share)
        shares.append(share)
        textbook.append(alone)
    assert abs(np.mean(shares) - 0.95) <= 0.02, shares
    # what the textbook error alone gives: most of the misses it left are gone
    assert max(textbook) < 0.9 and np.mean(textbook) < np.mean(shares) - 0.1, textbook


@pytest.mark.parametrize("weight", [None, "lead_time"])
def test_sampled_intervals_reach_their_coverage_on_a_generated_organisation(
    weight: str | None,
) -> None:
    G = ic.datasets.generate_org(300, seed=1)
    share, alone = _coverage(G, 75, weight, seeds=100)
    assert abs(share - 0.95) <= 0.04, share
    assert alone < share - 0.1


# ------------------------------------------------------------- bad input


@pytest.mark.parametrize("k", [0, 2, 6, 1.5, True])
def test_bad_k_is_refused(k: object) -> None:
    G = ic.datasets.email_campaign()  # 5 nodes
    with pytest.raises(ParameterError, match="'k' parameter of betweenness"):
        betweenness(G, k=k)  # type: ignore[arg-type]


def test_bad_arguments_are_refused() -> None:
    G = ic.datasets.email_campaign()
    with pytest.raises(ParameterError, match="'weight' parameter of betweenness"):
        betweenness(ic.compile(G), weight="satisfaction")
    with pytest.raises(ParameterError, match="'seed' parameter of betweenness"):
        betweenness(G, k=3, seed=-1)
    G.edges["sender", "campaign"]["lead_time"] = -1.0
    with pytest.raises(ParameterError, match=r"lead_time of edge \('sender', 'campaign'\)"):
        betweenness(G, weight="lead_time")
    G.edges["sender", "campaign"]["lead_time"] = "soon"
    with pytest.raises(ParameterError, match="'soon'"):
        betweenness(G, weight="lead_time")


def test_huge_weights_stay_exact_in_coarser_units() -> None:
    G = nx.DiGraph()
    G.add_edge("s", "a", d=3e12)
    G.add_edge("a", "t", d=4e12)
    G.add_edge("s", "t", d=7e12)
    G.add_edge("t", "u", d=1.0)
    ours = betweenness(G, weight="d", normalized=False)
    assert ours["a"] == 1.0  # two chains from s to each of t and u tie
    assert math.isfinite(ours["t"]) and ours["t"] == 2.0
