"""compare: what changed between two snapshots, and whether it is more than noise."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats

import intcust as ic
from intcust.errors import ParameterError
from intcust.metrics import compare
from intcust.metrics.service.comparison import _adjust


def _org(samples, *, volume=10, sla=None, satisfaction=None, extra=None):
    G = ic.org_graph()
    ic.add_stakeholder(G, "a", work=1.0)
    ic.add_service(
        G,
        "a",
        "b",
        lead_time={"dist": "empirical", "samples": list(samples)},
        volume=volume,
        sla=sla,
        satisfaction=satisfaction,
    )
    ic.add_service(G, "b", "c", lead_time={"dist": "empirical", "samples": [1.0, 2.0, 3.0] * 10})
    if extra:
        ic.add_service(G, *extra)
    return G


samples = st.lists(st.floats(0, 100, allow_nan=False), min_size=20, max_size=80)


@given(samples, st.floats(1, 50))
def test_a_planted_lead_time_change_is_flagged(base, factor):
    spread = max(base) - min(base) + 1.0
    after = [x + factor * spread for x in base]  # every value beyond the old range
    c = compare(_org(base), _org(after))
    assert c.changed == (("a", "b"),)
    row = c.services[("a", "b")]
    assert row["effect"] == pytest.approx(1.0)
    assert row["lead_time_change"] == pytest.approx(np.mean(after) - np.mean(base))


@given(
    st.lists(st.floats(1, 100, allow_nan=False), min_size=20, max_size=80, unique=True),
    st.randoms(use_true_random=False),
)
def test_noise_is_ignored(base, rnd):
    """Measurement noise smaller than the gaps between observations moves no rank but its own."""
    gap = float(np.min(np.diff(np.sort(base))))
    jitter = [x + rnd.uniform(-gap / 3, gap / 3) for x in base]
    rnd.shuffle(jitter)
    c = compare(_org(base), _org(jitter))
    assert c.changed == ()
    assert abs(c.services[("a", "b")]["effect"]) <= 1 / len(base) + 1e-12
    assert c.services[("a", "b")]["p_adjusted"] > 0.5


def test_p_value_and_effect_match_scipy():
    rng = np.random.default_rng(3)
    x, y = rng.exponential(2.0, 40), rng.exponential(2.6, 50)
    c = compare(_org(x), _org(y), correction="none")
    row = c.services[("a", "b")]
    ref = stats.mannwhitneyu(y, x, alternative="two-sided")
    assert row["p_value"] == pytest.approx(ref.pvalue)
    assert row["effect"] == pytest.approx(2 * ref.statistic / (40 * 50) - 1)
    ks = compare(_org(x), _org(y), test="ks").services[("a", "b")]
    assert ks["p_value"] == pytest.approx(stats.ks_2samp(x, y).pvalue)


def test_holm_and_bh_adjustments():
    p = [0.01, 0.04, 0.03, 0.005]
    # Holm: sorted 0.005*4, 0.01*3, 0.03*2, 0.04*1 -> 0.02, 0.03, 0.06, 0.06 (monotone)
    assert _adjust(p, "holm") == pytest.approx([0.03, 0.06, 0.06, 0.02])
    # BH: sorted p*m/rank -> 0.02, 0.02, 0.04, 0.04 (monotone from the top)
    assert _adjust(p, "bh") == pytest.approx([0.02, 0.04, 0.04, 0.02])
    assert _adjust(p, "none") == p


def test_other_differences_added_and_removed():
    before = _org([1.0] * 20, volume=10, sla=1.5, satisfaction=0.5, extra=("c", "d"))
    after = _org([1.0] * 10 + [2.0] * 10, volume=14, sla=1.5, satisfaction=0.75, extra=("c", "e"))
    c = compare(before, after)
    row = c.services[("a", "b")]
    assert row["volume_change"] == 4.0
    assert row["compliance_change"] == pytest.approx(-0.5)
    assert row["satisfaction_change"] == pytest.approx(0.25)
    assert c.added == (("c", "e"),) and c.removed == (("c", "d"),)
    assert c.nodes["a"]["volume_out_change"] == 4.0
    assert c.nodes["b"]["volume_in_change"] == 4.0
    assert c.services[("b", "c")]["changed"] is False
    frame = c.to_frame()
    assert set(frame["supplier"]) == {"a", "b"}
    assert c.to_dict()["added"] == [["c", "e"]]
    assert "changed" in repr(c) and "<table>" in c._repr_html_()


def test_services_without_samples_are_not_tested():
    G = ic.org_graph()
    ic.add_service(G, "a", "b", lead_time=2)
    H = ic.org_graph()
    ic.add_service(H, "a", "b", lead_time=3)
    row = compare(G, H).services[("a", "b")]
    assert row["p_value"] is None and row["changed"] is False
    assert row["lead_time_change"] == 1.0


def test_two_logs_are_mined_and_compared():
    def log(wait_hours):
        rows = []
        for i in range(30):
            t0 = pd.Timestamp("2024-01-01") + pd.Timedelta(days=i)
            rows.append((str(i), "a", "x", t0))
            rows.append((str(i), "b", "y", t0 + pd.Timedelta(hours=wait_hours + (i % 5))))
        return pd.DataFrame(
            rows, columns=["case:concept:name", "concept:name", "org:resource", "time:timestamp"]
        )

    c = compare(log(2), log(20))
    assert ("x", "y") in c.changed
    assert ("y", "case completed") not in c.changed


def test_bad_options():
    G = _org([1.0] * 20)
    with pytest.raises(ParameterError, match="'test' parameter of compare"):
        compare(G, G, test="t")
    with pytest.raises(ParameterError, match="'alpha' parameter of compare"):
        compare(G, G, alpha=0)


@pytest.mark.parametrize("alpha", [2, 1, 1.5, -0.05, float("nan"), float("inf"), True, "0.05"])
def test_alpha_outside_the_open_unit_interval_is_refused(alpha):
    G = _org([1.0] * 20)
    with pytest.raises(
        ParameterError,
        match=r"^The 'alpha' parameter of compare must be a number in \(0, 1\); got ",
    ):
        compare(G, G, alpha=alpha)
