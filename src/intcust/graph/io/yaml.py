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

Top-level keys other than ``stakeholders``, ``services`` and ``manifest`` are
graph attributes. A stakeholder without attributes may be written ``sender:``
or ``sender: {}``. Several items of one supplier and customer, each naming its
deliverable, are several services of that pair (so is one item with a
``services`` list).

Loading is safe: no Python tags; a key repeated in a mapping, aliases that
would expand a file by more than a million values, recursive aliases and
nesting deeper than 100 levels are `ReadError`. Names (stakeholder keys,
``supplier``, ``customer``) are strings unless the file declares their type
(an explicit tag such as ``!!int 7``, or ``names: typed`` in its manifest),
and only plain decimal numbers are numbers: ``007``, ``0x1F``, ``1_000`` and
``12:30`` stay text where YAML 1.1 would turn them into other numbers.
"""

from __future__ import annotations

from typing import Any

import networkx as nx

from intcust.errors import ParameterError, ReadError, quote
from intcust.graph.io._build import OrgBuilder
from intcust.graph.io._manifest import Manifest, manifest_of
from intcust.graph.io._yaml_rules import dumper, load
from intcust.graph.io.codec import attribute_columns, decode_name, place, plain
from intcust.graph.io.files import PathOrFile, read_text, write_text
from intcust.graph.schema import SCHEMA_VERSION

__all__ = ["read_yaml", "write_yaml"]

_RESERVED = ("stakeholders", "services", "manifest")


def write_yaml(G: nx.DiGraph, path: PathOrFile) -> None:
    """Write an organisation as YAML (needs PyYAML).

    Parameters
    ----------
    G : networkx.DiGraph
        The organisation.
    path : str, path-like or file
        Where to write (UTF-8). A path is replaced atomically.

    Raises
    ------
    ParameterError
        If an attribute value cannot be written, a node name is not a str,
        int, float or bool, an edge attribute is named ``supplier`` or
        ``customer``, or a graph attribute ``stakeholders``, ``services`` or
        ``manifest``.
    WriteError
        If the file cannot be written; a previous file is left as it was.

    Notes
    -----
    Durations are written as their mappings; an edge with several services
    as one item with a ``services`` list. The document gets
    ``schema_version`` and a ``manifest`` with the counts of stakeholders and
    services, so that a file cut short is refused rather than read in part
    (and ``names: typed`` when some name is not a str). Written with
    ``yaml.safe_dump``'s representer.

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
    manifest: {stakeholders: 2, services: 1}
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
        doc[key] = plain(value, f"graph attribute {quote(key)}")
    typed = False
    stakeholders: dict[Any, Any] = {}
    for n, d in G.nodes(data=True):
        if not isinstance(n, str | int | float):
            raise ParameterError(
                f"write_yaml needs node names that are str, int, float or bool; got {quote(n)}"
            )
        typed = typed or not isinstance(n, str)
        stakeholders[n] = plain(d, place("an attribute of node", n))
    manifest = Manifest(
        stakeholders=G.number_of_nodes(),
        services=G.number_of_edges(),
        names="typed" if typed else None,
    )
    doc["schema_version"] = SCHEMA_VERSION
    doc["manifest"] = manifest.to_dict()
    doc["stakeholders"] = stakeholders
    doc["services"] = [
        {
            "supplier": u,
            "customer": v,
            **plain(d, place("an attribute of edge", (u, v))),
        }
        for u, v, d in G.edges(data=True)
    ]
    text = yaml.dump(
        doc,
        Dumper=dumper(yaml),
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=None,
        width=100,
    )
    write_text(path, text, "write_yaml")


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
        objects; unknown attributes are kept as loaded. Names are strings
        unless the file declares their type.

    Raises
    ------
    ReadError
        Naming the file and line: YAML that does not parse, a file cut short
        (fewer stakeholders or services than its manifest counts), a repeated
        key, aliases that expand too far or refer to themselves, nesting
        deeper than 100 levels, a document of the wrong shape, a service
        without ``supplier`` or ``customer``, a repeated service, or a service
        naming an unknown stakeholder.
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
    ...   007:
    ... services:
    ...   - {supplier: designer, customer: 007, lead_time: 0.5}
    ... '''
    >>> G = ic.read_yaml(io.StringIO(text))
    >>> G.nodes["designer"]["work"], list(G), G.graph
    (Triangular(low=1, mode=2, high=4), ['designer', '007'], {'name': 'Acme'})
    """
    import yaml

    text, name = read_text(path, "read_yaml")
    doc, lines = load(yaml, text, name)
    if not isinstance(doc, dict):
        raise ReadError(
            f"{name}: expected a mapping with 'stakeholders' and 'services'; "
            f"got {type(doc).__name__}"
        )
    doc_lines = lines.get(id(doc), {})

    def at(line: int | None) -> str:
        return f"{name}, line {line}" if line else name

    meta = {k: v for k, v in doc.items() if k not in ("stakeholders", "services")}
    manifest = manifest_of(meta, at(doc_lines.get("manifest")), names=("typed",))
    b = OrgBuilder(name)
    b.set_graph(meta, name)
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
                f"got {quote(item)}"
            )
        attrs = {k: v for k, v in item.items() if k not in ("supplier", "customer")}
        b.add_edge(_name(item["supplier"], where), _name(item["customer"], where), attrs, where)
    if manifest is not None:
        for table, found in (("stakeholders", len(stakeholders)), ("services", len(services))):
            expected = getattr(manifest, table)
            if expected is not None and expected != found:
                line = doc_lines.get("manifest")
                raise ReadError(
                    f"{name}: has {found} {table} but its manifest"
                    + (f" (line {line})" if line else "")
                    + f" says {expected}: the file was cut short or edited after it was "
                    "written; delete the manifest to read it as it is"
                )
    return b.build()


def _name(value: Any, where: str) -> Any:
    try:
        return decode_name(value)
    except ValueError as err:
        raise ReadError(f"{where}: {err}") from None
