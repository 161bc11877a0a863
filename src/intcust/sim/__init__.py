"""Timing engine: durations, schedules, delay cascades and Monte Carlo risk.

Every function runs on the compiled array form of the organisation
(`intcust.graph.compile`), vectorised over nodes, edges and scenarios.
"""

from intcust.graph.durations import (
    PERT,
    Duration,
    Empirical,
    Fixed,
    LogNormal,
    Triangular,
    Uniform,
    as_duration,
)

__all__ = [
    "PERT",
    "Duration",
    "Empirical",
    "Fixed",
    "LogNormal",
    "Triangular",
    "Uniform",
    "as_duration",
]
