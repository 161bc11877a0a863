"""`service_catalogue`: the service standards a department would publish.

One row per supplier and deliverable: who it serves, how much, how fast
(lead time P50 and P90), the agreed SLA and how often it is met, how the
internal customers rate it, and whether the paying customers are lost when
this one service stops.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

import networkx as nx
import numpy as np

from intcust._params import person_level
from intcust.errors import ParameterError
from intcust.graph.compiled import CompiledOrg, compile
from intcust.graph.duration_parsing import as_duration
from intcust.graph.durations import Duration
from intcust.graph.schema import edge_services, is_blocking
from intcust.metrics.fragility.failure import FailureGraph, propagate
from intcust.metrics.service.catalogue_result import ServiceCatalogue
from intcust.metrics.service.measured import with_measurements
from intcust.metrics.service.sla import sla_breaches

__all__ = ["service_catalogue"]

FUNC = "service_catalogue"
_BISECTIONS = 60


class _Row:
    """The services of one supplier and deliverable, gathered before they are summarised."""

    def __init__(self, supplier: Hashable, deliverable: Hashable) -> None:
        self.supplier = supplier
        self.deliverable = deliverable
        self.customers: list[Hashable] = []
        self.volumes: list[float] = []
        self.leads: list[Duration] = []
        self.slas: list[float | None] = []
        self.met: list[float | None] = []
        self.ratings: list[float | None] = []
        self.rows: list[int] = []  # compiled service rows
        self.blocking = False
        self.measured = False


def service_catalogue(
    G: nx.DiGraph, *, log: nx.DiGraph | None = None, level: str = "person"
) -> ServiceCatalogue:
    """The catalogue of services: one row per supplier and deliverable.

    Parameters
    ----------
    G : networkx.DiGraph
        The organisation.
    log : networkx.DiGraph, optional
        An organisation read from a log (`intcust.from_tickets`,
        `intcust.from_event_log`): the services it observed take their
        measured lead times and ratings (see
        `intcust.metrics.service.measured.with_measurements`).
    level : {"person"}, optional
        Only ``"person"``: lead times, SLAs and the failure rule follow each
        person's services, which the unit level does not keep.

    Returns
    -------
    ServiceCatalogue
        Rows with ``supplier``, ``unit`` (the supplier's), ``deliverable``,
        ``customers``, ``volume`` (summed), ``lead_time_p50`` and
        ``lead_time_p90``, ``sla``, ``compliance``, ``satisfaction``,
        ``single_point_of_failure``, ``measured`` and ``blocking``; None
        where a value is unknown. Exportable with ``to_csv``, ``to_html``,
        ``to_frame`` and ``to_dict``.

    Raises
    ------
    ParameterError
        If `G` is not a `networkx.DiGraph`, `log` is not an organisation, or
        ``level="unit"``.
    SchemaError, CycleError
        If `G` breaks the schema.

    Notes
    -----
    A row gathers the services of one supplier that carry one deliverable
    (an unnamed deliverable is a row of its own per customer). Its lead
    time quantiles are those of the volume-weighted mixture of its
    services' lead times: the lead time of a random request. ``sla`` is the
    strictest agreed SLA of its services, ``compliance`` the
    volume-weighted mean of ``P(lead_time <= sla)`` over the services that
    have one (the ``compliance`` of `sla_breaches`), and ``satisfaction``
    the volume-weighted mean rating over the rated ones. The service is a
    *single point of failure* when its loss alone (the supplier stops
    delivering it to every customer, and does everything else) leaves an
    external customer unserved under the failure rule of
    `single_points_of_failure`: a customer with no other source of the
    deliverable goes unserved, and so on downstream.

    Examples
    --------
    >>> import intcust as ic
    >>> cat = ic.metrics.service_catalogue(ic.datasets.hotel())
    >>> row = cat.row("IT", "PMS access")
    >>> row["customers"], row["volume"], row["sla"], row["single_point_of_failure"]
    (('reception', 'accounts'), 65.0, 0.25, True)
    >>> cat.row("purchasing", "ingredients")["single_point_of_failure"]
    False
    """
    if not isinstance(G, nx.DiGraph) or G.is_multigraph():
        raise ParameterError(
            f"The 'G' parameter of {FUNC} must be a networkx.DiGraph; got {type(G).__name__}."
        )
    person_level(level, func=FUNC, why="lead times and SLAs are kept per person's service")
    measured = with_measurements(G, log, func=FUNC)
    H = measured.G
    C = compile(H)
    seen = {(u, v, d) for u, v, d in measured.services}
    met = {
        (r["supplier"], r["customer"], r["deliverable"]): r["compliance"]
        for r in sla_breaches(H).services
    }
    rows: dict[tuple[Hashable, Hashable], _Row] = {}
    for u, v, data in H.edges(data=True):
        first = C.edge_id(u, v)
        for k, s in enumerate(edge_services(data)):
            name = s.get("deliverable")
            key = (u, name if name is not None else ("unnamed", v))
            row = rows.setdefault(key, _Row(u, name))
            where = f"lead_time of edge {(u, v)!r}"
            row.customers.append(v)
            row.volumes.append(float(s.get("volume", 1.0)))
            row.leads.append(as_duration(s.get("lead_time", 0.0), where=where))
            row.slas.append(None if s.get("sla") is None else float(s["sla"]))
            row.met.append(met.get((u, v, name)))
            row.ratings.append(None if s.get("satisfaction") is None else float(s["satisfaction"]))
            row.rows.append(first + k)
            row.blocking |= is_blocking(s, with_lag=True)
            row.measured |= (u, v, name) in seen
    gathered = list(rows.values())
    spof = _single_points(C, gathered)
    return ServiceCatalogue(
        rows=tuple(_summary(H, r, bool(f)) for r, f in zip(gathered, spof, strict=True)),
        notes=tuple(measured.notes()),
    )


def _single_points(C: CompiledOrg, rows: list[_Row]) -> np.ndarray[Any, np.dtype[np.bool_]]:
    """Whether losing each row's services alone leaves an external customer unserved.

    Each service becomes a stakeholder of its own between its supplier and
    its customer (needing the supplier, and one of the customer's
    alternatives for its deliverable), so that losing a service is the
    failure rule's absence of that stakeholder.
    """
    if not rows or not len(C.external):
        return np.zeros(len(rows), bool)
    S = nx.DiGraph()
    S.add_nodes_from(range(C.n_nodes))
    for i in C.external.tolist():
        S.nodes[i]["kind"] = "external"
    first = C.n_nodes
    for k in range(C.n_edges):
        if not C.blocking[k]:
            continue
        d = int(C.deliverable[k])
        S.add_edge(int(C.src[k]), first + k)
        S.add_edge(
            first + k,
            int(C.dst[k]),
            deliverable=None if d < 0 else d,
            lag=int(C.lag[k]),
        )
    split = compile(S, check=False)
    removed = np.zeros((len(rows), split.n_nodes), bool)
    for i, r in enumerate(rows):
        lost = [split.index[first + k] for k in r.rows if C.blocking[k]]
        removed[i, lost] = True
    unserved = propagate(FailureGraph.from_compiled(split), removed)
    return np.asarray(unserved[:, split.external].any(axis=1), dtype=bool)


def _summary(G: nx.DiGraph, r: _Row, spof: bool) -> dict[str, Any]:
    weights = np.asarray(r.volumes)
    if weights.sum() <= 0:
        weights = np.ones(len(weights))
    with_sla = [i for i, m in enumerate(r.met) if m is not None]
    rated = [i for i, s in enumerate(r.ratings) if s is not None]
    compliance = None
    if with_sla:
        compliance = _weighted([r.met[i] for i in with_sla], weights[with_sla])
    satisfaction = None
    if rated:
        satisfaction = _weighted([r.ratings[i] for i in rated], weights[rated])
    return {
        "supplier": r.supplier,
        "unit": G.nodes[r.supplier].get("unit"),
        "deliverable": r.deliverable,
        "customers": tuple(r.customers),
        "volume": float(sum(r.volumes)),
        "lead_time_p50": _mixture_quantile(r.leads, weights, 0.5),
        "lead_time_p90": _mixture_quantile(r.leads, weights, 0.9),
        "sla": min((x for x in r.slas if x is not None), default=None),
        "compliance": compliance,
        "satisfaction": satisfaction,
        "single_point_of_failure": spof,
        "measured": r.measured,
        "blocking": r.blocking,
    }


def _weighted(values: list[Any], weights: np.ndarray[Any, np.dtype[np.float64]]) -> float:
    w = weights if weights.sum() > 0 else np.ones(len(weights))
    return float(np.dot(np.asarray(values, dtype=np.float64), w) / w.sum())


def _mixture_quantile(
    leads: list[Duration], weights: np.ndarray[Any, np.dtype[np.float64]], q: float
) -> float:
    """The q quantile of the mixture of `leads` weighted by `weights` (bisection on its CDF)."""
    ends = [float(d.ppf(q)) for d in leads]
    lo, hi = min(ends), max(ends)
    if len(leads) == 1 or lo == hi:
        return hi
    w = weights / weights.sum()

    def cdf(x: float) -> float:
        return float(sum(wi * float(d.cdf(x)) for wi, d in zip(w, leads, strict=True)))

    for _ in range(_BISECTIONS):
        mid = 0.5 * (lo + hi)
        if cdf(mid) >= q:
            hi = mid
        else:
            lo = mid
    return hi
