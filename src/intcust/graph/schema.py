"""The schema of an organisation: attribute names, defaults and allowed values.

An organisation is a `networkx.DiGraph` whose edge ``u -> v`` means *u supplies
v* (v is u's internal customer). This module is the one place that lists the
attributes intcust knows; see ``docs/schema.md`` for their meaning.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any, Final

import networkx as nx

__all__ = [
    "DURATION_ATTRS",
    "EDGE_DEFAULTS",
    "EMPLOYMENT",
    "KINDS",
    "NODE_DEFAULTS",
    "SCHEMA_VERSION",
    "edge_attr",
    "external_customers",
    "is_blocking",
    "node_attr",
]

SCHEMA_VERSION: Final = "1.0"

KINDS: Final = ("person", "team", "department", "external")
EMPLOYMENT: Final = ("full-time", "part-time", "temporary", "contractor", "shareholder")

#: Node attributes and their defaults (None: no default, the attribute is optional).
NODE_DEFAULTS: Final[dict[str, Any]] = {
    "kind": "person",
    "unit": None,
    "employment": None,
    "role": None,
    "work": 0.0,
    "start": 0.0,
    "due": None,
    "capacity": None,
    "servers": 1,
    "buffer": 0.0,
}

#: Edge attributes and their defaults. A missing ``deliverable`` makes the edge a
#: deliverable of its own (pure AND).
EDGE_DEFAULTS: Final[dict[str, Any]] = {
    "deliverable": None,
    "lead_time": 0.0,
    "volume": 1.0,
    "sla": None,
    "satisfaction": None,
    "blocking": True,
    "lag": 0,
}

#: Attributes whose value is a duration (a number, a mapping or a Duration).
DURATION_ATTRS: Final = {"node": ("work",), "edge": ("lead_time",)}

#: Graph attributes intcust knows.
GRAPH_ATTRS: Final = ("name", "time_unit", "period", "schema_version")


def node_attr(G: nx.DiGraph, node: Hashable, name: str) -> Any:
    """The value of node attribute `name`, or its schema default."""
    value = G.nodes[node].get(name)
    return NODE_DEFAULTS.get(name) if value is None else value


def edge_attr(G: nx.DiGraph, u: Hashable, v: Hashable, name: str) -> Any:
    """The value of edge attribute `name` on ``u -> v``, or its schema default."""
    value = G.edges[u, v].get(name)
    return EDGE_DEFAULTS.get(name) if value is None else value


def is_blocking(data: dict[str, Any], *, with_lag: bool = False) -> bool:
    """Whether an edge (its attribute dict) gates work in one round.

    An edge gates work when ``blocking`` is not False and, unless `with_lag`,
    its ``lag`` is 0.
    """
    if data.get("blocking", True) is False:
        return False
    return with_lag or not data.get("lag", 0)


def external_customers(G: nx.DiGraph) -> list[Hashable]:
    """The nodes of kind ``"external"`` (paying customers), in graph order.

    Examples
    --------
    >>> import intcust as ic
    >>> ic.external_customers(ic.datasets.email_campaign())
    ['customers']
    """
    return [n for n, k in G.nodes(data="kind") if k == "external"]
