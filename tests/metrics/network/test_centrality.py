"""Service centrality: service_load, dependence/reliance, external_reach (betweenness: test_brandes)."""

from __future__ import annotations

import csv
import json
import math
import random
from pathlib import Path

import networkx as nx
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import intcust as ic
from intcust.errors import ParameterError
from intcust.graph.schema import edge_services, is_blocking
from strategies import organisations

M = ic.metrics
TOL = 1e-9

#: Real networks and their edge-weight column (None: unweighted).
REAL = [
    ("krackhardt_advice", None),
    ("lazega_advice", None),
    ("ukfaculty", "weight"),
    ("radoslaw_email", "weight"),
]


def read_orgnet(folder: Path, name: str) -> nx.DiGraph:
    """A network of ``shared/data/orgnets`` with every node, numeric columns as numbers."""
    G = nx.DiGraph()
    nodes = folder / f"{name}.nodes.csv"
    if nodes.exists():
        with nodes.open(newline="") as f:
            for row in csv.DictReader(f):
                G.add_node(int(row.pop("id")), **row)
    with (folder / f"{name}.edges.csv").open(newline="") as f:
        for row in csv.DictReader(f):
            u, v = int(row.pop("source")), int(row.pop("target"))
            G.add_edge(u, v, **{k: float(x) for k, x in row.items()})
    return G


def without_loops(G: nx.DiGraph) -> nx.DiGraph:
    """`G` without its self-loops: a node serving itself is no tie for any metric."""
    H = G.copy()
    H.remove_edges_from(list(nx.selfloop_edges(H)))
    return H


def close(ours: dict, theirs: dict, tol: float = TOL) -> bool:
    return set(ours) == set(theirs) and all(abs(ours[n] - theirs[n]) <= tol for n in theirs)


@st.composite
def digraphs(draw: st.DrawFn, *, max_nodes: int = 14) -> nx.DiGraph:
    """Random directed graphs with self-loops, cycles and isolated nodes."""
    n = draw(st.integers(1, max_nodes))
    pairs = st.tuples(st.integers(0, n - 1), st.integers(0, n - 1))
    edges = draw(st.lists(pairs, max_size=4 * n, unique=True))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    G = nx.DiGraph()
    G.add_nodes_from(range(n))
    for u, v in edges:
        # positive weights in general position, and integer ones with ties
        length = float(rng.integers(1, 4)) if seed % 2 else float(rng.uniform(0.1, 5.0))
        G.add_edge(u, v, volume=float(rng.uniform(0.0, 10.0)), lead_time=length)
    return G


# ---------------------------------------------------------------- oracles


@pytest.mark.oracle
@pytest.mark.parametrize(("name", "weight"), REAL)
def test_real_networks_equal_networkx(shared_data: Path, name: str, weight: str | None) -> None:
    G = read_orgnet(shared_data / "orgnets", name)
    H = without_loops(G)
    for w in {None, weight}:
        assert close(M.reliance(G, weight=w), nx.pagerank(H, weight=w))
        assert close(M.dependence(G, weight=w), nx.pagerank(H.reverse(), weight=w))
        load = M.service_load(G, weight=w)
        assert close(load.column("volume_supplied"), dict(H.out_degree(weight=w)))
        assert close(load.column("volume_received"), dict(H.in_degree(weight=w)))
        assert close(load.column("customers"), dict(H.out_degree()))


@given(digraphs())
def test_pagerank_both_ways_equal_networkx(G: nx.DiGraph) -> None:
    H = without_loops(G)
    for w in ("volume", None):
        assert close(M.reliance(G, weight=w), nx.pagerank(H, weight=w))
        assert close(M.dependence(G, weight=w), nx.pagerank(H.reverse(), weight=w))
    assert close(M.reliance(G, alpha=0.5), nx.pagerank(H, alpha=0.5, weight="volume"))


# ----------------------------------------------------------- external reach


def _reach_oracle(G: nx.DiGraph, ties: str) -> dict:
    H = nx.DiGraph()
    H.add_nodes_from(G)
    H.add_edges_from(
        (u, v, d)
        for u, v, d in G.edges(data=True)
        if ties == "all" or is_blocking(d, with_lag=True)
    )
    customers = ic.external_customers(G)
    # a pair is one tie: its services' volumes summed, its shortest lead time
    demand = {
        c: sum(
            s.get("volume", 1.0) or 1.0
            for _, _, d in H.in_edges(c, data=True)
            for s in edge_services(d)
        )
        for c in customers
    }
    lead = {
        (u, v): min(
            ic.sim.as_duration(s.get("lead_time", 0.0) or 0.0).mode for s in edge_services(d)
        )
        for u, v, d in H.edges(data=True)
    }
    R = H.reverse()
    nx.set_edge_attributes(R, {(v, u): t for (u, v), t in lead.items()}, "lt")
    hops, time = {}, {}
    if customers:
        hops = nx.multi_source_dijkstra_path_length(R, customers, weight=lambda u, v, d: 1)
        time = nx.multi_source_dijkstra_path_length(R, customers, weight="lt")
    out = {}
    for v in G:
        reached = [c for c in customers if c == v or v in nx.ancestors(H, c)]
        out[v] = {
            "dependent_customers": len(reached),
            "dependent_volume": sum(demand[c] for c in reached),
            "hops_to_customer": hops.get(v),
            "lead_time_to_customer": time.get(v),
        }
    return out


def _same_reach(ours: ic.NodeTable, expected: dict) -> None:
    assert set(ours) == set(expected)
    for v, row in expected.items():
        got = ours[v]
        assert got["dependent_customers"] == row["dependent_customers"], v
        assert math.isclose(got["dependent_volume"], row["dependent_volume"], rel_tol=1e-12)
        assert got["hops_to_customer"] == row["hops_to_customer"], v
        if row["lead_time_to_customer"] is None:
            assert got["lead_time_to_customer"] is None
        else:
            assert math.isclose(
                got["lead_time_to_customer"], row["lead_time_to_customer"], abs_tol=1e-9
            )


@pytest.mark.parametrize("ties", ["blocking", "all"])
def test_external_reach_on_company_equals_networkx(ties: str) -> None:
    G = ic.datasets.company()
    _same_reach(M.external_reach(G, ties=ties), _reach_oracle(G, ties))


@given(
    organisations(max_nodes=9, all_attributes=False, lags=True),
    st.sampled_from(["blocking", "all"]),
)
def test_external_reach_equals_networkx(G: nx.DiGraph, ties: str) -> None:
    _same_reach(M.external_reach(G, ties=ties), _reach_oracle(G, ties))


def test_external_reach_is_json_safe_and_nan_free() -> None:
    G = ic.datasets.company()
    G.add_node("hermit")
    table = M.external_reach(G)
    assert table["hermit"] == {
        "dependent_customers": 0,
        "dependent_volume": 0.0,
        "hops_to_customer": None,
        "lead_time_to_customer": None,
    }
    json.dumps(table.to_dict(), allow_nan=False)


def test_external_reach_many_customers_in_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    import intcust.metrics.network.reach as reach

    G = ic.datasets.generate_org(300, n_customers=70, seed=2)
    whole = M.external_reach(G)
    monkeypatch.setattr(reach, "_CHUNK", 64)
    assert _equal(M.external_reach(G).to_dict(), whole.to_dict())


# ------------------------------------------------------------- properties

METRICS = {
    "service_load": lambda G, **kw: M.service_load(G, **kw).to_dict(),
    "dependence": lambda G, **kw: dict(M.dependence(G, **kw)),
    "reliance": lambda G, **kw: dict(M.reliance(G, **kw)),
    "betweenness": lambda G, **kw: dict(M.betweenness(G, **kw)),
    "external_reach": lambda G, **kw: M.external_reach(G, **kw).to_dict(),
}


def _equal(a: object, b: object) -> bool:
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_equal(a[k], b[k]) for k in a)
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)
    return a == b


@given(organisations(max_nodes=9), st.randoms(use_true_random=False))
def test_invariant_under_relabelling(G: nx.DiGraph, rnd: random.Random) -> None:
    nodes = list(G)
    shuffled = nodes[:]
    rnd.shuffle(shuffled)
    names = {old: f"n{i}" for i, old in enumerate(shuffled)}
    H = nx.DiGraph()
    H.graph.update(G.graph)
    H.add_nodes_from((names[n], G.nodes[n]) for n in shuffled)  # another node order too
    H.add_edges_from((names[u], names[v], d) for u, v, d in G.edges(data=True))
    for name, metric in METRICS.items():
        ours, theirs = metric(G), metric(H)
        back = {n: theirs[names[n]] for n in nodes}
        assert _equal(ours, back), name


@given(organisations(max_nodes=9))
def test_unit_level_equals_rollup(G: nx.DiGraph) -> None:
    R = ic.rollup(G)
    for name, metric in METRICS.items():
        assert _equal(metric(G, level="unit"), metric(R)), name


def test_unit_level_on_company() -> None:
    G = ic.datasets.company()
    R = ic.rollup(G)
    for name, metric in METRICS.items():
        assert _equal(metric(G, level="unit"), metric(R)), name
    # units that serve customers through blocking services reach them
    reach = M.external_reach(G, level="unit")
    assert reach["Production"]["dependent_customers"] >= 1


def test_compiled_organisation_gives_the_same_results() -> None:
    G = ic.datasets.company()
    C = ic.compile(G)
    for name, metric in METRICS.items():
        assert _equal(metric(G), metric(C)), name
    assert _equal(
        dict(M.betweenness(G, weight="lead_time")), dict(M.betweenness(C, weight="lead_time"))
    )


# -------------------------------------------------------------- bad input


def test_negative_weight_is_refused_naming_the_edge() -> None:
    G = ic.datasets.email_campaign()
    G.edges["designer", "sender"]["volume"] = -3
    for metric in (M.service_load, M.dependence, M.reliance, M.external_reach):
        with pytest.raises(ParameterError, match=r"volume of edge \('designer', 'sender'\).*-3"):
            metric(G)
    G.edges["designer", "sender"]["volume"] = 1
    G.edges["sender", "campaign"]["lead_time"] = float("nan")
    with pytest.raises(ParameterError, match="lead_time"):
        M.external_reach(G)


def test_empty_organisation_gives_empty_results() -> None:
    G = ic.org_graph()
    for metric in METRICS.values():
        assert metric(G) == {}
    assert M.betweenness(G).stderr == {}


def test_bad_arguments_are_refused() -> None:
    G = ic.datasets.email_campaign()
    with pytest.raises(ParameterError, match="'level' parameter of dependence"):
        M.dependence(G, level="team")
    with pytest.raises(ParameterError, match="'alpha' parameter of reliance"):
        M.reliance(G, alpha=1.0)
    with pytest.raises(ParameterError, match="max_iter"):
        M.reliance(G, max_iter=1)
    with pytest.raises(ParameterError, match="'ties' parameter of external_reach"):
        M.external_reach(G, ties="some")
    with pytest.raises(ParameterError, match="'G' parameter of service_load"):
        M.service_load(nx.Graph())


def test_directions_for_a_manager() -> None:
    # a supplier of a heavily served node carries work; the end of a chain relies on others
    G = nx.DiGraph([("supplier", "hub"), ("a", "hub"), ("hub", "x"), ("hub", "y")])
    dep, rel = M.dependence(G, weight=None), M.reliance(G, weight=None)
    assert dep["hub"] > dep["x"] and dep["supplier"] > dep["x"]
    assert rel["x"] > rel["supplier"]
    assert M.betweenness(G).top(1)[0][0] == "hub"
    assert dict(M.service_load(G)["hub"]) == {
        "customers": 2,
        "volume_supplied": 2.0,
        "suppliers": 2,
        "volume_received": 2.0,
    }


def with_benefits_administrator() -> nx.DiGraph:
    """The company and an HR benefits administrator informing all 59 staff: no one waits."""
    G = ic.datasets.company()
    ic.add_stakeholder(G, "benefits administrator", unit="HR")
    staff = [n for n, d in G.nodes(data=True) if d.get("employment")]
    for person in staff:
        ic.add_service(
            G, "benefits administrator", person, deliverable="benefits", volume=5, blocking=False
        )
    return G


def test_information_ties_carry_no_dependence() -> None:
    G = with_benefits_administrator()
    dep = M.dependence(G)
    assert dep.top(1)[0][0] == "IT"
    assert dep["benefits administrator"] < dep["IT"] / 10
    # read as communication, every tie counts and the administrator leads
    assert M.dependence(G, ties="all").top(1)[0][0] == "benefits administrator"
    supply = nx.DiGraph()
    supply.add_nodes_from(G)
    supply.add_edges_from(
        (u, v, d) for u, v, d in G.edges(data=True) if d.get("blocking") is not False
    )
    assert close(dep, nx.pagerank(supply.reverse(), weight="volume"))


def test_metrics_command_is_not_headed_by_an_information_tie(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from intcust.cli import main

    path = tmp_path / "company.json"
    ic.write_json(with_benefits_administrator(), path)
    assert main(["metrics", str(path), "--json", "--top", "1"]) == 0
    assert list(json.loads(capsys.readouterr().out)) == ["IT"]
