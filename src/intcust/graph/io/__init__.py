"""Readers and writers: JSON, a CSV pair, GraphML, pandas frames and YAML.

Every format keeps every schema attribute and every attribute intcust does
not know. Every reader validates what it read: a file it cannot parse raises
`intcust.errors.ReadError` naming the file and the line or row; an
organisation that breaks the schema raises one `intcust.errors.SchemaError`
listing every problem with its place. `read` and `write` pick the format
from the path. See ``docs/io.md``.
"""

from intcust.graph.io.csv import read_csv, write_csv
from intcust.graph.io.dispatch import read, write
from intcust.graph.io.frames import from_frames, to_frames
from intcust.graph.io.graphml import read_graphml, write_graphml
from intcust.graph.io.json import read_json, write_json
from intcust.graph.io.yaml import read_yaml, write_yaml

__all__ = [
    "from_frames",
    "read",
    "read_csv",
    "read_graphml",
    "read_json",
    "read_yaml",
    "to_frames",
    "write",
    "write_csv",
    "write_graphml",
    "write_json",
    "write_yaml",
]
