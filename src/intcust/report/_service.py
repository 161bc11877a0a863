"""Report sections on internal service: the service standards, and whom to recognise.

They appear when the report is given a survey or a log (the data behind
satisfaction and measured lead times): `service_sections` returns both
sections then, and none otherwise.
"""

from __future__ import annotations

from typing import Any

import networkx as nx

from intcust.metrics.service.catalogue import service_catalogue
from intcust.metrics.service.recognition_table import recognition
from intcust.metrics.service.survey import Survey
from intcust.report._html import Section, note, table

__all__ = ["SERVICE_SECTIONS", "recognition_section", "service_sections", "standards_section"]

#: The ``id`` of each section this module adds, in page order.
SERVICE_SECTIONS = ("service-standards", "recognition")


def service_sections(
    G: nx.DiGraph,
    *,
    survey: Survey | None,
    log: nx.DiGraph | None,
    n: int,
    seed: int,
    top: int,
) -> list[Section]:
    """The service standards and recognition sections, when a survey or a log is given."""
    if survey is None and log is None:
        return []
    rated = G if survey is None else survey.apply(G)
    return [
        standards_section(rated, log=log, top=top),
        recognition_section(G, survey=survey, log=log, n=n, seed=seed, top=top),
    ]


def _pct(value: float | None) -> Any:
    return None if value is None else f"{value:.0%}"


def standards_section(G: nx.DiGraph, *, log: nx.DiGraph | None, top: int) -> Section:
    """The service catalogue: each service's standard, how often it is met, what rests on it."""
    cat = service_catalogue(G, log=log)
    unit = G.graph.get("time_unit") or "time unit"
    order = sorted(
        cat.rows,
        key=lambda r: (
            not r["single_point_of_failure"],
            r["compliance"] is None,
            r["compliance"] if r["compliance"] is not None else 0.0,
            -r["volume"],
        ),
    )
    rows = [
        [
            r["supplier"],
            r["deliverable"],
            ", ".join(map(str, r["customers"])),
            r["volume"],
            r["lead_time_p50"],
            r["lead_time_p90"],
            r["sla"],
            _pct(r["compliance"]),
            r["satisfaction"],
            r["single_point_of_failure"],
            r["measured"],
        ]
        for r in order
    ]
    body = [
        note(
            "What each department would publish as its standard operating procedure: one row "
            "per supplier and deliverable, with its lead time (P50 and P90, in "
            f"{unit}s), the agreed SLA and the share of requests that meet it, its internal "
            "customers' rating, and whether losing it alone loses a paying customer. Single "
            "points of failure first, then the services that meet their SLA least often."
        ),
        table(
            rows[:top],
            [
                "supplier",
                "deliverable",
                "customers",
                "volume",
                "P50",
                "P90",
                "SLA",
                "met",
                "satisfaction",
                "single point of failure",
                "measured",
            ],
            caption="the service catalogue (the full table: intcust catalogue ORG -o file.csv)",
            total=len(rows),
        ),
    ]
    body += [note(text) for text in cat.notes]
    return Section("service-standards", "Service standards", body)


def recognition_section(
    G: nx.DiGraph,
    *,
    survey: Survey | None,
    log: nx.DiGraph | None,
    n: int,
    seed: int,
    top: int,
) -> Section:
    """Whom to recognise, with the facts side by side and each column's source."""
    rec = recognition(G, survey=survey, log=log, n=n, seed=seed)
    teams = recognition(G, survey=survey, log=log, level="unit", n=n, seed=seed)
    columns = list(rec.columns)

    def rows(t: Any) -> list[list[Any]]:
        return [[k, *(r[c] for c in columns)] for k, r in list(t.items())[:top]]

    body = [
        note(
            "The facts a manager weighs when recognising someone, each from its own source and "
            "never blended into one score. Contribution is the share of what the paying "
            "customers receive that is owed to the stakeholder (its Shapley value)."
        ),
        table(
            rows(rec),
            ["stakeholder", *columns],
            caption="stakeholders by contribution",
            total=len(rec),
        ),
        table(
            rows(teams), ["unit", *columns], caption="team of the month: units", total=len(teams)
        ),
        table(
            [[c, rec.sources[c]] for c in columns],
            ["column", "definition and source"],
            caption="what each column means",
        ),
    ]
    hidden = rec.hidden()
    if hidden:
        body.append("<h3>Hidden contributors</h3>")
        body += [note(rec.why(name)) for name in hidden[:top]]
    else:
        body.append(note("Nobody with a large contribution works out of sight."))
    body += [note(text) for text in rec.notes]
    return Section("recognition", "Recognition", body)
