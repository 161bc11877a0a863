"""Report sections on delivery timing: critical path, sensitivity and Monte Carlo risk."""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

import networkx as nx

from intcust.report._html import Section, esc, figure, fmt, note, table
from intcust.report._organisation import unit_label
from intcust.sim import MonteCarloResult, Schedule

__all__ = ["NO_CUSTOMER", "critical_path_section", "risk_section", "sensitivity_section"]

#: Why the timing sections are empty for an organisation without paying customers.
NO_CUSTOMER = (
    "This organisation has no external customer (no stakeholder of kind 'external'), "
    "so there is no delivery to time. Mark the paying customers with kind='external' "
    "to get the {what}."
)


def _time(G: nx.DiGraph) -> str:
    unit = G.graph.get("time_unit")
    return f" ({unit}s)" if unit else ""


def critical_path_section(
    G: nx.DiGraph, sch: Schedule | None, customers: list[Hashable]
) -> Section:
    """The schedule: finish and float of each customer, the critical path, the Gantt chart."""
    title = "Critical path"
    if sch is None:
        return Section(
            "critical-path", title, [note(NO_CUSTOMER.format(what="critical path"), empty=True)]
        )
    from intcust.plot import plot_schedule

    path = sch.critical_path()
    rows = [
        [c, sch.finish[c], G.nodes[c].get("due"), sch.total_float[c], len(sch.critical_path(c))]
        for c in customers
    ]
    body = [
        note(
            f"Planned makespan {fmt(sch.makespan)}{_time(G)}, from the most likely duration of "
            "every task and hand-off. The critical path is the chain of stakeholders whose "
            "delay moves the last customer's delivery one for one."
        ),
        table(
            rows,
            ["external customer", "finish", "due", "float", "stakeholders on its path"],
            caption="delivery to each paying customer (negative float: the due date is missed)",
        ),
        "<h3>Critical path to the last customer</h3>",
        table(
            [[i, n, unit_label(G, n), sch.start[n], sch.finish[n]] for i, n in enumerate(path, 1)],
            ["step", "stakeholder", "unit", "begins", "finishes"],
        ),
    ]
    if sch.late:
        late = ", ".join(f"{n} by {fmt(v)}" for n, v in sch.late.items())
        body.append(f'<p class="bad">Late against a due date: {esc(late)}</p>')
    for text in sch.notes:
        body.append(note(text))
    rows_shown = min(40, G.number_of_nodes())
    body.append(
        figure(
            lambda ax: plot_schedule(sch, G=G, ax=ax, max_rows=40),
            size=(11.5, 1.6 + 0.27 * rows_shown),
            alt="Gantt chart of the schedule",
            caption="Each bar runs from when a stakeholder begins to when it finishes; red bars "
            "are critical, light extensions are the float.",
        )
    )
    return Section("critical-path", title, body)


def sensitivity_section(G: nx.DiGraph, *, has_customers: bool, top: int) -> Section:
    """Which one-day slip moves the customers most: a table and a tornado chart."""
    title = "Sensitivity"
    if not has_customers:
        return Section(
            "sensitivity", title, [note(NO_CUSTOMER.format(what="delay sensitivity"), empty=True)]
        )
    from intcust.plot import plot_sensitivity
    from intcust.sim import sensitivity

    sens = sensitivity(G, amount=1.0)
    moving = [(n, v) for n, v in sens.column("makespan").top(len(sens)) if v > 0]
    unit = G.graph.get("time_unit") or "time unit"
    body = [
        note(
            f"How far the deliveries move when one stakeholder alone is 1 {unit} late, "
            "and how much delay each absorbs before any customer moves."
        )
    ]
    if not moving:
        body.append(note("No single slip moves any delivery.", empty=True))
        return Section("sensitivity", title, body)
    cols = [c for c in sens.columns if c not in ("makespan", "absorbable")]
    rows = [
        [n, unit_label(G, n), v, sens[n]["absorbable"], *(sens[n][c] for c in cols)]
        for n, v in moving[:top]
    ]
    body += [
        table(
            rows,
            ["stakeholder", "unit", "makespan moves", "absorbable", *(f"moves {c}" for c in cols)],
            caption="stakeholders whose slip moves the makespan, largest first",
            total=len(moving),
        ),
        figure(
            lambda ax: plot_sensitivity(sens, top=15, ax=ax),
            size=(9.0, 1.4 + 0.32 * min(15, len(moving))),
            alt="tornado chart of delay sensitivity",
            caption="Right: how far the makespan moves; left: the delay absorbed first.",
        ),
    ]
    return Section("sensitivity", title, body)


def risk_section(G: nx.DiGraph, mc: MonteCarloResult | None, *, top: int) -> Section:
    """Monte Carlo delivery risk: quantiles, P(on time), criticality and who stalls most."""
    title = "Delivery risk (Monte Carlo)"
    if mc is None:
        return Section("risk", title, [note(NO_CUSTOMER.format(what="delivery risk"), empty=True)])
    from intcust.plot import plot_criticality, plot_risk

    labels = list(mc.makespan_quantiles)
    on_time = mc.p_on_time
    rows: list[list[Any]] = [
        ["makespan", mc.mean_makespan, *mc.makespan_quantiles.values(), mc.deadline, mc.p_deadline]
    ]
    for c, qs in mc.finish_quantiles.items():
        rows.append([c, float(mc.samples(c).mean()), *qs.values(), mc.due.get(c), on_time.get(c)])
    stall = mc.stallers(top)
    crit = mc.criticality
    body = [
        note(
            f"{mc.n:,} scenarios drawn from every duration's distribution (seed {mc.seed}); "
            f"finish times{_time(G)}."
        ),
        table(
            rows,
            ["finish", "mean", *labels, "due", "P(on time)"],
            caption="finish-time quantiles and the chance of meeting each due date",
        ),
        '<div class="grid"><div>',
        figure(
            lambda ax: plot_risk(mc, ax=ax),
            size=(7.5, 4.5),
            alt="finish-time distributions per customer",
            caption="Share of scenarios in which each customer is served by time t; "
            "dashed lines are the due dates.",
        ),
        "</div><div>",
        figure(
            lambda ax: plot_criticality(mc, top=12, ax=ax),
            size=(7.5, 6.0),
            alt="criticality and cruciality per stakeholder",
            caption="Criticality: share of scenarios on a critical path; cruciality: "
            "correlation of the stakeholder's work with the makespan.",
        ),
        "</div></div>",
        "<h3>Who stalls the team most</h3>",
    ]
    if stall:
        body.append(
            table(
                [[n, unit_label(G, n), v, crit[n], mc.cruciality[n]] for n, v in stall],
                ["stakeholder", "unit", "stall share", "criticality", "cruciality"],
                caption="expected share of the makespan spent waiting on this stakeholder's work",
            )
        )
    else:
        body.append(note("Nobody with work of their own is ever critical."))
    return Section("risk", title, body)
