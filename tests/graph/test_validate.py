"""validate: quiet on valid organisations, every problem listed otherwise."""

from __future__ import annotations

import networkx as nx
import pytest
from hypothesis import given

import intcust as ic
from intcust.errors import CycleError, SchemaError
from strategies import organisations


@given(organisations(lags=True))
def test_generated_organisations_are_valid(G):
    ic.validate(G)


def test_plain_networkx_graphs_are_organisations():
    G = nx.DiGraph()
    G.add_edge(
        "it", "hr", deliverable="laptops", lead_time={"dist": "uniform", "low": 1, "high": 2}
    )
    G.add_node("client", kind="external", due=3)
    ic.validate(G)


def test_every_problem_is_listed():
    G = nx.DiGraph()
    G.add_node("a", kind="robot", employment="intern", servers=0.5)
    G.add_edge("a", "b", volume=-1, satisfaction=2, lag=-1, blocking="yes")
    with pytest.raises(SchemaError) as info:
        ic.validate(G)
    problems = info.value.problems
    assert len(problems) == 7
    assert "kind of node 'a'" in problems[0]
    assert any(
        "volume of edge ('a', 'b') must be a number from 0 to 1e+15; got -1" in p for p in problems
    )


def test_cycle_is_named_in_order():
    G = nx.DiGraph([("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")])
    with pytest.raises(CycleError) as info:
        ic.validate(G)
    cycle = info.value.cycle
    assert set(cycle) == {"a", "b", "c"}
    for u, v in zip(cycle, cycle[1:] + cycle[:1], strict=True):
        assert G.has_edge(u, v)
    assert "->" in str(info.value)


def test_lag_or_non_blocking_breaks_a_cycle():
    G = nx.DiGraph([("a", "b"), ("b", "a")])
    G.edges["b", "a"]["lag"] = 1
    ic.validate(G)
    G.edges["b", "a"].update(lag=0, blocking=False)
    ic.validate(G)


def test_cycle_and_other_problems_together():
    G = nx.DiGraph([("a", "b"), ("b", "a")])
    G.nodes["a"]["work"] = -3
    with pytest.raises(CycleError) as info:
        ic.validate(G)
    assert len(info.value.problems) == 2


def test_multigraph_is_refused():
    with pytest.raises(
        ic.ParameterError,
        match=r"'G' parameter of validate must be a networkx\.DiGraph; got MultiDiGraph",
    ):
        ic.validate(nx.MultiDiGraph())


@pytest.mark.parametrize(
    ("where", "attr", "value"),
    [
        ("edge", "volume", 10**400),
        ("edge", "lead_time", 1e308),
        ("edge", "lag", 10**9),
        ("edge", "lag", 10**400),
        ("node", "servers", 10**400),
        ("node", "start", 1e300),
        ("node", "work", {"dist": "lognormal", "mu": 800, "sigma": 1}),
    ],
)
def test_numbers_that_would_overflow_are_refused_by_validate_and_compile(where, attr, value):
    G = ic.datasets.email_campaign()
    target = G.nodes["designer"] if where == "node" else G.edges["designer", "sender"]
    target[attr] = value
    for check in (ic.validate, ic.compile):
        with pytest.raises(SchemaError, match=f"{attr} of (node|edge)"):
            check(G)
