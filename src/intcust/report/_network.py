"""The report's network section: the interactive map, with a drawing for print and no-script readers."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import TYPE_CHECKING

import networkx as nx

from intcust.report._html import Section, figure, note
from intcust.results import NodeScores

if TYPE_CHECKING:
    from intcust import BottleneckReport
    from intcust.results import NodeTable
    from intcust.sim import MonteCarloResult

__all__ = ["network_section"]


def network_section(
    G: nx.DiGraph,
    path: Sequence[Hashable],
    *,
    summary: NodeTable,
    report: BottleneckReport,
    mc: MonteCarloResult | None,
) -> Section:
    """The supplier → customer network: an interactive map and the same network drawn.

    The map (`intcust.plot.explore`) carries `summary` (service load,
    dependence, betweenness, role), the Monte Carlo criticality, the step of
    each node on the critical path and the bottleneck reasons. The drawing
    (`intcust.plot.draw_org`, critical path in red, node size by volume
    supplied) is what a printout and a reader without JavaScript see.
    """
    from intcust.plot import draw_org, explore

    metrics: list[object] = [summary]
    if mc is not None:
        metrics.append(mc.criticality)
    if path:
        metrics.append(
            NodeScores(
                {n: float(i) for i, n in enumerate(path, 1)},
                name="critical path step",
                description="position on the critical path to the last customer",
            )
        )
    the_map = explore(G, metrics=metrics, bottlenecks=report)
    steps = ' Colour by "critical path step" to see the critical path.' if path else ""
    guide = note(
        "Search a name, hover a stakeholder to see its unit, work, due date and metrics, "
        "click it to highlight who supplies it (blue) and whom it supplies (orange), switch "
        "units on and off, and colour the network by any metric." + steps
    )
    body = [f'<div class="map-live">{guide}\n{the_map.fragment(height="680px")}</div>']
    drawing: list[str] = []
    if path:
        drawing.append(note("Critical path in red: " + " → ".join(str(n) for n in path) + "."))
    height = 7.5 if G.number_of_nodes() > 20 else 5.5
    volume = summary.column("volume_supplied") if "volume_supplied" in summary.columns else None
    drawing.append(
        figure(
            lambda ax: draw_org(G, scores=volume, highlight=list(path) or None, ax=ax),
            size=(11.5, height),
            alt="supplier to customer network",
            caption="Each arrow is a service (supplier → customer), as thick as its volume; "
            "node size is the volume supplied; dashed arrows are information or feedback ties.",
        )
    )
    body.append('<div class="map-fallback">' + "\n".join(drawing) + "</div>")
    return Section("network", "Network", body)
