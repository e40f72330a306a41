"""The agency manages the programme on its pages: it registers, changes and deactivates
hotels, IKM and products, sets terms and manages the users; an auditor reads the same
pages without their forms and is refused every one of them, writing nothing; a hotel's
staff and an IKM's owner are refused the agency's pages. A refused form is shown again
with the service's sentence by its field, and writes nothing."""

import re

import pytest
from sqlalchemy import func, select

from consign.context import Context
from consign.models import Base
from consign.services import registry, terms, users
from tests.web import matrix_manage
from tests.web.conftest import NOW, Browser

ADMIN, AUDITOR, ATRIA, IKM1 = "admin", "auditor", "hotel:ATRIA", "consignor:IKM-0001"
SETUP = Context.make("setup", now=NOW)  # no user record: full rights, as a script has


def counts(app) -> dict:
    """How many rows every table holds: what a refusal must leave as it was."""
    with app.extensions["consign.database"].transaction(readonly=True) as session:
        return {table.name: session.scalar(select(func.count()).select_from(table))
                for table in Base.metadata.sorted_tables}


def reading(app, service, *args, **kwargs):
    with app.extensions["consign.database"].transaction(readonly=True) as session:
        return service(session, *args, **kwargs)


def text_of(response) -> str:
    return response.get_data(as_text=True)


def problem_by(page: str, field: str) -> str:
    """The sentence shown by a field of the page's form."""
    found = re.search(rf'<p class="problem" id="{re.escape(field)}-problem"[^>]*>(.*?)</p>',
                      page, re.S)
    assert found, f"no sentence by {field}"
    return found.group(1).strip()


@pytest.fixture
def agency(app, browser_for):
    browser = browser_for(app, ADMIN)
    browser.get("/agency/hotels?lang=en")  # the sentences checked below are the English ones
    return browser


def test_the_administrator_registers_a_hotel_which_the_list_then_shows(app, agency):
    response = agency.post("/agency/hotels", {
        "code": "batu", "name": "Hotel Batu", "commission": "17,5%", "address": "Jl. Batu 1",
        "phone": "0341-403388", "phri_no": "PHRI-77"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/agency/hotels/BATU"
    page = text_of(agency.get("/agency/hotels/BATU"))
    assert "Registered hotel BATU, Hotel Batu." in page
    assert "+62 341 403388" in page or "+62341403388" in page
    found = reading(app, registry.hotel, "BATU", NOW.date())
    assert (found.name, found.phone, found.phri_no, found.commission) == (
        "Hotel Batu", "+62341403388", "PHRI-77", 1750)
    assert "17.5%" in text_of(agency.get("/agency/hotels"))


def test_a_refused_hotel_is_shown_again_with_the_sentence_by_its_field_and_writes_nothing(
        app, agency):
    before = counts(app)
    response = agency.post("/agency/hotels", {"code": "ATRIA", "name": "Lagi", "commission": "",
                                               "address": "", "phone": "", "phri_no": ""})
    assert response.status_code == 409
    page = text_of(response)
    assert problem_by(page, "code") == "Hotel ATRIA is already registered."
    assert 'value="Lagi"' in page  # as it was typed
    response = agency.post("/agency/hotels", {"code": "BATU", "name": "Hotel Batu",
                                               "commission": "", "address": "",
                                               "phone": "12345", "phri_no": ""})
    assert response.status_code == 422
    assert "12345" in problem_by(text_of(response), "phone")
    response = agency.post("/agency/hotels", {"code": "BATU", "name": "Hotel Batu",
                                               "commission": "101%", "address": "",
                                               "phone": "", "phri_no": ""})
    assert response.status_code == 422
    assert "100%" in problem_by(text_of(response), "commission")
    assert counts(app) == before


def test_a_hotel_is_edited_cleared_and_deactivated_and_then_shows_as_inactive(app, agency):
    response = agency.post("/agency/hotels/TUGU", {
        "name": "Hotel Tugu", "address": "", "phone": "0341 363891", "phri_no": ""})
    assert response.status_code == 302
    found = reading(app, registry.hotel, "TUGU", NOW.date())
    assert (found.name, found.address, found.phone) == ("Hotel Tugu", "", "+62341363891")
    same = agency.post("/agency/hotels/TUGU", {
        "name": "Hotel Tugu", "address": "", "phone": "+62341363891", "phri_no": ""})
    assert "Nothing was changed" in text_of(agency.get(same.headers["Location"]))
    blank = agency.post("/agency/hotels/TUGU", {"name": " ", "address": "", "phone": "",
                                                 "phri_no": ""})
    assert blank.status_code == 422 and "blank" in problem_by(text_of(blank), "name")
    assert agency.post("/agency/hotels/TUGU/deactivate", {}).status_code == 302
    page = text_of(agency.get("/agency/hotels/TUGU"))
    assert '<span class="tag">inactive</span>' in page and "Deactivate this hotel" not in page
    assert not reading(app, registry.hotel, "TUGU", NOW.date()).active
    again = agency.post("/agency/hotels/TUGU/deactivate", {})
    assert again.status_code == 409
    assert problem_by(text_of(again), "deactivate") == "Hotel TUGU is already deactivated."


def test_an_ikm_is_registered_with_its_bank_account_and_its_consent_is_set_by_an_edit(
        app, agency):
    form = dict(matrix_manage.IKM)
    response = agency.post("/agency/ikm", form)
    assert response.status_code == 302, text_of(response)
    owner = reading(app, registry.consignor, "IKM-0900")
    assert (owner.bank, owner.account, owner.holder, owner.public) == (
        "BRI", "002101000555301", "Wati", False)
    edit = {key: value for key, value in form.items() if key not in ("code", "sector")}
    assert agency.post("/agency/ikm/IKM-0900", {**edit, "public": "yes"}).status_code == 302
    assert reading(app, registry.consignor, "IKM-0900").public
    before = counts(app)
    half = agency.post("/agency/ikm/IKM-0900", {**edit, "public": "yes", "holder": ""})
    assert half.status_code == 422
    assert problem_by(text_of(half), "holder") == (
        "IKM IKM-0900: a bank account needs its bank, account number and holder; holder is "
        "missing")
    nib = agency.post("/agency/ikm", {**form, "code": "IKM-0901", "nib": "123456789012"})
    assert nib.status_code == 422 and "123456789012" in problem_by(text_of(nib), "nib")
    assert counts(app) == before
    assert agency.post("/agency/ikm/IKM-0900/deactivate", {}).status_code == 302
    assert "inactive" in text_of(agency.get("/agency/ikm"))


def test_products_are_listed_by_ikm_added_repriced_and_deactivated(app, agency):
    page = text_of(agency.get("/agency/products?consignor=IKM-0002"))
    assert 'href="/agency/products/KRP-001"' in page
    assert 'href="/agency/products/BTK-001"' not in page
    response = agency.post("/agency/products", {
        "sku": "btk-003", "consignor": "IKM-0001", "name": "Kemeja batik",
        "price": "Rp 250.000", "category": "pakaian"})
    assert response.status_code == 302
    assert reading(app, registry.product, "BTK-003").price == 250_000
    assert "Rp250.000" in text_of(agency.get("/agency/products/BTK-003"))
    assert agency.post("/agency/products/BTK-003", {
        "name": "Kemeja batik", "price": "275000", "category": ""}).status_code == 302
    found = reading(app, registry.product, "BTK-003")
    assert (found.price, found.category) == (275_000, "")
    before = counts(app)
    bad = agency.post("/agency/products/BTK-003", {"name": "Kemeja batik", "price": "27,5",
                                                   "category": ""})
    assert bad.status_code == 422 and "27,5" in problem_by(text_of(bad), "price")
    assert agency.post("/agency/products", {"sku": "BTK-001", "consignor": "IKM-0001",
                                            "name": "x", "price": "1", "category": ""}
                       ).status_code == 409
    assert counts(app) == before
    on_shelf = text_of(agency.get("/agency/products/BTK-001"))
    assert "ATRIA: 10" in on_shelf
    assert agency.post("/agency/products/BTK-003/deactivate", {}).status_code == 302
    assert not reading(app, registry.product, "BTK-003").active
    missing = agency.get("/agency/products?consignor=IKM-0999")
    assert missing.status_code == 404 and "IKM-0999" in text_of(missing)


def test_terms_are_set_for_a_pair_and_an_overlap_is_refused_naming_the_period(app, agency):
    response = agency.post("/agency/terms", {
        "hotel": "ATRIA", "consignor": "IKM-0001", "commission": "15%", "from": "1/1/2021",
        "to": "", "display_days": "60", "payment_days": ""})
    assert response.status_code == 302
    assert response.headers["Location"] == "/agency/terms?hotel=ATRIA"
    [pair] = [t for t in reading(app, terms.list_terms, "ATRIA") if t.consignor]
    assert (pair.rate_bp, pair.valid_from.isoformat(), pair.display_days,
            pair.payment_days) == (1500, "2021-01-01", 60, 14)
    page = text_of(agency.get("/agency/terms?hotel=ATRIA"))
    assert "Set the commission of ATRIA / IKM-0001 to 15%." in page
    assert "1 January 2021" in page
    before = counts(app)
    overlap = agency.post("/agency/terms", {
        "hotel": "ATRIA", "consignor": "IKM-0001", "commission": "10%", "from": "2021-01-01",
        "to": "2021-03-31", "display_days": "", "payment_days": ""})
    assert overlap.status_code == 409
    assert "overlap the existing period 2021-01-01 to open-ended at 15%" in problem_by(
        text_of(overlap), "form")
    bad_day = agency.post("/agency/terms", {
        "hotel": "ATRIA", "consignor": "", "commission": "10%", "from": "10/13/2021",
        "to": "", "display_days": "", "payment_days": ""})
    assert bad_day.status_code == 422 and "10/13/2021" in problem_by(text_of(bad_day), "from")
    assert counts(app) == before


def test_users_are_added_given_a_role_and_a_password_typed_twice_and_deactivated(
        app, agency):
    assert agency.post("/agency/users", {"name": "gita", "role": "hotel:TUGU"}
                       ).status_code == 302
    page = text_of(agency.get("/agency/users"))
    assert "gita" in page and "hotel:TUGU" in page and "no password yet" in page
    before = counts(app)
    mismatch = agency.post("/agency/users/password", {
        "name": "gita", "password": "gerabah-dinoyo-1", "again": "gerabah-dinoyo-2"})
    assert mismatch.status_code == 422
    assert "not the same" in text_of(mismatch)
    short = agency.post("/agency/users/password", {"name": "gita", "password": "pendek",
                                                   "again": "pendek"})
    assert short.status_code == 422 and "too short" in text_of(short)
    assert counts(app) == before
    assert agency.post("/agency/users/password", {
        "name": "gita", "password": "gerabah-dinoyo-1", "again": "gerabah-dinoyo-1"}
    ).status_code == 302
    assert agency.post("/agency/users/role", {"name": "gita", "role": "auditor"}
                       ).status_code == 302
    gita = Browser(app)
    assert gita.log_in("gita", "gerabah-dinoyo-1").status_code == 302
    assert gita.get("/agency/hotels").status_code == 200  # an auditor now
    page = text_of(agency.get("/agency/users"))
    assert "password set" in page and "argon2" not in page and "$" not in page
    assert agency.post("/agency/users/deactivate", {"name": "gita"}).status_code == 302
    assert gita.get("/agency/hotels").status_code == 302  # her session has ended
    assert not reading(app, users.user, SETUP, "gita").active


def test_the_last_admin_cannot_demote_or_deactivate_themselves_from_the_users_page(
        app, agency):
    """ani is the programme's only admin: taking the role from her, or deactivating her, is
    refused by the form of her row, and she stays logged in as the admin she is."""
    before = counts(app)
    said = "ani is the last active admin: give another user the admin role first"
    for address, form in (("/agency/users/role", {"name": "ani", "role": "auditor"}),
                          ("/agency/users/deactivate", {"name": "ani"})):
        refused = agency.post(address, form)
        assert refused.status_code == 409
        assert said in text_of(refused)
    assert counts(app) == before
    assert agency.get("/agency/users").status_code == 200


def test_a_role_naming_no_registered_hotel_is_refused_by_its_field(app, agency):
    before = counts(app)
    response = agency.post("/agency/users", {"name": "hana", "role": "hotel:NOWHERE"})
    assert response.status_code == 404  # the hotel is not there
    assert problem_by(text_of(response), "role") == "No hotel with code NOWHERE."
    assert 'value="hana"' in text_of(response)
    assert counts(app) == before


def test_an_auditor_reads_every_list_without_its_forms_and_each_post_is_refused(
        app, browser_for):
    auditor = browser_for(app, AUDITOR)
    for address in ("/agency/hotels", "/agency/hotels/ATRIA", "/agency/ikm",
                    "/agency/ikm/IKM-0001", "/agency/products", "/agency/products/BTK-001",
                    "/agency/terms", "/agency/periods?hotel=ATRIA&period=2020-08",
                    "/agency/statements"):
        page = auditor.get(address)
        assert page.status_code == 200, address
        content = text_of(page).split("<main>")[1].split("</main>")[0]
        assert 'method="post"' not in content, address
    assert auditor.get("/agency/users").status_code == 403
    before = counts(app)
    existing = {"BATU": "ATRIA", "IKM-0900": "IKM-0001", "BTU-001": "BTK-001"}
    posts = [(re.sub("|".join(existing), lambda m: existing[m.group(0)], address), form)
             for method, _rule, address, form, _ in matrix_manage.ROWS if method == "POST"]
    posts += [("/agency/hotels/ATRIA/deactivate", {}), ("/agency/ikm/IKM-0001/deactivate", {}),
              ("/agency/products/BTK-001/deactivate", {}),
              ("/agency/users/deactivate", {"name": "citra"}),
              ("/agency/periods/settle", {"hotel": "ATRIA", "period": "2020-08"}),
              ("/agency/periods/close", {"hotel": "ATRIA", "period": "2020-08",
                                         "confirm": "yes"})]
    for address, form in posts:
        if address.startswith("/agency/statements/"):
            continue  # no statement is issued here: see the settlement tests
        response = auditor.post(address, form)
        assert response.status_code == 403, address
    assert counts(app) == before


@pytest.mark.parametrize("role", [ATRIA, "hotel:TUGU", IKM1, "consignor:IKM-0002"])
def test_a_hotels_staff_and_an_ikms_owner_are_refused_the_agency_pages(app, browser_for, role):
    browser = browser_for(app, role)
    before = counts(app)
    for address in ("/agency/hotels", "/agency/hotels/ATRIA", "/agency/ikm/IKM-0001",
                    "/agency/products?consignor=IKM-0001", "/agency/terms",
                    "/agency/periods?hotel=ATRIA&period=2020-08", "/agency/statements",
                    "/agency/users"):
        response = browser.get(address)
        assert response.status_code == 403, address
        assert "Batik Tulis Celaket" not in text_of(response)
    assert browser.post("/agency/periods/settle", {"hotel": "ATRIA", "period": "2020-08"}
                        ).status_code == 403
    assert counts(app) == before


def test_the_agency_pages_link_to_each_other_and_the_auditor_is_not_shown_users(
        app, browser_for):
    admin = browser_for(app, ADMIN)
    page = text_of(admin.get("/agency/hotels"))
    for link in ("/agency/hotels", "/agency/ikm", "/agency/products", "/agency/terms",
                 "/agency/periods", "/agency/statements", "/agency/users"):
        assert f'href="{link}"' in page
    auditor = browser_for(app, AUDITOR)
    shown = text_of(auditor.get("/agency/hotels"))
    assert 'href="/agency/periods"' in shown and 'href="/agency/users"' not in shown


def test_every_form_carries_its_csrf_token_and_a_post_without_it_is_refused(app, agency):
    page = text_of(agency.get("/agency/hotels"))
    assert page.count('name="csrf_token"') >= 2  # the add form and the log-out form
    before = counts(app)
    response = agency.post("/agency/hotels", {"code": "BATU", "name": "Hotel Batu"},
                           csrf=False)
    assert response.status_code == 400
    assert counts(app) == before


def test_an_ikms_public_description_and_contact_consent_are_set_on_its_form(app, agency):
    described = "Gerabah tangan dari sentra Dinoyo,\r\nMalang."
    form = {**matrix_manage.IKM, "description": described, "public_contact": "yes"}
    assert agency.post("/agency/ikm", form).status_code == 302
    owner = reading(app, registry.consignor, "IKM-0900")
    assert (owner.description, owner.public_contact) == (
        "Gerabah tangan dari sentra Dinoyo, Malang.", True)
    page = text_of(agency.get("/agency/ikm/IKM-0900"))
    assert "Gerabah tangan dari sentra Dinoyo, Malang.</textarea>" in page
    assert '<option value="yes" selected>shown: the IKM agrees</option>' in page
    edit = {key: value for key, value in form.items() if key not in ("code", "sector")}
    assert agency.post("/agency/ikm/IKM-0900", {
        **edit, "public": "yes", "public_contact": "no", "description": ""}).status_code == 302
    owner = reading(app, registry.consignor, "IKM-0900")
    assert (owner.description, owner.public_contact, owner.public) == ("", False, True)
    # a form without the consent's field leaves the consent as it is
    agency.post("/agency/ikm/IKM-0900", {**edit, "public": "yes", "public_contact": "yes"})
    without = {key: value for key, value in edit.items() if key != "public_contact"}
    assert agency.post("/agency/ikm/IKM-0900", {**without, "public": "yes"}).status_code == 302
    assert reading(app, registry.consignor, "IKM-0900").public_contact is True


def test_a_description_too_long_is_said_by_its_field_and_writes_nothing(app, agency):
    before = counts(app)
    long = agency.post("/agency/ikm", {**matrix_manage.IKM, "description": "d" * 501})
    assert long.status_code == 422
    assert problem_by(text_of(long), "description").startswith(
        "description is 501 characters long; at most 500 are allowed")
    assert "d" * 501 + "</textarea>" in text_of(long)  # shown again as it was typed
    edit = {key: value for key, value in matrix_manage.IKM.items()
            if key not in ("code", "sector")}
    consent = agency.post("/agency/ikm/IKM-0001", {
        **edit, "name": "Batik Tulis Celaket", "public": "no", "public_contact": "maybe"})
    assert consent.status_code == 422
    assert "must be one of yes, no" in problem_by(text_of(consent), "public_contact")
    assert counts(app) == before
