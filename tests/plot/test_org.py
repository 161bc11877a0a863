"""draw_org: what is drawn (nodes, sizes, colours, highlights, labels, the unit fallback)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import itertools

import matplotlib.colors as mcolors
import networkx as nx
import numpy as np
import pytest
from matplotlib.patches import FancyArrowPatch

import intcust as ic
from intcust.graph.generators import generate_org
from intcust.plot import _style, draw_org
from intcust.plot.layout import layer_layout


def _collection(ax, label):
    found = [c for c in ax.collections if c.get_label() == label]
    assert len(found) == 1, [c.get_label() for c in ax.collections]
    return found[0]


def _arrows(ax, label):
    return [p for p in ax.patches if isinstance(p, FancyArrowPatch) and p.get_label() == label]


def _same_colour(rgba, colour):
    return np.allclose(np.asarray(rgba)[:3], mcolors.to_rgb(colour))


@pytest.fixture
def G():
    return ic.datasets.email_campaign()


def test_highlighted_nodes_and_services_have_the_highlight_colour(G, tmp_path):
    ax = draw_org(
        G, highlight_nodes=["designer", "sender"], highlight_edges=[("designer", "sender")]
    )
    ring = _collection(ax, "highlighted")
    assert ring.get_offsets().tolist() == [
        list(layer_layout(G)[n]) for n in ("designer", "sender")
    ]
    assert all(_same_colour(c, _style.HIGHLIGHT) for c in ring.get_edgecolors())
    hot = _arrows(ax, "highlighted service")
    assert len(hot) == 1
    assert _same_colour(hot[0].get_edgecolor(), _style.HIGHLIGHT)
    plain = _arrows(ax, "_service")
    assert len(plain) == G.number_of_edges() - 1
    assert not any(_same_colour(p.get_edgecolor(), _style.HIGHLIGHT) for p in plain)
    ax.figure.savefig(tmp_path / "draw_org.png", dpi=80)


def test_every_node_drawn_once_externals_as_squares(G):
    ax = draw_org(G)
    people = _collection(ax, "nodes")
    customers = _collection(ax, "external customers")
    assert len(people.get_offsets()) == 4
    assert len(customers.get_offsets()) == 1
    assert all(_same_colour(c, _style.EXTERNAL) for c in customers.get_facecolors())
    # small organisation: every node labelled
    assert {t.get_text() for t in ax.texts} == set(G.nodes)


def test_layers_run_from_suppliers_to_customers(G):
    pos = layer_layout(G)
    C = ic.compile(G)
    for node in G:
        assert pos[node][0] == C.level[C.index[node]]
    assert pos["customers"][0] == max(x for x, _ in pos.values())


def test_non_blocking_services_are_dashed(G):
    ax = draw_org(G)
    styles = {}
    for patch in _arrows(ax, "_service"):
        styles.setdefault(patch.get_linestyle(), 0)
        styles[patch.get_linestyle()] += 1
    n_info = sum(1 for *_, d in G.edges(data=True) if d.get("blocking") is False)
    assert n_info == 1
    assert styles.get("--", 0) + styles.get("dashed", 0) == n_info


def test_node_size_follows_scores_and_colour_follows_color(G):
    scores = ic.NodeScores({"designer": 4.0, "sender": 1.0, "list keeper": 0.0}, name="load")
    color = ic.NodeScores({n: float(i) for i, n in enumerate(G)}, name="rank")
    ax = draw_org(G, scores=scores, color=color)
    people = _collection(ax, "nodes")
    order = [n for n in G if G.nodes[n].get("kind") != "external"]
    size = dict(zip(order, people.get_sizes(), strict=True))
    assert size["designer"] > size["sender"] > size["list keeper"]
    # a colour bar labelled with the score's name
    assert any(a.get_ylabel() == "rank" for a in ax.figure.axes if a is not ax)
    faces = people.get_facecolors()
    assert not np.allclose(faces[0], faces[-1])


def test_units_layout_labels_each_cluster(G, tmp_path):
    ax = draw_org(G, layout="units")
    texts = {t.get_text() for t in ax.texts}
    assert {"Marketing", "external customers"} <= texts
    ax.figure.savefig(tmp_path / "draw_org_units.png", dpi=80)


def test_three_hundred_nodes_labels_only_the_top(tmp_path):
    G = generate_org(296, seed=3)
    assert G.number_of_nodes() == 300
    scores = ic.NodeScores(dict(G.out_degree()), name="customers served")
    ax = draw_org(G, scores=scores, highlight_nodes=["p5"])
    assert len(_collection(ax, "nodes").get_offsets()) == 298
    labels = {t.get_text() for t in ax.texts}
    top = {n for n, _ in scores.top(12)}
    assert top | {"p5", *ic.external_customers(G)} == labels
    ax.figure.savefig(tmp_path / "draw_org_300.png", dpi=80)


def test_aggregates_by_unit_beyond_max_nodes(tmp_path):
    from intcust.graph.views import rollup

    G = generate_org(120, seed=2)
    R = rollup(G)
    ax = draw_org(G, max_nodes=50, highlight_nodes=["p3"])
    assert "unit level" in ax.get_title()
    assert "max_nodes=50" in ax.get_title()
    drawn = sum(
        len(c.get_offsets())
        for c in ax.collections
        if c.get_label() in ("nodes", "external customers")
    )
    assert drawn == R.number_of_nodes()
    ring = _collection(ax, "highlighted")
    assert len(ring.get_offsets()) == 1
    ax.figure.savefig(tmp_path / "draw_org_rollup.png", dpi=80)
    # at or under the limit, people are drawn
    ax = draw_org(G, max_nodes=G.number_of_nodes())
    assert "unit level" not in ax.get_title()


def test_draws_on_a_given_axes(G):
    import matplotlib.pyplot as plt

    _, ax = plt.subplots()
    assert draw_org(G, ax=ax) is ax


@pytest.mark.parametrize(
    ("kwargs", "error", "words"),
    [
        ({"highlight_nodes": ["nobody"]}, ic.UnknownNodeError, "'highlight_nodes'"),
        ({"highlight_edges": [("designer", "campaign")]}, ic.UnknownNodeError, "not an edge"),
        ({"highlight_edges": ["designer"]}, ic.ParameterError, "pairs"),
        ({"scores": {"nobody": 1.0}}, ic.UnknownNodeError, "'scores'"),
        ({"color": {"designer": float("nan")}}, ic.ParameterError, "finite"),
        ({"scores": [1, 2]}, ic.ParameterError, "NodeScores"),
        ({"layout": "circle"}, ic.ParameterError, "'layout'"),
        ({"max_nodes": 0}, ic.ParameterError, "'max_nodes'"),
    ],
)
def test_bad_input_is_named(G, kwargs, error, words):
    with pytest.raises(error, match=words):
        draw_org(G, **kwargs)


def test_not_a_graph():
    with pytest.raises(ic.ParameterError, match="'G' parameter of draw_org"):
        draw_org(ic.NodeScores({"a": 1.0}))
    with pytest.raises(ic.ParameterError, match="DiGraph"):
        draw_org(nx.Graph())


def test_critical_path_and_single_points_of_failure_of_the_hotel(tmp_path):
    from intcust.graph.datasets import hotel

    G = hotel()
    spof = list(ic.metrics.single_points_of_failure(G))
    path = ic.sim.schedule(G).critical_path()
    ax = draw_org(G, highlight_nodes=spof, highlight_edges=list(itertools.pairwise(path)))
    ring = _collection(ax, "highlighted")
    pos = layer_layout(G)
    assert ring.get_offsets().tolist() == [list(pos[n]) for n in spof]
    hot = _arrows(ax, "highlighted service")
    assert len(hot) == len(path) - 1 > 0
    assert all(_same_colour(p.get_edgecolor(), _style.HIGHLIGHT) for p in hot)
    ax.figure.savefig(tmp_path / "draw_org_hotel.png", dpi=80)
