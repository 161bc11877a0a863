"""Builders: networkx calls with the schema's defaults and checks.

Any `networkx.DiGraph` that follows the schema is an organisation; these
functions only make building one shorter and safer. Mapping durations are
stored as distribution objects, so a typo surfaces here and not deep in a
simulation.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import Any

import networkx as nx

from intcust.errors import ParameterError, SchemaError, quote
from intcust.graph.duration_parsing import as_duration
from intcust.graph.durations import Duration
from intcust.graph.schema import (
    DURATION_ATTRS,
    EDGE_DEFAULTS,
    NODE_DEFAULTS,
    SERVICES,
    edge_services,
)
from intcust.graph.validation import edge_problems, node_problems, schema_problems

__all__ = ["add_service", "add_stakeholder", "org_graph"]

DurationLike = float | int | Mapping[str, Any] | Duration


def _check_graph(G: object, func: str) -> None:
    if not isinstance(G, nx.DiGraph) or G.is_multigraph():
        raise ParameterError(
            f"The 'G' parameter of {func} must be a networkx.DiGraph; got {type(G).__name__}."
        )


def _merge(
    known: dict[str, Any], attrs: Mapping[str, Any] | None, func: str, schema: Mapping[str, Any]
) -> dict[str, Any]:
    out = {k: v for k, v in known.items() if v is not None}
    for key, value in (attrs or {}).items():
        if not isinstance(key, str):
            raise ParameterError(
                f"The 'attrs' parameter of {func} must map str names to values; got key {key!r}."
            )
        if key in schema:
            raise ParameterError(
                f"The 'attrs' parameter of {func} is for attributes intcust does not know; "
                f"pass {key!r} as its own keyword instead."
            )
        out[key] = value
    return out


def org_graph(
    *, name: str | None = None, time_unit: str | None = None, period: float | None = None
) -> nx.DiGraph:
    """An empty organisation.

    Parameters
    ----------
    name : str, optional
        The organisation's name.
    time_unit : str, optional
        The unit of every duration, e.g. ``"day"``.
    period : float, optional
        The planned length of one round of a recurring process.

    Returns
    -------
    networkx.DiGraph

    Examples
    --------
    >>> import intcust as ic
    >>> G = ic.org_graph(name="Acme", time_unit="day")
    >>> G.graph
    {'name': 'Acme', 'time_unit': 'day'}
    """
    G = nx.DiGraph()
    for key, value in (("name", name), ("time_unit", time_unit), ("period", period)):
        if value is not None:
            G.graph[key] = value
    problems = schema_problems(G)
    if problems:
        raise SchemaError([f"org_graph: {p}" for p in problems])
    return G


def add_stakeholder(
    G: nx.DiGraph,
    node: Hashable,
    *,
    kind: str = "person",
    unit: str | int | None = None,
    employment: str | None = None,
    role: str | None = None,
    work: DurationLike | None = None,
    start: float | None = None,
    due: float | None = None,
    capacity: float | None = None,
    servers: int | None = None,
    buffer: float | None = None,
    attrs: Mapping[str, Any] | None = None,
) -> None:
    """Add a stakeholder (a person, team, department or external customer).

    Adding an existing node updates the attributes given and keeps the others.

    Parameters
    ----------
    G : networkx.DiGraph
        The organisation.
    node : hashable
        The stakeholder's name.
    kind : {"person", "team", "department", "external"}
        ``"external"`` is a paying customer outside the company.
    unit, employment, role, work, start, due, capacity, servers, buffer
        Schema attributes; see ``docs/schema.md``. ``work`` is a duration: a
        number, a mapping such as ``{"dist": "pert", "low": 1, "mode": 2,
        "high": 4}``, or a distribution of `intcust.sim`.
    attrs : mapping, optional
        Attributes intcust does not know; kept untouched.

    Raises
    ------
    SchemaError
        If a value breaks the schema (every problem is listed).
    ParameterError
        If `attrs` repeats a schema attribute.

    Examples
    --------
    >>> import intcust as ic
    >>> G = ic.org_graph()
    >>> ic.add_stakeholder(G, "designer", unit="Marketing", work=2)
    >>> G.nodes["designer"]
    {'kind': 'person', 'unit': 'Marketing', 'work': 2}
    """
    _check_graph(G, "add_stakeholder")
    known = {
        "kind": kind,
        "unit": unit,
        "employment": employment,
        "role": role,
        "work": work,
        "start": start,
        "due": due,
        "capacity": capacity,
        "servers": servers,
        "buffer": buffer,
    }
    data = _merge(known, attrs, "add_stakeholder", NODE_DEFAULTS)
    problems = node_problems(node, data)
    if problems:
        raise SchemaError([f"add_stakeholder: {p}" for p in problems])
    for key in DURATION_ATTRS["node"]:
        if isinstance(data.get(key), Mapping):
            data[key] = as_duration(data[key])
    G.add_node(node, **data)


def add_service(
    G: nx.DiGraph,
    supplier: Hashable,
    customer: Hashable,
    *,
    deliverable: str | int | None = None,
    lead_time: DurationLike | None = None,
    volume: float | None = None,
    sla: float | None = None,
    satisfaction: float | None = None,
    blocking: bool | None = None,
    lag: int | None = None,
    attrs: Mapping[str, Any] | None = None,
) -> None:
    """Add a service: `supplier` delivers to its internal customer `customer`.

    A stakeholder not yet in `G` is added as a person. A second service of
    the same supplier to the same customer with another named deliverable
    turns the edge into a list of services (attribute ``services``, see
    ``docs/schema.md``); a service with the same deliverable replaces the
    one the edge had.

    Parameters
    ----------
    G : networkx.DiGraph
        The organisation.
    supplier, customer : hashable
        The edge ``supplier -> customer``.
    deliverable : str, optional
        What is handed over. Services into one customer with the same
        deliverable are alternatives (any one suffices); different
        deliverables are all needed. By default the service is a
        deliverable of its own.
    lead_time, volume, sla, satisfaction, blocking, lag
        Schema attributes; see ``docs/schema.md``.
    attrs : mapping, optional
        Attributes intcust does not know; kept untouched.

    Raises
    ------
    SchemaError
        If a value breaks the schema (every problem is listed).

    Examples
    --------
    >>> import intcust as ic
    >>> G = ic.org_graph()
    >>> ic.add_service(G, "designer", "sender", deliverable="email design", lead_time=0.5)
    >>> G.edges["designer", "sender"]
    {'deliverable': 'email design', 'lead_time': 0.5}
    >>> G.nodes["sender"]
    {'kind': 'person'}
    >>> ic.add_service(G, "IT", "clerk", deliverable="PMS access")
    >>> ic.add_service(G, "IT", "clerk", deliverable="IT support", lead_time=0.5)
    >>> G.edges["IT", "clerk"]
    {'services': [{'deliverable': 'PMS access'}, {'deliverable': 'IT support', 'lead_time': 0.5}]}
    """
    _check_graph(G, "add_service")
    known = {
        "deliverable": deliverable,
        "lead_time": lead_time,
        "volume": volume,
        "sla": sla,
        "satisfaction": satisfaction,
        "blocking": blocking,
        "lag": lag,
    }
    data = _merge(known, attrs, "add_service", EDGE_DEFAULTS)
    problems = edge_problems(supplier, customer, data)
    if problems:
        raise SchemaError([f"add_service: {p}" for p in problems])
    for key in DURATION_ATTRS["edge"]:
        if isinstance(data.get(key), Mapping):
            data[key] = as_duration(data[key])
    for node in (supplier, customer):
        if node not in G:
            G.add_node(node, kind="person")
    if not G.has_edge(supplier, customer):
        G.add_edge(supplier, customer, **data)
        return
    _add_to_edge(G[supplier][customer], data, (supplier, customer))


def _add_to_edge(edge: dict[str, Any], data: dict[str, Any], pair: tuple[Hashable, ...]) -> None:
    """Put the service `data` on an existing edge: replace the one with its
    deliverable, or list both when their deliverables are named and differ."""
    new = data.get("deliverable")
    services = [dict(s) for s in edge_services(edge)]
    same = [i for i, s in enumerate(services) if s.get("deliverable") == new]
    if same:
        services[same[0]] = {k: v for k, v in data.items() if k in EDGE_DEFAULTS}
    elif new is None or any(s.get("deliverable") is None for s in services):
        raise SchemaError(
            [
                f"edge {quote(pair)} already has a service; a supplier gives one customer several "
                "services only when each names its deliverable"
            ]
        )
    else:
        services.append({k: v for k, v in data.items() if k in EDGE_DEFAULTS})
    for key in (*EDGE_DEFAULTS, SERVICES):
        edge.pop(key, None)
    edge.update({k: v for k, v in data.items() if k not in EDGE_DEFAULTS})
    if len(services) == 1:
        edge.update(services[0])
    else:
        edge[SERVICES] = services
