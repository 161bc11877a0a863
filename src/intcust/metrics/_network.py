"""The array form that network metrics share: any directed graph as sorted edge arrays.

`compile` needs a valid organisation (no blocking cycle); network metrics
also run on plain directed graphs such as advice or e-mail networks, which are
full of cycles. `network` turns either a `CompiledOrg` or any
`networkx.DiGraph` into integer edge arrays sorted by (source, target) with one
checked weight per edge, in one pass over the edges.
"""

from __future__ import annotations

import math
import numbers
import operator
from collections.abc import Hashable
from dataclasses import dataclass
from itertools import chain, repeat
from typing import Any, TypeAlias

import networkx as nx
import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from intcust._params import check_choice
from intcust.errors import IntcustError, ParameterError
from intcust.graph.compiled import EXTERNAL, CompiledOrg
from intcust.graph.duration_parsing import point_value
from intcust.graph.durations import ESTIMATES
from intcust.graph.schema import EDGE_DEFAULTS, KINDS

__all__ = [
    "LEVELS",
    "Network",
    "at_level",
    "blocking_mask",
    "edge_values",
    "external_mask",
    "network",
]

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]
Graph: TypeAlias = "nx.DiGraph | CompiledOrg"

#: The levels every metric of this subpackage accepts.
LEVELS = ("person", "unit")


@dataclass(frozen=True, eq=False)
class Network:
    """Edges ``src[e] -> dst[e]`` sorted by (source, target), with one weight each."""

    nodes: tuple[Hashable, ...]
    src: IntArray
    dst: IntArray
    weight: FloatArray
    #: positions in ``G.edges`` order of the sorted edges (None for a CompiledOrg)
    order: IntArray | None = None

    @property
    def n(self) -> int:
        """The number of nodes."""
        return len(self.nodes)

    def matrix(self, values: FloatArray | None = None) -> Any:
        """The n x n CSR array with entry (u, v) for edge u -> v (the weights by default)."""
        data = self.weight if values is None else values
        itype = np.int32 if max(self.n, len(self.src)) < 2**31 - 1 else np.int64
        ptr = np.zeros(self.n + 1, dtype=itype)
        np.cumsum(np.bincount(self.src, minlength=self.n), out=ptr[1:])
        return sp.csr_array((data, self.dst.astype(itype), ptr), shape=(self.n, self.n))


def at_level(G: Graph, level: str, *, func: str) -> Graph:
    """`G` itself at ``level="person"``, its unit-level rollup at ``level="unit"``."""
    check_choice(level, LEVELS, func=func, param="level")
    if level == "person":
        return G
    if isinstance(G, CompiledOrg):
        raise ParameterError(
            f"The 'level' parameter of {func} must be 'person' for a compiled organisation "
            f"(compile rollup(G) for units); got {level!r}."
        )
    try:
        from intcust.graph.views import rollup
    except ImportError as err:  # pragma: no cover - views ship with intcust
        raise IntcustError(f"level='unit' of {func} needs intcust.graph.views.rollup") from err
    unit_graph: nx.DiGraph = rollup(G)
    return unit_graph


def _succ(G: nx.DiGraph) -> Any:
    """The successor dicts of `G`: node -> {successor: edge data}.

    ``G._succ`` is what the public ``G.succ`` view wraps; reading it directly
    lets the conversion run in C-level iterators, several times faster.
    """
    return G._succ


def _edge_attribute(G: nx.DiGraph, name: str) -> list[Any]:
    """Edge attribute `name` (None where missing) of every edge, in ``G.edges`` order."""
    get = operator.methodcaller("get", name)
    return list(chain.from_iterable(map(get, nbrs.values()) for nbrs in _succ(G).values()))


def _check_graph(G: object, func: str) -> None:
    if isinstance(G, CompiledOrg):
        return
    if not isinstance(G, nx.DiGraph) or G.is_multigraph():
        raise ParameterError(
            f"The 'G' parameter of {func} must be a networkx.DiGraph or a CompiledOrg; "
            f"got {type(G).__name__}."
        )


def _default(weight: str) -> float:
    """A missing weight counts as the schema default, or 1 as in networkx."""
    value = EDGE_DEFAULTS.get(weight)
    return float(value) if isinstance(value, numbers.Real) else 1.0


def network(
    G: Graph,
    *,
    weight: str | None,
    func: str,
    estimate: str = "mode",
    param: str = "weight",
) -> Network:
    """`G` as sorted edge arrays with the checked values of edge attribute `weight`.

    Parameters
    ----------
    G : networkx.DiGraph or CompiledOrg
        Any directed graph, or an organisation already compiled.
    weight : str or None
        The edge attribute; None gives every edge weight 1. A missing value
        counts as the schema default (``volume`` 1, ``lead_time`` 0) or 1 for
        other attributes, as in networkx. Durations count by their point value.
    func, param : str
        The public function and parameter, named in errors.
    estimate : {"mode", "mean", "median"}
        The point value of a duration given as a distribution.

    Raises
    ------
    ParameterError
        If `G` is not a directed graph, or a weight is negative, not finite or
        not a number; the message names the edge.
    """
    _check_graph(G, func)
    check_choice(estimate, ESTIMATES, func=func, param="estimate")
    if weight is not None and not isinstance(weight, str):
        raise ParameterError(
            f"The {param!r} parameter of {func} must be an edge attribute name or None; "
            f"got {weight!r}."
        )
    if isinstance(G, CompiledOrg):
        return Network(G.nodes, G.src, G.dst, _compiled_weight(G, weight, func, estimate, param))
    nodes = tuple(G)
    index = {u: i for i, u in enumerate(nodes)}
    adj = _succ(G)
    m = G.number_of_edges()
    degree = np.fromiter(map(len, adj.values()), np.int64, len(nodes))
    src = np.repeat(np.fromiter(map(index.__getitem__, adj), np.int64, len(nodes)), degree)
    dst = np.fromiter(
        chain.from_iterable(map(index.__getitem__, nb) for nb in adj.values()), np.int64, m
    )
    order = np.lexsort((dst, src))
    net = Network(nodes, src[order], dst[order], np.ones(m), order)
    if weight is None:
        return net
    w = edge_values(G, net, weight, func=func, estimate=estimate, param=param)
    return Network(nodes, net.src, net.dst, w, order)


def edge_values(
    G: Graph,
    net: Network,
    name: str,
    *,
    func: str,
    estimate: str = "mode",
    param: str | None = "weight",
) -> FloatArray:
    """The checked values of edge attribute `name`, in the edge order of `net`."""
    if isinstance(G, CompiledOrg):
        return _compiled_weight(G, name, func, estimate, param)
    assert net.order is not None
    default = _default(name)
    raw = _edge_attribute(G, name)
    try:  # plain numbers, the common case, in one C loop
        values = np.fromiter((default if x is None else x for x in raw), np.float64, len(raw))
    except (TypeError, ValueError):
        values = _durations(raw, default, estimate)
    values = values[net.order]
    bad = np.flatnonzero(~(np.isfinite(values) & (values >= 0)))
    if bad.size:
        k = int(bad[0])
        edge = (net.nodes[net.src[k]], net.nodes[net.dst[k]])
        raise _bad_weight(func, param, name, edge, raw[int(net.order[k])])
    return values


def _durations(raw: list[Any], default: float, estimate: str) -> FloatArray:
    """Values that may be durations as their point value; NaN for anything else."""
    out = np.empty(len(raw), dtype=np.float64)
    for k, x in enumerate(raw):
        if x is None:
            out[k] = default
        elif type(x) is float or type(x) is int:
            out[k] = x
        else:
            try:
                out[k] = point_value(x, estimate)
            except (IntcustError, TypeError, ValueError):
                out[k] = math.nan
    return out


def _bad_weight(
    func: str, param: str | None, weight: str, edge: tuple[Hashable, Hashable], value: object
) -> ParameterError:
    see = f" (see its {param!r} parameter)" if param else ""
    return ParameterError(
        f"{weight} of edge {edge!r} must be a non-negative finite number or duration for "
        f"{func}{see}; got {value!r}."
    )


def _compiled_weight(
    C: CompiledOrg, weight: str | None, func: str, estimate: str, param: str | None
) -> FloatArray:
    if weight is None:
        return np.ones(C.n_edges, dtype=np.float64)
    if weight == "volume":
        w = C.volume
    elif weight == "lead_time":
        w = C.lead_time.point(estimate)
    else:
        raise ParameterError(
            f"The {param!r} parameter of {func} must be 'volume', 'lead_time' or None for a "
            f"compiled organisation; got {weight!r}."
        )
    bad = np.flatnonzero(~(np.isfinite(w) & (w >= 0)))
    if bad.size:
        k = int(bad[0])
        raise _bad_weight(func, param, weight, (C.nodes[C.src[k]], C.nodes[C.dst[k]]), w[k])
    return np.asarray(w, dtype=np.float64)


def external_mask(G: Graph) -> BoolArray:
    """Which nodes are external customers (``kind == "external"``), in node order."""
    if isinstance(G, CompiledOrg):
        return np.asarray(G.kind == EXTERNAL)
    external = KINDS[EXTERNAL]
    return np.fromiter((k == external for _, k in G.nodes(data="kind")), bool, len(G))


def blocking_mask(G: Graph, net: Network) -> BoolArray:
    """Which edges of `net` (in its order) gate work: ``blocking`` is not False."""
    if isinstance(G, CompiledOrg):
        return np.asarray(G.blocking)
    assert net.order is not None
    flags = map(operator.is_not, _edge_attribute(G, "blocking"), repeat(False))
    return np.fromiter(flags, bool, len(net.src))[net.order]
