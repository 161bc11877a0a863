"""`summary`: the main per-node metrics of an organisation in one table."""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from intcust._params import Seed, check_sources, rng_from_seed
from intcust.metrics._network import Graph, at_level, group_codes, network
from intcust.metrics.network.brandes import betweenness
from intcust.metrics.network.centrality import dependence, reliance, service_load
from intcust.metrics.network.reach import external_reach
from intcust.metrics.structure.gould_fernandez import brokerage
from intcust.metrics.structure.holes import structural_holes
from intcust.metrics.structure.informal_roles import roles
from intcust.metrics.structure.ties import reciprocity
from intcust.results import NodeTable

__all__ = ["summary"]


def summary(
    G: Graph,
    *,
    weight: str | None = "volume",
    k: int | None = None,
    seed: Seed = None,
    by: str = "unit",
    missing: str = "own",
    level: str = "person",
) -> NodeTable:
    """The main per-node metrics of an organisation, one row per node.

    Parameters
    ----------
    G : networkx.DiGraph or CompiledOrg
        An organisation or any directed graph; edge ``u -> v`` means u supplies v.
    weight : str or None, optional
        The edge attribute for volumes (default ``"volume"``); None counts ties.
    k : int, optional
        Estimate betweenness, in its column and in `roles`, from `k` sampled
        sources (see `betweenness`); exact by default, which takes time
        beyond some ten thousand nodes.
    seed : None, int or numpy Generator, optional
        The random source of the sampled betweenness.
    by : str, optional
        The node attribute whose groups brokerage and roles look across
        (only ``"unit"`` for a `CompiledOrg`).
    missing : {"own", "drop", "raise"}, optional
        A node lacking `by`, for brokerage and roles: a group of its own
        (default), left out of those columns (None there), or an error.
    level : {"person", "unit"}, optional
        ``"unit"`` summarises the unit-level rollup of `G`.

    Returns
    -------
    NodeTable
        Columns, in order, each with the ties its function counts by
        default (see ``docs/guide/metrics.md``):

        - from `service_load`: ``customers``, ``volume_supplied``,
          ``suppliers``, ``volume_received``;
        - ``dependence`` and ``reliance`` (PageRank against and along the
          supplier -> customer direction, over blocking ties);
        - ``betweenness`` (hops, normalised);
        - from `external_reach`: ``dependent_customers``,
          ``dependent_volume``, ``hops_to_customer``, ``lead_time_to_customer``
          (None where no paying customer depends on the node);
        - from the structure metrics: ``reciprocity``, ``constraint`` (None
          for a node without contacts), ``effective_size``, ``brokerage``
          (total count of Gould–Fernandez roles) and ``role`` (Cross and
          Prusak; None for an external customer).

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
    [('IT', 0.2...)]
    >>> units = ic.metrics.summary(ic.datasets.company(), level="unit")
    >>> units["Production"]["role"]
    'central connector'
    """
    func = "summary"
    G = at_level(G, level, func=func)
    # every argument is checked here, so that a bad one is reported as summary's
    net = network(G, weight=weight, func=func)
    group_codes(G, by, missing=missing, func=func)
    check_sources(k, net.n, func=func)
    rng_from_seed(seed, func=func)
    load = service_load(G, weight=weight)
    nodes = list(load)
    columns: dict[str, dict[Hashable, Any]] = {
        c: {node: row[c] for node, row in load.items()} for c in load.columns
    }
    columns["dependence"] = dependence(G, weight=weight)
    columns["reliance"] = reliance(G, weight=weight)
    columns["betweenness"] = betweenness(G, k=k, seed=seed)
    reach = external_reach(G, weight=weight)
    for name in reach.columns:
        columns[name] = {node: row[name] for node, row in reach.items()}
    columns["reciprocity"] = reciprocity(G, weight=weight).nodes
    holes = structural_holes(G, weight=weight)
    columns["constraint"] = {node: row["constraint"] for node, row in holes.items()}
    columns["effective_size"] = holes.column("effective_size")
    columns["brokerage"] = brokerage(G, by=by, missing=missing).column("total")
    informal = roles(G, by=by, weight=weight, k=k, seed=seed, missing=missing)
    columns["role"] = {node: row["role"] for node, row in informal.items()}
    rows = {node: {name: col.get(node) for name, col in columns.items()} for node in nodes}
    return NodeTable(rows, columns=list(columns), name=func, description="main per-node metrics")
