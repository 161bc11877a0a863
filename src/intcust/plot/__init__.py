"""Figures and the interactive map: drawings of organisations and of intcust's results.

Every figure function takes ``ax=None`` (a new figure when None) and returns
the Axes it drew on; it needs the ``plot`` extra (matplotlib). `explore`
returns an interactive map (`OrgMap`) instead and needs nothing beyond
intcust itself. They draw results computed elsewhere (`intcust.sim`,
`intcust.metrics`); none computes a metric itself. ``import intcust`` does
not import this package.

Examples
--------
>>> import matplotlib
>>> matplotlib.use("Agg")
>>> import intcust as ic
>>> import intcust.plot
>>> ax = intcust.plot.draw_org(ic.datasets.email_campaign())
"""

from intcust.plot.bottlenecks import plot_bottlenecks, plot_utilisation
from intcust.plot.explore import OrgMap, explore
from intcust.plot.openness import plot_ei_index, plot_unit_reciprocity
from intcust.plot.org import draw_org
from intcust.plot.risk import plot_criticality, plot_risk, plot_sensitivity
from intcust.plot.schedule import plot_cascade, plot_schedule
from intcust.plot.units import plot_unit_matrix

__all__ = [
    "OrgMap",
    "draw_org",
    "explore",
    "plot_bottlenecks",
    "plot_cascade",
    "plot_criticality",
    "plot_ei_index",
    "plot_risk",
    "plot_schedule",
    "plot_sensitivity",
    "plot_unit_matrix",
    "plot_unit_reciprocity",
    "plot_utilisation",
]
