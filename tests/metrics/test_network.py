"""The one reader of an organisation: every metric treats one input one way.

Weights, ties (pairs and services), self-loops, levels and groups are read in
`intcust.metrics._network`; these tests give the same input to every metric
and expect the same treatment and the same message from each.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import networkx as nx
import pytest

import intcust as ic
from intcust.errors import ParameterError

M = ic.metrics

#: Every metric that takes an edge weight, called with `weight` and nothing else.
WEIGHTED: dict[str, Callable[..., Any]] = {
    "service_load": M.service_load,
    "dependence": M.dependence,
    "reliance": M.reliance,
    "external_reach": M.external_reach,
    "reciprocity": M.reciprocity,
    "unit_reciprocity": M.unit_reciprocity,
    "ei_index": M.ei_index,
    "structural_holes": M.structural_holes,
    "constraint": M.constraint,
    "effective_size": M.effective_size,
    "roles": M.roles,
    "summary": M.summary,
    "utilisation": M.utilisation,
}
#: Metrics that read the organisation as ties, whatever their options.
TIES: dict[str, Callable[..., Any]] = {
    **WEIGHTED,
    "brokerage": M.brokerage,
    "krackhardt_dimensions": M.krackhardt_dimensions,
    "key_players": lambda G, **kw: M.key_players(G, 1, **kw),
    "fragmentation": M.fragmentation,
}


def _message(func: Callable[..., Any], G: nx.DiGraph, **kw: Any) -> str:
    with pytest.raises(ParameterError) as err:
        func(G, **kw)
    return str(err.value)


@pytest.mark.parametrize("bad", ["lots", "3", True, -2.0, float("nan"), {"dist": "uniform"}])
def test_a_bad_volume_gets_one_message_everywhere(bad: object) -> None:
    G = ic.datasets.email_campaign()
    G.edges["designer", "sender"]["volume"] = bad
    messages = {name: _message(func, G) for name, func in WEIGHTED.items()}
    templates = {re.sub(rf"\b{name}\b", "F", m) for name, m in messages.items()}
    assert len(templates) == 1, messages
    (template,) = templates
    assert template == (
        f"volume of edge ('designer', 'sender') must be a finite number >= 0 for F "
        f"(its 'weight' parameter); got {bad!r}."
    )


def test_a_volume_given_as_a_distribution_is_refused_by_every_metric() -> None:
    G = ic.datasets.email_campaign()
    G.edges["designer", "sender"]["volume"] = ic.sim.Triangular(1, 2, 3)
    for name in ("reciprocity", "dependence"):
        with pytest.raises(ParameterError, match=r"volume of edge \('designer', 'sender'\)"):
            WEIGHTED[name](G)
    # a duration attribute does take a distribution, by its point value
    G.edges["designer", "sender"]["volume"] = 1
    G.edges["designer", "sender"]["lead_time"] = ic.sim.Triangular(1, 2, 3)
    assert M.betweenness(G, weight="lead_time")["sender"] >= 0


@pytest.mark.parametrize("weight", [3, "volum", ("volume",)])
def test_a_weight_no_edge_carries_is_an_error(weight: object) -> None:
    G = ic.datasets.company()
    for name, func in WEIGHTED.items():
        message = _message(func, G, weight=weight)
        assert f"The 'weight' parameter of {name}" in message, message


def test_schema_attributes_count_as_carried_by_every_edge() -> None:
    G = nx.DiGraph([("a", "b"), ("b", "c")])  # no volume, no lead time anywhere
    assert M.service_load(G)["a"]["volume_supplied"] == 1.0
    assert M.external_reach(G, weight="lead_time")["a"]["dependent_volume"] == 0.0
    G.edges["a", "b"]["cost"] = 4.0  # one edge carries it: the others count 1
    assert M.service_load(G, weight="cost")["b"]["volume_supplied"] == 1.0


def test_a_self_loop_is_no_tie_for_any_metric() -> None:
    G = ic.datasets.email_campaign()
    H = G.copy()
    H.add_edge("sender", "sender", volume=50.0, deliverable="notes to self", blocking=False)
    for name, func in TIES.items():
        a, b = func(G), func(H)
        same = a.to_dict() == b.to_dict() if hasattr(a, "to_dict") else a == b
        assert same, name


def test_several_services_of_one_pair_are_one_tie() -> None:
    G = ic.datasets.email_campaign()
    H = G.copy()
    data = H.edges["list keeper", "sender"]
    first = {k: data.pop(k) for k in list(data)}
    data["services"] = [
        {**first, "volume": 1.0},
        {"deliverable": "opt-outs", "volume": 2.0, "lead_time": 0.5, "blocking": False},
    ]
    base = G.edges["list keeper", "sender"].get("volume", 1.0)
    load = M.service_load(H)
    assert load["list keeper"]["customers"] == M.service_load(G)["list keeper"]["customers"]
    assert load["list keeper"]["volume_supplied"] == pytest.approx(
        M.service_load(G)["list keeper"]["volume_supplied"] - base + 3.0
    )
    C = ic.compile(H)
    assert C.n_edges == C.n_pairs + 1  # the compiled form has a row per service
    for name, func in TIES.items():
        a, b = func(H), func(C)
        assert a.to_dict() == b.to_dict() if hasattr(a, "to_dict") else a == b, name


def test_ties_are_read_without_walking_edge_views(monkeypatch: pytest.MonkeyPatch) -> None:
    G = ic.datasets.company()
    expected = M.structural_holes(G).to_dict()

    def forbidden(self: nx.DiGraph) -> Any:
        raise AssertionError("a metric walked G.edges in Python")

    monkeypatch.setattr(nx.DiGraph, "edges", property(forbidden))
    assert M.structural_holes(G).to_dict() == expected
    M.reciprocity(G)
    M.brokerage(G)
    M.krackhardt_dimensions(G)


# ------------------------------------------------------------------ groups


UNIT_LEVEL = {
    "ei_index": M.ei_index,
    "brokerage": M.brokerage,
    "roles": M.roles,
    "unit_reciprocity": M.unit_reciprocity,
    "summary": M.summary,
}
DATASETS = list(ic.datasets.EXAMPLES)


@pytest.mark.parametrize("dataset", DATASETS)
@pytest.mark.parametrize("name", sorted(UNIT_LEVEL))
def test_group_metrics_run_on_every_bundled_example_without_options(
    name: str, dataset: str
) -> None:
    G = getattr(ic.datasets, dataset)()
    result = UNIT_LEVEL[name](G)
    assert result is not None
    rolled = ic.rollup(G)  # the groups are the units of the rollup
    if name == "ei_index":
        assert set(result.units) == set(rolled)


def test_missing_has_one_vocabulary_and_default() -> None:
    G = ic.datasets.company()  # shareholders have no unit
    for name, func in UNIT_LEVEL.items():
        own = func(G)
        assert (own.to_dict() if hasattr(own, "to_dict") else own) == (
            func(G, missing="own").to_dict()
        ), name
        with pytest.raises(ParameterError, match=f"{name} groups nodes by their 'unit'"):
            func(G, missing="raise")
        with pytest.raises(ParameterError, match=f"'missing' parameter of {name}"):
            func(G, missing="error")
    pytest.importorskip("pandas")
    log = _log()
    with pytest.warns(DeprecationWarning, match="missing='raise'"):
        old = ic.from_event_log(log, missing="error")
    assert old.number_of_edges() == ic.from_event_log(log, missing="raise").number_of_edges()


def _log() -> Any:
    import pandas as pd

    return pd.DataFrame(
        {
            "case:concept:name": ["c1", "c1"],
            "concept:name": ["write", "send"],
            "org:resource": ["ann", "bob"],
            "time:timestamp": pd.to_datetime(["2024-01-01 09:00", "2024-01-01 10:00"]),
        }
    )


# ------------------------------------------------------------------ levels


#: Metrics with no unit-level reading: they follow each person's deliverables and times.
PERSON_ONLY = {
    "bus_factor",
    "single_points_of_failure",
    "breakdown_points",
    "service_catalogue",
    "sla_breaches",
    "sla_compliance",
}


def _level_parameter(func: Callable[..., Any]) -> bool:
    import inspect

    return "level" in inspect.signature(func).parameters


def test_every_metric_of_an_organisation_takes_level() -> None:
    G = ic.datasets.company()
    takes_G = {
        name: getattr(M, name)
        for name in M.__all__
        if callable(getattr(M, name))
        and not isinstance(getattr(M, name), type)
        and name not in ("compare", "read_survey")  # two snapshots; survey records
    }
    for name, func in takes_G.items():
        assert _level_parameter(func), name
        args = ("customers",) if name == "breakdown_points" else ()
        args = (1,) if name == "key_players" else args
        if name in PERSON_ONLY:  # no unit-level reading: a clear error, never a TypeError
            with pytest.raises(ParameterError, match=f"'level' parameter of {name} must be"):
                func(ic.datasets.email_campaign(), *args, level="unit")
        else:
            func(ic.datasets.email_campaign(), *args, level="unit")
    assert M.dependence(G, level="unit") == M.dependence(ic.rollup(G))
