"""YAML: hand-written organisations, safe loading only, readable output."""

from __future__ import annotations

import io

import pytest

import intcust as ic
from intcust.errors import ParameterError, ReadError
from intcust.sim import PERT

pytest.importorskip("yaml")

HAND_WRITTEN = """\
name: Acme
time_unit: day
stakeholders:
  designer: {unit: Marketing, work: 2}
  sender: {work: {dist: pert, low: 0.5, mode: 1, high: 3}}
  customers: {kind: external, due: 5}
services:
  - {supplier: designer, customer: sender, deliverable: email design, lead_time: 0.5}
  - {supplier: sender, customer: customers}
"""


def test_hand_written_organisation() -> None:
    G = ic.read_yaml(io.StringIO(HAND_WRITTEN))
    assert G.graph == {"name": "Acme", "time_unit": "day"}
    assert G.nodes["designer"] == {"unit": "Marketing", "work": 2}
    assert G.nodes["sender"]["work"] == PERT(0.5, 1, 3)
    assert G.edges["designer", "sender"] == {"deliverable": "email design", "lead_time": 0.5}
    assert ic.external_customers(G) == ["customers"]


def test_output_is_one_line_per_stakeholder_and_service() -> None:
    f = io.StringIO()
    ic.write_yaml(ic.read_yaml(io.StringIO(HAND_WRITTEN)), f)
    lines = f.getvalue().splitlines()
    assert "  designer: {unit: Marketing, work: 2}" in lines
    assert "- {supplier: sender, customer: customers}" in lines


def test_unsafe_tags_are_refused_not_run() -> None:
    text = "stakeholders:\n  a: !!python/object/apply:os.system ['echo hacked']\n"
    with pytest.raises(ReadError, match="line 2"):
        ic.read_yaml(io.StringIO(text))


def test_tuple_names_cannot_be_written() -> None:
    G = ic.org_graph()
    ic.add_stakeholder(G, ("team", 1))
    with pytest.raises(ParameterError, match="node names"):
        ic.write_yaml(G, io.StringIO())


def test_reserved_graph_attribute_is_rejected() -> None:
    G = ic.org_graph()
    G.graph["services"] = 3
    with pytest.raises(ParameterError, match="'services'"):
        ic.write_yaml(G, io.StringIO())
