"""In a real headless browser (Debian's chromium through chromium-driver, driven by
Selenium): a hotel's clerk logs in, sells by typing an SKU, sees the stock fall and voids
the sale. Screenshots of each page at 360 px (a phone) and 1280 px (a desk) are saved in
the folder the test prints ($CONSIGN_SCREENSHOTS, else the test's own temporary folder).
On SQLite only; skipped, saying why, where there is no browser."""

import os
import shutil
from pathlib import Path

import pytest

from tests.web.conftest import PASSWORD, real_server

WIDTHS = (360, 1280)


def _driver(prefs: dict | None = None):
    """Headless Chromium through chromedriver (Chrome ``prefs`` as given), or the test is
    skipped saying what is missing."""
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        pytest.skip("selenium is not installed (pip install -e '.[test]')")
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    if not browser or not driver:
        pytest.skip("no chromium with chromedriver here (apt-get install chromium "
                    "chromium-driver)")
    options = webdriver.ChromeOptions()
    options.binary_location = browser
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
                     "--disable-gpu", "--hide-scrollbars", "--force-device-scale-factor=1",
                     "--lang=id"):
        options.add_argument(argument)
    if prefs:
        options.add_experimental_option("prefs", prefs)
    return webdriver.Chrome(service=Service(driver), options=options)


@pytest.fixture
def served(db_url, world_builder):
    """The web app on a real server in a thread of this process."""
    if not db_url.startswith("sqlite"):
        pytest.skip("the browser test runs on SQLite only")
    from consign.web import create_app

    app = create_app(db_url)
    with real_server(app) as address:
        yield address
    app.extensions["consign.database"].dispose()


@pytest.fixture
def shots(tmp_path):
    folder = Path(os.environ.get("CONSIGN_SCREENSHOTS") or tmp_path / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    print(f"\nscreenshots of the web app: {folder}")
    return folder


def go(driver, element) -> None:
    """Click what leads to another page, and wait until that page has replaced this one
    (else the next look could find the old page's elements, gone a moment later)."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    page = driver.find_element(By.TAG_NAME, "html")
    element.click()
    WebDriverWait(driver, 20).until(expected_conditions.staleness_of(page))
    WebDriverWait(driver, 20).until(
        lambda d: d.execute_script("return document.readyState") == "complete")


def snap(driver, folder: Path, name: str) -> None:
    """The whole page at each width (Chrome's own capture of the full page)."""
    import base64

    for width in WIDTHS:
        driver.set_window_size(width, 900)
        page_width, height = driver.execute_script(
            "return [document.documentElement.scrollWidth, "
            "document.documentElement.scrollHeight]")
        assert page_width <= width, f"{name} is wider than {width} px"
        shot = driver.execute_cdp_cmd("Page.captureScreenshot", {
            "format": "png", "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": 1}})
        (folder / f"{name}-{width}.png").write_bytes(base64.b64decode(shot["data"]))
    driver.set_window_size(WIDTHS[0], 900)


def on_hand(driver, sku: str) -> int:
    from selenium.webdriver.common.by import By

    for row in driver.find_elements(By.CSS_SELECTOR, "table.stock tbody tr"):
        cells = row.find_elements(By.TAG_NAME, "td")
        if cells[0].text == sku:
            return int(cells[2].text.replace(".", ""))
    raise AssertionError(f"{sku} is not on the shelf")


def test_a_clerk_logs_in_sells_by_typed_sku_sees_the_stock_fall_and_voids_it(served, shots):
    from selenium.webdriver.common.by import By

    driver = _driver()
    try:
        driver.set_window_size(WIDTHS[0], 900)
        driver.get(f"{served}/hotel/ATRIA/sell")
        assert "/login" in driver.current_url
        driver.find_element(By.ID, "name").send_keys("citra")
        driver.find_element(By.ID, "password").send_keys("not the password")
        go(driver, driver.find_element(By.CSS_SELECTOR, "form.card button"))
        assert "Nama pengguna atau kata sandi salah." in driver.page_source
        snap(driver, shots, "login-refused")
        driver.find_element(By.ID, "password").send_keys(PASSWORD)
        go(driver, driver.find_element(By.CSS_SELECTOR, "form.card button"))
        assert driver.current_url.endswith("/hotel/ATRIA/sell")
        snap(driver, shots, "sell")
        before = on_hand(driver, "BTK-001")

        driver.find_element(By.ID, "sku").send_keys("btk-001")
        driver.find_element(By.ID, "qty").clear()
        driver.find_element(By.ID, "qty").send_keys("2")
        driver.find_element(By.ID, "receipt").send_keys("R-0042")
        go(driver, driver.find_element(By.CSS_SELECTOR, "form.card button[type=submit]"))
        assert "Terjual 2 × BTK-001" in driver.find_element(By.CSS_SELECTOR, ".flash").text
        assert on_hand(driver, "BTK-001") == before - 2
        [sale] = driver.find_elements(By.CSS_SELECTOR, "ul.sales li")
        assert "Struk R-0042" in sale.text
        snap(driver, shots, "sold")

        sale.find_element(By.TAG_NAME, "summary").click()
        snap(driver, shots, "void-asked")
        sale.find_element(By.NAME, "reason").send_keys("salah scan")
        go(driver, sale.find_element(By.CSS_SELECTOR, "button.danger"))
        assert "dibatalkan" in driver.find_element(By.CSS_SELECTOR, ".flash").text
        [voided] = driver.find_elements(By.CSS_SELECTOR, "ul.sales li.voided")
        assert on_hand(driver, "BTK-001") == before
        snap(driver, shots, "voided")

        go(driver, driver.find_element(By.LINK_TEXT, "Rak"))
        assert driver.find_elements(By.CSS_SELECTOR, "tr.due")
        snap(driver, shots, "shelf")
        go(driver, driver.find_element(By.LINK_TEXT, "English"))
        assert driver.find_element(By.TAG_NAME, "h1").text == "Shelf"
        snap(driver, shots, "shelf-en")
    finally:
        driver.quit()


def at_the_sell_page(driver, served: str) -> None:
    """ATRIA's sell page, logged in as its clerk citra."""
    from selenium.webdriver.common.by import By

    driver.get(f"{served}/hotel/ATRIA/sell")
    driver.find_element(By.ID, "name").send_keys("citra")
    driver.find_element(By.ID, "password").send_keys(PASSWORD)
    go(driver, driver.find_element(By.CSS_SELECTOR, "form.card button"))


def test_a_shown_shelf_price_follows_a_corrected_sku_and_a_typed_price_stays(served):
    """The price field shows the shelf price of the SKU typed; when the clerk corrects the
    SKU, the price shown becomes the new SKU's (never the first one's); a price the clerk
    typed stays as typed; an SKU not on the shelf leaves the field empty (the shelf price
    is the server's to find, or to refuse)."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    driver = _driver()
    try:
        at_the_sell_page(driver, served)
        prices = {option.get_attribute("value"): option.get_attribute("data-price")
                  for option in driver.find_elements(By.CSS_SELECTOR, "#shelf-skus option")}
        first, second = sorted(prices)[:2]
        assert prices[first] != prices[second]
        sku, price = driver.find_element(By.ID, "sku"), driver.find_element(By.ID, "price")

        def typed(text: str) -> str:
            sku.clear()
            sku.send_keys(text, Keys.TAB)
            return price.get_attribute("value")

        assert typed(first.lower()) == prices[first]
        assert typed(second) == prices[second]
        assert typed("NOT-ON-SHELF") == ""
        assert typed(first) == prices[first]
        price.clear()
        price.send_keys("12345")
        assert typed(second) == "12345"
    finally:
        driver.quit()


def test_a_second_tap_on_a_form_already_sent_records_nothing_more(served, db_url):
    """A clerk taps "sell" twice on a slow phone (the second tap 40 ms after the first,
    before the page is replaced): one sale, not two. Back on the page, it sells again."""
    from selenium.webdriver.common.by import By
    from sqlalchemy import func, select

    from consign.db import Database
    from consign.models import Movement

    def sales() -> int:
        database = Database(db_url)
        try:
            with database.transaction(readonly=True) as session:
                return session.scalar(select(func.count()).where(Movement.kind == "sold"))
        finally:
            database.dispose()

    driver = _driver()
    try:
        at_the_sell_page(driver, served)
        before = sales()
        driver.find_element(By.ID, "sku").send_keys("BTK-001")
        page = driver.find_element(By.TAG_NAME, "html")
        driver.execute_script(
            "var b = document.querySelector('form.card button[type=submit]');"
            "b.click(); setTimeout(function () { b.click(); }, 40);")
        from selenium.webdriver.support import expected_conditions
        from selenium.webdriver.support.ui import WebDriverWait

        WebDriverWait(driver, 20).until(expected_conditions.staleness_of(page))
        WebDriverWait(driver, 20).until(
            lambda d: d.execute_script("return document.readyState") == "complete")
        import time

        time.sleep(0.5)  # a second request, had one gone, would be in by now
        assert sales() == before + 1
        driver.find_element(By.ID, "sku").send_keys("BTK-001")
        go(driver, driver.find_element(By.CSS_SELECTOR, "form.card button[type=submit]"))
        assert sales() == before + 2
    finally:
        driver.quit()
