"""NodeScores and NodeTable."""

from __future__ import annotations

import inspect
import json
import math
import pickle
from collections.abc import Callable, Mapping
from typing import Any

import networkx as nx
import numpy as np
import pytest

import intcust as ic
from intcust.errors import ParameterError
from intcust.results import INFINITY, NodeScores, NodeTable, json_key, json_ready


def test_node_scores_is_a_dict():
    s = NodeScores({"a": 2.0, "b": 5.0, "c": 5.0}, name="load", description="volume served")
    assert isinstance(s, dict)
    assert json.loads(json.dumps(s)) == {"a": 2.0, "b": 5.0, "c": 5.0}
    assert s.top(2) == [("b", 5.0), ("c", 5.0)]
    assert s.top(1, ascending=True) == [("a", 2.0)]
    assert "load" in repr(s)
    html = s._repr_html_()
    assert html.count("<tr>") == 4 and "volume served" in html
    with pytest.raises(ParameterError, match="'k' parameter of top"):
        s.top(-1)


def test_big_results_show_top_rows_only():
    s = NodeScores({i: float(i) for i in range(100)})
    assert "80 more rows" in s._repr_html_()
    assert len(repr(s)) < 120


def test_node_table():
    t = NodeTable({"a": {"x": 1, "y": "p"}, "b": {"x": 3, "y": "<q>"}}, name="t")
    assert t.columns == ("x", "y")
    assert t.column("x") == {"a": 1.0, "b": 3.0}
    assert t.to_dict() == {"a": {"x": 1, "y": "p"}, "b": {"x": 3, "y": "<q>"}}
    assert "&lt;q&gt;" in t._repr_html_()
    with pytest.raises(ParameterError, match="must have the columns"):
        NodeTable({"a": {"x": 1}, "b": {"y": 2}})
    with pytest.raises(ParameterError, match="'name' parameter of column"):
        t.column("z")


def test_table_of_array_columns_reads_python_numbers_and_owns_its_values():
    x = np.array([1.5, np.inf])
    t = NodeTable.from_columns(["a", "b"], {"x": x, "n": np.array([2, 3])})
    x[0] = 99.0  # the caller's array is not the table's
    assert t["a"] == {"x": 1.5, "n": 2} and type(t["a"]["x"]) is float
    assert type(t["b"]["n"]) is int and t["b"]["x"] == math.inf
    assert t.column("x") == {"a": 1.5, "b": math.inf}
    assert t.to_dict() == {"a": {"x": 1.5, "n": 2}, "b": {"x": "Infinity", "n": 3}}


def test_frames():
    pd = pytest.importorskip("pandas")
    s = NodeScores({"a": 1.0}, name="load")
    assert s.to_frame().loc["a", "load"] == 1.0
    t = NodeTable({"a": {"x": 1}})
    frame = t.to_frame()
    assert isinstance(frame, pd.DataFrame)
    assert frame.index.name == "node"


def test_non_numeric_column_is_refused_clearly():
    t = NodeTable({"a": {"rho": 0.5}, "guests": {"rho": None}}, name="utilisation")
    with pytest.raises(ParameterError, match="not numeric for 1 node"):
        t.column("rho")


def test_table_repr_is_short():
    t = NodeTable({"a": {f"c{i}": i for i in range(12)}}, name="summary")
    assert len(repr(t)) < 100


# ------------------------------------------------- the JSON contract of every result


def _org() -> nx.DiGraph:
    """The hotel with what makes JSON hard: a stakeholder no due date limits (infinite
    float), a customer no outage reaches, pair keys, integer and tuple node names."""
    G = ic.datasets.hotel()
    ic.add_stakeholder(G, 7, work=1.0, unit="Night")  # an int node name
    ic.add_stakeholder(G, ("night", "porter"), work=1.0, unit="Night")
    ic.add_service(G, 7, ("night", "porter"), deliverable="keys", sla=0.5, lead_time=1.0)
    ic.add_stakeholder(G, "late guests", kind="external")
    ic.add_service(G, ("night", "porter"), "late guests", deliverable="keys")
    return G


def _logs() -> tuple[nx.DiGraph, nx.DiGraph]:
    def org(samples: list[float]) -> nx.DiGraph:
        G = ic.org_graph()
        ic.add_service(G, "a", "b", lead_time={"dist": "empirical", "samples": samples})
        ic.add_service(G, ("x", 1), "b", volume=2.0)
        return G

    return org([1, 2, 3, 4, 5] * 4), org([6, 7, 8, 9, 10] * 4)


#: One way to get each result type of the public packages, on awkward input.
FACTORIES: dict[str, Callable[[nx.DiGraph], Any]] = {
    "NodeScores": lambda G: ic.metrics.sla_compliance(G),  # pair keys
    "NodeTable": lambda G: ic.metrics.unit_reciprocity(G),  # pair keys
    "BetweennessScores": lambda G: ic.metrics.betweenness(G, k=5, seed=1),
    "Bottleneck": lambda G: ic.bottlenecks(G).rows[0],
    "BottleneckReport": lambda G: ic.bottlenecks(G),
    "Breakdown": lambda G: ic.metrics.breakdown_points(G, "guests"),
    "Comparison": lambda G: ic.metrics.compare(*_logs()),
    "EIIndex": lambda G: ic.metrics.ei_index(G),
    "KrackhardtDimensions": lambda G: ic.metrics.krackhardt_dimensions(nx.DiGraph()),
    "Reciprocity": lambda G: ic.metrics.reciprocity(G),
    "SLABreaches": lambda G: ic.metrics.sla_breaches(G),
    "Survey": lambda G: ic.metrics.read_survey(
        [("reception", "IT", 2)], G=G, nonrespondent="impute"
    ),
    "Contribution": lambda G: ic.metrics.contribution(G, seed=1),
    "Recognition": lambda G: ic.metrics.recognition(G, n=20, seed=1),
    "ServiceCatalogue": lambda G: ic.metrics.service_catalogue(G),
    "CycleTime": lambda G: ic.sim.cycle_time(G),
    "DelayImpact": lambda G: ic.sim.delay(G, {"kitchen": 2.0, 7: 1.0}),
    "Loop": lambda G: ic.sim.cycle_time(G).critical[0],
    "MonteCarloResult": lambda G: ic.sim.monte_carlo(G, 50, seed=1),
    "Outage": lambda G: ic.sim.outage(G, {"butcher": 1.0}),
    "Rounds": lambda G: ic.sim.rounds(G, 3, delays={("kitchen", 0): 1.0}),
    "RoundsRisk": lambda G: ic.sim.monte_carlo_rounds(G, 3, 20, seed=1),
    "Schedule": lambda G: ic.sim.schedule(G),
    "Duration": lambda G: ic.sim.Fixed(2.0),
    "Empirical": lambda G: ic.sim.Empirical([1.0, 2.0]),
    "Fixed": lambda G: ic.sim.Fixed(0.0),
    "LogNormal": lambda G: ic.sim.LogNormal(0.0, 0.5),
    "PERT": lambda G: ic.sim.PERT(1.0, 2.0, 4.0),
    "Triangular": lambda G: ic.sim.Triangular(1.0, 2.0, 4.0),
    "Uniform": lambda G: ic.sim.Uniform(1.0, 2.0),
}
#: Public classes that are no result.
NOT_RESULTS = {"CompiledOrg"}


def result_types() -> dict[str, type]:
    """Every public class of the packages' ``__all__`` lists, exceptions aside."""
    found: dict[str, type] = {}
    for package in (ic, ic.metrics, ic.sim, ic.datasets):
        for name in package.__all__:
            value = getattr(package, name)
            if inspect.isclass(value) and not issubclass(value, BaseException):
                found[name] = value
    return {k: v for k, v in found.items() if k not in NOT_RESULTS}


def test_every_result_type_has_a_factory() -> None:
    assert set(result_types()) == set(FACTORIES)


@pytest.fixture(scope="module")
def awkward() -> nx.DiGraph:
    return _org()


@pytest.mark.parametrize("name", sorted(FACTORIES))
def test_to_dict_is_strict_json(name: str, awkward: nx.DiGraph) -> None:
    result = FACTORIES[name](awkward.copy())
    assert isinstance(result, result_types()[name])
    data = result.to_dict()
    text = json.dumps(data, allow_nan=False)
    assert json.loads(text) == data  # nothing json would change: keys are str, no tuples


def test_the_encoding_of_infinity_and_pairs() -> None:
    G = _org()
    assert float(INFINITY) == math.inf
    table = NodeTable({7: {"float": math.inf}, ("a", "b"): {"float": 1.0}})
    assert table.to_dict() == {"7": {"float": "Infinity"}, '["a", "b"]': {"float": 1.0}}
    compliance = ic.metrics.sla_compliance(G).to_dict()
    assert json.loads(next(iter(compliance))) == ["purchasing", "kitchen"]
    assert '["7", ["night", "porter"]]' not in compliance
    assert compliance[json.dumps([7, ["night", "porter"]])] == 0.0
    scores = NodeScores({"a": math.inf, "b": -math.inf, "c": 1.5})
    assert scores.to_dict() == {"a": "Infinity", "b": "-Infinity", "c": 1.5}
    assert json_ready({"x": float("nan")}) == {"x": None}
    assert json_key(("Sales", "Sales")) == '["Sales", "Sales"]'


def test_node_table_is_a_read_only_mapping_of_rows() -> None:
    t = NodeTable({"a": {"x": 1}, "b": {"x": 2}})
    assert isinstance(t, Mapping)
    assert dict(t.items()) == {"a": {"x": 1}, "b": {"x": 2}}
    with pytest.raises(TypeError, match="read-only"):
        t["a"]["x"] = 5  # type: ignore[index]
    with pytest.raises(TypeError):
        t["a"].update(x=5)
    with pytest.raises(TypeError):
        t["a"] = {"x": 3}  # type: ignore[index]
    assert t["a"] == {"x": 1} and repr(t["a"]) == "{'x': 1}"
    assert pickle.loads(pickle.dumps(t["a"])) == {"x": 1}
    mutable = dict(t["a"])
    mutable["x"] = 9
    assert t["a"]["x"] == 1
