"""One file of a CSV pair: its first line, header, rows and cells (`_csv_table`)."""

from __future__ import annotations

import csv
import io

import pytest

from intcust.errors import ReadError
from intcust.graph.io._csv_table import (
    attribute_cells,
    comment_line,
    field_limit,
    read_first_line,
    read_rows,
    write_table,
)
from intcust.graph.io.codec import place


def test_the_first_line_is_one_quoted_cell_and_reads_back() -> None:
    line = comment_line({"name": "Acme, Inc.", "schema_version": "1.0"})
    assert next(csv.reader([line])) == ['# {"name": "Acme, Inc.", "schema_version": "1.0"}']
    data, rest, skipped = read_first_line(line + "node\na\n", "s.csv")
    assert data == {"name": "Acme, Inc.", "schema_version": "1.0"}
    assert (rest, skipped) == ("node\na\n", 1)
    assert read_first_line("node\na\n", "s.csv") == ({}, "node\na\n", 0)
    with pytest.raises(ReadError, match=r"s\.csv, line 1: expected a JSON object"):
        read_first_line("# [1, 2]\nnode\n", "s.csv")


def test_header_cells_that_start_like_a_formula_are_quoted_and_read_back() -> None:
    text = write_table(["node", "=note", '"x'], iter([["a", "1", "2"]]))
    assert text.splitlines()[0] == 'node,"""=note""","""\\""x"""'
    rows = list(read_rows(text, "s.csv", ("node",), 0, False, "node"))
    assert rows == [("s.csv, line 2", {"node": "a", "=note": 1, '"x': 2})]


def test_rows_name_their_line_past_a_cell_that_spans_lines() -> None:
    text = 'node,role\na,"two\nlines"\nb,\n'
    rows = list(read_rows(text, "s.csv", ("node",), 1, False, "node"))
    assert rows == [
        ("s.csv, line 3", {"node": "a", "role": "two\nlines"}),
        ("s.csv, line 5", {"node": "b"}),  # an empty cell is an absent attribute
    ]
    with pytest.raises(ReadError, match=r"s\.csv, line 3: has 3 cells; the header has 2"):
        list(read_rows("node,role\na,x\nb,y,z\n", "s.csv", ("node",), 0, False, "node"))
    with pytest.raises(ReadError, match="no 'node' column"):
        list(read_rows("name\na\n", "s.csv", ("node",), 0, False, "node"))


def test_attribute_cells_follow_the_cell_rule() -> None:
    owner = place("node", "a")
    cells = attribute_cells({"work": 2, "note": "=1+1"}, ["work", "role", "note"], owner)
    assert cells == ["2", "", '"=1+1"']


def test_the_field_limit_is_raised_for_the_read_and_restored() -> None:
    before = csv.field_size_limit()
    with field_limit(10 * before):
        assert csv.field_size_limit() == 10 * before + 1
        long = "x" * (2 * before)
        assert next(csv.reader(io.StringIO(long))) == [long]
    assert csv.field_size_limit() == before
