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
    external_customers,
    org_graph,
    validate,
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
    "errors",
    "external_customers",
    "metrics",
    "org_graph",
    "sim",
    "validate",
]
