"""Report sections on the organisation itself: summary, bottlenecks and ONA tables."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import networkx as nx

from intcust.graph.schema import edge_services, external_customers
from intcust.plot.style import plurals
from intcust.report._html import Section, figure, fmt, items, note, table

if TYPE_CHECKING:
    from intcust import BottleneckReport
    from intcust.results import NodeTable

__all__ = ["bottleneck_section", "ona_section", "services", "summary_section", "unit_label"]

#: What the unit column says of a stakeholder without a unit, and of a paying customer.
NO_UNIT = "(no unit)"
CUSTOMER = "(external customer)"


def unit_label(G: nx.DiGraph, node: Hashable) -> str:
    """The unit of `node` as every table writes it: its unit, or why it has none."""
    unit = G.nodes[node].get("unit")
    if unit is not None:
        return str(unit)
    return CUSTOMER if G.nodes[node].get("kind") == "external" else NO_UNIT


def _group(G: nx.DiGraph, node: Hashable) -> str:
    """The row of the unit table `node` counts in: paying customers apart, as in `rollup`."""
    return (
        "(external customers)" if G.nodes[node].get("kind") == "external" else unit_label(G, node)
    )


def _volume(service: Mapping[str, Any]) -> float:
    volume = service.get("volume")
    return 1.0 if volume is None else float(volume)


def services(G: nx.DiGraph) -> list[tuple[Hashable, Hashable, Mapping[str, Any]]]:
    """Every service as (supplier, customer, its attributes): an edge may carry several."""
    return [(u, v, s) for u, v, d in G.edges(data=True) for s in edge_services(d)]


def summary_section(G: nx.DiGraph, *, top: int) -> Section:
    """Counts of stakeholders by kind and unit, services by deliverable, the paying customers."""
    every = services(G)
    n_blocking = sum(1 for *_, d in every if d.get("blocking", True) is not False)
    units = Counter(_group(G, v) for v in G)
    customers = external_customers(G)
    # the units of the company: a paying customer's own unit is not one of them
    company_units = {
        d.get("unit") for _, d in G.nodes(data=True) if d.get("kind") != "external"
    } - {None}
    unitless = sum(
        1 for _, d in G.nodes(data=True) if d.get("unit") is None and d.get("kind") != "external"
    )
    key = [
        ["stakeholders", G.number_of_nodes()],
        ["services (blocking)", n_blocking],
        ["services (information and feedback)", len(every) - n_blocking],
        ["units", len(company_units)],
    ]
    if unitless:
        key.append(["stakeholders without a unit", unitless])
    key += [
        ["external customers", len(customers)],
        ["time unit", G.graph.get("time_unit")],
    ]
    if G.graph.get("period") is not None:
        key.append(["period (one round)", G.graph["period"]])
    kinds = Counter(str(G.nodes[v].get("kind", "person")) for v in G)
    employment = Counter(
        str(G.nodes[v]["employment"]) for v in G if G.nodes[v].get("employment") is not None
    )
    kind_rows: list[list[Any]] = [[k, c] for k, c in kinds.most_common()]
    kind_rows += [[f"employment: {k}", c] for k, c in employment.most_common()]

    supplied: dict[str, float] = defaultdict(float)
    received: dict[str, float] = defaultdict(float)
    inside: dict[str, float] = defaultdict(float)
    for u, v, d in every:
        uu, vu = _group(G, u), _group(G, v)
        if uu == vu:
            inside[uu] += _volume(d)
        else:
            supplied[uu] += _volume(d)
            received[vu] += _volume(d)
    unit_rows = [
        [u, c, inside[u], supplied[u], received[u]]
        for u, c in sorted(units.items(), key=lambda t: (-t[1], t[0]))
    ]

    deliverables: dict[str, list[tuple[Hashable, Hashable, float]]] = defaultdict(list)
    unnamed = 0
    for u, v, d in every:
        if d.get("deliverable") is None:
            unnamed += 1
        else:
            deliverables[str(d["deliverable"])].append((u, v, _volume(d)))
    order = sorted(
        deliverables,
        key=lambda d: (-len(deliverables[d]), -sum(x for *_, x in deliverables[d]), d),
    )
    deliv_rows = [
        [
            name,
            len(es),
            len({u for u, _, _ in es}),
            len({v for _, v, _ in es}),
            sum(x for *_, x in es),
        ]
        for name, es in ((d, deliverables[d]) for d in order)
    ]
    body = [
        '<div class="grid"><div>',
        table(key, ["organisation", "count"]),
        table(kind_rows, ["kind", "stakeholders"], caption="stakeholders by kind"),
        "</div><div>",
        table(
            unit_rows,
            ["unit", "members", "volume inside", "volume to other units", "volume from others"],
            caption="stakeholders and service volume by unit",
        ),
        "</div></div>",
    ]
    if deliv_rows:
        caption = "services by deliverable (several suppliers of one deliverable are alternatives)"
        if unnamed:
            caption += (
                "; 1 service names no deliverable"
                if unnamed == 1
                else f"; {unnamed} services name no deliverable"
            )
        body.append(
            table(
                deliv_rows[:top],
                ["deliverable", "services", "suppliers", "customers", "volume"],
                caption=caption,
                total=len(deliv_rows),
            )
        )
    else:
        body.append(note("No service names its deliverable: every input is needed (pure AND)."))
    if customers:
        rows = [
            [
                c,
                unit_label(G, c),
                G.nodes[c].get("due"),
                G.in_degree(c),
                sum(_volume(d) for _, v, d in every if v == c),
            ]
            for c in customers
        ]
        body.append(
            table(
                rows,
                ["external customer", "unit", "due", "suppliers", "volume received"],
                caption="the paying customers",
            )
        )
    return Section("summary", "Organisation summary", body)


def bottleneck_section(G: nx.DiGraph, report: BottleneckReport, *, top: int) -> Section:
    """The `top` ranked bottlenecks of `report`, each with its reasons in plain words."""
    if not report.rows:
        return Section("bottlenecks", "Bottlenecks", [note("No bottleneck found.", empty=True)])
    rows = [
        [i, r.node, unit_label(G, r.node), r.score, items(plurals(x) for x in r.reasons)]
        for i, r in enumerate(report.rows[:top], 1)
    ]
    body = [
        note(
            "Where the organisation will break, highest score first. The score adds one "
            "weight per reason (single point of failure, overload, sole supplier, bus "
            "factor, key player, critical path), so several moderate problems can "
            "outrank one."
        ),
        table(rows, ["rank", "stakeholder", "unit", "score", "reasons"], total=len(report.rows)),
    ]
    return Section("bottlenecks", "Bottlenecks", body)


def _top_rows(
    columns: dict[Hashable, dict[str, Any]], order: Sequence[Hashable], fields: Sequence[str]
) -> list[list[Any]]:
    return [[n, *(columns[n][f] for f in fields)] for n in order]


def ona_section(G: nx.DiGraph, summary: NodeTable, *, top: int) -> Section:
    """Organisational network analysis: load, brokerage, structural holes, E-I, Krackhardt.

    `summary` is `intcust.metrics.summary` of `G`.
    """
    from intcust import metrics
    from intcust.plot import plot_unit_matrix

    body: list[str] = []
    order = [n for n, _ in summary.column("dependence").top(top)]
    fields = {
        "customers": "customers",
        "volume_supplied": "volume supplied",
        "suppliers": "suppliers",
        "volume_received": "volume received",
        "dependence": "dependence",
        "betweenness": "betweenness",
        "role": "role",
    }
    fields = {f: label for f, label in fields.items() if f in summary.columns}
    rows = [[n, unit_label(G, n), *(summary[n][f] for f in fields)] for n in order]
    body += [
        "<h3>Service load and centrality</h3>",
        note(
            "Dependence is PageRank against the supplier → customer direction (how much of "
            "the organisation leans on a stakeholder); betweenness is the share of shortest "
            "supply paths that pass through it."
        ),
        table(
            rows,
            ["stakeholder", "unit", *fields.values()],
            caption=f"top {len(rows)} by dependence; {summary.description}",
            total=len(summary),
        ),
    ]

    brokers = metrics.brokerage(G, missing="own")
    roles = ["coordinator", "itinerant", "representative", "gatekeeper", "liaison", "total"]
    order = [n for n, v in brokers.column("total").top(top) if v > 0]
    body.append("<h3>Brokerage (Gould–Fernandez)</h3>")
    if order:
        rows = [
            [n, unit_label(G, n), *(brokers[n][r] for r in roles), brokers[n]["z_total"]]
            for n in order
        ]
        body.append(
            table(
                rows,
                ["stakeholder", "unit", *roles, "z total"],
                caption="two-paths each stakeholder brokers, by the units involved",
                total=sum(1 for v in brokers.column("total").values() if v > 0),
            )
        )
    else:
        body.append(
            note("Nobody brokers: no supplier → broker → customer path lacks a direct tie.")
        )

    holes = metrics.structural_holes(G)
    order = [n for n, _ in holes.column("effective_size").top(top)]
    cols = list(holes.columns)
    body += [
        "<h3>Structural holes (Burt)</h3>",
        table(
            _top_rows(dict(holes), order, cols),
            ["stakeholder", *cols],
            caption="largest effective size first; low constraint means open, "
            "non-redundant contacts",
            total=len(holes),
        ),
    ]

    ei = metrics.ei_index(G, missing="own")
    rec = metrics.unit_reciprocity(G, missing="own")
    units = sorted(ei.units, key=lambda u: (-ei.units[u]["ei_index"], str(u)))
    rows = [
        [u, ei.units[u]["internal"], ei.units[u]["external"], ei.units[u]["ei_index"]]
        for u in units
    ]
    body += [
        "<h3>Units: E-I index and service volumes</h3>",
        table(
            rows,
            ["unit", "internal", "external", "E-I"],
            caption=f"E-I index per unit (−1 inward, +1 outward); overall {fmt(ei.overall)}",
        ),
        figure(
            lambda ax: plot_unit_matrix(G, ei=ei, reciprocity=rec, ax=ax),
            size=(10.0, 8.0),
            alt="unit by unit service volume matrix",
            caption="Volume each unit (row) supplies each unit (column), with E-I and "
            "reciprocity.",
        ),
    ]

    dims = metrics.krackhardt_dimensions(G)
    meaning = {
        "connectedness": "share of pairs joined by some path, ignoring direction",
        "hierarchy": "share of reachable pairs reachable one way only",
        "efficiency": "1 − share of ties beyond a spanning tree",
        "lubness": "share of pairs with a least upper bound (a common boss)",
    }
    rows = [[k, v, meaning.get(k, "")] for k, v in dims.to_dict().items()]
    body += [
        "<h3>Krackhardt's dimensions of hierarchy</h3>",
        table(
            rows,
            ["dimension", "value", "meaning"],
            caption="each between 0 and 1; a pure chain of command (an out-tree) scores 1 "
            "on all four",
        ),
    ]
    return Section("ona", "Network analysis (ONA)", body)
