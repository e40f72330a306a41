"""The agency's dashboard: the programme report's headline figures for a month (this
month by default) or a range, its charts as SVG images drawn by the report's own
reportlab code, the report itself as a PDF; a refused month is shown by its field.

The programme (tests/web/conftest.py) is given, once for the module, sales in December
2020: 2 × BTK-001 at ATRIA at Rp150.000 (Rp300.000) and 5 × KRP-001 at TUGU at Rp20.000
(Rp100.000), and one in October at ATRIA (1 × BTK-001, Rp150.000). Commission 20%:
December's gross Rp400.000, commission Rp80.000, net Rp320.000; both IKM are craft."""

import io
import re
from datetime import UTC, datetime
from xml.etree import ElementTree

import pytest
from pypdf import PdfReader

from consign.context import Context
from consign.services import ledger
from tests.web.conftest import NOW, sale_without_a_rate

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def programme(world_app):
    ctx = Context.make("setup", now=NOW)
    with world_app.extensions["consign.database"].transaction() as session:
        ledger.sell(session, ctx, "ATRIA", "BTK-001", 1, at=datetime(2020, 10, 5, 5, tzinfo=UTC))
        ledger.sell(session, ctx, "ATRIA", "BTK-001", 2, at=datetime(2020, 12, 10, 5, tzinfo=UTC))
        ledger.sell(session, ctx, "TUGU", "KRP-001", 5, at=datetime(2020, 12, 11, 5, tzinfo=UTC))
    return world_app


@pytest.fixture
def agency(programme, browser_for):
    return browser_for(programme, "admin")


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def figures(html: str) -> dict[str, str]:
    return dict(re.findall(r'<span class="label">([^<]+)</span> <span class="value">([^<]+)'
                           r'</span>', html))


def test_the_dashboard_shows_this_months_headline_figures(agency):
    html = agency.get("/agency/?lang=en").get_data(as_text=True)
    assert figures(html) == {
        "IKM selling": "2", "Hotels active": "2", "Gross sales": "Rp400.000",
        "Hotel commission": "Rp80.000", "Net to IKM": "Rp320.000",
        "Paid out to IKM": "Rp0", "Overdue": "Rp0"}
    assert "The programme in December 2020" in text(html)
    # top hotels: ATRIA first with 75% of the gross, TUGU 25%
    ranked = re.findall(r'<td class="goods">(\d)\. <a href="/hotel/(\w+)/shelf">', html)
    assert ranked == [("1", "ATRIA"), ("2", "TUGU")]
    assert "Rp300.000</td><td class=\"num\">75%" in html
    assert "Rp100.000</td><td class=\"num\">25%" in html
    # one month: the sales chart draws the twelve months up to it; the charts are in the
    # page itself, each the very SVG its own address serves
    images = inline_charts(html)
    assert len(images) == 4
    assert images[0] == agency.get("/agency/charts/sales.svg?period=2020-01&to=2020-12").data
    assert images[1] == agency.get("/agency/charts/share.svg?period=2020-12").data
    assert images[2] == agency.get("/agency/charts/hotels.svg?period=2020-12").data
    assert images[3] == agency.get("/agency/charts/ikm.svg?period=2020-12").data


def inline_charts(html: str) -> list[bytes]:
    import base64

    return [base64.b64decode(found) for found in
            re.findall(r'<img src="data:image/svg\+xml;base64,([^"]+)"', html)]


def test_a_range_of_months_adds_up_its_months(agency):
    html = agency.get("/agency/?period=2020-10&to=2020-12&lang=en").get_data(as_text=True)
    assert figures(html)["Gross sales"] == "Rp550.000"
    assert figures(html)["Hotel commission"] == "Rp110.000"
    sales = agency.get("/agency/charts/sales.svg?period=2020-10&to=2020-12&lang=en").data
    assert inline_charts(html)[0] == sales
    assert "October–December 2020" in text(html)


def test_each_chart_is_an_svg_drawn_by_the_report_without_inline_styles(agency):
    response = agency.get("/agency/charts/sales.svg?period=2020-10&to=2020-12")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "image/svg+xml"
    data = response.get_data(as_text=True)
    assert " style=" not in data  # presentation attributes: nothing the CSP forbids
    root = ElementTree.fromstring(data.encode())
    assert root.tag == f"{SVG}svg" and float(root.get("width")) > 0
    words = [t.text for t in root.iter(f"{SVG}text")]
    assert {"Okt 2020", "Nov 2020", "Des 2020"} <= set(words)
    assert "Rp400 rb" in words and "Rp150 rb" in words  # each bar's total over it
    fills = {r.get("fill") for r in root.iter(f"{SVG}rect")}
    assert "rgb(14%,22%,36%)" in fills  # the report's colour of the craft sector, #243A5E
    hotels = agency.get("/agency/charts/hotels.svg?period=2020-12").get_data(as_text=True)
    names = [t.text for t in ElementTree.fromstring(hotels.encode()).iter(f"{SVG}text")]
    assert names == ["1. Hotel Atria Malang", "Rp300 rb", "2. Hotel Tugu Malang", "Rp100 rb"]
    share = agency.get("/agency/charts/share.svg?period=2020-12").get_data(as_text=True)
    assert "100%" in share
    nothing = agency.get("/agency/charts/ikm.svg?period=2020-11&lang=en").get_data(as_text=True)
    assert "No sales in this period yet." in nothing


def test_the_programme_report_downloads_as_the_command_line_writes_it(agency):
    response = agency.get("/agency/report.pdf?period=2020-12")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    assert 'filename="programme-2020-12.pdf"' in response.headers["Content-Disposition"]
    pages = PdfReader(io.BytesIO(response.get_data())).pages
    words = " ".join(page.extract_text() for page in pages)
    assert "Rp400.000" in words and "Rp80.000" in words
    assert "LAPORAN PROGRAM" in words


@pytest.mark.parametrize(("address", "field", "value"), [
    ("/agency/?period=2020-13", "period", "2020-13"),
    ("/agency/?period=2020-12&to=2020-11", "to", "2020-11"),
    ("/agency/report.pdf?period=1999-12", "period", "1999-12"),
])
def test_a_month_the_service_refuses_is_shown_by_its_field(agency, address, field, value):
    response = agency.get(address)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    problem = re.search(rf'<p class="problem" id="{field}-problem" role="alert">(.*?)</p>',
                        html, re.S)
    assert problem and value in problem.group(1)
    assert f'value="{value}"' in html  # the form shows what was typed


def test_a_chart_of_a_refused_month_is_refused_as_malformed(agency):
    assert agency.get("/agency/charts/sales.svg?period=2020-13").status_code == 422


@pytest.mark.parametrize("role", ["hotel:TUGU", "consignor:IKM-0002"])
def test_a_hotel_or_an_ikm_sees_no_figure_of_the_programme(programme, browser_for, role):
    browser = browser_for(programme, role)
    for address in ("/agency/", "/agency/charts/hotels.svg", "/agency/report.pdf",
                    "/agency/programme"):
        response = browser.get(address)
        assert response.status_code == 403, address
        assert "ATRIA" not in response.get_data(as_text=True)


def test_a_month_that_cannot_be_computed_is_said_above_the_filters_not_instead_of_them(
        app, browser_for):
    """A sale at a hotel registered without a commission rate: the month cannot be settled,
    so the dashboard and the sales register say why, above their filters, with the tabs
    still there (the terms page among them); another month still opens."""
    sale_without_a_rate(app, 12)
    agency = browser_for(app, "admin")
    for address in ("/agency/?lang=en", "/agency/sales?lang=en"):
        answer = agency.get(address)
        page = answer.get_data(as_text=True)
        assert answer.status_code == 409, address
        assert re.search(r'<p class="problem" id="refusal" role="alert">No commission rate for '
                         r'BARU / IKM-0001 on 2020-12-10: the movements of that day cannot be '
                         r'settled\. <a href="/agency/terms">Set the commission rates on the '
                         r'Terms page\.</a></p>', page), address
        assert 'name="period"' in page and 'href="/agency/terms"' in page
        assert "consign terms set" not in page
    assert agency.get("/agency/sales?period=2020-11").status_code == 200
