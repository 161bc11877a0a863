"""Figures: matplotlib drawings of organisations and of intcust's results.

Every function takes ``ax=None`` (a new figure when None) and returns the
Axes it drew on. They draw results computed elsewhere (`intcust.sim`,
`intcust.metrics`); none computes a metric itself. Needs the ``plot`` extra
(matplotlib); ``import intcust`` does not import this package.

Examples
--------
>>> import matplotlib
>>> matplotlib.use("Agg")
>>> import intcust as ic
>>> import intcust.plot
>>> ax = intcust.plot.draw_org(ic.datasets.email_campaign())
"""

from intcust.plot.org import draw_org
from intcust.plot.risk import plot_criticality, plot_risk, plot_sensitivity
from intcust.plot.schedule import plot_cascade, plot_schedule
from intcust.plot.units import plot_unit_matrix

__all__ = [
    "draw_org",
    "plot_cascade",
    "plot_criticality",
    "plot_risk",
    "plot_schedule",
    "plot_sensitivity",
    "plot_unit_matrix",
]
