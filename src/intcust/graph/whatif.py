"""`what_if`: the organisation after a reorganisation, the original untouched.

Any metric or simulation can then be run before and after, e.g. the single
points of failure once a second supplier of the PMS is trained, or the
makespan once two teams are merged.
"""

from __future__ import annotations

import copy
from collections.abc import Hashable, Iterable, Mapping
from typing import Any

import networkx as nx

from intcust._params import check_graph, check_nodes
from intcust.errors import ParameterError, UnknownNodeError
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
            f"The {param!r} parameter of {FUNC} must name nodes of the organisation; got {node!r}."
        )
    return node


def _pooled(G: nx.DiGraph, members: list[Hashable]) -> dict[str, Any]:
    """Servers add up; capacity per server keeps the members' total service rate."""
    servers = [G.nodes[n].get("servers") or 1 for n in members]
    caps = [G.nodes[n].get("capacity") for n in members]
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
        ``{(old_supplier, customer): new_supplier}``: the service moves to the
        new supplier with all its attributes.

    Returns
    -------
    networkx.DiGraph
        A validated copy; every attribute dict is a deep copy. Names in all
        three arguments refer to `G`; reroutes apply first, then merges, then
        removals.

    Raises
    ------
    UnknownNodeError
        If a named node is not in `G`.
    ParameterError
        If a rerouted service does not exist or would duplicate one, or a
        node is both merged and removed or merged twice.
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
    exists, else of the first member; its ``servers`` are the members' sum,
    and its ``capacity`` keeps their total service rate (Σ c_i μ_i / Σ c_i)
    when every member has one. Services between members vanish (they become
    internal work). Two services from one supplier into the merged node
    become one, whose ``volume`` is their sum and whose other attributes are
    the first's.
    """
    check_graph(G, func=FUNC)
    remove = check_nodes(G, remove, func=FUNC, param="remove")
    merge = dict(merge or {})
    reroute = dict(reroute or {})
    H: nx.DiGraph = copy.deepcopy(G)
    for key, new in reroute.items():
        if not (isinstance(key, tuple) and len(key) == 2):
            raise ParameterError(
                f"The 'reroute' parameter of {FUNC} must map (old_supplier, customer) pairs "
                f"to a new supplier; got key {key!r}."
            )
        old, customer = (_known(G, n, "reroute") for n in key)
        _known(G, new, "reroute")
        if not G.has_edge(old, customer):
            raise ParameterError(
                f"The 'reroute' parameter of {FUNC} must name existing services; "
                f"{old!r} does not supply {customer!r}."
            )
        if new != old and H.has_edge(new, customer):
            raise ParameterError(
                f"The 'reroute' parameter of {FUNC} would give {customer!r} a second service "
                f"from {new!r}; got {key!r}: {new!r}."
            )
        data = H.edges[old, customer]
        H.remove_edge(old, customer)
        H.add_edge(new, customer, **data)
    seen: dict[Hashable, Hashable] = {}
    for name, members in merge.items():
        group = [_known(G, n, "merge") for n in members]
        if name in G and name not in group:
            group.insert(0, name)
        for n in group:
            if n in seen:
                raise ParameterError(
                    f"The 'merge' parameter of {FUNC} names {n!r} in two merges "
                    f"({seen[n]!r} and {name!r})."
                )
            seen[n] = name
        _merge(H, name, group)
    clash = [n for n in remove if n in seen]
    if clash:
        raise ParameterError(
            f"The 'remove' parameter of {FUNC} names {clash[0]!r}, which is also merged."
        )
    H.remove_nodes_from(remove)
    validate(H)
    return H


def _merge(H: nx.DiGraph, name: Hashable, group: list[Hashable]) -> None:
    if not group:
        raise ParameterError(
            f"The 'merge' parameter of {FUNC} must list at least one node for {name!r}; got none."
        )
    first = name if name in group else group[0]
    attrs = copy.deepcopy(H.nodes[first])
    attrs.update(_pooled(H, group))
    members = set(group)
    edges: dict[tuple[Hashable, Hashable], dict[str, Any]] = {}
    for n in group:
        for u, _, d in H.in_edges(n, data=True):
            if u not in members:
                _add(edges, (u, name), d)
        for _, v, d in H.out_edges(n, data=True):
            if v not in members:
                _add(edges, (name, v), d)
    H.remove_nodes_from(group)
    H.add_node(name, **attrs)
    for (u, v), d in edges.items():
        H.add_edge(u, v, **d)


def _add(
    edges: dict[tuple[Hashable, Hashable], dict[str, Any]],
    key: tuple[Hashable, Hashable],
    data: dict[str, Any],
) -> None:
    if key in edges:
        kept = edges[key]
        a, b = kept.get("volume"), data.get("volume")
        kept["volume"] = (1.0 if a is None else a) + (1.0 if b is None else b)
    else:
        edges[key] = dict(data)
