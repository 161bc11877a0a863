"""pandas frames: dtypes that keep values, missing means absent, numpy becomes Python."""

from __future__ import annotations

import math

import numpy as np
import pytest

import intcust as ic
from intcust.errors import ParameterError
from intcust.sim import Triangular

pd = pytest.importorskip("pandas")


def test_columns_keep_types_and_missing_is_absent() -> None:
    G = ic.org_graph(name="Acme")
    ic.add_stakeholder(G, "a", servers=2, due=1.5, work=Triangular(0, 1, 2))
    ic.add_stakeholder(G, "b", work=2)
    ic.add_service(G, "a", "b", blocking=False, lag=1)
    nodes, edges = ic.to_frames(G)
    assert nodes.index.name == "node" and list(nodes.index) == ["a", "b"]
    assert str(nodes["servers"].dtype) == "Int64"
    assert nodes["due"].dtype == np.float64 and math.isnan(nodes.loc["b", "due"])
    assert nodes["work"].dtype == object and nodes.loc["a", "work"] == Triangular(0, 1, 2)
    assert edges["lag"].dtype == np.int64 and edges["blocking"].dtype == bool
    assert nodes.attrs == {"name": "Acme"}
    H = ic.from_frames(nodes, edges)
    assert H.nodes["b"] == {"kind": "person", "work": 2}
    assert type(H.nodes["a"]["servers"]) is int
    assert H.edges["a", "b"] == {"blocking": False, "lag": 1}
    assert H.graph == {"name": "Acme"}


def test_frames_built_by_hand() -> None:
    nodes = pd.DataFrame(
        {
            "node": ["a", "b", "c"],
            "kind": ["person", None, "external"],
            "servers": np.array([1.0, np.nan, 3.0]),
            "work": [{"dist": "uniform", "low": 0, "high": 1}, np.nan, 2],
        }
    )
    nodes["servers"] = nodes["servers"].astype("Int64")
    edges = pd.DataFrame(
        {"supplier": ["a", "b"], "customer": ["b", "c"], "volume": [np.float64(2), pd.NA]}
    )
    G = ic.from_frames(nodes, edges, graph={"time_unit": "day"})
    assert G.nodes["b"] == {}
    assert G.nodes["a"]["work"] == ic.sim.Uniform(0, 1)
    assert type(G.nodes["c"]["servers"]) is int
    assert G.edges["a", "b"] == {"volume": 2.0} and G.edges["b", "c"] == {}
    assert G.graph == {"time_unit": "day"}


def test_index_names_nodes_when_there_is_no_node_column() -> None:
    nodes = pd.DataFrame({"kind": ["team", "external"]}, index=pd.Index([10, 20], name="id"))
    edges = pd.DataFrame({"supplier": np.array([10]), "customer": np.array([20])})
    G = ic.from_frames(nodes, edges)
    assert list(G) == [10, 20] and all(type(n) is int for n in G)
    assert list(G.edges) == [(10, 20)]


def test_reserved_column_names_are_rejected() -> None:
    G = ic.org_graph()
    G.add_node("a", node="x")
    with pytest.raises(ParameterError, match="'node'"):
        ic.to_frames(G)
