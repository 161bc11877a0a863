"""Damaged files: truncations, byte flips and insertions in files written by every writer.

Whatever the damage, a reader raises an `intcust.errors.IntcustError` subclass
or returns an organisation that validates: never another exception.
"""

from __future__ import annotations

import io
from collections.abc import Callable

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import intcust as ic
from intcust.errors import IntcustError
from strategies import organisations

pytest.importorskip("yaml")

Files = list[io.BytesIO]

#: format -> (write into open files, read from them, how many files)
FORMATS: dict[
    str, tuple[Callable[[nx.DiGraph, Files], None], Callable[[Files], nx.DiGraph], int]
] = {
    "json": (lambda G, f: ic.write_json(G, f[0]), lambda f: ic.read_json(f[0]), 1),
    "csv": (lambda G, f: ic.write_csv(G, f[0], f[1]), lambda f: ic.read_csv(f[0], f[1]), 2),
    "graphml": (lambda G, f: ic.write_graphml(G, f[0]), lambda f: ic.read_graphml(f[0]), 1),
    "yaml": (lambda G, f: ic.write_yaml(G, f[0]), lambda f: ic.read_yaml(f[0]), 1),
}

#: Bytes that matter to some format: quotes, separators, brackets, line breaks, escapes.
SPECIAL = b'",;:{}[]<>&#!*-\n\r\t\\\x00\xff\xc3'


@st.composite
def damage(draw: st.DrawFn, data: bytes) -> bytes:
    """`data` truncated, with bytes flipped, inserted or deleted, or a line repeated."""
    n = len(data)
    kind = draw(st.sampled_from(["truncate", "flip", "insert", "delete", "repeat line"]))
    at = draw(st.integers(0, max(n - 1, 0)))
    if kind == "truncate":
        return data[:at]
    if kind == "flip":
        byte = draw(st.integers(0, 255) | st.sampled_from(list(SPECIAL)))
        return data[:at] + bytes([byte]) + data[at + 1 :]
    if kind == "insert":
        extra = draw(
            st.binary(min_size=1, max_size=8) | st.sampled_from([bytes([b]) for b in SPECIAL])
        )
        return data[:at] + extra + data[at:]
    if kind == "delete":
        return data[:at] + data[at + draw(st.integers(1, 16)) :]
    lines = data.splitlines(keepends=True)
    if not lines:
        return data
    i = draw(st.integers(0, len(lines) - 1))
    return b"".join(lines[: i + 1] + lines[i:])


@pytest.mark.parametrize("fmt", list(FORMATS))
@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(G=organisations(max_nodes=5, services=True), data=st.data())
def test_damaged_files_raise_intcust_errors_or_read_valid(
    fmt: str, G: nx.DiGraph, data: st.DataObject
) -> None:
    write, read, count = FORMATS[fmt]
    files = [io.BytesIO() for _ in range(count)]
    write(G, files)
    contents = [f.getvalue() for f in files]
    for i in data.draw(
        st.lists(st.sampled_from(range(count)), min_size=1, max_size=2, unique=True)
    ):
        contents[i] = data.draw(damage(contents[i]), label=f"damaged file {i}")
    try:
        H = read([io.BytesIO(c) for c in contents])
    except IntcustError:
        return
    ic.validate(H)
