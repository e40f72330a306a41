"""The error hierarchy answered in one place: its statuses, the CLI's sentence in the page's
language or as JSON, and never a traceback."""

import re

import pytest

from consign import errors
from consign.errors import (
    AlreadyReversed,
    ConsignError,
    EnvironmentFailure,
    Forbidden,
    InsufficientStock,
    InvalidInput,
    InvalidRows,
    MalformedSetting,
    NeverPlaced,
    NotFound,
    PeriodClosed,
    ReceiptConflict,
)
from consign.i18n import msg
from consign.web.errors import status_of
from tests.web.conftest import Browser, make_app

SENTENCE = msg("No hotel with code {code}.", code="NOPE")


@pytest.mark.parametrize(("error", "status"), [
    (NotFound(SENTENCE), 404),
    (Forbidden(SENTENCE), 403),
    (InvalidInput(SENTENCE, field="qty"), 422),
    (MalformedSetting(SENTENCE, field="db"), 422),
    (EnvironmentFailure(SENTENCE), 503),
    (InsufficientStock(SENTENCE), 409),
    (NeverPlaced(SENTENCE), 409),
    (ReceiptConflict(SENTENCE), 409),
    (PeriodClosed(SENTENCE), 409),
    (AlreadyReversed(SENTENCE), 409),
    (ConsignError(SENTENCE), 409),
    (InvalidRows([("f.csv:2", InvalidInput(SENTENCE, field="qty"))]), 422),
    (InvalidRows([("f.csv:2", InsufficientStock(SENTENCE))]), 409),
], ids=lambda value: type(value).__name__ if isinstance(value, Exception) else str(value))
def test_each_kind_of_refusal_has_its_status(error, status):
    assert status_of(error) == status


def test_every_error_class_of_the_hierarchy_maps_to_a_status_of_its_kind():
    for name in dir(errors):
        kind = getattr(errors, name)
        if isinstance(kind, type) and issubclass(kind, ConsignError) and kind is not InvalidRows:
            error = kind(SENTENCE, field="x") if issubclass(kind, InvalidInput) else kind(SENTENCE)
            expected = {1: 409, 2: 422, 3: 503}[error.exit_code]
            if issubclass(kind, Forbidden):
                expected = 403
            if issubclass(kind, NotFound):
                expected = 404
            assert status_of(error) == expected, name


@pytest.fixture
def raising(db_url, world_builder):
    """The app with one more page that raises whatever the test puts in ``raised``."""
    app = make_app(db_url)
    raised = []

    def boom():
        raise raised[0]

    boom.public = True
    app.add_url_rule("/boom", "boom", boom, methods=["GET"])
    app.raised = raised
    yield app
    app.extensions["consign.database"].dispose()


@pytest.mark.parametrize(("error", "status"), [
    (NotFound(SENTENCE, field="hotel"), 404), (Forbidden(SENTENCE), 403),
    (InvalidInput(SENTENCE, field="qty"), 422), (EnvironmentFailure(SENTENCE, field="db"), 503),
    (ReceiptConflict(SENTENCE, field="receipt"), 409),
], ids=["404", "403", "422", "503", "409"])
def test_a_refusal_is_a_page_with_the_clis_sentence_or_json_when_asked(raising, error, status):
    raising.raised.append(error)
    browser = Browser(raising)
    page = browser.get("/boom")
    assert page.status_code == status
    assert SENTENCE.text("id") in page.get_data(as_text=True)
    assert '<html lang="id">' in page.get_data(as_text=True)
    asked = browser.get("/boom", headers={"Accept": "application/json"})
    assert asked.status_code == status
    assert asked.get_json() == {"error": {"message": SENTENCE.text("id"), "field": error.field}}
    english = browser.get("/boom?lang=en")
    assert SENTENCE.text("en") in english.get_data(as_text=True)
    assert SENTENCE.text("en") != SENTENCE.text("id")


def test_an_unexpected_error_is_a_500_page_without_its_details(raising):
    raising.raised.append(RuntimeError("the secret table layout"))
    page = Browser(raising).get("/boom")
    text = page.get_data(as_text=True)
    assert page.status_code == 500
    assert "secret" not in text and "Traceback" not in text and "RuntimeError" not in text
    assert "Tidak ada yang disimpan" in text
    asked = Browser(raising).get("/boom", headers={"Accept": "application/json"})
    assert asked.status_code == 500 and "secret" not in asked.get_data(as_text=True)


def test_an_unknown_address_and_a_wrong_method_get_pages_in_indonesian(raising):
    browser = Browser(raising)
    missing = browser.get("/no/such/page")
    assert missing.status_code == 404 and "Halaman ini tidak ada." in missing.get_data(
        as_text=True)
    wrong = browser.client.put("/login")
    assert wrong.status_code == 405


def test_a_real_refusal_of_a_service_says_the_services_sentence(app, browser_for):
    admin = browser_for(app, "admin")
    page = admin.get("/hotel/NOPE/shelf")
    assert page.status_code == 404
    assert SENTENCE.text("id") in page.get_data(as_text=True)


def test_the_web_app_on_a_missing_database_is_the_environments_failure(tmp_path):
    with pytest.raises(EnvironmentFailure) as failed:
        make_app(f"sqlite:///{tmp_path / 'none.db'}")
    assert failed.value.exit_code == 3 and "none.db" in failed.value.message


@pytest.mark.parametrize("address", [
    "/hotel/" + "A" * 10_000 + "/sell", "/hotel/%00/shelf", "/hotel/AT%1bRIA/sell",
    "/ikm/IKM-0001%E2%80%AE/", "/hotel/ATRIA/sales/99999999999999999999/void",
])
def test_an_odd_address_is_refused_with_a_sentence_never_a_500(app, browser_for, address):
    admin = browser_for(app, "admin")
    response = admin.post(address, {"reason": "x"}) if address.endswith("void") else admin.get(
        address)
    assert response.status_code in (404, 422), response.get_data(as_text=True)[-500:]
    assert "Traceback" not in response.get_data(as_text=True)


def test_a_database_gone_while_serving_is_a_503_that_says_so(app, browser_for, db_url):
    import os

    clerk = browser_for(app, "hotel:ATRIA")
    path = db_url.removeprefix("sqlite:///") if db_url.startswith("sqlite") else None
    if path is None:
        pytest.skip("a SQLite file is what can be taken away here")
    app.extensions["consign.database"].dispose()
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(path + suffix):
            os.replace(path + suffix, path + suffix + ".away")
    response = clerk.get("/hotel/ATRIA/sell")
    page = response.get_data(as_text=True)
    assert response.status_code == 503
    problem = re.search(r'<p class="problem" role="alert">([^<]+)</p>', page).group(1)
    assert "consign db upgrade" in problem and path in problem
    assert "Traceback" not in page


def test_a_page_not_found_says_so_and_sends_a_visitor_to_the_catalogue(world_app, browser_for):
    """A guest who scans the label of goods no longer public reads "not found" (not
    "refused") and is offered the catalogue and the login; a person logged in, the start
    page. The agency's pages refused to a hotel's staff name what was refused."""
    guest = browser_for(world_app, "anonymous")
    page = guest.get("/p/KRP-001").get_data(as_text=True)
    assert "<h1>Tidak ditemukan</h1>" in page
    assert re.findall(r'<a href="(/[^"]*)"', page)[-2:] == ["/katalog", "/login"]
    clerk = browser_for(world_app, "hotel:ATRIA")
    lost = clerk.get("/hotel/TUGU/sell")
    assert lost.status_code == 404
    assert "<h1>Tidak ditemukan</h1>" in lost.get_data(as_text=True)
    assert 'href="/">Kembali ke halaman awal' in lost.get_data(as_text=True)
    refused = clerk.get("/agency/")
    assert refused.status_code == 403
    assert ("Sebagai staf hotel ATRIA, Anda tidak boleh menggunakan halaman Diskopindag."
            in refused.get_data(as_text=True))


def test_an_address_that_is_no_page_still_knows_who_is_logged_in(world_app, browser_for):
    """A mistyped address of a person logged in: the start page and the logout, not the
    guest's login link (and a guest's answer is the guest's)."""
    owner = browser_for(world_app, "consignor:IKM-0001")
    typo = owner.get("/ikm/IKM-0001/nope")
    page = typo.get_data(as_text=True)
    assert typo.status_code == 404 and "<h1>Tidak ditemukan</h1>" in page
    assert 'href="/">Kembali ke halaman awal' in page and 'href="/login"' not in page
    assert 'action="/logout"' in page
    missing = owner.get("/static/nope.css")  # a file, not a page: the same
    assert missing.status_code == 404
    assert 'href="/">Kembali ke halaman awal' in missing.get_data(as_text=True)
    guest = browser_for(world_app, "anonymous").get("/ikm/IKM-0001/nope")
    assert guest.status_code == 404
    assert re.findall(r'<a href="(/[^"]*)"', guest.get_data(as_text=True))[-2:] == [
        "/katalog", "/login"]
