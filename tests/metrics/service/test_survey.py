"""read_survey: ratings from survey records, and the policy for services nobody rated."""

from __future__ import annotations

import json

import pandas as pd
import pytest

import intcust as ic
from intcust.errors import ParameterError, ReadError, SchemaError
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


def test_a_record_rating_a_service_the_organisation_lacks_is_refused_naming_it():
    G = _org()
    with pytest.raises(ReadError) as err:
        read_survey([("sales", "it", 5), ("nobody", "it", 3)], G=G)
    assert str(err.value) == (
        "record 1 of the survey rates the service 'it' -> 'nobody' (supplier -> customer), "
        "which the organisation does not have: 'nobody' is not a stakeholder"
    )
    with pytest.raises(ReadError, match="'sales' does not supply 'hr'"):
        read_survey([("hr", "sales", 3)], G=G)  # both stakeholders, no such hand-off
    with pytest.raises(ReadError, match="'x' and 'y' are not stakeholders"):
        read_survey(pd.DataFrame({"customer": ["y"], "supplier": ["x"], "score": [3]}), G=G)
    with pytest.raises(ReadError, match="record 0 of the survey"):
        read_survey([{"customer": ["un", "hashable"], "supplier": "it", "score": 3}], G=G)


def test_every_record_rating_an_unknown_service_is_counted_the_first_named():
    records = [("sales", "it", 5)] + [(f"ghost {i}", "it", 3) for i in range(8)]
    with pytest.raises(ReadError) as err:
        read_survey(records, G=_org(), nonrespondent="impute")
    message = str(err.value)
    assert message.startswith(
        "8 survey records rate services the organisation does not have (supplier -> customer): "
        "record 1: 'it' -> 'ghost 0' ('ghost 0' is not a stakeholder); record 2: "
    )
    assert "record 5: 'it' -> 'ghost 4'" in message and "ghost 5" not in message
    assert message.endswith("; and 3 more")


def test_without_the_organisation_records_are_kept_until_applied():
    s = read_survey([("nobody", "it", 3)])
    assert s.ratings == {("it", "nobody"): 0.5}
    with pytest.raises(SchemaError, match="not a service"):
        s.apply(_org())
