"""GraphML key types: the type of each attribute key, and its values as text.

The writer gives each key the type of its values (`_kind` per value,
`_key_type` per key: ``boolean``, ``long``, ``double`` or ``string``, or
``json`` for anything else, a ``string`` key marked ``<desc>intcust:json</desc>``)
and writes each value as text of that type (`_text`). The reader turns a
declared key into a `_Key` and each ``<data>`` text, or the key's default,
back into a value of that type (`_value`), naming the file and line of a
text that does not parse. See `intcust.graph.io.graphml` for the format.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from typing import Any

from intcust.errors import ReadError, quote
from intcust.graph.io._json_strict import JSONProblem, parse_json
from intcust.graph.io.codec import Where, plain

_JSON_DESC = "intcust:json"
# characters XML 1.0 cannot hold, and the carriage return its parsers turn into \n
_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0d\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_INT = re.compile(r"[+-]?\d++\Z")
_INT64 = 2**63


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "long" if -_INT64 <= value < _INT64 else "json"
    if isinstance(value, float):
        return "double"
    if isinstance(value, str):
        return "json" if _UNSAFE.search(value) else "string"
    return "json"


def _key_type(kinds: set[str]) -> str:
    if len(kinds) == 1:
        return next(iter(kinds))
    return "double" if kinds == {"long", "double"} else "json"


def _text(value: Any, key_type: str, where: Where) -> str:
    if key_type == "json":
        return json.dumps(plain(value, where), ensure_ascii=True)
    if key_type == "boolean":
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "INF" if value > 0 else "-INF"
        return repr(value)
    return str(value)


@dataclass
class _Key:
    name: str
    type: str
    json: bool
    default: str | None


def _value(text: str, key: _Key, where: str) -> Any:
    try:
        if key.json:
            return parse_json(text)
        if key.type == "boolean":
            low = text.strip().lower()
            if low not in ("true", "false", "1", "0"):
                raise ValueError("expected true or false")
            return low in ("true", "1")
        if key.type in ("int", "long"):
            return int(text)
        if key.type in ("float", "double"):
            return int(text) if _INT.match(text.strip()) else float(text)
    except ValueError as err:
        reason = err.msg if isinstance(err, JSONProblem) else str(err)
        raise ReadError(
            f"{where}: attribute {quote(key.name)} must be {'JSON' if key.json else key.type}; "
            f"got {quote(text)} ({quote(reason)[1:-1]})"
        ) from None
    return text
