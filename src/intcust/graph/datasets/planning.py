"""A weekly sales and operations planning loop: a recurring process with lags."""

from __future__ import annotations

from typing import Any

import networkx as nx

from intcust.graph.builders import add_service, add_stakeholder, org_graph
from intcust.graph.durations import PERT, Triangular

__all__ = ["weekly_planning"]


def weekly_planning() -> nx.DiGraph:
    """A weekly sales and operations planning loop, with a canteen beside it.

    Every week sales sends a forecast to planning; planning turns it into a
    production plan for procurement and production; procurement orders the
    materials, which arrive a day later; production makes the goods for the
    customers and reports its output back to sales, whose next forecast
    builds on it (``lag=1``: round k of sales waits for round k - 1 of
    production). Production also hands procurement a stock count for next
    week's orders. Beside it the staff canteen runs its evening loop: the
    kitchen cooks for the service staff, whose count of covers shapes the
    kitchen's next round. Production keeps two days of materials in stock,
    sales one day of backlog and the service staff half a day of food
    (``buffer``).

    Returns
    -------
    networkx.DiGraph
        8 stakeholders and 9 services; ``time_unit="day"``, ``period`` of 5
        days (a working week). With the most likely durations the planning
        loop takes 4.5 days per round: half a day to spare each week.

    Examples
    --------
    >>> import intcust as ic
    >>> G = ic.datasets.weekly_planning()
    >>> G.graph["period"], G.edges["production", "sales"]["lag"]
    (5.0, 1)
    >>> ic.sim.cycle_time(G).cycle_time
    4.5
    """
    G = org_graph(name="Weekly planning", time_unit="day", period=5.0)
    team: dict[str, Any] = {"kind": "team"}
    add_stakeholder(
        G,
        "sales",
        **team,
        unit="Sales",
        role="forecasts demand",
        work=PERT(0.25, 0.5, 1.0),
        buffer=1.0,
    )
    add_stakeholder(
        G,
        "planning",
        **team,
        unit="Operations",
        role="plans production",
        work=PERT(0.25, 0.5, 0.75),
    )
    add_stakeholder(
        G,
        "procurement",
        **team,
        unit="Purchasing",
        role="orders materials",
        work=PERT(0.5, 1.0, 1.5),
    )
    add_stakeholder(
        G,
        "production",
        **team,
        unit="Operations",
        role="makes the goods",
        work=PERT(1.0, 1.5, 2.0),
        buffer=2.0,
    )
    add_stakeholder(G, "customers", kind="external", role="trade customers", due=5.5)
    add_stakeholder(
        G,
        "kitchen",
        **team,
        unit="Canteen",
        role="cooks the evening meal",
        work=Triangular(0.15, 0.25, 0.5),
    )
    add_stakeholder(
        G,
        "service staff",
        **team,
        unit="Canteen",
        role="serves the meal",
        work=Triangular(0.05, 0.1, 0.2),
        buffer=0.5,
    )
    add_stakeholder(G, "canteen guests", kind="external", role="staff and visitors", due=1.0)
    add_service(G, "sales", "planning", deliverable="forecast", volume=1)
    add_service(G, "planning", "procurement", deliverable="production plan", volume=1)
    add_service(G, "planning", "production", deliverable="production plan", volume=1)
    add_service(
        G,
        "procurement",
        "production",
        deliverable="materials",
        volume=20,
        lead_time=Triangular(0.5, 1.0, 1.5),
    )
    add_service(G, "production", "customers", deliverable="goods", volume=50, lead_time=0.5)
    add_service(G, "production", "sales", deliverable="output report", volume=1, lag=1)
    add_service(G, "production", "procurement", deliverable="stock count", volume=1, lag=1)
    add_service(G, "kitchen", "service staff", deliverable="dishes", volume=60, lead_time=0.05)
    add_service(G, "service staff", "kitchen", deliverable="covers count", volume=1, lag=1)
    add_service(G, "service staff", "canteen guests", deliverable="meal", volume=60)
    return G
