"""One file of a CSV pair: its first line, its header row, its data rows and their cells.

`intcust.graph.io.csv` reads and writes the pair as an organisation (the
manifest both files share, the nodes of one and the services of the other);
this module holds the rules of one table that both files follow. Writing:
`write_table` (a header cell that starts like a formula or a quote is
JSON-quoted), `comment_line` (the first line ``# {json object}`` as one
quoted cell) and `attribute_cells` (each value by `encode_cell`). Reading:
`read_first_line`, `read_rows` (each row with its file and line, the names
and values decoded, every malformed part a `ReadError` naming its place) and
`field_limit`, which lets the csv module read a field as long as the file.
"""

from __future__ import annotations

import contextlib
import csv
import io
from collections.abc import Callable, Hashable, Iterator
from typing import Any

from intcust.errors import ReadError, quote
from intcust.graph.io._build import column_problem
from intcust.graph.io._json_strict import JSONProblem, parse_json
from intcust.graph.io.codec import (
    FORMULA_START,
    decode_cell,
    decode_name,
    dumps,
    encode_cell,
    place,
)
from intcust.graph.schema import SERVICES

__all__ = [
    "attribute_cells",
    "comment_line",
    "field_limit",
    "read_first_line",
    "read_rows",
    "write_table",
]


def write_table(header: list[str], rows: Iterator[list[str]]) -> str:
    """The CSV text of a header row and data rows (RFC 4180), the header cells quoted."""
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow([_header_cell(c) for c in header])
    w.writerows(rows)
    return out.getvalue()


def _header_cell(name: str) -> str:
    """A column name as written: JSON-quoted when it starts like a formula or a quote."""
    return dumps(name) if not name or name.startswith((*FORMULA_START, '"')) else name


def comment_line(data: dict[str, Any]) -> str:
    """The first line ``# {json object}`` holding `data`, written as one quoted cell."""
    out = io.StringIO()
    csv.writer(out).writerow(["# " + dumps(data)])
    return out.getvalue()


def attribute_cells(
    data: dict[str, Any], columns: list[str], owner: Callable[[], str]
) -> list[str]:
    """The cells of one row: each column's value by `encode_cell`, empty where absent."""
    return [
        encode_cell(data[c], place("attribute", c, owner)) if c in data else "" for c in columns
    ]


@contextlib.contextmanager
def field_limit(size: int) -> Iterator[None]:
    """Let the csv module read fields as long as the text (its default stops at 128 KiB)."""
    old = csv.field_size_limit()
    new = min(max(old, size + 1), 2**31 - 1)
    csv.field_size_limit(new)
    try:
        yield
    finally:
        csv.field_size_limit(old)


def read_first_line(text: str, name: str) -> tuple[dict[str, Any], str, int]:
    """The JSON object of a first ``#`` line (raw, or one quoted cell), the rest, lines skipped."""
    if not text.startswith(("#", '"#')):
        return {}, text, 0
    first, _, rest = text.partition("\n")
    line = first.rstrip("\r")
    if line.startswith('"'):
        try:
            cells = next(csv.reader([line], strict=True))
        except csv.Error as err:
            raise ReadError(f"{name}, line 1: malformed CSV: {err}") from None
        if len(cells) != 1:
            raise ReadError(
                f"{name}, line 1: a quoted first line must be one cell '# {{json object}}'; "
                f"got {len(cells)} cells"
            )
        line = cells[0]
    try:
        data = parse_json(line[1:])
    except JSONProblem as err:
        raise ReadError(
            f"{name}, line 1: a first line starting with '#' must hold a JSON object of "
            f'graph attributes, e.g. # {{"name": "Acme"}}; {err.msg}'
        ) from None
    if not isinstance(data, dict):
        raise ReadError(
            f"{name}, line 1: expected a JSON object of graph attributes; got {quote(data)}"
        )
    return data, rest, 1


def read_rows(
    text: str, name: str, keys: tuple[str, ...], offset: int, json_names: bool, domain: str
) -> Iterator[tuple[str, dict[str, Any]]]:
    """Each data row as (place, {column: value}) with empty cells left out."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    line = offset
    header: list[str] | None = None
    try:
        for cells in reader:
            start, line = line + 1, offset + reader.line_num
            where = f"{name}, line {start}"
            if header is None:
                header = _header(cells, keys, where, domain)
                continue
            if not cells:
                continue  # a blank line
            if len(cells) != len(header):
                raise ReadError(
                    f"{where}: has {len(cells)} cells; the header has {len(header)} columns "
                    f"{quote(header)}"
                )
            row: dict[str, Any] = {}
            for column, cell in zip(header, cells, strict=True):
                if column in keys:
                    row[column] = _name(cell, column, where, json_names)
                elif cell:
                    row[column] = _value(cell, column, where)
            yield where, row
    except csv.Error as err:
        raise ReadError(f"{name}, line {offset + reader.line_num}: malformed CSV: {err}") from None
    if header is None:
        raise ReadError(f"{name}: has no header row; expected one with the columns {list(keys)}")


def _header(cells: list[str], keys: tuple[str, ...], where: str, domain: str) -> list[str]:
    names = []
    for cell in cells:
        if not cell:
            raise ReadError(f"{where}: the header has an empty column name; got {quote(cells)}")
        column: object = cell
        if cell.startswith('"'):
            try:
                column = parse_json(cell)
            except JSONProblem:
                column = None
            if not isinstance(column, str):
                raise ReadError(
                    f"{where}: a column name starting with '\"' must be a JSON string; "
                    f"got {quote(cell)}"
                )
        names.append(str(column))
    missing = [k for k in keys if k not in names]
    if missing:
        raise ReadError(
            f"{where}: the header has no {missing[0]!r} column; got columns {quote(names)}"
        )
    seen = set()
    for column in names:
        if column in seen:
            raise ReadError(f"{where}: the header repeats the column {quote(column)}")
        seen.add(column)
        if column == SERVICES and domain == "edge":
            raise ReadError(
                f"{where}: a {SERVICES!r} column is not read; give each service of a supplier "
                "to a customer its own row, with its deliverable"
            )
        problem = None if column in keys else column_problem(column, domain)
        if problem:
            raise ReadError(f"{where}: {problem}")
    return names


def _value(cell: str, column: str, where: str) -> Any:
    try:
        return decode_cell(cell)
    except JSONProblem as err:
        what = "must be valid JSON" if cell[0] in '[{"' else "cannot be read"
        raise ReadError(
            f"{where}, column {quote(column)}: a cell starting with {cell[0]!r} {what}; "
            f"got {quote(cell)} ({err.msg})"
        ) from None


def _name(cell: str, column: str, where: str, json_names: bool) -> Hashable:
    if not cell:
        raise ReadError(f"{where}, column {column!r}: the stakeholder name is empty")
    if not json_names:
        return cell
    try:
        return decode_name(parse_json(cell))
    except JSONProblem as err:
        raise ReadError(
            f"{where}, column {column!r}: names in this file are JSON (its manifest says "
            f'"names": "json"); got {quote(cell)} ({err.msg})'
        ) from None
    except ValueError as err:
        raise ReadError(f"{where}, column {column!r}: {err}") from None
