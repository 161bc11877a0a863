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

import re
from typing import Any

import networkx as nx

from intcust.errors import ParameterError, ReadError, quote
from intcust.graph.io._build import OrgBuilder
from intcust.graph.io._codec import MAX_DEPTH, NUMBER, attribute_columns, decode_name, plain
from intcust.graph.io._files import PathOrFile, read_text, write_text
from intcust.graph.io._manifest import Manifest, manifest_of
from intcust.graph.schema import SCHEMA_VERSION

__all__ = ["read_yaml", "write_yaml"]

_RESERVED = ("stakeholders", "services", "manifest")
_BREAKS = re.compile("[\n\r\x85\u2028\u2029]")
_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
#: Tags YAML gives plain scalars by their look; `_PLAIN` marks those so names can stay text.
_TYPED = (_INT, _FLOAT, "tag:yaml.org,2002:bool")
_PLAIN = "#plain"
_SPECIAL_FLOATS = {
    ".inf",
    "+.inf",
    "-.inf",
    ".nan",
    ".Inf",
    "+.Inf",
    "-.Inf",
    ".NaN",
    ".INF",
    "+.INF",
    "-.INF",
    ".NAN",
}
#: How many more values than the file spells out its aliases may add.
_MAX_EXPANSION = 1_000_000


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
        stakeholders[n] = plain(d, f"an attribute of node {quote(n)}")
    manifest = Manifest(
        stakeholders=G.number_of_nodes(),
        services=G.number_of_edges(),
        names="typed" if typed else None,
    )
    doc["schema_version"] = SCHEMA_VERSION
    doc["manifest"] = manifest.to_dict()
    doc["stakeholders"] = stakeholders
    doc["services"] = [
        {"supplier": u, "customer": v, **plain(d, f"an attribute of edge {quote((u, v))}")}
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
    write_text(path, text, "write_yaml")


def _reader_tag(yaml: Any, value: str, implicit: tuple[bool, bool], tag: str) -> str:
    """The tag the reader gives a scalar YAML resolved as `tag` (see the module notes)."""
    if not implicit[0]:
        return tag
    if tag == _STR:
        return _FLOAT + _PLAIN if NUMBER.match(value) else tag
    if tag == _INT and not NUMBER.match(value):
        return _STR
    if tag == _FLOAT and not NUMBER.match(value) and value not in _SPECIAL_FLOATS:
        return _STR
    return tag + _PLAIN if tag in _TYPED else tag


def _dumper(yaml: Any) -> Any:
    """A safe dumper (libyaml's when present) that quotes every string a reader could misread.

    It quotes text that YAML 1.1 or intcust's reader would read as something
    else (``007``, ``1e5``), and double-quotes text holding line breaks,
    which single quotes would fold into spaces.
    """

    class Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
        def represent_str(self, data: str) -> Any:
            if _BREAKS.search(data):
                return self.represent_scalar(_STR, data, style='"')
            return super().represent_str(data)

        def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
            tag = super().resolve(kind, value, implicit)
            if kind is yaml.ScalarNode and tag == _STR:
                mine = _reader_tag(yaml, value, implicit, tag)
                return _FLOAT if mine != _STR else tag
            return tag

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
    doc, lines = _load(yaml, text, name)
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


def _load(yaml: Any, text: str, name: str) -> tuple[Any, dict[int, Any]]:
    """The document and the lines of its mappings and lists, after the safety checks."""
    loader = _loader(yaml)(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, {}
        _check_nodes(yaml, node, name)
        _name_tags(yaml, node)
        doc = loader.construct_document(node)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = f", line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = err.problem or err.context or "cannot be parsed"
        raise ReadError(f"{name}{line}: not valid YAML: {quote(problem)[1:-1]}") from None
    except yaml.YAMLError as err:
        raise ReadError(f"{name}: not valid YAML: {quote(str(err))[1:-1]}") from None
    except ReadError:
        raise
    except (ValueError, OverflowError, RecursionError) as err:
        raise ReadError(f"{name}: a value cannot be read: {quote(str(err))[1:-1]}") from None
    finally:
        loader.dispose()
    return doc, loader.lines


def _check_nodes(yaml: Any, root: Any, name: str) -> None:
    """Refuse recursive aliases, deep nesting and aliases that expand the file too far."""
    size: dict[int, int] = {}
    open_: set[int] = set()
    stack: list[tuple[Any, int, bool]] = [(root, 1, False)]
    while stack:
        node, depth, done = stack.pop()
        key = id(node)
        line = node.start_mark.line + 1
        if done:
            open_.discard(key)
            size[key] = 1 + sum(size[id(c)] for c in _children(yaml, node))
            if size[key] - len(size) > _MAX_EXPANSION:
                raise ReadError(
                    f"{name}, line {line}: aliases expand the document by more than "
                    f"{_MAX_EXPANSION:,} values (a 'billion laughs' file?)"
                )
            continue
        if key in open_:
            raise ReadError(f"{name}, line {line}: an alias refers to a value that contains it")
        if key in size:
            continue
        if depth > MAX_DEPTH:
            raise ReadError(f"{name}, line {line}: values nest deeper than {MAX_DEPTH} levels")
        children = _children(yaml, node)
        if not children:
            size[key] = 1
            continue
        open_.add(key)
        stack.append((node, depth, True))
        stack.extend((c, depth + 1, False) for c in children)


def _children(yaml: Any, node: Any) -> list[Any]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    return []


def _name_tags(yaml: Any, root: Any) -> None:
    """Give names their text, unless the manifest says ``names: typed``; drop the marks."""
    typed = False
    pairs = root.value if isinstance(root, yaml.MappingNode) else []
    for key, value in pairs:
        if key.value == "manifest" and isinstance(value, yaml.MappingNode):
            typed = any(k.value == "names" and v.value == "typed" for k, v in value.value)
    if typed:
        return
    names = []
    for key, value in pairs:
        if key.value == "stakeholders" and isinstance(value, yaml.MappingNode):
            names += [k for k, _ in value.value]
        elif key.value == "services" and isinstance(value, yaml.SequenceNode):
            for item in value.value:
                if isinstance(item, yaml.MappingNode):
                    names += [v for k, v in item.value if k.value in ("supplier", "customer")]
    for node in names:
        if isinstance(node, yaml.ScalarNode) and node.tag.endswith(_PLAIN):
            node.tag = _STR


def _loader(yaml: Any) -> Any:
    """A safe loader (libyaml's when present) with intcust's number rule, no repeated keys.

    ``loader.lines`` maps ``id`` of each loaded dict to {key: line} and of
    each list to [line of each item] (1-based).
    """

    class Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
        def __init__(self, stream: str) -> None:
            super().__init__(stream)
            self.lines: dict[int, Any] = {}

        def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
            tag = super().resolve(kind, value, implicit)
            return _reader_tag(yaml, value, implicit, tag) if kind is yaml.ScalarNode else tag

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
                        f"found the key {quote(key)} twice",
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
    for tag in _TYPED:
        Loader.add_constructor(tag + _PLAIN, Loader.yaml_constructors[tag])
    return Loader
