"""A hotel's staff sell, void and look at their shelf; every bad value of a form is shown
next to its field, as typed, and nothing is written."""

import re

import pytest
from sqlalchemy import func, select

from consign.models import AuditEntry, Movement

ATRIA = "hotel:ATRIA"


@pytest.fixture
def clerk(app, browser_for):
    return browser_for(app, ATRIA)


def counts(app) -> tuple[int, int]:
    with app.extensions["consign.database"].transaction(readonly=True) as session:
        return (session.scalar(select(func.count()).select_from(Movement)),
                session.scalar(select(func.count()).select_from(AuditEntry)))


def on_hand(page: str, sku: str) -> int:
    row = re.search(rf'<td class="sku">{sku}</td>.*?<td class="num"[^>]*>([\d.]+)</td>', page,
                    re.S)
    return int(row.group(1).replace(".", ""))


def sales_today(page: str) -> list[str]:
    return re.findall(r'<li class="([^"]*)" id="sale-(\d+)">', page)


def test_a_sale_by_typed_sku_is_listed_at_once_and_the_shelf_falls(app, clerk):
    before = clerk.get("/hotel/ATRIA/shelf").get_data(as_text=True)
    assert on_hand(before, "BTK-001") == 10
    response = clerk.post("/hotel/ATRIA/sell", {"sku": "btk-001 ", "qty": "2", "price": "",
                                               "receipt": "R-0001", "payment": "qris"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/hotel/ATRIA/sell"  # post, redirect, get
    page = clerk.get("/hotel/ATRIA/sell").get_data(as_text=True)
    assert "Terjual 2 × BTK-001 seharga Rp300.000 (Rp150.000 per buah)." in page
    assert len(sales_today(page)) == 1
    assert "2 × Rp150.000" in page and "Struk R-0001" in page and "QRIS" in page
    assert on_hand(clerk.get("/hotel/ATRIA/shelf").get_data(as_text=True), "BTK-001") == 8


def test_the_sell_page_shows_each_goods_shelf_price_and_a_changed_price_is_taken(app, clerk):
    page = clerk.get("/hotel/ATRIA/sell").get_data(as_text=True)
    # BTK-002 was placed at Rp90.000 (its list price is Rp85.000)
    assert 'value="BTK-002" data-price="90000"' in page and "Rp90.000" in page
    clerk.post("/hotel/ATRIA/sell", {"sku": "BTK-002", "qty": "1", "price": "Rp 80.000"})
    page = clerk.get("/hotel/ATRIA/sell").get_data(as_text=True)
    assert "1 × Rp80.000" in page


def test_the_same_receipt_again_changes_nothing_and_says_so(app, clerk):
    sale = {"sku": "BTK-001", "qty": "1", "receipt": "R-7"}
    clerk.post("/hotel/ATRIA/sell", sale)
    before = counts(app)
    clerk.post("/hotel/ATRIA/sell", sale)
    page = clerk.get("/hotel/ATRIA/sell").get_data(as_text=True)
    assert "Struk R-7: 1 × BTK-001 sudah tercatat; tidak ada yang berubah." in page
    assert counts(app) == before and len(sales_today(page)) == 1


def test_a_void_asks_for_a_reason_then_marks_the_sale_and_puts_the_goods_back(app, clerk):
    clerk.post("/hotel/ATRIA/sell", {"sku": "BTK-001", "qty": "3"})
    page = clerk.get("/hotel/ATRIA/sell").get_data(as_text=True)
    [(_state, sale)] = sales_today(page)
    before = counts(app)
    refused = clerk.post(f"/hotel/ATRIA/sales/{sale}/void", {"reason": "   "})
    assert refused.status_code == 422
    assert counts(app) == before
    text = refused.get_data(as_text=True)
    assert 'id="reason-problem"' in text and "<details open>" in text
    done = clerk.post(f"/hotel/ATRIA/sales/{sale}/void", {"reason": "salah scan"})
    assert done.status_code == 302
    page = clerk.get("/hotel/ATRIA/sell").get_data(as_text=True)
    assert sales_today(page) == [("voided", sale)]
    assert "Penjualan 3 × BTK-001 dibatalkan." in page
    assert on_hand(clerk.get("/hotel/ATRIA/shelf").get_data(as_text=True), "BTK-001") == 10
    again = clerk.post(f"/hotel/ATRIA/sales/{sale}/void", {"reason": "sekali lagi"})
    assert again.status_code == 409 and 'id="void-problem"' in again.get_data(as_text=True)


def test_the_shelf_highlights_goods_past_their_display_term(app, clerk):
    page = clerk.get("/hotel/ATRIA/shelf").get_data(as_text=True)
    due = re.findall(r'<tr class="due">\s*<td class="sku">([\w-]+)</td>', page)
    assert due == ["BTK-001"]  # placed 3 August 2020; BTK-002 on 1 December
    assert "masa pajang berakhir 1 November 2020" in page
    assert "1 produk melewati masa pajangnya" in page


def test_an_auditor_reads_the_shelf_but_gets_no_sell_page(app, browser_for):
    auditor = browser_for(app, "auditor")
    assert auditor.get("/hotel/ATRIA/shelf").status_code == 200
    assert auditor.get("/hotel/ATRIA/sell").status_code == 403


@pytest.mark.parametrize("address", ["/hotel/ATRIA/shelf", "/hotel/ATRIA/count",
                                     "/hotel/ATRIA/statements", "/hotel/ATRIA/labels"])
def test_an_ikm_owner_is_told_a_hotels_pages_are_not_for_their_role(app, browser_for, address):
    owner = browser_for(app, "consignor:IKM-0001")
    response = owner.get(f"{address}?lang=en")
    assert response.status_code == 403
    assert "may not use a hotel&#39;s pages" in response.get_data(as_text=True)
