"""Bundled example organisations, written from classic internal-customer cases.

Each function builds a fresh, valid organisation, so examples can change it
freely. Durations are in days unless the graph's ``time_unit`` says otherwise.
"""

from __future__ import annotations

from typing import Any

import networkx as nx

from intcust.graph.builders import add_service, add_stakeholder, org_graph
from intcust.graph.durations import PERT, LogNormal, Triangular

__all__ = ["call_center", "company", "email_campaign", "hotel", "weekly_planning"]


def email_campaign() -> nx.DiGraph:
    """A marketing team sending an e-mail campaign.

    The designer designs and codes the e-mail and hands it to the sender; the
    list keeper supplies the cleaned mailing list; the sender schedules the
    send-out, the campaign run delivers it, and the external customers
    receive it, due on day 5. When the designer is late, everyone after them
    waits; the list keeper has float to spare. The sender's open-rate report
    back to the designer is an information tie that gates nothing.

    Returns
    -------
    networkx.DiGraph
        5 stakeholders and 5 services; ``time_unit="day"``. Point durations
        are the modes of PERT and triangular estimates.

    Examples
    --------
    >>> import intcust as ic
    >>> G = ic.datasets.email_campaign()
    >>> sorted(G.successors("designer"))
    ['sender']
    >>> G.nodes["customers"]["kind"], G.nodes["customers"]["due"]
    ('external', 5.0)
    """
    G = org_graph(name="E-mail campaign", time_unit="day")
    add_stakeholder(
        G,
        "designer",
        unit="Marketing",
        employment="full-time",
        role="e-mail designer and coder",
        work=PERT(1.0, 2.0, 4.0),
    )
    add_stakeholder(
        G,
        "list keeper",
        unit="Marketing",
        employment="part-time",
        role="mailing-list manager",
        work=PERT(0.5, 1.0, 2.0),
    )
    add_stakeholder(
        G,
        "sender",
        unit="Marketing",
        employment="full-time",
        role="e-mail marketing specialist",
        work=Triangular(0.25, 0.5, 1.0),
    )
    add_stakeholder(
        G,
        "campaign",
        kind="team",
        unit="Marketing",
        role="send-out run of the e-mail service",
        work=0.5,
    )
    add_stakeholder(G, "customers", kind="external", due=5.0)
    add_service(
        G,
        "designer",
        "sender",
        deliverable="email design",
        lead_time=0.5,
        volume=4,
        satisfaction=0.8,
    )
    add_service(G, "list keeper", "sender", deliverable="mailing list", volume=4, sla=1.0)
    add_service(G, "sender", "campaign", deliverable="scheduled send", volume=4)
    add_service(
        G,
        "campaign",
        "customers",
        deliverable="campaign e-mail",
        lead_time=Triangular(0.0, 0.5, 1.0),
        volume=20_000,
    )
    add_service(G, "sender", "designer", deliverable="open-rate report", blocking=False, volume=4)
    return G


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


# fmt: off
#: company(): (unit, name, employment, role, work) of each employee. Work is in days.
_STAFF: tuple[tuple[str, str, str, str, Any], ...] = (
    ("Marketing", "marketing head", "full-time", "head of marketing", PERT(0.5, 1.0, 2.0)),
    ("Marketing", "brand manager", "full-time", "brand manager", PERT(0.5, 1.0, 3.0)),
    ("Marketing", "market analyst", "full-time", "market analyst", PERT(1.0, 2.0, 4.0)),
    ("Marketing", "content writer", "part-time", "copywriter", PERT(0.5, 1.0, 2.5)),
    ("Marketing", "designer", "full-time", "graphic designer", PERT(0.5, 1.5, 3.0)),
    ("Marketing", "SEO specialist", "contractor", "search-engine optimiser", 0.5),
    ("Marketing", "campaign manager", "full-time", "campaign manager", PERT(0.5, 1.0, 2.0)),
    ("Marketing", "marketing intern", "temporary", "marketing intern", Triangular(0.5, 1.0, 2.0)),
    ("Marketing", "social media manager", "part-time", "social media", PERT(0.25, 0.5, 1.5)),
    ("Sales", "sales director", "full-time", "sales director", PERT(0.25, 0.5, 1.0)),
    ("Sales", "sales ops", "full-time", "sales operations and forecasting", PERT(0.5, 1.0, 2.0)),
    ("Sales", "key account manager", "full-time", "key account manager", PERT(0.5, 1.0, 3.0)),
    ("Sales", "sales assistant", "temporary", "order entry", Triangular(0.1, 0.25, 0.5)),
    *(("Sales", f"account manager {i}", "full-time", "account manager", PERT(0.5, 1.0, 2.0))
      for i in (1, 2, 3)),
    *(("Sales", f"sales rep {i}", kind, "field sales representative", LogNormal(0.0, 0.4))
      for i, kind in enumerate(("full-time", "full-time", "part-time", "temporary"), 1)),
    ("Production", "plant manager", "full-time", "plant manager", PERT(0.25, 0.5, 1.0)),
    ("Production", "planner", "full-time", "production planner", PERT(0.5, 1.0, 2.0)),
    ("Production", "buyer", "full-time", "purchaser of materials", PERT(1.0, 2.0, 5.0)),
    ("Production", "shift supervisor", "full-time", "shift supervisor", Triangular(0.1, 0.25, 0.5)),
    *(("Production", f"operator {i}", kind, "machine operator", Triangular(1.0, 1.5, 3.0))
      for i, kind in enumerate(["full-time"] * 7 + ["part-time"] * 2 + ["temporary"] * 3, 1)),
    ("Production", "maintenance technician", "contractor", "maintenance", LogNormal(-1.0, 0.6)),
    ("Production", "quality engineer", "full-time", "quality control", PERT(0.25, 0.5, 1.5)),
    ("Production", "warehouse clerk", "full-time", "warehouse and picking",
     Triangular(0.25, 0.5, 1.0)),
    ("Production", "logistics coordinator", "full-time", "shipping", PERT(0.5, 1.0, 2.0)),
    ("Finance", "CFO", "full-time", "chief financial officer", PERT(0.25, 0.5, 1.0)),
    ("Finance", "controller", "full-time", "controller", PERT(1.0, 2.0, 3.0)),
    ("Finance", "accountant 1", "full-time", "accounts payable", PERT(0.5, 1.0, 2.0)),
    ("Finance", "accountant 2", "part-time", "accounts receivable", PERT(0.5, 1.0, 2.0)),
    ("Finance", "credit controller", "full-time", "credit checks", Triangular(0.1, 0.25, 1.0)),
    ("Finance", "payroll clerk", "full-time", "payroll", PERT(0.5, 1.0, 1.5)),
    ("Finance", "financial analyst", "full-time", "planning and analysis", PERT(1.0, 2.0, 3.0)),
    ("Finance", "auditor", "contractor", "external auditor", PERT(2.0, 3.0, 5.0)),
    ("IT", "IT manager", "full-time", "head of IT", PERT(0.25, 0.5, 1.0)),
    ("IT", "sysadmin", "full-time", "system administrator", LogNormal(-1.0, 0.5)),
    ("IT", "developer 1", "full-time", "developer", PERT(1.0, 2.0, 5.0)),
    ("IT", "developer 2", "contractor", "developer", PERT(1.0, 2.0, 5.0)),
    ("IT", "help desk 1", "full-time", "help-desk agent", LogNormal(-2.0, 0.5)),
    ("IT", "help desk 2", "contractor", "help-desk agent", LogNormal(-2.0, 0.5)),
    ("HR", "HR manager", "full-time", "head of HR", PERT(0.25, 0.5, 1.0)),
    ("HR", "recruiter", "full-time", "recruiter", LogNormal(0.5, 0.5)),
    ("HR", "HR officer", "full-time", "HR administration", PERT(0.25, 0.5, 1.0)),
    ("HR", "trainer", "part-time", "onboarding and training", Triangular(0.5, 1.0, 2.0)),
    ("HR", "HR assistant", "part-time", "HR administration", PERT(0.25, 0.5, 1.0)),
)

#: company(): (supplier, customer, deliverable, volume per week, options) of the
#: services between people; lead times are in days.
_SERVICES: tuple[tuple[str, str, str, float, dict[str, Any]], ...] = (
    # marketing
    ("market analyst", "marketing head", "market research", 2, {}),
    ("marketing head", "campaign manager", "campaign brief", 2, {"lead_time": 0.5}),
    ("brand manager", "designer", "brand guidelines", 1, {}),
    ("designer", "campaign manager", "creatives", 5, {"satisfaction": 0.8}),
    ("content writer", "campaign manager", "copy", 5, {"satisfaction": 0.9}),
    ("marketing intern", "content writer", "drafts", 4, {"blocking": False}),
    ("social media manager", "campaign manager", "social posts", 10, {}),
    ("SEO specialist", "campaign manager", "SEO advice", 1, {"blocking": False}),
    ("campaign manager", "marketing head", "campaign results", 1, {"blocking": False}),
    # marketing supplies sales
    *(("campaign manager", f"account manager {i}", "qualified leads", 20,
       {"lead_time": Triangular(0.0, 0.5, 2.0), "sla": 1.0}) for i in (1, 2, 3)),
    ("market analyst", "sales director", "market analysis", 1, {}),
    ("sales director", "marketing head", "sales feedback", 1, {"blocking": False}),
    # sales
    ("sales director", "sales ops", "sales targets", 1, {}),
    ("sales director", "key account manager", "pricing approval", 3, {"lead_time": 0.5}),
    *((f"sales rep {i}", f"account manager {(i - 1) % 3 + 1}", "visit reports", 10, {})
      for i in (1, 2, 3, 4)),
    *((f"account manager {(i - 1) % 3 + 1}", f"sales rep {i}", "leads for visits", 10,
       {"blocking": False}) for i in (1, 2, 3, 4)),
    *((f"account manager {i}", "sales ops", f"orders (region {i})", 30, {"lead_time": 0.25})
      for i in (1, 2, 3)),
    ("sales assistant", "sales ops", "order entry", 60, {}),
    ("credit controller", "sales ops", "credit checks", 30, {"sla": 0.5, "satisfaction": 0.6}),
    # the weekly planning loop: the forecast feeds this week's plan, and the
    # production output feeds next week's forecast
    ("sales ops", "planner", "sales forecast", 1, {"lead_time": 0.5}),
    ("logistics coordinator", "sales ops", "production output", 1, {"lag": 1}),
    # production
    ("buyer", "planner", "materials availability", 2, {"lead_time": Triangular(0.5, 1.0, 3.0)}),
    ("planner", "buyer", "purchase requirements", 2, {"blocking": False}),
    ("plant manager", "shift supervisor", "staffing approval", 1, {}),
    ("planner", "shift supervisor", "production plan", 1, {}),
    ("maintenance technician", "shift supervisor", "machine maintenance", 2, {"sla": 0.5}),
    *(("shift supervisor", f"operator {i}", "shift schedule", 5, {}) for i in range(1, 13)),
    *((f"operator {i}", "quality engineer", "batches line A" if i <= 6 else "batches line B",
       40, {"lead_time": 0.1}) for i in range(1, 13)),
    ("quality engineer", "warehouse clerk", "released goods", 150, {}),
    ("warehouse clerk", "logistics coordinator", "picked orders", 150, {"lead_time": 0.25}),
    ("controller", "plant manager", "cost reports", 1, {"blocking": False}),
    # finance
    ("buyer", "accountant 1", "supplier invoices", 20, {}),
    ("accountant 1", "controller", "payables ledger", 1, {}),
    ("accountant 2", "controller", "receivables ledger", 1, {}),
    ("logistics coordinator", "accountant 2", "delivery notes", 100, {"blocking": False}),
    ("controller", "CFO", "monthly accounts", 1, {}),
    ("sales ops", "financial analyst", "sales forecast", 1, {"blocking": False}),
    ("financial analyst", "CFO", "financial forecast", 1, {}),
    ("auditor", "CFO", "audit report", 0.1, {"blocking": False}),
    # the shared services are staffed by their units
    ("payroll clerk", "HR", "payroll run", 1, {}),
    ("HR manager", "HR", "HR policy", 1, {}),
    ("HR officer", "HR", "HR administration", 30, {}),
    ("HR assistant", "HR", "HR administration", 15, {}),
    ("recruiter", "HR", "recruiting", 3, {}),
    ("trainer", "HR", "onboarding and training", 5, {}),
    ("IT manager", "IT", "IT governance", 1, {}),
    ("sysadmin", "IT", "system administration", 20, {}),
    ("developer 1", "IT", "software", 5, {}),
    ("developer 2", "IT", "software", 5, {}),
    ("help desk 1", "IT", "user support", 60, {}),
    ("help desk 2", "IT", "user support", 40, {}),
    # the paying customers and the owners
    ("logistics coordinator", "retail customers", "deliveries", 120,
     {"lead_time": Triangular(1.0, 2.0, 4.0), "sla": 3.0}),
    ("logistics coordinator", "key accounts", "deliveries", 30,
     {"lead_time": Triangular(0.5, 1.0, 2.0), "sla": 2.0}),
    ("key account manager", "key accounts", "account management", 10, {"satisfaction": 0.85}),
    ("sales rep 1", "retail customers", "customer care", 15, {"blocking": False}),
    *(("CFO", owner, "dividend report", 0.1, {"blocking": False})
      for owner in ("founder", "investor group")),
)
# fmt: on

#: Units whose work runs on the company's systems: IT support gates them.
_ON_SYSTEMS = ("Marketing", "Sales", "Finance", "IT", "HR")


def company() -> nx.DiGraph:
    """A manufacturing company of 59 people in six departments.

    Marketing (research, creatives, campaigns) supplies Sales with leads;
    Sales turns them into orders and a weekly forecast for Production,
    whose output feeds the next week's forecast (a recurring tie with
    ``lag=1``). Production plans, buys, machines, checks and ships goods to
    two kinds of paying customers, ``"retail customers"`` and
    ``"key accounts"``. Finance keeps the books and sends a non-blocking
    dividend report to the shareholders, ``"founder"`` and
    ``"investor group"``.

    Two shared-service departments serve every employee. ``"HR"`` is the
    sole supplier of ``"payroll & HR services"``; the tie gates work only
    for temporary staff, who cannot start before their onboarding, and is
    an information tie for everyone else. HR handles about 1.2 times the
    requests its two servers can take: the overloaded service of the case.
    ``"IT"`` gives ``"IT support"``, which gates the work of everyone whose
    job runs on the systems (marketing, sales, finance, IT and HR staff,
    and the planner, buyer and logistics coordinator of production) and is
    non-blocking for the shop floor. A few ties run both ways: planner and
    buyer, account managers and sales reps, marketing and sales; the way
    back does not gate work.

    Returns
    -------
    networkx.DiGraph
        59 employees (kind ``"person"`` with a ``unit``): full-time,
        part-time, temporary staff and contractors; the departments
        ``"HR"`` and ``"IT"``; two shareholders and two external customers.
        ``time_unit="day"``, volumes per ``period`` of a 5-day week.

    Examples
    --------
    >>> import intcust as ic
    >>> G = ic.datasets.company()
    >>> staff = [n for n, d in G.nodes(data=True) if d["kind"] == "person" and "unit" in d]
    >>> len(staff), all(G.has_edge("HR", n) and G.has_edge("IT", n) for n in staff)
    (59, True)
    >>> sorted({d.get("employment") for _, d in G.nodes(data=True)} - {None})
    ['contractor', 'full-time', 'part-time', 'shareholder', 'temporary']
    >>> ic.external_customers(G)
    ['retail customers', 'key accounts']
    """
    G = org_graph(name="Company", time_unit="day", period=5.0)
    add_stakeholder(
        G,
        "HR",
        kind="department",
        unit="HR",
        role="human resources",
        work=PERT(0.5, 1.0, 3.0),
        capacity=50.0,
        servers=2,
    )
    add_stakeholder(
        G,
        "IT",
        kind="department",
        unit="IT",
        role="IT services",
        work=LogNormal(-1.0, 0.5),
        capacity=120.0,
        servers=3,
    )
    on_systems = {"planner", "buyer", "logistics coordinator"}
    for unit, name, employment, role, work in _STAFF:
        add_stakeholder(G, name, unit=unit, employment=employment, role=role, work=work)
        add_service(
            G,
            "HR",
            name,
            deliverable="payroll & HR services",
            volume=2.0,
            blocking=employment == "temporary",
        )
        add_service(
            G,
            "IT",
            name,
            deliverable="IT support",
            volume=3.0,
            lead_time=LogNormal(-2.0, 0.7),
            blocking=(unit in _ON_SYSTEMS or name in on_systems) and unit not in ("IT", "HR"),
        )
    for owner in ("founder", "investor group"):
        add_stakeholder(G, owner, employment="shareholder", role="shareholder")
    add_stakeholder(G, "retail customers", kind="external", due=20.0)
    add_stakeholder(G, "key accounts", kind="external", due=18.0)
    for supplier, customer, deliverable, volume, options in _SERVICES:
        add_service(G, supplier, customer, deliverable=deliverable, volume=volume, **options)
    return G


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
