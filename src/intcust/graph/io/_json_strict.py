"""`parse_json`: the one strict JSON reader of every format.

`json.loads` keeps the last of a repeated key silently, recurses until
`RecursionError` on deep nesting, and raises a bare `ValueError` on an int of
more than 4,300 digits. `parse_json` refuses all three with a `JSONProblem`
that says where: the line and column, or the path of the value inside the
document (``nodes[3].work``).
"""

from __future__ import annotations

import json
import re
import sys
from typing import Any

from intcust.errors import quote

__all__ = ["MAX_DEPTH", "JSONProblem", "parse_json"]

#: The deepest nesting of lists and mappings a value read from a file may have.
MAX_DEPTH = 100


class JSONProblem(ValueError):
    """Text that `parse_json` refuses: `msg`, and where known its `line` and `column`
    or the `path` of the value inside the document (``nodes[3].work``)."""

    def __init__(
        self, msg: str, line: int | None = None, column: int | None = None, path: str = ""
    ) -> None:
        super().__init__(msg + (f" (at {path})" if path else ""))
        self.msg, self.line, self.column, self.path = msg, line, column, path


class _Repeated(dict[str, Any]):
    """A JSON object whose key `key` appeared twice (the hook cannot say where)."""

    key: str


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = dict(pairs)
    if len(obj) < len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                marked = _Repeated(obj)
                marked.key = key
                return marked
            seen.add(key)
    return obj


def _path(link: tuple[Any, ...] | None) -> str:
    """``nodes[3].work`` from a linked path (parent link, key)."""
    parts: list[str] = []
    while link is not None:
        link, key = link
        parts.append(f"[{key}]" if isinstance(key, int) else f".{key}")
    text = "".join(reversed(parts))
    return text[1:] if text.startswith(".") else text


#: A JSON string or a run of digits: scanning with it skips the digits inside strings.
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|\d+')


def _long_number(text: str) -> tuple[int | None, int | None]:
    """The line and column of the first number too long for `int`, outside strings."""
    limit = sys.get_int_max_str_digits()
    for match in _TOKEN.finditer(text):
        if match.group()[0] != '"' and limit and len(match.group()) > limit:
            start = match.start()
            line = text.count("\n", 0, start) + 1
            return line, start - text.rfind("\n", 0, start)
    return None, None


def parse_json(text: str) -> Any:
    """The value of a JSON text, refusing what `json.loads` would let through.

    Raises
    ------
    JSONProblem
        If the text is not JSON (with its line and column), repeats a key in
        an object or nests deeper than `MAX_DEPTH` levels (with the path of
        the value), or holds an integer of more than 4,300 digits.

    Examples
    --------
    >>> parse_json('{"a": [1, 2.5, null]}')
    {'a': [1, 2.5, None]}
    >>> parse_json('{"nodes": [{"id": 1}, {"id": 2, "id": 3}]}')
    Traceback (most recent call last):
    ...
    intcust.graph.io._json_strict.JSONProblem: the key 'id' appears twice in one object (at nodes[1])
    """
    try:
        value = json.loads(text, object_pairs_hook=_object)
    except json.JSONDecodeError as err:
        raise JSONProblem(err.msg, err.lineno, err.colno) from None
    except RecursionError:
        raise JSONProblem(f"values nest deeper than {MAX_DEPTH} levels") from None
    except ValueError as err:  # an int beyond sys.get_int_max_str_digits()
        line, column = _long_number(text)
        raise JSONProblem(
            f"a number is too long to read: {quote(str(err))}", line, column
        ) from None
    stack: list[tuple[Any, int, tuple[Any, ...] | None]] = [(value, 1, None)]
    while stack:
        item, depth, link = stack.pop()
        if isinstance(item, dict):
            if depth > MAX_DEPTH:
                raise JSONProblem(f"values nest deeper than {MAX_DEPTH} levels", path=_path(link))
            if isinstance(item, _Repeated):
                raise JSONProblem(
                    f"the key {quote(item.key)} appears twice in one object", path=_path(link)
                )
            stack.extend(
                (v, depth + 1, (link, k)) for k, v in item.items() if isinstance(v, dict | list)
            )
        elif isinstance(item, list):
            if depth > MAX_DEPTH:
                raise JSONProblem(f"values nest deeper than {MAX_DEPTH} levels", path=_path(link))
            stack.extend(
                (v, depth + 1, (link, i)) for i, v in enumerate(item) if isinstance(v, dict | list)
            )
    return value
