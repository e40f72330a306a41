"""Every route of the web app × every role → the status the policy gives, and what lies
outside a role's scope answers 404 by any address, writing nothing.

This module shares one programme (``world_app``); its tests only add sales of their own."""

from datetime import UTC

import pytest
from sqlalchemy import func, select

from consign.context import Context
from consign.models import AuditEntry, Movement
from consign.services import ledger
from tests.web import matrix_agency, matrix_api, matrix_manage, matrix_public
from tests.web.conftest import NOW, ROLES, expect

ANON, ADMIN, AUDITOR, ATRIA, TUGU, IKM1, IKM2 = ROLES
EVERYONE = dict.fromkeys(ROLES)


def a_sale(app) -> int:
    """A sale at ATRIA, recorded by the service, to be voided through the web."""
    ctx = Context.make("setup", now=NOW)
    with app.extensions["consign.database"].transaction() as session:
        return ledger.sell(session, ctx, "ATRIA", "BTK-001", 1).movement.id


# (method, rule, the address asked, form, expected status by role); in this order, each
# role on one client: logging out comes last. The rows that manage the programme
# (matrix_manage.ROWS) run in a test of their own.
MATRIX = [
    ("GET", "/", "/", None, expect(302)),
    ("GET", "/login", "/login", None, expect(302, anon=200)),
    ("POST", "/login", "/login", {"name": "nobody as {role}", "password": "wrong password"},
     expect(401)),
    ("GET", "/agency/", "/agency/", None,
     expect(403, anon=302, admin=200, auditor=200)),
    ("GET", "/hotel/<code>/", "/hotel/ATRIA/", None, expect(302)),
    ("GET", "/hotel/<code>/sell", "/hotel/ATRIA/sell", None,
     expect(403, anon=302, admin=200, atria=200, tugu=404)),
    ("POST", "/hotel/<code>/sell", "/hotel/ATRIA/sell", {"sku": "BTK-002", "qty": "1"},
     expect(403, anon=302, admin=302, atria=302, tugu=404)),
    ("POST", "/hotel/<code>/sales/<int:movement>/void", "/hotel/ATRIA/sales/{sale}/void",
     {"reason": "salah ketik"}, expect(403, anon=302, admin=302, atria=302, tugu=404)),
    ("GET", "/hotel/<code>/sales", "/hotel/ATRIA/sales?day=2020-12-14", None,
     expect(403, anon=302, admin=200, atria=200, tugu=404)),
    ("GET", "/hotel/<code>/shelf", "/hotel/ATRIA/shelf", None,
     expect(403, anon=302, admin=200, auditor=200, atria=200, tugu=404)),
    ("GET", "/hotel/<code>/receive", "/hotel/ATRIA/receive", None,
     expect(403, anon=302, admin=200, atria=200, tugu=404)),
    ("POST", "/hotel/<code>/receive", "/hotel/ATRIA/receive",
     {"consignor": "IKM-0001", "sku-0": "BTK-001", "qty-0": "2"},
     expect(403, anon=302, admin=302, atria=302, tugu=404)),
    ("POST", "/hotel/<code>/notes/<number>.pdf", "/hotel/ATRIA/notes/PL-2020-00001.pdf", {},
     expect(403, anon=302, admin=200, atria=200, tugu=404)),
    ("GET", "/hotel/<code>/return", "/hotel/ATRIA/return", None,
     expect(403, anon=302, admin=200, atria=200, tugu=404)),
    ("POST", "/hotel/<code>/return", "/hotel/ATRIA/return", {"sku-0": "BTK-001", "qty-0": "1"},
     expect(403, anon=302, admin=302, atria=302, tugu=404)),
    ("GET", "/hotel/<code>/loss", "/hotel/ATRIA/loss", None,
     expect(403, anon=302, admin=200, atria=200, tugu=404)),
    ("POST", "/hotel/<code>/loss", "/hotel/ATRIA/loss",
     {"kind": "lost", "liable": "hotel", "reason": "hilang", "sku-0": "BTK-001", "qty-0": "1"},
     expect(403, anon=302, admin=302, atria=302, tugu=404)),
    ("GET", "/hotel/<code>/count", "/hotel/ATRIA/count", None,
     expect(403, anon=302, admin=200, auditor=200, atria=200, tugu=404)),
    ("POST", "/hotel/<code>/count", "/hotel/ATRIA/count",
     {"apply": "no", "sku-0": "BTK-001", "counted-0": "5"},
     expect(403, anon=302, admin=200, auditor=200, atria=200, tugu=404)),
    ("GET", "/hotel/<code>/labels", "/hotel/ATRIA/labels", None,
     expect(403, anon=302, admin=200, auditor=200, atria=200, tugu=404)),
    ("GET", "/hotel/<code>/labels.pdf", "/hotel/ATRIA/labels.pdf", None,
     expect(403, anon=302, admin=200, auditor=200, atria=200, tugu=404)),
    ("GET", "/hotel/<code>/statements", "/hotel/ATRIA/statements", None,
     expect(403, anon=302, admin=200, auditor=200, atria=200, tugu=404)),
    ("GET", "/hotel/<code>/statements/<number>", "/hotel/ATRIA/statements/ST-000001", None,
     expect(404, anon=302, ikm1=403, ikm2=403)),  # none is issued in this programme
    ("GET", "/hotel/<code>/statements/<number>.pdf", "/hotel/ATRIA/statements/ST-000001.pdf",
     None, expect(404, anon=302, ikm1=403, ikm2=403)),
    ("POST", "/hotel/<code>/statements/<number>/payments/<int:payment>/void",
     "/hotel/ATRIA/statements/ST-000001/payments/1/void", {"reason": "salah"},
     expect(404, anon=302, ikm1=403, ikm2=403)),
    ("POST", "/hotel/<code>/statements/<number>/pay", "/hotel/ATRIA/statements/ST-000001/pay",
     {"amount": "1000", "on": "2020-12-01", "ref": "TRF-1"},
     expect(404, anon=302, ikm1=403, ikm2=403)),
    ("POST", "/hotel/<code>/periods/settle", "/hotel/ATRIA/periods/settle",
     {"period": "2020-13"}, expect(403, anon=302, admin=422, atria=422, tugu=404)),
    # ATRIA's August is open: November cannot close before it, so it is not even offered
    ("GET", "/hotel/<code>/periods/close", "/hotel/ATRIA/periods/close?period=2020-11", None,
     expect(403, anon=302, admin=409, atria=409, tugu=404)),
    ("POST", "/hotel/<code>/periods/close", "/hotel/ATRIA/periods/close",
     {"period": "2020-11"}, expect(403, anon=302, admin=409, atria=409, tugu=404)),
    ("GET", "/ikm/<code>/", "/ikm/IKM-0001/", None,
     expect(200, anon=302, tugu=404, ikm2=404)),
    ("GET", "/ikm/<code>/sales", "/ikm/IKM-0001/sales", None,
     expect(200, anon=302, tugu=404, ikm2=404)),
    ("GET", "/ikm/<code>/statements", "/ikm/IKM-0001/statements", None,
     expect(200, anon=302, tugu=404, ikm2=404)),
    ("GET", "/ikm/<code>/statements/<number>.pdf", "/ikm/IKM-0001/statements/ST-000001.pdf",
     None, expect(404, anon=302)),  # none is issued in this programme
    ("POST", "/ikm/<code>/statements/<number>.pdf", "/ikm/IKM-0001/statements/ST-000001.pdf",
     {"lang": "en"}, expect(404, anon=302)),
    ("GET", "/ikm/<code>/due", "/ikm/IKM-0001/due", None,
     expect(200, anon=302, tugu=404, ikm2=404)),
    ("GET", "/static/<path:filename>", "/static/consign.css", None, expect(200)),
    *matrix_agency.ROWS,
    *matrix_api.ROWS,
    *matrix_public.ROWS,
    ("POST", "/logout/everywhere", "/logout/everywhere", {}, expect(302)),
    ("POST", "/logout", "/logout", {}, expect(302)),
]


def written(app) -> tuple[int, int]:
    with app.extensions["consign.database"].transaction(readonly=True) as session:
        return (session.scalar(select(func.count()).select_from(Movement)),
                session.scalar(select(func.count()).select_from(AuditEntry)))


def test_the_matrix_names_every_route_of_the_app(world_app):
    routes = {(method, rule.rule) for rule in world_app.url_map.iter_rules()
              for method in rule.methods - {"HEAD", "OPTIONS"}}
    assert routes == {(method, rule) for method, rule, *_ in MATRIX + matrix_manage.ROWS}


def answered_wrongly(app, browser, role, rows) -> list[str]:
    """Each row asked by ``browser`` as ``role``: what answered otherwise than the policy says,
    or wrote though it was refused."""
    wrong = []
    for method, rule, address, form, statuses in rows:
        if "{sale}" in address:
            address = address.format(sale=a_sale(app))
        before = written(app)
        if method == "GET":
            response = browser.get(address)
        else:
            response = browser.post(address, {key: value.format(role=role)
                                              for key, value in form.items()})
        if rule.startswith("/logout"):
            browser.csrf = None  # the session ended: the next page gives a new token
        if response.status_code != statuses[role]:
            wrong.append(f"{role}: {method} {address}: {response.status_code}, "
                         f"not {statuses[role]}")
        if response.status_code in (401, 403, 404) and written(app) != before:
            wrong.append(f"{role}: {method} {address}: refused, yet it wrote")
        if response.status_code == 302 and role == ANON and not rule.startswith("/log"):
            assert response.headers["Location"].startswith("/login")
    return wrong


@pytest.mark.parametrize("role", list(ROLES))
def test_every_route_answers_each_role_as_the_policy_says_and_a_refusal_writes_nothing(
        world_app, browser_for, role):
    wrong = answered_wrongly(world_app, browser_for(world_app, role), role, MATRIX)
    assert not wrong, "\n".join(wrong)


def test_the_pages_that_manage_the_programme_answer_each_role_in_turn(world_app, browser_for):
    """One test, so that the administrator's rows run first wherever the tests are spread:
    the other roles read the records they made."""
    wrong = []
    for role in sorted(ROLES, key=lambda role: role != ADMIN):
        wrong += answered_wrongly(world_app, browser_for(world_app, role), role,
                                  matrix_manage.ROWS)
    assert not wrong, "\n".join(wrong)


def test_another_hotels_sale_cannot_be_voided_by_its_id_from_any_page(world_app, browser_for):
    sale = a_sale(world_app)
    tugu = browser_for(world_app, TUGU)
    admin = browser_for(world_app, ADMIN)
    before = written(world_app)
    for browser, address in ((tugu, f"/hotel/TUGU/sales/{sale}/void"),
                             (tugu, f"/hotel/ATRIA/sales/{sale}/void"),
                             (admin, f"/hotel/TUGU/sales/{sale}/void")):
        response = browser.post(address, {"reason": "bukan milik kami"})
        assert response.status_code == 404, address
    assert written(world_app) == before
    with world_app.extensions["consign.database"].transaction(readonly=True) as session:
        found = ledger.movements(session, UTC, hotel="ATRIA", kind="sold")
    assert next(m for m in found if m.id == sale).in_force


def test_another_hotels_sales_and_shelf_are_not_shown_under_its_own_address(
        world_app, browser_for):
    tugu = browser_for(world_app, TUGU)
    page = tugu.get("/hotel/TUGU/sell").get_data(as_text=True)
    assert "KRP-001" in page
    assert "BTK-001" not in page and "Kendedes" not in page
    assert tugu.get("/ikm/IKM-0001/").status_code == 404
    owner = browser_for(world_app, IKM2)
    mine = owner.get("/ikm/IKM-0002/").get_data(as_text=True)
    assert "KRP-001" in mine and "TUGU" in mine and "BTK-001" not in mine


def test_each_role_lands_on_its_own_home_after_logging_in(world_app, browser_for):
    homes = {ADMIN: "/agency/", AUDITOR: "/agency/", ATRIA: "/hotel/ATRIA/sell",
             TUGU: "/hotel/TUGU/sell", IKM1: "/ikm/IKM-0001/", IKM2: "/ikm/IKM-0002/"}
    for role, home in homes.items():
        assert browser_for(world_app, role).get("/").headers["Location"] == home


def test_the_agency_page_links_only_to_pages_that_exist(world_app, browser_for):
    import re

    for role in (ADMIN, AUDITOR):
        browser = browser_for(world_app, role)
        page = browser.get("/agency/").get_data(as_text=True)
        links = set(re.findall(r'href="(/[^"?]*)"', page)) - {"/"}
        assert links, page
        for link in links:
            assert browser.get(link).status_code == 200, (role, link)
