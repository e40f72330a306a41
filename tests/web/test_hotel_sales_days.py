"""A hotel's staff find an earlier day's sales and void one recorded by mistake (with its
reason), from their phone: the day's page lists that day's sales alone, in WIB; a void
there returns to that day; a day to come, or a malformed one, is refused by its field."""

import re
from datetime import UTC, datetime

import pytest

from consign.context import Context
from consign.services import ledger
from tests.web.conftest import NOW
from tests.web.test_hotel import counts, on_hand, sales_today

SETUP = Context.make("setup", now=NOW)


@pytest.fixture
def earlier(app):
    """Sales at ATRIA: 2 × BTK-001 at 23:30 WIB on 13 December (16:30 UTC), 1 × BTK-002 at
    00:10 WIB on 14 December (17:10 UTC on the 13th), and 1 × BTK-001 today."""
    with app.extensions["consign.database"].transaction() as session:
        late = ledger.sell(session, SETUP, "ATRIA", "BTK-001", 2, receipt="R-13",
                           at=datetime(2020, 12, 13, 16, 30, tzinfo=UTC)).movement.id
        early = ledger.sell(session, SETUP, "ATRIA", "BTK-002", 1, receipt="R-14",
                            at=datetime(2020, 12, 13, 17, 10, tzinfo=UTC)).movement.id
        ledger.sell(session, SETUP, "ATRIA", "BTK-001", 1, receipt="R-15")
    return app, late, early


@pytest.fixture
def clerk(app, browser_for):
    return browser_for(app, "hotel:ATRIA")


def test_each_day_lists_its_own_sales_by_the_wib_day(earlier, clerk):
    _app, late, early = earlier
    thirteenth = clerk.get("/hotel/ATRIA/sales?day=2020-12-13").get_data(as_text=True)
    assert sales_today(thirteenth) == [("", str(late))]
    assert "Berlaku: 2 unit, Rp300.000." in thirteenth
    fourteenth = clerk.get("/hotel/ATRIA/sales?day=14/12/2020").get_data(as_text=True)
    assert sales_today(fourteenth) == [("", str(early))]
    today = clerk.get("/hotel/ATRIA/sales").get_data(as_text=True)
    assert len(sales_today(today)) == 1 and "R-15" in today
    assert 'rel="next"' not in today  # nothing after today
    assert 'href="/hotel/ATRIA/sales?day=2020-12-14" rel="prev"' in today
    empty = clerk.get("/hotel/ATRIA/sales?day=2020-11-01").get_data(as_text=True)
    assert "Tidak ada penjualan pada hari itu." in empty
    sell = clerk.get("/hotel/ATRIA/sell").get_data(as_text=True)
    assert 'href="/hotel/ATRIA/sales?day=2020-12-14"' in sell


def test_an_earlier_days_sale_is_voided_there_with_its_reason_and_the_page_returns(
        earlier, clerk):
    app, late, _early = earlier
    before = counts(app)
    refused = clerk.post(f"/hotel/ATRIA/sales/{late}/void", {"reason": " ", "day": "2020-12-13"})
    assert refused.status_code == 422 and counts(app) == before
    text = refused.get_data(as_text=True)
    assert 'id="reason-problem"' in text and "<details open>" in text
    assert "Penjualan 13 Desember 2020" in text  # the day's page, shown again
    done = clerk.post(f"/hotel/ATRIA/sales/{late}/void",
                      {"reason": "salah scan kemarin", "day": "2020-12-13"})
    assert done.status_code == 302
    assert done.headers["Location"] == "/hotel/ATRIA/sales?day=2020-12-13"
    page = clerk.get(done.headers["Location"]).get_data(as_text=True)
    assert sales_today(page) == [("voided", str(late))]
    assert "Penjualan 2 × BTK-001 dibatalkan." in page
    assert "Berlaku: 0 unit, Rp0." in page  # nothing of that day is in force now
    shelf = clerk.get("/hotel/ATRIA/shelf").get_data(as_text=True)
    assert on_hand(shelf, "BTK-001") == 10 - 1  # today's sale alone is left


@pytest.mark.parametrize(("day", "said"), [
    ("2020-12-16", "sesudah hari ini"), ("2020-02-30", "2020-02-30"), ("kemarin", "kemarin")])
def test_a_day_to_come_or_a_malformed_day_is_refused_by_its_field(earlier, clerk, day, said):
    response = clerk.get(f"/hotel/ATRIA/sales?day={day}")
    assert response.status_code == 422
    problem = re.search(r'<p class="problem" id="day-problem">(.*?)</p>',
                        response.get_data(as_text=True), re.S).group(1)
    assert said in problem


@pytest.mark.parametrize(("role", "status"), [
    ("hotel:TUGU", 404), ("auditor", 403), ("consignor:IKM-0001", 403)])
def test_another_hotel_an_auditor_or_an_ikm_neither_see_nor_void_the_days_sales(
        earlier, browser_for, role, status):
    app, late, _early = earlier
    browser = browser_for(app, role)
    page = browser.get("/hotel/ATRIA/sales?day=2020-12-13")
    assert page.status_code == status and b"R-13" not in page.get_data()
    before = counts(app)
    voided = browser.post(f"/hotel/ATRIA/sales/{late}/void",
                          {"reason": "bukan urusan saya", "day": "2020-12-13"})
    assert voided.status_code == status and counts(app) == before


def test_the_first_day_consign_accepts_has_no_day_before(earlier, clerk):
    page = clerk.get("/hotel/ATRIA/sales?day=2000-01-01").get_data(as_text=True)
    assert 'rel="prev"' not in page and 'href="/hotel/ATRIA/sales?day=2000-01-02"' in page
