"""plot_unit_matrix: the heatmap holds the rollup's volumes; E-I and reciprocity annotate it."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest

import intcust as ic
from intcust.graph.generators import generate_org
from intcust.graph.views import rollup
from intcust.plot import plot_unit_matrix


def _expected(R):
    units = list(R)
    M = np.zeros((len(units), len(units)))
    for u, v, d in R.edges(data=True):
        M[units.index(u), units.index(v)] = d.get("volume", 1.0)
    return units, M


@pytest.fixture(scope="module")
def G():
    return generate_org(60, seed=5)


def test_heatmap_array_equals_the_rollup_volumes(G, tmp_path):
    R = rollup(G)
    units, M = _expected(R)
    ax = plot_unit_matrix(G)
    drawn = np.asarray(ax.images[0].get_array())
    off = ~np.eye(len(units), dtype=bool)
    assert np.allclose(drawn[off], M[off])
    inside = [R.nodes[u]["internal_volume"] for u in units]
    assert np.allclose(np.diag(drawn), inside)
    assert max(inside) > 0
    # volume is conserved: every service of G is in the picture once
    assert drawn.sum() == pytest.approx(sum(d.get("volume", 1.0) for *_, d in G.edges(data=True)))
    assert [t.get_text() for t in ax.get_xticklabels()] == [str(u) for u in units]
    assert [t.get_text() for t in ax.get_yticklabels()] == [str(u) for u in units]
    ax.figure.savefig(tmp_path / "plot_unit_matrix.png", dpi=80)
    # a rollup given directly draws the same matrix
    ax2 = plot_unit_matrix(R)
    assert np.array_equal(np.asarray(ax2.images[0].get_array()), drawn)


def test_ei_and_reciprocity_are_written_on_the_figure(G):
    ei = ic.metrics.ei_index(G, missing="own")
    rec = ic.metrics.unit_reciprocity(G, missing="own")
    ax = plot_unit_matrix(G, ei=ei, reciprocity=rec)
    rows = [t.get_text() for t in ax.get_yticklabels()]
    scores = ei.units.column("ei_index")
    for unit, label in zip(rollup(G), rows, strict=True):
        if unit in scores:
            assert label.endswith(f"(E-I {scores[unit]:+.2f})"), label
    assert f"E-I overall {ei.overall:+.2f}" in ax.get_title()
    cells = [t.get_text() for t in ax.texts]
    (_, row), *_ = rec.items()
    assert any(f"r {row['reciprocity']:.2f}" in c for c in cells)


def test_bad_input_is_named(G):
    with pytest.raises(ic.UnknownNodeError, match="'ei' parameter of plot_unit_matrix"):
        plot_unit_matrix(G, ei={"Atlantis": 0.5})
    with pytest.raises(ic.UnknownNodeError, match="'reciprocity'"):
        plot_unit_matrix(G, reciprocity={("Atlantis", "HR"): 0.5})
    with pytest.raises(ic.ParameterError, match="pairs"):
        plot_unit_matrix(G, reciprocity={"HR": 0.5})
    with pytest.raises(ic.ParameterError, match="'G_or_rollup'"):
        plot_unit_matrix(ic.sim.schedule(ic.datasets.email_campaign()))
    with pytest.raises(ic.ParameterError, match="'ei'"):
        plot_unit_matrix(G, ei=ic.metrics.unit_reciprocity(G, missing="own"))
