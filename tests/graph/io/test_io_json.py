"""Node-link JSON: layout, networkx interoperability, typed names, streams."""

from __future__ import annotations

import io
import json
from pathlib import Path

import networkx as nx
import pytest

import intcust as ic
from intcust.errors import ParameterError
from intcust.sim import Empirical, Triangular


def test_layout_has_schema_version_and_one_record_per_line(tmp_path: Path) -> None:
    G = ic.datasets.email_campaign()
    ic.write_json(G, tmp_path / "org.json")
    text = (tmp_path / "org.json").read_text(encoding="utf-8")
    data = json.loads(text)
    assert data["graph"]["schema_version"] == ic.SCHEMA_VERSION
    assert data["directed"] is True and data["multigraph"] is False
    assert [n["id"] for n in data["nodes"]] == list(G)
    assert data["nodes"][0]["work"] == G.nodes["designer"]["work"].to_dict()
    lines = text.splitlines()
    assert len(lines) == 3 + 2 + G.number_of_nodes() + G.number_of_edges() + 1
    assert "schema_version" not in ic.read_json(tmp_path / "org.json").graph


def test_networkx_reads_what_we_write_and_we_read_what_networkx_writes() -> None:
    G = ic.org_graph(name="plain")
    ic.add_stakeholder(G, "a", work=2, attrs={"note": "x"})
    ic.add_service(G, "a", "b", volume=3.5, deliverable="d")
    f = io.StringIO()
    ic.write_json(G, f)
    H = nx.node_link_graph(json.loads(f.getvalue()), edges="edges")
    assert dict(H.nodes(data=True)) == {
        "a": {"kind": "person", "work": 2, "note": "x"},
        "b": {"kind": "person"},
    }
    assert H.edges["a", "b"] == {"volume": 3.5, "deliverable": "d"}
    data = nx.node_link_data(G, edges="links")  # the older key
    K = ic.read_json(io.StringIO(json.dumps(data)))
    assert dict(K.nodes(data=True)) == dict(G.nodes(data=True))
    assert dict(K.edges) == dict(G.edges)


def test_int_and_tuple_names_keep_their_type() -> None:
    G = ic.org_graph()
    ic.add_service(G, 1, "1", lead_time=Empirical([1.0, 3.0]))
    ic.add_service(G, ("unit", 2), 1)
    f = io.BytesIO()
    ic.write_json(G, f)
    H = ic.read_json(io.BytesIO(f.getvalue()))
    assert list(H) == [1, "1", ("unit", 2)]
    assert H.edges[1, "1"]["lead_time"] == Empirical([1.0, 3.0])


def test_unknown_attributes_keep_nested_values() -> None:
    G = ic.org_graph()
    ic.add_stakeholder(G, "a", attrs={"tags": ["x", 1, None], "meta": {"k": {"dist": "x"}}})
    f = io.StringIO()
    ic.write_json(G, f)
    assert ic.read_json(io.StringIO(f.getvalue())).nodes["a"] == G.nodes["a"]


def test_numpy_values_are_written_as_numbers() -> None:
    np = pytest.importorskip("numpy")
    G = ic.org_graph()
    ic.add_stakeholder(G, "a", attrs={"score": np.float64(0.5), "rank": np.int64(3)})
    f = io.StringIO()
    ic.write_json(G, f)
    assert ic.read_json(io.StringIO(f.getvalue())).nodes["a"]["rank"] == 3


@pytest.mark.parametrize(
    ("attrs", "fragment"),
    [
        ({"id": 3}, "'id'"),
        ({"when": {1, 2}}, "set"),
        ({"lookup": {1: "x"}}, "mapping keys must be str"),
    ],
)
def test_writer_rejects_what_it_cannot_write(attrs: dict[str, object], fragment: str) -> None:
    G = ic.org_graph()
    G.add_node("a", **attrs)
    with pytest.raises(ParameterError, match="node 'a'") as info:
        ic.write_json(G, io.StringIO())
    assert fragment in str(info.value)


def test_older_and_missing_schema_versions_are_read() -> None:
    for graph in ('{"schema_version": "1.0"}', '{"schema_version": 1.0}', "{}"):
        text = f'{{"graph": {graph}, "nodes": [{{"id": "a", "work": {{"dist": "triangular", "low": 0, "mode": 1, "high": 2}}}}]}}'
        G = ic.read_json(io.StringIO(text))
        assert G.nodes["a"]["work"] == Triangular(0, 1, 2)
        assert G.graph == {}
