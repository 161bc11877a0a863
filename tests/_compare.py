"""Comparing organisations attribute for attribute, types included."""

from __future__ import annotations

import math
from typing import Any

import networkx as nx

from intcust.sim import Duration


def _same(a: Any, b: Any) -> bool:
    """Equal values of equal type; NaN equals NaN; a Duration equals its reread object."""
    if isinstance(a, Duration) or isinstance(b, Duration):
        return type(a) is type(b) and a == b
    if type(a) is not type(b):
        return False
    if isinstance(a, float):
        return a == b or (math.isnan(a) and math.isnan(b))
    if isinstance(a, list | tuple):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    return bool(a == b)


def assert_same_org(G: nx.DiGraph, H: nx.DiGraph) -> None:
    """Same nodes and edges in the same order, same attributes of the same types."""
    assert isinstance(H, nx.DiGraph) and not H.is_multigraph()
    assert list(H.nodes) == list(G.nodes)
    assert [type(n) for n in H] == [type(n) for n in G]
    assert list(H.edges) == list(G.edges)
    assert _same(dict(G.graph), dict(H.graph)), (G.graph, H.graph)
    for n in G:
        assert _same(G.nodes[n], H.nodes[n]), (n, G.nodes[n], H.nodes[n])
    for u, v in G.edges:
        assert _same(G.edges[u, v], H.edges[u, v]), ((u, v), G.edges[u, v], H.edges[u, v])
