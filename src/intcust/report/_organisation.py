"""Report sections on the organisation itself: summary, bottlenecks, ONA tables, network."""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from collections.abc import Hashable, Sequence
from typing import Any

import networkx as nx

from intcust.graph.schema import external_customers
from intcust.report._html import Section, figure, fmt, items, note, table

__all__ = ["bottleneck_section", "network_section", "ona_section", "summary_section"]

_NO_UNIT = "(no unit)"


def _unit(G: nx.DiGraph, node: Hashable) -> str:
    unit = G.nodes[node].get("unit")
    return _NO_UNIT if unit is None else str(unit)


def _volume(data: dict[str, Any]) -> float:
    return float(data.get("volume", 1.0))


def summary_section(G: nx.DiGraph, *, top: int) -> Section:
    """Counts of stakeholders by kind and unit, services by deliverable, the paying customers."""
    n_blocking = sum(1 for *_, d in G.edges(data=True) if d.get("blocking", True))
    units = Counter(_unit(G, v) for v in G)
    customers = external_customers(G)
    key = [
        ["stakeholders", G.number_of_nodes()],
        ["services (blocking)", n_blocking],
        ["services (information and feedback)", G.number_of_edges() - n_blocking],
        ["units", len(units)],
        ["external customers", len(customers)],
        ["time unit", G.graph.get("time_unit", "–")],
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
    for u, v, d in G.edges(data=True):
        uu, vu = _unit(G, u), _unit(G, v)
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
    for u, v, d in G.edges(data=True):
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
            caption += f"; {unnamed} service(s) name no deliverable"
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
                _unit(G, c),
                G.nodes[c].get("due"),
                G.in_degree(c),
                sum(_volume(d) for *_, d in G.in_edges(c, data=True)),
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


def bottleneck_section(G: nx.DiGraph, *, top: int) -> Section:
    """The ranked bottlenecks, each with its reasons in plain words."""
    from intcust.bottleneck_report import bottlenecks

    report = bottlenecks(G, top=top)
    if not report.rows:
        return Section("bottlenecks", "Bottlenecks", [note("No bottleneck found.", empty=True)])
    rows = [
        [i, r.node, _unit(G, r.node), r.score, items(r.reasons)]
        for i, r in enumerate(report.rows, 1)
    ]
    body = [
        note(
            "Where the organisation will break, highest score first. The score adds one "
            "weight per reason (single point of failure, overload, sole supplier, bus "
            "factor, key player, critical path), so several moderate problems can "
            "outrank one."
        ),
        table(rows, ["rank", "stakeholder", "unit", "score", "reasons"]),
    ]
    return Section("bottlenecks", "Bottlenecks", body)


def _top_rows(
    columns: dict[Hashable, dict[str, Any]], order: Sequence[Hashable], fields: Sequence[str]
) -> list[list[Any]]:
    return [[n, *(columns[n][f] for f in fields)] for n in order]


def ona_section(G: nx.DiGraph, *, top: int) -> Section:
    """Organisational network analysis: load, brokerage, structural holes, E-I, Krackhardt."""
    from intcust import metrics
    from intcust.plot import plot_unit_matrix

    body: list[str] = []
    summary = metrics.summary(G)
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
    rows = [[n, _unit(G, n), *(summary[n][f] for f in fields)] for n in order]
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
            [n, _unit(G, n), *(brokers[n][r] for r in roles), brokers[n]["z_total"]] for n in order
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
        table(rows, ["dimension", "value", "meaning"], caption="1 everywhere: a pure out-tree"),
    ]
    return Section("ona", "Network analysis (ONA)", body)


def network_section(G: nx.DiGraph, path: Sequence[Hashable]) -> Section:
    """The supplier → customer network, sized by service load, the critical path highlighted."""
    from intcust.metrics import service_load
    from intcust.plot import draw_org

    scores = service_load(G).column("volume_supplied")
    edges = [(u, v) for u, v in itertools.pairwise(path) if G.has_edge(u, v)]
    body = []
    if path:
        body.append(note("Critical path in red: " + " → ".join(str(n) for n in path) + "."))
    height = 7.5 if G.number_of_nodes() > 20 else 5.5
    body.append(
        figure(
            lambda ax: draw_org(
                G, scores=scores, highlight_nodes=path, highlight_edges=edges, ax=ax
            ),
            size=(11.5, height),
            alt="supplier to customer network",
            caption="Each arrow is a service (supplier → customer); node size is the volume "
            "supplied; dashed arrows are information or feedback ties.",
        )
    )
    return Section("network", "Network", body)
