"""Every result with a natural picture draws itself: ``.plot()`` is the matching plot function."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import itertools

import matplotlib.pyplot as plt
import pytest

import intcust as ic
from intcust import plot


def _content(ax):
    """What an Axes shows, to compare two drawings."""
    return (
        ax.get_title(),
        [t.get_text() for t in ax.get_yticklabels()],
        [round(p.get_width(), 9) for p in ax.patches if hasattr(p, "get_width")],
        len(ax.lines),
    )


G = ic.datasets.hotel()
CASES = {
    "schedule": (lambda: ic.sim.schedule(G), plot.plot_schedule),
    "delay impact": (lambda: ic.sim.delay(G, {"purchasing": 2}), plot.plot_cascade),
    "sensitivity": (lambda: ic.sim.sensitivity(G), plot.plot_sensitivity),
    "Monte Carlo": (lambda: ic.sim.monte_carlo(G, n=300, seed=2), plot.plot_risk),
    "bottleneck report": (lambda: ic.bottlenecks(G), plot.plot_bottlenecks),
    "utilisation": (lambda: ic.metrics.utilisation(G), plot.plot_utilisation),
    "utilisation by unit": (
        lambda: ic.metrics.utilisation(G, level="unit"),
        plot.plot_utilisation,
    ),
    "E-I index": (lambda: ic.metrics.ei_index(G, missing="own"), plot.plot_ei_index),
    "unit reciprocity": (
        lambda: ic.metrics.unit_reciprocity(G, missing="own"),
        plot.plot_unit_reciprocity,
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_plot_method_draws_what_the_plot_function_draws(name):
    make, function = CASES[name]
    result = make()
    ax = result.plot()
    assert _content(ax) == _content(function(result))
    _, given = plt.subplots()
    assert result.plot(ax=given) is given


def test_options_pass_through():
    sch = ic.sim.schedule(G)
    ax = sch.plot(G=G, max_rows=3)
    assert len(ax.get_yticklabels()) == 3
    assert ax.get_xlabel() == "time (hour)"
    ax = ic.sim.sensitivity(G).plot(top=2)
    assert len(ax.get_yticklabels()) == 2


def test_results_stay_what_they_were():
    assert isinstance(ic.sim.sensitivity(G), ic.NodeTable)
    assert isinstance(ic.metrics.utilisation(G), ic.NodeTable)
    assert isinstance(ic.metrics.unit_reciprocity(G, missing="own"), ic.NodeTable)
    assert ic.sim.sensitivity(G).to_dict() == dict(ic.sim.sensitivity(G).to_dict())


def test_names_are_drawn_literally_in_every_figure():
    H = ic.org_graph(name="$cost$ org", time_unit="day")
    names = ["$x^2$", "a\\b $\\undefined{$", "50$ budget"]
    for name in names:
        ic.add_stakeholder(H, name, unit=f"unit {name}", work=1, capacity=2.0)
    ic.add_stakeholder(H, "buyer $1$", kind="external", due=2)
    for a, b in itertools.pairwise([*names, "buyer $1$"]):
        ic.add_service(H, a, b, volume=3)
    results = [
        ic.sim.schedule(H).plot(G=H),
        ic.sim.delay(H, {names[0]: 1}).plot(),
        ic.sim.sensitivity(H).plot(column="buyer $1$"),
        ic.sim.monte_carlo(H, n=100, seed=1).plot(),
        plot.plot_criticality(ic.sim.monte_carlo(H, n=100, seed=1)),
        ic.bottlenecks(H).plot(),
        ic.metrics.utilisation(H).plot(),
        ic.metrics.ei_index(H, missing="own").plot(),
        plot.plot_unit_matrix(H),
        ic.metrics.unit_reciprocity(H, missing="own").plot(),
        plot.draw_org(H),
    ]
    for ax in results:
        ax.figure.canvas.draw()  # mathtext would raise on "\undefined"
        texts = [
            t
            for t in ax.figure.findobj(matplotlib.text.Text)
            if any(n in t.get_text() for n in (*names, "buyer $1$", "$cost$"))
        ]
        assert texts, ax.get_title()
        assert all(not t.get_parse_math() for t in texts), [
            t.get_text() for t in texts if t.get_parse_math()
        ]


def test_control_characters_in_names_are_drawn_as_their_escapes():
    """An ESC sequence, a bell, a tab or a NUL in a name has no glyph: each is drawn as its
    Python escape, as the command line shows it, and no figure warns of a missing glyph."""
    H = ic.org_graph(name="Acme\x1b]0;owned\x07", time_unit="day")
    names = ["a\x1b[2Jb", "tab\there", "nul\x00", "del\x7f\x85"]
    for name in names:
        ic.add_stakeholder(H, name, unit=f"unit {name}", work=1, capacity=2.0)
    ic.add_stakeholder(H, "buyer\x07", kind="external", due=2)
    for a, b in itertools.pairwise([*names, "buyer\x07"]):
        ic.add_service(H, a, b, volume=3, deliverable=f"d\x1b{a}")
    mc = ic.sim.monte_carlo(H, n=100, seed=1)
    results = [
        ic.sim.schedule(H).plot(G=H),
        ic.sim.delay(H, {names[0]: 1}).plot(),
        ic.sim.sensitivity(H).plot(column="buyer\x07"),
        mc.plot(),
        plot.plot_criticality(mc),
        ic.bottlenecks(H).plot(),
        ic.metrics.utilisation(H).plot(),
        ic.metrics.ei_index(H, missing="own").plot(),
        plot.plot_unit_matrix(H),
        ic.metrics.unit_reciprocity(H, missing="own").plot(),
        plot.draw_org(H, highlight=ic.bottlenecks(H)[names[0]]),
        plot.draw_org(H, level="unit"),
    ]
    for ax in results:
        ax.figure.canvas.draw()  # a missing glyph warns, and warnings are errors here
        shown = [t.get_text() for t in ax.figure.findobj(matplotlib.text.Text)]
        assert not [t for t in shown if any(c in t for c in "\x1b\x07\t\x00\x7f\x85")], shown
        assert any("a\\x1b[2Jb" in t or "buyer\\x07" in t for t in shown), shown
