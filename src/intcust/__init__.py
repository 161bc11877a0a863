"""intcust: internal-customer networks of organisations.

An organisation is a `networkx.DiGraph` whose edge ``u -> v`` means *u supplies
v*: v is u's internal customer. intcust finds who serves whom, where the
network is fragile, and how one late hand-off cascades to the paying customer.

Examples
--------
>>> import intcust as ic
>>> G = ic.datasets.email_campaign()
>>> ic.validate(G)
"""

from intcust import datasets, errors, metrics, sim
from intcust._version import __version__
from intcust.errors import (
    CycleError,
    IntcustError,
    ParameterError,
    ReadError,
    SchemaError,
    UnknownNodeError,
)
from intcust.graph import (
    SCHEMA_VERSION,
    CompiledOrg,
    add_service,
    add_stakeholder,
    compile,
    downstream,
    external_customers,
    from_event_log,
    from_frames,
    generate_org,
    org_graph,
    read,
    read_csv,
    read_graphml,
    read_json,
    read_psplib,
    read_yaml,
    rollup,
    to_frames,
    upstream,
    validate,
    value_stream,
    what_if,
    write,
    write_csv,
    write_graphml,
    write_json,
    write_yaml,
)
from intcust.results import NodeScores, NodeTable

__all__ = [
    "SCHEMA_VERSION",
    "CompiledOrg",
    "CycleError",
    "IntcustError",
    "NodeScores",
    "NodeTable",
    "ParameterError",
    "ReadError",
    "SchemaError",
    "UnknownNodeError",
    "__version__",
    "add_service",
    "add_stakeholder",
    "compile",
    "datasets",
    "downstream",
    "errors",
    "external_customers",
    "from_event_log",
    "from_frames",
    "generate_org",
    "metrics",
    "org_graph",
    "read",
    "read_csv",
    "read_graphml",
    "read_json",
    "read_psplib",
    "read_yaml",
    "rollup",
    "sim",
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
