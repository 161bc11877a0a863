"""The JSON form of every result: `json_ready`, `json_key` and `INFINITY`.

Every result's ``to_dict()`` is strict JSON (it passes ``json.dumps(...,
allow_nan=False)``), written by `json_ready` with one encoding, described in
``docs/guide/results.md``:

- infinity is the string ``"Infinity"`` (``"-Infinity"``), which
  ``float()`` in Python and ``Number()`` in JavaScript read back; a NaN,
  which no result should hold, is null;
- a key that is a pair (supplier, customer) or any other tuple is the JSON
  text of its list, ``'["IT", "reception"]'``, which ``json.loads`` reads
  back; any other key that is not a string is its ``str()``;
- tuples and sets are lists, numpy numbers plain numbers, and an object with
  a ``to_dict()`` its dict.

Other modules import them from `intcust.results`.
"""

from __future__ import annotations

import json
import math
import numbers
from collections.abc import Hashable, Mapping
from typing import Any

import numpy as np

__all__ = ["INFINITY", "json_key", "json_ready"]

#: How ``to_dict()`` writes positive infinity (JSON has no number for it).
INFINITY = "Infinity"


def json_ready(value: Any) -> Any:
    """`value` as strict JSON data, in the one encoding of every ``to_dict()``.

    Examples
    --------
    >>> json_ready({("IT", "reception"): float("inf"), "n": (1, 2)})
    {'["IT", "reception"]': 'Infinity', 'n': [1, 2]}
    >>> json_ready(float("-inf")), json_ready(float("nan"))
    ('-Infinity', None)
    """
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        x = float(value)
        if math.isfinite(x):
            return x
        return None if math.isnan(x) else (INFINITY if x > 0 else f"-{INFINITY}")
    if isinstance(value, Mapping):
        return {json_key(k): json_ready(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset | np.ndarray):
        return [json_ready(v) for v in value]
    to_dict = getattr(value, "to_dict", None)
    if callable(to_dict):
        return json_ready(to_dict())
    return str(value)


def json_key(key: Hashable) -> str:
    """A mapping key as a JSON object key (see `json_ready`).

    Examples
    --------
    >>> json_key("IT"), json_key(3), json_key(("Sales", "Sales"))
    ('IT', '3', '["Sales", "Sales"]')
    """
    if isinstance(key, str):
        return key
    if isinstance(key, tuple):
        return json.dumps(json_ready(key), ensure_ascii=False, allow_nan=False)
    return str(key)
