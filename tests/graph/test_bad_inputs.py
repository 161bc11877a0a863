"""Bad inputs, graphs and files: each raises the right exception naming the place.

Every row of `CASES` is (id, action, exception type, fragments): running the
action must raise exactly that type, and its message must contain every
fragment (the node, edge and attribute, or the file and line/row).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

import intcust as ic
from intcust.errors import CycleError, ParameterError, ReadError, SchemaError

Action = Callable[[Path], object]


def _org() -> nx.DiGraph:
    G = ic.org_graph(name="Acme", time_unit="day")
    ic.add_stakeholder(G, "a", work=1)
    ic.add_stakeholder(G, "b", work=2)
    ic.add_stakeholder(G, "c", kind="external", due=5)
    ic.add_service(G, "a", "b", deliverable="design", lead_time=0.5)
    ic.add_service(G, "b", "c")
    return G


def node(name: str, attr: str, value: Any) -> Action:
    """Validate the small organisation with one node attribute set to `value`."""

    def act(_: Path) -> None:
        G = _org()
        G.nodes[name][attr] = value
        ic.validate(G)

    return act


def edge(u: str, v: str, attr: str, value: Any) -> Action:
    """Validate the small organisation with one edge attribute set to `value`."""

    def act(_: Path) -> None:
        G = _org()
        G.edges[u, v][attr] = value
        ic.validate(G)

    return act


def graph_attr(attr: str, value: Any) -> Action:
    def act(_: Path) -> None:
        G = _org()
        G.graph[attr] = value
        ic.validate(G)

    return act


def cycle(_: Path) -> None:
    G = _org()
    ic.add_service(G, "b", "a")  # a -> b -> a, both blocking with lag 0
    ic.add_service(G, "c", "a", blocking=False)
    ic.validate(G)


def many_problems(_: Path) -> None:
    G = _org()
    G.nodes["a"]["kind"] = "robot"
    G.nodes["b"]["servers"] = 0
    G.edges["a", "b"]["satisfaction"] = 2
    ic.validate(G)


def reading(reader: Callable[..., object], *files: tuple[str, str | bytes]) -> Action:
    """Write `files` (name, content) into the temporary folder, then read them."""

    def act(tmp: Path) -> None:
        paths = []
        for name, content in files:
            path = tmp / name
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8", newline="")
            paths.append(path)
        reader(*paths)

    return act


def csv_pair(stakeholders: str, services: str = "supplier,customer\n") -> Action:
    return reading(ic.read_csv, ("stakeholders.csv", stakeholders), ("services.csv", services))


NODES = "node,kind,work\na,person,1\nb,person,2\n"
JSON_HEAD = '{"directed": true, "multigraph": false, "graph": {},\n'
GRAPHML_HEAD = (
    '<?xml version="1.0" encoding="utf-8"?>\n'
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">\n'
    ' <key id="d0" for="node" attr.name="due" attr.type="double"/>\n'
)


def frames(nodes: dict[str, list[Any]], edges: dict[str, list[Any]]) -> Action:
    def act(_: Path) -> None:
        pd = pytest.importorskip("pandas")
        ic.from_frames(pd.DataFrame(nodes), pd.DataFrame(edges))

    return act


def dispatch(name: str) -> Action:
    return lambda tmp: ic.read(tmp / name)


def tickets(content: str, **options: Any) -> Action:
    """Write a ticket log as desk.csv, then read it with from_tickets."""

    def act(tmp: Path) -> None:
        pytest.importorskip("pandas")
        path = tmp / "desk.csv"
        path.write_text(content, encoding="utf-8", newline="")
        ic.from_tickets(path, **options)

    return act


TICKETS = "requester,team,opened,resolved,rating,target,category\n"
OK_TICKET = "ann,IT,2024-01-01 09:00,2024-01-01 10:00,4,2,PMS\n"


CASES: list[tuple[str, Action, type[Exception], list[str]]] = [
    # ---- graphs given to validate -------------------------------------------------
    ("unknown kind", node("a", "kind", "robot"), SchemaError, ["kind of node 'a'", "'robot'"]),
    (
        "unknown employment",
        node("a", "employment", "intern"),
        SchemaError,
        ["employment of node 'a'", "'intern'", "full-time"],
    ),
    (
        "negative work",
        node("a", "work", -1),
        SchemaError,
        ["work of node 'a'", "non-negative", "-1"],
    ),
    ("NaN work", node("b", "work", math.nan), SchemaError, ["work of node 'b'", "nan"]),
    (
        "infinite lead_time",
        edge("a", "b", "lead_time", math.inf),
        SchemaError,
        ["lead_time of edge ('a', 'b')", "inf"],
    ),
    (
        "negative volume",
        edge("a", "b", "volume", -3),
        SchemaError,
        ["volume of edge ('a', 'b')", "from 0 to", "-3"],
    ),
    (
        "NaN volume",
        edge("b", "c", "volume", math.nan),
        SchemaError,
        ["volume of edge ('b', 'c')", "nan"],
    ),
    (
        "infinite volume",
        edge("b", "c", "volume", math.inf),
        SchemaError,
        ["volume of edge ('b', 'c')", "inf"],
    ),
    (
        "unknown dist",
        node("a", "work", {"dist": "gamma", "k": 2}),
        SchemaError,
        ["work of node 'a'", "'dist'", "'gamma'"],
    ),
    (
        "low > mode",
        node("a", "work", {"dist": "triangular", "low": 3, "mode": 2, "high": 5}),
        SchemaError,
        ["work of node 'a'", "low <= mode <= high", "low=3, mode=2"],
    ),
    (
        "missing key",
        edge("a", "b", "lead_time", {"dist": "pert", "low": 1, "mode": 2}),
        SchemaError,
        ["lead_time of edge ('a', 'b')", "'high'"],
    ),
    (
        "empty samples",
        node("b", "work", {"dist": "empirical", "samples": []}),
        SchemaError,
        ["work of node 'b'", "must not be empty"],
    ),
    (
        "satisfaction > 1",
        edge("a", "b", "satisfaction", 1.5),
        SchemaError,
        ["satisfaction of edge ('a', 'b')", "[0, 1]", "1.5"],
    ),
    (
        "satisfaction < 0",
        edge("a", "b", "satisfaction", -0.1),
        SchemaError,
        ["satisfaction of edge ('a', 'b')", "-0.1"],
    ),
    (
        "servers < 1",
        node("a", "servers", 0),
        SchemaError,
        ["servers of node 'a'", "from 1 to", "got 0"],
    ),
    (
        "non-int lag",
        edge("a", "b", "lag", 1.5),
        SchemaError,
        ["lag of edge ('a', 'b')", "int", "1.5"],
    ),
    ("negative lag", edge("a", "b", "lag", -1), SchemaError, ["lag of edge ('a', 'b')", "-1"]),
    ("blocking cycle", cycle, CycleError, ["'a' -> 'b' -> 'a'", "lag >= 1"]),
    ("kind of wrong type", node("a", "kind", 3), SchemaError, ["kind of node 'a'", "got 3"]),
    (
        "blocking of wrong type",
        edge("a", "b", "blocking", "yes"),
        SchemaError,
        ["blocking of edge ('a', 'b')", "True or False", "'yes'"],
    ),
    (
        "role of wrong type",
        node("a", "role", 5),
        SchemaError,
        ["role of node 'a'", "str", "got 5"],
    ),
    (
        "due of wrong type",
        node("c", "due", "tomorrow"),
        SchemaError,
        ["due of node 'c'", "'tomorrow'"],
    ),
    ("servers as text", node("a", "servers", "2"), SchemaError, ["servers of node 'a'", "'2'"]),
    ("capacity zero", node("a", "capacity", 0), SchemaError, ["capacity of node 'a'", "> 0"]),
    ("unit of wrong type", node("a", "unit", ["x"]), SchemaError, ["unit of node 'a'", "['x']"]),
    ("period zero", graph_attr("period", 0), SchemaError, ["graph attribute period", "> 0"]),
    (
        "every problem listed",
        many_problems,
        SchemaError,
        [
            "3 problems",
            "kind of node 'a'",
            "servers of node 'b'",
            "satisfaction of edge ('a', 'b')",
        ],
    ),
    # ---- JSON ---------------------------------------------------------------------
    (
        "json truncated",
        reading(ic.read_json, ("org.json", JSON_HEAD + ' "nodes": [{"id": "a"')),
        ReadError,
        ["org.json, line 2", "not valid JSON"],
    ),
    (
        "json not an object",
        reading(ic.read_json, ("org.json", "[1, 2]")),
        ReadError,
        ["org.json", "node-link JSON object"],
    ),
    (
        "json node without id",
        reading(
            ic.read_json, ("org.json", JSON_HEAD + '"nodes": [{"id": "a"}, {"kind": "team"}]}')
        ),
        ReadError,
        ["org.json, nodes[1]", "'id'"],
    ),
    (
        "json unknown node",
        reading(
            ic.read_json,
            (
                "org.json",
                JSON_HEAD + '"nodes": [{"id": "a"}],'
                ' "edges": [{"source": "a", "target": "ghost"}]}',
            ),
        ),
        ReadError,
        ["org.json, edges[0]", "unknown stakeholder 'ghost'"],
    ),
    (
        "json duplicate node",
        reading(
            ic.read_json,
            ("org.json", JSON_HEAD + '"nodes": [{"id": "a"}, {"id": "b"}, {"id": "a"}]}'),
        ),
        ReadError,
        ["org.json, nodes[2]", "'a' appears twice", "nodes[0]"],
    ),
    (
        "json undirected",
        reading(ic.read_json, ("org.json", '{"directed": false, "nodes": [], "edges": []}')),
        ReadError,
        ["org.json", "directed"],
    ),
    (
        "json newer schema",
        reading(ic.read_json, ("org.json", '{"graph": {"schema_version": "2.0"}, "nodes": []}')),
        ReadError,
        ["org.json", "schema_version '2.0'"],
    ),
    (
        "json schema break",
        reading(
            ic.read_json, ("org.json", JSON_HEAD + '"nodes": [{"id": "a", "kind": "robot"}]}')
        ),
        SchemaError,
        ["org.json, nodes[0]: kind of node 'a'", "'robot'"],
    ),
    (
        "json bad duration",
        reading(
            ic.read_json,
            (
                "org.json",
                JSON_HEAD + '"nodes": [{"id": "a"}, {"id": "b"}], "edges": '
                '[{"source": "a", "target": "b", "lead_time": {"dist": "uniform", '
                '"low": 2, "high": 1}}]}',
            ),
        ),
        SchemaError,
        ["org.json, edges[0]: lead_time of edge ('a', 'b')", "low <= high"],
    ),
    # ---- CSV pair -----------------------------------------------------------------
    (
        "csv no node column",
        csv_pair("id,kind\na,person\n"),
        ReadError,
        ["stakeholders.csv, line 1", "no 'node' column", "['id', 'kind']"],
    ),
    (
        "csv wrong services column",
        csv_pair(NODES, "supplier,client\na,b\n"),
        ReadError,
        ["services.csv, line 1", "no 'customer' column"],
    ),
    (
        "csv repeated column",
        csv_pair("node,kind,kind\na,person,team\n"),
        ReadError,
        ["stakeholders.csv, line 1", "repeats the column 'kind'"],
    ),
    (
        "csv short row",
        csv_pair("node,kind,work\na,person,1\nb,person\n"),
        ReadError,
        ["stakeholders.csv, line 3", "2 cells", "3 columns"],
    ),
    (
        "csv truncated quote",
        csv_pair('node,kind,role\na,person,"designer\n'),
        ReadError,
        ["stakeholders.csv, line", "malformed CSV", "unexpected end of data"],
    ),
    (
        "csv bad JSON cell",
        csv_pair('node,work\na,1\nb,"{""dist"": ""pert"", ""low"": 1"\n'),
        ReadError,
        ["stakeholders.csv, line 3, column 'work'", "valid JSON"],
    ),
    (
        "csv unknown node",
        csv_pair(NODES, "supplier,customer\na,b\nb,ghost\n"),
        ReadError,
        ["services.csv, line 3", "unknown stakeholder 'ghost'"],
    ),
    (
        "csv duplicate node row",
        csv_pair(NODES + "a,team,3\n"),
        ReadError,
        ["stakeholders.csv, line 4", "'a' appears twice", "line 2"],
    ),
    (
        "csv duplicate service row",
        csv_pair(NODES, "supplier,customer\na,b\na,b\n"),
        ReadError,
        ["services.csv, line 3", "appears twice", "services.csv, line 2"],
    ),
    (
        "csv empty node name",
        csv_pair("node,kind\n,person\n"),
        ReadError,
        ["stakeholders.csv, line 2, column 'node'", "empty"],
    ),
    (
        "csv bad graph line",
        csv_pair("# name: Acme\n" + NODES),
        ReadError,
        ["stakeholders.csv, line 1", "JSON object of graph attributes"],
    ),
    ("csv empty file", csv_pair(""), ReadError, ["stakeholders.csv", "no header row", "'node'"]),
    (
        "csv not UTF-8",
        reading(
            ic.read_csv, ("stakeholders.csv", b"node,role\na,caf\xe9\n"), ("services.csv", "")
        ),
        ReadError,
        ["stakeholders.csv, line 2", "UTF-8"],
    ),
    (
        "csv schema break",
        csv_pair(NODES, "supplier,customer,lead_time\na,b,-2\n"),
        SchemaError,
        ["services.csv, line 2: lead_time of edge ('a', 'b')", "-2"],
    ),
    (
        "csv blocking cycle",
        csv_pair(NODES, "supplier,customer\na,b\nb,a\n"),
        CycleError,
        ["stakeholders.csv", "'a' -> 'b' -> 'a'"],
    ),
    # ---- GraphML ------------------------------------------------------------------
    (
        "graphml truncated",
        reading(
            ic.read_graphml,
            ("org.graphml", GRAPHML_HEAD + ' <graph edgedefault="directed">\n  <node id="a"/>\n'),
        ),
        ReadError,
        ["org.graphml, line 6", "not well-formed XML"],
    ),
    (
        "graphml bad double",
        reading(
            ic.read_graphml,
            (
                "org.graphml",
                GRAPHML_HEAD + ' <graph edgedefault="directed">\n'
                '  <node id="a"><data key="d0">soon</data></node>\n </graph>\n'
                "</graphml>\n",
            ),
        ),
        ReadError,
        ["org.graphml, line 5", "'due'", "double", "'soon'"],
    ),
    (
        "graphml undeclared key",
        reading(
            ic.read_graphml,
            (
                "org.graphml",
                GRAPHML_HEAD + ' <graph edgedefault="directed">\n'
                '  <node id="a"><data key="d9">x</data></node>\n </graph>\n'
                "</graphml>\n",
            ),
        ),
        ReadError,
        ["org.graphml, line 5", "undeclared node key 'd9'"],
    ),
    (
        "graphml unknown node",
        reading(
            ic.read_graphml,
            (
                "org.graphml",
                GRAPHML_HEAD + ' <graph edgedefault="directed">\n'
                '  <node id="a"/>\n  <edge source="a" target="ghost"/>\n </graph>\n'
                "</graphml>\n",
            ),
        ),
        ReadError,
        ["org.graphml, line 6", "unknown stakeholder 'ghost'"],
    ),
    (
        "graphml undirected",
        reading(
            ic.read_graphml,
            ("org.graphml", GRAPHML_HEAD + ' <graph edgedefault="undirected"/>\n</graphml>\n'),
        ),
        ReadError,
        ["org.graphml, line 4", "directed"],
    ),
    (
        "graphml duplicate node",
        reading(
            ic.read_graphml,
            (
                "org.graphml",
                GRAPHML_HEAD + ' <graph edgedefault="directed">\n'
                '  <node id="a"/>\n  <node id="a"/>\n </graph>\n</graphml>\n',
            ),
        ),
        ReadError,
        ["org.graphml, line 6", "'a' appears twice", "line 5"],
    ),
    (
        "graphml two graphs",
        reading(
            ic.read_graphml,
            (
                "org.graphml",
                GRAPHML_HEAD + ' <graph edgedefault="directed"/>\n'
                ' <graph edgedefault="directed"/>\n</graphml>\n',
            ),
        ),
        ReadError,
        ["org.graphml", "found 2"],
    ),
    (
        "graphml schema break",
        reading(
            ic.read_graphml,
            (
                "org.graphml",
                GRAPHML_HEAD + ' <graph edgedefault="directed">\n'
                '  <node id="a"><data key="d0">-1</data></node>\n </graph>\n'
                "</graphml>\n",
            ),
        ),
        SchemaError,
        ["org.graphml, line 5: due of node 'a'", "got -1"],
    ),
    # ---- YAML ---------------------------------------------------------------------
    (
        "yaml truncated",
        reading(ic.read_yaml, ("org.yaml", "stakeholders:\n  a: {kind: person\nservices: []\n")),
        ReadError,
        ["org.yaml, line 3", "not valid YAML"],
    ),
    (
        "yaml duplicate stakeholder",
        reading(ic.read_yaml, ("org.yaml", "stakeholders:\n  a: {}\n  b: {}\n  a: {work: 1}\n")),
        ReadError,
        ["org.yaml, line 4", "'a' twice"],
    ),
    (
        "yaml service without customer",
        reading(
            ic.read_yaml,
            (
                "org.yaml",
                "stakeholders: {a: {}, b: {}}\nservices:\n"
                "  - {supplier: a, customer: b}\n  - {supplier: b}\n",
            ),
        ),
        ReadError,
        ["org.yaml, line 4", "'supplier' and 'customer'"],
    ),
    (
        "yaml unknown node",
        reading(
            ic.read_yaml,
            ("org.yaml", "stakeholders:\n  a:\nservices:\n  - {supplier: a, customer: ghost}\n"),
        ),
        ReadError,
        ["org.yaml, line 4", "unknown stakeholder 'ghost'"],
    ),
    (
        "yaml stakeholders as list",
        reading(ic.read_yaml, ("org.yaml", "name: Acme\nstakeholders: [a, b]\n")),
        ReadError,
        ["org.yaml, line 2", "'stakeholders' must map"],
    ),
    (
        "yaml not a mapping",
        reading(ic.read_yaml, ("org.yaml", "- a\n- b\n")),
        ReadError,
        ["org.yaml", "expected a mapping"],
    ),
    (
        "yaml schema break",
        reading(ic.read_yaml, ("org.yaml", "stakeholders:\n  a: {}\n  b: {servers: 0}\n")),
        SchemaError,
        ["org.yaml, line 3: servers of node 'b'", "got 0"],
    ),
    # ---- pandas frames ------------------------------------------------------------
    (
        "frames no supplier column",
        frames({"node": ["a", "b"]}, {"from": ["a"], "customer": ["b"]}),
        ReadError,
        ["edges frame", "no 'supplier' column"],
    ),
    (
        "frames duplicate node",
        frames({"node": ["a", "b", "a"]}, {"supplier": [], "customer": []}),
        ReadError,
        ["nodes frame, row 2", "'a' appears twice"],
    ),
    (
        "frames unknown node",
        frames({"node": ["a", "b"]}, {"supplier": ["a", "b"], "customer": ["b", "ghost"]}),
        ReadError,
        ["edges frame, row 1", "unknown stakeholder 'ghost'"],
    ),
    (
        "frames missing name",
        frames({"node": ["a", None]}, {"supplier": [], "customer": []}),
        ReadError,
        ["nodes frame, row 1", "name is missing"],
    ),
    (
        "frames schema break",
        frames({"node": ["a", "b"], "servers": [1, 0]}, {"supplier": ["a"], "customer": ["b"]}),
        SchemaError,
        ["nodes frame, row 1: servers of node 'b'", "got 0"],
    ),
    # ---- ticket logs ----------------------------------------------------------------
    (
        "tickets no requester column",
        tickets("who,team,opened,resolved\nann,IT,2024-01-01,2024-01-02\n"),
        ReadError,
        ["desk.csv", "no column 'requester'", "'who'"],
    ),
    (
        "tickets named column absent",
        tickets(TICKETS + OK_TICKET, agent="agent"),
        ReadError,
        ["desk.csv", "no column 'agent'"],
    ),
    (
        "tickets missing team",
        tickets(TICKETS + OK_TICKET + "bob,,2024-01-02 09:00,,3,2,PMS\n"),
        ReadError,
        ["desk.csv, line 3", "the ticket lacks 'team' (1 ticket(s) do)", "missing='drop'"],
    ),
    (
        "tickets unparseable opening",
        tickets(TICKETS + OK_TICKET + "bob,IT,yesterday,,3,2,PMS\n"),
        ReadError,
        ["desk.csv, line 3", "column 'opened'", "not an ISO 8601 time", "'yesterday'"],
    ),
    (
        "tickets unparseable resolution",
        tickets(TICKETS + OK_TICKET + "bob,IT,2024-01-02 09:00,soon,3,2,PMS\n"),
        ReadError,
        ["desk.csv", "column 'resolved'", "'soon'"],
    ),
    (
        "tickets resolved before opened",
        tickets(TICKETS + OK_TICKET + "bob,IT,2024-01-02 09:00,2024-01-01 09:00,3,2,PMS\n"),
        ReadError,
        ["desk.csv", "resolved before they were opened", "row 1", "'2024-01-01 09:00'"],
    ),
    (
        "tickets mixed time zones",
        tickets(TICKETS + OK_TICKET + "bob,IT,2024-01-02T09:00+01:00,,3,2,PMS\n"),
        ReadError,
        ["desk.csv", "column 'opened' mixes time zones"],
    ),
    (
        "tickets time zones differ between columns",
        tickets(TICKETS + "ann,IT,2024-01-01T09:00Z,2024-01-01 10:00,4,2,PMS\n"),
        ReadError,
        ["desk.csv", "'opened' and 'resolved' mix time zones"],
    ),
    (
        "tickets rating out of scale",
        tickets(TICKETS + OK_TICKET + "bob,IT,2024-01-02 09:00,,9,2,PMS\n", satisfaction="rating"),
        ReadError,
        ["desk.csv", "column 'rating'", "in [1, 5]", "row 1", "'9'"],
    ),
    (
        "tickets rating not a number",
        tickets(TICKETS + "ann,IT,2024-01-01 09:00,,good,2,PMS\n", satisfaction="rating"),
        ReadError,
        ["desk.csv", "column 'rating'", "row 0", "'good'"],
    ),
    (
        "tickets negative target",
        tickets(TICKETS + "ann,IT,2024-01-01 09:00,,4,-2,PMS\n", sla="target"),
        ReadError,
        ["desk.csv", "column 'target'", "target(s)", "'-2'"],
    ),
    (
        "tickets target map without category",
        tickets(TICKETS + OK_TICKET, sla={"PMS": 2}),
        ParameterError,
        ["'sla' parameter of from_tickets", "'category'"],
    ),
    (
        "tickets negative target in the map",
        tickets(TICKETS + OK_TICKET, sla={"PMS": -1}, category="category"),
        ParameterError,
        ["'sla[PMS]' parameter of from_tickets", "-1"],
    ),
    (
        "tickets capacity of an unknown team",
        tickets(TICKETS + OK_TICKET, capacity={"HR": 3}),
        ParameterError,
        ["'capacity' parameter of from_tickets", "'HR'", "IT"],
    ),
    (
        "tickets per period in an empty window",
        tickets(TICKETS + OK_TICKET, period=7),
        ReadError,
        ["desk.csv", "per period", "same time"],
    ),
    (
        "tickets unknown level",
        tickets(TICKETS + OK_TICKET, level="team"),
        ParameterError,
        ["'level' parameter of from_tickets", "'team'"],
    ),
    (
        "tickets not a table",
        lambda _: ic.from_tickets(42),
        ParameterError,
        ["'log' parameter of from_tickets", "int"],
    ),
    (
        "tickets unknown suffix",
        lambda tmp: ic.from_tickets(tmp / "desk.txt"),
        ReadError,
        ["desk.txt", "ticket log must be a .csv"],
    ),
    # ---- dispatch -----------------------------------------------------------------
    (
        "unknown suffix",
        reading(ic.read, ("org.txt", "a,b\n")),
        ParameterError,
        ["'path' parameter of read", "org.txt"],
    ),
    ("missing file", dispatch("nowhere.json"), ReadError, ["nowhere.json", "cannot be read"]),
]


@pytest.mark.parametrize(
    ("action", "exc", "fragments"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_bad_input_names_the_place(
    tmp_path: Path, action: Action, exc: type[Exception], fragments: list[str]
) -> None:
    with pytest.raises(exc) as info:
        action(tmp_path)
    assert type(info.value) is exc, f"raised {type(info.value).__name__}: {info.value}"
    message = str(info.value)
    for fragment in fragments:
        assert fragment in message, f"{fragment!r} not in {message!r}"


def test_the_table_is_large_and_covers_every_reader() -> None:
    ids = [c[0] for c in CASES]
    assert len(ids) >= 30 and len(set(ids)) == len(ids)
    for prefix in ("json", "csv", "graphml", "yaml", "frames"):
        assert sum(i.startswith(prefix) for i in ids) >= 4, prefix
    assert sum(i.startswith("tickets") for i in ids) >= 12


def test_cycle_error_names_the_cycle_in_order(tmp_path: Path) -> None:
    G = ic.org_graph()
    for u, v in [("p", "q"), ("q", "r"), ("r", "s"), ("s", "q")]:
        ic.add_service(G, u, v)
    with pytest.raises(CycleError) as info:
        ic.validate(G)
    cycle = list(info.value.cycle)
    assert sorted(cycle) == ["q", "r", "s"]
    assert all(G.has_edge(a, b) for a, b in zip(cycle, cycle[1:] + cycle[:1], strict=True))
    ic.write_json(G, tmp_path / "loop.json")
    with pytest.raises(CycleError) as info:
        ic.read_json(tmp_path / "loop.json")
    assert sorted(info.value.cycle) == ["q", "r", "s"]
    assert str(tmp_path / "loop.json") in str(info.value)
