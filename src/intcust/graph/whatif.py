"""`what_if`: the organisation after a reorganisation, the original untouched.

Any metric or simulation can then be run before and after, e.g. the single
points of failure once a second supplier of the PMS is trained, or the
makespan once two teams are merged.
"""

from __future__ import annotations

import copy
from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import Any

import networkx as nx

from intcust._params import check_graph, check_nodes
from intcust.errors import ParameterError, UnknownNodeError, quote
from intcust.graph.duration_parsing import real_value
from intcust.graph.schema import SERVICES, is_blocking
from intcust.graph.validation import validate

__all__ = ["what_if"]

FUNC = "what_if"


def _known(G: nx.DiGraph, node: Hashable, param: str) -> Hashable:
    try:
        present = node in G
    except TypeError:
        present = False
    if not present:
        raise UnknownNodeError(
            f"The {param!r} parameter of {FUNC} must name nodes of the organisation; "
            f"got {quote(node)}."
        )
    return node


def _nodes(value: object, param: str) -> list[Any]:
    """`value` as a list of node names; a lone str or a non-iterable is refused."""
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise ParameterError(
            f"The {param!r} parameter of {FUNC} must be a list of nodes; got {quote(value)}"
            + (f" (for one node write [{quote(value)}])." if isinstance(value, str) else ".")
        )
    return list(value)


def _pooled(G: nx.DiGraph, members: list[Hashable]) -> dict[str, Any]:
    """Servers add up; capacity per server keeps the members' total service rate."""
    servers = [G.nodes[n].get("servers") or 1 for n in members]
    caps = [G.nodes[n].get("capacity") for n in members]
    if not all(real_value(x) is not None for x in [*servers, *caps] if x is not None):
        return {}  # a bad value: validate names it in the result
    out: dict[str, Any] = {"servers": sum(servers)}
    if all(c is not None for c in caps):
        out["capacity"] = sum(c * s for c, s in zip(caps, servers, strict=True)) / sum(servers)
    return out


def what_if(
    G: nx.DiGraph,
    *,
    remove: Iterable[Hashable] = (),
    merge: Mapping[Hashable, Iterable[Hashable]] | None = None,
    reroute: Mapping[tuple[Hashable, Hashable], Hashable] | None = None,
) -> nx.DiGraph:
    """A new organisation with stakeholders removed, merged or services rerouted.

    Parameters
    ----------
    G : networkx.DiGraph
        The organisation; it is not changed.
    remove : iterable of nodes, optional
        Stakeholders who leave, with every service to or from them.
    merge : mapping, optional
        ``{name: [nodes, ...]}``: the nodes become one stakeholder called
        `name` (a new name, or one of the organisation's, which then joins
        the merge).
    reroute : mapping, optional
        ``{(old_supplier, customer): new_supplier}``: the services move to the
        new supplier with all their attributes; if it already serves the
        customer, the services are put together as in a merge.

    Returns
    -------
    networkx.DiGraph
        A validated copy; every attribute dict is a deep copy. Names in all
        three arguments refer to `G`; reroutes apply first, then merges, then
        removals. The result does not depend on the order in which members
        or reroutes are listed.

    Raises
    ------
    UnknownNodeError
        If a named node is not in `G`.
    ParameterError
        If an argument has the wrong type, a rerouted service does not
        exist, or a node is both merged and removed or merged twice.
    SchemaError, CycleError
        If the result breaks the schema, e.g. a merge closes a blocking loop.

    Examples
    --------
    >>> import intcust as ic
    >>> G = ic.datasets.email_campaign()
    >>> H = ic.what_if(G, reroute={("campaign", "customers"): "sender"},
    ...                remove=["list keeper"])
    >>> sorted(H.predecessors("customers")), "list keeper" in H, "list keeper" in G
    (['sender'], False, True)
    >>> M = ic.what_if(G, merge={"studio": ["designer", "sender"]})
    >>> sorted(M.successors("studio"))
    ['campaign']

    Notes
    -----
    A merged stakeholder takes the attributes of `name` when it already
    exists, else of its member that comes first in `G`; its ``servers`` are
    the members' sum, and its ``capacity`` keeps their total service rate
    (Σ c_i μ_i / Σ c_i) when every member has one. Services between members
    vanish (they become internal work).

    Services that end up between the same supplier and customer are put
    together deliverable by deliverable: services of one deliverable (or
    all without one) become one, whose ``volume`` is their sum and whose
    other attributes are those of the one that gates work most (blocking
    with lag 0, then blocking with a lag, then non-blocking; ties go to the
    first in `G`), so a blocking service is never swallowed by an
    information tie. Different deliverables stay several services of the
    pair (a ``services`` list); a service without a deliverable among them
    is named ``"output of <supplier>"``.
    """
    check_graph(G, func=FUNC)
    remove = check_nodes(G, _nodes(remove, "remove"), func=FUNC, param="remove")
    merge = _mapping(merge, "merge")
    reroute = _mapping(reroute, "reroute")
    order = {n: i for i, n in enumerate(G)}
    H: nx.DiGraph = copy.deepcopy(G)
    moves = []
    for key, new in reroute.items():
        if not (isinstance(key, tuple) and len(key) == 2):
            raise ParameterError(
                f"The 'reroute' parameter of {FUNC} must map (old_supplier, customer) pairs "
                f"to a new supplier; got key {quote(key)}."
            )
        old, customer = (_known(G, n, "reroute") for n in key)
        _known(G, new, "reroute")
        if not G.has_edge(old, customer):
            raise ParameterError(
                f"The 'reroute' parameter of {FUNC} must name existing services; "
                f"{quote(old)} does not supply {quote(customer)}."
            )
        moves.append((order[old], order[customer], old, customer, new))
    for _, _, old, customer, new in sorted(moves, key=lambda m: m[:2]):
        data = H.edges[old, customer]
        H.remove_edge(old, customer)
        edges = [H.edges[new, customer], data] if H.has_edge(new, customer) else [data]
        combined = _combine(edges, new)
        H.add_edge(new, customer)
        H.edges[new, customer].clear()
        H.edges[new, customer].update(combined)
    seen: dict[Hashable, Hashable] = {}
    for name, members in merge.items():
        group = {_known(G, n, "merge") for n in _nodes(members, f"merge[{quote(name)}]")}
        try:
            if name in G:
                group.add(name)
        except TypeError:
            raise ParameterError(
                f"The 'merge' parameter of {FUNC} must map hashable names to nodes; "
                f"got {quote(name)}."
            ) from None
        for n in group:
            if n in seen:
                raise ParameterError(
                    f"The 'merge' parameter of {FUNC} names {quote(n)} in two merges "
                    f"({quote(seen[n])} and {quote(name)})."
                )
            seen[n] = name
        _merge(H, name, sorted(group, key=order.__getitem__))
    clash = [n for n in remove if n in seen]
    if clash:
        raise ParameterError(
            f"The 'remove' parameter of {FUNC} names {quote(clash[0])}, which is also merged."
        )
    H.remove_nodes_from(remove)
    validate(H)
    return H


def _mapping(value: object, param: str) -> dict[Any, Any]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise ParameterError(
            f"The {param!r} parameter of {FUNC} must be a mapping; got {quote(value)}."
        )
    return dict(value)


def _merge(H: nx.DiGraph, name: Hashable, group: list[Hashable]) -> None:
    if not group:
        raise ParameterError(
            f"The 'merge' parameter of {FUNC} must list at least one node for {quote(name)}; "
            "got none."
        )
    first = name if name in group else group[0]
    attrs = copy.deepcopy(H.nodes[first])
    attrs.update(_pooled(H, group))
    members = set(group)
    edges: dict[tuple[Hashable, Hashable], list[dict[str, Any]]] = {}
    for n in group:
        for u, _, d in H.in_edges(n, data=True):
            if u not in members:
                edges.setdefault((u, name), []).append(d)
        for _, v, d in H.out_edges(n, data=True):
            if v not in members:
                edges.setdefault((name, v), []).append(d)
    combined = {pair: _combine(found, pair[0]) for pair, found in edges.items()}
    H.remove_nodes_from(group)
    H.add_node(name, **attrs)
    for (u, v), d in combined.items():
        H.add_edge(u, v, **d)


def _rank(service: Mapping[str, Any]) -> int:
    """0 for a service that gates work in one round, 1 blocking with a lag, 2 otherwise."""
    if is_blocking(service):
        return 0
    return 1 if is_blocking(service, with_lag=True) else 2


def _combine(edges: Sequence[Mapping[str, Any]], supplier: Hashable) -> dict[str, Any]:
    """One edge's attributes from several edges of one supplier to one customer."""
    if len(edges) == 1:
        return copy.deepcopy(dict(edges[0]))
    own: dict[str, Any] = {}
    groups: dict[Any, list[dict[str, Any]]] = {}
    for data in edges:
        services = data.get(SERVICES)
        if isinstance(services, list | tuple):
            for k, x in data.items():
                if k != SERVICES:
                    own.setdefault(k, copy.deepcopy(x))
        else:
            services = [data]
        for s in services:
            if isinstance(s, Mapping):
                key = s.get("deliverable")
                try:
                    hash(key)
                except TypeError:
                    key = ("unhashable", id(s))
                groups.setdefault(key, []).append(dict(s))
    services = [_one(found) for found in groups.values()]
    if len(services) == 1:
        return {**own, **services[0]}
    labels = {s.get("deliverable") for s in services}
    for s in services:
        if s.get("deliverable") is None:
            label = f"output of {supplier}"
            while label in labels:
                label += "'"
            labels.add(label)
            s["deliverable"] = label
    return {**own, SERVICES: services}


def _one(services: list[dict[str, Any]]) -> dict[str, Any]:
    """Services of one deliverable as one: the most gating one's attributes, volumes summed."""
    best = min(range(len(services)), key=lambda i: (_rank(services[i]), i))
    out = copy.deepcopy(services[best])
    if len(services) > 1:
        volumes = [real_value(s.get("volume", 1.0)) for s in services]
        if all(v is not None and v >= 0 for v in volumes):
            out["volume"] = float(sum(v for v in volumes if v is not None))
    return out
