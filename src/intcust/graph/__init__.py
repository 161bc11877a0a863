"""The model: an organisation is a `networkx.DiGraph` whose edge u -> v means u supplies v.

Schema, builders, validation, readers and writers, views, the compiled array
form, generators and bundled examples. Nothing here imports the rest of
intcust.
"""

from intcust.graph.builders import add_service, add_stakeholder, org_graph
from intcust.graph.compile import CompiledOrg, compile
from intcust.graph.schema import SCHEMA_VERSION, external_customers
from intcust.graph.validate import validate

__all__ = [
    "SCHEMA_VERSION",
    "CompiledOrg",
    "add_service",
    "add_stakeholder",
    "compile",
    "external_customers",
    "org_graph",
    "validate",
]
