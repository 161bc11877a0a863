"""GraphML: native types for other tools, JSON keys for the rest, foreign files."""

from __future__ import annotations

import io
from pathlib import Path

import networkx as nx
import pytest

import intcust as ic
from intcust.errors import ParameterError
from intcust.sim import Uniform


def _org() -> nx.DiGraph:
    G = ic.org_graph(name="Acme", time_unit="day")
    ic.add_stakeholder(G, "a", work=Uniform(1.0, 2.0), servers=2, attrs={"score": 1})
    ic.add_stakeholder(G, "b", work=3, servers=1, attrs={"score": 2.5})
    ic.add_service(G, "a", "b", volume=4, satisfaction=0.5, blocking=True)
    return G


def test_networkx_sees_numbers_as_numbers(tmp_path: Path) -> None:
    ic.write_graphml(_org(), tmp_path / "org.graphml")
    H = nx.read_graphml(tmp_path / "org.graphml")
    assert H.nodes["a"]["servers"] == 2 and isinstance(H.nodes["a"]["servers"], int)
    assert H.nodes["b"]["score"] == 2.5
    assert H.edges["a", "b"]["satisfaction"] == 0.5
    assert H.edges["a", "b"]["blocking"] is True
    assert H.graph["schema_version"] == "1.0"


def test_key_types_and_json_marks(tmp_path: Path) -> None:
    ic.write_graphml(_org(), tmp_path / "org.graphml")
    text = (tmp_path / "org.graphml").read_text(encoding="utf-8")
    assert 'attr.name="servers" attr.type="long"' in text
    assert 'attr.name="score" attr.type="double"' in text  # ints and floats
    assert 'attr.name="blocking" attr.type="boolean"' in text
    work_key = text[text.index('attr.name="work"') :].split("</key>")[0]
    assert "intcust:json" in work_key  # a duration and a number
    H = ic.read_graphml(tmp_path / "org.graphml")
    assert H.nodes["a"]["score"] == 1 and type(H.nodes["a"]["score"]) is int
    assert H.nodes["a"]["work"] == Uniform(1.0, 2.0)


def test_we_read_what_networkx_writes(tmp_path: Path) -> None:
    G = nx.DiGraph(name="plain")
    G.add_node("a", kind="team", due=3.0, servers=2)
    G.add_edge("a", "b", volume=2.5, deliverable="parts")
    nx.write_graphml(G, tmp_path / "nx.graphml")
    H = ic.read_graphml(tmp_path / "nx.graphml")
    assert H.nodes["a"] == {"kind": "team", "due": 3.0, "servers": 2}
    assert H.edges["a", "b"] == {"volume": 2.5, "deliverable": "parts"}
    assert H.graph == {"name": "plain"}


def test_defaults_and_yed_graphics() -> None:
    text = """<?xml version="1.0" encoding="UTF-8"?>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:y="http://www.yworks.com/xml/graphml">
  <key id="d0" for="node" attr.name="kind" attr.type="string"><default>team</default></key>
  <key id="d1" for="node" yfiles.type="nodegraphics"/>
  <graph edgedefault="directed">
    <node id="n0"><data key="d1"><y:ShapeNode><y:NodeLabel>x</y:NodeLabel></y:ShapeNode></data></node>
    <node id="n1"><data key="d0">external</data></node>
    <edge source="n0" target="n1"/>
  </graph>
</graphml>"""
    H = ic.read_graphml(io.BytesIO(text.encode()))
    assert dict(H.nodes(data="kind")) == {"n0": "team", "n1": "external"}


def test_non_string_names_use_json_ids() -> None:
    G = ic.org_graph()
    ic.add_service(G, 1, "1")
    ic.add_service(G, "1", "line\rbreak")
    f = io.StringIO()
    ic.write_graphml(G, f)
    assert "intcust:node-ids=json" in f.getvalue()
    assert list(ic.read_graphml(io.StringIO(f.getvalue()))) == [1, "1", "line\rbreak"]


def test_text_xml_cannot_hold_is_json_encoded() -> None:
    G = ic.org_graph(name="tab\there")
    ic.add_stakeholder(G, "a", role="x\x00y", attrs={"big": 2**70})
    f = io.StringIO()
    ic.write_graphml(G, f)
    H = ic.read_graphml(io.StringIO(f.getvalue()))
    assert H.nodes["a"] == G.nodes["a"] and H.graph == G.graph


def test_attribute_names_xml_cannot_hold_are_rejected() -> None:
    G = ic.org_graph()
    G.add_node("a", **{"bad\x01name": 1})
    with pytest.raises(ParameterError, match="attribute name"):
        ic.write_graphml(G, io.StringIO())
