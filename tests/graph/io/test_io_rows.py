"""Several services of one supplier to one customer, in every reader and writer."""

from __future__ import annotations

import io
import pathlib
from typing import Any

import networkx as nx
import pytest
from test_io_roundtrip import FORMATS

import intcust as ic
from _compare import assert_same_org
from intcust.errors import ParameterError, ReadError
from intcust.graph.io._rows import edge_rows
from intcust.sim import Uniform


def clerk() -> nx.DiGraph:
    """IT gives the clerk PMS access and IT support; the pair has a note of its own."""
    G = ic.org_graph(name="Hotel")
    ic.add_stakeholder(G, "guests", kind="external", due=3)
    ic.add_service(G, "IT", "clerk", deliverable="PMS access", lead_time=Uniform(0, 1))
    ic.add_service(G, "IT", "clerk", deliverable="IT support", volume=5, attrs={"note": "x"})
    ic.add_service(G, "contractor", "clerk", deliverable="IT support")
    ic.add_service(G, "clerk", "guests")
    G.edges["IT", "clerk"]["services"][1]["channel"] = "phone"
    return G


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_every_format_keeps_the_services_of_a_pair(fmt: str, tmp_path: pathlib.Path) -> None:
    G = clerk()
    H = FORMATS[fmt](G, tmp_path)
    assert_same_org(G, H)
    assert H.edges["IT", "clerk"]["services"][0]["lead_time"] == Uniform(0, 1)
    assert ic.sim.schedule(H).makespan == ic.sim.schedule(G).makespan


def test_rows_of_a_pair() -> None:
    data = clerk().edges["IT", "clerk"]
    rows = edge_rows("IT", "clerk", data, "f")
    assert rows[0] == {"note": "x"}  # the pair row: no deliverable, no schema attribute
    assert [r["deliverable"] for r in rows[1:]] == ["PMS access", "IT support"]
    one = {"services": [{"deliverable": "a"}]}
    assert edge_rows("u", "v", one, "f") == [{}, {"deliverable": "a"}]


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        ({"services": [{"deliverable": "a"}, {"lead_time": 1}]}, "own named deliverable"),
        ({"services": [{"deliverable": "a"}, {"deliverable": "a"}]}, "own named deliverable"),
        ({"services": "a, b"}, "non-empty list"),
        ({"services": [{"deliverable": "a"}], "volume": 2}, "'volume' of its own"),
    ],
)
def test_rows_refuse_services_they_cannot_tell_apart(data: dict[str, Any], fragment: str) -> None:
    G = ic.org_graph()
    G.add_edge("u", "v", **data)
    with pytest.raises(ParameterError, match=fragment):
        ic.write_csv(G, io.StringIO(), io.StringIO())


NODES = "node\nIT\nclerk\ncontractor\n"


def test_hand_written_csv_lists_one_row_per_service() -> None:
    edges = (
        "supplier,customer,deliverable,lead_time,channel\n"
        "IT,clerk,PMS access,1,\n"
        "contractor,clerk,IT support,,mail\n"
        "IT,clerk,IT support,0.5,phone\n"
    )
    G = ic.read_csv(io.StringIO(NODES), io.StringIO(edges))
    assert list(G.edges) == [("IT", "clerk"), ("contractor", "clerk")]
    assert G.edges["IT", "clerk"] == {
        "services": [
            {"deliverable": "PMS access", "lead_time": 1},
            {"deliverable": "IT support", "lead_time": 0.5, "channel": "phone"},
        ]
    }


@pytest.mark.parametrize(
    ("edges", "fragments"),
    [
        (
            "IT,clerk,PMS,1\nIT,clerk,,2\n",
            ["line 3", "appears twice (first at", "named deliverable"],
        ),
        (
            "IT,clerk,PMS,1\nIT,clerk,PMS,2\n",
            ["line 3", "deliverable 'PMS' appears twice", "line 2"],
        ),
        ("IT,clerk,,\nIT,clerk,,\n", ["line 3", "appears twice"]),
    ],
)
def test_rows_of_one_pair_must_be_told_apart(edges: str, fragments: list[str]) -> None:
    with pytest.raises(ReadError) as info:
        ic.read_csv(
            io.StringIO(NODES), io.StringIO("supplier,customer,deliverable,lead_time\n" + edges)
        )
    for fragment in fragments:
        assert fragment in str(info.value)


def test_hand_written_yaml_and_json_list_a_pair_twice() -> None:
    text = """
stakeholders: {IT: {}, clerk: {}}
services:
  - {supplier: IT, customer: clerk, deliverable: PMS access, lead_time: 1}
  - {supplier: IT, customer: clerk, deliverable: IT support}
"""
    G = ic.read_yaml(io.StringIO(text))
    assert [s["deliverable"] for s in G.edges["IT", "clerk"]["services"]] == [
        "PMS access",
        "IT support",
    ]
    json_text = (
        '{"nodes": [{"id": "IT"}, {"id": "clerk"}], "edges": ['
        '{"source": "IT", "target": "clerk", "deliverable": "a"},'
        '{"source": "IT", "target": "clerk", "deliverable": "b", "lead_time": 2}]}'
    )
    H = ic.read_json(io.StringIO(json_text))
    assert H.edges["IT", "clerk"]["services"][1] == {"deliverable": "b", "lead_time": 2}


def test_graphml_writes_parallel_edges_that_networkx_reads() -> None:
    f = io.StringIO()
    ic.write_graphml(clerk(), f)
    M = nx.read_graphml(io.StringIO(f.getvalue()), force_multigraph=True)
    assert M.number_of_edges("IT", "clerk") == 3  # the pair row and two services
    assert sorted(d.get("deliverable", "") for d in M["IT"]["clerk"].values()) == [
        "",
        "IT support",
        "PMS access",
    ]


def test_services_in_frames_are_rows() -> None:
    pytest.importorskip("pandas")
    nodes, edges = ic.to_frames(clerk())
    pair = edges[(edges["supplier"] == "IT") & (edges["customer"] == "clerk")]
    assert pair["deliverable"].isna().tolist() == [True, False, False]
    assert pair["volume"].tolist()[2] == 5
    assert_same_org(clerk(), ic.from_frames(nodes, edges))
