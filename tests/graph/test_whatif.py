"""what_if: reorganisations on a copy, with the original untouched."""

from __future__ import annotations

import copy

import networkx as nx
import pytest
from hypothesis import given
from hypothesis import strategies as st

import intcust as ic
from intcust.graph.whatif import what_if
from strategies import organisations


def snapshot(G: nx.DiGraph) -> tuple[object, ...]:
    return (
        copy.deepcopy(dict(G.graph)),
        [(n, copy.deepcopy(d)) for n, d in G.nodes(data=True)],
        [(u, v, copy.deepcopy(d)) for u, v, d in G.edges(data=True)],
    )


@given(organisations(max_nodes=8, services=True))
def test_original_untouched_and_copy_is_deep(G: nx.DiGraph) -> None:
    before = snapshot(G)
    nodes = list(G)
    H = what_if(G, remove=nodes[:1])
    assert snapshot(G) == before
    assert set(H) == set(nodes[1:])
    for n in H:
        assert H.nodes[n] == G.nodes[n] and H.nodes[n] is not G.nodes[n]
    for u, v, d in H.edges(data=True):
        assert d == G.edges[u, v] and d is not G.edges[u, v]
    H2 = what_if(G)
    H2.nodes[nodes[0]]["extra"] = 1
    assert "extra" not in G.nodes[nodes[0]]


def test_reroute_moves_the_service_with_its_attributes() -> None:
    G = ic.datasets.email_campaign()
    H = what_if(G, reroute={("campaign", "customers"): "sender"}, remove=["list keeper"])
    assert H.edges["sender", "customers"] == G.edges["campaign", "customers"]
    assert not H.has_edge("campaign", "customers") and "list keeper" not in H
    G2 = ic.org_graph()
    for n in "abcd":
        ic.add_stakeholder(G2, n)
    ic.add_service(G2, "a", "c", deliverable="x", volume=3, sla=2.0)
    H2 = what_if(G2, reroute={("a", "c"): "b"})
    assert H2.edges["b", "c"] == G2.edges["a", "c"]
    assert G2.has_edge("a", "c") and not H2.has_edge("a", "c")


def test_merge_pools_servers_and_capacity() -> None:
    G = ic.org_graph()
    ic.add_stakeholder(G, "ann", capacity=2.0, servers=1, unit="Desk")
    ic.add_stakeholder(G, "bob", capacity=4.0, servers=3, unit="Desk")
    ic.add_stakeholder(G, "sue")
    ic.add_stakeholder(G, "cust", kind="external")
    ic.add_service(G, "sue", "ann", volume=2)
    ic.add_service(G, "sue", "bob", volume=5)
    ic.add_service(G, "ann", "bob")
    ic.add_service(G, "ann", "cust", deliverable="help")
    ic.add_service(G, "bob", "cust", deliverable="help")
    H = what_if(G, merge={"desk": ["ann", "bob"]})
    assert set(H) == {"desk", "sue", "cust"}
    assert H.nodes["desk"]["servers"] == 4
    assert H.nodes["desk"]["capacity"] == pytest.approx((2 + 12) / 4)
    assert H.nodes["desk"]["unit"] == "Desk"
    assert H.edges["sue", "desk"]["volume"] == 7
    assert not H.has_edge("desk", "desk")
    # merging into an existing name keeps that node's attributes
    H2 = what_if(G, merge={"bob": ["ann"]})
    assert set(H2) == {"bob", "sue", "cust"} and H2.nodes["bob"]["servers"] == 4


def test_merge_changes_the_bottleneck_answer() -> None:
    G = ic.org_graph()
    for n in ["a", "b", "s1", "s2"]:
        ic.add_stakeholder(G, n)
    ic.add_stakeholder(G, "cust", kind="external")
    ic.add_service(G, "s1", "a")
    ic.add_service(G, "s2", "b")
    ic.add_service(G, "a", "cust", deliverable="x")
    ic.add_service(G, "b", "cust", deliverable="x")
    assert not any(r["customers"] for r in ic.metrics.single_points_of_failure(G).values())
    H = what_if(G, merge={"s": ["s1", "s2"]})
    assert ic.metrics.single_points_of_failure(H)["s"]["customers"] == ("cust",)


def test_errors_name_the_problem() -> None:
    G = ic.datasets.email_campaign()
    with pytest.raises(ic.UnknownNodeError, match=r"'remove' parameter of what_if.*'nobody'"):
        what_if(G, remove=["nobody"])
    with pytest.raises(ic.UnknownNodeError, match="'merge'"):
        what_if(G, merge={"x": ["designer", "nobody"]})
    with pytest.raises(ic.UnknownNodeError, match="'reroute'"):
        what_if(G, reroute={("designer", "sender"): "nobody"})
    with pytest.raises(ic.ParameterError, match="does not supply"):
        what_if(G, reroute={("designer", "campaign"): "sender"})
    with pytest.raises(ic.ParameterError, match="'remove' parameter of what_if must be a list"):
        what_if(G, remove="designer")  # type: ignore[arg-type]
    with pytest.raises(ic.ParameterError, match="'merge' parameter of what_if must be a mapping"):
        what_if(G, merge=[("x", ["designer"])])  # type: ignore[arg-type]
    with pytest.raises(ic.ParameterError, match="also merged"):
        what_if(G, merge={"x": ["designer", "list keeper"]}, remove=["designer"])
    with pytest.raises(ic.ParameterError, match="two merges"):
        what_if(G, merge={"x": ["designer"], "y": ["designer"]})
    with pytest.raises(ic.CycleError):  # a -> c -> b: merging a and b closes a loop
        what_if(_loop(), merge={"ab": ["a", "b"]})


def _loop() -> nx.DiGraph:
    G = ic.org_graph()
    for n in "abc":
        ic.add_stakeholder(G, n)
    ic.add_service(G, "a", "c")
    ic.add_service(G, "c", "b")
    return G


def _edges(H: nx.DiGraph) -> list[tuple[object, ...]]:
    return [(u, v, repr(d)) for u, v, d in sorted(H.edges(data=True), key=repr)]


@given(organisations(max_nodes=7, services=True), st.randoms(use_true_random=False))
def test_merge_does_not_depend_on_the_order_of_members(G: nx.DiGraph, rnd) -> None:
    members = list(G)[: max(2, len(G) // 2)]
    if len(members) < 2:
        return
    shuffled = members[:]
    rnd.shuffle(shuffled)
    results = []
    for group in (members, shuffled):
        try:
            H = what_if(G, merge={"merged": group})
        except ic.SchemaError as err:  # a merge may close a blocking loop: same for both
            results.append(type(err).__name__)
            continue
        results.append((list(H), [H.nodes[n] for n in H], _edges(H)))
    assert results[0] == results[1]


def test_a_blocking_service_is_never_swallowed_by_an_information_tie() -> None:
    """a1 -> b blocks, a2 -> b informs; b -> a3 blocks: merging the a's closes a blocking loop,
    whichever member is listed first."""
    G = ic.org_graph()
    for n in ["a1", "a2", "a3", "b"]:
        ic.add_stakeholder(G, n)
    ic.add_service(G, "a2", "b", blocking=False)
    ic.add_service(G, "a1", "b")
    ic.add_service(G, "b", "a3")
    for group in (["a1", "a2", "a3"], ["a2", "a1", "a3"], ["a3", "a2", "a1"]):
        with pytest.raises(ic.CycleError) as info:
            what_if(G, merge={"A": group})
        assert set(info.value.cycle) == {"A", "b"}
    H = what_if(G, merge={"A": ["a2", "a1"]})
    assert H.edges["A", "b"] == {"volume": 2.0}  # blocking kept, volumes summed


def test_merging_keeps_every_deliverable_of_a_pair() -> None:
    G = ic.org_graph()
    for n in ["IT", "clerk", "night clerk"]:
        ic.add_stakeholder(G, n)
    ic.add_service(G, "IT", "clerk", deliverable="PMS access", lead_time=1)
    ic.add_service(G, "IT", "night clerk", deliverable="IT support", lead_time=2)
    ic.add_service(G, "IT", "night clerk", deliverable="PMS access", lead_time=3, volume=2)
    H = what_if(G, merge={"front desk": ["clerk", "night clerk"]})
    services = H.edges["IT", "front desk"]["services"]
    assert [s["deliverable"] for s in services] == ["PMS access", "IT support"]
    assert services[0]["lead_time"] == 1 and services[0]["volume"] == 3.0
    assert services[1] == {"deliverable": "IT support", "lead_time": 2}


def test_reroute_onto_a_supplier_of_the_customer_joins_their_services() -> None:
    G = ic.datasets.email_campaign()
    H = what_if(G, reroute={("designer", "sender"): "list keeper"})
    services = H.edges["list keeper", "sender"]["services"]
    assert [s["deliverable"] for s in services] == ["mailing list", "email design"]
    assert not H.has_edge("designer", "sender")
    G2 = ic.org_graph()
    ic.add_service(G2, "a", "c", volume=2)
    ic.add_service(G2, "b", "c", volume=3)
    ic.add_service(G2, "d", "c", volume=1)
    one = what_if(G2, reroute={("a", "c"): "d", ("b", "c"): "d"})
    other = what_if(G2, reroute={("b", "c"): "d", ("a", "c"): "d"})
    assert one.edges["d", "c"] == other.edges["d", "c"] == {"volume": 6.0}
