"""Who feeds whom: the sub-organisation around one stakeholder.

`upstream` keeps a stakeholder and everyone who supplies it, directly or
through others; `downstream` everyone it supplies; `value_stream` everyone an
external customer waits for within one round. ``ties=`` says which services
lead on, in the vocabulary of the metrics. Each returns an independent
`networkx.DiGraph` that follows the schema, its nodes in the order of the
organisation's, so every metric and simulation runs on it unchanged.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Hashable, Mapping
from typing import Any

import networkx as nx

from intcust._params import TIES, check_choice, check_graph, check_node, parameter_error, renamed
from intcust.errors import ParameterError, quote
from intcust.graph.schema import copy_edge, is_blocking

__all__ = ["downstream", "upstream", "value_stream"]


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


def _checked(G: nx.DiGraph, node: Hashable, ties: object, blocking: object, func: str) -> Follow:
    """The arguments of `upstream` or `downstream` (`func`) checked: the edges to follow.

    The deprecated `blocking` follows what it followed: every edge, or those
    that gate work within one round.
    """
    check_graph(G, func=func)
    check_node(G, node, func=func, param="node")
    check_choice(ties, TIES, func=func, param="ties")
    if blocking is None:
        return _follow(G, str(ties))
    if not isinstance(blocking, bool):
        raise parameter_error(func, "blocking", "True or False (better: use ties=)", blocking)
    if ties != "all":
        raise ParameterError(
            f"Give the 'ties' parameter of {func} alone: 'blocking' is its old name; "
            f"got ties={quote(ties)} and blocking={blocking!r}."
        )
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
    follow = _checked(G, node, ties, blocking, "upstream")
    if blocking is not None:
        renamed("blocking", "ties", func="upstream", note=_BLOCKING_NOTE)
    return _sub(G, _reach(G, node, reverse=True, follow=follow))


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
    follow = _checked(G, node, ties, blocking, "downstream")
    if blocking is not None:
        renamed("blocking", "ties", func="downstream", note=_BLOCKING_NOTE)
    return _sub(G, _reach(G, node, reverse=False, follow=follow))


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
    check_graph(G, func="value_stream")
    check_node(G, customer, func="value_stream", param="customer")
    kind = G.nodes[customer].get("kind")
    if kind != "external":
        raise ParameterError(
            f"The 'customer' parameter of value_stream must be an external customer (a node "
            f"of kind 'external'); got {quote(customer)} of kind {quote(kind or 'person')}. "
            "Use upstream(G, node, ties='blocking') for an internal stakeholder."
        )
    return _sub(G, _reach(G, customer, reverse=True, follow=is_blocking))
