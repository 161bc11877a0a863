"""A company of about 60 people in six units, from its staff and service tables."""

from __future__ import annotations

from typing import Any

import networkx as nx

from intcust.graph.builders import add_service, add_stakeholder, org_graph
from intcust.graph.durations import PERT, LogNormal, Triangular

__all__ = ["company"]


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
