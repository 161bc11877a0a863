"""GraphML: `read_graphml` and `write_graphml`.

Plain attributes stay native, so Gephi and yEd show numbers as numbers: a key
whose values are all bools is ``boolean``, all ints ``long``, ints and floats
``double`` (an int is written without a decimal point and read back as an
int), all strings ``string``. Any other key (durations, lists, dicts, None,
mixed types, or text that XML cannot carry exactly, such as control
characters or a carriage return) is written as JSON text in a ``string`` key
marked ``<desc>intcust:json</desc>``, which the reader decodes (see
`intcust.graph.io._graphml_types`).

Node ids are the node names when every name is such a string; otherwise
every id is the JSON of its name and the ``<graph>`` element carries
``<desc>intcust:node-ids=json</desc>``. An edge with several services is
one ``<edge>`` per service (parallel edges, as GraphML allows), plus one
without a deliverable for the attributes of the pair itself when it has any
(see `intcust.graph.io._rows`).

The reader parses with expat configured to refuse any document type
declaration, and so any entity declaration: GraphML needs neither, and
entities are how XML files expand into gigabytes or pull in local files.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from typing import Any
from xml.parsers import expat

import networkx as nx

from intcust.errors import ParameterError, ReadError, quote
from intcust.graph.io._build import OrgBuilder, column_problem
from intcust.graph.io._graphml_types import (
    _JSON_DESC,
    _UNSAFE,
    _Key,
    _key_type,
    _kind,
    _text,
    _value,
)
from intcust.graph.io._json_strict import parse_json
from intcust.graph.io._rows import all_rows
from intcust.graph.io.codec import (
    attribute_columns,
    decode_name,
    place,
    plain,
)
from intcust.graph.io.files import PathOrFile, read_bytes, write_text
from intcust.graph.io.safexml import safe_parser
from intcust.graph.schema import SCHEMA_VERSION

__all__ = ["read_graphml", "write_graphml"]

_NS = "http://graphml.graphdrawing.org/xmlns"
_XSI = "http://www.w3.org/2001/XMLSchema-instance"
_LOCATION = f"{_NS} http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd"
_IDS_DESC = "intcust:node-ids=json"
#: GraphML nests a handful of levels (yEd's graphics a few more); deeper is not GraphML.
_MAX_DEPTH = 64


def write_graphml(G: nx.DiGraph, path: PathOrFile) -> None:
    """Write an organisation as GraphML.

    Parameters
    ----------
    G : networkx.DiGraph
        The organisation.
    path : str, path-like or file
        Where to write (UTF-8).

    Raises
    ------
    ParameterError
        If an attribute value cannot be written, or an attribute name holds
        characters XML cannot carry.
    WriteError
        If the file cannot be written; a previous file is left as it was.

    Notes
    -----
    See the module notes for how types are kept; the graph data gets
    ``schema_version``. A path is replaced atomically.

    Examples
    --------
    >>> import io, intcust as ic
    >>> f = io.StringIO()
    >>> ic.write_graphml(ic.datasets.email_campaign(), f)
    >>> lines = [s.strip() for s in f.getvalue().splitlines()]
    >>> print(*[s for s in lines if "d7" in s or "d8" in s][:4], sep="\\n")
    <key id="d7" for="node" attr.name="work" attr.type="string">
    <key id="d8" for="node" attr.name="due" attr.type="double" />
    <data key="d7">{"dist": "pert", "low": 1.0, "mode": 2.0, "high": 4.0, "shape": 4.0}</data>
    <data key="d7">{"dist": "pert", "low": 0.5, "mode": 1.0, "high": 2.0, "shape": 4.0}</data>
    """
    rows = list(all_rows(G, "write_graphml"))
    node_cols, edge_cols = attribute_columns(G, "write_graphml", edges=rows)
    graph = {**G.graph, "schema_version": SCHEMA_VERSION}
    root = ET.Element(
        "graphml", {"xmlns": _NS, "xmlns:xsi": _XSI, "xsi:schemaLocation": _LOCATION}
    )
    keys: dict[tuple[str, str], tuple[str, str]] = {}  # (domain, name) -> (id, type)
    domains = (
        ("graph", list(graph), [graph]),
        ("node", node_cols, [d for _, d in G.nodes(data=True)]),
        ("edge", edge_cols, [d for _, _, d in rows]),
    )
    for domain, names, records in domains:
        kinds: dict[str, set[str]] = {name: set() for name in names}
        for data in records:
            for name, value in data.items():
                kinds[name].add(_kind(value))
        for name in names:
            if not isinstance(name, str) or _UNSAFE.search(name):
                raise ParameterError(
                    f"write_graphml cannot write the {domain} attribute name {quote(name)}: "
                    "GraphML needs str names without control characters"
                )
            key_type = _key_type(kinds[name])
            key_id = f"d{len(keys)}"
            keys[domain, name] = (key_id, key_type)
            attrs = {"id": key_id, "for": domain, "attr.name": name}
            attrs["attr.type"] = "string" if key_type == "json" else key_type
            el = ET.SubElement(root, "key", attrs)
            if key_type == "json":
                ET.SubElement(el, "desc").text = _JSON_DESC
    g = ET.SubElement(root, "graph", {"id": "G", "edgedefault": "directed"})
    as_json = not all(isinstance(n, str) and not _UNSAFE.search(n) for n in G)
    if as_json:
        ET.SubElement(g, "desc").text = _IDS_DESC

    def ident(n: Hashable) -> str:
        return json.dumps(plain(n, "a node name"), ensure_ascii=True) if as_json else str(n)

    def add_data(
        parent: ET.Element, domain: str, data: dict[str, Any], owner: Callable[[], str]
    ) -> None:
        for name, value in data.items():
            key_id, key_type = keys[domain, name]
            el = ET.SubElement(parent, "data", {"key": key_id})
            where = place("attribute", name, owner) if key_type == "json" else ""
            el.text = _text(value, key_type, where)

    add_data(g, "graph", graph, lambda: "the graph")
    for n, data in G.nodes(data=True):
        add_data(
            ET.SubElement(g, "node", {"id": ident(n)}),
            "node",
            data,
            place("node", n),
        )
    for u, v, data in rows:
        el = ET.SubElement(g, "edge", {"source": ident(u), "target": ident(v)})
        add_data(el, "edge", data, place("edge", (u, v)))
    ET.indent(root, space=" ")
    body = ET.tostring(root, encoding="unicode")
    write_text(path, f"<?xml version='1.0' encoding='utf-8'?>\n{body}\n", "write_graphml")


@dataclass
class _El:
    """An XML element with the line it starts on."""

    tag: str
    attrs: dict[str, str]
    line: int
    children: list[_El] = field(default_factory=list)
    chunks: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(self.chunks)

    def find(self, tag: str) -> Iterable[_El]:
        return (c for c in self.children if c.tag == tag)


def _parse(data: bytes, name: str) -> _El:
    parser = safe_parser(name)
    stack: list[_El] = []
    roots: list[_El] = []

    def start(tag: str, attrs: dict[str, str]) -> None:
        line = parser.CurrentLineNumber
        if len(stack) >= _MAX_DEPTH:
            raise ReadError(f"{name}, line {line}: elements nest deeper than {_MAX_DEPTH} levels")
        el = _El(tag.rpartition(" ")[2], attrs, line)
        (stack[-1].children if stack else roots).append(el)
        stack.append(el)

    def end(tag: str) -> None:
        stack.pop()

    def chars(text: str) -> None:
        if stack:
            stack[-1].chunks.append(text)

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = chars
    try:
        parser.Parse(data, True)
    except expat.ExpatError as err:
        raise ReadError(
            f"{name}, line {err.lineno}, column {err.offset + 1}: not well-formed XML: "
            f"{expat.errors.messages[err.code]}"
        ) from None
    return roots[0]


def read_graphml(path: PathOrFile) -> nx.DiGraph:
    """Read an organisation from GraphML.

    Parameters
    ----------
    path : str, path-like or file
        A GraphML file with one directed graph, written by `write_graphml`
        or another tool (yEd, Gephi, networkx). Parallel edges are the
        services of one pair, each naming its deliverable.

    Returns
    -------
    networkx.DiGraph
        Typed values as declared by their keys (``long``/``int`` as int,
        ``double``/``float`` as float unless written as an integer,
        ``boolean`` as bool); key defaults apply to elements without the
        data; JSON keys are decoded and duration mappings of ``work`` and
        ``lead_time`` become duration objects. yEd's graphics keys are not
        attributes and are skipped. Node names are the ids (strings) unless
        the file marks them as JSON.

    Raises
    ------
    ReadError
        Naming the file and line: XML that is not well-formed or truncated,
        a document type declaration (DTD) or entity, no or several graphs, an undirected graph, nested graphs or
        hyperedges, a value that does not parse as its key's type, an
        unknown key, a repeated node or edge, or an edge naming an unknown
        node.
    SchemaError
        Listing every schema problem, each with its file and line.
    CycleError
        If blocking edges with lag 0 form a cycle.

    Examples
    --------
    >>> import io, intcust as ic
    >>> f = io.StringIO()
    >>> ic.write_graphml(ic.datasets.email_campaign(), f)
    >>> G = ic.read_graphml(io.StringIO(f.getvalue()))
    >>> G.nodes["customers"]["due"], G.edges["designer", "sender"]["lead_time"]
    (5.0, 0.5)
    """
    data, name = read_bytes(path, "read_graphml")
    root = _parse(data, name)
    if root.tag != "graphml":
        raise ReadError(f"{name}, line {root.line}: expected a <graphml> root; got <{root.tag}>")
    keys: dict[tuple[str, str], _Key | None] = {}  # None: yEd graphics, not data
    declared: dict[tuple[str, str], int] = {}  # the line of each key
    for el in root.find("key"):
        key_id, domain = el.attrs.get("id"), el.attrs.get("for", "all")
        if key_id is None:
            raise ReadError(f"{name}, line {el.line}: a <key> needs an id")
        defaults = [d.text for d in el.find("default")]
        key = None
        if "yfiles.type" not in el.attrs:
            attr_name = el.attrs.get("attr.name", key_id)
            for d in ("graph", "node", "edge") if domain == "all" else (domain,):
                problem = column_problem(attr_name, d) if d in ("node", "edge", "graph") else None
                if problem:
                    raise ReadError(f"{name}, line {el.line}: the {d} key's {problem}")
            key = _Key(
                el.attrs.get("attr.name", key_id),
                el.attrs.get("attr.type", "string"),
                any(d.text == _JSON_DESC for d in el.find("desc")),
                defaults[0] if defaults else None,
            )
        for d in ("graph", "node", "edge") if domain == "all" else (domain,):
            if (d, key_id) in declared:
                raise ReadError(
                    f"{name}, line {el.line}: the {d} key {quote(key_id)} is declared twice "
                    f"(first at line {declared[d, key_id]})"
                )
            declared[d, key_id] = el.line
            keys[d, key_id] = key
    graphs = list(root.find("graph"))
    if len(graphs) != 1:
        raise ReadError(
            f"{name}: expected one <graph> (one organisation per file); found {len(graphs)}"
        )
    g = graphs[0]
    where = f"{name}, line {g.line}"
    if g.attrs.get("edgedefault", "directed") != "directed":
        raise ReadError(
            f"{where}: an organisation is a directed graph; got edgedefault="
            f"{quote(g.attrs['edgedefault'])}"
        )
    as_json = any(d.text == _IDS_DESC for d in g.find("desc"))
    b = OrgBuilder(name)
    b.set_graph(_data(g, "graph", keys, name), where)
    for el in g.children:
        where = f"{name}, line {el.line}"
        if el.tag in ("hyperedge", "graph") or any(c.tag == "graph" for c in el.children):
            raise ReadError(f"{where}: nested graphs and hyperedges are not organisations")
        if el.tag == "node":
            b.add_node(_id(el, "id", as_json, where), _data(el, "node", keys, name), where)
        elif el.tag == "edge":
            if el.attrs.get("directed", "true") == "false":
                raise ReadError(
                    f"{where}: an organisation's edges are directed; got directed='false'"
                )
            u, v = _id(el, "source", as_json, where), _id(el, "target", as_json, where)
            b.add_edge(u, v, _data(el, "edge", keys, name), where)
    return b.build()


def _id(el: _El, attr: str, as_json: bool, where: str) -> Hashable:
    if attr not in el.attrs:
        raise ReadError(f"{where}: <{el.tag}> has no {attr!r}")
    text = el.attrs[attr]
    if not as_json:
        return text
    try:
        return decode_name(parse_json(text))
    except ValueError as err:
        raise ReadError(
            f"{where}: {attr} {quote(text)} is not a JSON node name: {quote(str(err))}"
        ) from None


def _data(
    el: _El, domain: str, keys: dict[tuple[str, str], _Key | None], name: str
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for d in el.find("data"):
        where = f"{name}, line {d.line}"
        key_id = d.attrs.get("key", "")
        if (domain, key_id) not in keys:
            raise ReadError(f"{where}: <data> names the undeclared {domain} key {quote(key_id)}")
        key = keys[domain, key_id]
        if key is None:
            continue
        if key.name in out:
            raise ReadError(f"{where}: the {domain} attribute {quote(key.name)} is given twice")
        out[key.name] = _value(d.text, key, where)
    for (dom, _), k in keys.items():
        if dom == domain and k is not None and k.default is not None and k.name not in out:
            out[k.name] = _value(k.default, k, f"{name}, default of key {quote(k.name)}")
    return out
