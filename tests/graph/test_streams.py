"""upstream, downstream and value_stream: who feeds whom, along which ties."""

from __future__ import annotations

import networkx as nx
import pytest
from hypothesis import given

import intcust as ic
from intcust.graph.schema import is_blocking
from strategies import organisations


def blocking_subgraph(G: nx.DiGraph, *, with_lag: bool = False) -> nx.DiGraph:
    """The services that gate work within one round (or, `with_lag`, in any round)."""
    H = nx.DiGraph()
    H.add_nodes_from(G)
    H.add_edges_from((u, v) for u, v, d in G.edges(data=True) if is_blocking(d, with_lag=with_lag))
    return H


def test_upstream_and_downstream_of_the_hotel():
    G = ic.datasets.hotel()
    up = ic.upstream(G, "reception", ties="blocking")
    assert set(up) == {"reception", "housekeeping", "IT"}
    assert up.edges["IT", "reception"] == G.edges["IT", "reception"]
    # the lagged room list feeds tomorrow's cleaning: housekeeping waits for it, a round
    # later, so blocking ties follow it as the metrics do; the value stream does not
    assert set(ic.upstream(G, "housekeeping")) == {"housekeeping", "reception", "IT"}
    assert set(ic.upstream(G, "housekeeping", ties="blocking")) == {
        "housekeeping",
        "reception",
        "IT",
    }
    down = ic.downstream(G, "IT", ties="blocking")
    assert set(down) == {"IT", "reception", "accounts", "guests", "housekeeping"}
    assert list(down) == [n for n in G if n in down]
    down["IT"]["reception"]["volume"] = -1  # an independent copy
    down.nodes["IT"]["work"] = 99
    assert G.edges["IT", "reception"]["volume"] == 40
    assert G.nodes["IT"]["work"] != 99


def test_value_stream_of_the_company():
    G = ic.datasets.company()
    V = ic.value_stream(G, "key accounts")
    assert {"key account manager", "logistics coordinator", "planner", "HR", "IT"} <= set(V)
    assert "founder" not in V and "retail customers" not in V
    assert V.graph == G.graph
    ic.validate(V)


def test_views_reject_unknown_and_wrong_nodes():
    G = ic.datasets.hotel()
    for view in (ic.upstream, ic.downstream, ic.value_stream):
        with pytest.raises(ic.UnknownNodeError, match="'spa'"):
            view(G, "spa")
    with pytest.raises(ic.ParameterError, match=r"external customer.*'kitchen'"):
        ic.value_stream(G, "kitchen")
    with pytest.raises(ic.UnknownNodeError):
        ic.upstream(G, ["not", "hashable"])


@given(organisations(max_nodes=8, lags=True, services=True))
def test_views_match_networkx_ancestors(G):
    B = blocking_subgraph(G, with_lag=True)  # ties="blocking": what the metrics count
    one_round = blocking_subgraph(G)  # value streams: what gates work within one round
    for node in G:
        assert set(ic.upstream(G, node)) == nx.ancestors(G, node) | {node}
        assert set(ic.downstream(G, node)) == nx.descendants(G, node) | {node}
        assert set(ic.upstream(G, node, ties="all")) == nx.ancestors(G, node) | {node}
        up = ic.upstream(G, node, ties="blocking")
        assert set(up) == nx.ancestors(B, node) | {node}
        assert set(up.edges) == set(G.subgraph(up).edges)
        assert set(ic.downstream(G, node, ties="blocking")) == nx.descendants(B, node) | {node}
    for customer in ic.external_customers(G):
        expected = nx.ancestors(one_round, customer) | {customer}
        assert set(ic.value_stream(G, customer)) == expected


def test_blocking_ties_are_those_the_metrics_count():
    """One name, one meaning: ``ties="blocking"`` reaches what `external_reach` counts."""
    for name in ic.datasets.EXAMPLES:
        G = getattr(ic.datasets, name)()
        reach = ic.metrics.external_reach(G, ties="blocking", weight=None)
        customers = set(ic.external_customers(G))
        for node in set(G) - customers:
            served = customers & set(ic.downstream(G, node, ties="blocking"))
            assert len(served) == reach[node]["dependent_customers"], (name, node)
    # at unit level, a unit edge is blocking when it carries blocking services
    R = ic.rollup(ic.datasets.hotel())
    gating = nx.DiGraph((u, v) for u, v, d in R.edges(data=True) if d["blocking_services"])
    assert set(ic.downstream(R, "Front office", ties="blocking")) == {
        "Front office",
        *nx.descendants(gating, "Front office"),
    }
    assert "Housekeeping" in ic.downstream(R, "Front office")
    assert "Housekeeping" not in ic.downstream(R, "Front office", ties="blocking")


def test_the_old_blocking_flag_warns_and_keeps_its_one_round_meaning():
    G = ic.datasets.hotel()
    with pytest.warns(
        DeprecationWarning, match=r"'blocking' parameter of upstream is called 'ties'"
    ) as seen:
        assert set(ic.upstream(G, "housekeeping", blocking=True)) == {"housekeeping"}
    with pytest.warns(DeprecationWarning, match="blocking=False is ties='all'") as also:
        assert list(ic.downstream(G, "IT", blocking=False)) == list(ic.downstream(G, "IT"))
    assert seen[0].filename == also[0].filename == __file__  # they point at the call to change
    with pytest.raises(ic.ParameterError, match="'ties' parameter of downstream alone"):
        ic.downstream(G, "IT", ties="blocking", blocking=True)
    with pytest.raises(ic.ParameterError, match="'blocking' parameter of upstream"):
        ic.upstream(G, "IT", blocking="yes")  # type: ignore[arg-type]
    for view in (ic.upstream, ic.downstream):
        with pytest.raises(ic.ParameterError, match=r"'ties' parameter of \w+stream must be"):
            view(G, "IT", ties="gating")


def test_views_keep_several_services_of_a_pair_as_independent_copies():
    G = ic.org_graph()
    ic.add_stakeholder(G, "guests", kind="external")
    ic.add_service(G, "IT", "clerk", deliverable="IT support", blocking=False)
    ic.add_service(G, "IT", "clerk", deliverable="PMS access", lead_time=1)
    ic.add_service(G, "clerk", "guests")
    V = ic.value_stream(G, "guests")  # the PMS access gates the clerk, so IT is in
    assert list(V) == ["guests", "IT", "clerk"]
    assert V.edges["IT", "clerk"] == G.edges["IT", "clerk"]
    V.edges["IT", "clerk"]["services"][1]["lead_time"] = 5
    assert G.edges["IT", "clerk"]["services"][1]["lead_time"] == 1
    del G.edges["IT", "clerk"]["services"][1]  # only the information tie is left
    assert list(ic.value_stream(G, "guests")) == ["guests", "clerk"]


def test_the_views_are_also_reachable_where_they_were():
    from intcust.graph import streams, views

    for name in ("upstream", "downstream", "value_stream"):
        assert getattr(views, name) is getattr(streams, name) is getattr(ic, name)
        assert name in views.__all__ and name in streams.__all__
