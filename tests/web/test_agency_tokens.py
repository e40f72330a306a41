"""The administrator makes a hotel's till an API token on the web: it is shown once, on the
page that made it, works at once against the API, and is never shown again (not in the
list, not in a cookie, not in the audit log); revoked, the till is refused. No one else
sees or makes a token."""

import re

import pytest

from consign.services import tokens
from tests.web.test_agency_manage import counts, problem_by, reading, text_of


@pytest.fixture
def admin(app, browser_for):
    browser = browser_for(app, "admin")
    browser.get("/agency/tokens?lang=en")
    return browser


def made_token(page: str) -> str:
    return re.search(r'<code class="token">([^<]+)</code>', page).group(1)


def test_a_token_is_shown_once_works_at_once_and_is_never_shown_again(app, admin):
    answer = admin.post("/agency/tokens", {"hotel": "ATRIA", "label": "kasir depan"})
    assert answer.status_code == 200
    page = text_of(answer)
    plain = made_token(page)
    assert "Copy it now" in page and "Token 1 for ATRIA · kasir depan" in page
    assert plain not in (answer.headers.get("Set-Cookie") or "")
    stock = app.test_client().get("/api/v1/stock",
                                  headers={"Authorization": f"Bearer {plain}"})
    assert stock.status_code == 200 and stock.get_json()["hotel"] == "ATRIA"
    listed = text_of(admin.get("/agency/tokens"))
    assert plain not in listed and "kasir depan" in listed and "never used" not in listed
    assert "last used" in listed
    log = admin.get("/agency/log.csv").get_data(as_text=True)
    assert plain not in log and tokens.digest(plain) not in log


def test_a_revoked_token_is_refused_and_shown_as_revoked(app, admin):
    plain = made_token(text_of(admin.post("/agency/tokens", {"hotel": "TUGU", "label": ""})))
    [record] = reading(app, tokens.list, None)
    done = admin.post(f"/agency/tokens/{record.id}/revoke", {})
    assert done.status_code == 302 and done.headers["Location"] == "/agency/tokens"
    page = text_of(admin.get("/agency/tokens"))
    assert f"Revoked API token {record.id} of TUGU" in page and "revoked" in page
    assert f'action="/agency/tokens/{record.id}/revoke"' not in page
    refused = app.test_client().get("/api/v1/stock", headers={"Authorization": f"Bearer {plain}"})
    assert refused.status_code == 401
    again = admin.post(f"/agency/tokens/{record.id}/revoke", {})
    assert again.status_code == 409 and "already revoked" in problem_by(text_of(again), "revoke")


@pytest.mark.parametrize(("form", "field", "said"), [
    ({"hotel": "", "label": ""}, "hotel", "hotel"),
    ({"hotel": "NOWHERE", "label": ""}, "hotel", "No hotel with code NOWHERE."),
    ({"hotel": "ATRIA", "label": "x" * 121}, "label", "label is 121 characters long")])
def test_a_token_the_service_refuses_is_shown_by_its_field_and_nothing_is_made(
        app, admin, form, field, said):
    before = counts(app)
    answer = admin.post("/agency/tokens", form)
    assert answer.status_code in (404, 422)
    assert said in problem_by(text_of(answer), field)
    assert '<code class="token">' not in text_of(answer) and counts(app) == before


@pytest.mark.parametrize("role", ["auditor", "hotel:ATRIA", "consignor:IKM-0001"])
def test_no_one_but_the_administrator_sees_or_makes_a_token(app, admin, browser_for, role):
    admin.post("/agency/tokens", {"hotel": "ATRIA", "label": "kasir"})
    [record] = reading(app, tokens.list, None)
    browser = browser_for(app, role)
    assert browser.get("/agency/tokens").status_code == 403
    before = counts(app)
    assert browser.post("/agency/tokens", {"hotel": "ATRIA", "label": ""}).status_code == 403
    assert browser.post(f"/agency/tokens/{record.id}/revoke", {}).status_code == 403
    assert counts(app) == before
