"""Timing engine: durations, schedules, delay cascades and Monte Carlo risk.

Every function runs on the compiled array form of the organisation
(`intcust.graph.compile`), vectorised over nodes, edges and scenarios.
"""

from intcust.graph.duration_parsing import as_duration
from intcust.graph.durations import (
    PERT,
    Duration,
    Empirical,
    Fixed,
    LogNormal,
    Triangular,
    Uniform,
)
from intcust.sim.cascade import DelayImpact, delay, sensitivity
from intcust.sim.cpm import Schedule, schedule
from intcust.sim.maxplus import CycleTime, Loop, cycle_time
from intcust.sim.montecarlo import monte_carlo
from intcust.sim.outages import Outage, outage, outage_ranking
from intcust.sim.recurrence import Rounds, rounds
from intcust.sim.recurrence_risk import RoundsRisk, monte_carlo_rounds
from intcust.sim.risk import MonteCarloResult

__all__ = [
    "PERT",
    "CycleTime",
    "DelayImpact",
    "Duration",
    "Empirical",
    "Fixed",
    "LogNormal",
    "Loop",
    "MonteCarloResult",
    "Outage",
    "Rounds",
    "RoundsRisk",
    "Schedule",
    "Triangular",
    "Uniform",
    "as_duration",
    "cycle_time",
    "delay",
    "monte_carlo",
    "monte_carlo_rounds",
    "outage",
    "outage_ranking",
    "rounds",
    "schedule",
    "sensitivity",
]
