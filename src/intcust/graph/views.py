"""Views of an organisation: the unit level, and who feeds whom.

`rollup` folds people into their units (teams or departments); `upstream`,
`downstream` and `value_stream` (see `intcust.graph.streams`, also reachable
here) cut out the sub-organisation around one stakeholder. Each returns a new
`networkx.DiGraph` that follows the schema, so every metric and simulation
runs on it unchanged.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import Any

import networkx as nx
import numpy as np

from intcust._params import check_choice, check_graph
from intcust.errors import ParameterError, SchemaError, quote
from intcust.graph.duration_parsing import real_value
from intcust.graph.schema import MAX_NUMBER, SERVICES, is_blocking
from intcust.graph.streams import downstream, upstream, value_stream

__all__ = ["MISSING", "downstream", "rollup", "upstream", "value_stream"]

_NO_GROUP = object()

#: What `rollup` does with a node that has no unit: raise, leave it out, or keep it as itself.
MISSING = ("raise", "drop", "own")


def lacking_error(func: str, by: str, lacking: list[Hashable], *, own: str) -> ParameterError:
    """The error for nodes that lack the grouping attribute `by`, naming the first ten.

    `own` says what ``missing='own'`` does with such a node in `func`.

    Examples
    --------
    >>> print(lacking_error("rollup", "unit", ["ann"], own="keep each as a node of its own"))
    rollup groups nodes by their 'unit' attribute, which 1 node(s) lack: 'ann'; set it, or \
pass missing='drop' to leave them out or missing='own' to keep each as a node of its own.
    """
    shown = ", ".join(repr(n) for n in lacking[:10])
    more = f" and {len(lacking) - 10} more" if len(lacking) > 10 else ""
    return ParameterError(
        f"{func} groups nodes by their {by!r} attribute, which {len(lacking)} node(s) "
        f"lack: {shown}{more}; set it, or pass missing='drop' to leave them out or "
        f"missing='own' to {own}."
    )


def _groups(
    G: nx.DiGraph, by: str, missing: str
) -> tuple[dict[Hashable, Hashable], dict[Hashable, list[Hashable]]]:
    """The group of each node taking part, and the members of each group in order."""
    group_of: dict[Hashable, Hashable] = {}
    lacking: list[Hashable] = []
    for node, data in G.nodes(data=True):
        label = data.get(by)
        if data.get("kind") == "external":
            label = node
        elif label is None:
            lacking.append(node)
            if missing == "drop":
                continue
            label = node
        try:
            hash(label)
        except TypeError:
            raise ParameterError(
                f"{by} of node {quote(node)} must be a hashable label for rollup; got {quote(label)}."
            ) from None
        group_of[node] = label
    if lacking and missing == "raise":
        raise lacking_error("rollup", by, lacking, own="keep each as a node of its own")
    members: dict[Hashable, list[Hashable]] = {}
    for node, label in group_of.items():
        members.setdefault(label, []).append(node)
    return group_of, members


def rollup(G: nx.DiGraph, *, by: str = "unit", missing: str = "own") -> nx.DiGraph:
    """The unit-level organisation: one node per unit, services summed between units.

    Parameters
    ----------
    G : networkx.DiGraph
        The organisation.
    by : str, optional
        The node attribute that names each node's unit; ``"unit"`` by
        default. Any other attribute works, e.g. ``by="department"`` for the
        departments of `generate_org`.
    missing : {"own", "raise", "drop"}, optional
        What to do with a node that has no `by` attribute (or has it set to
        None): keep it as a node of its own with its attributes (``"own"``,
        the default), raise a `ParameterError` naming such nodes, or leave
        it and its services out (``"drop"``). External customers always stay
        as themselves, whatever their `by` attribute says.

    Returns
    -------
    networkx.DiGraph
        Node per unit, in the order the units first appear in `G`, with

        - ``kind``: the kind of the node of `G` that bears the unit's name
          when it is a ``"team"`` or ``"department"``, else ``"department"``;
        - ``size``: the number of members;
        - ``internal_volume`` and ``internal_services``: the total volume
          and the number of services between members (self-loops never
          appear).

        Nodes kept as themselves (external customers, and unit-less nodes
        with ``missing="own"``) keep all their attributes, plus ``size`` 1
        and zero internal ties. An edge ``A -> B`` exists when some member
        of A supplies some member of B; its ``volume`` is the sum of their
        volumes (each defaulting to 1), ``n_services`` counts them,
        ``blocking_services`` counts those that gate work, and
        ``deliverables`` lists the distinct named deliverables in the order
        they first appear. The graph attributes of `G` are kept, with
        ``level="unit"`` and ``by``.

    Raises
    ------
    ParameterError
        If `by` is not a str, `missing` is not an option, or ``missing="raise"``
        and some node lacks a unit.
    SchemaError
        If a ``volume`` is not a finite number >= 0.

    Notes
    -----
    Volume is conserved: the volumes of `G` sum to the volumes between
    units plus the units' ``internal_volume``, unless ``missing="drop"``
    left services out. Timing does not aggregate: how long a unit takes
    depends on the order of the hand-offs inside it, which one number
    cannot carry. So unit nodes carry no ``work``, ``start``, ``due``,
    ``capacity`` or ``servers``, and unit edges carry no ``lead_time``,
    ``sla``, ``satisfaction`` or ``deliverable``; every unit edge is
    ``blocking=False``, since units that serve each other both ways would
    otherwise form a blocking cycle. Run timing on `G` itself; rolled up,
    the organisation is for network metrics (who serves whom, how much).

    Examples
    --------
    >>> import intcust as ic
    >>> R = ic.rollup(ic.datasets.email_campaign())
    >>> list(R.nodes)
    ['Marketing', 'customers']
    >>> R.nodes["Marketing"]["internal_volume"], R.nodes["Marketing"]["size"]
    (16.0, 4)
    >>> R.edges["Marketing", "customers"]["volume"], R.edges["Marketing", "customers"]["deliverables"]
    (20000.0, ['campaign e-mail'])
    """
    func = "rollup"
    check_graph(G, func=func)
    if not isinstance(by, str):
        raise ParameterError(
            f"The 'by' parameter of {func} must be the name of a node attribute (a str); "
            f"got {by!r}."
        )
    check_choice(missing, MISSING, func=func, param="missing")
    group_of, members = _groups(G, by, missing)
    labels = list(members)
    code = {label: i for i, label in enumerate(labels)}
    k = len(labels)

    src: list[int] = []
    dst: list[int] = []
    volume: list[float] = []
    gating: list[bool] = []
    deliverable: list[Any] = []
    for u, v, data in G.edges(data=True):
        gu, gv = group_of.get(u, _NO_GROUP), group_of.get(v, _NO_GROUP)
        if gu is _NO_GROUP or gv is _NO_GROUP:
            continue
        for service in _services(data, u, v):
            src.append(code[gu])
            dst.append(code[gv])
            volume.append(_volume(service.get("volume"), u, v))
            gating.append(is_blocking(service))
            deliverable.append(service.get("deliverable"))
    s = np.asarray(src, dtype=np.int64)
    d = np.asarray(dst, dtype=np.int64)
    vol = np.asarray(volume, dtype=np.float64)
    inside = s == d
    internal_volume = np.bincount(s[inside], weights=vol[inside], minlength=k)
    internal_services = np.bincount(s[inside], minlength=k)

    R = nx.DiGraph()
    R.graph.update(G.graph)
    R.graph.update(level="unit", by=by)
    node_data = G.nodes
    for i, label in enumerate(labels):
        group = members[label]
        if _kept(G, label, group, by):
            attrs = dict(node_data[label])
        else:
            attrs = {"kind": _unit_kind(G, label)}
        attrs.update(
            size=len(group),
            internal_volume=float(internal_volume[i]),
            internal_services=int(internal_services[i]),
        )
        R.add_node(label)
        R.nodes[label].update(attrs)

    cross = ~inside
    pair = s[cross] * k + d[cross]
    pairs, first, inverse = np.unique(pair, return_index=True, return_inverse=True)
    inverse = inverse.reshape(-1)
    sums = np.bincount(inverse, weights=vol[cross], minlength=len(pairs))
    counts = np.bincount(inverse, minlength=len(pairs))
    gates = np.bincount(
        inverse, weights=np.asarray(gating, dtype=bool)[cross], minlength=len(pairs)
    )
    named: list[list[Any]] = [[] for _ in pairs]
    seen: list[set[Any]] = [set() for _ in pairs]
    cross_deliverables = [deliverable[j] for j in np.flatnonzero(cross).tolist()]
    for j, name in zip(inverse.tolist(), cross_deliverables, strict=True):
        if name is not None and name not in seen[j]:
            seen[j].add(name)
            named[j].append(name)
    for j in np.argsort(first, kind="stable").tolist():
        a, b = divmod(int(pairs[j]), k)
        R.add_edge(
            labels[a],
            labels[b],
            volume=float(sums[j]),
            n_services=int(counts[j]),
            blocking_services=int(gates[j]),
            deliverables=named[j],
            blocking=False,
        )
    return R


def _services(data: dict[str, Any], u: Hashable, v: Hashable) -> list[Mapping[str, Any]]:
    """The services of an edge, or a SchemaError naming it when its list is malformed."""
    many = data.get(SERVICES)
    if many is None:
        return [data]
    if isinstance(many, list | tuple) and all(isinstance(s, Mapping) for s in many):
        return list(many)
    raise SchemaError(
        f"{SERVICES} of edge {quote((u, v))} must be a list of service mappings; got {quote(many)}"
    )


def _volume(x: Any, u: Hashable, v: Hashable) -> float:
    """An edge's volume as a float (1 when unset), or a SchemaError naming the edge."""
    if x is None:
        return 1.0
    value = real_value(x)
    if value is not None and 0 <= value <= MAX_NUMBER:
        return value
    raise SchemaError(
        f"volume of edge {quote((u, v))} must be a number from 0 to {MAX_NUMBER:g}; got {quote(x)}"
    )


def _kept(G: nx.DiGraph, label: Hashable, group: list[Hashable], by: str) -> bool:
    """Whether `label` is a node of `G` kept as itself rather than a unit."""
    if group != [label] or label not in G:
        return False
    data = G.nodes[label]
    return data.get("kind") == "external" or data.get(by) is None


def _unit_kind(G: nx.DiGraph, label: Hashable) -> str:
    """A unit's kind: that of the node bearing its name, if a team or department."""
    if label in G:
        kind = G.nodes[label].get("kind")
        if kind in ("team", "department"):
            return str(kind)
    return "department"
