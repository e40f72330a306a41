"""Logging in and out: the same answer for an unknown name as for a wrong password, failed
logins delayed more each time then locked out (counted in the database), sessions that
end on logout everywhere, a password change and a deactivation; CSRF on every form; the
cookie's flags and the security headers of every answer."""

import re
from datetime import timedelta

import argon2
import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from consign.context import Context
from consign.models import AuditEntry, Movement
from consign.models.users import LoginFailure
from consign.services import users
from tests.web.conftest import NOW, PASSWORD, Browser, make_app, token

CITRA = "citra"  # hotel:ATRIA


class Clock:
    def __init__(self):
        self.now = NOW

    def __call__(self):
        return self.now


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def site(db_url, world_builder, clock):
    app = make_app(db_url, clock=clock)
    yield app
    app.extensions["consign.database"].dispose()


def answer(response) -> tuple[int, str]:
    """A response's status and page, without its CSRF token (which is the session's)."""
    page = response.get_data(as_text=True)
    return response.status_code, re.sub(r'value="[^"]*"', "", page.replace(token(response), ""))


def failures(app) -> dict[str, int]:
    with app.extensions["consign.database"].transaction(readonly=True) as session:
        return {row.key: row.failures for row in session.scalars(select(LoginFailure))}


def test_a_user_logs_in_with_the_right_password_and_lands_on_their_home(site):
    browser = Browser(site)
    response = browser.log_in(CITRA)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert browser.get("/hotel/ATRIA/sell").status_code == 200
    assert browser.get("/login").headers["Location"] == "/"


@pytest.mark.parametrize("who", ["nobody-at-all", "inactive", "no-password"])
def test_an_unknown_or_unusable_name_gets_the_same_answer_and_work_as_a_wrong_password(
        site, monkeypatch, who):
    ctx = Context.make("setup", now=NOW)
    with site.extensions["consign.database"].transaction() as session:
        users.add(session, ctx, "inactive", "auditor")
        users.set_password(session, ctx, "inactive", PASSWORD)
        users.deactivate(session, ctx, "inactive")
        users.add(session, ctx, "no-password", "auditor")
    checked = []
    verify = argon2.PasswordHasher.verify
    monkeypatch.setattr(argon2.PasswordHasher, "verify",
                        lambda self, stored, typed: checked.append(stored) or verify(
                            self, stored, typed))
    wrong = Browser(site)
    wrong.client.environ_base["REMOTE_ADDR"] = "10.0.0.1"
    wrong.csrf = token(wrong.get("/login"))
    wrong_answer = answer(wrong.post("/login", {"name": CITRA, "password": "not it at all"}))
    other = Browser(site)
    other.client.environ_base["REMOTE_ADDR"] = "10.0.0.2"
    other.csrf = token(other.get("/login"))
    other_answer = answer(other.post("/login", {"name": who, "password": PASSWORD}))
    assert wrong_answer[0] == other_answer[0] == 401
    assert wrong_answer[1].replace(CITRA, who) == other_answer[1]
    assert len(checked) == 2  # one argon2 check each, a dummy hash where there is none
    assert site.sleeps == [0.5, 0.5]


def test_failed_logins_are_delayed_more_each_time_then_the_name_is_locked_out(site, clock):
    browser = Browser(site)
    statuses = [browser.log_in(CITRA, "wrong password").status_code for _ in range(5)]
    assert statuses == [401, 401, 401, 401, 429]
    assert site.sleeps == [0.5, 1.0, 2.0, 4.0, 8.0]
    locked = browser.log_in(CITRA)  # the right password, but locked out
    assert locked.status_code == 429
    assert "Terlalu banyak percobaan masuk yang gagal" in locked.get_data(as_text=True)
    assert browser.get("/hotel/ATRIA/sell").status_code == 302
    clock.now = NOW + timedelta(minutes=users.LOCK_OUT_MINUTES, seconds=1)
    assert browser.log_in(CITRA).status_code == 302
    assert f"name:{CITRA}" not in failures(site)  # a success clears its name's failures


def test_an_unknown_name_is_locked_out_just_as_a_known_one(site):
    browser = Browser(site)
    known = [browser.log_in(CITRA, "wrong password").status_code for _ in range(6)]
    unknown = [browser.log_in("nobody", "wrong password").status_code for _ in range(6)]
    assert known == unknown == [401, 401, 401, 401, 429, 429]


def test_failures_from_one_address_lock_it_out_for_every_name(site):
    far = Browser(site)
    far.client.environ_base["REMOTE_ADDR"] = "10.9.8.7"
    for attempt in range(users.ADDRESS_LIMIT):
        far.log_in(f"guess-{attempt}", "wrong password")
    assert far.log_in(CITRA).status_code == 429
    near = Browser(site)
    near.client.environ_base["REMOTE_ADDR"] = "10.0.0.1"
    assert near.log_in(CITRA).status_code == 302


def test_the_failures_are_counted_in_the_database_for_every_process(site, db_url, clock):
    other = make_app(db_url, clock=clock)  # a second process on the same database
    try:
        for _ in range(3):
            Browser(site).log_in(CITRA, "wrong password")
        assert failures(other)[f"name:{CITRA}"] == 3
        Browser(other).log_in(CITRA, "wrong password")
        assert Browser(site).log_in(CITRA, "wrong password").status_code == 429
        assert Browser(other).log_in(CITRA).status_code == 429
    finally:
        other.extensions["consign.database"].dispose()


def test_logging_out_ends_the_session_of_that_browser(site):
    browser = Browser(site)
    browser.log_in(CITRA)
    assert browser.post("/logout").headers["Location"] == "/login"
    assert browser.get("/hotel/ATRIA/sell").headers["Location"].startswith("/login")


def test_logging_out_everywhere_ends_the_sessions_on_every_device(site):
    phone, desk = Browser(site), Browser(site)
    phone.log_in(CITRA)
    desk.log_in(CITRA)
    copied = phone.client.get_cookie("consign_session").value
    assert desk.post("/logout/everywhere").status_code == 302
    assert phone.get("/hotel/ATRIA/sell").headers["Location"].startswith("/login")
    replay = Browser(site)
    replay.client.set_cookie("consign_session", copied)
    assert replay.get("/hotel/ATRIA/sell").status_code == 302
    assert Browser(site).log_in(CITRA).status_code == 302  # a new login works


def test_a_password_change_at_the_command_line_ends_the_users_sessions(site, db_url):
    from consign.cli import main

    browser = Browser(site)
    browser.log_in(CITRA)
    assert browser.get("/hotel/ATRIA/sell").status_code == 200
    result = CliRunner().invoke(main, ["--db", db_url, "--as", "tester", "user", "passwd",
                                       CITRA], input="a-new-secret-2020\n")
    assert result.exit_code == 0, result.output
    assert browser.get("/hotel/ATRIA/sell").headers["Location"].startswith("/login")
    assert Browser(site).log_in(CITRA).status_code == 401
    assert Browser(site).log_in(CITRA, "a-new-secret-2020").status_code == 302


def test_a_user_deactivated_while_logged_in_is_logged_out(site):
    browser = Browser(site)
    browser.log_in(CITRA)
    with site.extensions["consign.database"].transaction() as session:
        users.deactivate(session, Context.make("setup", now=NOW), CITRA)
    assert browser.get("/hotel/ATRIA/sell").headers["Location"].startswith("/login")
    assert Browser(site).log_in(CITRA).status_code == 401


def test_after_the_login_only_a_page_of_this_site_is_followed(site):
    for target, landing in (("/hotel/ATRIA/shelf", "/hotel/ATRIA/shelf"),
                            ("//evil.example/x", "/"), ("https://evil.example/", "/")):
        browser = Browser(site)
        browser.csrf = token(browser.get("/login"))
        response = browser.post(f"/login?next={target}", {"name": CITRA, "password": PASSWORD})
        assert response.headers["Location"] == landing


def written(app):
    with app.extensions["consign.database"].transaction(readonly=True) as session:
        return [session.scalar(select(func.count()).select_from(table))
                for table in (Movement, AuditEntry, LoginFailure)]


def test_a_form_without_its_csrf_token_is_refused_and_writes_nothing(site):
    browser = Browser(site)
    browser.log_in(CITRA)
    before = written(site)
    for address, form in (("/hotel/ATRIA/sell", {"sku": "BTK-001", "qty": "1"}),
                          ("/login", {"name": CITRA, "password": "wrong password"}),
                          ("/logout/everywhere", {})):
        response = browser.post(address, form, csrf=False)
        assert response.status_code == 400, address
        assert "kedaluwarsa" in response.get_data(as_text=True)
        forged = browser.post(address, {**form, "csrf_token": "forged"}, csrf=False)
        assert forged.status_code == 400
    assert written(site) == before
    assert browser.get("/hotel/ATRIA/sell").status_code == 200  # still logged in


def test_the_session_cookie_is_httponly_samesite_lax_and_secure_only_over_https(site):
    for base, secure in (("http://localhost", False), ("https://localhost", True)):
        browser = Browser(site)
        page = browser.client.get("/login", base_url=base)
        browser.csrf = token(page)
        response = browser.client.post("/login", base_url=base, data={
            "name": CITRA, "password": PASSWORD, "csrf_token": browser.csrf},
            headers={"Referer": f"{base}/login"})
        cookie = next(c for c in response.headers.getlist("Set-Cookie")
                      if c.startswith("consign_session="))
        assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
        assert ("Secure" in cookie) is secure


@pytest.mark.parametrize("address", ["/login", "/nowhere", "/static/consign.css", "/"])
def test_every_answer_carries_the_security_headers(site, address):
    response = Browser(site).get(address)
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_the_session_key_is_made_once_in_the_database_unless_one_is_given(db_url, monkeypatch,
                                                                          world_builder):
    monkeypatch.delenv("CONSIGN_SECRET_KEY", raising=False)
    first, second = make_app(db_url), make_app(db_url)
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"]
    assert len(first.config["SECRET_KEY"]) == 64
    monkeypatch.setenv("CONSIGN_SECRET_KEY", "given-by-the-administrator")
    third = make_app(db_url)
    assert third.config["SECRET_KEY"] == "given-by-the-administrator"
    browser = Browser(first)
    browser.log_in(CITRA)
    moved = Browser(second)  # a second process reads the first one's cookie
    moved.client.set_cookie("consign_session",
                            browser.client.get_cookie("consign_session").value)
    assert moved.get("/hotel/ATRIA/sell").status_code == 200
    for app in (first, second, third):
        app.extensions["consign.database"].dispose()


def test_behind_a_trusted_proxy_failures_count_per_client_and_https_makes_cookies_secure(
        db_url, world_builder, monkeypatch):
    monkeypatch.setenv("CONSIGN_TRUSTED_PROXIES", "1")
    app = make_app(db_url)
    try:
        browser = Browser(app)
        browser.client.environ_base.update(HTTP_X_FORWARDED_FOR="203.0.113.9",
                                           HTTP_X_FORWARDED_PROTO="https",
                                           HTTP_REFERER="https://localhost/login")
        browser.log_in(CITRA, "wrong password")
        assert "address:203.0.113.9" in failures(app)
        browser.csrf = token(browser.client.get("/login"))
        response = browser.client.post("/login", data={
            "name": CITRA, "password": PASSWORD, "csrf_token": browser.csrf})
        assert response.status_code == 302
        assert "Secure" in response.headers["Set-Cookie"]
    finally:
        app.extensions["consign.database"].dispose()


def test_without_a_trusted_proxy_a_forwarded_address_is_ignored(site):
    browser = Browser(site)
    browser.client.environ_base["HTTP_X_FORWARDED_FOR"] = "203.0.113.9"
    browser.log_in(CITRA, "wrong password")
    assert "address:203.0.113.9" not in failures(site)
    assert "address:127.0.0.1" in failures(site)


def test_a_malformed_number_of_proxies_is_a_malformed_setting(db_url, world_builder,
                                                             monkeypatch):
    from consign.errors import MalformedSetting

    monkeypatch.setenv("CONSIGN_TRUSTED_PROXIES", "many")
    with pytest.raises(MalformedSetting):
        make_app(db_url)
