"""The application factory, and what every request shares: its transaction, who is
logged in, its language and the headers of its answer."""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime
from pathlib import Path

from flask import Flask, g, request
from flask.sessions import SecureCookieSessionInterface
from flask_babel import Babel
from flask_wtf.csrf import CSRFProtect

from consign.policy import Role

HERE = Path(__file__).resolve().parent
LANGUAGES = ("id", "en")
DEFAULT_LANGUAGE = "id"
LANGUAGE_COOKIE = "lang"
NOBODY = Role("anonymous")  # no action is allowed to a role of this kind
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


class CookieSessions(SecureCookieSessionInterface):
    """Flask's signed cookie, marked Secure when the request came over HTTPS. The requests
    under ``cookieless`` (the API's) have none: a till authenticates by its token, and the
    API ignores a browser's cookie, so it is neither read nor written (nor signed again)
    for them."""

    def __init__(self, cookieless: str):
        self.cookieless = cookieless

    def open_session(self, app, request):
        if request.path == self.cookieless or request.path.startswith(self.cookieless + "/"):
            return self.make_null_session(app)
        return super().open_session(app, request)

    def get_cookie_secure(self, app) -> bool:
        return request.is_secure


class ConsignApp(Flask):
    """A Flask app whose every view runs in one transaction of the configured database,
    bound to the role of who is logged in (or to no role at all): the view's work commits
    when it returns and is rolled back when it raises."""

    def dispatch_request(self):
        from consign.services import access
        from consign.web import auth, once

        rule = request.url_rule
        if request.routing_exception is not None or rule is None or rule.endpoint == "static":
            return super().dispatch_request()
        view = self.view_functions[rule.endpoint]
        database = self.extensions["consign.database"]
        with database.transaction(readonly=request.method in SAFE_METHODS) as session:
            g.session = session
            g.user = auth.current_user(session)
            access.bind(session, g.user.role if g.user else NOBODY)
            if g.user is None and not getattr(view, "public", False):
                return auth.to_login()
            key = once.sent_key()
            if key is not None and (before := once.claim(session, key, auth.now())):
                return before
            response = self.make_response(super().dispatch_request())
            if key is not None:
                once.settle(session, key, response)
        delay = g.pop("delay", 0)
        if delay:
            self.config["CONSIGN_SLEEP"](delay)  # after the commit: no lock is held
        return response


def create_app(database_url: str | None = None, *, config: dict | None = None) -> Flask:
    """The web app on the database of ``database_url`` (else ``CONSIGN_DATABASE_URL``, else
    ``consign.db`` here), which must exist at this release's schema.

    The session cookies are signed with ``CONSIGN_SECRET_KEY`` where it is set, else with
    a key made once and kept in the database, so that every process on one database
    shares it. ``config`` may set ``CONSIGN_CLOCK`` (a function giving now) and
    ``CONSIGN_SLEEP`` (how a failed login's delay is waited)."""
    from consign import settings

    app = ConsignApp(__name__, template_folder="templates", static_folder="static")
    database = _database(database_url)
    app.extensions["consign.database"] = database
    app.config.update(
        CONSIGN_CLOCK=lambda: datetime.now(UTC),
        CONSIGN_SLEEP=time.sleep,
        CONSIGN_TZ=settings.timezone_name(),
        SESSION_COOKIE_NAME="consign_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        WTF_CSRF_TIME_LIMIT=12 * 3600,  # a shift at the front desk
        MAX_CONTENT_LENGTH=1024 * 1024,
        BABEL_DEFAULT_LOCALE=DEFAULT_LANGUAGE,
        BABEL_DEFAULT_TIMEZONE="UTC",
    )
    app.config.update(config or {})
    try:  # an app that cannot start leaves no connection open
        app.config["SECRET_KEY"] = _secret_key(database, app.config["CONSIGN_CLOCK"]())
        _behind_proxies(app)
    except BaseException:
        database.dispose()
        raise
    from consign.web import api

    app.session_interface = CookieSessions(cookieless=api.PREFIX)
    Babel(app, locale_selector=language, default_domain="web",
          default_translation_directories=str(HERE / "translations"))
    _gettext_once_a_request(app)
    csrf = CSRFProtect(app)
    _register(app)
    csrf.exempt(api.blueprint)  # a till authenticates by its token, not by a cookie
    return app


def _database(url: str | None):
    from consign import schema, settings
    from consign.db import Database, environment_failure, missing_sqlite_file, normalise_url
    from consign.errors import EnvironmentFailure
    from consign.i18n import msg

    url = normalise_url(settings.database_url(url))
    missing = missing_sqlite_file(url)
    if missing:
        raise EnvironmentFailure(msg(
            "No consign database at {path}: create it with 'consign db upgrade', or "
            "point --db (or CONSIGN_DATABASE_URL) at yours.", path=missing), field="db")
    database = Database(url, across_processes=True)
    try:
        schema.ensure_current(database.engine)
    except Exception as error:
        database.dispose()
        failure = environment_failure(error, url, connecting=True)
        if failure is None:
            raise
        raise failure from None
    return database


def _secret_key(database, now: datetime) -> str:
    from consign.services import users

    given = os.environ.get("CONSIGN_SECRET_KEY")
    if given:
        return given
    with database.transaction() as session:
        return users.session_key(session, now)


def _behind_proxies(app: Flask) -> None:
    """Behind ``CONSIGN_TRUSTED_PROXIES`` reverse proxies (a number, 0 by default), the
    client's address and scheme are read from their ``X-Forwarded-For`` and
    ``X-Forwarded-Proto``, so that failed logins are counted per client and a cookie is
    Secure when the client used HTTPS. Without it those headers are ignored (anyone could
    send them)."""
    from werkzeug.middleware.proxy_fix import ProxyFix

    from consign.errors import MalformedSetting
    from consign.i18n import msg

    text = os.environ.get("CONSIGN_TRUSTED_PROXIES", "").strip() or "0"
    if not text.isdigit() or int(text) > 10:
        raise MalformedSetting(msg("CONSIGN_TRUSTED_PROXIES {value!r} is not a number of "
                                   "proxies from 0 to 10.", value=text), field="proxies")
    if int(text):
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=int(text), x_proto=int(text))


def _register(app: Flask) -> None:
    from consign.web import (
        agency,
        agency_manage,
        api,
        auth,
        errors,
        formats,
        home,
        hotel,
        owner,
        public,
    )

    for blueprint in (auth.blueprint, home.blueprint, agency.blueprint,
                      agency_manage.blueprint, hotel.blueprint, owner.blueprint,
                      api.blueprint, public.blueprint):
        app.register_blueprint(blueprint)
    errors.register(app)
    formats.register(app)
    app.after_request(_headers)


def _gettext_once_a_request(app: Flask) -> None:
    """The templates' ``_()`` with the request's catalog looked up once, not on every call
    (Flask-Babel finds it again each time: a shelf of two hundred rows asked it a thousand
    times a page)."""
    from flask_babel import get_translations

    def catalog():
        found = g.get("translations")
        if found is None:
            found = g.translations = get_translations()
        return found

    app.jinja_env.install_gettext_callables(
        gettext=lambda s: catalog().ugettext(s),
        ngettext=lambda s, p, n: catalog().ungettext(s, p, n),
        pgettext=lambda c, s: catalog().upgettext(c, s),
        npgettext=lambda c, s, p, n: catalog().unpgettext(c, s, p, n),
        newstyle=True)


def language() -> str:
    """The request's language: ``?lang=`` where given, else the cookie the switch set,
    else Indonesian."""
    asked = request.args.get("lang")
    if asked in LANGUAGES:
        return asked
    kept = request.cookies.get(LANGUAGE_COOKIE)
    return kept if kept in LANGUAGES else DEFAULT_LANGUAGE


def _headers(response):
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if request.endpoint != "static":
        response.headers.setdefault("Cache-Control", "no-store")
    asked = request.args.get("lang")
    if asked in LANGUAGES:
        response.set_cookie(LANGUAGE_COOKIE, asked, max_age=365 * 24 * 3600, httponly=True,
                            samesite="Lax", secure=request.is_secure)
    return response
