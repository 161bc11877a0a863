"""contribution: the Shapley value of the game "value of the customers still served"."""

from __future__ import annotations

import itertools
import json
import math
from collections.abc import Hashable

import networkx as nx
import pytest
from hypothesis import given
from hypothesis import strategies as st

import intcust as ic
from _served import served
from intcust.errors import ParameterError, UnknownNodeError
from intcust.graph.schema import edge_services
from intcust.metrics import contribution
from strategies import organisations, supply_organisations

# ---- the definition, by brute force ---------------------------------------------------


def _customers(G: nx.DiGraph) -> list[Hashable]:
    ext = [v for v, k in G.nodes(data="kind") if k == "external"]
    if ext:
        return ext
    return [
        v
        for v in G
        if not any(
            s.get("blocking", True) is not False
            for _, _, d in G.out_edges(v, data=True)
            for s in edge_services(d)
        )
    ]


def _worth(G: nx.DiGraph, c: Hashable) -> float:
    total = 0.0
    for _, _, d in G.in_edges(c, data=True):
        for s in edge_services(d):
            if s.get("blocking", True) is not False:
                total += 1.0 if s.get("volume") is None else float(s["volume"])
    return total


def shapley_by_definition(
    G: nx.DiGraph, customers: list[Hashable], groups: dict[Hashable, Hashable]
) -> dict[Hashable, float]:
    """φ_i = Σ_S |S|!(n-|S|-1)!/n! (v(S ∪ i) - v(S)) over every coalition of players."""
    players = list(dict.fromkeys(groups[v] for v in G if v not in customers))
    members = {p: {v for v in G if v not in customers and groups[v] == p} for p in players}
    worth = {c: _worth(G, c) for c in customers}
    n = len(players)

    def v(coalition: frozenset[Hashable]) -> float:
        absent = set().union(*(members[p] for p in players if p not in coalition))
        still = served(G, absent)
        return sum(worth[c] for c in customers if c in still)

    cache: dict[frozenset[Hashable], float] = {}
    phi = dict.fromkeys(players, 0.0)
    for i in players:
        others = [p for p in players if p != i]
        for size in range(n):
            w = math.factorial(size) * math.factorial(n - size - 1) / math.factorial(n)
            for S in itertools.combinations(others, size):
                s = frozenset(S)
                with_i = s | {i}
                for key in (s, with_i):
                    if key not in cache:
                        cache[key] = v(key)
                phi[i] += w * (cache[with_i] - cache[s])
    return phi


def _unit(G: nx.DiGraph, v: Hashable) -> Hashable:
    unit = G.nodes[v].get("unit")
    return v if unit is None or G.nodes[v].get("kind") == "external" else unit


@given(st.one_of(supply_organisations(max_nodes=10), organisations(max_nodes=10, lags=True)))
def test_exact_equals_the_definition(G):
    customers = _customers(G)
    got = contribution(G)
    expected = shapley_by_definition(G, customers, {v: v for v in G})
    assert set(got.total) == set(expected)
    scale = max(1.0, got.served)
    for v, x in expected.items():
        assert got.total[v] == pytest.approx(x, abs=1e-9 * scale)
        assert got.std_error[v] == 0.0
    assert got.exact


@given(supply_organisations(max_nodes=10))
def test_exact_at_unit_level_equals_the_definition(G):
    customers = _customers(G)
    got = contribution(G, level="unit")
    expected = shapley_by_definition(G, customers, {v: _unit(G, v) for v in G})
    assert set(got.total) == set(expected)
    for p, x in expected.items():
        assert got.total[p] == pytest.approx(x, abs=1e-9 * max(1.0, got.served))


# ---- the axioms -----------------------------------------------------------------------


@given(st.one_of(supply_organisations(max_nodes=10), organisations(max_nodes=10, lags=True)))
def test_efficiency_and_null_player(G):
    got = contribution(G)
    assert sum(got.total.values()) == pytest.approx(
        got.served - got.unattributed, abs=1e-9 * max(1.0, got.served)
    )
    blocking = nx.DiGraph()
    blocking.add_nodes_from(G)
    for u, v, d in G.edges(data=True):
        if any(s.get("blocking", True) is not False for s in edge_services(d)):
            blocking.add_edge(u, v)
    customers = set(_customers(G))
    for v, x in got.total.items():
        if not any(nx.has_path(blocking, v, c) for c in customers):
            assert x == 0.0, v
    per_customer = got.by_customer
    for v in got.total:
        assert sum(per_customer[v].values()) == pytest.approx(got.total[v], abs=1e-9)


@given(supply_organisations(max_nodes=8), st.data())
def test_a_clone_gets_the_same_share(G, data):
    """Two stakeholders with the same suppliers and customers are interchangeable."""
    customers = set(_customers(G))
    candidates = [v for v in G if v not in customers]
    if not candidates:
        return
    x = data.draw(st.sampled_from(candidates))
    H = G.copy()
    clone = ("clone", x)
    H.add_node(clone, **G.nodes[x])
    for u, _, d in G.in_edges(x, data=True):
        H.add_edge(u, clone, **d)
    for _, v, d in G.out_edges(x, data=True):
        H.add_edge(clone, v, **d)
    got = contribution(H, customers=sorted(customers, key=str) if customers else None)
    assert got.total[clone] == pytest.approx(got.total[x], abs=1e-9 * max(1.0, got.served))


@pytest.mark.parametrize("n", [1, 2, 3, 5, 8])
def test_a_chain_of_n_gives_one_nth_each(n):
    G = ic.org_graph()
    ic.add_stakeholder(G, "customer", kind="external")
    chain = [f"s{i}" for i in range(n)] + ["customer"]
    for u, v in itertools.pairwise(chain):
        ic.add_service(G, u, v, volume=12)
    got = contribution(G)
    assert got.served == 12.0
    for v in chain[:-1]:
        assert got.total[v] == pytest.approx(12.0 / n)


@given(st.integers(1, 6), st.floats(0.5, 1000))
def test_a_supplier_and_interchangeable_clerks(r, volume):
    """Supplier r/(r+1); each of r interchangeable clerks 1/(r(r+1)): 2/3 and 1/6 for two."""
    G = ic.org_graph()
    ic.add_stakeholder(G, "customer", kind="external")
    for k in range(r):
        ic.add_service(G, "supplier", f"clerk {k}", deliverable="forms")
        ic.add_service(G, f"clerk {k}", "customer", deliverable="answer", volume=volume / r)
    got = contribution(G)
    assert got.total["supplier"] == pytest.approx(volume * r / (r + 1))
    for k in range(r):
        assert got.total[f"clerk {k}"] == pytest.approx(volume / (r * (r + 1)))


def test_two_clerks_two_thirds_and_one_sixth():
    G = ic.org_graph()
    ic.add_stakeholder(G, "guest", kind="external")
    ic.add_service(G, "supplier", "clerk a")
    ic.add_service(G, "supplier", "clerk b")
    ic.add_service(G, "clerk a", "guest", deliverable="check-in", volume=30)
    ic.add_service(G, "clerk b", "guest", deliverable="check-in", volume=30)
    share = contribution(G).share
    assert share["supplier"] == pytest.approx(2 / 3)
    assert share["clerk a"] == share["clerk b"] == pytest.approx(1 / 6)


# ---- sampling -------------------------------------------------------------------------


def _sampled_cases() -> list[tuple[str, nx.DiGraph, str]]:
    cases = [
        ("hotel", ic.datasets.hotel(), "person"),
        ("email", ic.datasets.email_campaign(), "person"),
        ("call centre", ic.datasets.call_center(), "person"),
        ("company units", ic.datasets.company(), "unit"),
    ]
    for seed in range(4):
        G = ic.datasets.generate_org(9, team_size=3, n_customers=2, seed=seed)
        cases.append((f"generated {seed}", G, "person"))
    return cases


@pytest.mark.parametrize(
    ("G", "level"), [c[1:] for c in _sampled_cases()], ids=[c[0] for c in _sampled_cases()]
)
def test_sampled_estimate_lies_within_four_standard_errors(G, level):
    exact = contribution(G, level=level)
    assert exact.exact
    sampled = contribution(G, level=level, n=3000, seed=7)
    assert not sampled.exact and sampled.n == 3000
    for v, x in exact.total.items():
        se = sampled.std_error[v]
        assert abs(sampled.total[v] - x) <= 4 * se + 1e-9 * max(1.0, exact.served), v
    # efficiency holds for every permutation, hence for their mean
    assert sum(sampled.total.values()) == pytest.approx(sampled.served - sampled.unattributed)


def test_large_organisations_are_sampled_by_default():
    G = ic.datasets.generate_org(120, seed=3)
    got = contribution(G, seed=1)
    assert not got.exact and got.n == 1000
    assert any(se > 0 for se in got.std_error.values())
    again = contribution(G, seed=1)
    assert dict(again.total) == dict(got.total)


# ---- options, results and errors ------------------------------------------------------


def test_customers_value_and_plain_words():
    G = ic.datasets.hotel()
    for _, _, d in G.edges(data=True):
        d["revenue"] = 2.0
    got = contribution(G, value="revenue")
    assert got.served == 6.0  # three services into the guests, 2 each
    counted = contribution(G, value=None)
    assert counted.served == 3.0
    inside = contribution(G, customers=["reception"])
    assert set(inside.value) == {"reception"}
    assert inside.total["housekeeping"] > 0 and inside.total["kitchen"] == 0
    text = contribution(G).explain("IT")
    assert text.startswith("Of the 240 units of volume the customers receive, ")
    assert "are owed to IT." in text


def test_no_external_customer_means_the_ends_of_the_chains():
    G = ic.org_graph()
    ic.add_service(G, "a", "b", volume=3)
    ic.add_service(G, "b", "c", volume=5)
    got = contribution(G)
    assert got.value == {"c": 5.0}
    assert dict(got.total) == {"a": 2.5, "b": 2.5}


def test_to_dict_is_strict_json_and_frames():
    got = contribution(ic.datasets.hotel(), level="unit", n=200, seed=1)
    data = json.loads(json.dumps(got.to_dict(), allow_nan=False))
    assert data["customers"]["guests"] == {"value": 240.0, "method": "sampled"}
    assert set(data["by_customer"]["IT"]) == {"guests"}
    pytest.importorskip("pandas")
    frame = got.to_frame()
    assert list(frame.columns) == ["contribution", "share", "std_error", "guests"]
    assert "Contribution(" in repr(got) and "<table>" in got._repr_html_()


@pytest.mark.parametrize(
    ("kwargs", "exc", "fragment"),
    [
        ({"level": "team"}, ParameterError, "'level' parameter of contribution"),
        ({"n": 0}, ParameterError, "'n' parameter of contribution"),
        ({"seed": -1}, ParameterError, "'seed' parameter of contribution"),
        ({"customers": ["ghost"]}, UnknownNodeError, "'customers' parameter of contribution"),
        ({"customers": "guests"}, ParameterError, "iterable of nodes"),
        ({"value": "revenue"}, ParameterError, "none carries 'revenue'"),
        ({"value": 3}, ParameterError, "'value' parameter of contribution"),
    ],
)
def test_bad_arguments_are_named(kwargs, exc, fragment):
    with pytest.raises(exc) as info:
        contribution(ic.datasets.hotel(), **kwargs)
    assert fragment in str(info.value)


def test_bad_values_name_the_edge():
    G = ic.datasets.hotel()
    G.edges["accounts", "guests"]["revenue"] = -1
    with pytest.raises(ParameterError, match=r"revenue of edge \('accounts', 'guests'\)"):
        contribution(G, value="revenue")
    with pytest.raises(UnknownNodeError, match="'player' parameter of explain"):
        contribution(ic.datasets.hotel()).explain("guests")
