"""plot_ei_index and plot_unit_reciprocity: how outward-looking and how two-way units are."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest

import intcust as ic
from intcust.plot import plot_ei_index, plot_unit_reciprocity

# --- plot_ei_index -------------------------------------------------------------------------


def test_ei_bars_are_the_units_ei_most_outward_first(tmp_path):
    G0 = ic.datasets.company()
    ei = ic.metrics.ei_index(G0, missing="own")
    ax = plot_ei_index(ei)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    widths = [p.get_width() for p in ax.patches if p.get_gid() == "ei_index"]
    expected = ei.units.column("ei_index")
    assert sorted(labels) == sorted(str(u) for u in expected)
    assert widths == pytest.approx([expected[u] for u in labels])
    assert widths == sorted(widths, reverse=True)
    assert any(f"{ei.overall:+.2f}" in t.get_text() for t in ax.get_legend().get_texts())
    assert ax.get_xlim() == pytest.approx((-1.05, 1.05))
    ax.figure.savefig(tmp_path / "ei.png", dpi=60)


def test_ei_index_needs_an_eiindex():
    with pytest.raises(ic.ParameterError, match="'ei' parameter of plot_ei_index"):
        plot_ei_index({"a": 1.0})


# --- plot_unit_reciprocity -----------------------------------------------------------------


def test_reciprocity_matrix_is_symmetric_and_holds_the_table(tmp_path):
    G = ic.datasets.company()
    table = ic.metrics.unit_reciprocity(G, missing="own")
    ax = plot_unit_reciprocity(table)
    units = [t.get_text() for t in ax.get_yticklabels()]
    M = np.asarray(ax.images[0].get_array(), dtype=float)
    assert M.shape == (len(units), len(units))
    assert np.allclose(np.nan_to_num(M, nan=-1), np.nan_to_num(M.T, nan=-1))
    for (a, b), row in table.items():
        assert M[units.index(str(a)), units.index(str(b))] == pytest.approx(row["reciprocity"])
    tied = {frozenset(p) for p in table}
    for i, a in enumerate(units):
        for j, b in enumerate(units):
            if frozenset((a, b)) not in tied:
                assert np.isnan(M[i, j])
    ax.figure.savefig(tmp_path / "reciprocity.png", dpi=60)


def test_reciprocity_needs_the_unit_pairs_table():
    with pytest.raises(ic.ParameterError, match="'table' parameter of plot_unit_reciprocity"):
        plot_unit_reciprocity(ic.metrics.service_load(ic.datasets.hotel()))
