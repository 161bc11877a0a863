"""Near misses of schema attribute names are errors with the right spelling, everywhere."""

from __future__ import annotations

import io
import json
from collections.abc import Callable

import networkx as nx
import pytest

import intcust as ic
from intcust.errors import ReadError, SchemaError
from intcust.graph.attribute_names import name_problem
from intcust.graph.schema import DURATION_ATTRS, EDGE_DEFAULTS, NODE_DEFAULTS

EDGE = tuple(EDGE_DEFAULTS)
NODE = tuple(NODE_DEFAULTS)

#: (attribute name, node or edge, the name the message must suggest)
NEAR_MISSES = [
    ("lead time", "edge", "lead_time"),
    ("Lead Time", "edge", "lead_time"),
    ("Lead_Time", "edge", "lead_time"),
    ("leadtime", "edge", "lead_time"),
    ("LeadTime", "edge", "lead_time"),
    ("lead-time", "edge", "lead_time"),
    ("Volume", "edge", "volume"),
    ("VOLUME", "edge", "volume"),
    ("volum", "edge", "volume"),
    ("satisfation", "edge", "satisfaction"),
    ("lead_tiem", "edge", "lead_time"),
    ("SLA", "edge", "sla"),
    ("Work", "node", "work"),
    ("Kind", "node", "kind"),
    ("server", "node", "servers"),
    ("capacty", "node", "capacity"),
    ("Employment", "node", "employment"),
]
SPLIT = [
    ("work_low", "node", "work"),
    ("work_mode", "node", "work"),
    ("work_high", "node", "work"),
    ("work_dist", "node", "work"),
    ("Work Min", "node", "work"),
    ("lead_time_low", "edge", "lead_time"),
    ("lead_time_mu", "edge", "lead_time"),
    ("leadtime_samples", "edge", "lead_time"),
]
#: Attributes of their own that merely contain a schema name, and other names.
FINE = [
    "lead_time_n",
    "lead_time_error",
    "deliverables",
    "deliverable_share",
    "dissatisfaction",
    "internal_volume",
    "n_services",
    "start_date",
    "due_date",
    "dead_time",
    "rule",
    "units",
    "note",
    "weight",
    "x" * 500,
]


def _schema(where: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    return (NODE, DURATION_ATTRS["node"]) if where == "node" else (EDGE, DURATION_ATTRS["edge"])


@pytest.mark.parametrize(("name", "where", "right"), NEAR_MISSES)
def test_near_misses_suggest_the_schema_name(name: str, where: str, right: str) -> None:
    problem = name_problem(name, *_schema(where))
    assert problem == f"is not a schema attribute; did you mean {right!r}?"


@pytest.mark.parametrize(("name", "where", "right"), SPLIT)
def test_split_durations_are_refused_with_the_right_spelling(
    name: str, where: str, right: str
) -> None:
    problem = name_problem(name, *_schema(where))
    assert problem is not None
    assert f"one attribute {right!r}" in problem and "'dist': 'triangular'" in problem


@pytest.mark.parametrize("name", FINE)
def test_other_names_are_attributes_of_their_own(name: str) -> None:
    assert name_problem(name, *_schema("edge")) is None
    assert name_problem(name, *_schema("node")) is None


def _graph(name: str, where: str) -> nx.DiGraph:
    G = ic.org_graph()
    ic.add_service(G, "a", "b")
    target = G.nodes["a"] if where == "node" else G.edges["a", "b"]
    target[name] = 2
    return G


def _csv(G: nx.DiGraph) -> nx.DiGraph:
    nodes, edges = io.StringIO(), io.StringIO()
    ic.write_csv(G, nodes, edges)
    return ic.read_csv(io.StringIO(nodes.getvalue()), io.StringIO(edges.getvalue()))


def _json(G: nx.DiGraph) -> nx.DiGraph:
    f = io.StringIO()
    ic.write_json(G, f)
    return ic.read_json(io.StringIO(f.getvalue()))


def _yaml(G: nx.DiGraph) -> nx.DiGraph:
    f = io.StringIO()
    ic.write_yaml(G, f)
    return ic.read_yaml(io.StringIO(f.getvalue()))


def _graphml(G: nx.DiGraph) -> nx.DiGraph:
    f = io.StringIO()
    ic.write_graphml(G, f)
    return ic.read_graphml(io.StringIO(f.getvalue()))


def _frames(G: nx.DiGraph) -> nx.DiGraph:
    pytest.importorskip("pandas")
    return ic.from_frames(*ic.to_frames(G))


def _validate(G: nx.DiGraph) -> None:
    ic.validate(G)


ENTRY_POINTS: dict[str, tuple[Callable[[nx.DiGraph], object], type[Exception], str]] = {
    "validate": (_validate, SchemaError, "attribute {name!r} of"),
    "csv": (_csv, ReadError, "line 2: column {name!r}"),  # line 1: the manifest
    "json": (_json, SchemaError, "attribute {name!r} of"),
    "yaml": (_yaml, SchemaError, "attribute {name!r} of"),
    "graphml": (_graphml, ReadError, "key's column {name!r}"),
    "frames": (_frames, ReadError, "frame: column {name!r}"),
}


@pytest.mark.parametrize("entry", list(ENTRY_POINTS))
@pytest.mark.parametrize(
    ("name", "where", "right"),
    [
        ("Lead Time", "edge", "lead_time"),
        ("Volume", "edge", "volume"),
        ("work_low", "node", "work"),
    ],
)
def test_every_reader_refuses_a_near_miss(entry: str, name: str, where: str, right: str) -> None:
    call, exc, place = ENTRY_POINTS[entry]
    with pytest.raises(exc) as info:
        call(_graph(name, where))
    assert type(info.value) is exc
    message = str(info.value)
    assert place.format(name=name) in message and repr(right) in message


def test_a_rolled_up_or_mined_organisation_still_reads(tmp_path) -> None:
    R = ic.rollup(ic.datasets.hotel())
    ic.write_json(R, tmp_path / "r.json")
    assert json.loads((tmp_path / "r.json").read_text())["edges"][0]["deliverables"] is not None
    ic.read_json(tmp_path / "r.json")
