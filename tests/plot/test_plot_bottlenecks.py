"""plot_bottlenecks and plot_utilisation: ranked bars with their reasons and queue states."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.colors as mcolors
import numpy as np
import pytest

import intcust as ic
from intcust.plot import plot_bottlenecks, plot_utilisation, style


def _bars(ax, gid):
    return [p for p in ax.patches if p.get_gid() == gid]


def _is(colour, expected):
    return np.allclose(mcolors.to_rgb(colour), mcolors.to_rgb(expected))


def test_bottleneck_bars_follow_the_ranking(tmp_path):
    G = ic.datasets.company()
    report = ic.bottlenecks(G)
    ax = plot_bottlenecks(report, top=8)
    assert [t.get_text() for t in ax.get_yticklabels()] == report.nodes[:8]
    bars = _bars(ax, "score")
    assert [b.get_width() for b in bars] == pytest.approx([r.score for r in report.rows[:8]])
    for bar, row in zip(bars, report.rows[:8], strict=True):
        if row.customers_at_stake:
            assert _is(bar.get_facecolor(), style.HIGHLIGHT)
        elif row.queue == "overloaded":
            assert _is(bar.get_facecolor(), style.SECONDARY)
        else:
            assert _is(bar.get_facecolor(), style.BASE)
    notes = [t.get_text() for t in ax.texts]
    first = style.plurals(report.rows[0].reasons[0])
    assert notes[0].startswith(style.node_label(first, width=70).rstrip("…"))
    assert not any("(s)" in n for n in notes)
    assert f"top 8 of {len(report)}" in ax.get_title()
    ax.figure.savefig(tmp_path / "bottlenecks.png", dpi=60)


def test_utilisation_bars_busiest_first_overloaded_in_red(tmp_path):
    G = ic.datasets.hotel()
    table = ic.metrics.utilisation(G)
    ax = plot_utilisation(table)
    known = {n: r["utilisation"] for n, r in table.items() if r["utilisation"] is not None}
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert set(labels) == set(known)
    widths = [b.get_width() for b in _bars(ax, "utilisation")]
    assert widths == pytest.approx([known[n] for n in labels])
    assert widths == sorted(widths, reverse=True)
    for bar in _bars(ax, "utilisation"):
        if bar.get_width() >= 1:
            assert _is(bar.get_facecolor(), style.HIGHLIGHT)
    assert "capacity unknown for 1" in ax.get_title()  # the guests
    # by unit too
    ax = plot_utilisation(ic.metrics.utilisation(G, level="unit"), top=3)
    assert len(_bars(ax, "utilisation")) == 3
    ax.figure.savefig(tmp_path / "utilisation.png", dpi=60)


def test_utilisation_without_any_capacity_says_so():
    ax = plot_utilisation(ic.metrics.utilisation(ic.datasets.email_campaign()))
    assert "no supplier has a known capacity" in [t.get_text() for t in ax.texts]


@pytest.mark.parametrize(
    ("call", "words"),
    [
        (lambda: plot_bottlenecks({"a": 1}), "'report' parameter of plot_bottlenecks"),
        (
            lambda: plot_bottlenecks(ic.bottlenecks(ic.datasets.hotel()), top=0),
            "'top' parameter of plot_bottlenecks",
        ),
        (
            lambda: plot_utilisation(ic.metrics.service_load(ic.datasets.hotel())),
            "'table' parameter of plot_utilisation",
        ),
    ],
)
def test_bad_input_is_named(call, words):
    with pytest.raises(ic.ParameterError, match=words):
        call()


def test_rows_drawn_are_top_and_the_old_name_k_warns_at_the_caller():
    report = ic.bottlenecks(ic.datasets.hotel())
    labels = [t.get_text() for t in plot_bottlenecks(report, top=2).get_yticklabels()]
    assert labels == report.nodes[:2]
    with pytest.warns(DeprecationWarning, match="'k' parameter of plot_bottlenecks") as seen:
        ax = plot_bottlenecks(report, k=2)
    assert seen[0].filename == __file__
    assert [t.get_text() for t in ax.get_yticklabels()] == labels
    with pytest.warns(DeprecationWarning, match="'k' parameter of plot_utilisation"):
        plot_utilisation(ic.metrics.utilisation(ic.datasets.hotel()), k=1)
