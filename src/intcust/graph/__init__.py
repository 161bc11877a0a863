"""The model: an organisation is a `networkx.DiGraph` whose edge u -> v means u supplies v.

Schema, builders, validation, readers and writers, views, the compiled array
form, generators and bundled examples. Nothing here imports the rest of
intcust.
"""

import warnings
from typing import Any

from intcust.graph.builders import add_service, add_stakeholder, org_graph
from intcust.graph.compiled import CompiledOrg, compile
from intcust.graph.eventlog.mining import from_event_log
from intcust.graph.eventlog.tickets import from_tickets
from intcust.graph.io import (
    from_frames,
    read,
    read_csv,
    read_graphml,
    read_json,
    read_yaml,
    to_frames,
    write,
    write_csv,
    write_graphml,
    write_json,
    write_yaml,
)
from intcust.graph.io.psplib import read_psplib
from intcust.graph.schema import SCHEMA_VERSION, external_customers
from intcust.graph.streams import downstream, upstream, value_stream
from intcust.graph.validation import validate
from intcust.graph.views import rollup
from intcust.graph.whatif import what_if

__all__ = [
    "SCHEMA_VERSION",
    "CompiledOrg",
    "add_service",
    "add_stakeholder",
    "compile",
    "downstream",
    "external_customers",
    "from_event_log",
    "from_frames",
    "from_tickets",
    "org_graph",
    "read",
    "read_csv",
    "read_graphml",
    "read_json",
    "read_psplib",
    "read_yaml",
    "rollup",
    "to_frames",
    "upstream",
    "validate",
    "value_stream",
    "what_if",
    "write",
    "write_csv",
    "write_graphml",
    "write_json",
    "write_yaml",
]


def __getattr__(name: str) -> Any:
    if name == "generate_org":  # one public name: intcust.datasets.generate_org
        warnings.warn(
            "intcust.graph.generate_org is intcust.datasets.generate_org since intcust 0.2.0; "
            "the old name will be removed in 0.3.0",
            DeprecationWarning,
            stacklevel=2,
        )
        from intcust.graph.generators import generate_org

        return generate_org
    raise AttributeError(f"module 'intcust.graph' has no attribute {name!r}")
