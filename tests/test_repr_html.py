"""Jupyter display contract of every result type: a compact HTML table and a short repr.

Each result is computed on a large synthetic organisation (``generate_org(2000)``)
where that is quick, so that truncation to the top rows is exercised; the few
slow metrics run on ``company()``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html.parser import HTMLParser
from typing import Any

import networkx as nx
import pytest

import intcust as ic
from intcust import metrics, sim

#: Rows of one HTML table: the ``_HTML_ROWS`` top rows of `intcust._html_table`, plus
#: the "… more rows" line.
MAX_BODY_ROWS = 21
#: A plain repr fits on a couple of lines of a terminal.
MAX_REPR = 200


@pytest.fixture(scope="module")
def big() -> nx.DiGraph:
    G: nx.DiGraph = ic.datasets.generate_org(2000, seed=1)
    return G


@pytest.fixture(scope="module")
def company() -> nx.DiGraph:
    G: nx.DiGraph = ic.datasets.company()
    return G


def _first_critical(G: nx.DiGraph) -> Any:
    return sim.schedule(G).critical_path()[0]


Compute = Callable[[nx.DiGraph], Any]

#: name -> (organisation fixture, how to compute the result)
RESULTS: dict[str, tuple[str, Compute]] = {
    "Schedule": ("big", lambda G: sim.schedule(G)),
    "DelayImpact": ("big", lambda G: sim.delay(G, {_first_critical(G): 2.0})),
    "sensitivity (NodeTable)": ("big", lambda G: sim.sensitivity(G)),
    "MonteCarloResult": ("big", lambda G: sim.monte_carlo(G, n=200, seed=1)),
    "dependence (NodeScores)": ("big", lambda G: metrics.dependence(G)),
    "BetweennessScores": ("big", lambda G: metrics.betweenness(G, k=50, seed=1)),
    "service_load (NodeTable)": ("big", lambda G: metrics.service_load(G)),
    "utilisation (NodeTable)": ("big", lambda G: metrics.utilisation(G)),
    "single_points_of_failure (NodeTable)": (
        "big",
        lambda G: metrics.single_points_of_failure(G),
    ),
    "brokerage (NodeTable)": ("big", lambda G: metrics.brokerage(G)),
    "structural_holes (NodeTable)": ("big", lambda G: metrics.structural_holes(G)),
    "EIIndex": ("big", lambda G: metrics.ei_index(G)),
    "Reciprocity": ("big", lambda G: metrics.reciprocity(G)),
    "unit_reciprocity (NodeTable)": ("big", lambda G: metrics.unit_reciprocity(G)),
    "KrackhardtDimensions": ("big", lambda G: metrics.krackhardt_dimensions(G)),
    "external_reach (NodeTable)": ("big", lambda G: metrics.external_reach(G)),
    "bus_factor (NodeTable)": ("big", lambda G: metrics.bus_factor(G)),
    "BottleneckReport": ("big", lambda G: ic.bottlenecks(G, key_players=0, cascade=False)),
    "roles (NodeTable)": ("company", lambda G: metrics.roles(G)),
    "key_players (NodeTable)": ("company", lambda G: metrics.key_players(G, size=2)),
    "summary (NodeTable)": ("company", lambda G: metrics.summary(G)),
}

#: Results whose plain repr is known to run past `MAX_REPR` characters.


class _Tables(HTMLParser):
    """Body rows of each table, and whether anything but tables was emitted."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[int] = []
        self._in_body = False
        self.tags: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        if tag == "table":
            self.rows.append(0)
        elif tag == "tbody":
            self._in_body = True
        elif tag == "tr" and self._in_body:
            self.rows[-1] += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "tbody":
            self._in_body = False


@pytest.fixture(scope="module")
def results(big: nx.DiGraph, company: nx.DiGraph) -> dict[str, Any]:
    graphs = {"big": big, "company": company}
    return {name: compute(graphs[g]) for name, (g, compute) in RESULTS.items()}


def _params() -> list[Any]:
    return [pytest.param(name, id=name) for name in RESULTS]


@pytest.mark.parametrize("name", _params())
def test_repr_html_is_a_compact_table(name: str, results: dict[str, Any]) -> None:
    result = results[name]
    assert callable(getattr(result, "_repr_html_", None)), f"{type(result).__name__} lacks it"
    text = result._repr_html_()
    assert isinstance(text, str) and "<table" in text
    tables = _Tables()
    tables.feed(text)
    assert tables.rows, "no table"
    assert max(tables.rows) <= MAX_BODY_ROWS, tables.rows
    assert not {"script", "style", "img", "iframe"} & tables.tags
    assert len(text) < 20_000
    size = len(result) if hasattr(result, "__len__") else 0
    if size > MAX_BODY_ROWS:
        assert re.search(r"… \d+ more", text), "a big result must say how many rows it hides"


@pytest.mark.parametrize("name", _params())
def test_plain_repr_is_short(name: str, results: dict[str, Any]) -> None:
    text = repr(results[name])
    assert len(text) <= MAX_REPR, f"{len(text)} characters: {text[:300]}"
    assert text.count("\n") <= 1


def test_big_results_really_are_big(results: dict[str, Any]) -> None:
    assert len(results["dependence (NodeScores)"]) > 1000
    assert len(results["BottleneckReport"]) > MAX_BODY_ROWS
    assert len(results["MonteCarloResult"].criticality) > 1000


def test_repr_html_escapes_node_names() -> None:
    G = ic.org_graph(name="x")
    ic.add_stakeholder(G, "<b>boss</b>", work=1)
    ic.add_stakeholder(G, "client", kind="external", due=3)
    ic.add_service(G, "<b>boss</b>", "client")
    for result in (
        sim.schedule(G),
        sim.monte_carlo(G, n=20, seed=1),
        metrics.dependence(G),
        metrics.service_load(G),
        ic.bottlenecks(G),
    ):
        text = result._repr_html_()
        assert "<b>boss" not in text and "&lt;b&gt;boss" in text
