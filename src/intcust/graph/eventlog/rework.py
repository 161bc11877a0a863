"""Rework loops in mined organisations: the edges that feed the next round.

Hand-offs mined from an event log or a ticket export go both ways, while
blocking edges must be acyclic. `_mark_rework` orders the nodes with the
weighted greedy feedback-arc-set heuristic of Eades, Lin & Smyth (1993) on
volume and gives ``lag=1`` to the edges against that order.
"""

from __future__ import annotations

from collections.abc import Hashable

import networkx as nx

from intcust.graph.schema import edge_services


def _mark_rework(G: nx.DiGraph, customer: Hashable | None = None) -> None:
    """Give ``lag=1`` to the edges against a greedy order (Eades, Lin & Smyth 1993).

    `customer`, when given, is placed last, after every other node.
    """
    out_w = dict.fromkeys(G, 0.0)
    in_w = dict.fromkeys(G, 0.0)
    succ: dict[Hashable, dict[Hashable, float]] = {u: {} for u in G}
    pred: dict[Hashable, dict[Hashable, float]] = {u: {} for u in G}
    for u, v, data in G.edges(data=True):
        vol = sum(float(s.get("volume", 1.0)) for s in edge_services(data))
        succ[u][v] = pred[v][u] = vol
        out_w[u] += vol
        in_w[v] += vol
    left = set(G) - {customer}
    front: list[Hashable] = []
    tail: list[Hashable] = []

    def drop(u: Hashable) -> None:
        left.discard(u)
        for v, w in succ[u].items():
            in_w[v] -= w
            pred[v].pop(u, None)
        for v, w in pred[u].items():
            out_w[v] -= w
            succ[v].pop(u, None)

    key = str
    while left:
        sinks = sorted((u for u in left if not any(v in left for v in succ[u])), key=key)
        sources = sorted((u for u in left if not any(v in left for v in pred[u])), key=key)
        if sinks or sources:
            for u in sources:
                front.append(u)
                drop(u)
            for u in sinks:
                if u in left:
                    tail.insert(0, u)
                    drop(u)
            continue
        u = min(left, key=lambda x: (-(out_w[x] - in_w[x]), key(x)))
        front.append(u)
        drop(u)
    rank = {u: i for i, u in enumerate([*front, *tail, customer])}
    for u, v, data in G.edges(data=True):
        if rank[u] >= rank[v]:
            for service in edge_services(data):
                service["lag"] = 1  # type: ignore[index]
