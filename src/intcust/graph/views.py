"""Views of an organisation: the unit level, and who feeds whom.

`rollup` folds people into their units (teams or departments); `upstream`,
`downstream` and `value_stream` cut out the sub-organisation around one
stakeholder. Each returns a new `networkx.DiGraph` that follows the schema,
so every metric and simulation runs on it unchanged.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Hashable, Mapping
from typing import Any

import networkx as nx
import numpy as np

from intcust._params import TIES, check_choice, check_node, parameter_error, renamed
from intcust.errors import ParameterError, SchemaError, quote
from intcust.graph.duration_parsing import real_value
from intcust.graph.schema import MAX_NUMBER, SERVICES, copy_edge, is_blocking

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


def _check_graph(G: object, func: str) -> None:
    if not isinstance(G, nx.DiGraph) or G.is_multigraph():
        raise ParameterError(
            f"The 'G' parameter of {func} must be a networkx.DiGraph; got {type(G).__name__}."
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
    _check_graph(G, func)
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


#: Whether an edge (its attribute dict) is followed, or None to follow every edge.
Follow = Callable[[Mapping[str, Any]], bool] | None


def _follow(G: nx.DiGraph, ties: str) -> Follow:
    """The edges a view follows for `ties`, in the vocabulary of the metrics.

    ``"blocking"`` follows the services whose ``blocking`` is not False, whatever
    their ``lag`` (at unit level, a unit edge with ``blocking_services``);
    ``"all"`` follows every service.
    """
    if ties == "all":
        return None
    if G.graph.get("level") == "unit":
        return lambda data: bool(data.get("blocking_services"))
    return functools.partial(is_blocking, with_lag=True)


def _reach(G: nx.DiGraph, node: Hashable, *, reverse: bool, follow: Follow) -> list[Hashable]:
    """`node` and every node it reaches (or that reaches it) along the edges `follow`
    accepts, in the order of `G`."""
    adj = G.pred if reverse else G.succ
    seen = {node}
    stack = [node]
    while stack:
        u = stack.pop()
        for v, data in adj[u].items():
            if v not in seen and (follow is None or follow(data)):
                seen.add(v)
                stack.append(v)
    return [n for n in G if n in seen]


def _ties(ties: object, blocking: object, func: str) -> str | Follow:
    """`ties` checked, or for the deprecated `blocking` what it followed (with a warning)."""
    check_choice(ties, TIES, func=func, param="ties")
    if blocking is None:
        return str(ties)
    if not isinstance(blocking, bool):
        raise parameter_error(func, "blocking", "True or False (better: use ties=)", blocking)
    if ties != "all":
        raise ParameterError(
            f"Give the 'ties' parameter of {func} alone: 'blocking' is its old name; "
            f"got ties={quote(ties)} and blocking={blocking!r}."
        )
    renamed("blocking", "ties", func=func, note=_BLOCKING_NOTE)
    return is_blocking if blocking else None


_BLOCKING_NOTE = (
    "blocking=False is ties='all'; blocking=True followed only the services that gate work "
    "within one round (lag 0), while ties='blocking' follows lagged ones too, as the "
    "metrics do"
)


def _sub(G: nx.DiGraph, nodes: list[Hashable]) -> nx.DiGraph:
    """The sub-organisation induced by `nodes`, as an independent copy in the order of `G`."""
    H = nx.DiGraph()
    H.graph.update(G.graph)
    keep = set(nodes)
    H.add_nodes_from((n, dict(G.nodes[n])) for n in nodes)
    H.add_edges_from(
        (u, v, copy_edge(d)) for u in nodes for v, d in G.succ[u].items() if v in keep
    )
    return H


def upstream(
    G: nx.DiGraph, node: Hashable, *, ties: str = "all", blocking: bool | None = None
) -> nx.DiGraph:
    """The sub-organisation that supplies `node`, directly or through others.

    Parameters
    ----------
    G : networkx.DiGraph
        The organisation.
    node : hashable
        A stakeholder of `G`.
    ties : {"all", "blocking"}, optional
        Which services lead upstream: every one (the default), information
        ties included, or only those that gate work (``blocking`` not False,
        whatever their ``lag``, as the metrics count them; at unit level, a
        unit edge with blocking services): the suppliers `node` waits for, in
        this round or an earlier one.
    blocking : bool, optional
        Deprecated since 0.2.0, use `ties`: ``blocking=False`` is
        ``ties="all"``; ``blocking=True`` follows only the services that gate
        work within one round (lag 0).

    Returns
    -------
    networkx.DiGraph
        `node` and its ancestors along those services, with every service
        among them (non-blocking ones too), as an independent copy whose
        nodes keep the order of `G`.

    Raises
    ------
    UnknownNodeError
        If `node` is not in `G`.
    ParameterError
        If `ties` is not an option, or both `ties` and `blocking` are given.

    See Also
    --------
    value_stream : the suppliers an external customer waits for within one round.

    Examples
    --------
    >>> import intcust as ic
    >>> G = ic.datasets.email_campaign()
    >>> list(ic.upstream(G, "sender"))
    ['designer', 'list keeper', 'sender']
    >>> list(ic.upstream(G, "designer"))  # the sender's report comes back to the designer
    ['designer', 'list keeper', 'sender']
    >>> list(ic.upstream(G, "designer", ties="blocking"))
    ['designer']
    """
    return _view(G, node, ties, blocking, reverse=True, func="upstream")


def downstream(
    G: nx.DiGraph, node: Hashable, *, ties: str = "all", blocking: bool | None = None
) -> nx.DiGraph:
    """The sub-organisation that `node` supplies, directly or through others.

    Parameters
    ----------
    G : networkx.DiGraph
        The organisation.
    node : hashable
        A stakeholder of `G`.
    ties : {"all", "blocking"}, optional
        Which services lead downstream: every one (the default), or only
        those that gate work (``blocking`` not False, whatever their ``lag``;
        at unit level, a unit edge with blocking services): those who wait
        for `node`, directly or not.
    blocking : bool, optional
        Deprecated since 0.2.0, use `ties`: ``blocking=False`` is
        ``ties="all"``; ``blocking=True`` follows only the services that gate
        work within one round (lag 0).

    Returns
    -------
    networkx.DiGraph
        `node` and its descendants along those services, with every service
        among them, as an independent copy whose nodes keep the order of `G`.

    Raises
    ------
    UnknownNodeError
        If `node` is not in `G`.
    ParameterError
        If `ties` is not an option, or both `ties` and `blocking` are given.

    Examples
    --------
    >>> import intcust as ic
    >>> G = ic.datasets.email_campaign()
    >>> list(ic.downstream(G, "list keeper"))
    ['designer', 'list keeper', 'sender', 'campaign', 'customers']
    >>> list(ic.downstream(G, "list keeper", ties="blocking"))
    ['list keeper', 'sender', 'campaign', 'customers']
    """
    return _view(G, node, ties, blocking, reverse=False, func="downstream")


def _view(
    G: nx.DiGraph, node: Hashable, ties: object, blocking: object, *, reverse: bool, func: str
) -> nx.DiGraph:
    """`upstream` (`reverse`) or `downstream` of `node`, checked and named as `func`."""
    _check_graph(G, func)
    check_node(G, node, func=func, param="node")
    chosen = _ties(ties, blocking, func)
    follow = _follow(G, chosen) if isinstance(chosen, str) else chosen
    return _sub(G, _reach(G, node, reverse=reverse, follow=follow))


def value_stream(G: nx.DiGraph, customer: Hashable) -> nx.DiGraph:
    """The sub-organisation that feeds one external customer.

    Parameters
    ----------
    G : networkx.DiGraph
        The organisation.
    customer : hashable
        A node of kind ``"external"``.

    Returns
    -------
    networkx.DiGraph
        `customer` and everyone it waits for through services that gate
        work within one round (``blocking`` not False, ``lag == 0``), with
        every service among them. Unlike ``upstream(G, customer,
        ties="blocking")``, it leaves out the services that feed a later round.

    Raises
    ------
    UnknownNodeError
        If `customer` is not in `G`.
    ParameterError
        If `customer` is not an external customer.

    Notes
    -----
    The value stream is the chain of activities that delivers value to a
    customer, as mapped in lean management [1]_; here it is the set of
    blocking ancestors of the customer.

    References
    ----------
    .. [1] M. Rother and J. Shook, *Learning to See: Value Stream Mapping to
       Add Value and Eliminate Muda*. Lean Enterprise Institute, 1999.

    Examples
    --------
    >>> import intcust as ic
    >>> G = ic.datasets.email_campaign()
    >>> list(ic.value_stream(G, "customers"))
    ['designer', 'list keeper', 'sender', 'campaign', 'customers']
    """
    _check_graph(G, "value_stream")
    check_node(G, customer, func="value_stream", param="customer")
    kind = G.nodes[customer].get("kind")
    if kind != "external":
        raise ParameterError(
            f"The 'customer' parameter of value_stream must be an external customer (a node "
            f"of kind 'external'); got {quote(customer)} of kind {quote(kind or 'person')}. "
            "Use upstream(G, node, ties='blocking') for an internal stakeholder."
        )
    return _sub(G, _reach(G, customer, reverse=True, follow=is_blocking))
