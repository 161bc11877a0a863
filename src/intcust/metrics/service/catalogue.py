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

from intcust.errors import ParameterError
from intcust.graph.compiled import compile
from intcust.graph.duration_parsing import as_duration
from intcust.graph.durations import Duration
from intcust.graph.schema import edge_services, is_blocking
from intcust.metrics.fragility.failure import FailureGraph, propagate
from intcust.metrics.service.catalogue_result import ServiceCatalogue
from intcust.metrics.service.measured import with_measurements

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
        self.ratings: list[float | None] = []
        self.rows: list[int] = []  # compiled service rows
        self.blocking = False
        self.measured = False


def service_catalogue(G: nx.DiGraph, *, log: nx.DiGraph | None = None) -> ServiceCatalogue:
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
        If `G` is not a `networkx.DiGraph` or `log` is not an organisation.
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
    have one (as `sla_compliance`), and ``satisfaction`` the volume-weighted
    mean rating over the rated ones. The service is a *single point of
    failure* when its loss alone leaves an external customer unserved: a
    customer for which this supplier is the only source of the deliverable
    then goes unserved, and the failure rule (`single_points_of_failure`)
    carries that downstream.

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
    measured = with_measurements(G, log, func=FUNC)
    H = measured.G
    C = compile(H)
    seen = {(u, v, d) for u, v, d in measured.services}
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
            row.leads.append(as_duration(s.get("lead_time", 0.0), where))
            row.slas.append(None if s.get("sla") is None else float(s["sla"]))
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


def _single_points(C: Any, rows: list[_Row]) -> np.ndarray[Any, np.dtype[np.bool_]]:
    """Whether each row's loss alone leaves an external customer unserved."""
    if not rows or not len(C.external):
        return np.zeros(len(rows), bool)
    b = C.blocking
    suppliers = np.bincount(C.join[b], minlength=int(C.join.max()) + 1)
    sole = b & (suppliers[C.join] == 1)
    removed = np.zeros((len(rows), C.n_nodes), bool)
    for i, r in enumerate(rows):
        k = np.asarray(r.rows, dtype=np.int64)
        removed[i, C.dst[k[sole[k]]]] = True
    lost = propagate(FailureGraph.from_compiled(C), removed)[:, C.external]
    return np.asarray(lost.any(axis=1), dtype=bool)


def _summary(G: nx.DiGraph, r: _Row, spof: bool) -> dict[str, Any]:
    weights = np.asarray(r.volumes)
    if weights.sum() <= 0:
        weights = np.ones(len(weights))
    slas = {i: s for i, s in enumerate(r.slas) if s is not None}
    with_sla = list(slas)
    rated = [i for i, s in enumerate(r.ratings) if s is not None]
    compliance = None
    if with_sla:
        met = [float(r.leads[i].cdf(slas[i])) for i in with_sla]
        compliance = _weighted(met, weights[with_sla])
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
        "sla": min(slas.values(), default=None),
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
