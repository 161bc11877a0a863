"""The map in headless Chromium, its JavaScript run: it draws, searches, highlights and loads nothing.

Screenshots (1400 x 900) are kept under the test's tmp_path; their paths are printed.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import numpy as np
import pytest

import intcust as ic
from browser import CHROMIUM, Browser, Page
from intcust.plot import explore
from strategies import HOSTILE

pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="headless Chromium not installed (Debian: chromium)"
)

READY = "document.querySelector('.intcust-map[data-ready], .intcust-map[data-error]')"
MAP = "document.querySelector('.intcust-map')"
API = f"{MAP}.intcustMap"


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    with Browser.launch(tmp_path_factory.mktemp("chromium")) as b:
        yield b


def load(browser: Browser, m, path: Path, *, timeout: float = 90) -> Page:
    m.save(path)
    page = browser.open(path, ready=READY, timeout=timeout)
    assert page.evaluate(f"{MAP}.dataset.error || ''") == ""
    return page


def offline_and_clean(page: Page) -> None:
    assert page.console_errors() == []
    assert page.requests() == [page.url]  # the file itself, nothing else
    assert page.failed_requests() == []
    assert page.dialogs() == []


def screenshot(page: Page, path: Path) -> None:
    import matplotlib.image

    data = page.screenshot(path)
    print(f"screenshot: {path}")
    image = matplotlib.image.imread(path)
    assert image.shape[:2] == (900, 1400)
    assert len(data) > 20_000
    colours = np.unique(image.reshape(-1, image.shape[-1])[::97].round(2), axis=0)
    assert len(colours) > 30  # a drawn network, not a blank page


def name_index(G: nx.DiGraph, name) -> int:
    return list(G).index(name)


def test_detection_catches_console_errors_and_requests(browser: Browser, tmp_path: Path) -> None:
    bad = tmp_path / "bad.html"
    bad.write_text(
        "<!DOCTYPE html><p>x</p><img src='https://example.com/x.png'>"
        "<script>console.error('boom'); fetch('http://example.org/data').catch(() => 0);"
        "nope();</script>"
    )
    page = browser.open(bad)
    browser.pump(1.0)
    errors = page.console_errors()
    assert any("boom" in e for e in errors)
    assert any("nope" in e for e in errors)
    requests = page.requests()
    assert "https://example.com/x.png" in requests and "http://example.org/data" in requests
    assert len(page.failed_requests()) >= 2  # blocked, never sent


def test_hotel_map_draws_searches_and_highlights(browser: Browser, tmp_path: Path) -> None:
    G = ic.datasets.hotel()
    report = ic.bottlenecks(G)
    m = explore(
        G,
        metrics=[ic.metrics.service_load(G), ic.metrics.dependence(G)],
        bottlenecks=report,
    )
    page = load(browser, m, tmp_path / "hotel map.html")
    offline_and_clean(page)
    assert page.evaluate(f"{MAP}.dataset.nodes") == str(G.number_of_nodes())
    assert page.evaluate(f"{API}.cy.nodes().length") == G.number_of_nodes()
    assert page.evaluate(f"{API}.cy.edges().length") == G.number_of_edges()
    screenshot(page, tmp_path / "hotel_map.png")

    # a scripted search: type a name, the node is marked and centred
    page.evaluate(
        "(() => { const s = document.querySelector('.icm-search'); s.value = 'kitchen';"
        " s.dispatchEvent(new Event('input')); })()"
    )
    assert page.evaluate(f"{API}.cy.$('node.match').map(n => n.data('label'))") == ["kitchen"]
    assert page.evaluate("document.querySelector('.icm-status').textContent") == "1 match"
    at = page.evaluate(f"{API}.cy.$('node.match').renderedPosition()")
    size = page.evaluate(
        "[document.querySelector('.icm-canvas').clientWidth,"
        " document.querySelector('.icm-canvas').clientHeight]"
    )
    assert abs(at["x"] - size[0] / 2) < 5 and abs(at["y"] - size[1] / 2) < 5
    screenshot(page, tmp_path / "hotel_map_search.png")

    # a click: suppliers and customers as networkx has them
    i = name_index(G, "reception")
    page.evaluate(f"void {API}.select({API}.cy.$id('n{i}'))")
    got = page.evaluate(
        f"[{API}.cy.$('node.supplier').map(n => n.data('label')),"
        f" {API}.cy.$('node.customer').map(n => n.data('label')),"
        f" {API}.cy.$('node.focus').map(n => n.data('label'))]"
    )
    assert sorted(got[0]) == sorted(G.predecessors("reception"))
    assert sorted(got[1]) == sorted(G.successors("reception"))
    assert got[2] == ["reception"]
    side = page.evaluate("document.querySelector('.icm-info').textContent")
    assert f"Suppliers ({G.in_degree('reception')})" in side
    assert G.edges["IT", "reception"]["deliverable"] in side

    # hovering: unit, kind, employment, work, due, the metrics, the reasons
    i = name_index(G, report.rows[0].node)
    page.evaluate(f"void {API}.cy.$id('n{i}').emit('mouseover')")
    tip = page.evaluate("document.querySelector('.icm-tip').innerText")
    row = report.rows[0]
    node = G.nodes[row.node]
    assert page.evaluate("getComputedStyle(document.querySelector('.icm-tip')).display") == "block"
    for word in ("unit", "kind", "dependence", "volume supplied", "bottleneck", "rank 1"):
        assert word in tip, (word, tip)
    assert str(node["unit"]) in tip
    assert row.reasons[0].split("(")[0] in tip


def test_unit_toggles_and_colour_by_a_metric(browser: Browser, tmp_path: Path) -> None:
    G = ic.datasets.company()
    dep = ic.metrics.dependence(G)
    page = load(browser, explore(G, metrics=dep), tmp_path / "company.html")
    offline_and_clean(page)
    production = sum(1 for _, u in G.nodes(data="unit") if u == "Production")
    page.evaluate(
        "(() => { const l = [...document.querySelectorAll('.icm-units label')]"
        ".find(x => x.title === 'Production'); l.querySelector('input').click(); })()"
    )
    assert page.evaluate(f"{API}.cy.$('node.hidden').length") == production
    shown = f"{API}.cy.nodes().filter(n => n.style('display') !== 'none').length"
    assert page.evaluate(shown) == G.number_of_nodes() - production
    page.evaluate("document.querySelector('.icm-all').click()")
    assert page.evaluate(f"{API}.cy.$('node.hidden').length") == 0

    page.evaluate(
        "(() => { const s = document.querySelector('.icm-color'); s.value = '0';"
        " s.dispatchEvent(new Event('change')); })()"
    )
    top = name_index(G, dep.top(1)[0][0])
    low = name_index(G, dep.top(1, ascending=True)[0][0])
    colours = page.evaluate(
        f"[{API}.cy.$id('n{top}').data('color'), {API}.cy.$id('n{low}').data('color')]"
    )
    assert colours == ["rgb(253,231,37)", "rgb(68,1,84)"]  # the ends of viridis
    legend = page.evaluate("document.querySelector('.icm-legend-color').textContent")
    assert "dependence" in legend
    screenshot(page, tmp_path / "company_by_dependence.png")


def test_hostile_names_stay_text(browser: Browser, tmp_path: Path) -> None:
    G = ic.org_graph(name=HOSTILE[0])
    names = [f"{h} {i}" for i, h in enumerate(HOSTILE)]
    for i, name in enumerate(names):
        ic.add_stakeholder(G, name, unit=HOSTILE[(i + 3) % len(HOSTILE)], role=HOSTILE[1])
    for a, b in itertools.pairwise(names):
        ic.add_service(G, a, b, deliverable=HOSTILE[2])
    m = explore(G, metrics=ic.NodeScores(dict.fromkeys(G, 1.0), name=HOSTILE[4]), title=HOSTILE[1])
    page = load(browser, m, tmp_path / "hostile.html")
    offline_and_clean(page)
    assert page.evaluate("document.querySelectorAll('script').length") == 3
    assert page.evaluate("document.querySelectorAll('img, iframe, object, embed').length") == 0
    # the only <b> are the names the map script puts in its tooltip and side panel
    assert page.evaluate(
        "[...document.querySelectorAll('b')].every(b => b.closest('.icm-tip, .icm-side'))"
    )
    assert page.evaluate(f"{API}.cy.nodes().map(n => n.data('label'))") == names
    for i, name in enumerate(names):
        page.evaluate(f"void {API}.cy.$id('n{i}').emit('mouseover')")
        assert page.evaluate("document.querySelector('.icm-tip b').textContent") == name
        assert (
            page.evaluate("document.querySelector('.icm-tip').querySelectorAll('*').length") < 40
        )
    units = page.evaluate("[...document.querySelectorAll('.icm-units label')].map(l => l.title)")
    assert set(units) <= {*HOSTILE, "(no unit)", "external customers"}
    found = page.evaluate(f"{API}.search({json.dumps(names[1])})")
    assert found == [names[1]]
    assert page.dialogs() == []
    assert page.evaluate("document.title") == HOSTILE[1]


def test_5000_people_draw_and_search(browser: Browser, tmp_path: Path) -> None:
    G = ic.datasets.generate_org(5000, seed=1)
    page = load(browser, explore(G), tmp_path / "5000.html", timeout=120)
    offline_and_clean(page)
    assert page.evaluate(f"{API}.cy.nodes().length") == G.number_of_nodes() == 5004
    assert page.evaluate(f"{API}.cy.edges().length") == G.number_of_edges()
    assert page.evaluate(f"{API}.search('p4321')") == ["p4321"]
    screenshot(page, tmp_path / "map_5000.png")


def test_jupyter_view_runs_in_its_sandboxed_iframe(browser: Browser, tmp_path: Path) -> None:
    G = ic.datasets.company()
    notebook = tmp_path / "notebook.html"
    cells = "".join(
        f"<div class='output'>{explore(G, title=f'map {i}')._repr_html_()}</div>" for i in range(2)
    )
    notebook.write_text(f"<!DOCTYPE html><html><body>{cells}</body></html>", encoding="utf-8")
    page = browser.open(notebook)
    frames = page.frames()
    assert len(frames) == 2  # two maps on one page never share scripts or styles
    for i, frame in enumerate(frames):
        frame.wait(READY, timeout=60)
        assert frame.evaluate(f"{MAP}.dataset.nodes") == str(G.number_of_nodes())
        assert frame.evaluate("document.title") == f"map {i}"
    assert page.console_errors() == []
    assert [u for u in page.requests() if u != "about:srcdoc"] == [page.url]


def test_aggregated_map_says_so(browser: Browser, tmp_path: Path) -> None:
    G = ic.datasets.generate_org(300, seed=2)
    page = load(browser, explore(G, max_nodes=100), tmp_path / "units.html")
    offline_and_clean(page)
    note = page.evaluate("document.querySelector('.icm-note').textContent")
    assert "each node is a unit" in note
    assert page.evaluate(f"{API}.cy.nodes().length") == ic.rollup(G).number_of_nodes()
    counts = page.evaluate(
        "Object.fromEntries([...document.querySelectorAll('.icm-units label')]"
        ".map(l => [l.title, +l.querySelector('.icm-count').textContent]))"
    )
    assert sum(counts.values()) == G.number_of_nodes()  # people, not unit nodes
    unit = G.nodes["p0"]["unit"]
    assert counts[unit] == sum(1 for _, u in G.nodes(data="unit") if u == unit) > 1
