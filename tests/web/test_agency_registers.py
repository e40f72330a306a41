"""The agency's registers on the web: what is displayed where, what is past its display
term, what is overdue, shrinkage, sales and the audit log, each with its filters, its
totals and its downloads, the same figures as ``consign audit …``; a refused filter is
shown by its field with the service's sentence, and only the agency reads them.

The programme (tests/web/conftest.py) is given, once for the module, a sale in November
at ATRIA, whose months are then closed (August to November, ST-000001 to ST-000004),
sales in December at both hotels, a loss at ATRIA, a phone number for IKM-0001 and forty
changes of TUGU's address (for the log). Every figure below is worked out by hand from
it:

- ATRIA: BTK-001 10 placed 3 Aug 2020 at Rp150.000; 1 sold 20 Nov, 2 sold 10 Dec: 7 left,
  on display 134 days on 15 Dec (term 90 days, ended 1 Nov). BTK-002 4 placed 1 Dec at
  Rp90.000, 1 lost 12 Dec (hotel liable): 3 left, worth Rp270.000.
- The loss is the hotel's: settled like a sale at the placement price, it is in ATRIA's
  December gross (Rp300.000 sold + Rp90.000 lost = Rp390.000, commission Rp78.000).
- TUGU: KRP-001 30 placed 1 Dec at Rp20.000, 5 sold 11 Dec: 25 left, worth Rp500.000.
- ST-000004 (ATRIA, IKM-0001, 2020-11): gross Rp150.000, commission 20% Rp30.000, net
  Rp120.000, issued 15 Dec 2020, due 29 Dec 2020 (payment term 14 days).
"""

import csv
import io
import re
from datetime import UTC, datetime

import pytest
from openpyxl import load_workbook

from consign.context import Context
from consign.models import AuditEntry
from consign.services import ledger, registry, settlement
from tests.web.conftest import NOW
from tests.web.test_permissions import written


@pytest.fixture(scope="module")
def programme(world_app):
    ctx = Context.make("setup", now=NOW)
    database = world_app.extensions["consign.database"]
    with database.transaction() as session:
        ledger.sell(session, ctx, "ATRIA", "BTK-001", 1,
                    at=datetime(2020, 11, 20, 5, 0, tzinfo=UTC))
        for month in ("2020-08", "2020-09", "2020-10", "2020-11"):  # in order
            settlement.close_period(session, ctx, month, "ATRIA")
        ledger.sell(session, ctx, "ATRIA", "BTK-001", 2,
                    at=datetime(2020, 12, 10, 5, 0, tzinfo=UTC))
        ledger.sell(session, ctx, "TUGU", "KRP-001", 5,
                    at=datetime(2020, 12, 11, 5, 0, tzinfo=UTC))
        ledger.write_off(session, ctx, "ATRIA", "lost", "hotel", "hilang dari rak",
                         [("BTK-002", 1)], at=datetime(2020, 12, 12, 5, 0, tzinfo=UTC))
        registry.edit_consignor(session, ctx, "IKM-0001", phone="0812 3456 7890")
        for number in range(40):  # a log longer than a page, no figure changed
            registry.edit_hotel(session, ctx, "TUGU", address=f"Jl. Tugu No. {number + 1}")
    return world_app


@pytest.fixture
def agency(programme, browser_for):
    return browser_for(programme, "admin")


def page(browser, address, status=200) -> str:
    response = browser.get(address)
    assert response.status_code == status, (address, response.status_code)
    return response.get_data(as_text=True)


def text(html: str) -> str:
    """The page's words, tags and runs of blanks left out."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def rows(html: str, table: int = 0) -> list[list[str]]:
    """The body rows of the page's ``table``-th register table, as the text of cells."""
    found = re.findall(r'<table class="register[^"]*">(.*?)</table>', html, re.S)[table]
    body = re.search(r"<tbody>(.*?)</tbody>", found, re.S).group(1)
    return [[text(cell).strip() for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)]
            for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)]


def csv_rows(response) -> list[dict]:
    data = response.get_data()
    assert data.startswith(b"\xef\xbb\xbf")  # a byte-order mark: a spreadsheet reads UTF-8
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def test_the_placements_register_shows_each_shelf_with_its_value_and_the_past_term_flagged(
        agency):
    html = page(agency, "/agency/placements?lang=en")
    found = rows(html)
    assert [row[:7] for row in found] == [
        ["ATRIA", "IKM-0001 Batik Tulis Celaket", "Crafts", "BTK-001", "Batik tulis Kendedes",
         "7", "Rp1.050.000"],
        ["ATRIA", "IKM-0001 Batik Tulis Celaket", "Crafts", "BTK-002", "Selendang batik", "3",
         "Rp270.000"],
        ["TUGU", "IKM-0002 Keripik Tempe", "Crafts", "KRP-001", "Keripik tempe 250 g", "25",
         "Rp500.000"],
    ]
    assert found[0][7:] == ["3 August 2020", "134", "90", "1 November 2020 past term"]
    assert found[1][8:] == ["14", "90", "1 March 2021"]
    # the past-term row, and the totals of ATRIA and of its sector
    assert html.count('<tr class="due">') == 3
    assert ("As of 15 December 2020: 35 units of 3 products, worth Rp1.820.000."
            in text(html))
    assert rows(html, 1) == [["Hotel Atria Malang ATRIA", "2", "10", "Rp1.320.000", "1"],
                             ["Hotel Tugu Malang TUGU", "1", "25", "Rp500.000", "0"]]
    assert rows(html, 2) == [["Crafts", "3", "35", "Rp1.820.000", "1"]]


def test_a_long_register_shows_its_first_rows_and_says_its_files_hold_every_row(
        agency, monkeypatch):
    """A phone is no place for thousands of rows: past the page's share, the register
    says how many it left out; its totals and its files are still of every row."""
    from consign.web import agency_registers

    monkeypatch.setattr(agency_registers, "SHOWN", 2)
    html = page(agency, "/agency/placements?lang=en")
    assert [row[3] for row in rows(html)] == ["BTK-001", "BTK-002"]
    assert ("The first 2 of 3 rows; the totals are of them all, and the CSV and Excel files "
            "hold every row." in text(html))
    assert ("As of 15 December 2020: 35 units of 3 products, worth Rp1.820.000."
            in text(html))
    every = csv_rows(agency.get("/agency/placements.csv"))
    assert [row["sku"] for row in every] == ["BTK-001", "BTK-002", "KRP-001"]
    monkeypatch.setattr(agency_registers, "SHOWN", 3)
    assert "The first" not in text(page(agency, "/agency/placements?lang=en"))


def test_the_placements_register_is_filtered_by_hotel_ikm_sector_and_day(agency):
    tugu = rows(page(agency, "/agency/placements?hotel=tugu"))
    assert [row[3] for row in tugu] == ["KRP-001"]
    ikm = rows(page(agency, "/agency/placements?consignor=IKM-0001"))
    assert [row[3] for row in ikm] == ["BTK-001", "BTK-002"]
    assert "Nothing is on display" in page(agency, "/agency/placements?sector=fashion&lang=en")
    # at the end of 1 September only the August placement was there, all ten units
    september = rows(page(agency, "/agency/placements?as_of=01/09/2020"))
    assert [row[3:7] for row in september] == [
        ["BTK-001", "Batik tulis Kendedes", "10", "Rp1.500.000"]]


def test_the_aging_register_gives_the_ikm_phone_and_each_hotels_return_request(agency):
    html = page(agency, "/agency/aging?lang=en")
    [row] = rows(html)
    assert row == ["ATRIA", "IKM-0001 Batik Tulis Celaket", "+62 812-3456-7890", "BTK-001",
                   "Batik tulis Kendedes", "7", "7", "Rp1.050.000", "3 August 2020", "134",
                   "1 November 2020"]
    assert 'href="tel:+6281234567890"' in html
    assert ("As of 15 December 2020, past their display term: 7 units worth Rp1.050.000."
            in text(html))
    assert "Hotel Atria Malang ATRIA" in text(html)
    assert "7 units to hand back, worth Rp1.050.000." in text(html)
    # on display for more than 10 days: the December placements at both hotels too
    longer = rows(page(agency, "/agency/aging?days=10"))
    assert [(r[3], r[6]) for r in longer] == [("BTK-001", "7"), ("BTK-002", "3"),
                                             ("KRP-001", "25")]


def test_the_overdue_register_counts_the_days_past_due_and_what_each_hotel_owes(agency):
    assert "No statement is overdue" in page(agency, "/agency/overdue?lang=en")
    html = page(agency, "/agency/overdue?as_of=2021-01-05&lang=en")
    assert rows(html) == [["ST-000004", "ATRIA", "IKM-0001 Batik Tulis Celaket", "2020-11",
                           "15 December 2020", "29 December 2020", "7", "Rp120.000", "Rp0",
                           "Rp120.000"]]
    assert ("As of 5 January 2021: 1 statement overdue, Rp120.000 still owed on it."
            in text(html))
    assert rows(html, 1) == [["Hotel Atria Malang ATRIA", "1", "Rp120.000", "Rp120.000", "0",
                              "-"]]


def test_shrinkage_over_a_range_of_months_by_who_bears_it(agency):
    html = page(agency, "/agency/shrinkage?period=2020-12&lang=en")
    assert rows(html) == [
        ["Hotel Atria Malang ATRIA", "4", "1", "0", "0", "1 Rp90.000", "0 Rp0", "1",
         "Rp90.000", "25.00%"],
        ["Hotel Tugu Malang TUGU", "30", "0", "0", "0", "0 Rp0", "0 Rp0", "0", "Rp0", "0.00%"],
    ]
    assert ("From 2020-12 to 2020-12: 1 unit missing of 34 placed (2.94%), worth Rp90.000."
            in text(html))
    # August to December: BTK-001's placement counts as well
    assert "(2,27%)" in text(page(agency, "/agency/shrinkage?period=2020-08&to=2020-12&lang=id"))


def test_sales_by_hotel_by_sector_and_by_product_over_a_range(agency):
    html = page(agency, "/agency/sales?period=2020-12&lang=en")
    assert [row[:5] for row in rows(html)] == [
        ["Hotel Atria Malang ATRIA", "Rp390.000", "Rp78.000", "Rp312.000", "2"],
        ["Hotel Tugu Malang TUGU", "Rp100.000", "Rp20.000", "Rp80.000", "5"],
    ]
    assert "gross Rp490.000, 7 units sold by 2 IKM." in text(html)
    # November's sale joins in over a range; by sector everything is craft
    both = page(agency, "/agency/sales?period=2020-11&to=2020-12&by=sector&lang=en")
    assert [row[:5] for row in rows(both)] == [
        ["Crafts", "Rp640.000", "Rp128.000", "Rp512.000", "8"]]
    assert rows(both, 1) == [["2020-11", "Rp150.000", "Rp30.000", "Rp120.000", "1", "1"],
                             ["2020-12", "Rp490.000", "Rp98.000", "Rp392.000", "7", "2"]]
    products = rows(page(agency, "/agency/sales?period=2020-12&by=product&hotel=ATRIA"))
    # commission and net are a statement's, not split by product; the loss is BTK-002's
    assert [row[:5] for row in products] == [
        ["Batik tulis Kendedes BTK-001", "Rp300.000", "", "", "2"],
        ["Selendang batik BTK-002", "Rp90.000", "", "", "0"]]


def test_without_a_month_the_registers_open_where_the_dashboard_does(programme, agency):
    """On 1 January, before anything sold in it, the sales and shrinkage registers (and the
    dashboard) open on December, the latest month with a sale, not on an empty month."""
    clock = programme.config["CONSIGN_CLOCK"]
    programme.config["CONSIGN_CLOCK"] = lambda: datetime(2021, 1, 1, 2, 0, tzinfo=UTC)
    try:
        sold = page(agency, "/agency/sales?lang=en")
        lost = page(agency, "/agency/shrinkage?lang=en")
        dashboard = page(agency, "/agency/?lang=en")
    finally:
        programme.config["CONSIGN_CLOCK"] = clock
    assert rows(sold) == rows(page(agency, "/agency/sales?period=2020-12&lang=en"))
    # its files are of the months it shows, whenever they are downloaded
    assert 'href="/agency/sales.xlsx?period=2020-12&amp;to=2020-12"' in sold
    assert "gross Rp490.000, 7 units sold by 2 IKM." in text(sold)
    assert rows(lost) == rows(page(agency, "/agency/shrinkage?period=2020-12&lang=en"))
    assert "December 2020" in text(dashboard)
    # only the last month typed: that month alone, not a range from the opening month
    only_to = agency.get("/agency/sales?to=2020-11&lang=en")
    assert only_to.status_code == 200
    assert rows(page(agency, "/agency/sales?to=2020-11&lang=en")) == rows(
        page(agency, "/agency/sales?period=2020-11&lang=en"))


def test_each_register_downloads_its_tables_as_csv_and_as_a_workbook(agency):
    placed = csv_rows(agency.get("/agency/placements.csv?hotel=TUGU"))
    assert placed == [{"hotel": "TUGU", "consignor": "IKM-0002", "sector": "kriya",
                       "sku": "KRP-001", "name": "Keripik tempe 250 g", "on_hand": "25",
                       "value": "500000", "first_placed": "2020-12-01", "oldest_days": "14",
                       "display_days": "90", "due_on": "2021-03-01", "due_back": "false"}]
    by_hotel = csv_rows(agency.get("/agency/placements.csv?table=by_hotel"))
    assert [(r["key"], r["units"], r["value"]) for r in by_hotel] == [
        ("ATRIA", "10", "1320000"), ("TUGU", "25", "500000")]
    response = agency.get("/agency/sales.xlsx?period=2020-11&to=2020-12")
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="sales-2020-11_2020-12.xlsx"')
    book = load_workbook(io.BytesIO(response.get_data()))
    assert book.sheetnames == ["sales", "total", "months"]
    assert [cell.value for cell in book["total"][2]][2:6] == [640000, 128000, 512000, 8]
    returns = csv_rows(agency.get("/agency/aging.csv?table=returns"))
    assert [(r["hotel"], r["phone"], r["units_due"]) for r in returns] == [
        ("ATRIA", "+6281234567890", "7")]
    assert agency.get("/agency/aging.csv?table=nothing").status_code == 404


@pytest.mark.parametrize(("address", "field", "status", "sentence"), [
    ("/agency/placements?as_of=2020-13-01", "as_of", 422, "2020-13-01"),
    ("/agency/placements?sector=mebel", "sector", 422, "mebel"),
    ("/agency/aging?days=-3", "days", 422, "-3"),
    ("/agency/overdue?hotel=NOWHERE", "hotel", 404, "NOWHERE"),
    ("/agency/shrinkage?period=2020-13", "period", 422, "2020-13"),
    ("/agency/sales?period=2020-12&to=2020-10", "to", 422, "2020-10"),
    ("/agency/sales?by=colour", "by", 422, "colour"),
    ("/agency/sales?consignor=IKM-9999", "consignor", 404, "IKM-9999"),
    ("/agency/sales.xlsx?period=2020-13", "period", 422, "2020-13"),
    ("/agency/log?since=31/02/2020", "since", 422, "31/02/2020"),
    ("/agency/log?record=table:3", "record", 422, "table:3"),
    ("/agency/log?page=0", "page", 422, "0"),
])
def test_a_filter_the_service_refuses_is_shown_by_its_field_and_writes_nothing(
        agency, programme, address, field, status, sentence):
    before = written(programme)
    html = page(agency, address, status)
    problem = re.search(rf'<p class="problem" id="{field}-problem" role="alert">(.*?)</p>',
                        html, re.S)
    assert problem, html
    assert sentence in problem.group(1)
    if field not in ("page",):
        assert 'aria-invalid="true"' in html
    assert written(programme) == before


def test_the_audit_log_is_paged_newest_first(agency, programme):
    with programme.extensions["consign.database"].transaction(readonly=True) as session:
        ids = sorted(session.scalars(AuditEntry.__table__.select().with_only_columns(
            AuditEntry.id)))
    assert len(ids) > 50  # more than a page
    first = page(agency, "/agency/log?lang=en")
    numbers = [int(row[0]) for row in rows(first)]
    assert numbers == ids[::-1][:50]
    assert 'rel="next"' in first and 'rel="prev"' not in first
    second = page(agency, "/agency/log?page=2")
    assert [int(row[0]) for row in rows(second)] == ids[::-1][50:100]
    assert 'rel="prev"' in second
    last = len(ids) // 50 + 1
    assert 'rel="next"' not in page(agency, f"/agency/log?page={last}")


def test_the_audit_log_gives_a_records_history_and_downloads_it(agency):
    html = page(agency, "/agency/log?record=product:BTK-002&lang=en")
    actions = [row[3] for row in rows(html)]
    assert actions == ["lost", "placed", "product.add"]
    found = csv_rows(agency.get("/agency/log.csv?record=product:BTK-002"))
    assert [entry["action"] for entry in found] == ["product.add", "placed", "lost"]
    assert '"reason": "hilang dari rak"' in found[2]["detail"]
    by_nobody = page(agency, "/agency/log?actor=nobody&lang=en")
    assert "No entry on this page" in by_nobody


@pytest.mark.parametrize("role", ["hotel:ATRIA", "consignor:IKM-0001"])
def test_a_hotel_or_an_ikm_cannot_read_a_register_whatever_it_names(programme, browser_for,
                                                                     role):
    browser = browser_for(programme, role)
    for address in ("/agency/placements?hotel=ATRIA", "/agency/aging?consignor=IKM-0001",
                    "/agency/overdue.csv?hotel=ATRIA", "/agency/sales.xlsx",
                    "/agency/log?record=hotel:ATRIA", "/agency/log.csv"):
        response = browser.get(address)
        assert response.status_code == 403, address
        assert "BTK-001" not in response.get_data(as_text=True)
