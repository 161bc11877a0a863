"""Services as measured: an organisation's plan overlaid with what a log observed.

`recognition` and `service_catalogue` accept, as ``log=``, an organisation
read from a log (`intcust.from_tickets`, `intcust.from_event_log`). Its
services carry observed lead times (an `Empirical` of the resolution times
or waits), often satisfaction ratings and targets. `with_measurements`
copies the organisation and lets each of its services that the log observed
take those measurements, so that every service standard is then read with
the ordinary functions.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import Any

import networkx as nx

from intcust.errors import ParameterError
from intcust.graph.schema import SERVICES, edge_services

__all__ = ["FILLED", "MEASURED", "Measured", "with_measurements"]

#: The service attributes a log measures, taken over by the organisation's services.
MEASURED = ("lead_time", "lead_time_n", "lead_time_error")
#: Attributes a log fills in only where the organisation has none.
FILLED = ("sla", "satisfaction")

Service = tuple[Hashable, Hashable, Hashable]


@dataclass(frozen=True)
class Measured:
    """An organisation with the measurements of a log (see `with_measurements`)."""

    G: nx.DiGraph  #: a copy of the organisation, measured services updated
    services: tuple[Service, ...]  #: (supplier, customer, deliverable) of each measured service
    unmatched: tuple[Service, ...]  #: services of the log the organisation does not have

    def notes(self) -> list[str]:
        """Plain sentences on what the log changed."""
        if not self.services and not self.unmatched:
            return []
        n = len(self.services)
        out = [f"{n} service{'' if n == 1 else 's'} measured from the log"]
        if self.unmatched:
            n = len(self.unmatched)
            out.append(
                "1 service of the log is not a service of the organisation and is left out"
                if n == 1
                else f"{n} services of the log are not services of the organisation and are "
                "left out"
            )
        return out


def with_measurements(G: nx.DiGraph, log: nx.DiGraph | None, *, func: str) -> Measured:
    """`G` with the lead times, ratings and targets that `log` observed.

    Parameters
    ----------
    G : networkx.DiGraph
        The organisation (the plan).
    log : networkx.DiGraph or None
        An organisation read from a log by `intcust.from_tickets` or
        `intcust.from_event_log`; None leaves `G` as it is.
    func : str
        The public function asking, named in errors.

    Returns
    -------
    Measured
        ``G``: a copy whose matched services take the log's ``lead_time``
        (with ``lead_time_n`` and ``lead_time_error``); the log's ``sla``
        and ``satisfaction`` (ticket ratings) fill in only where the
        organisation has none, so an agreed SLA and a survey's ratings stay.
        Volumes stay the organisation's.

    Raises
    ------
    ParameterError
        If `log` is neither None nor a `networkx.DiGraph`.

    Notes
    -----
    A service of the log ``u -> v`` matches a service of `G` on the same
    pair: the only one on each side, or else the one with the same
    deliverable. (A ticket's deliverable is its category or its team,
    rarely the plan's name for the service.)

    Examples
    --------
    >>> import intcust as ic
    >>> G = ic.org_graph()
    >>> ic.add_service(G, "IT", "desk", deliverable="PMS access", lead_time=1, sla=2)
    >>> log = ic.org_graph()
    >>> ic.add_service(log, "IT", "desk", deliverable="IT", lead_time={"dist": "empirical", "samples": [1, 3]})
    >>> m = with_measurements(G, log, func="example")
    >>> m.G.edges["IT", "desk"]["lead_time"].samples, m.services
    ((1.0, 3.0), (('IT', 'desk', 'PMS access'),))
    >>> ic.metrics.sla_compliance(m.G)[("IT", "desk")]
    0.5
    """
    if log is None:
        return Measured(G, (), ())
    if not isinstance(log, nx.DiGraph):
        raise ParameterError(
            f"The 'log' parameter of {func} must be an organisation read from a log "
            f"(from_tickets or from_event_log); got {type(log).__name__}."
        )
    H = G.copy()
    matched: list[Service] = []
    unmatched: list[Service] = []
    for u, v, data in log.edges(data=True):
        observed = edge_services(data)
        if not H.has_edge(u, v):
            unmatched.extend((u, v, s.get("deliverable")) for s in observed)
            continue
        edge = H.edges[u, v]
        if SERVICES in edge:
            edge[SERVICES] = [dict(s) for s in edge[SERVICES]]
        planned = edge_services(edge)
        for s in observed:
            target = _match(planned, observed, s)
            if target is None:
                unmatched.append((u, v, s.get("deliverable")))
                continue
            _take(target, s)
            matched.append((u, v, target.get("deliverable")))
    return Measured(H, tuple(matched), tuple(unmatched))


def _match(
    planned: list[Mapping[str, Any]], observed: list[Mapping[str, Any]], s: Mapping[str, Any]
) -> dict[str, Any] | None:
    if len(planned) == 1 and len(observed) == 1:
        return planned[0]  # type: ignore[return-value]
    same = [p for p in planned if p.get("deliverable") == s.get("deliverable")]
    return same[0] if len(same) == 1 else None  # type: ignore[return-value]


def _take(target: dict[str, Any], s: Mapping[str, Any]) -> None:
    for name in MEASURED:
        if s.get(name) is not None:
            target[name] = s[name]
    for name in FILLED:
        if target.get(name) is None and s.get(name) is not None:
            target[name] = s[name]
            if name == "satisfaction" and s.get("satisfaction_n") is not None:
                target["satisfaction_n"] = s["satisfaction_n"]
