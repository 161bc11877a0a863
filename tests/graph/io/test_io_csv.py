"""The CSV pair: the cell rule, the graph line, hand-written and pandas-written files."""

from __future__ import annotations

import csv
import io
import json
import math
from pathlib import Path
from typing import Any

import pytest

import intcust as ic
from intcust.errors import ParameterError
from intcust.graph.io.codec import decode_cell, encode_cell
from intcust.sim import PERT


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("email design", "email design"),
        ("42", '"42"'),
        ("true", '"true"'),
        ("True", '"True"'),
        ("null", '"null"'),
        ("NaN", '"NaN"'),
        ("", '""'),
        ("[x", '"[x"'),
        ('"quoted"', '"\\"quoted\\""'),
        (" 1", " 1"),
        ("1.2.3", "1.2.3"),
        (42, "42"),
        (0.1, "0.1"),
        (2.0, "2.0"),
        (True, "true"),
        (None, "null"),
        ([1, "a"], '[1, "a"]'),
        (
            PERT(1.0, 2.0, 4.0),
            '{"dist": "pert", "low": 1.0, "mode": 2.0, "high": 4.0, "shape": 4.0}',
        ),
    ],
)
def test_cell_rule_is_lossless(value: Any, cell: str) -> None:
    assert encode_cell(value, "x") == cell
    back = decode_cell(cell)
    expected = value.to_dict() if isinstance(value, PERT) else value
    assert back == expected and type(back) is type(expected)


@pytest.mark.parametrize(
    ("cell", "value"),
    [
        ("TRUE", True),
        ("False", False),
        (".5", 0.5),
        ("+3", 3),
        ("1e3", 1000.0),
        ("Infinity", math.inf),
    ],
)
def test_hand_written_cells(cell: str, value: Any) -> None:
    back = decode_cell(cell)
    assert back == value and type(back) is type(value)


def test_hand_written_pair_reads_with_defaults_and_durations(tmp_path: Path) -> None:
    (tmp_path / "stakeholders.csv").write_text(
        "\ufeffnode,kind,unit,work,note\r\n"
        'designer,person,Marketing,"{""dist"": ""pert"", ""low"": 1, ""mode"": 2, ""high"": 4}",\r\n'
        "sender,,Marketing,1,call first\r\n"
        "customers,external,,,\r\n",
        encoding="utf-8",
    )
    (tmp_path / "services.csv").write_text(
        "supplier,customer,deliverable,lead_time,blocking\n"
        "designer,sender,email design,0.5,True\n"
        "\n"
        "sender,customers,campaign,,\n",
        encoding="utf-8",
    )
    G = ic.read(tmp_path)
    assert G.graph == {}
    assert G.nodes["designer"] == {"kind": "person", "unit": "Marketing", "work": PERT(1, 2, 4)}
    assert G.nodes["sender"] == {"unit": "Marketing", "work": 1, "note": "call first"}
    assert G.edges["designer", "sender"] == {
        "deliverable": "email design",
        "lead_time": 0.5,
        "blocking": True,
    }
    assert G.edges["sender", "customers"] == {"deliverable": "campaign"}


def test_graph_line_and_columns(tmp_path: Path) -> None:
    G = ic.datasets.email_campaign()
    ic.write_csv(G, tmp_path / "s.csv", tmp_path / "e.csv")
    first, header = (tmp_path / "s.csv").read_text(encoding="utf-8").splitlines()[:2]
    (cell,) = next(csv.reader([first]))  # one quoted cell, so a spreadsheet shows one cell
    assert cell.startswith("# ")
    meta = json.loads(cell[2:])
    manifest = meta.pop("manifest")
    assert meta == {"name": "E-mail campaign", "time_unit": "day", "schema_version": "1.0"}
    assert manifest["stakeholders"] == 5 and manifest["services"] == 5
    edge_first = (tmp_path / "e.csv").read_text(encoding="utf-8").splitlines()[0]
    assert json.loads(next(csv.reader([edge_first]))[0][2:])["manifest"] == manifest
    assert header == "node,kind,unit,employment,role,work,due"
    H = ic.read_csv(tmp_path / "s.csv", tmp_path / "e.csv")
    assert H.graph == G.graph


def test_pandas_reads_the_tables(tmp_path: Path) -> None:
    pd = pytest.importorskip("pandas")
    G = ic.datasets.email_campaign()
    ic.write(G, tmp_path)
    nodes = pd.read_csv(tmp_path / "stakeholders.csv", skiprows=1)
    edges = pd.read_csv(tmp_path / "services.csv", skiprows=1)
    assert list(nodes["node"]) == list(G)
    assert edges["volume"].sum() == sum(v for _, _, v in G.edges(data="volume"))


def test_names_that_look_like_numbers_stay_text() -> None:
    G = ic.org_graph()
    ic.add_service(G, "1", 1)
    ic.add_service(G, "null", "[a]")
    s, e = io.StringIO(), io.StringIO()
    ic.write_csv(G, s, e)
    H = ic.read_csv(io.StringIO(s.getvalue()), io.StringIO(e.getvalue()))
    assert list(H) == ["1", 1, "null", "[a]"]


@pytest.mark.parametrize(("where", "name"), [("node", "node"), ("edge", "supplier")])
def test_writer_rejects_reserved_columns(where: str, name: str) -> None:
    G = ic.org_graph()
    ic.add_service(G, "a", "b")
    data = G.nodes["a"] if where == "node" else G.edges["a", "b"]
    data[name] = 1
    with pytest.raises(ParameterError, match=f"'{name}'"):
        ic.write_csv(G, io.StringIO(), io.StringIO())
