"""`summary`: the main per-node metrics of an organisation in one table."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Hashable
from typing import Any

import networkx as nx

from intcust._params import Seed
from intcust.errors import IntcustError
from intcust.metrics._network import Graph, at_level
from intcust.metrics.network.brandes import betweenness
from intcust.metrics.network.centrality import dependence, reliance, service_load
from intcust.metrics.network.reach import external_reach
from intcust.results import NodeScores, NodeTable

__all__ = ["summary"]

#: Structure metrics added when intcust.metrics has them:
#: (column, function name, column of its NodeTable or attribute of its result).
STRUCTURE: tuple[tuple[str, str, str | None], ...] = (
    ("reciprocity", "reciprocity", "nodes"),
    ("constraint", "constraint", None),
    ("effective_size", "effective_size", None),
    ("brokerage", "brokerage", "total"),
    ("role", "roles", "role"),
)


def summary(
    G: Graph,
    *,
    weight: str | None = "volume",
    k: int | None = None,
    seed: Seed = None,
    by: str = "unit",
    level: str = "person",
) -> NodeTable:
    """The main per-node metrics of an organisation, one row per node.

    Parameters
    ----------
    G : networkx.DiGraph or CompiledOrg
        An organisation or any directed graph; edge ``u -> v`` means u supplies v.
        A `CompiledOrg` gets the service centrality columns only.
    weight : str or None, optional
        The edge attribute for volumes (default ``"volume"``); None counts ties.
    k : int, optional
        Estimate betweenness from `k` sampled sources (see `betweenness`);
        exact by default, which takes time beyond some ten thousand nodes.
    seed : None, int or numpy Generator, optional
        The random source of the sampled betweenness.
    by : str, optional
        The node attribute whose groups brokerage and roles look across;
        nodes without it are groups of their own.
    level : {"person", "unit"}, optional
        ``"unit"`` summarises the unit-level rollup of `G`.

    Returns
    -------
    NodeTable
        Columns, in order:

        - from `service_load`: ``customers``, ``volume_supplied``,
          ``suppliers``, ``volume_received``;
        - ``dependence`` and ``reliance`` (PageRank against and along the
          supplier -> customer direction);
        - ``betweenness`` (hops, normalised);
        - from `external_reach`: ``dependent_customers``,
          ``dependent_volume``, ``hops_to_customer``, ``lead_time_to_customer``
          (None where no paying customer depends on the node);
        - the structure metrics of `intcust.metrics`: ``reciprocity``,
          ``constraint``, ``effective_size``, ``brokerage`` (total count of
          Gould–Fernandez roles) and ``role`` (Cross and Prusak).

        A structure metric that cannot run on `G` is left out, and the
        table's ``description`` says which and why.

    Raises
    ------
    ParameterError
        If an argument is out of range, or a weight is negative (the message
        names the edge).

    Notes
    -----
    Each column is documented, with its formula and references, in the
    function that computes it.

    Examples
    --------
    >>> import intcust as ic
    >>> table = ic.metrics.summary(ic.datasets.company())
    >>> table.columns[:4]
    ('customers', 'volume_supplied', 'suppliers', 'volume_received')
    >>> table.column("dependence").top(1)
    [('IT', 0.245...)]
    >>> units = ic.metrics.summary(ic.datasets.company(), level="unit")
    >>> units["Finance"]["betweenness"]
    0.222...
    """
    G = at_level(G, level, func="summary")
    columns: dict[str, dict[Hashable, Any]] = {}
    load = service_load(G, weight=weight)
    for name in load.columns:
        columns[name] = {node: row[name] for node, row in load.items()}
    columns["dependence"] = dependence(G, weight=weight)
    columns["reliance"] = reliance(G, weight=weight)
    columns["betweenness"] = betweenness(G, k=k, seed=seed)
    reach = external_reach(G, weight=weight)
    for name in reach.columns:
        columns[name] = {node: row[name] for node, row in reach.items()}
    notes = []
    if isinstance(G, nx.DiGraph):
        notes = _structure(G, weight, by, columns)
    else:
        notes = ["structure metrics need a networkx.DiGraph, not a CompiledOrg"]
    nodes = list(load)
    rows = {node: {name: col[node] for name, col in columns.items()} for node in nodes}
    description = "main per-node metrics"
    if notes:
        description += "; left out: " + "; ".join(notes)
    return NodeTable(rows, columns=list(columns), name="summary", description=description)


def _structure(
    G: nx.DiGraph, weight: str | None, by: str, columns: dict[str, dict[Hashable, Any]]
) -> list[str]:
    """Add the structure metrics that `intcust.metrics` provides; return what was left out."""
    import intcust.metrics as metrics

    notes = []
    for column, name, part in STRUCTURE:
        func: Callable[..., Any] | None = getattr(metrics, name, None)
        if func is None:
            continue
        accepted = inspect.signature(func).parameters
        options = {"weight": weight, "by": by, "missing": "own"}
        kwargs = {key: value for key, value in options.items() if key in accepted}
        try:
            result = func(G, **kwargs)
        except IntcustError as err:
            notes.append(f"{column} ({err})")
            continue
        if isinstance(result, NodeTable):
            assert part is not None
            columns[column] = {node: row[part] for node, row in result.items()}
        elif isinstance(result, NodeScores):
            columns[column] = dict(result)
        else:
            columns[column] = dict(getattr(result, part or column))
    return notes
