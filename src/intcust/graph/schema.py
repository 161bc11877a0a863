"""The schema of an organisation: attribute names, defaults and allowed values.

An organisation is a `networkx.DiGraph` whose edge ``u -> v`` means *u supplies
v* (v is u's internal customer). This module is the one place that lists the
attributes intcust knows; see ``docs/schema.md`` for their meaning.
"""

from __future__ import annotations

import numbers
from collections.abc import Hashable, Mapping
from typing import Any, Final

import networkx as nx

from intcust._params import check_graph

__all__ = [
    "DURATION_ATTRS",
    "EDGE_DEFAULTS",
    "EMPLOYMENT",
    "KINDS",
    "MAX_LAG",
    "MAX_NUMBER",
    "MAX_SERVERS",
    "NODE_DEFAULTS",
    "SCHEMA_VERSION",
    "SERVICES",
    "copy_edge",
    "edge_attr",
    "edge_services",
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

#: The edge attribute that lists several services of one supplier to one customer.
#: An edge carries one service, described by its own attributes (the common case),
#: or several, each a mapping of the attributes above with a named ``deliverable``
#: (IT gives an accounts clerk both "PMS access" and "IT support"); the edge itself
#: then holds no service attribute. Each service is one requirement of the
#: customer: the AND/OR joins, timing and the failure rule treat it as an edge of
#: its own, and network metrics see the pair as one tie whose volume is the sum.
SERVICES: Final = "services"

#: Attributes whose value is a duration (a number, a mapping or a Duration).
DURATION_ATTRS: Final = {"node": ("work",), "edge": ("lead_time",)}

#: Graph attributes intcust knows.
GRAPH_ATTRS: Final = ("name", "time_unit", "period", "schema_version")

#: The largest number a numeric schema attribute or a duration may hold (1e15, some
#: thirty million years in seconds): sums over millions of nodes stay finite, and a
#: single value stays exact to the unit (a float holds integers exactly up to 2**53).
MAX_NUMBER: Final = 1e15
#: The largest ``lag``: a service feeds at most a thousand rounds later.
MAX_LAG: Final = 1000
#: The most parallel ``servers`` behind one node.
MAX_SERVERS: Final = 100_000


def node_attr(G: nx.DiGraph, node: Hashable, name: str) -> Any:
    """The value of node attribute `name`, or its schema default."""
    value = G.nodes[node].get(name)
    return NODE_DEFAULTS.get(name) if value is None else value


def edge_attr(G: nx.DiGraph, u: Hashable, v: Hashable, name: str) -> Any:
    """The value of edge attribute `name` on ``u -> v``, or its schema default."""
    value = G.edges[u, v].get(name)
    return EDGE_DEFAULTS.get(name) if value is None else value


def edge_services(data: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The services an edge carries, one attribute mapping each.

    Parameters
    ----------
    data : mapping
        The edge's attribute dict.

    Returns
    -------
    list of mapping
        ``data`` itself for an edge with one service; the entries of its
        `SERVICES` list otherwise.

    Examples
    --------
    >>> edge_services({"deliverable": "PMS access", "volume": 3})
    [{'deliverable': 'PMS access', 'volume': 3}]
    >>> edge_services({"services": [{"deliverable": "PMS access"}, {"deliverable": "IT support"}]})
    [{'deliverable': 'PMS access'}, {'deliverable': 'IT support'}]
    """
    many = data.get(SERVICES)
    return [data] if many is None else list(many)


def copy_edge(data: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of an edge's attribute dict whose `SERVICES` list and entries are its own.

    Examples
    --------
    >>> edge = {"services": [{"deliverable": "a"}, {"deliverable": "b"}]}
    >>> copy = copy_edge(edge)
    >>> copy["services"][0]["lead_time"] = 2
    >>> edge["services"][0]
    {'deliverable': 'a'}
    """
    out = dict(data)
    many = out.get(SERVICES)
    if isinstance(many, list | tuple):
        out[SERVICES] = [dict(s) if isinstance(s, Mapping) else s for s in many]
    return out


def is_blocking(data: Mapping[str, Any], *, with_lag: bool = False) -> bool:
    """Whether an edge (its attribute dict) gates work in one round.

    A service gates work when ``blocking`` is not False and, unless `with_lag`,
    its ``lag`` is 0; an edge gates work when one of its services does. A
    malformed ``services`` value (which `validate` reports) gates nothing.
    """
    many = data.get(SERVICES)
    if many is None:
        services: Any = [data]
    elif isinstance(many, list | tuple):
        services = many
    else:
        return False
    for s in services:
        if isinstance(s, Mapping) and s.get("blocking", True) is not False:
            lag = s.get("lag")
            if with_lag or lag is None or (isinstance(lag, numbers.Number) and lag == 0):  # type: ignore[comparison-overlap]
                return True
    return False


def external_customers(G: nx.DiGraph) -> list[Hashable]:
    """The nodes of kind ``"external"`` (paying customers), in graph order.

    Examples
    --------
    >>> import intcust as ic
    >>> ic.external_customers(ic.datasets.email_campaign())
    ['customers']
    """
    check_graph(G, func="external_customers")
    return [n for n, k in G.nodes(data="kind") if k == "external"]
