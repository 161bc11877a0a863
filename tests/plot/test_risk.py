"""plot_sensitivity, plot_criticality and plot_risk: bars, order, due lines and legends."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import math

import matplotlib.colors as mcolors
import numpy as np
import pytest

import intcust as ic
from intcust.plot import plot_criticality, plot_risk, plot_sensitivity, style


def _bars(ax, gid):
    return [p for p in ax.patches if p.get_gid() == gid]


def _labels(ax):
    return [t.get_text() for t in ax.get_yticklabels()]


@pytest.fixture(scope="module")
def G():
    return ic.datasets.email_campaign()


@pytest.fixture(scope="module")
def mc(G):
    return ic.sim.monte_carlo(G, 1_000, seed=7)


def _table():
    rows = {
        "a": {"customers": 1.0, "makespan": 1.0, "absorbable": 0.0},
        "b": {"customers": 0.5, "makespan": 0.5, "absorbable": 0.5},
        "c": {"customers": 0.0, "makespan": 0.0, "absorbable": math.inf},
        "d": {"customers": 0.25, "makespan": 0.75, "absorbable": 0.25},
    }
    return ic.NodeTable(rows, name="sensitivity")


def test_tornado_ranks_by_the_chosen_column(tmp_path):
    ax = plot_sensitivity(_table(), top=3)
    assert _labels(ax) == ["a", "d", "b"]
    assert [b.get_width() for b in _bars(ax, "moves")] == [1.0, 0.75, 0.5]
    # the absorbable delay runs left
    assert [b.get_width() for b in _bars(ax, "absorbable")] == [-0.0, -0.25, -0.5]
    assert all(
        np.allclose(b.get_facecolor()[:3], mcolors.to_rgb(style.HIGHLIGHT))
        for b in _bars(ax, "moves")
    )
    ax.figure.savefig(tmp_path / "plot_sensitivity.png", dpi=80)
    ax = plot_sensitivity(_table(), column="customers", top=4)
    assert _labels(ax) == ["a", "b", "d"]  # c moves nothing


def test_tornado_with_nothing_to_show():
    scores = ic.NodeScores({"x": 0.0, "y": 0.0}, name="makespan")
    ax = plot_sensitivity(scores)
    assert _labels(ax) == []
    assert "no node's delay moves makespan" in {t.get_text() for t in ax.texts}


def test_tornado_of_plain_scores():
    scores = ic.NodeScores({"x": 2.0, "y": 3.0}, name="moves")
    ax = plot_sensitivity(scores)
    assert _labels(ax) == ["y", "x"]
    assert not _bars(ax, "absorbable")


def test_tornado_of_the_real_sensitivity(G):
    table = ic.sim.sensitivity(G)
    ax = plot_sensitivity(table, top=len(G))
    moves = [(n, v) for n, v in table.column("makespan").top(len(G)) if v > 0]
    assert _labels(ax) == [n for n, _ in moves]
    assert [b.get_width() for b in _bars(ax, "moves")] == [v for _, v in moves]
    assert "list keeper" not in _labels(ax)  # its float absorbs one day


def test_sensitivity_bad_input():
    with pytest.raises(ic.ParameterError, match="'column' parameter of plot_sensitivity"):
        plot_sensitivity(_table(), column="nope")
    with pytest.raises(ic.ParameterError, match="'top' parameter of plot_sensitivity"):
        plot_sensitivity(_table(), top=0)
    with pytest.raises(ic.ParameterError, match="'table_or_scores'"):
        plot_sensitivity({"a": 1.0})


def test_criticality_bars_equal_the_indices(mc, tmp_path):
    ax = plot_criticality(mc, top=3)
    names = _labels(ax)
    assert len(names) == 3
    assert [b.get_width() for b in _bars(ax, "criticality")] == [mc.criticality[n] for n in names]
    assert [b.get_width() for b in _bars(ax, "cruciality")] == [mc.cruciality[n] for n in names]
    assert "list keeper" not in names  # the one node with float to spare
    crit = [mc.criticality[n] for n in names]
    assert crit == sorted(crit, reverse=True)
    ax.figure.savefig(tmp_path / "plot_criticality.png", dpi=80)


def test_risk_draws_one_ecdf_per_customer_and_the_due_dates(G, mc, tmp_path):
    ax = plot_risk(mc)
    curves = [ln for ln in ax.lines if str(ln.get_gid()).startswith("ecdf")]
    assert [ln.get_gid() for ln in curves] == ["ecdf customers"]
    x, y = curves[0].get_data()
    assert np.array_equal(x, np.sort(mc.samples("customers")))
    assert y[-1] == 1.0
    dues = [ln for ln in ax.lines if ln.get_gid() == "due customers"]
    assert len(dues) == 1
    assert dues[0].get_xdata()[0] == G.nodes["customers"]["due"] == 5.0
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == [f"customers: P(on time) = {mc.p_on_time['customers']:.2f}"]
    ax.figure.savefig(tmp_path / "plot_risk.png", dpi=80)


def test_risk_with_a_deadline_adds_the_makespan(G):
    mc = ic.sim.monte_carlo(G, 300, seed=1, deadline=4.5)
    ax = plot_risk(mc)
    gids = [ln.get_gid() for ln in ax.lines]
    assert "ecdf None" in gids and "due None" in gids
    (line,) = [ln for ln in ax.lines if ln.get_gid() == "due None"]
    assert line.get_xdata()[0] == 4.5
    assert any(f"{mc.p_deadline:.2f}" in t.get_text() for t in ax.get_legend().get_texts())


def test_results_of_the_wrong_kind(G, mc):
    sch = ic.sim.schedule(G)
    with pytest.raises(ic.ParameterError, match="'mc_result' parameter of plot_risk"):
        plot_risk(sch)
    with pytest.raises(ic.ParameterError, match="MonteCarloResult"):
        plot_criticality(mc.criticality)
    with pytest.raises(ic.ParameterError, match="'top' parameter of plot_criticality"):
        plot_criticality(mc, top=-1)
