"""In a real headless browser (Debian's chromium through chromium-driver, driven by
Selenium, as tests/web/test_browser.py): the agency's officer logs in, opens the dashboard
of a range with sales and sees its charts, SVG images that the browser has drawn (their
natural size is not nil) under the app's Content-Security-Policy; at 360 px nothing of
the dashboard or of a wide register is wider than the phone (a register's table scrolls
in its own box). Screenshots at 360 px and 1280 px go to $CONSIGN_SCREENSHOTS, else the
test's temporary folder. On SQLite only; skipped, saying why, where there is no browser."""

from datetime import UTC, datetime

from consign.context import Context
from consign.db import Database
from consign.services import ledger
from tests.web import test_browser
from tests.web.conftest import NOW
from tests.web.test_browser import WIDTHS, _driver, go, snap
from tests.web.test_browser_flows import log_in

served, shots = test_browser.served, test_browser.shots  # the same fixtures


def _sales(url: str) -> None:
    database = Database(url)
    ctx = Context.make("setup", now=NOW)
    with database.transaction() as session:
        ledger.sell(session, ctx, "ATRIA", "BTK-001", 2, at=datetime(2020, 11, 10, 5, tzinfo=UTC))
        ledger.sell(session, ctx, "TUGU", "KRP-001", 5, at=datetime(2020, 12, 11, 5, tzinfo=UTC))
    database.dispose()


def test_the_dashboard_draws_its_charts_and_fits_a_phone(served, shots, db_url):
    from selenium.webdriver.common.by import By

    _sales(db_url)
    driver = _driver()
    try:
        driver.set_window_size(WIDTHS[0], 900)
        log_in(driver, served, "admin", "/agency/?period=2020-11&to=2020-12")
        images = driver.find_elements(By.CSS_SELECTOR, "figure.chart img")
        assert len(images) == 4  # sales by month, share by sector, top hotels, top IKM
        for image in images:
            driver.execute_script("arguments[0].scrollIntoView()", image)
        sizes = driver.execute_script(
            "return Array.from(document.querySelectorAll('figure.chart img')).map("
            "i => [i.getAttribute('src'), i.complete, i.naturalWidth, i.naturalHeight])")
        for src, complete, width, height in sizes:
            assert complete and width > 0 and height > 0, src
        for image in images:
            assert image.size["width"] <= WIDTHS[0]
        snap(driver, shots, "agency-dashboard")  # asserts the page fits each width

        go(driver, driver.find_element(By.LINK_TEXT, "Barang terpajang"))
        assert driver.find_elements(By.CSS_SELECTOR, "table.register tr.due")
        box = driver.find_element(By.CSS_SELECTOR, ".scroll")
        table = box.find_element(By.TAG_NAME, "table")
        assert table.size["width"] > box.size["width"]  # wide: it scrolls in its box
        snap(driver, shots, "agency-placements")
    finally:
        driver.quit()


def test_on_a_phone_the_agency_tabs_are_two_lines_that_show_the_page_they_are_on(served,
                                                                                 shots):
    """Fifteen pages in two strips, each one line that scrolls sideways, opened where the
    page's own tab is in view (the last of them too), its strip's name still at the left."""
    from selenium.webdriver.common.by import By

    driver = _driver()
    try:
        driver.set_window_size(WIDTHS[0], 900)
        log_in(driver, served, "admin", "/agency/users")  # the page settled before typing
        strips = driver.find_elements(By.CSS_SELECTOR, "nav.tabs.strip")
        assert len(strips) == 2
        link_height = strips[0].find_element(By.TAG_NAME, "a").size["height"]
        for strip in strips:
            assert strip.size["height"] < 2 * link_height  # one line
        current = driver.find_element(By.CSS_SELECTOR, 'nav.tabs.strip [aria-current="page"]')
        assert current.text == "Pengguna"
        left, right = driver.execute_script(
            "const r = arguments[0].getBoundingClientRect(); return [r.left, r.right]", current)
        name = strips[1].find_element(By.CSS_SELECTOR, ".place")
        assert name.text == "Kelola" and name.location["x"] == 0
        # in view, though last in its strip, and none of it under the strip's name
        assert name.location["x"] + name.size["width"] <= left and right <= WIDTHS[0]
        snap(driver, shots, "agency-users")
        for address, tab in (("/agency/aging", "Lewat masa pajang"),
                             ("/agency/placements", "Barang terpajang")):
            driver.get(f"{served}{address}")
            current = driver.find_element(By.CSS_SELECTOR,
                                          'nav.tabs.strip [aria-current="page"]')
            name = driver.find_element(By.CSS_SELECTOR, "nav.tabs.strip .place")
            left, right = driver.execute_script(
                "const r = arguments[0].getBoundingClientRect(); return [r.left, r.right]",
                current)
            assert current.text == tab
            assert name.size["width"] <= left and right <= WIDTHS[0], address
    finally:
        driver.quit()
