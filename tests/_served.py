"""The failure rule by its definition, in plain Python: a test oracle for AND/OR supply."""

from __future__ import annotations

from collections.abc import Hashable, Iterable

import networkx as nx

from intcust.graph.schema import edge_services

#: A service: (supplier, customer, position in the edge's list of services).
Service = tuple[Hashable, Hashable, int]


def requirements(G: nx.DiGraph, v: Hashable) -> list[list[Service]]:
    """The deliverables v needs, each as the list of the services that can bring it."""
    groups: dict[object, list[Service]] = {}
    for u, _, d in G.in_edges(v, data=True):
        for k, s in enumerate(edge_services(d)):
            if s.get("blocking", True) is False:
                continue
            name = s.get("deliverable")
            key = ("own", u, k) if name is None else ("named", name)
            groups.setdefault(key, []).append((u, v, k))
    return list(groups.values())


def served(
    G: nx.DiGraph, absent: Iterable[Hashable] = (), lost: Iterable[Service] = ()
) -> set[Hashable]:
    """Who stays served: the least fixed point of the failure rule.

    A node is unserved when it is absent, or when some deliverable it needs
    has no service left whose supplier is served (a service in `lost` brings
    nothing).
    """
    unserved = set(absent)
    gone = set(lost)
    changed = True
    while changed:
        changed = False
        for v in G:
            if v in unserved:
                continue
            for group in requirements(G, v):
                if all(s in gone or s[0] in unserved for s in group):
                    unserved.add(v)
                    changed = True
                    break
    return set(G) - unserved
