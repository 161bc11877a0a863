"""plot_schedule and plot_cascade: bars, labels, colours and due marks match the results."""

from __future__ import annotations

import itertools

import matplotlib

matplotlib.use("Agg")

import matplotlib.colors as mcolors
import numpy as np
import pytest

import intcust as ic
from intcust.graph.generators import generate_org
from intcust.plot import plot_schedule, style


def _bars(ax, gid):
    return [p for p in ax.patches if p.get_gid() == gid]


def _is(colour, expected):
    return np.allclose(mcolors.to_rgb(colour), mcolors.to_rgb(expected))


def _labels(ax):
    return [t.get_text() for t in ax.get_yticklabels()]


@pytest.fixture
def G():
    return ic.datasets.email_campaign()


def test_one_bar_per_node_from_start_to_finish(G, tmp_path):
    sch = ic.sim.schedule(G)
    ax = plot_schedule(sch, G=G)
    bars = _bars(ax, "work")
    assert len(bars) == len(sch.start) == G.number_of_nodes()
    names = _labels(ax)
    assert sorted(names) == sorted(G.nodes)
    for name, bar in zip(names, bars, strict=True):
        assert bar.get_x() == pytest.approx(sch.start[name])
        assert bar.get_x() + bar.get_width() == pytest.approx(sch.finish[name])
        expected = style.HIGHLIGHT if name in sch.critical_nodes else style.BASE
        assert _is(bar.get_facecolor(), expected), name
    starts = [sch.start[n] for n in names]
    assert starts == sorted(starts)
    ax.figure.savefig(tmp_path / "plot_schedule.png", dpi=80)


def test_float_runs_to_the_latest_finish(G):
    sch = ic.sim.schedule(G)
    ax = plot_schedule(sch)
    for name, bar in zip(_labels(ax), _bars(ax, "float"), strict=True):
        assert bar.get_x() == pytest.approx(sch.finish[name])
        assert bar.get_width() == pytest.approx(max(sch.total_float[name], 0.0))
        assert _is(bar.get_facecolor(), style.FLOAT)
    assert sch.total_float["list keeper"] > 0  # so the check above saw a float


def test_due_dates_are_marked_at_their_values(G):
    G.nodes["sender"]["due"] = 3.5
    sch = ic.sim.schedule(G)
    ax = plot_schedule(sch, G=G)
    (due,) = [c for c in ax.collections if c.get_gid() == "due"]
    rows = {n: y for y, n in enumerate(_labels(ax))}
    marks = {(float(seg[0][0]), round(float(seg[:, 1].mean()))) for seg in due.get_segments()}
    assert marks == {(5.0, rows["customers"]), (3.5, rows["sender"])}
    assert ax.get_xlabel() == "time (day)"


def test_a_missed_due_date_is_drawn_not_clipped(G):
    G.nodes["customers"]["due"] = 3.0
    sch = ic.sim.schedule(G)
    assert sch.late["customers"] == pytest.approx(1.0)
    ax = plot_schedule(sch)  # without G, the missed due still shows
    late = _bars(ax, "late")
    rows = _labels(ax)
    behind = {n for n in G if sch.total_float[n] < 0}
    assert len(late) == len(behind) > 0
    by_row = {rows[round(b.get_y() + b.get_height() / 2 - 0.42)]: b for b in late}
    assert set(by_row) == behind
    assert by_row["customers"].get_width() == pytest.approx(1.0)
    (due,) = [c for c in ax.collections if c.get_gid() == "due"]
    assert [float(s[0][0]) for s in due.get_segments()] == [3.0]


def test_unlimited_float_is_marked(G):
    ic.add_stakeholder(G, "archivist", unit="Marketing", work=1.0)
    ic.add_service(G, "campaign", "archivist", deliverable="report")
    sch = ic.sim.schedule(G)
    assert sch.total_float["archivist"] == float("inf")
    ax = plot_schedule(sch, G=G)
    assert "∞" in {t.get_text() for t in ax.texts}
    right = ax.get_xlim()[1]
    row = _labels(ax).index("archivist")
    bar = _bars(ax, "float")[row]
    assert bar.get_x() + bar.get_width() == pytest.approx(right)


def test_max_rows_keeps_the_least_float(tmp_path):
    G = generate_org(80, seed=4)
    sch = ic.sim.schedule(G)
    ax = plot_schedule(sch, G=G, max_rows=25)
    assert len(_bars(ax, "work")) == 25
    assert f"25 of {G.number_of_nodes()} nodes" in ax.get_title()
    shown = set(_labels(ax))
    critical = sch.critical_nodes
    assert len(critical) < 25
    assert critical <= shown
    worst_shown = max(sch.total_float[n] for n in shown - critical)
    assert all(sch.total_float[n] >= worst_shown for n in set(G) - shown)
    ax.figure.savefig(tmp_path / "plot_schedule_80.png", dpi=80)


def test_wrong_kind_of_result(G):
    sch = ic.sim.schedule(G)
    with pytest.raises(
        ic.ParameterError, match="'schedule' parameter of plot_schedule must be a Schedule"
    ):
        plot_schedule(sch.total_float)
    with pytest.raises(ic.ParameterError, match="'max_rows'"):
        plot_schedule(sch, max_rows=0)
    other = ic.datasets.email_campaign()
    other.add_node("stranger")
    with pytest.raises(ic.ParameterError, match="'G' parameter of plot_schedule"):
        plot_schedule(sch, G=other)
    with pytest.raises(ic.ParameterError, match="'G'"):
        plot_schedule(sch, G={"a": 1})


def test_cascade_bars_follow_the_chain(G, tmp_path):
    from intcust.plot import plot_cascade

    impact = ic.sim.delay(G, {"designer": 2})
    ax = plot_cascade(impact)
    names = _labels(ax)
    assert names == impact.chain("customers") == ["designer", "sender", "campaign", "customers"]
    bars = _bars(ax, "lateness")
    assert len(bars) == sum(1 for v in impact.lateness.values() if v > 0)
    assert [b.get_width() for b in bars] == [impact.lateness[n] for n in names]
    colour = {n: b.get_facecolor() for n, b in zip(names, bars, strict=True)}
    assert _is(colour["customers"], style.HIGHLIGHT)  # misses its due by 1
    assert _is(colour["sender"], style.BASE)
    assert bars[0].get_hatch() == "//" and bars[1].get_hatch() is None
    assert "+2, misses due by 1" in {t.get_text() for t in ax.texts}
    ax.figure.savefig(tmp_path / "plot_cascade.png", dpi=80)


def test_cascade_customer_on_time_is_green(G):
    from intcust.plot import plot_cascade

    impact = ic.sim.delay(G, {"designer": 0.5})
    assert not impact.customers
    ax = plot_cascade(impact)
    names = _labels(ax)
    bar = _bars(ax, "lateness")[names.index("customers")]
    assert _is(bar.get_facecolor(), style.EXTERNAL)


def test_cascade_of_several_delays_keeps_each_path_in_order():
    from intcust.plot import plot_cascade

    G = generate_org(80, seed=4)
    sch = ic.sim.schedule(G)
    first, second = sch.critical_path()[1], "p40"
    impact = ic.sim.delay(G, {first: 3.0, second: 2.0})
    ax = plot_cascade(impact, max_rows=500)
    names = _labels(ax)
    late = {n for n, v in impact.lateness.items() if v > 0} | {first, second}
    assert set(names) == late
    row = {n: i for i, n in enumerate(names)}
    for n in names:
        # a chain may start at an on-time supplier when an alternative supplier was lost
        chain = [m for m in impact.chain(n) if m in row]
        assert all(row[a] < row[b] for a, b in itertools.pairwise(chain)), chain
    ax = plot_cascade(impact, max_rows=5)
    assert len(_labels(ax)) == 5
    assert {first, second} <= set(_labels(ax))
    assert f"5 of {len(late)} late nodes" in ax.get_title()


def test_cascade_wrong_kind(G):
    from intcust.plot import plot_cascade

    with pytest.raises(ic.ParameterError, match="'impact' parameter of plot_cascade"):
        plot_cascade(ic.sim.schedule(G))
    with pytest.raises(ic.ParameterError, match="'max_rows'"):
        plot_cascade(ic.sim.delay(G, {"designer": 1}), max_rows=0)
