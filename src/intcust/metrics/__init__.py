"""Metrics: pure functions of an organisation returning NodeScores, NodeTable or a report.

Centrality and structure (organisational network analysis), bottlenecks and
service standards, all on the supplier -> customer direction.
"""

from intcust.graph.whatif import what_if
from intcust.metrics.bottleneck_report import Bottleneck, BottleneckReport, bottlenecks
from intcust.metrics.brandes import BetweennessScores, betweenness
from intcust.metrics.centrality import dependence, reliance, service_load
from intcust.metrics.comparison import Comparison, compare
from intcust.metrics.cutsets import bus_factor
from intcust.metrics.failure import single_points_of_failure
from intcust.metrics.feedback import (
    NONRESPONDENT,
    Breakdown,
    Survey,
    breakdown_points,
    read_survey,
)
from intcust.metrics.gould_fernandez import BROKERAGE_ROLES, brokerage
from intcust.metrics.holes import constraint, effective_size, structural_holes
from intcust.metrics.informal_roles import ROLES, roles
from intcust.metrics.keyplayers import fragmentation, key_players
from intcust.metrics.krackhardt import KrackhardtDimensions, krackhardt_dimensions
from intcust.metrics.overview import summary
from intcust.metrics.queueing import utilisation
from intcust.metrics.reach import external_reach
from intcust.metrics.service import SLABreaches, sla_breaches, sla_compliance
from intcust.metrics.structure import (
    EIIndex,
    Reciprocity,
    ei_index,
    reciprocity,
    unit_reciprocity,
)

__all__: list[str] = [
    "BROKERAGE_ROLES",
    "NONRESPONDENT",
    "ROLES",
    "BetweennessScores",
    "Bottleneck",
    "BottleneckReport",
    "Breakdown",
    "Comparison",
    "EIIndex",
    "KrackhardtDimensions",
    "Reciprocity",
    "SLABreaches",
    "Survey",
    "betweenness",
    "bottlenecks",
    "breakdown_points",
    "brokerage",
    "bus_factor",
    "compare",
    "constraint",
    "dependence",
    "effective_size",
    "ei_index",
    "external_reach",
    "fragmentation",
    "key_players",
    "krackhardt_dimensions",
    "read_survey",
    "reciprocity",
    "reliance",
    "roles",
    "service_load",
    "single_points_of_failure",
    "sla_breaches",
    "sla_compliance",
    "structural_holes",
    "summary",
    "unit_reciprocity",
    "utilisation",
    "what_if",
]
