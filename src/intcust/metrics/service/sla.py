"""Service standards: how often each service meets its SLA, and where breaches pile up.

A service ``u -> v`` with an ``sla`` promises that its ``lead_time`` stays at
or below it. `sla_compliance` gives ``P(lead_time <= sla)`` per service: the
CDF of a distribution, or the share of observed samples of an `Empirical`.
`sla_breaches` ranks services by expected breaches per period, ``volume ×
(1 - compliance)``, and rolls them up per supplier and per unit.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import networkx as nx

from intcust._params import check_graph, person_level
from intcust.errors import SchemaError
from intcust.graph.duration_parsing import as_duration, duration_problems
from intcust.graph.schema import edge_services
from intcust.results import NodeScores, html_table, json_ready

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["SLABreaches", "compliance", "sla_breaches", "sla_compliance"]

Edge = tuple[Hashable, Hashable]
_COLUMNS = ("supplier", "customer", "deliverable", "volume", "sla", "compliance", "breaches")


_NO_UNITS = "service standards hold per service, and the unit level keeps no lead time or sla"


Service = tuple[Hashable, Hashable, Mapping[str, Any], float]


def _services(G: nx.DiGraph, func: str, level: str) -> list[Service]:
    """Every service with an ``sla``, with its compliance: (supplier, customer, attrs, p).

    An edge with several services (``services``) gives one entry per service.

    Raises
    ------
    SchemaError
        Listing every ``sla`` or ``lead_time`` that breaks the schema.
    """
    check_graph(G, func=func)
    person_level(level, func=func, why=_NO_UNITS)
    out = []
    problems: list[str] = []
    for u, v, data in G.edges(data=True):
        for service in edge_services(data):
            sla = service.get("sla")
            if sla is None:
                continue
            where = f"edge {(u, v)!r}"
            if isinstance(sla, bool) or not isinstance(sla, int | float) or not sla >= 0:
                problems.append(f"sla of {where} must be a number >= 0; got {sla!r}")
                continue
            lead = service.get("lead_time", 0.0)
            bad = duration_problems(lead, f"lead_time of {where}")
            if bad:
                problems.extend(bad)
                continue
            out.append((u, v, service, float(as_duration(lead).cdf(float(sla)))))
    if problems:
        raise SchemaError(problems)
    return out


def _volume(service: Mapping[str, Any]) -> float:
    volume = service.get("volume")
    return 1.0 if volume is None else float(volume)


def sla_compliance(G: nx.DiGraph, *, level: str = "person") -> NodeScores:
    """The probability that each service with an ``sla`` meets it.

    Parameters
    ----------
    G : networkx.DiGraph
        The organisation.
    level : {"person"}, optional
        Only ``"person"``: a unit-level organisation keeps no lead times or SLAs.

    Returns
    -------
    NodeScores
        ``(supplier, customer) -> P(lead_time <= sla)``, for every edge with an
        ``sla``; a service without ``lead_time`` takes 0 time. A supplier
        giving its customer several services with an SLA (``services``) gets
        their volume-weighted mean: the share of its hand-offs on time.
        ``to_dict()`` writes each pair key as the JSON text of its list.

    Raises
    ------
    SchemaError
        If an ``sla`` or ``lead_time`` breaks the schema (every problem listed).
    ParameterError
        If `G` is not a directed graph or ``level="unit"``.

    Notes
    -----
    For a distribution F the value is F(sla), exact; for an `Empirical` of
    samples x₁..xₙ it is #{i : xᵢ <= sla} / n, the observed share of hand-offs
    on time (a sketched empirical is within its ``lead_time_error``). The SLA
    is inclusive: a lead time equal to it meets it.

    Examples
    --------
    >>> import intcust as ic
    >>> G = ic.org_graph()
    >>> ic.add_service(G, "a", "b", lead_time={"dist": "uniform", "low": 0, "high": 4}, sla=3)
    >>> ic.add_service(G, "b", "c", lead_time={"dist": "empirical", "samples": [1, 2, 5, 9]}, sla=5)
    >>> dict(ic.metrics.sla_compliance(G))
    {('a', 'b'): 0.75, ('b', 'c'): 0.75}
    """
    return NodeScores(
        compliance(G, func="sla_compliance", level=level),
        name="sla_compliance",
        description="probability that the service's lead time meets its SLA (higher is better)",
    )


def compliance(G: nx.DiGraph, *, func: str, level: str = "person") -> dict[Hashable, float]:
    """`sla_compliance` as a plain dict, for the public function `func` (named in errors)."""
    pairs: dict[Hashable, list[tuple[float, float]]] = {}
    for u, v, service, p in _services(G, func, level):
        pairs.setdefault((u, v), []).append((p, _volume(service)))
    out: dict[Hashable, float] = {}
    for pair, entries in pairs.items():
        total = math.fsum(w for _, w in entries)
        if total > 0:
            out[pair] = math.fsum(p * w for p, w in entries) / total
        else:
            out[pair] = math.fsum(p for p, _ in entries) / len(entries)
    return out


@dataclass(frozen=True)
class SLABreaches:
    """Services ranked by expected SLA breaches, and their roll-ups (see `sla_breaches`)."""

    services: tuple[dict[str, Any], ...]  #: one row per service, worst first
    by_supplier: NodeScores  #: expected breaches of each supplier's services
    by_unit: NodeScores  #: the same summed over the suppliers of each unit

    def to_dict(self) -> dict[str, Any]:
        """Strict JSON (see `intcust.results.json_ready`)."""
        data: dict[str, Any] = json_ready(
            {"services": self.services, "by_supplier": self.by_supplier, "by_unit": self.by_unit}
        )
        return data

    def to_frame(self) -> pd.DataFrame:
        """The services table as a DataFrame, worst first."""
        import pandas as pd

        return pd.DataFrame(list(self.services), columns=list(_COLUMNS))

    def __repr__(self) -> str:
        worst = self.services[0] if self.services else None
        head = f"worst {worst['supplier']!r} -> {worst['customer']!r}" if worst else "none"
        return f"SLABreaches({len(self.services)} services with an SLA, {head})"

    def _repr_html_(self) -> str:
        rows = [[row[c] for c in _COLUMNS] for row in self.services]
        return html_table(rows, _COLUMNS, caption="Services by expected SLA breaches")


def sla_breaches(G: nx.DiGraph, *, level: str = "person") -> SLABreaches:
    """Services ranked by expected breaches, rolled up per supplier and per unit.

    Parameters
    ----------
    G : networkx.DiGraph
        The organisation.
    level : {"person"}, optional
        Only ``"person"``; the roll-up per unit is ``by_unit``.

    Returns
    -------
    SLABreaches
        ``services``: rows (supplier, customer, deliverable, volume, sla,
        compliance, breaches) sorted by ``breaches`` descending (ties: graph
        order), one per service, so a supplier giving its customer several
        services with an SLA has a row for each; ``by_supplier`` and
        ``by_unit`` (NodeScores). A supplier without a ``unit`` is its own unit.

    Raises
    ------
    SchemaError
        As `sla_compliance`.
    ParameterError
        If `G` is not a directed graph or ``level="unit"``.

    Notes
    -----
    The expected breaches of a service are ``volume × (1 - P(lead_time <=
    sla))`` per period: a frequent service that is sometimes late weighs more
    than a rare one that is often late.

    Examples
    --------
    >>> import intcust as ic
    >>> G = ic.org_graph()
    >>> ic.add_stakeholder(G, "a", unit="Ops")
    >>> ic.add_service(G, "a", "b", lead_time={"dist": "empirical", "samples": [1, 4]}, sla=2, volume=10)
    >>> ic.add_service(G, "b", "c", lead_time={"dist": "empirical", "samples": [1, 4]}, sla=2, volume=2)
    >>> r = ic.metrics.sla_breaches(G)
    >>> [(row["supplier"], row["breaches"]) for row in r.services]
    [('a', 5.0), ('b', 1.0)]
    >>> dict(r.by_unit)
    {'Ops': 5.0, 'b': 1.0}
    """
    rows: list[dict[str, Any]] = []
    by_supplier: dict[Hashable, float] = {}
    by_unit: dict[Hashable, float] = {}
    for u, v, service, p in _services(G, "sla_breaches", level):
        volume = _volume(service)
        breaches = volume * (1.0 - p)
        rows.append(
            {
                "supplier": u,
                "customer": v,
                "deliverable": service.get("deliverable"),
                "volume": volume,
                "sla": float(service["sla"]),
                "compliance": p,
                "breaches": breaches,
            }
        )
        by_supplier[u] = by_supplier.get(u, 0.0) + breaches
        unit = G.nodes[u].get("unit")
        key = u if unit is None else unit
        by_unit[key] = by_unit.get(key, 0.0) + breaches
    rows.sort(key=lambda r: -r["breaches"])
    return SLABreaches(
        services=tuple(rows),
        by_supplier=NodeScores(
            by_supplier, name="breaches", description="expected SLA breaches per period"
        ),
        by_unit=NodeScores(
            by_unit, name="breaches", description="expected SLA breaches per period"
        ),
    )
