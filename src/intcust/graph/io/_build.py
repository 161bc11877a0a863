"""`OrgBuilder`: the common last step of every reader.

A reader parses its format and hands each stakeholder and service to an
`OrgBuilder` with its place in the input (``"org.csv, line 4"``). The builder
rejects structural faults at once with a `ReadError` naming that place (a
duplicate stakeholder or service, a service naming an unknown stakeholder,
a non-str attribute name), gathers every schema problem, each prefixed with
its place, turns duration mappings into duration objects, and finally raises
one `SchemaError` (or `CycleError`) listing them all, or returns the graph.

Several records of one supplier-customer pair are several services of that
pair (the rows of `intcust.graph.io._rows`): each names its own deliverable,
and at most one, without deliverable or schema attribute, holds the
attributes of the edge itself. They become one edge with a ``services`` list.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from typing import Any

import networkx as nx

from intcust.errors import CycleError, ReadError, SchemaError, cycle_message, quote
from intcust.graph.attribute_names import name_problem
from intcust.graph.duration_parsing import as_duration
from intcust.graph.io.codec import check_schema_version
from intcust.graph.schema import (
    DURATION_ATTRS,
    EDGE_DEFAULTS,
    GRAPH_ATTRS,
    NODE_DEFAULTS,
    SERVICES,
    edge_services,
    is_blocking,
)
from intcust.graph.validation import (
    blocking_cycle,
    edge_problems,
    graph_problems,
    node_problems,
    service_problems,
)

__all__ = ["OrgBuilder", "column_problem"]

_SCHEMA = {
    "node": (tuple(NODE_DEFAULTS), DURATION_ATTRS["node"]),
    "edge": ((*EDGE_DEFAULTS, SERVICES), DURATION_ATTRS["edge"]),
    "graph": (GRAPH_ATTRS, ()),
}


def column_problem(name: str, domain: str) -> str | None:
    """What is wrong with a column (or key) `name` of `domain` ("node", "edge", "graph").

    Examples
    --------
    >>> column_problem("Volume", "edge")
    "column 'Volume' is not a schema attribute; did you mean 'volume'?"
    >>> column_problem("note", "node") is None
    True
    """
    names, durations = _SCHEMA[domain]
    near = name_problem(name, names, durations)
    return None if near is None else f"column {quote(name)} {near}"


class OrgBuilder:
    """Collect stakeholders and services read from `source`, then build and check.

    Parameters
    ----------
    source : str
        The input's name for messages (a path, ``"nodes frame"``...).

    Examples
    --------
    >>> b = OrgBuilder("acme.yaml")
    >>> b.add_node("designer", {"work": {"dist": "uniform", "low": 1, "high": 3}}, "acme.yaml, line 3")
    >>> b.add_node("sender", {}, "acme.yaml, line 4")
    >>> b.add_edge("designer", "sender", {"lead_time": 0.5}, "acme.yaml, line 6")
    >>> G = b.build()
    >>> G.nodes["designer"]["work"]
    Uniform(low=1, high=3)
    """

    def __init__(self, source: str) -> None:
        self.source = source
        self.graph: dict[str, Any] = {}
        self.nodes: dict[Hashable, tuple[dict[str, Any], str]] = {}
        self.edges: dict[tuple[Hashable, Hashable], list[tuple[dict[str, Any], str]]] = {}

    def set_graph(self, attrs: Mapping[Any, Any], where: str) -> None:
        """Take the graph attributes; a ``schema_version`` is checked and dropped."""
        data = self._attrs(attrs, where, lambda: "the graph")
        if "schema_version" in data:
            check_schema_version(data.pop("schema_version"), where)
        self.graph.update(data)

    def add_node(self, node: Any, attrs: Mapping[Any, Any], where: str) -> None:
        """Add one stakeholder read at `where`."""
        node = self._name(node, where)
        if node in self.nodes:
            raise ReadError(
                f"{where}: stakeholder {quote(node)} appears twice "
                f"(first at {self.nodes[node][1]})"
            )
        self.nodes[node] = (self._attrs(attrs, where, lambda: f"node {quote(node)}"), where)

    def add_edge(self, u: Any, v: Any, attrs: Mapping[Any, Any], where: str) -> None:
        """Add one service ``u -> v`` (or one row of the pair) read at `where`."""
        u, v = self._name(u, where), self._name(v, where)
        data = self._attrs(attrs, where, lambda: f"edge {quote((u, v))}")
        services = data.get(SERVICES)
        if isinstance(services, list):  # each edge owns its services (YAML aliases share them)
            data[SERVICES] = [dict(s) if isinstance(s, Mapping) else s for s in services]
        self.edges.setdefault((u, v), []).append((data, where))

    def build(self) -> nx.DiGraph:
        """The organisation, after every check.

        Raises
        ------
        ReadError
            If a service names a stakeholder that was not read, or the rows
            of one pair cannot be told apart.
        CycleError
            If blocking edges with lag 0 form a cycle (other problems listed too).
        SchemaError
            Listing every schema problem, each with its place.
        """
        problems = [f"{self.source}: {p}" for p in graph_problems(self.graph)]
        for node, (data, where) in self.nodes.items():
            found = node_problems(node, data)
            problems += [f"{where}: {p}" for p in found]
            if not found:
                _durations(data, DURATION_ATTRS["node"])
        edges = []
        for (u, v), rows in self.edges.items():
            where = rows[0][1]
            for end in (u, v):
                if end not in self.nodes:
                    raise ReadError(
                        f"{where}: service {quote(u)} -> {quote(v)} names the unknown "
                        f"stakeholder {quote(end)}; every supplier and customer must be listed "
                        "as a stakeholder"
                    )
            if len(rows) == 1:
                data = rows[0][0]
                found = [f"{where}: {p}" for p in edge_problems(u, v, data)]
            else:
                data, found = _grouped(u, v, rows)
            problems += found
            if not found:
                for service in edge_services(data):
                    _durations(service, DURATION_ATTRS["edge"])  # type: ignore[arg-type]
            edges.append((u, v, data))
        G = nx.DiGraph()
        G.graph.update(self.graph)
        G.add_nodes_from((n, data) for n, (data, _) in self.nodes.items())
        G.add_edges_from(edges)
        cycle = None if _gating_is_acyclic(G) else blocking_cycle(G)
        if cycle is not None:
            raise CycleError(cycle, problems=[f"{self.source}: {cycle_message(cycle)}", *problems])
        if problems:
            raise SchemaError(problems)
        return G

    @staticmethod
    def _name(node: Any, where: str) -> Hashable:
        try:
            hash(node)
        except TypeError:
            raise ReadError(
                f"{where}: a stakeholder name must be a str, number or list; got {quote(node)}"
            ) from None
        if node is None:
            raise ReadError(f"{where}: a stakeholder name is missing")
        return node  # type: ignore[no-any-return]

    @staticmethod
    def _attrs(attrs: Mapping[Any, Any], where: str, owner: Callable[[], str]) -> dict[str, Any]:
        if type(attrs) is dict and all(type(k) is str for k in attrs):
            return attrs.copy()
        if not isinstance(attrs, Mapping):
            raise ReadError(
                f"{where}: the attributes of {owner()} must be a mapping; got {quote(attrs)}"
            )
        for key in attrs:
            if not isinstance(key, str):
                raise ReadError(
                    f"{where}: attribute names of {owner()} must be str; got {quote(key)}"
                )
        return dict(attrs)


def _grouped(
    u: Hashable, v: Hashable, rows: list[tuple[dict[str, Any], str]]
) -> tuple[dict[str, Any], list[str]]:
    """The edge of several rows of one pair, and the schema problems of its rows."""
    pair = f"service {quote(u)} -> {quote(v)}"
    first = rows[0][1]
    own: tuple[dict[str, Any], str] | None = None
    services: list[dict[str, Any]] = []
    seen: dict[Any, str] = {}
    problems: list[str] = []
    for data, where in rows:
        if SERVICES in data:
            raise ReadError(
                f"{where}: {pair} is listed on several records (first at {first}) and this "
                f"one lists {SERVICES} too; give either one record per service or one with a "
                f"{SERVICES} list"
            )
        deliverable = data.get("deliverable")
        if deliverable is None:
            schema = [k for k in data if k in EDGE_DEFAULTS and data[k] is not None]
            if schema or own is not None:
                raise ReadError(
                    f"{where}: {pair} appears twice (first at {first}); several services of "
                    "one supplier to one customer each need their own named deliverable"
                )
            own = ({k: x for k, x in data.items() if k not in EDGE_DEFAULTS}, where)
            problems += [
                f"{where}: {p}" for p in service_problems(own[0], f"edge {quote((u, v))}")
            ]
            continue
        try:
            repeated = seen.get(deliverable)
            seen.setdefault(deliverable, where)
        except TypeError:  # unhashable: service_problems says what a deliverable must be
            repeated = None
        if repeated is not None:
            raise ReadError(
                f"{where}: {pair} with deliverable {quote(deliverable)} appears twice "
                f"(first at {repeated})"
            )
        services.append(data)
        where_service = f"service {quote(deliverable)} of edge {quote((u, v))}"
        problems += [f"{where}: {p}" for p in service_problems(data, where_service)]
    edge = dict(own[0]) if own is not None else {}
    edge[SERVICES] = services
    return edge, problems


def _gating_is_acyclic(G: nx.DiGraph) -> bool:
    """Whether the blocking, lag-0 edges form no cycle (a fast O(V+E) test)."""
    gating = nx.DiGraph()
    gating.add_edges_from((u, v) for u, v, d in G.edges(data=True) if is_blocking(d))
    return bool(nx.is_directed_acyclic_graph(gating))


def _durations(data: dict[str, Any], names: tuple[str, ...]) -> None:
    for key in names:
        if isinstance(data.get(key), Mapping):
            data[key] = as_duration(data[key])
