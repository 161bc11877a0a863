"""draw_org: units, shapes, labels without overlap, edge widths, the unit level, highlights."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import itertools
from collections import Counter

import matplotlib.colors as mcolors
import networkx as nx
import numpy as np
import pytest
from matplotlib.patches import FancyArrowPatch

import intcust as ic
from intcust.graph.generators import generate_org
from intcust.plot import draw_org, style
from intcust.plot.layout import layer_layout


def _collection(ax, label):
    found = [c for c in ax.collections if c.get_label() == label]
    assert len(found) == 1, [c.get_label() for c in ax.collections]
    return found[0]


def _arrows(ax, label):
    return [p for p in ax.patches if isinstance(p, FancyArrowPatch) and p.get_label() == label]


def _same_colour(rgba, colour):
    return np.allclose(np.asarray(rgba)[:3], mcolors.to_rgb(colour))


def _legend(ax):
    return [t.get_text() for t in ax.get_legend().get_texts()]


def _labels(ax, gid="label"):
    return [t for t in ax.texts if t.get_gid() == gid]


def _boxes(ax, texts):
    ax.figure.canvas.draw()  # the final layout, as saved
    renderer = ax.figure.canvas.get_renderer()
    return [t.get_window_extent(renderer) for t in texts]


def _overlapping(boxes):
    return [
        (i, j)
        for (i, a), (j, b) in itertools.combinations(enumerate(boxes), 2)
        if a.x0 < b.x1 and b.x0 < a.x1 and a.y0 < b.y1 and b.y0 < a.y1
    ]


@pytest.fixture
def G():
    return ic.datasets.email_campaign()


# --- units, shapes and colours -------------------------------------------------------------


@pytest.mark.parametrize("example", ["company", "hotel", "call_center", "weekly_planning"])
def test_every_unit_has_a_legend_entry_in_its_colour(example):
    G = getattr(ic.datasets, example)()
    ax = draw_org(G)
    units = list(
        dict.fromkeys(
            u for _, u in G.nodes(data="unit") if u is not None
        )  # externals of the bundled examples have no unit
    )
    handles = {h.get_label(): h for h in ax.get_legend().legend_handles}
    palette = style.unit_colors(units)
    for unit in units:
        assert unit in handles, (unit, list(handles))
        assert _same_colour(mcolors.to_rgba(handles[unit].get_color()), palette[unit])
    # a node is filled with its unit's colour
    for collection in ax.collections:
        if collection.get_label() not in ("person nodes", "team nodes", "department nodes"):
            continue
        kind = collection.get_label().split()[0]
        members = [n for n in G if G.nodes[n].get("kind", "person") == kind]
        for node, face in zip(members, collection.get_facecolors(), strict=True):
            unit = G.nodes[node].get("unit")
            assert _same_colour(face, palette[unit] if unit is not None else style.NO_UNIT)


def test_customers_have_a_colour_and_shape_of_their_own():
    G = ic.datasets.call_center()  # 4 units, among them the call centre
    ax = draw_org(G)
    customers = _collection(ax, "external customers")
    assert (
        customers.get_paths()[0].vertices.tolist()
        != _collection(ax, "person nodes").get_paths()[0].vertices.tolist()
    )
    assert all(_same_colour(c, style.EXTERNAL) for c in customers.get_facecolors())
    assert style.EXTERNAL not in style.UNIT_PALETTE
    assert all(
        not np.allclose(mcolors.to_rgb(c), mcolors.to_rgb(style.EXTERNAL), atol=0.15)
        for c in style.UNIT_PALETTE
    )
    assert "external customer" in _legend(ax)
    assert "department" in _legend(ax) and "department nodes" in [
        c.get_label() for c in ax.collections
    ]


def test_every_node_drawn_once(G):
    ax = draw_org(G)
    drawn = sum(
        len(c.get_offsets())
        for c in ax.collections
        if c.get_label().endswith(("nodes", "customers"))
    )
    assert drawn == G.number_of_nodes()
    # small organisation: every node labelled, exactly once
    assert sorted(t.get_text() for t in _labels(ax)) == sorted(G.nodes)


# --- labels --------------------------------------------------------------------------------


@pytest.mark.parametrize("example", ["company", "hotel"])
def test_labels_never_overlap_and_every_node_is_labelled(example, tmp_path):
    G = getattr(ic.datasets, example)()
    assert G.number_of_nodes() <= 80
    ax = draw_org(G, highlight=ic.sim.schedule(G))
    texts = _labels(ax)
    assert sorted(t.get_text() for t in texts) == sorted(style.node_label(n, width=22) for n in G)
    boxes = _boxes(ax, texts)
    assert _overlapping(boxes) == []
    frame = ax.get_window_extent()
    assert all(
        frame.x0 <= b.x0 and b.x1 <= frame.x1 and frame.y0 <= b.y0 and b.y1 <= frame.y1
        for b in boxes
    )
    out = tmp_path / f"draw_org_{example}.png"
    ax.figure.savefig(out, dpi=80)
    print(out)


def test_labels_side_by_side_stay_apart_so_two_names_never_read_as_one():
    """In the report's size (11.5 x 7.5 in at 96 dpi) "sales ops" and "planner" once sat
    4 px apart and read as one name, "sales ops planner"."""
    import matplotlib.pyplot as plt

    G = ic.datasets.company()
    fig = plt.figure(figsize=(11.5, 7.5), dpi=96, layout="constrained")
    volume = ic.metrics.service_load(G).column("volume_supplied")
    path = ic.sim.schedule(G).critical_path()
    ax = draw_org(G, scores=volume, highlight=path, ax=fig.add_subplot())
    texts = _labels(ax)
    assert len(texts) == G.number_of_nodes()
    boxes = _boxes(ax, texts)
    em = texts[0].get_fontsize() * fig.dpi / 72
    close = [
        (texts[i].get_text(), texts[j].get_text())
        for (i, a), (j, b) in itertools.combinations(enumerate(boxes), 2)
        if min(a.y1, b.y1) - max(a.y0, b.y0) > 0  # on one line
        and max(b.x0 - a.x1, a.x0 - b.x1) < 0.6 * em
    ]
    assert close == []


def test_beyond_80_nodes_the_highlighted_customers_and_top_ranked_are_labelled(tmp_path):
    G = generate_org(296, seed=3)
    assert G.number_of_nodes() == 300
    scores = ic.NodeScores(dict(G.out_degree()), name="customers served")
    ax = draw_org(G, scores=scores, highlight={"p5"})
    assert len(_collection(ax, "person nodes").get_offsets()) == 296
    texts = _labels(ax)
    labels = {t.get_text() for t in texts}
    top = {n for n, _ in scores.top(12)}
    assert {"p5", *ic.external_customers(G)} <= labels <= top | {"p5", *ic.external_customers(G)}
    assert len(labels) >= 10
    assert _overlapping(_boxes(ax, texts)) == []
    ax.figure.savefig(tmp_path / "draw_org_300.png", dpi=60)


def test_names_are_drawn_literally_never_as_mathtext():
    G = ic.org_graph(name="Costs in $ and \\ paths $x^2$")
    names = ["$x^2$", "a\\b $\\undefined{$", "50$ budget", "C:\\path\\$HOME"]
    for i, name in enumerate(names):
        ic.add_stakeholder(G, name, unit=f"unit ${i}$", work=1)
    ic.add_stakeholder(G, "buyer $", kind="external", due=9)
    for a, b in itertools.pairwise([*names, "buyer $"]):
        ic.add_service(G, a, b)
    for ax in (draw_org(G), draw_org(G, level="unit"), draw_org(G, highlight=names)):
        ax.figure.canvas.draw()  # mathtext would raise on the undefined command
        texts = [t for t in ax.figure.findobj(matplotlib.text.Text) if "$" in t.get_text()]
        assert texts
        assert all(not t.get_parse_math() and not t.get_usetex() for t in texts)
    ax = draw_org(G)
    assert {t.get_text() for t in _labels(ax)} == {*names, "buyer $"}
    assert ax.get_title() == "Costs in $ and \\ paths $x^2$"
    assert {f"unit ${i}$" for i in range(4)} <= set(_legend(ax))


def test_a_lone_surrogate_in_a_name_is_drawn_as_its_escape(tmp_path):
    """UTF-8 cannot encode a lone surrogate nor a font draw it: labels, legend and title
    show it as the command line does."""
    lone = "\udcff"
    G = ic.org_graph(name=f"Acme{lone}")
    ic.add_stakeholder(G, f"a{lone}", unit=f"u{lone}", work=1)
    ic.add_stakeholder(G, "b", kind="external", due=3)
    ic.add_service(G, f"a{lone}", "b")
    for ax in (draw_org(G), draw_org(G, level="unit")):
        ax.figure.savefig(tmp_path / "org.png")
        assert ax.get_title().startswith("Acme\\udcff")
    ax = draw_org(G)
    assert {t.get_text() for t in _labels(ax)} == {"a\\udcff", "b"}
    assert "u\\udcff" in _legend(ax)
    assert style.node_label(f"x{lone}" * 20, width=10) == "x\\udcffx\\…"


# --- services ------------------------------------------------------------------------------


def test_edge_width_grows_with_volume_and_styles_are_in_the_legend(G):
    ax = draw_org(G)
    arrows = _arrows(ax, "_service")  # one per service, in edge order
    volumes = [v for *_, v in G.edges(data="volume", default=1.0)]
    assert len(arrows) == len(volumes) == G.number_of_edges()
    widths = [p.get_linewidth() for p in arrows]
    for (va, wa), (vb, wb) in itertools.combinations(zip(volumes, widths, strict=True), 2):
        assert (va < vb) == (wa < wb) or va == vb
    assert max(widths) > 2 * min(widths)
    legend = _legend(ax)
    assert "blocking service" in legend and "non-blocking or lagged" in legend
    assert "width: volume (log)" in legend


def test_non_blocking_services_are_dashed(G):
    ax = draw_org(G)
    styles = Counter(p.get_linestyle() for p in _arrows(ax, "_service"))
    n_info = sum(1 for *_, d in G.edges(data=True) if d.get("blocking") is False)
    assert n_info == 1
    assert styles["--"] + styles["dashed"] == n_info


def test_node_size_follows_scores_and_colour_follows_color(G):
    scores = ic.NodeScores({"designer": 4.0, "sender": 1.0, "list keeper": 0.0}, name="load")
    color = ic.NodeScores({n: float(i) for i, n in enumerate(G)}, name="rank")
    ax = draw_org(G, scores=scores, color=color)
    nodes = [n for n in G if G.nodes[n].get("kind", "person") == "person"]
    people = _collection(ax, "person nodes")
    size = dict(zip(nodes, people.get_sizes(), strict=True))
    assert size["designer"] > size["sender"] > size["list keeper"]
    assert any(a.get_ylabel() == "rank" for a in ax.figure.axes if a is not ax)
    faces = people.get_facecolors()
    assert not np.allclose(faces[0], faces[-1])


# --- the unit level ------------------------------------------------------------------------


@pytest.mark.parametrize("example", ["company", "hotel", "call_center"])
def test_unit_level_one_node_per_unit_and_the_rollup_volumes_on_the_edges(example, tmp_path):
    G = getattr(ic.datasets, example)()
    R = ic.rollup(G)
    for ax in (draw_org(G, level="unit"), draw_org(R)):
        drawn = sum(
            len(c.get_offsets())
            for c in ax.collections
            if c.get_label().endswith(("nodes", "customers"))
        )
        assert drawn == R.number_of_nodes()
        units = [v for v in R if R.nodes[v].get("kind") in ("team", "department")]
        assert len(_collection(ax, "unit nodes").get_offsets()) == len(units)
        volumes = sorted(float(t.get_text().replace(",", "")) for t in _labels(ax, "volume"))
        expected = sorted(float(v) for *_, v in R.edges(data="volume"))
        assert volumes == pytest.approx(expected, rel=5e-3)
        assert len(volumes) == R.number_of_edges()
        for unit in units:
            assert str(unit) in _legend(ax)
        assert "by unit" in ax.get_title()
    ax.figure.savefig(tmp_path / f"draw_org_units_{example}.png", dpi=80)


def test_unit_level_labels_never_overlap():
    for example in ("company", "hotel"):
        ax = draw_org(getattr(ic.datasets, example)(), level="unit")
        texts = _labels(ax) + _labels(ax, "volume")
        assert _overlapping(_boxes(ax, texts)) == []


def test_beyond_max_nodes_the_unit_level_is_drawn_and_the_title_says_so(tmp_path):
    G = generate_org(120, seed=2)
    R = ic.rollup(G)
    ax = draw_org(G, max_nodes=50, highlight={"p3"})
    assert "max_nodes=50" in ax.get_title()
    assert len(_collection(ax, "highlighted").get_offsets()) == 1
    drawn = sum(
        len(c.get_offsets())
        for c in ax.collections
        if c.get_label().endswith(("nodes", "customers"))
    )
    assert drawn == R.number_of_nodes()
    ax.figure.savefig(tmp_path / "draw_org_rollup.png", dpi=60)
    ax = draw_org(G, max_nodes=G.number_of_nodes())
    assert "by unit" not in ax.get_title()


def test_units_layout_labels_each_cluster(G):
    ax = draw_org(G, layout="units")
    assert {t.get_text() for t in ax.texts if t.get_gid() == "cluster"} == {
        "Marketing",
        "external customers",
    }


# --- highlight -----------------------------------------------------------------------------


def test_a_set_rings_nodes(G):
    ax = draw_org(G, highlight={"designer", "sender"})
    ring = _collection(ax, "highlighted")
    pos = layer_layout(G)
    assert ring.get_offsets().tolist() == [list(pos[n]) for n in ("designer", "sender")]
    assert all(_same_colour(c, style.HIGHLIGHT) for c in ring.get_edgecolors())
    assert "highlighted (2)" in _legend(ax)
    assert _arrows(ax, "highlighted service") == []


def test_a_path_highlights_its_services(G):
    path = ic.sim.schedule(G).critical_path()
    ax = draw_org(G, highlight=path)
    hot = _arrows(ax, "highlighted service")
    assert len(hot) == len(path) - 1
    assert all(_same_colour(p.get_edgecolor(), style.HIGHLIGHT) for p in hot)
    assert "path" in _legend(ax)
    assert any(t.startswith("path: designer") for t in _legend(ax))


def test_a_schedule_a_delay_and_a_bottleneck_explain_themselves(tmp_path):
    G = ic.datasets.hotel()
    sch = ic.sim.schedule(G)
    ax = draw_org(G, highlight=sch)
    assert any(t.startswith("critical path:") for t in _legend(ax))
    assert len(_arrows(ax, "highlighted service")) == len(sch.critical_path()) - 1

    impact = ic.sim.delay(G, {"purchasing": 3})
    ax = draw_org(G, highlight=impact)
    legend = _legend(ax)
    assert "delayed: purchasing +3" in legend
    assert any(t.startswith("late because of it") for t in legend)
    assert "how the delay travelled" in legend
    travelled = {e for c in impact.customer_lateness for e in itertools.pairwise(impact.chain(c))}
    assert len(_arrows(ax, "highlighted service")) == len(travelled) > 0

    report = ic.bottlenecks(G)
    row = report[report.nodes[0]]
    ax = draw_org(G, highlight=row)
    assert any(t.startswith(f"bottleneck {row.node}") for t in _legend(ax))
    ring = _collection(ax, "highlighted")
    assert ring.get_offsets().tolist() == [list(layer_layout(G)[row.node])]
    ax = draw_org(G, highlight=report)
    assert f"bottlenecks (top {len(report)})" in _legend(ax)
    ax.figure.savefig(tmp_path / "draw_org_bottlenecks.png", dpi=70)


def test_highlight_at_the_unit_level_marks_the_units():
    G = ic.datasets.company()
    path = ic.sim.schedule(G).critical_path()
    ax = draw_org(G, level="unit", highlight=path)
    ring = _collection(ax, "highlighted")
    units = {G.nodes[n].get("unit") or n for n in path}
    assert len(ring.get_offsets()) == len(units)


def test_draws_on_a_given_axes(G):
    import matplotlib.pyplot as plt

    _, ax = plt.subplots()
    assert draw_org(G, ax=ax) is ax


@pytest.mark.parametrize(
    ("kwargs", "error", "words"),
    [
        ({"highlight": {"nobody"}}, ic.UnknownNodeError, "'highlight' parameter of draw_org"),
        ({"highlight": ["designer", "campaign"]}, ic.ParameterError, "not a service"),
        ({"highlight": "designer"}, ic.ParameterError, "a set of nodes, a path"),
        ({"scores": {"nobody": 1.0}}, ic.UnknownNodeError, "'scores'"),
        ({"color": {"designer": float("nan")}}, ic.ParameterError, "finite"),
        ({"scores": [1, 2]}, ic.ParameterError, "NodeScores"),
        ({"layout": "circle"}, ic.ParameterError, "'layout'"),
        ({"level": "team"}, ic.ParameterError, "'level'"),
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
