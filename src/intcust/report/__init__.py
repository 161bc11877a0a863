"""One self-contained HTML report of an organisation, for readers who will not run Python.

`render` returns the page as a string and `write_report` writes it to a file.
The page holds the organisation summary, the ranked bottlenecks with their
reasons, the critical path, delay sensitivity, Monte Carlo delivery risk, the
organisational network analysis tables and an interactive map of the network
(`intcust.plot.explore`), with the network drawn as a figure for print and for
readers without JavaScript. Figures are embedded as base64 PNG images, the
style sheet, the data and the scripts are inline, and a content security
policy forbids every request, so the file opens offline and can be mailed as
it is. Needs the ``plot`` extra (matplotlib).

Examples
--------
>>> import intcust as ic
>>> from intcust.report import render
>>> page = render(ic.datasets.email_campaign(), monte_carlo_n=200)
>>> page.startswith("<!DOCTYPE html>"), 'id="critical-path"' in page
(True, True)
"""

from __future__ import annotations

import os
from collections.abc import Hashable

import networkx as nx

from intcust._params import check_int
from intcust._version import __version__
from intcust.errors import ParameterError
from intcust.graph.io.files import path_argument, write_text
from intcust.graph.schema import external_customers
from intcust.graph.validation import validate
from intcust.metrics.service.survey import Survey
from intcust.report._html import page
from intcust.report._network import network_section
from intcust.report._organisation import (
    bottleneck_section,
    ona_section,
    services,
    summary_section,
)
from intcust.report._service import service_sections
from intcust.report._timing import critical_path_section, risk_section, sensitivity_section

__all__ = ["SECTIONS", "render", "write_report"]

#: The ``id`` of every section of the report, in page order.
SECTIONS: tuple[str, ...] = (
    "summary",
    "bottlenecks",
    "critical-path",
    "sensitivity",
    "risk",
    "ona",
    "network",
)


def render(
    G: nx.DiGraph,
    *,
    title: str | None = None,
    monte_carlo_n: int = 2000,
    seed: int = 1,
    top: int = 10,
    survey: Survey | None = None,
    log: nx.DiGraph | None = None,
) -> str:
    """The HTML report of an organisation, as one self-contained page.

    Parameters
    ----------
    G : networkx.DiGraph
        The organisation; it is validated first.
    title : str, optional
        The page title; by default the graph's ``name`` attribute.
    monte_carlo_n : int, optional
        Scenarios of the Monte Carlo risk run (>= 1).
    seed : int, optional
        Seed of the Monte Carlo run: the same seed gives the same page.
    top : int, optional
        Rows shown in each ranked table (>= 1).
    survey : Survey, optional
        A survey of internal services (`intcust.metrics.read_survey`).
    log : networkx.DiGraph, optional
        An organisation read from a ticket or event log, for measured lead
        times. With a survey or a log, the page also holds the
        ``"service-standards"`` and ``"recognition"`` sections (before the
        network drawing).

    Returns
    -------
    str
        An HTML5 document with one ``<section>`` per entry of `SECTIONS`
        (``id="summary"``, ``"bottlenecks"``, ``"critical-path"``,
        ``"sensitivity"``, ``"risk"``, ``"ona"``, ``"network"``). Every
        name taken from the organisation is HTML-escaped, or travels as
        JSON data to the map and is shown as text.

    Raises
    ------
    ParameterError
        If `G` is not a ``networkx.DiGraph`` or an option is out of range.
    SchemaError, CycleError
        If `G` breaks the schema.

    Notes
    -----
    Each number comes from the public function that computes it, where its
    formula and reference are documented: `intcust.bottlenecks`,
    `intcust.sim.schedule` (critical path), `intcust.sim.sensitivity`,
    `intcust.sim.monte_carlo`, and `intcust.metrics.summary`, `brokerage`,
    `structural_holes`, `ei_index`, `unit_reciprocity` and
    `krackhardt_dimensions` for the network analysis. Nodes without a
    ``unit`` count as units of their own in the brokerage and E-I tables;
    elsewhere their unit reads "(no unit)", or "(external customer)" for a
    paying customer.
    An organisation without an external customer has no delivery to time:
    the critical-path, sensitivity and risk sections then say so instead.

    Examples
    --------
    >>> import intcust as ic
    >>> from intcust.report import render
    >>> html = render(ic.datasets.hotel(), title="Hotel <evening>", monte_carlo_n=100)
    >>> "<title>Hotel &lt;evening&gt;</title>" in html
    True
    """
    if not isinstance(G, nx.DiGraph) or G.is_multigraph():
        raise ParameterError(
            f"The 'G' parameter of render must be a networkx.DiGraph (an organisation); "
            f"got {type(G).__name__}."
        )
    if title is not None and not isinstance(title, str):
        raise ParameterError(
            f"The 'title' parameter of render must be a str or None; got {title!r}."
        )
    n = check_int(monte_carlo_n, func="render", param="monte_carlo_n", minimum=1)
    seed = check_int(seed, func="render", param="seed", minimum=0)
    top = check_int(top, func="render", param="top", minimum=1)
    validate(G)
    name = str(G.graph.get("name") or "Organisation")
    title = title if title is not None else f"{name}: internal-customer report"

    from intcust.bottleneck_report import bottlenecks
    from intcust.metrics import summary
    from intcust.sim import monte_carlo, schedule

    customers: list[Hashable] = list(external_customers(G))
    sch = schedule(G) if customers else None
    mc = monte_carlo(G, n=n, seed=seed) if customers else None
    path = sch.critical_path() if sch is not None else []
    report = bottlenecks(G)
    overview = summary(G)
    sections = [
        summary_section(G, top=top),
        bottleneck_section(G, report, top=top),
        critical_path_section(G, sch, customers),
        sensitivity_section(G, has_customers=bool(customers), top=top),
        risk_section(G, mc, top=top),
        ona_section(G, overview, top=top),
        network_section(G, path, summary=overview, report=report, mc=mc),
    ]
    sections[-1:-1] = service_sections(G, survey=survey, log=log, n=n, seed=seed, top=top)
    subtitle = (
        f"{_count(G.number_of_nodes(), 'stakeholder')}, "
        f"{_count(len(services(G)), 'service')}, "
        f"{_count(len(customers), 'external customer')} · "
        f"Monte Carlo {n:,} scenarios, seed {seed}"
    )
    footer = (
        f"Made with intcust {__version__}. An arrow u → v means u supplies v: "
        "v is u's internal customer."
    )
    return page(title, subtitle, sections, footer)


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun if n == 1 else noun + 's'}"


def write_report(
    G: nx.DiGraph,
    path: str | os.PathLike[str],
    *,
    title: str | None = None,
    monte_carlo_n: int = 2000,
    seed: int = 1,
    top: int = 10,
    survey: Survey | None = None,
    log: nx.DiGraph | None = None,
) -> None:
    """Write the HTML report of `G` to `path` (UTF-8); see `render` for the options.

    Parameters
    ----------
    G : networkx.DiGraph
        The organisation.
    path : str or path-like
        The file to write; it is replaced atomically if it exists (a failed
        write leaves it as it was).
    title, monte_carlo_n, seed, top, survey, log
        As in `render`.

    Raises
    ------
    ParameterError, SchemaError
        As `render`; a `ParameterError` too if `path` is not a path.
    WriteError
        If the file cannot be written (a missing folder, no permission, a full
        disk); it names the path, and the previous file is left as it was.

    Examples
    --------
    >>> import pathlib, tempfile, intcust as ic
    >>> from intcust.report import write_report
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "report.html"
    >>> write_report(ic.datasets.email_campaign(), out, monte_carlo_n=100)
    >>> out.read_text(encoding="utf-8").count("<section")
    7
    """
    path_argument(path, "write_report")
    html = render(
        G, title=title, monte_carlo_n=monte_carlo_n, seed=seed, top=top, survey=survey, log=log
    )
    write_text(path, html, func="write_report")
