"""Key players against brute force on small organisations."""

from __future__ import annotations

import itertools
import math

import networkx as nx
import pytest
from hypothesis import given

import intcust as ic
from intcust.graph.schema import is_blocking
from intcust.metrics.fragility.keyplayers import fragmentation, key_players
from strategies import organisations


def supply(G: nx.DiGraph) -> nx.DiGraph:
    """The ties that gate work, every node kept: what key players count by default."""
    H = nx.DiGraph()
    H.add_nodes_from(G)
    H.add_edges_from((u, v) for u, v, d in G.edges(data=True) if is_blocking(d, with_lag=True))
    return H


def frag_oracle(G: nx.DiGraph, removed: tuple[object, ...] = ()) -> float:
    H = supply(G)
    H.remove_nodes_from(removed)
    n = H.number_of_nodes()
    if n < 2:
        return 1.0
    pairs = sum(len(nx.descendants(H, v)) for v in H)
    return 1 - pairs / (n * (n - 1))


def reach_oracle(G: nx.DiGraph, S: tuple[object, ...], m: int) -> float:
    seen = set(S)
    for s in S:
        seen |= set(nx.single_source_shortest_path_length(supply(G), s, cutoff=m))
    return len(seen) / G.number_of_nodes()


@given(organisations(max_nodes=8, lags=True))
def test_fragmentation_matches_networkx_closure(G: nx.DiGraph) -> None:
    assert fragmentation(G) == pytest.approx(frag_oracle(G))
    for v in list(G)[:3]:
        assert fragmentation(G, removed=[v]) == pytest.approx(frag_oracle(G, (v,)))


@given(organisations(min_nodes=2, max_nodes=8, lags=True))
def test_greedy_fragmentation_first_pick_is_the_best_single_removal(G: nx.DiGraph) -> None:
    kp = key_players(G, min(2, len(G)))
    first = next(iter(kp))
    best = max(frag_oracle(G, (v,)) for v in G)
    assert kp[first]["score"] == pytest.approx(best)
    assert kp[first]["score"] == pytest.approx(frag_oracle(G, (first,)))
    if len(kp) == 2:
        assert kp[list(kp)[1]]["score"] == pytest.approx(frag_oracle(G, tuple(kp)))


@given(organisations(min_nodes=3, max_nodes=8, lags=True))
def test_greedy_reach_within_one_minus_one_over_e(G: nx.DiGraph) -> None:
    for m in (1, 2):
        kp = key_players(G, 2, objective="reach", m=m)
        got = reach_oracle(G, tuple(kp), m)
        assert kp[list(kp)[-1]]["score"] == pytest.approx(got)
        best = max(reach_oracle(G, S, m) for S in itertools.combinations(G, 2))
        assert got >= (1 - 1 / math.e) * best - 1e-12


def test_k_is_checked() -> None:
    G = ic.datasets.email_campaign()
    with pytest.raises(
        ic.ParameterError, match="at most the number of stakeholders \\(5\\); got 6"
    ):
        key_players(G, 6)
    with pytest.raises(ic.ParameterError, match="'size' parameter of key_players"):
        key_players(G, 0)
    with pytest.raises(ic.ParameterError, match="'objective'"):
        key_players(G, 1, objective="betweenness")
    assert len(key_players(G, 5)) == 5
    with pytest.raises(ic.UnknownNodeError):
        fragmentation(G, removed=["nobody"])


def test_information_ties_make_no_key_player() -> None:
    G = ic.datasets.email_campaign()
    ic.add_stakeholder(G, "newsletter", unit="Marketing")
    for node in list(G):
        if node != "newsletter":
            ic.add_service(G, "newsletter", node, deliverable="news", blocking=False)
    assert list(key_players(G, 1)) == ["sender"]
    assert list(key_players(G, 1, objective="reach")) != ["newsletter"]
    assert list(key_players(G, 1, objective="reach", ties="all")) == ["newsletter"]
    assert fragmentation(G, ties="all") < fragmentation(G)


def test_old_name_of_size_still_works_with_a_warning() -> None:
    G = ic.datasets.email_campaign()
    with pytest.warns(DeprecationWarning, match="'k' parameter of key_players is called 'size'"):
        old = key_players(G, k=2)
    assert old.to_dict() == key_players(G, size=2).to_dict()
    with (
        pytest.raises(ic.ParameterError, match="'k' parameter of key_players"),
        pytest.warns(DeprecationWarning, match="called 'size'"),
    ):
        key_players(G, 2, k=2)
