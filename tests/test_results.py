"""NodeScores and NodeTable."""

from __future__ import annotations

import json

import pytest

from intcust.errors import ParameterError
from intcust.results import NodeScores, NodeTable


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
