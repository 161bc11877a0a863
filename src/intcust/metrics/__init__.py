"""Metrics: pure functions of an organisation returning NodeScores, NodeTable or a report.

Grouped as `docs/guide/metrics.md` groups them: network (centrality, reach),
structure (organisational network analysis), fragility (failure, cut sets, key
players, queueing) and service (SLA, feedback, comparison, contribution, recognition,
the service catalogue), all on the
supplier -> customer direction. The ranked bottleneck report, which draws on
both the metrics and the timing engine, is `intcust.bottlenecks`.
"""

import warnings
from typing import Any

from intcust.metrics.fragility.cutsets import bus_factor
from intcust.metrics.fragility.failure import single_points_of_failure
from intcust.metrics.fragility.keyplayers import fragmentation, key_players
from intcust.metrics.fragility.queueing import utilisation
from intcust.metrics.network.brandes import BetweennessScores, betweenness
from intcust.metrics.network.centrality import dependence, reliance, service_load
from intcust.metrics.network.reach import external_reach
from intcust.metrics.overview import summary
from intcust.metrics.service.catalogue import service_catalogue
from intcust.metrics.service.catalogue_result import ServiceCatalogue
from intcust.metrics.service.comparison import Comparison, compare
from intcust.metrics.service.contribution_result import Contribution
from intcust.metrics.service.feedback import Breakdown, breakdown_points
from intcust.metrics.service.recognition_result import Recognition
from intcust.metrics.service.recognition_table import recognition
from intcust.metrics.service.shapley import contribution
from intcust.metrics.service.sla import SLABreaches, sla_breaches, sla_compliance
from intcust.metrics.service.survey import NONRESPONDENT, Survey, read_survey
from intcust.metrics.structure.gould_fernandez import BROKERAGE_ROLES, brokerage
from intcust.metrics.structure.holes import constraint, effective_size, structural_holes
from intcust.metrics.structure.informal_roles import ROLES, roles
from intcust.metrics.structure.krackhardt import KrackhardtDimensions, krackhardt_dimensions
from intcust.metrics.structure.ties import (
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
    "Breakdown",
    "Comparison",
    "Contribution",
    "EIIndex",
    "KrackhardtDimensions",
    "Reciprocity",
    "Recognition",
    "SLABreaches",
    "ServiceCatalogue",
    "Survey",
    "betweenness",
    "breakdown_points",
    "brokerage",
    "bus_factor",
    "compare",
    "constraint",
    "contribution",
    "dependence",
    "effective_size",
    "ei_index",
    "external_reach",
    "fragmentation",
    "key_players",
    "krackhardt_dimensions",
    "read_survey",
    "reciprocity",
    "recognition",
    "reliance",
    "roles",
    "service_catalogue",
    "service_load",
    "single_points_of_failure",
    "sla_breaches",
    "sla_compliance",
    "structural_holes",
    "summary",
    "unit_reciprocity",
    "utilisation",
]

# names that moved in 0.2.0: still reachable here, with a warning naming the new place
_MOVED = {
    "bottlenecks": "intcust.bottlenecks",
    "Bottleneck": "intcust.Bottleneck",
    "BottleneckReport": "intcust.BottleneckReport",
    "what_if": "intcust.what_if",
}


def __getattr__(name: str) -> Any:
    if name in _MOVED:
        import intcust

        new = _MOVED[name]
        warnings.warn(
            f"intcust.metrics.{name} moved to {new} in intcust 0.2.0; "
            "the old name will be removed in 0.3.0",
            DeprecationWarning,
            stacklevel=2,
        )
        return getattr(intcust, new.rsplit(".", 1)[1])
    raise AttributeError(f"module 'intcust.metrics' has no attribute {name!r}")
