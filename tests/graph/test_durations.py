"""Durations: moments against scipy.stats, sampling, round trips, validation."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from scipy import stats

from intcust.errors import SchemaError
from intcust.graph.duration_array import DurationArray
from intcust.graph.duration_parsing import as_duration, duration_problems
from intcust.sim import PERT, Empirical, Fixed, LogNormal, Triangular, Uniform
from strategies import distributions

# each distribution next to the scipy.stats object that describes it
CASES = [
    (Uniform(1.0, 4.0), stats.uniform(1.0, 3.0)),
    (Triangular(1.0, 2.0, 6.0), stats.triang((2.0 - 1.0) / 5.0, 1.0, 5.0)),
    (PERT(1.0, 2.0, 9.0), stats.beta(1 + 4 * 1 / 8, 1 + 4 * 7 / 8, 1.0, 8.0)),
    (LogNormal(0.3, 0.6), stats.lognorm(0.6, scale=math.exp(0.3))),
]


@pytest.mark.parametrize(("dist", "ref"), CASES, ids=lambda c: type(c).__name__)
def test_moments_cdf_ppf_match_scipy(dist, ref):
    assert dist.mean == pytest.approx(ref.mean(), rel=1e-12)
    assert dist.median == pytest.approx(ref.median(), rel=1e-9)
    x = np.linspace(0, 10, 41)
    np.testing.assert_allclose(dist.cdf(x), ref.cdf(x), atol=1e-12)
    q = np.linspace(0.01, 0.99, 33)
    np.testing.assert_allclose(dist.ppf(q), ref.ppf(q), rtol=1e-9)


@pytest.mark.parametrize(("dist", "ref"), CASES, ids=lambda c: type(c).__name__)
def test_samples_follow_the_distribution(dist, ref):
    draws = dist.sample(20_000, np.random.default_rng(3))
    assert stats.kstest(draws, ref.cdf).pvalue > 1e-3


def test_modes():
    assert Triangular(1, 2, 6).mode == 2
    assert PERT(1, 2, 9).mode == 2
    assert LogNormal(0.0, 0.5).mode == pytest.approx(math.exp(-0.25))
    assert Uniform(1, 3).mode == 2
    assert Empirical([1, 5, 5, 9]).mode == 5
    assert Empirical([3, 1, 2]).mode == 2  # all distinct: the median


def test_empirical_quantiles_and_cdf_are_the_counts():
    e = Empirical([4.0, 1.0, 3.0, 2.0])
    assert e.cdf(2.5) == 0.5
    assert e.ppf(0.5) == 2.0
    assert e.ppf(0.51) == 3.0


@given(distributions())
def test_to_dict_round_trips(dist):
    assert as_duration(dist.to_dict()) == dist
    assert duration_problems(dist.to_dict(), "work") == []


@given(distributions())
def test_duration_array_matches_objects(dist):
    arr = DurationArray([dist, 2.0, dist])
    for est in ("mode", "mean", "median"):
        assert arr.point(est)[0] == pytest.approx(dist.estimate(est), rel=1e-12, abs=1e-12)
        assert arr.point(est)[1] == 2.0
    q = np.array([[0.1, 0.5, 0.9]] * 3)
    np.testing.assert_allclose(arr.ppf(q)[0], dist.ppf(q[0]), rtol=1e-9, atol=1e-12)
    draws = arr.sample(50, np.random.default_rng(0))
    assert draws.shape == (3, 50)
    assert (draws >= 0).all()


def test_duration_array_sampling_is_reproducible_and_in_support():
    arr = DurationArray([Triangular(1, 2, 3), Uniform(0, 1), Empirical([7, 8]), 4])
    a = arr.sample(1000, np.random.default_rng(5))
    b = arr.sample(1000, np.random.default_rng(5))
    assert np.array_equal(a, b)
    assert a[0].min() >= 1 and a[0].max() <= 3
    assert set(np.unique(a[2])) == {7.0, 8.0}
    assert (a[3] == 4).all()


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        (-1, "non-negative duration; got -1"),
        (float("nan"), "non-negative duration; got nan"),
        (float("inf"), "non-negative duration; got inf"),
        ("2 days", "got '2 days' of type str"),
        ({"dist": "gamma", "shape": 2}, "'dist' must be one of"),
        ({"dist": "triangular", "low": 1, "high": 3}, "needs the key 'mode'"),
        ({"dist": "triangular", "low": 4, "mode": 2, "high": 3}, "low <= mode <= high"),
        ({"dist": "pert", "low": -1, "mode": 2, "high": 3}, "'low' must be >= 0"),
        ({"dist": "uniform", "low": 3, "high": 1}, "0 <= low <= high"),
        ({"dist": "lognormal", "mu": 0, "sigma": -1}, "'sigma' must be >= 0"),
        ({"dist": "empirical", "samples": []}, "must not be empty"),
        ({"dist": "empirical", "samples": [1, -2]}, "numbers from 0 to 1e+15; got -2"),
        ({"dist": "uniform", "low": 1, "high": 2, "mode": 1}, "unknown key 'mode'"),
        ({"dist": "fixed", "value": "3"}, "must be a finite number"),
    ],
)
def test_bad_durations_name_the_place(value, fragment):
    with pytest.raises(SchemaError) as info:
        as_duration(value, where="work of node 'x'")
    assert "work of node 'x'" in str(info.value)
    assert fragment in str(info.value)


def test_fixed_is_the_number():
    assert as_duration(3) == Fixed(3.0)
    assert Fixed(2.0).sample(3, np.random.default_rng(0)).tolist() == [2.0, 2.0, 2.0]


def test_triangular_with_a_tiny_width_has_a_cdf_and_quantiles_not_nan():
    # (high - low) * (mode - low) underflows to 0 at these widths
    t = Triangular(0.0, 2.88e-215, 2.88e-215)
    assert t.cdf(np.array([0.0, 2.88e-215])).tolist() == [0.0, 1.0]
    q = np.array([0.1, 0.5, 0.9])
    x = t.ppf(q)
    assert np.all(np.isfinite(x)) and np.all(np.diff(x) > 0)
    np.testing.assert_allclose(t.cdf(x), q, rtol=1e-12)
