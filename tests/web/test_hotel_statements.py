"""A hotel's staff see their hotel's statements (what it owes each IKM, what it has paid),
open each with its lines and archived PDF, and record a payment, in part or in full; they
never see another hotel's, by list or by a statement number typed into the address. An
auditor reads them and is refused the payment form."""


import pytest

from consign.context import Context
from consign.services import registry, settlement
from tests.web.conftest import NOW
from tests.web.test_agency_manage import counts, problem_by, reading, text_of
from tests.web.test_agency_manage_periods import cells

SETUP = Context.make("setup", now=NOW)


@pytest.fixture
def issued(august):
    """ATRIA's August closed: 2 × BTK-001 at Rp150.000, 20% commission, net Rp240.000 to
    IKM-0001 (ST-000001); IKM-0001's bank account registered, so that it can be paid."""
    with august.extensions["consign.database"].transaction() as session:
        registry.edit_consignor(session, SETUP, "IKM-0001", bank="BRI", account="0012345678",
                                holder="Pemilik")
        settlement.close_period(session, SETUP, "2020-08", "ATRIA")
    return august


@pytest.fixture
def atria(issued, browser_for):
    browser = browser_for(issued, "hotel:ATRIA")
    browser.get("/hotel/ATRIA/statements?lang=en")
    return browser


def test_the_hotel_lists_its_statements_with_what_it_still_owes(atria):
    page = text_of(atria.get("/hotel/ATRIA/statements"))
    assert "Issued: net Rp240.000, paid Rp0, still owed Rp240.000." in page
    [row] = cells(page)
    assert row[:7] == ["ST-000001", "IKM-0001", "August 2020", "issued", "Rp240.000", "Rp0",
                       "Rp240.000"]
    assert 'href="/hotel/ATRIA/statements/ST-000001"' in page
    assert 'href="/hotel/ATRIA/statements"' in page  # the tab, among the hotel's pages
    assert "No statement matches." in text_of(atria.get("/hotel/ATRIA/statements?status=paid"))
    refused = atria.get("/hotel/ATRIA/statements?period=2020-13")
    assert refused.status_code == 422 and "2020-13" in problem_by(text_of(refused), "period")


def test_a_payment_is_recorded_in_part_then_in_full_and_never_above_what_is_owed(
        issued, atria):
    page = text_of(atria.get("/hotel/ATRIA/statements/ST-000001"))
    assert "Batik tulis Kendedes" in page and 'action="/hotel/ATRIA/statements/ST-000001/pay"' \
        in page
    part = atria.post("/hotel/ATRIA/statements/ST-000001/pay",
                      {"on": "15/12/2020", "ref": "TRF-1", "amount": "Rp100.000"})
    assert part.status_code == 302
    assert part.headers["Location"] == "/hotel/ATRIA/statements/ST-000001"
    page = text_of(atria.get(part.headers["Location"]))
    assert "Recorded a payment of Rp100.000: ST-000001 still owes Rp140.000." in page
    before = counts(issued)
    above = atria.post("/hotel/ATRIA/statements/ST-000001/pay",
                       {"on": "2020-12-15", "ref": "TRF-2", "amount": "200000"})
    assert above.status_code == 409
    assert problem_by(text_of(above), "amount") == (
        "A payment of Rp200.000 is above what statement ST-000001 still owes: Rp140.000.")
    assert counts(issued) == before
    rest = atria.post("/hotel/ATRIA/statements/ST-000001/pay",
                      {"on": "2020-12-15", "ref": "TRF-2", "amount": ""})
    assert rest.status_code == 302
    page = text_of(atria.get(rest.headers["Location"]))
    assert "ST-000001 is paid in full." in page and "Record a payment" not in page
    record = reading(issued, settlement.statement, SETUP, "ST-000001")
    assert (record.status, record.paid, record.owed) == ("paid", 240_000, 0)
    assert [row[3] for row in cells(text_of(atria.get("/hotel/ATRIA/statements")))] == ["paid"]


def test_the_pdf_is_the_one_archived_at_the_close(issued, atria):
    response = atria.get("/hotel/ATRIA/statements/ST-000001.pdf")
    assert response.status_code == 200 and response.headers["Content-Type"] == "application/pdf"
    with issued.extensions["consign.database"].transaction(readonly=True) as session:
        [(_name, archived)] = settlement.statement_pdfs(session, SETUP, "ST-000001", lang="id")
    assert response.get_data() == archived


@pytest.mark.parametrize("address", [
    "/hotel/TUGU/statements/ST-000001", "/hotel/TUGU/statements/ST-000001.pdf",
    "/hotel/ATRIA/statements/ST-000001", "/hotel/ATRIA/statements/ST-000001.pdf",
])
def test_another_hotels_staff_never_see_the_statement_by_any_address(
        issued, browser_for, address):
    tugu = browser_for(issued, "hotel:TUGU")
    response = tugu.get(address)
    assert response.status_code == 404
    assert b"%PDF" not in response.get_data() and b"240.000" not in response.get_data()
    listed = tugu.get("/hotel/TUGU/statements").get_data(as_text=True)
    assert "ST-000001" not in listed and "240.000" not in listed


def test_another_hotels_staff_cannot_pay_it_and_nothing_is_written(issued, browser_for):
    tugu = browser_for(issued, "hotel:TUGU")
    before = counts(issued)
    for address in ("/hotel/TUGU/statements/ST-000001/pay",
                    "/hotel/ATRIA/statements/ST-000001/pay"):
        answer = tugu.post(address, {"on": "2020-12-15", "ref": "X", "amount": ""})
        assert answer.status_code == 404, address
    assert counts(issued) == before


def test_an_auditor_reads_the_hotels_statements_and_is_refused_the_payment(
        issued, browser_for):
    auditor = browser_for(issued, "auditor")
    page = auditor.get("/hotel/ATRIA/statements/ST-000001").get_data(as_text=True)
    assert "240.000" in page and "/pay" not in page
    before = counts(issued)
    answer = auditor.post("/hotel/ATRIA/statements/ST-000001/pay",
                          {"on": "2020-12-15", "ref": "X", "amount": ""})
    assert answer.status_code == 403
    assert counts(issued) == before


def test_the_hotel_settles_its_month_then_closes_it_after_a_confirmation(august, browser_for):
    atria = browser_for(august, "hotel:ATRIA")
    page = text_of(atria.get("/hotel/ATRIA/statements?period=2020-08&lang=en"))
    assert "No statement matches." in page
    assert 'action="/hotel/ATRIA/periods/settle"' in page
    settled = atria.post("/hotel/ATRIA/periods/settle", {"period": "2020-08"})
    assert settled.status_code == 302
    assert settled.headers["Location"] == "/hotel/ATRIA/statements?period=2020-08"
    page = text_of(atria.get(settled.headers["Location"]))
    assert "Settled August 2020 for ATRIA: 1 draft statement." in page
    [row] = cells(page)
    assert row[:5] == ["draft", "IKM-0001", "August 2020", "draft", "Rp240.000"]
    assert "Settle again" in page
    assert 'href="/hotel/ATRIA/periods/close?period=2020-08"' in page
    before = counts(august)
    asked = text_of(atria.get("/hotel/ATRIA/periods/close?period=2020-08"))
    assert "Closing cannot be undone." in asked and 'name="confirm" value="yes"' in asked
    unconfirmed = atria.post("/hotel/ATRIA/periods/close", {"period": "2020-08"})
    assert unconfirmed.status_code == 200 and counts(august) == before
    closed = atria.post("/hotel/ATRIA/periods/close", {"period": "2020-08", "confirm": "yes"})
    assert closed.status_code == 302
    page = text_of(atria.get(closed.headers["Location"]))
    assert "Closed August 2020 for ATRIA: 1 statement issued." in page
    assert "This month is closed: its statements are issued." in page
    assert 'action="/hotel/ATRIA/periods/settle"' not in page
    [row] = cells(page)
    assert row[:4] == ["ST-000001", "IKM-0001", "August 2020", "issued"]
    again = atria.post("/hotel/ATRIA/periods/close", {"period": "2020-08", "confirm": "yes"})
    assert again.status_code == 409
    assert "already closed" in problem_by(text_of(again), "month")


def test_a_month_not_over_is_refused_above_the_month_and_nothing_is_written(
        august, browser_for):
    atria = browser_for(august, "hotel:ATRIA")
    atria.get("/hotel/ATRIA/statements?lang=en")
    before = counts(august)
    early = atria.post("/hotel/ATRIA/periods/close", {"period": "2020-12", "confirm": "yes"})
    assert early.status_code == 409
    assert "before the month is over" in problem_by(text_of(early), "month")
    malformed = atria.post("/hotel/ATRIA/periods/settle", {"period": "2020-13"})
    assert malformed.status_code == 422 and "2020-13" in problem_by(text_of(malformed),
                                                                    "period")
    assert counts(august) == before


@pytest.mark.parametrize(("role", "status"), [
    ("hotel:TUGU", 404), ("auditor", 403), ("consignor:IKM-0001", 403)])
def test_another_hotel_an_auditor_or_an_ikm_can_neither_settle_nor_close_the_hotels_month(
        august, browser_for, role, status):
    browser = browser_for(august, role)
    before = counts(august)
    for address, form in (("/hotel/ATRIA/periods/settle", {"period": "2020-08"}),
                          ("/hotel/ATRIA/periods/close", {"period": "2020-08",
                                                          "confirm": "yes"})):
        assert browser.post(address, form).status_code == status, address
    assert browser.get("/hotel/ATRIA/periods/close?period=2020-08").status_code == status
    assert counts(august) == before


def test_a_month_without_a_commission_rate_tells_the_hotel_to_ask_the_agency(app):
    from sqlalchemy import select

    from consign.models import User
    from consign.services import users
    from tests.web.conftest import FAST, PASSWORD, Browser, sale_without_a_rate

    sale_without_a_rate(app, 8)
    with app.extensions["consign.database"].transaction() as session:
        users.add(session, SETUP, "dewi", "hotel:BARU")
        session.scalar(select(User).where(User.name == "dewi")).password_hash = FAST.hash(
            PASSWORD)
    baru = Browser(app)
    assert baru.log_in("dewi").status_code == 302
    baru.get("/hotel/BARU/statements?lang=en")
    before = counts(app)
    refused = baru.post("/hotel/BARU/periods/settle", {"period": "2020-08"})
    assert refused.status_code == 409
    said = problem_by(text_of(refused), "month")
    assert said.startswith("No commission rate for BARU / IKM-0001 on 2020-08-10")
    assert said.endswith("The agency sets the commission rates: ask it to.")
    assert "/agency/terms" not in text_of(refused) and counts(app) == before


def test_a_month_closed_without_a_statement_shows_as_closed(app, browser_for):
    tugu = browser_for(app, "hotel:TUGU")
    tugu.get("/hotel/TUGU/statements?lang=en")
    closed = tugu.post("/hotel/TUGU/periods/close", {"period": "2020-11", "confirm": "yes"})
    assert closed.status_code == 302
    page = text_of(tugu.get(closed.headers["Location"]))
    assert "Closed November 2020 for TUGU: 0 statements issued." in page
    assert "This month is closed: its statements are issued." in page
    assert 'action="/hotel/TUGU/periods/settle"' not in page
    assert "/hotel/TUGU/periods/close?period=2020-11" not in page
    october = text_of(tugu.get("/hotel/TUGU/statements?period=2020-10"))
    assert "This month is closed" in october  # the months before it are locked too


def paid_once(app) -> int:
    """A payment of Rp100.000 recorded against ST-000001; its id."""
    with app.extensions["consign.database"].transaction() as session:
        return settlement.pay(session, SETUP, "ST-000001", "2020-12-15", "TRF-9",
                              100_000).payment.id


def test_a_payment_entered_by_mistake_is_voided_with_its_reason_and_is_owed_again(
        issued, atria):
    payment = paid_once(issued)
    page = text_of(atria.get("/hotel/ATRIA/statements/ST-000001"))
    void = f'action="/hotel/ATRIA/statements/ST-000001/payments/{payment}/void"'
    assert void in page
    before = counts(issued)
    blank = atria.post(f"/hotel/ATRIA/statements/ST-000001/payments/{payment}/void",
                       {"reason": "  "})
    assert blank.status_code == 422 and counts(issued) == before
    assert 'id="reason-problem"' in text_of(blank) and "<details open>" in text_of(blank)
    done = atria.post(f"/hotel/ATRIA/statements/ST-000001/payments/{payment}/void",
                      {"reason": "salah nominal"})
    assert done.status_code == 302
    assert done.headers["Location"] == "/hotel/ATRIA/statements/ST-000001"
    page = text_of(atria.get(done.headers["Location"]))
    assert "Voided the payment of Rp100.000: ST-000001 owes Rp240.000 again." in page
    assert "Voided: salah nominal" in page and void not in page
    record = reading(issued, settlement.statement, SETUP, "ST-000001")
    assert (record.paid, record.owed) == (0, 240_000)
    again = atria.post(f"/hotel/ATRIA/statements/ST-000001/payments/{payment}/void",
                       {"reason": "sekali lagi"})
    assert again.status_code == 409 and "already voided" in problem_by(text_of(again), "void")


@pytest.mark.parametrize(("role", "address", "status"), [
    ("hotel:TUGU", "/hotel/TUGU/statements/ST-000001/payments/{id}/void", 404),
    ("hotel:TUGU", "/hotel/ATRIA/statements/ST-000001/payments/{id}/void", 404),
    ("hotel:ATRIA", "/hotel/ATRIA/statements/ST-000099/payments/{id}/void", 404),
    ("hotel:ATRIA", "/hotel/ATRIA/statements/ST-000001/payments/9999/void", 404),
    ("auditor", "/hotel/ATRIA/statements/ST-000001/payments/{id}/void", 403),
    ("auditor", "/agency/statements/ST-000001/payments/{id}/void", 403),
    ("hotel:ATRIA", "/agency/statements/ST-000001/payments/{id}/void", 403)])
def test_a_payment_is_voided_by_no_one_else_and_by_no_other_address(
        issued, browser_for, role, address, status):
    payment = paid_once(issued)
    browser = browser_for(issued, role)
    before = counts(issued)
    answer = browser.post(address.format(id=payment), {"reason": "bukan urusan saya"})
    assert answer.status_code == status
    assert counts(issued) == before


def test_the_agency_voids_a_payment_from_its_statement_page(issued, browser_for):
    payment = paid_once(issued)
    agency = browser_for(issued, "admin")
    agency.get("/agency/statements?lang=en")
    done = agency.post(f"/agency/statements/ST-000001/payments/{payment}/void",
                       {"reason": "dobel"})
    assert done.status_code == 302 and done.headers["Location"] == "/agency/statements/ST-000001"
    page = text_of(agency.get(done.headers["Location"]))
    assert "owes Rp240.000 again" in page and "Voided: dobel" in page


@pytest.mark.parametrize(("period", "said"), [
    ("2020-12", "before the month is over"), ("2021-01", "before the month is over"),
    ("2020-09", "close 2020-08 first")])
def test_a_month_that_cannot_close_is_neither_offered_nor_asked_about(
        august, browser_for, period, said):
    atria = browser_for(august, "hotel:ATRIA")
    page = text_of(atria.get(f"/hotel/ATRIA/statements?period={period}&lang=en"))
    assert "/hotel/ATRIA/periods/close?" not in page
    asked = atria.get(f"/hotel/ATRIA/periods/close?period={period}")
    assert asked.status_code == 409
    assert said in problem_by(text_of(asked), "month")
    assert 'name="confirm" value="yes"' not in text_of(asked)


def test_a_closed_months_confirmation_says_it_is_closed(issued, atria):
    asked = atria.get("/hotel/ATRIA/periods/close?period=2020-08")
    assert asked.status_code == 409
    assert "already closed" in problem_by(text_of(asked), "month")
