"""What `draw_org(highlight=...)` marks, and how its legend explains it.

A highlight is read once into `Marks`: groups of nodes ringed in one colour,
each with a legend text, and the services drawn thick. The drawing code
never looks at the kind of object the user passed.
"""

from __future__ import annotations

import itertools
from collections.abc import Hashable, Iterable, Set
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from intcust.errors import ParameterError, quote
from intcust.plot import style

__all__ = ["Marks", "read_highlight"]

#: the kinds of object `highlight=` accepts, for error messages
ACCEPTED = (
    "a set of nodes, a path (a list of nodes joined by services), a Schedule, a "
    "DelayImpact, a Bottleneck or a BottleneckReport"
)


@dataclass
class Marks:
    """Rings around nodes and thick services, each explained in the legend."""

    rings: list[tuple[str, list[Hashable], str]] = field(default_factory=list)
    """(legend text, nodes, colour), drawn in order"""
    edges: list[tuple[Hashable, Hashable]] = field(default_factory=list)
    edge_text: str = "highlighted service"

    @property
    def nodes(self) -> list[Hashable]:
        """Every ringed node, each once, in ring order."""
        return list(dict.fromkeys(n for _, nodes, _ in self.rings for n in nodes))

    def map(self, to: dict[Hashable, Hashable], R: nx.DiGraph) -> Marks:
        """The same marks one level up: nodes replaced by ``to[node]``, services kept if in `R`."""
        rings = [
            (text, list(dict.fromkeys(to[n] for n in nodes)), colour)
            for text, nodes, colour in self.rings
        ]
        edges = [
            (to[u], to[v]) for u, v in self.edges if to[u] != to[v] and R.has_edge(to[u], to[v])
        ]
        return Marks(rings, list(dict.fromkeys(edges)), self.edge_text)


def _ends(path: list[Hashable]) -> str:
    """A path in a few words: its nodes when short, else its two ends."""
    items = [style.node_label(n, width=18) for n in path]
    if len(items) <= 3:
        return " → ".join(items)
    return f"{items[0]} → … → {items[-1]} ({len(items)} nodes)"


def _known(G: nx.DiGraph, nodes: Iterable[Hashable], func: str, what: str) -> list[Hashable]:
    out = list(nodes)
    for n in out:
        try:
            present = n in G
        except TypeError:
            present = False
        if not present:
            from intcust.errors import UnknownNodeError

            raise UnknownNodeError(
                f"The 'highlight' parameter of {func} must name nodes of the organisation; "
                f"got {quote(n)} in {what}."
            )
    return out


def _path(G: nx.DiGraph, path: list[Hashable], func: str) -> Marks:
    nodes = _known(G, path, func, "the path")
    for u, v in itertools.pairwise(nodes):
        if not G.has_edge(u, v):
            raise ParameterError(
                f"The 'highlight' parameter of {func} reads a list as a path, each node "
                f"supplying the next; got {quote(u)} -> {quote(v)}, which is not a service. Pass a set "
                "to mark nodes that do not form a path."
            )
    text = "path: " + _ends(nodes) if nodes else "path"
    return Marks([(text, nodes, style.HIGHLIGHT)], list(itertools.pairwise(nodes)), "path")


def read_highlight(G: nx.DiGraph, highlight: Any, *, func: str) -> Marks:
    """Read `highlight` (see `draw_org`) against the organisation `G`."""
    from intcust import Bottleneck, BottleneckReport
    from intcust.sim import DelayImpact, Schedule

    if highlight is None:
        return Marks()
    if isinstance(highlight, list | tuple):
        return _path(G, list(highlight), func)
    if isinstance(highlight, Set):
        nodes = _known(G, highlight, func, "the set")
        nodes = [n for n in G if n in set(nodes)]  # graph order, so drawings are stable
        return Marks([(f"highlighted ({len(nodes)})", nodes, style.HIGHLIGHT)])
    if isinstance(highlight, Schedule):
        path = _known(G, highlight.critical_path(), func, "the schedule")
        others = [n for n in G if n in highlight.critical_nodes and n not in set(path)]
        rings = [("critical path: " + _ends(path), path, style.HIGHLIGHT)]
        if others:
            rings.append(("also critical (zero float)", others, style.SECONDARY))
        return Marks(rings, list(itertools.pairwise(path)), "critical path")
    if isinstance(highlight, DelayImpact):
        delayed = _known(G, highlight.delays, func, "the delays")
        late = [n for n, x in highlight.lateness.items() if x > 0 and n not in highlight.delays]
        ends = [c for c, x in highlight.customer_lateness.items() if x > 0] or late
        edges = [e for n in ends for e in itertools.pairwise(highlight.chain(n))]
        text = ", ".join(
            f"{style.node_label(n, width=18)} +{x:g}" for n, x in highlight.delays.items()
        )
        rings = [(f"delayed: {text}", delayed, style.SECONDARY)]
        if late:
            rings.append((f"late because of it ({len(late)})", late, style.HIGHLIGHT))
        if highlight.customers:
            missed = ", ".join(
                f"{style.node_label(n, width=18)} by {x:g}" for n, x in highlight.customers.items()
            )
            rings.append((f"misses due: {missed}", list(highlight.customers), style.DUE))
        return Marks(rings, list(dict.fromkeys(edges)), "how the delay travelled")
    if isinstance(highlight, Bottleneck):
        node = _known(G, [highlight.node], func, "the bottleneck")[0]
        reason = f": {highlight.reasons[0]}" if highlight.reasons else ""
        text = style.node_label(f"bottleneck {node}{reason}", width=64)
        rings = [(text, [node], style.HIGHLIGHT)]
        stake = _known(G, highlight.customers_at_stake, func, "the bottleneck")
        if stake:
            rings.append(("customers at stake", stake, style.SECONDARY))
        sole = [c for _, customers in highlight.sole_supplier_of for c in customers]
        edges = [(node, c) for c in dict.fromkeys(sole) if G.has_edge(node, c)]
        return Marks(rings, edges, "sole supplier of a deliverable")
    if isinstance(highlight, BottleneckReport):
        nodes = _known(G, highlight.nodes, func, "the bottleneck report")
        return Marks([(f"bottlenecks (top {len(nodes)})", nodes, style.HIGHLIGHT)])
    raise ParameterError(
        f"The 'highlight' parameter of {func} must be {ACCEPTED}; got {type(highlight).__name__}."
    )
