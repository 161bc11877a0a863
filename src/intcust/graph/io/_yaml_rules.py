"""How intcust loads and dumps YAML: safe, with its number rule, names as text, bounded aliases.

`load` composes the document with PyYAML's safe loader (libyaml's when
present), then, before building any Python object, refuses recursive
aliases, nesting deeper than `MAX_DEPTH` and aliases that expand the
document by more than a million values; it refuses repeated keys and notes
the line of every key and list item. Plain scalars that YAML 1.1 reads as
numbers but that are no plain decimal number (``007``, ``0x1F``, ``1_000``,
``12:30``) stay text; stakeholder names (``true`` and ``2020-01-01`` too)
stay text unless tagged or declared (``names: typed`` in the manifest). `dumper` quotes every string that either
YAML 1.1 or this reader would read as something else.
"""

from __future__ import annotations

import re
import sys
from typing import Any

from intcust.errors import ReadError, quote
from intcust.graph.io._json_strict import MAX_DEPTH
from intcust.graph.io.codec import NUMBER

__all__ = ["dumper", "load"]

_BREAKS = re.compile("[\n\r\x85\u2028\u2029]")
_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
#: Tags YAML gives plain scalars by their look; `_PLAIN` marks those so names can stay text.
_TYPED = (_INT, _FLOAT, "tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp")
_PLAIN = "#plain"
_SPECIAL_FLOATS = frozenset(
    sign + word for sign in ("", "+", "-") for word in (".inf", ".Inf", ".INF")
) | {".nan", ".NaN", ".NAN"}
#: How many more values than the file spells out its aliases may add.
_MAX_EXPANSION = 1_000_000


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


def dumper(yaml: Any) -> Any:
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


def load(yaml: Any, text: str, name: str) -> tuple[Any, dict[int, Any]]:
    """The document and the lines of its mappings and lists, after the safety checks."""
    loader = _loader(yaml)(text)
    node = None
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
        at = _long_int_line(yaml, node)
        where = f", line {at}" if at else ""
        raise ReadError(
            f"{name}{where}: a value cannot be read: {quote(str(err))[1:-1]}"
        ) from None
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


def _long_int_line(yaml: Any, root: Any) -> int | None:
    """The line of the first int with more digits than Python reads, if any."""
    limit = sys.get_int_max_str_digits()
    seen: set[int] = set()
    stack = [root]
    while stack and limit:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            if node.tag.startswith(_INT) and len(node.value) > limit:
                return int(node.start_mark.line) + 1
        else:
            stack.extend(reversed(_children(yaml, node)))
    return None


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
