"""The HTML report in headless Chromium, its JavaScript run: offline, clean, searchable, printable.

The screenshot (1400 x 900) is kept under the test's tmp_path; its path is printed.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path

import matplotlib
import pytest

import intcust as ic
from browser import CHROMIUM, Browser, Page
from intcust.report import SECTIONS, write_report

matplotlib.use("Agg")

pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="headless Chromium not installed (Debian: chromium)"
)

#: Figures each section embeds when the organisation has external customers.
FIGURES = {"critical-path": 1, "sensitivity": 1, "risk": 2, "ona": 1, "network": 1}


@pytest.fixture(scope="module")
def company_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("report") / "company report.html"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        write_report(ic.datasets.company(), path, monte_carlo_n=500, seed=1)
    return path


READY = "document.querySelector('.intcust-map[data-ready], .intcust-map[data-error]')"
API = "document.querySelector('.intcust-map').intcustMap"


def assert_offline(page: Page) -> None:
    """The page asked for itself and its embedded images, nothing else, and opened no dialog."""
    requests = page.requests()
    assert requests[0] == page.url
    assert all(u.startswith("data:image/png;base64,") for u in requests[1:]), requests
    assert page.failed_requests() == [] and page.dialogs() == []


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    with Browser.launch(tmp_path_factory.mktemp("chromium")) as b:
        yield b


def test_report_in_headless_chromium(
    company_report: Path, browser: Browser, tmp_path: Path
) -> None:
    page = browser.open(company_report, ready=READY)
    assert page.evaluate("document.querySelector('.intcust-map').dataset.error || ''") == ""
    assert page.console_errors() == []
    assert_offline(page)
    G = ic.datasets.company()
    assert page.evaluate("[...document.querySelectorAll('section')].map(s => s.id)") == list(
        SECTIONS
    )
    images = page.evaluate(
        "Object.fromEntries([...document.querySelectorAll('section')]"
        ".map(s => [s.id, s.querySelectorAll('img').length]).filter(e => e[1] > 0))"
    )
    assert images == FIGURES
    assert page.evaluate(f"{API}.cy.nodes().length") == G.number_of_nodes()
    assert page.evaluate("document.querySelector('.intcust-map').dataset.nodes") == str(
        G.number_of_nodes()
    )
    # on screen the map shows and its drawing does not
    display = "(s) => getComputedStyle(document.querySelector(s)).display"
    assert page.evaluate(f"({display})('.map-live')") == "block"
    assert page.evaluate(f"({display})('.map-fallback')") == "none"

    # a scripted search highlights the node
    page.evaluate("document.getElementById('network').scrollIntoView()")
    page.evaluate(
        "(() => { const s = document.querySelector('.icm-search'); s.value = 'planner';"
        " s.dispatchEvent(new Event('input')); })()"
    )
    assert page.evaluate(f"{API}.cy.$('node.match').map(n => n.data('label'))") == ["planner"]
    shot = tmp_path / "report_map.png"
    data = page.screenshot(shot)
    print(f"screenshot: {shot}")
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (1400, 900)
    assert len(data) > 50_000  # a blank page compresses to a few kilobytes

    # printed, the drawing replaces the map
    page.media("print")
    assert page.evaluate(f"({display})('.map-live')") == "none"
    assert page.evaluate(f"({display})('.map-fallback')") == "block"
    page.media("")


def test_report_without_javascript_shows_the_drawing(
    company_report: Path, browser: Browser
) -> None:
    page = browser.open(company_report, scripts=False)
    display = "(s) => getComputedStyle(document.querySelector(s)).display"
    assert page.evaluate(f"({display})('.map-live')") == "none"
    assert page.evaluate(f"({display})('.map-fallback')") == "block"
    assert_offline(page)
