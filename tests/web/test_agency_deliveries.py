"""The administrator hands each IKM its statements of a closed month from a phone: the
month's issued statements, where each one's e-mail stands, a WhatsApp link with the message
filled in for an IKM with a mobile number, and "to print" for one with neither. The page
sends and writes nothing; no one else opens it."""

import re
from urllib.parse import unquote

import pytest

from consign.context import Context
from consign.services import registry, settlement
from tests.web.conftest import NOW
from tests.web.test_agency_manage import counts, problem_by, text_of

SETUP = Context.make("setup", now=NOW)


@pytest.fixture
def closed(august):
    """ATRIA's August closed: ST-000001 of IKM-0001, which has a mobile number and no
    e-mail address."""
    with august.extensions["consign.database"].transaction() as session:
        registry.edit_consignor(session, SETUP, "IKM-0001", phone="0812 3456 7890")
        settlement.close_period(session, SETUP, "2020-08", "ATRIA")
    return august


def test_the_month_lists_each_statement_with_its_whatsapp_link_and_writes_nothing(
        closed, browser_for):
    admin = browser_for(closed, "admin")
    admin.get("/agency/deliveries?lang=en")
    before = counts(closed)
    page = text_of(admin.get("/agency/deliveries?period=2020-08&hotel=ATRIA"))
    assert "1 statement issued for August 2020." in page
    item = re.search(r'<li id="statement-ST-000001">(.*?)</li>', page, re.S).group(1)
    assert "ATRIA" in item and "IKM-0001" in item and "no e-mail address" in item
    link = re.search(r'href="(https://wa\.me/[^"]+)"', item).group(1)
    assert link.startswith("https://wa.me/6281234567890?text=")
    assert "ST-000001" in unquote(link)
    assert "Send by WhatsApp to +62 812-3456-7890" in item
    assert counts(closed) == before


def test_an_ikm_with_an_address_and_no_mobile_shows_its_email_waiting_or_to_print(
        closed, browser_for):
    with closed.extensions["consign.database"].transaction() as session:
        registry.edit_consignor(session, SETUP, "IKM-0001", phone="0341-403388",
                                email="batik@example.id")
    admin = browser_for(closed, "admin")
    page = text_of(admin.get("/agency/deliveries?period=2020-08&lang=en"))
    assert "e-mail to batik@example.id not sent yet" in page and "wa.me" not in page
    with closed.extensions["consign.database"].transaction() as session:
        registry.edit_consignor(session, SETUP, "IKM-0001", email="")
    page = text_of(admin.get("/agency/deliveries?period=2020-08"))
    assert "to print" in page and "no e-mail address" in page


def test_a_month_not_closed_or_malformed_is_refused_by_its_field(closed, browser_for):
    admin = browser_for(closed, "admin")
    admin.get("/agency/deliveries?lang=en")
    open_month = admin.get("/agency/deliveries?period=2020-09")
    assert open_month.status_code == 404
    assert "the period is not closed yet" in problem_by(text_of(open_month), "period")
    assert "consign close" not in text_of(open_month)  # a page names no command
    malformed = admin.get("/agency/deliveries?period=2020-13")
    assert malformed.status_code == 422 and "2020-13" in problem_by(text_of(malformed),
                                                                    "period")


def test_the_closed_months_page_links_to_sending_it(closed, browser_for):
    admin = browser_for(closed, "admin")
    page = text_of(admin.get("/agency/periods?hotel=ATRIA&period=2020-08"))
    assert 'href="/agency/deliveries?period=2020-08&amp;hotel=ATRIA"' in page


@pytest.mark.parametrize("role", ["auditor", "hotel:ATRIA", "consignor:IKM-0001"])
def test_no_one_but_the_administrator_opens_it(closed, browser_for, role):
    browser = browser_for(closed, role)
    answer = browser.get("/agency/deliveries?period=2020-08")
    assert answer.status_code == 403 and b"wa.me" not in answer.get_data()
