"""read_survey: ratings from survey records, and the policy for services nobody rated."""

from __future__ import annotations

import json

import pandas as pd
import pytest

import intcust as ic
from intcust.errors import ParameterError, SchemaError
from intcust.metrics import read_survey


def _org():
    G = ic.org_graph()
    ic.add_service(G, "it", "sales")
    ic.add_service(G, "sales", "it", lag=1)
    ic.add_service(G, "it", "hr")
    ic.add_service(G, "hr", "sales")
    return G


def test_ignore_keeps_unrated_services_unrated():
    s = read_survey([("sales", "it", 5), ("hr", "it", 1)], G=_org())
    assert s.ratings == {("it", "sales"): 1.0, ("it", "hr"): 0.0}
    assert set(s.unrated) == {("sales", "it"), ("hr", "sales")}
    assert s.nonrespondent == "ignore"


def test_reciprocal_takes_the_other_sides_answer():
    s = read_survey([("sales", "it", 4)], G=_org(), nonrespondent="reciprocal")
    assert s.ratings[("sales", "it")] == s.ratings[("it", "sales")] == 0.75
    assert s.source[("sales", "it")] == "reciprocal"
    assert ("hr", "sales") in s.unrated and ("it", "hr") in s.unrated


def test_impute_takes_the_suppliers_mean_then_the_overall_mean():
    s = read_survey([("sales", "it", 5), ("hr", "it", 3)], G=_org(), nonrespondent="impute")
    assert s.source[("sales", "it")] == "imputed"
    assert s.ratings[("sales", "it")] == pytest.approx(0.75)  # overall mean, sales got none
    assert s.unrated == ()
    G = ic.org_graph()
    ic.add_service(G, "it", "a")
    ic.add_service(G, "it", "b")
    ic.add_service(G, "it", "c")
    s = read_survey([("a", "it", 1), ("b", "it", 3)], G=G, nonrespondent="impute")
    assert s.ratings[("it", "c")] == pytest.approx(0.25)  # it's mean from its other customers


def test_latest_record_counts_and_scale_maps_to_unit_interval():
    frame = pd.DataFrame(
        {
            "customer": ["sales", "sales", "sales"],
            "supplier": ["it", "it", "it"],
            "score": [0, 10, 6],
            "date": pd.to_datetime(["2024-01-01", "2024-03-01", "2024-03-01"]),
        }
    )
    s = read_survey(frame, scale=(0, 10))
    assert s.ratings == {("it", "sales"): pytest.approx(0.8)}
    H = s.apply(_org())
    assert H.edges["it", "sales"]["satisfaction"] == pytest.approx(0.8)
    assert "satisfaction" not in _org().edges["it", "sales"]
    assert list(s.to_frame().columns) == ["supplier", "customer", "satisfaction", "source"]


def test_bad_survey_input_is_named():
    with pytest.raises(ParameterError, match=r"score must be a number in \[1, 5\]; got 7"):
        read_survey([("a", "b", 7)])
    with pytest.raises(ParameterError, match="'G' parameter of read_survey is needed"):
        read_survey([("a", "b", 3)], nonrespondent="impute")
    with pytest.raises(ParameterError, match="'nonrespondent' parameter"):
        read_survey([("a", "b", 3)], nonrespondent="listwise")
    with pytest.raises(ParameterError, match="Record 0"):
        read_survey([("a",)])
    with pytest.raises(SchemaError, match="not a service"):
        read_survey([("nobody", "it", 3)]).apply(_org())


def test_survey_to_dict_is_strict_json():
    s = read_survey([("sales", "it", 5)], G=_org(), nonrespondent="reciprocal")
    data = s.to_dict()
    assert json.loads(json.dumps(data, allow_nan=False)) == data
    assert data["ratings"][0] == {
        "supplier": "it",
        "customer": "sales",
        "satisfaction": 1.0,
        "source": "reported",
    }
    assert {"supplier": "hr", "customer": "sales"} in data["unrated"]
