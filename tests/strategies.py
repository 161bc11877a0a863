"""Hypothesis strategies shared by the test modules: durations, organisations, hostile names."""

from __future__ import annotations

from typing import Any

import networkx as nx
from hypothesis import strategies as st

import intcust as ic
from intcust.graph.schema import EMPLOYMENT, KINDS
from intcust.sim import PERT, Empirical, Fixed, LogNormal, Triangular, Uniform

finite = st.floats(min_value=0.0, max_value=50.0, allow_nan=False, allow_infinity=False)


@st.composite
def _ordered(draw: st.DrawFn, n: int) -> list[float]:
    return sorted(draw(st.lists(finite, min_size=n, max_size=n)))


@st.composite
def distributions(draw: st.DrawFn) -> ic.sim.Duration:
    """One distribution object of every family."""
    family = draw(
        st.sampled_from(["fixed", "uniform", "triangular", "pert", "lognormal", "empirical"])
    )
    if family == "fixed":
        return Fixed(draw(finite))
    if family == "uniform":
        low, high = draw(_ordered(2))
        return Uniform(low, high)
    if family in ("triangular", "pert"):
        low, mode, high = draw(_ordered(3))
        return Triangular(low, mode, high) if family == "triangular" else PERT(low, mode, high)
    if family == "lognormal":
        return LogNormal(draw(st.floats(-2, 2)), draw(st.floats(0, 1)))
    return Empirical(draw(st.lists(finite, min_size=1, max_size=6)))


def durations() -> st.SearchStrategy[Any]:
    """A duration as the schema allows it: an int, a float or a distribution object."""
    return st.one_of(st.integers(0, 20), finite, distributions())


names = st.text(min_size=1, max_size=8).filter(lambda s: s.strip() == s and s != "")

#: Text that breaks pages which paste names into markup, scripts or mathtext.
HOSTILE = (
    "<script>alert('x')</script>",
    "</script><script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<!-- a -->",
    "]]>",
    "a & b &amp; c",
    "\"quoted\" 'single'",
    "${x}`y`",
    "\u2028line\u2029sep",
    "$x^2$ \\alpha",
    "</style><b>",
    "javascript:alert(1)",
)
#: A name made of dangerous pieces and arbitrary text.
hostile_names = (
    st.lists(st.one_of(st.sampled_from(HOSTILE), st.text(max_size=6)), min_size=1, max_size=3)
    .map("".join)
    .filter(lambda s: s.strip() != "")
)
unknown_values = st.one_of(
    st.text(max_size=6),
    st.integers(-5, 5),
    st.booleans(),
    st.floats(-10, 10, allow_nan=False, allow_infinity=False),
)


@st.composite
def organisations(
    draw: st.DrawFn,
    *,
    min_nodes: int = 1,
    max_nodes: int = 10,
    all_attributes: bool = True,
    lags: bool = False,
    services: bool = False,
) -> nx.DiGraph:
    """A random valid organisation.

    Blocking edges with lag 0 go forward in a random order (a DAG); some
    share a deliverable into the same customer (OR joins). With
    `all_attributes`, every schema attribute, unicode names and unknown
    attributes appear; with `lags`, lagged back edges close recurring loops;
    with `services`, some supplier-customer pairs carry several services (a
    ``services`` list, with attributes of the pair and of single services,
    sometimes a list of one).
    """
    nodes = draw(st.lists(names, min_size=min_nodes, max_size=max_nodes, unique=True))
    G = ic.org_graph(name=draw(names), time_unit="day") if all_attributes else ic.org_graph()
    if all_attributes and draw(st.booleans()):
        G.graph["period"] = draw(st.floats(0.5, 20))
    for node in nodes:
        kw: dict[str, Any] = {"kind": draw(st.sampled_from(KINDS)), "work": draw(durations())}
        if all_attributes:
            kw.update(
                unit=draw(st.none() | st.sampled_from(["Marketing", "IT", "HR", "Küche"])),
                employment=draw(st.none() | st.sampled_from(EMPLOYMENT)),
                role=draw(st.none() | names),
                start=draw(st.none() | finite),
                due=draw(st.none() | finite),
                capacity=draw(st.none() | st.floats(0.1, 100)),
                servers=draw(st.none() | st.integers(1, 5)),
                buffer=draw(st.none() | finite),
                attrs=draw(
                    st.dictionaries(
                        st.sampled_from(["note", "site", "x_score"]), unknown_values, max_size=2
                    )
                ),
            )
        ic.add_stakeholder(G, node, **kw)
    n = len(nodes)
    deliverables = ["report", "data", "Zugang", "parts"]
    pairs = [(i, j) for i in range(n) for j in range(n) if i != j]
    for i, j in (
        draw(st.lists(st.sampled_from(pairs), max_size=3 * n, unique=True)) if pairs else []
    ):
        u, v = nodes[i], nodes[j]
        if G.has_edge(v, u):
            continue
        forward = i < j
        kw = {
            "deliverable": draw(st.none() | st.sampled_from(deliverables)),
            "lead_time": draw(durations()),
        }
        if not forward:  # backward edges must not gate one round
            if lags:
                kw["lag"] = draw(st.integers(1, 3))
            else:
                kw["blocking"] = False
        elif all_attributes and draw(st.booleans()):
            kw["blocking"] = draw(st.booleans())
        if all_attributes:
            kw.update(
                volume=draw(st.none() | st.floats(0, 1e4)),
                sla=draw(st.none() | finite),
                satisfaction=draw(st.none() | st.floats(0, 1)),
                attrs=draw(
                    st.dictionaries(
                        st.sampled_from(["channel", "weight"]), unknown_values, max_size=2
                    )
                ),
            )
        ic.add_service(G, u, v, **kw)
        if services and kw["deliverable"] is not None:
            _more_services(draw, G, u, v, kw, [d for d in deliverables if d != kw["deliverable"]])
    return G


def _more_services(
    draw: st.DrawFn, G: nx.DiGraph, u: Any, v: Any, first: dict[str, Any], others: list[str]
) -> None:
    """Sometimes give the pair u -> v more services, or turn its one service into a list."""
    choice = draw(st.integers(0, 5))
    if choice == 0:  # a services list of one
        data = dict(G.edges[u, v])
        G.edges[u, v].clear()
        schema = {k: x for k, x in data.items() if k in ic.graph.schema.EDGE_DEFAULTS}
        G.edges[u, v]["services"] = [schema]
        G.edges[u, v].update({k: x for k, x in data.items() if k not in schema})
    elif choice == 1:
        for deliverable in draw(
            st.lists(st.sampled_from(others), min_size=1, max_size=2, unique=True)
        ):
            kw: dict[str, Any] = {
                "deliverable": deliverable,
                "lead_time": draw(durations()),
                "volume": draw(st.none() | st.floats(0, 1e4)),
            }
            for key in ("blocking", "lag"):  # a back edge must not gate one round either
                if key in first:
                    kw[key] = first[key] if key == "lag" else draw(st.booleans()) and first[key]
            ic.add_service(G, u, v, **kw)
        services = G.edges[u, v]["services"]
        if draw(st.booleans()):  # an attribute of one service, beside those of the pair
            services[-1]["channel"] = draw(unknown_values)


@st.composite
def digraphs(
    draw: st.DrawFn,
    *,
    min_nodes: int = 0,
    max_nodes: int = 12,
    groups: int = 4,
    weighted: bool = True,
) -> nx.DiGraph:
    """A random network for organisational network analysis (ONA) metrics.

    Integer nodes with a ``unit`` label out of `groups`; any directed edges,
    two-way ties included; with `weighted`, a ``volume`` in [0.1, 100] on each.
    """
    n = draw(st.integers(min_nodes, max_nodes))
    G = nx.DiGraph()
    for v in range(n):
        G.add_node(v, unit=f"u{draw(st.integers(0, max(groups - 1, 0)))}")
    pairs = [(i, j) for i in range(n) for j in range(n) if i != j]
    for u, v in draw(st.lists(st.sampled_from(pairs), unique=True)) if pairs else []:
        G.add_edge(u, v)
        if weighted:
            G[u][v]["volume"] = draw(st.floats(0.1, 100))
    return G


def shuffled_names(G: nx.DiGraph, rnd: Any) -> dict[Any, str]:
    """A relabelling of the nodes of `G` to ``p0, p1, ...``, in an order shuffled by `rnd`."""
    names = [f"p{i}" for i in range(len(G))]
    rnd.shuffle(names)
    return dict(zip(G, names, strict=True))


@st.composite
def timing_organisations(draw: st.DrawFn, *, max_nodes: int = 9) -> nx.DiGraph:
    """An organisation built to stress the timing engine at ties and OR joins.

    Durations are mostly small integers (exact ties everywhere), sometimes
    distributions; some suppliers feed two alternatives of one deliverable
    that have identical fixed work (a reconverging tie); start times, lead
    times, non-blocking ties and lagged edges appear too.
    """
    n = draw(st.integers(2, max_nodes))
    nodes = [f"n{i}" for i in range(n)]
    G = ic.org_graph()
    small = st.integers(0, 3).map(float)
    for i, node in enumerate(nodes):
        work = draw(st.one_of(small, small, distributions()))
        kind = "external" if i == n - 1 or draw(st.integers(0, 6)) == 0 else "person"
        ic.add_stakeholder(
            G, node, kind=kind, work=work, start=draw(st.none() | small), unit=f"u{i % 3}"
        )
    used: set[tuple[int, int]] = set()
    for _ in range(draw(st.integers(0, 3 * n))):
        i = draw(st.integers(0, n - 2))
        j = draw(st.integers(i + 1, n - 1))
        if (i, j) in used:
            continue
        used.add((i, j))
        ic.add_service(
            G,
            nodes[i],
            nodes[j],
            deliverable=draw(st.none() | st.sampled_from(["a", "b"])),
            lead_time=draw(st.one_of(small, small, distributions())),
            blocking=draw(st.sampled_from([True, True, True, False])),
        )
    if n >= 4 and draw(st.booleans()):  # a supplier feeding two tied alternatives
        s, a, b, c = sorted(
            draw(st.lists(st.integers(0, n - 1), min_size=4, max_size=4, unique=True))
        )
        w = draw(small)
        for x in (a, b):
            G.nodes[nodes[x]]["work"] = w
            for e in ((s, x), (x, c)):
                if e not in used:
                    used.add(e)
                    ic.add_service(
                        G, nodes[e[0]], nodes[e[1]], deliverable="alt" if e[1] == c else None
                    )
    if n >= 2 and draw(st.booleans()):  # a lagged loop back
        j = draw(st.integers(1, n - 1))
        i = draw(st.integers(0, j - 1))
        if (i, j) not in used and not G.has_edge(nodes[j], nodes[i]):
            ic.add_service(G, nodes[j], nodes[i], lag=1)
    return G


@st.composite
def supply_organisations(
    draw: st.DrawFn, *, min_nodes: int = 2, max_nodes: int = 10, lags: bool = True
) -> nx.DiGraph:
    """A random supply network ending in one to three external customers.

    Every service gates work; suppliers of the same customer often share a
    deliverable (OR joins) and otherwise need all of theirs (AND); some
    stakeholders serve several deliverables to one customer (a ``services``
    list), some sit in units, and, with `lags`, lagged back edges close
    recurring loops.
    """
    n = draw(st.integers(min_nodes, max_nodes))
    k = draw(st.integers(1, min(3, n - 1)))
    staff = [f"s{i}" for i in range(n - k)]
    customers = [f"c{i}" for i in range(k)]
    G = ic.org_graph()
    for v in staff:
        ic.add_stakeholder(G, v, unit=draw(st.none() | st.sampled_from(["A", "B", "C"])))
    for c in customers:
        ic.add_stakeholder(G, c, kind="external")
    order = staff + customers
    deliverables = st.none() | st.sampled_from(["x", "y"])
    for j, v in enumerate(order):
        if j == 0:
            continue
        pool = staff[: min(j, len(staff))]
        at_least = 1 if v in customers else 0
        suppliers = draw(
            st.lists(st.sampled_from(pool), min_size=at_least, max_size=3, unique=True)
        )
        for u in suppliers:
            volume = draw(st.integers(1, 9))
            if draw(st.integers(0, 5)) == 0:
                G.add_edge(
                    u,
                    v,
                    services=[
                        {"deliverable": "x", "volume": volume},
                        {"deliverable": "z", "volume": 1},
                    ],
                )
            else:
                ic.add_service(G, u, v, deliverable=draw(deliverables), volume=volume)
    if lags and len(staff) > 1:
        for _ in range(draw(st.integers(0, 2))):
            i, j = sorted(
                draw(
                    st.lists(
                        st.sampled_from(range(len(staff))), min_size=2, max_size=2, unique=True
                    )
                )
            )
            if not G.has_edge(staff[j], staff[i]) and not G.has_edge(staff[i], staff[j]):
                ic.add_service(G, staff[j], staff[i], deliverable=draw(deliverables), lag=1)
    return G


#: Edge lengths that make ties: whole numbers, tenths whose float sums miss
#: (0.1 + 0.2 != 0.3), and zero; or values in general position.
LENGTHS = {
    "whole": st.integers(1, 3).map(float),
    "tenths": st.integers(1, 5).map(lambda i: i / 10),
    "with_zero": st.integers(0, 2).map(float),
    "general": st.floats(0.1, 5.0),
}


@st.composite
def chain_graphs(
    draw: st.DrawFn, *, max_nodes: int = 12, lengths: str | None = None
) -> nx.DiGraph:
    """Directed graphs for shortest chains: self-loops, cycles and isolated nodes.

    Integer nodes; each edge has a ``lead_time`` drawn from one family of
    `LENGTHS` (`lengths`, or one drawn per graph) and a ``volume``.
    """
    n = draw(st.integers(1, max_nodes))
    family = LENGTHS[lengths or draw(st.sampled_from(sorted(LENGTHS)))]
    pairs = st.tuples(st.integers(0, n - 1), st.integers(0, n - 1))
    G = nx.DiGraph()
    G.add_nodes_from(range(n))
    for u, v in draw(st.lists(pairs, max_size=4 * n, unique=True)):
        G.add_edge(u, v, lead_time=draw(family), volume=draw(st.floats(0.1, 10.0)))
    return G


@st.composite
def multi_service_orgs(draw: st.DrawFn, *, max_nodes: int = 9) -> nx.DiGraph:
    """Organisations where some suppliers give one customer several services.

    Every service is non-blocking (so any cycle is allowed) with a whole
    ``lead_time``; a pair gets one to three services with distinct deliverables.
    """
    n = draw(st.integers(1, max_nodes))
    G = ic.org_graph()
    for v in range(n):
        ic.add_stakeholder(G, v)
    pairs = [(i, j) for i in range(n) for j in range(n) if i != j]
    for u, v in (
        draw(st.lists(st.sampled_from(pairs), max_size=3 * n, unique=True)) if pairs else []
    ):
        for d in range(draw(st.integers(1, 3))):
            lead = float(draw(st.integers(1, 4)))
            ic.add_service(G, u, v, deliverable=f"d{d}", lead_time=lead, blocking=False)
    return G
