"""The web app's main flows in a real headless browser (Debian's chromium through
chromium-driver, driven by Selenium, as tests/web/test_browser.py), at 360 px (a phone):
each test types, picks and clicks through the pages as its user would, never posting around
a form, then checks the outcome both on the page and in the database through the services.

- a hotel's clerk counts the shelf, sees the differences before anything is written, and
  records them;
- an IKM's owner downloads a statement's PDF: the very bytes archived at its close;
- the agency settles a hotel's month, closes it after the confirmation and records part of
  a payment;
- the front desk sells by a typed SKU and voids the sale;
- the language switch turns a page to English, and the next page stays English.

One browser for the module; each test has its own copy of the test world (tests/web/
conftest.py, at 12:00 WIB on 15 December 2020) served by a real ``waitress`` on a free
loopback port. Screenshots at 360 px go to $CONSIGN_SCREENSHOTS, else the module's
temporary folder. On SQLite only; skipped, saying why, where there is no browser."""

from __future__ import annotations

import os
import re
import time
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from consign.context import Context
from consign.periods import zone
from consign.services import archive, ledger, registry, settlement
from tests.web.conftest import NOW, PASSWORD, ROLES, real_server
from tests.web.test_browser import _driver

WIDTH = 360  # a phone
SETUP = Context.make("setup", now=NOW)  # the services as the database's owner (full rights)
TZ = zone("Asia/Jakarta")
AUGUST_SALE = datetime(2020, 8, 10, 4, 0, tzinfo=UTC)  # 11:00 WIB on 10 August 2020


# ---- the browser, the server, and what a user does with them -----------------------------

@pytest.fixture(scope="module")
def downloads(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("downloads")


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    folder = Path(os.environ.get("CONSIGN_SCREENSHOTS")
                  or tmp_path_factory.mktemp("screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    print(f"\nscreenshots of the web app: {folder}")
    return folder


@pytest.fixture(scope="module")
def chrome(downloads):
    """One headless Chromium for the module, at a phone's width, saving downloads in
    ``downloads`` without asking."""
    chrome = _driver({
        "download.default_directory": str(downloads),
        "download.prompt_for_download": False,
        "download.directory_upgrade": True,
        "plugins.always_open_pdf_externally": True,
    })
    try:
        yield chrome
    finally:
        chrome.quit()


@pytest.fixture
def driver(chrome):
    """The module's browser as a new visitor: no cookie of an earlier test (every test's
    server is on 127.0.0.1, and cookies are kept by host, whatever the port), at 360 px."""
    chrome.execute_cdp_cmd("Network.clearBrowserCookies", {})
    chrome.set_window_size(WIDTH, 900)
    yield chrome
    chrome.execute_cdp_cmd("Network.clearBrowserCookies", {})


@pytest.fixture
def site(app):
    """The test's own copy of the world (the ``app`` of tests/web/conftest.py: its clock at
    NOW) on a real server in a thread of this process; its address."""
    if not app.extensions["consign.database"].engine.url.drivername.startswith("sqlite"):
        pytest.skip("the browser tests run on SQLite only")
    with real_server(app) as address:
        yield address


def reading(app, service, *args, **kwargs):
    """What a service answers now, read in a transaction of the test's own."""
    with app.extensions["consign.database"].transaction() as session:
        return service(session, *args, **kwargs)


def writing(app, work) -> None:
    with app.extensions["consign.database"].transaction() as session:
        work(session)


def settled(driver) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, 20).until(
        lambda d: d.execute_script("return document.readyState") == "complete")


def go(driver, element) -> None:
    """Click what leads to another page, and wait until that page has replaced this one
    (else the next look could find the old page's elements, gone a moment later). The old
    page is told apart by a mark set on its window: asking whether its element is stale
    can meet the page being replaced, which chromedriver answers with an "unhandled
    inspector error" instead of a stale element."""
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.support.ui import WebDriverWait

    driver.execute_script("window.consignOldPage = true")
    element.click()
    WebDriverWait(driver, 20, ignored_exceptions=(WebDriverException,)).until(
        lambda d: d.execute_script("return window.consignOldPage === undefined "
                                   "&& document.readyState === 'complete'"))


def log_in(driver, site: str, role: str, path: str) -> None:
    """Open ``path``, be sent to the login form, log in as ``role``'s user and land on
    ``path``."""
    from selenium.webdriver.common.by import By

    driver.get(site + path)
    settled(driver)
    assert "/login" in driver.current_url
    driver.find_element(By.ID, "name").send_keys(ROLES[role])
    driver.find_element(By.ID, "password").send_keys(PASSWORD)
    go(driver, driver.find_element(By.CSS_SELECTOR, "form.card button"))
    assert driver.current_url == site + path


def snap(driver, shots: Path, name: str) -> None:
    """The whole page at 360 px, which must not be wider than the phone: the window made as
    tall as the page for the picture, then as it was."""
    width, height = driver.execute_script(
        "return [document.documentElement.scrollWidth, "
        "document.documentElement.scrollHeight]")
    assert width <= WIDTH, f"{name} is {width} px wide, wider than {WIDTH} px"
    driver.set_window_size(WIDTH, height)
    try:
        driver.save_screenshot(str(shots / f"flow-{name}-{WIDTH}.png"))
    finally:
        driver.set_window_size(WIDTH, 900)


def text(element) -> str:
    """An element's text as written, whether or not it is in view (a cell of a table that
    scrolls sideways in its box)."""
    return " ".join(element.get_attribute("textContent").split())


def flash(driver) -> str:
    """What the page says was done (not a shelf's notice of goods past their term)."""
    from selenium.webdriver.common.by import By

    return " ".join(text(found) for found in driver.find_elements(By.CSS_SELECTOR,
                                                                  ".flash.done"))


def row_of(driver, table: str, first: str):
    """The body row of ``table`` (a CSS selector) whose first cell reads ``first``."""
    from selenium.webdriver.common.by import By

    for row in driver.find_elements(By.CSS_SELECTOR, f"{table} tbody tr"):
        if text(row.find_element(By.TAG_NAME, "td")) == first:
            return row
    raise AssertionError(f"no row {first} in {table}")


def cells(row) -> list[str]:
    from selenium.webdriver.common.by import By

    return [text(cell) for cell in row.find_elements(By.TAG_NAME, "td")]


def on_hand(driver, sku: str) -> int:
    return int(cells(row_of(driver, "table.stock", sku))[2].replace(".", ""))


def stock_of(app, hotel: str) -> dict[str, int]:
    rows = reading(app, ledger.stock, hotel=hotel, tz=TZ, now=NOW, ctx=SETUP)
    return {row.sku: row.on_hand for row in rows}


def moves(app, kind: str, **chosen) -> list:
    return reading(app, ledger.movements, TZ, kind=kind, ctx=SETUP, **chosen)


def august_sale(app) -> None:
    """Two units of BTK-001 sold at ATRIA in August at the placement's price, 150,000."""
    writing(app, lambda session: ledger.sell(session, SETUP, "ATRIA", "BTK-001", 2,
                                             at=AUGUST_SALE))


# ---- 1. a stock count --------------------------------------------------------------------

def test_a_clerk_counts_the_shelf_sees_the_differences_first_then_records_them(
        app, site, driver, shots):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    assert stock_of(app, "ATRIA") == {"BTK-001": 10, "BTK-002": 4}
    log_in(driver, site, "hotel:ATRIA", "/hotel/ATRIA/count")
    assert text(driver.find_element(By.TAG_NAME, "h1")) == "Stok opname"
    snap(driver, shots, "count")
    for sku, counted in (("BTK-001", "9"), ("BTK-002", "5")):  # one fewer, one more
        field = row_of(driver, "form table.stock", sku).find_element(By.CSS_SELECTOR,
                                                                      "input.count")
        field.send_keys(counted)
    go(driver, driver.find_element(By.CSS_SELECTOR, "button[name=apply][value=no]"))

    # the differences, shown before anything is written
    assert text(driver.find_element(By.ID, "differences")) == "Selisih dengan buku"
    assert cells(row_of(driver, "table.counted", "BTK-001"))[2:] == ["10", "9", "-1"]
    assert cells(row_of(driver, "table.counted", "BTK-002"))[2:] == ["4", "5", "+1"]
    assert len(driver.find_elements(By.CSS_SELECTOR, "table.counted tbody tr")) == 2
    assert moves(app, "counted", hotel="ATRIA") == []
    assert stock_of(app, "ATRIA") == {"BTK-001": 10, "BTK-002": 4}
    snap(driver, shots, "count-differences")

    liable = Select(driver.find_element(By.ID, "liable"))
    assert liable.first_selected_option.get_attribute("value") == "hotel"
    go(driver, driver.find_element(By.CSS_SELECTOR, "button[name=apply][value=yes]"))

    # recorded as count movements under one note; the shelf shows the new stock
    assert driver.current_url == f"{site}/hotel/ATRIA/shelf"
    found = re.fullmatch(r"Selisih hasil hitung dicatat dengan nota opname (\S+)\.",
                         flash(driver))
    assert found, flash(driver)
    assert on_hand(driver, "BTK-001") == 9
    assert on_hand(driver, "BTK-002") == 5
    counted = {movement.sku: movement for movement in moves(app, "counted", hotel="ATRIA")}
    assert {sku: movement.qty for sku, movement in counted.items()} == {
        "BTK-001": -1, "BTK-002": +1}
    assert {movement.note for movement in counted.values()} == {found.group(1)}
    assert counted["BTK-001"].liable == "hotel"
    assert {movement.actor for movement in counted.values()} == {ROLES["hotel:ATRIA"]}
    assert stock_of(app, "ATRIA") == {"BTK-001": 9, "BTK-002": 5}
    snap(driver, shots, "count-recorded")


# ---- 2. an IKM's owner downloads a statement ---------------------------------------------

def _downloaded(folder: Path, name: str, timeout: float = 20) -> bytes:
    """The file the browser saved as ``name``, once it has finished writing it."""
    path = folder / name
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        partial = list(folder.glob("*.crdownload"))
        if path.exists() and not partial and path.stat().st_size:
            return path.read_bytes()
        time.sleep(0.1)
    raise AssertionError(f"the browser saved no {name} in {folder}: {os.listdir(folder)}")


def test_an_owner_downloads_the_pdf_of_a_statement_exactly_as_archived(
        app, site, driver, shots, downloads):
    from pypdf import PdfReader
    from selenium.webdriver.common.by import By

    august_sale(app)
    writing(app, lambda session: settlement.close_period(session, SETUP, "2020-08", "ATRIA"))
    [issued] = reading(app, settlement.list_statements, SETUP, "2020-08", "ATRIA")
    assert (issued.consignor, issued.status, issued.net) == ("IKM-0001", "issued", 240_000)

    log_in(driver, site, "consignor:IKM-0001", "/ikm/IKM-0001/statements")
    row = row_of(driver, "table.statements", issued.number)
    assert cells(row)[1:8] == ["ATRIA", "Agustus 2020", "diterbitkan", "Rp240.000", "Rp0",
                               "Rp240.000", "29 Desember 2020"]
    snap(driver, shots, "owner-statements")
    name = f"{issued.number}.pdf"
    link = row.find_element(By.LINK_TEXT, name)
    assert link.get_attribute("href") == f"{site}/ikm/IKM-0001/statements/{name}"
    for old in downloads.glob("*"):
        old.unlink()
    link.click()
    data = _downloaded(downloads, name)

    def archived(session):
        return (archive.find(session, archive.statement_key(issued.number, "id")),
                settlement.statement_pdfs(session, SETUP, issued.number, lang="id"))

    kept, [(kept_name, served)] = reading(app, archived)
    assert data == kept == served and kept_name == name
    assert archive.sha256(data) == issued.pdf_sha256  # as stored at the close
    words = " ".join(page.extract_text() for page in PdfReader(downloads / name).pages)
    assert issued.number in words
    assert "Rp240.000" in words
    assert "Rp300.000" in words and "Rp60.000" in words  # its gross and commission


# ---- 3. the agency settles and closes a month, and records part of a payment -------------

def test_the_agency_settles_a_month_closes_it_after_confirming_and_records_a_part_payment(
        app, site, driver, shots):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import Select

    august_sale(app)
    writing(app, lambda session: registry.edit_consignor(  # where its payments go
        session, SETUP, "IKM-0001", bank="Bank Jatim", account="0021-01-000555-30-1",
        holder="Sri Wahyuni"))
    log_in(driver, site, "admin", "/agency/periods")
    Select(driver.find_element(By.ID, "hotel")).select_by_value("ATRIA")
    # a month field: its month, then (Tab) its year, as Chrome's segmented field takes them
    driver.find_element(By.ID, "period").send_keys("08", Keys.TAB, "2020")
    go(driver, driver.find_element(By.CSS_SELECTOR, "form.card[method=get] button"))
    assert driver.current_url == f"{site}/agency/periods?hotel=ATRIA&period=2020-08"
    assert text(driver.find_element(By.CSS_SELECTOR, "main h2")) == "ATRIA · Agustus 2020"
    snap(driver, shots, "periods-chosen")

    go(driver, driver.find_element(By.CSS_SELECTOR, "form[action$='/periods/settle'] button"))
    assert flash(driver) == "Agustus 2020 untuk ATRIA sudah dihitung: 1 draf laporan."
    # 2 × Rp150.000 = Rp300.000 gross; 20.00% commission Rp60.000; net Rp240.000
    [draft_row] = driver.find_elements(By.CSS_SELECTOR, "table.statements tbody tr")
    assert cells(draft_row)[:9] == ["draf", "ATRIA", "IKM-0001", "Agustus 2020", "draf",
                                    "Rp300.000", "Rp60.000", "Rp0", "Rp240.000"]
    assert ("Draf: bruto Rp300.000, komisi Rp60.000, bersih Rp240.000."
            in text(driver.find_element(By.TAG_NAME, "main")))
    [draft] = reading(app, settlement.list_statements, SETUP, "2020-08", "ATRIA")
    assert (draft.number, draft.status) == (None, "draft")
    assert (draft.gross, draft.commission, draft.net) == (300_000, 60_000, 240_000)
    snap(driver, shots, "periods-settled")

    go(driver, driver.find_element(By.LINK_TEXT, "Tutup buku…"))
    assert "Tutup buku tidak bisa dibatalkan" in text(driver.find_element(By.TAG_NAME,
                                                                           "main"))
    [still] = reading(app, settlement.list_statements, SETUP, "2020-08", "ATRIA")
    assert still.status == "draft"  # asking to close writes nothing
    snap(driver, shots, "periods-close-confirm")
    go(driver, driver.find_element(By.CSS_SELECTOR, "form[action$='/periods/close'] button"))

    assert flash(driver) == "Agustus 2020 untuk ATRIA sudah ditutup: 1 laporan diterbitkan."
    [issued] = reading(app, settlement.list_statements, SETUP, "2020-08", "ATRIA")
    assert issued.status == "issued" and issued.number == "ST-000001"
    assert (issued.gross, issued.commission, issued.net) == (300_000, 60_000, 240_000)
    row = row_of(driver, "table.statements", "ST-000001")
    assert cells(row)[4:11] == ["diterbitkan", "Rp300.000", "Rp60.000", "Rp0", "Rp240.000", "Rp0",
                                "Rp240.000"]
    pdf = row.find_element(By.CSS_SELECTOR, "td.pdf a")
    assert text(pdf) == "ST-000001.pdf"
    assert pdf.get_attribute("href") == f"{site}/agency/statements/ST-000001.pdf"
    assert not driver.find_elements(By.CSS_SELECTOR, "form[action$='/periods/settle']")
    snap(driver, shots, "periods-closed")

    go(driver, row.find_element(By.LINK_TEXT, "ST-000001"))
    assert driver.current_url == f"{site}/agency/statements/ST-000001"
    amount = driver.find_element(By.ID, "amount")
    amount.send_keys("100.000")
    assert driver.find_element(By.ID, "on").get_attribute("value") == "2020-12-15"
    driver.find_element(By.ID, "ref").send_keys("TRF-20201215-01")
    go(driver, driver.find_element(By.CSS_SELECTOR, "form[action$='/pay'] button"))

    assert flash(driver) == ("Pembayaran Rp100.000 sudah dicatat: ST-000001 masih terutang "
                             "Rp140.000.")
    facts = dict(zip((text(term) for term in driver.find_elements(By.CSS_SELECTOR, "dl dt")),
                     (text(value) for value in driver.find_elements(By.CSS_SELECTOR, "dl dd")),
                     strict=True))
    assert (facts["Dibayar"], facts["Masih terutang"]) == ("Rp100.000", "Rp140.000")
    [paid] = reading(app, settlement.list_payments, "ST-000001", ctx=SETUP)
    assert (paid.amount, paid.on, paid.ref, paid.voided) == (
        100_000, date(2020, 12, 15), "TRF-20201215-01", False)
    assert (paid.bank, paid.account, paid.holder) == (
        "Bank Jatim", "002101000555301", "Sri Wahyuni")
    [after] = reading(app, settlement.list_statements, SETUP, "2020-08", "ATRIA")
    assert (after.status, after.paid, after.owed) == ("issued", 100_000, 140_000)
    snap(driver, shots, "statement-part-paid")


# ---- 4. selling and voiding at the front desk --------------------------------------------

def test_the_front_desk_sells_a_typed_sku_and_voids_the_sale_on_a_phone(
        app, site, driver, shots):
    from selenium.webdriver.common.by import By

    log_in(driver, site, "hotel:ATRIA", "/hotel/ATRIA/sell")
    assert driver.execute_script("return window.innerWidth") == WIDTH
    assert on_hand(driver, "BTK-002") == 4
    assert text(driver.find_element(By.CSS_SELECTOR, "p.empty")) == (
        "Belum ada penjualan hari ini.")
    driver.find_element(By.ID, "sku").send_keys("BTK-002")
    quantity = driver.find_element(By.ID, "qty")
    quantity.clear()
    quantity.send_keys("2")
    snap(driver, shots, "sell-typed")
    go(driver, driver.find_element(By.CSS_SELECTOR, "form.card button[type=submit]"))

    # 2 × the placement's price, Rp90.000 = Rp180.000
    assert flash(driver) == "Terjual 2 × BTK-002 seharga Rp180.000 (Rp90.000 per buah)."
    [sale] = driver.find_elements(By.CSS_SELECTOR, "ul.sales li")
    assert text(sale.find_element(By.CSS_SELECTOR, ".line")) == (
        "12.00 BTK-002 2 × Rp90.000 Rp180.000")
    assert on_hand(driver, "BTK-002") == 2
    [sold] = moves(app, "sold", hotel="ATRIA")
    assert (sold.sku, sold.qty, sold.unit_price, sold.at, sold.in_force) == (
        "BTK-002", -2, 90_000, NOW, True)
    assert stock_of(app, "ATRIA")["BTK-002"] == 2
    snap(driver, shots, "sell-sold")

    sale.find_element(By.TAG_NAME, "summary").click()
    sale.find_element(By.NAME, "reason").send_keys("tamu batal membeli")
    snap(driver, shots, "sell-void-asked")
    go(driver, sale.find_element(By.CSS_SELECTOR, "button.danger"))

    assert flash(driver) == "Penjualan 2 × BTK-002 dibatalkan."
    [voided] = driver.find_elements(By.CSS_SELECTOR, "ul.sales li")
    assert "voided" in voided.get_attribute("class").split()
    assert text(voided.find_element(By.CSS_SELECTOR, ".tag")) == "dibatalkan"
    assert not voided.find_elements(By.TAG_NAME, "form")  # a void is not voided here
    assert on_hand(driver, "BTK-002") == 4
    [sold] = moves(app, "sold", hotel="ATRIA")
    [reversal] = moves(app, "reversal", hotel="ATRIA")
    assert sold.in_force is False and sold.reversed_by == reversal.id
    assert (reversal.reverses, reversal.qty, reversal.reason) == (
        sold.id, 2, "tamu batal membeli")
    assert stock_of(app, "ATRIA")["BTK-002"] == 4
    snap(driver, shots, "sell-voided")


# ---- 5. the language switch --------------------------------------------------------------

def test_the_english_link_turns_the_page_to_english_and_the_next_page_stays_english(
        site, driver, shots):
    from selenium.webdriver.common.by import By

    def page():
        return (driver.find_element(By.TAG_NAME, "html").get_attribute("lang"),
                text(driver.find_element(By.TAG_NAME, "h1")))

    driver.get(f"{site}/login")
    settled(driver)
    assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "id"
    log_in(driver, site, "hotel:ATRIA", "/hotel/ATRIA/shelf")
    assert page() == ("id", "Rak")
    assert text(driver.find_element(By.CSS_SELECTOR, "th.num")) == "Stok"
    snap(driver, shots, "language-id")

    go(driver, driver.find_element(By.LINK_TEXT, "English"))
    assert driver.current_url == f"{site}/hotel/ATRIA/shelf?lang=en"
    assert page() == ("en", "Shelf")
    assert text(driver.find_element(By.CSS_SELECTOR, "th.num")) == "On hand"
    snap(driver, shots, "language-en")

    go(driver, driver.find_element(By.LINK_TEXT, "Sell"))  # a link without ?lang=
    assert driver.current_url == f"{site}/hotel/ATRIA/sell"
    assert page() == ("en", "Sell")
    assert "Sales today" in text(driver.find_element(By.TAG_NAME, "main"))
    assert driver.find_elements(By.LINK_TEXT, "Bahasa Indonesia")
    snap(driver, shots, "language-en-next")

    go(driver, driver.find_element(By.LINK_TEXT, "Bahasa Indonesia"))
    assert page() == ("id", "Jual")
    go(driver, driver.find_element(By.LINK_TEXT, "Rak"))
    assert page() == ("id", "Rak")
