"""`explore`: an interactive, searchable map of an organisation, as one offline HTML file."""

from __future__ import annotations

import html
import math
import os
from collections.abc import Hashable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx

from intcust._params import check_choice, check_int, kind_error
from intcust.errors import ParameterError
from intcust.graph.io.files import path_argument, write_text
from intcust.graph.schema import edge_services
from intcust.plot import _map_data, page

if TYPE_CHECKING:
    from intcust import BottleneckReport

__all__ = ["MAX_NODES", "OrgMap", "explore"]

_FUNC = "explore"
#: Beyond this many nodes the map shows units, one node per unit (5,000 people, the
#: 5,004 nodes of `generate_org(5000)`, are drawn one by one).
MAX_NODES = 6000


class OrgMap:
    """An interactive map of an organisation (see `explore`).

    ``_repr_html_`` shows it in Jupyter (in an ``<iframe>``, so several maps
    never share styles or scripts), `save` writes it as one HTML file that
    opens offline, and `html` is that file's text.
    """

    def __init__(self, payload: dict[str, Any], *, title: str) -> None:
        self._payload = payload
        self.title = title
        self._html: str | None = None

    @property
    def n_nodes(self) -> int:
        """Nodes drawn (units when the map is at the unit level)."""
        return len(self._payload["nodes"]["name"])

    @property
    def n_edges(self) -> int:
        """Services drawn."""
        return len(self._payload["edges"]["s"])

    @property
    def level(self) -> str:
        """``"person"`` or ``"unit"``."""
        return str(self._payload["level"])

    @property
    def html(self) -> str:
        """The whole page: data, the vendored network library and the map script, inline."""
        if self._html is None:
            self._html = page.document(self._payload, title=self.title)
        return self._html

    def fragment(self, *, height: str = "640px") -> str:
        """The map as a ``<div>`` with its scripts, to place inside another HTML page."""
        return page.fragment(self._payload, height=height)

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the map to `path` as one self-contained HTML file (UTF-8); return the path.

        The file is replaced atomically: a write that fails (a missing folder, a
        full disk) raises `intcust.WriteError` naming the path and leaves the
        previous file as it was.

        Examples
        --------
        >>> import pathlib, tempfile, intcust as ic
        >>> from intcust.plot import explore
        >>> out = explore(ic.datasets.hotel()).save(pathlib.Path(tempfile.mkdtemp()) / "hotel.html")
        >>> out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
        True
        """
        out = Path(path_argument(path, "OrgMap.save"))
        write_text(out, self.html, func="OrgMap.save")
        return out

    def _repr_html_(self) -> str:
        document = html.escape(self.html, quote=True)
        return (
            f'<iframe srcdoc="{document}" title="{page.html_text(self.title)}" '
            'style="width: 100%; height: 660px; border: 0;" '
            'sandbox="allow-scripts"></iframe>'
        )

    def __repr__(self) -> str:
        return (
            f"OrgMap({self.title!r}: {self.n_nodes} nodes, {self.n_edges} services, "
            f"{self.level} level)"
        )


def explore(
    G: nx.DiGraph,
    *,
    metrics: Any = None,
    color_by: str | Mapping[Hashable, float] | None = None,
    bottlenecks: BottleneckReport | None = None,
    level: str = "person",
    layout: str = "layers",
    title: str | None = None,
    max_nodes: int = MAX_NODES,
) -> OrgMap:
    """An interactive map of an organisation: search, hover, click, filter, colour.

    The map pans and zooms; the search box finds a name and centres it;
    hovering a node shows its unit, kind, employment, role, work and due
    date with every metric passed in (and its bottleneck rank and reasons);
    clicking it highlights its suppliers (blue) and customers (orange) and
    lists them with their deliverables; the unit list switches units on and
    off; "Colour by" colours the nodes by any numeric metric passed in.

    The page is one self-contained file: the data travel as JSON, the
    network library (Cytoscape.js, MIT licence, shipped with intcust) and
    the map script are inline, and a content security policy forbids any
    request, so it opens offline and can be sent as it is.

    Parameters
    ----------
    G : networkx.DiGraph
        The organisation, or a unit-level one (`intcust.rollup`).
    metrics : NodeScores, NodeTable, mapping or list of them, optional
        What to show per node: a `NodeScores` (named by its ``name``), every
        column of a `NodeTable` (numbers can colour the map, other columns
        are shown as text), a mapping of name to either, or a list of these.
        E.g. ``[ic.metrics.service_load(G), ic.metrics.dependence(G),
        mc.criticality]``.
    color_by : str or NodeScores or mapping, optional
        The metric that colours the nodes at first: the name of one of
        `metrics`, or scores of its own (then also shown). By default the
        nodes are coloured by unit; the reader can switch either way.
    bottlenecks : BottleneckReport, optional
        From `intcust.bottlenecks`: each ranked node shows its rank,
        score and reasons.
    level : {"person", "unit"}, optional
        ``"unit"`` maps the units (`intcust.rollup`), one node per unit.
    layout : {"layers", "units"}, optional
        ``"layers"``: columns from suppliers to external customers (large
        layers fold into several columns); ``"units"``: a cluster per unit.
    title : str, optional
        By default the graph's ``name``.
    max_nodes : int, optional
        Beyond this many nodes the unit level is shown instead, and the page
        says so; metrics then show the largest value among each unit's
        members.

    Returns
    -------
    OrgMap
        Shows itself in Jupyter; ``.save(path)`` writes the HTML file and
        ``.html`` is its text.

    Raises
    ------
    ParameterError
        If `G` is not a DiGraph, an option is unknown, a metric holds NaN or
        `color_by` names no metric.
    UnknownNodeError
        If a metric names a node that is not in `G`.

    Notes
    -----
    Positions are computed here (`intcust.plot.layout`) and the page only
    draws them, so 5,000 nodes open in seconds. Every name reaches the page
    as JSON data with ``<``, ``>`` and ``&`` escaped, and is shown as text,
    never as markup or code.

    Examples
    --------
    >>> import intcust as ic
    >>> from intcust.plot import explore
    >>> G = ic.datasets.hotel()
    >>> m = explore(G, metrics=[ic.metrics.service_load(G), ic.metrics.dependence(G)],
    ...             color_by="dependence", bottlenecks=ic.bottlenecks(G))
    >>> m
    OrgMap('Hotel': 9 nodes, 13 services, person level)
    >>> '<script type="application/json"' in m.html
    True
    """
    if not isinstance(G, nx.DiGraph) or G.is_multigraph():
        raise kind_error(_FUNC, "G", "a networkx.DiGraph (an organisation)", G)
    check_choice(level, ("person", "unit"), func=_FUNC, param="level")
    check_choice(layout, ("layers", "units"), func=_FUNC, param="layout")
    max_nodes = check_int(max_nodes, func=_FUNC, param="max_nodes", minimum=1)
    if title is not None and not isinstance(title, str):
        raise kind_error(_FUNC, "title", "a str or None", title)
    report = _check_report(bottlenecks)
    columns = _map_data.read_metrics(G, metrics)
    if color_by is not None and not isinstance(color_by, str):
        own = _map_data.read_metrics(G, color_by)
        columns += [m for m in own if all(m.values is not c.values for c in columns)]
        color_by = next(c.name for c in columns if any(c.values is m.values for m in own))
    name = str(G.graph.get("name") or "Organisation")
    note = ""
    if G.graph.get("level") == "unit":
        level = "unit"
    elif level == "unit" or G.number_of_nodes() > max_nodes:
        if level != "unit":
            note = (
                f"{G.number_of_nodes():,} stakeholders are more than this map shows one by one "
                f"(max_nodes={max_nodes:,}): each node is a unit. Metrics give the largest "
                "value among a unit's members."
            )
        G, columns = _to_units(G, columns, report)
        report, level = None, "unit"
    numeric = [c.name for c in columns if c.numeric]
    if isinstance(color_by, str) and color_by not in numeric:
        raise ParameterError(
            f"The 'color_by' parameter of {_FUNC} must name a numeric metric passed in "
            f"{numeric}; got {color_by!r}."
        )
    label = title if title is not None else name
    services = sum(
        int(d.get("n_services", 0)) or len(edge_services(d)) for *_, d in G.edges(data=True)
    )
    heading = f"{label} · {_counted(G, level)}, {services:,} services"
    payload = _map_data.build(
        G,
        metrics=columns,
        color_by=numeric.index(color_by) if isinstance(color_by, str) else -1,
        bottlenecks=report,
        layout=layout,
        level=level,
        title=heading,
        note=note,
    )
    return OrgMap(payload, title=label)


def _counted(G: nx.DiGraph, level: str) -> str:
    """What the map shows, counted: its stakeholders, or its units and the nodes beside them."""
    if level != "unit":
        return f"{G.number_of_nodes():,} stakeholders"
    kinds = [kind for _, kind in G.nodes(data="kind")]
    units = sum(kind in ("team", "department") for kind in kinds)
    customers = kinds.count("external")
    others = len(kinds) - units - customers
    parts = [f"{units:,} unit{'' if units == 1 else 's'}"]
    if customers:
        parts.append(f"{customers:,} external customer{'' if customers == 1 else 's'}")
    if others:
        parts.append(f"{others:,} stakeholder{'' if others == 1 else 's'} without a unit")
    return ", ".join(parts)


def _check_report(value: object) -> BottleneckReport | None:
    from intcust import BottleneckReport

    if value is None or isinstance(value, BottleneckReport):
        return value
    raise kind_error(_FUNC, "bottlenecks", "a BottleneckReport (from intcust.bottlenecks)", value)


def _to_units(
    G: nx.DiGraph, columns: list[_map_data.Metric], report: BottleneckReport | None
) -> tuple[nx.DiGraph, list[_map_data.Metric]]:
    """The unit-level organisation, each metric as the largest among a unit's members."""
    from intcust.graph import rollup

    R = rollup(G)

    def unit(n: Hashable) -> Hashable:
        u = G.nodes[n].get("unit")
        return u if u is not None and u in R and G.nodes[n].get("kind") != "external" else n

    out = []
    for c in columns:
        if not c.numeric:
            continue
        best: dict[Hashable, float] = {}
        for n, v in c.values.items():
            if v is not None:
                u = unit(n)
                best[u] = max(best.get(u, -math.inf), float(v))
        out.append(_map_data.Metric(f"{c.name} (largest in unit)", best, c.description))
    if report is not None:
        ranked: dict[Hashable, list[str]] = {}
        for rank, row in enumerate(report.rows, 1):
            ranked.setdefault(unit(row.node), []).append(f"{row.node} (rank {rank})")
        out.append(_map_data.Metric("bottlenecks", ranked, numeric=False))
    return R, out
