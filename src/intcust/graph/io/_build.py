"""`OrgBuilder`: the common last step of every reader.

A reader parses its format and hands each stakeholder and service to an
`OrgBuilder` with its place in the input (``"org.csv, line 4"``). The builder
rejects structural faults at once with a `ReadError` naming that place (a
duplicate stakeholder or service, a service naming an unknown stakeholder,
a non-str attribute name), gathers every schema problem, each prefixed with
its place, turns duration mappings into duration objects, and finally raises
one `SchemaError` (or `CycleError`) listing them all, or returns the graph.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import Any

import networkx as nx

from intcust.errors import CycleError, ReadError, SchemaError, cycle_message
from intcust.graph.duration_parsing import as_duration
from intcust.graph.io._codec import check_schema_version
from intcust.graph.schema import DURATION_ATTRS, is_blocking
from intcust.graph.validation import GRAPH_CHECKS, blocking_cycle, edge_problems, node_problems

__all__ = ["OrgBuilder"]


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
        self.edges: dict[tuple[Hashable, Hashable], tuple[dict[str, Any], str]] = {}

    def set_graph(self, attrs: Mapping[Any, Any], where: str) -> None:
        """Take the graph attributes; a ``schema_version`` is checked and dropped."""
        data = self._attrs(attrs, where, "the graph")
        if "schema_version" in data:
            check_schema_version(data.pop("schema_version"), where)
        self.graph.update(data)

    def add_node(self, node: Any, attrs: Mapping[Any, Any], where: str) -> None:
        """Add one stakeholder read at `where`."""
        node = self._name(node, where)
        if node in self.nodes:
            raise ReadError(
                f"{where}: stakeholder {node!r} appears twice (first at {self.nodes[node][1]})"
            )
        self.nodes[node] = (self._attrs(attrs, where, f"node {node!r}"), where)

    def add_edge(self, u: Any, v: Any, attrs: Mapping[Any, Any], where: str) -> None:
        """Add one service ``u -> v`` read at `where`."""
        u, v = self._name(u, where), self._name(v, where)
        if (u, v) in self.edges:
            raise ReadError(
                f"{where}: service {u!r} -> {v!r} appears twice "
                f"(first at {self.edges[u, v][1]}); an organisation has one service per pair"
            )
        self.edges[u, v] = (self._attrs(attrs, where, f"edge {(u, v)!r}"), where)

    def build(self) -> nx.DiGraph:
        """The organisation, after every check.

        Raises
        ------
        ReadError
            If a service names a stakeholder that was not read.
        CycleError
            If blocking edges with lag 0 form a cycle (other problems listed too).
        SchemaError
            Listing every schema problem, each with its place.
        """
        problems = []
        for name, check in GRAPH_CHECKS.items():
            value = self.graph.get(name)
            problem = None if value is None else check(value, f"graph attribute {name}")
            if problem:
                problems.append(f"{self.source}: {problem}")
        for node, (data, where) in self.nodes.items():
            found = node_problems(node, data)
            problems += [f"{where}: {p}" for p in found]
            if not found:
                _durations(data, DURATION_ATTRS["node"])
        for (u, v), (data, where) in self.edges.items():
            for end in (u, v):
                if end not in self.nodes:
                    raise ReadError(
                        f"{where}: service {u!r} -> {v!r} names the unknown stakeholder "
                        f"{end!r}; every supplier and customer must be listed as a stakeholder"
                    )
            found = edge_problems(u, v, data)
            problems += [f"{where}: {p}" for p in found]
            if not found:
                _durations(data, DURATION_ATTRS["edge"])
        G = nx.DiGraph()
        G.graph.update(self.graph)
        G.add_nodes_from((n, data) for n, (data, _) in self.nodes.items())
        G.add_edges_from((u, v, data) for (u, v), (data, _) in self.edges.items())
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
                f"{where}: a stakeholder name must be a str, number or list; got {node!r}"
            ) from None
        if node is None:
            raise ReadError(f"{where}: a stakeholder name is missing")
        return node  # type: ignore[no-any-return]

    @staticmethod
    def _attrs(attrs: Mapping[Any, Any], where: str, owner: str) -> dict[str, Any]:
        if type(attrs) is dict and all(type(k) is str for k in attrs):
            return attrs.copy()
        if not isinstance(attrs, Mapping):
            raise ReadError(f"{where}: the attributes of {owner} must be a mapping; got {attrs!r}")
        for key in attrs:
            if not isinstance(key, str):
                raise ReadError(f"{where}: attribute names of {owner} must be str; got {key!r}")
        return dict(attrs)


def _gating_is_acyclic(G: nx.DiGraph) -> bool:
    """Whether the blocking, lag-0 edges form no cycle (a fast O(V+E) test)."""
    gating = nx.DiGraph()
    gating.add_edges_from((u, v) for u, v, d in G.edges(data=True) if is_blocking(d))
    return bool(nx.is_directed_acyclic_graph(gating))


def _durations(data: dict[str, Any], names: tuple[str, ...]) -> None:
    for key in names:
        if isinstance(data.get(key), Mapping):
            data[key] = as_duration(data[key])
