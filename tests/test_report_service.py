"""The report's service standards and recognition sections: present with a survey or a log."""

from __future__ import annotations

import re
from pathlib import Path

import matplotlib
import pytest

import intcust as ic
from intcust.cli import main
from intcust.graph.datasets.hospitality_records import TICKET_COLUMNS
from intcust.report import SECTIONS, render
from intcust.report._service import SERVICE_SECTIONS

matplotlib.use("Agg")
pytest.importorskip("pandas")


def _ids(page: str) -> list[str]:
    return re.findall(r'<section id="([^"]+)">', page)


def _section(page: str, ident: str) -> str:
    return page.split(f'<section id="{ident}">')[1].split("</section>")[0]


@pytest.fixture(scope="module")
def hotel_page() -> str:
    G = ic.datasets.hotel()
    survey = ic.metrics.read_survey(ic.datasets.hotel_survey(), G=G)
    log = ic.from_tickets(
        ic.datasets.hotel_tickets(), level="unit", time_unit="hour", **TICKET_COLUMNS
    )
    return render(G, monte_carlo_n=200, survey=survey, log=log)


def test_the_sections_come_before_the_network(hotel_page):
    assert _ids(hotel_page) == [*SECTIONS[:-1], *SERVICE_SECTIONS, SECTIONS[-1]]
    assert 'href="#service-standards"' in hotel_page and 'href="#recognition"' in hotel_page


def test_without_a_survey_or_a_log_the_page_is_unchanged():
    page = render(ic.datasets.hotel(), monte_carlo_n=100)
    assert _ids(page) == list(SECTIONS)


def test_service_standards_show_the_catalogue(hotel_page):
    text = _section(hotel_page, "service-standards")
    assert "single point of failure" in text and "PMS access" in text
    assert "2 services measured from the log" in text
    # single points of failure first, the least compliant of them first
    first = re.search(r"<tbody><tr><td>([^<]+)</td><td>([^<]+)</td>", text)
    assert first is not None and first.groups() == ("IT", "PMS access")


def test_recognition_names_the_hidden_contributors(hotel_page):
    text = _section(hotel_page, "recognition")
    assert "team of the month" in text and "definition and source" in text
    assert "Hidden contributors" in text
    assert "IT: of the 240 units of volume the customers receive" in text
    assert "serves 1 internal customer;" in text and "serves 2 internal customers;" in text


def test_counts_are_written_out_never_as_plural_hedges(hotel_page):
    visible = re.sub(r"<script.*?</script>", "", hotel_page, flags=re.S)
    assert "(s)" not in visible


def test_the_cli_report_on_the_hotel_example_shows_them(tmp_path: Path):
    out = tmp_path / "hotel.html"
    assert main(["report", "--example", "hotel", "-o", str(out), "--monte-carlo", "100"]) == 0
    assert set(SERVICE_SECTIONS) <= set(_ids(out.read_text(encoding="utf-8")))
    plain = tmp_path / "company.html"
    assert main(["report", "--example", "company", "-o", str(plain), "--monte-carlo", "100"]) == 0
    assert not set(SERVICE_SECTIONS) & set(_ids(plain.read_text(encoding="utf-8")))
    survey = tmp_path / "survey.csv"
    survey.write_text("customer,supplier,score\nsales ops,credit controller,2\n", encoding="utf-8")
    args = ["report", "--example", "company", "-o", str(plain), "--monte-carlo", "100"]
    assert main([*args, "--survey", str(survey)]) == 0
    assert set(SERVICE_SECTIONS) <= set(_ids(plain.read_text(encoding="utf-8")))
