"""The HTML report: every section, figure and the map, offline, escaped, and run in a browser."""

from __future__ import annotations

import base64
import html
import re
import warnings
from html.parser import HTMLParser
from pathlib import Path

import matplotlib
import networkx as nx
import pytest

import intcust as ic
from intcust.errors import ParameterError, SchemaError, WriteError
from intcust.report import SECTIONS, render, write_report

matplotlib.use("Agg")

#: Figures each section embeds when the organisation has external customers.
FIGURES = {"critical-path": 1, "sensitivity": 1, "risk": 2, "ona": 1, "network": 1}


class _Page(HTMLParser):
    """Section ids, images per section, URLs, scripts, and the tables with their headers."""

    def __init__(self) -> None:
        super().__init__()
        self.sections: list[str] = []
        self.images: dict[str, list[str]] = {}
        self.urls: list[str] = []
        self.tags: set[str] = set()
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self.tables: list[tuple[list[str], list[list[str]]]] = []
        self._cell: list[str] | None = None
        self._script: dict[str, str | None] | None = None
        self._head = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.tags.add(tag)
        if tag == "section":
            self.sections.append(a.get("id") or "")
            self.images[self.sections[-1]] = []
        if tag in ("img", "svg") and self.sections:
            self.images[self.sections[-1]].append(a.get("src") or "")
        for key in ("src", "href", "srcset", "action", "data", "poster"):
            if a.get(key):
                self.urls.append(a[key] or "")
        if tag == "script":
            self._script = a
            self.scripts.append((a, ""))
        if tag == "table":
            self.tables.append(([], []))
        if tag == "tr" and self.tables and not self._head:
            self.tables[-1][1].append([])
        if tag == "thead":
            self._head = True
        if tag in ("td", "th"):
            self._cell = []

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            attrs, text = self.scripts[-1]
            self.scripts[-1] = (attrs, text + data)
        if self._cell is not None:
            self._cell.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "thead":
            self._head = False
        if tag == "script":
            self._script = None
        if tag in ("td", "th") and self._cell is not None and self.tables:
            header, rows = self.tables[-1]
            (header if tag == "th" else rows[-1]).append("".join(self._cell).strip())
            self._cell = None

    def column(self, name: str) -> list[str]:
        """Every cell, in every table, under a header called `name`."""
        return [
            row[header.index(name)]
            for header, rows in self.tables
            if name in header
            for row in rows
            if len(row) == len(header)
        ]


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


def test_self_contained_offline_scripts_inline(company_report: Path) -> None:
    from importlib import resources

    from intcust.plot.page import CONTENT_SECURITY_POLICY

    text = company_report.read_text(encoding="utf-8")
    page = parse(text)
    assert not {"link", "iframe", "object", "embed", "base"} & page.tags
    for url in page.urls:
        assert url.startswith(("data:image/png;base64,", "#")), url[:80]
    # four inline scripts: the "js" flag, the map's data, the vendored library, the map
    kinds = [attrs.get("type") for attrs, _ in page.scripts]
    assert kinds == [None, "application/json", None, None]
    assert all("src" not in attrs for attrs, _ in page.scripts)
    library = (resources.files("intcust.plot") / "_vendor" / "cytoscape.min.js").read_text(
        encoding="utf-8"
    )
    assert page.scripts[2][1] == library
    assert f'content="{CONTENT_SECURITY_POLICY}"' in text
    rest = text.replace(library, "")
    assert re.search(r"(https?:|ftp:|wss?:)//", rest) is None
    assert "@import" not in rest and "url(" not in rest


def test_the_map_carries_the_metrics_and_reasons(company_report: Path) -> None:
    import json

    page = parse(company_report.read_text(encoding="utf-8"))
    data = json.loads(page.scripts[1][1])
    G = ic.datasets.company()
    assert data["nodes"]["name"] == list(G)
    names = [m["name"] for m in data["metrics"]]
    for metric in ("volume supplied", "dependence", "betweenness", "criticality"):
        assert metric in names
    assert "critical path step" in names
    top = ic.bottlenecks(G).rows[0]
    assert data["bottlenecks"][str(list(G).index(top.node))]["rank"] == 1


def test_wording(company_report: Path) -> None:
    text = company_report.read_text(encoding="utf-8")
    page = parse(text)
    visible = re.sub(r"<script.*?</script>", "", text, flags=re.S)
    assert "(s)" not in visible
    G = ic.datasets.company()
    key = {
        row[0]: row[1]
        for header, rows in page.tables
        if header == ["organisation", "count"]
        for row in rows
    }
    units = {
        u for n, u in G.nodes(data="unit") if u is not None and G.nodes[n]["kind"] != "external"
    }
    assert key["units"] == str(len(units)) == "6"
    unitless = [
        n for n, u in G.nodes(data="unit") if u is None and G.nodes[n]["kind"] != "external"
    ]
    assert key["stakeholders without a unit"] == str(len(unitless)) == "2"
    # one way to say "no unit", never a dash
    cells = page.column("unit")
    assert cells and "–" not in cells and "" not in cells
    assert "(no unit)" in cells
    krackhardt = text.split("Krackhardt's dimensions")[1].split("</table>")[0]
    assert "1 everywhere" not in krackhardt and "each between 0 and 1" in krackhardt
    assert "65 stakeholders, 207 services, 2 external customers" in text


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
    assert evil not in text and "<img src=x" not in text and "<b>bold" not in text
    assert text.count("<script") == 4 and text.count("</script>") == 4
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in text
    assert "<title>Report &lt;b&gt;bold&lt;/b&gt;</title>" in text
    assert "R&amp;D &quot;lab&quot;" in text
    page = parse(text)
    assert page.sections == list(SECTIONS)
    import json

    data = json.loads(page.scripts[1][1])
    assert data["nodes"]["name"] == [evil, "b<i>", "buyer"]
    assert data["deliverables"] == ["<img src=x onerror=alert(1)>", "goods"]


#: A lone surrogate, as decoding a file name with ``surrogateescape`` leaves one.
LONE = "\udcff"


def surrogate_org() -> nx.DiGraph:
    """Lone surrogates in names, a unit, a role, a deliverable and the organisation's name."""
    G = ic.org_graph(name=f"Acme{LONE}", time_unit="day")
    ic.add_stakeholder(G, f"des{LONE}igner", unit=f"Mark{LONE}eting", role=f"lead{LONE}", work=2)
    ic.add_stakeholder(G, "sender", unit="Sales", work=1)
    ic.add_stakeholder(G, f"cust{LONE}", kind="external", due=5)
    ic.add_service(G, f"des{LONE}igner", "sender", deliverable=f"design{LONE}", sla=1)
    ic.add_service(G, "sender", f"cust{LONE}")
    return G


def test_a_lone_surrogate_in_a_name_is_shown_as_its_escape(tmp_path: Path) -> None:
    """As the command line shows it: the page has no lone surrogate, so it is written as
    UTF-8, and its figures are drawn; the map's data keeps the exact names."""
    import json

    G = surrogate_org()
    text = render(G, monte_carlo_n=50, title=f"Report{LONE}")
    assert re.search("[\ud800-\udfff]", text) is None
    text.encode("utf-8")
    for shown in ("des\\udcffigner", "Mark\\udcffeting", "design\\udcff", "Report\\udcff"):
        assert shown in text, shown
    page = parse(text)
    assert page.sections == list(SECTIONS)
    assert {s: len(i) for s, i in page.images.items() if i} == FIGURES
    data = json.loads(page.scripts[1][1])
    assert data["nodes"]["name"] == list(G)
    assert f"design{LONE}" in data["deliverables"]
    write_report(G, tmp_path / "r.html", monte_carlo_n=50)
    written = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "<title>Acme\\udcff: internal-customer report</title>" in written


def test_every_service_counts_when_an_edge_carries_several() -> None:
    G = ic.datasets.hotel()
    ic.add_service(G, "IT", "accounts", deliverable="IT support", volume=4)
    page = parse(render(G, monte_carlo_n=50))
    key = {
        row[0]: row[1]
        for header, rows in page.tables
        if header == ["organisation", "count"]
        for row in rows
    }
    blocking = int(key["services (blocking)"])
    other = int(key["services (information and feedback)"])
    assert blocking + other == G.number_of_edges() + 1
    delivered = [
        row
        for header, rows in page.tables
        if header[:2] == ["deliverable", "services"]
        for row in rows
    ]
    assert "IT support" in [row[0] for row in delivered]


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
    assert bottlenecks.count("<tr>") == 1 + 3 + 1  # header, three, "… more not shown"
    assert "more not shown" in bottlenecks


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


def test_a_failed_write_leaves_the_previous_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno
    import os

    path = tmp_path / "report.html"
    path.write_bytes(b"<p>the previous report</p>")

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(WriteError, match=r"report\.html: cannot be written: No space left"):
        write_report(ic.datasets.email_campaign(), path, monte_carlo_n=20)
    assert path.read_bytes() == b"<p>the previous report</p>"
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]  # no temporary left
    with pytest.raises(WriteError, match="does not exist"):
        write_report(ic.datasets.email_campaign(), tmp_path / "no" / "r.html", monte_carlo_n=20)
    with pytest.raises(ParameterError, match="'path' parameter of write_report"):
        write_report(ic.datasets.email_campaign(), None)  # type: ignore[arg-type]


# --- every bundled example -------------------------------------------------------------


def _customer_with_a_unit() -> nx.DiGraph:
    G = ic.datasets.hotel()
    G.nodes["guests"]["unit"] = "Front office"  # a paying customer who carries a unit
    return G


EXAMPLES = {name: getattr(ic.datasets, name) for name in ic.datasets.EXAMPLES}
EXAMPLES["hotel with a unit on its customer"] = _customer_with_a_unit


@pytest.mark.parametrize("name", list(EXAMPLES))
def test_every_bundled_example_renders(name: str) -> None:
    import json

    G = EXAMPLES[name]()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        text = render(G, monte_carlo_n=50)
    page = parse(text)
    assert page.sections == list(SECTIONS)
    assert len(page.images["network"]) == 1
    data = json.loads(page.scripts[1][1])
    assert data["nodes"]["name"] == [str(n) for n in G]
    key = {
        row[0]: row[1]
        for header, rows in page.tables
        if header == ["organisation", "count"]
        for row in rows
    }
    units = {
        u
        for n, u in G.nodes(data="unit")
        if u is not None and G.nodes[n].get("kind") != "external"
    }
    assert key["units"] == str(len(units))
    assert "(s)" not in re.sub(r"<script.*?</script>", "", text, flags=re.S)
    customers = [
        row
        for header, rows in page.tables
        if header[:2] == ["external customer", "unit"]
        for row in rows
    ]
    assert [row[0] for row in customers] == [str(c) for c in ic.external_customers(G)]
    for row, c in zip(customers, ic.external_customers(G), strict=True):
        assert row[1] == (
            str(G.nodes[c]["unit"]) if G.nodes[c].get("unit") else "(external customer)"
        )
