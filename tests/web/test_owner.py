"""An IKM's owner reads where their goods are, what sold this month, their statements
(downloading each issued one's PDF exactly as archived) and what is due back; another
IKM's pages and documents answer 404 and write nothing.

The module's programme adds, to the shared one: November's sales at ATRIA, closed (one
issued statement, partly paid), and December's sales so far (one of them voided)."""

import hashlib
import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from consign.context import Context
from consign.models import AuditEntry, Document, Movement
from consign.services import ledger, registry, settlement
from tests.web.conftest import NOW, make_app

OWNER, OTHER = "consignor:IKM-0001", "consignor:IKM-0002"


def at(day: int, month: int = 12) -> datetime:
    return datetime(2020, month, day, 4, 0, tzinfo=UTC)  # 11:00 WIB


@pytest.fixture(scope="module")
def owner_app(world_url):
    ctx = Context.make("setup", now=NOW)
    app = make_app(world_url)
    with app.extensions["consign.database"].transaction() as session:
        ledger.sell(session, ctx, "ATRIA", "BTK-001", 2, at=at(10, 11))
        ledger.sell(session, ctx, "ATRIA", "BTK-001", 1, at=at(30, 11))
        for month in ("2020-08", "2020-09", "2020-10", "2020-11"):  # in order
            settlement.close_period(session, ctx, month, "ATRIA")
        registry.edit_consignor(session, ctx, "IKM-0001", bank="BRI", account="0012345678",
                                holder="Pemilik")
        settlement.pay(session, ctx, "ST-000004", "2020-12-15", "TRF-1", 100_000)
        ledger.sell(session, ctx, "ATRIA", "BTK-001", 1, at=at(2))
        ledger.sell(session, ctx, "ATRIA", "BTK-002", 2, at=at(14))
        wrong = ledger.sell(session, ctx, "ATRIA", "BTK-002", 1, at=at(14)).movement
        ledger.void(session, ctx, wrong.id, "salah ketik", at=at(14))
        ledger.sell(session, ctx, "TUGU", "KRP-001", 3, at=at(12))
        settlement.settle(session, ctx, "2020-12", "ATRIA")
    yield app
    app.extensions["consign.database"].dispose()


def written(app) -> tuple[int, int, int]:
    with app.extensions["consign.database"].transaction(readonly=True) as session:
        return tuple(session.scalar(select(func.count()).select_from(table))
                     for table in (Movement, AuditEntry, Document))


def cells(page: str, table: str) -> list[list[str]]:
    """The text of each body row's cells of the page's table of class ``table``."""
    body = re.search(rf'<table class="{table}">.*?<tbody>(.*?)</tbody>', page, re.S).group(1)
    return [[re.sub(r"<[^>]+>", "", cell).strip()
             for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
            for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)]


@pytest.fixture(scope="module")
def owner(owner_app):
    from tests.web.conftest import ROLES, Browser

    browser = Browser(owner_app)
    assert browser.log_in(ROLES[OWNER]).status_code == 302
    return browser


def test_the_home_shows_each_shelf_and_links_every_owner_page(owner):
    page = owner.get("/ikm/IKM-0001/").get_data(as_text=True)
    assert [row[:4] for row in cells(page, "stock")] == [
        ["ATRIA", "BTK-001", "Batik tulis Kendedes masa pajang berakhir 1 November 2020", "6"],
        ["ATRIA", "BTK-002", "Selendang batik", "2"]]
    for link in ("/ikm/IKM-0001/sales", "/ikm/IKM-0001/statements", "/ikm/IKM-0001/due"):
        assert f'href="{link}"' in page
        assert owner.get(link).status_code == 200


def test_this_months_sales_at_every_hotel_with_their_totals(owner):
    page = owner.get("/ikm/IKM-0001/sales").get_data(as_text=True)
    # November's sales are not this month's; the voided sale and IKM-0002's are not shown
    assert cells(page, "month-sales") == [
        ["14 Desember 2020", "ATRIA", "BTK-002", "2", "Rp180.000"],
        ["2 Desember 2020", "ATRIA", "BTK-001", "1", "Rp150.000"]]
    assert "3 unit terjual seharga Rp330.000." in page
    assert "KRP-001" not in page and "TUGU" not in page


def test_the_statements_with_their_status_payments_and_due_dates(owner):
    page = owner.get("/ikm/IKM-0001/statements").get_data(as_text=True)
    rows = cells(page, "statements")
    november = next(row for row in rows if row[0] == "ST-000004")
    assert november[:8] == ["ST-000004", "ATRIA", "November 2020", "diterbitkan", "Rp360.000",
                            "Rp100.000", "Rp260.000", "29 Desember 2020"]
    assert november[8].split() == ["ST-000004.pdf", "dalam", "bahasa", "Inggris"]
    draft = next(row for row in rows if row[0] == "draf")
    assert draft[2:8] == ["Desember 2020", "draf", "Rp264.000", "Rp0", "Rp0", ""]
    assert "Bersih Rp360.000, dibayar Rp100.000, masih terutang Rp260.000." in page
    # each issued statement's download, and none for the draft
    assert re.findall(r'href="/ikm/IKM-0001/statements/([^"]+)"', page) == [
        f"ST-00000{n}.pdf" for n in range(1, 5)]


def test_the_pdf_is_the_archived_statement_byte_for_byte(owner_app, owner):
    with owner_app.extensions["consign.database"].transaction(readonly=True) as session:
        issued = settlement.statement(session, Context.make("setup", now=NOW), "ST-000004")
    before = written(owner_app)
    response = owner.get("/ikm/IKM-0001/statements/ST-000004.pdf")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Disposition"] == 'attachment; filename="ST-000004.pdf"'
    assert hashlib.sha256(response.get_data()).hexdigest() == issued.pdf_sha256
    assert written(owner_app) == before


def test_the_pdf_in_english_is_the_same_statement_archived_on_first_asking(owner_app, owner,
                                                                            browser_for):
    from io import BytesIO

    from pypdf import PdfReader

    first = owner.post("/ikm/IKM-0001/statements/ST-000004.pdf", {"lang": "en"})
    assert first.status_code == 200
    assert first.headers["Content-Disposition"] == (
        'attachment; filename="ST-000004_en.pdf"')
    words = " ".join(page.extract_text() for page in PdfReader(BytesIO(first.data)).pages)
    assert "ST-000004" in words and "Statement" in words and "Laporan" not in words
    again = owner.post("/ikm/IKM-0001/statements/ST-000004.pdf", {"lang": "en"})
    assert again.data == first.data  # from the archive now
    indonesian = owner.get("/ikm/IKM-0001/statements/ST-000004.pdf").data
    assert indonesian != first.data
    assert owner.post("/ikm/IKM-0001/statements/ST-000004.pdf",
                      {"lang": "fr"}).status_code == 422
    other = browser_for(owner_app, OTHER)
    before = written(owner_app)
    for address in ("/ikm/IKM-0001/statements/ST-000004.pdf",
                    "/ikm/IKM-0002/statements/ST-000004.pdf"):
        assert other.post(address, {"lang": "en"}).status_code == 404, address
    assert written(owner_app) == before


def test_a_draft_has_no_download(owner_app, owner):
    before = written(owner_app)
    for address in ("/ikm/IKM-0001/statements/draft_ATRIA_IKM-0001_2020-12.pdf",
                    "/ikm/IKM-0001/statements/ST-000005.pdf"):
        assert owner.get(address).status_code == 404, address
    assert written(owner_app) == before


def test_what_is_due_back_is_the_goods_past_their_term(owner):
    page = owner.get("/ikm/IKM-0001/due").get_data(as_text=True)
    assert cells(page, "stock") == [
        ["ATRIA", "BTK-001", "Batik tulis Kendedes", "6", "6", "134", "1 November 2020"]]
    assert "6 unit untuk diambil kembali." in page


def test_another_ikms_pages_and_pdfs_answer_404_and_write_nothing(owner_app, browser_for):
    other = browser_for(owner_app, OTHER)
    before = written(owner_app)
    for page in ("/", "/sales", "/statements", "/due", "/statements/ST-000004.pdf"):
        assert other.get(f"/ikm/IKM-0001{page}").status_code == 404, page
    # its own address with another IKM's statement number is no better
    assert other.get("/ikm/IKM-0002/statements/ST-000004.pdf").status_code == 404
    assert other.get("/ikm/IKM-0002/statements").status_code == 200
    assert written(owner_app) == before


def test_the_agency_reads_any_ikms_pages_but_not_a_pdf_under_another_ikm(owner_app,
                                                                           browser_for):
    for role in ("admin", "auditor"):
        browser = browser_for(owner_app, role)
        assert browser.get("/ikm/IKM-0001/statements/ST-000004.pdf").status_code == 200
        assert browser.get("/ikm/IKM-0002/statements/ST-000004.pdf").status_code == 404
        assert "ST-000004" in browser.get("/ikm/IKM-0001/statements").get_data(as_text=True)


def test_indonesian_by_default_and_english_with_the_switch(owner):
    page = owner.get("/ikm/IKM-0001/statements").get_data(as_text=True)
    assert "Laporan" in page and "Masih terutang" in page and "lang=en" in page
    page = owner.get("/ikm/IKM-0001/statements?lang=en").get_data(as_text=True)
    assert "Still owed" in page and "issued" in page and "29 December 2020" in page
    page = owner.get("/ikm/IKM-0001/sales").get_data(as_text=True)  # the cookie keeps it
    assert "3 units sold for Rp330.000." in page
    owner.get("/ikm/IKM-0001/sales?lang=id")
