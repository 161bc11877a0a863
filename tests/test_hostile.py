"""Hostile and broken inputs: every entry point answers with an intcust error naming the place.

`CASES` is one table: each row is a `Case` (see ``tests/_hostile.py``) with an
entry point, the files it finds in its folder, the exact exception it must
raise and the fragments its message must hold. Each case runs in a forked
child with a timeout and a memory cap; afterwards the folder must be exactly
as it was (no file changed, none left behind). Rows for other entry points
(the command line, simulations, the report) are appended to `CASES` the same
way.
"""

from __future__ import annotations

import csv
import gzip
import io
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import pytest

import intcust as ic
from _compare import assert_same_org
from _hostile import Case, MiB, qualified, run_case, snapshot, write_files
from _hostile_cli import CLI_CASES
from intcust.errors import (
    CycleError,
    ParameterError,
    ReadError,
    SchemaError,
    UnknownNodeError,
    WriteError,
)
from intcust.metrics import service_catalogue
from intcust.report import write_report

pd = pytest.importorskip("pandas")
pytest.importorskip("yaml")

Call = Callable[[Path], object]
#: The longest message a hostile input may produce: quoted values are cut short.
LONGEST = 4000


def org() -> nx.DiGraph:
    G = ic.org_graph(name="Acme", time_unit="day")
    ic.add_stakeholder(G, "a", work=1)
    ic.add_stakeholder(G, "b", work=2)
    ic.add_stakeholder(G, "c", kind="external", due=5)
    ic.add_service(G, "a", "b", deliverable="design", lead_time=0.5)
    ic.add_service(G, "b", "c")
    return G


def other_org() -> nx.DiGraph:
    G = org()
    ic.add_stakeholder(G, "d")
    ic.add_service(G, "d", "b")
    return G


def text_of(write: Callable[[nx.DiGraph, io.StringIO], None], G: nx.DiGraph) -> str:
    f = io.StringIO()
    write(G, f)
    return f.getvalue()


def csv_pair(G: nx.DiGraph) -> tuple[str, str]:
    s, e = io.StringIO(), io.StringIO()
    ic.write_csv(G, s, e)
    return s.getvalue(), e.getvalue()


NODES, EDGES = csv_pair(org())
YAML = text_of(ic.write_yaml, org())
JSON = text_of(ic.write_json, org())
GRAPHML = text_of(ic.write_graphml, org())


# ---- entry points ---------------------------------------------------------------------


def read(reader: Callable[..., object], *names: str) -> Call:
    return lambda folder: reader(*(folder / n for n in names))


def json_org(nodes: str = '[{"id": "a"}, {"id": "b"}]', edges: str = "[]") -> str:
    return f'{{"directed": true, "graph": {{}}, "nodes": {nodes}, "edges": {edges}}}'


def yaml_org(body: str) -> str:
    return "stakeholders:\n  a: {}\n  b: {}\n" + body


def graphml(body: str, keys: str = "", prolog: str = "") -> str:
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        + prolog
        + '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">\n'
        + keys
        + '<graph edgedefault="directed">\n'
        + body
        + "</graph>\n</graphml>\n"
    )


def validating(change: Callable[[nx.DiGraph], None]) -> Call:
    def call(_: Path) -> None:
        G = org()
        change(G)
        ic.validate(G)

    return call


def set_node(name: str, attr: str, value: Any) -> Call:
    return validating(lambda G: G.nodes[name].__setitem__(attr, value))


def set_edge(u: str, v: str, attr: str, value: Any) -> Call:
    return validating(lambda G: G.edges[u, v].__setitem__(attr, value))


def what_if(**kwargs: Any) -> Call:
    return lambda _: ic.what_if(org(), **kwargs)


def writing(write: Callable[..., None], *names: str, G: Callable[[], Any] = org) -> Call:
    return lambda folder: write(G(), *(folder / n for n in names))


def mined(name: str, **kwargs: Any) -> Call:
    return lambda folder: ic.from_event_log(folder / name, **kwargs)


def mined_frame(frame: Callable[[], Any]) -> Call:
    return lambda _: ic.from_event_log(frame())


def read_only(path: Path) -> io.TextIOWrapper:
    return open(path, encoding="utf-8")


def frames(nodes: dict[str, list[Any]], edges: dict[str, list[Any]], **kw: Any) -> Call:
    return lambda _: ic.from_frames(pd.DataFrame(nodes), pd.DataFrame(edges), **kw)


# ---- content ----------------------------------------------------------------------------

TICKETS = "requester,team,opened,resolved,rating\n"
LOG_HEAD = "case:concept:name,concept:name,org:resource,time:timestamp\n"
XES_EVENT = (
    '<event><string key="concept:name" value="{act}"/><string key="org:resource" value="x"/>'
    '<date key="time:timestamp" value="{time}"/></event>'
)


def xes(*times: str, prolog: str = "", trace_extra: str = "") -> str:
    events = "".join(XES_EVENT.format(act=f"a{i}", time=t) for i, t in enumerate(times))
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        + prolog
        + '<log xmlns="http://www.xes-standard.org/"><trace>'
        + '<string key="concept:name" value="c1"/>'
        + trace_extra
        + events
        + "</trace></log>\n"
    )


def doctype_at_64k() -> bytes:
    """A comment that ends exactly at byte 65,536, then a DTD with an entity used in a name."""
    head = b'<?xml version="1.0"?>\n<!--'
    filler = b"x" * (65536 - len(head) - 3)
    body = xes("2024-01-01T00:00:00").split("?>\n", 1)[1].replace('value="x"', 'value="&e;"')
    data = head + filler + b"-->" + b'<!DOCTYPE log [<!ENTITY e "evil">]>' + body.encode()
    assert data.index(b"<!DOCTYPE") == 65536
    return data


LAUGHS_XML = (
    '<?xml version="1.0"?>\n<!DOCTYPE graphml [\n <!ENTITY a "aaaaaaaaaa">\n'
    + "".join(f' <!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">\n' for i in range(8))
    + ']>\n<graphml xmlns="http://graphml.graphdrawing.org/xmlns"><graph>'
    '<node id="&i;"/></graph></graphml>\n'
)
LAUGHS_YAML = (
    "a: &a [x, x, x, x, x, x, x, x, x]\n"
    + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
    )
    + "stakeholders: {n: {note: *i}}\n"
)
PSPLIB = (Path(__file__).parents[1] / "src/intcust/graph/io/psplib.py").read_text()
PSP = PSPLIB[PSPLIB.index("jobs (incl.") : PSPLIB.index("    ... '''\n    >>> with")]
PSP = "\n".join(line.removeprefix("    ... ") for line in PSP.splitlines()) + "\n"


def psp(old: str, new: str) -> str:
    assert old in PSP, old
    return PSP.replace(old, new, 1)


def cut(text: str, lines: int) -> str:
    """`text` without its last `lines` lines (cut at a line boundary)."""
    return "".join(text.splitlines(keepends=True)[:-lines])


def log_frame_2400() -> Any:
    return pd.DataFrame(
        {
            "case:concept:name": ["1", "1"],
            "concept:name": ["a", "b"],
            "org:resource": ["x", "y"],
            "time:timestamp": pd.to_datetime(["2024-01-01", "2400-01-01"]),
        },
        index=["first", "second"],
    )


def deep_graph() -> nx.DiGraph:
    G = org()
    value: Any = 1
    for _ in range(200):
        value = [value]
    G.nodes["a"]["note"] = value
    return G


def set_valued() -> nx.DiGraph:
    G = org()
    G.nodes["a"]["tags"] = {"x", "y"}
    return G


def manifest_graph() -> nx.DiGraph:
    G = org()
    G.graph["manifest"] = "mine"
    return G


def formula_org() -> nx.DiGraph:
    """`org` with names, a unit and a deliverable that a spreadsheet would run as formulas."""
    G = nx.relabel_nodes(org(), {"a": "=cmd|' /C calc'!A0", "b": "@SUM(A1)"})
    G.nodes["@SUM(A1)"]["unit"] = "+1"
    G.edges["=cmd|' /C calc'!A0", "@SUM(A1)"]["deliverable"] = '=HYPERLINK("x")'
    return G


def catalogue_csv(name: str) -> Call:
    return lambda folder: service_catalogue(formula_org()).to_csv(folder / name)


def report(name: str, G: Callable[[], nx.DiGraph] = formula_org) -> Call:
    return lambda folder: write_report(G(), folder / name, monte_carlo_n=16)


def surrogate_org() -> nx.DiGraph:
    """`org` with lone surrogates in a name, a unit, a deliverable and its own name."""
    G = nx.relabel_nodes(org(), {"a": "a\udcff"})
    G.graph["name"] = "Acme\ud800"
    G.nodes["b"]["unit"] = "Sales\udc80"
    G.edges["a\udcff", "b"]["deliverable"] = "design\udcff"
    return G


#: What a failed write must leave as it was.
PREVIOUS = "the previous file\n"


def long_name(G: nx.DiGraph) -> None:
    G.add_node("n" * 1_000_000, kind="robot")


LONG = "n" * 300_000
DEEP = "[" * 100_000 + "]" * 100_000
DIGITS = "7" * 5000

CASES: list[Case] = [
    # ---- read_json ----------------------------------------------------------------------
    Case(
        "json truncated",
        read(ic.read_json, "o.json"),
        ReadError,
        ("o.json, line 10, column 1", "not valid JSON"),
        {"o.json": cut(JSON, 2)},
    ),
    Case(
        "json repeated key",
        read(ic.read_json, "o.json"),
        ReadError,
        ("o.json, nodes[1]", "'kind' appears twice"),
        {"o.json": json_org('[{"id": "a"}, {"id": "b", "kind": "team", "kind": "external"}]')},
    ),
    Case(
        "json repeated top key",
        read(ic.read_json, "o.json"),
        ReadError,
        ("o.json", "'nodes' appears twice"),
        {"o.json": '{"nodes": [], "nodes": [{"id": "x"}]}'},
    ),
    Case(
        "json nested 100k",
        read(ic.read_json, "o.json"),
        ReadError,
        ("o.json", "nest deeper than 100"),
        {"o.json": json_org(f'[{{"id": "a", "note": {DEEP}}}]')},
    ),
    Case(
        "json nested 150",
        read(ic.read_json, "o.json"),
        ReadError,
        ("o.json, nodes[0].note", "nest deeper than 100"),
        {"o.json": json_org('[{"id": "a", "note": ' + "[" * 150 + "]" * 150 + "}]")},
    ),
    Case(
        "json 5000 digits",
        read(ic.read_json, "o.json"),
        ReadError,
        ("o.json, line 2, column 22", "too long to read"),
        {"o.json": json_org(f'[{{"id": "{DIGITS}"}},\n {{"id": "a", "work": {DIGITS}}}]')},
    ),
    Case(
        "json not UTF-8",
        read(ic.read_json, "o.json"),
        ReadError,
        ("o.json, line 2", "byte 0xff at offset 13"),
        {"o.json": b'{"nodes":\n[{"\xff": 1}]}'},
    ),
    Case(
        "json BOM then bad byte",
        read(ic.read_json, "o.json"),
        ReadError,
        ("o.json, line 1", "byte 0xfe at offset 5"),
        {"o.json": b'\xef\xbb\xbf["\xfe"]'},
    ),
    Case(
        "json nodes not a list",
        read(ic.read_json, "o.json"),
        ReadError,
        ("o.json", "'nodes' must be a JSON array", "got dict"),
        {"o.json": '{"nodes": {"a": 1}}'},
    ),
    Case(
        "json node id an object",
        read(ic.read_json, "o.json"),
        ReadError,
        ("o.json, nodes[0]", "node name"),
        {"o.json": json_org('[{"id": {"x": 1}}]')},
    ),
    Case(
        "json work 1e400",
        read(ic.read_json, "o.json"),
        SchemaError,
        ("o.json, nodes[0]: work of node 'a'", "inf"),
        {"o.json": json_org('[{"id": "a", "work": 1e400}]')},
    ),
    Case(
        "json work 10**400",
        read(ic.read_json, "o.json"),
        SchemaError,
        ("o.json, nodes[0]: work of node 'a'", "at most 1e+15"),
        {"o.json": json_org('[{"id": "a", "work": 1' + "0" * 400 + "}]")},
    ),
    Case(
        "json lognormal overflow",
        read(ic.read_json, "o.json"),
        SchemaError,
        ("nodes[0]: work of node 'a'", "lognormal's mean", "mu=1000"),
        {
            "o.json": json_org(
                '[{"id": "a", "work": {"dist": "lognormal", "mu": 1000, "sigma": 1}}]'
            )
        },
    ),
    Case(
        "json lag 10**9",
        read(ic.read_json, "o.json"),
        SchemaError,
        ("edges[0]: lag of edge ('a', 'b')", "from 0 to 1000", "1000000000"),
        {"o.json": json_org(edges='[{"source": "a", "target": "b", "lag": 1000000000}]')},
    ),
    Case(
        "json multigraph",
        read(ic.read_json, "o.json"),
        ReadError,
        ("o.json", "multigraph=True"),
        {"o.json": '{"multigraph": true, "nodes": []}'},
    ),
    Case(
        "json empty file",
        read(ic.read_json, "o.json"),
        ReadError,
        ("o.json, line 1, column 1", "not valid JSON"),
        {"o.json": ""},
    ),
    Case(
        "json path is a folder",
        read(ic.read_json, "o.json"),
        ReadError,
        ("o.json", "is a folder"),
        {"o.json/x": "1"},
    ),
    Case(
        "json /dev/zero",
        lambda _: ic.read_json("/dev/zero"),
        ReadError,
        ("/dev/zero", "it is a device"),
    ),
    Case(
        "json missing file",
        read(ic.read_json, "nowhere.json"),
        ReadError,
        ("nowhere.json", "cannot be read", "No such file"),
    ),
    Case(
        "json near-miss attribute",
        read(ic.read_json, "o.json"),
        SchemaError,
        ("edges[0]", "attribute 'Lead Time' of edge ('a', 'b')", "did you mean 'lead_time'"),
        {"o.json": json_org(edges='[{"source": "a", "target": "b", "Lead Time": 2}]')},
    ),
    Case(
        "json long names are cut",
        read(ic.read_json, "o.json"),
        ReadError,
        ("o.json, nodes[1]", "appears twice", "..."),
        {"o.json": json_org(f'[{{"id": "{LONG}"}}, {{"id": "{LONG}"}}]')},
    ),
    Case(
        "json newer schema",
        read(ic.read_json, "o.json"),
        ReadError,
        ("o.json, graph", "schema_version '9.0'"),
        {"o.json": '{"graph": {"schema_version": "9.0"}, "nodes": []}'},
    ),
    Case(
        "json schema_version a list",
        read(ic.read_json, "o.json"),
        ReadError,
        ("o.json, graph", "schema_version must be a string"),
        {"o.json": '{"graph": {"schema_version": [1]}, "nodes": []}'},
    ),
    Case(
        "json argument not a path",
        lambda _: ic.read_json(42),
        ParameterError,
        ("'path' parameter of read_json", "got int"),
    ),  # type: ignore[arg-type]
    # ---- read_csv --------------------------------------------------------------------------
    Case(
        "csv 16k-digit cell",
        read(ic.read_csv, "s.csv", "e.csv"),
        ReadError,
        ("e.csv, line 2, column 'volume'", "too many to read"),
        {"s.csv": "node\na\nb\n", "e.csv": "supplier,customer,volume\na,b," + "9" * 16_000 + "\n"},
        timeout=5,
    ),
    Case(
        "csv 120 KB of digits then x",
        read(ic.read_csv, "s.csv", "e.csv"),
        SchemaError,
        ("e.csv, line 2: volume of edge ('a', 'b')", "..."),
        {
            "s.csv": "node\na\nb\n",
            "e.csv": "supplier,customer,volume\na,b," + "9" * 120_000 + "x\n",
        },
        timeout=5,
    ),
    Case(
        "csv nested cell",
        read(ic.read_csv, "s.csv", "e.csv"),
        ReadError,
        ("s.csv, line 2, column 'note'", "nest deeper"),
        {"s.csv": f"node,note\na,{DEEP}\nb,\n", "e.csv": "supplier,customer\n"},
    ),
    Case(
        "csv repeated key in a cell",
        read(ic.read_csv, "s.csv", "e.csv"),
        ReadError,
        ("s.csv, line 2, column 'work'", "'low' appears twice"),
        {
            "s.csv": 'node,work\na,"{""dist"": ""uniform"", ""low"": 1, ""low"": 2, ""high"": 3}"\n',
            "e.csv": "supplier,customer\n",
        },
    ),
    Case(
        "csv stakeholders cut short",
        read(ic.read_csv, "s.csv", "e.csv"),
        ReadError,
        ("s.csv", "2 stakeholders rows", "says 3"),
        {"s.csv": cut(NODES, 1), "e.csv": EDGES},
    ),
    Case(
        "csv services cut short",
        read(ic.read_csv, "s.csv", "e.csv"),
        ReadError,
        ("e.csv", "1 services rows", "says 2"),
        {"s.csv": NODES, "e.csv": cut(EDGES, 1)},
    ),
    Case(
        "csv half of a new pair",
        read(ic.read_csv, "s.csv", "e.csv"),
        ReadError,
        ("s.csv and", "e.csv were not written together", "two different pairs"),
        {"s.csv": csv_pair(other_org())[0], "e.csv": EDGES},
    ),
    Case(
        "csv manifest on one file only",
        read(ic.read_csv, "s.csv", "e.csv"),
        ReadError,
        ("not written together", "e.csv has none"),
        {"s.csv": NODES, "e.csv": EDGES.split("\n", 1)[1]},
    ),
    Case(
        "csv manifest count not an int",
        read(ic.read_csv, "s.csv", "e.csv"),
        ReadError,
        ("s.csv, line 1", "'stakeholders' must be a count", "'3'"),
        {"s.csv": '# {"manifest": {"stakeholders": "3"}}\nnode\n', "e.csv": "supplier,customer\n"},
    ),
    Case(
        "csv quoted header not JSON",
        read(ic.read_csv, "s.csv", "e.csv"),
        ReadError,
        ("s.csv, line 1", "must be a JSON string"),
        {"s.csv": 'node,"""x"\na,1\n', "e.csv": "supplier,customer\n"},
    ),
    Case(
        "csv JSON names not JSON",
        read(ic.read_csv, "s.csv", "e.csv"),
        ReadError,
        ("s.csv, line 3, column 'node'", "names in this file are JSON"),
        {
            "s.csv": '# {"manifest": {"names": "json"}}\nnode\na\n',
            "e.csv": '# {"manifest": {"names": "json"}}\nsupplier,customer\n',
        },
    ),
    Case(
        "csv services column",
        read(ic.read_csv, "s.csv", "e.csv"),
        ReadError,
        ("e.csv, line 1", "'services' column is not read", "its own row"),
        {"s.csv": "node\na\nb\n", "e.csv": "supplier,customer,services\na,b,[]\n"},
    ),
    Case(
        "csv work_low column",
        read(ic.read_csv, "s.csv", "e.csv"),
        ReadError,
        ("s.csv, line 1: column 'work_low'", "one attribute 'work'"),
        {"s.csv": "node,work_low,work_mode,work_high\na,1,2,3\n", "e.csv": "supplier,customer\n"},
    ),
    Case(
        "csv Volume column",
        read(ic.read_csv, "s.csv", "e.csv"),
        ReadError,
        ("e.csv, line 1: column 'Volume'", "did you mean 'volume'"),
        {"s.csv": "node\na\nb\n", "e.csv": "supplier,customer,Volume\na,b,3\n"},
    ),
    Case(
        "csv graph line a list",
        read(ic.read_csv, "s.csv", "e.csv"),
        ReadError,
        ("s.csv, line 1", "JSON object of graph attributes", "[1]"),
        {"s.csv": "# [1]\nnode\n", "e.csv": "supplier,customer\n"},
    ),
    Case(
        "csv graph attributes in services",
        read(ic.read_csv, "s.csv", "e.csv"),
        ReadError,
        ("e.csv, line 1", "belong in the first line of the stakeholders file"),
        {"s.csv": "node\n", "e.csv": '# {"name": "x"}\nsupplier,customer\n'},
    ),
    Case(
        "csv UTF-16",
        read(ic.read_csv, "s.csv", "e.csv"),
        ReadError,
        ("s.csv, line 1", "UTF-8", "offset 0"),
        {"s.csv": "node\na\n".encode("utf-16"), "e.csv": "supplier,customer\n"},
    ),
    Case(
        "csv binary garbage",
        read(ic.read_csv, "s.csv", "e.csv"),
        ReadError,
        ("s.csv", "UTF-8"),
        {"s.csv": bytes(range(256)) * 4, "e.csv": ""},
    ),
    Case(
        "csv one file for both",
        read(ic.read_csv, "s.csv", "s.csv"),
        ReadError,
        ("s.csv, line 1", "no 'supplier' column"),
        {"s.csv": "node\na\n"},
    ),
    Case(
        "csv pair row with a schema attribute",
        read(ic.read_csv, "s.csv", "e.csv"),
        ReadError,
        ("e.csv, line 3", "appears twice (first at", "named deliverable"),
        {
            "s.csv": "node\na\nb\n",
            "e.csv": "supplier,customer,deliverable,lead_time\na,b,x,1\na,b,,2\n",
        },
    ),
    Case(
        "csv file argument a number",
        lambda _: ic.read_csv(1, 2),
        ParameterError,
        ("'stakeholders' parameter of read_csv", "got int"),
    ),  # type: ignore[arg-type]
    # ---- read_graphml ----------------------------------------------------------------------
    Case(
        "graphml internal entity",
        read(ic.read_graphml, "o.graphml"),
        ReadError,
        ("o.graphml, line 2", "DTDs) and entities are refused", "'graphml'"),
        {
            "o.graphml": graphml(
                '<node id="&x;"/>\n', prolog='<!DOCTYPE graphml [<!ENTITY x "boss">]>\n'
            )
        },
    ),
    Case(
        "graphml external entity",
        read(ic.read_graphml, "o.graphml"),
        ReadError,
        ("o.graphml, line 2", "DTDs) and entities are refused"),
        {
            "o.graphml": graphml(
                '<node id="&x;"/>\n',
                prolog='<!DOCTYPE graphml [<!ENTITY x SYSTEM "file:///etc/hostname">]>\n',
            )
        },
    ),
    Case(
        "graphml DOCTYPE after 64 KiB",
        read(ic.read_graphml, "o.graphml"),
        ReadError,
        ("o.graphml, line 3", "DTDs) and entities are refused"),
        {"o.graphml": graphml("", prolog="<!--" + "x" * 70_000 + "-->\n<!DOCTYPE graphml>\n")},
    ),
    Case(
        "graphml parameter entity",
        read(ic.read_graphml, "o.graphml"),
        ReadError,
        ("o.graphml, line 2", "refused"),
        {
            "o.graphml": graphml(
                "",
                prolog='<!DOCTYPE graphml [<!ENTITY % p SYSTEM "http://example.org/x.dtd"> %p;]>\n',
            )
        },
    ),
    Case(
        "graphml billion laughs",
        read(ic.read_graphml, "o.graphml"),
        ReadError,
        ("o.graphml, line 2", "refused"),
        {"o.graphml": LAUGHS_XML},
        timeout=5,
        memory=64 * MiB,
    ),
    Case(
        "graphml undefined entity",
        read(ic.read_graphml, "o.graphml"),
        ReadError,
        ("o.graphml, line 4", "undefined entity"),
        {"o.graphml": graphml('<node id="&x;"/>\n')},
    ),
    Case(
        "graphml 100k nested elements",
        read(ic.read_graphml, "o.graphml"),
        ReadError,
        ("o.graphml, line 4", "nest deeper than 64"),
        {"o.graphml": graphml("<node id='a'>" + "<x>" * 100_000 + "</x>" * 100_000 + "</node>\n")},
    ),
    Case(
        "graphml nested JSON value",
        read(ic.read_graphml, "o.graphml"),
        ReadError,
        ("o.graphml, line 6", "attribute 'note' must be JSON", "nest deeper"),
        {
            "o.graphml": graphml(
                f'<node id="a">\n<data key="n">{DEEP}</data></node>\n',
                keys='<key id="n" for="node" attr.name="note" attr.type="string"><desc>intcust:json</desc></key>\n',
            )
        },
    ),
    Case(
        "graphml 5000-digit long",
        read(ic.read_graphml, "o.graphml"),
        ReadError,
        ("o.graphml, line 6", "attribute 'servers' must be long", "4300 digits"),
        {
            "o.graphml": graphml(
                f'<node id="a">\n<data key="s">{DIGITS}</data></node>\n',
                keys='<key id="s" for="node" attr.name="servers" attr.type="long"/>\n',
            )
        },
    ),
    Case(
        "graphml repeated JSON key",
        read(ic.read_graphml, "o.graphml"),
        ReadError,
        ("o.graphml, line 6", "'low' appears twice"),
        {
            "o.graphml": graphml(
                '<node id="a">\n<data key="w">{"dist": "uniform", "low": 1, "low": 2, "high": 3}</data></node>\n',
                keys='<key id="w" for="node" attr.name="work" attr.type="string"><desc>intcust:json</desc></key>\n',
            )
        },
    ),
    Case(
        "graphml key id declared twice",
        read(ic.read_graphml, "o.graphml"),
        ReadError,
        ("o.graphml, line 4", "the node key 'k' is declared twice (first at line 3)"),
        {
            "o.graphml": graphml(
                '<node id="a">\n<data key="k">external</data></node>\n',
                keys='<key id="k" for="node" attr.name="kind" attr.type="string"/>\n'
                '<key id="k" for="all" attr.name="note" attr.type="string"/>\n',
            )
        },
    ),
    Case(
        "graphml wrong root",
        read(ic.read_graphml, "o.graphml"),
        ReadError,
        ("o.graphml, line 1", "<graphml> root", "<svg>"),
        {"o.graphml": "<svg/>"},
    ),
    Case(
        "graphml truncated",
        read(ic.read_graphml, "o.graphml"),
        ReadError,
        ("o.graphml, line", "not well-formed"),
        {"o.graphml": cut(GRAPHML, 3)},
    ),
    Case(
        "graphml near-miss key",
        read(ic.read_graphml, "o.graphml"),
        ReadError,
        ("o.graphml, line 3", "'Lead Time'", "did you mean 'lead_time'"),
        {
            "o.graphml": graphml(
                "", keys='<key id="l" for="edge" attr.name="Lead Time" attr.type="double"/>\n'
            )
        },
    ),
    Case(
        "graphml bad JSON node id",
        read(ic.read_graphml, "o.graphml"),
        ReadError,
        ("o.graphml, line 4", "not a JSON node name"),
        {"o.graphml": graphml('<desc>intcust:node-ids=json</desc><node id="{x"/>\n')},
    ),
    # ---- read_yaml ---------------------------------------------------------------------------
    Case(
        "yaml billion laughs",
        read(ic.read_yaml, "o.yaml"),
        ReadError,
        ("o.yaml, line", "aliases expand the document"),
        {"o.yaml": LAUGHS_YAML},
        timeout=5,
        memory=128 * MiB,
    ),
    Case(
        "yaml recursive alias",
        read(ic.read_yaml, "o.yaml"),
        ReadError,
        ("o.yaml, line 4", "refers to a value that contains it"),
        {"o.yaml": yaml_org("note: &r [1, *r]\n")},
    ),
    Case(
        "yaml python tag",
        read(ic.read_yaml, "o.yaml"),
        ReadError,
        ("o.yaml, line 4", "not valid YAML", "python/object"),
        {"o.yaml": yaml_org("x: !!python/object/apply:os.system [echo pwned]\n")},
    ),
    Case(
        "yaml nested 500",
        read(ic.read_yaml, "o.yaml"),
        ReadError,
        ("o.yaml, line", "nest deeper than 100"),
        {"o.yaml": yaml_org("note: " + "[" * 500 + "]" * 500 + "\n")},
    ),
    Case(
        "yaml nested 100k",
        read(ic.read_yaml, "o.yaml"),
        ReadError,
        ("o.yaml, line", "not valid YAML", "nesting depth"),
        {"o.yaml": yaml_org("note: " + DEEP + "\n")},
    ),
    Case(
        "yaml 5000 digits",
        read(ic.read_yaml, "o.yaml"),
        ReadError,
        ("o.yaml, line 4", "cannot be read"),
        {"o.yaml": yaml_org(f"note: {DIGITS}\n")},
    ),
    Case(
        "yaml cut short",
        read(ic.read_yaml, "o.yaml"),
        ReadError,
        ("o.yaml", "has 1 services", "says 2", "cut short"),
        {"o.yaml": cut(YAML, 1)},
    ),
    Case(
        "yaml cut in the stakeholders",
        read(ic.read_yaml, "o.yaml"),
        ReadError,
        ("o.yaml", "has 2 stakeholders but its manifest (line 4) says 3", "cut short"),
        {"o.yaml": YAML.replace("  c: {kind: external, due: 5}\n", "")},
    ),
    Case(
        "yaml repeated key",
        read(ic.read_yaml, "o.yaml"),
        ReadError,
        ("o.yaml, line 3", "'a' twice"),
        {"o.yaml": yaml_org("").replace("b: {}", "a: {}")},
    ),
    Case(
        "yaml manifest names unknown",
        read(ic.read_yaml, "o.yaml"),
        ReadError,
        ("o.yaml, line 1", "'names' must be one of ['typed']"),
        {"o.yaml": "manifest: {names: octal}\n"},
    ),
    Case(
        "yaml control character",
        read(ic.read_yaml, "o.yaml"),
        ReadError,
        ("o.yaml", "not valid YAML"),
        {"o.yaml": "name: \x07\n"},
    ),
    Case(
        "yaml two documents",
        read(ic.read_yaml, "o.yaml"),
        ReadError,
        ("o.yaml, line 2", "not valid YAML"),
        {"o.yaml": "name: a\n---\nname: b\n"},
    ),
    Case(
        "yaml huge quoted value is cut",
        read(ic.read_yaml, "o.yaml"),
        ReadError,
        ("o.yaml, line 5", "a service must be a mapping", "..."),
        {"o.yaml": yaml_org("services:\n  - " + "x" * 500_000 + "\n")},
    ),
    # ---- from_frames ------------------------------------------------------------------------
    Case(
        "frames near-miss column",
        frames({"node": ["a", "b"]}, {"supplier": ["a"], "customer": ["b"], "lead time": [1]}),
        ReadError,
        ("edges frame: column 'lead time'", "did you mean 'lead_time'"),
    ),
    Case(
        "frames work_dist column",
        frames({"node": ["a"], "work_dist": ["pert"]}, {"supplier": [], "customer": []}),
        ReadError,
        ("nodes frame: column 'work_dist'", "one attribute 'work'"),
    ),
    Case(
        "frames not a frame",
        lambda _: ic.from_frames([1], pd.DataFrame()),
        ReadError,
        ("the nodes frame must be a pandas.DataFrame", "got list"),
    ),  # type: ignore[arg-type]
    Case(
        "frames repeated column",
        lambda _: ic.from_frames(
            pd.DataFrame([[1, 2]], columns=["x", "x"]),
            pd.DataFrame({"supplier": [], "customer": []}),
        ),
        ReadError,
        ("nodes frame", "'x' appears twice"),
    ),
    Case(
        "frames services column",
        frames({"node": ["a"]}, {"supplier": [], "customer": [], "services": []}),
        ReadError,
        ("edges frame", "'services' column is not read"),
    ),
    Case(
        "frames unhashable name",
        frames({"node": [["a"]]}, {"supplier": [], "customer": []}),
        ReadError,
        ("nodes frame, row 0", "stakeholder name"),
    ),
    # ---- read_psplib -------------------------------------------------------------------------
    Case(
        "psplib zero jobs",
        read(ic.read_psplib, "p.sm"),
        ReadError,
        ("p.sm, line 1", "at least one job"),
        {"p.sm": psp("jobs (incl. supersource/sink ):  3", "jobs (incl. supersource/sink ):  0")},
    ),
    Case(
        "psplib cycle",
        read(ic.read_psplib, "p.sm"),
        CycleError,
        ("p.sm", "blocking edges with lag 0 form a cycle", "1 -> 2 -> 1"),
        {
            "p.sm": psp(
                "   2        1          1           3", "   2        1          2           3 1"
            )
        },
    ),
    Case(
        "psplib self-loop",
        read(ic.read_psplib, "p.sm"),
        CycleError,
        ("p.sm", "form a cycle", "2 -> 2"),
        {
            "p.sm": psp(
                "   2        1          1           3", "   2        1          2           3 2"
            )
        },
    ),
    Case(
        "psplib 5000-digit job count",
        read(ic.read_psplib, "p.sm"),
        ReadError,
        ("p.sm, line 1", "at most 9 digits"),
        {"p.sm": psp("sink ):  3", "sink ):  " + DIGITS)},
    ),
    Case(
        "psplib a billion resources",
        read(ic.read_psplib, "p.sm"),
        ReadError,
        ("p.sm, line 4", "renewable : <count> R"),
        {"p.sm": psp("renewable                 :  1", "renewable                 :  999999999")},
        memory=128 * MiB,
    ),
    Case(
        "psplib negative duration",
        read(ic.read_psplib, "p.sm"),
        SchemaError,
        ("p.sm, line 13: work of node 2", "got -4"),
        {"p.sm": psp("  2      1     4       2", "  2      1     -4       2")},
    ),
    Case(
        "psplib repeated successor",
        read(ic.read_psplib, "p.sm"),
        ReadError,
        ("p.sm, line 12", "service 1 -> 2 appears twice"),
        {
            "p.sm": psp(
                "   1        1          1           2", "   1        1          2           2 2"
            )
        },
    ),
    Case(
        "psplib cut short",
        read(ic.read_psplib, "p.sm"),
        ReadError,
        ("p.sm", "RESOURCEAVAILABILITIES"),
        {"p.sm": PSP.split("RESOURCEAVAILABILITIES")[0]},
    ),
    Case(
        "psplib not UTF-8",
        read(ic.read_psplib, "p.sm"),
        ReadError,
        ("p.sm, line 1", "byte 0xff"),
        {"p.sm": b"\xff" + PSP.encode()},
    ),
    # ---- from_event_log ---------------------------------------------------------------------
    Case(
        "xes DOCTYPE at the 64 KiB boundary",
        mined("log.xes"),
        ReadError,
        ("log.xes, line 2", "DTDs) and entities are refused", "'log'"),
        {"log.xes": doctype_at_64k()},
    ),
    Case(
        "xes external entity",
        mined("log.xes"),
        ReadError,
        ("log.xes, line 2", "refused"),
        {
            "log.xes": xes(
                "2024-01-01T00:00:00",
                prolog='<!DOCTYPE log [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n',
            ).replace('value="x"', 'value="&e;"')
        },
    ),
    Case(
        "xes billion laughs",
        mined("log.xes"),
        ReadError,
        ("log.xes, line 2", "refused"),
        {"log.xes": LAUGHS_XML.replace("graphml", "log")},
        timeout=5,
        memory=64 * MiB,
    ),
    Case(
        "xes corrupt gzip",
        mined("log.xes.gz"),
        ReadError,
        ("log.xes.gz", "cannot read the file"),
        {"log.xes.gz": gzip.compress(xes("2024-01-01").encode())[:20] + b"\x00" * 40},
    ),
    Case(
        "xes truncated gzip",
        mined("log.xes.gz"),
        ReadError,
        ("log.xes.gz", "cannot read the file"),
        {"log.xes.gz": gzip.compress(xes("2024-01-01").encode())[:-12]},
    ),
    Case(
        "xes nested 100k",
        mined("log.xes"),
        ReadError,
        ("log.xes, line 2", "nest deeper than 256"),
        {"log.xes": xes("2024-01-01", trace_extra="<list>" * 100_000 + "</list>" * 100_000)},
    ),
    Case(
        "xes year 2400",
        mined("log.xes"),
        ReadError,
        ("log.xes, event 2", "2400-01-01", "outside the times"),
        {"log.xes": xes("2024-01-01T00:00:00", "2400-01-01T00:00:00")},
    ),
    Case(
        "csv log year 2400",
        mined("log.csv"),
        ReadError,
        ("log.csv, line 3", "'2400-01-02'", "outside the times"),
        {"log.csv": LOG_HEAD + "1,a,x,2024-01-01\n1,b,y,2400-01-02\n"},
    ),
    Case(
        "csv log year 99999",
        mined("log.csv"),
        ReadError,
        ("log.csv, line 2", "'99999-01-01'", "not an ISO 8601 time"),
        {"log.csv": LOG_HEAD + "1,a,x,99999-01-01\n"},
    ),
    Case(
        "csv log bad byte",
        mined("log.csv"),
        ReadError,
        ("log.csv, line 3", "byte 0xe9 at offset 91"),
        {"log.csv": (LOG_HEAD + "1,a,x,2024-01-01\n1,b,y,2024-01-0").encode() + b"\xe9\n"},
    ),
    Case(
        "csv log lines after a quoted line break",
        mined("log.csv"),
        ReadError,
        ("log.csv, line 5", "lacks 'org:resource'"),
        {"log.csv": LOG_HEAD + '1,"multi\nline",x,2024-01-01\n\n1,b,,2024-01-02\n'},
    ),
    Case(
        "csv log mixed time zones",
        mined("log.csv"),
        ReadError,
        ("log.csv, line 3", "mixes time zones", "'2024-01-02'"),
        {"log.csv": LOG_HEAD + "1,a,x,2024-01-01T00:00:00+01:00\n1,b,y,2024-01-02\n"},
    ),
    Case(
        "csv log corrupt gzip",
        mined("log.csv.gz"),
        ReadError,
        ("log.csv.gz", "cannot read the CSV file"),
        {"log.csv.gz": b"\x1f\x8b\x08\x00" + b"\x00" * 30},
    ),
    Case(
        "frame log year 2400",
        mined_frame(log_frame_2400),
        ReadError,
        ("event log, row 'second'", "2400-01-01", "outside the times"),
    ),
    Case(
        "tickets year 2400",
        lambda folder: ic.from_tickets(folder / "desk.csv"),
        ReadError,
        ("desk.csv, line 3", "'2400-01-01 09:00'", "outside the times"),
        {"desk.csv": TICKETS + "ann,IT,2024-01-01 09:00,,\nbob,IT,2400-01-01 09:00,,\n"},
    ),
    Case(
        "tickets bad byte",
        lambda folder: ic.from_tickets(folder / "desk.csv"),
        ReadError,
        ("desk.csv, line 2", "byte 0xff at offset 44"),
        {"desk.csv": TICKETS.encode() + b"ann,IT\xff,2024-01-01 09:00,,\n"},
    ),
    Case(
        "log /dev/urandom",
        lambda _: ic.from_event_log("/dev/urandom"),
        ReadError,
        ("/dev/urandom", "it is a device"),
    ),
    Case(
        "log path is a folder",
        mined("log.csv"),
        ReadError,
        ("log.csv", "it is a folder"),
        {"log.csv/x": ""},
    ),
    # ---- validate ------------------------------------------------------------------------------
    Case(
        "lead_time near 1e308",
        set_edge("a", "b", "lead_time", 1e308),
        SchemaError,
        ("lead_time of edge ('a', 'b')", "at most 1e+15", "1e+308"),
    ),
    Case(
        "volume 10**400",
        set_edge("a", "b", "volume", 10**400),
        SchemaError,
        ("volume of edge ('a', 'b')", "from 0 to 1e+15", "an int of about 401 digits"),
    ),
    Case(
        "empirical sample 10**5000",
        set_node("a", "work", {"dist": "empirical", "samples": [1, 10**5000]}),
        SchemaError,
        ("work of node 'a'", "empirical 'samples'", "an int of about 5001 digits"),
    ),
    Case(
        "lognormal huge sigma",
        set_node("a", "work", {"dist": "lognormal", "mu": 0, "sigma": 100}),
        SchemaError,
        ("work of node 'a'", "lognormal's mean", "sigma=100"),
    ),
    Case(
        "pert shape 1e7",
        set_node("a", "work", {"dist": "pert", "low": 1, "mode": 2, "high": 3, "shape": 1e7}),
        SchemaError,
        ("work of node 'a'", "'shape' must be > 0 and <= 1e+06"),
    ),
    Case(
        "servers 10**9",
        set_node("a", "servers", 10**9),
        SchemaError,
        ("servers of node 'a'", "from 1 to 100000"),
    ),
    Case(
        "lag 10**9",
        set_edge("a", "b", "lag", 10**9),
        SchemaError,
        ("lag of edge ('a', 'b')", "from 0 to 1000"),
    ),
    Case(
        "services a string",
        set_edge("a", "b", "services", "PMS, support"),
        SchemaError,
        ("services of edge ('a', 'b')", "list of service mappings"),
    ),
    Case(
        "services an int",
        set_edge("a", "b", "services", 3),
        SchemaError,
        ("services of edge ('a', 'b')", "got 3"),
    ),
    Case(
        "dist unhashable",
        set_node("a", "work", {"dist": ["pert"]}),
        SchemaError,
        ("work of node 'a'", "'dist' must be one of", "['pert']"),
    ),
    Case(
        "dist misspelt",
        set_node("a", "work", {"dist": "triangle", "low": 1}),
        SchemaError,
        ("work of node 'a'", "did you mean 'triangular'"),
    ),
    Case(
        "lag a numpy array",
        set_edge("a", "b", "lag", np.array([0, 1])),
        SchemaError,
        ("lag of edge ('a', 'b')", "int from 0 to 1000"),
    ),
    Case(
        "a name of a million characters",
        validating(long_name),
        SchemaError,
        ("kind of node 'nnnn", "...", "'robot'"),
    ),
    Case(
        "not a graph",
        lambda _: ic.validate([1, 2]),
        ParameterError,
        ("'G' parameter of validate must be a networkx.DiGraph", "got list"),
    ),  # type: ignore[arg-type]
    Case(
        "near-miss on a graph built in Python",
        set_edge("a", "b", "Lead_Time", 3),
        SchemaError,
        ("attribute 'Lead_Time' of edge ('a', 'b')", "did you mean 'lead_time'"),
    ),
    # ---- what_if --------------------------------------------------------------------------------
    Case(
        "what_if remove a str",
        what_if(remove="a"),
        ParameterError,
        ("'remove' parameter of what_if", "['a']"),
    ),
    Case(
        "what_if merge a list",
        what_if(merge=[("x", ["a"])]),
        ParameterError,
        ("'merge' parameter of what_if must be a mapping",),
    ),
    Case(
        "what_if merge unhashable member",
        what_if(merge={"x": [["a"]]}),
        UnknownNodeError,
        ("'merge' parameter of what_if", "['a']"),
    ),
    Case(
        "what_if merge members a number",
        what_if(merge={"x": 3}),
        ParameterError,
        ("parameter of what_if must be a list of nodes", "got 3"),
    ),
    Case(
        "what_if reroute to nobody",
        what_if(reroute={("a", "b"): "nobody"}),
        UnknownNodeError,
        ("'reroute' parameter of what_if", "'nobody'"),
    ),
    Case(
        "what_if reroute a missing service",
        what_if(reroute={("a", "c"): "b"}),
        ParameterError,
        ("'reroute' parameter of what_if", "'a' does not supply 'c'"),
    ),
    Case(
        "what_if reroute key not a pair",
        what_if(reroute={"a": "b"}),
        ParameterError,
        ("'reroute' parameter of what_if", "got key 'a'"),
    ),
    Case(
        "what_if not a graph",
        lambda _: ic.what_if(nx.Graph()),
        ParameterError,
        ("'G' parameter of what_if", "got Graph"),
    ),
    Case(
        "what_if merge closes a loop",
        what_if(merge={"ac": ["a", "c"]}),
        CycleError,
        ("'b' -> 'ac' -> 'b'",),
    ),
    # ---- writers ---------------------------------------------------------------------------------
    Case(
        "write_json folder missing",
        writing(ic.write_json, "no/such/o.json"),
        WriteError,
        ("no/such/o.json", "does not exist"),
    ),
    Case(
        "write_json onto a folder",
        writing(ic.write_json, "o.json"),
        WriteError,
        ("o.json", "it is a folder"),
        {"o.json/keep": "x"},
    ),
    Case(
        "write_json under a file",
        writing(ic.write_json, "f/o.json"),
        WriteError,
        ("f/o.json", "is not a folder"),
        {"f": "a file"},
    ),
    Case(
        "write_json permission denied",
        lambda _: ic.write_json(org(), "/sys/o.json"),
        WriteError,
        ("/sys/o.json", "Permission denied"),
    ),
    Case(
        "write_json file-size limit",
        writing(ic.write_json, "o.json"),
        WriteError,
        ("o.json", "File too large"),
        {"o.json": JSON},
        fsize=100,
    ),
    Case(
        "write_csv file-size limit",
        writing(ic.write_csv, "s.csv", "e.csv"),
        WriteError,
        ("s.csv", "File too large"),
        {"s.csv": NODES, "e.csv": EDGES},
        fsize=200,
    ),
    Case(
        "write_graphml file-size limit",
        writing(ic.write_graphml, "o.graphml"),
        WriteError,
        ("o.graphml", "File too large"),
        {"o.graphml": GRAPHML},
        fsize=500,
    ),
    Case(
        "write_yaml file-size limit",
        writing(ic.write_yaml, "o.yaml"),
        WriteError,
        ("o.yaml", "File too large"),
        {"o.yaml": YAML},
        fsize=50,
    ),
    Case(
        "write catalogue csv file-size limit",
        catalogue_csv("c.csv"),
        WriteError,
        ("c.csv", "File too large"),
        {"c.csv": PREVIOUS},
        fsize=100,
    ),
    Case(
        "write catalogue csv into a missing folder",
        catalogue_csv("no/c.csv"),
        WriteError,
        ("no/c.csv", "does not exist"),
    ),
    Case(
        "write_report file-size limit",
        report("r.html"),
        WriteError,
        ("r.html", "File too large"),
        {"r.html": PREVIOUS},
        timeout=120.0,
        memory=1024 * MiB,
        fsize=10_000,
    ),
    Case(
        "write_report lone surrogates over the file-size limit",
        report("r.html", surrogate_org),  # drawn and written as escapes: only the limit fails
        WriteError,
        ("r.html", "File too large"),
        {"r.html": PREVIOUS},
        timeout=120.0,
        memory=1024 * MiB,
        fsize=10_000,
    ),
    Case(
        "write_report onto a folder",
        report("r.html"),
        WriteError,
        ("r.html", "it is a folder"),
        {"r.html/keep": PREVIOUS},
        timeout=120.0,
        memory=1024 * MiB,
    ),
    Case(
        "write_report path a number",
        lambda _: write_report(org(), 1),  # type: ignore[arg-type]
        ParameterError,
        ("'path' parameter of write_report", "got int"),
    ),
    Case(
        "write_csv one file for both",
        writing(ic.write_csv, "s.csv", "s.csv"),
        ParameterError,
        ("'stakeholders' and 'services' parameters of write_csv", "s.csv"),
    ),
    Case(
        "write_csv services into a folder",
        writing(ic.write_csv, "s.csv", "e.csv"),
        WriteError,
        ("e.csv", "it is a folder"),
        {"s.csv": NODES, "e.csv/x": ""},
    ),
    Case(
        "write_csv graph attribute manifest",
        writing(ic.write_csv, "s.csv", "e.csv", G=manifest_graph),
        ParameterError,
        ("write_csv", "'manifest'"),
    ),
    Case(
        "write onto a file as a folder",
        writing(ic.write, "org"),
        WriteError,
        ("org", "cannot make the folder"),
        {"org": "a file"},
    ),
    Case(
        "write_yaml nested 200",
        writing(ic.write_yaml, "o.yaml", G=deep_graph),
        ParameterError,
        ("node 'a'", "nest deeper than 100"),
    ),
    Case(
        "write_json a set",
        writing(ic.write_json, "o.json", G=set_valued),
        ParameterError,
        ("node 'a'", "of type set"),
    ),
    Case(
        "write_json to a read-only stream",
        lambda folder: ic.write_json(org(), read_only(folder / "r.txt")),
        WriteError,
        ("r.txt", "cannot be written"),
        {"r.txt": "x"},
    ),
    Case(
        "write_csv argument a number",
        lambda _: ic.write_csv(org(), 1, 2),
        ParameterError,
        ("'stakeholders' parameter of write_csv", "got int"),
    ),  # type: ignore[arg-type]
    Case(
        "to_frames reserved name",
        lambda _: ic.to_frames(nx.DiGraph([("a", "b", {"supplier": 1})])),
        ParameterError,
        ("to_frames", "'supplier'", "edge ('a', 'b')"),
    ),
    Case(
        "read dispatch not a path",
        lambda _: ic.read(None),
        ParameterError,
        ("'path' parameter of read", "got NoneType"),
    ),  # type: ignore[arg-type]
]
CASES += CLI_CASES  # every sub-command of `intcust`, run through its main


def test_the_table_covers_every_entry_point() -> None:
    ids = [c.id for c in CASES]
    assert len(ids) >= 90 and len(set(ids)) == len(ids)
    for prefix in (
        "json",
        "csv",
        "graphml",
        "yaml",
        "frames",
        "psplib",
        "xes",
        "what_if",
        "write",
        "cli",
    ):
        assert sum(i.startswith(prefix) for i in ids) >= 4, prefix


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_hostile_input_is_refused_with_the_place(case: Case, tmp_path: Path) -> None:
    write_files(tmp_path, case.files)
    before = snapshot(tmp_path)
    outcome = run_case(case, tmp_path)
    assert outcome.kind == "raised", f"{outcome.kind} after {outcome.seconds:.1f} s: {outcome}"
    assert outcome.type == qualified(case.raises), f"{outcome.type}: {outcome.message[:500]}"
    for fragment in case.names:
        assert fragment in outcome.message, f"{fragment!r} not in {outcome.message[:2000]!r}"
    assert outcome.length <= LONGEST, f"a message of {outcome.length} characters"
    assert snapshot(tmp_path) == before, "the files changed"


# ---- what is neutralised rather than refused ------------------------------------------------

FORMULAS = ["=1+1", "+1", "-2+3+cmd|' /C calc'!A0", "@SUM(A1)", "\tx", "\rx", '=HYPERLINK("x")']


def _cells(path: Path) -> list[str]:
    with open(path, newline="", encoding="utf-8") as f:
        return [cell for row in csv.reader(f) for cell in row]


def _safe(cell: str) -> bool:
    """A spreadsheet runs a cell as a formula if it starts with one of these; numbers are fine
    (digits, or the literal ``-Infinity``: no text of the user's)."""
    from intcust.graph.io.codec import NUMBER

    number = bool(NUMBER.match(cell)) or cell == "-Infinity"
    return not cell.startswith(("=", "+", "-", "@", "\t", "\r")) or number


def test_csv_cells_a_spreadsheet_would_run_are_neutralised_and_read_back(tmp_path: Path) -> None:
    G = ic.org_graph(name="=cmd|' /C calc'!A0")
    for i, formula in enumerate(FORMULAS):
        ic.add_stakeholder(G, formula, role=formula, attrs={"note": formula, formula: i})
    ic.add_stakeholder(G, "plain", attrs={"x": -3, "y": -math.inf})
    for formula in FORMULAS:
        ic.add_service(G, "plain", formula, deliverable=formula, attrs={"channel": formula})
    ic.write_csv(G, tmp_path / "s.csv", tmp_path / "e.csv")
    for name in ("s.csv", "e.csv"):
        cells = _cells(tmp_path / name)
        assert cells[0].startswith("# ")  # the graph line is one cell
        assert all(_safe(c) for c in cells), [c for c in cells if not _safe(c)]
    assert_same_org(G, ic.read_csv(tmp_path / "s.csv", tmp_path / "e.csv"))


def test_an_organisation_mined_and_written_to_a_folder_is_neutralised(tmp_path: Path) -> None:
    """``intcust mine LOG -o FOLDER`` writes through `ic.write`: names from the log are cells."""
    log = tmp_path / "log.csv"
    log.write_text(LOG_HEAD + '1,=act,"=HYPERLINK(""x"")",2024-01-01\n1,b,@user,2024-01-02\n')
    G = ic.from_event_log(log)
    ic.write(G, tmp_path / "org")
    for name in ("stakeholders.csv", "services.csv"):
        assert all(_safe(c) for c in _cells(tmp_path / "org" / name))
    assert set(ic.read(tmp_path / "org")) == set(G)


def test_catalogue_cells_a_spreadsheet_would_run_are_neutralised(tmp_path: Path) -> None:
    """The service catalogue, from the library and from ``intcust catalogue -o``, follows the
    cell rule of `write_csv`: a formula is JSON-quoted text, and reads back as the name."""
    from intcust.cli import main
    from intcust.graph.io.codec import decode_cell

    G = ic.org_graph(name="=cmd|' /C calc'!A0")
    ic.add_stakeholder(G, "hub")
    for formula in FORMULAS:
        ic.add_stakeholder(G, formula, unit=formula)
        ic.add_service(G, "hub", formula, deliverable="to all")  # customers: "=1+1; +1; ..."
        ic.add_service(G, formula, "plain", deliverable=formula)
    service_catalogue(G).to_csv(tmp_path / "lib.csv")
    ic.write_json(G, tmp_path / "o.json")
    assert main(["catalogue", str(tmp_path / "o.json"), "-o", str(tmp_path / "cli.csv")]) == 0
    for name in ("lib.csv", "cli.csv"):
        cells = _cells(tmp_path / name)
        assert all(_safe(c) for c in cells), [c for c in cells if not _safe(c)]
        with open(tmp_path / name, newline="", encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        assert [decode_cell(r["supplier"]) for r in rows] == ["hub", *FORMULAS]
        assert [decode_cell(r["deliverable"]) for r in rows[1:]] == FORMULAS
        assert decode_cell(rows[0]["customers"]) == "; ".join(FORMULAS)


@pytest.mark.parametrize(
    "name", ["007", "01234", "010", "0x1F", "12:30", "1_000", "1e5", "true", "2020-01-01"]
)
def test_hand_written_names_stay_text(name: str) -> None:
    G = ic.read_csv(
        io.StringIO(f"node\n{name}\nx\n"), io.StringIO(f"supplier,customer\n{name},x\n")
    )
    assert list(G) == [name, "x"] and G.has_edge(name, "x")
    Y = ic.read_yaml(
        io.StringIO(
            f"stakeholders:\n  {name}:\n  x:\nservices:\n  - {{supplier: {name}, customer: x}}\n"
        )
    )
    assert list(Y) == [name, "x"] and Y.has_edge(name, "x")


@pytest.mark.parametrize("label", ["007", "01234", "010", "0x1F", "12:30", "1_000"])
def test_labels_that_are_no_plain_number_stay_text(label: str) -> None:
    """Only plain decimal numbers are numbers: no octal, hex, sexagesimal or leading zeros."""
    G = ic.read_csv(io.StringIO(f"node,unit\na,{label}\n"), io.StringIO("supplier,customer\n"))
    Y = ic.read_yaml(io.StringIO(f"stakeholders:\n  a: {{unit: {label}}}\n"))
    assert G.nodes["a"]["unit"] == Y.nodes["a"]["unit"] == label


def test_typed_names_are_declared_and_kept(tmp_path: Path) -> None:
    G = ic.org_graph()
    ic.add_service(G, 7, "007")
    ic.add_service(G, 2.5, 7)
    for via in ("csv", "yaml"):
        if via == "csv":
            ic.write_csv(G, tmp_path / "s.csv", tmp_path / "e.csv")
            H = ic.read_csv(tmp_path / "s.csv", tmp_path / "e.csv")
        else:
            ic.write_yaml(G, tmp_path / "o.yaml")
            assert "names: typed" in (tmp_path / "o.yaml").read_text()
            H = ic.read_yaml(tmp_path / "o.yaml")
        assert_same_org(G, H)
    Y = ic.read_yaml(io.StringIO("stakeholders: {!!int 7: {}, '7': {}}\n"))
    assert list(Y) == [7, "7"]


def test_long_names_and_samples_round_trip_through_csv(tmp_path: Path) -> None:
    G = ic.org_graph()
    name = "n" * 300_000
    ic.add_stakeholder(G, name, work=ic.sim.Empirical(np.arange(40_000) / 7))
    ic.add_service(G, name, "b", lead_time=ic.sim.Empirical(np.arange(40_000) / 3))
    ic.write_csv(G, tmp_path / "s.csv", tmp_path / "e.csv")
    H = ic.read_csv(tmp_path / "s.csv", tmp_path / "e.csv")
    assert list(H) == [name, "b"]
    assert H.nodes[name]["work"] == G.nodes[name]["work"]
    assert H.edges[name, "b"]["lead_time"] == G.edges[name, "b"]["lead_time"]


def test_the_harness_caps_memory_and_time(tmp_path: Path) -> None:
    import time as clock

    hog = Case("hog", lambda _: bytearray(4 << 30), MemoryError, (), memory=256 * MiB)
    assert run_case(hog, tmp_path).type == qualified(MemoryError)
    sleeper = Case("sleeper", lambda _: clock.sleep(30), ReadError, (), timeout=0.5)
    outcome = run_case(sleeper, tmp_path)
    assert outcome.kind == "hung" and outcome.seconds == 0.5
