"""Feedback: where a customer's experience of internal service breaks down.

`breakdown_points` starts from a customer (a paying one, or an unhappy
internal one) and traces its supply chain upstream, scoring each supplier by
the dissatisfaction and lateness it passes downstream. Ratings come from
``satisfaction`` (see `intcust.metrics.read_survey`).
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import numpy as np

from intcust._params import check_graph, check_node, person_level
from intcust.errors import SchemaError
from intcust.graph.joins import at_most
from intcust.graph.schema import edge_services, is_blocking
from intcust.metrics.service.sla import compliance
from intcust.results import NodeTable, html_table, json_ready

__all__ = ["Breakdown", "breakdown_points"]

Edge = tuple[Hashable, Hashable]


@dataclass(frozen=True)
class Breakdown:
    """Where a customer's experience breaks down (see `breakdown_points`)."""

    customer: Hashable
    scores: NodeTable  #: per upstream supplier: flow, dissatisfaction, lateness, score
    worst: Hashable | None  #: the supplier passing most trouble downstream
    worst_service: Edge | None  #: the service carrying most of it
    chain: tuple[Hashable, ...]  #: from `worst` down to the customer, along the main flow
    notes: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        """Strict JSON (see `intcust.results.json_ready`)."""
        data: dict[str, Any] = json_ready(
            {
                "customer": self.customer,
                "worst": self.worst,
                "worst_service": self.worst_service,
                "chain": self.chain,
                "scores": self.scores,
                "notes": self.notes,
            }
        )
        return data

    def __repr__(self) -> str:
        return f"Breakdown(customer={self.customer!r}, worst={self.worst!r}, chain={list(self.chain)!r})"

    def _repr_html_(self) -> str:
        order = sorted(self.scores.items(), key=lambda t: -t[1]["score"])
        rows = [[n, *(r[c] for c in self.scores.columns)] for n, r in order]
        return html_table(rows, ["supplier", *self.scores.columns], caption=repr(self))


def breakdown_points(G: nx.DiGraph, customer: Hashable, *, level: str = "person") -> Breakdown:
    """Trace a customer's supply chain upstream and find where it breaks.

    Parameters
    ----------
    G : networkx.DiGraph
        The organisation.
    customer : node
        Where the experience ends: an external customer, or an unhappy
        internal one.
    level : {"person"}, optional
        Only ``"person"``: the unit level keeps no satisfaction or lead time.

    Returns
    -------
    Breakdown
        ``scores`` per upstream supplier (``flow``, ``dissatisfaction``,
        ``lateness``, ``score``), the ``worst`` supplier, the
        ``worst_service`` and the ``chain`` from it to the customer.

    Raises
    ------
    UnknownNodeError
        If `customer` is not a node.
    SchemaError, CycleError
        If an ``sla`` or ``lead_time`` is invalid, or blocking edges form a cycle.

    Notes
    -----
    The customer's demand is split upstream over the blocking edges (lag 0)
    in proportion to ``volume``: ``f(customer) = 1``, an edge u -> v carries
    ``f_uv = f(v) · vol_uv / Σ_w vol_wv`` and ``f(u) = Σ_v f_uv``, the share of
    the customer's supply that passes through u. A supplier's
    ``dissatisfaction`` is ``Σ_v f_uv (1 - satisfaction_uv)`` (unrated
    services count 0 and are noted), its ``lateness`` is ``Σ_v f_uv P(lead_uv
    > sla_uv)`` plus ``f(u)`` when the schedule gives it negative total float
    (it makes a due date missed), and ``score`` is their sum: the expected
    share of the customer's experience the supplier spoils.

    Examples
    --------
    >>> import intcust as ic
    >>> G = ic.org_graph()
    >>> ic.add_stakeholder(G, "client", kind="external")
    >>> ic.add_service(G, "design", "build", satisfaction=0.9)
    >>> ic.add_service(G, "build", "client", satisfaction=0.3)
    >>> b = ic.metrics.breakdown_points(G, "client")
    >>> b.worst, b.worst_service, b.chain
    ('build', ('build', 'client'), ('build', 'client'))
    """
    func = "breakdown_points"
    check_graph(G, func=func)
    person_level(level, func=func, why="the unit level keeps no satisfaction or lead time")
    check_node(G, customer, func=func, param="customer")
    gating = nx.DiGraph([(u, v, d) for u, v, d in G.edges(data=True) if is_blocking(d)])
    gating.add_node(customer)
    stream = nx.ancestors(gating, customer) | {customer}
    sub = gating.subgraph(stream)
    try:
        order = list(reversed(list(nx.topological_sort(sub))))
    except nx.NetworkXUnfeasible:
        from intcust.errors import CycleError

        cycle = [u for u, _ in nx.find_cycle(sub)]
        raise CycleError(cycle) from None
    met = compliance(G, func=func)
    flow = dict.fromkeys(stream, 0.0)
    flow[customer] = 1.0
    edge_flow: dict[Edge, float] = {}
    for v in order:
        preds = list(sub.predecessors(v))
        total = sum(_volume(sub.edges[u, v]) for u in preds)
        for u in preds:
            vol = _volume(sub.edges[u, v])
            share = vol / total if total > 0 else 1.0 / len(preds)
            edge_flow[(u, v)] = flow[v] * share
            flow[u] += flow[v] * share
    overdue = _overdue(G)
    notes: list[str] = []
    unrated = [e for e in edge_flow if _satisfaction(sub.edges[e]) is None]
    if unrated:
        notes.append(
            f"{len(unrated)} service(s) upstream have no satisfaction rating and count as satisfied"
        )
    if overdue is None:
        notes.append(
            "no schedule lateness: the organisation cannot be scheduled (see sim.schedule)"
        )
    rows: dict[Hashable, dict[str, float]] = {}
    trouble: dict[Edge, float] = {}
    for (u, v), f in edge_flow.items():
        sat = _satisfaction(sub.edges[u, v])
        dis = f * (1.0 - float(sat)) if sat is not None else 0.0
        late = f * (1.0 - met.get((u, v), 1.0))
        trouble[(u, v)] = dis + late
        row = rows.setdefault(
            u, {"flow": flow[u], "dissatisfaction": 0.0, "lateness": 0.0, "score": 0.0}
        )
        row["dissatisfaction"] += dis
        row["lateness"] += late
    for u, row in rows.items():
        if overdue is not None and u in overdue:
            row["lateness"] += flow[u]
        row["score"] = row["dissatisfaction"] + row["lateness"]
    table = NodeTable(
        rows,
        columns=("flow", "dissatisfaction", "lateness", "score"),
        name="breakdown",
        description=f"share of {customer!r}'s experience each supplier spoils (higher is worse)",
    )
    worst = max(rows, key=lambda n: rows[n]["score"], default=None)
    if worst is None or rows[worst]["score"] <= 0:
        return Breakdown(customer, table, None, None, (), tuple(notes))
    service = max((e for e in trouble if e[0] == worst), key=lambda e: trouble[e])
    chain = [worst, service[1]]
    while chain[-1] != customer:
        nxt = max(sub.successors(chain[-1]), key=lambda w: edge_flow[(chain[-1], w)])
        chain.append(nxt)
    return Breakdown(customer, table, worst, service, tuple(chain), tuple(notes))


def _volume(data: Mapping[str, Any]) -> float:
    """The volume of a tie: the sum over its services (each 1 when unset)."""
    return math.fsum(
        1.0 if s.get("volume") is None else float(s["volume"]) for s in edge_services(data)
    )


def _satisfaction(data: Mapping[str, Any]) -> float | None:
    """The rating of a tie: its rated services' mean, weighted by volume; None if unrated."""
    rated = [s for s in edge_services(data) if s.get("satisfaction") is not None]
    if not rated:
        return None
    weights = [1.0 if s.get("volume") is None else float(s["volume"]) for s in rated]
    total = math.fsum(weights)
    if total <= 0:
        weights, total = [1.0] * len(rated), float(len(rated))
    return (
        math.fsum(w * float(s["satisfaction"]) for w, s in zip(weights, rated, strict=True))
        / total
    )


def _overdue(G: nx.DiGraph) -> set[Hashable] | None:
    """Nodes with negative total float, or None when `G` cannot be scheduled."""
    from intcust.sim.cpm import schedule

    try:
        sch = schedule(G)
    except SchemaError:
        return None
    finish = np.array(list(sch.finish.values()))
    latest = np.array(list(sch.latest_finish.values()))
    return {n for n, ok in zip(sch.finish, at_most(finish, latest), strict=True) if not ok}
