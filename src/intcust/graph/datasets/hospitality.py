"""The hotel and its call centre: kitchen, service staff, reception, IT and the PMS."""

from __future__ import annotations

from typing import Any

import networkx as nx

from intcust.graph.builders import add_service, add_stakeholder, org_graph
from intcust.graph.durations import PERT, LogNormal, Triangular

__all__ = ["call_center", "hotel"]


def hotel() -> nx.DiGraph:
    """A hotel evening: dinner, check-in, clean rooms and the bill.

    Purchasing, or the contract butcher when purchasing falls short,
    supplies the kitchen with ingredients (two alternative suppliers: an OR
    join); the kitchen cooks for the service staff, who serve the guests.
    Housekeeping hands clean rooms to reception, which checks the guests
    in; accounts bills them. Reception and accounts both need "PMS access",
    the property-management system run by IT, their sole supplier of it;
    IT handles about 1.3 times the requests it can serve, so it is the
    overloaded link every classic hotel case turns on. Reception's room
    list feeds the next day's cleaning (``lag=1``).

    The IT outage story: when the PMS is down for a day, reception and
    accounts stop as soon as their buffers run out (none here: they stop
    when the last PMS access in transit has arrived), the guests are hit
    at once, and service comes back only after IT has restarted, redone
    its work and every hand-off has arrived again (`intcust.sim.outage`).

    Returns
    -------
    networkx.DiGraph
        9 stakeholders and 13 services; ``time_unit="hour"``, volumes per
        ``period`` of 24 hours. The guests are due 6 hours into the evening.

    Examples
    --------
    >>> import intcust as ic
    >>> G = ic.datasets.hotel()
    >>> [u for u, _, d in G.in_edges("kitchen", data="deliverable") if d == "ingredients"]
    ['purchasing', 'butcher']
    >>> [u for u, v, d in G.edges(data="deliverable") if d == "PMS access"]
    ['IT', 'IT']
    >>> volume = sum(d["volume"] for _, _, d in G.out_edges("IT", data=True))
    >>> round(volume / (G.nodes["IT"]["servers"] * G.nodes["IT"]["capacity"]), 2)
    1.3
    >>> from intcust.sim.outages import outage
    >>> res = outage(G, {"IT": 24})
    >>> list(res.down), res.customers
    (['IT', 'reception', 'accounts', 'guests'], ('guests',))
    """
    G = org_graph(name="Hotel", time_unit="hour", period=24.0)
    team: dict[str, Any] = {"kind": "team"}
    add_stakeholder(
        G,
        "purchasing",
        **team,
        unit="Purchasing",
        role="buys food and supplies",
        work=PERT(0.5, 1.0, 3.0),
        capacity=15.0,
        servers=1,
    )
    add_stakeholder(
        G,
        "butcher",
        kind="person",
        employment="contractor",
        role="contract butcher, backup meat supply",
        work=Triangular(1.0, 1.5, 3.0),
        capacity=5.0,
    )
    add_stakeholder(
        G,
        "kitchen",
        **team,
        unit="Kitchen",
        role="cooks dinner",
        work=PERT(1.5, 2.0, 4.0),
        capacity=40.0,
        servers=4,
    )
    add_stakeholder(
        G,
        "service staff",
        **team,
        unit="Service",
        role="waiters",
        work=Triangular(0.5, 0.75, 1.5),
        capacity=30.0,
        servers=5,
    )
    add_stakeholder(
        G,
        "housekeeping",
        **team,
        unit="Housekeeping",
        role="cleans rooms",
        work=PERT(2.0, 3.0, 5.0),
        capacity=10.0,
        servers=6,
    )
    add_stakeholder(
        G,
        "IT",
        **team,
        unit="IT",
        role="runs the property-management system (PMS)",
        work=LogNormal(-1.5, 0.8),
        capacity=50.0,
        servers=1,
    )
    add_stakeholder(
        G,
        "reception",
        **team,
        unit="Front office",
        role="checks guests in",
        work=Triangular(0.1, 0.25, 0.75),
        capacity=40.0,
        servers=4,
    )
    add_stakeholder(
        G,
        "accounts",
        **team,
        unit="Accounts",
        role="bills the guests",
        work=Triangular(0.25, 0.5, 1.0),
        capacity=80.0,
        servers=1,
    )
    add_stakeholder(G, "guests", kind="external", role="hotel guests", due=6.0)
    add_service(
        G,
        "purchasing",
        "kitchen",
        deliverable="ingredients",
        volume=10,
        lead_time=Triangular(0.25, 0.5, 1.5),
        sla=1.0,
    )
    add_service(
        G,
        "butcher",
        "kitchen",
        deliverable="ingredients",
        volume=3,
        lead_time=Triangular(0.5, 1.0, 2.0),
    )
    add_service(
        G,
        "kitchen",
        "service staff",
        deliverable="dishes",
        volume=120,
        lead_time=0.1,
        sla=0.25,
        satisfaction=0.75,
    )
    add_service(G, "service staff", "guests", deliverable="dinner", volume=120, lead_time=0.1)
    add_service(
        G, "service staff", "kitchen", deliverable="guest feedback", volume=20, blocking=False
    )
    add_service(
        G,
        "housekeeping",
        "reception",
        deliverable="clean rooms",
        volume=50,
        lead_time=0.25,
        sla=0.5,
        satisfaction=0.7,
    )
    add_service(G, "reception", "housekeeping", deliverable="room status list", volume=1, lag=1)
    add_service(
        G,
        "IT",
        "reception",
        deliverable="PMS access",
        volume=40,
        lead_time=Triangular(0.0, 0.1, 1.0),
        sla=0.25,
        satisfaction=0.4,
    )
    add_service(
        G,
        "IT",
        "accounts",
        deliverable="PMS access",
        volume=25,
        lead_time=Triangular(0.0, 0.1, 1.0),
        sla=0.25,
        satisfaction=0.5,
    )
    add_service(G, "reception", "guests", deliverable="check-in", volume=60, lead_time=0.05)
    add_service(G, "reception", "accounts", deliverable="guest folios", volume=60, lead_time=0.1)
    add_service(G, "accounts", "guests", deliverable="billing", volume=60, lead_time=0.1)
    add_service(G, "reception", "kitchen", deliverable="guest count", volume=1, blocking=False)
    return G


def call_center() -> nx.DiGraph:
    """A call centre whose accounts department cannot reach the PMS.

    Callers are answered by six agents (any one will do: an OR join). Agents
    need scripts and escalations from their team lead, and team leads need
    the callers' billing data from accounts. Accounts gets "PMS access"
    from the property-management system, or, when it cannot reach the
    system, from IT's help desk, which looks the data up for them (two
    alternative suppliers). Accounts files support tickets with the help
    desk, and agents report back to their team leads; neither tie gates
    work.

    Returns
    -------
    networkx.DiGraph
        12 stakeholders and 24 services; ``time_unit="minute"``, volumes per ``period`` of
        one 480-minute shift. The callers are due 15 minutes after they call.

    Examples
    --------
    >>> import intcust as ic
    >>> G = ic.datasets.call_center()
    >>> sorted(G.predecessors("accounts"))
    ['IT help desk', 'PMS']
    >>> sorted(G.predecessors("callers"))
    ['agent 1', 'agent 2', 'agent 3', 'agent 4', 'agent 5', 'agent 6']
    """
    G = org_graph(name="Call centre", time_unit="minute", period=480.0)
    add_stakeholder(
        G,
        "PMS",
        kind="team",
        unit="IT",
        role="property-management system",
        work=LogNormal(0.0, 0.5),
        capacity=300.0,
        servers=1,
    )
    add_stakeholder(
        G,
        "IT help desk",
        kind="team",
        unit="IT",
        role="first-line IT support",
        work=PERT(5.0, 10.0, 30.0),
        capacity=40.0,
        servers=2,
    )
    add_stakeholder(
        G,
        "accounts",
        kind="department",
        unit="Accounts",
        role="keeps the customer accounts",
        work=Triangular(1.0, 2.0, 5.0),
        capacity=120.0,
        servers=2,
    )
    for lead in (1, 2):
        add_stakeholder(
            G,
            f"team lead {lead}",
            unit="Call centre",
            employment="full-time",
            role="team lead",
            work=PERT(0.5, 1.0, 3.0),
            capacity=100.0,
        )
    employment = ["full-time", "full-time", "part-time", "full-time", "temporary", "temporary"]
    for i, kind in enumerate(employment, start=1):
        add_stakeholder(
            G,
            f"agent {i}",
            unit="Call centre",
            employment=kind,
            role="call-centre agent",
            work=Triangular(3.0, 5.0, 12.0),
            capacity=60.0,
        )
    add_stakeholder(G, "callers", kind="external", role="customers calling in", due=15.0)
    add_service(G, "PMS", "accounts", deliverable="PMS access", volume=200, lead_time=0.5, sla=1.0)
    add_service(
        G,
        "IT help desk",
        "accounts",
        deliverable="PMS access",
        volume=30,
        lead_time=Triangular(2.0, 5.0, 15.0),
        sla=10.0,
        satisfaction=0.6,
    )
    add_service(G, "PMS", "IT help desk", deliverable="system logs", volume=10, blocking=False)
    add_service(
        G, "accounts", "IT help desk", deliverable="support tickets", volume=30, blocking=False
    )
    for lead, agents in ((1, (1, 2, 3)), (2, (4, 5, 6))):
        add_service(
            G,
            "accounts",
            f"team lead {lead}",
            deliverable="billing data",
            volume=80,
            lead_time=0.5,
        )
        for a in agents:
            add_service(
                G,
                f"team lead {lead}",
                f"agent {a}",
                deliverable="scripts & escalations",
                volume=25,
                lead_time=Triangular(0.0, 0.5, 3.0),
                satisfaction=0.7,
            )
            add_service(
                G,
                f"agent {a}",
                f"team lead {lead}",
                deliverable="call reports",
                volume=10,
                blocking=False,
            )
            add_service(
                G,
                f"agent {a}",
                "callers",
                deliverable="answered call",
                volume=60,
                lead_time=Triangular(0.0, 1.0, 4.0),
                sla=2.0,
            )
    return G
