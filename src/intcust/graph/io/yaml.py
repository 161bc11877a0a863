"""YAML for organisations written by hand (PyYAML, safe loading only).

::

    name: Acme
    time_unit: day
    stakeholders:
      designer: {unit: Marketing, work: 2}
      sender: {work: {dist: pert, low: 0.5, mode: 1, high: 3}}
      customers: {kind: external, due: 5}
    services:
      - {supplier: designer, customer: sender, deliverable: email design, lead_time: 0.5}
      - {supplier: sender, customer: customers}

Top-level keys other than ``stakeholders`` and ``services`` are graph
attributes. A stakeholder without attributes may be written ``sender:`` or
``sender: {}``.
"""

from __future__ import annotations

import re
from typing import Any

import networkx as nx

from intcust.errors import ParameterError, ReadError
from intcust.graph.io._build import OrgBuilder
from intcust.graph.io._codec import (
    PathOrFile,
    attribute_columns,
    decode_name,
    plain,
    read_text,
    write_text,
)
from intcust.graph.schema import SCHEMA_VERSION

__all__ = ["read_yaml", "write_yaml"]

_RESERVED = ("stakeholders", "services")
_BREAKS = re.compile("[\n\r\x85\u2028\u2029]")


def write_yaml(G: nx.DiGraph, path: PathOrFile) -> None:
    """Write an organisation as YAML (needs PyYAML).

    Parameters
    ----------
    G : networkx.DiGraph
        The organisation.
    path : str, path-like or file
        Where to write (UTF-8).

    Raises
    ------
    ParameterError
        If an attribute value cannot be written, a node name is not a str,
        int, float or bool, an edge attribute is named ``supplier`` or
        ``customer``, or a graph attribute ``stakeholders`` or ``services``.

    Notes
    -----
    Durations are written as their mappings; the document gets
    ``schema_version``. Written with ``yaml.safe_dump``.

    Examples
    --------
    >>> import io, intcust as ic
    >>> G = ic.org_graph(name="Acme", time_unit="day")
    >>> ic.add_service(G, "designer", "sender", deliverable="email design", lead_time=0.5)
    >>> f = io.StringIO()
    >>> ic.write_yaml(G, f)
    >>> print(f.getvalue(), end="")
    name: Acme
    time_unit: day
    schema_version: '1.0'
    stakeholders:
      designer: {kind: person}
      sender: {kind: person}
    services:
    - {supplier: designer, customer: sender, deliverable: email design, lead_time: 0.5}
    """
    import yaml

    attribute_columns(G, "write_yaml", edge_reserved=("supplier", "customer"))
    doc: dict[str, Any] = {}
    for key, value in G.graph.items():
        if key in _RESERVED:
            raise ParameterError(
                f"write_yaml cannot write the graph attribute {key!r}: the format uses that "
                "name for itself; rename the attribute"
            )
        doc[key] = plain(value, f"graph attribute {key!r}")
    doc["schema_version"] = SCHEMA_VERSION
    stakeholders: dict[Any, Any] = {}
    for n, d in G.nodes(data=True):
        if not isinstance(n, str | int | float):
            raise ParameterError(
                f"write_yaml needs node names that are str, int, float or bool; got {n!r}"
            )
        stakeholders[n] = plain(d, f"an attribute of node {n!r}")
    doc["stakeholders"] = stakeholders
    doc["services"] = [
        {"supplier": u, "customer": v, **plain(d, f"an attribute of edge {(u, v)!r}")}
        for u, v, d in G.edges(data=True)
    ]
    text = yaml.dump(
        doc,
        Dumper=_dumper(yaml),
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=None,
        width=100,
    )
    write_text(path, text)


def _dumper(yaml: Any) -> Any:
    """A safe dumper (libyaml's when present) writing text with line breaks double-quoted.

    PyYAML folds a line break such as U+0085 in single-quoted text into a
    space; double quotes escape it.
    """

    class Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
        def represent_str(self, data: str) -> Any:
            if _BREAKS.search(data):
                return self.represent_scalar("tag:yaml.org,2002:str", data, style='"')
            return super().represent_str(data)

    Dumper.add_representer(str, Dumper.represent_str)
    return Dumper


def read_yaml(path: PathOrFile) -> nx.DiGraph:
    """Read an organisation from YAML (needs PyYAML; safe loading only).

    Parameters
    ----------
    path : str, path-like or file
        A mapping with ``stakeholders`` (name -> attributes), ``services``
        (a list of mappings with ``supplier`` and ``customer``) and graph
        attributes; see the module notes.

    Returns
    -------
    networkx.DiGraph
        Duration mappings of ``work`` and ``lead_time`` become duration
        objects; unknown attributes are kept as loaded.

    Raises
    ------
    ReadError
        Naming the file and line: YAML that does not parse (or is
        truncated), a repeated key, a document of the wrong shape, a service
        without ``supplier`` or ``customer``, a repeated service, or a
        service naming an unknown stakeholder.
    SchemaError
        Listing every schema problem, each with its file and line.
    CycleError
        If blocking edges with lag 0 form a cycle.

    Examples
    --------
    >>> import io, intcust as ic
    >>> text = '''
    ... name: Acme
    ... stakeholders:
    ...   designer: {unit: Marketing, work: {dist: triangular, low: 1, mode: 2, high: 4}}
    ...   sender:
    ... services:
    ...   - {supplier: designer, customer: sender, lead_time: 0.5}
    ... '''
    >>> G = ic.read_yaml(io.StringIO(text))
    >>> G.nodes["designer"]["work"], G.graph
    (Triangular(low=1, mode=2, high=4), {'name': 'Acme'})
    """
    import yaml

    text, name = read_text(path)
    loader = _loader(yaml)(text)
    try:
        doc = loader.get_single_data()
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = f", line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = err.problem or err.context or "cannot be parsed"
        raise ReadError(f"{name}{line}: not valid YAML: {problem}") from None
    except yaml.YAMLError as err:
        raise ReadError(f"{name}: not valid YAML: {err}") from None
    finally:
        loader.dispose()
    lines: dict[int, Any] = loader.lines
    if not isinstance(doc, dict):
        raise ReadError(
            f"{name}: expected a mapping with 'stakeholders' and 'services'; "
            f"got {type(doc).__name__}"
        )
    doc_lines = lines.get(id(doc), {})

    def at(line: int | None) -> str:
        return f"{name}, line {line}" if line else name

    b = OrgBuilder(name)
    b.set_graph({k: v for k, v in doc.items() if k not in _RESERVED}, name)
    stakeholders = doc.get("stakeholders") or {}
    if not isinstance(stakeholders, dict):
        raise ReadError(
            f"{at(doc_lines.get('stakeholders'))}: 'stakeholders' must map each name to its "
            f"attributes; got {type(stakeholders).__name__}"
        )
    node_lines = lines.get(id(stakeholders), {})
    for node, attrs in stakeholders.items():
        where = at(node_lines.get(node))
        b.add_node(_name(node, where), {} if attrs is None else attrs, where)
    services = doc.get("services") or []
    if not isinstance(services, list):
        raise ReadError(
            f"{at(doc_lines.get('services'))}: 'services' must be a list of mappings; "
            f"got {type(services).__name__}"
        )
    item_lines = lines.get(id(services), [])
    for i, item in enumerate(services):
        where = at(item_lines[i] if i < len(item_lines) else None)
        if not isinstance(item, dict) or "supplier" not in item or "customer" not in item:
            raise ReadError(
                f"{where}: a service must be a mapping with 'supplier' and 'customer'; "
                f"got {item!r}"
            )
        attrs = {k: v for k, v in item.items() if k not in ("supplier", "customer")}
        b.add_edge(_name(item["supplier"], where), _name(item["customer"], where), attrs, where)
    return b.build()


def _name(value: Any, where: str) -> Any:
    try:
        return decode_name(value)
    except ValueError as err:
        raise ReadError(f"{where}: {err}") from None


def _loader(yaml: Any) -> Any:
    """A safe loader (libyaml's when present) that rejects repeated keys and notes lines.

    ``loader.lines`` maps ``id`` of each loaded dict to {key: line} and of
    each list to [line of each item] (1-based).
    """

    class Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
        def __init__(self, stream: str) -> None:
            super().__init__(stream)
            self.lines: dict[int, Any] = {}

        def construct_mapping(self, node: Any, deep: bool = False) -> Any:
            seen: set[Any] = set()
            for key_node, _ in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    continue
                key = self.construct_object(key_node, deep=True)
                try:
                    repeated = key in seen
                    seen.add(key)
                except TypeError:
                    continue  # unhashable: the base class reports it
                if repeated:
                    raise yaml.constructor.ConstructorError(
                        "while constructing a mapping",
                        node.start_mark,
                        f"found the key {key!r} twice",
                        key_node.start_mark,
                    )
            return super().construct_mapping(node, deep=deep)

        def construct_yaml_map(self, node: Any) -> Any:
            data: dict[Any, Any] = {}
            yield data
            data.update(self.construct_mapping(node))
            self.lines[id(data)] = {
                self.construct_object(k, deep=True): k.start_mark.line + 1 for k, _ in node.value
            }

        def construct_yaml_seq(self, node: Any) -> Any:
            data: list[Any] = []
            yield data
            data.extend(self.construct_sequence(node))
            self.lines[id(data)] = [item.start_mark.line + 1 for item in node.value]

    Loader.add_constructor("tag:yaml.org,2002:map", Loader.construct_yaml_map)
    Loader.add_constructor("tag:yaml.org,2002:seq", Loader.construct_yaml_seq)
    return Loader
