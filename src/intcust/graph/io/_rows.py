"""Edges as rows, for the formats that list one record per service (CSV, frames, GraphML).

An edge carries one service as its own attributes, or several as a
``services`` list (see ``docs/schema.md``). A table has one row per service:
an edge with one service is one row; an edge with a ``services`` list is one
row per service, each with its named deliverable, preceded by a *pair row*
(the supplier and customer with no deliverable and no schema attribute)
that holds the attributes of the edge itself, written only when the edge
has such attributes or lists a single service. `edge_rows` makes the rows;
`intcust.graph.io._build.OrgBuilder` groups them back.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator, Mapping
from typing import Any

import networkx as nx

from intcust.errors import ParameterError, quote
from intcust.graph.schema import EDGE_DEFAULTS, SERVICES

__all__ = ["all_rows", "edge_rows"]


def edge_rows(
    u: Hashable, v: Hashable, data: Mapping[str, Any], func: str
) -> list[dict[str, Any]]:
    """The rows of edge ``u -> v`` in a table (see the module notes).

    Raises
    ------
    ParameterError
        If the ``services`` list cannot be told apart row by row: it is not
        a non-empty list of mappings each naming a distinct deliverable, or
        the edge has schema attributes of its own beside the list.

    Examples
    --------
    >>> edge_rows("IT", "clerk", {"services": [{"deliverable": "PMS"}, {"deliverable": "help"}],
    ...                           "note": "x"}, "write_csv")
    [{'note': 'x'}, {'deliverable': 'PMS'}, {'deliverable': 'help'}]
    >>> edge_rows("a", "b", {"lead_time": 2}, "write_csv")
    [{'lead_time': 2}]
    """
    services = data.get(SERVICES)
    if services is None:
        return [dict(data)]
    edge = f"edge {quote((u, v))}"
    if not isinstance(services, list | tuple) or not services:
        raise ParameterError(
            f"{func} cannot write {edge}: its {SERVICES} must be a non-empty list of service "
            f"mappings; got {quote(services)}"
        )
    seen: set[Any] = set()
    for i, service in enumerate(services):
        deliverable = service.get("deliverable") if isinstance(service, Mapping) else None
        if deliverable is None or not isinstance(deliverable, Hashable) or deliverable in seen:
            raise ParameterError(
                f"{func} cannot write service {i} of {edge}: one row per service needs each "
                f"service to be a mapping with its own named deliverable; got {quote(service)} "
                "(validate(G) lists every problem)"
            )
        if SERVICES in service:
            raise ParameterError(f"{func} cannot write service {i} of {edge}: it lists {SERVICES}")
        seen.add(deliverable)
    own = {k: x for k, x in data.items() if k != SERVICES}
    mixed = [k for k in own if k in EDGE_DEFAULTS and own[k] is not None]
    if mixed:
        raise ParameterError(
            f"{func} cannot write {edge}: it lists {SERVICES} and has {mixed[0]!r} of its own; "
            "give it per service (validate(G) lists every problem)"
        )
    rows = [own] if own or len(services) == 1 else []
    return rows + [dict(s) for s in services]


def all_rows(G: nx.DiGraph, func: str) -> Iterator[tuple[Hashable, Hashable, dict[str, Any]]]:
    """Every row of every edge of `G`, in edge order, as (supplier, customer, attributes)."""
    for u, v, data in G.edges(data=True):
        for row in edge_rows(u, v, data, func):
            yield u, v, row
