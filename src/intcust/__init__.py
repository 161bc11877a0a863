"""intcust: internal-customer networks of organisations.

An organisation is a `networkx.DiGraph` whose edge ``u -> v`` means *u supplies
v*: v is u's internal customer. intcust finds who serves whom, where the
network is fragile, and how one late hand-off cascades to the paying customer.

Examples
--------
>>> import intcust as ic
>>> G = ic.datasets.email_campaign()
>>> ic.validate(G)

``intcust.plot`` (matplotlib figures and the interactive map) is imported on
first use, so ``import intcust`` does not import matplotlib.
"""

import importlib
import warnings
from typing import Any

from intcust import datasets, errors, metrics, sim
from intcust._version import __version__
from intcust.bottleneck_report import Bottleneck, BottleneckReport, bottlenecks
from intcust.errors import (
    CycleError,
    IntcustError,
    ParameterError,
    ReadError,
    SchemaError,
    UnknownNodeError,
    WriteError,
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
    from_tickets,
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
    "Bottleneck",
    "BottleneckReport",
    "CompiledOrg",
    "CycleError",
    "IntcustError",
    "NodeScores",
    "NodeTable",
    "ParameterError",
    "ReadError",
    "SchemaError",
    "UnknownNodeError",
    "WriteError",
    "__version__",
    "add_service",
    "add_stakeholder",
    "bottlenecks",
    "compile",
    "datasets",
    "downstream",
    "errors",
    "external_customers",
    "from_event_log",
    "from_frames",
    "from_tickets",
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


def __getattr__(name: str) -> Any:
    if name == "plot":  # matplotlib is an optional extra: import it on first use only
        return importlib.import_module("intcust.plot")
    if name == "generate_org":  # moved in 0.2.0
        warnings.warn(
            "intcust.generate_org moved to intcust.datasets.generate_org in intcust 0.2.0; "
            "the old name will be removed in 0.3.0",
            DeprecationWarning,
            stacklevel=2,
        )
        return datasets.generate_org
    raise AttributeError(f"module 'intcust' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | {"plot"})
