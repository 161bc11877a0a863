"""Builders: defaults, checks, duration objects, unknown attributes."""

from __future__ import annotations

import networkx as nx
import pytest

import intcust as ic
from intcust.errors import ParameterError, SchemaError
from intcust.sim import Triangular


def test_builders_store_given_attributes_only():
    G = ic.org_graph(name="Acme", time_unit="day", period=5)
    ic.add_stakeholder(G, "designer", unit="Marketing", work=2, attrs={"site": "Leeds"})
    ic.add_service(G, "designer", "sender", deliverable="email design", lead_time=0.5)
    assert G.graph == {"name": "Acme", "time_unit": "day", "period": 5}
    assert G.nodes["designer"] == {
        "kind": "person",
        "unit": "Marketing",
        "work": 2,
        "site": "Leeds",
    }
    assert G.nodes["sender"] == {"kind": "person"}
    assert G.edges["designer", "sender"] == {"deliverable": "email design", "lead_time": 0.5}


def test_mapping_durations_become_objects():
    G = ic.org_graph()
    ic.add_stakeholder(G, "a", work={"dist": "triangular", "low": 1, "mode": 2, "high": 4})
    ic.add_service(G, "a", "b", lead_time={"dist": "triangular", "low": 0, "mode": 1, "high": 1})
    assert G.nodes["a"]["work"] == Triangular(1, 2, 4)
    assert G.edges["a", "b"]["lead_time"] == Triangular(0, 1, 1)


def test_re_adding_updates_and_keeps_other_attributes():
    G = ic.org_graph()
    ic.add_stakeholder(G, "a", unit="IT", work=1)
    ic.add_stakeholder(G, "a", kind="team", work=3)
    assert G.nodes["a"] == {"kind": "team", "unit": "IT", "work": 3}


def test_builders_report_every_problem_at_once():
    G = ic.org_graph()
    with pytest.raises(SchemaError) as info:
        ic.add_stakeholder(G, "a", kind="robot", servers=0, work=-1)
    assert len(info.value.problems) == 3
    assert "a" not in G
    with pytest.raises(SchemaError, match=r"satisfaction of edge \('a', 'b'\)"):
        ic.add_service(G, "a", "b", satisfaction=1.5)
    assert G.number_of_nodes() == 0


def test_attrs_must_not_shadow_schema_attributes():
    with pytest.raises(ParameterError, match="pass 'work' as its own keyword"):
        ic.add_stakeholder(ic.org_graph(), "a", attrs={"work": 3})


def test_builders_need_a_digraph():
    with pytest.raises(ParameterError, match=r"must be a networkx\.DiGraph; got Graph"):
        ic.add_stakeholder(nx.Graph(), "a")
    with pytest.raises(SchemaError, match="graph attribute period"):
        ic.org_graph(period=0)
