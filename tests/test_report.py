"""The HTML report: every section and figure, self-contained, escaped, and loaded by a browser."""

from __future__ import annotations

import base64
import html
import re
import shutil
import subprocess
import warnings
from html.parser import HTMLParser
from pathlib import Path

import matplotlib
import networkx as nx
import pytest

import intcust as ic
from intcust.errors import ParameterError, SchemaError
from intcust.report import SECTIONS, render, write_report

matplotlib.use("Agg")

#: Figures each section embeds when the organisation has external customers.
FIGURES = {"critical-path": 1, "sensitivity": 1, "risk": 2, "ona": 1, "network": 1}


class _Page(HTMLParser):
    """Section ids in order, the images of each section, and every URL the page names."""

    def __init__(self) -> None:
        super().__init__()
        self.sections: list[str] = []
        self.images: dict[str, list[str]] = {}
        self.urls: list[str] = []
        self.tags: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.tags.add(tag)
        if tag == "section":
            self.sections.append(a.get("id") or "")
            self.images[self.sections[-1]] = []
        if tag in ("img", "svg") and self.sections:
            self.images[self.sections[-1]].append(a.get("src") or "")
        for key in ("src", "href", "srcset", "action", "data"):
            if a.get(key):
                self.urls.append(a[key] or "")


def parse(page: str) -> _Page:
    p = _Page()
    p.feed(page)
    return p


@pytest.fixture(scope="module")
def company_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("report") / "company report.html"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        write_report(ic.datasets.company(), path, monte_carlo_n=500, seed=1)
    return path


def test_every_section_in_order_with_its_figures(company_report: Path) -> None:
    page = parse(company_report.read_text(encoding="utf-8"))
    assert page.sections == list(SECTIONS)
    counts = {s: len(imgs) for s, imgs in page.images.items() if imgs}
    assert counts == FIGURES
    for imgs in page.images.values():
        for src in imgs:
            assert src.startswith("data:image/png;base64,")
            png = base64.b64decode(src.split(",", 1)[1], validate=True)
            assert png[:8] == b"\x89PNG\r\n\x1a\n"
            assert len(png) > 5_000


def test_self_contained_no_script_no_external_url(company_report: Path) -> None:
    text = company_report.read_text(encoding="utf-8")
    page = parse(text)
    assert not {"script", "link", "iframe", "object", "embed"} & page.tags
    for url in page.urls:
        assert url.startswith(("data:image/png;base64,", "#")), url[:80]
    assert re.search(r"(https?:|ftp:)//", text) is None
    assert "@import" not in text and "url(" not in text


def test_content_of_company_sections(company_report: Path) -> None:
    text = company_report.read_text(encoding="utf-8")
    G = ic.datasets.company()
    top = ic.bottlenecks(G, top=1).rows[0]
    bottlenecks = text.split('id="bottlenecks"')[1].split("<section")[0]
    assert f"<td>{top.node}</td>" in bottlenecks and html.escape(top.reasons[0]) in bottlenecks
    path = ic.sim.schedule(G).critical_path()
    critical = text.split('id="critical-path"')[1].split("<section")[0]
    assert all(f"<td>{n}</td>" in critical for n in path)
    risk = text.split('id="risk"')[1].split("<section")[0]
    assert "P(on time)" in risk and "retail customers" in risk
    ona = text.split('id="ona"')[1].split("<section")[0]
    for heading in ("Brokerage", "Structural holes", "E-I", "Krackhardt"):
        assert heading in ona
    assert text.count("no external customer") == 0


def no_customer_org() -> nx.DiGraph:
    G = ic.datasets.email_campaign()
    G.nodes["customers"]["kind"] = "team"
    G.nodes["customers"].pop("due", None)
    assert ic.external_customers(G) == []
    return G


def test_no_external_customer_still_renders_and_says_why() -> None:
    page_text = render(no_customer_org(), monte_carlo_n=50)
    page = parse(page_text)
    assert page.sections == list(SECTIONS)
    for ident in ("critical-path", "sensitivity", "risk"):
        part = page_text.split(f'id="{ident}"')[1].split("<section")[0]
        assert "no external customer" in part
        assert "kind=&#x27;external&#x27;" in part
        assert page.images[ident] == []
    assert len(page.images["network"]) == 1 and len(page.images["ona"]) == 1


def test_user_strings_are_escaped() -> None:
    G = ic.org_graph(name="<Acme & Co>", time_unit="day")
    evil = "<script>alert('x')</script>"
    ic.add_stakeholder(G, evil, kind="person", unit='R&D "lab"', work=2)
    ic.add_stakeholder(G, "b<i>", kind="person", unit="<u>", work=1)
    ic.add_stakeholder(G, "buyer", kind="external", due=5)
    ic.add_service(G, evil, "b<i>", deliverable="<img src=x onerror=alert(1)>")
    ic.add_service(G, "b<i>", "buyer", deliverable="goods")
    text = render(G, monte_carlo_n=50, title="Report <b>bold</b>")
    assert "<script" not in text and "<img src=x" not in text and "<b>bold" not in text
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in text
    assert "<title>Report &lt;b&gt;bold&lt;/b&gt;</title>" in text
    assert "R&amp;D &quot;lab&quot;" in text
    assert parse(text).sections == list(SECTIONS)


def test_same_seed_same_page_other_seed_other_risk() -> None:
    G = ic.datasets.email_campaign()
    a = render(G, monte_carlo_n=200, seed=4)
    b = render(G, monte_carlo_n=200, seed=4)
    c = render(G, monte_carlo_n=200, seed=5)
    assert a == b

    def risk(t: str) -> str:
        return t.split('id="risk"')[1].split("<figure")[0]

    assert risk(a) != risk(c)
    assert "seed 4" in a and "200 scenarios" in a


def test_top_limits_ranked_tables() -> None:
    G = ic.datasets.hotel()
    assert len(ic.bottlenecks(G)) > 3
    text = render(G, monte_carlo_n=50, top=3)
    bottlenecks = text.split('id="bottlenecks"')[1].split("<section")[0]
    assert bottlenecks.count("<tr>") == 1 + 3
    assert "more not shown" in text


@pytest.mark.parametrize(
    ("kwargs", "param"),
    [
        ({"monte_carlo_n": 0}, "monte_carlo_n"),
        ({"top": 0}, "top"),
        ({"seed": -1}, "seed"),
        ({"seed": 1.5}, "seed"),
        ({"title": 3}, "title"),
    ],
)
def test_bad_options_name_the_parameter(kwargs: dict[str, object], param: str) -> None:
    with pytest.raises(ParameterError, match=f"'{param}' parameter of render"):
        render(ic.datasets.email_campaign(), **kwargs)  # type: ignore[arg-type]


def test_bad_organisation() -> None:
    with pytest.raises(ParameterError, match=r"networkx\.DiGraph"):
        render(nx.Graph())  # type: ignore[arg-type]
    G = ic.datasets.email_campaign()
    G.nodes["designer"]["work"] = -2
    with pytest.raises(SchemaError, match="designer"):
        render(G)


# --- the page in a real browser ---------------------------------------------------------


def _chromium() -> str | None:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").is_file() else None


CHROMIUM = _chromium()

_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--enable-logging=stderr",
    "--v=0",
)


def _browse(url: str, profile: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    return subprocess.run(
        [CHROMIUM, *_FLAGS, f"--user-data-dir={profile}", *extra, url],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


def _console(stderr: str) -> list[str]:
    """Messages the page wrote to the browser console (Chromium logs them as CONSOLE lines)."""
    return [line for line in stderr.splitlines() if ":CONSOLE" in line]


@pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium not installed (Debian: chromium)")
def test_console_detection_works(tmp_path: Path) -> None:
    bad = tmp_path / "bad.html"
    bad.write_text("<!DOCTYPE html><p>x</p><script>console.error('boom'); nope();</script>")
    run = _browse(bad.as_uri(), tmp_path / "profile", "--dump-dom")
    assert run.returncode == 0, run.stderr[-2000:]
    logged = _console(run.stderr)
    assert any("boom" in line for line in logged)
    assert any("ReferenceError" in line for line in logged)


@pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium not installed (Debian: chromium)")
def test_report_in_headless_chromium(company_report: Path, tmp_path: Path) -> None:
    url = company_report.resolve().as_uri()
    shot = tmp_path / "report.png"
    run = _browse(url, tmp_path / "profile", f"--screenshot={shot}", "--window-size=1280,4000")
    assert run.returncode == 0, run.stderr[-2000:]
    assert _console(run.stderr) == []
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (1280, 4000)
    assert len(data) > 50_000  # a blank page compresses to a few kilobytes

    dom_run = _browse(url, tmp_path / "profile", "--dump-dom")
    assert dom_run.returncode == 0, dom_run.stderr[-2000:]
    assert _console(dom_run.stderr) == []
    dom = parse(dom_run.stdout)
    assert dom.sections == list(SECTIONS)
    assert {s: len(imgs) for s, imgs in dom.images.items() if imgs} == FIGURES
