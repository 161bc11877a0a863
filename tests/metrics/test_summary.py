"""summary: one table of the main per-node metrics."""

from __future__ import annotations

import json
import math

import networkx as nx
import pytest
from hypothesis import given

import intcust as ic
from intcust.errors import ParameterError
from strategies import organisations

M = ic.metrics
CENTRALITY = (
    "customers",
    "volume_supplied",
    "suppliers",
    "volume_received",
    "dependence",
    "reliance",
    "betweenness",
    "dependent_customers",
    "dependent_volume",
    "hops_to_customer",
    "lead_time_to_customer",
)


def test_columns_equal_the_metrics_they_come_from() -> None:
    G = ic.datasets.company()
    table = M.summary(G)
    assert table.columns[: len(CENTRALITY)] == CENTRALITY
    assert list(table) == list(G)
    load, reach = M.service_load(G), M.external_reach(G)
    dep, rel, bc = M.dependence(G), M.reliance(G), M.betweenness(G)
    for node, row in table.items():
        assert {c: row[c] for c in load.columns} == load[node]
        assert {c: row[c] for c in reach.columns} == reach[node]
        assert (row["dependence"], row["reliance"], row["betweenness"]) == (
            dep[node],
            rel[node],
            bc[node],
        )


def test_structure_metrics_are_included() -> None:
    G = ic.datasets.company()
    G.add_node("hermit", unit="Finance")
    table = M.summary(G)
    assert table.columns[len(CENTRALITY) :] == (
        "reciprocity",
        "constraint",
        "effective_size",
        "brokerage",
        "role",
    )
    assert {n: table[n]["constraint"] for n in M.constraint(G)} == M.constraint(G)
    assert table["hermit"]["constraint"] is None  # no contacts: no constraint
    totals = M.brokerage(G)
    assert all(table[n]["brokerage"] == totals[n]["total"] for n in G)
    informal = M.roles(G)
    assert all(table[n]["role"] == informal[n]["role"] for n in informal)
    assert table["retail customers"]["role"] is None  # a paying customer has no informal role
    assert table.description == "main per-node metrics"


def test_unit_level_equals_the_summary_of_the_rollup() -> None:
    G = ic.datasets.company()
    assert M.summary(G, level="unit").to_dict() == M.summary(ic.rollup(G)).to_dict()


def test_sampled_betweenness_reaches_roles_and_compiled_input() -> None:
    G = ic.datasets.company()
    sampled = M.summary(G, k=10, seed=2)
    assert sampled.column("betweenness") == M.betweenness(G, k=10, seed=2)
    # k and seed reach roles, whose brokers follow the same sampled betweenness
    informal = M.roles(G, k=10, seed=2)
    assert all(sampled[n]["role"] == informal[n]["role"] for n in informal)
    assert any(sampled[n]["role"] != row["role"] for n, row in M.roles(G).items())
    assert M.summary(ic.compile(G)).to_dict() == M.summary(G).to_dict()


@given(organisations(max_nodes=8))
def test_json_safe_without_nan(G: nx.DiGraph) -> None:
    table = M.summary(G)
    assert len(table) == len(G)
    json.dumps(table.to_dict(), allow_nan=False, default=str)
    for row in table.values():
        assert all(not (isinstance(x, float) and math.isnan(x)) for x in row.values())
        assert isinstance(row["volume_supplied"], float)


def test_empty_and_bad_input() -> None:
    assert len(M.summary(ic.org_graph())) == 0
    G = ic.datasets.email_campaign()
    G.edges["designer", "sender"]["volume"] = -1
    with pytest.raises(ParameterError, match=r"volume of edge \('designer', 'sender'\)"):
        M.summary(G)
    with pytest.raises(ParameterError, match="'level' parameter of summary"):
        M.summary(ic.datasets.email_campaign(), level="everyone")
