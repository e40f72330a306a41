"""The agency settles a hotel's month (the drafts' figures are the service's, computed by
hand here), closes it after a confirmation (once: a closed month stays closed), hands out
each issued statement's PDF exactly as archived, and records its payments, in part or in
full, never above what is owed. An auditor sees it all and is refused every form; a
hotel's staff or an IKM's owner never get the agency's copy of a statement."""

import re

import pytest

from consign.context import Context
from consign.services import archive, registry, settlement
from tests.web.conftest import NOW, sale_without_a_rate
from tests.web.test_agency_manage import counts, problem_by, reading, text_of

SETUP = Context.make("setup", now=NOW)


def cells(page: str) -> list[list[str]]:
    """The text of each body row's cells of the page's first statements table."""
    body = re.search(r'<table class="statements">.*?<tbody>(.*?)</tbody>', page, re.S).group(1)
    return [[re.sub(r"<[^>]+>", "", cell).strip()
             for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
            for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)]


@pytest.fixture
def agency(august, browser_for):
    browser = browser_for(august, "admin")
    browser.get("/agency/periods?lang=en")
    return browser


def test_settling_shows_the_drafts_with_the_figures_the_service_computes(august, agency):
    response = agency.post("/agency/periods/settle", {"hotel": "ATRIA", "period": "2020-08"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/agency/periods?hotel=ATRIA&period=2020-08"
    page = text_of(agency.get(response.headers["Location"]))
    assert "Settled August 2020 for ATRIA: 1 draft statement." in page
    [row] = cells(page)
    # 2 × Rp150.000 = Rp300.000 gross; 20% commission Rp60.000; net Rp240.000
    assert row[:9] == ["draft", "ATRIA", "IKM-0001", "August 2020", "draft", "Rp300.000",
                       "Rp60.000", "Rp0", "Rp240.000"]
    [draft] = reading(august, settlement.list_statements, SETUP, "2020-08", "ATRIA")
    assert (draft.gross, draft.commission, draft.net) == (300_000, 60_000, 240_000)
    assert "Drafts: gross Rp300.000, commission Rp60.000, net Rp240.000." in page
    assert 'href="/agency/periods/close?hotel=ATRIA&amp;period=2020-08"' in page


def test_a_month_that_is_not_over_or_a_hotel_that_is_not_there_is_refused_by_its_field(
        august, agency):
    before = counts(august)
    early = agency.post("/agency/periods/close", {"hotel": "ATRIA", "period": "2020-12",
                                                  "confirm": "yes"})
    assert early.status_code == 409
    assert "before the month is over" in problem_by(text_of(early), "close")
    nowhere = agency.post("/agency/periods/settle", {"hotel": "NOWHERE", "period": "2020-08"})
    assert nowhere.status_code == 404
    assert problem_by(text_of(nowhere), "hotel") == "No hotel with code NOWHERE."
    month = agency.post("/agency/periods/settle", {"hotel": "ATRIA", "period": "2020-13"})
    assert month.status_code == 422 and "2020-13" in problem_by(text_of(month), "period")
    assert counts(august) == before


def test_closing_asks_first_then_issues_the_statements_with_their_archived_pdf(
        august, agency):
    confirm = text_of(agency.get("/agency/periods/close?hotel=ATRIA&period=2020-08"))
    assert "Closing cannot be undone." in confirm
    assert 'name="confirm" value="yes"' in confirm
    before = counts(august)
    unconfirmed = agency.post("/agency/periods/close", {"hotel": "ATRIA", "period": "2020-08"})
    assert unconfirmed.status_code == 200 and "Closing cannot be undone." in text_of(unconfirmed)
    assert counts(august) == before
    done = agency.post("/agency/periods/close", {"hotel": "ATRIA", "period": "2020-08",
                                                 "confirm": "yes"})
    assert done.status_code == 302
    page = text_of(agency.get(done.headers["Location"]))
    assert "Closed August 2020 for ATRIA: 1 statement issued." in page
    [row] = cells(page)
    assert row[0] == "ST-000001" and row[4] == "issued" and row[8:11] == [
        "Rp240.000", "Rp0", "Rp240.000"]
    assert row[11] == "29 December 2020"  # issued on 15 December, paid within 14 days
    assert 'href="/agency/statements/ST-000001.pdf"' in page
    assert "Close the month" not in page  # nothing is left to close
    pdf = agency.get("/agency/statements/ST-000001.pdf")
    assert pdf.status_code == 200
    assert pdf.headers["Content-Type"] == "application/pdf"
    assert pdf.headers["Content-Disposition"] == 'attachment; filename="ST-000001.pdf"'
    stored = reading(august, archive.find, archive.statement_key("ST-000001", "id"))
    assert stored and pdf.get_data() == stored


def test_a_closed_month_cannot_be_closed_again_and_the_service_says_so(august, agency):
    agency.post("/agency/periods/close", {"hotel": "ATRIA", "period": "2020-08",
                                          "confirm": "yes"})
    before = counts(august)
    again = agency.post("/agency/periods/close", {"hotel": "ATRIA", "period": "2020-08",
                                                  "confirm": "yes"})
    assert again.status_code == 409
    assert problem_by(text_of(again), "close") == (
        "2020-08 is already closed for ATRIA: its books are closed through 2020-08.")
    assert counts(august) == before
    assert [s.number for s in reading(august, settlement.list_statements, SETUP,
                                      hotel="ATRIA")] == ["ST-000001"]


def test_payments_are_recorded_in_part_then_in_full_and_never_above_what_is_owed(
        august, agency):
    agency.post("/agency/periods/close", {"hotel": "ATRIA", "period": "2020-08",
                                          "confirm": "yes"})
    before = counts(august)
    nowhere = agency.post("/agency/statements/ST-000001/pay",
                          {"on": "2020-12-15", "ref": "TRF-1", "amount": "100000"})
    assert nowhere.status_code == 409  # IKM-0001 has no bank account registered yet
    assert "no bank account registered" in problem_by(text_of(nowhere), "pay")
    assert "consign consignor edit" not in text_of(nowhere)  # a page names no command
    assert counts(august) == before
    with august.extensions["consign.database"].transaction() as session:
        registry.edit_consignor(session, SETUP, "IKM-0001", bank="BRI", account="0012345678",
                                holder="Pemilik")
    part = agency.post("/agency/statements/ST-000001/pay",
                       {"on": "15/12/2020", "ref": "TRF-1", "amount": "Rp100.000"})
    assert part.status_code == 302
    page = text_of(agency.get(part.headers["Location"]))
    assert "Recorded a payment of Rp100.000: ST-000001 still owes Rp140.000." in page
    before = counts(august)
    above = agency.post("/agency/statements/ST-000001/pay",
                        {"on": "2020-12-15", "ref": "TRF-2", "amount": "200000"})
    assert above.status_code == 409
    assert problem_by(text_of(above), "amount") == (
        "A payment of Rp200.000 is above what statement ST-000001 still owes: Rp140.000.")
    assert 'value="TRF-2"' in text_of(above)  # the form as it was typed
    before_issue = agency.post("/agency/statements/ST-000001/pay",
                               {"on": "2020-12-14", "ref": "TRF-2", "amount": ""})
    assert before_issue.status_code == 409
    assert "issued on 2020-12-15" in problem_by(text_of(before_issue), "on")
    assert counts(august) == before
    rest = agency.post("/agency/statements/ST-000001/pay",
                       {"on": "2020-12-15", "ref": "TRF-2", "amount": ""})
    assert rest.status_code == 302
    page = text_of(agency.get(rest.headers["Location"]))
    assert "Recorded a payment of Rp140.000: ST-000001 is paid in full." in page
    assert "Record a payment" not in page
    record = reading(august, settlement.statement, SETUP, "ST-000001")
    assert (record.status, record.paid, record.owed) == ("paid", 240_000, 0)
    listed = text_of(agency.get("/agency/statements?status=paid"))
    assert [row[0] for row in cells(listed)] == ["ST-000001"]
    assert "No statement matches." in text_of(agency.get("/agency/statements?status=overdue"))


def test_the_statement_page_shows_its_lines_at_their_rate(august, agency):
    agency.post("/agency/periods/close", {"hotel": "ATRIA", "period": "2020-08",
                                          "confirm": "yes"})
    page = text_of(agency.get("/agency/statements/ST-000001"))
    body = re.search(r'<table class="statements lines">.*?<tbody>(.*?)</tbody>', page,
                     re.S).group(1)
    [line] = [[re.sub(r"<[^>]+>", "", cell).strip()
               for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
              for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)]
    assert line == ["10 August 2020", "BTK-001", "Batik tulis Kendedes", "2", "Rp150.000",
                    "Rp300.000", "20%"]
    assert agency.get("/agency/statements/ST-000002").status_code == 404
    assert agency.get("/agency/statements/nomor").status_code == 404


def test_an_auditor_sees_the_month_and_the_pdf_but_every_form_is_refused(
        august, agency, browser_for):
    agency.post("/agency/periods/close", {"hotel": "ATRIA", "period": "2020-08",
                                          "confirm": "yes"})
    with august.extensions["consign.database"].transaction() as session:
        registry.edit_consignor(session, SETUP, "IKM-0001", bank="BRI", account="0012345678",
                                holder="Pemilik")
    auditor = browser_for(august, "auditor")
    page = text_of(auditor.get("/agency/periods?hotel=ATRIA&period=2020-08"))
    assert "ST-000001" in page and "/agency/periods/settle" not in page
    statement = text_of(auditor.get("/agency/statements/ST-000001"))
    assert "Rp240.000" in statement and 'action="/agency/statements/ST-000001/pay"' \
        not in statement
    assert auditor.get("/agency/statements/ST-000001.pdf").status_code == 200
    assert auditor.get("/agency/periods/close?hotel=ATRIA&period=2020-09").status_code == 403
    before = counts(august)
    for address, form in (
            ("/agency/periods/settle", {"hotel": "ATRIA", "period": "2020-09"}),
            ("/agency/periods/close", {"hotel": "ATRIA", "period": "2020-09",
                                       "confirm": "yes"}),
            ("/agency/statements/ST-000001/pay", {"on": "2020-12-15", "ref": "X",
                                                  "amount": "1000"})):
        assert auditor.post(address, form).status_code == 403, address
    assert counts(august) == before


@pytest.mark.parametrize("role", ["hotel:ATRIA", "hotel:TUGU", "consignor:IKM-0001",
                                  "consignor:IKM-0002"])
def test_a_hotels_staff_and_an_ikms_owner_never_get_the_agencys_statement_pages(
        august, agency, browser_for, role):
    agency.post("/agency/periods/close", {"hotel": "ATRIA", "period": "2020-08",
                                          "confirm": "yes"})
    browser = browser_for(august, role)
    before = counts(august)
    for address in ("/agency/statements/ST-000001.pdf", "/agency/statements/ST-000001",
                    "/agency/statements", "/agency/periods?hotel=ATRIA&period=2020-08"):
        response = browser.get(address)
        assert response.status_code == 403, address
        assert b"%PDF" not in response.get_data() and b"240.000" not in response.get_data()
    assert browser.post("/agency/statements/ST-000001/pay",
                        {"on": "2020-12-15", "ref": "X", "amount": ""}).status_code == 403
    assert counts(august) == before


def test_settling_a_month_without_a_commission_rate_links_to_the_terms_page(app, browser_for):
    """A hotel registered without a rate: settling its month is refused above the form,
    with the way to put it right (the Terms page), not the command line's."""
    sale_without_a_rate(app, 8)
    agency = browser_for(app, "admin")
    agency.get("/agency/periods?lang=en")
    before = counts(app)
    refused = agency.post("/agency/periods/settle", {"hotel": "BARU", "period": "2020-08"})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 409
    assert re.search(r'<p class="problem" id="settle-problem" role="alert">No commission rate '
                     r'for BARU / IKM-0001 on 2020-08-10: [^<]*<a href="/agency/terms">Set the '
                     r'commission rates on the Terms page\.</a></p>', page)
    assert "consign terms set" not in page
    assert counts(app) == before


@pytest.mark.parametrize(("query", "field", "status", "said"), [
    ("period=zz", "period", 422, "zz"),
    ("period=2020-13", "period", 422, "2020-13"),
    ("hotel=NOWHERE", "hotel", 404, "No hotel with code NOWHERE."),
])
def test_half_a_choice_is_still_checked(agency, query, field, status, said):
    answer = agency.get(f"/agency/periods?{query}")
    assert answer.status_code == status
    assert said in problem_by(text_of(answer), field)


def test_a_well_formed_half_choice_shows_the_form_as_it_was(agency):
    assert agency.get("/agency/periods?period=2020-08").status_code == 200
    assert agency.get("/agency/periods?hotel=ATRIA").status_code == 200


def test_the_close_of_a_month_not_over_is_refused_before_it_is_asked(august, agency):
    asked = agency.get("/agency/periods/close?hotel=ATRIA&period=2020-12")
    assert asked.status_code == 409
    assert "before the month is over" in problem_by(text_of(asked), "close")
    assert 'name="confirm" value="yes"' not in text_of(asked)
