"""The one reader of an organisation that every metric shares.

Every metric reads its input here, so that one input gets one treatment and
one message everywhere. `network` turns any `networkx.DiGraph` (an
organisation, or a plain advice or e-mail network full of cycles) or a
`CompiledOrg` into integer arrays of ties sorted by (supplier, customer),
with one checked weight per tie, in one pass over the edges:

- a *tie* is a supplier-customer pair: the several services of one supplier
  to one customer (``services``, see ``docs/schema.md``) are one tie whose
  weight is the sum of theirs, or the shortest for a duration (``lead_time``);
- self-loops are left out: a node serving itself is no tie between two;
- ``ties="blocking"`` keeps the ties that gate work (a service whose
  ``blocking`` is not False, whatever its ``lag``; at unit level, a unit edge
  with ``blocking_services``); ``ties="all"`` keeps every tie;
- `weight` names an edge attribute, None counts each tie once; a name no edge
  carries is an error, except the schema attributes with a default
  (``volume`` 1, ``lead_time`` 0, ``lag`` 0), which also fill missing values;
  other attributes count 1 where missing, as in networkx;
- a value must be a real number, finite and >= 0: bools and numeric strings
  are refused, as `validate` refuses them; a duration attribute also takes
  a distribution, by its point value (`estimate`).

`at_level` (the unit-level organisation) and `group_codes` (the groups of a
node attribute) are defined in `intcust.metrics._groups` and imported here,
beside `network`.
"""

from __future__ import annotations

import math
import numbers
import operator
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from itertools import chain, repeat
from typing import Any, TypeAlias

import networkx as nx
import numpy as np
from numpy.typing import NDArray

from intcust._params import (
    LEVELS,
    TIES,
    check_attribute,
    check_choice,
    check_graph,
    parameter_error,
)
from intcust.errors import IntcustError, ParameterError
from intcust.graph.compiled import EXTERNAL, CompiledOrg
from intcust.graph.duration_parsing import point_value
from intcust.graph.durations import ESTIMATES, Duration
from intcust.graph.schema import DURATION_ATTRS, EDGE_DEFAULTS, KINDS, SERVICES
from intcust.graph.views import MISSING
from intcust.metrics._groups import at_level, group_codes

__all__ = [
    "LEVELS",
    "MISSING",
    "TIES",
    "Network",
    "at_level",
    "group_codes",
    "network",
]

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]
Graph: TypeAlias = "nx.DiGraph | CompiledOrg"

#: Edge attributes whose schema default fills a missing value, and that count as
#: carried by every edge.
DEFAULTS: dict[str, float] = {
    name: float(value)
    for name, value in EDGE_DEFAULTS.items()
    if isinstance(value, numbers.Real) and not isinstance(value, bool)
}
_DURATIONS = frozenset(DURATION_ATTRS["edge"])
_PLAIN = frozenset({float, int, type(None)})


@dataclass(frozen=True, eq=False)
class Network:
    """Ties ``src[t] -> dst[t]`` sorted by (supplier, customer), with one weight each."""

    nodes: tuple[Hashable, ...]
    src: IntArray
    dst: IntArray
    weight: FloatArray
    #: the ties' positions among the edges of `source` (its pairs, when compiled)
    edges: IntArray
    source: nx.DiGraph | CompiledOrg

    @property
    def n(self) -> int:
        """The number of nodes."""
        return len(self.nodes)

    def matrix(self, values: FloatArray | None = None) -> Any:
        """The n x n CSR array with entry (u, v) for tie u -> v (the weights by default).

        Indices are sorted and a tie of weight 0 stays a stored entry.
        """
        data = self.weight if values is None else values
        itype = np.int32 if max(self.n, len(self.src)) < 2**31 - 1 else np.int64
        ptr = np.zeros(self.n + 1, dtype=itype)
        np.cumsum(np.bincount(self.src, minlength=self.n), out=ptr[1:])
        import scipy.sparse as sp

        return sp.csr_array((data, self.dst.astype(itype), ptr), shape=(self.n, self.n))

    def external(self) -> BoolArray:
        """Which nodes are external customers (``kind == "external"``), in node order."""
        if isinstance(self.source, CompiledOrg):
            return np.asarray(self.source.kind == EXTERNAL)
        external = KINDS[EXTERNAL]
        kinds = self.source.nodes(data="kind")
        return np.fromiter((k == external for _, k in kinds), bool, self.n)

    def values(self, name: str, *, func: str, estimate: str = "mode") -> FloatArray:
        """The checked values of edge attribute `name`, one per tie (as for the weight)."""
        return _values(self.source, name, func=func, param=None, estimate=estimate)[self.edges]


def _edge_data(G: nx.DiGraph) -> tuple[IntArray, IntArray, list[Mapping[str, Any]]]:
    """Supplier and customer ids and the attribute dict of every edge, in ``G.edges`` order."""
    nodes = list(G)
    index = dict(zip(nodes, range(len(nodes)), strict=True))
    # G._succ is what the public G.succ view wraps; reading it directly lets
    # the conversion run in C-level iterators, several times faster
    adj = G._succ
    nbrs = [adj[u] for u in nodes]
    counts = np.fromiter(map(len, nbrs), np.int64, len(nodes))
    m = int(counts.sum())
    src = np.repeat(np.arange(len(nodes), dtype=np.int64), counts)
    dst = np.fromiter(map(index.__getitem__, chain.from_iterable(nbrs)), np.int64, m)
    data: list[Mapping[str, Any]] = list(chain.from_iterable(nb.values() for nb in nbrs))
    return src, dst, data


def network(
    G: Graph,
    *,
    weight: str | None,
    func: str,
    ties: str = "all",
    estimate: str = "mode",
    param: str = "weight",
) -> Network:
    """`G` as sorted tie arrays with the checked values of edge attribute `weight`.

    Parameters
    ----------
    G : networkx.DiGraph or CompiledOrg
        Any directed graph, or an organisation already compiled.
    weight : str or None
        The edge attribute; None gives every tie weight 1.
    func, param : str
        The public function and its parameter, named in errors.
    ties : {"all", "blocking"}
        Which ties to keep (see the module docstring).
    estimate : {"mode", "mean", "median"}
        The point value of a duration given as a distribution.

    Raises
    ------
    ParameterError
        If `G` is not a directed graph, `weight` names an attribute no edge
        carries, or a value is negative, not finite or not a number (the
        message names the edge).
    """
    check_graph(G, func=func, compiled=True)
    check_choice(ties, TIES, func=func, param="ties")
    check_choice(estimate, ESTIMATES, func=func, param="estimate")
    check_attribute(weight, func=func, param=param)
    blocking: BoolArray | None
    if isinstance(G, CompiledOrg):
        starts = _pair_starts(G)
        src, dst = (G.src, G.dst) if starts is None else (G.src[starts], G.dst[starts])
        blocking = _per_pair(np.logical_or, G.blocking, starts)
    else:
        src, dst, data = _edge_data(G)
        blocking = _blocking(G, data) if ties == "blocking" else None
    if weight is None:
        w = np.ones(len(src))
    elif isinstance(G, CompiledOrg):
        w = _compiled_values(G, weight, func, param, estimate)
    else:
        w = _edge_values(G, src, dst, data, weight, func=func, param=param, estimate=estimate)
    keep = src != dst
    if blocking is not None and ties == "blocking":
        keep &= blocking
    if keep.all():  # the common case: no copy
        order = np.arange(len(src))
        s, d = src, dst
    else:
        order = np.flatnonzero(keep)
        s, d, w = src[order], dst[order], w[order]
    if not isinstance(G, CompiledOrg) and not _sorted(s, d):
        by_pair = np.lexsort((d, s))  # an adjacency not in node order
        order, s, d, w = order[by_pair], s[by_pair], d[by_pair], w[by_pair]
    return Network(tuple(G.nodes), s, d, w, order, G)


def _sorted(src: IntArray, dst: IntArray) -> bool:
    """Whether the edges are sorted by (source, target)."""
    if len(src) < 2:
        return True
    step = np.diff(src)
    return bool(np.all((step > 0) | ((step == 0) & (np.diff(dst) > 0))))


def _pair_starts(C: CompiledOrg) -> IntArray | None:
    """The first service row of each supplier-customer pair; None when each has one."""
    if C.n_pairs == C.n_edges:
        return None
    return np.flatnonzero(np.r_[True, C.pair[1:] != C.pair[:-1]])


def _per_pair(op: np.ufunc, rows: NDArray[Any], starts: IntArray | None) -> NDArray[Any]:
    """`op` reduced over the service rows of each pair (see `_pair_starts`)."""
    return rows if starts is None else np.asarray(op.reduceat(rows, starts))


def _with_services(data: list[Mapping[str, Any]]) -> list[int]:
    """The edges that carry a list of several services (found at C speed)."""
    flags = np.fromiter(map(operator.contains, data, repeat(SERVICES)), bool, len(data))
    return np.flatnonzero(flags).tolist()


def _blocking(G: nx.DiGraph, data: list[Mapping[str, Any]]) -> BoolArray:
    """Whether each edge gates work: one of its services is not ``blocking=False``.

    A unit-level edge of `rollup` is never blocking itself; it gates work
    when one of the services it sums does (``blocking_services``).
    """
    if G.graph.get("level") == "unit":
        counts = map(operator.methodcaller("get", "blocking_services", 0), data)
        return np.fromiter(counts, np.float64, len(data)) > 0
    flags = map(
        operator.is_not, map(operator.methodcaller("get", "blocking"), data), repeat(False)
    )
    gates = np.fromiter(flags, bool, len(data))
    for k in _with_services(data):
        gates[k] = any(s.get("blocking") is not False for s in data[k][SERVICES])
    return gates


def _values(G: Graph, name: str, *, func: str, param: str | None, estimate: str) -> FloatArray:
    """The checked values of edge attribute `name`, one per edge of `G` (pair if compiled)."""
    if isinstance(G, CompiledOrg):
        return _compiled_values(G, name, func, param, estimate)
    src, dst, data = _edge_data(G)
    return _edge_values(G, src, dst, data, name, func=func, param=param, estimate=estimate)


def _edge_values(
    G: nx.DiGraph,
    src: IntArray,
    dst: IntArray,
    data: list[Mapping[str, Any]],
    name: str,
    *,
    func: str,
    param: str | None,
    estimate: str,
) -> FloatArray:
    default = DEFAULTS.get(name)
    fill = 1.0 if default is None else default
    duration = name in _DURATIONS
    raw = list(map(operator.methodcaller("get", name), data))
    many = set(_with_services(data))
    carried = any(x is not None for x in raw) or any(
        name in s for k in many for s in data[k][SERVICES]
    )
    if default is None and data and not carried:
        raise ParameterError(
            f"The {param or 'weight'!r} parameter of {func} must name an edge attribute of "
            f"the organisation or be None; got {name!r}, which no edge carries."
        )
    for k in many:  # a pair of several services: their values, summed (the least for a duration)
        parts = [_number(s.get(name), fill, duration, estimate) for s in data[k][SERVICES]]
        raw[k] = min(parts) if duration else math.fsum(parts)
    if set(map(type, raw)) <= _PLAIN:  # plain numbers, the common case, in one C loop
        values = np.fromiter((fill if x is None else x for x in raw), np.float64, len(raw))
    else:
        values = np.fromiter(
            (_number(x, fill, duration, estimate) for x in raw), np.float64, len(raw)
        )
    bad = np.flatnonzero(~(np.isfinite(values) & (values >= 0)))
    if bad.size:
        k = int(bad[0])
        nodes = list(G)
        value = raw[k] if k not in many else [s.get(name) for s in data[k][SERVICES]]
        raise _bad_value(func, param, name, (nodes[src[k]], nodes[dst[k]]), value)
    return values


def _number(x: object, fill: float, duration: bool, estimate: str) -> float:
    """`x` as a float (`fill` when None); NaN for anything the schema refuses."""
    if x is None:
        return fill
    if isinstance(x, numbers.Real) and not isinstance(x, bool):
        return float(x)
    if duration and isinstance(x, Mapping | Duration):
        try:
            return point_value(x, estimate)
        except (IntcustError, TypeError, ValueError):
            return math.nan
    return math.nan


def _bad_value(
    func: str, param: str | None, name: str, edge: tuple[Hashable, Hashable], value: object
) -> ParameterError:
    kind = "number or duration" if name in _DURATIONS else "number"
    see = f" (its {param!r} parameter)" if param else ""
    return ParameterError(
        f"{name} of edge {edge!r} must be a finite {kind} >= 0 for {func}{see}; got {value!r}."
    )


def _compiled_values(
    C: CompiledOrg, name: str, func: str, param: str | None, estimate: str
) -> FloatArray:
    starts = _pair_starts(C)
    if name == "volume":
        w = _per_pair(np.add, C.volume, starts)
    elif name == "lead_time":
        w = _per_pair(np.minimum, C.lead_time.point(estimate), starts)
    else:
        raise parameter_error(
            func,
            param or "weight",
            "'volume', 'lead_time' or None for a compiled organisation",
            name,
        )
    bad = np.flatnonzero(~(np.isfinite(w) & (w >= 0)))
    if bad.size:
        k = int(bad[0]) if starts is None else int(starts[bad[0]])
        raise _bad_value(func, param, name, (C.nodes[C.src[k]], C.nodes[C.dst[k]]), w[bad[0]])
    return np.asarray(w, dtype=np.float64)
